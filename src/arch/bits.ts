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
