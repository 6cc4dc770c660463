/**
 * The structure of a VMCS field encoding (SDM 25.11.2, "VMREAD, VMWRITE, and Encodings of VMCS
 * Fields"): bit 0 access type (0 full, 1 high), bits 9:1 index, bits 11:10 type, bit 12 reserved
 * (0), bits 14:13 width, bits 31:15 reserved (0). Only 64-bit fields have a high encoding.
 */
import type { SdmSection } from "./sdm.js";

/** Field widths in the order of their code in bits 14:13. */
export const FIELD_WIDTHS = ["16", "64", "32", "natural"] as const;
export type FieldWidth = (typeof FIELD_WIDTHS)[number];

/** Field types in the order of their code in bits 11:10. */
export const FIELD_TYPES = ["control", "read-only", "guest", "host"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** What the SDM calls each type, for messages. */
export const FIELD_TYPE_TITLES: Readonly<Record<FieldType, string>> = Object.freeze({
  control: "control",
  "read-only": "read-only data (VM-exit information)",
  guest: "guest state",
  host: "host state",
});

export const ENCODING_ACCESS_HIGH = 0x1;
export const ENCODING_INDEX_SHIFT = 1;
export const ENCODING_INDEX_MASK = 0x1ff;
export const ENCODING_TYPE_SHIFT = 10;
export const ENCODING_WIDTH_SHIFT = 13;
/** Bits that are reserved in every valid encoding: bit 12 and bits 31:15. */
export const ENCODING_RESERVED_MASK = 0xffff9000;

/** One VMCS field as Appendix B lists it. */
export interface VmcsFieldDef {
  /**
   * The Linux kernel's `enum vmcs_field` name (arch/x86/include/asm/vmx.h); for a 64-bit field the
   * full-access name, without `_HIGH`. Fields Linux does not name get a name in the same style.
   */
  readonly name: string;
  /** True when `name` is spelled exactly as in Linux's `enum vmcs_field`. */
  readonly inLinux: boolean;
  /** The full-access encoding (bit 0 clear). */
  readonly encoding: number;
  readonly width: FieldWidth;
  readonly type: FieldType;
  /** The SDM's name for the field (Appendix B). */
  readonly title: string;
  /** The Appendix B table that lists the field. */
  readonly sdm: SdmSection;
  /**
   * Appendix B's footnote "This field exists only on processors that support the 1-setting of …":
   * Linux names of the controls (asm/vmx.h) any one of which makes the field exist.
   * Absent: the field exists on every processor that supports VMX.
   */
  readonly existsIf?: readonly string[];
}

/** The width encoded in bits 14:13. */
export function encodingWidth(encoding: number): FieldWidth {
  return FIELD_WIDTHS[(encoding >>> ENCODING_WIDTH_SHIFT) & 3]!;
}

/** The type encoded in bits 11:10. */
export function encodingType(encoding: number): FieldType {
  return FIELD_TYPES[(encoding >>> ENCODING_TYPE_SHIFT) & 3]!;
}

/** The index in bits 9:1. */
export function encodingIndex(encoding: number): number {
  return (encoding >>> ENCODING_INDEX_SHIFT) & ENCODING_INDEX_MASK;
}

/** Whether bit 0 selects high access. */
export function isHighAccess(encoding: number): boolean {
  return (encoding & ENCODING_ACCESS_HIGH) !== 0;
}

/** Builds the encoding of a field from its parts. */
export function makeEncoding(width: FieldWidth, type: FieldType, index: number, high = false): number {
  return (
    (FIELD_WIDTHS.indexOf(width) << ENCODING_WIDTH_SHIFT) |
    (FIELD_TYPES.indexOf(type) << ENCODING_TYPE_SHIFT) |
    ((index & ENCODING_INDEX_MASK) << ENCODING_INDEX_SHIFT) |
    (high ? ENCODING_ACCESS_HIGH : 0)
  );
}
