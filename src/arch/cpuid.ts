/**
 * CPUID feature flags that change architectural behaviour nvmx models (which CR4/EFER bits may be
 * set, which MSRs exist, linear-address width). Names are Linux's /proc/cpuinfo flag names (the
 * X86_FEATURE_* names of asm/cpufeatures.h, lower case), as cpu.json's `cpuid` object uses them.
 * `default` describes a typical modern Intel server host, used where a cpu.json and its profile
 * say nothing.
 */

/** Where CPUID enumerates a feature: leaf (and sub-leaf), register and bit. */
export interface CpuidFlagDef {
  readonly name: string;
  readonly feature: string;
  readonly leaf: number;
  readonly subleaf: number;
  readonly register: "eax" | "ebx" | "ecx" | "edx";
  readonly bit: number;
  readonly title: string;
  readonly default: boolean;
}

export const CPUID_FLAGS = [
  { name: "vme", feature: "X86_FEATURE_VME", leaf: 0x1, subleaf: 0, register: "edx", bit: 1, title: "Virtual-8086 mode enhancements", default: true },
  { name: "de", feature: "X86_FEATURE_DE", leaf: 0x1, subleaf: 0, register: "edx", bit: 2, title: "Debugging extensions", default: true },
  { name: "pse", feature: "X86_FEATURE_PSE", leaf: 0x1, subleaf: 0, register: "edx", bit: 3, title: "Page size extensions", default: true },
  { name: "tsc", feature: "X86_FEATURE_TSC", leaf: 0x1, subleaf: 0, register: "edx", bit: 4, title: "Time-stamp counter", default: true },
  { name: "pae", feature: "X86_FEATURE_PAE", leaf: 0x1, subleaf: 0, register: "edx", bit: 6, title: "Physical address extension", default: true },
  { name: "mce", feature: "X86_FEATURE_MCE", leaf: 0x1, subleaf: 0, register: "edx", bit: 7, title: "Machine-check exception", default: true },
  { name: "pge", feature: "X86_FEATURE_PGE", leaf: 0x1, subleaf: 0, register: "edx", bit: 13, title: "Page global enable", default: true },
  { name: "fxsr", feature: "X86_FEATURE_FXSR", leaf: 0x1, subleaf: 0, register: "edx", bit: 24, title: "FXSAVE/FXRSTOR", default: true },
  { name: "vmx", feature: "X86_FEATURE_VMX", leaf: 0x1, subleaf: 0, register: "ecx", bit: 5, title: "Virtual machine extensions", default: true },
  { name: "smx", feature: "X86_FEATURE_SMX", leaf: 0x1, subleaf: 0, register: "ecx", bit: 6, title: "Safer mode extensions", default: false },
  { name: "pdcm", feature: "X86_FEATURE_PDCM", leaf: 0x1, subleaf: 0, register: "ecx", bit: 15, title: "Perfmon and debug capability (IA32_PERF_CAPABILITIES)", default: true },
  { name: "pcid", feature: "X86_FEATURE_PCID", leaf: 0x1, subleaf: 0, register: "ecx", bit: 17, title: "Process-context identifiers", default: true },
  { name: "xsave", feature: "X86_FEATURE_XSAVE", leaf: 0x1, subleaf: 0, register: "ecx", bit: 26, title: "XSAVE/XRSTOR and XCR0", default: true },
  { name: "fsgsbase", feature: "X86_FEATURE_FSGSBASE", leaf: 0x7, subleaf: 0, register: "ebx", bit: 0, title: "RDFSBASE/RDGSBASE/WRFSBASE/WRGSBASE", default: true },
  { name: "smep", feature: "X86_FEATURE_SMEP", leaf: 0x7, subleaf: 0, register: "ebx", bit: 7, title: "Supervisor-mode execution prevention", default: true },
  { name: "invpcid", feature: "X86_FEATURE_INVPCID", leaf: 0x7, subleaf: 0, register: "ebx", bit: 10, title: "INVPCID", default: true },
  { name: "mpx", feature: "X86_FEATURE_MPX", leaf: 0x7, subleaf: 0, register: "ebx", bit: 14, title: "Memory protection extensions (IA32_BNDCFGS)", default: false },
  { name: "smap", feature: "X86_FEATURE_SMAP", leaf: 0x7, subleaf: 0, register: "ebx", bit: 20, title: "Supervisor-mode access prevention", default: true },
  { name: "intel_pt", feature: "X86_FEATURE_INTEL_PT", leaf: 0x7, subleaf: 0, register: "ebx", bit: 25, title: "Intel Processor Trace (IA32_RTIT_CTL)", default: false },
  { name: "umip", feature: "X86_FEATURE_UMIP", leaf: 0x7, subleaf: 0, register: "ecx", bit: 2, title: "User-mode instruction prevention", default: true },
  { name: "pku", feature: "X86_FEATURE_PKU", leaf: 0x7, subleaf: 0, register: "ecx", bit: 3, title: "Protection keys for user-mode pages", default: true },
  { name: "waitpkg", feature: "X86_FEATURE_WAITPKG", leaf: 0x7, subleaf: 0, register: "ecx", bit: 5, title: "UMONITOR/UMWAIT/TPAUSE", default: false },
  { name: "shstk", feature: "X86_FEATURE_SHSTK", leaf: 0x7, subleaf: 0, register: "ecx", bit: 7, title: "CET shadow stacks", default: false },
  { name: "la57", feature: "X86_FEATURE_LA57", leaf: 0x7, subleaf: 0, register: "ecx", bit: 16, title: "5-level paging (57-bit linear addresses)", default: false },
  { name: "rdpid", feature: "X86_FEATURE_RDPID", leaf: 0x7, subleaf: 0, register: "ecx", bit: 22, title: "RDPID", default: true },
  { name: "pks", feature: "X86_FEATURE_PKS", leaf: 0x7, subleaf: 0, register: "ecx", bit: 31, title: "Protection keys for supervisor-mode pages (IA32_PKRS)", default: false },
  { name: "uintr", feature: "X86_FEATURE_UINTR", leaf: 0x7, subleaf: 0, register: "edx", bit: 5, title: "User interrupts", default: false },
  { name: "ibt", feature: "X86_FEATURE_IBT", leaf: 0x7, subleaf: 0, register: "edx", bit: 20, title: "CET indirect-branch tracking", default: false },
  { name: "arch_lbr", feature: "X86_FEATURE_ARCH_LBR", leaf: 0x7, subleaf: 0, register: "edx", bit: 19, title: "Architectural LBRs (IA32_LBR_CTL)", default: false },
  { name: "fred", feature: "X86_FEATURE_FRED", leaf: 0x7, subleaf: 1, register: "eax", bit: 17, title: "Flexible return and event delivery", default: false },
  { name: "lam", feature: "X86_FEATURE_LAM", leaf: 0x7, subleaf: 1, register: "eax", bit: 26, title: "Linear-address masking", default: false },
  { name: "rdtscp", feature: "X86_FEATURE_RDTSCP", leaf: 0x80000001, subleaf: 0, register: "edx", bit: 27, title: "RDTSCP and IA32_TSC_AUX", default: true },
  { name: "nx", feature: "X86_FEATURE_NX", leaf: 0x80000001, subleaf: 0, register: "edx", bit: 20, title: "Execute-disable (EFER.NXE)", default: true },
  { name: "lm", feature: "X86_FEATURE_LM", leaf: 0x80000001, subleaf: 0, register: "edx", bit: 29, title: "Intel 64 long mode (EFER.LME)", default: true },
] as const satisfies readonly CpuidFlagDef[];

/** A CPUID flag name accepted in cpu.json. */
export type CpuidFlagName = (typeof CPUID_FLAGS)[number]["name"];

/** Every flag by name. */
export const CPUID_FLAG_BY_NAME: ReadonlyMap<string, CpuidFlagDef> = new Map(CPUID_FLAGS.map((flag) => [flag.name, flag]));

/** The default value of every flag. */
export const DEFAULT_CPUID: Readonly<Record<CpuidFlagName, boolean>> = Object.freeze(
  Object.fromEntries(CPUID_FLAGS.map((flag) => [flag.name, flag.default])) as Record<CpuidFlagName, boolean>,
);
