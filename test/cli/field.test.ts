// `nvmx field`: decoding names and encodings (KVM prints raw encodings in its warnings).
import { describe, expect, it } from "vitest";
import { expectGolden, expectUsageError, nvmx } from "../helpers/cli.js";

describe("nvmx field", () => {
  it("0x6800 is GUEST_CR0, natural width, guest state", () => {
    const result = nvmx(["field", "0x6800"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("GUEST_CR0");
    expect(result.stdout).toContain("natural-width, guest state");
    expectGolden("field-0x6800.txt", result.stdout);
  });

  it("GUEST_RIP --json gives the facts as JSON", () => {
    const result = nvmx(["field", "GUEST_RIP", "--json"]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      name: "GUEST_RIP",
      encoding: "0x681e",
      width: "natural",
      bits: 64,
      type: "guest",
      access: "full",
      highEncoding: null,
      sdm: "B.4.3",
    });
    expectGolden("field-GUEST_RIP.json", result.stdout);
  });

  it("--json may come before the command", () => {
    expect(JSON.parse(nvmx(["--json", "field", "0x6800"]).stdout).name).toBe("GUEST_CR0");
  });

  it("a high encoding names the high half of a 64-bit field", () => {
    const info = JSON.parse(nvmx(["field", "0x2001", "--json"]).stdout);
    expect(info).toMatchObject({ name: "IO_BITMAP_A_HIGH", access: "high", fullEncoding: "0x2000", highEncoding: "0x2001", width: "64" });
  });

  it("names are case-insensitive and _HIGH names resolve", () => {
    expect(JSON.parse(nvmx(["field", "guest_cr0", "--json"]).stdout).encoding).toBe("0x6800");
    expect(JSON.parse(nvmx(["field", "TSC_OFFSET_HIGH", "--json"]).stdout).encoding).toBe("0x2011");
  });

  it("an encoding that names no field says why, with exit status 2", () => {
    expectUsageError(
      nvmx(["field", "0x6801"]),
      "nvmx: field: 0x6801: names no VMCS field: high access (bit 0) to GUEST_CR0, a natural-width field: only 64-bit fields have a high half (VMREAD/VMWRITE fail with VM-instruction error 12)",
    );
    expectUsageError(nvmx(["field", "0x1800"]), /reserved bits set \(0x1000; bits 31:15 and 12 must be 0\)/);
    expectUsageError(nvmx(["field", "0x100000000"]), /bits 63:32 of the encoding operand are not 0/);
  });

  it("a mistyped name suggests the closest one", () => {
    expectUsageError(nvmx(["field", "GUEST_CRO"]), "nvmx: field: GUEST_CRO: unknown VMCS field name (did you mean GUEST_CR0?)");
  });

  it("a missing argument is a usage error with exit status 2", () => {
    const result = nvmx(["field"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/missing required argument/);
  });
});
