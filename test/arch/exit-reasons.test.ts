import { describe, expect, it } from "vitest";
import {
  ENTRY_FAILURE_EXIT_REASONS,
  EXIT_REASON,
  EXIT_REASONS,
  EXIT_REASON_BASIC_MASK,
  EXIT_REASON_BY_NAME,
  EXIT_REASON_BY_NUMBER,
  EXIT_REASON_FIELD_BITS,
  EXIT_REASON_FIELD_DEFINED_MASK,
  EXIT_REASON_FIELD_MASK,
  EXIT_REASON_FIELD_PARTS,
  EXIT_REASON_INVALID_STATE,
  EXIT_REASON_MCE_DURING_VMENTRY,
  EXIT_REASON_MSR_LOAD_FAIL,
  basicExitReason,
  exitReasonByName,
  exitReasonByNumber,
  isEntryFailure,
} from "../../src/arch/exit-reasons.js";
import { SDM_SECTIONS } from "../../src/arch/sdm.js";

describe("Appendix C basic exit reasons: known facts", () => {
  it.each([
    ["EXIT_REASON_EXCEPTION_NMI", 0],
    ["EXIT_REASON_EXTERNAL_INTERRUPT", 1],
    ["EXIT_REASON_TRIPLE_FAULT", 2],
    ["EXIT_REASON_INIT_SIGNAL", 3],
    ["EXIT_REASON_INTERRUPT_WINDOW", 7],
    ["EXIT_REASON_CPUID", 10],
    ["EXIT_REASON_HLT", 12],
    ["EXIT_REASON_VMCALL", 18],
    ["EXIT_REASON_VMOFF", 26],
    ["EXIT_REASON_VMON", 27],
    ["EXIT_REASON_CR_ACCESS", 28],
    ["EXIT_REASON_MSR_READ", 31],
    ["EXIT_REASON_MSR_WRITE", 32],
    ["EXIT_REASON_INVALID_STATE", 33],
    ["EXIT_REASON_MSR_LOAD_FAIL", 34],
    ["EXIT_REASON_MONITOR_TRAP_FLAG", 37],
    ["EXIT_REASON_MCE_DURING_VMENTRY", 41],
    ["EXIT_REASON_EPT_VIOLATION", 48],
    ["EXIT_REASON_EPT_MISCONFIG", 49],
    ["EXIT_REASON_PREEMPTION_TIMER", 52],
    ["EXIT_REASON_PML_FULL", 62],
    ["EXIT_REASON_XRSTORS", 64],
    ["EXIT_REASON_BUS_LOCK", 74],
    ["EXIT_REASON_NOTIFY", 75],
    ["EXIT_REASON_SEAMCALL", 76],
    ["EXIT_REASON_TDCALL", 77],
    ["EXIT_REASON_RDMSRLIST", 78],
    ["EXIT_REASON_WRMSRLIST", 79],
    ["EXIT_REASON_URDMSR", 80],
    ["EXIT_REASON_UWRMSR", 81],
    ["EXIT_REASON_MSR_READ_IMM", 84],
    ["EXIT_REASON_MSR_WRITE_IMM", 85],
  ] as const)("%s = %i", (name, number) => {
    expect(EXIT_REASON[name]).toBe(number);
    expect(exitReasonByNumber(number)?.name).toBe(name);
    expect(exitReasonByName(name)?.number).toBe(number);
  });

  it("titles follow Table C-1", () => {
    expect(exitReasonByNumber(33)?.title).toBe("VM-entry failure due to invalid guest state");
    expect(exitReasonByNumber(34)?.title).toBe("VM-entry failure due to MSR loading");
    expect(exitReasonByNumber(48)?.title).toBe("EPT violation");
    expect(exitReasonByNumber(26)?.title).toBe("VMXOFF");
  });

  it("numbers Appendix C leaves undefined are absent (35, 38, 42, 71, 82, 83)", () => {
    for (const n of [35, 38, 42, 71, 82, 83, 86, 0xffff]) expect(exitReasonByNumber(n)).toBeUndefined();
  });

  it("only 33, 34 and 41 can appear with bit 31 set (SDM 25.9.1)", () => {
    expect(ENTRY_FAILURE_EXIT_REASONS).toEqual([33, 34, 41]);
    expect([EXIT_REASON_INVALID_STATE, EXIT_REASON_MSR_LOAD_FAIL, EXIT_REASON_MCE_DURING_VMENTRY]).toEqual([33, 34, 41]);
  });

  it("names Linux lacks are marked and spelled in its style", () => {
    const invented = EXIT_REASONS.filter((e) => !e.inLinux).map((e) => e.number);
    expect(invented).toEqual([5, 6, 11, 17, 65, 66, 69, 70, 72, 73, 78, 79, 80, 81]);
  });
});

describe("Appendix C basic exit reasons: self-consistency", () => {
  it("count is pinned so the table cannot silently shrink", () => {
    expect(EXIT_REASONS.length).toBe(80);
    expect(EXIT_REASONS.filter((e) => e.inLinux).length).toBe(66);
  });

  it("numbers are unique, ascending and fit in bits 15:0", () => {
    const numbers = EXIT_REASONS.map((e) => e.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect([...numbers].sort((a, b) => a - b)).toEqual(numbers);
    for (const n of numbers) expect(n & ~EXIT_REASON_BASIC_MASK).toBe(0);
  });

  it("names are unique and Linux-style", () => {
    const names = EXIT_REASONS.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^EXIT_REASON_[A-Z0-9_]+$/);
  });

  it("every entry cites a section of SDM_SECTIONS and has a title and description", () => {
    for (const e of EXIT_REASONS) {
      expect(Object.hasOwn(SDM_SECTIONS, e.sdm)).toBe(true);
      expect(e.title.length).toBeGreaterThan(0);
      expect(e.description.length).toBeGreaterThan(0);
    }
  });

  it("lookups are derived from the table and frozen", () => {
    expect(EXIT_REASON_BY_NUMBER.size).toBe(EXIT_REASONS.length);
    expect(EXIT_REASON_BY_NAME.size).toBe(EXIT_REASONS.length);
    expect(Object.keys(EXIT_REASON).length).toBe(EXIT_REASONS.length);
    for (const e of EXIT_REASONS) {
      expect(EXIT_REASON_BY_NUMBER.get(e.number)).toBe(e);
      expect(EXIT_REASON_BY_NAME.get(e.name)).toBe(e);
    }
    expect(Object.isFrozen(EXIT_REASONS)).toBe(true);
    expect(EXIT_REASONS.every((e) => Object.isFrozen(e))).toBe(true);
    expect(Object.isFrozen(EXIT_REASON)).toBe(true);
  });
});

describe("the exit-reason field (SDM 25.9.1)", () => {
  it("pins the Linux masks and the flag bits", () => {
    expect(EXIT_REASON_FIELD_MASK.VMX_EXIT_REASONS_FAILED_VMENTRY).toBe(0x80000000);
    expect(EXIT_REASON_FIELD_MASK.VMX_EXIT_REASONS_SGX_ENCLAVE_MODE).toBe(0x08000000);
    expect(EXIT_REASON_FIELD_MASK.VMX_EXIT_REASONS_BUS_LOCK_DETECTED).toBe(1 << 26);
    expect(EXIT_REASON_FIELD_MASK.VMX_EXIT_REASONS_SMI_PENDING_MTF).toBe(1 << 28);
    expect(EXIT_REASON_FIELD_MASK.VMX_EXIT_REASONS_SMI_FROM_VMX_ROOT).toBe(1 << 29);
    expect(EXIT_REASON_BASIC_MASK).toBe(0xffff);
    expect(EXIT_REASON_FIELD_BITS.length).toBe(6);
  });

  it("the defined mask is the OR of the table, and bits 16–24 and 30 stay undefined", () => {
    let m = 0;
    for (const p of EXIT_REASON_FIELD_PARTS) for (let b = p.lsb; b <= p.msb; b++) m |= 1 << b;
    for (const b of EXIT_REASON_FIELD_BITS) m |= 1 << b.bit;
    expect(EXIT_REASON_FIELD_DEFINED_MASK).toBe(m >>> 0);
    expect(EXIT_REASON_FIELD_DEFINED_MASK).toBe(0xbe00ffff);
  });

  it("flag bits lie above the basic reason, within 32 bits, without duplicates", () => {
    const bits = EXIT_REASON_FIELD_BITS.map((b) => b.bit);
    expect(new Set(bits).size).toBe(bits.length);
    for (const b of bits) {
      expect(b).toBeGreaterThan(15);
      expect(b).toBeLessThan(32);
    }
    for (const b of EXIT_REASON_FIELD_BITS) expect(Object.hasOwn(SDM_SECTIONS, b.sdm)).toBe(true);
  });

  it("decodes a raw exit reason", () => {
    expect(basicExitReason(0x80000021)).toBe(33);
    expect(isEntryFailure(0x80000021)).toBe(true);
    expect(isEntryFailure(0x08000030)).toBe(false);
    expect(basicExitReason(0x08000030)).toBe(48);
  });
});
