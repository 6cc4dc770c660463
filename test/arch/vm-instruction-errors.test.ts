import { describe, expect, it } from "vitest";
import { SDM_SECTIONS } from "../../src/arch/sdm.js";
import {
  VMXERR,
  VMXERR_ENTRY_EVENTS_BLOCKED_BY_MOV_SS,
  VMXERR_ENTRY_INVALID_CONTROL_FIELD,
  VMXERR_ENTRY_INVALID_HOST_STATE_FIELD,
  VMXERR_INVALID_OPERAND_TO_INVEPT_INVVPID,
  VMXERR_UNSUPPORTED_VMCS_COMPONENT,
  VMXERR_VMWRITE_READ_ONLY_VMCS_COMPONENT,
  VM_INSTRUCTION_ERRORS,
  VM_INSTRUCTION_ERROR_BY_NAME,
  VM_INSTRUCTION_ERROR_BY_NUMBER,
  vmInstructionErrorByName,
  vmInstructionErrorByNumber,
} from "../../src/arch/vm-instruction-errors.js";
import * as errors from "../../src/arch/vm-instruction-errors.js";

describe("SDM 31.4 VM-instruction error numbers: known facts", () => {
  it("7 is invalid control fields, 8 invalid host-state fields", () => {
    expect(VMXERR_ENTRY_INVALID_CONTROL_FIELD).toBe(7);
    expect(vmInstructionErrorByNumber(7)?.description).toBe("VM entry with invalid control field(s)");
    expect(VMXERR_ENTRY_INVALID_HOST_STATE_FIELD).toBe(8);
    expect(vmInstructionErrorByNumber(8)?.description).toBe("VM entry with invalid host-state field(s)");
  });

  it.each([
    ["VMXERR_VMCALL_IN_VMX_ROOT_OPERATION", 1],
    ["VMXERR_VMCLEAR_INVALID_ADDRESS", 2],
    ["VMXERR_VMCLEAR_VMXON_POINTER", 3],
    ["VMXERR_VMLAUNCH_NONCLEAR_VMCS", 4],
    ["VMXERR_VMRESUME_NONLAUNCHED_VMCS", 5],
    ["VMXERR_VMRESUME_AFTER_VMXOFF", 6],
    ["VMXERR_VMPTRLD_INVALID_ADDRESS", 9],
    ["VMXERR_VMPTRLD_VMXON_POINTER", 10],
    ["VMXERR_VMPTRLD_INCORRECT_VMCS_REVISION_ID", 11],
    ["VMXERR_UNSUPPORTED_VMCS_COMPONENT", 12],
    ["VMXERR_VMWRITE_READ_ONLY_VMCS_COMPONENT", 13],
    ["VMXERR_VMXON_IN_VMX_ROOT_OPERATION", 15],
    ["VMXERR_ENTRY_EVENTS_BLOCKED_BY_MOV_SS", 26],
    ["VMXERR_INVALID_OPERAND_TO_INVEPT_INVVPID", 28],
  ] as const)("%s = %i", (name, number) => {
    expect(VMXERR[name]).toBe(number);
    expect(vmInstructionErrorByName(name)?.number).toBe(number);
  });

  it("numbers the table leaves undefined are absent (0, 14, 21, 27, 29)", () => {
    for (const n of [0, 14, 21, 27, 29]) expect(vmInstructionErrorByNumber(n)).toBeUndefined();
  });

  it("the individual constants equal the table's numbers", () => {
    expect(VMXERR_UNSUPPORTED_VMCS_COMPONENT).toBe(12);
    expect(VMXERR_VMWRITE_READ_ONLY_VMCS_COMPONENT).toBe(13);
    expect(VMXERR_ENTRY_EVENTS_BLOCKED_BY_MOV_SS).toBe(26);
    expect(VMXERR_INVALID_OPERAND_TO_INVEPT_INVVPID).toBe(28);
    const exported = errors as Record<string, unknown>;
    for (const e of VM_INSTRUCTION_ERRORS) expect(exported[e.name]).toBe(e.number);
  });
});

describe("SDM 31.4 VM-instruction error numbers: self-consistency", () => {
  it("count is pinned", () => {
    expect(VM_INSTRUCTION_ERRORS.length).toBe(25);
  });

  it("numbers and names are unique; numbers ascend", () => {
    const numbers = VM_INSTRUCTION_ERRORS.map((e) => e.number);
    const names = VM_INSTRUCTION_ERRORS.map((e) => e.name);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(new Set(names).size).toBe(names.length);
    expect([...numbers].sort((a, b) => a - b)).toEqual(numbers);
    for (const n of names) expect(n).toMatch(/^VMXERR_[A-Z0-9_]+$/);
  });

  it("every entry is Linux's, cites SDM_SECTIONS and has a description", () => {
    for (const e of VM_INSTRUCTION_ERRORS) {
      expect(e.inLinux).toBe(true);
      expect(Object.hasOwn(SDM_SECTIONS, e.sdm)).toBe(true);
      expect(e.description.length).toBeGreaterThan(0);
    }
  });

  it("lookups are derived and frozen", () => {
    expect(VM_INSTRUCTION_ERROR_BY_NUMBER.size).toBe(VM_INSTRUCTION_ERRORS.length);
    expect(VM_INSTRUCTION_ERROR_BY_NAME.size).toBe(VM_INSTRUCTION_ERRORS.length);
    for (const e of VM_INSTRUCTION_ERRORS) expect(VM_INSTRUCTION_ERROR_BY_NUMBER.get(e.number)).toBe(e);
    expect(Object.isFrozen(VM_INSTRUCTION_ERRORS)).toBe(true);
    expect(VM_INSTRUCTION_ERRORS.every((e) => Object.isFrozen(e))).toBe(true);
    expect(Object.isFrozen(VMXERR)).toBe(true);
  });
});
