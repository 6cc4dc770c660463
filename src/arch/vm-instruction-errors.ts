/**
 * VM-instruction error numbers (SDM 31.4, "VM Instruction Error Numbers", Table 31-1): the value a
 * VMX instruction that ends in VMfailValid leaves in the VM-instruction error field (SDM 25.9.5).
 * Numbers the table leaves undefined (14, 21, 27) are absent on purpose.
 */
import type { SdmSection } from "./sdm.js";

/** One VM-instruction error. */
export interface VmInstructionErrorDef {
  readonly number: number;
  /** The Linux kernel's name (`enum vm_instruction_error_number`, arch/x86/include/asm/vmx.h). */
  readonly name: string;
  /** True when `name` is spelled exactly as in Linux. */
  readonly inLinux: boolean;
  /** The SDM's description (Table 31-1). */
  readonly description: string;
  readonly sdm: SdmSection;
  /** A footnote of Table 31-1 that changes how the number should be read. */
  readonly note?: string;
}

const ENTRY_ORDER_NOTE =
  "VM entry may check control and host-state fields in any order, so this number does not rule out other errors; processors may report different numbers for the same VMCS.";

/** Every VM-instruction error of Table 31-1, in number order. */
export const VM_INSTRUCTION_ERRORS = Object.freeze([
  { number: 1, name: "VMXERR_VMCALL_IN_VMX_ROOT_OPERATION", inLinux: true, description: "VMCALL executed in VMX root operation", sdm: "31.4" },
  { number: 2, name: "VMXERR_VMCLEAR_INVALID_ADDRESS", inLinux: true, description: "VMCLEAR with invalid physical address", sdm: "31.4" },
  { number: 3, name: "VMXERR_VMCLEAR_VMXON_POINTER", inLinux: true, description: "VMCLEAR with VMXON pointer", sdm: "31.4" },
  { number: 4, name: "VMXERR_VMLAUNCH_NONCLEAR_VMCS", inLinux: true, description: "VMLAUNCH with non-clear VMCS", sdm: "31.4" },
  { number: 5, name: "VMXERR_VMRESUME_NONLAUNCHED_VMCS", inLinux: true, description: "VMRESUME with non-launched VMCS", sdm: "31.4" },
  { number: 6, name: "VMXERR_VMRESUME_AFTER_VMXOFF", inLinux: true, description: "VMRESUME after VMXOFF (VMXOFF and VMXON between VMLAUNCH and VMRESUME)", sdm: "31.4", note: "Older editions called this \"VMRESUME with a corrupted VMCS\"." },
  { number: 7, name: "VMXERR_ENTRY_INVALID_CONTROL_FIELD", inLinux: true, description: "VM entry with invalid control field(s)", sdm: "31.4", note: `${ENTRY_ORDER_NOTE} A VM entry that returns from SMM and fails on the executive VMCS's VM-execution controls reports 25 instead.` },
  { number: 8, name: "VMXERR_ENTRY_INVALID_HOST_STATE_FIELD", inLinux: true, description: "VM entry with invalid host-state field(s)", sdm: "31.4", note: ENTRY_ORDER_NOTE },
  { number: 9, name: "VMXERR_VMPTRLD_INVALID_ADDRESS", inLinux: true, description: "VMPTRLD with invalid physical address", sdm: "31.4" },
  { number: 10, name: "VMXERR_VMPTRLD_VMXON_POINTER", inLinux: true, description: "VMPTRLD with VMXON pointer", sdm: "31.4" },
  { number: 11, name: "VMXERR_VMPTRLD_INCORRECT_VMCS_REVISION_ID", inLinux: true, description: "VMPTRLD with incorrect VMCS revision identifier", sdm: "31.4" },
  { number: 12, name: "VMXERR_UNSUPPORTED_VMCS_COMPONENT", inLinux: true, description: "VMREAD/VMWRITE from/to unsupported VMCS component", sdm: "31.4" },
  { number: 13, name: "VMXERR_VMWRITE_READ_ONLY_VMCS_COMPONENT", inLinux: true, description: "VMWRITE to read-only VMCS component", sdm: "31.4" },
  { number: 15, name: "VMXERR_VMXON_IN_VMX_ROOT_OPERATION", inLinux: true, description: "VMXON executed in VMX root operation", sdm: "31.4" },
  { number: 16, name: "VMXERR_ENTRY_INVALID_EXECUTIVE_VMCS_POINTER", inLinux: true, description: "VM entry with invalid executive-VMCS pointer", sdm: "31.4", note: ENTRY_ORDER_NOTE },
  { number: 17, name: "VMXERR_ENTRY_NONLAUNCHED_EXECUTIVE_VMCS", inLinux: true, description: "VM entry with non-launched executive VMCS", sdm: "31.4", note: ENTRY_ORDER_NOTE },
  { number: 18, name: "VMXERR_ENTRY_EXECUTIVE_VMCS_POINTER_NOT_VMXON_POINTER", inLinux: true, description: "VM entry with executive-VMCS pointer not VMXON pointer (when attempting to deactivate the dual-monitor treatment of SMIs and SMM)", sdm: "31.4", note: ENTRY_ORDER_NOTE },
  { number: 19, name: "VMXERR_VMCALL_NONCLEAR_VMCS", inLinux: true, description: "VMCALL with non-clear VMCS (when attempting to activate the dual-monitor treatment of SMIs and SMM)", sdm: "31.4" },
  { number: 20, name: "VMXERR_VMCALL_INVALID_VM_EXIT_CONTROL_FIELDS", inLinux: true, description: "VMCALL with invalid VM-exit control fields", sdm: "31.4" },
  { number: 22, name: "VMXERR_VMCALL_INCORRECT_MSEG_REVISION_ID", inLinux: true, description: "VMCALL with incorrect MSEG revision identifier (when attempting to activate the dual-monitor treatment of SMIs and SMM)", sdm: "31.4" },
  { number: 23, name: "VMXERR_VMXOFF_UNDER_DUAL_MONITOR_TREATMENT_OF_SMIS_AND_SMM", inLinux: true, description: "VMXOFF under dual-monitor treatment of SMIs and SMM", sdm: "31.4" },
  { number: 24, name: "VMXERR_VMCALL_INVALID_SMM_MONITOR_FEATURES", inLinux: true, description: "VMCALL with invalid SMM-monitor features (when attempting to activate the dual-monitor treatment of SMIs and SMM)", sdm: "31.4" },
  { number: 25, name: "VMXERR_ENTRY_INVALID_VM_EXECUTION_CONTROL_FIELDS_IN_EXECUTIVE_VMCS", inLinux: true, description: "VM entry with invalid VM-execution control fields in executive VMCS (when attempting to return from SMM)", sdm: "31.4", note: ENTRY_ORDER_NOTE },
  { number: 26, name: "VMXERR_ENTRY_EVENTS_BLOCKED_BY_MOV_SS", inLinux: true, description: "VM entry with events blocked by MOV SS", sdm: "31.4" },
  { number: 28, name: "VMXERR_INVALID_OPERAND_TO_INVEPT_INVVPID", inLinux: true, description: "Invalid operand to INVEPT/INVVPID", sdm: "31.4" },
] as const satisfies readonly VmInstructionErrorDef[]);
VM_INSTRUCTION_ERRORS.forEach((e) => Object.freeze(e));

/** A Linux name of a VM-instruction error. */
export type VmInstructionErrorName = (typeof VM_INSTRUCTION_ERRORS)[number]["name"];

/** A VM-instruction error number that Table 31-1 defines. */
export type VmInstructionErrorNumber = (typeof VM_INSTRUCTION_ERRORS)[number]["number"];

type VmxerrNumbersByName = { readonly [E in (typeof VM_INSTRUCTION_ERRORS)[number] as E["name"]]: E["number"] };

/** Name → number, derived: `VMXERR.VMXERR_ENTRY_INVALID_CONTROL_FIELD === 7`. */
export const VMXERR: VmxerrNumbersByName = Object.freeze(
  Object.fromEntries(VM_INSTRUCTION_ERRORS.map((e) => [e.name, e.number])),
) as VmxerrNumbersByName;

/** Number → definition. */
export const VM_INSTRUCTION_ERROR_BY_NUMBER: ReadonlyMap<number, VmInstructionErrorDef> = new Map(
  VM_INSTRUCTION_ERRORS.map((e): [number, VmInstructionErrorDef] => [e.number, e]),
);

/** Name → definition. */
export const VM_INSTRUCTION_ERROR_BY_NAME: ReadonlyMap<string, VmInstructionErrorDef> = new Map(
  VM_INSTRUCTION_ERRORS.map((e): [string, VmInstructionErrorDef] => [e.name, e]),
);

/** The definition of an error number, or undefined when Table 31-1 does not define it. */
export function vmInstructionErrorByNumber(n: number): VmInstructionErrorDef | undefined {
  return VM_INSTRUCTION_ERROR_BY_NUMBER.get(n);
}

/** The definition of an error by its Linux name, or undefined. */
export function vmInstructionErrorByName(name: string): VmInstructionErrorDef | undefined {
  return VM_INSTRUCTION_ERROR_BY_NAME.get(name);
}

// Each error as its own constant, typed as its literal number so that unions of outcomes
// (`VMfailValid(7)`) can be spelled with `typeof`. Values come from the table via VMXERR.

/** Error 1. */ export const VMXERR_VMCALL_IN_VMX_ROOT_OPERATION = VMXERR.VMXERR_VMCALL_IN_VMX_ROOT_OPERATION;
/** Error 2. */ export const VMXERR_VMCLEAR_INVALID_ADDRESS = VMXERR.VMXERR_VMCLEAR_INVALID_ADDRESS;
/** Error 3. */ export const VMXERR_VMCLEAR_VMXON_POINTER = VMXERR.VMXERR_VMCLEAR_VMXON_POINTER;
/** Error 4. */ export const VMXERR_VMLAUNCH_NONCLEAR_VMCS = VMXERR.VMXERR_VMLAUNCH_NONCLEAR_VMCS;
/** Error 5. */ export const VMXERR_VMRESUME_NONLAUNCHED_VMCS = VMXERR.VMXERR_VMRESUME_NONLAUNCHED_VMCS;
/** Error 6. */ export const VMXERR_VMRESUME_AFTER_VMXOFF = VMXERR.VMXERR_VMRESUME_AFTER_VMXOFF;
/** Error 7. */ export const VMXERR_ENTRY_INVALID_CONTROL_FIELD = VMXERR.VMXERR_ENTRY_INVALID_CONTROL_FIELD;
/** Error 8. */ export const VMXERR_ENTRY_INVALID_HOST_STATE_FIELD = VMXERR.VMXERR_ENTRY_INVALID_HOST_STATE_FIELD;
/** Error 9. */ export const VMXERR_VMPTRLD_INVALID_ADDRESS = VMXERR.VMXERR_VMPTRLD_INVALID_ADDRESS;
/** Error 10. */ export const VMXERR_VMPTRLD_VMXON_POINTER = VMXERR.VMXERR_VMPTRLD_VMXON_POINTER;
/** Error 11. */ export const VMXERR_VMPTRLD_INCORRECT_VMCS_REVISION_ID = VMXERR.VMXERR_VMPTRLD_INCORRECT_VMCS_REVISION_ID;
/** Error 12. */ export const VMXERR_UNSUPPORTED_VMCS_COMPONENT = VMXERR.VMXERR_UNSUPPORTED_VMCS_COMPONENT;
/** Error 13. */ export const VMXERR_VMWRITE_READ_ONLY_VMCS_COMPONENT = VMXERR.VMXERR_VMWRITE_READ_ONLY_VMCS_COMPONENT;
/** Error 15. */ export const VMXERR_VMXON_IN_VMX_ROOT_OPERATION = VMXERR.VMXERR_VMXON_IN_VMX_ROOT_OPERATION;
/** Error 16. */ export const VMXERR_ENTRY_INVALID_EXECUTIVE_VMCS_POINTER = VMXERR.VMXERR_ENTRY_INVALID_EXECUTIVE_VMCS_POINTER;
/** Error 17. */ export const VMXERR_ENTRY_NONLAUNCHED_EXECUTIVE_VMCS = VMXERR.VMXERR_ENTRY_NONLAUNCHED_EXECUTIVE_VMCS;
/** Error 18. */ export const VMXERR_ENTRY_EXECUTIVE_VMCS_POINTER_NOT_VMXON_POINTER = VMXERR.VMXERR_ENTRY_EXECUTIVE_VMCS_POINTER_NOT_VMXON_POINTER;
/** Error 19. */ export const VMXERR_VMCALL_NONCLEAR_VMCS = VMXERR.VMXERR_VMCALL_NONCLEAR_VMCS;
/** Error 20. */ export const VMXERR_VMCALL_INVALID_VM_EXIT_CONTROL_FIELDS = VMXERR.VMXERR_VMCALL_INVALID_VM_EXIT_CONTROL_FIELDS;
/** Error 22. */ export const VMXERR_VMCALL_INCORRECT_MSEG_REVISION_ID = VMXERR.VMXERR_VMCALL_INCORRECT_MSEG_REVISION_ID;
/** Error 23. */ export const VMXERR_VMXOFF_UNDER_DUAL_MONITOR_TREATMENT_OF_SMIS_AND_SMM = VMXERR.VMXERR_VMXOFF_UNDER_DUAL_MONITOR_TREATMENT_OF_SMIS_AND_SMM;
/** Error 24. */ export const VMXERR_VMCALL_INVALID_SMM_MONITOR_FEATURES = VMXERR.VMXERR_VMCALL_INVALID_SMM_MONITOR_FEATURES;
/** Error 25. */ export const VMXERR_ENTRY_INVALID_VM_EXECUTION_CONTROL_FIELDS_IN_EXECUTIVE_VMCS = VMXERR.VMXERR_ENTRY_INVALID_VM_EXECUTION_CONTROL_FIELDS_IN_EXECUTIVE_VMCS;
/** Error 26. */ export const VMXERR_ENTRY_EVENTS_BLOCKED_BY_MOV_SS = VMXERR.VMXERR_ENTRY_EVENTS_BLOCKED_BY_MOV_SS;
/** Error 28. */ export const VMXERR_INVALID_OPERAND_TO_INVEPT_INVVPID = VMXERR.VMXERR_INVALID_OPERAND_TO_INVEPT_INVVPID;
