// What KVM's nested VMX advertises to L1: nested_vmx_setup_ctls_msrs() (nested.c, Linux 7.0) on
// top of setup_vmcs_config(), the module-parameter checks of vmx_hardware_setup(), and the
// per-vCPU CPUID adjustments; compared with KVM L1 views observed in the wild.
import { describe, expect, it } from "vitest";
import { CONTROL_WORDS, CONTROL_WORD_IDS, controlByName, type ControlName } from "../../src/arch/controls.js";
import { MSR_BY_INDEX, type MsrName } from "../../src/arch/msrs.js";
import {
  KVM_VMCS12_FIELDS,
  NESTED_CONTROL_RULES,
  VMCS12_REVISION,
  VMCS12_SIZE,
  deriveNestedMsrs,
  type NestedOptions,
  type NestedResult,
} from "../../src/caps/nested.js";
import { fieldByName } from "../../src/arch/vmcs-lookup.js";
import { bitOf, disallow, index, msrsOf } from "../helpers/msrs.js";

const haswell = msrsOf("intel-core-i7-4770");
const raptorLake = msrsOf("intel-core-i7-14700");
const skylake = msrsOf("intel-core-i5-6300u");

function withMsr(msrs: ReadonlyMap<number, bigint>, name: MsrName, update: (value: bigint) => bigint): Map<number, bigint> {
  const out = new Map(msrs);
  out.set(index(name), update(out.get(index(name)) ?? 0n));
  return out;
}

function msr(result: NestedResult, name: MsrName): bigint {
  const value = result.msrs.get(index(name));
  expect(value, name).toBeDefined();
  return value!;
}

/** Whether L1 may set the control (allowed-1 bit of the word's TRUE MSR / 64-bit MSR). */
function advertised(result: NestedResult, name: ControlName): boolean {
  const control = result.controls.find((c) => c.name === name);
  expect(control, name).toBeDefined();
  return control!.advertised;
}

function derive(host: ReadonlyMap<number, bigint>, options: NestedOptions = {}): NestedResult {
  const result = deriveNestedMsrs(host, options);
  expect(result.rejected, result.rejected).toBeUndefined();
  return result;
}

/**
 * The CPUID of QEMU's "Haswell" CPU model as far as KVM's nested adjustments read it: no RDSEED,
 * XSAVES, SMAP, PKU, UMIP, LA57, MPX or CET.
 */
const HASWELL_GUEST = ["vme", "de", "pse", "tsc", "pae", "mce", "pge", "fxsr", "xmm", "vmx", "pcid", "xsave", "fsgsbase", "smep", "invpcid", "rdrand", "rdtscp", "lm"];

describe("IA32_VMX_BASIC (nested_vmx_setup_basic)", () => {
  it("reports VMCS12_REVISION 0x11e57ed0, VMCS12_SIZE 0x1000, write-back and TRUE controls whatever the host reports", () => {
    const basic = msr(derive(haswell), "IA32_VMX_BASIC");
    expect(VMCS12_REVISION).toBe(0x11e57ed0);
    expect(VMCS12_SIZE).toBe(0x1000);
    expect(basic & 0x7fffffffn).toBe(0x11e57ed0n);
    expect((basic >> 32n) & 0x1fffn).toBe(0x1000n);
    expect((basic >> 50n) & 0xfn).toBe(6n);
    expect((basic >> 55n) & 1n).toBe(1n);
    expect((basic >> 48n) & 3n).toBe(0n); // no 32-bit limit, no dual-monitor treatment
  });

  it("passes INS/OUTS information (bit 54) and the relaxed error-code check (bit 56) through only if the host has them", () => {
    expect(msr(derive(haswell), "IA32_VMX_BASIC")).toBe(0x00d8100011e57ed0n);
    expect(msr(derive(raptorLake), "IA32_VMX_BASIC")).toBe(0x01d8100011e57ed0n);
    const noInout = withMsr(raptorLake, "IA32_VMX_BASIC", (v) => v & ~(1n << 54n));
    expect(msr(derive(noInout), "IA32_VMX_BASIC")).toBe(0x0198100011e57ed0n);
  });
});

describe("a modern host (Raptor Lake i7-14700), field by field", () => {
  const result = derive(raptorLake);
  const expected: [MsrName, bigint][] = [
    ["IA32_VMX_BASIC", 0x01d8100011e57ed0n],
    ["IA32_VMX_PINBASED_CTLS", 0x000000ff00000016n],
    ["IA32_VMX_PROCBASED_CTLS", 0xfff9fffe0401e172n],
    ["IA32_VMX_EXIT_CTLS", 0x107fffff00036dffn],
    ["IA32_VMX_ENTRY_CTLS", 0x0010f3ff000011ffn],
    ["IA32_VMX_MISC", 0x0000000020000165n],
    ["IA32_VMX_CR0_FIXED0", 0x0000000080000021n],
    ["IA32_VMX_CR0_FIXED1", 0x00000000ffffffffn],
    ["IA32_VMX_CR4_FIXED0", 0x0000000000002000n],
    ["IA32_VMX_CR4_FIXED1", 0x0000000001ff6fffn],
    ["IA32_VMX_VMCS_ENUM", 0x0000000000000032n],
    ["IA32_VMX_PROCBASED_CTLS2", 0x06137bff00000000n],
    ["IA32_VMX_EPT_VPID_CAP", 0x00000f0106334041n],
    ["IA32_VMX_TRUE_PINBASED_CTLS", 0x000000ff00000016n],
    ["IA32_VMX_TRUE_PROCBASED_CTLS", 0xfff9fffe04006172n],
    ["IA32_VMX_TRUE_EXIT_CTLS", 0x107fffff00036dfbn],
    ["IA32_VMX_TRUE_ENTRY_CTLS", 0x0010f3ff000011fbn],
    ["IA32_VMX_VMFUNC", 0x0000000000000001n],
  ];

  it.each(expected)("%s = %s", (name, value) => {
    expect(`0x${msr(result, name).toString(16)}`).toBe(`0x${value.toString(16)}`);
  });

  it("reports exactly IA32_VMX_BASIC … IA32_VMX_VMFUNC (480H–491H): no tertiary or secondary-exit controls MSR", () => {
    expect([...result.msrs.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 18 }, (_, i) => 0x480 + i));
    expect(result.msrs.has(index("IA32_VMX_PROCBASED_CTLS3"))).toBe(false);
  });

  it("the pin-based controls: host's external-interrupt/NMI exiting, virtual NMIs, posted interrupts; emulated preemption timer", () => {
    for (const name of ["PIN_BASED_EXT_INTR_MASK", "PIN_BASED_NMI_EXITING", "PIN_BASED_VIRTUAL_NMIS", "PIN_BASED_POSTED_INTR", "PIN_BASED_VMX_PREEMPTION_TIMER"] as const) {
      expect(advertised(result, name), name).toBe(true);
    }
  });

  it("the CET state controls of Linux 6.18 are passed through on a CET host", () => {
    expect(advertised(result, "VM_ENTRY_LOAD_CET_STATE")).toBe(true);
    expect(advertised(result, "VM_EXIT_LOAD_CET_STATE")).toBe(true);
  });

  it("the EPT capabilities: WB, 4-level, execute-only and INVEPT from the host; context/global INVEPT, 2-MB/1-GB pages and A/D emulated; all INVVPID types", () => {
    const caps = msr(result, "IA32_VMX_EPT_VPID_CAP");
    expect(caps & (1n << 8n)).toBe(0n); // UC memory type: never
    expect(caps & (1n << 7n)).toBe(0n); // 5-level walk: host has none
    expect(caps >> 32n).toBe(0xf01n);
  });
});

describe("emulated controls are present even when the host lacks them", () => {
  const bare = disallow(
    haswell,
    "SECONDARY_EXEC_SHADOW_VMCS",
    "CPU_BASED_USE_MSR_BITMAPS",
    "PIN_BASED_VMX_PREEMPTION_TIMER",
    "VM_EXIT_SAVE_VMX_PREEMPTION_TIMER",
    "VM_EXIT_SAVE_IA32_EFER",
    "VM_EXIT_LOAD_IA32_EFER",
    "VM_ENTRY_LOAD_IA32_EFER",
    "VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL",
    "VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL",
  );
  const result = derive(bare);

  it.each([
    ["SECONDARY_EXEC_SHADOW_VMCS"],
    ["CPU_BASED_USE_MSR_BITMAPS"],
    ["PIN_BASED_VMX_PREEMPTION_TIMER"],
    ["VM_EXIT_SAVE_VMX_PREEMPTION_TIMER"],
    ["VM_EXIT_SAVE_IA32_EFER"],
    ["VM_EXIT_LOAD_IA32_EFER"],
    ["VM_ENTRY_LOAD_IA32_EFER"],
    ["VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL"],
    ["VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL"],
    ["VM_EXIT_ACK_INTR_ON_EXIT"],
  ] as const)("%s", (name) => {
    expect(advertised(result, name)).toBe(true);
    expect(result.controls.find((c) => c.name === name)?.treatment).toBe("emulated");
  });

  it("PML on a host without PML (Haswell), from EPT A/D", () => {
    expect(advertised(derive(haswell), "SECONDARY_EXEC_ENABLE_PML")).toBe(true);
  });

  it("context INVEPT and 1-GB EPT pages on a host without them", () => {
    const host = withMsr(haswell, "IA32_VMX_EPT_VPID_CAP", (v) => v & ~((1n << 25n) | (1n << 17n)));
    const caps = msr(derive(host), "IA32_VMX_EPT_VPID_CAP");
    expect(caps & (1n << 25n)).not.toBe(0n);
    expect(caps & (1n << 17n)).not.toBe(0n);
  });

  it("VMCS shadowing's and the preemption timer's fields stay accessible", () => {
    expect(result.vmcs12Fields).toContain("VMREAD_BITMAP");
    expect(result.vmcs12Fields).toContain("VMX_PREEMPTION_TIMER_VALUE");
    expect(result.vmcs12Fields).toContain("GUEST_PML_INDEX");
  });

  it("CR3-load/-store exiting and the debug-control controls are default1 but L1 may clear them (TRUE MSRs)", () => {
    const r = derive(haswell);
    const low = (name: MsrName) => msr(r, name) & 0xffffffffn;
    expect(low("IA32_VMX_PROCBASED_CTLS") & (bitOf("CPU_BASED_CR3_LOAD_EXITING") | bitOf("CPU_BASED_CR3_STORE_EXITING"))).not.toBe(0n);
    expect(low("IA32_VMX_TRUE_PROCBASED_CTLS") & (bitOf("CPU_BASED_CR3_LOAD_EXITING") | bitOf("CPU_BASED_CR3_STORE_EXITING"))).toBe(0n);
    expect(low("IA32_VMX_TRUE_EXIT_CTLS") & bitOf("VM_EXIT_SAVE_DEBUG_CONTROLS")).toBe(0n);
    expect(low("IA32_VMX_TRUE_ENTRY_CTLS") & bitOf("VM_ENTRY_LOAD_DEBUG_CONTROLS")).toBe(0n);
    expect(low("IA32_VMX_EXIT_CTLS") & bitOf("VM_EXIT_SAVE_DEBUG_CONTROLS")).not.toBe(0n);
  });
});

describe("hidden controls are absent even when the host (and KVM) has them", () => {
  it.each([
    ["SECONDARY_EXEC_PAUSE_LOOP_EXITING"],
    ["SECONDARY_EXEC_PT_CONCEAL_VMX"],
    ["SECONDARY_EXEC_PT_USE_GPA"],
    ["CPU_BASED_ACTIVATE_TERTIARY_CONTROLS"],
    ["VM_EXIT_PT_CONCEAL_PIP"],
    ["VM_EXIT_CLEAR_IA32_RTIT_CTL"],
    ["VM_EXIT_SAVE_IA32_PERF_GLOBAL_CTRL"],
    ["VM_ENTRY_PT_CONCEAL_PIP"],
    ["VM_ENTRY_LOAD_IA32_RTIT_CTL"],
  ] as const)("%s (Raptor Lake)", (name) => {
    const result = derive(raptorLake);
    expect(result.controls.find((c) => c.name === name)?.treatment).toBe("hidden");
    expect(advertised(result, name)).toBe(false);
  });

  it("EPT-violation #VE, bus-lock detection, notify exiting and IPI virtualization on a host that has everything (PROVE_VE on)", () => {
    const host = withMsr(raptorLake, "IA32_VMX_PROCBASED_CTLS2", (v) => v | (0xffffffffn << 32n));
    const hostAll = withMsr(host, "IA32_VMX_PROCBASED_CTLS3", () => (1n << 64n) - 1n);
    const result = derive(hostAll, { setup: { proveVe: true } });
    for (const name of ["SECONDARY_EXEC_EPT_VIOLATION_VE", "SECONDARY_EXEC_BUS_LOCK_DETECTION", "SECONDARY_EXEC_NOTIFY_VM_EXITING", "TERTIARY_EXEC_IPI_VIRT"] as const) {
      expect(advertised(result, name), name).toBe(false);
    }
  });
});

describe("passed-through controls follow the host", () => {
  it("a host without TSC scaling gives L1 none, and TSC_MULTIPLIER leaves vmcs12 (VMCS_ENUM 0x32 → 0x2e)", () => {
    const result = derive(disallow(raptorLake, "SECONDARY_EXEC_TSC_SCALING"));
    expect(advertised(result, "SECONDARY_EXEC_TSC_SCALING")).toBe(false);
    expect(result.vmcs12Fields).not.toContain("TSC_MULTIPLIER");
    expect(msr(result, "IA32_VMX_VMCS_ENUM")).toBe(0x2en);
  });

  it("a host without MPX: no BNDCFGS controls; Skylake (with MPX): both", () => {
    expect(advertised(derive(raptorLake), "VM_ENTRY_LOAD_BNDCFGS")).toBe(false);
    expect(advertised(derive(skylake), "VM_ENTRY_LOAD_BNDCFGS")).toBe(true);
    expect(advertised(derive(skylake), "VM_EXIT_CLEAR_BNDCFGS")).toBe(true);
  });

  it("MISC: only store-EFER.LMA comes from the host; HLT and wait-for-SIPI, rate 5 and VMWRITE to exit fields are KVM's", () => {
    const noLma = withMsr(raptorLake, "IA32_VMX_MISC", (v) => v & ~(1n << 5n));
    expect(msr(derive(noLma), "IA32_VMX_MISC")).toBe(0x20000145n);
    expect(msr(derive(raptorLake), "IA32_VMX_MISC") >> 32n).toBe(0n); // no MSEG revision
  });

  it("CR0/CR4_FIXED1 come from the host; UMIP is added when KVM emulates it (host without UMIP, with descriptor-table exiting)", () => {
    expect(msr(derive(haswell), "IA32_VMX_CR4_FIXED1")).toBe(0x1767ffn | (1n << 11n));
    expect(msr(derive(haswell, { hostUmip: true }), "IA32_VMX_CR4_FIXED1")).toBe(0x1767ffn);
    expect(msr(derive(disallow(haswell, "SECONDARY_EXEC_DESC")), "IA32_VMX_CR4_FIXED1")).toBe(0x1767ffn);
  });
});

describe("module parameters and the host conditions vmx_hardware_setup() checks", () => {
  const base = derive(raptorLake);

  it("ept=0: no EPT, EPT capabilities, PML, unrestricted guest, EPTP switching, EPT_POINTER stays accessible", () => {
    const result = derive(raptorLake, { ept: false });
    for (const name of ["SECONDARY_EXEC_ENABLE_EPT", "SECONDARY_EXEC_ENABLE_PML", "SECONDARY_EXEC_UNRESTRICTED_GUEST", "VMX_VMFUNC_EPTP_SWITCHING"] as const) {
      expect(advertised(result, name), name).toBe(false);
    }
    expect(msr(result, "IA32_VMX_EPT_VPID_CAP")).toBe(0xf01n << 32n);
    expect(msr(result, "IA32_VMX_VMFUNC")).toBe(0n);
    // Without unrestricted guest KVM does not expose CET either.
    expect(advertised(result, "VM_ENTRY_LOAD_CET_STATE")).toBe(false);
    expect(result.vmcs12Fields).toContain("EPT_POINTER"); // gated on the hardware, not on the parameter
  });

  it("vpid=0: no VPID and no INVVPID capabilities", () => {
    const result = derive(raptorLake, { vpid: false });
    expect(advertised(result, "SECONDARY_EXEC_ENABLE_VPID")).toBe(false);
    expect(msr(result, "IA32_VMX_EPT_VPID_CAP") >> 32n).toBe(0n);
  });

  it("enable_apicv=0: no posted interrupts (APIC-register virtualization and VID still pass through)", () => {
    const result = derive(raptorLake, { apicv: false });
    expect(advertised(result, "PIN_BASED_POSTED_INTR")).toBe(false);
    expect(advertised(result, "SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY")).toBe(true);
  });

  it("flexpriority=0: no APIC-access virtualization", () => {
    expect(advertised(derive(raptorLake, { flexpriority: false }), "SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES")).toBe(false);
    expect(advertised(base, "SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES")).toBe(true);
  });

  it("eptad=0, or a host without EPT A/D: no PML and no A/D capability, EPT stays", () => {
    for (const result of [derive(raptorLake, { eptAd: false }), derive(withMsr(raptorLake, "IA32_VMX_EPT_VPID_CAP", (v) => v & ~(1n << 21n)))]) {
      expect(advertised(result, "SECONDARY_EXEC_ENABLE_PML")).toBe(false);
      expect(advertised(result, "SECONDARY_EXEC_ENABLE_EPT")).toBe(true);
      expect(msr(result, "IA32_VMX_EPT_VPID_CAP") & (1n << 21n)).toBe(0n);
    }
  });

  it("unrestricted_guest=0: no unrestricted guest", () => {
    expect(advertised(derive(raptorLake, { unrestrictedGuest: false }), "SECONDARY_EXEC_UNRESTRICTED_GUEST")).toBe(false);
  });

  it("a host without 4-level EPT walks (or WB, or all-context INVEPT) disables EPT altogether", () => {
    for (const bit of [6n, 14n, 26n]) {
      const result = derive(withMsr(raptorLake, "IA32_VMX_EPT_VPID_CAP", (v) => v & ~(1n << bit)));
      expect(advertised(result, "SECONDARY_EXEC_ENABLE_EPT"), `bit ${bit}`).toBe(false);
    }
  });

  it("a host without single- and all-context INVVPID disables VPID", () => {
    const result = derive(withMsr(raptorLake, "IA32_VMX_EPT_VPID_CAP", (v) => v & ~((1n << 41n) | (1n << 42n))));
    expect(advertised(result, "SECONDARY_EXEC_ENABLE_VPID")).toBe(false);
  });

  it("a host without VM functions: no VMFUNC control and no EPTP switching", () => {
    const result = derive(disallow(raptorLake, "SECONDARY_EXEC_ENABLE_VMFUNC"));
    expect(advertised(result, "SECONDARY_EXEC_ENABLE_VMFUNC")).toBe(false);
    expect(msr(result, "IA32_VMX_VMFUNC")).toBe(0n);
    expect(result.vmcs12Fields).not.toContain("EPTP_LIST_ADDRESS");
  });

  it("sgx: ENCLS exiting is emulated when KVM virtualizes SGX (Skylake allows ENCLS exiting), not otherwise", () => {
    expect(advertised(derive(skylake), "SECONDARY_EXEC_ENCLS_EXITING")).toBe(true);
    expect(advertised(derive(skylake, { sgx: false }), "SECONDARY_EXEC_ENCLS_EXITING")).toBe(false);
    expect(advertised(derive(skylake, { setup: { sgx: false } }), "SECONDARY_EXEC_ENCLS_EXITING")).toBe(false);
    expect(advertised(base, "SECONDARY_EXEC_ENCLS_EXITING")).toBe(false); // Raptor Lake has no ENCLS exiting
  });

  it("cet=false hides the CET state controls and a host without bit 56 of IA32_VMX_BASIC gets none", () => {
    expect(advertised(derive(raptorLake, { cet: false }), "VM_EXIT_LOAD_CET_STATE")).toBe(false);
    const noErrcode = withMsr(raptorLake, "IA32_VMX_BASIC", (v) => v & ~(1n << 56n));
    expect(advertised(derive(noErrcode), "VM_ENTRY_LOAD_CET_STATE")).toBe(false);
  });

  it("pml and nested_early_check do not change what L1 sees", () => {
    expect(derive(raptorLake, { pml: false, nestedEarlyCheck: true }).msrs).toEqual(base.msrs);
  });
});

describe("per-vCPU adjustments from L1's CPUID", () => {
  const modern = ["vme", "de", "pse", "tsc", "pae", "mce", "pge", "fxsr", "xmm", "vmx", "pcid", "xsave", "fsgsbase", "smep", "smap", "pku", "umip", "invpcid", "rdrand", "rdseed", "rdtscp", "xsaves", "waitpkg", "shstk", "lm"];

  it("CR0_FIXED1 becomes all ones and CR4_FIXED1 PCE plus the bits of L1's features", () => {
    const result = derive(haswell, { guestCpuid: { flags: HASWELL_GUEST } });
    expect(msr(result, "IA32_VMX_CR0_FIXED1")).toBe(0xffffffffn);
    expect(msr(result, "IA32_VMX_CR4_FIXED1")).toBe(0x1727ffn);
    expect(msr(derive(raptorLake, { guestCpuid: { flags: modern } }), "IA32_VMX_CR4_FIXED1")).toBe(0xf72fffn); // + SMAP, PKE, UMIP, CET
  });

  it("RDSEED/RDRAND exiting, XSAVES, INVPCID, user wait-and-pause follow L1's features", () => {
    const full = derive(raptorLake, { guestCpuid: { flags: modern } });
    const none = derive(raptorLake, { guestCpuid: { flags: modern.filter((f) => !["rdseed", "rdrand", "xsaves", "invpcid", "waitpkg"].includes(f)) } });
    for (const name of ["SECONDARY_EXEC_RDSEED_EXITING", "SECONDARY_EXEC_RDRAND_EXITING", "SECONDARY_EXEC_ENABLE_XSAVES", "SECONDARY_EXEC_ENABLE_INVPCID", "SECONDARY_EXEC_ENABLE_USR_WAIT_PAUSE"] as const) {
      expect(advertised(full, name), name).toBe(true);
      expect(advertised(none, name), name).toBe(false);
    }
  });

  it("XSAVES needs XSAVE too; RDTSCP comes with RDTSCP or RDPID", () => {
    expect(advertised(derive(raptorLake, { guestCpuid: { flags: ["xsaves"] } }), "SECONDARY_EXEC_ENABLE_XSAVES")).toBe(false);
    expect(advertised(derive(raptorLake, { guestCpuid: { flags: ["rdpid"] } }), "SECONDARY_EXEC_ENABLE_RDTSCP")).toBe(true);
    expect(advertised(derive(raptorLake, { guestCpuid: { flags: [] } }), "SECONDARY_EXEC_ENABLE_RDTSCP")).toBe(false);
  });

  it("a feature L1 has cannot bring a control KVM's own configuration lacks (Haswell has no RDSEED exiting)", () => {
    expect(advertised(derive(haswell, { guestCpuid: { flags: ["rdseed", "xsave", "xsaves"] } }), "SECONDARY_EXEC_RDSEED_EXITING")).toBe(false);
  });

  it("the BNDCFGS controls follow MPX on a host with MPX", () => {
    expect(advertised(derive(skylake, { guestCpuid: { flags: ["mpx"] } }), "VM_ENTRY_LOAD_BNDCFGS")).toBe(true);
    const noMpx = derive(skylake, { guestCpuid: { flags: [] } });
    expect(advertised(noMpx, "VM_ENTRY_LOAD_BNDCFGS")).toBe(false);
    expect(advertised(noMpx, "VM_EXIT_CLEAR_BNDCFGS")).toBe(false);
  });

  it("the PERF_GLOBAL_CTRL controls follow the vPMU", () => {
    const result = derive(raptorLake, { guestCpuid: { flags: modern, perfGlobalCtrl: false } });
    expect(advertised(result, "VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL")).toBe(false);
    expect(advertised(result, "VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL")).toBe(false);
    expect(advertised(derive(raptorLake, { guestCpuid: { flags: modern } }), "VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL")).toBe(true);
  });
});

describe("vmcs12 fields and IA32_VMX_VMCS_ENUM", () => {
  it("every vmcs12 field is a VMCS field nvmx knows", () => {
    for (const field of KVM_VMCS12_FIELDS) expect(fieldByName(field.name), field.name).toBeDefined();
  });

  it("KVM reports the highest index of the fields it supports on the host: TSC_MULTIPLIER (0x19) with TSC scaling", () => {
    expect(msr(derive(raptorLake), "IA32_VMX_VMCS_ENUM")).toBe(0x19n << 1n);
    expect(msr(derive(haswell), "IA32_VMX_VMCS_ENUM")).toBe(0x17n << 1n); // VMX_PREEMPTION_TIMER_VALUE
  });

  it("fields of features the host lacks are not accessible (Haswell: no TSC multiplier, posted interrupts, XSS bitmap, CET state)", () => {
    const fields = derive(haswell).vmcs12Fields;
    for (const name of ["TSC_MULTIPLIER", "POSTED_INTR_NV", "POSTED_INTR_DESC_ADDR", "GUEST_INTR_STATUS", "XSS_EXIT_BITMAP", "GUEST_S_CET", "HOST_SSP", "ENCLS_EXITING_BITMAP"]) {
      expect(fields, name).not.toContain(name);
    }
    expect(fields).toContain("GUEST_IA32_PERF_GLOBAL_CTRL");
    expect(derive(raptorLake).vmcs12Fields).toContain("GUEST_INTR_SSP_TABLE");
  });
});

describe("the control classification", () => {
  const result = derive(raptorLake);

  it("lists every named control of every word exactly once", () => {
    const names = CONTROL_WORD_IDS.flatMap((id) => CONTROL_WORDS[id].bits.map((b) => b.name));
    expect(result.controls.map((c) => c.name)).toEqual(names);
  });

  it("every rule names a control of its own word", () => {
    for (const id of CONTROL_WORD_IDS) for (const rule of NESTED_CONTROL_RULES[id]) expect(controlByName(rule.name)?.word, rule.name).toBe(id);
  });

  it("`advertised` is the allowed 1-setting in the TRUE MSR (or the 64-bit MSR)", () => {
    const msrOf: Partial<Record<string, MsrName>> = {
      pin: "IA32_VMX_TRUE_PINBASED_CTLS",
      proc: "IA32_VMX_TRUE_PROCBASED_CTLS",
      proc2: "IA32_VMX_PROCBASED_CTLS2",
      exit: "IA32_VMX_TRUE_EXIT_CTLS",
      entry: "IA32_VMX_TRUE_ENTRY_CTLS",
    };
    for (const control of result.controls) {
      const name = msrOf[control.word];
      if (name === undefined) continue;
      const bit = BigInt(controlByName(control.name)!.bit) + 32n;
      expect(control.advertised, control.name).toBe(((msr(result, name) >> bit) & 1n) === 1n);
    }
    expect(result.controls.find((c) => c.name === "VMX_VMFUNC_EPTP_SWITCHING")?.advertised).toBe(true);
  });

  it("hidden controls are never advertised; the tertiary and secondary-exit words are hidden entirely", () => {
    for (const control of result.controls) if (control.treatment === "hidden") expect(control.advertised, control.name).toBe(false);
    expect(result.controls.filter((c) => c.word === "proc3" || c.word === "exit2").every((c) => c.treatment === "hidden")).toBe(true);
  });
});

it("a host KVM refuses gives no L1 view, with setup_vmcs_config()'s reason", () => {
  const result = deriveNestedMsrs(disallow(haswell, "CPU_BASED_HLT_EXITING"));
  expect(result.rejected).toMatch(/CPU_BASED_HLT_EXITING/);
  expect(result.msrs.size).toBe(0);
  expect(result.controls).toEqual([]);
});

/** The bits in which two MSR maps differ, for the MSRs `observed` has (IA32_FEATURE_CONTROL aside). */
function residuals(derived: NestedResult, observed: ReadonlyMap<number, bigint>): Record<string, { onlyDerived: string; onlyObserved: string }> {
  const out: Record<string, { onlyDerived: string; onlyObserved: string }> = {};
  for (const [msrIndex, value] of observed) {
    const name = MSR_BY_INDEX.get(msrIndex)!.name;
    if (name === "IA32_FEATURE_CONTROL") continue;
    const mine = derived.msrs.get(msrIndex) ?? 0n;
    if (mine === value) continue;
    out[name] = { onlyDerived: `0x${(mine & ~value).toString(16)}`, onlyObserved: `0x${(value & ~mine).toString(16)}` };
  }
  return out;
}

describe("observed KVM L1 views against the derivation for a Haswell host (i7-4770) and QEMU's Haswell CPU model", () => {
  // With KVM's per-vCPU adjustments for that CPUID, every capability MSR matches bit for bit —
  // revision, VMCS size, default1 classes, EPT capabilities (UC and 5-level dropped, context/global
  // INVEPT, 2-MB/1-GB pages and A/D emulated), CR4_FIXED1 from the vCPU's CPUID, VMCS_ENUM 0x2e
  // (no TSC scaling on Haswell, so TSC_MULTIPLIER is not a vmcs12 field) — except for bits KVM
  // offers and the L1 did not see. Those are userspace's doing: QEMU writes the VMX MSRs of its
  // named CPU models back through KVM_SET_MSRS, and its Haswell model lists neither PML (which KVM
  // emulates from EPT A/D since Linux 4.13) nor the wait-for-SIPI activity state (emulated since
  // Linux 5.10). No difference needs an older KVM: the KVM-version-dependent bits (VMCS_ENUM,
  // IA32_VMX_BASIC[56], the CET controls) come out the same on a Haswell host, where a 2021/2022
  // KVM with its hard-coded vmcs12 max index 0x17 also reported 0x2e.
  const derived = derive(haswell, { guestCpuid: { flags: HASWELL_GUEST, perfGlobalCtrl: true } });
  const pml = `0x${bitOf("SECONDARY_EXEC_ENABLE_PML").toString(16)}00000000`;
  const waitSipi = "0x100";

  it("kvm-nested-l1-view-2021 (0x480–0x48B): only PML and wait-for-SIPI differ", () => {
    expect(residuals(derived, msrsOf("kvm-nested-l1-view-2021"))).toEqual({
      IA32_VMX_MISC: { onlyDerived: waitSipi, onlyObserved: "0x0" },
      IA32_VMX_PROCBASED_CTLS2: { onlyDerived: pml, onlyObserved: "0x0" },
    });
  });

  it("kvm-nested-l1-view-2022 (0x480–0x491): also host address-space size, which QEMU clears for a CPU model without long mode", () => {
    const hostAddrSpace = `0x${(bitOf("VM_EXIT_HOST_ADDR_SPACE_SIZE") << 32n).toString(16)}`;
    expect(residuals(derived, msrsOf("kvm-nested-l1-view-2022"))).toEqual({
      IA32_VMX_EXIT_CTLS: { onlyDerived: hostAddrSpace, onlyObserved: "0x0" },
      IA32_VMX_TRUE_EXIT_CTLS: { onlyDerived: hostAddrSpace, onlyObserved: "0x0" },
      IA32_VMX_MISC: { onlyDerived: waitSipi, onlyObserved: "0x0" },
      IA32_VMX_PROCBASED_CTLS2: { onlyDerived: pml, onlyObserved: "0x0" },
    });
  });

  it("the kvm-nested-observed profile (the 2022 scan with the 64-bit exit controls): PML and wait-for-SIPI", () => {
    expect(Object.keys(residuals(derived, msrsOf("kvm-nested-observed")))).toEqual(["IA32_VMX_MISC", "IA32_VMX_PROCBASED_CTLS2"]);
  });

  it("nothing the L1 saw is missing from the derivation (the views are subsets)", () => {
    for (const view of ["kvm-nested-l1-view-2021", "kvm-nested-l1-view-2022", "kvm-nested-observed"]) {
      for (const diff of Object.values(residuals(derived, msrsOf(view)))) expect(diff.onlyObserved, view).toBe("0x0");
    }
  });

  it("without the CPUID step (KVM's system-wide view) CR4_FIXED1 is the host's plus emulated UMIP", () => {
    const system = derive(haswell);
    expect(residuals(system, msrsOf("kvm-nested-l1-view-2021")).IA32_VMX_CR4_FIXED1).toEqual({ onlyDerived: "0x4800", onlyObserved: "0x0" });
  });
});
