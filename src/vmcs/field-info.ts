/**
 * What `nvmx field` says about a field name or encoding: the field, its width and type, its SDM
 * citation, and for an encoding that names no field, why (SDM 25.11.2).
 */
import {
  ENCODING_RESERVED_MASK,
  FIELD_TYPE_TITLES,
  encodingIndex,
  encodingType,
  encodingWidth,
  isHighAccess,
  type FieldType,
  type FieldWidth,
} from "../arch/vmcs-encoding.js";
import { FIELD_ACCESS_BY_ENCODING, type FieldAccess } from "../arch/vmcs-lookup.js";
import { SDM_SECTIONS, type SdmSection } from "../arch/sdm.js";

/** The bit-level reading of any 32-bit encoding, valid or not. */
export interface EncodingBits {
  readonly encoding: number;
  readonly access: "full" | "high";
  readonly index: number;
  readonly type: FieldType;
  readonly width: FieldWidth;
  /** Reserved bits (12 and 31:15) that are set; 0 in a valid encoding. */
  readonly reservedBits: number;
}

/** Everything nvmx knows about one field access. */
export interface FieldInfo {
  readonly name: string;
  readonly inLinux: boolean;
  readonly title: string;
  /** The encoding asked about (full or high access). */
  readonly encoding: number;
  readonly access: "full" | "high";
  readonly fullEncoding: number;
  /** The high-access encoding of a 64-bit field; undefined for other widths. */
  readonly highEncoding: number | undefined;
  readonly width: FieldWidth;
  readonly type: FieldType;
  readonly index: number;
  readonly sdm: SdmSection;
  readonly sdmTitle: string;
  readonly existsIf: readonly string[];
}

/** Splits an encoding into its parts (SDM 25.11.2). */
export function decodeEncodingBits(encoding: number): EncodingBits {
  return {
    encoding,
    access: isHighAccess(encoding) ? "high" : "full",
    index: encodingIndex(encoding),
    type: encodingType(encoding),
    width: encodingWidth(encoding),
    reservedBits: (encoding & ENCODING_RESERVED_MASK) >>> 0,
  };
}

/** The facts about a field access. */
export function describeFieldAccess(access: FieldAccess): FieldInfo {
  const { field } = access;
  return {
    name: access.high ? `${field.name}_HIGH` : field.name,
    inLinux: field.inLinux,
    title: field.title,
    encoding: access.encoding,
    access: access.high ? "high" : "full",
    fullEncoding: field.encoding,
    highEncoding: field.width === "64" ? field.encoding | 1 : undefined,
    width: field.width,
    type: field.type,
    index: encodingIndex(field.encoding),
    sdm: field.sdm,
    sdmTitle: SDM_SECTIONS[field.sdm],
    existsIf: field.existsIf ?? [],
  };
}

/** Why an encoding names no VMCS field (VMREAD/VMWRITE fail with VM-instruction error 12). */
export function whyNoField(encoding: number): string {
  if (!Number.isSafeInteger(encoding) || encoding < 0 || encoding > 0xffffffff) {
    return "bits 63:32 of the encoding operand are not 0";
  }
  const bits = decodeEncodingBits(encoding);
  if (bits.reservedBits !== 0) {
    return `reserved bits set (0x${bits.reservedBits.toString(16)}; bits 31:15 and 12 must be 0)`;
  }
  if (bits.access === "high") {
    const full = FIELD_ACCESS_BY_ENCODING.get(encoding & ~1);
    if (full !== undefined) return `high access (bit 0) to ${full.field.name}, a ${widthText(full.field.width)} field: only 64-bit fields have a high half`;
  }
  return `no ${widthText(bits.width)} ${FIELD_TYPE_TITLES[bits.type]} field has index ${bits.index}`;
}

/** "16-bit", "natural-width", … */
export function widthText(width: FieldWidth): string {
  return width === "natural" ? "natural-width" : `${width}-bit`;
}
