/**
 * `nvmx caps decode`: every VMX capability of a processor with its allowed settings and every
 * numeric sub-field, in the spirit of QEMU's scripts/kvm/vmxcap. The report is structured data;
 * the CLI renders it as text or JSON.
 */
import { CONTROL_WORDS, CONTROL_WORD_IDS, type ControlBitDef, type ControlWordId } from "../arch/controls.js";
import { MSR_BY_NAME, MSR_LAYOUTS, VMX_CAPABILITY_MSRS, extractField, type MsrLayoutName, type MsrName } from "../arch/msrs.js";
import { CR0_BITS, CR4_BITS } from "../arch/registers.js";
import type { SdmSection } from "../arch/sdm.js";
import { hiOf, loOf, testBit } from "../u64/halves.js";
import { VmxCapabilities, type ControlSetting } from "./capabilities.js";

/** One capability MSR as the processor reports it. */
export interface DecodedMsr {
  readonly name: string;
  readonly index: number;
  /** Undefined when the description does not give the MSR (it reads as 0). */
  readonly value: bigint | undefined;
}

/** One control with how it may be set. */
export interface DecodedControl {
  readonly name: string;
  readonly bit: number;
  readonly title: string;
  readonly setting: ControlSetting;
}

/** One control word. */
export interface DecodedControlWord {
  readonly word: ControlWordId;
  readonly title: string;
  readonly sdm: SdmSection;
  /** The MSR the settings come from, or undefined when the word is not available. */
  readonly msr: string | undefined;
  readonly value: bigint | undefined;
  readonly controls: readonly DecodedControl[];
  /** Bits the SDM does not name that the MSR nevertheless reports as must-be-1 or may-be-1. */
  readonly unnamedBits: readonly { readonly bit: number; readonly setting: ControlSetting }[];
}

/** A layout MSR (BASIC, MISC, VMCS_ENUM, EPT_VPID_CAP) decoded into bits and fields. */
export interface DecodedLayout {
  readonly msr: MsrLayoutName;
  readonly title: string;
  readonly sdm: SdmSection;
  readonly value: bigint;
  readonly available: boolean;
  readonly bits: readonly { readonly name: string; readonly bit: number; readonly title: string; readonly set: boolean }[];
  readonly fields: readonly { readonly name: string; readonly lsb: number; readonly msb: number; readonly title: string; readonly value: number }[];
}

/** CR0 or CR4 bits as IA32_VMX_CRn_FIXED0/FIXED1 constrain them in VMX operation (A.7, A.8). */
export interface DecodedFixedBits {
  readonly register: "CR0" | "CR4";
  readonly sdm: SdmSection;
  readonly fixed0: bigint;
  readonly fixed1: bigint;
  readonly bits: readonly { readonly name: string; readonly bit: number; readonly setting: ControlSetting }[];
}

/** The whole decode. */
export interface CapsReport {
  readonly msrs: readonly DecodedMsr[];
  readonly basic: DecodedLayout;
  readonly controls: readonly DecodedControlWord[];
  readonly misc: DecodedLayout;
  readonly fixed: readonly DecodedFixedBits[];
  readonly vmcsEnum: DecodedLayout;
  readonly eptVpid: DecodedLayout;
}

const LAYOUT_TITLES: Readonly<Record<MsrLayoutName, readonly [string, SdmSection]>> = {
  IA32_FEATURE_CONTROL: ["IA32_FEATURE_CONTROL", "24.7"],
  IA32_VMX_BASIC: ["Basic VMX information", "A.1"],
  IA32_VMX_MISC: ["Miscellaneous data", "A.6"],
  IA32_VMX_VMCS_ENUM: ["VMCS enumeration", "A.9"],
  IA32_VMX_EPT_VPID_CAP: ["VPID and EPT capabilities", "A.10"],
};

/** Decodes every VMX capability of a processor described by its MSRs. */
export function decodeCapabilities(msrs: ReadonlyMap<number, bigint>): CapsReport {
  const caps = new VmxCapabilities(msrs);
  const eptVpidAvailable = caps.allows1("SECONDARY_EXEC_ENABLE_EPT") || caps.allows1("SECONDARY_EXEC_ENABLE_VPID");
  return {
    msrs: VMX_CAPABILITY_MSRS.map(({ name }) => {
      const index = MSR_BY_NAME.get(name)!.index;
      return { name, index, value: msrs.get(index) };
    }),
    basic: decodeLayout(caps, "IA32_VMX_BASIC", true),
    controls: CONTROL_WORD_IDS.map((id) => decodeWord(caps, id)),
    misc: decodeLayout(caps, "IA32_VMX_MISC", true),
    fixed: [decodeFixed(caps, "CR0"), decodeFixed(caps, "CR4")],
    vmcsEnum: decodeLayout(caps, "IA32_VMX_VMCS_ENUM", true),
    eptVpid: decodeLayout(caps, "IA32_VMX_EPT_VPID_CAP", eptVpidAvailable),
  };
}

function decodeWord(caps: VmxCapabilities, id: ControlWordId): DecodedControlWord {
  const word = CONTROL_WORDS[id];
  const cap = caps.controls[id];
  const named = new Set<number>(word.bits.map((bit: ControlBitDef) => bit.bit));
  const unnamedBits: { bit: number; setting: ControlSetting }[] = [];
  for (let bit = 0; bit < word.width; bit++) {
    if (named.has(bit)) continue;
    const setting = caps.setting(id, bit);
    if (setting !== "must-be-0") unnamedBits.push({ bit, setting });
  }
  return {
    word: id,
    title: word.title,
    sdm: word.sdm,
    msr: cap.msr,
    value: cap.msr === undefined ? undefined : caps.msr(cap.msr),
    controls: word.bits.map((bit: ControlBitDef) => ({ name: bit.name, bit: bit.bit, title: bit.title, setting: caps.setting(id, bit.bit) })),
    unnamedBits,
  };
}

function decodeLayout(caps: VmxCapabilities, msr: MsrLayoutName, available: boolean): DecodedLayout {
  const value = available ? caps.msr(msr as MsrName) : 0n;
  const lo = loOf(value);
  const hi = hiOf(value);
  const layout = MSR_LAYOUTS[msr];
  const [title, sdm] = LAYOUT_TITLES[msr];
  return {
    msr,
    title,
    sdm,
    value,
    available,
    bits: layout.bits.map((bit) => ({ name: bit.name, bit: bit.bit, title: bit.title, set: testBit(lo, hi, bit.bit) })),
    fields: layout.fields.map((field) => ({ name: field.name, lsb: field.lsb, msb: field.msb, title: field.title, value: extractField(lo, hi, field) })),
  };
}

function decodeFixed(caps: VmxCapabilities, register: "CR0" | "CR4"): DecodedFixedBits {
  const fixed0 = caps.msr(`IA32_VMX_${register}_FIXED0`);
  const fixed1 = caps.msr(`IA32_VMX_${register}_FIXED1`);
  const table = register === "CR0" ? CR0_BITS : CR4_BITS;
  return {
    register,
    sdm: register === "CR0" ? "A.7" : "A.8",
    fixed0,
    fixed1,
    bits: table.map((def) => {
      const mustBe1 = testBit(loOf(fixed0), hiOf(fixed0), def.bit);
      const mayBe1 = testBit(loOf(fixed1), hiOf(fixed1), def.bit);
      return { name: def.name, bit: def.bit, setting: mustBe1 ? "must-be-1" : mayBe1 ? "0-or-1" : "must-be-0" };
    }),
  };
}
