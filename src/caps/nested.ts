/**
 * What KVM's nested VMX advertises to an L1 hypervisor: `nested_vmx_setup_ctls_msrs()`
 * (arch/x86/kvm/vmx/nested.c) and its helpers `nested_vmx_setup_pinbased_ctls`, `_exit_ctls`,
 * `_entry_ctls`, `_cpubased_ctls`, `_secondary_ctls`, `_misc_data`, `_basic`, `_cr_fixed` and
 * `nested_vmx_calc_vmcs_enum_msr()`, run on the control words KVM's own setup_vmcs_config() chose
 * ({@link setupVmcsConfig}) after the module-parameter checks of `vmx_hardware_setup()`; read back
 * through `vmx_get_vmx_msr()` as IA32_VMX_BASIC … IA32_VMX_VMFUNC (480H–491H).
 *
 * Without `guestCpuid` the result is KVM's system-wide view (vmcs_config.nested, what
 * KVM_GET_MSRS on /dev/kvm reports for the VMX feature MSRs). With it, the per-vCPU adjustments
 * KVM makes when userspace sets the vCPU's CPUID (vmx_vcpu_after_set_cpuid() with the default
 * quirks) are applied too. What userspace then writes back (QEMU's CPU models restrict the VMX
 * MSRs further through KVM_SET_MSRS) is outside this model.
 *
 * IA32_VMX_VMCS_ENUM is the highest index among the vmcs12 fields L1 may access on this host
 * ({@link KVM_VMCS12_FIELDS}; since Linux 7.0 fields of features the host lacks are inaccessible).
 *
 * Modelled on upstream Linux 7.0, a 64-bit host kernel. Each control of every word is classified
 * by the table {@link NESTED_CONTROL_RULES}: passed through (advertised iff KVM's own vmcs01
 * configuration has it), emulated (KVM sets it itself, perhaps under a module parameter), or
 * hidden (never advertised).
 */
import { CONTROL_WORDS, CONTROL_WORD_IDS, CONTROL_WORD_MASKS, controlByName, type ControlBitDef, type ControlName, type ControlWordId } from "../arch/controls.js";
import { MSR_BY_NAME, layoutBitDef, layoutFieldDef, type MsrLayoutName, type MsrName } from "../arch/msrs.js";
import { bitMask } from "../arch/bits.js";
import { CR0_MASK, CR4_MASK } from "../arch/registers.js";
import { encodingIndex } from "../arch/vmcs-encoding.js";
import { fieldByName } from "../arch/vmcs-lookup.js";
import { setupVmcsConfig, type SetupOptions, type SetupWordId } from "./setup.js";

/** KVM's VMCS12_REVISION: the VMCS revision identifier L1 sees. */
export const VMCS12_REVISION = 0x11e57ed0;
/** KVM's VMCS12_SIZE: the VMCS region size L1 sees. */
export const VMCS12_SIZE = 0x1000;
/** VMX_MISC_EMULATED_PREEMPTION_TIMER_RATE: the emulated timer counts every 2^5 TSC ticks. */
export const NESTED_PREEMPTION_TIMER_RATE = 5;

/** The kvm_intel module parameters (and kernel features) that shape what L1 sees. */
export interface NestedOptions {
  /** kvm_intel.ept (default true); KVM clears it without EPT, 4-level walks, WB or all-context INVEPT. */
  readonly ept?: boolean;
  /** kvm_intel.unrestricted_guest (default true); needs EPT and the control. */
  readonly unrestrictedGuest?: boolean;
  /** kvm_intel.vpid (default true); needs the control, INVVPID and its single- or all-context type. */
  readonly vpid?: boolean;
  /** kvm_intel.enable_apicv (default true); needs APIC-register virtualization, VID and posted interrupts. */
  readonly apicv?: boolean;
  /** kvm_intel.pml (default true). KVM emulates PML for L1 from EPT A/D support, so it does not change the MSRs. */
  readonly pml?: boolean;
  /** kvm_intel.eptad (default true); needs EPT and the A/D capability. Brings emulated PML and EPT A/D. */
  readonly eptAd?: boolean;
  /** kvm_intel.flexpriority (default true); needs the TPR shadow and APIC-access virtualization. */
  readonly flexpriority?: boolean;
  /**
   * kvm_intel.sgx with CONFIG_X86_SGX_KVM (default true); needs ENCLS exiting in KVM's
   * configuration. Default assumes the host kernel supports SGX virtualization.
   */
  readonly sgx?: boolean;
  /**
   * Whether KVM advertises CET (SHSTK or IBT) at all. Default: the CET state controls survived
   * setup_vmcs_config(), unrestricted guest is on and IA32_VMX_BASIC[56] = 1, which is what
   * vmx_set_cpu_caps() requires (assuming the host kernel enables CET).
   */
  readonly cet?: boolean;
  /** kvm_intel.nested_early_check (default false). Changes how entries are checked, not the MSRs. */
  readonly nestedEarlyCheck?: boolean;
  /** Whether the host CPU has UMIP. Default: IA32_VMX_CR4_FIXED1 allows CR4.UMIP. Without it KVM emulates UMIP (with descriptor-table exiting). */
  readonly hostUmip?: boolean;
  /** Passed to setup_vmcs_config() (error_on_inconsistent_vmcs_config, CPU signature, SGX, PROVE_VE). */
  readonly setup?: Partial<SetupOptions>;
  /** The L1 vCPU's CPUID as userspace set it; absent: KVM's system-wide view. */
  readonly guestCpuid?: GuestCpuid;
}

/** The L1 vCPU's CPUID, as far as KVM's per-vCPU nested adjustments read it. */
export interface GuestCpuid {
  /**
   * Linux /proc/cpuinfo names of the features present (`vme`, `xmm`, `xsaves`, `rdrand`, …);
   * every feature not listed is absent.
   */
  readonly flags: readonly string[];
  /**
   * Whether the vPMU has IA32_PERF_GLOBAL_CTRL (architectural PMU version 2 or later); absent:
   * KVM's default is kept.
   */
  readonly perfGlobalCtrl?: boolean;
}

/** How KVM treats a control when it builds L1's capability MSRs. */
export type NestedTreatment = "passed-through" | "emulated" | "hidden";

/** One control with its treatment. */
export interface NestedControl {
  readonly name: string;
  readonly word: string;
  readonly treatment: NestedTreatment;
  readonly note?: string;
  /** Whether the derived MSRs allow L1 to set the control. */
  readonly advertised: boolean;
}

/** L1's view of VMX. */
export interface NestedResult {
  /** IA32_VMX_BASIC (480H) … IA32_VMX_VMFUNC (491H) as L1 reads them; empty when rejected. */
  readonly msrs: ReadonlyMap<number, bigint>;
  /** Every named control of every word, in CONTROL_WORDS order; empty when rejected. */
  readonly controls: readonly NestedControl[];
  /** The vmcs12 fields L1 may VMREAD/VMWRITE on this host (names, in vmcs12 table order); empty when rejected. */
  readonly vmcs12Fields: readonly string[];
  /** Why KVM cannot run on the host at all (setup_vmcs_config() failed). */
  readonly rejected?: string;
}

/** The module parameters and host facts a nested rule may depend on. */
type NestedCondition = "apicv" | "ept" | "eptAd" | "vpid" | "unrestrictedGuest" | "flexpriority" | "sgx" | "cet" | "vmfunc";

/** How KVM treats one control (a row of {@link NESTED_CONTROL_RULES}). */
export interface NestedControlRule {
  readonly name: ControlName;
  readonly treatment: "passed-through" | "emulated";
  /** The condition under which KVM passes or sets it. */
  readonly when?: NestedCondition;
  /**
   * For a default1 control: KVM lets L1 set it to 0 (it is cleared in the TRUE MSR's allowed
   * 0-settings) although the non-TRUE MSR still reports it as must-be-1.
   */
  readonly freeZero?: boolean;
  readonly note?: string;
}

/**
 * The controls KVM advertises, word by word (nested.c, nested_vmx_setup_*_ctls). Every named
 * control not listed is hidden. Default1 bits (the *_ALWAYSON_WITHOUT_TRUE_MSR values) are always
 * allowed; the named ones are listed as emulated.
 */
export const NESTED_CONTROL_RULES = {
  pin: [
    { name: "PIN_BASED_EXT_INTR_MASK", treatment: "passed-through" },
    { name: "PIN_BASED_NMI_EXITING", treatment: "passed-through" },
    { name: "PIN_BASED_VIRTUAL_NMIS", treatment: "passed-through" },
    { name: "PIN_BASED_VMX_PREEMPTION_TIMER", treatment: "emulated", note: "KVM emulates the timer with an hrtimer" },
    { name: "PIN_BASED_POSTED_INTR", treatment: "passed-through", when: "apicv", note: "only with enable_apicv" },
  ],
  proc: [
    { name: "CPU_BASED_INTR_WINDOW_EXITING", treatment: "passed-through" },
    { name: "CPU_BASED_USE_TSC_OFFSETTING", treatment: "passed-through" },
    { name: "CPU_BASED_HLT_EXITING", treatment: "passed-through" },
    { name: "CPU_BASED_INVLPG_EXITING", treatment: "passed-through" },
    { name: "CPU_BASED_MWAIT_EXITING", treatment: "passed-through" },
    { name: "CPU_BASED_RDPMC_EXITING", treatment: "passed-through" },
    { name: "CPU_BASED_RDTSC_EXITING", treatment: "passed-through" },
    { name: "CPU_BASED_CR3_LOAD_EXITING", treatment: "emulated", freeZero: true, note: "default1; KVM lets L1 clear it" },
    { name: "CPU_BASED_CR3_STORE_EXITING", treatment: "emulated", freeZero: true, note: "default1; KVM lets L1 clear it" },
    { name: "CPU_BASED_CR8_LOAD_EXITING", treatment: "passed-through" },
    { name: "CPU_BASED_CR8_STORE_EXITING", treatment: "passed-through" },
    { name: "CPU_BASED_TPR_SHADOW", treatment: "passed-through" },
    { name: "CPU_BASED_NMI_WINDOW_EXITING", treatment: "passed-through" },
    { name: "CPU_BASED_MOV_DR_EXITING", treatment: "passed-through" },
    { name: "CPU_BASED_UNCOND_IO_EXITING", treatment: "passed-through" },
    { name: "CPU_BASED_USE_IO_BITMAPS", treatment: "passed-through" },
    { name: "CPU_BASED_MONITOR_TRAP_FLAG", treatment: "passed-through" },
    { name: "CPU_BASED_USE_MSR_BITMAPS", treatment: "emulated", note: "KVM reads L1's bitmap even when vmcs02 does not use one" },
    { name: "CPU_BASED_MONITOR_EXITING", treatment: "passed-through" },
    { name: "CPU_BASED_PAUSE_EXITING", treatment: "passed-through" },
    { name: "CPU_BASED_ACTIVATE_SECONDARY_CONTROLS", treatment: "passed-through" },
  ],
  proc2: [
    { name: "SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES", treatment: "emulated", when: "flexpriority", note: "with flexpriority (TPR shadow and APIC-access virtualization on the host)" },
    { name: "SECONDARY_EXEC_ENABLE_EPT", treatment: "emulated", when: "ept", note: "nested EPT (shadow EPT tables), with enable_ept" },
    { name: "SECONDARY_EXEC_DESC", treatment: "passed-through" },
    { name: "SECONDARY_EXEC_ENABLE_RDTSCP", treatment: "passed-through", note: "per vCPU: only if L1's CPUID has RDTSCP or RDPID" },
    { name: "SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE", treatment: "passed-through" },
    { name: "SECONDARY_EXEC_ENABLE_VPID", treatment: "emulated", when: "vpid", note: "with enable_vpid" },
    { name: "SECONDARY_EXEC_WBINVD_EXITING", treatment: "passed-through" },
    { name: "SECONDARY_EXEC_UNRESTRICTED_GUEST", treatment: "emulated", when: "unrestrictedGuest", note: "with enable_unrestricted_guest" },
    { name: "SECONDARY_EXEC_APIC_REGISTER_VIRT", treatment: "passed-through" },
    { name: "SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY", treatment: "passed-through" },
    { name: "SECONDARY_EXEC_RDRAND_EXITING", treatment: "passed-through", note: "per vCPU: only if L1's CPUID has RDRAND" },
    { name: "SECONDARY_EXEC_ENABLE_INVPCID", treatment: "passed-through", note: "per vCPU: only if L1's CPUID has INVPCID" },
    { name: "SECONDARY_EXEC_ENABLE_VMFUNC", treatment: "passed-through" },
    { name: "SECONDARY_EXEC_SHADOW_VMCS", treatment: "emulated", note: "KVM emulates VMCS shadowing on any host" },
    { name: "SECONDARY_EXEC_ENCLS_EXITING", treatment: "emulated", when: "sgx", note: "with SGX virtualization (needs ENCLS exiting on the host)" },
    { name: "SECONDARY_EXEC_RDSEED_EXITING", treatment: "passed-through", note: "per vCPU: only if L1's CPUID has RDSEED" },
    { name: "SECONDARY_EXEC_ENABLE_PML", treatment: "emulated", when: "eptAd", note: "KVM emulates PML with EPT A/D bits (enable_ept_ad_bits)" },
    { name: "SECONDARY_EXEC_ENABLE_XSAVES", treatment: "passed-through", note: "per vCPU: only if L1's CPUID has XSAVE and XSAVES" },
    { name: "SECONDARY_EXEC_TSC_SCALING", treatment: "passed-through" },
    { name: "SECONDARY_EXEC_ENABLE_USR_WAIT_PAUSE", treatment: "passed-through", note: "per vCPU: only if L1's CPUID has WAITPKG" },
  ],
  proc3: [],
  exit: [
    { name: "VM_EXIT_SAVE_DEBUG_CONTROLS", treatment: "emulated", freeZero: true, note: "default1; KVM lets L1 clear it" },
    { name: "VM_EXIT_HOST_ADDR_SPACE_SIZE", treatment: "passed-through" },
    { name: "VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL", treatment: "emulated", note: "per vCPU: dropped if the vPMU has no IA32_PERF_GLOBAL_CTRL" },
    { name: "VM_EXIT_ACK_INTR_ON_EXIT", treatment: "emulated" },
    { name: "VM_EXIT_SAVE_IA32_PAT", treatment: "passed-through" },
    { name: "VM_EXIT_LOAD_IA32_PAT", treatment: "passed-through" },
    { name: "VM_EXIT_SAVE_IA32_EFER", treatment: "emulated" },
    { name: "VM_EXIT_LOAD_IA32_EFER", treatment: "emulated" },
    { name: "VM_EXIT_SAVE_VMX_PREEMPTION_TIMER", treatment: "emulated" },
    { name: "VM_EXIT_CLEAR_BNDCFGS", treatment: "passed-through", note: "per vCPU: only if L1's CPUID has MPX" },
    { name: "VM_EXIT_LOAD_CET_STATE", treatment: "passed-through", when: "cet", note: "only if KVM supports SHSTK or IBT (Linux 6.18)" },
  ],
  exit2: [],
  entry: [
    { name: "VM_ENTRY_LOAD_DEBUG_CONTROLS", treatment: "emulated", freeZero: true, note: "default1; KVM lets L1 clear it" },
    { name: "VM_ENTRY_IA32E_MODE", treatment: "passed-through" },
    { name: "VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL", treatment: "emulated", note: "per vCPU: dropped if the vPMU has no IA32_PERF_GLOBAL_CTRL" },
    { name: "VM_ENTRY_LOAD_IA32_PAT", treatment: "passed-through" },
    { name: "VM_ENTRY_LOAD_IA32_EFER", treatment: "emulated" },
    { name: "VM_ENTRY_LOAD_BNDCFGS", treatment: "passed-through", note: "per vCPU: only if L1's CPUID has MPX" },
    { name: "VM_ENTRY_LOAD_CET_STATE", treatment: "passed-through", when: "cet", note: "only if KVM supports SHSTK or IBT (Linux 6.18)" },
  ],
  vmfunc: [
    { name: "VMX_VMFUNC_EPTP_SWITCHING", treatment: "emulated", when: "vmfunc", note: "emulated with nested EPT when the host has VM functions" },
  ],
} as const satisfies { readonly [K in ControlWordId]: readonly NestedControlRule[] };

/** A per-vCPU adjustment: the controls KVM allows L1 iff L1's CPUID has the features. */
export interface GuestCpuidControlRule {
  readonly controls: readonly ControlName[];
  /** Every feature of allOf, and one of anyOf when given, must be present. */
  readonly allOf?: readonly string[];
  readonly anyOf?: readonly string[];
}

/**
 * vmx_secondary_exec_control() and nested_vmx_entry_exit_ctls_update(): with
 * KVM_X86_QUIRK_STUFF_FEATURE_MSRS / TWEAK_VMX_CTRL_MSRS (on by default), KVM sets or clears these
 * controls in L1's MSRs to follow L1's CPUID, for each one its own configuration has.
 */
export const NESTED_GUEST_CPUID_RULES = [
  { controls: ["SECONDARY_EXEC_ENABLE_XSAVES"], allOf: ["xsave", "xsaves"] },
  { controls: ["SECONDARY_EXEC_ENABLE_RDTSCP"], anyOf: ["rdtscp", "rdpid"] },
  { controls: ["SECONDARY_EXEC_ENABLE_INVPCID"], allOf: ["invpcid"] },
  { controls: ["SECONDARY_EXEC_RDRAND_EXITING"], allOf: ["rdrand"] },
  { controls: ["SECONDARY_EXEC_RDSEED_EXITING"], allOf: ["rdseed"] },
  { controls: ["SECONDARY_EXEC_ENABLE_USR_WAIT_PAUSE"], allOf: ["waitpkg"] },
  { controls: ["VM_ENTRY_LOAD_BNDCFGS", "VM_EXIT_CLEAR_BNDCFGS"], allOf: ["mpx"] },
] as const satisfies readonly GuestCpuidControlRule[];

/**
 * nested_vmx_cr_fixed1_bits_update(): once L1's CPUID is set, CR0_FIXED1 becomes all ones and
 * CR4_FIXED1 allows PCE plus each bit whose CPUID feature L1 has.
 */
export const NESTED_CR4_FIXED1_BY_CPUID = [
  { bit: "X86_CR4_VME", flag: "vme" },
  { bit: "X86_CR4_PVI", flag: "vme" },
  { bit: "X86_CR4_TSD", flag: "tsc" },
  { bit: "X86_CR4_DE", flag: "de" },
  { bit: "X86_CR4_PSE", flag: "pse" },
  { bit: "X86_CR4_PAE", flag: "pae" },
  { bit: "X86_CR4_MCE", flag: "mce" },
  { bit: "X86_CR4_PGE", flag: "pge" },
  { bit: "X86_CR4_OSFXSR", flag: "fxsr" },
  { bit: "X86_CR4_OSXMMEXCPT", flag: "xmm" },
  { bit: "X86_CR4_VMXE", flag: "vmx" },
  { bit: "X86_CR4_SMXE", flag: "smx" },
  { bit: "X86_CR4_PCIDE", flag: "pcid" },
  { bit: "X86_CR4_OSXSAVE", flag: "xsave" },
  { bit: "X86_CR4_FSGSBASE", flag: "fsgsbase" },
  { bit: "X86_CR4_SMEP", flag: "smep" },
  { bit: "X86_CR4_SMAP", flag: "smap" },
  { bit: "X86_CR4_PKE", flag: "pku" },
  { bit: "X86_CR4_UMIP", flag: "umip" },
  { bit: "X86_CR4_LA57", flag: "la57" },
  { bit: "X86_CR4_CET", flag: "shstk" },
  { bit: "X86_CR4_LAM_SUP", flag: "lam" },
] as const satisfies readonly { readonly bit: keyof typeof CR4_MASK; readonly flag: string }[];

/** A field of KVM's vmcs12 and the control KVM's own configuration must have for L1 to access it. */
export interface Vmcs12FieldDef {
  /** The field's Linux name (`enum vmcs_field`), as in VMCS_FIELDS. */
  readonly name: string;
  /** Absent: always accessible (PML and the preemption timer are emulated, so their fields are too). */
  readonly requires?: ControlName;
}

const V = (name: string, requires?: ControlName): Vmcs12FieldDef => (requires === undefined ? { name } : { name, requires });

/**
 * The fields of KVM's vmcs12 (vmcs12.c, `kvm_supported_vmcs12_field_offsets`, CET fields since
 * Linux 6.18) and, since Linux 7.0 (`cpu_has_vmcs12_field()`), the control of KVM's vmcs01
 * configuration a field needs to be accessible at all: VMREAD/VMWRITE of the others fail as for
 * an unsupported field, and IA32_VMX_VMCS_ENUM reports the highest index among the accessible
 * ones (`nested_vmx_calc_vmcs_enum_msr()`).
 */
export const KVM_VMCS12_FIELDS: readonly Vmcs12FieldDef[] = Object.freeze([
  V("VIRTUAL_PROCESSOR_ID", "SECONDARY_EXEC_ENABLE_VPID"), V("POSTED_INTR_NV", "PIN_BASED_POSTED_INTR"),
  V("GUEST_ES_SELECTOR"), V("GUEST_CS_SELECTOR"), V("GUEST_SS_SELECTOR"), V("GUEST_DS_SELECTOR"), V("GUEST_FS_SELECTOR"),
  V("GUEST_GS_SELECTOR"), V("GUEST_LDTR_SELECTOR"), V("GUEST_TR_SELECTOR"),
  V("GUEST_INTR_STATUS", "SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY"), V("GUEST_PML_INDEX"),
  V("HOST_ES_SELECTOR"), V("HOST_CS_SELECTOR"), V("HOST_SS_SELECTOR"), V("HOST_DS_SELECTOR"), V("HOST_FS_SELECTOR"),
  V("HOST_GS_SELECTOR"), V("HOST_TR_SELECTOR"),
  V("IO_BITMAP_A"), V("IO_BITMAP_B"), V("MSR_BITMAP"), V("VM_EXIT_MSR_STORE_ADDR"), V("VM_EXIT_MSR_LOAD_ADDR"), V("VM_ENTRY_MSR_LOAD_ADDR"),
  V("PML_ADDRESS"), V("TSC_OFFSET"), V("TSC_MULTIPLIER", "SECONDARY_EXEC_TSC_SCALING"),
  V("VIRTUAL_APIC_PAGE_ADDR", "CPU_BASED_TPR_SHADOW"), V("APIC_ACCESS_ADDR", "SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES"),
  V("POSTED_INTR_DESC_ADDR", "PIN_BASED_POSTED_INTR"), V("VM_FUNCTION_CONTROL", "SECONDARY_EXEC_ENABLE_VMFUNC"),
  V("EPT_POINTER", "SECONDARY_EXEC_ENABLE_EPT"),
  V("EOI_EXIT_BITMAP0"), V("EOI_EXIT_BITMAP1"), V("EOI_EXIT_BITMAP2"), V("EOI_EXIT_BITMAP3"),
  V("EPTP_LIST_ADDRESS", "SECONDARY_EXEC_ENABLE_VMFUNC"), V("VMREAD_BITMAP"), V("VMWRITE_BITMAP"),
  V("XSS_EXIT_BITMAP", "SECONDARY_EXEC_ENABLE_XSAVES"), V("ENCLS_EXITING_BITMAP", "SECONDARY_EXEC_ENCLS_EXITING"),
  V("GUEST_PHYSICAL_ADDRESS"), V("VMCS_LINK_POINTER"), V("GUEST_IA32_DEBUGCTL"), V("GUEST_IA32_PAT"), V("GUEST_IA32_EFER"),
  V("GUEST_IA32_PERF_GLOBAL_CTRL", "VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL"),
  V("GUEST_PDPTR0"), V("GUEST_PDPTR1"), V("GUEST_PDPTR2"), V("GUEST_PDPTR3"), V("GUEST_BNDCFGS"),
  V("HOST_IA32_PAT"), V("HOST_IA32_EFER"), V("HOST_IA32_PERF_GLOBAL_CTRL", "VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL"),
  V("PIN_BASED_VM_EXEC_CONTROL"), V("CPU_BASED_VM_EXEC_CONTROL"), V("EXCEPTION_BITMAP"), V("PAGE_FAULT_ERROR_CODE_MASK"),
  V("PAGE_FAULT_ERROR_CODE_MATCH"), V("CR3_TARGET_COUNT"), V("VM_EXIT_CONTROLS"), V("VM_EXIT_MSR_STORE_COUNT"),
  V("VM_EXIT_MSR_LOAD_COUNT"), V("VM_ENTRY_CONTROLS"), V("VM_ENTRY_MSR_LOAD_COUNT"), V("VM_ENTRY_INTR_INFO_FIELD"),
  V("VM_ENTRY_EXCEPTION_ERROR_CODE"), V("VM_ENTRY_INSTRUCTION_LEN"), V("TPR_THRESHOLD", "CPU_BASED_TPR_SHADOW"),
  V("SECONDARY_VM_EXEC_CONTROL", "CPU_BASED_ACTIVATE_SECONDARY_CONTROLS"),
  V("VM_INSTRUCTION_ERROR"), V("VM_EXIT_REASON"), V("VM_EXIT_INTR_INFO"), V("VM_EXIT_INTR_ERROR_CODE"),
  V("IDT_VECTORING_INFO_FIELD"), V("IDT_VECTORING_ERROR_CODE"), V("VM_EXIT_INSTRUCTION_LEN"), V("VMX_INSTRUCTION_INFO"),
  V("GUEST_ES_LIMIT"), V("GUEST_CS_LIMIT"), V("GUEST_SS_LIMIT"), V("GUEST_DS_LIMIT"), V("GUEST_FS_LIMIT"), V("GUEST_GS_LIMIT"),
  V("GUEST_LDTR_LIMIT"), V("GUEST_TR_LIMIT"), V("GUEST_GDTR_LIMIT"), V("GUEST_IDTR_LIMIT"),
  V("GUEST_ES_AR_BYTES"), V("GUEST_CS_AR_BYTES"), V("GUEST_SS_AR_BYTES"), V("GUEST_DS_AR_BYTES"), V("GUEST_FS_AR_BYTES"),
  V("GUEST_GS_AR_BYTES"), V("GUEST_LDTR_AR_BYTES"), V("GUEST_TR_AR_BYTES"), V("GUEST_INTERRUPTIBILITY_INFO"),
  V("GUEST_ACTIVITY_STATE"), V("GUEST_SYSENTER_CS"), V("HOST_IA32_SYSENTER_CS"), V("VMX_PREEMPTION_TIMER_VALUE"),
  V("CR0_GUEST_HOST_MASK"), V("CR4_GUEST_HOST_MASK"), V("CR0_READ_SHADOW"), V("CR4_READ_SHADOW"), V("EXIT_QUALIFICATION"),
  V("GUEST_LINEAR_ADDRESS"), V("GUEST_CR0"), V("GUEST_CR3"), V("GUEST_CR4"), V("GUEST_ES_BASE"), V("GUEST_CS_BASE"),
  V("GUEST_SS_BASE"), V("GUEST_DS_BASE"), V("GUEST_FS_BASE"), V("GUEST_GS_BASE"), V("GUEST_LDTR_BASE"), V("GUEST_TR_BASE"),
  V("GUEST_GDTR_BASE"), V("GUEST_IDTR_BASE"), V("GUEST_DR7"), V("GUEST_RSP"), V("GUEST_RIP"), V("GUEST_RFLAGS"),
  V("GUEST_PENDING_DBG_EXCEPTIONS"), V("GUEST_SYSENTER_ESP"), V("GUEST_SYSENTER_EIP"),
  V("HOST_CR0"), V("HOST_CR3"), V("HOST_CR4"), V("HOST_FS_BASE"), V("HOST_GS_BASE"), V("HOST_TR_BASE"), V("HOST_GDTR_BASE"),
  V("HOST_IDTR_BASE"), V("HOST_IA32_SYSENTER_ESP"), V("HOST_IA32_SYSENTER_EIP"), V("HOST_RSP"), V("HOST_RIP"),
  V("GUEST_S_CET", "VM_ENTRY_LOAD_CET_STATE"), V("GUEST_SSP", "VM_ENTRY_LOAD_CET_STATE"),
  V("GUEST_INTR_SSP_TABLE", "VM_ENTRY_LOAD_CET_STATE"), V("HOST_S_CET", "VM_ENTRY_LOAD_CET_STATE"),
  V("HOST_SSP", "VM_ENTRY_LOAD_CET_STATE"), V("HOST_INTR_SSP_TABLE", "VM_ENTRY_LOAD_CET_STATE"),
]);

/** The field index (encoding bits 9:1) of a vmcs12 field. */
function vmcs12FieldIndex(name: string): number {
  const field = fieldByName(name);
  if (field === undefined) throw new Error(`vmcs12 field ${name} missing from VMCS_FIELDS`);
  return encodingIndex(field.encoding);
}

function msrIndex(name: MsrName): number {
  return MSR_BY_NAME.get(name)!.index;
}

function layoutBit(layout: MsrLayoutName, name: string): bigint {
  return bitMask(layoutBitDef(layout, name));
}

function layoutFieldShift(layout: MsrLayoutName, name: string): bigint {
  return BigInt(layoutFieldDef(layout, name).lsb);
}

function bitOf(name: ControlName): bigint {
  return 1n << BigInt(controlByName(name)!.bit);
}

const EPT_BIT = (name: string) => layoutBit("IA32_VMX_EPT_VPID_CAP", name);

/** VMXON_CR0_ALWAYSON: CR0.PE, CR0.NE and CR0.PG must stay 1 in L1's VMX operation. */
const CR0_FIXED0 = CR0_MASK.X86_CR0_PE | CR0_MASK.X86_CR0_NE | CR0_MASK.X86_CR0_PG;
const X86_MEMTYPE_WB = 6n;

/** The nested words KVM builds (low = must-be-1 in the TRUE MSR, high = may-be-1). */
interface NestedWord {
  low: bigint;
  high: bigint;
}

/**
 * Derives what KVM advertises to L1 from a host's VMX capability MSRs: runs setup_vmcs_config()
 * and the module-parameter checks of vmx_hardware_setup(), then nested_vmx_setup_ctls_msrs(), and
 * (with `guestCpuid`) the per-vCPU CPUID adjustments. Every control is classified as passed
 * through, emulated or hidden.
 */
export function deriveNestedMsrs(host: ReadonlyMap<number, bigint>, options: NestedOptions = {}): NestedResult {
  const setup = setupVmcsConfig(host, options.setup);
  if (setup.rejected || setup.controls === undefined) {
    const fatal = setup.reasons.filter((r) => !r.startsWith("warning: "));
    return Object.freeze({ msrs: new Map(), controls: Object.freeze([]), vmcs12Fields: Object.freeze([]), rejected: fatal.join("; ") });
  }
  const conf = setup.controls;
  const has = (name: ControlName) => {
    const control = controlByName(name)!;
    return ((conf[control.word as SetupWordId] >> BigInt(control.bit)) & 1n) === 1n;
  };
  const hostMsr = (name: MsrName) => host.get(msrIndex(name)) ?? 0n;

  // vmx_hardware_setup(): module parameters cleared when the host lacks what they need.
  const eptVpid = setup.eptVpidCap ?? 0n;
  const cap = (name: string) => (eptVpid & EPT_BIT(name)) !== 0n;
  const ept =
    (options.ept ?? true) && has("SECONDARY_EXEC_ENABLE_EPT") && cap("VMX_EPT_PAGE_WALK_4_BIT") && cap("VMX_EPTP_WB_BIT") && cap("VMX_EPT_EXTENT_GLOBAL_BIT");
  const vpid =
    (options.vpid ?? true) &&
    has("SECONDARY_EXEC_ENABLE_VPID") &&
    cap("VMX_VPID_INVVPID_BIT") &&
    (cap("VMX_VPID_EXTENT_SINGLE_CONTEXT_BIT") || cap("VMX_VPID_EXTENT_GLOBAL_CONTEXT_BIT"));
  const eptAd = (options.eptAd ?? true) && ept && cap("VMX_EPT_AD_BIT");
  const unrestrictedGuest = (options.unrestrictedGuest ?? true) && ept && has("SECONDARY_EXEC_UNRESTRICTED_GUEST");
  const flexpriority = (options.flexpriority ?? true) && has("CPU_BASED_TPR_SHADOW") && has("SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES");
  const apicv =
    (options.apicv ?? true) && has("SECONDARY_EXEC_APIC_REGISTER_VIRT") && has("SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY") && has("PIN_BASED_POSTED_INTR");
  const sgx = (options.sgx ?? true) && has("SECONDARY_EXEC_ENCLS_EXITING");
  const basic = hostMsr("IA32_VMX_BASIC");
  const noHwErrorCodeCc = (basic & layoutBit("IA32_VMX_BASIC", "VMX_BASIC_NO_HW_ERROR_CODE_CC")) !== 0n;
  const cet = options.cet ?? (has("VM_ENTRY_LOAD_CET_STATE") && unrestrictedGuest && noHwErrorCodeCc);
  const conditions: Record<NestedCondition, boolean> = {
    apicv,
    ept,
    eptAd,
    vpid,
    unrestrictedGuest,
    flexpriority,
    sgx,
    cet,
    vmfunc: ept && has("SECONDARY_EXEC_ENABLE_VMFUNC"),
  };

  // nested_vmx_setup_{pinbased,exit,entry,cpubased,secondary}_ctls and the EPTP-switching VM function.
  const words = {} as Record<ControlWordId, NestedWord>;
  for (const id of CONTROL_WORD_IDS) {
    const rules: readonly NestedControlRule[] = NESTED_CONTROL_RULES[id];
    const default1 = CONTROL_WORD_MASKS[id].default1;
    let low = default1;
    let high = default1;
    for (const rule of rules) {
      if (rule.when !== undefined && !conditions[rule.when]) continue;
      const bit = bitOf(rule.name);
      if (rule.treatment === "emulated" || has(rule.name)) high |= bit;
      if (rule.freeZero === true) low &= ~bit;
    }
    words[id] = { low, high };
  }

  // Per-vCPU adjustments once userspace sets L1's CPUID.
  const guest = options.guestCpuid;
  let cr0Fixed1 = hostMsr("IA32_VMX_CR0_FIXED1");
  let cr4Fixed1 = hostMsr("IA32_VMX_CR4_FIXED1");
  const hostUmip = options.hostUmip ?? (cr4Fixed1 & CR4_MASK.X86_CR4_UMIP) !== 0n;
  if (!hostUmip && has("SECONDARY_EXEC_DESC")) cr4Fixed1 |= CR4_MASK.X86_CR4_UMIP; // vmx_umip_emulated()
  if (guest !== undefined) {
    const flags = new Set(guest.flags);
    for (const rule of NESTED_GUEST_CPUID_RULES as readonly GuestCpuidControlRule[]) {
      const enabled = (rule.allOf ?? []).every((f) => flags.has(f)) && (rule.anyOf === undefined || rule.anyOf.some((f) => flags.has(f)));
      for (const name of rule.controls) {
        if (!has(name)) continue; // only for controls KVM itself has (cpu_has_vmx_*)
        const word = words[controlByName(name)!.word];
        word.high = enabled ? word.high | bitOf(name) : word.high & ~bitOf(name);
      }
    }
    if (guest.perfGlobalCtrl !== undefined) {
      for (const name of ["VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL", "VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL"] as const) {
        const word = words[controlByName(name)!.word];
        word.high = guest.perfGlobalCtrl ? word.high | bitOf(name) : word.high & ~bitOf(name);
      }
    }
    cr0Fixed1 = 0xffffffffn;
    cr4Fixed1 = CR4_MASK.X86_CR4_PCE;
    for (const { bit, flag } of NESTED_CR4_FIXED1_BY_CPUID) if (flags.has(flag)) cr4Fixed1 |= CR4_MASK[bit];
  }

  // nested_vmx_setup_secondary_ctls(): EPT and VPID capabilities.
  let eptCaps = 0n;
  if (ept) {
    const fromHost = ["VMX_EPT_PAGE_WALK_4_BIT", "VMX_EPT_PAGE_WALK_5_BIT", "VMX_EPTP_WB_BIT", "VMX_EPT_INVEPT_BIT", "VMX_EPT_EXECUTE_ONLY_BIT"];
    const always = ["VMX_EPT_EXTENT_GLOBAL_BIT", "VMX_EPT_EXTENT_CONTEXT_BIT", "VMX_EPT_2MB_PAGE_BIT", "VMX_EPT_1GB_PAGE_BIT"];
    for (const name of fromHost) eptCaps |= eptVpid & EPT_BIT(name);
    for (const name of always) eptCaps |= EPT_BIT(name);
    if (eptAd) eptCaps |= EPT_BIT("VMX_EPT_AD_BIT");
  }
  if (vpid) {
    // All four INVVPID types, even single-context: old L1 KVMs use it without checking.
    for (const name of ["VMX_VPID_INVVPID_BIT", "VMX_VPID_EXTENT_INDIVIDUAL_ADDR_BIT", "VMX_VPID_EXTENT_SINGLE_CONTEXT_BIT", "VMX_VPID_EXTENT_GLOBAL_CONTEXT_BIT", "VMX_VPID_EXTENT_SINGLE_NON_GLOBAL_BIT"]) {
      eptCaps |= EPT_BIT(name);
    }
  }

  // nested_vmx_setup_misc_data(): only "store EFER.LMA" comes from the host.
  const misc =
    (hostMsr("IA32_VMX_MISC") & layoutBit("IA32_VMX_MISC", "VMX_MISC_SAVE_EFER_LMA")) |
    layoutBit("IA32_VMX_MISC", "VMX_MISC_VMWRITE_SHADOW_RO_FIELDS") |
    BigInt(NESTED_PREEMPTION_TIMER_RATE) |
    layoutBit("IA32_VMX_MISC", "VMX_MISC_ACTIVITY_HLT") |
    layoutBit("IA32_VMX_MISC", "VMX_MISC_ACTIVITY_WAIT_SIPI");

  // nested_vmx_setup_basic(): KVM's own VMCS layout, TRUE controls; INS/OUTS info and the
  // relaxed error-code check only if the host has them.
  let nestedBasic =
    BigInt(VMCS12_REVISION) |
    (BigInt(VMCS12_SIZE) << layoutFieldShift("IA32_VMX_BASIC", "VMX_BASIC_VMCS_SIZE")) |
    (X86_MEMTYPE_WB << layoutFieldShift("IA32_VMX_BASIC", "VMX_BASIC_MEM_TYPE")) |
    layoutBit("IA32_VMX_BASIC", "VMX_BASIC_TRUE_CTLS");
  for (const name of ["VMX_BASIC_INOUT", "VMX_BASIC_NO_HW_ERROR_CODE_CC"]) nestedBasic |= basic & layoutBit("IA32_VMX_BASIC", name);

  // nested_vmx_setup_vmcs12_fields() and nested_vmx_calc_vmcs_enum_msr().
  const vmcs12Fields = KVM_VMCS12_FIELDS.filter((f) => f.requires === undefined || has(f.requires)).map((f) => f.name);
  const maxIndex = Math.max(...vmcs12Fields.map(vmcs12FieldIndex));

  // vmx_get_vmx_msr(): the non-TRUE MSRs report the default1 class as must-be-1.
  const control = (id: ControlWordId, withDefault1: boolean) => {
    const { low, high } = words[id];
    return (withDefault1 ? low | CONTROL_WORD_MASKS[id].default1 : low) | (high << 32n);
  };
  const values: [MsrName, bigint][] = [
    ["IA32_VMX_BASIC", nestedBasic],
    ["IA32_VMX_PINBASED_CTLS", control("pin", true)],
    ["IA32_VMX_PROCBASED_CTLS", control("proc", true)],
    ["IA32_VMX_EXIT_CTLS", control("exit", true)],
    ["IA32_VMX_ENTRY_CTLS", control("entry", true)],
    ["IA32_VMX_MISC", misc],
    ["IA32_VMX_CR0_FIXED0", CR0_FIXED0],
    ["IA32_VMX_CR0_FIXED1", cr0Fixed1],
    ["IA32_VMX_CR4_FIXED0", CR4_MASK.X86_CR4_VMXE],
    ["IA32_VMX_CR4_FIXED1", cr4Fixed1],
    ["IA32_VMX_VMCS_ENUM", BigInt(maxIndex) << 1n],
    ["IA32_VMX_PROCBASED_CTLS2", control("proc2", false)],
    ["IA32_VMX_EPT_VPID_CAP", eptCaps],
    ["IA32_VMX_TRUE_PINBASED_CTLS", control("pin", false)],
    ["IA32_VMX_TRUE_PROCBASED_CTLS", control("proc", false)],
    ["IA32_VMX_TRUE_EXIT_CTLS", control("exit", false)],
    ["IA32_VMX_TRUE_ENTRY_CTLS", control("entry", false)],
    ["IA32_VMX_VMFUNC", words.vmfunc.high],
  ];
  const msrs = new Map(values.map(([name, value]) => [msrIndex(name), value]));

  const controls: NestedControl[] = [];
  for (const id of CONTROL_WORD_IDS) {
    const rules: readonly NestedControlRule[] = NESTED_CONTROL_RULES[id];
    for (const def of CONTROL_WORDS[id].bits as readonly ControlBitDef[]) {
      const rule = rules.find((r) => r.name === def.name);
      const advertised = ((words[id].high >> BigInt(def.bit)) & 1n) === 1n;
      const entry: NestedControl =
        rule === undefined
          ? { name: def.name, word: id, treatment: "hidden", advertised }
          : { name: def.name, word: id, treatment: rule.treatment, advertised, ...(rule.note === undefined ? {} : { note: rule.note }) };
      controls.push(Object.freeze(entry));
    }
  }
  return Object.freeze({ msrs, controls: Object.freeze(controls), vmcs12Fields: Object.freeze(vmcs12Fields) });
}
