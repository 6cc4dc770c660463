/**
 * Shapes shared by every table of named bits (control words, capability MSRs, CR0/CR4/EFER,
 * RFLAGS, DR7, segment access rights). A table is data: an `as const satisfies` array of these.
 */
import type { SdmSection } from "./sdm.js";

/** One named bit of a register, MSR or control word. `bit` counts from 0 (at most 63). */
export interface BitDef {
  /** The Linux kernel's name (asm/vmx.h, asm/msr-index.h, asm/processor-flags.h, …). */
  readonly name: string;
  readonly bit: number;
  /** The SDM's name for the bit. */
  readonly title: string;
  readonly sdm: SdmSection;
}

/** A multi-bit sub-field of a register or MSR: bits `msb:lsb`, inclusive. */
export interface BitFieldDef {
  readonly name: string;
  readonly lsb: number;
  readonly msb: number;
  readonly title: string;
  readonly sdm: SdmSection;
}

/** All 64 bits. */
export const U64_MASK = (1n << 64n) - 1n;

/** The mask of one bit (BigInt, for 64-bit registers). */
export function bitMask(b: Pick<BitDef, "bit">): bigint {
  return 1n << BigInt(b.bit);
}

/** The mask of a field, bits `msb:lsb` (BigInt). */
export function fieldMask(f: Pick<BitFieldDef, "lsb" | "msb">): bigint {
  return ((1n << BigInt(f.msb - f.lsb + 1)) - 1n) << BigInt(f.lsb);
}

/** The value of bits `msb:lsb` of a 64-bit value (BigInt). */
export function fieldValue(value: bigint, f: Pick<BitFieldDef, "lsb" | "msb">): bigint {
  return (value & fieldMask(f)) >> BigInt(f.lsb);
}

/** The OR of every bit and field of a table (BigInt). */
export function tableMask(bits: readonly Pick<BitDef, "bit">[], fields: readonly Pick<BitFieldDef, "lsb" | "msb">[] = []): bigint {
  let mask = 0n;
  for (const b of bits) mask |= bitMask(b);
  for (const f of fields) mask |= fieldMask(f);
  return mask;
}

/** The mask of one bit of a 32-bit field, as an unsigned number. */
export function bit32(b: Pick<BitDef, "bit">): number {
  return (1 << b.bit) >>> 0;
}

/** The mask of a field of a 32-bit value, bits `msb:lsb`, as an unsigned number. */
export function field32(f: Pick<BitFieldDef, "lsb" | "msb">): number {
  const width = f.msb - f.lsb + 1;
  return width >= 32 ? 0xffffffff : (((1 << width) - 1) << f.lsb) >>> 0;
}

/** Freezes a table and each of its entries. */
export function freezeTable<T extends readonly object[]>(table: T): T {
  table.forEach((entry) => Object.freeze(entry));
  return Object.freeze(table);
}
