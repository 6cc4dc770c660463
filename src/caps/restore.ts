/**
 * `nvmx caps restore` (CONTRACT.md §4): how KVM's nested VMX audits host-initiated writes of the
 * VMX capability MSRs — userspace restoring, with KVM_SET_MSRS, the values it saved on the
 * migration source — and what L1 reads from every capability MSR afterwards.
 *
 * KVM keeps two copies of the capability MSRs: `vmcs_config.nested`, what KVM supports for L1
 * (here: the `supported` values), and `vmx->nested.msrs`, what this vCPU's L1 sees (here: the
 * state the writes build, starting from the supported values). Every write is audited against
 * the *supported* copy, so a value lowered by one write may be raised back by a later one; only
 * the preemption-timer rule of IA32_VMX_MISC reads the vCPU's copy (its pin-based controls).
 *
 * Every rule is a record of {@link RESTORE_RULES} with a stable dotted id, the KVM function and
 * commit it comes from, the Appendix A section of the MSR, a predicate and one message renderer.
 *
 * Modelled source: {@link KVM_RESTORE_SOURCE}. Each write is modelled as its own KVM_SET_MSRS
 * call with one entry: a rejected write leaves the state as it was and later writes still apply
 * (one KVM_SET_MSRS call with several entries stops at the first failing entry).
 */
import { CONTROL_WORDS, CONTROL_WORD_IDS, CONTROL_WORD_MASKS, type ControlBitDef, type ControlWordDef, type ControlWordId } from "../arch/controls.js";
import { MSR_BY_INDEX, MSR_BY_NAME, MSR_LAYOUTS, VMX_MISC_MSR_LIST_MULTIPLIER, layoutBitDef, layoutFieldDef, type MsrBitDef, type MsrFieldDef, type MsrName } from "../arch/msrs.js";
import { bitMask, fieldMask, fieldValue } from "../arch/bits.js";
import { CR0_BITS, CR4_BITS } from "../arch/registers.js";
import type { SdmSection } from "../arch/sdm.js";
import { formatHexBig } from "../u64/halves.js";

/**
 * The KVM source modelled: arch/x86/kvm/vmx/nested.c of kvm-x86/linux at
 * 1a27afa0511e404fd87c1a5e643945940ef72f90 (after the CET series added
 * VMX_BASIC_NO_HW_ERROR_CODE_CC, 6.18), and arch/x86/kvm/x86.c `do_set_msr()` after
 * "KVM: x86: Disallow setting CPUID and/or feature MSRs if L2 is active" (January 2026).
 */
export const KVM_RESTORE_SOURCE =
  "Linux arch/x86/kvm/vmx/nested.c (kvm-x86/linux 1a27afa0511e, with VMX_BASIC_NO_HW_ERROR_CODE_CC) and " +
  "arch/x86/kvm/x86.c do_set_msr() after \"KVM: x86: Disallow setting CPUID and/or feature MSRs if L2 is active\"";

/** One host-initiated write: an MSR index and the value userspace restores. */
export interface RestoreWrite {
  readonly index: number;
  readonly value: bigint;
}

/** The state of the vCPU when userspace writes the MSRs. */
export interface RestoreOptions {
  /**
   * The vCPU has entered the guest (KVM_RUN) at least once, or L2 is active (after
   * KVM_SET_NESTED_STATE): KVM then accepts only writes of the value the MSR reads now
   * (`kvm_can_set_cpuid_and_feature_msrs()`). Default false: a freshly created vCPU on the
   * migration destination.
   */
  readonly vcpuHasRun?: boolean;
  /**
   * L1 is in VMX operation (`vmx->nested.vmxon`, e.g. restored by KVM_SET_NESTED_STATE): KVM
   * refuses every change with -EBUSY. Default false.
   */
  readonly vmxon?: boolean;
}

/** The structured part of a rejection: what was compared with what. Values are 64-bit. */
export interface RestoreFailureDetail {
  /** The value the write was audited against (KVM's supported value, or the current one). */
  readonly against: bigint;
  /** The bits of the written value that break the rule. */
  readonly offending?: bigint;
  /** The sub-field compared (a name of {@link MSR_LAYOUTS}), with both values. */
  readonly field?: string;
  readonly actual?: bigint;
  readonly required?: bigint;
}

/** The outcome of one write. */
export interface RestoreResult {
  /** The SDM name of the MSR. */
  readonly msr: string;
  readonly index: number;
  readonly value: bigint;
  readonly accepted: boolean;
  /** The id of the rule that rejected the write (a key of {@link RESTORE_RULE_BY_ID}). */
  readonly rule?: RestoreRuleId;
  /** One sentence naming the offending bits or values in hex. */
  readonly reason?: string;
  readonly detail?: RestoreFailureDetail;
}

/** One capability MSR as L1 reads it (RDMSR in L1, or KVM_GET_MSRS). */
export interface RestoreReadBack {
  readonly msr: string;
  readonly index: number;
  readonly value: bigint;
}

/** The result of a sequence of writes. */
export interface RestoreAudit {
  readonly results: readonly RestoreResult[];
  /**
   * What L1 reads afterwards from every capability MSR KVM emulates: 480H–491H, all of which KVM
   * answers whatever IA32_VMX_BASIC[55] and the secondary controls say. IA32_VMX_PROCBASED_CTLS3
   * (492H) and IA32_VMX_EXIT_CTLS2 (493H) are absent: KVM does not emulate them and L1's RDMSR
   * of either raises #GP.
   */
  readonly readBack: readonly RestoreReadBack[];
}

/** What KVM_SET_MSRS reports for a rejected write. */
export type KvmMsrReturn = "-EINVAL" | "-EBUSY" | "KVM_MSR_RET_UNSUPPORTED";

// ---------------------------------------------------------------------------------------------
// KVM's state: vmcs_config.nested and vmx->nested.msrs
// ---------------------------------------------------------------------------------------------

function msrIndex(name: MsrName): number {
  return MSR_BY_NAME.get(name)!.index;
}

const BASIC = msrIndex("IA32_VMX_BASIC");
const MISC = msrIndex("IA32_VMX_MISC");
const CR0_FIXED0 = msrIndex("IA32_VMX_CR0_FIXED0");
const CR0_FIXED1 = msrIndex("IA32_VMX_CR0_FIXED1");
const CR4_FIXED0 = msrIndex("IA32_VMX_CR4_FIXED0");
const CR4_FIXED1 = msrIndex("IA32_VMX_CR4_FIXED1");
const VMCS_ENUM = msrIndex("IA32_VMX_VMCS_ENUM");
const PROCBASED2 = msrIndex("IA32_VMX_PROCBASED_CTLS2");
const EPT_VPID_CAP = msrIndex("IA32_VMX_EPT_VPID_CAP");
const TRUE_PINBASED = msrIndex("IA32_VMX_TRUE_PINBASED_CTLS");
const VMFUNC = msrIndex("IA32_VMX_VMFUNC");
const PROCBASED3 = msrIndex("IA32_VMX_PROCBASED_CTLS3");
const EXIT2 = msrIndex("IA32_VMX_EXIT_CTLS2");

/** The control words KVM restores through a TRUE MSR, with both MSRs' indices (from CONTROL_WORDS). */
const TRUE_WORDS: readonly { readonly word: ControlWordId; readonly trueIndex: number; readonly nonTrueIndex: number }[] = CONTROL_WORD_IDS.flatMap(
  (word) => {
    const def: ControlWordDef = CONTROL_WORDS[word];
    return def.trueCapabilityMsr === undefined
      ? []
      : [{ word, trueIndex: msrIndex(def.trueCapabilityMsr as MsrName), nonTrueIndex: msrIndex(def.capabilityMsr as MsrName) }];
  },
);

/**
 * KVM_FIRST_EMULATED_VMX_MSR … KVM_LAST_EMULATED_VMX_MSR (arch/x86/kvm/x86.h): the capability
 * MSRs vmx_set_msr() hands to vmx_set_vmx_msr() and that do_set_msr() treats as immutable once
 * the vCPU has run. KVM exposes no nested tertiary or secondary VM-exit controls, so 492H and
 * 493H are outside it.
 */
const KVM_FIRST_EMULATED_VMX_MSR = BASIC;
const KVM_LAST_EMULATED_VMX_MSR = VMFUNC;

/**
 * KVM stores each of the four control words with a TRUE MSR once, in its TRUE form
 * (`pinbased_ctls_low/high` …); the non-TRUE MSR is derived on read. TRUE MSR → non-TRUE MSR.
 */
const TRUE_TO_NON_TRUE: ReadonlyMap<number, number> = new Map(TRUE_WORDS.map((w) => [w.trueIndex, w.nonTrueIndex]));

/** Non-TRUE control MSR → its TRUE MSR and the word whose default1 class vmx_get_vmx_msr() ORs in. */
const NON_TRUE: ReadonlyMap<number, { readonly word: ControlWordId; readonly trueIndex: number }> = new Map(
  TRUE_WORDS.map((w) => [w.nonTrueIndex, { word: w.word, trueIndex: w.trueIndex }]),
);

/** The word of each MSR that vmx_restore_control_msr() audits: the TRUE MSRs and PROCBASED_CTLS2. */
const RESTORED_CONTROL_WORD: ReadonlyMap<number, ControlWordId> = new Map<number, ControlWordId>([
  ...TRUE_WORDS.map((w) => [w.trueIndex, w.word] as const),
  [PROCBASED2, "proc2"],
]);

/** The MSRs KVM stores (`struct nested_vmx_msrs`), keyed by the MSR a field is restored through. */
const STORED_MSRS: readonly number[] = [
  BASIC, MISC, CR0_FIXED0, CR0_FIXED1, CR4_FIXED0, CR4_FIXED1, VMCS_ENUM, PROCBASED2, EPT_VPID_CAP, VMFUNC,
  ...TRUE_WORDS.map((w) => w.trueIndex),
];

type NestedMsrs = Map<number, bigint>;

/**
 * KVM's `vmcs_config.nested` from the CPU's MSRs. A control word comes from its TRUE MSR; where
 * the description has no TRUE MSR (a CPU with IA32_VMX_BASIC[55] = 0) from the non-TRUE one,
 * whose must-be-1 default1 bits are the conservative reading. Absent MSRs are 0, as KVM's
 * zero-initialised structure is for a feature it does not support.
 */
function nestedConfig(supported: ReadonlyMap<number, bigint>): NestedMsrs {
  const config: NestedMsrs = new Map();
  for (const index of STORED_MSRS) {
    const nonTrue = TRUE_TO_NON_TRUE.get(index);
    const value = supported.get(index) ?? (nonTrue === undefined ? undefined : supported.get(nonTrue));
    config.set(index, BigInt.asUintN(64, value ?? 0n));
  }
  return config;
}

function stored(msrs: ReadonlyMap<number, bigint>, index: number): bigint {
  return msrs.get(index) ?? 0n;
}

/**
 * vmx_get_vmx_msr(): what the MSR reads. The non-TRUE control MSRs are their TRUE value with the
 * default1 class ORed into bits 31:0 (`*_ALWAYSON_WITHOUT_TRUE_MSR`; the allowed-1 half is not
 * touched). Undefined for 492H/493H, which KVM does not emulate.
 */
function kvmReadMsr(msrs: ReadonlyMap<number, bigint>, index: number): bigint | undefined {
  const nonTrue = NON_TRUE.get(index);
  if (nonTrue !== undefined) return stored(msrs, nonTrue.trueIndex) | BigInt(CONTROL_WORD_MASKS[nonTrue.word].default1Lo >>> 0);
  if (index < KVM_FIRST_EMULATED_VMX_MSR || index > KVM_LAST_EMULATED_VMX_MSR) return undefined;
  return stored(msrs, index);
}

// ---------------------------------------------------------------------------------------------
// KVM's masks (nested.c); feature bits by their names in MSR_LAYOUTS
// ---------------------------------------------------------------------------------------------

/** KVM's GENMASK_ULL(msb, lsb). */
const genmask = (msb: number, lsb: number): bigint => fieldMask({ msb, lsb });
/** KVM's BIT_ULL(n). */
const bit = (n: number): bigint => bitMask({ bit: n });
const layoutBit = layoutBitDef;
const layoutField = layoutFieldDef;

function maskOfBits(layout: "IA32_VMX_BASIC" | "IA32_VMX_MISC", names: readonly string[]): bigint {
  return names.reduce((mask, name) => mask | bit(layoutBit(layout, name).bit), 0n);
}

/** vmx_restore_vmx_basic(): `feature_bits` — what userspace may clear but not add. */
export const KVM_BASIC_FEATURE_BITS: bigint = maskOfBits("IA32_VMX_BASIC", [
  "VMX_BASIC_DUAL_MONITOR_TREATMENT",
  "VMX_BASIC_INOUT",
  "VMX_BASIC_TRUE_CTLS",
  "VMX_BASIC_NO_HW_ERROR_CODE_CC",
]);
/** vmx_restore_vmx_basic(): `reserved_bits` = GENMASK(63, 57) | GENMASK(47, 45) | BIT(31). */
export const KVM_BASIC_RESERVED_BITS: bigint = genmask(63, 57) | genmask(47, 45) | bit(31);
const BASIC_32BIT_PHYS = layoutBit("IA32_VMX_BASIC", "VMX_BASIC_32BIT_PHYS_ADDR_ONLY");
const BASIC_REVISION = layoutField("IA32_VMX_BASIC", "VMX_BASIC_VMCS_REVISION_ID");
const BASIC_SIZE = layoutField("IA32_VMX_BASIC", "VMX_BASIC_VMCS_SIZE");

/** vmx_restore_vmx_misc(): `feature_bits` — every named bit of IA32_VMX_MISC. */
export const KVM_MISC_FEATURE_BITS: bigint = maskOfBits("IA32_VMX_MISC", [
  "VMX_MISC_SAVE_EFER_LMA",
  "VMX_MISC_ACTIVITY_HLT",
  "VMX_MISC_ACTIVITY_SHUTDOWN",
  "VMX_MISC_ACTIVITY_WAIT_SIPI",
  "VMX_MISC_INTEL_PT",
  "VMX_MISC_RDMSR_IN_SMM",
  "VMX_MISC_VMWRITE_SHADOW_RO_FIELDS",
  "VMX_MISC_VMXOFF_BLOCK_SMI",
  "VMX_MISC_ZERO_LEN_INS",
]);
/** vmx_restore_vmx_misc(): `reserved_bits` = BIT(31) | GENMASK(13, 9). */
export const KVM_MISC_RESERVED_BITS: bigint = bit(31) | genmask(13, 9);
const MISC_RATE = layoutField("IA32_VMX_MISC", "VMX_MISC_PREEMPTION_TIMER_RATE");
const MISC_CR3_COUNT = layoutField("IA32_VMX_MISC", "VMX_MISC_CR3_COUNT");
const MISC_MAX_MSR = layoutField("IA32_VMX_MISC", "VMX_MISC_MAX_MSR");
const MISC_MSEG = layoutField("IA32_VMX_MISC", "VMX_MISC_MSEG_REVID");

const PREEMPTION_TIMER_BIT = (CONTROL_WORDS.pin.bits as readonly ControlBitDef[]).find(
  (b) => b.name === "PIN_BASED_VMX_PREEMPTION_TIMER",
)!.bit;

const LOW_32 = genmask(31, 0);
const HIGH_32 = genmask(63, 32);
const ALL_64 = genmask(63, 0);

/** KVM's is_bitwise_subset(): within `mask`, every bit of `subset` is set in `superset`. */
function isBitwiseSubset(superset: bigint, subset: bigint, mask: bigint): boolean {
  return ((superset & mask) | (subset & mask)) === (superset & mask);
}

const fieldOf = fieldValue;

// ---------------------------------------------------------------------------------------------
// Naming bits in messages
// ---------------------------------------------------------------------------------------------

type BitNamer = (bit: number) => string | undefined;

function layoutNamer(layout: keyof typeof MSR_LAYOUTS): BitNamer {
  const def: { bits: readonly MsrBitDef[]; fields: readonly MsrFieldDef[] } = MSR_LAYOUTS[layout];
  return (b) =>
    def.bits.find((d) => d.bit === b)?.name ?? def.fields.find((f) => f.lsb <= b && b <= f.msb)?.name;
}

/**
 * A control MSR bit: in a 32-bit word's MSR, bits 31:0 and 63:32 both describe control bit
 * `b mod 32`; in a 64-bit word's MSR, bit `b` is control bit `b`.
 */
function controlNamer(word: ControlWordId): BitNamer {
  const def: ControlWordDef = CONTROL_WORDS[word];
  const wide = def.width === 64;
  return (b) => {
    const control = wide ? b : b % 32;
    const name = def.bits.find((d) => d.bit === control)?.name;
    const label = name ?? (def.default1.includes(control) ? "reserved, default1" : "reserved");
    return wide || b < 32 ? label : `control bit ${control}, ${label}`;
  };
}

function tableNamer(table: readonly { readonly name: string; readonly bit: number }[]): BitNamer {
  return (b) => table.find((d) => d.bit === b)?.name;
}

const MAX_NAMED_BITS = 6;

/**
 * `bit 48 (VMX_BASIC_32BIT_PHYS_ADDR_ONLY) = 0x1000000000000` or `bits 31 (reserved) and 57
 * (reserved) = 0x…`; without a namer, bare bit numbers.
 */
function describeBits(mask: bigint, namer?: BitNamer): string {
  const bits: number[] = [];
  for (let b = 0; b < 64; b++) if ((mask >> BigInt(b)) & 1n) bits.push(b);
  const named = bits.slice(0, MAX_NAMED_BITS).map((b) => (namer === undefined ? `${b}` : `${b} (${namer(b) ?? "reserved"})`));
  if (bits.length > MAX_NAMED_BITS) named.push(`${bits.length - MAX_NAMED_BITS} more`);
  const list = named.length === 1 ? named[0]! : `${named.slice(0, -1).join(", ")} and ${named.at(-1)!}`;
  return `${bits.length === 1 ? "bit" : "bits"} ${list} = ${formatHexBig(mask)}`;
}

const hex = formatHexBig;

// ---------------------------------------------------------------------------------------------
// The rules
// ---------------------------------------------------------------------------------------------

/** What a rule sees: the write, KVM's supported copy and the vCPU's current copy. */
export interface RestoreRuleContext {
  readonly index: number;
  readonly msr: string;
  readonly value: bigint;
  /** `vmcs_config.nested`, keyed by the MSR each value is restored through (control words by TRUE MSR). */
  readonly supported: ReadonlyMap<number, bigint>;
  /** `vmx->nested.msrs` as the earlier writes left it. */
  readonly current: ReadonlyMap<number, bigint>;
  readonly options: RestoreOptions;
}

/** One rule of KVM's restore audit. */
export interface RestoreRule {
  /** Stable dotted id; never renamed once released. */
  readonly id: string;
  /** The MSRs (SDM names) the rule applies to. */
  readonly msrs: readonly string[];
  readonly title: string;
  /** The KVM function that applies it. */
  readonly kvmFunction: string;
  /** The file of that function in the Linux tree. */
  readonly kvmFile: string;
  /**
   * Subjects of the Linux commits behind the rule: the one that introduced it, then those that
   * gave it its present form.
   */
  readonly commits: readonly string[];
  /** What KVM_SET_MSRS reports when the rule rejects a write. */
  readonly kvmReturn: KvmMsrReturn;
  /**
   * The Appendix A sections of the MSRs, when the rule enforces an architectural relation; empty
   * for rules that are KVM's alone (its vCPU-model and VMX-operation checks).
   */
  readonly sdm: readonly SdmSection[];
  /** Undefined when the write passes; the structured failure otherwise. */
  readonly check: (ctx: RestoreRuleContext) => RestoreFailureDetail | undefined;
  /** The one English rendering of a failure of this rule. */
  readonly message: (ctx: RestoreRuleContext, detail: RestoreFailureDetail) => string;
}

const RESTORE = "KVM: nVMX: support restore of VMX capability MSRs";
const HOST_SUPPORTED = "KVM: nVMX: Let userspace set nVMX MSR to any _host_ supported value";
const NESTED_C = "arch/x86/kvm/vmx/nested.c";

/** The SDM names of 480H–491H, the MSRs KVM emulates. */
const EMULATED_MSR_NAMES: readonly string[] = Array.from(
  { length: KVM_LAST_EMULATED_VMX_MSR - KVM_FIRST_EMULATED_VMX_MSR + 1 },
  (_, i) => MSR_BY_INDEX.get(KVM_FIRST_EMULATED_VMX_MSR + i)!.name,
);
const CONTROL_SECTIONS: readonly SdmSection[] = ["A.3.1", "A.3.2", "A.3.3", "A.4.1", "A.5"];
const CONTROL_MSRS = ["IA32_VMX_TRUE_PINBASED_CTLS", "IA32_VMX_TRUE_PROCBASED_CTLS", "IA32_VMX_TRUE_EXIT_CTLS", "IA32_VMX_TRUE_ENTRY_CTLS", "IA32_VMX_PROCBASED_CTLS2"];

function supportedValue(ctx: RestoreRuleContext): bigint {
  return stored(ctx.supported, ctx.index);
}

function controlWord(ctx: RestoreRuleContext): ControlWordId {
  return RESTORED_CONTROL_WORD.get(ctx.index)!;
}

/** Bits of `value` within `mask` that `allowed` lacks: the failure of a "subset of" rule. */
function extraBits(value: bigint, allowed: bigint, mask: bigint): RestoreFailureDetail | undefined {
  return isBitwiseSubset(allowed, value, mask) ? undefined : { against: allowed, offending: value & mask & ~allowed };
}

function fieldDetail(against: bigint, field: MsrFieldDef, actual: bigint, required: bigint): RestoreFailureDetail {
  return { against, field: field.name, actual, required };
}

/**
 * Every rule, in the order KVM applies them: do_set_msr()'s immutability check, the VMX-operation
 * check of vmx_set_vmx_msr(), then the per-MSR checks in the order of their functions.
 */
export const RESTORE_RULES = [
  {
    id: "restore.vcpu-has-run",
    msrs: EMULATED_MSR_NAMES,
    title: "After KVM_RUN (or while L2 is active) only a write of the current value is allowed",
    kvmFunction: "do_set_msr",
    kvmFile: "arch/x86/kvm/x86.c",
    commits: ["KVM: x86: Disallow writes to immutable feature MSRs after KVM_RUN", "KVM: x86: Allow, don't ignore, same-value writes to immutable MSRs", "KVM: x86: Disallow setting CPUID and/or feature MSRs if L2 is active"],
    kvmReturn: "-EINVAL",
    sdm: [],
    // A same-value write is not short-circuited: since "KVM: x86: Allow, don't ignore, same-value
    // writes to immutable MSRs" it falls through to vmx_set_vmx_msr() and its checks, so even the
    // read value of IA32_VMX_PINBASED_CTLS is still refused.
    check: (ctx) => {
      if (ctx.options.vcpuHasRun !== true) return undefined;
      const now = kvmReadMsr(ctx.current, ctx.index)!;
      return ctx.value === now ? undefined : { against: now, offending: ctx.value ^ now };
    },
    message: (ctx, d) =>
      `the vCPU has already run (or L2 is active), so KVM accepts only the value ${ctx.msr} reads now, ` +
      `${hex(d.against)}; ${hex(ctx.value)} differs in ${describeBits(d.offending!)}`,
  },
  {
    id: "restore.vmxon",
    msrs: EMULATED_MSR_NAMES,
    title: "No change while L1 is in VMX operation",
    kvmFunction: "vmx_set_vmx_msr",
    kvmFile: NESTED_C,
    commits: [RESTORE],
    kvmReturn: "-EBUSY",
    sdm: [],
    check: (ctx) => (ctx.options.vmxon === true ? { against: kvmReadMsr(ctx.current, ctx.index)! } : undefined),
    message: (ctx) => `L1 is in VMX operation (after VMXON): KVM refuses to change ${ctx.msr} until it leaves it`,
  },
  {
    id: "restore.basic.feature-or-reserved-bits",
    msrs: ["IA32_VMX_BASIC"],
    title: "Feature bits 49, 54, 55, 56 and reserved bits 31, 47:45, 63:57 a subset of the supported value",
    kvmFunction: "vmx_restore_vmx_basic",
    kvmFile: NESTED_C,
    commits: [RESTORE, HOST_SUPPORTED, "KVM: nVMX: Virtualize NO_HW_ERROR_CODE_CC for L1 event injection to L2"],
    kvmReturn: "-EINVAL",
    sdm: ["A.1"],
    check: (ctx) => extraBits(ctx.value, supportedValue(ctx), KVM_BASIC_FEATURE_BITS | KVM_BASIC_RESERVED_BITS),
    message: (_ctx, d) =>
      `${describeBits(d.offending!, layoutNamer("IA32_VMX_BASIC"))} set, which the supported value ${hex(d.against)} does not set: ` +
      "KVM lets userspace clear feature bits but not add them or reserved bits",
  },
  {
    id: "restore.basic.32bit-phys-addr-only",
    msrs: ["IA32_VMX_BASIC"],
    title: "Bit 48 (32-bit physical addresses only) must be 0",
    kvmFunction: "vmx_restore_vmx_basic",
    kvmFile: NESTED_C,
    commits: [RESTORE],
    kvmReturn: "-EINVAL",
    sdm: ["A.1"],
    check: (ctx) => ((ctx.value & bit(BASIC_32BIT_PHYS.bit)) !== 0n ? { against: supportedValue(ctx), offending: bit(BASIC_32BIT_PHYS.bit) } : undefined),
    message: (_ctx, d) =>
      `${describeBits(d.offending!, layoutNamer("IA32_VMX_BASIC"))} set: KVM does not emulate 32-bit-limited VMX structures`,
  },
  {
    id: "restore.basic.revision-id",
    msrs: ["IA32_VMX_BASIC"],
    title: "VMCS revision identifier (bits 30:0) equal to the supported one",
    kvmFunction: "vmx_restore_vmx_basic",
    kvmFile: NESTED_C,
    commits: [RESTORE, HOST_SUPPORTED],
    kvmReturn: "-EINVAL",
    sdm: ["A.1"],
    check: (ctx) => {
      const actual = fieldOf(ctx.value, BASIC_REVISION);
      const required = fieldOf(supportedValue(ctx), BASIC_REVISION);
      return actual === required ? undefined : fieldDetail(supportedValue(ctx), BASIC_REVISION, actual, required);
    },
    message: (_ctx, d) => `VMCS revision identifier ${hex(d.actual!)} differs from the supported ${hex(d.required!)}`,
  },
  {
    id: "restore.basic.vmcs-size",
    msrs: ["IA32_VMX_BASIC"],
    title: "VMCS region size (bits 44:32) not smaller than the supported one",
    kvmFunction: "vmx_restore_vmx_basic",
    kvmFile: NESTED_C,
    commits: [RESTORE, HOST_SUPPORTED],
    kvmReturn: "-EINVAL",
    sdm: ["A.1"],
    check: (ctx) => {
      const actual = fieldOf(ctx.value, BASIC_SIZE);
      const required = fieldOf(supportedValue(ctx), BASIC_SIZE);
      return actual >= required ? undefined : fieldDetail(supportedValue(ctx), BASIC_SIZE, actual, required);
    },
    message: (_ctx, d) => `VMCS region size ${hex(d.actual!)} bytes is smaller than the supported ${hex(d.required!)} bytes`,
  },
  {
    id: "restore.controls.non-true-derived",
    msrs: ["IA32_VMX_PINBASED_CTLS", "IA32_VMX_PROCBASED_CTLS", "IA32_VMX_EXIT_CTLS", "IA32_VMX_ENTRY_CTLS"],
    title: "The non-TRUE control MSRs are derived from the TRUE ones and cannot be restored",
    kvmFunction: "vmx_set_vmx_msr",
    kvmFile: NESTED_C,
    commits: [RESTORE],
    kvmReturn: "-EINVAL",
    sdm: ["A.2", "A.3.1", "A.3.2", "A.4.1", "A.5"],
    check: (ctx) => ({ against: kvmReadMsr(ctx.current, ctx.index)! }),
    message: (ctx) => {
      const word = NON_TRUE.get(ctx.index)!.word;
      const trueMsr = (CONTROL_WORDS[word] as ControlWordDef).trueCapabilityMsr!;
      return (
        `KVM derives ${ctx.msr} from ${trueMsr} (ORing the default1 bits ${hex(CONTROL_WORD_MASKS[word].default1)} into bits 31:0) ` +
        `and refuses to restore it; to emulate IA32_VMX_BASIC[55] = 0, restore ${trueMsr} with the default1 bits set`
      );
    },
  },
  {
    id: "restore.controls.must-be-1",
    msrs: CONTROL_MSRS,
    title: "Every supported must-be-1 bit (bits 31:0) stays 1",
    kvmFunction: "vmx_restore_control_msr",
    kvmFile: NESTED_C,
    commits: [RESTORE, HOST_SUPPORTED],
    kvmReturn: "-EINVAL",
    sdm: CONTROL_SECTIONS,
    // KVM checks the two halves independently and nothing more: a restored must-be-1 bit need not
    // be allowed-1 (A.3 never reports such a bit), and KVM's VM-entry check then lets it be 1.
    check: (ctx) => {
      const supported = supportedValue(ctx);
      return isBitwiseSubset(ctx.value, supported, LOW_32) ? undefined : { against: supported, offending: supported & LOW_32 & ~ctx.value };
    },
    message: (ctx, d) =>
      `must-be-1 ${describeBits(d.offending!, controlNamer(controlWord(ctx)))} cleared: bits 31:0 must keep every bit ` +
      `the supported value ${hex(d.against)} sets`,
  },
  {
    id: "restore.controls.allowed-1",
    msrs: CONTROL_MSRS,
    title: "Allowed-1 bits (bits 63:32) a subset of the supported ones",
    kvmFunction: "vmx_restore_control_msr",
    kvmFile: NESTED_C,
    commits: [RESTORE, HOST_SUPPORTED],
    kvmReturn: "-EINVAL",
    sdm: CONTROL_SECTIONS,
    check: (ctx) => extraBits(ctx.value, supportedValue(ctx), HIGH_32),
    message: (ctx, d) =>
      `allowed-1 ${describeBits(d.offending!, controlNamer(controlWord(ctx)))} set, which the supported value ` +
      `${hex(d.against)} does not allow`,
  },
  {
    id: "restore.misc.feature-or-reserved-bits",
    msrs: ["IA32_VMX_MISC"],
    title: "Feature bits 5–8, 14, 15, 28–30 and reserved bits 13:9, 31 a subset of the supported value",
    kvmFunction: "vmx_restore_vmx_misc",
    kvmFile: NESTED_C,
    commits: [RESTORE, HOST_SUPPORTED],
    kvmReturn: "-EINVAL",
    sdm: ["A.6"],
    check: (ctx) => extraBits(ctx.value, supportedValue(ctx), KVM_MISC_FEATURE_BITS | KVM_MISC_RESERVED_BITS),
    message: (_ctx, d) =>
      `${describeBits(d.offending!, layoutNamer("IA32_VMX_MISC"))} set, which the supported value ${hex(d.against)} does not set: ` +
      "KVM lets userspace clear feature bits but not add them or reserved bits",
  },
  {
    id: "restore.misc.preemption-timer-rate",
    msrs: ["IA32_VMX_MISC"],
    title: "Preemption-timer rate (bits 4:0) unchanged while the vCPU's pin-based controls allow the VMX-preemption timer",
    kvmFunction: "vmx_restore_vmx_misc",
    kvmFile: NESTED_C,
    commits: [RESTORE, HOST_SUPPORTED],
    kvmReturn: "-EINVAL",
    sdm: ["A.6"],
    // KVM emulates the timer at its own fixed rate for L1, so a different rate could not be
    // honoured. The condition reads the vCPU's copy of the pin-based controls (what earlier
    // writes left), the rate is compared with the supported value.
    check: (ctx) => {
      const pin = stored(ctx.current, TRUE_PINBASED);
      if (((pin >> BigInt(32 + PREEMPTION_TIMER_BIT)) & 1n) === 0n) return undefined;
      const actual = fieldOf(ctx.value, MISC_RATE);
      const required = fieldOf(supportedValue(ctx), MISC_RATE);
      return actual === required ? undefined : fieldDetail(supportedValue(ctx), MISC_RATE, actual, required);
    },
    message: (_ctx, d) =>
      `preemption-timer rate ${d.actual!} differs from the supported ${d.required!} while the vCPU's pin-based controls ` +
      `allow PIN_BASED_VMX_PREEMPTION_TIMER (IA32_VMX_TRUE_PINBASED_CTLS bit ${32 + PREEMPTION_TIMER_BIT})`,
  },
  {
    id: "restore.misc.cr3-target-count",
    msrs: ["IA32_VMX_MISC"],
    title: "Number of CR3-target values (bits 24:16) not larger than the supported one",
    kvmFunction: "vmx_restore_vmx_misc",
    kvmFile: NESTED_C,
    commits: [RESTORE, HOST_SUPPORTED],
    kvmReturn: "-EINVAL",
    sdm: ["A.6"],
    check: (ctx) => {
      const actual = fieldOf(ctx.value, MISC_CR3_COUNT);
      const required = fieldOf(supportedValue(ctx), MISC_CR3_COUNT);
      return actual <= required ? undefined : fieldDetail(supportedValue(ctx), MISC_CR3_COUNT, actual, required);
    },
    message: (_ctx, d) => `${d.actual!} CR3-target values is more than the supported ${d.required!}`,
  },
  {
    id: "restore.misc.max-msr-list-size",
    msrs: ["IA32_VMX_MISC"],
    title: "Recommended MSR-list size (bits 27:25) not larger than the supported one",
    kvmFunction: "vmx_restore_vmx_misc",
    kvmFile: NESTED_C,
    commits: [RESTORE, HOST_SUPPORTED],
    kvmReturn: "-EINVAL",
    sdm: ["A.6"],
    check: (ctx) => {
      const actual = fieldOf(ctx.value, MISC_MAX_MSR);
      const required = fieldOf(supportedValue(ctx), MISC_MAX_MSR);
      return actual <= required ? undefined : fieldDetail(supportedValue(ctx), MISC_MAX_MSR, actual, required);
    },
    message: (_ctx, d) => {
      const entries = (n: bigint): bigint => BigInt(VMX_MISC_MSR_LIST_MULTIPLIER) * (n + 1n);
      return `MSR-list size ${d.actual!} (${entries(d.actual!)} entries) is more than the supported ${d.required!} (${entries(d.required!)} entries)`;
    },
  },
  {
    id: "restore.misc.mseg-revision-id",
    msrs: ["IA32_VMX_MISC"],
    title: "MSEG revision identifier (bits 63:32) equal to the supported one",
    kvmFunction: "vmx_restore_vmx_misc",
    kvmFile: NESTED_C,
    commits: [RESTORE, HOST_SUPPORTED],
    kvmReturn: "-EINVAL",
    sdm: ["A.6"],
    check: (ctx) => {
      const actual = fieldOf(ctx.value, MISC_MSEG);
      const required = fieldOf(supportedValue(ctx), MISC_MSEG);
      return actual === required ? undefined : fieldDetail(supportedValue(ctx), MISC_MSEG, actual, required);
    },
    message: (_ctx, d) => `MSEG revision identifier ${hex(d.actual!)} differs from the supported ${hex(d.required!)}`,
  },
  {
    id: "restore.fixed0.must-be-1",
    msrs: ["IA32_VMX_CR0_FIXED0", "IA32_VMX_CR4_FIXED0"],
    title: "Every CR bit the supported FIXED0 value fixes to 1 stays 1",
    kvmFunction: "vmx_restore_fixed0_msr",
    kvmFile: NESTED_C,
    commits: [RESTORE, HOST_SUPPORTED],
    kvmReturn: "-EINVAL",
    sdm: ["A.7", "A.8"],
    check: (ctx) => {
      const supported = supportedValue(ctx);
      return isBitwiseSubset(ctx.value, supported, ALL_64) ? undefined : { against: supported, offending: supported & ~ctx.value };
    },
    message: (ctx, d) => {
      const register = ctx.index === CR0_FIXED0 ? "CR0" : "CR4";
      const namer = tableNamer(register === "CR0" ? CR0_BITS : CR4_BITS);
      return `${describeBits(d.offending!, namer)} cleared: ${register} bits the supported value ${hex(d.against)} fixes to 1 in VMX operation must stay 1`;
    },
  },
  {
    id: "restore.fixed1.cpuid-derived",
    msrs: ["IA32_VMX_CR0_FIXED1", "IA32_VMX_CR4_FIXED1"],
    title: "The FIXED1 MSRs are derived from the vCPU's CPUID and cannot be restored",
    kvmFunction: "vmx_set_vmx_msr",
    kvmFile: NESTED_C,
    commits: [RESTORE],
    kvmReturn: "-EINVAL",
    sdm: ["A.7", "A.8"],
    check: (ctx) => ({ against: kvmReadMsr(ctx.current, ctx.index)! }),
    message: (ctx) => `KVM derives ${ctx.msr} from the vCPU's CPUID (KVM_SET_CPUID2) and refuses to restore it`,
  },
  {
    id: "restore.ept-vpid-cap.subset",
    msrs: ["IA32_VMX_EPT_VPID_CAP"],
    title: "All 64 bits (ept_caps and vpid_caps) a subset of the supported value",
    kvmFunction: "vmx_restore_vmx_ept_vpid_cap",
    kvmFile: NESTED_C,
    commits: [RESTORE, HOST_SUPPORTED],
    kvmReturn: "-EINVAL",
    sdm: ["A.10"],
    check: (ctx) => extraBits(ctx.value, supportedValue(ctx), ALL_64),
    message: (_ctx, d) =>
      `${describeBits(d.offending!, layoutNamer("IA32_VMX_EPT_VPID_CAP"))} set, which the supported value ${hex(d.against)} does not report`,
  },
  {
    id: "restore.vmfunc.subset",
    msrs: ["IA32_VMX_VMFUNC"],
    title: "VM-function controls a subset of the supported ones",
    kvmFunction: "vmx_set_vmx_msr",
    kvmFile: NESTED_C,
    commits: [RESTORE, HOST_SUPPORTED],
    kvmReturn: "-EINVAL",
    sdm: ["A.11"],
    check: (ctx) => extraBits(ctx.value, supportedValue(ctx), ALL_64),
    message: (_ctx, d) =>
      `${describeBits(d.offending!, controlNamer("vmfunc"))} set, which the supported value ${hex(d.against)} does not allow`,
  },
  {
    id: "restore.msr-not-emulated",
    msrs: ["IA32_VMX_PROCBASED_CTLS3", "IA32_VMX_EXIT_CTLS2"],
    title: "KVM does not emulate the capability MSRs above IA32_VMX_VMFUNC",
    kvmFunction: "kvm_set_msr_common",
    kvmFile: "arch/x86/kvm/x86.c",
    commits: ["KVM: x86: Add macros to track first...last VMX feature MSRs"],
    kvmReturn: "KVM_MSR_RET_UNSUPPORTED",
    sdm: [],
    // Not even a write of 0 passes: KVM accepts host writes of 0 only to MSRs it advertises
    // (kvm_is_advertised_msr()), and it advertises no VMX MSR above 491H.
    check: () => ({ against: 0n }),
    message: (ctx) =>
      `KVM's nested VMX does not emulate ${ctx.msr} (it exposes no controls that need it): the write is unhandled ` +
      "(KVM_MSR_RET_UNSUPPORTED), and a KVM_SET_MSRS call stops at it",
  },
] as const satisfies readonly RestoreRule[];

/** The id of a rule of {@link RESTORE_RULES}. */
export type RestoreRuleId = (typeof RESTORE_RULES)[number]["id"];

/** Every rule by id. */
export const RESTORE_RULE_BY_ID: ReadonlyMap<RestoreRuleId, RestoreRule> = new Map(
  (Object.freeze(RESTORE_RULES) as readonly (RestoreRule & { id: RestoreRuleId })[]).map((rule) => [rule.id, Object.freeze(rule)]),
);

/**
 * The rules vmx_set_vmx_msr() applies to each MSR, in order (after the two checks every emulated
 * MSR gets). IA32_VMX_VMCS_ENUM has none: KVM stores whatever userspace writes.
 */
const MSR_RULES: ReadonlyMap<number, readonly RestoreRuleId[]> = new Map<number, readonly RestoreRuleId[]>([
  [BASIC, ["restore.basic.feature-or-reserved-bits", "restore.basic.32bit-phys-addr-only", "restore.basic.revision-id", "restore.basic.vmcs-size"]],
  ...TRUE_WORDS.map((w) => [w.nonTrueIndex, ["restore.controls.non-true-derived"]] as const),
  [MISC, ["restore.misc.feature-or-reserved-bits", "restore.misc.preemption-timer-rate", "restore.misc.cr3-target-count", "restore.misc.max-msr-list-size", "restore.misc.mseg-revision-id"]],
  [CR0_FIXED0, ["restore.fixed0.must-be-1"]],
  [CR0_FIXED1, ["restore.fixed1.cpuid-derived"]],
  [CR4_FIXED0, ["restore.fixed0.must-be-1"]],
  [CR4_FIXED1, ["restore.fixed1.cpuid-derived"]],
  [VMCS_ENUM, []],
  [PROCBASED2, ["restore.controls.must-be-1", "restore.controls.allowed-1"]],
  [EPT_VPID_CAP, ["restore.ept-vpid-cap.subset"]],
  ...TRUE_WORDS.map((w) => [w.trueIndex, ["restore.controls.must-be-1", "restore.controls.allowed-1"]] as const),
  [VMFUNC, ["restore.vmfunc.subset"]],
  [PROCBASED3, ["restore.msr-not-emulated"]],
  [EXIT2, ["restore.msr-not-emulated"]],
]);

const EMULATED_PRECHECKS: readonly RestoreRuleId[] = ["restore.vcpu-has-run", "restore.vmxon"];

/** The rule ids applied to a write of that MSR index, in KVM's order; undefined for other MSRs. */
export function restoreRulesFor(index: number): readonly RestoreRuleId[] | undefined {
  const own = MSR_RULES.get(index);
  if (own === undefined) return undefined;
  const emulated = index >= KVM_FIRST_EMULATED_VMX_MSR && index <= KVM_LAST_EMULATED_VMX_MSR;
  return emulated ? [...EMULATED_PRECHECKS, ...own] : own;
}

function msrName(index: number): string {
  return MSR_BY_INDEX.get(index)?.name ?? `0x${index.toString(16)}`;
}

/**
 * Audits a sequence of host-initiated writes of VMX capability MSRs as KVM does, and reports
 * what L1 reads afterwards.
 *
 * @param supported the CPU's capability MSRs: what KVM supports for L1 (`vmcs_config.nested`),
 *   which is also where the vCPU's values start. Absent MSRs read as 0.
 * @param writes applied in order; each rule that reads another MSR sees what earlier writes left.
 * @throws RangeError for an MSR index outside 480H–493H, which is not a VMX capability MSR.
 */
export function auditRestore(
  supported: ReadonlyMap<number, bigint>,
  writes: readonly RestoreWrite[],
  options: RestoreOptions = {},
): RestoreAudit {
  const config = nestedConfig(supported);
  const current = nestedConfig(supported);
  const results: RestoreResult[] = [];
  for (const write of writes) {
    const rules = restoreRulesFor(write.index);
    if (rules === undefined) {
      throw new RangeError(`MSR 0x${write.index.toString(16)} (${msrName(write.index)}) is not a VMX capability MSR (480H–493H)`);
    }
    const value = BigInt.asUintN(64, write.value);
    const ctx: RestoreRuleContext = { index: write.index, msr: msrName(write.index), value, supported: config, current, options };
    let failure: RestoreResult | undefined;
    for (const id of rules) {
      const rule = RESTORE_RULE_BY_ID.get(id)!;
      const detail = rule.check(ctx);
      if (detail !== undefined) {
        failure = Object.freeze({ msr: ctx.msr, index: ctx.index, value, accepted: false, rule: id, reason: rule.message(ctx, detail), detail: Object.freeze(detail) });
        break;
      }
    }
    if (failure === undefined) {
      current.set(write.index, value);
      results.push(Object.freeze({ msr: ctx.msr, index: ctx.index, value, accepted: true }));
    } else {
      results.push(failure);
    }
  }
  const readBack: RestoreReadBack[] = [];
  for (let index = KVM_FIRST_EMULATED_VMX_MSR; index <= KVM_LAST_EMULATED_VMX_MSR; index++) {
    readBack.push(Object.freeze({ msr: msrName(index), index, value: kvmReadMsr(current, index)! }));
  }
  return Object.freeze({ results: Object.freeze(results), readBack: Object.freeze(readBack) });
}
