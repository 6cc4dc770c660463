// Decoding capability MSRs (SDM Appendix A): allowed settings, TRUE MSRs, sub-fields.
import { describe, expect, it } from "vitest";
import { decodeCapabilities } from "../../src/caps/decode.js";
import { VmxCapabilities } from "../../src/caps/capabilities.js";
import { parseCpuJson } from "../../src/io/cpu-json.js";
import { BUILTIN_PROFILES } from "../../src/profiles/index.js";

const haswell = parseCpuJson({ profile: "intel-core-i7-4770" }, "t").msrs;

describe("control words (A.2–A.5)", () => {
  it("uses the TRUE MSRs when IA32_VMX_BASIC[55] = 1, so default1 CR3 exiting may be 0", () => {
    const caps = new VmxCapabilities(haswell);
    expect(caps.trueControls).toBe(true);
    expect(caps.controls.proc.msr).toBe("IA32_VMX_TRUE_PROCBASED_CTLS");
    expect(caps.setting("proc", 15)).toBe("0-or-1"); // CPU_BASED_CR3_LOAD_EXITING
    expect(caps.setting("proc", 1)).toBe("must-be-1"); // reserved default1 bit
  });

  it("without TRUE controls the non-TRUE MSR makes the default1 class must-be-1", () => {
    const msrs = new Map(haswell);
    msrs.set(0x480, 0x00da040000000012n & ~(1n << 55n));
    const caps = new VmxCapabilities(msrs);
    expect(caps.trueControls).toBe(false);
    expect(caps.controls.proc.msr).toBe("IA32_VMX_PROCBASED_CTLS");
    expect(caps.setting("proc", 15)).toBe("must-be-1");
  });

  it("the secondary controls exist only with the 1-setting of activate secondary controls (A.3.3)", () => {
    const msrs = new Map(haswell);
    msrs.set(0x48e, haswell.get(0x48e)! & ~(1n << 63n)); // TRUE_PROCBASED_CTLS allowed-1 bit 31 clear
    msrs.set(0x482, haswell.get(0x482)! & ~(1n << 63n));
    const caps = new VmxCapabilities(msrs);
    expect(caps.controls.proc2.msr).toBeUndefined();
    expect(caps.setting("proc2", 1)).toBe("must-be-0");
    expect(caps.controls.vmfunc.msr).toBeUndefined();
  });

  it("allowed-1-only words (tertiary) take all 64 bits as allowed 1-settings (A.3.4)", () => {
    const msrs = new Map(haswell);
    msrs.set(0x48e, haswell.get(0x48e)! | (1n << (32n + 17n))); // allow activate tertiary controls
    msrs.set(0x492, (1n << 4n) | (1n << 40n));
    const caps = new VmxCapabilities(msrs);
    expect(caps.controls.proc3.msr).toBe("IA32_VMX_PROCBASED_CTLS3");
    expect(caps.setting("proc3", 4)).toBe("0-or-1");
    expect(caps.setting("proc3", 40)).toBe("0-or-1");
    expect(caps.setting("proc3", 0)).toBe("must-be-0");
  });
});

describe("decodeCapabilities", () => {
  it("decodes IA32_VMX_BASIC of the Haswell profile (revision 18, 1024 bytes, WB, TRUE controls)", () => {
    const report = decodeCapabilities(haswell);
    const fields = Object.fromEntries(report.basic.fields.map((field) => [field.name, field.value]));
    const bits = Object.fromEntries(report.basic.bits.map((bit) => [bit.name, bit.set]));
    expect(fields).toMatchObject({ VMX_BASIC_VMCS_REVISION_ID: 18, VMX_BASIC_VMCS_SIZE: 1024, VMX_BASIC_MEM_TYPE: 6 });
    expect(bits).toMatchObject({ VMX_BASIC_TRUE_CTLS: true, VMX_BASIC_INOUT: true, VMX_BASIC_32BIT_PHYS_ADDR_ONLY: false });
  });

  it("decodes IA32_VMX_MISC of the Haswell profile (0x300481e5)", () => {
    const fields = Object.fromEntries(decodeCapabilities(haswell).misc.fields.map((field) => [field.name, field.value]));
    expect(fields).toMatchObject({ VMX_MISC_PREEMPTION_TIMER_RATE: 5, VMX_MISC_CR3_COUNT: 4, VMX_MISC_MAX_MSR: 0 });
  });

  it("reproduces every profile's control MSR values: settings read back into the same allowed-0/allowed-1 words", () => {
    for (const profile of BUILTIN_PROFILES) {
      const msrs = parseCpuJson({ profile: profile.name }, "t").msrs;
      const caps = new VmxCapabilities(msrs);
      const report = decodeCapabilities(msrs);
      for (const word of report.controls) {
        if (word.msr === undefined || word.word === "proc3" || word.word === "exit2" || word.word === "vmfunc") continue;
        let mustBe1 = 0n;
        let mayBe1 = 0n;
        for (const { bit, setting } of [...word.controls, ...word.unnamedBits]) {
          if (setting === "must-be-1") mustBe1 |= 1n << BigInt(bit);
          if (setting !== "must-be-0") mayBe1 |= 1n << BigInt(bit);
        }
        const value = caps.msr(word.msr as never);
        expect(mustBe1, `${profile.name} ${word.msr}`).toBe(value & 0xffffffffn);
        expect(mayBe1 | mustBe1, `${profile.name} ${word.msr}`).toBe((value >> 32n) | (value & 0xffffffffn));
      }
    }
  });

  it("CR0/CR4 fixed bits: PE, NE, PG must be 1 and VMXE must be 1 on the Haswell profile", () => {
    const [cr0, cr4] = decodeCapabilities(haswell).fixed;
    const settingOf = (bits: NonNullable<typeof cr0>["bits"], name: string) => bits.find((bit) => bit.name === name)!.setting;
    expect(settingOf(cr0!.bits, "X86_CR0_PE")).toBe("must-be-1");
    expect(settingOf(cr0!.bits, "X86_CR0_NE")).toBe("must-be-1");
    expect(settingOf(cr0!.bits, "X86_CR0_PG")).toBe("must-be-1");
    expect(settingOf(cr0!.bits, "X86_CR0_CD")).toBe("0-or-1");
    expect(settingOf(cr4!.bits, "X86_CR4_VMXE")).toBe("must-be-1");
    expect(settingOf(cr4!.bits, "X86_CR4_LA57")).toBe("must-be-0");
  });

  it("EPT/VPID capabilities are not available without EPT or VPID", () => {
    const msrs = new Map(haswell);
    msrs.set(0x48b, haswell.get(0x48b)! & ~((1n << 33n) | (1n << 37n)));
    expect(decodeCapabilities(msrs).eptVpid.available).toBe(false);
    expect(decodeCapabilities(haswell).eptVpid.available).toBe(true);
  });
});
