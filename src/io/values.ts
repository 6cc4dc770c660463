/**
 * Values in nvmx's JSON inputs (CONTRACT.md): 64-bit values are hex strings (`"0x80000031"`);
 * a plain JSON number is accepted where it is a non-negative safe integer (fits in 53 bits).
 */
import { z } from "zod";

const HEX_U64 = /^0x[0-9a-f]{1,16}$/i;

/** Why a value is not a 64-bit value, or undefined when it is one. */
export function u64Problem(value: unknown): string | undefined {
  if (typeof value === "string") {
    const text = value.replace(/_/g, "");
    if (HEX_U64.test(text)) return undefined;
    if (/^0x[0-9a-f]+$/i.test(text)) return `${JSON.stringify(value)} is wider than 64 bits`;
    return `${JSON.stringify(value)} is not a hex string such as "0x80000031"`;
  }
  if (typeof value === "number") {
    if (Number.isSafeInteger(value) && value >= 0) return undefined;
    return `${value} is not a non-negative integer below 2^53 (write larger values as hex strings)`;
  }
  return `expected a hex string such as "0x80000031" or a non-negative integer, got ${describeJson(value)}`;
}

/** Converts a value that {@link u64Problem} accepted. */
export function toU64(value: string | number): bigint {
  return typeof value === "number" ? BigInt(value) : BigInt(value.replace(/_/g, ""));
}

/** A zod schema for a 64-bit value, producing a BigInt. */
export const u64Schema = z.unknown().transform((value, ctx): bigint => {
  const problem = u64Problem(value);
  if (problem !== undefined) {
    ctx.addIssue({ code: "custom", message: problem });
    return z.NEVER;
  }
  return toU64(value as string | number);
});

/** A short description of a JSON value's kind, for messages. */
export function describeJson(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}
