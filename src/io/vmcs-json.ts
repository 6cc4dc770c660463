/**
 * vmcs.json (CONTRACT.md §2): a flat object of field name → value, or
 * `{ "fields": {…}, "memory": [...] }`. Names are Linux `enum vmcs_field` names (64-bit fields
 * by their full name, without `_HIGH`) or hex encodings; fields not named are 0.
 */
import { FIELD_ACCESS_BY_NAME, resolveField } from "../arch/vmcs-lookup.js";
import type { VmcsFieldDef } from "../arch/vmcs-encoding.js";
import { InputError } from "./input-error.js";
import { parseMemoryJson, parseU64At, type MemoryChunk } from "./memory-json.js";
import { describeJson } from "./values.js";
import { suggestName } from "./suggest.js";

/** A parsed vmcs.json: the named fields with their values, and guest memory. */
export interface VmcsDocument {
  /** Field → value, in the order the file gives them. */
  readonly fields: ReadonlyMap<VmcsFieldDef, bigint>;
  readonly memory: readonly MemoryChunk[];
}

const FIELD_BITS = { "16": 16n, "32": 32n, "64": 64n, natural: 64n } as const;

/** Parses a vmcs.json document already decoded from JSON; `source` names it in errors. */
export function parseVmcsJson(json: unknown, source: string): VmcsDocument {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new InputError(source, "", `expected a JSON object of VMCS fields, got ${describeJson(json)}`);
  }
  const record = json as Record<string, unknown>;
  if (!("fields" in record)) return { fields: parseFieldMap(record, source, ""), memory: [] };
  for (const key of Object.keys(record)) {
    if (key !== "fields" && key !== "memory") {
      throw new InputError(source, key, `unknown key next to "fields" (expected "fields" and "memory")`);
    }
  }
  const fields = record["fields"];
  if (typeof fields !== "object" || fields === null || Array.isArray(fields)) {
    throw new InputError(source, "fields", `expected an object of VMCS fields, got ${describeJson(fields)}`);
  }
  const memory = record["memory"] === undefined ? [] : parseMemoryJson(record["memory"], source);
  return { fields: parseFieldMap(fields as Record<string, unknown>, source, "fields."), memory };
}

function parseFieldMap(record: Record<string, unknown>, source: string, prefix: string): Map<VmcsFieldDef, bigint> {
  const fields = new Map<VmcsFieldDef, bigint>();
  const keyOf = new Map<VmcsFieldDef, string>();
  for (const [key, raw] of Object.entries(record)) {
    const path = prefix + key;
    const field = fieldForKey(key, source, path);
    const earlier = keyOf.get(field);
    if (earlier !== undefined) throw new InputError(source, path, `names the same field as "${earlier}" (${field.name})`);
    const value = parseU64At(raw, source, path);
    const bits = FIELD_BITS[field.width];
    if (value >> bits !== 0n) {
      throw new InputError(source, path, `0x${value.toString(16)} does not fit in ${field.name}, a ${field.width}-bit field`);
    }
    fields.set(field, value);
    keyOf.set(field, key);
  }
  return fields;
}

function fieldForKey(key: string, source: string, path: string): VmcsFieldDef {
  const access = resolveField(key);
  if (access === undefined) {
    const hint = /^0x/i.test(key) ? "" : suggestName(key, FIELD_ACCESS_BY_NAME.keys());
    throw new InputError(source, path, `unknown VMCS field${hint === undefined || hint === "" ? "" : ` (did you mean ${hint}?)`}`);
  }
  if (access.high) {
    throw new InputError(source, path, `a vmcs.json value holds the whole 64-bit field: use "${access.field.name}" instead of its high half`);
  }
  return access.field;
}
