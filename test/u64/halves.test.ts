// The halves helpers against a BigInt reference (property tests): the hot paths rely on them.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  equals,
  fitsInBits,
  formatHex,
  formatHexBig,
  halvesOfNumber,
  hasAllBits,
  hasBitsOutside,
  hiOf,
  isAllOnes,
  isCanonical,
  isZero,
  loOf,
  lowMask32,
  testBit,
  toBigInt,
  toSafeNumber,
} from "../../src/u64/halves.js";

const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
/** 64-bit values biased towards the edges (bit boundaries, canonical boundaries, all ones). */
const edgy = fc.oneof(
  u64,
  fc.integer({ min: 0, max: 63 }).map((bit) => 1n << BigInt(bit)),
  fc.integer({ min: 0, max: 64 }).map((bits) => (1n << BigInt(bits)) - 1n),
  fc.constantFrom(0x0000_7fff_ffff_ffffn, 0xffff_8000_0000_0000n, 0x00ff_ffff_ffff_ffffn, 0xff00_0000_0000_0000n),
);
const split = (value: bigint) => [loOf(value), hiOf(value)] as const;

describe("u64 halves, differentially against BigInt", () => {
  it("split and join round-trip", () => {
    fc.assert(fc.property(u64, (value) => toBigInt(loOf(value), hiOf(value)) === value));
  });

  it("testBit is (value >> bit) & 1", () => {
    fc.assert(
      fc.property(edgy, fc.integer({ min: 0, max: 63 }), (value, bit) => {
        expect(testBit(...split(value), bit)).toBe(((value >> BigInt(bit)) & 1n) === 1n);
      }),
    );
  });

  it("hasBitsOutside is (value & ~mask) != 0; hasAllBits is (value & mask) == mask", () => {
    fc.assert(
      fc.property(edgy, edgy, (value, mask) => {
        const [lo, hi] = split(value);
        const [maskLo, maskHi] = split(mask);
        expect(hasBitsOutside(lo, hi, maskLo, maskHi)).toBe((value & ~mask & ((1n << 64n) - 1n)) !== 0n);
        expect(hasAllBits(lo, hi, maskLo, maskHi)).toBe((value & mask) === mask);
      }),
    );
  });

  it("fitsInBits is value < 2^width, at every width 0..64", () => {
    fc.assert(
      fc.property(edgy, fc.integer({ min: 0, max: 64 }), (value, width) => {
        expect(fitsInBits(...split(value), width)).toBe(value < 1n << BigInt(width));
      }),
    );
  });

  it("isCanonical matches sign-extension from bit vaBits-1 for 48 and 57 bits", () => {
    fc.assert(
      fc.property(edgy, fc.constantFrom(48, 57), (value, vaBits) => {
        const signed = BigInt.asIntN(vaBits, value);
        expect(isCanonical(hiOf(value), vaBits)).toBe(BigInt.asUintN(64, signed) === value);
      }),
    );
  });

  it("equals, isZero, isAllOnes", () => {
    fc.assert(
      fc.property(edgy, edgy, (a, b) => {
        expect(equals(...split(a), ...split(b))).toBe(a === b);
        expect(isZero(...split(a))).toBe(a === 0n);
        expect(isAllOnes(...split(a))).toBe(a === (1n << 64n) - 1n);
      }),
    );
  });

  it("formatHex matches BigInt's hex without leading zeros", () => {
    fc.assert(fc.property(edgy, (value) => formatHex(...split(value)) === "0x" + value.toString(16)));
    fc.assert(fc.property(edgy, (value) => formatHexBig(value) === "0x" + value.toString(16)));
  });

  it("safe numbers convert both ways below 2^53 and not above", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (value) => {
        const [lo, hi] = halvesOfNumber(value);
        expect(toBigInt(lo, hi)).toBe(BigInt(value));
        expect(toSafeNumber(lo, hi)).toBe(value);
      }),
    );
    expect(toSafeNumber(0, 0x200000)).toBeUndefined();
  });

  it("lowMask32 gives n low bits, saturating at 32", () => {
    expect(lowMask32(0)).toBe(0);
    expect(lowMask32(1)).toBe(1);
    expect(lowMask32(31)).toBe(0x7fffffff);
    expect(lowMask32(32)).toBe(0xffffffff);
    expect(lowMask32(40)).toBe(0xffffffff);
  });

  it("canonical edges at 48 bits", () => {
    expect(isCanonical(0x0000_7fff, 48)).toBe(true);
    expect(isCanonical(0x0000_8000, 48)).toBe(false);
    expect(isCanonical(0xffff_8000, 48)).toBe(true);
    expect(isCanonical(0xffff_7fff, 48)).toBe(false);
    expect(isCanonical(0x00ff_ffff, 57)).toBe(true);
    expect(isCanonical(0x0100_0000, 57)).toBe(false);
  });
});
