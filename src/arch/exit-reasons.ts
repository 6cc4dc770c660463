/**
 * VM-exit reasons: every basic exit reason of the current SDM Appendix C ("VMX Basic Exit
 * Reasons"), and the other bits of the 32-bit exit-reason field (SDM 25.9.1, "Basic VM-Exit
 * Information"). Lookups by number and by name are derived from the tables.
 *
 * Numbers Appendix C leaves undefined (35, 38, 42, 71, 82, 83) are absent on purpose: an exit
 * reason that is not in {@link EXIT_REASONS} is one the architecture never reports.
 */
import type { BitDef, BitFieldDef } from "./bits.js";
import type { SdmSection } from "./sdm.js";

/** One basic exit reason (bits 15:0 of the exit-reason field). */
export interface ExitReasonDef {
  readonly number: number;
  /**
   * The Linux kernel's `EXIT_REASON_*` name (arch/x86/include/uapi/asm/vmx.h). Reasons Linux
   * does not name get a name in the same style, with {@link inLinux} false.
   */
  readonly name: string;
  /** True when `name` is spelled exactly as in Linux's uapi/asm/vmx.h. */
  readonly inLinux: boolean;
  /** The SDM's title for the reason (Appendix C, Table C-1). */
  readonly title: string;
  /** What causes it, briefly, in the SDM's terms. */
  readonly description: string;
  readonly sdm: SdmSection;
  /**
   * True for the three reasons that report a VM-entry failure during or after the loading of
   * guest state (SDM chapter 27, VM entries): they appear with bit 31 of the exit-reason field set.
   */
  readonly entryFailure?: true;
}

/** Every basic exit reason of Appendix C, in number order. */
export const EXIT_REASONS = Object.freeze([
  { number: 0, name: "EXIT_REASON_EXCEPTION_NMI", inLinux: true, title: "Exception or non-maskable interrupt (NMI)", description: "An exception whose vector's bit is set in the exception bitmap, or an NMI with \"NMI exiting\" = 1.", sdm: "C" },
  { number: 1, name: "EXIT_REASON_EXTERNAL_INTERRUPT", inLinux: true, title: "External interrupt", description: "An external interrupt arrived with \"external-interrupt exiting\" = 1.", sdm: "C" },
  { number: 2, name: "EXIT_REASON_TRIPLE_FAULT", inLinux: true, title: "Triple fault", description: "An exception occurred while invoking the double-fault handler and did not itself cause a VM exit.", sdm: "C" },
  { number: 3, name: "EXIT_REASON_INIT_SIGNAL", inLinux: true, title: "INIT signal", description: "An INIT signal arrived.", sdm: "C" },
  { number: 4, name: "EXIT_REASON_SIPI_SIGNAL", inLinux: true, title: "Start-up IPI (SIPI)", description: "A SIPI arrived while the logical processor was in the wait-for-SIPI state.", sdm: "C" },
  { number: 5, name: "EXIT_REASON_IO_SMI", inLinux: false, title: "I/O system-management interrupt (SMI)", description: "An SMI arriving right after an I/O instruction retired caused an SMM VM exit.", sdm: "C" },
  { number: 6, name: "EXIT_REASON_OTHER_SMI", inLinux: false, title: "Other SMI", description: "An SMI not immediately following an I/O instruction caused an SMM VM exit.", sdm: "C" },
  { number: 7, name: "EXIT_REASON_INTERRUPT_WINDOW", inLinux: true, title: "Interrupt window", description: "\"Interrupt-window exiting\" = 1 and interrupts became deliverable (RFLAGS.IF = 1, no STI or MOV-SS blocking).", sdm: "C" },
  { number: 8, name: "EXIT_REASON_NMI_WINDOW", inLinux: true, title: "NMI window", description: "\"NMI-window exiting\" = 1 and there was no virtual-NMI blocking.", sdm: "C" },
  { number: 9, name: "EXIT_REASON_TASK_SWITCH", inLinux: true, title: "Task switch", description: "The guest attempted a task switch.", sdm: "C" },
  { number: 10, name: "EXIT_REASON_CPUID", inLinux: true, title: "CPUID", description: "The guest executed CPUID.", sdm: "C" },
  { number: 11, name: "EXIT_REASON_GETSEC", inLinux: false, title: "GETSEC", description: "The guest executed GETSEC.", sdm: "C" },
  { number: 12, name: "EXIT_REASON_HLT", inLinux: true, title: "HLT", description: "The guest executed HLT with \"HLT exiting\" = 1.", sdm: "C" },
  { number: 13, name: "EXIT_REASON_INVD", inLinux: true, title: "INVD", description: "The guest executed INVD.", sdm: "C" },
  { number: 14, name: "EXIT_REASON_INVLPG", inLinux: true, title: "INVLPG", description: "The guest executed INVLPG with \"INVLPG exiting\" = 1.", sdm: "C" },
  { number: 15, name: "EXIT_REASON_RDPMC", inLinux: true, title: "RDPMC", description: "The guest executed RDPMC with \"RDPMC exiting\" = 1.", sdm: "C" },
  { number: 16, name: "EXIT_REASON_RDTSC", inLinux: true, title: "RDTSC", description: "The guest executed RDTSC with \"RDTSC exiting\" = 1.", sdm: "C" },
  { number: 17, name: "EXIT_REASON_RSM", inLinux: false, title: "RSM", description: "The guest executed RSM in SMM.", sdm: "C" },
  { number: 18, name: "EXIT_REASON_VMCALL", inLinux: true, title: "VMCALL", description: "VMCALL was executed by the guest or by the SMM monitor.", sdm: "C" },
  { number: 19, name: "EXIT_REASON_VMCLEAR", inLinux: true, title: "VMCLEAR", description: "The guest executed VMCLEAR.", sdm: "C" },
  { number: 20, name: "EXIT_REASON_VMLAUNCH", inLinux: true, title: "VMLAUNCH", description: "The guest executed VMLAUNCH.", sdm: "C" },
  { number: 21, name: "EXIT_REASON_VMPTRLD", inLinux: true, title: "VMPTRLD", description: "The guest executed VMPTRLD.", sdm: "C" },
  { number: 22, name: "EXIT_REASON_VMPTRST", inLinux: true, title: "VMPTRST", description: "The guest executed VMPTRST.", sdm: "C" },
  { number: 23, name: "EXIT_REASON_VMREAD", inLinux: true, title: "VMREAD", description: "The guest executed VMREAD (and VMCS shadowing did not handle it).", sdm: "C" },
  { number: 24, name: "EXIT_REASON_VMRESUME", inLinux: true, title: "VMRESUME", description: "The guest executed VMRESUME.", sdm: "C" },
  { number: 25, name: "EXIT_REASON_VMWRITE", inLinux: true, title: "VMWRITE", description: "The guest executed VMWRITE (and VMCS shadowing did not handle it).", sdm: "C" },
  { number: 26, name: "EXIT_REASON_VMOFF", inLinux: true, title: "VMXOFF", description: "The guest executed VMXOFF.", sdm: "C" },
  { number: 27, name: "EXIT_REASON_VMON", inLinux: true, title: "VMXON", description: "The guest executed VMXON.", sdm: "C" },
  { number: 28, name: "EXIT_REASON_CR_ACCESS", inLinux: true, title: "Control-register accesses", description: "The guest accessed CR0, CR3, CR4 or CR8 with CLTS, LMSW or MOV CR and the controls required a VM exit.", sdm: "C" },
  { number: 29, name: "EXIT_REASON_DR_ACCESS", inLinux: true, title: "MOV DR", description: "The guest executed MOV to or from a debug register with \"MOV-DR exiting\" = 1.", sdm: "C" },
  { number: 30, name: "EXIT_REASON_IO_INSTRUCTION", inLinux: true, title: "I/O instruction", description: "The guest executed an I/O instruction that unconditional I/O exiting or the I/O bitmaps intercept.", sdm: "C" },
  { number: 31, name: "EXIT_REASON_MSR_READ", inLinux: true, title: "RDMSR", description: "The guest executed RDMSR and MSR bitmaps were off, the index was out of their range, or its read bit was 1.", sdm: "C" },
  { number: 32, name: "EXIT_REASON_MSR_WRITE", inLinux: true, title: "WRMSR", description: "The guest executed WRMSR and MSR bitmaps were off, the index was out of their range, or its write bit was 1.", sdm: "C" },
  { number: 33, name: "EXIT_REASON_INVALID_STATE", inLinux: true, title: "VM-entry failure due to invalid guest state", description: "A VM entry failed a check on the guest-state area.", sdm: "C", entryFailure: true },
  { number: 34, name: "EXIT_REASON_MSR_LOAD_FAIL", inLinux: true, title: "VM-entry failure due to MSR loading", description: "A VM entry failed while loading MSRs from the VM-entry MSR-load area.", sdm: "C", entryFailure: true },
  { number: 36, name: "EXIT_REASON_MWAIT_INSTRUCTION", inLinux: true, title: "MWAIT", description: "The guest executed MWAIT with \"MWAIT exiting\" = 1.", sdm: "C" },
  { number: 37, name: "EXIT_REASON_MONITOR_TRAP_FLAG", inLinux: true, title: "Monitor trap flag", description: "An MTF VM exit, due to \"monitor trap flag\" = 1 or an MTF injected by VM entry.", sdm: "C" },
  { number: 39, name: "EXIT_REASON_MONITOR_INSTRUCTION", inLinux: true, title: "MONITOR", description: "The guest executed MONITOR with \"MONITOR exiting\" = 1.", sdm: "C" },
  { number: 40, name: "EXIT_REASON_PAUSE_INSTRUCTION", inLinux: true, title: "PAUSE", description: "The guest executed PAUSE with \"PAUSE exiting\" = 1, or PAUSE-loop exiting detected a loop.", sdm: "C" },
  { number: 41, name: "EXIT_REASON_MCE_DURING_VMENTRY", inLinux: true, title: "VM-entry failure due to machine-check event", description: "A machine-check event occurred during VM entry.", sdm: "C", entryFailure: true },
  { number: 43, name: "EXIT_REASON_TPR_BELOW_THRESHOLD", inLinux: true, title: "TPR below threshold", description: "With \"use TPR shadow\" = 1, VTPR[7:4] fell below the TPR threshold (after VM entry, MOV to CR8 or a TPR write).", sdm: "C" },
  { number: 44, name: "EXIT_REASON_APIC_ACCESS", inLinux: true, title: "APIC access", description: "The guest accessed the APIC-access page with \"virtualize APIC accesses\" = 1.", sdm: "C" },
  { number: 45, name: "EXIT_REASON_EOI_INDUCED", inLinux: true, title: "Virtualized EOI", description: "EOI virtualization was performed for a vector whose bit is set in the EOI-exit bitmap.", sdm: "C" },
  { number: 46, name: "EXIT_REASON_GDTR_IDTR", inLinux: true, title: "Access to GDTR or IDTR", description: "The guest executed LGDT, LIDT, SGDT or SIDT with \"descriptor-table exiting\" = 1.", sdm: "C" },
  { number: 47, name: "EXIT_REASON_LDTR_TR", inLinux: true, title: "Access to LDTR or TR", description: "The guest executed LLDT, LTR, SLDT or STR with \"descriptor-table exiting\" = 1.", sdm: "C" },
  { number: 48, name: "EXIT_REASON_EPT_VIOLATION", inLinux: true, title: "EPT violation", description: "A guest-physical access was disallowed by the EPT paging structures.", sdm: "C" },
  { number: 49, name: "EXIT_REASON_EPT_MISCONFIG", inLinux: true, title: "EPT misconfiguration", description: "A guest-physical access met a misconfigured EPT paging-structure entry.", sdm: "C" },
  { number: 50, name: "EXIT_REASON_INVEPT", inLinux: true, title: "INVEPT", description: "The guest executed INVEPT.", sdm: "C" },
  { number: 51, name: "EXIT_REASON_RDTSCP", inLinux: true, title: "RDTSCP", description: "The guest executed RDTSCP with \"enable RDTSCP\" = 1 and \"RDTSC exiting\" = 1.", sdm: "C" },
  { number: 52, name: "EXIT_REASON_PREEMPTION_TIMER", inLinux: true, title: "VMX-preemption timer expired", description: "The VMX-preemption timer counted down to zero.", sdm: "C" },
  { number: 53, name: "EXIT_REASON_INVVPID", inLinux: true, title: "INVVPID", description: "The guest executed INVVPID.", sdm: "C" },
  { number: 54, name: "EXIT_REASON_WBINVD", inLinux: true, title: "WBINVD or WBNOINVD", description: "The guest executed WBINVD or WBNOINVD with \"WBINVD exiting\" = 1.", sdm: "C" },
  { number: 55, name: "EXIT_REASON_XSETBV", inLinux: true, title: "XSETBV", description: "The guest executed XSETBV.", sdm: "C" },
  { number: 56, name: "EXIT_REASON_APIC_WRITE", inLinux: true, title: "APIC write", description: "The guest completed a write to the virtual-APIC page that software must virtualize.", sdm: "C" },
  { number: 57, name: "EXIT_REASON_RDRAND", inLinux: true, title: "RDRAND", description: "The guest executed RDRAND with \"RDRAND exiting\" = 1.", sdm: "C" },
  { number: 58, name: "EXIT_REASON_INVPCID", inLinux: true, title: "INVPCID", description: "The guest executed INVPCID with \"enable INVPCID\" = 1 and \"INVLPG exiting\" = 1.", sdm: "C" },
  { number: 59, name: "EXIT_REASON_VMFUNC", inLinux: true, title: "VMFUNC", description: "The guest invoked a VM function that was not enabled or that caused a function-specific VM exit.", sdm: "C" },
  { number: 60, name: "EXIT_REASON_ENCLS", inLinux: true, title: "ENCLS", description: "The guest executed an ENCLS leaf selected by the ENCLS-exiting bitmap with \"enable ENCLS exiting\" = 1.", sdm: "C" },
  { number: 61, name: "EXIT_REASON_RDSEED", inLinux: true, title: "RDSEED", description: "The guest executed RDSEED with \"RDSEED exiting\" = 1.", sdm: "C" },
  { number: 62, name: "EXIT_REASON_PML_FULL", inLinux: true, title: "Page-modification log full", description: "The processor had to log a page modification while the PML index was outside 0–511.", sdm: "C" },
  { number: 63, name: "EXIT_REASON_XSAVES", inLinux: true, title: "XSAVES", description: "The guest executed XSAVES for a component set in EDX:EAX, IA32_XSS and the XSS-exiting bitmap.", sdm: "C" },
  { number: 64, name: "EXIT_REASON_XRSTORS", inLinux: true, title: "XRSTORS", description: "The guest executed XRSTORS for a component set in EDX:EAX, IA32_XSS and the XSS-exiting bitmap.", sdm: "C" },
  { number: 65, name: "EXIT_REASON_PCONFIG", inLinux: false, title: "PCONFIG", description: "The guest executed a PCONFIG leaf selected by the PCONFIG-exiting bitmap with \"enable PCONFIG\" = 1.", sdm: "C" },
  { number: 66, name: "EXIT_REASON_SPP", inLinux: false, title: "SPP-related event", description: "Determining sub-page write permission met an SPP miss or SPP misconfiguration.", sdm: "C" },
  { number: 67, name: "EXIT_REASON_UMWAIT", inLinux: true, title: "UMWAIT", description: "The guest executed UMWAIT with \"enable user wait and pause\" = 1 and \"RDTSC exiting\" = 1.", sdm: "C" },
  { number: 68, name: "EXIT_REASON_TPAUSE", inLinux: true, title: "TPAUSE", description: "The guest executed TPAUSE with \"enable user wait and pause\" = 1 and \"RDTSC exiting\" = 1.", sdm: "C" },
  { number: 69, name: "EXIT_REASON_LOADIWKEY", inLinux: false, title: "LOADIWKEY", description: "The guest executed LOADIWKEY with \"LOADIWKEY exiting\" = 1.", sdm: "C" },
  { number: 70, name: "EXIT_REASON_ENCLV", inLinux: false, title: "ENCLV", description: "The guest executed an ENCLV leaf selected by the ENCLV-exiting bitmap with \"enable ENCLV exiting\" = 1.", sdm: "C" },
  { number: 72, name: "EXIT_REASON_ENQCMD_PASID_FAIL", inLinux: false, title: "ENQCMD PASID translation failure", description: "PASID translation for ENQCMD met a non-present or reserved-bit PASID-directory or PASID-table entry.", sdm: "C" },
  { number: 73, name: "EXIT_REASON_ENQCMDS_PASID_FAIL", inLinux: false, title: "ENQCMDS PASID translation failure", description: "PASID translation for ENQCMDS met a non-present or reserved-bit PASID-directory or PASID-table entry.", sdm: "C" },
  { number: 74, name: "EXIT_REASON_BUS_LOCK", inLinux: true, title: "Bus lock", description: "The processor asserted a bus lock with \"bus-lock detection\" = 1 (bit 26 of the exit reason is also set).", sdm: "C" },
  { number: 75, name: "EXIT_REASON_NOTIFY", inLinux: true, title: "Instruction timeout", description: "With \"instruction timeout\" = 1, no instruction boundary was reached within the instruction-timeout window.", sdm: "C" },
  { number: 76, name: "EXIT_REASON_SEAMCALL", inLinux: true, title: "SEAMCALL", description: "The guest executed SEAMCALL.", sdm: "C" },
  { number: 77, name: "EXIT_REASON_TDCALL", inLinux: true, title: "TDCALL", description: "The guest executed TDCALL.", sdm: "C" },
  { number: 78, name: "EXIT_REASON_RDMSRLIST", inLinux: false, title: "RDMSRLIST", description: "The guest executed RDMSRLIST and MSR bitmaps were off or intercepted one of the MSRs read.", sdm: "C" },
  { number: 79, name: "EXIT_REASON_WRMSRLIST", inLinux: false, title: "WRMSRLIST", description: "The guest executed WRMSRLIST and MSR bitmaps were off or intercepted one of the MSRs written.", sdm: "C" },
  { number: 80, name: "EXIT_REASON_URDMSR", inLinux: false, title: "URDMSR", description: "The guest executed URDMSR and MSR bitmaps were off or intercepted the MSR read.", sdm: "C" },
  { number: 81, name: "EXIT_REASON_UWRMSR", inLinux: false, title: "UWRMSR", description: "The guest executed UWRMSR and MSR bitmaps were off or intercepted the MSR written.", sdm: "C" },
  { number: 84, name: "EXIT_REASON_MSR_READ_IMM", inLinux: true, title: "RDMSR with immediate operand", description: "The guest executed the immediate form of RDMSR and MSR bitmaps were off or intercepted the MSR read.", sdm: "C" },
  { number: 85, name: "EXIT_REASON_MSR_WRITE_IMM", inLinux: true, title: "WRMSRNS with immediate operand", description: "The guest executed the immediate form of WRMSRNS and MSR bitmaps were off or intercepted the MSR written.", sdm: "C" },
] as const satisfies readonly ExitReasonDef[]);
EXIT_REASONS.forEach((e) => Object.freeze(e));

/** A Linux-style name of a basic exit reason. */
export type ExitReasonName = (typeof EXIT_REASONS)[number]["name"];

/** A basic exit reason that Appendix C defines. */
export type ExitReasonNumber = (typeof EXIT_REASONS)[number]["number"];

/** Basic exit reasons that can appear with bit 31 (VM-entry failure) set: 33, 34 and 41. */
export type EntryFailureExitReason = Extract<(typeof EXIT_REASONS)[number], { readonly entryFailure: true }>["number"];

type ExitReasonNumbersByName = { readonly [E in (typeof EXIT_REASONS)[number] as E["name"]]: E["number"] };

/** Name → number, derived: `EXIT_REASON.EXIT_REASON_INVALID_STATE === 33`. */
export const EXIT_REASON: ExitReasonNumbersByName = Object.freeze(
  Object.fromEntries(EXIT_REASONS.map((e) => [e.name, e.number])),
) as ExitReasonNumbersByName;

/** Number → definition, for every basic exit reason of Appendix C. */
export const EXIT_REASON_BY_NUMBER: ReadonlyMap<number, ExitReasonDef> = new Map(
  EXIT_REASONS.map((e): [number, ExitReasonDef] => [e.number, e]),
);

/** Name → definition. */
export const EXIT_REASON_BY_NAME: ReadonlyMap<string, ExitReasonDef> = new Map(
  EXIT_REASONS.map((e): [string, ExitReasonDef] => [e.name, e]),
);

/** The basic exit reasons that can appear with bit 31 set (33, 34, 41), in number order. */
export const ENTRY_FAILURE_EXIT_REASONS: readonly EntryFailureExitReason[] = Object.freeze(
  EXIT_REASONS.filter((e): e is Extract<typeof e, { entryFailure: true }> => "entryFailure" in e && e.entryFailure).map(
    (e) => e.number,
  ),
);

/** The definition of a basic exit reason, or undefined when Appendix C does not define it. */
export function exitReasonByNumber(basic: number): ExitReasonDef | undefined {
  return EXIT_REASON_BY_NUMBER.get(basic);
}

/** The definition of a basic exit reason by its Linux-style name, or undefined. */
export function exitReasonByName(name: string): ExitReasonDef | undefined {
  return EXIT_REASON_BY_NAME.get(name);
}

// ---------------------------------------------------------------------------------------------
// The exit-reason field (SDM 25.9.1, Table 25-18 "Format of Exit Reason")
// ---------------------------------------------------------------------------------------------

/** A named bit of the exit-reason field; `inLinux` as for {@link ExitReasonDef}. */
export interface ExitReasonFieldBitDef extends BitDef {
  readonly inLinux: boolean;
}

/** A multi-bit part of the exit-reason field. */
export interface ExitReasonFieldDef extends BitFieldDef {
  readonly inLinux: boolean;
}

/**
 * Bits 15:0: the basic exit reason. Linux has no macro for it (its `union vmx_exit_reason`
 * names the bit-field `basic`).
 */
export const EXIT_REASON_FIELD_PARTS = Object.freeze([
  { name: "VMX_EXIT_REASONS_BASIC", inLinux: false, lsb: 0, msb: 15, title: "Basic exit reason", sdm: "25.9.1" },
] as const satisfies readonly ExitReasonFieldDef[]);

/**
 * The single-bit flags of the exit-reason field. Bit 16 is always cleared, bits 24:17 and 30
 * are not currently defined. Names not in Linux follow its `union vmx_exit_reason` bit-fields
 * (`bus_lock_detected`, `smi_pending_mtf`, `smi_from_vmx_root`).
 */
export const EXIT_REASON_FIELD_BITS = Object.freeze([
  // Set when the VM exit caused a shadow stack to become prematurely busy (requires the
  // "prematurely busy shadow stack" secondary VM-exit control).
  { name: "VMX_EXIT_REASONS_SHADOW_STACK_BUSY", inLinux: false, bit: 25, title: "Shadow stack prematurely busy", sdm: "25.9.1" },
  // Set when a bus lock was asserted with "bus-lock detection" = 1, on exit reason 74 and on
  // any higher-priority VM exit that pre-empted it.
  { name: "VMX_EXIT_REASONS_BUS_LOCK_DETECTED", inLinux: false, bit: 26, title: "Bus lock detected", sdm: "25.9.1" },
  { name: "VMX_EXIT_REASONS_SGX_ENCLAVE_MODE", inLinux: true, bit: 27, title: "VM exit from enclave mode", sdm: "25.9.1" },
  // Set only by an SMM VM exit that took priority over an MTF VM exit.
  { name: "VMX_EXIT_REASONS_SMI_PENDING_MTF", inLinux: false, bit: 28, title: "Pending MTF VM exit", sdm: "25.9.1" },
  // Set only by SMM VM exits taken in VMX root operation.
  { name: "VMX_EXIT_REASONS_SMI_FROM_VMX_ROOT", inLinux: false, bit: 29, title: "VM exit from VMX root operation", sdm: "25.9.1" },
  { name: "VMX_EXIT_REASONS_FAILED_VMENTRY", inLinux: true, bit: 31, title: "VM-entry failure", sdm: "25.9.1" },
] as const satisfies readonly ExitReasonFieldBitDef[]);

type ExitReasonFieldMasks = {
  readonly [B in (typeof EXIT_REASON_FIELD_BITS)[number] as B["name"]]: number;
};

/** Flag name → mask (unsigned 32-bit), derived: `VMX_EXIT_REASONS_FAILED_VMENTRY === 0x80000000`. */
export const EXIT_REASON_FIELD_MASK: ExitReasonFieldMasks = Object.freeze(
  Object.fromEntries(EXIT_REASON_FIELD_BITS.map((b) => [b.name, (1 << b.bit) >>> 0])),
) as ExitReasonFieldMasks;

/** Mask of the basic exit reason, bits 15:0. */
export const EXIT_REASON_BASIC_MASK: number = fieldMask32(EXIT_REASON_FIELD_PARTS[0]);

/** Every defined bit of the exit-reason field (unsigned 32-bit). */
export const EXIT_REASON_FIELD_DEFINED_MASK: number =
  (EXIT_REASON_BASIC_MASK | EXIT_REASON_FIELD_BITS.reduce((m, b) => m | (1 << b.bit), 0)) >>> 0;

function fieldMask32(f: BitFieldDef): number {
  const width = f.msb - f.lsb + 1;
  return (width >= 32 ? 0xffffffff : ((1 << width) - 1) << f.lsb) >>> 0;
}

/** The basic exit reason (bits 15:0) of a raw exit-reason value. */
export function basicExitReason(exitReason: number): number {
  return exitReason & EXIT_REASON_BASIC_MASK;
}

/** Whether bit 31 (VM-entry failure) is set in a raw exit-reason value. */
export function isEntryFailure(exitReason: number): boolean {
  return (exitReason & EXIT_REASON_FIELD_MASK.VMX_EXIT_REASONS_FAILED_VMENTRY) !== 0;
}

// The VM-entry-failure reasons as their own constants, typed as their literal numbers so that
// outcome unions can name them with `typeof`. Values come from the table via EXIT_REASON.

/** Basic exit reason 33: VM-entry failure due to invalid guest state. */
export const EXIT_REASON_INVALID_STATE = EXIT_REASON.EXIT_REASON_INVALID_STATE;
/** Basic exit reason 34: VM-entry failure due to MSR loading. */
export const EXIT_REASON_MSR_LOAD_FAIL = EXIT_REASON.EXIT_REASON_MSR_LOAD_FAIL;
/** Basic exit reason 41: VM-entry failure due to machine-check event. */
export const EXIT_REASON_MCE_DURING_VMENTRY = EXIT_REASON.EXIT_REASON_MCE_DURING_VMENTRY;
