/**
 * MSRs as data: the MSRs VMX reads, loads, saves or reports (with their indices, SDM names and
 * Linux names), the VMX capability MSRs 480H–493H and what each reports (SDM Appendix A), and the
 * layouts of the MSRs made of named bits and sub-fields (IA32_FEATURE_CONTROL, IA32_VMX_BASIC,
 * IA32_VMX_MISC, IA32_VMX_EPT_VPID_CAP, IA32_VMX_VMCS_ENUM).
 *
 * Indices are those of SDM Volume 4, Chapter 2 ("Model-Specific Registers"), Table 2-2
 * (IA-32 Architectural MSRs). The `sdm` of an MSR is the Volume 3 section that makes it matter to
 * VMX: the guest/host-state area that holds it, the Appendix A section that defines it, or
 * "Loading MSRs" for MSRs that matter only through the MSR-load and MSR-store areas.
 * Every lookup is derived from the tables here and from {@link CONTROL_WORDS}.
 */
import { tableMask, type BitDef, type BitFieldDef } from "./bits.js";
import { hiOf, loOf } from "../u64/halves.js";
import type { SdmSection } from "./sdm.js";
import { CONTROL_WORDS, CONTROL_WORD_IDS, type ControlBitDef, type ControlWordId, type NameSource } from "./controls.js";

/** One MSR. */
export interface MsrDef {
  /** The SDM name without `MSR_` (the key users write in cpu.json: CONTRACT.md §1). */
  readonly name: string;
  /** The Linux macro (arch/x86/include/asm/msr-index.h). */
  readonly linux: string;
  /** True when `linux` is spelled exactly as in mainline Linux. */
  readonly inLinux: boolean;
  /** Where `linux` comes from when `inLinux` is false (absent otherwise). */
  readonly nameFrom?: NameSource;
  readonly index: number;
  /** What the SDM calls the register. */
  readonly title: string;
  /** The Volume 3 section through which VMX uses the MSR. */
  readonly sdm: SdmSection;
  /** Other SDM names of the same MSR, with their Linux names. */
  readonly aliases?: readonly { readonly name: string; readonly linux: string }[];
}

/** Every MSR nvmx knows, in index order. */
export const MSRS = [
  { name: "IA32_TSC", linux: "MSR_IA32_TSC", inLinux: true, index: 0x10, title: "Time-stamp counter", sdm: "25.6" },
  { name: "IA32_APIC_BASE", linux: "MSR_IA32_APICBASE", inLinux: true, index: 0x1b, title: "APIC base address and x2APIC enable", sdm: "27.4" },
  { name: "IA32_FEATURE_CONTROL", linux: "MSR_IA32_FEAT_CTL", inLinux: true, index: 0x3a, title: "Feature control", sdm: "24.7" },
  { name: "IA32_SPEC_CTRL", linux: "MSR_IA32_SPEC_CTRL", inLinux: true, index: 0x48, title: "Speculation control", sdm: "25.6" },
  { name: "IA32_BIOS_UPDT_TRIG", linux: "MSR_IA32_UCODE_WRITE", inLinux: true, index: 0x79, title: "BIOS update trigger", sdm: "27.4" },
  { name: "IA32_BIOS_SIGN_ID", linux: "MSR_IA32_UCODE_REV", inLinux: true, index: 0x8b, title: "BIOS update signature", sdm: "27.4" },
  { name: "IA32_SMM_MONITOR_CTL", linux: "MSR_IA32_SMM_MONITOR_CTL", inLinux: true, index: 0x9b, title: "SMM monitor configuration", sdm: "27.4" },
  { name: "IA32_SMBASE", linux: "MSR_IA32_SMBASE", inLinux: true, index: 0x9e, title: "Base address of the SMRAM", sdm: "A.6" },
  { name: "IA32_SYSENTER_CS", linux: "MSR_IA32_SYSENTER_CS", inLinux: true, index: 0x174, title: "SYSENTER CS", sdm: "25.4.1" },
  { name: "IA32_SYSENTER_ESP", linux: "MSR_IA32_SYSENTER_ESP", inLinux: true, index: 0x175, title: "SYSENTER ESP", sdm: "25.4.1" },
  { name: "IA32_SYSENTER_EIP", linux: "MSR_IA32_SYSENTER_EIP", inLinux: true, index: 0x176, title: "SYSENTER EIP", sdm: "25.4.1" },
  { name: "IA32_FRED_RSP0", linux: "MSR_IA32_FRED_RSP0", inLinux: true, index: 0x1cc, title: "FRED stack pointer for level 0", sdm: "25.4.1" },
  { name: "IA32_FRED_RSP1", linux: "MSR_IA32_FRED_RSP1", inLinux: true, index: 0x1cd, title: "FRED stack pointer for level 1", sdm: "25.4.1" },
  { name: "IA32_FRED_RSP2", linux: "MSR_IA32_FRED_RSP2", inLinux: true, index: 0x1ce, title: "FRED stack pointer for level 2", sdm: "25.4.1" },
  { name: "IA32_FRED_RSP3", linux: "MSR_IA32_FRED_RSP3", inLinux: true, index: 0x1cf, title: "FRED stack pointer for level 3", sdm: "25.4.1" },
  { name: "IA32_FRED_STKLVLS", linux: "MSR_IA32_FRED_STKLVLS", inLinux: true, index: 0x1d0, title: "FRED exception stack levels", sdm: "25.4.1" },
  { name: "IA32_FRED_SSP1", linux: "MSR_IA32_FRED_SSP1", inLinux: true, index: 0x1d1, title: "FRED shadow-stack pointer for level 1", sdm: "25.4.1" },
  { name: "IA32_FRED_SSP2", linux: "MSR_IA32_FRED_SSP2", inLinux: true, index: 0x1d2, title: "FRED shadow-stack pointer for level 2", sdm: "25.4.1" },
  { name: "IA32_FRED_SSP3", linux: "MSR_IA32_FRED_SSP3", inLinux: true, index: 0x1d3, title: "FRED shadow-stack pointer for level 3", sdm: "25.4.1" },
  { name: "IA32_FRED_CONFIG", linux: "MSR_IA32_FRED_CONFIG", inLinux: true, index: 0x1d4, title: "FRED configuration", sdm: "25.4.1" },
  { name: "IA32_DEBUGCTL", linux: "MSR_IA32_DEBUGCTLMSR", inLinux: true, index: 0x1d9, title: "Debug control", sdm: "25.4.1" },
  { name: "IA32_PAT", linux: "MSR_IA32_CR_PAT", inLinux: true, index: 0x277, title: "Page attribute table", sdm: "25.4.1" },
  { name: "IA32_PERF_GLOBAL_CTRL", linux: "MSR_CORE_PERF_GLOBAL_CTRL", inLinux: true, index: 0x38f, title: "Global performance counter control", sdm: "25.4.1" },
  { name: "IA32_VMX_BASIC", linux: "MSR_IA32_VMX_BASIC", inLinux: true, index: 0x480, title: "Basic VMX information", sdm: "A.1" },
  { name: "IA32_VMX_PINBASED_CTLS", linux: "MSR_IA32_VMX_PINBASED_CTLS", inLinux: true, index: 0x481, title: "Capability reporting register of pin-based VM-execution controls", sdm: "A.3.1" },
  { name: "IA32_VMX_PROCBASED_CTLS", linux: "MSR_IA32_VMX_PROCBASED_CTLS", inLinux: true, index: 0x482, title: "Capability reporting register of primary processor-based VM-execution controls", sdm: "A.3.2" },
  { name: "IA32_VMX_EXIT_CTLS", linux: "MSR_IA32_VMX_EXIT_CTLS", inLinux: true, index: 0x483, title: "Capability reporting register of primary VM-exit controls", sdm: "A.4.1" },
  { name: "IA32_VMX_ENTRY_CTLS", linux: "MSR_IA32_VMX_ENTRY_CTLS", inLinux: true, index: 0x484, title: "Capability reporting register of VM-entry controls", sdm: "A.5" },
  { name: "IA32_VMX_MISC", linux: "MSR_IA32_VMX_MISC", inLinux: true, index: 0x485, title: "Reporting register of miscellaneous VMX capabilities", sdm: "A.6" },
  { name: "IA32_VMX_CR0_FIXED0", linux: "MSR_IA32_VMX_CR0_FIXED0", inLinux: true, index: 0x486, title: "Capability reporting register of CR0 bits fixed to 0", sdm: "A.7" },
  { name: "IA32_VMX_CR0_FIXED1", linux: "MSR_IA32_VMX_CR0_FIXED1", inLinux: true, index: 0x487, title: "Capability reporting register of CR0 bits fixed to 1", sdm: "A.7" },
  { name: "IA32_VMX_CR4_FIXED0", linux: "MSR_IA32_VMX_CR4_FIXED0", inLinux: true, index: 0x488, title: "Capability reporting register of CR4 bits fixed to 0", sdm: "A.8" },
  { name: "IA32_VMX_CR4_FIXED1", linux: "MSR_IA32_VMX_CR4_FIXED1", inLinux: true, index: 0x489, title: "Capability reporting register of CR4 bits fixed to 1", sdm: "A.8" },
  { name: "IA32_VMX_VMCS_ENUM", linux: "MSR_IA32_VMX_VMCS_ENUM", inLinux: true, index: 0x48a, title: "Capability reporting register of VMCS field enumeration", sdm: "A.9" },
  { name: "IA32_VMX_PROCBASED_CTLS2", linux: "MSR_IA32_VMX_PROCBASED_CTLS2", inLinux: true, index: 0x48b, title: "Capability reporting register of secondary processor-based VM-execution controls", sdm: "A.3.3" },
  { name: "IA32_VMX_EPT_VPID_CAP", linux: "MSR_IA32_VMX_EPT_VPID_CAP", inLinux: true, index: 0x48c, title: "Capability reporting register of EPT and VPID", sdm: "A.10" },
  { name: "IA32_VMX_TRUE_PINBASED_CTLS", linux: "MSR_IA32_VMX_TRUE_PINBASED_CTLS", inLinux: true, index: 0x48d, title: "Capability reporting register of pin-based VM-execution flex controls", sdm: "A.3.1" },
  { name: "IA32_VMX_TRUE_PROCBASED_CTLS", linux: "MSR_IA32_VMX_TRUE_PROCBASED_CTLS", inLinux: true, index: 0x48e, title: "Capability reporting register of primary processor-based VM-execution flex controls", sdm: "A.3.2" },
  { name: "IA32_VMX_TRUE_EXIT_CTLS", linux: "MSR_IA32_VMX_TRUE_EXIT_CTLS", inLinux: true, index: 0x48f, title: "Capability reporting register of VM-exit flex controls", sdm: "A.4.1" },
  { name: "IA32_VMX_TRUE_ENTRY_CTLS", linux: "MSR_IA32_VMX_TRUE_ENTRY_CTLS", inLinux: true, index: 0x490, title: "Capability reporting register of VM-entry flex controls", sdm: "A.5" },
  { name: "IA32_VMX_VMFUNC", linux: "MSR_IA32_VMX_VMFUNC", inLinux: true, index: 0x491, title: "Capability reporting register of VM-function controls", sdm: "A.11" },
  { name: "IA32_VMX_PROCBASED_CTLS3", linux: "MSR_IA32_VMX_PROCBASED_CTLS3", inLinux: true, index: 0x492, title: "Capability reporting register of tertiary processor-based VM-execution controls", sdm: "A.3.4" },
  { name: "IA32_VMX_EXIT_CTLS2", linux: "MSR_IA32_VMX_EXIT_CTLS2", inLinux: false, nameFrom: "linux-patches", index: 0x493, title: "Capability reporting register of secondary VM-exit controls", sdm: "A.4.2" },
  { name: "IA32_RTIT_CTL", linux: "MSR_IA32_RTIT_CTL", inLinux: true, index: 0x570, title: "Intel PT trace control", sdm: "25.4.1" },
  { name: "IA32_U_CET", linux: "MSR_IA32_U_CET", inLinux: true, index: 0x6a0, title: "User-mode CET configuration", sdm: "27.4" },
  { name: "IA32_S_CET", linux: "MSR_IA32_S_CET", inLinux: true, index: 0x6a2, title: "Supervisor-mode CET configuration", sdm: "25.4.1" },
  {
    name: "IA32_PL0_SSP", linux: "MSR_IA32_PL0_SSP", inLinux: true, index: 0x6a4, title: "Shadow-stack pointer for CPL 0", sdm: "27.4",
    // FRED calls the same MSR its level-0 shadow-stack pointer.
    aliases: [{ name: "IA32_FRED_SSP0", linux: "MSR_IA32_FRED_SSP0" }],
  },
  { name: "IA32_PL1_SSP", linux: "MSR_IA32_PL1_SSP", inLinux: true, index: 0x6a5, title: "Shadow-stack pointer for CPL 1", sdm: "27.4" },
  { name: "IA32_PL2_SSP", linux: "MSR_IA32_PL2_SSP", inLinux: true, index: 0x6a6, title: "Shadow-stack pointer for CPL 2", sdm: "27.4" },
  { name: "IA32_PL3_SSP", linux: "MSR_IA32_PL3_SSP", inLinux: true, index: 0x6a7, title: "Shadow-stack pointer for CPL 3", sdm: "27.4" },
  { name: "IA32_INTERRUPT_SSP_TABLE_ADDR", linux: "MSR_IA32_INT_SSP_TAB", inLinux: true, index: 0x6a8, title: "Interrupt shadow-stack table address", sdm: "25.4.1" },
  { name: "IA32_PKRS", linux: "MSR_IA32_PKRS", inLinux: false, nameFrom: "linux-patches", index: 0x6e1, title: "Protection-key rights for supervisor pages", sdm: "25.4.1" },
  // UINV (the user-interrupt notification vector) is bits 39:32 of this MSR.
  { name: "IA32_UINTR_MISC", linux: "MSR_IA32_UINTR_MISC", inLinux: false, nameFrom: "linux-patches", index: 0x988, title: "User-interrupt miscellaneous (UITTSZ, UINV)", sdm: "25.4.2" },
  { name: "IA32_BNDCFGS", linux: "MSR_IA32_BNDCFGS", inLinux: true, index: 0xd90, title: "MPX supervisor bounds configuration", sdm: "25.4.1" },
  { name: "IA32_LBR_CTL", linux: "MSR_ARCH_LBR_CTL", inLinux: true, index: 0x14ce, title: "Architectural LBR control", sdm: "25.4.1" },
  { name: "IA32_EFER", linux: "MSR_EFER", inLinux: true, index: 0xc0000080, title: "Extended feature enables", sdm: "25.4.1" },
  { name: "IA32_STAR", linux: "MSR_STAR", inLinux: true, index: 0xc0000081, title: "SYSCALL target address", sdm: "27.4" },
  { name: "IA32_LSTAR", linux: "MSR_LSTAR", inLinux: true, index: 0xc0000082, title: "IA-32e mode SYSCALL target address", sdm: "27.4" },
  { name: "IA32_CSTAR", linux: "MSR_CSTAR", inLinux: true, index: 0xc0000083, title: "Compatibility-mode SYSCALL target address", sdm: "27.4" },
  { name: "IA32_FMASK", linux: "MSR_SYSCALL_MASK", inLinux: true, index: 0xc0000084, title: "SYSCALL RFLAGS mask", sdm: "27.4" },
  { name: "IA32_FS_BASE", linux: "MSR_FS_BASE", inLinux: true, index: 0xc0000100, title: "FS base address", sdm: "27.4" },
  { name: "IA32_GS_BASE", linux: "MSR_GS_BASE", inLinux: true, index: 0xc0000101, title: "GS base address", sdm: "27.4" },
  { name: "IA32_KERNEL_GS_BASE", linux: "MSR_KERNEL_GS_BASE", inLinux: true, index: 0xc0000102, title: "Swap target of GS base (SWAPGS)", sdm: "27.4" },
  { name: "IA32_TSC_AUX", linux: "MSR_TSC_AUX", inLinux: true, index: 0xc0000103, title: "Auxiliary TSC (RDTSCP, RDPID)", sdm: "27.4" },
] as const satisfies readonly MsrDef[];

/** The SDM name (without `MSR_`) of a known MSR. */
export type MsrName = (typeof MSRS)[number]["name"];

/**
 * The x2APIC MSR range, 800H–8FFH: the MSRs whose index has bits 31:8 = 000008H. VM entry fails
 * on an entry of the VM-entry MSR-load area that addresses one of them (27.4). KVM's nested VMX
 * applies the rule only while x2APIC mode is enabled in IA32_APIC_BASE.
 */
export const X2APIC_MSR_RANGE: Readonly<{ first: number; last: number; sdm: SdmSection }> = Object.freeze({
  first: 0x800,
  last: 0x8ff,
  sdm: "27.4",
});

/** Whether an MSR index (unsigned 32-bit) is in the x2APIC range (bits 31:8 = 000008H). */
export function isX2apicMsr(index: number): boolean {
  return index >>> 8 === X2APIC_MSR_RANGE.first >>> 8;
}

// ---------------------------------------------------------------------------------------------
// (b) The VMX capability MSRs, 480H–493H
// ---------------------------------------------------------------------------------------------

/**
 * What a VMX capability MSR reports:
 * - `controls`: the allowed settings of a control word (format: the word's `capabilityFormat`);
 * - `true-controls`: the same, with the default1 class reported as it really is (A.2);
 * - `fixed0` / `fixed1`: CR0 or CR4 bits fixed to 1 (fixed0 = 1) and allowed to be 1 (fixed1 = 1);
 * - `basic`, `misc`, `vmcs-enum`, `ept-vpid-cap`: a layout of {@link MSR_LAYOUTS}.
 */
export type VmxCapabilityKind = "basic" | "controls" | "true-controls" | "misc" | "fixed0" | "fixed1" | "vmcs-enum" | "ept-vpid-cap";

/** One VMX capability MSR. */
export interface VmxCapabilityMsrDef {
  /** The MSR's name in {@link MSRS}. */
  readonly name: string;
  readonly kind: VmxCapabilityKind;
  /** One line: what the MSR reports. */
  readonly reports: string;
  /** The control register a fixed0/fixed1 MSR describes. */
  readonly register?: "CR0" | "CR4";
  /**
   * When the MSR exists, in conjunctive normal form: every inner list must have one name whose
   * capability is reported. A control name means its allowed 1-setting in its (non-TRUE)
   * capability MSR; `VMX_BASIC_TRUE_CTLS` means IA32_VMX_BASIC[55]. Absent: the MSR exists on
   * every processor that supports VMX.
   */
  readonly existsIf?: readonly (readonly string[])[];
  /** The Appendix A section that defines it. */
  readonly sdm: SdmSection;
}

/** The VMX capability MSRs, in index order. */
export const VMX_CAPABILITY_MSRS = [
  { name: "IA32_VMX_BASIC", kind: "basic", reports: "VMCS revision identifier, VMCS region size and memory type, and basic VMX capabilities", sdm: "A.1" },
  { name: "IA32_VMX_PINBASED_CTLS", kind: "controls", reports: "Allowed settings of the pin-based VM-execution controls (default1 bits reported as must-be-1)", sdm: "A.3.1" },
  { name: "IA32_VMX_PROCBASED_CTLS", kind: "controls", reports: "Allowed settings of the primary processor-based VM-execution controls (default1 bits reported as must-be-1)", sdm: "A.3.2" },
  { name: "IA32_VMX_EXIT_CTLS", kind: "controls", reports: "Allowed settings of the primary VM-exit controls (default1 bits reported as must-be-1)", sdm: "A.4.1" },
  { name: "IA32_VMX_ENTRY_CTLS", kind: "controls", reports: "Allowed settings of the VM-entry controls (default1 bits reported as must-be-1)", sdm: "A.5" },
  { name: "IA32_VMX_MISC", kind: "misc", reports: "Miscellaneous data: preemption-timer rate, activity states, CR3-target count, MSR-list size, MSEG revision", sdm: "A.6" },
  { name: "IA32_VMX_CR0_FIXED0", kind: "fixed0", register: "CR0", reports: "CR0 bits that must be 1 in VMX operation", sdm: "A.7" },
  { name: "IA32_VMX_CR0_FIXED1", kind: "fixed1", register: "CR0", reports: "CR0 bits that may be 1 in VMX operation", sdm: "A.7" },
  { name: "IA32_VMX_CR4_FIXED0", kind: "fixed0", register: "CR4", reports: "CR4 bits that must be 1 in VMX operation", sdm: "A.8" },
  { name: "IA32_VMX_CR4_FIXED1", kind: "fixed1", register: "CR4", reports: "CR4 bits that may be 1 in VMX operation", sdm: "A.8" },
  { name: "IA32_VMX_VMCS_ENUM", kind: "vmcs-enum", reports: "The highest index value used in any VMCS field encoding", sdm: "A.9" },
  {
    name: "IA32_VMX_PROCBASED_CTLS2", kind: "controls", reports: "Allowed settings of the secondary processor-based VM-execution controls", sdm: "A.3.3",
    existsIf: [["CPU_BASED_ACTIVATE_SECONDARY_CONTROLS"]],
  },
  {
    name: "IA32_VMX_EPT_VPID_CAP", kind: "ept-vpid-cap", reports: "EPT and VPID capabilities: paging-structure features, memory types, INVEPT and INVVPID types", sdm: "A.10",
    existsIf: [["CPU_BASED_ACTIVATE_SECONDARY_CONTROLS"], ["SECONDARY_EXEC_ENABLE_EPT", "SECONDARY_EXEC_ENABLE_VPID"]],
  },
  {
    name: "IA32_VMX_TRUE_PINBASED_CTLS", kind: "true-controls", reports: "Allowed settings of the pin-based VM-execution controls, default1 bits included", sdm: "A.3.1",
    existsIf: [["VMX_BASIC_TRUE_CTLS"]],
  },
  {
    name: "IA32_VMX_TRUE_PROCBASED_CTLS", kind: "true-controls", reports: "Allowed settings of the primary processor-based VM-execution controls, default1 bits included", sdm: "A.3.2",
    existsIf: [["VMX_BASIC_TRUE_CTLS"]],
  },
  {
    name: "IA32_VMX_TRUE_EXIT_CTLS", kind: "true-controls", reports: "Allowed settings of the primary VM-exit controls, default1 bits included", sdm: "A.4.1",
    existsIf: [["VMX_BASIC_TRUE_CTLS"]],
  },
  {
    name: "IA32_VMX_TRUE_ENTRY_CTLS", kind: "true-controls", reports: "Allowed settings of the VM-entry controls, default1 bits included", sdm: "A.5",
    existsIf: [["VMX_BASIC_TRUE_CTLS"]],
  },
  {
    name: "IA32_VMX_VMFUNC", kind: "controls", reports: "Allowed 1-settings of the VM-function controls (64 bits)", sdm: "A.11",
    existsIf: [["CPU_BASED_ACTIVATE_SECONDARY_CONTROLS"], ["SECONDARY_EXEC_ENABLE_VMFUNC"]],
  },
  {
    name: "IA32_VMX_PROCBASED_CTLS3", kind: "controls", reports: "Allowed 1-settings of the tertiary processor-based VM-execution controls (64 bits)", sdm: "A.3.4",
    existsIf: [["CPU_BASED_ACTIVATE_TERTIARY_CONTROLS"]],
  },
  {
    name: "IA32_VMX_EXIT_CTLS2", kind: "controls", reports: "Allowed 1-settings of the secondary VM-exit controls (64 bits)", sdm: "A.4.2",
    existsIf: [["VM_EXIT_ACTIVATE_SECONDARY_CONTROLS"]],
  },
] as const satisfies readonly VmxCapabilityMsrDef[];

/** The control word a `controls` / `true-controls` capability MSR describes. */
export interface CapabilityControlWord {
  readonly word: ControlWordId;
  /** True for an IA32_VMX_TRUE_*_CTLS MSR. */
  readonly true: boolean;
}

function buildCapabilityWords(): Readonly<Record<string, CapabilityControlWord>> {
  const out: Record<string, CapabilityControlWord> = {};
  for (const id of CONTROL_WORD_IDS) {
    const word: { capabilityMsr: string; trueCapabilityMsr?: string } = CONTROL_WORDS[id];
    out[word.capabilityMsr] = Object.freeze({ word: id, true: false });
    if (word.trueCapabilityMsr !== undefined) out[word.trueCapabilityMsr] = Object.freeze({ word: id, true: true });
  }
  return Object.freeze(out);
}

/**
 * Capability MSR name → the control word it describes, derived from {@link CONTROL_WORDS}
 * (`capabilityMsr`, `trueCapabilityMsr`).
 */
export const CAPABILITY_MSR_CONTROL_WORD: Readonly<Record<string, CapabilityControlWord>> = buildCapabilityWords();

/** The capability MSR of that name, or undefined. */
export function vmxCapabilityByName(name: string): VmxCapabilityMsrDef | undefined {
  return (VMX_CAPABILITY_MSRS as readonly VmxCapabilityMsrDef[]).find((c) => c.name === name);
}

// ---------------------------------------------------------------------------------------------
// (c), (d) Layouts: named bits and sub-fields of IA32_FEATURE_CONTROL and the VMX capability MSRs
// ---------------------------------------------------------------------------------------------

/** A named bit of an MSR. */
export interface MsrBitDef extends BitDef {
  /** True when `name` is spelled exactly as in mainline Linux. */
  readonly inLinux: boolean;
  readonly nameFrom?: NameSource;
}

/** A named multi-bit field of an MSR. */
export interface MsrFieldDef extends BitFieldDef {
  readonly inLinux: boolean;
  readonly nameFrom?: NameSource;
}

/** The named bits and fields of one MSR; every other bit is reserved. */
export interface MsrLayoutDef {
  readonly bits: readonly MsrBitDef[];
  readonly fields: readonly MsrFieldDef[];
}

/** Layouts of the MSRs made of named bits and fields, by MSR name. */
export const MSR_LAYOUTS = {
  IA32_FEATURE_CONTROL: {
    bits: [
      { name: "FEAT_CTL_LOCKED", bit: 0, title: "Lock bit", sdm: "24.7", inLinux: true },
      { name: "FEAT_CTL_VMX_ENABLED_INSIDE_SMX", bit: 1, title: "Enable VMX inside SMX operation", sdm: "24.7", inLinux: true },
      { name: "FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX", bit: 2, title: "Enable VMX outside SMX operation", sdm: "24.7", inLinux: true },
      { name: "FEAT_CTL_SENTER_GLOBAL_ENABLE", bit: 15, title: "SENTER global enable", sdm: "24.7", inLinux: false, nameFrom: "nvmx" },
      // Bits 17, 18 and 20 are defined in SDM Vol. 4 Table 2-2; VMXON reads the MSR as a whole.
      { name: "FEAT_CTL_SGX_LC_ENABLED", bit: 17, title: "SGX Launch Control enable", sdm: "24.7", inLinux: true },
      { name: "FEAT_CTL_SGX_ENABLED", bit: 18, title: "SGX global enable", sdm: "24.7", inLinux: true },
      { name: "FEAT_CTL_LMCE_ENABLED", bit: 20, title: "LMCE on", sdm: "24.7", inLinux: true },
    ],
    fields: [
      { name: "FEAT_CTL_SENTER_LOCAL_FUNCTIONS", lsb: 8, msb: 14, title: "SENTER local function enables", sdm: "24.7", inLinux: false, nameFrom: "nvmx" },
    ],
  },
  IA32_VMX_BASIC: {
    bits: [
      { name: "VMX_BASIC_32BIT_PHYS_ADDR_ONLY", bit: 48, title: "Physical addresses of VMXON region, VMCS and referenced structures limited to 32 bits", sdm: "A.1", inLinux: true },
      { name: "VMX_BASIC_DUAL_MONITOR_TREATMENT", bit: 49, title: "Dual-monitor treatment of SMIs and SMM supported", sdm: "A.1", inLinux: true },
      { name: "VMX_BASIC_INOUT", bit: 54, title: "VM exits due to INS/OUTS report instruction information", sdm: "A.1", inLinux: true },
      { name: "VMX_BASIC_TRUE_CTLS", bit: 55, title: "Default1 controls may be 0: IA32_VMX_TRUE_*_CTLS supported", sdm: "A.1", inLinux: true },
      { name: "VMX_BASIC_NO_HW_ERROR_CODE_CC", bit: 56, title: "VM entry may deliver a hardware exception with or without an error code", sdm: "A.1", inLinux: true },
    ],
    fields: [
      // Bit 31 is always 0.
      { name: "VMX_BASIC_VMCS_REVISION_ID", lsb: 0, msb: 30, title: "VMCS revision identifier", sdm: "A.1", inLinux: false, nameFrom: "nvmx" },
      { name: "VMX_BASIC_VMCS_SIZE", lsb: 32, msb: 44, title: "Bytes to allocate for the VMXON region and any VMCS region (at most 4096)", sdm: "A.1", inLinux: false, nameFrom: "nvmx" },
      { name: "VMX_BASIC_MEM_TYPE", lsb: 50, msb: 53, title: "Memory type for the VMCS, referenced structures and the MSEG header", sdm: "A.1", inLinux: false, nameFrom: "nvmx" },
    ],
  },
  IA32_VMX_MISC: {
    bits: [
      { name: "VMX_MISC_SAVE_EFER_LMA", bit: 5, title: "VM exits store IA32_EFER.LMA into the \"IA-32e mode guest\" VM-entry control", sdm: "A.6", inLinux: true },
      { name: "VMX_MISC_ACTIVITY_HLT", bit: 6, title: "HLT activity state supported", sdm: "A.6", inLinux: true },
      { name: "VMX_MISC_ACTIVITY_SHUTDOWN", bit: 7, title: "Shutdown activity state supported", sdm: "A.6", inLinux: true },
      { name: "VMX_MISC_ACTIVITY_WAIT_SIPI", bit: 8, title: "Wait-for-SIPI activity state supported", sdm: "A.6", inLinux: true },
      { name: "VMX_MISC_INTEL_PT", bit: 14, title: "Intel PT may be used in VMX operation", sdm: "A.6", inLinux: true },
      { name: "VMX_MISC_RDMSR_IN_SMM", bit: 15, title: "RDMSR can read IA32_SMBASE in SMM", sdm: "A.6", inLinux: true },
      { name: "VMX_MISC_VMXOFF_BLOCK_SMI", bit: 28, title: "IA32_SMM_MONITOR_CTL[2] may be set (VMXOFF then leaves SMIs blocked)", sdm: "A.6", inLinux: true },
      { name: "VMX_MISC_VMWRITE_SHADOW_RO_FIELDS", bit: 29, title: "VMWRITE may write any supported VMCS field, VM-exit information fields included", sdm: "A.6", inLinux: true },
      { name: "VMX_MISC_ZERO_LEN_INS", bit: 30, title: "VM entry may inject a software interrupt, software exception or privileged software exception with instruction length 0", sdm: "A.6", inLinux: true },
    ],
    fields: [
      { name: "VMX_MISC_PREEMPTION_TIMER_RATE", lsb: 0, msb: 4, title: "The VMX-preemption timer counts down by 1 each time TSC bit X changes, X being this value", sdm: "A.6", inLinux: false, nameFrom: "nvmx" },
      { name: "VMX_MISC_CR3_COUNT", lsb: 16, msb: 24, title: "Number of CR3-target values supported", sdm: "A.6", inLinux: false, nameFrom: "nvmx" },
      { name: "VMX_MISC_MAX_MSR", lsb: 25, msb: 27, title: "Recommended maximum MSR-list size: 512 × (N + 1) entries", sdm: "A.6", inLinux: false, nameFrom: "nvmx" },
      { name: "VMX_MISC_MSEG_REVID", lsb: 32, msb: 63, title: "MSEG revision identifier", sdm: "A.6", inLinux: false, nameFrom: "nvmx" },
    ],
  },
  IA32_VMX_VMCS_ENUM: {
    bits: [],
    fields: [
      // Bit 0 and bits 63:10 are reserved (read as 0).
      { name: "VMX_VMCS_ENUM_MAX_INDEX", lsb: 1, msb: 9, title: "Highest index value used in any VMCS field encoding", sdm: "A.9", inLinux: false, nameFrom: "nvmx" },
    ],
  },
  IA32_VMX_EPT_VPID_CAP: {
    // Linux defines the VPID bits relative to bit 32 (VMX_VPID_INVVPID_BIT is 1 << 0); here every
    // bit number counts from bit 0 of the 64-bit MSR.
    bits: [
      { name: "VMX_EPT_EXECUTE_ONLY_BIT", bit: 0, title: "EPT translations may be execute-only", sdm: "A.10", inLinux: true },
      { name: "VMX_EPT_PAGE_WALK_4_BIT", bit: 6, title: "Page-walk length of 4 supported", sdm: "A.10", inLinux: true },
      { name: "VMX_EPT_PAGE_WALK_5_BIT", bit: 7, title: "Page-walk length of 5 supported", sdm: "A.10", inLinux: true },
      { name: "VMX_EPTP_UC_BIT", bit: 8, title: "EPT paging-structure memory type uncacheable (UC) supported", sdm: "A.10", inLinux: true },
      { name: "VMX_EPTP_WB_BIT", bit: 14, title: "EPT paging-structure memory type write-back (WB) supported", sdm: "A.10", inLinux: true },
      { name: "VMX_EPT_2MB_PAGE_BIT", bit: 16, title: "EPT PDEs may map 2-Mbyte pages", sdm: "A.10", inLinux: true },
      { name: "VMX_EPT_1GB_PAGE_BIT", bit: 17, title: "EPT PDPTEs may map 1-Gbyte pages", sdm: "A.10", inLinux: true },
      { name: "VMX_EPT_INVEPT_BIT", bit: 20, title: "INVEPT supported", sdm: "A.10", inLinux: true },
      { name: "VMX_EPT_AD_BIT", bit: 21, title: "Accessed and dirty flags for EPT supported", sdm: "A.10", inLinux: true },
      { name: "VMX_EPT_ADVANCED_VMEXIT_INFO_BIT", bit: 22, title: "Advanced VM-exit information for EPT violations", sdm: "A.10", inLinux: false, nameFrom: "nvmx" },
      { name: "VMX_EPT_SUPERVISOR_SHSTK_BIT", bit: 23, title: "Supervisor shadow-stack control supported", sdm: "A.10", inLinux: false, nameFrom: "nvmx" },
      { name: "VMX_EPT_EXTENT_CONTEXT_BIT", bit: 25, title: "Single-context INVEPT supported", sdm: "A.10", inLinux: true },
      { name: "VMX_EPT_EXTENT_GLOBAL_BIT", bit: 26, title: "All-context INVEPT supported", sdm: "A.10", inLinux: true },
      { name: "VMX_VPID_INVVPID_BIT", bit: 32, title: "INVVPID supported", sdm: "A.10", inLinux: true },
      { name: "VMX_VPID_EXTENT_INDIVIDUAL_ADDR_BIT", bit: 40, title: "Individual-address INVVPID supported", sdm: "A.10", inLinux: true },
      { name: "VMX_VPID_EXTENT_SINGLE_CONTEXT_BIT", bit: 41, title: "Single-context INVVPID supported", sdm: "A.10", inLinux: true },
      { name: "VMX_VPID_EXTENT_GLOBAL_CONTEXT_BIT", bit: 42, title: "All-context INVVPID supported", sdm: "A.10", inLinux: true },
      { name: "VMX_VPID_EXTENT_SINGLE_NON_GLOBAL_BIT", bit: 43, title: "Single-context-retaining-globals INVVPID supported", sdm: "A.10", inLinux: true },
    ],
    fields: [
      { name: "VMX_EPT_MAX_HLAT_PREFIX_SIZE", lsb: 48, msb: 53, title: "Maximum HLAT prefix size", sdm: "A.10", inLinux: false, nameFrom: "nvmx" },
    ],
  },
} as const satisfies Record<string, MsrLayoutDef>;

/** An MSR that has a layout in {@link MSR_LAYOUTS}. */
export type MsrLayoutName = keyof typeof MSR_LAYOUTS;

/** The named bit of a layout MSR; throws for a name the layout does not have (a bug). */
export function layoutBitDef(layout: MsrLayoutName, name: string): MsrBitDef {
  const def = (MSR_LAYOUTS[layout].bits as readonly MsrBitDef[]).find((entry) => entry.name === name);
  if (def === undefined) throw new Error(`no bit ${name} in ${layout}`);
  return def;
}

/** The named field of a layout MSR; throws for a name the layout does not have (a bug). */
export function layoutFieldDef(layout: MsrLayoutName, name: string): MsrFieldDef {
  const def = (MSR_LAYOUTS[layout].fields as readonly MsrFieldDef[]).find((entry) => entry.name === name);
  if (def === undefined) throw new Error(`no field ${name} in ${layout}`);
  return def;
}

/**
 * The bits of IA32_VMX_VMFUNC: the VM-function controls it reports allowed 1-settings for, taken
 * from {@link CONTROL_WORDS} (A.11).
 */
export const VMX_VMFUNC_BITS: readonly ControlBitDef[] = CONTROL_WORDS.vmfunc.bits;

/** A memory type IA32_VMX_BASIC[53:50] may report (A.1); every other value is reserved. */
export interface VmxMemoryTypeDef {
  readonly value: number;
  /** Linux's name for the memory type (asm/msr-index.h). */
  readonly name: string;
  readonly title: string;
  readonly sdm: SdmSection;
}

/** The memory types IA32_VMX_BASIC reports (A.1): uncacheable or write-back. */
export const VMX_BASIC_MEMORY_TYPES = [
  { value: 0, name: "X86_MEMTYPE_UC", title: "Uncacheable (UC)", sdm: "A.1" },
  { value: 6, name: "X86_MEMTYPE_WB", title: "Write-back (WB)", sdm: "A.1" },
] as const satisfies readonly VmxMemoryTypeDef[];

/** IA32_VMX_MISC[27:25] = N recommends at most 512 × (N + 1) entries per MSR list (A.6). */
export const VMX_MISC_MSR_LIST_MULTIPLIER = 512;

/** The named bits of a layout as unsigned 32-bit halves. */
export interface LayoutMask {
  readonly definedLo: number;
  readonly definedHi: number;
}

function layoutMask(layout: MsrLayoutDef): LayoutMask {
  const mask = tableMask(layout.bits, layout.fields);
  return Object.freeze({ definedLo: loOf(mask), definedHi: hiOf(mask) });
}

/** Per layout MSR: the mask of every bit its named bits and fields cover. */
export const MSR_LAYOUT_MASKS: Readonly<Record<MsrLayoutName, LayoutMask>> = Object.freeze(
  Object.fromEntries(
    (Object.keys(MSR_LAYOUTS) as MsrLayoutName[]).map((name) => [name, layoutMask(MSR_LAYOUTS[name])]),
  ) as Record<MsrLayoutName, LayoutMask>,
);

/** The value of a field (at most 32 bits wide) in a 64-bit value given as unsigned halves. */
export function extractField(lo: number, hi: number, field: BitFieldDef): number {
  const width = field.msb - field.lsb + 1;
  const mask = width >= 32 ? 0xffffffff : (1 << width) - 1;
  let raw: number;
  if (field.lsb >= 32) raw = hi >>> (field.lsb - 32);
  else if (field.lsb === 0) raw = lo;
  else raw = (lo >>> field.lsb) | (hi << (32 - field.lsb));
  return (raw & mask) >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Lookups
// ---------------------------------------------------------------------------------------------

function buildMsrLookups() {
  const byName = new Map<string, MsrDef>();
  const byLinux = new Map<string, MsrDef>();
  const byIndex = new Map<number, MsrDef>();
  for (const msr of MSRS as readonly MsrDef[]) {
    const frozen: MsrDef = Object.freeze(msr);
    byName.set(msr.name, frozen);
    byLinux.set(msr.linux, frozen);
    byIndex.set(msr.index, frozen);
    for (const alias of msr.aliases ?? []) {
      byName.set(alias.name, frozen);
      byLinux.set(alias.linux, frozen);
    }
  }
  return { byName, byLinux, byIndex };
}

const MSR_LOOKUPS = buildMsrLookups();

/** MSR by SDM name (without `MSR_`), aliases included. */
export const MSR_BY_NAME: ReadonlyMap<string, MsrDef> = MSR_LOOKUPS.byName;

/** MSR by Linux macro name, aliases included. */
export const MSR_BY_LINUX_NAME: ReadonlyMap<string, MsrDef> = MSR_LOOKUPS.byLinux;

/** MSR by index. */
export const MSR_BY_INDEX: ReadonlyMap<number, MsrDef> = MSR_LOOKUPS.byIndex;

/** The MSR of that SDM name, or undefined. */
export function msrByName(name: string): MsrDef | undefined {
  return MSR_BY_NAME.get(name);
}

/**
 * Resolves what a user wrote for an MSR: an index (number, or a hex string such as `0x480`), an
 * SDM name (`IA32_VMX_BASIC`, optionally with `MSR_`), or a Linux name (`MSR_IA32_FEAT_CTL`);
 * names are case-insensitive. Undefined when nothing matches.
 */
export function resolveMsr(spec: string | number): MsrDef | undefined {
  if (typeof spec === "number") return MSR_BY_INDEX.get(spec);
  const text = spec.trim();
  if (/^0x[0-9a-f]+$/i.test(text)) return MSR_BY_INDEX.get(Number.parseInt(text, 16));
  const upper = text.toUpperCase();
  return (
    MSR_BY_NAME.get(upper) ??
    MSR_BY_LINUX_NAME.get(upper) ??
    (upper.startsWith("MSR_") ? MSR_BY_NAME.get(upper.slice(4)) : undefined)
  );
}
