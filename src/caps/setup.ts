/**
 * KVM's `setup_vmcs_config()` (arch/x86/kvm/vmx/vmx.c): the control words kvm_intel would use on
 * a processor, computed from its VMX capability MSRs — the required controls it refuses to run
 * without, the optional controls it takes where the CPU allows them, the bits the CPU forces to 1,
 * the VM-entry/VM-exit control pairs of which only one half is supported, the EPT/VPID
 * capabilities reported without their control, and the later adjustments KVM makes for errata and
 * for controls that depend on other controls.
 *
 * Modelled on upstream Linux 7.0 (CET state controls since 6.18, the mediated vPMU's
 * "save IA32_PERF_GLOBAL_CTRL" from the kvm-x86-pmu-6.20 merge), a 64-bit kernel (CONFIG_X86_64)
 * not running on Hyper-V (no eVMCS sanitising). The required/optional lists are data
 * ({@link KVM_CONTROL_LISTS}); so are the entry/exit pairs, the capability consistency rules and
 * the errata tables. Every name is Linux's (asm/vmx.h), typed against {@link CONTROL_WORDS}.
 *
 * KVM reads the non-TRUE capability MSRs here (MSR_IA32_VMX_PROCBASED_CTLS etc.), so the default1
 * class (A.2) is always forced to 1 — which is why CR3-load/-store exiting are in KVM's required
 * list. The MSR map gives what RDMSR returns; an absent MSR reads as 0, as KVM's `rdmsr_safe()`
 * of IA32_VMX_EPT_VPID_CAP leaves 0 behind when the MSR faults.
 *
 * KVM stops at the first fatal problem and prints each warning once (pr_warn_once); this model
 * reports every problem and every warning, in the order KVM would meet them.
 */
import { controlByName, controlsSetIn, type ControlName } from "../arch/controls.js";
import { MSR_BY_NAME, MSR_LAYOUTS, extractField, type MsrName } from "../arch/msrs.js";
import { formatHexBig, hiOf, loOf } from "../u64/halves.js";

/** The upstream KVM this module follows, for reports and tests. */
export const KVM_SETUP_MODEL = Object.freeze({
  kernel: "Linux 7.0",
  functions: "arch/x86/kvm/vmx/vmx.c: setup_vmcs_config(), adjust_vmx_controls(), adjust_vmx_controls64()",
  lists: "arch/x86/kvm/vmx/vmx.h: KVM_REQUIRED_VMX_* / KVM_OPTIONAL_VMX_*",
  config: "CONFIG_X86_64=y, CONFIG_KVM_INTEL_PROVE_VE per SetupOptions.proveVe, not on Hyper-V",
});

/** The control words `setup_vmcs_config()` computes (no secondary VM-exit controls upstream). */
export type SetupWordId = "pin" | "proc" | "proc2" | "proc3" | "exit" | "entry";

/** The words in the order of {@link SetupResult.controls} and of `enabled`. */
export const SETUP_WORD_IDS: readonly SetupWordId[] = Object.freeze(["pin", "proc", "proc2", "proc3", "exit", "entry"]);

/** How KVM adjusts one control word: its capability MSR and KVM's two lists for it. */
export interface KvmControlListDef {
  readonly word: SetupWordId;
  /** The (non-TRUE) capability MSR KVM reads. */
  readonly msr: MsrName;
  /** The vmx.h macro of the controls KVM cannot run without (absent: KVM requires none). */
  readonly requiredMacro?: string;
  readonly required: readonly ControlName[];
  /** The vmx.h macro of the controls KVM uses when the CPU allows them. */
  readonly optionalMacro: string;
  readonly optional: readonly ControlName[];
  /**
   * The control that must have been granted for KVM to read this word's MSR at all (the
   * secondary and tertiary words); absent: always read.
   */
  readonly readIf?: ControlName;
}

/**
 * KVM's required and optional controls per word, in the order `setup_vmcs_config()` adjusts
 * them (primary, secondary, tertiary, exit, pin-based, entry). Source: arch/x86/kvm/vmx/vmx.h,
 * 64-bit kernel (the 32-bit-only variants drop CR8 exiting, host address-space size and IA-32e
 * mode from the required lists).
 */
export const KVM_CONTROL_LISTS = [
  {
    word: "proc",
    msr: "IA32_VMX_PROCBASED_CTLS",
    requiredMacro: "KVM_REQUIRED_VMX_CPU_BASED_VM_EXEC_CONTROL",
    required: [
      "CPU_BASED_HLT_EXITING",
      "CPU_BASED_CR3_LOAD_EXITING",
      "CPU_BASED_CR3_STORE_EXITING",
      "CPU_BASED_UNCOND_IO_EXITING",
      "CPU_BASED_MOV_DR_EXITING",
      "CPU_BASED_USE_TSC_OFFSETTING",
      "CPU_BASED_MWAIT_EXITING",
      "CPU_BASED_MONITOR_EXITING",
      "CPU_BASED_INVLPG_EXITING",
      "CPU_BASED_RDPMC_EXITING",
      "CPU_BASED_INTR_WINDOW_EXITING",
      // 64-bit kernels only.
      "CPU_BASED_CR8_LOAD_EXITING",
      "CPU_BASED_CR8_STORE_EXITING",
    ],
    optionalMacro: "KVM_OPTIONAL_VMX_CPU_BASED_VM_EXEC_CONTROL",
    optional: [
      "CPU_BASED_RDTSC_EXITING",
      "CPU_BASED_TPR_SHADOW",
      "CPU_BASED_USE_IO_BITMAPS",
      "CPU_BASED_MONITOR_TRAP_FLAG",
      "CPU_BASED_USE_MSR_BITMAPS",
      "CPU_BASED_NMI_WINDOW_EXITING",
      "CPU_BASED_PAUSE_EXITING",
      "CPU_BASED_ACTIVATE_SECONDARY_CONTROLS",
      "CPU_BASED_ACTIVATE_TERTIARY_CONTROLS",
    ],
  },
  {
    word: "proc2",
    msr: "IA32_VMX_PROCBASED_CTLS2",
    required: [],
    optionalMacro: "KVM_OPTIONAL_VMX_SECONDARY_VM_EXEC_CONTROL",
    optional: [
      "SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES",
      "SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE",
      "SECONDARY_EXEC_WBINVD_EXITING",
      "SECONDARY_EXEC_ENABLE_VPID",
      "SECONDARY_EXEC_ENABLE_EPT",
      "SECONDARY_EXEC_UNRESTRICTED_GUEST",
      "SECONDARY_EXEC_PAUSE_LOOP_EXITING",
      "SECONDARY_EXEC_DESC",
      "SECONDARY_EXEC_ENABLE_RDTSCP",
      "SECONDARY_EXEC_ENABLE_INVPCID",
      "SECONDARY_EXEC_APIC_REGISTER_VIRT",
      "SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY",
      "SECONDARY_EXEC_SHADOW_VMCS",
      "SECONDARY_EXEC_ENABLE_XSAVES",
      "SECONDARY_EXEC_RDSEED_EXITING",
      "SECONDARY_EXEC_RDRAND_EXITING",
      "SECONDARY_EXEC_ENABLE_PML",
      "SECONDARY_EXEC_TSC_SCALING",
      "SECONDARY_EXEC_ENABLE_USR_WAIT_PAUSE",
      "SECONDARY_EXEC_PT_USE_GPA",
      "SECONDARY_EXEC_PT_CONCEAL_VMX",
      "SECONDARY_EXEC_ENABLE_VMFUNC",
      "SECONDARY_EXEC_BUS_LOCK_DETECTION",
      "SECONDARY_EXEC_NOTIFY_VM_EXITING",
      "SECONDARY_EXEC_ENCLS_EXITING",
      "SECONDARY_EXEC_EPT_VIOLATION_VE",
    ],
    readIf: "CPU_BASED_ACTIVATE_SECONDARY_CONTROLS",
  },
  {
    word: "proc3",
    msr: "IA32_VMX_PROCBASED_CTLS3",
    required: [],
    optionalMacro: "KVM_OPTIONAL_VMX_TERTIARY_VM_EXEC_CONTROL",
    optional: ["TERTIARY_EXEC_IPI_VIRT"],
    readIf: "CPU_BASED_ACTIVATE_TERTIARY_CONTROLS",
  },
  {
    word: "exit",
    msr: "IA32_VMX_EXIT_CTLS",
    requiredMacro: "KVM_REQUIRED_VMX_VM_EXIT_CONTROLS",
    // VM_EXIT_HOST_ADDR_SPACE_SIZE: 64-bit kernels only.
    required: ["VM_EXIT_SAVE_DEBUG_CONTROLS", "VM_EXIT_ACK_INTR_ON_EXIT", "VM_EXIT_HOST_ADDR_SPACE_SIZE"],
    optionalMacro: "KVM_OPTIONAL_VMX_VM_EXIT_CONTROLS",
    optional: [
      "VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL",
      "VM_EXIT_SAVE_IA32_PAT",
      "VM_EXIT_LOAD_IA32_PAT",
      "VM_EXIT_SAVE_IA32_EFER",
      "VM_EXIT_SAVE_VMX_PREEMPTION_TIMER",
      "VM_EXIT_LOAD_IA32_EFER",
      "VM_EXIT_CLEAR_BNDCFGS",
      "VM_EXIT_PT_CONCEAL_PIP",
      "VM_EXIT_CLEAR_IA32_RTIT_CTL",
      // Linux 6.18 (CET virtualization).
      "VM_EXIT_LOAD_CET_STATE",
      // Linux 7.0 (mediated vPMU).
      "VM_EXIT_SAVE_IA32_PERF_GLOBAL_CTRL",
    ],
  },
  {
    word: "pin",
    msr: "IA32_VMX_PINBASED_CTLS",
    requiredMacro: "KVM_REQUIRED_VMX_PIN_BASED_VM_EXEC_CONTROL",
    required: ["PIN_BASED_EXT_INTR_MASK", "PIN_BASED_NMI_EXITING"],
    optionalMacro: "KVM_OPTIONAL_VMX_PIN_BASED_VM_EXEC_CONTROL",
    optional: ["PIN_BASED_VIRTUAL_NMIS", "PIN_BASED_POSTED_INTR", "PIN_BASED_VMX_PREEMPTION_TIMER"],
  },
  {
    word: "entry",
    msr: "IA32_VMX_ENTRY_CTLS",
    requiredMacro: "KVM_REQUIRED_VMX_VM_ENTRY_CONTROLS",
    // VM_ENTRY_IA32E_MODE: 64-bit kernels only.
    required: ["VM_ENTRY_LOAD_DEBUG_CONTROLS", "VM_ENTRY_IA32E_MODE"],
    optionalMacro: "KVM_OPTIONAL_VMX_VM_ENTRY_CONTROLS",
    optional: [
      "VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL",
      "VM_ENTRY_LOAD_IA32_PAT",
      "VM_ENTRY_LOAD_IA32_EFER",
      "VM_ENTRY_LOAD_BNDCFGS",
      "VM_ENTRY_PT_CONCEAL_PIP",
      "VM_ENTRY_LOAD_IA32_RTIT_CTL",
      // Linux 6.18 (CET virtualization).
      "VM_ENTRY_LOAD_CET_STATE",
    ],
  },
] as const satisfies readonly KvmControlListDef[];

/** A VM-entry control and the VM-exit control KVM insists on together with it. */
export interface KvmEntryExitPair {
  readonly entry: ControlName;
  readonly exit: ControlName;
}

/**
 * `vmcs_entry_exit_pairs` of setup_vmcs_config(): the entry/exit controls KVM uses only as a pair.
 * The debug-control pair is absent because both halves are required; the save-PAT/-EFER exit
 * controls have no entry half because KVM never needs them for itself.
 */
export const KVM_ENTRY_EXIT_PAIRS = [
  { entry: "VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL", exit: "VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL" },
  { entry: "VM_ENTRY_LOAD_IA32_PAT", exit: "VM_EXIT_LOAD_IA32_PAT" },
  { entry: "VM_ENTRY_LOAD_IA32_EFER", exit: "VM_EXIT_LOAD_IA32_EFER" },
  { entry: "VM_ENTRY_LOAD_BNDCFGS", exit: "VM_EXIT_CLEAR_BNDCFGS" },
  { entry: "VM_ENTRY_LOAD_IA32_RTIT_CTL", exit: "VM_EXIT_CLEAR_IA32_RTIT_CTL" },
  // Linux 6.18.
  { entry: "VM_ENTRY_LOAD_CET_STATE", exit: "VM_EXIT_LOAD_CET_STATE" },
] as const satisfies readonly KvmEntryExitPair[];

/** A capability KVM refuses to see reported without the control that uses it. */
export interface KvmCapConsistencyRule {
  readonly cap: "EPT" | "VPID";
  /** The half of IA32_VMX_EPT_VPID_CAP KVM keeps for this capability (vmx_capability.ept/.vpid). */
  readonly half: "lo" | "hi";
  /** The secondary control whose 1-setting must be allowed when the capability is non-zero. */
  readonly control: ControlName;
  /** Controls KVM drops as well when it clears the capability instead of failing. */
  readonly alsoDrop: readonly ControlName[];
  /** The warning KVM prints (pr_warn_once), as it prints it. */
  readonly warning: string;
}

/** The EPT/VPID capability checks of setup_vmcs_config(), in KVM's order. */
export const KVM_CAP_CONSISTENCY = [
  {
    cap: "EPT",
    half: "lo",
    control: "SECONDARY_EXEC_ENABLE_EPT",
    alsoDrop: ["SECONDARY_EXEC_EPT_VIOLATION_VE"],
    warning: "EPT CAP should not exist if not support 1-setting enable EPT VM-execution control",
  },
  {
    cap: "VPID",
    half: "hi",
    control: "SECONDARY_EXEC_ENABLE_VPID",
    alsoDrop: [],
    warning: "VPID CAP should not exist if not support 1-setting enable VPID VM-execution control",
  },
] as const satisfies readonly KvmCapConsistencyRule[];

/** A control KVM drops unless another control it depends on survived. */
export interface KvmControlDependency {
  readonly drop: readonly ControlName[];
  readonly unless: ControlName;
  readonly why: string;
}

/**
 * The dependent drops of setup_vmcs_config(): applied right after the words they read are known
 * (the TPR-shadow rule after the secondary controls, the posted-interrupt rule after the
 * pin-based controls).
 */
export const KVM_CONTROL_DEPENDENCIES = {
  tprShadow: {
    drop: ["SECONDARY_EXEC_APIC_REGISTER_VIRT", "SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE", "SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY"],
    unless: "CPU_BASED_TPR_SHADOW",
    why: "APIC virtualization needs the TPR shadow (virtual-APIC page)",
  },
  postedInterrupts: {
    drop: ["PIN_BASED_POSTED_INTR"],
    unless: "SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY",
    why: "KVM uses posted interrupts only together with virtual-interrupt delivery",
  },
} as const satisfies Record<string, KvmControlDependency>;

/**
 * CPUID.01H:EAX signatures (reserved bits 15:14 and 31:28 cleared) of the processors whose
 * VMX-preemption timer KVM does not trust (`vmx_preemption_cpu_tfms[]`, taken from VirtualBox's
 * HMR0.cpp): KVM drops PIN_BASED_VMX_PREEMPTION_TIMER on them.
 */
export const KVM_BROKEN_PREEMPTION_TIMER_SIGNATURES = [
  { signature: 0x000206e6, parts: "Xeon 7500 series, stepping D0 (erratum BA86)" },
  { signature: 0x00020652, parts: "Xeon L3406; Core i7-600/i5-500/i5-400/i3-300 mobile; i5-600/i3-500 desktop, Pentium G6950 (C2; AAX65, AAT59, AAU65)" },
  { signature: 0x00020655, parts: "Core i5-600/i3-500 desktop, Pentium G6950 (K0; AAU65)" },
  { signature: 0x000106e5, parts: "Xeon 3400; Core i7-800/i5-700 desktop; i7-900/800/700 mobile (B1; AAO95, AAN92, AAP86)" },
  { signature: 0x000106a0, parts: "Xeon 3500 (C0; AAM126)" },
  { signature: 0x000106a1, parts: "Xeon 3500 (C1; AAM126)" },
  { signature: 0x000106a4, parts: "Core i7-900 desktop and Extreme (C0; AAJ124)" },
  { signature: 0x000106a5, parts: "Xeon 3500/5500, Core i7-900 (D0; AAM126, AAK139, AAJ124)" },
  { signature: 0x000306a8, parts: "Xeon E3-1220 v2" },
] as const;

/**
 * Family-6 models whose VM exits may clear IA32_PERF_GLOBAL_CTRL[34:32] when the "load
 * IA32_PERF_GLOBAL_CTRL" controls are used: KVM drops both halves of that pair on them and
 * switches the MSR through the MSR-load lists instead (it warns "VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL
 * does not work properly. Using workaround").
 */
export const KVM_PERF_GLOBAL_CTRL_ERRATUM_MODELS = [
  { model: 0x1a, name: "INTEL_NEHALEM_EP", erratum: "AAK155" },
  { model: 0x1e, name: "INTEL_NEHALEM", erratum: "AAP115" },
  { model: 0x25, name: "INTEL_WESTMERE", erratum: "AAT100" },
  { model: 0x2c, name: "INTEL_WESTMERE_EP", erratum: "BC86, AAY89, BD102" },
  { model: 0x2e, name: "INTEL_NEHALEM_EX", erratum: "BA97" },
] as const;

/** The warning KVM prints when it applies the PERF_GLOBAL_CTRL erratum workaround. */
export const PERF_GLOBAL_CTRL_ERRATUM_WARNING = "VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL does not work properly. Using workaround";

/** How to run setup_vmcs_config(). */
export interface SetupOptions {
  /** kvm_intel.error_on_inconsistent_vmcs_config (default true). */
  readonly errorOnInconsistent: boolean;
  /**
   * CPUID.01H:EAX of the host, for the errata KVM keys on family/model/stepping (broken
   * preemption timer, PERF_GLOBAL_CTRL). Absent: no erratum applies.
   */
  readonly cpuSignature?: number;
  /**
   * Whether CPUID enumerates SGX (leaf 12H, EAX[0]); without it KVM drops ENCLS exiting.
   * Default true: KVM keeps ENCLS exiting wherever the CPU allows it.
   */
  readonly sgx: boolean;
  /** CONFIG_KVM_INTEL_PROVE_VE: keep EPT-violation #VE (default false: KVM drops it). */
  readonly proveVe: boolean;
}

const DEFAULT_OPTIONS: SetupOptions = Object.freeze({ errorOnInconsistent: true, sgx: true, proveVe: false });

/** What setup_vmcs_config() makes of a processor. */
export interface SetupResult {
  readonly rejected: boolean;
  /** Why the configuration is rejected, and the warnings KVM prints (prefixed "warning: "). */
  readonly reasons: readonly string[];
  /** Both halves (entry first) of every entry/exit pair with only one half supported. */
  readonly droppedPairs: readonly string[];
  /** The capabilities reported without their control (whether rejected or cleared). */
  readonly inconsistentCaps: readonly ("EPT" | "VPID")[];
  /** The control words KVM would use; absent when rejected. */
  readonly controls?: Readonly<Record<SetupWordId, bigint>>;
  /** Linux names of every control set in `controls`, word by word in bit order; absent when rejected. */
  readonly enabled?: readonly string[];
  /**
   * IA32_VMX_EPT_VPID_CAP as KVM keeps it (vmx_capability: EPT half in bits 31:0, VPID half in
   * 63:32), after clearing an inconsistent half; absent when rejected.
   */
  readonly eptVpidCap?: bigint;
}

type Words = Record<SetupWordId, bigint>;

function msrValue(msrs: ReadonlyMap<number, bigint>, name: MsrName): bigint {
  return msrs.get(MSR_BY_NAME.get(name)!.index) ?? 0n;
}

function maskOf(names: readonly ControlName[]): bigint {
  let mask = 0n;
  for (const name of names) mask |= 1n << BigInt(controlByName(name)!.bit);
  return mask;
}

function has(words: Words, name: ControlName): boolean {
  const control = controlByName(name)!;
  return ((words[control.word as SetupWordId] >> BigInt(control.bit)) & 1n) === 1n;
}

function clear(words: Words, names: readonly ControlName[]): void {
  for (const name of names) {
    const control = controlByName(name)!;
    words[control.word as SetupWordId] &= ~(1n << BigInt(control.bit));
  }
}

/**
 * `adjust_vmx_controls()`: (required | optional) limited to the allowed 1-settings (bits 63:32),
 * then every bit whose allowed 0-setting is 1 (bits 31:0) forced on. Returns the word and the
 * required controls the CPU does not allow.
 */
function adjust32(msr: bigint, required: readonly ControlName[], optional: readonly ControlName[]): { value: bigint; missing: ControlName[] } {
  const allowed1 = BigInt(hiOf(msr));
  const mustBe1 = BigInt(loOf(msr));
  const value = ((maskOf(required) | maskOf(optional)) & allowed1) | mustBe1;
  const missing = required.filter((name) => ((value >> BigInt(controlByName(name)!.bit)) & 1n) === 0n);
  return { value, missing };
}

/** `adjust_vmx_controls64()`: the optional controls the 64-bit allowed-1 MSR allows; none is required. */
function adjust64(msr: bigint, optional: readonly ControlName[]): bigint {
  return maskOf(optional) & msr;
}

/** The family and model boot_cpu_data would hold for a CPUID.01H:EAX value. */
export function familyModelOf(signature: number): { family: number; model: number } {
  const baseFamily = (signature >>> 8) & 0xf;
  const family = baseFamily === 0xf ? baseFamily + ((signature >>> 20) & 0xff) : baseFamily;
  const baseModel = (signature >>> 4) & 0xf;
  const model = baseFamily === 0x6 || baseFamily === 0xf ? baseModel | (((signature >>> 16) & 0xf) << 4) : baseModel;
  return { family, model };
}

const BASIC_SIZE = MSR_LAYOUTS.IA32_VMX_BASIC.fields.find((f) => f.name === "VMX_BASIC_VMCS_SIZE")!;
const BASIC_MEM_TYPE = MSR_LAYOUTS.IA32_VMX_BASIC.fields.find((f) => f.name === "VMX_BASIC_MEM_TYPE")!;
const BASIC_32BIT_ONLY = MSR_LAYOUTS.IA32_VMX_BASIC.bits.find((b) => b.name === "VMX_BASIC_32BIT_PHYS_ADDR_ONLY")!;
/** X86_MEMTYPE_WB: the only VMCS memory type KVM accepts. */
const MEMTYPE_WB = 6;
/** PAGE_SIZE: KVM allocates one page per VMCS. */
const PAGE_SIZE = 4096;

/**
 * Runs KVM's setup_vmcs_config() on the capability MSRs of a processor (index → value; absent
 * MSRs read as 0). By default an unpaired entry/exit control or an EPT/VPID capability without its
 * control rejects the configuration (error_on_inconsistent_vmcs_config=Y); with
 * `errorOnInconsistent: false` both halves of each unpaired control are dropped and the
 * inconsistent capability is cleared. Every problem is reported, in the order KVM meets them,
 * although KVM itself stops at the first fatal one.
 */
export function setupVmcsConfig(msrs: ReadonlyMap<number, bigint>, options: Partial<SetupOptions> = {}): SetupResult {
  const opts: SetupOptions = { ...DEFAULT_OPTIONS, ...options };
  const fatal: string[] = [];
  const reasons: string[] = [];
  const reject = (reason: string) => {
    fatal.push(reason);
    reasons.push(reason);
  };
  const warn = (warning: string) => reasons.push(`warning: ${warning}`);

  const words: Words = { pin: 0n, proc: 0n, proc2: 0n, proc3: 0n, exit: 0n, entry: 0n };
  const lists = Object.fromEntries(KVM_CONTROL_LISTS.map((l) => [l.word, l as KvmControlListDef])) as Record<SetupWordId, KvmControlListDef>;

  const adjustWord = (word: SetupWordId) => {
    const list = lists[word];
    if (list.readIf !== undefined && !has(words, list.readIf)) return;
    const msr = msrValue(msrs, list.msr);
    if (word === "proc3") {
      words.proc3 = adjust64(msr, list.optional);
      return;
    }
    const { value, missing } = adjust32(msr, list.required, list.optional);
    words[word] = value;
    for (const name of missing) {
      reject(`${list.msr} (${formatHexBig(msr)}) does not allow the 1-setting of ${name}, which KVM requires (${list.requiredMacro})`);
    }
  };

  // Primary, then secondary processor-based controls.
  adjustWord("proc");
  adjustWord("proc2");
  if (!opts.proveVe) clear(words, ["SECONDARY_EXEC_EPT_VIOLATION_VE"]);
  const tpr = KVM_CONTROL_DEPENDENCIES.tprShadow;
  if (!has(words, tpr.unless)) clear(words, tpr.drop);

  // EPT/VPID capabilities reported without their control.
  const capMsr = msrValue(msrs, "IA32_VMX_EPT_VPID_CAP");
  const caps = { lo: loOf(capMsr), hi: hiOf(capMsr) };
  const inconsistentCaps: ("EPT" | "VPID")[] = [];
  for (const rule of KVM_CAP_CONSISTENCY) {
    if (has(words, rule.control) || caps[rule.half] === 0) continue;
    inconsistentCaps.push(rule.cap);
    warn(rule.warning);
    if (opts.errorOnInconsistent) {
      reject(`IA32_VMX_EPT_VPID_CAP reports ${rule.cap} capabilities (${formatHexBig(BigInt(caps[rule.half]))}) without the 1-setting of ${rule.control} (error_on_inconsistent_vmcs_config=Y)`);
    } else {
      caps[rule.half] = 0;
      clear(words, rule.alsoDrop);
    }
  }

  if (!opts.sgx) clear(words, ["SECONDARY_EXEC_ENCLS_EXITING"]);
  adjustWord("proc3");
  adjustWord("exit");
  adjustWord("pin");

  const signature = opts.cpuSignature;
  if (signature !== undefined) {
    const masked = (signature & ~((0x3 << 14) | (0xf << 28))) >>> 0;
    if (KVM_BROKEN_PREEMPTION_TIMER_SIGNATURES.some((e) => e.signature === masked)) clear(words, ["PIN_BASED_VMX_PREEMPTION_TIMER"]);
  }
  const posted = KVM_CONTROL_DEPENDENCIES.postedInterrupts;
  if (!has(words, posted.unless)) clear(words, posted.drop);

  adjustWord("entry");

  // Entry/exit pairs: both halves or neither.
  const droppedPairs: string[] = [];
  for (const pair of KVM_ENTRY_EXIT_PAIRS) {
    const entry = has(words, pair.entry);
    const exit = has(words, pair.exit);
    if (entry === exit) continue;
    droppedPairs.push(pair.entry, pair.exit);
    const entryBits = entry ? formatHexBig(maskOf([pair.entry])) : "0";
    const exitBits = exit ? formatHexBig(maskOf([pair.exit])) : "0";
    warn(`Inconsistent VM-Entry/VM-Exit pair, entry = ${entryBits.replace(/^0x/, "")}, exit = ${exitBits.replace(/^0x/, "")} (${pair.entry} = ${Number(entry)}, ${pair.exit} = ${Number(exit)})`);
    if (opts.errorOnInconsistent) {
      reject(`only one half of the pair ${pair.entry}/${pair.exit} is supported (error_on_inconsistent_vmcs_config=Y)`);
    } else {
      clear(words, [pair.entry, pair.exit]);
    }
  }

  // The PERF_GLOBAL_CTRL erratum of Nehalem/Westmere: drop both halves after the pair check.
  if (signature !== undefined) {
    const { family, model } = familyModelOf(signature);
    if (family === 6 && KVM_PERF_GLOBAL_CTRL_ERRATUM_MODELS.some((e) => e.model === model)) {
      clear(words, ["VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL", "VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL"]);
      warn(PERF_GLOBAL_CTRL_ERRATUM_WARNING);
    }
  }

  // IA32_VMX_BASIC: one page per VMCS, 64-bit physical addresses, write-back VMCS memory.
  const basic = msrValue(msrs, "IA32_VMX_BASIC");
  const basicLo = loOf(basic);
  const basicHi = hiOf(basic);
  const size = extractField(basicLo, basicHi, BASIC_SIZE);
  if (size > PAGE_SIZE) reject(`IA32_VMX_BASIC reports a VMCS size of ${size} bytes, more than the ${PAGE_SIZE}-byte page KVM allocates`);
  if (((basic >> BigInt(BASIC_32BIT_ONLY.bit)) & 1n) === 1n) {
    reject(`IA32_VMX_BASIC[${BASIC_32BIT_ONLY.bit}] = 1 (physical addresses limited to 32 bits), which a 64-bit KVM refuses`);
  }
  const memType = extractField(basicLo, basicHi, BASIC_MEM_TYPE);
  if (memType !== MEMTYPE_WB) reject(`IA32_VMX_BASIC reports VMCS memory type ${memType}; KVM requires write-back (${MEMTYPE_WB})`);

  const base = { reasons: Object.freeze(reasons), droppedPairs: Object.freeze(droppedPairs), inconsistentCaps: Object.freeze(inconsistentCaps) };
  if (fatal.length > 0) return Object.freeze({ rejected: true, ...base });

  const enabled: string[] = [];
  for (const word of SETUP_WORD_IDS) enabled.push(...controlsSetIn(word, loOf(words[word]), hiOf(words[word])));
  return Object.freeze({
    rejected: false,
    ...base,
    controls: Object.freeze({ ...words }),
    enabled: Object.freeze(enabled),
    eptVpidCap: (BigInt(caps.hi) << 32n) | BigInt(caps.lo),
  });
}
