/**
 * Guest-physical memory in JSON inputs (CONTRACT.md §2 and §5):
 * `[{ "gpa": "0x5000", "qwords": ["0x10", "0x0"] }]`, with exactly one of `bytes`, `dwords` or
 * `qwords` (arrays of values, stored little-endian from `gpa` upwards).
 */
import { InputError } from "./input-error.js";
import { describeJson, toU64, u64Problem } from "./values.js";
import { hiOf, loOf } from "../u64/halves.js";

/** Bytes to place at a guest-physical address. */
export interface MemoryChunk {
  readonly gpa: bigint;
  readonly data: Uint8Array;
}

const UNIT_BYTES = { bytes: 1, dwords: 4, qwords: 8 } as const;
type Unit = keyof typeof UNIT_BYTES;
const UNITS = Object.keys(UNIT_BYTES) as Unit[];

/** Parses a `memory` array; `key` is where it sits in the file (for messages). */
export function parseMemoryJson(json: unknown, source: string, key = "memory"): MemoryChunk[] {
  if (!Array.isArray(json)) throw new InputError(source, key, `expected an array of { "gpa", "bytes" | "dwords" | "qwords" }, got ${describeJson(json)}`);
  return json.map((entry, index) => parseChunk(entry, source, `${key}[${index}]`));
}

function parseChunk(entry: unknown, source: string, key: string): MemoryChunk {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
    throw new InputError(source, key, `expected an object with "gpa" and one of "bytes", "dwords", "qwords", got ${describeJson(entry)}`);
  }
  const record = entry as Record<string, unknown>;
  for (const name of Object.keys(record)) {
    if (name !== "gpa" && !UNITS.includes(name as Unit)) {
      throw new InputError(source, `${key}.${name}`, `unknown key (expected "gpa" and one of "bytes", "dwords", "qwords")`);
    }
  }
  const gpa = parseU64At(record["gpa"], source, `${key}.gpa`);
  const present = UNITS.filter((unit) => record[unit] !== undefined);
  if (present.length !== 1) {
    throw new InputError(source, key, `needs exactly one of "bytes", "dwords", "qwords" (found ${present.length})`);
  }
  const unit = present[0]!;
  return { gpa, data: packUnits(record[unit], unit, source, `${key}.${unit}`) };
}

function packUnits(values: unknown, unit: Unit, source: string, key: string): Uint8Array {
  if (!Array.isArray(values)) throw new InputError(source, key, `expected an array of values, got ${describeJson(values)}`);
  const size = UNIT_BYTES[unit];
  const data = new Uint8Array(values.length * size);
  const view = new DataView(data.buffer);
  values.forEach((raw, index) => {
    const value = parseU64At(raw, source, `${key}[${index}]`);
    if (value >> BigInt(size * 8) !== 0n) {
      throw new InputError(source, `${key}[${index}]`, `0x${value.toString(16)} does not fit in ${size * 8} bits`);
    }
    if (size === 1) view.setUint8(index, Number(value));
    else if (size === 4) view.setUint32(index * 4, Number(value), true);
    else {
      view.setUint32(index * 8, loOf(value), true);
      view.setUint32(index * 8 + 4, hiOf(value), true);
    }
  });
  return data;
}

/** A 64-bit value at `key`, or an InputError naming it. */
export function parseU64At(value: unknown, source: string, key: string): bigint {
  if (value === undefined) throw new InputError(source, key, "missing");
  const problem = u64Problem(value);
  if (problem !== undefined) throw new InputError(source, key, problem);
  return toU64(value as string | number);
}
