/**
 * One VMCS: its fields, launch state and shadow-VMCS indicator, with the VMREAD/VMWRITE
 * semantics of SDM 31.3 ("VMREAD", "VMWRITE") and 25.11.2 ("VMREAD, VMWRITE, and Encodings of
 * VMCS Fields").
 *
 * This is nvmx's hottest path. {@link Vmcs.vmread} and {@link Vmcs.vmwrite} take an encoding and
 * 32-bit halves, return a VM-instruction error number (0 on success) and leave the value read in
 * {@link Vmcs.readLo}/{@link Vmcs.readHi}: no allocation, no BigInt. The BigInt methods
 * ({@link Vmcs.read}, {@link Vmcs.write}, {@link Vmcs.get}, {@link Vmcs.set}) are the friendly
 * API edge.
 *
 * The checks that come before these in the instructions' pseudocode (#UD, VM exit in VMX
 * non-root operation, #GP for CPL > 0, VMfailInvalid without a current VMCS, bits 63:32 of the
 * encoding operand) belong to the virtual CPU, not to the store.
 */
import { VMCS_FIELDS } from "../arch/vmcs-fields.js";
import { FIELD_ACCESS_BY_ENCODING, FIELD_COUNT, resolveField, type FieldAccess, type VmcsFieldName } from "../arch/vmcs-lookup.js";
import { ENCODING_TYPE_SHIFT, FIELD_TYPES, type VmcsFieldDef } from "../arch/vmcs-encoding.js";
import { VMXERR } from "../arch/vm-instruction-errors.js";
import { hiOf, loOf, toBigInt } from "../u64/halves.js";

/** VMREAD/VMWRITE from/to unsupported VMCS component (error 12). */
const VMXERR_UNSUPPORTED_VMCS_COMPONENT = VMXERR.VMXERR_UNSUPPORTED_VMCS_COMPONENT;
/** VMWRITE to read-only VMCS component (error 13). */
const VMXERR_VMWRITE_READ_ONLY_VMCS_COMPONENT = VMXERR.VMXERR_VMWRITE_READ_ONLY_VMCS_COMPONENT;

/** The outcome of one VMREAD/VMWRITE at the store: 0, or the VM-instruction error it fails with. */
export type VmcsAccessStatus =
  | typeof VMCS_ACCESS_OK
  | typeof VMXERR_UNSUPPORTED_VMCS_COMPONENT
  | typeof VMXERR_VMWRITE_READ_ONLY_VMCS_COMPONENT;

/** VMREAD/VMWRITE succeeded (VMsucceed). */
export const VMCS_ACCESS_OK = 0;

/** Launch state of a VMCS (SDM 25.1): "clear" after VMCLEAR, "launched" after VMLAUNCH. */
export type LaunchState = "clear" | "launched";

/** What a VMREAD through the friendly API gives. */
export type VmreadResult =
  | { readonly ok: true; readonly value: bigint }
  | { readonly ok: false; readonly error: Exclude<VmcsAccessStatus, 0> };

/** What a VMWRITE through the friendly API gives. */
export type VmwriteResult = { readonly ok: true } | { readonly ok: false; readonly error: Exclude<VmcsAccessStatus, 0> };

/** How the store sees the processor it belongs to. */
export interface VmcsOptions {
  /**
   * IA32_VMX_MISC bit 29: VMWRITE may write the read-only (VM-exit information) fields.
   * Without it such a VMWRITE fails with error 13 (SDM 31.3, VMWRITE).
   */
  readonly vmwriteAnyField?: boolean;
  /**
   * Whether the processor supports each field (Appendix B: many fields "exist only on processors
   * that support the 1-setting of" a control). Absent: every field of the table is supported.
   * A field that is not supported is an unsupported VMCS component (error 12).
   */
  readonly supportsField?: (field: VmcsFieldDef) => boolean;
  /**
   * Drop the reserved bits (31:17 and 11:8) of the guest segment access-rights fields on
   * VMWRITE. Some Intel processors do this and KVM emulates it for vmcs12 (nested.c,
   * handle_vmwrite); the SDM does not, so it is off by default.
   */
  readonly dropReservedArBits?: boolean;
}

/** How each encoding is accessed; 0 (none) for encodings that name no field. */
const enum Access {
  None = 0,
  Bits16 = 1,
  Bits32 = 2,
  Full64 = 3,
  High64 = 4,
  Natural = 5,
}

/** Encodings at or above this have reserved bits set (bit 15 or above); bit 12 is checked by the table. */
const ENCODING_LIMIT = 0x7000;
const TYPE_READ_ONLY = FIELD_TYPES.indexOf("read-only");
/** Access-rights bits that are not reserved: 16 and 15:12, 7:0 (SDM 25.4.1). */
const AR_BYTES_DEFINED = 0x1f0ff;

const SLOT_OF_ENCODING = new Int16Array(ENCODING_LIMIT).fill(-1);
const ACCESS_OF_ENCODING = new Uint8Array(ENCODING_LIMIT);
const IS_AR_BYTES_SLOT = new Uint8Array(FIELD_COUNT);

for (const [encoding, access] of FIELD_ACCESS_BY_ENCODING) {
  SLOT_OF_ENCODING[encoding] = access.slot;
  ACCESS_OF_ENCODING[encoding] = accessOf(access);
}
VMCS_FIELDS.forEach((field: VmcsFieldDef, slot) => {
  if (field.type === "guest" && field.name.endsWith("_AR_BYTES")) IS_AR_BYTES_SLOT[slot] = 1;
});

function accessOf(access: FieldAccess): Access {
  switch (access.field.width) {
    case "16":
      return Access.Bits16;
    case "32":
      return Access.Bits32;
    case "64":
      return access.high ? Access.High64 : Access.Full64;
    case "natural":
      return Access.Natural;
  }
}

/**
 * A VMCS: field values kept as 32-bit halves in one typed array, two slots per field in the
 * order of VMCS_FIELDS.
 */
export class Vmcs {
  /** Bits 31:0 of the value read by the last successful {@link vmread}. */
  readLo = 0;
  /** Bits 63:32 of the value read by the last successful {@link vmread}. */
  readHi = 0;
  /** Launch state (SDM 25.1). */
  launchState: LaunchState = "clear";
  /** Bit 31 of the first 4 bytes of the VMCS region: this is a shadow VMCS (SDM 25.2). */
  shadowIndicator = false;
  /** VMCS revision identifier (bits 30:0 of the first 4 bytes of the region, SDM 25.2). */
  revisionId = 0;
  /** VMX-abort indicator (bytes 4–7 of the region, SDM 25.2). */
  abortIndicator = 0;

  private readonly values = new Uint32Array(FIELD_COUNT * 2);
  private readonly supported = new Uint8Array(FIELD_COUNT);
  private readonly vmwriteAnyField: boolean;
  private readonly dropReservedArBits: boolean;

  constructor(options: VmcsOptions = {}) {
    this.vmwriteAnyField = options.vmwriteAnyField ?? false;
    this.dropReservedArBits = options.dropReservedArBits ?? false;
    const supportsField = options.supportsField;
    VMCS_FIELDS.forEach((field: VmcsFieldDef, slot) => {
      this.supported[slot] = supportsField === undefined || supportsField(field) ? 1 : 0;
    });
  }

  /**
   * VMREAD: reads the field named by `encoding` into {@link readLo}/{@link readHi}, zero-extended
   * (a high access reads bits 63:32 of the field into bits 31:0). Returns 0, or 12 when the
   * encoding names no field this processor supports.
   */
  vmread(encoding: number): VmcsAccessStatus {
    const slot = encoding >>> 0 === encoding && encoding < ENCODING_LIMIT ? SLOT_OF_ENCODING[encoding]! : -1;
    if (slot < 0 || this.supported[slot] === 0) return VMXERR_UNSUPPORTED_VMCS_COMPONENT;
    const at = slot << 1;
    if (ACCESS_OF_ENCODING[encoding] === Access.High64) {
      this.readLo = this.values[at + 1]!;
      this.readHi = 0;
    } else {
      this.readLo = this.values[at]!;
      this.readHi = this.values[at + 1]!;
    }
    return VMCS_ACCESS_OK;
  }

  /**
   * VMWRITE: writes (lo, hi) to the field named by `encoding`, keeping only as many low bits as
   * the field holds (a high access writes bits 31:0 of the source to bits 63:32 of the field).
   * Returns 0, 12 for an unsupported component, or 13 for a read-only field without
   * "VMWRITE to any supported field" (IA32_VMX_MISC bit 29).
   */
  vmwrite(encoding: number, lo: number, hi: number): VmcsAccessStatus {
    const slot = encoding >>> 0 === encoding && encoding < ENCODING_LIMIT ? SLOT_OF_ENCODING[encoding]! : -1;
    if (slot < 0 || this.supported[slot] === 0) return VMXERR_UNSUPPORTED_VMCS_COMPONENT;
    if (((encoding >>> ENCODING_TYPE_SHIFT) & 3) === TYPE_READ_ONLY && !this.vmwriteAnyField) {
      return VMXERR_VMWRITE_READ_ONLY_VMCS_COMPONENT;
    }
    const at = slot << 1;
    switch (ACCESS_OF_ENCODING[encoding]) {
      case Access.Bits16:
        this.values[at] = lo & 0xffff;
        this.values[at + 1] = 0;
        break;
      case Access.Bits32:
        this.values[at] = this.dropReservedArBits && IS_AR_BYTES_SLOT[slot] === 1 ? lo & AR_BYTES_DEFINED : lo;
        this.values[at + 1] = 0;
        break;
      case Access.High64:
        this.values[at + 1] = lo;
        break;
      default: // full 64-bit and natural-width (a 64-bit processor's natural width)
        this.values[at] = lo;
        this.values[at + 1] = hi;
    }
    return VMCS_ACCESS_OK;
  }

  /** Whether this processor supports the field (Appendix B footnotes). */
  supports(field: VmcsFieldName | VmcsFieldDef): boolean {
    const access = resolveField(typeof field === "string" ? field : field.name);
    return access !== undefined && this.supported[access.slot] === 1;
  }

  /** Bits 31:0 of a field by slot, as the processor holds it (no VMREAD checks). */
  lo(slot: number): number {
    return this.values[slot << 1]!;
  }

  /** Bits 63:32 of a field by slot, as the processor holds it (no VMREAD checks). */
  hi(slot: number): number {
    return this.values[(slot << 1) + 1]!;
  }

  /**
   * Stores a field by slot as the processor does when it records state (e.g. a VM exit writing
   * the read-only exit-information fields): truncated to the field's width, no VMWRITE checks.
   */
  store(slot: number, lo: number, hi: number): void {
    const width = VMCS_FIELDS[slot]!.width;
    this.values[slot << 1] = width === "16" ? lo & 0xffff : lo;
    this.values[(slot << 1) + 1] = width === "16" || width === "32" ? 0 : hi;
  }

  /** VMREAD through the friendly API: a field name or encoding; the value as a BigInt. */
  read(field: string | number): VmreadResult {
    const status = this.vmread(encodingOf(field));
    if (status !== VMCS_ACCESS_OK) return { ok: false, error: status };
    return { ok: true, value: toBigInt(this.readLo, this.readHi) };
  }

  /** VMWRITE through the friendly API: a field name or encoding and a BigInt value. */
  write(field: string | number, value: bigint): VmwriteResult {
    const status = this.vmwrite(encodingOf(field), loOf(value), hiOf(value));
    return status === VMCS_ACCESS_OK ? { ok: true } : { ok: false, error: status };
  }

  /** A field's value as the processor holds it, by name (no VMREAD checks). */
  get(name: VmcsFieldName): bigint {
    const slot = slotOf(name);
    return toBigInt(this.lo(slot), this.hi(slot));
  }

  /** Sets a field as the processor does when it records state (no VMWRITE checks). */
  set(name: VmcsFieldName, value: bigint): void {
    this.store(slotOf(name), loOf(value), hiOf(value));
  }

  /** Every field whose value is not zero, in encoding order. */
  *nonZeroFields(): IterableIterator<[VmcsFieldDef, bigint]> {
    for (let slot = 0; slot < FIELD_COUNT; slot++) {
      const lo = this.lo(slot);
      const hi = this.hi(slot);
      if ((lo | hi) !== 0) yield [VMCS_FIELDS[slot]!, toBigInt(lo, hi)];
    }
  }
}

/** The slot of a full-access field name; throws for a name that is not in the table (a bug). */
export function slotOf(name: VmcsFieldName): number {
  const access = resolveField(name);
  if (access === undefined) throw new Error(`unknown VMCS field ${name}`);
  return access.slot;
}

/** An encoding for a name or encoding; -1 (no field) for names not in the table. */
function encodingOf(field: string | number): number {
  if (typeof field === "number") return field;
  return resolveField(field)?.encoding ?? -1;
}
