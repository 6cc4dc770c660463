/**
 * 64-bit values as two unsigned 32-bit halves (lo, hi).
 *
 * The hot paths (VMREAD/VMWRITE, the VM-entry checks, exit reflection) keep every 64-bit value
 * this way: a mask-and-compare on BigInt costs ~100 ns, on halves a few ns, and halves never
 * allocate. Every helper here takes and returns plain numbers. BigInt conversions are for the
 * API edge only ({@link toBigInt}, {@link loOf}, {@link hiOf}).
 */

const TWO_32 = 0x1_0000_0000;

/** Bits `n-1:0` set, for 0 ≤ n ≤ 32, as an unsigned 32-bit number. */
export function lowMask32(n: number): number {
  return n >= 32 ? 0xffffffff : ((1 << n) - 1) >>> 0;
}

/** Whether bit `bit` (0–63) of the value is set. */
export function testBit(lo: number, hi: number, bit: number): boolean {
  return bit < 32 ? ((lo >>> bit) & 1) === 1 : ((hi >>> (bit - 32)) & 1) === 1;
}

/** Whether the value has any bit set outside the mask (maskLo, maskHi): reserved-bit checks. */
export function hasBitsOutside(lo: number, hi: number, maskLo: number, maskHi: number): boolean {
  return ((lo & ~maskLo) | (hi & ~maskHi)) !== 0;
}

/** Whether every bit of the mask is set in the value: must-be-1 checks. */
export function hasAllBits(lo: number, hi: number, maskLo: number, maskHi: number): boolean {
  return (((lo & maskLo) ^ maskLo) | ((hi & maskHi) ^ maskHi)) === 0;
}

/** Whether the value is below 2^width (0 ≤ width ≤ 64): "bits 63:width are 0" checks. */
export function fitsInBits(lo: number, hi: number, width: number): boolean {
  if (width >= 64) return true;
  if (width >= 32) return width === 32 ? hi === 0 : hi >>> (width - 32) === 0;
  return hi === 0 && lo >>> width === 0;
}

/**
 * Whether the value is canonical for a linear-address width of `vaBits` (33–64; 48 or 57 in
 * practice): bits 63:vaBits-1 all equal to bit vaBits-1. Only the high half matters.
 */
export function isCanonical(hi: number, vaBits: number): boolean {
  const shift = 64 - vaBits;
  return (hi << shift) >> shift === (hi | 0);
}

/** Whether two values are equal. */
export function equals(lo: number, hi: number, otherLo: number, otherHi: number): boolean {
  return lo === otherLo && hi === otherHi;
}

/** Whether the value is zero. */
export function isZero(lo: number, hi: number): boolean {
  return (lo | hi) === 0;
}

/** Whether the value is all ones (e.g. the VMCS link pointer FFFFFFFF_FFFFFFFFH). */
export function isAllOnes(lo: number, hi: number): boolean {
  return (lo & hi) === -1;
}

/** The value as a BigInt (API edge). */
export function toBigInt(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** Bits 31:0 of a BigInt, as an unsigned number (API edge). */
export function loOf(value: bigint): number {
  return Number(BigInt.asUintN(32, value));
}

/** Bits 63:32 of a BigInt, as an unsigned number (API edge). */
export function hiOf(value: bigint): number {
  return Number(BigInt.asUintN(32, value >> 32n));
}

/** The value as a number when it fits in 53 bits, else undefined. */
export function toSafeNumber(lo: number, hi: number): number | undefined {
  return hi < 0x200000 ? hi * TWO_32 + (lo >>> 0) : undefined;
}

/** Splits a non-negative safe integer into halves. */
export function halvesOfNumber(value: number): [lo: number, hi: number] {
  return [value >>> 0, Math.floor(value / TWO_32) >>> 0];
}

/** `0x` followed by lower-case hex digits without leading zeros, as CONTRACT.md prints values. */
export function formatHex(lo: number, hi: number): string {
  if (hi === 0) return "0x" + (lo >>> 0).toString(16);
  return "0x" + (hi >>> 0).toString(16) + (lo >>> 0).toString(16).padStart(8, "0");
}

/** Formats a BigInt in the same way as {@link formatHex}. */
export function formatHexBig(value: bigint): string {
  return "0x" + BigInt.asUintN(64, value).toString(16);
}
