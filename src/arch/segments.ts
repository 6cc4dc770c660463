/**
 * Segment registers as the VMCS holds them: the access-rights format of the guest AR fields
 * (SDM 25.4.1, "Guest Register State"), the descriptor type values (SDM 3.4.5.1, 3.5), and the
 * VMCS fields of each segment register (guest: 25.4.1; host: 25.5).
 *
 * Access rights are 32-bit values, so masks here are unsigned 32-bit numbers.
 */
import { bit32, field32, freezeTable, type BitDef, type BitFieldDef } from "./bits.js";

/** A bit of the access-rights format; `inLinux` as elsewhere. */
export interface AccessRightsBitDef extends BitDef {
  readonly inLinux: boolean;
}

/** A field of the access-rights format. */
export interface AccessRightsFieldDef extends BitFieldDef {
  readonly inLinux: boolean;
}

type MasksByName<T extends readonly { readonly name: string }[]> = { readonly [E in T[number] as E["name"]]: number };

function masksByName<const T extends readonly (BitDef | BitFieldDef)[]>(table: T): MasksByName<T> {
  return Object.freeze(Object.fromEntries(table.map((e) => [e.name, "bit" in e ? bit32(e) : field32(e)]))) as MasksByName<T>;
}

// ---------------------------------------------------------------------------------------------
// Access-rights format (SDM 25.4.1, Table 25-2; Linux VMX_AR_* in asm/vmx.h)
// ---------------------------------------------------------------------------------------------

/** The single-bit flags of a guest segment's access rights. Bits 11:8 and 31:17 are reserved. */
export const SEGMENT_AR_BITS = freezeTable([
  { name: "VMX_AR_S_MASK", inLinux: true, bit: 4, title: "S — descriptor type (0 = system; 1 = code or data)", sdm: "25.4.1" },
  { name: "VMX_AR_P_MASK", inLinux: true, bit: 7, title: "P — segment present", sdm: "25.4.1" },
  { name: "VMX_AR_AVL_MASK", inLinux: false, bit: 12, title: "AVL — available for use by system software", sdm: "25.4.1" },
  { name: "VMX_AR_L_MASK", inLinux: true, bit: 13, title: "L — 64-bit mode active (CS only)", sdm: "25.4.1" },
  { name: "VMX_AR_DB_MASK", inLinux: true, bit: 14, title: "D/B — default operation size (0 = 16-bit; 1 = 32-bit)", sdm: "25.4.1" },
  { name: "VMX_AR_G_MASK", inLinux: true, bit: 15, title: "G — granularity", sdm: "25.4.1" },
  // Not a descriptor bit: the VMCS's own flag for a segment register that holds no usable
  // segment (e.g. after loading a null selector). Linux's VMX_SEGMENT_AR_L_MASK is a second name
  // for bit 13.
  { name: "VMX_AR_UNUSABLE_MASK", inLinux: true, bit: 16, title: "Segment unusable (0 = usable; 1 = unusable)", sdm: "25.4.1" },
] as const satisfies readonly AccessRightsBitDef[]);

/**
 * The multi-bit fields of a guest segment's access rights. Linux names the DPL field by its
 * accessor macro `VMX_AR_DPL(ar)` (with VMX_AR_DPL_SHIFT = 5).
 */
export const SEGMENT_AR_FIELDS = freezeTable([
  { name: "VMX_AR_TYPE_MASK", inLinux: true, lsb: 0, msb: 3, title: "Segment type", sdm: "25.4.1" },
  { name: "VMX_AR_DPL", inLinux: true, lsb: 5, msb: 6, title: "DPL — descriptor privilege level", sdm: "25.4.1" },
] as const satisfies readonly AccessRightsFieldDef[]);

/** Access-rights bit/field name → mask: `SEGMENT_AR_MASK.VMX_AR_UNUSABLE_MASK === 1 << 16`. */
export const SEGMENT_AR_MASK = masksByName([...SEGMENT_AR_BITS, ...SEGMENT_AR_FIELDS] as const);

/** Every defined bit of the access-rights format. */
export const SEGMENT_AR_DEFINED_MASK: number =
  (SEGMENT_AR_BITS.reduce((m, b) => m | bit32(b), 0) | SEGMENT_AR_FIELDS.reduce((m, f) => m | field32(f), 0)) >>> 0;

/** The reserved bits, 31:17 and 11:8 (Linux's VMX_AR_RESERVD_MASK, 0xfffe0f00). */
export const SEGMENT_AR_RESERVED_MASK: number = ~SEGMENT_AR_DEFINED_MASK >>> 0;

/** Bit position of the DPL field. */
export const SEGMENT_AR_DPL_SHIFT: number = SEGMENT_AR_FIELDS[1].lsb;

/** The DPL (bits 6:5) of an access-rights value. */
export function arDpl(ar: number): number {
  return (ar & SEGMENT_AR_MASK.VMX_AR_DPL) >>> SEGMENT_AR_DPL_SHIFT;
}

/** The type (bits 3:0) of an access-rights value. */
export function arType(ar: number): number {
  return ar & SEGMENT_AR_MASK.VMX_AR_TYPE_MASK;
}

// ---------------------------------------------------------------------------------------------
// Code- and data-segment type flags (SDM 3.4.5.1, Table 3-1; Linux _DESC_* in asm/desc_defs.h)
// ---------------------------------------------------------------------------------------------

/**
 * The four bits of the type field of a code or data segment (S = 1). Bits 1 and 2 mean different
 * things for code (bit 3 = 1) and data (bit 3 = 0), so each has two entries, one per kind.
 */
export interface SegmentTypeFlagDef extends AccessRightsBitDef {
  /** Which segments the meaning applies to. */
  readonly appliesTo: "code" | "data" | "both";
}

/** The flag bits of code- and data-segment types. */
export const SEGMENT_TYPE_FLAGS = freezeTable([
  { name: "_DESC_ACCESSED", inLinux: true, bit: 0, title: "Accessed", sdm: "3.4.5.1", appliesTo: "both" },
  { name: "_DESC_DATA_WRITABLE", inLinux: true, bit: 1, title: "Write-enable", sdm: "3.4.5.1", appliesTo: "data" },
  { name: "_DESC_CODE_READABLE", inLinux: true, bit: 1, title: "Read-enable", sdm: "3.4.5.1", appliesTo: "code" },
  { name: "_DESC_DATA_EXPAND_DOWN", inLinux: true, bit: 2, title: "Expansion-direction (expand-down)", sdm: "3.4.5.1", appliesTo: "data" },
  { name: "_DESC_CODE_CONFORMING", inLinux: true, bit: 2, title: "Conforming", sdm: "3.4.5.1", appliesTo: "code" },
  { name: "_DESC_CODE_EXECUTABLE", inLinux: true, bit: 3, title: "Code (1) or data (0)", sdm: "3.4.5.1", appliesTo: "both" },
] as const satisfies readonly SegmentTypeFlagDef[]);

/** Type-flag name → mask within the 4-bit type. */
export const SEGMENT_TYPE_FLAG = masksByName(SEGMENT_TYPE_FLAGS);

/** One of the 16 code- or data-segment types. */
export interface CodeDataSegmentType {
  readonly type: number;
  readonly kind: "code" | "data";
  readonly accessed: boolean;
  /** Data: writable. Code: always false (code segments are never writable). */
  readonly writable: boolean;
  /** Code: readable. Data: always true. */
  readonly readable: boolean;
  /** Data only. */
  readonly expandDown: boolean;
  /** Code only. */
  readonly conforming: boolean;
  /** The SDM's description (Table 3-1), e.g. "Execute/Read, accessed". */
  readonly title: string;
}

function decodeCodeDataType(type: number): CodeDataSegmentType {
  const has = (name: keyof typeof SEGMENT_TYPE_FLAG) => (type & SEGMENT_TYPE_FLAG[name]) !== 0;
  const code = has("_DESC_CODE_EXECUTABLE");
  const accessed = has("_DESC_ACCESSED");
  const bit1 = (type & SEGMENT_TYPE_FLAG._DESC_DATA_WRITABLE) !== 0;
  const bit2 = (type & SEGMENT_TYPE_FLAG._DESC_DATA_EXPAND_DOWN) !== 0;
  const parts = code
    ? [bit1 ? "Execute/Read" : "Execute-Only", ...(bit2 ? ["conforming"] : [])]
    : [bit1 ? "Read/Write" : "Read-Only", ...(bit2 ? ["expand-down"] : [])];
  if (accessed) parts.push("accessed");
  return Object.freeze({
    type,
    kind: code ? "code" : "data",
    accessed,
    writable: !code && bit1,
    readable: code ? bit1 : true,
    expandDown: !code && bit2,
    conforming: code && bit2,
    title: parts.join(", "),
  });
}

/** The 16 code- and data-segment types, indexed by type value, derived from {@link SEGMENT_TYPE_FLAGS}. */
export const CODE_DATA_SEGMENT_TYPES: readonly CodeDataSegmentType[] = Object.freeze(
  Array.from({ length: 16 }, (_, type) => decodeCodeDataType(type)),
);

// ---------------------------------------------------------------------------------------------
// System-segment and gate types (SDM 3.5, Table 3-2)
// ---------------------------------------------------------------------------------------------

/** A system descriptor type (S = 0). */
export interface SystemSegmentTypeDef {
  readonly type: number;
  /**
   * Linux's name: VMX_AR_TYPE_* (asm/vmx.h) for the types VM entry checks, GATE_* and DESC_*
   * (asm/desc_defs.h) for the others. Types Linux does not name get a name in the same style.
   */
  readonly name: string;
  readonly inLinux: boolean;
  /** Other Linux names for the same value. */
  readonly aliases?: readonly string[];
  /** The SDM's description in 32-bit (IA-32) mode, or null where that mode reserves the value. */
  readonly title32: string | null;
  /** The SDM's description in IA-32e mode, or null where that mode reserves the value. */
  readonly title64: string | null;
  readonly sdm: "3.5";
}

/** The system descriptor types that 32-bit or IA-32e mode defines; 0, 8, 10 and 13 are reserved in both. */
export const SYSTEM_SEGMENT_TYPES = freezeTable([
  { type: 1, name: "SEG_TYPE_TSS16_AVAIL", inLinux: false, title32: "16-bit TSS (Available)", title64: null, sdm: "3.5" },
  { type: 2, name: "VMX_AR_TYPE_LDT", inLinux: true, aliases: ["DESC_LDT"], title32: "LDT", title64: "LDT", sdm: "3.5" },
  { type: 3, name: "VMX_AR_TYPE_BUSY_16_TSS", inLinux: true, title32: "16-bit TSS (Busy)", title64: null, sdm: "3.5" },
  { type: 4, name: "SEG_TYPE_CALL_GATE16", inLinux: false, title32: "16-bit Call Gate", title64: null, sdm: "3.5" },
  { type: 5, name: "GATE_TASK", inLinux: true, title32: "Task Gate", title64: null, sdm: "3.5" },
  { type: 6, name: "SEG_TYPE_INTR_GATE16", inLinux: false, title32: "16-bit Interrupt Gate", title64: null, sdm: "3.5" },
  { type: 7, name: "SEG_TYPE_TRAP_GATE16", inLinux: false, title32: "16-bit Trap Gate", title64: null, sdm: "3.5" },
  { type: 9, name: "DESC_TSS", inLinux: true, title32: "32-bit TSS (Available)", title64: "64-bit TSS (Available)", sdm: "3.5" },
  { type: 11, name: "VMX_AR_TYPE_BUSY_32_TSS", inLinux: true, aliases: ["VMX_AR_TYPE_BUSY_64_TSS"], title32: "32-bit TSS (Busy)", title64: "64-bit TSS (Busy)", sdm: "3.5" },
  { type: 12, name: "GATE_CALL", inLinux: true, title32: "32-bit Call Gate", title64: "64-bit Call Gate", sdm: "3.5" },
  { type: 14, name: "GATE_INTERRUPT", inLinux: true, title32: "32-bit Interrupt Gate", title64: "64-bit Interrupt Gate", sdm: "3.5" },
  { type: 15, name: "GATE_TRAP", inLinux: true, title32: "32-bit Trap Gate", title64: "64-bit Trap Gate", sdm: "3.5" },
] as const satisfies readonly SystemSegmentTypeDef[]);

/** System type value → definition. */
export const SYSTEM_SEGMENT_TYPE_BY_VALUE: ReadonlyMap<number, SystemSegmentTypeDef> = new Map(
  SYSTEM_SEGMENT_TYPES.map((t): [number, SystemSegmentTypeDef] => [t.type, t]),
);

type SystemTypeValues = { readonly [T in (typeof SYSTEM_SEGMENT_TYPES)[number] as T["name"]]: T["type"] };

/** System type name → value: `SYSTEM_SEGMENT_TYPE.VMX_AR_TYPE_BUSY_16_TSS === 3`. */
export const SYSTEM_SEGMENT_TYPE: SystemTypeValues = Object.freeze(
  Object.fromEntries(SYSTEM_SEGMENT_TYPES.map((t) => [t.name, t.type])),
) as SystemTypeValues;

// ---------------------------------------------------------------------------------------------
// Segment registers and their VMCS fields (SDM 25.4.1 guest, 25.5 host)
// ---------------------------------------------------------------------------------------------

/** One segment register with the names (Linux `enum vmcs_field`) of its VMCS fields. */
export interface SegmentRegisterDef {
  readonly name: "ES" | "CS" | "SS" | "DS" | "FS" | "GS" | "LDTR" | "TR";
  readonly guestSelector: string;
  readonly guestBase: string;
  readonly guestLimit: string;
  readonly guestAccessRights: string;
  /** The host-state selector field, or null (LDTR has none). */
  readonly hostSelector: string | null;
  /** The host-state base field, or null (only FS, GS and TR have one). */
  readonly hostBase: string | null;
  readonly sdm: "25.4.1";
}

/** The eight segment registers in the order of their VMCS field indexes. */
export const SEGMENT_REGISTERS = freezeTable([
  { name: "ES", guestSelector: "GUEST_ES_SELECTOR", guestBase: "GUEST_ES_BASE", guestLimit: "GUEST_ES_LIMIT", guestAccessRights: "GUEST_ES_AR_BYTES", hostSelector: "HOST_ES_SELECTOR", hostBase: null, sdm: "25.4.1" },
  { name: "CS", guestSelector: "GUEST_CS_SELECTOR", guestBase: "GUEST_CS_BASE", guestLimit: "GUEST_CS_LIMIT", guestAccessRights: "GUEST_CS_AR_BYTES", hostSelector: "HOST_CS_SELECTOR", hostBase: null, sdm: "25.4.1" },
  { name: "SS", guestSelector: "GUEST_SS_SELECTOR", guestBase: "GUEST_SS_BASE", guestLimit: "GUEST_SS_LIMIT", guestAccessRights: "GUEST_SS_AR_BYTES", hostSelector: "HOST_SS_SELECTOR", hostBase: null, sdm: "25.4.1" },
  { name: "DS", guestSelector: "GUEST_DS_SELECTOR", guestBase: "GUEST_DS_BASE", guestLimit: "GUEST_DS_LIMIT", guestAccessRights: "GUEST_DS_AR_BYTES", hostSelector: "HOST_DS_SELECTOR", hostBase: null, sdm: "25.4.1" },
  { name: "FS", guestSelector: "GUEST_FS_SELECTOR", guestBase: "GUEST_FS_BASE", guestLimit: "GUEST_FS_LIMIT", guestAccessRights: "GUEST_FS_AR_BYTES", hostSelector: "HOST_FS_SELECTOR", hostBase: "HOST_FS_BASE", sdm: "25.4.1" },
  { name: "GS", guestSelector: "GUEST_GS_SELECTOR", guestBase: "GUEST_GS_BASE", guestLimit: "GUEST_GS_LIMIT", guestAccessRights: "GUEST_GS_AR_BYTES", hostSelector: "HOST_GS_SELECTOR", hostBase: "HOST_GS_BASE", sdm: "25.4.1" },
  { name: "LDTR", guestSelector: "GUEST_LDTR_SELECTOR", guestBase: "GUEST_LDTR_BASE", guestLimit: "GUEST_LDTR_LIMIT", guestAccessRights: "GUEST_LDTR_AR_BYTES", hostSelector: null, hostBase: null, sdm: "25.4.1" },
  { name: "TR", guestSelector: "GUEST_TR_SELECTOR", guestBase: "GUEST_TR_BASE", guestLimit: "GUEST_TR_LIMIT", guestAccessRights: "GUEST_TR_AR_BYTES", hostSelector: "HOST_TR_SELECTOR", hostBase: "HOST_TR_BASE", sdm: "25.4.1" },
] as const satisfies readonly SegmentRegisterDef[]);

/** A segment register name. */
export type SegmentRegisterName = (typeof SEGMENT_REGISTERS)[number]["name"];

/** Segment register name → definition. */
export const SEGMENT_REGISTER_BY_NAME: ReadonlyMap<string, SegmentRegisterDef> = new Map(
  SEGMENT_REGISTERS.map((s): [string, SegmentRegisterDef] => [s.name, s]),
);
