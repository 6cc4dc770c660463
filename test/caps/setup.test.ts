// KVM's setup_vmcs_config() (arch/x86/kvm/vmx/vmx.c, Linux 7.0): required and optional controls,
// forced bits, entry/exit pairs, EPT/VPID capability consistency, dependent drops and errata.
import { describe, expect, it } from "vitest";
import { controlByName, controlsSetIn, type ControlName } from "../../src/arch/controls.js";
import {
  KVM_CAP_CONSISTENCY,
  KVM_CONTROL_DEPENDENCIES,
  KVM_CONTROL_LISTS,
  KVM_ENTRY_EXIT_PAIRS,
  PERF_GLOBAL_CTRL_ERRATUM_WARNING,
  SETUP_WORD_IDS,
  familyModelOf,
  setupVmcsConfig,
  type KvmControlListDef,
  type SetupResult,
} from "../../src/caps/setup.js";
import { BUILTIN_PROFILES } from "../../src/profiles/index.js";
import { hiOf, loOf } from "../../src/u64/halves.js";
import { MSR_OF_WORD, bitOf, disallow, index, msrsOf } from "../helpers/msrs.js";

const haswell = msrsOf("intel-core-i7-4770");

/** A copy of `msrs` without EPT and VPID capabilities. */
function withoutEptVpidCaps(msrs: ReadonlyMap<number, bigint>): Map<number, bigint> {
  const out = new Map(msrs);
  out.set(index("IA32_VMX_EPT_VPID_CAP"), 0n);
  return out;
}

/** A copy of `msrs` in which the capability MSR reports `name` as must-be-1 (allowed 0-setting 0). */
function force(msrs: ReadonlyMap<number, bigint>, name: ControlName): Map<number, bigint> {
  const out = new Map(msrs);
  const control = controlByName(name)!;
  const msr = index(MSR_OF_WORD[control.word]!);
  out.set(msr, (out.get(msr) ?? 0n) | bitOf(name) | (bitOf(name) << 32n));
  return out;
}

/**
 * A processor that allows every control: every allowed-1 bit set (keeping the default1 class as
 * must-be-1), every tertiary control, full EPT/VPID capabilities, a write-back 4-KByte VMCS.
 */
function everythingAllowed(): Map<number, bigint> {
  const out = new Map(haswell);
  for (const name of ["IA32_VMX_PINBASED_CTLS", "IA32_VMX_PROCBASED_CTLS", "IA32_VMX_EXIT_CTLS", "IA32_VMX_ENTRY_CTLS", "IA32_VMX_PROCBASED_CTLS2"] as const) {
    out.set(index(name), (0xffffffffn << 32n) | BigInt(loOf(haswell.get(index(name)) ?? 0n)));
  }
  out.set(index("IA32_VMX_PROCBASED_CTLS3"), (1n << 64n) - 1n);
  out.set(index("IA32_VMX_EPT_VPID_CAP"), 0x00000f0106f741c1n);
  out.set(index("IA32_VMX_BASIC"), 0x03da100000000013n);
  return out;
}

const LISTS: readonly KvmControlListDef[] = KVM_CONTROL_LISTS;
const requiredControls = LISTS.flatMap((list) => list.required.map((name) => ({ name, list })));
const optionalControls = LISTS.flatMap((list) => list.optional.map((name) => ({ name, list })));

function expectAccepted(result: SetupResult): asserts result is SetupResult & { controls: NonNullable<SetupResult["controls"]>; enabled: readonly string[] } {
  expect(result.rejected, result.reasons.join("\n")).toBe(false);
  expect(result.controls).toBeDefined();
  expect(result.enabled).toBeDefined();
}

describe("the KVM tables", () => {
  it("every control KVM names is a control of CONTROL_WORDS, in the word KVM adjusts it in", () => {
    for (const list of KVM_CONTROL_LISTS) {
      for (const name of [...list.required, ...list.optional]) expect(controlByName(name)?.word, name).toBe(list.word);
    }
    for (const pair of KVM_ENTRY_EXIT_PAIRS) {
      expect(controlByName(pair.entry)?.word).toBe("entry");
      expect(controlByName(pair.exit)?.word).toBe("exit");
    }
    for (const rule of KVM_CAP_CONSISTENCY) expect(controlByName(rule.control)?.word).toBe("proc2");
  });

  it("no control is both required and optional", () => {
    for (const list of KVM_CONTROL_LISTS) for (const name of list.required) expect(list.optional as readonly string[]).not.toContain(name);
  });
});

describe("adjust_vmx_controls: required controls", () => {
  it.each(requiredControls.map(({ name, list }) => [name, list.msr, list.requiredMacro] as const))(
    "rejects a CPU whose %s lacks the allowed 1-setting of %s",
    (name, msr, macro) => {
      const result = setupVmcsConfig(disallow(haswell, name));
      expect(result.rejected).toBe(true);
      expect(result.controls).toBeUndefined();
      expect(result.enabled).toBeUndefined();
      expect(result.reasons.some((r) => r.includes(name) && r.includes(msr) && r.includes(macro!))).toBe(true);
    },
  );

  it("the same CPU with every required control allowed is accepted", () => {
    expectAccepted(setupVmcsConfig(haswell));
  });

  it("the secondary word has no required control: disallowing all of it rejects nothing", () => {
    const msrs = withoutEptVpidCaps(haswell);
    msrs.set(index("IA32_VMX_PROCBASED_CTLS2"), 0n);
    const result = setupVmcsConfig(msrs);
    expectAccepted(result);
    expect(result.controls.proc2).toBe(0n);
  });
});

describe("adjust_vmx_controls: optional controls", () => {
  const all = setupVmcsConfig(everythingAllowed());

  it("takes every optional control the CPU allows (except EPT-violation #VE without PROVE_VE)", () => {
    expectAccepted(all);
    for (const { name } of optionalControls) {
      if (name === "SECONDARY_EXEC_EPT_VIOLATION_VE") expect(all.enabled).not.toContain(name);
      else expect(all.enabled, name).toContain(name);
    }
  });

  it.each(optionalControls.map(({ name }) => [name] as const))("drops %s when the CPU does not allow it", (name) => {
    const result = setupVmcsConfig(disallow(everythingAllowed(), name), { errorOnInconsistent: false, proveVe: true });
    expectAccepted(result);
    expect(result.enabled).not.toContain(name);
  });

  it("never sets a control that is in neither list, even when allowed (e.g. PLE is optional, SPP is not)", () => {
    expectAccepted(all);
    for (const name of ["SECONDARY_EXEC_ENABLE_SPP", "SECONDARY_EXEC_MODE_BASED_EPT_EXEC", "VM_ENTRY_SMM", "VM_EXIT_CLEAR_IA32_LBR_CTL", "TERTIARY_EXEC_ENABLE_HLAT"]) {
      expect(all.enabled).not.toContain(name);
    }
  });

  it("reads the secondary controls only when activate-secondary-controls was granted", () => {
    const result = setupVmcsConfig(withoutEptVpidCaps(disallow(everythingAllowed(), "CPU_BASED_ACTIVATE_SECONDARY_CONTROLS")));
    expectAccepted(result);
    expect(result.controls.proc2).toBe(0n);
  });

  it("reads the tertiary controls only when activate-tertiary-controls was granted", () => {
    expectAccepted(all);
    expect(all.controls.proc3).toBe(bitOf("TERTIARY_EXEC_IPI_VIRT"));
    const result = setupVmcsConfig(disallow(everythingAllowed(), "CPU_BASED_ACTIVATE_TERTIARY_CONTROLS"));
    expectAccepted(result);
    expect(result.controls.proc3).toBe(0n);
  });
});

describe("adjust_vmx_controls: must-be-1 bits", () => {
  it("reads the non-TRUE MSRs, so the default1 class (CR3-load/-store exiting, reserved bits) is set", () => {
    const result = setupVmcsConfig(haswell);
    expectAccepted(result);
    expect(result.controls.proc & 0x0401e172n).toBe(0x0401e172n);
    expect(result.controls.pin & 0x16n).toBe(0x16n);
    expect(result.controls.exit & 0x36dffn).toBe(0x36dffn);
    expect(result.controls.entry & 0x11ffn).toBe(0x11ffn);
  });

  it.each([["VM_ENTRY_SMM"], ["VM_EXIT_CLEAR_IA32_LBR_CTL"], ["SECONDARY_EXEC_ENABLE_SPP"]] as const)(
    "sets %s when the CPU reports it as must-be-1, although KVM never asks for it",
    (name) => {
      const result = setupVmcsConfig(force(haswell, name));
      expectAccepted(result);
      expect(result.enabled).toContain(name);
    },
  );
});

describe("vmcs_entry_exit_pairs and error_on_inconsistent_vmcs_config", () => {
  const cases = KVM_ENTRY_EXIT_PAIRS.flatMap((pair) => [
    { pair, present: pair.entry, missing: pair.exit },
    { pair, present: pair.exit, missing: pair.entry },
  ]);

  it.each(cases.map((c) => [c.present, c.missing, c] as const))("with only %s (no %s): rejected by default", (_present, _missing, { pair, missing }) => {
    const result = setupVmcsConfig(disallow(everythingAllowed(), missing));
    expect(result.rejected).toBe(true);
    expect(result.droppedPairs).toEqual([pair.entry, pair.exit]);
    expect(result.reasons.some((r) => r.startsWith("warning: Inconsistent VM-Entry/VM-Exit pair"))).toBe(true);
    expect(result.reasons.some((r) => !r.startsWith("warning: ") && r.includes(`${pair.entry}/${pair.exit}`))).toBe(true);
    expect(result.controls).toBeUndefined();
  });

  it.each(cases.map((c) => [c.present, c.missing, c] as const))(
    "with only %s (no %s): both halves dropped when error_on_inconsistent_vmcs_config=N",
    (present, _missing, { pair, missing }) => {
      const result = setupVmcsConfig(disallow(everythingAllowed(), missing), { errorOnInconsistent: false });
      expectAccepted(result);
      expect(result.droppedPairs).toEqual([pair.entry, pair.exit]);
      expect(result.enabled).not.toContain(present);
      expect(result.enabled).not.toContain(missing);
      expect(result.reasons.every((r) => r.startsWith("warning: "))).toBe(true);
    },
  );

  it("a pair with neither half is no inconsistency", () => {
    const result = setupVmcsConfig(disallow(everythingAllowed(), "VM_ENTRY_LOAD_CET_STATE", "VM_EXIT_LOAD_CET_STATE"));
    expectAccepted(result);
    expect(result.droppedPairs).toEqual([]);
  });

  it("names every unpaired pair, not only the first", () => {
    const msrs = disallow(everythingAllowed(), "VM_EXIT_LOAD_IA32_PAT", "VM_ENTRY_LOAD_IA32_EFER");
    const result = setupVmcsConfig(msrs);
    expect(result.droppedPairs).toEqual(["VM_ENTRY_LOAD_IA32_PAT", "VM_EXIT_LOAD_IA32_PAT", "VM_ENTRY_LOAD_IA32_EFER", "VM_EXIT_LOAD_IA32_EFER"]);
  });

  it("the save-PAT/-EFER/-preemption-timer exit controls have no entry half to pair with", () => {
    const result = setupVmcsConfig(disallow(everythingAllowed(), "VM_EXIT_SAVE_IA32_PAT", "VM_EXIT_SAVE_IA32_EFER"));
    expectAccepted(result);
    expect(result.droppedPairs).toEqual([]);
  });
});

describe("EPT/VPID capabilities without their control", () => {
  const eptCapOnly = () => {
    const msrs = disallow(everythingAllowed(), "SECONDARY_EXEC_ENABLE_EPT");
    return msrs;
  };

  it("an EPT capability without the 1-setting of enable EPT rejects the configuration by default", () => {
    const result = setupVmcsConfig(eptCapOnly());
    expect(result.rejected).toBe(true);
    expect(result.inconsistentCaps).toEqual(["EPT"]);
    expect(result.reasons).toContain(`warning: ${KVM_CAP_CONSISTENCY[0].warning}`);
  });

  it("with error_on_inconsistent_vmcs_config=N the EPT capability is cleared, with EPT-violation #VE", () => {
    const result = setupVmcsConfig(eptCapOnly(), { errorOnInconsistent: false, proveVe: true });
    expectAccepted(result);
    expect(result.inconsistentCaps).toEqual(["EPT"]);
    expect(loOf(result.eptVpidCap!)).toBe(0);
    expect(hiOf(result.eptVpidCap!)).toBe(0xf01);
    expect(result.enabled).not.toContain("SECONDARY_EXEC_EPT_VIOLATION_VE");
    expect(result.enabled).toContain("SECONDARY_EXEC_ENABLE_VPID");
  });

  it("a VPID capability without the 1-setting of enable VPID rejects by default, is cleared otherwise", () => {
    const msrs = disallow(everythingAllowed(), "SECONDARY_EXEC_ENABLE_VPID");
    const strict = setupVmcsConfig(msrs);
    expect(strict.rejected).toBe(true);
    expect(strict.inconsistentCaps).toEqual(["VPID"]);
    expect(strict.reasons).toContain(`warning: ${KVM_CAP_CONSISTENCY[1].warning}`);
    const lenient = setupVmcsConfig(msrs, { errorOnInconsistent: false });
    expectAccepted(lenient);
    expect(hiOf(lenient.eptVpidCap!)).toBe(0);
    expect(loOf(lenient.eptVpidCap!)).toBe(0x06f741c1);
  });

  it("both inconsistent: both named", () => {
    const msrs = disallow(everythingAllowed(), "SECONDARY_EXEC_ENABLE_EPT", "SECONDARY_EXEC_ENABLE_VPID");
    expect(setupVmcsConfig(msrs).inconsistentCaps).toEqual(["EPT", "VPID"]);
  });

  it("no capability and no control is consistent", () => {
    const result = setupVmcsConfig(withoutEptVpidCaps(disallow(everythingAllowed(), "SECONDARY_EXEC_ENABLE_EPT", "SECONDARY_EXEC_ENABLE_VPID")));
    expectAccepted(result);
    expect(result.inconsistentCaps).toEqual([]);
  });

  it("no activate-secondary-controls: the capability MSR still counts (KVM reads it regardless)", () => {
    const result = setupVmcsConfig(disallow(everythingAllowed(), "CPU_BASED_ACTIVATE_SECONDARY_CONTROLS"), { errorOnInconsistent: false });
    expect(result.inconsistentCaps).toEqual(["EPT", "VPID"]);
  });
});

describe("controls that depend on other controls", () => {
  it("without the TPR shadow, APIC-register virtualization, x2APIC virtualization and VID go, and with VID posted interrupts", () => {
    const result = setupVmcsConfig(disallow(everythingAllowed(), KVM_CONTROL_DEPENDENCIES.tprShadow.unless));
    expectAccepted(result);
    for (const name of [...KVM_CONTROL_DEPENDENCIES.tprShadow.drop, ...KVM_CONTROL_DEPENDENCIES.postedInterrupts.drop]) expect(result.enabled).not.toContain(name);
    expect(result.enabled).toContain("SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES");
  });

  it("without virtual-interrupt delivery, no posted interrupts", () => {
    const result = setupVmcsConfig(disallow(everythingAllowed(), "SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY"));
    expectAccepted(result);
    expect(result.enabled).not.toContain("PIN_BASED_POSTED_INTR");
    expect(result.enabled).toContain("SECONDARY_EXEC_APIC_REGISTER_VIRT");
  });

  it("EPT-violation #VE only with CONFIG_KVM_INTEL_PROVE_VE", () => {
    expect(setupVmcsConfig(everythingAllowed()).enabled).not.toContain("SECONDARY_EXEC_EPT_VIOLATION_VE");
    expect(setupVmcsConfig(everythingAllowed(), { proveVe: true }).enabled).toContain("SECONDARY_EXEC_EPT_VIOLATION_VE");
  });

  it("ENCLS exiting only when CPUID enumerates SGX", () => {
    expect(setupVmcsConfig(everythingAllowed()).enabled).toContain("SECONDARY_EXEC_ENCLS_EXITING");
    expect(setupVmcsConfig(everythingAllowed(), { sgx: false }).enabled).not.toContain("SECONDARY_EXEC_ENCLS_EXITING");
  });
});

describe("errata keyed on the CPU signature", () => {
  it("decodes family and model as boot_cpu_data does (extended model for family 6)", () => {
    expect(familyModelOf(0x00020655)).toEqual({ family: 6, model: 0x25 });
    expect(familyModelOf(0x000306c3)).toEqual({ family: 6, model: 0x3c });
    expect(familyModelOf(0x00000f41)).toEqual({ family: 0xf, model: 4 });
  });

  it("a Westmere (06_25H, stepping 5) loses the preemption timer and both PERF_GLOBAL_CTRL halves, with KVM's warning", () => {
    const result = setupVmcsConfig(everythingAllowed(), { cpuSignature: 0x00020655 });
    expectAccepted(result);
    expect(result.enabled).not.toContain("PIN_BASED_VMX_PREEMPTION_TIMER");
    expect(result.enabled).not.toContain("VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL");
    expect(result.enabled).not.toContain("VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL");
    expect(result.droppedPairs).toEqual([]);
    expect(result.reasons).toEqual([`warning: ${PERF_GLOBAL_CTRL_ERRATUM_WARNING}`]);
  });

  it("the preemption-timer list ignores CPUID.01H:EAX bits 15:14 and 31:28", () => {
    const result = setupVmcsConfig(everythingAllowed(), { cpuSignature: 0xf000c000 | 0x000306a8 });
    expect(result.enabled).not.toContain("PIN_BASED_VMX_PREEMPTION_TIMER");
    expect(result.enabled).toContain("VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL"); // Ivy Bridge: no PERF_GLOBAL_CTRL erratum
  });

  it("other Nehalem steppings keep the timer but still lose PERF_GLOBAL_CTRL (06_1AH)", () => {
    const result = setupVmcsConfig(everythingAllowed(), { cpuSignature: 0x000106a2 });
    expect(result.enabled).toContain("PIN_BASED_VMX_PREEMPTION_TIMER");
    expect(result.enabled).not.toContain("VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL");
  });

  it("a Haswell signature changes nothing", () => {
    expect(setupVmcsConfig(haswell, { cpuSignature: 0x000306c3 })).toEqual(setupVmcsConfig(haswell));
  });
});

describe("IA32_VMX_BASIC", () => {
  const withBasic = (value: bigint) => {
    const msrs = new Map(haswell);
    msrs.set(index("IA32_VMX_BASIC"), value);
    return msrs;
  };

  it("rejects a VMCS larger than a page", () => {
    const result = setupVmcsConfig(withBasic(0x00da100100000012n));
    expect(result.rejected).toBe(true);
    expect(result.reasons[0]).toMatch(/VMCS size of 4097 bytes/);
  });

  it("accepts a VMCS of exactly a page", () => {
    expectAccepted(setupVmcsConfig(withBasic(0x00da100000000012n)));
  });

  it("rejects a CPU limited to 32-bit physical addresses (bit 48)", () => {
    const result = setupVmcsConfig(withBasic(0x00db040000000012n));
    expect(result.rejected).toBe(true);
    expect(result.reasons[0]).toMatch(/IA32_VMX_BASIC\[48\]/);
  });

  it("rejects an uncacheable VMCS memory type", () => {
    const result = setupVmcsConfig(withBasic(0x00c0040000000012n));
    expect(result.rejected).toBe(true);
    expect(result.reasons[0]).toMatch(/memory type 0/);
  });
});

describe("real processors", () => {
  const bareMetal = BUILTIN_PROFILES.filter((profile) => !profile.kind.startsWith("kvm"));

  it.each(bareMetal.map((profile) => [profile.name] as const))("%s gives an accepted, consistent configuration", (name) => {
    const result = setupVmcsConfig(msrsOf(name));
    expectAccepted(result);
    expect(result.droppedPairs).toEqual([]);
    expect(result.inconsistentCaps).toEqual([]);
    expect(result.reasons).toEqual([]);
    // `enabled` is exactly the named controls set in the words.
    expect(result.enabled).toEqual(SETUP_WORD_IDS.flatMap((word) => controlsSetIn(word, loOf(result.controls[word]), hiOf(result.controls[word]))));
  });

  it("Haswell (i7-4770): KVM's controls", () => {
    const result = setupVmcsConfig(haswell);
    expectAccepted(result);
    expect(result.controls).toEqual({ pin: 0x7fn, proc: 0xfff9fffen, proc2: 0x7cffn, proc3: 0n, exit: 0x7fffffn, entry: 0xf3ffn });
    const secondary = result.enabled.filter((name) => name.startsWith("SECONDARY_"));
    expect(secondary).toEqual([
      "SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES",
      "SECONDARY_EXEC_ENABLE_EPT",
      "SECONDARY_EXEC_DESC",
      "SECONDARY_EXEC_ENABLE_RDTSCP",
      "SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE",
      "SECONDARY_EXEC_ENABLE_VPID",
      "SECONDARY_EXEC_WBINVD_EXITING",
      "SECONDARY_EXEC_UNRESTRICTED_GUEST",
      "SECONDARY_EXEC_PAUSE_LOOP_EXITING",
      "SECONDARY_EXEC_RDRAND_EXITING",
      "SECONDARY_EXEC_ENABLE_INVPCID",
      "SECONDARY_EXEC_ENABLE_VMFUNC",
      "SECONDARY_EXEC_SHADOW_VMCS",
    ]);
    expect(result.enabled).not.toContain("PIN_BASED_POSTED_INTR"); // client Haswell: no APICv
    expect(result.eptVpidCap).toBe(0x00000f0106334141n);
  });

  it("Raptor Lake (i7-14700): KVM's controls, CET state and save-PERF_GLOBAL_CTRL included, no IPI virtualization", () => {
    const result = setupVmcsConfig(msrsOf("intel-core-i7-14700"));
    expectAccepted(result);
    expect(result.controls).toEqual({ pin: 0xffn, proc: 0xfffbfffen, proc2: 0x7197fffn, proc3: 0n, exit: 0x537fffffn, entry: 0x16f3ffn });
    for (const name of ["PIN_BASED_POSTED_INTR", "CPU_BASED_ACTIVATE_TERTIARY_CONTROLS", "SECONDARY_EXEC_TSC_SCALING", "SECONDARY_EXEC_ENABLE_USR_WAIT_PAUSE", "VM_EXIT_LOAD_CET_STATE", "VM_ENTRY_LOAD_CET_STATE", "VM_EXIT_SAVE_IA32_PERF_GLOBAL_CTRL"]) {
      expect(result.enabled).toContain(name);
    }
    for (const name of ["SECONDARY_EXEC_ENABLE_PML", "SECONDARY_EXEC_EPT_VIOLATION_VE", "TERTIARY_EXEC_IPI_VIRT", "SECONDARY_EXEC_BUS_LOCK_DETECTION"]) {
      expect(result.enabled).not.toContain(name);
    }
  });

  it("Core 2 Duo T9600: accepted with the bare minimum (no EPT, no VPID, no preemption timer, no PAT/EFER loading)", () => {
    const result = setupVmcsConfig(msrsOf("intel-core2-duo-t9600"));
    expectAccepted(result);
    expect(result.enabled.filter((name) => name.startsWith("SECONDARY_"))).toEqual(["SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES", "SECONDARY_EXEC_WBINVD_EXITING"]);
    for (const name of ["PIN_BASED_VMX_PREEMPTION_TIMER", "VM_ENTRY_LOAD_IA32_EFER", "VM_EXIT_LOAD_IA32_PAT"]) expect(result.enabled).not.toContain(name);
  });

  it("the 2022 KVM L1 view (a 32-bit L1 without host address-space size) cannot host a 64-bit KVM", () => {
    const result = setupVmcsConfig(msrsOf("kvm-nested-l1-view-2022"));
    expect(result.rejected).toBe(true);
    expect(result.reasons).toEqual([expect.stringContaining("VM_EXIT_HOST_ADDR_SPACE_SIZE")]);
  });

  it("the 64-bit KVM L1 views are accepted: KVM can run nested on KVM", () => {
    expectAccepted(setupVmcsConfig(msrsOf("kvm-nested-l1-view-2021")));
    expectAccepted(setupVmcsConfig(msrsOf("kvm-nested-default")));
  });
});
