/**
 * Can a nested guest move from one host to another? The destination's KVM audits every capability
 * MSR userspace restores (restore.ts), and the guest must not lose any capability the source
 * offered (compat.ts): both make the verdict.
 */
import { CONTROL_WORDS, CONTROL_WORD_IDS } from "../arch/controls.js";
import { MSR_BY_NAME, VMX_CAPABILITY_MSRS } from "../arch/msrs.js";
import { capabilityGaps, type CapabilityGap } from "./compat.js";
import { auditRestore, restoreRulesFor, type RestoreResult, type RestoreWrite } from "./restore.js";
import { VmxCapabilities } from "./capabilities.js";

/** Rules under which KVM refuses every host write of an MSR: userspace does not restore those. */
const NEVER_RESTORED_RULES = new Set(["restore.controls.non-true-derived", "restore.fixed1.cpuid-derived", "restore.msr-not-emulated"]);

/**
 * The order of the writes: the control MSRs first, so that the rules reading another MSR (the
 * preemption-timer rate in IA32_VMX_MISC against the pin-based controls) see the restored
 * controls, then the others by index.
 */
const RESTORE_ORDER: readonly string[] = [
  ...VMX_CAPABILITY_MSRS.filter((msr) => msr.kind === "true-controls" || msr.kind === "controls").map((msr) => msr.name),
  ...VMX_CAPABILITY_MSRS.filter((msr) => msr.kind !== "true-controls" && msr.kind !== "controls").map((msr) => msr.name),
];

/** A capability MSR userspace does not restore, and why. */
export interface NotRestored {
  readonly msr: string;
  readonly reason: string;
}

/** The verdict on one source → destination move. */
export interface MigrationReport {
  readonly migratable: boolean;
  readonly reasons: readonly string[];
  readonly gaps: readonly CapabilityGap[];
  readonly restore: readonly RestoreResult[];
  readonly notRestored: readonly NotRestored[];
}

/**
 * The writes userspace makes to restore the source's VMX capability MSRs, in RESTORE_ORDER: every
 * MSR KVM lets userspace set. Where the source has no TRUE control MSRs (IA32_VMX_BASIC[55] = 0),
 * its non-TRUE values stand for them: they describe the same controls with the default1 class
 * fixed to 1, which is a valid TRUE value.
 */
export function restoreWrites(source: ReadonlyMap<number, bigint>): { writes: RestoreWrite[]; notRestored: NotRestored[] } {
  const caps = new VmxCapabilities(source);
  const writes: RestoreWrite[] = [];
  const notRestored: NotRestored[] = [];
  const trueStandIns = new Map<number, bigint>();
  if (!caps.trueControls) {
    for (const id of CONTROL_WORD_IDS) {
      const word: { capabilityMsr: string; trueCapabilityMsr?: string } = CONTROL_WORDS[id];
      const value = source.get(MSR_BY_NAME.get(word.capabilityMsr)!.index);
      if (word.trueCapabilityMsr !== undefined && value !== undefined) trueStandIns.set(MSR_BY_NAME.get(word.trueCapabilityMsr)!.index, value);
    }
  }
  for (const name of RESTORE_ORDER) {
    const index = MSR_BY_NAME.get(name)!.index;
    const value = trueStandIns.get(index) ?? source.get(index);
    if (value === undefined) continue;
    const never = (restoreRulesFor(index) ?? []).find((rule) => NEVER_RESTORED_RULES.has(rule));
    if (never === undefined) writes.push({ index, value });
    else if (never === "restore.msr-not-emulated" && value !== 0n) notRestored.push({ msr: name, reason: "KVM's nested VMX does not emulate this MSR, so the capabilities it reports cannot be restored" });
    else if (never !== "restore.msr-not-emulated") notRestored.push({ msr: name, reason: "derived by KVM from the other MSRs (userspace does not restore it)" });
  }
  return { writes, notRestored };
}

/** Audits moving a nested guest that saw `source`'s capabilities to a host offering `destination`'s. */
export function migrationReport(source: ReadonlyMap<number, bigint>, destination: ReadonlyMap<number, bigint>): MigrationReport {
  const { writes, notRestored } = restoreWrites(source);
  const restore = auditRestore(destination, writes).results;
  const gaps = capabilityGaps(source, destination);
  const reasons = [
    ...restore.filter((result) => !result.accepted).map((result) => `${result.msr}: restore rejected [${result.rule}]: ${result.reason}`),
    ...notRestored.filter((entry) => entry.reason.startsWith("KVM's nested VMX does not emulate")).map((entry) => `${entry.msr}: ${entry.reason}`),
    // A restore can succeed and the guest still lose what it may already use (e.g. a CR4 bit
    // that the destination's CPUID-derived FIXED1 no longer allows): that is not migratable either.
    ...gaps.map((gap) => `the destination lacks what the source offered: ${gap.message}`),
  ];
  return { migratable: reasons.length === 0, reasons, gaps, restore, notRestored };
}
