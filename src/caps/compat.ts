/**
 * What a nested guest that saw one CPU's VMX capabilities would lose on another: every control,
 * feature bit and numeric limit the source advertises that the destination does not. This is
 * the explanation that goes with the restore audit (restore.ts), which decides.
 */
import { CONTROL_WORDS, CONTROL_WORD_IDS, type ControlBitDef } from "../arch/controls.js";
import { MSR_LAYOUTS, extractField, type MsrLayoutName, type MsrName } from "../arch/msrs.js";
import { CR0_BITS, CR4_BITS } from "../arch/registers.js";
import { hiOf, loOf, testBit } from "../u64/halves.js";
import { VmxCapabilities } from "./capabilities.js";

/** How a numeric sub-field may differ between a source and a destination that can take its guests. */
export type FieldComparison = "equal" | "not-larger" | "not-smaller";

/**
 * Numeric capability sub-fields and how the source's value must relate to the destination's.
 * (A guest may rely on any limit the source advertised, so the destination must offer at least
 * as much; identifiers must match.)
 */
export const FIELD_COMPARISONS: Readonly<Record<string, FieldComparison>> = Object.freeze({
  VMX_BASIC_VMCS_REVISION_ID: "equal",
  VMX_BASIC_VMCS_SIZE: "not-smaller",
  VMX_BASIC_MEM_TYPE: "equal",
  VMX_MISC_PREEMPTION_TIMER_RATE: "equal",
  VMX_MISC_CR3_COUNT: "not-larger",
  VMX_MISC_MAX_MSR: "not-larger",
  VMX_MISC_MSEG_REVID: "equal",
  VMX_VMCS_ENUM_MAX_INDEX: "not-larger",
  VMX_EPT_MAX_HLAT_PREFIX_SIZE: "not-larger",
});

/** One capability the destination does not offer as the source did. */
export interface CapabilityGap {
  /** Where it lives: a control word id, a layout MSR, or CR0/CR4. */
  readonly area: string;
  /** The Linux name of the control, bit or field. */
  readonly name: string;
  readonly message: string;
}

/** Every capability the source advertises that the destination lacks or constrains differently. */
export function capabilityGaps(source: ReadonlyMap<number, bigint>, destination: ReadonlyMap<number, bigint>): CapabilityGap[] {
  const from = new VmxCapabilities(source);
  const to = new VmxCapabilities(destination);
  return [...controlGaps(from, to), ...layoutGaps(from, to), ...fixedGaps(from, to)];
}

function controlGaps(from: VmxCapabilities, to: VmxCapabilities): CapabilityGap[] {
  const gaps: CapabilityGap[] = [];
  for (const id of CONTROL_WORD_IDS) {
    for (const bit of CONTROL_WORDS[id].bits as readonly ControlBitDef[]) {
      const was = from.setting(id, bit.bit);
      const now = to.setting(id, bit.bit);
      if (was !== "must-be-0" && now === "must-be-0") {
        gaps.push({ area: id, name: bit.name, message: `${bit.name} (${bit.title}) may be 1 on the source but must be 0 on the destination` });
      } else if (was !== "must-be-1" && now === "must-be-1") {
        gaps.push({ area: id, name: bit.name, message: `${bit.name} (${bit.title}) may be 0 on the source but must be 1 on the destination` });
      }
    }
  }
  return gaps;
}

function layoutGaps(from: VmxCapabilities, to: VmxCapabilities): CapabilityGap[] {
  const gaps: CapabilityGap[] = [];
  for (const layout of ["IA32_VMX_BASIC", "IA32_VMX_MISC", "IA32_VMX_VMCS_ENUM", "IA32_VMX_EPT_VPID_CAP"] as const satisfies readonly MsrLayoutName[]) {
    const a = from.msr(layout as MsrName);
    const b = to.msr(layout as MsrName);
    for (const bit of MSR_LAYOUTS[layout].bits) {
      if (testBit(loOf(a), hiOf(a), bit.bit) && !testBit(loOf(b), hiOf(b), bit.bit)) {
        gaps.push({ area: layout, name: bit.name, message: `${layout} bit ${bit.bit} (${bit.name}: ${bit.title}) is 1 on the source and 0 on the destination` });
      }
    }
    for (const field of MSR_LAYOUTS[layout].fields) {
      const comparison = FIELD_COMPARISONS[field.name];
      if (comparison === undefined) continue;
      const was = extractField(loOf(a), hiOf(a), field);
      const now = extractField(loOf(b), hiOf(b), field);
      if (!fieldCompatible(comparison, was, now)) {
        gaps.push({ area: layout, name: field.name, message: `${layout}[${field.msb}:${field.lsb}] ${field.name} (${field.title}) is ${was} on the source and ${now} on the destination; it must be ${comparisonText(comparison)}` });
      }
    }
  }
  return gaps;
}

function fixedGaps(from: VmxCapabilities, to: VmxCapabilities): CapabilityGap[] {
  const gaps: CapabilityGap[] = [];
  for (const [register, bits] of [["CR0", CR0_BITS], ["CR4", CR4_BITS]] as const) {
    const fixed0 = [from.msr(`IA32_VMX_${register}_FIXED0`), to.msr(`IA32_VMX_${register}_FIXED0`)] as const;
    const fixed1 = [from.msr(`IA32_VMX_${register}_FIXED1`), to.msr(`IA32_VMX_${register}_FIXED1`)] as const;
    for (const bit of bits) {
      const set = (value: bigint) => testBit(loOf(value), hiOf(value), bit.bit);
      if (!set(fixed0[0]) && set(fixed0[1])) gaps.push({ area: register, name: bit.name, message: `${register}.${bit.name.replace(/^X86_CR[04]_/, "")} may be 0 in VMX operation on the source but must be 1 on the destination` });
      if (set(fixed1[0]) && !set(fixed1[1])) gaps.push({ area: register, name: bit.name, message: `${register}.${bit.name.replace(/^X86_CR[04]_/, "")} may be 1 in VMX operation on the source but must be 0 on the destination` });
    }
  }
  return gaps;
}

function fieldCompatible(comparison: FieldComparison, source: number, destination: number): boolean {
  if (comparison === "equal") return source === destination;
  return comparison === "not-larger" ? source <= destination : source >= destination;
}

function comparisonText(comparison: FieldComparison): string {
  if (comparison === "equal") return "the same on both";
  return comparison === "not-larger" ? "at most the destination's value on the source" : "at least the destination's value on the source";
}
