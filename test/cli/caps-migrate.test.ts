// `nvmx caps restore`, `caps diff` and `caps baseline`: migration of nested guests from the CLI.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectGolden, expectUsageError, nvmx } from "../helpers/cli.js";

describe("nvmx caps restore", () => {
  it("accepts and rejects writes in order, with the CONTRACT.md JSON shape and the read-back", () => {
    const result = nvmx([
      "caps", "restore", "--profile", "kvm-nested-observed",
      "--msr", "IA32_VMX_MISC=0x20000066", "--msr", "IA32_VMX_BASIC=0xd8100011e57ed0", "--json",
    ]);
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.results).toHaveLength(2);
    expect(json.results[0]).toMatchObject({ msr: "IA32_VMX_MISC", value: "0x20000066", accepted: false, rule: "restore.misc.preemption-timer-rate" });
    expect(json.results[0].reason).toMatch(/preemption-timer rate 6 differs from the supported 5/);
    expect(json.results[1]).toEqual({ msr: "IA32_VMX_BASIC", value: "0xd8100011e57ed0", accepted: true });
    expect(json.readBack.IA32_VMX_MISC).toBe("0x20000065");
    expectGolden("caps-restore.txt", nvmx(["caps", "restore", "--profile", "kvm-nested-observed", "--msr", "IA32_VMX_MISC=0x20000066", "--msr", "IA32_VMX_BASIC=0xd8100011e57ed0"]).stdout);
  });

  it("a lowered TRUE control MSR reads back, and the non-TRUE MSR is derived from it", () => {
    const json = JSON.parse(nvmx(["caps", "restore", "--profile", "kvm-nested-observed", "--msr", "IA32_VMX_TRUE_PINBASED_CTLS=0x3f00000016", "--json"]).stdout);
    expect(json.results[0].accepted).toBe(true);
    expect(json.readBack.IA32_VMX_TRUE_PINBASED_CTLS).toBe("0x3f00000016");
    expect(json.readBack.IA32_VMX_PINBASED_CTLS).toBe("0x3f00000016");
  });

  it("bad --msr arguments are one-line errors, exit 2", () => {
    expectUsageError(nvmx(["caps", "restore", "--profile", "kvm-nested-observed"]), "nvmx: --msr: missing: give at least one --msr NAME=VALUE");
    expectUsageError(nvmx(["caps", "restore", "--profile", "kvm-nested-observed", "--msr", "IA32_VMX_MISC"]), "nvmx: --msr: IA32_VMX_MISC: expected NAME=VALUE, e.g. IA32_VMX_MISC=0x20000065");
    expectUsageError(nvmx(["caps", "restore", "--profile", "kvm-nested-observed", "--msr", "IA32_EFER=0x1"]), "nvmx: --msr: IA32_EFER: not a VMX capability MSR (IA32_VMX_BASIC 0x480 … IA32_VMX_EXIT_CTLS2 0x493)");
    expectUsageError(nvmx(["caps", "restore", "--profile", "kvm-nested-observed", "--msr", "IA32_VMX_MISC=zz"]), 'nvmx: --msr: IA32_VMX_MISC: "zz" is not a hex string such as "0x80000031"');
  });
});

describe("nvmx caps diff", () => {
  it("a CPU to itself is migratable", () => {
    const json = JSON.parse(nvmx(["caps", "diff", "--from", "kvm-nested-observed", "--to", "kvm-nested-observed", "--json"]).stdout);
    expect(json).toMatchObject({ migratable: true, reasons: [], gaps: [] });
    expect(json.restore.every((result: { accepted: boolean }) => result.accepted)).toBe(true);
  });

  it("a destination without host address-space size is not migratable, with reasons", () => {
    const result = nvmx(["caps", "diff", "--from", "kvm-nested-observed", "--to", "kvm-nested-l1-view-2022"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("not migratable");
    expect(result.stdout).toContain("IA32_VMX_TRUE_EXIT_CTLS: rejected [restore.controls.allowed-1]");
    expectGolden("caps-diff.txt", result.stdout);
  });

  it("missing options and files are one-line errors, exit 2", () => {
    expect(nvmx(["caps", "diff", "--from", "kvm-nested-observed"]).status).toBe(2);
    expectUsageError(nvmx(["caps", "diff", "--from", "nope.json", "--to", "kvm-nested-observed"]), "nvmx: nope.json: cannot read: no such file");
  });
});

describe("nvmx caps baseline", () => {
  it("writes a cpu.json that nvmx reads back, and names what it dropped", () => {
    const out = join(mkdtempSync(join(tmpdir(), "nvmx-")), "baseline.json");
    const result = nvmx(["caps", "baseline", "kvm-nested-observed", "kvm-nested-l1-view-2022", "--out", out]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const json = JSON.parse(readFileSync(out, "utf8"));
    expect(json.baseline.dropped).toEqual([{ capability: "VM_EXIT_HOST_ADDR_SPACE_SIZE", lackedBy: ["kvm-nested-l1-view-2022"] }]);
    const back = JSON.parse(nvmx(["caps", "diff", "--from", out, "--to", "kvm-nested-observed", "--json"]).stdout);
    expect(back.migratable).toBe(true);
    const also = JSON.parse(nvmx(["caps", "diff", "--from", out, "--to", "kvm-nested-l1-view-2022", "--json"]).stdout);
    expect(also.migratable).toBe(true);
  });

  it("a bad host file is a one-line error, exit 2", () => {
    const path = join(mkdtempSync(join(tmpdir(), "nvmx-")), "bad.json");
    writeFileSync(path, JSON.stringify({ msrs: { IA32_VMX_BASIC: true } }));
    expectUsageError(nvmx(["caps", "baseline", "kvm-nested-observed", path]), new RegExp(`^nvmx: ${path}: msrs.IA32_VMX_BASIC: expected a hex string`));
  });
});
