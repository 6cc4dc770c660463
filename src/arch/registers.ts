/**
 * The architectural registers whose bits VM entry checks: CR0, CR3, CR4, IA32_EFER, RFLAGS, DR7
 * (and DR6, for completeness of the debug state). One table of named bits per register, with the
 * Linux name of each bit; every mask here is derived from those tables.
 *
 * Masks are BigInt, the public type for 64-bit values. Hot paths split them once, at module
 * load, with `loOf`/`hiOf` from src/u64/halves.ts.
 */
import { bitMask, fieldMask, freezeTable, tableMask, type BitDef, type BitFieldDef } from "./bits.js";

export { U64_MASK, bitMask, fieldMask, tableMask } from "./bits.js";
import { U64_MASK } from "./bits.js";

/** A named bit of a register. `inLinux`: whether `name` is spelled exactly as in Linux. */
export interface RegisterBitDef extends BitDef {
  readonly inLinux: boolean;
  /** Present when the bit is not writable and always reads as this value (RFLAGS[1], DR7[10]). */
  readonly fixed?: 0 | 1;
}

/** A named multi-bit field of a register. */
export interface RegisterFieldDef extends BitFieldDef {
  readonly inLinux: boolean;
}

type MasksByName<T extends readonly { readonly name: string }[]> = { readonly [E in T[number] as E["name"]]: bigint };

function masksByName<const T extends readonly (BitDef | BitFieldDef)[]>(table: T): MasksByName<T> {
  const entries = table.map((e) => [e.name, "bit" in e ? bitMask(e) : fieldMask(e)] as const);
  return Object.freeze(Object.fromEntries(entries)) as MasksByName<T>;
}

function fixedMask(bits: readonly RegisterBitDef[], value: 0 | 1): bigint {
  return tableMask(bits.filter((b) => b.fixed === value));
}

// ---------------------------------------------------------------------------------------------
// CR0 (SDM 2.5; Linux X86_CR0_*, arch/x86/include/uapi/asm/processor-flags.h)
// ---------------------------------------------------------------------------------------------

/** The defined bits of CR0. Bits 63:32 are reserved. */
export const CR0_BITS = freezeTable([
  { name: "X86_CR0_PE", inLinux: true, bit: 0, title: "Protection Enable", sdm: "2.5" },
  { name: "X86_CR0_MP", inLinux: true, bit: 1, title: "Monitor Coprocessor", sdm: "2.5" },
  { name: "X86_CR0_EM", inLinux: true, bit: 2, title: "Emulation", sdm: "2.5" },
  { name: "X86_CR0_TS", inLinux: true, bit: 3, title: "Task Switched", sdm: "2.5" },
  { name: "X86_CR0_ET", inLinux: true, bit: 4, title: "Extension Type", sdm: "2.5" },
  { name: "X86_CR0_NE", inLinux: true, bit: 5, title: "Numeric Error", sdm: "2.5" },
  { name: "X86_CR0_WP", inLinux: true, bit: 16, title: "Write Protect", sdm: "2.5" },
  { name: "X86_CR0_AM", inLinux: true, bit: 18, title: "Alignment Mask", sdm: "2.5" },
  { name: "X86_CR0_NW", inLinux: true, bit: 29, title: "Not Write-through", sdm: "2.5" },
  { name: "X86_CR0_CD", inLinux: true, bit: 30, title: "Cache Disable", sdm: "2.5" },
  { name: "X86_CR0_PG", inLinux: true, bit: 31, title: "Paging", sdm: "2.5" },
] as const satisfies readonly RegisterBitDef[]);

/** CR0 bit name → mask: `CR0_MASK.X86_CR0_PG === 1n << 31n`. */
export const CR0_MASK = masksByName(CR0_BITS);
/** Every defined bit of CR0. */
export const CR0_DEFINED_MASK: bigint = tableMask(CR0_BITS);
/** The reserved bits of CR0 (all 64 bits but the defined ones). */
export const CR0_RESERVED_MASK: bigint = U64_MASK & ~CR0_DEFINED_MASK;

// ---------------------------------------------------------------------------------------------
// CR3 (SDM 2.5): only the bits VMX checks care about. The rest of CR3 is the page-table base,
// whose valid width depends on MAXPHYADDR, so CR3 has no "defined mask" here.
// ---------------------------------------------------------------------------------------------

/**
 * Named single bits of CR3. With CR4.PCIDE = 1, bits 11:0 are the PCID instead and PWT/PCD do not
 * apply: that is the one deliberate overlap between {@link CR3_BITS} and {@link CR3_FIELDS}.
 * Bit 63 (X86_CR3_PCID_NOFLUSH) is an operand bit of MOV to CR3, never a bit of CR3 itself, so it
 * is not listed.
 */
export const CR3_BITS = freezeTable([
  { name: "X86_CR3_PWT", inLinux: true, bit: 3, title: "Page-level Write-Through", sdm: "2.5" },
  { name: "X86_CR3_PCD", inLinux: true, bit: 4, title: "Page-level Cache Disable", sdm: "2.5" },
  // Linear-address masking for user pointers: allowed to be 1 only when LAM is supported; VM
  // entry's reserved-bit check on CR3 exempts bits 62:61 on such processors.
  { name: "X86_CR3_LAM_U57", inLinux: true, bit: 61, title: "LAM_U57 (user LAM, 57-bit)", sdm: "2.5" },
  { name: "X86_CR3_LAM_U48", inLinux: true, bit: 62, title: "LAM_U48 (user LAM, 48-bit)", sdm: "2.5" },
] as const satisfies readonly RegisterBitDef[]);

/** Multi-bit fields of CR3. */
export const CR3_FIELDS = freezeTable([
  { name: "X86_CR3_PCID_MASK", inLinux: true, lsb: 0, msb: 11, title: "Process-context identifier (CR4.PCIDE = 1)", sdm: "2.5" },
] as const satisfies readonly RegisterFieldDef[]);

/** CR3 bit/field name → mask. */
export const CR3_MASK = masksByName([...CR3_BITS, ...CR3_FIELDS] as const);
/** The LAM bits of CR3, 62:61. */
export const CR3_LAM_MASK: bigint = CR3_MASK.X86_CR3_LAM_U57 | CR3_MASK.X86_CR3_LAM_U48;

// ---------------------------------------------------------------------------------------------
// CR4 (SDM 2.5; Linux X86_CR4_*)
// ---------------------------------------------------------------------------------------------

/**
 * The defined bits of CR4. Bits 15, 26, 31:29 and 63:33 are reserved. Key Locker (19),
 * supervisor protection keys (24) and user interrupts (25) have no macro in mainline Linux:
 * their names here follow the patch series that proposed them.
 */
export const CR4_BITS = freezeTable([
  { name: "X86_CR4_VME", inLinux: true, bit: 0, title: "Virtual-8086 Mode Extensions", sdm: "2.5" },
  { name: "X86_CR4_PVI", inLinux: true, bit: 1, title: "Protected-Mode Virtual Interrupts", sdm: "2.5" },
  { name: "X86_CR4_TSD", inLinux: true, bit: 2, title: "Time Stamp Disable", sdm: "2.5" },
  { name: "X86_CR4_DE", inLinux: true, bit: 3, title: "Debugging Extensions", sdm: "2.5" },
  { name: "X86_CR4_PSE", inLinux: true, bit: 4, title: "Page Size Extensions", sdm: "2.5" },
  { name: "X86_CR4_PAE", inLinux: true, bit: 5, title: "Physical Address Extension", sdm: "2.5" },
  { name: "X86_CR4_MCE", inLinux: true, bit: 6, title: "Machine-Check Enable", sdm: "2.5" },
  { name: "X86_CR4_PGE", inLinux: true, bit: 7, title: "Page Global Enable", sdm: "2.5" },
  { name: "X86_CR4_PCE", inLinux: true, bit: 8, title: "Performance-Monitoring Counter Enable", sdm: "2.5" },
  { name: "X86_CR4_OSFXSR", inLinux: true, bit: 9, title: "OS Support for FXSAVE and FXRSTOR", sdm: "2.5" },
  { name: "X86_CR4_OSXMMEXCPT", inLinux: true, bit: 10, title: "OS Support for Unmasked SIMD Floating-Point Exceptions", sdm: "2.5" },
  { name: "X86_CR4_UMIP", inLinux: true, bit: 11, title: "User-Mode Instruction Prevention", sdm: "2.5" },
  { name: "X86_CR4_LA57", inLinux: true, bit: 12, title: "57-bit linear addresses (5-level paging)", sdm: "2.5" },
  { name: "X86_CR4_VMXE", inLinux: true, bit: 13, title: "VMX-Enable", sdm: "2.5" },
  { name: "X86_CR4_SMXE", inLinux: true, bit: 14, title: "SMX-Enable", sdm: "2.5" },
  { name: "X86_CR4_FSGSBASE", inLinux: true, bit: 16, title: "FSGSBASE-Enable", sdm: "2.5" },
  { name: "X86_CR4_PCIDE", inLinux: true, bit: 17, title: "PCID-Enable", sdm: "2.5" },
  { name: "X86_CR4_OSXSAVE", inLinux: true, bit: 18, title: "XSAVE and Processor Extended States-Enable", sdm: "2.5" },
  { name: "X86_CR4_KEYLOCKER", inLinux: false, bit: 19, title: "Key-Locker-Enable", sdm: "2.5" },
  { name: "X86_CR4_SMEP", inLinux: true, bit: 20, title: "SMEP-Enable", sdm: "2.5" },
  { name: "X86_CR4_SMAP", inLinux: true, bit: 21, title: "SMAP-Enable", sdm: "2.5" },
  { name: "X86_CR4_PKE", inLinux: true, bit: 22, title: "Protection keys for user-mode pages", sdm: "2.5" },
  { name: "X86_CR4_CET", inLinux: true, bit: 23, title: "Control-flow Enforcement Technology", sdm: "2.5" },
  { name: "X86_CR4_PKS", inLinux: false, bit: 24, title: "Protection keys for supervisor-mode pages", sdm: "2.5" },
  { name: "X86_CR4_UINTR", inLinux: false, bit: 25, title: "User-interrupts enable", sdm: "2.5" },
  { name: "X86_CR4_LASS", inLinux: true, bit: 27, title: "Linear-address-space separation", sdm: "2.5" },
  { name: "X86_CR4_LAM_SUP", inLinux: true, bit: 28, title: "Supervisor linear-address masking", sdm: "2.5" },
  { name: "X86_CR4_FRED", inLinux: true, bit: 32, title: "Flexible return and event delivery", sdm: "2.5" },
] as const satisfies readonly RegisterBitDef[]);

/** CR4 bit name → mask: `CR4_MASK.X86_CR4_VMXE === 1n << 13n`. */
export const CR4_MASK = masksByName(CR4_BITS);
/** Every bit of CR4 that some processor defines (which of them a given CPU allows is a capability). */
export const CR4_DEFINED_MASK: bigint = tableMask(CR4_BITS);
/** The bits of CR4 that no processor defines. */
export const CR4_RESERVED_MASK: bigint = U64_MASK & ~CR4_DEFINED_MASK;

// ---------------------------------------------------------------------------------------------
// IA32_EFER (SDM 2.2.1; Linux EFER_*, arch/x86/include/asm/msr-index.h)
// ---------------------------------------------------------------------------------------------

/** A bit of IA32_EFER, with the vendor whose manual defines it. */
export interface EferBitDef extends RegisterBitDef {
  /**
   * "intel": defined by SDM 2.2.1. "amd": defined only by the AMD APM (vol. 2, 3.1.7); the SDM
   * lists these bits as reserved, and they are here because Linux and KVM name them.
   */
  readonly vendor: "intel" | "amd";
}

/** The named bits of IA32_EFER. Linux calls NXE `EFER_NX`. */
export const EFER_BITS = freezeTable([
  { name: "EFER_SCE", inLinux: true, bit: 0, title: "SYSCALL Enable (SCE)", sdm: "2.2.1", vendor: "intel" },
  { name: "EFER_LME", inLinux: true, bit: 8, title: "IA-32e Mode Enable (LME)", sdm: "2.2.1", vendor: "intel" },
  { name: "EFER_LMA", inLinux: true, bit: 10, title: "IA-32e Mode Active (LMA)", sdm: "2.2.1", vendor: "intel" },
  { name: "EFER_NX", inLinux: true, bit: 11, title: "Execute Disable Bit Enable (NXE)", sdm: "2.2.1", vendor: "intel" },
  { name: "EFER_SVME", inLinux: true, bit: 12, title: "Secure Virtual Machine Enable (AMD)", sdm: "2.2.1", vendor: "amd" },
  { name: "EFER_LMSLE", inLinux: true, bit: 13, title: "Long Mode Segment Limit Enable (AMD)", sdm: "2.2.1", vendor: "amd" },
  { name: "EFER_FFXSR", inLinux: true, bit: 14, title: "Fast FXSAVE/FXRSTOR (AMD)", sdm: "2.2.1", vendor: "amd" },
  { name: "EFER_TCE", inLinux: true, bit: 15, title: "Translation Cache Extension (AMD)", sdm: "2.2.1", vendor: "amd" },
  { name: "EFER_AUTOIBRS", inLinux: true, bit: 21, title: "Automatic IBRS Enable (AMD)", sdm: "2.2.1", vendor: "amd" },
] as const satisfies readonly EferBitDef[]);

/** EFER bit name → mask: `EFER_MASK.EFER_LMA === 1n << 10n`. */
export const EFER_MASK = masksByName(EFER_BITS);
/** The bits of IA32_EFER that the SDM defines: SCE, LME, LMA, NXE. */
export const EFER_INTEL_DEFINED_MASK: bigint = tableMask(EFER_BITS.filter((b) => b.vendor === "intel"));
/** The bits of IA32_EFER that the SDM reserves (AMD's bits included: Intel processors reserve them). */
export const EFER_INTEL_RESERVED_MASK: bigint = U64_MASK & ~EFER_INTEL_DEFINED_MASK;
/** Every named bit of IA32_EFER, Intel's and AMD's. */
export const EFER_DEFINED_MASK: bigint = tableMask(EFER_BITS);

// ---------------------------------------------------------------------------------------------
// RFLAGS (SDM 2.3; Linux X86_EFLAGS_*)
// ---------------------------------------------------------------------------------------------

/** The single-bit flags of RFLAGS, bit 1 (always 1) included. */
export const RFLAGS_BITS = freezeTable([
  { name: "X86_EFLAGS_CF", inLinux: true, bit: 0, title: "Carry Flag (CF)", sdm: "2.3" },
  { name: "X86_EFLAGS_FIXED", inLinux: true, bit: 1, title: "Reserved, always 1", sdm: "2.3", fixed: 1 },
  { name: "X86_EFLAGS_PF", inLinux: true, bit: 2, title: "Parity Flag (PF)", sdm: "2.3" },
  { name: "X86_EFLAGS_AF", inLinux: true, bit: 4, title: "Auxiliary Carry Flag (AF)", sdm: "2.3" },
  { name: "X86_EFLAGS_ZF", inLinux: true, bit: 6, title: "Zero Flag (ZF)", sdm: "2.3" },
  { name: "X86_EFLAGS_SF", inLinux: true, bit: 7, title: "Sign Flag (SF)", sdm: "2.3" },
  { name: "X86_EFLAGS_TF", inLinux: true, bit: 8, title: "Trap Flag (TF)", sdm: "2.3" },
  { name: "X86_EFLAGS_IF", inLinux: true, bit: 9, title: "Interrupt Enable Flag (IF)", sdm: "2.3" },
  { name: "X86_EFLAGS_DF", inLinux: true, bit: 10, title: "Direction Flag (DF)", sdm: "2.3" },
  { name: "X86_EFLAGS_OF", inLinux: true, bit: 11, title: "Overflow Flag (OF)", sdm: "2.3" },
  { name: "X86_EFLAGS_NT", inLinux: true, bit: 14, title: "Nested Task (NT)", sdm: "2.3" },
  { name: "X86_EFLAGS_RF", inLinux: true, bit: 16, title: "Resume Flag (RF)", sdm: "2.3" },
  { name: "X86_EFLAGS_VM", inLinux: true, bit: 17, title: "Virtual-8086 Mode (VM)", sdm: "2.3" },
  { name: "X86_EFLAGS_AC", inLinux: true, bit: 18, title: "Alignment Check / Access Control (AC)", sdm: "2.3" },
  { name: "X86_EFLAGS_VIF", inLinux: true, bit: 19, title: "Virtual Interrupt Flag (VIF)", sdm: "2.3" },
  { name: "X86_EFLAGS_VIP", inLinux: true, bit: 20, title: "Virtual Interrupt Pending (VIP)", sdm: "2.3" },
  { name: "X86_EFLAGS_ID", inLinux: true, bit: 21, title: "Identification (ID)", sdm: "2.3" },
] as const satisfies readonly RegisterBitDef[]);

/** The multi-bit fields of RFLAGS. */
export const RFLAGS_FIELDS = freezeTable([
  { name: "X86_EFLAGS_IOPL", inLinux: true, lsb: 12, msb: 13, title: "I/O Privilege Level (IOPL)", sdm: "2.3" },
] as const satisfies readonly RegisterFieldDef[]);

/** RFLAGS bit/field name → mask: `RFLAGS_MASK.X86_EFLAGS_VM === 1n << 17n`. */
export const RFLAGS_MASK = masksByName([...RFLAGS_BITS, ...RFLAGS_FIELDS] as const);
/** Every defined bit of RFLAGS, the fixed bit 1 included. */
export const RFLAGS_DEFINED_MASK: bigint = tableMask(RFLAGS_BITS, RFLAGS_FIELDS);
/** Bits of RFLAGS that must be 1: bit 1 (SDM 27.3.1.4 checks it on VM entry). */
export const RFLAGS_FIXED1_MASK: bigint = fixedMask(RFLAGS_BITS, 1);
/** Reserved bits of RFLAGS, which VM entry requires to be 0: 63:22, 15, 5 and 3. */
export const RFLAGS_RESERVED_MASK: bigint = U64_MASK & ~RFLAGS_DEFINED_MASK;

// ---------------------------------------------------------------------------------------------
// DR7 (SDM 17.2.4; Linux DR_* in uapi/asm/debugreg.h, DR7_* in asm/kvm_host.h)
// ---------------------------------------------------------------------------------------------

/**
 * The single-bit flags of DR7. The per-breakpoint enables have no individual Linux names (Linux
 * shifts DR_LOCAL_ENABLE/DR_GLOBAL_ENABLE by 2 × n), so L0–G3 are named here.
 */
export const DR7_BITS = freezeTable([
  { name: "DR7_L0", inLinux: false, bit: 0, title: "L0 (local breakpoint enable 0)", sdm: "17.2.4" },
  { name: "DR7_G0", inLinux: false, bit: 1, title: "G0 (global breakpoint enable 0)", sdm: "17.2.4" },
  { name: "DR7_L1", inLinux: false, bit: 2, title: "L1 (local breakpoint enable 1)", sdm: "17.2.4" },
  { name: "DR7_G1", inLinux: false, bit: 3, title: "G1 (global breakpoint enable 1)", sdm: "17.2.4" },
  { name: "DR7_L2", inLinux: false, bit: 4, title: "L2 (local breakpoint enable 2)", sdm: "17.2.4" },
  { name: "DR7_G2", inLinux: false, bit: 5, title: "G2 (global breakpoint enable 2)", sdm: "17.2.4" },
  { name: "DR7_L3", inLinux: false, bit: 6, title: "L3 (local breakpoint enable 3)", sdm: "17.2.4" },
  { name: "DR7_G3", inLinux: false, bit: 7, title: "G3 (global breakpoint enable 3)", sdm: "17.2.4" },
  { name: "DR_LOCAL_SLOWDOWN", inLinux: true, bit: 8, title: "LE (local exact breakpoint enable)", sdm: "17.2.4" },
  { name: "DR_GLOBAL_SLOWDOWN", inLinux: true, bit: 9, title: "GE (global exact breakpoint enable)", sdm: "17.2.4" },
  { name: "DR7_FIXED_1", inLinux: true, bit: 10, title: "Reserved, always 1", sdm: "17.2.4", fixed: 1 },
  { name: "DR7_RTM", inLinux: false, bit: 11, title: "RTM (advanced debugging of RTM regions)", sdm: "17.2.4" },
  { name: "DR7_GD", inLinux: true, bit: 13, title: "GD (general detect enable)", sdm: "17.2.4" },
] as const satisfies readonly RegisterBitDef[]);

/** The R/W and LEN fields of DR7 (Linux encodes their values as DR_RW_* and DR_LEN_*). */
export const DR7_FIELDS = freezeTable([
  { name: "DR7_RW0", inLinux: false, lsb: 16, msb: 17, title: "R/W0 (breakpoint 0 condition)", sdm: "17.2.4" },
  { name: "DR7_LEN0", inLinux: false, lsb: 18, msb: 19, title: "LEN0 (breakpoint 0 length)", sdm: "17.2.4" },
  { name: "DR7_RW1", inLinux: false, lsb: 20, msb: 21, title: "R/W1 (breakpoint 1 condition)", sdm: "17.2.4" },
  { name: "DR7_LEN1", inLinux: false, lsb: 22, msb: 23, title: "LEN1 (breakpoint 1 length)", sdm: "17.2.4" },
  { name: "DR7_RW2", inLinux: false, lsb: 24, msb: 25, title: "R/W2 (breakpoint 2 condition)", sdm: "17.2.4" },
  { name: "DR7_LEN2", inLinux: false, lsb: 26, msb: 27, title: "LEN2 (breakpoint 2 length)", sdm: "17.2.4" },
  { name: "DR7_RW3", inLinux: false, lsb: 28, msb: 29, title: "R/W3 (breakpoint 3 condition)", sdm: "17.2.4" },
  { name: "DR7_LEN3", inLinux: false, lsb: 30, msb: 31, title: "LEN3 (breakpoint 3 length)", sdm: "17.2.4" },
] as const satisfies readonly RegisterFieldDef[]);

/** DR7 bit/field name → mask. */
export const DR7_MASK = masksByName([...DR7_BITS, ...DR7_FIELDS] as const);
/** Every defined bit of DR7, the fixed bit 10 included. */
export const DR7_DEFINED_MASK: bigint = tableMask(DR7_BITS, DR7_FIELDS);
/** Bits of DR7 that always read as 1: bit 10. */
export const DR7_FIXED1_MASK: bigint = fixedMask(DR7_BITS, 1);
/** Bits 63:32 of DR7, which VM entry requires to be 0 when it loads DR7 (SDM 27.3.1.1). */
export const DR7_HIGH_MASK: bigint = U64_MASK & ~((1n << 32n) - 1n);
/** Reserved bits of DR7 below bit 32 (15, 14, 12). */
export const DR7_RESERVED_LOW_MASK: bigint = ((1n << 32n) - 1n) & ~DR7_DEFINED_MASK;

// ---------------------------------------------------------------------------------------------
// DR6 (SDM 17.2.3; Linux DR_TRAPn in uapi/asm/debugreg.h, DR6_* in asm/kvm_host.h)
// ---------------------------------------------------------------------------------------------

/** A DR6 status bit; `activeLow` bits read 1 when their condition did not occur. */
export interface Dr6BitDef extends RegisterBitDef {
  readonly activeLow?: true;
}

/** The status bits of DR6. */
export const DR6_BITS = freezeTable([
  { name: "DR_TRAP0", inLinux: true, bit: 0, title: "B0 (breakpoint 0 condition detected)", sdm: "17.2.3" },
  { name: "DR_TRAP1", inLinux: true, bit: 1, title: "B1 (breakpoint 1 condition detected)", sdm: "17.2.3" },
  { name: "DR_TRAP2", inLinux: true, bit: 2, title: "B2 (breakpoint 2 condition detected)", sdm: "17.2.3" },
  { name: "DR_TRAP3", inLinux: true, bit: 3, title: "B3 (breakpoint 3 condition detected)", sdm: "17.2.3" },
  { name: "DR6_BUS_LOCK", inLinux: true, bit: 11, title: "BLD (bus-lock detected; cleared to report)", sdm: "17.2.3", activeLow: true },
  { name: "DR6_BD", inLinux: true, bit: 13, title: "BD (debug register access detected)", sdm: "17.2.3" },
  { name: "DR6_BS", inLinux: true, bit: 14, title: "BS (single step)", sdm: "17.2.3" },
  { name: "DR6_BT", inLinux: true, bit: 15, title: "BT (task switch)", sdm: "17.2.3" },
  { name: "DR6_RTM", inLinux: true, bit: 16, title: "RTM (debug exception in an RTM region; cleared to report)", sdm: "17.2.3", activeLow: true },
] as const satisfies readonly Dr6BitDef[]);

/** The reserved ranges of DR6 that always read as 1 (bit 12 is reserved and reads as 0). */
export const DR6_FIXED1_FIELDS = freezeTable([
  { name: "DR6_RESERVED_ONES_LOW", inLinux: false, lsb: 4, msb: 10, title: "Reserved, read as 1", sdm: "17.2.3" },
  { name: "DR6_RESERVED_ONES_HIGH", inLinux: false, lsb: 17, msb: 31, title: "Reserved, read as 1", sdm: "17.2.3" },
] as const satisfies readonly RegisterFieldDef[]);

/** DR6 bit name → mask. */
export const DR6_MASK = masksByName(DR6_BITS);
/** Every status bit of DR6. */
export const DR6_DEFINED_MASK: bigint = tableMask(DR6_BITS);
/** Bits of DR6 that always read as 1 (KVM's DR6_FIXED_1, 0xfffe07f0). */
export const DR6_FIXED1_MASK: bigint = tableMask([], DR6_FIXED1_FIELDS);
/** DR6 with no debug condition reported, its reset value (KVM's DR6_ACTIVE_LOW, 0xffff0ff0). */
export const DR6_ACTIVE_LOW_MASK: bigint =
  DR6_FIXED1_MASK | tableMask(DR6_BITS.filter((b) => "activeLow" in b && b.activeLow));

// ---------------------------------------------------------------------------------------------
// Every register table, for generic consumers (docs, self-consistency tests).
// ---------------------------------------------------------------------------------------------

/** One register: its bits and fields, and the width of the register in bits. */
export interface RegisterTable {
  readonly register: string;
  readonly width: 32 | 64;
  readonly bits: readonly RegisterBitDef[];
  readonly fields: readonly RegisterFieldDef[];
}

/** The registers of this module. */
export const REGISTER_TABLES: readonly RegisterTable[] = freezeTable([
  { register: "CR0", width: 64, bits: CR0_BITS, fields: [] },
  { register: "CR3", width: 64, bits: CR3_BITS, fields: CR3_FIELDS },
  { register: "CR4", width: 64, bits: CR4_BITS, fields: [] },
  { register: "IA32_EFER", width: 64, bits: EFER_BITS, fields: [] },
  { register: "RFLAGS", width: 64, bits: RFLAGS_BITS, fields: RFLAGS_FIELDS },
  { register: "DR6", width: 64, bits: DR6_BITS, fields: DR6_FIXED1_FIELDS },
  { register: "DR7", width: 64, bits: DR7_BITS, fields: DR7_FIELDS },
]);
