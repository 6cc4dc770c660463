/**
 * A baseline for a pool of hosts: capability MSR values that KVM on every host accepts on restore,
 * as large as that allows — the greatest common subset of the controls and feature bits, with the
 * minimums of the numeric limits — so a nested guest pinned to it can migrate anywhere in the pool.
 */
import { CONTROL_WORDS, CONTROL_WORD_IDS, type ControlWordId } from "../arch/controls.js";
import { MSR_BY_NAME, layoutFieldDef, type MsrLayoutName, type MsrName } from "../arch/msrs.js";
import { fieldMask } from "../arch/bits.js";
import { capabilityGaps } from "./compat.js";
import { VmxCapabilities } from "./capabilities.js";
import { KVM_BASIC_FEATURE_BITS, KVM_MISC_FEATURE_BITS } from "./restore.js";

/** One host of the pool. */
export interface PoolHost {
  readonly name: string;
  readonly msrs: ReadonlyMap<number, bigint>;
}

/** A capability some host offers that the baseline leaves out. */
export interface DroppedCapability {
  readonly capability: string;
  readonly lackedBy: readonly string[];
}

export interface Baseline {
  /** MSR index → baseline value. */
  readonly msrs: ReadonlyMap<number, bigint>;
  readonly dropped: readonly DroppedCapability[];
  /** Differences no baseline can reconcile (e.g. VMCS revision identifiers). */
  readonly conflicts: readonly string[];
}

const LOW32 = 0xffff_ffffn;
const index = (name: MsrName) => MSR_BY_NAME.get(name)!.index;
const field = (layout: MsrLayoutName, name: string) => {
  const def = layoutFieldDef(layout, name);
  return { mask: fieldMask(def), shift: BigInt(def.lsb) };
};
const BASIC_REVISION = field("IA32_VMX_BASIC", "VMX_BASIC_VMCS_REVISION_ID");
const BASIC_SIZE = field("IA32_VMX_BASIC", "VMX_BASIC_VMCS_SIZE");
const BASIC_MEM_TYPE = field("IA32_VMX_BASIC", "VMX_BASIC_MEM_TYPE");
const MISC_RATE = field("IA32_VMX_MISC", "VMX_MISC_PREEMPTION_TIMER_RATE");
const MISC_CR3_COUNT = field("IA32_VMX_MISC", "VMX_MISC_CR3_COUNT");
const MISC_MAX_MSR = field("IA32_VMX_MISC", "VMX_MISC_MAX_MSR");
const MISC_MSEG = field("IA32_VMX_MISC", "VMX_MISC_MSEG_REVID");
const ENUM_MAX_INDEX = field("IA32_VMX_VMCS_ENUM", "VMX_VMCS_ENUM_MAX_INDEX");
const PREEMPTION_TIMER_BIT = 6n;

const get = (value: bigint, f: { mask: bigint; shift: bigint }) => (value & f.mask) >> f.shift;
const put = (f: { mask: bigint; shift: bigint }, value: bigint) => (value << f.shift) & f.mask;
const and = (values: readonly bigint[]) => values.reduce((a, b) => a & b);
const or = (values: readonly bigint[]) => values.reduce((a, b) => a | b);
const min = (values: readonly bigint[]) => values.reduce((a, b) => (b < a ? b : a));
const max = (values: readonly bigint[]) => values.reduce((a, b) => (b > a ? b : a));

/** Computes the baseline of a pool (at least one host). */
export function poolBaseline(hosts: readonly PoolHost[]): Baseline {
  if (hosts.length === 0) throw new Error("a pool needs at least one host");
  const caps = hosts.map((host) => new VmxCapabilities(host.msrs));
  const msr = (name: MsrName) => caps.map((cap) => cap.msr(name));
  const conflicts: string[] = [];
  const out = new Map<number, bigint>();

  const words = baselineControls(caps, conflicts);
  // The preemption-timer rate must match on every host where the timer is offered (KVM's
  // restore.misc.preemption-timer-rate); where the hosts disagree, the baseline drops the timer.
  const rates = msr("IA32_VMX_MISC").map((value) => get(value, MISC_RATE));
  const timerOffered = ((words.pin >> 32n) >> PREEMPTION_TIMER_BIT) & 1n;
  if (timerOffered === 1n && new Set(rates).size > 1) words.pin &= ~(1n << (32n + PREEMPTION_TIMER_BIT));
  const allTrue = caps.every((cap) => cap.trueControls);
  for (const id of CONTROL_WORD_IDS) writeControlWord(out, id, words[id], allTrue);

  const basic = msr("IA32_VMX_BASIC");
  const revisions = new Set(basic.map((value) => get(value, BASIC_REVISION)));
  if (revisions.size > 1) conflicts.push(`the hosts' VMCS revision identifiers differ (${[...revisions].map((r) => "0x" + r.toString(16)).join(", ")}): KVM restores only an equal one`);
  const memTypes = new Set(basic.map((value) => get(value, BASIC_MEM_TYPE)));
  if (memTypes.size > 1) conflicts.push(`the hosts' VMCS memory types differ (${[...memTypes].join(", ")})`);
  out.set(
    index("IA32_VMX_BASIC"),
    put(BASIC_REVISION, get(basic[0]!, BASIC_REVISION)) |
      put(BASIC_SIZE, max(basic.map((value) => get(value, BASIC_SIZE)))) |
      put(BASIC_MEM_TYPE, get(basic[0]!, BASIC_MEM_TYPE)) |
      (and(basic) & KVM_BASIC_FEATURE_BITS),
  );

  const misc = msr("IA32_VMX_MISC");
  const msegs = new Set(misc.map((value) => get(value, MISC_MSEG)));
  if (msegs.size > 1) conflicts.push(`the hosts' MSEG revision identifiers differ (${[...msegs].join(", ")}): KVM restores only an equal one`);
  out.set(
    index("IA32_VMX_MISC"),
    (and(misc) & KVM_MISC_FEATURE_BITS) |
      put(MISC_RATE, rates[0]!) |
      put(MISC_CR3_COUNT, min(misc.map((value) => get(value, MISC_CR3_COUNT)))) |
      put(MISC_MAX_MSR, min(misc.map((value) => get(value, MISC_MAX_MSR)))) |
      put(MISC_MSEG, get(misc[0]!, MISC_MSEG)),
  );
  for (const register of ["CR0", "CR4"] as const) {
    out.set(index(`IA32_VMX_${register}_FIXED0`), or(msr(`IA32_VMX_${register}_FIXED0`)));
    out.set(index(`IA32_VMX_${register}_FIXED1`), and(msr(`IA32_VMX_${register}_FIXED1`)));
  }
  out.set(index("IA32_VMX_VMCS_ENUM"), put(ENUM_MAX_INDEX, min(msr("IA32_VMX_VMCS_ENUM").map((value) => get(value, ENUM_MAX_INDEX)))));
  const eptVpidOffered = caps.every((cap) => cap.allows1("SECONDARY_EXEC_ENABLE_EPT") || cap.allows1("SECONDARY_EXEC_ENABLE_VPID"));
  if (eptVpidOffered) out.set(index("IA32_VMX_EPT_VPID_CAP"), and(msr("IA32_VMX_EPT_VPID_CAP")));
  return { msrs: out, dropped: droppedCapabilities(hosts, out), conflicts };
}

/** Per word: must-be-1 bits of any host stay must-be-1, allowed-1 bits are those of every host. */
function baselineControls(caps: readonly VmxCapabilities[], conflicts: string[]): Record<ControlWordId, bigint> {
  const words = {} as Record<ControlWordId, bigint>;
  for (const id of CONTROL_WORD_IDS) {
    const word = CONTROL_WORDS[id];
    const mustBe1 = or(caps.map((cap) => (BigInt(cap.controls[id].mustBe1Hi) << 32n) | BigInt(cap.controls[id].mustBe1Lo)));
    const mayBe1 = and(caps.map((cap) => (BigInt(cap.controls[id].mayBe1Hi) << 32n) | BigInt(cap.controls[id].mayBe1Lo)));
    for (const bit of word.bits) {
      if (((mustBe1 & ~mayBe1) >> BigInt(bit.bit)) & 1n) conflicts.push(`${bit.name} must be 1 on some host and must be 0 on another`);
    }
    words[id] = word.capabilityFormat === "allowed-1-only" ? mayBe1 : ((mayBe1 & LOW32) << 32n) | (mustBe1 & LOW32);
  }
  return words;
}

/** Writes a control word's capability MSRs: the TRUE one, and the non-TRUE one derived from it. */
function writeControlWord(out: Map<number, bigint>, id: ControlWordId, value: bigint, withTrue: boolean): void {
  const word: { capabilityMsr: string; trueCapabilityMsr?: string; default1: readonly number[]; activatedBy?: string } = CONTROL_WORDS[id];
  if (word.activatedBy !== undefined && value === 0n) return;
  if (word.trueCapabilityMsr === undefined) {
    out.set(index(word.capabilityMsr as MsrName), value);
    return;
  }
  const default1 = word.default1.reduce((mask, bit) => mask | (1n << BigInt(bit)), 0n);
  if (withTrue) out.set(index(word.trueCapabilityMsr as MsrName), value);
  out.set(index(word.capabilityMsr as MsrName), value | default1);
}

function droppedCapabilities(hosts: readonly PoolHost[], baseline: ReadonlyMap<number, bigint>): DroppedCapability[] {
  const offeredBy = hosts.map((host) => new Set(capabilityGaps(host.msrs, baseline).map((gap) => gap.name)));
  const names = [...new Set(offeredBy.flatMap((set) => [...set]))];
  return names.map((capability) => ({
    capability,
    lackedBy: hosts.filter((_, i) => !offeredBy[i]!.has(capability)).map((host) => host.name),
  }));
}
