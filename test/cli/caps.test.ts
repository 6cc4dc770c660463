// `nvmx caps decode` and `nvmx profiles`: the quick start's main job, and bad input.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectGolden, expectUsageError, nvmx } from "../helpers/cli.js";

function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "nvmx-")), name);
  writeFileSync(path, text);
  return path;
}

describe("nvmx caps decode", () => {
  it("decodes the built-in kvm-nested-default profile (the quick start)", () => {
    const result = nvmx(["caps", "decode", "--profile", "kvm-nested-default"]);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe("");
    expectGolden("caps-decode-kvm-nested-default.txt", result.stdout);
  });

  it("--json gives every capability by name", () => {
    const result = nvmx(["caps", "decode", "--profile", "intel-core-i7-4770", "--json"]);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.msrs.IA32_VMX_BASIC).toBe("0xda040000000012");
    expect(report.basic.fields.VMX_BASIC_VMCS_REVISION_ID).toBe(18);
    expect(report.controls.proc.msr).toBe("IA32_VMX_TRUE_PROCBASED_CTLS");
    expect(report.controls.proc2.controls.SECONDARY_EXEC_ENABLE_EPT).toBe("0-or-1");
    expect(report.controls.proc3.msr).toBeNull();
    expect(report.cr4.bits.X86_CR4_VMXE).toBe("must-be-1");
    expectGolden("caps-decode-i7-4770.json", result.stdout);
  });

  it("reads a cpu.json file, the examples/cpu.json among them", () => {
    const result = nvmx(["caps", "decode", "--cpu", "examples/cpu.json", "--json"]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).profile).toBe("kvm-nested-default");
  });

  it("a malformed cpu.json gives one line naming file, key and reason, exit 2", () => {
    const path = tempFile("cpu.json", JSON.stringify({ msrs: { IA32_VMX_BASIC: "fast" } }));
    expectUsageError(nvmx(["caps", "decode", "--cpu", path]), `nvmx: ${path}: msrs.IA32_VMX_BASIC: "fast" is not a hex string such as "0x80000031"`);
  });

  it("a cpu.json that is not JSON gives one line, exit 2", () => {
    const path = tempFile("cpu.json", "{ msrs: ");
    expectUsageError(nvmx(["caps", "decode", "--cpu", path]), new RegExp(`^nvmx: ${path}: not valid JSON: `));
  });

  it("a missing file, a missing option and both options are one-line errors, exit 2", () => {
    expectUsageError(nvmx(["caps", "decode", "--cpu", "no/such/cpu.json"]), "nvmx: no/such/cpu.json: cannot read: no such file");
    expectUsageError(nvmx(["caps", "decode"]), "nvmx: --cpu: missing: give --cpu cpu.json or --profile NAME");
    expectUsageError(nvmx(["caps", "decode", "--cpu", "a", "--profile", "b"]), "nvmx: --profile: give either --cpu or --profile, not both");
    expectUsageError(nvmx(["caps", "decode", "--profile", "nope"]), 'nvmx: --profile: profile: unknown profile "nope"; nvmx profiles lists them');
  });

  it("reads the cpu.json from standard input with --cpu -", () => {
    const result = nvmx(["caps", "decode", "--cpu", "-", "--json"], JSON.stringify({ profile: "kvm-nested-default" }));
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).profile).toBe("kvm-nested-default");
  });
});

describe("nvmx profiles", () => {
  it("lists kvm-nested-default and real CPUs", () => {
    const result = nvmx(["profiles", "--json"]);
    expect(result.status).toBe(0);
    const names = JSON.parse(result.stdout).profiles.map((profile: { name: string }) => profile.name);
    expect(names[0]).toBe("kvm-nested-default");
    expect(names).toContain("intel-core-i7-4770");
    expect(names.length).toBeGreaterThanOrEqual(30);
    expectGolden("profiles.txt", nvmx(["profiles"]).stdout);
  });
});
