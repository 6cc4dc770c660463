// `nvmx caps setup` (KVM's setup_vmcs_config) and `nvmx caps nested` (what L1 sees) from the CLI.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectUsageError, nvmx } from "../helpers/cli.js";

describe("nvmx caps setup", () => {
  it("a Haswell host is accepted, with CONTRACT.md's JSON shape", () => {
    const result = nvmx(["caps", "setup", "--profile", "intel-core-i7-4770", "--json"]);
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.rejected).toBe(false);
    expect(json.droppedPairs).toEqual([]);
    expect(Object.keys(json.controls)).toEqual(["pin", "proc", "proc2", "proc3", "exit", "entry"]);
    expect(json.controls.proc2).toMatch(/^0x[0-9a-f]+$/);
    expect(json.enabled).toContain("SECONDARY_EXEC_ENABLE_EPT");
    expect(json.enabled).toContain("VM_ENTRY_LOAD_IA32_EFER");
  });

  it("an unpaired load-EFER control rejects by default and is dropped with --no-error-on-inconsistent", () => {
    const dir = mkdtempSync(join(tmpdir(), "nvmx-"));
    const path = join(dir, "cpu.json");
    // Haswell with VM_EXIT_LOAD_IA32_EFER (exit bit 21) removed from the allowed 1-settings.
    const exit = (0x007fffff00036dffn & ~(1n << 53n)).toString(16);
    const trueExit = (0x007fffff00036dfbn & ~(1n << 53n)).toString(16);
    writeJson(path, { profile: "intel-core-i7-4770", msrs: { IA32_VMX_EXIT_CTLS: "0x" + exit, IA32_VMX_TRUE_EXIT_CTLS: "0x" + trueExit } });
    const strict = JSON.parse(nvmx(["caps", "setup", "--cpu", path, "--json"]).stdout);
    expect(strict.rejected).toBe(true);
    expect(strict.droppedPairs).toEqual(["VM_ENTRY_LOAD_IA32_EFER", "VM_EXIT_LOAD_IA32_EFER"]);
    expect(strict).not.toHaveProperty("controls");
    expect(strict).not.toHaveProperty("enabled");
    const lenient = JSON.parse(nvmx(["caps", "setup", "--cpu", path, "--no-error-on-inconsistent", "--json"]).stdout);
    expect(lenient.rejected).toBe(false);
    expect(lenient.droppedPairs).toEqual(["VM_ENTRY_LOAD_IA32_EFER", "VM_EXIT_LOAD_IA32_EFER"]);
    expect(lenient.enabled).not.toContain("VM_ENTRY_LOAD_IA32_EFER");
  });

  it("no --cpu or --profile is a one-line error, exit 2", () => {
    expectUsageError(nvmx(["caps", "setup"]), "nvmx: --cpu: missing: give --cpu cpu.json or --profile NAME");
  });
});

describe("nvmx caps nested", () => {
  it("derives L1's MSRs from a host: VMCS12 revision and size, controls by treatment", () => {
    const out = join(mkdtempSync(join(tmpdir(), "nvmx-")), "l1.json");
    const result = nvmx(["caps", "nested", "--host", "intel-core-i7-4770", "--json", "--out", out]);
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.msrs.IA32_VMX_BASIC).toMatch(/11e57ed0$/);
    const treatments = new Set(json.controls.map((control: { treatment: string }) => control.treatment));
    expect(treatments).toEqual(new Set(["passed-through", "emulated", "hidden"]));
    const written = JSON.parse(readFileSync(out, "utf8"));
    expect(written.msrs).toEqual(json.msrs);
  });

  it("kvm_intel.ept=0 hides EPT from L1", () => {
    const json = JSON.parse(nvmx(["caps", "nested", "--host", "intel-core-i7-4770", "--no-ept", "--json"]).stdout);
    const ept = json.controls.find((control: { name: string }) => control.name === "SECONDARY_EXEC_ENABLE_EPT");
    expect(ept.advertised).toBe(false);
  });

  it("a missing --host is a usage error, exit 2", () => {
    expect(nvmx(["caps", "nested"]).status).toBe(2);
  });
});

function writeJson(path: string, json: unknown): void {
  writeFileSync(path, JSON.stringify(json));
}
