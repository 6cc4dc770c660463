/**
 * What a processor's VMX capability MSRs allow (SDM Appendix A): the allowed 0- and 1-settings
 * of every control word, read from the TRUE MSRs where IA32_VMX_BASIC[55] says they exist
 * (A.2), with words whose capability MSR does not exist allowing nothing.
 */
import { CONTROL_WORDS, CONTROL_WORD_IDS, controlByName, type ControlWordDef, type ControlWordId } from "../arch/controls.js";
import { MSR_BY_NAME, layoutBitDef, type MsrName } from "../arch/msrs.js";
import { hiOf, loOf, testBit } from "../u64/halves.js";

/** The allowed settings of one control word, as unsigned 32-bit halves (hot-path friendly). */
export interface ControlWordCapability {
  readonly word: ControlWordId;
  /**
   * The capability MSR the settings come from (the TRUE MSR where it exists), or undefined when
   * the word's capability MSR does not exist on this processor: then every control must be 0.
   */
  readonly msr: MsrName | undefined;
  /** Bits that must be 1 (allowed 0-setting is 0). */
  readonly mustBe1Lo: number;
  readonly mustBe1Hi: number;
  /** Bits that may be 1 (allowed 1-setting is 1). */
  readonly mayBe1Lo: number;
  readonly mayBe1Hi: number;
}

/** How a control may be set. */
export type ControlSetting = "must-be-0" | "must-be-1" | "0-or-1";

const TRUE_CTLS_BIT = layoutBitDef("IA32_VMX_BASIC", "VMX_BASIC_TRUE_CTLS").bit;

/** The VMX capabilities of one processor, decoded from its MSRs. */
export class VmxCapabilities {
  /** IA32_VMX_BASIC[55]: the TRUE control MSRs exist and report the default1 class as it is. */
  readonly trueControls: boolean;
  /** Allowed settings per control word. */
  readonly controls: Readonly<Record<ControlWordId, ControlWordCapability>>;

  /** @param msrs MSR index → value; absent MSRs read as 0. */
  constructor(readonly msrs: ReadonlyMap<number, bigint>) {
    this.trueControls = testBit(loOf(this.msr("IA32_VMX_BASIC")), hiOf(this.msr("IA32_VMX_BASIC")), TRUE_CTLS_BIT);
    const controls = {} as Record<ControlWordId, ControlWordCapability>;
    for (const id of CONTROL_WORD_IDS) controls[id] = this.decodeWord(CONTROL_WORDS[id], controls);
    this.controls = Object.freeze(controls);
  }

  /** The value of an MSR by name (0 when the description does not give it). */
  msr(name: MsrName): bigint {
    const index = MSR_BY_NAME.get(name)!.index;
    return this.msrs.get(index) ?? 0n;
  }

  /** How the control of that Linux name may be set. */
  setting(word: ControlWordId, bit: number): ControlSetting {
    const cap = this.controls[word];
    if (testBit(cap.mustBe1Lo, cap.mustBe1Hi, bit)) return "must-be-1";
    return testBit(cap.mayBe1Lo, cap.mayBe1Hi, bit) ? "0-or-1" : "must-be-0";
  }

  /** Whether the control of that Linux name may be 1. */
  allows1(name: string): boolean {
    const control = controlByName(name);
    if (control === undefined) throw new Error(`unknown control ${name}`);
    return this.setting(control.word, control.bit) !== "must-be-0";
  }

  /**
   * The MSR that reports a word's allowed settings: the TRUE MSR when IA32_VMX_BASIC[55] says it
   * exists (A.2). A description that lacks the TRUE MSR but has the non-TRUE one (some logging
   * tools never printed the TRUE MSRs) falls back to the non-TRUE one, which is conservative: it
   * only reports the default1 class as must-be-1.
   */
  private sourceMsr(word: ControlWordDef): MsrName {
    if (!this.trueControls || word.trueCapabilityMsr === undefined) return word.capabilityMsr as MsrName;
    const trueIndex = MSR_BY_NAME.get(word.trueCapabilityMsr)!.index;
    const plainIndex = MSR_BY_NAME.get(word.capabilityMsr)!.index;
    return (!this.msrs.has(trueIndex) && this.msrs.has(plainIndex) ? word.capabilityMsr : word.trueCapabilityMsr) as MsrName;
  }

  private decodeWord(word: ControlWordDef, decided: Partial<Record<ControlWordId, ControlWordCapability>>): ControlWordCapability {
    if (word.activatedBy !== undefined) {
      // The word's capability MSR exists only if its activating control may be 1 (A.3.3, A.3.4,
      // A.4.2, A.11); words are decoded in table order, so the activating word is already known.
      const activator = controlByName(word.activatedBy)!;
      const cap = decided[activator.word]!;
      if (!testBit(cap.mayBe1Lo, cap.mayBe1Hi, activator.bit)) return absentWord(word.id);
    }
    const msr = this.sourceMsr(word);
    const value = this.msr(msr);
    if (word.capabilityFormat === "allowed-1-only") {
      return Object.freeze({ word: word.id, msr, mustBe1Lo: 0, mustBe1Hi: 0, mayBe1Lo: loOf(value), mayBe1Hi: hiOf(value) });
    }
    // Bits 31:0: allowed 0-settings (1 = must be 1); bits 63:32: allowed 1-settings (A.3.1).
    return Object.freeze({ word: word.id, msr, mustBe1Lo: loOf(value), mustBe1Hi: 0, mayBe1Lo: hiOf(value), mayBe1Hi: 0 });
  }
}

/** @internal */
function absentWord(word: ControlWordId): ControlWordCapability {
  return Object.freeze({ word, msr: undefined, mustBe1Lo: 0, mustBe1Hi: 0, mayBe1Lo: 0, mayBe1Hi: 0 });
}
