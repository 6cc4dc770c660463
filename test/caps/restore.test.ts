// KVM's audit of host-initiated writes of the VMX capability MSRs (nested.c vmx_set_vmx_msr() and
// its helpers, x86.c do_set_msr()), and what L1 reads back (vmx_get_vmx_msr()).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  KVM_BASIC_FEATURE_BITS,
  KVM_BASIC_RESERVED_BITS,
  KVM_MISC_FEATURE_BITS,
  KVM_MISC_RESERVED_BITS,
  RESTORE_RULES,
  RESTORE_RULE_BY_ID,
  auditRestore,
  restoreRulesFor,
  type RestoreAudit,
  type RestoreOptions,
  type RestoreWrite,
} from "../../src/caps/restore.js";
import { CONTROL_WORD_MASKS } from "../../src/arch/controls.js";
import { MSR_LAYOUT_MASKS } from "../../src/arch/msrs.js";
import { SDM_SECTIONS } from "../../src/arch/sdm.js";
import { toBigInt } from "../../src/u64/halves.js";
import { parseCpuJson } from "../../src/io/cpu-json.js";
import { BUILTIN_PROFILES } from "../../src/profiles/index.js";

const KVM = parseCpuJson({ profile: "kvm-nested-observed" }, "t").msrs;
const HASWELL = parseCpuJson({ profile: "intel-core-i7-4770" }, "t").msrs;

const BASIC = 0x480;
const PINBASED = 0x481;
const PROCBASED = 0x482;
const EXIT = 0x483;
const ENTRY = 0x484;
const MISC = 0x485;
const CR0_FIXED0 = 0x486;
const CR0_FIXED1 = 0x487;
const CR4_FIXED0 = 0x488;
const CR4_FIXED1 = 0x489;
const VMCS_ENUM = 0x48a;
const PROCBASED2 = 0x48b;
const EPT_VPID_CAP = 0x48c;
const TRUE_PINBASED = 0x48d;
const TRUE_PROCBASED = 0x48e;
const TRUE_EXIT = 0x48f;
const TRUE_ENTRY = 0x490;
const VMFUNC = 0x491;
const PROCBASED3 = 0x492;
const EXIT2 = 0x493;

const RESTORABLE = [BASIC, MISC, CR0_FIXED0, CR4_FIXED0, VMCS_ENUM, PROCBASED2, EPT_VPID_CAP, TRUE_PINBASED, TRUE_PROCBASED, TRUE_EXIT, TRUE_ENTRY, VMFUNC];
const CONTROLS = [TRUE_PINBASED, TRUE_PROCBASED, TRUE_EXIT, TRUE_ENTRY, PROCBASED2];

const bit = (n: number): bigint => 1n << BigInt(n);
const sup = (index: number, msrs: ReadonlyMap<number, bigint> = KVM): bigint => msrs.get(index) ?? 0n;

/** Every rule id that some test saw reject a write. */
const failedRules = new Set<string>();

function audit(writes: readonly RestoreWrite[], options?: RestoreOptions, msrs: ReadonlyMap<number, bigint> = KVM): RestoreAudit {
  const result = auditRestore(msrs, writes, options);
  for (const r of result.results) if (r.rule !== undefined) failedRules.add(r.rule);
  return result;
}

/** The outcome of a single write: the rule id that rejected it, or "accepted". */
function one(index: number, value: bigint, options?: RestoreOptions, msrs: ReadonlyMap<number, bigint> = KVM): string {
  const result = audit([{ index, value }], options, msrs).results[0]!;
  return result.accepted ? "accepted" : result.rule!;
}

function readBack(result: RestoreAudit, index: number): bigint | undefined {
  return result.readBack.find((r) => r.index === index)?.value;
}

function lowestSetBit(mask: bigint): number {
  for (let b = 0; b < 64; b++) if ((mask >> BigInt(b)) & 1n) return b;
  throw new Error("no bit set");
}

function setBits(mask: bigint): number[] {
  const bits: number[] = [];
  for (let b = 0; b < 64; b++) if ((mask >> BigInt(b)) & 1n) bits.push(b);
  return bits;
}

describe("IA32_VMX_BASIC (vmx_restore_vmx_basic)", () => {
  const basic = sup(BASIC);

  it("accepts the supported value", () => {
    expect(one(BASIC, basic)).toBe("accepted");
  });

  it("restore.basic.feature-or-reserved-bits: clearing a supported feature bit is accepted, adding one is not", () => {
    expect(one(BASIC, basic & ~bit(55))).toBe("accepted"); // VMX_BASIC_TRUE_CTLS
    expect(one(BASIC, basic & ~bit(54))).toBe("accepted"); // VMX_BASIC_INOUT
    // kvm-nested-observed lacks dual-monitor treatment (49) and NO_HW_ERROR_CODE_CC (56).
    expect(one(BASIC, basic | bit(49))).toBe("restore.basic.feature-or-reserved-bits");
    expect(one(BASIC, basic | bit(56))).toBe("restore.basic.feature-or-reserved-bits");
  });

  it("restore.basic.feature-or-reserved-bits: every reserved bit is rejected (31, 45, 47, 57, 63)", () => {
    for (const b of [31, 45, 46, 47, 57, 58, 63]) expect(one(BASIC, basic | bit(b)), `bit ${b}`).toBe("restore.basic.feature-or-reserved-bits");
  });

  it("accepts bit 56 (VMX_BASIC_NO_HW_ERROR_CODE_CC) where the CPU supports it (KVM: nVMX: Virtualize NO_HW_ERROR_CODE_CC for L1 event injection to L2)", () => {
    const msrs = new Map(KVM).set(BASIC, basic | bit(56));
    expect(one(BASIC, basic | bit(56), undefined, msrs)).toBe("accepted");
    expect(one(BASIC, basic, undefined, msrs)).toBe("accepted");
  });

  it("restore.basic.32bit-phys-addr-only: bit 48 is rejected with its own rule", () => {
    const result = audit([{ index: BASIC, value: basic | bit(48) }]).results[0]!;
    expect(result.rule).toBe("restore.basic.32bit-phys-addr-only");
    expect(result.reason).toBe("bit 48 (VMX_BASIC_32BIT_PHYS_ADDR_ONLY) = 0x1000000000000 set: KVM does not emulate 32-bit-limited VMX structures");
    expect(result.detail?.offending).toBe(bit(48));
  });

  it("restore.basic.32bit-phys-addr-only: bit 48 is rejected even where the supported value has it", () => {
    const msrs = new Map(KVM).set(BASIC, basic | bit(48));
    expect(one(BASIC, basic | bit(48), undefined, msrs)).toBe("restore.basic.32bit-phys-addr-only");
    expect(one(BASIC, basic, undefined, msrs)).toBe("accepted");
  });

  it("restore.basic.revision-id: revision identifier ±1 is rejected", () => {
    expect(one(BASIC, basic + 1n)).toBe("restore.basic.revision-id");
    expect(one(BASIC, basic - 1n)).toBe("restore.basic.revision-id");
    const result = audit([{ index: BASIC, value: basic + 1n }]).results[0]!;
    expect(result.reason).toBe("VMCS revision identifier 0x11e57ed1 differs from the supported 0x11e57ed0");
    expect(result.detail).toMatchObject({ field: "VMX_BASIC_VMCS_REVISION_ID", actual: 0x11e57ed1n, required: 0x11e57ed0n });
  });

  it("restore.basic.vmcs-size: smaller is rejected, equal and larger accepted", () => {
    const size = (n: bigint): bigint => (basic & ~(0x1fffn << 32n)) | (n << 32n);
    expect((basic >> 32n) & 0x1fffn).toBe(0x1000n);
    expect(one(BASIC, size(0xfffn))).toBe("restore.basic.vmcs-size");
    expect(one(BASIC, size(0n))).toBe("restore.basic.vmcs-size");
    expect(one(BASIC, size(0x1000n))).toBe("accepted");
    expect(one(BASIC, size(0x1001n))).toBe("accepted");
    // A.1 caps the size at 4096 bytes; KVM only checks that it does not shrink.
    expect(one(BASIC, size(0x1fffn))).toBe("accepted");
  });

  it("does not check the memory type (bits 53:50): UC and even a reserved type are accepted", () => {
    const memType = (n: bigint): bigint => (basic & ~(0xfn << 50n)) | (n << 50n);
    expect(one(BASIC, memType(0n))).toBe("accepted");
    expect(one(BASIC, memType(7n))).toBe("accepted");
    expect(one(BASIC, memType(0xfn))).toBe("accepted");
  });

  it("applies the checks in KVM's order: feature/reserved, bit 48, revision, size", () => {
    expect(one(BASIC, (basic | bit(49) | bit(48)) + 1n)).toBe("restore.basic.feature-or-reserved-bits");
    expect(one(BASIC, (basic | bit(48)) + 1n)).toBe("restore.basic.32bit-phys-addr-only");
    expect(one(BASIC, (basic & ~(0x1fffn << 32n)) + 1n)).toBe("restore.basic.revision-id");
  });

  it("KVM's feature and reserved masks are those of nested.c and cover every bit that is not a field or bit 48", () => {
    expect(KVM_BASIC_FEATURE_BITS).toBe(bit(49) | bit(54) | bit(55) | bit(56));
    expect(KVM_BASIC_RESERVED_BITS).toBe((0x7fn << 57n) | (0x7n << 45n) | bit(31));
    const defined = toBigInt(MSR_LAYOUT_MASKS.IA32_VMX_BASIC.definedLo, MSR_LAYOUT_MASKS.IA32_VMX_BASIC.definedHi);
    expect(KVM_BASIC_RESERVED_BITS).toBe(((1n << 64n) - 1n) & ~defined);
  });
});

describe("TRUE control MSRs and IA32_VMX_PROCBASED_CTLS2 (vmx_restore_control_msr)", () => {
  it("accepts each supported value", () => {
    for (const index of CONTROLS) expect(one(index, sup(index)), index.toString(16)).toBe("accepted");
  });

  it("restore.controls.must-be-1: clearing the first supported must-be-1 bit is rejected", () => {
    for (const index of [TRUE_PINBASED, TRUE_PROCBASED, TRUE_EXIT, TRUE_ENTRY]) {
      const value = sup(index);
      const first = lowestSetBit(value & 0xffffffffn);
      expect(one(index, value & ~bit(first)), index.toString(16)).toBe("restore.controls.must-be-1");
    }
  });

  it("restore.controls.must-be-1: names the cleared bits", () => {
    const result = audit([{ index: TRUE_PINBASED, value: sup(TRUE_PINBASED) & ~0x10n }]).results[0]!;
    expect(result.reason).toBe(
      "must-be-1 bit 4 (reserved, default1) = 0x10 cleared: bits 31:0 must keep every bit the supported value 0x7f00000016 sets",
    );
  });

  it("adding a must-be-1 bit is accepted (vmx_fixed0_msr_test)", () => {
    const value = sup(TRUE_PROCBASED);
    expect(one(TRUE_PROCBASED, value | bit(15))).toBe("accepted"); // CR3-load exiting becomes must-be-1
    expect(one(PROCBASED2, sup(PROCBASED2) | 0xffffffffn)).toBe("accepted");
  });

  it("restore.controls.allowed-1: the first allowed-1 bit outside the supported ones is rejected", () => {
    for (const index of CONTROLS) {
      const value = sup(index);
      const first = lowestSetBit(~value & (0xffffffffn << 32n));
      expect(one(index, value | bit(first)), index.toString(16)).toBe("restore.controls.allowed-1");
    }
    // kvm-nested-observed's pin-based allowed-1 bits are 0x7f: bit 7 (posted interrupts, MSR bit 39) is the first beyond.
    const result = audit([{ index: TRUE_PINBASED, value: sup(TRUE_PINBASED) | bit(39) }]).results[0]!;
    expect(result.reason).toBe(
      "allowed-1 bit 39 (control bit 7, PIN_BASED_POSTED_INTR) = 0x8000000000 set, which the supported value 0x7f00000016 does not allow",
    );
  });

  it("clearing any allowed-1 bit is accepted (vmx_fixed1_msr_test)", () => {
    for (const index of CONTROLS) {
      const value = sup(index);
      for (const b of setBits(value & (0xffffffffn << 32n))) expect(one(index, value & ~bit(b)), `${index.toString(16)} bit ${b}`).toBe("accepted");
    }
  });

  it("checks must-be-1 before allowed-1", () => {
    expect(one(TRUE_PINBASED, (sup(TRUE_PINBASED) & ~0x2n) | bit(63))).toBe("restore.controls.must-be-1");
  });

  it("does not require a restored must-be-1 bit to be allowed-1 (current KVM has no such check)", () => {
    // Bit 31 must-be-1, yet not allowed-1: a setting A.3 never reports.
    expect(one(TRUE_PINBASED, sup(TRUE_PINBASED) | bit(31))).toBe("accepted");
    expect(one(TRUE_PROCBASED, (sup(TRUE_PROCBASED) | bit(15)) & ~bit(32 + 15))).toBe("accepted");
  });
});

describe("non-TRUE control MSRs (restore.controls.non-true-derived)", () => {
  it("rejects every write, the supported and the read-back value included", () => {
    for (const index of [PINBASED, PROCBASED, EXIT, ENTRY]) {
      expect(one(index, sup(index)), index.toString(16)).toBe("restore.controls.non-true-derived");
      expect(one(index, 0n), index.toString(16)).toBe("restore.controls.non-true-derived");
    }
    const result = audit([{ index: PROCBASED, value: sup(PROCBASED) }]).results[0]!;
    expect(result.reason).toBe(
      "KVM derives IA32_VMX_PROCBASED_CTLS from IA32_VMX_TRUE_PROCBASED_CTLS (ORing the default1 bits 0x401e172 into bits 31:0) " +
        "and refuses to restore it; to emulate IA32_VMX_BASIC[55] = 0, restore IA32_VMX_TRUE_PROCBASED_CTLS with the default1 bits set",
    );
  });
});

describe("IA32_VMX_MISC (vmx_restore_vmx_misc)", () => {
  const misc = sup(MISC); // 0x20000065: rate 5, SAVE_EFER_LMA, ACTIVITY_HLT, VMWRITE_SHADOW_RO_FIELDS
  const rate = (value: bigint, n: bigint): bigint => (value & ~0x1fn) | n;
  const pinWithoutTimer = sup(TRUE_PINBASED) & ~bit(32 + 6);

  it("accepts the supported value", () => {
    expect(one(MISC, misc)).toBe("accepted");
  });

  it("restore.misc.feature-or-reserved-bits: clearing a feature bit is accepted, adding one or a reserved bit is not", () => {
    expect(one(MISC, misc & ~bit(6))).toBe("accepted");
    expect(one(MISC, misc & ~bit(29))).toBe("accepted");
    expect(one(MISC, misc | bit(7))).toBe("restore.misc.feature-or-reserved-bits"); // shutdown activity state
    expect(one(MISC, misc | bit(30))).toBe("restore.misc.feature-or-reserved-bits");
    for (const b of [9, 13, 31]) expect(one(MISC, misc | bit(b)), `bit ${b}`).toBe("restore.misc.feature-or-reserved-bits");
  });

  it("KVM's feature and reserved masks are those of nested.c", () => {
    expect(KVM_MISC_FEATURE_BITS).toBe(bit(5) | (0x7n << 6n) | bit(14) | bit(15) | bit(28) | bit(29) | bit(30));
    expect(KVM_MISC_RESERVED_BITS).toBe(bit(31) | (0x1fn << 9n));
  });

  it("restore.misc.preemption-timer-rate: a different rate is rejected while the pin-based controls allow the timer", () => {
    expect(one(MISC, rate(misc, 6n))).toBe("restore.misc.preemption-timer-rate");
    expect(one(MISC, rate(misc, 4n))).toBe("restore.misc.preemption-timer-rate");
    expect(one(MISC, rate(misc, 5n))).toBe("accepted");
    const result = audit([{ index: MISC, value: rate(misc, 0n) }]).results[0]!;
    expect(result.reason).toBe(
      "preemption-timer rate 0 differs from the supported 5 while the vCPU's pin-based controls allow " +
        "PIN_BASED_VMX_PREEMPTION_TIMER (IA32_VMX_TRUE_PINBASED_CTLS bit 38)",
    );
  });

  it("restore.misc.preemption-timer-rate: pin-based restored first without the timer, then MISC: any rate", () => {
    const result = audit([
      { index: TRUE_PINBASED, value: pinWithoutTimer },
      { index: MISC, value: rate(misc, 0n) },
      { index: MISC, value: rate(misc, 31n) },
    ]);
    expect(result.results.map((r) => r.accepted)).toEqual([true, true, true]);
    expect(readBack(result, MISC)).toBe(rate(misc, 31n));
  });

  it("restore.misc.preemption-timer-rate: MISC first, then pin-based: the rate change is rejected", () => {
    const result = audit([
      { index: MISC, value: rate(misc, 0n) },
      { index: TRUE_PINBASED, value: pinWithoutTimer },
    ]);
    expect(result.results.map((r) => r.rule ?? "accepted")).toEqual(["restore.misc.preemption-timer-rate", "accepted"]);
    expect(readBack(result, MISC)).toBe(misc);
  });

  it("restore.misc.preemption-timer-rate: a rejected pin-based write does not change what the MISC rule sees", () => {
    const result = audit([
      { index: TRUE_PINBASED, value: pinWithoutTimer | bit(63) },
      { index: MISC, value: rate(misc, 0n) },
    ]);
    expect(result.results.map((r) => r.rule)).toEqual(["restore.controls.allowed-1", "restore.misc.preemption-timer-rate"]);
  });

  it("does not re-check MISC when the timer is allowed again afterwards", () => {
    const result = audit([
      { index: TRUE_PINBASED, value: pinWithoutTimer },
      { index: MISC, value: rate(misc, 0n) },
      { index: TRUE_PINBASED, value: sup(TRUE_PINBASED) },
    ]);
    expect(result.results.every((r) => r.accepted)).toBe(true);
    expect(readBack(result, MISC)! & 0x1fn).toBe(0n);
  });

  it("restore.misc.cr3-target-count: more CR3-target values than supported is rejected, fewer or equal accepted", () => {
    const haswellMisc = sup(MISC, HASWELL); // 4 CR3-target values
    const count = (n: bigint): bigint => (haswellMisc & ~(0x1ffn << 16n)) | (n << 16n);
    expect((haswellMisc >> 16n) & 0x1ffn).toBe(4n);
    expect(one(MISC, count(5n), undefined, HASWELL)).toBe("restore.misc.cr3-target-count");
    expect(one(MISC, count(4n), undefined, HASWELL)).toBe("accepted");
    expect(one(MISC, count(0n), undefined, HASWELL)).toBe("accepted");
    expect(one(MISC, misc | (1n << 16n))).toBe("restore.misc.cr3-target-count");
  });

  it("restore.misc.max-msr-list-size: a larger recommended MSR-list size is rejected", () => {
    const msrs = new Map(KVM).set(MISC, misc | (2n << 25n));
    const size = (n: bigint): bigint => (misc & ~(0x7n << 25n)) | (n << 25n);
    expect(one(MISC, size(3n), undefined, msrs)).toBe("restore.misc.max-msr-list-size");
    expect(one(MISC, size(2n), undefined, msrs)).toBe("accepted");
    expect(one(MISC, size(0n), undefined, msrs)).toBe("accepted");
    const result = audit([{ index: MISC, value: size(1n) }]).results[0]!;
    expect(result.reason).toBe("MSR-list size 1 (1024 entries) is more than the supported 0 (512 entries)");
  });

  it("restore.misc.mseg-revision-id: the MSEG revision identifier must be equal", () => {
    expect(one(MISC, misc | (1n << 32n))).toBe("restore.misc.mseg-revision-id");
    const msrs = new Map(KVM).set(MISC, misc | (7n << 32n));
    expect(one(MISC, misc | (6n << 32n), undefined, msrs)).toBe("restore.misc.mseg-revision-id");
    expect(one(MISC, misc | (7n << 32n), undefined, msrs)).toBe("accepted");
  });
});

describe("IA32_VMX_CR0_FIXED0 / IA32_VMX_CR4_FIXED0 (vmx_restore_fixed0_msr)", () => {
  it("accepts the supported value and any superset", () => {
    expect(one(CR0_FIXED0, sup(CR0_FIXED0))).toBe("accepted");
    expect(one(CR0_FIXED0, sup(CR0_FIXED0) | bit(3))).toBe("accepted"); // CR0.TS
    expect(one(CR4_FIXED0, sup(CR4_FIXED0))).toBe("accepted");
    expect(one(CR4_FIXED0, (1n << 64n) - 1n)).toBe("accepted");
  });

  it("restore.fixed0.must-be-1: clearing a supported fixed-1 bit is rejected", () => {
    expect(one(CR0_FIXED0, sup(CR0_FIXED0) & ~bit(0))).toBe("restore.fixed0.must-be-1"); // CR0.PE
    expect(one(CR0_FIXED0, sup(CR0_FIXED0) & ~bit(31))).toBe("restore.fixed0.must-be-1"); // CR0.PG
    const result = audit([{ index: CR4_FIXED0, value: 0n }]).results[0]!;
    expect(result.rule).toBe("restore.fixed0.must-be-1");
    expect(result.reason).toBe(
      "bit 13 (X86_CR4_VMXE) = 0x2000 cleared: CR4 bits the supported value 0x2000 fixes to 1 in VMX operation must stay 1",
    );
  });
});

describe("IA32_VMX_CR0_FIXED1 / IA32_VMX_CR4_FIXED1 (restore.fixed1.cpuid-derived)", () => {
  it("rejects every write and reads back the supported (CPUID-derived) value", () => {
    const result = audit([
      { index: CR0_FIXED1, value: sup(CR0_FIXED1) },
      { index: CR4_FIXED1, value: 0n },
    ]);
    expect(result.results.map((r) => r.rule)).toEqual(["restore.fixed1.cpuid-derived", "restore.fixed1.cpuid-derived"]);
    expect(readBack(result, CR0_FIXED1)).toBe(sup(CR0_FIXED1));
    expect(readBack(result, CR4_FIXED1)).toBe(sup(CR4_FIXED1));
  });
});

describe("IA32_VMX_EPT_VPID_CAP (vmx_restore_vmx_ept_vpid_cap)", () => {
  const cap = sup(EPT_VPID_CAP); // 0xf0106334041

  it("accepts the supported value and every value with one supported bit cleared", () => {
    expect(one(EPT_VPID_CAP, cap)).toBe("accepted");
    for (const b of setBits(cap)) expect(one(EPT_VPID_CAP, cap & ~bit(b)), `bit ${b}`).toBe("accepted");
  });

  it("restore.ept-vpid-cap.subset: the first EPT bit and the first VPID bit outside the supported value are rejected", () => {
    expect(one(EPT_VPID_CAP, cap | bit(lowestSetBit(~cap & 0xffffffffn)))).toBe("restore.ept-vpid-cap.subset");
    expect(one(EPT_VPID_CAP, cap | bit(lowestSetBit(~cap & (0xffffffffn << 32n))))).toBe("restore.ept-vpid-cap.subset");
    const result = audit([{ index: EPT_VPID_CAP, value: cap | bit(7) }]).results[0]!;
    expect(result.reason).toBe("bit 7 (VMX_EPT_PAGE_WALK_5_BIT) = 0x80 set, which the supported value 0xf0106334041 does not report");
  });

  it("keeps ept_caps and vpid_caps (bits 31:0 and 63:32) apart and reads them back together", () => {
    const value = cap & ~bit(32) & ~bit(6);
    const result = audit([{ index: EPT_VPID_CAP, value }]);
    expect(readBack(result, EPT_VPID_CAP)).toBe(value);
  });
});

describe("IA32_VMX_VMCS_ENUM", () => {
  it("accepts any value and reads it back (vmx_save_restore_msrs_test: 0 and -1ull)", () => {
    const result = audit([
      { index: VMCS_ENUM, value: 0n },
      { index: VMCS_ENUM, value: (1n << 64n) - 1n },
    ]);
    expect(result.results.every((r) => r.accepted)).toBe(true);
    expect(readBack(result, VMCS_ENUM)).toBe((1n << 64n) - 1n);
  });
});

describe("IA32_VMX_VMFUNC", () => {
  it("restore.vmfunc.subset: a subset of the supported VM functions is accepted, anything else rejected", () => {
    expect(one(VMFUNC, 0n)).toBe("accepted");
    expect(one(VMFUNC, 1n)).toBe("accepted");
    expect(one(VMFUNC, 2n)).toBe("restore.vmfunc.subset");
    expect(one(VMFUNC, bit(63))).toBe("restore.vmfunc.subset");
  });

  it("is not gated on the secondary controls: VMFUNC is restored even after ENABLE_VMFUNC is withdrawn", () => {
    const result = audit([
      { index: PROCBASED2, value: sup(PROCBASED2) & ~bit(32 + 13) },
      { index: VMFUNC, value: 1n },
    ]);
    expect(result.results.every((r) => r.accepted)).toBe(true);
    expect(readBack(result, VMFUNC)).toBe(1n);
  });

  it("rejects everything but 0 where KVM supports no VM function", () => {
    const msrs = new Map(KVM);
    msrs.delete(VMFUNC);
    expect(one(VMFUNC, 0n, undefined, msrs)).toBe("accepted");
    expect(one(VMFUNC, 1n, undefined, msrs)).toBe("restore.vmfunc.subset");
  });
});

describe("492H and 493H (restore.msr-not-emulated)", () => {
  it("rejects every write, 0 included, and neither appears in the read-back", () => {
    const result = audit([
      { index: PROCBASED3, value: 0n },
      { index: EXIT2, value: 3n },
    ]);
    expect(result.results.map((r) => r.rule)).toEqual(["restore.msr-not-emulated", "restore.msr-not-emulated"]);
    expect(readBack(result, PROCBASED3)).toBeUndefined();
    expect(readBack(result, EXIT2)).toBeUndefined();
    expect(RESTORE_RULE_BY_ID.get("restore.msr-not-emulated")!.kvmReturn).toBe("KVM_MSR_RET_UNSUPPORTED");
  });

  it("is outside KVM's immutable-MSR range: vcpuHasRun and vmxon do not change the outcome", () => {
    expect(one(PROCBASED3, 1n, { vcpuHasRun: true, vmxon: true })).toBe("restore.msr-not-emulated");
  });
});

describe("MSRs that are not VMX capability MSRs", () => {
  it("are unusable input", () => {
    expect(() => auditRestore(KVM, [{ index: 0xc0000080, value: 0n }])).toThrow(RangeError);
    expect(() => auditRestore(KVM, [{ index: 0x47f, value: 0n }])).toThrow(/not a VMX capability MSR/);
    expect(() => auditRestore(KVM, [{ index: 0x494, value: 0n }])).toThrow(RangeError);
  });
});

describe("after KVM_RUN (KVM: x86: Disallow writes to immutable feature MSRs after KVM_RUN)", () => {
  it("restore.vcpu-has-run: a value other than the one the MSR reads is rejected", () => {
    const result = audit([{ index: BASIC, value: sup(BASIC) & ~bit(55) }], { vcpuHasRun: true }).results[0]!;
    expect(result.rule).toBe("restore.vcpu-has-run");
    expect(result.reason).toBe(
      "the vCPU has already run (or L2 is active), so KVM accepts only the value IA32_VMX_BASIC reads now, " +
        "0xd8100011e57ed0; 0x58100011e57ed0 differs in bit 55 = 0x80000000000000",
    );
    expect(RESTORE_RULE_BY_ID.get("restore.vcpu-has-run")!.kvmReturn).toBe("-EINVAL");
  });

  it("KVM: x86: Allow, don't ignore, same-value writes to immutable MSRs: the same value goes through the normal checks", () => {
    for (const index of RESTORABLE) expect(one(index, sup(index), { vcpuHasRun: true }), index.toString(16)).toBe("accepted");
    // The read value of a derived MSR passes the immutability check and is refused by vmx_set_vmx_msr().
    expect(one(PINBASED, sup(PINBASED), { vcpuHasRun: true })).toBe("restore.controls.non-true-derived");
    expect(one(CR0_FIXED1, sup(CR0_FIXED1), { vcpuHasRun: true })).toBe("restore.fixed1.cpuid-derived");
    expect(one(PINBASED, 0n, { vcpuHasRun: true })).toBe("restore.vcpu-has-run");
  });
});

describe("in VMX operation (restore.vmxon)", () => {
  it("rejects every write of an emulated MSR with -EBUSY, the current value included", () => {
    for (const index of [...RESTORABLE, PINBASED, CR0_FIXED1]) expect(one(index, sup(index), { vmxon: true }), index.toString(16)).toBe("restore.vmxon");
    expect(RESTORE_RULE_BY_ID.get("restore.vmxon")!.kvmReturn).toBe("-EBUSY");
  });

  it("the immutability check of do_set_msr() comes first", () => {
    expect(one(BASIC, 0n, { vmxon: true, vcpuHasRun: true })).toBe("restore.vcpu-has-run");
    expect(one(BASIC, sup(BASIC), { vmxon: true, vcpuHasRun: true })).toBe("restore.vmxon");
  });
});

describe("sequential semantics (KVM: nVMX: Let userspace set nVMX MSR to any _host_ supported value)", () => {
  it("a value lowered by one write can be raised back to the supported one by the next", () => {
    const writes: RestoreWrite[] = [
      { index: TRUE_PROCBASED, value: sup(TRUE_PROCBASED) & ~(0xffn << 40n) },
      { index: TRUE_PROCBASED, value: sup(TRUE_PROCBASED) },
      { index: MISC, value: sup(MISC) & ~bit(6) },
      { index: MISC, value: sup(MISC) },
      { index: EPT_VPID_CAP, value: 0n },
      { index: EPT_VPID_CAP, value: sup(EPT_VPID_CAP) },
      { index: VMFUNC, value: 0n },
      { index: VMFUNC, value: 1n },
      { index: BASIC, value: sup(BASIC) & ~bit(54) },
      { index: BASIC, value: sup(BASIC) },
      { index: CR0_FIXED0, value: sup(CR0_FIXED0) | bit(3) },
      { index: CR0_FIXED0, value: sup(CR0_FIXED0) },
    ];
    const result = audit(writes);
    expect(result.results.every((r) => r.accepted)).toBe(true);
    for (const index of [TRUE_PROCBASED, MISC, EPT_VPID_CAP, VMFUNC, BASIC, CR0_FIXED0]) expect(readBack(result, index)).toBe(sup(index));
  });

  it("a value raised above the supported one (VMCS size) can be lowered back", () => {
    const bigger = sup(BASIC) + (1n << 32n);
    const result = audit([
      { index: BASIC, value: bigger },
      { index: BASIC, value: sup(BASIC) },
    ]);
    expect(result.results.every((r) => r.accepted)).toBe(true);
  });

  it("a rejected write leaves the earlier value in place", () => {
    const lowered = sup(TRUE_EXIT) & ~bit(32 + 21);
    const result = audit([
      { index: TRUE_EXIT, value: lowered },
      { index: TRUE_EXIT, value: lowered | bit(63) },
    ]);
    expect(result.results.map((r) => r.accepted)).toEqual([true, false]);
    expect(readBack(result, TRUE_EXIT)).toBe(lowered);
    expect(readBack(result, EXIT)).toBe(lowered | BigInt(CONTROL_WORD_MASKS.exit.default1Lo));
  });
});

describe("vmx_save_restore_msrs_test (tools/testing/selftests/kvm/x86/vmx_msrs_test.c)", () => {
  // vmx_fixed1_msr_test(): clear each set bit of mask & value, then restore the value.
  function fixed1Writes(index: number, mask: bigint): RestoreWrite[] {
    const value = sup(index);
    return setBits(mask & value).flatMap((b) => [
      { index, value: value & ~bit(b) },
      { index, value },
    ]);
  }
  // vmx_fixed0_msr_test(): set each clear bit of mask, then restore the value.
  function fixed0Writes(index: number, mask: bigint): RestoreWrite[] {
    const value = sup(index);
    return setBits(mask & ~value).flatMap((b) => [
      { index, value: value | bit(b) },
      { index, value },
    ]);
  }
  const low = 0xffffffffn;
  const high = 0xffffffffn << 32n;
  const all = (1n << 64n) - 1n;

  it("every write of the selftest is accepted against kvm-nested-observed", () => {
    const writes: RestoreWrite[] = [
      { index: VMCS_ENUM, value: 0n },
      { index: VMCS_ENUM, value: all },
      ...fixed1Writes(BASIC, bit(49) | bit(54) | bit(55)),
      ...fixed1Writes(MISC, bit(5) | (0x7n << 6n) | bit(14) | bit(15) | bit(28) | bit(29) | bit(30)),
      ...fixed0Writes(PROCBASED2, low),
      ...fixed1Writes(PROCBASED2, high),
      ...fixed1Writes(EPT_VPID_CAP, all),
      ...[TRUE_PINBASED, TRUE_PROCBASED, TRUE_EXIT, TRUE_ENTRY].flatMap((index) => [...fixed0Writes(index, low), ...fixed1Writes(index, high)]),
      ...fixed1Writes(VMFUNC, all),
    ];
    expect(writes.length).toBeGreaterThan(300);
    const result = audit(writes);
    expect(result.results.filter((r) => !r.accepted)).toEqual([]);
  });
});

describe("read-back (vmx_get_vmx_msr)", () => {
  it("lists 480H–491H in index order", () => {
    const result = audit([]);
    expect(result.readBack.map((r) => r.index)).toEqual(Array.from({ length: 18 }, (_, i) => 0x480 + i));
    expect(result.readBack[0]!.msr).toBe("IA32_VMX_BASIC");
  });

  it("untouched, reads what kvm-nested-observed reports", () => {
    for (const r of audit([]).readBack) expect(r.value, r.msr).toBe(sup(r.index));
  });

  it("the default1 classes ORed into the non-TRUE MSRs are KVM's *_ALWAYSON_WITHOUT_TRUE_MSR", () => {
    expect(CONTROL_WORD_MASKS.pin.default1Lo >>> 0).toBe(0x00000016);
    expect(CONTROL_WORD_MASKS.proc.default1Lo >>> 0).toBe(0x0401e172);
    expect(CONTROL_WORD_MASKS.exit.default1Lo >>> 0).toBe(0x00036dff);
    expect(CONTROL_WORD_MASKS.entry.default1Lo >>> 0).toBe(0x000011ff);
  });

  it("derives each non-TRUE control MSR from the restored TRUE one, ORing default1 into bits 31:0 only", () => {
    const pairs: [number, number, keyof typeof CONTROL_WORD_MASKS][] = [
      [TRUE_PINBASED, PINBASED, "pin"],
      [TRUE_PROCBASED, PROCBASED, "proc"],
      [TRUE_EXIT, EXIT, "exit"],
      [TRUE_ENTRY, ENTRY, "entry"],
    ];
    for (const [trueIndex, index, word] of pairs) {
      const restored = sup(trueIndex) & ~bit(lowestSetBit(sup(trueIndex) >> 32n) + 32);
      const result = audit([{ index: trueIndex, value: restored }]);
      expect(readBack(result, trueIndex)).toBe(restored);
      expect(readBack(result, index)).toBe(restored | BigInt(CONTROL_WORD_MASKS[word].default1Lo >>> 0));
    }
  });

  it("a default1 control withdrawn from the TRUE MSR reads as must-be-1 and must-be-0 at once in the non-TRUE MSR", () => {
    // CPU_BASED_CR3_LOAD_EXITING (bit 15) no longer allowed-1: KVM does not touch bits 63:32.
    const restored = sup(TRUE_PROCBASED) & ~bit(32 + 15);
    const value = readBack(audit([{ index: TRUE_PROCBASED, value: restored }]), PROCBASED)!;
    expect(value & bit(15)).toBe(bit(15));
    expect(value & bit(32 + 15)).toBe(0n);
  });

  it("describes a CPU without TRUE MSRs by its non-TRUE ones", () => {
    const msrs = new Map(KVM);
    for (const index of [TRUE_PINBASED, TRUE_PROCBASED, TRUE_EXIT, TRUE_ENTRY]) msrs.delete(index);
    const result = audit([], undefined, msrs);
    expect(readBack(result, TRUE_PROCBASED)).toBe(sup(PROCBASED));
    expect(readBack(result, PROCBASED)).toBe(sup(PROCBASED));
    expect(one(TRUE_PROCBASED, sup(TRUE_PROCBASED), undefined, msrs)).toBe("restore.controls.must-be-1");
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/** KVM's supported value: a TRUE control MSR falls back to its non-TRUE MSR, anything else to 0. */
function supportedOf(index: number, msrs: ReadonlyMap<number, bigint>): bigint {
  const nonTrue = new Map([[TRUE_PINBASED, PINBASED], [TRUE_PROCBASED, PROCBASED], [TRUE_EXIT, EXIT], [TRUE_ENTRY, ENTRY]]).get(index);
  return msrs.get(index) ?? (nonTrue === undefined ? undefined : msrs.get(nonTrue)) ?? 0n;
}

/** An independent statement of each rule: is `value` acceptable for `index` against `supported`? */
function reference(index: number, value: bigint, supported: ReadonlyMap<number, bigint>, pinHigh: bigint): boolean {
  const s = supportedOf(index, supported);
  const field = (v: bigint, lsb: number, width: number): bigint => (v >> BigInt(lsb)) & ((1n << BigInt(width)) - 1n);
  const subset = (v: bigint, of: bigint, mask: bigint): boolean => (v & mask & ~of) === 0n;
  switch (index) {
    case BASIC:
      return (
        subset(value, s, KVM_BASIC_FEATURE_BITS | KVM_BASIC_RESERVED_BITS) &&
        (value & bit(48)) === 0n &&
        field(value, 0, 31) === field(s, 0, 31) &&
        field(value, 32, 13) >= field(s, 32, 13)
      );
    case MISC:
      return (
        subset(value, s, KVM_MISC_FEATURE_BITS | KVM_MISC_RESERVED_BITS) &&
        ((pinHigh & bit(6)) === 0n || field(value, 0, 5) === field(s, 0, 5)) &&
        field(value, 16, 9) <= field(s, 16, 9) &&
        field(value, 25, 3) <= field(s, 25, 3) &&
        field(value, 32, 32) === field(s, 32, 32)
      );
    case CR0_FIXED0:
    case CR4_FIXED0:
      return (s & ~value) === 0n;
    case VMCS_ENUM:
      return true;
    case EPT_VPID_CAP:
    case VMFUNC:
      return (value & ~s) === 0n;
    default:
      // The control MSRs: must-be-1 kept, allowed-1 a subset.
      return (s & 0xffffffffn & ~value) === 0n && subset(value, s, 0xffffffffn << 32n);
  }
}

const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

/** A value near `s`: `s` with a few bits flipped, or anything. */
function near(s: bigint): fc.Arbitrary<bigint> {
  return fc.oneof(
    fc.array(fc.integer({ min: 0, max: 63 }), { maxLength: 3 }).map((bits) => bits.reduce((v, b) => v ^ bit(b), s)),
    u64,
  );
}

const PROFILES = BUILTIN_PROFILES.map((profile) => ({ name: profile.name, msrs: parseCpuJson({ profile: profile.name }, "t").msrs })).filter(
  ({ msrs }) => ((msrs.get(BASIC) ?? 0n) & bit(48)) === 0n,
);

describe("properties", () => {
  it("restoring the supported value of every restorable MSR is accepted, on every built-in profile", () => {
    expect(PROFILES.length).toBeGreaterThan(1);
    for (const { name, msrs } of PROFILES) {
      const result = audit(RESTORABLE.map((index) => ({ index, value: supportedOf(index, msrs) })), undefined, msrs);
      expect(result.results.filter((r) => !r.accepted), name).toEqual([]);
    }
  });

  it("the MSRs KVM derives or does not emulate reject even their supported value", () => {
    const expected: [number, string][] = [
      [PINBASED, "restore.controls.non-true-derived"],
      [PROCBASED, "restore.controls.non-true-derived"],
      [EXIT, "restore.controls.non-true-derived"],
      [ENTRY, "restore.controls.non-true-derived"],
      [CR0_FIXED1, "restore.fixed1.cpuid-derived"],
      [CR4_FIXED1, "restore.fixed1.cpuid-derived"],
      [PROCBASED3, "restore.msr-not-emulated"],
      [EXIT2, "restore.msr-not-emulated"],
    ];
    for (const { msrs } of PROFILES) for (const [index, rule] of expected) expect(one(index, msrs.get(index) ?? 0n, undefined, msrs)).toBe(rule);
  });

  it("a single write is accepted exactly when it is a subset in the sense of its rule", () => {
    const cases = fc
      .constantFrom(...PROFILES)
      .chain(({ name, msrs }) =>
        fc.constantFrom(...RESTORABLE).chain((index) => near(supportedOf(index, msrs)).map((value) => ({ name, msrs, index, value }))),
      );
    fc.assert(
      fc.property(cases, ({ name, msrs, index, value }) => {
        const accepted = auditRestore(msrs, [{ index, value }]).results[0]!.accepted;
        const pin = supportedOf(TRUE_PINBASED, msrs);
        expect(accepted, `${name}: ${index.toString(16)} = ${value.toString(16)}`).toBe(reference(index, value, msrs, pin >> 32n));
      }),
      { numRuns: 2000 },
    );
  });

  it("in a sequence, every accepted write is a subset of the supported value and the read-back is the last accepted write", () => {
    const write = fc.constantFrom(...RESTORABLE).chain((index) => near(sup(index)).map((value) => ({ index, value })));
    fc.assert(
      fc.property(fc.array(write, { maxLength: 12 }), (writes) => {
        const result = auditRestore(KVM, writes);
        let pin = sup(TRUE_PINBASED);
        const last = new Map<number, bigint>();
        result.results.forEach((r, i) => {
          expect(r.accepted).toBe(reference(r.index, r.value, KVM, pin >> 32n));
          expect(r.rule === undefined).toBe(r.accepted);
          if (r.accepted) {
            last.set(r.index, writes[i]!.value);
            if (r.index === TRUE_PINBASED) pin = r.value;
          }
        });
        for (const index of RESTORABLE) expect(readBack(result, index)).toBe(last.get(index) ?? sup(index));
      }),
      { numRuns: 500 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// The rule table
// ---------------------------------------------------------------------------------------------

describe("RESTORE_RULES", () => {
  it("ids are unique and dotted", () => {
    const ids = RESTORE_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^restore(\.[a-z0-9-]+)+$/);
  });

  it("every rule cites known SDM sections, a KVM function and at least one commit", () => {
    for (const rule of RESTORE_RULES) {
      for (const section of rule.sdm) expect(SDM_SECTIONS).toHaveProperty([section]);
      expect(rule.kvmFunction).toMatch(/^[a-z_0-9]+$/);
      expect(rule.kvmFile).toMatch(/^arch\/x86\/kvm\//);
      expect(rule.commits.length).toBeGreaterThan(0);
    }
  });

  it("every rule applies to some MSR of 480H–493H", () => {
    const applied = new Set<string>();
    for (let index = 0x480; index <= 0x493; index++) for (const id of restoreRulesFor(index) ?? []) applied.add(id);
    expect([...applied].sort()).toEqual(RESTORE_RULES.map((rule) => rule.id).sort());
    expect(restoreRulesFor(0x494)).toBeUndefined();
  });

});

// Last in the file: vitest runs a file's tests in order, so every case above has run by now.
describe("coverage of RESTORE_RULES", () => {
  it("every rule id is exercised by at least one failing case in this file", () => {
    expect(RESTORE_RULES.length).toBe(19);
    expect(RESTORE_RULES.map((rule) => rule.id).filter((id) => !failedRules.has(id))).toEqual([]);
  });
});
