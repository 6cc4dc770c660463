// Capability MSR fixtures shared by the caps tests: profiles by name, and MSRs with controls removed.
import { controlByName, type ControlName } from "../../src/arch/controls.js";
import { MSR_BY_NAME, type MsrName } from "../../src/arch/msrs.js";
import { KVM_CONTROL_LISTS } from "../../src/caps/setup.js";
import { parseCpuJson } from "../../src/io/cpu-json.js";

/** The capability MSRs of a built-in profile. */
export const msrsOf = (profile: string) => parseCpuJson({ profile }, "t").msrs;

/** The index of an MSR by SDM name. */
export const index = (name: MsrName) => MSR_BY_NAME.get(name)!.index;

/** The non-TRUE capability MSR KVM reads for a control's word. */
export const MSR_OF_WORD = Object.fromEntries(KVM_CONTROL_LISTS.map((list) => [list.word, list.msr])) as Record<string, MsrName>;

/** The mask of a control within its word. */
export function bitOf(name: ControlName): bigint {
  return 1n << BigInt(controlByName(name)!.bit);
}

/**
 * A copy of `msrs` in which the (non-TRUE) capability MSR no longer allows the 1-setting of
 * `names`: allowed-1 bit clear, and not reported as must-be-1 either (an allowed-1-only word such
 * as the tertiary controls has just the one bit).
 */
export function disallow(msrs: ReadonlyMap<number, bigint>, ...names: ControlName[]): Map<number, bigint> {
  const out = new Map(msrs);
  for (const name of names) {
    const control = controlByName(name)!;
    const msr = index(MSR_OF_WORD[control.word]!);
    const mask = control.word === "proc3" ? bitOf(name) : bitOf(name) | (bitOf(name) << 32n);
    out.set(msr, (out.get(msr) ?? 0n) & ~mask);
  }
  return out;
}
