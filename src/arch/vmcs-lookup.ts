/**
 * Lookups derived from {@link VMCS_FIELDS}: by name, by encoding (full and high access), and the
 * dense slot numbers the VMCS store keeps values in. Nothing here is written by hand.
 */
import { VMCS_FIELDS } from "./vmcs-fields.js";
import { ENCODING_ACCESS_HIGH, type VmcsFieldDef } from "./vmcs-encoding.js";

/** A name of a VMCS field (Linux `enum vmcs_field` style, 64-bit fields without `_HIGH`). */
export type VmcsFieldName = (typeof VMCS_FIELDS)[number]["name"];

/** One way to access a field: the field, the encoding used and whether it is the high half. */
export interface FieldAccess {
  readonly field: VmcsFieldDef;
  /** Position of the field in VMCS_FIELDS: the store's slot number. */
  readonly slot: number;
  readonly encoding: number;
  readonly high: boolean;
}

const HIGH_SUFFIX = "_HIGH";

function buildLookups() {
  const byName = new Map<string, FieldAccess>();
  const byEncoding = new Map<number, FieldAccess>();
  VMCS_FIELDS.forEach((field: VmcsFieldDef, slot) => {
    const full: FieldAccess = Object.freeze({ field, slot, encoding: field.encoding, high: false });
    byName.set(field.name, full);
    byEncoding.set(field.encoding, full);
    if (field.width === "64") {
      const high: FieldAccess = Object.freeze({ field, slot, encoding: field.encoding | ENCODING_ACCESS_HIGH, high: true });
      byName.set(field.name + HIGH_SUFFIX, high);
      byEncoding.set(high.encoding, high);
    }
  });
  return { byName, byEncoding };
}

const LOOKUPS = buildLookups();

/** Every field access by name: `GUEST_CR0`, and `TSC_OFFSET_HIGH` for the high half of a 64-bit field. */
export const FIELD_ACCESS_BY_NAME: ReadonlyMap<string, FieldAccess> = LOOKUPS.byName;

/** Every valid encoding (full and high access) → its field access. */
export const FIELD_ACCESS_BY_ENCODING: ReadonlyMap<number, FieldAccess> = LOOKUPS.byEncoding;

/** The number of VMCS fields, and so of store slots. */
export const FIELD_COUNT = VMCS_FIELDS.length;

/** The field definition of a full-access name, or undefined. */
export function fieldByName(name: string): VmcsFieldDef | undefined {
  const access = FIELD_ACCESS_BY_NAME.get(name);
  return access && !access.high ? access.field : undefined;
}

/**
 * Resolves what a user typed for a field: a name (case-insensitive, `_HIGH` allowed) or an
 * encoding (number, or a hex string such as `0x6800`). Undefined when nothing matches.
 */
export function resolveField(spec: string | number): FieldAccess | undefined {
  if (typeof spec === "number") return FIELD_ACCESS_BY_ENCODING.get(spec);
  const text = spec.trim();
  if (/^0x[0-9a-f]+$/i.test(text)) {
    const encoding = Number.parseInt(text, 16);
    return Number.isSafeInteger(encoding) ? FIELD_ACCESS_BY_ENCODING.get(encoding) : undefined;
  }
  return FIELD_ACCESS_BY_NAME.get(text.toUpperCase());
}
