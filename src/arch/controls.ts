/**
 * The VMX control words and every named bit in them, as data: the pin-based, primary, secondary
 * and tertiary processor-based VM-execution controls (SDM 25.6.1, 25.6.2), the primary and
 * secondary VM-exit controls (25.7.1), the VM-entry controls (25.8.1) and the VM-function controls
 * (25.6.14), with how their capability MSRs report them (Appendix A.2–A.5, A.11).
 *
 * Names are the Linux kernel's (arch/x86/include/asm/vmx.h). Where mainline Linux has no macro for
 * a bit the SDM defines, the name is taken from patches posted for Linux, from Xen, or made up here
 * in the same style; `inLinux` is false and `nameFrom` says which. Every lookup below is derived
 * from {@link CONTROL_WORDS}; nothing is listed twice.
 */
import { tableMask, type BitDef } from "./bits.js";
import { hiOf, loOf } from "../u64/halves.js";
import type { SdmSection } from "./sdm.js";

/**
 * Where a name that is not spelled as in mainline Linux comes from:
 * - `linux-patches`: a macro in patches posted to the Linux/KVM lists, not (yet) merged;
 * - `xen`: Xen's name (xen/arch/x86/include/asm/hvm/vmx/vmcs.h), Linux having none;
 * - `nvmx`: made up by nvmx in Linux's style, nobody else naming the bit.
 */
export type NameSource = "linux-patches" | "xen" | "nvmx";

/** One named bit of a VMX control word. */
export interface ControlBitDef extends BitDef {
  /** True when `name` is spelled exactly as in mainline Linux's asm/vmx.h. */
  readonly inLinux: boolean;
  /** Where the name comes from when `inLinux` is false (absent otherwise). */
  readonly nameFrom?: NameSource;
  /** Linux's `VMX_FEATURE_*` for the bit (asm/vmxfeatures.h), when mainline has one. */
  readonly feature?: string;
}

/** The control words, in the order the SDM describes them. */
export const CONTROL_WORD_IDS = ["pin", "proc", "proc2", "proc3", "exit", "exit2", "entry", "vmfunc"] as const;
/** The id of a control word: the key of {@link CONTROL_WORDS} and of every per-word lookup. */
export type ControlWordId = (typeof CONTROL_WORD_IDS)[number];

/**
 * How a capability MSR reports a control word (A.2–A.5, A.11):
 * - `allowed-0-and-1`: bits 31:0 are the allowed 0-settings (a 1 there means the control must
 *   be 1), bits 63:32 the allowed 1-settings (a 0 there means the control must be 0);
 * - `allowed-1-only`: all 64 bits are allowed 1-settings; every control may be 0.
 */
export type CapabilityFormat = "allowed-0-and-1" | "allowed-1-only";

/** One VMX control word. */
export interface ControlWordDef {
  readonly id: ControlWordId;
  /** The SDM's name for the word. */
  readonly title: string;
  /** The VMCS field that holds it (Linux `enum vmcs_field` name). */
  readonly field: string;
  readonly width: 32 | 64;
  /** The capability MSR (SDM name, without `MSR_`) that reports the allowed settings. */
  readonly capabilityMsr: string;
  /** The TRUE capability MSR (A.2), reported only when IA32_VMX_BASIC[55] = 1. */
  readonly trueCapabilityMsr?: string;
  readonly capabilityFormat: CapabilityFormat;
  /**
   * The control whose 1-setting makes this word take effect; while it is 0, VM entry and VMX
   * non-root operation behave as if every control of this word were 0. Absent: always in effect.
   */
  readonly activatedBy?: string;
  /**
   * The default1 class of A.2: bits that the non-TRUE capability MSR always reports as must-be-1.
   * Most are reserved; a few are named controls that only the TRUE MSR lets software clear
   * (CR3-load/store exiting, save/load debug controls).
   */
  readonly default1: readonly number[];
  /** The section that defines the controls. */
  readonly sdm: SdmSection;
  /** The named controls, in bit order. */
  readonly bits: readonly ControlBitDef[];
}

/** Every VMX control word of the current SDM and every control it defines. */
export const CONTROL_WORDS = {
  pin: {
    id: "pin",
    title: "Pin-Based VM-Execution Controls",
    field: "PIN_BASED_VM_EXEC_CONTROL",
    width: 32,
    capabilityMsr: "IA32_VMX_PINBASED_CTLS",
    trueCapabilityMsr: "IA32_VMX_TRUE_PINBASED_CTLS",
    capabilityFormat: "allowed-0-and-1",
    default1: [1, 2, 4],
    sdm: "25.6.1",
    bits: [
      { name: "PIN_BASED_EXT_INTR_MASK", bit: 0, title: "External-interrupt exiting", sdm: "25.6.1", inLinux: true, feature: "VMX_FEATURE_INTR_EXITING" },
      { name: "PIN_BASED_NMI_EXITING", bit: 3, title: "NMI exiting", sdm: "25.6.1", inLinux: true, feature: "VMX_FEATURE_NMI_EXITING" },
      { name: "PIN_BASED_VIRTUAL_NMIS", bit: 5, title: "Virtual NMIs", sdm: "25.6.1", inLinux: true, feature: "VMX_FEATURE_VIRTUAL_NMIS" },
      { name: "PIN_BASED_VMX_PREEMPTION_TIMER", bit: 6, title: "Activate VMX-preemption timer", sdm: "25.6.1", inLinux: true, feature: "VMX_FEATURE_PREEMPTION_TIMER" },
      { name: "PIN_BASED_POSTED_INTR", bit: 7, title: "Process posted interrupts", sdm: "25.6.1", inLinux: true, feature: "VMX_FEATURE_POSTED_INTR" },
    ],
  },
  proc: {
    id: "proc",
    title: "Primary Processor-Based VM-Execution Controls",
    field: "CPU_BASED_VM_EXEC_CONTROL",
    width: 32,
    capabilityMsr: "IA32_VMX_PROCBASED_CTLS",
    trueCapabilityMsr: "IA32_VMX_TRUE_PROCBASED_CTLS",
    capabilityFormat: "allowed-0-and-1",
    // A.2: bits 1, 4–6, 8, 13–16 and 26; 15 and 16 are CR3-load/-store exiting.
    default1: [1, 4, 5, 6, 8, 13, 14, 15, 16, 26],
    sdm: "25.6.2",
    bits: [
      { name: "CPU_BASED_INTR_WINDOW_EXITING", bit: 2, title: "Interrupt-window exiting", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_INTR_WINDOW_EXITING" },
      { name: "CPU_BASED_USE_TSC_OFFSETTING", bit: 3, title: "Use TSC offsetting", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_USE_TSC_OFFSETTING" },
      { name: "CPU_BASED_HLT_EXITING", bit: 7, title: "HLT exiting", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_HLT_EXITING" },
      { name: "CPU_BASED_INVLPG_EXITING", bit: 9, title: "INVLPG exiting", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_INVLPG_EXITING" },
      { name: "CPU_BASED_MWAIT_EXITING", bit: 10, title: "MWAIT exiting", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_MWAIT_EXITING" },
      { name: "CPU_BASED_RDPMC_EXITING", bit: 11, title: "RDPMC exiting", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_RDPMC_EXITING" },
      { name: "CPU_BASED_RDTSC_EXITING", bit: 12, title: "RDTSC exiting", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_RDTSC_EXITING" },
      { name: "CPU_BASED_CR3_LOAD_EXITING", bit: 15, title: "CR3-load exiting", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_CR3_LOAD_EXITING" },
      { name: "CPU_BASED_CR3_STORE_EXITING", bit: 16, title: "CR3-store exiting", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_CR3_STORE_EXITING" },
      { name: "CPU_BASED_ACTIVATE_TERTIARY_CONTROLS", bit: 17, title: "Activate tertiary controls", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_TERTIARY_CONTROLS" },
      { name: "CPU_BASED_CR8_LOAD_EXITING", bit: 19, title: "CR8-load exiting", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_CR8_LOAD_EXITING" },
      { name: "CPU_BASED_CR8_STORE_EXITING", bit: 20, title: "CR8-store exiting", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_CR8_STORE_EXITING" },
      { name: "CPU_BASED_TPR_SHADOW", bit: 21, title: "Use TPR shadow", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_VIRTUAL_TPR" },
      { name: "CPU_BASED_NMI_WINDOW_EXITING", bit: 22, title: "NMI-window exiting", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_NMI_WINDOW_EXITING" },
      { name: "CPU_BASED_MOV_DR_EXITING", bit: 23, title: "MOV-DR exiting", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_MOV_DR_EXITING" },
      { name: "CPU_BASED_UNCOND_IO_EXITING", bit: 24, title: "Unconditional I/O exiting", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_UNCOND_IO_EXITING" },
      { name: "CPU_BASED_USE_IO_BITMAPS", bit: 25, title: "Use I/O bitmaps", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_USE_IO_BITMAPS" },
      { name: "CPU_BASED_MONITOR_TRAP_FLAG", bit: 27, title: "Monitor trap flag", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_MONITOR_TRAP_FLAG" },
      { name: "CPU_BASED_USE_MSR_BITMAPS", bit: 28, title: "Use MSR bitmaps", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_USE_MSR_BITMAPS" },
      { name: "CPU_BASED_MONITOR_EXITING", bit: 29, title: "MONITOR exiting", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_MONITOR_EXITING" },
      { name: "CPU_BASED_PAUSE_EXITING", bit: 30, title: "PAUSE exiting", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_PAUSE_EXITING" },
      { name: "CPU_BASED_ACTIVATE_SECONDARY_CONTROLS", bit: 31, title: "Activate secondary controls", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_SEC_CONTROLS" },
    ],
  },
  proc2: {
    id: "proc2",
    title: "Secondary Processor-Based VM-Execution Controls",
    field: "SECONDARY_VM_EXEC_CONTROL",
    width: 32,
    capabilityMsr: "IA32_VMX_PROCBASED_CTLS2",
    capabilityFormat: "allowed-0-and-1",
    activatedBy: "CPU_BASED_ACTIVATE_SECONDARY_CONTROLS",
    default1: [],
    sdm: "25.6.2",
    bits: [
      { name: "SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES", bit: 0, title: "Virtualize APIC accesses", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_VIRT_APIC_ACCESSES" },
      { name: "SECONDARY_EXEC_ENABLE_EPT", bit: 1, title: "Enable EPT", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_EPT" },
      { name: "SECONDARY_EXEC_DESC", bit: 2, title: "Descriptor-table exiting", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_DESC_EXITING" },
      { name: "SECONDARY_EXEC_ENABLE_RDTSCP", bit: 3, title: "Enable RDTSCP", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_RDTSCP" },
      { name: "SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE", bit: 4, title: "Virtualize x2APIC mode", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_VIRTUAL_X2APIC" },
      { name: "SECONDARY_EXEC_ENABLE_VPID", bit: 5, title: "Enable VPID", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_VPID" },
      { name: "SECONDARY_EXEC_WBINVD_EXITING", bit: 6, title: "WBINVD exiting", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_WBINVD_EXITING" },
      { name: "SECONDARY_EXEC_UNRESTRICTED_GUEST", bit: 7, title: "Unrestricted guest", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_UNRESTRICTED_GUEST" },
      { name: "SECONDARY_EXEC_APIC_REGISTER_VIRT", bit: 8, title: "APIC-register virtualization", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_APIC_REGISTER_VIRT" },
      { name: "SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY", bit: 9, title: "Virtual-interrupt delivery", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_VIRT_INTR_DELIVERY" },
      { name: "SECONDARY_EXEC_PAUSE_LOOP_EXITING", bit: 10, title: "PAUSE-loop exiting", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_PAUSE_LOOP_EXITING" },
      { name: "SECONDARY_EXEC_RDRAND_EXITING", bit: 11, title: "RDRAND exiting", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_RDRAND_EXITING" },
      { name: "SECONDARY_EXEC_ENABLE_INVPCID", bit: 12, title: "Enable INVPCID", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_INVPCID" },
      { name: "SECONDARY_EXEC_ENABLE_VMFUNC", bit: 13, title: "Enable VM functions", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_VMFUNC" },
      { name: "SECONDARY_EXEC_SHADOW_VMCS", bit: 14, title: "VMCS shadowing", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_SHADOW_VMCS" },
      { name: "SECONDARY_EXEC_ENCLS_EXITING", bit: 15, title: "Enable ENCLS exiting", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_ENCLS_EXITING" },
      { name: "SECONDARY_EXEC_RDSEED_EXITING", bit: 16, title: "RDSEED exiting", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_RDSEED_EXITING" },
      { name: "SECONDARY_EXEC_ENABLE_PML", bit: 17, title: "Enable PML", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_PAGE_MOD_LOGGING" },
      { name: "SECONDARY_EXEC_EPT_VIOLATION_VE", bit: 18, title: "EPT-violation #VE", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_EPT_VIOLATION_VE" },
      { name: "SECONDARY_EXEC_PT_CONCEAL_VMX", bit: 19, title: "Conceal VMX from PT", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_PT_CONCEAL_VMX" },
      { name: "SECONDARY_EXEC_ENABLE_XSAVES", bit: 20, title: "Enable XSAVES/XRSTORS", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_XSAVES" },
      { name: "SECONDARY_EXEC_PASID_TRANSLATION", bit: 21, title: "PASID translation", sdm: "25.6.2", inLinux: false, nameFrom: "nvmx" },
      { name: "SECONDARY_EXEC_MODE_BASED_EPT_EXEC", bit: 22, title: "Mode-based execute control for EPT", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_MODE_BASED_EPT_EXEC" },
      { name: "SECONDARY_EXEC_ENABLE_SPP", bit: 23, title: "Sub-page write permissions for EPT", sdm: "25.6.2", inLinux: false, nameFrom: "linux-patches" },
      { name: "SECONDARY_EXEC_PT_USE_GPA", bit: 24, title: "Intel PT uses guest physical addresses", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_PT_USE_GPA" },
      { name: "SECONDARY_EXEC_TSC_SCALING", bit: 25, title: "Use TSC scaling", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_TSC_SCALING" },
      { name: "SECONDARY_EXEC_ENABLE_USR_WAIT_PAUSE", bit: 26, title: "Enable user wait and pause", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_USR_WAIT_PAUSE" },
      { name: "SECONDARY_EXEC_ENABLE_PCONFIG", bit: 27, title: "Enable PCONFIG", sdm: "25.6.2", inLinux: false, nameFrom: "nvmx" },
      // Linux has VMX_FEATURE_ENCLV_EXITING but no SECONDARY_EXEC_ macro for the bit.
      { name: "SECONDARY_EXEC_ENCLV_EXITING", bit: 28, title: "Enable ENCLV exiting", sdm: "25.6.2", inLinux: false, nameFrom: "nvmx", feature: "VMX_FEATURE_ENCLV_EXITING" },
      { name: "SECONDARY_EXEC_BUS_LOCK_DETECTION", bit: 30, title: "VMM bus-lock detection", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_BUS_LOCK_DETECTION" },
      { name: "SECONDARY_EXEC_NOTIFY_VM_EXITING", bit: 31, title: "Instruction timeout", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_NOTIFY_VM_EXITING" },
    ],
  },
  proc3: {
    id: "proc3",
    title: "Tertiary Processor-Based VM-Execution Controls",
    field: "TERTIARY_VM_EXEC_CONTROL",
    width: 64,
    capabilityMsr: "IA32_VMX_PROCBASED_CTLS3",
    capabilityFormat: "allowed-1-only",
    activatedBy: "CPU_BASED_ACTIVATE_TERTIARY_CONTROLS",
    default1: [],
    sdm: "25.6.2",
    bits: [
      { name: "TERTIARY_EXEC_LOADIWKEY_EXITING", bit: 0, title: "LOADIWKEY exiting", sdm: "25.6.2", inLinux: false, nameFrom: "xen" },
      { name: "TERTIARY_EXEC_ENABLE_HLAT", bit: 1, title: "Enable HLAT", sdm: "25.6.2", inLinux: false, nameFrom: "xen" },
      { name: "TERTIARY_EXEC_EPT_PAGING_WRITE", bit: 2, title: "EPT paging-write control", sdm: "25.6.2", inLinux: false, nameFrom: "xen" },
      { name: "TERTIARY_EXEC_GUEST_PAGING_VERIFY", bit: 3, title: "Guest-paging verification", sdm: "25.6.2", inLinux: false, nameFrom: "xen" },
      { name: "TERTIARY_EXEC_IPI_VIRT", bit: 4, title: "IPI virtualization", sdm: "25.6.2", inLinux: true, feature: "VMX_FEATURE_IPI_VIRT" },
      { name: "TERTIARY_EXEC_ENABLE_MSRLIST", bit: 6, title: "Enable MSR-list instructions", sdm: "25.6.2", inLinux: false, nameFrom: "xen" },
      { name: "TERTIARY_EXEC_SPEC_CTRL_SHADOW", bit: 7, title: "Virtualize IA32_SPEC_CTRL", sdm: "25.6.2", inLinux: false, nameFrom: "linux-patches" },
    ],
  },
  exit: {
    id: "exit",
    title: "Primary VM-Exit Controls",
    field: "VM_EXIT_CONTROLS",
    width: 32,
    capabilityMsr: "IA32_VMX_EXIT_CTLS",
    trueCapabilityMsr: "IA32_VMX_TRUE_EXIT_CTLS",
    capabilityFormat: "allowed-0-and-1",
    // A.2: bits 0–8, 10, 11, 13, 14, 16 and 17; 2 is "save debug controls".
    default1: [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 13, 14, 16, 17],
    sdm: "25.7.1",
    bits: [
      { name: "VM_EXIT_SAVE_DEBUG_CONTROLS", bit: 2, title: "Save debug controls", sdm: "25.7.1", inLinux: true },
      { name: "VM_EXIT_HOST_ADDR_SPACE_SIZE", bit: 9, title: "Host address-space size", sdm: "25.7.1", inLinux: true },
      { name: "VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL", bit: 12, title: "Load IA32_PERF_GLOBAL_CTRL", sdm: "25.7.1", inLinux: true },
      { name: "VM_EXIT_ACK_INTR_ON_EXIT", bit: 15, title: "Acknowledge interrupt on exit", sdm: "25.7.1", inLinux: true },
      { name: "VM_EXIT_SAVE_IA32_PAT", bit: 18, title: "Save IA32_PAT", sdm: "25.7.1", inLinux: true },
      { name: "VM_EXIT_LOAD_IA32_PAT", bit: 19, title: "Load IA32_PAT", sdm: "25.7.1", inLinux: true },
      { name: "VM_EXIT_SAVE_IA32_EFER", bit: 20, title: "Save IA32_EFER", sdm: "25.7.1", inLinux: true },
      { name: "VM_EXIT_LOAD_IA32_EFER", bit: 21, title: "Load IA32_EFER", sdm: "25.7.1", inLinux: true },
      { name: "VM_EXIT_SAVE_VMX_PREEMPTION_TIMER", bit: 22, title: "Save VMX-preemption timer value", sdm: "25.7.1", inLinux: true },
      { name: "VM_EXIT_CLEAR_BNDCFGS", bit: 23, title: "Clear IA32_BNDCFGS", sdm: "25.7.1", inLinux: true },
      { name: "VM_EXIT_PT_CONCEAL_PIP", bit: 24, title: "Conceal VMX from PT", sdm: "25.7.1", inLinux: true },
      { name: "VM_EXIT_CLEAR_IA32_RTIT_CTL", bit: 25, title: "Clear IA32_RTIT_CTL", sdm: "25.7.1", inLinux: true },
      { name: "VM_EXIT_CLEAR_IA32_LBR_CTL", bit: 26, title: "Clear IA32_LBR_CTL", sdm: "25.7.1", inLinux: false, nameFrom: "linux-patches" },
      { name: "VM_EXIT_CLEAR_UINV", bit: 27, title: "Clear UINV", sdm: "25.7.1", inLinux: false, nameFrom: "nvmx" },
      { name: "VM_EXIT_LOAD_CET_STATE", bit: 28, title: "Load CET state", sdm: "25.7.1", inLinux: true },
      { name: "VM_EXIT_LOAD_IA32_PKRS", bit: 29, title: "Load PKRS", sdm: "25.7.1", inLinux: false, nameFrom: "linux-patches" },
      { name: "VM_EXIT_SAVE_IA32_PERF_GLOBAL_CTRL", bit: 30, title: "Save IA32_PERF_GLOBAL_CTRL", sdm: "25.7.1", inLinux: true },
      { name: "VM_EXIT_ACTIVATE_SECONDARY_CONTROLS", bit: 31, title: "Activate secondary controls", sdm: "25.7.1", inLinux: false, nameFrom: "linux-patches" },
    ],
  },
  exit2: {
    id: "exit2",
    title: "Secondary VM-Exit Controls",
    field: "SECONDARY_VM_EXIT_CONTROLS",
    width: 64,
    capabilityMsr: "IA32_VMX_EXIT_CTLS2",
    capabilityFormat: "allowed-1-only",
    activatedBy: "VM_EXIT_ACTIVATE_SECONDARY_CONTROLS",
    default1: [],
    sdm: "25.7.1",
    bits: [
      { name: "SECONDARY_VM_EXIT_SAVE_IA32_FRED", bit: 0, title: "Save FRED", sdm: "25.7.1", inLinux: false, nameFrom: "linux-patches" },
      { name: "SECONDARY_VM_EXIT_LOAD_IA32_FRED", bit: 1, title: "Load FRED", sdm: "25.7.1", inLinux: false, nameFrom: "linux-patches" },
      { name: "SECONDARY_VM_EXIT_PREMATURELY_BUSY_SHSTK", bit: 3, title: "Prematurely busy shadow stack", sdm: "25.7.1", inLinux: false, nameFrom: "nvmx" },
    ],
  },
  entry: {
    id: "entry",
    title: "VM-Entry Controls",
    field: "VM_ENTRY_CONTROLS",
    width: 32,
    capabilityMsr: "IA32_VMX_ENTRY_CTLS",
    trueCapabilityMsr: "IA32_VMX_TRUE_ENTRY_CTLS",
    capabilityFormat: "allowed-0-and-1",
    // A.2: bits 0–8 and 12; 2 is "load debug controls".
    default1: [0, 1, 2, 3, 4, 5, 6, 7, 8, 12],
    sdm: "25.8.1",
    bits: [
      { name: "VM_ENTRY_LOAD_DEBUG_CONTROLS", bit: 2, title: "Load debug controls", sdm: "25.8.1", inLinux: true },
      { name: "VM_ENTRY_IA32E_MODE", bit: 9, title: "IA-32e mode guest", sdm: "25.8.1", inLinux: true },
      { name: "VM_ENTRY_SMM", bit: 10, title: "Entry to SMM", sdm: "25.8.1", inLinux: true },
      { name: "VM_ENTRY_DEACT_DUAL_MONITOR", bit: 11, title: "Deactivate dual-monitor treatment", sdm: "25.8.1", inLinux: true },
      { name: "VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL", bit: 13, title: "Load IA32_PERF_GLOBAL_CTRL", sdm: "25.8.1", inLinux: true },
      { name: "VM_ENTRY_LOAD_IA32_PAT", bit: 14, title: "Load IA32_PAT", sdm: "25.8.1", inLinux: true },
      { name: "VM_ENTRY_LOAD_IA32_EFER", bit: 15, title: "Load IA32_EFER", sdm: "25.8.1", inLinux: true },
      { name: "VM_ENTRY_LOAD_BNDCFGS", bit: 16, title: "Load IA32_BNDCFGS", sdm: "25.8.1", inLinux: true },
      { name: "VM_ENTRY_PT_CONCEAL_PIP", bit: 17, title: "Conceal VMX from PT", sdm: "25.8.1", inLinux: true },
      { name: "VM_ENTRY_LOAD_IA32_RTIT_CTL", bit: 18, title: "Load IA32_RTIT_CTL", sdm: "25.8.1", inLinux: true },
      { name: "VM_ENTRY_LOAD_UINV", bit: 19, title: "Load UINV", sdm: "25.8.1", inLinux: false, nameFrom: "nvmx" },
      { name: "VM_ENTRY_LOAD_CET_STATE", bit: 20, title: "Load CET state", sdm: "25.8.1", inLinux: true },
      { name: "VM_ENTRY_LOAD_IA32_LBR_CTL", bit: 21, title: "Load guest IA32_LBR_CTL", sdm: "25.8.1", inLinux: false, nameFrom: "linux-patches" },
      { name: "VM_ENTRY_LOAD_IA32_PKRS", bit: 22, title: "Load PKRS", sdm: "25.8.1", inLinux: false, nameFrom: "linux-patches" },
      { name: "VM_ENTRY_LOAD_IA32_FRED", bit: 23, title: "Load FRED", sdm: "25.8.1", inLinux: false, nameFrom: "linux-patches" },
    ],
  },
  vmfunc: {
    id: "vmfunc",
    title: "VM-Function Controls",
    field: "VM_FUNCTION_CONTROL",
    width: 64,
    capabilityMsr: "IA32_VMX_VMFUNC",
    capabilityFormat: "allowed-1-only",
    activatedBy: "SECONDARY_EXEC_ENABLE_VMFUNC",
    default1: [],
    sdm: "25.6.14",
    bits: [
      { name: "VMX_VMFUNC_EPTP_SWITCHING", bit: 0, title: "EPTP switching", sdm: "25.6.14", inLinux: true, feature: "VMX_FEATURE_EPTP_SWITCHING" },
    ],
  },
} as const satisfies { readonly [K in ControlWordId]: ControlWordDef & { readonly id: K } };

/** The Linux name of any VMX control. */
export type ControlName = (typeof CONTROL_WORDS)[ControlWordId]["bits"][number]["name"];

/** A control found by name: its word, bit and mask (as unsigned 32-bit halves of the word). */
export interface ControlRef {
  readonly name: ControlName;
  readonly word: ControlWordId;
  readonly bit: number;
  readonly lo: number;
  readonly hi: number;
  readonly def: ControlBitDef;
}

/** Masks of one control word as unsigned 32-bit halves, and as BigInt for the API edge. */
export interface ControlWordMasks {
  /** Every bit the SDM names in this word. */
  readonly definedLo: number;
  readonly definedHi: number;
  readonly defined: bigint;
  /** The default1 class (A.2). */
  readonly default1Lo: number;
  readonly default1Hi: number;
  readonly default1: bigint;
}

/** The mask of a list of bit numbers, as halves and as a BigInt. */
function maskOf(bits: readonly number[]): { lo: number; hi: number; mask: bigint } {
  const mask = tableMask(bits.map((bit) => ({ bit })));
  return { lo: loOf(mask), hi: hiOf(mask), mask };
}

function buildLookups() {
  const byName: Record<string, ControlRef> = {};
  const masks: Partial<Record<ControlWordId, ControlWordMasks>> = {};
  for (const id of CONTROL_WORD_IDS) {
    const word: ControlWordDef = CONTROL_WORDS[id];
    for (const def of word.bits) {
      const { lo, hi } = maskOf([def.bit]);
      byName[def.name] = Object.freeze({ name: def.name as ControlName, word: id, bit: def.bit, lo, hi, def });
    }
    const defined = maskOf(word.bits.map((b) => b.bit));
    const default1 = maskOf(word.default1);
    masks[id] = Object.freeze({
      definedLo: defined.lo,
      definedHi: defined.hi,
      defined: defined.mask,
      default1Lo: default1.lo,
      default1Hi: default1.hi,
      default1: default1.mask,
    });
  }
  return {
    byName: Object.freeze(byName) as Readonly<Record<ControlName, ControlRef>>,
    masks: Object.freeze(masks) as Readonly<Record<ControlWordId, ControlWordMasks>>,
  };
}

const LOOKUPS = buildLookups();

/** Every control by its Linux name. */
export const CONTROL_BY_NAME: Readonly<Record<ControlName, ControlRef>> = LOOKUPS.byName;

/** Per control word: the mask of named bits and of the default1 class. */
export const CONTROL_WORD_MASKS: Readonly<Record<ControlWordId, ControlWordMasks>> = LOOKUPS.masks;

/** The control of that name (Linux spelling, case-sensitive), or undefined. */
export function controlByName(name: string): ControlRef | undefined {
  return Object.hasOwn(CONTROL_BY_NAME, name) ? CONTROL_BY_NAME[name as ControlName] : undefined;
}

/** The names of the named controls set in a value of the given word, in bit order. */
export function controlsSetIn(word: ControlWordId, lo: number, hi = 0): ControlName[] {
  const names: ControlName[] = [];
  for (const def of CONTROL_WORDS[word].bits as readonly ControlBitDef[]) {
    const set = def.bit < 32 ? (lo >>> def.bit) & 1 : (hi >>> (def.bit - 32)) & 1;
    if (set === 1) names.push(def.name as ControlName);
  }
  return names;
}
