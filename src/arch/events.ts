/**
 * Event state in the VMCS: the interruption-information format shared by the VM-entry
 * interruption-information field (SDM 25.8.3), the VM-exit interruption-information field
 * (25.9.2) and the IDT-vectoring information field (25.9.3); the interruptibility state and the
 * activity states of the guest non-register state (25.4.2).
 *
 * All of these fields are 32 bits wide, so masks are unsigned 32-bit numbers.
 */
import { bit32, field32, freezeTable, type BitDef, type BitFieldDef } from "./bits.js";
import type { SdmSection } from "./sdm.js";

/** The three VMCS fields that use the interruption-information format. */
export type InterruptionInfoField = "entry" | "exit" | "idt-vectoring";

/** The Linux names of those fields (`enum vmcs_field`). */
export const INTERRUPTION_INFO_FIELD_NAMES: Readonly<Record<InterruptionInfoField, string>> = Object.freeze({
  entry: "VM_ENTRY_INTR_INFO_FIELD",
  exit: "VM_EXIT_INTR_INFO",
  "idt-vectoring": "IDT_VECTORING_INFO_FIELD",
});

/** A bit of the interruption-information format and the fields that define it. */
export interface InterruptionInfoBitDef extends BitDef {
  readonly inLinux: boolean;
  /** The fields in which the bit has this meaning; elsewhere it is reserved or undefined. */
  readonly usedIn: readonly InterruptionInfoField[];
}

/** A multi-bit part of the interruption-information format. */
export interface InterruptionInfoFieldDef extends BitFieldDef {
  readonly inLinux: boolean;
  readonly usedIn: readonly InterruptionInfoField[];
}

const ALL_INTERRUPTION_INFO_FIELDS = ["entry", "exit", "idt-vectoring"] as const;

/**
 * The multi-bit parts of the interruption-information format (Linux INTR_INFO_*; the IDT-vectoring
 * field reuses them as VECTORING_INFO_*).
 */
export const INTR_INFO_FIELDS = freezeTable([
  { name: "INTR_INFO_VECTOR_MASK", inLinux: true, lsb: 0, msb: 7, title: "Vector of interrupt or exception", sdm: "25.8.3", usedIn: ALL_INTERRUPTION_INFO_FIELDS },
  { name: "INTR_INFO_INTR_TYPE_MASK", inLinux: true, lsb: 8, msb: 10, title: "Interruption type", sdm: "25.8.3", usedIn: ALL_INTERRUPTION_INFO_FIELDS },
] as const satisfies readonly InterruptionInfoFieldDef[]);

/** The single-bit flags of the interruption-information format. */
export const INTR_INFO_BITS = freezeTable([
  { name: "INTR_INFO_DELIVER_CODE_MASK", inLinux: true, bit: 11, title: "Deliver error code (0 = do not deliver; 1 = deliver)", sdm: "25.8.3", usedIn: ALL_INTERRUPTION_INFO_FIELDS },
  // VM-exit interruption information only: the VM exit came from a fault during IRET while NMIs
  // were blocked, so IRET had already unblocked them. In the VM-entry field bit 12 is reserved;
  // in the IDT-vectoring field it is undefined.
  { name: "INTR_INFO_UNBLOCK_NMI", inLinux: true, bit: 12, title: "NMI unblocking due to IRET", sdm: "25.9.2", usedIn: ["exit"] },
  { name: "INTR_INFO_VALID_MASK", inLinux: true, bit: 31, title: "Valid", sdm: "25.8.3", usedIn: ALL_INTERRUPTION_INFO_FIELDS },
] as const satisfies readonly InterruptionInfoBitDef[]);

type MasksByName<T extends readonly { readonly name: string }[]> = { readonly [E in T[number] as E["name"]]: number };

/** Interruption-information bit/field name → mask: `INTR_INFO_MASK.INTR_INFO_VALID_MASK === 0x80000000`. */
export const INTR_INFO_MASK = Object.freeze(
  Object.fromEntries([...INTR_INFO_FIELDS.map((f) => [f.name, field32(f)]), ...INTR_INFO_BITS.map((b) => [b.name, bit32(b)])]),
) as MasksByName<readonly [...typeof INTR_INFO_FIELDS, ...typeof INTR_INFO_BITS]>;

/** Bit position of the interruption type. */
export const INTR_INFO_TYPE_SHIFT: number = INTR_INFO_FIELDS[1].lsb;

function definedMask(field: InterruptionInfoField): number {
  let m = 0;
  for (const f of INTR_INFO_FIELDS) if ((f.usedIn as readonly string[]).includes(field)) m |= field32(f);
  for (const b of INTR_INFO_BITS) if ((b.usedIn as readonly string[]).includes(field)) m |= bit32(b);
  return m >>> 0;
}

/** The defined bits of each interruption-information field. */
export const INTR_INFO_DEFINED_MASK: Readonly<Record<InterruptionInfoField, number>> = Object.freeze({
  entry: definedMask("entry"),
  exit: definedMask("exit"),
  "idt-vectoring": definedMask("idt-vectoring"),
});

/**
 * Bits 30:12 of the VM-entry interruption-information field, which VM entry requires to be 0
 * (SDM 27.2.1.3; Linux INTR_INFO_RESVD_BITS_MASK).
 */
export const INTR_INFO_ENTRY_RESERVED_MASK: number = ~INTR_INFO_DEFINED_MASK.entry >>> 0;

/** One interruption type (bits 10:8). */
export interface InterruptionTypeDef {
  readonly type: number;
  /**
   * Linux's INTR_TYPE_* name (asm/vmx.h). Note that Linux's INTR_TYPE_* constants are the type
   * already shifted into bits 10:8 (EVENT_TYPE_* << 8); {@link type} here is the unshifted value.
   */
  readonly name: string;
  readonly inLinux: boolean;
  readonly title: string;
  /** The fields that can hold this type. */
  readonly usedIn: readonly InterruptionInfoField[];
  readonly sdm: SdmSection;
}

/**
 * The interruption types. Type 1 is reserved in every field (Linux's INTR_TYPE_RESERVED).
 * VM exits report only 0, 2, 3, 5 and 6 in the exit field (25.9.2) and 0, 2, 3, 4, 5 and 6 in
 * the IDT-vectoring field (25.9.3). Type 7 is listed for injection only (a pending MTF VM exit,
 * vector 0; with FRED also SYSCALL/SYSENTER, vectors 1 and 2): the FRED extension's use of it in
 * the IDT-vectoring field is not modelled here.
 */
export const INTERRUPTION_TYPES = freezeTable([
  { type: 0, name: "INTR_TYPE_EXT_INTR", inLinux: true, title: "External interrupt", usedIn: ["entry", "exit", "idt-vectoring"], sdm: "25.8.3" },
  { type: 2, name: "INTR_TYPE_NMI_INTR", inLinux: true, title: "Non-maskable interrupt (NMI)", usedIn: ["entry", "exit", "idt-vectoring"], sdm: "25.8.3" },
  { type: 3, name: "INTR_TYPE_HARD_EXCEPTION", inLinux: true, title: "Hardware exception", usedIn: ["entry", "exit", "idt-vectoring"], sdm: "25.8.3" },
  { type: 4, name: "INTR_TYPE_SOFT_INTR", inLinux: true, title: "Software interrupt", usedIn: ["entry", "idt-vectoring"], sdm: "25.8.3" },
  { type: 5, name: "INTR_TYPE_PRIV_SW_EXCEPTION", inLinux: true, title: "Privileged software exception", usedIn: ["entry", "exit", "idt-vectoring"], sdm: "25.8.3" },
  { type: 6, name: "INTR_TYPE_SOFT_EXCEPTION", inLinux: true, title: "Software exception", usedIn: ["entry", "exit", "idt-vectoring"], sdm: "25.8.3" },
  { type: 7, name: "INTR_TYPE_OTHER_EVENT", inLinux: true, title: "Other event", usedIn: ["entry"], sdm: "25.8.3" },
] as const satisfies readonly InterruptionTypeDef[]);

type InterruptionTypeValues = { readonly [T in (typeof INTERRUPTION_TYPES)[number] as T["name"]]: T["type"] };

/** Type name → unshifted value: `INTERRUPTION_TYPE.INTR_TYPE_NMI_INTR === 2`. */
export const INTERRUPTION_TYPE: InterruptionTypeValues = Object.freeze(
  Object.fromEntries(INTERRUPTION_TYPES.map((t) => [t.name, t.type])),
) as InterruptionTypeValues;

/** Type value → definition. */
export const INTERRUPTION_TYPE_BY_VALUE: ReadonlyMap<number, InterruptionTypeDef> = new Map(
  INTERRUPTION_TYPES.map((t): [number, InterruptionTypeDef] => [t.type, t]),
);

/** The interruption type (bits 10:8, unshifted) of an interruption-information value. */
export function intrInfoType(info: number): number {
  return (info & INTR_INFO_MASK.INTR_INFO_INTR_TYPE_MASK) >>> INTR_INFO_TYPE_SHIFT;
}

/** The vector (bits 7:0) of an interruption-information value. */
export function intrInfoVector(info: number): number {
  return info & INTR_INFO_MASK.INTR_INFO_VECTOR_MASK;
}

/** Whether the valid bit (31) of an interruption-information value is set. */
export function intrInfoValid(info: number): boolean {
  return (info & INTR_INFO_MASK.INTR_INFO_VALID_MASK) !== 0;
}

// ---------------------------------------------------------------------------------------------
// Interruptibility state (SDM 25.4.2, Table 25-3; Linux GUEST_INTR_STATE_*)
// ---------------------------------------------------------------------------------------------

/** A bit of the guest interruptibility-state field. */
export interface InterruptibilityBitDef extends BitDef {
  readonly inLinux: boolean;
}

/** The bits of the interruptibility state. Bits 31:5 are reserved (VM entry requires 0). */
export const INTERRUPTIBILITY_BITS = freezeTable([
  { name: "GUEST_INTR_STATE_STI", inLinux: true, bit: 0, title: "Blocking by STI", sdm: "25.4.2" },
  { name: "GUEST_INTR_STATE_MOV_SS", inLinux: true, bit: 1, title: "Blocking by MOV SS", sdm: "25.4.2" },
  { name: "GUEST_INTR_STATE_SMI", inLinux: true, bit: 2, title: "Blocking by SMI", sdm: "25.4.2" },
  { name: "GUEST_INTR_STATE_NMI", inLinux: true, bit: 3, title: "Blocking by NMI", sdm: "25.4.2" },
  { name: "GUEST_INTR_STATE_ENCLAVE_INTR", inLinux: true, bit: 4, title: "Enclave interruption", sdm: "25.4.2" },
] as const satisfies readonly InterruptibilityBitDef[]);

/** Interruptibility bit name → mask: `INTERRUPTIBILITY_MASK.GUEST_INTR_STATE_NMI === 8`. */
export const INTERRUPTIBILITY_MASK = Object.freeze(
  Object.fromEntries(INTERRUPTIBILITY_BITS.map((b) => [b.name, bit32(b)])),
) as MasksByName<typeof INTERRUPTIBILITY_BITS>;

/** Every defined bit of the interruptibility state. */
export const INTERRUPTIBILITY_DEFINED_MASK: number = INTERRUPTIBILITY_BITS.reduce((m, b) => m | bit32(b), 0) >>> 0;

/** The reserved bits of the interruptibility state, 31:5. */
export const INTERRUPTIBILITY_RESERVED_MASK: number = ~INTERRUPTIBILITY_DEFINED_MASK >>> 0;

// ---------------------------------------------------------------------------------------------
// Activity states (SDM 25.4.2; Linux GUEST_ACTIVITY_*)
// ---------------------------------------------------------------------------------------------

/** One activity state. */
export interface ActivityStateDef {
  readonly value: number;
  readonly name: string;
  readonly inLinux: boolean;
  readonly title: string;
  readonly sdm: SdmSection;
}

/**
 * The activity states. Which of HLT, shutdown and wait-for-SIPI a processor supports is reported in
 * IA32_VMX_MISC bits 8:6; values above 3 are reserved.
 */
export const ACTIVITY_STATES = freezeTable([
  { value: 0, name: "GUEST_ACTIVITY_ACTIVE", inLinux: true, title: "Active", sdm: "25.4.2" },
  { value: 1, name: "GUEST_ACTIVITY_HLT", inLinux: true, title: "HLT", sdm: "25.4.2" },
  { value: 2, name: "GUEST_ACTIVITY_SHUTDOWN", inLinux: true, title: "Shutdown", sdm: "25.4.2" },
  { value: 3, name: "GUEST_ACTIVITY_WAIT_SIPI", inLinux: true, title: "Wait-for-SIPI", sdm: "25.4.2" },
] as const satisfies readonly ActivityStateDef[]);

type ActivityStateValues = { readonly [A in (typeof ACTIVITY_STATES)[number] as A["name"]]: A["value"] };

/** Activity-state name → value: `ACTIVITY_STATE.GUEST_ACTIVITY_HLT === 1`. */
export const ACTIVITY_STATE: ActivityStateValues = Object.freeze(
  Object.fromEntries(ACTIVITY_STATES.map((a) => [a.name, a.value])),
) as ActivityStateValues;

/** Activity-state value → definition. */
export const ACTIVITY_STATE_BY_VALUE: ReadonlyMap<number, ActivityStateDef> = new Map(
  ACTIVITY_STATES.map((a): [number, ActivityStateDef] => [a.value, a]),
);
