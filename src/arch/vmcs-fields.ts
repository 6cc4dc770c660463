/**
 * Every VMCS field of the current SDM, Appendix B ("Field Encoding in VMCS"), in encoding order.
 * One entry per field; the high-access encodings of 64-bit fields are derived (encoding | 1).
 *
 * Sources, cross-checked against each other: the Appendix B tables and their "exists only on
 * processors that support …" footnotes as printed in earlier SDM editions; for fields added
 * since, Bochs cpu/vmx.h and cpu/vmcs.cc (revised against the SDM of late 2025), Xen's vmcs.h,
 * the Intel FRED specification (now part of the SDM) and posted KVM series; Linux
 * arch/x86/include/asm/vmx.h (`enum vmcs_field`, upstream as of 6.18) for names.
 *
 * Naming: `inLinux: true` only where upstream `enum vmcs_field` spells the name exactly so.
 * Every other name is made up in the same style; where a posted KVM series already chose a
 * name (FRED, PKS, arch LBR, SPP) that name is reused so the two can meet if it is merged.
 *
 * `existsIf`: the controls (asm/vmx.h names, as in ./controls.ts) whose 1-setting, if
 * supported, makes the field exist. Some footnotes are not about a control; the entry then
 * names the control that stands for the feature and a comment says so. An empty list means no
 * VMX control makes the field exist: it belongs to SEAM (Intel TDX) VMX operation only, which
 * KVM never exposes.
 */
import type { VmcsFieldDef } from "./vmcs-encoding.js";

/** The VMCS fields of SDM Appendix B, ordered by full-access encoding. */
export const VMCS_FIELDS = [
  // B.1.1 16-bit control fields (Table B-1)
  { name: "VIRTUAL_PROCESSOR_ID", inLinux: true, encoding: 0x0000, width: "16", type: "control", title: "Virtual-processor identifier (VPID)", sdm: "B.1.1", existsIf: ["SECONDARY_EXEC_ENABLE_VPID"] },
  { name: "POSTED_INTR_NV", inLinux: true, encoding: 0x0002, width: "16", type: "control", title: "Posted-interrupt notification vector", sdm: "B.1.1", existsIf: ["PIN_BASED_POSTED_INTR"] },
  { name: "EPTP_INDEX", inLinux: false, encoding: 0x0004, width: "16", type: "control", title: "EPTP index", sdm: "B.1.1", existsIf: ["SECONDARY_EXEC_EPT_VIOLATION_VE"] },
  { name: "HLAT_PREFIX_SIZE", inLinux: false, encoding: 0x0006, width: "16", type: "control", title: "HLAT prefix size", sdm: "B.1.1", existsIf: ["TERTIARY_EXEC_ENABLE_HLAT"] },
  { name: "LAST_PID_POINTER_INDEX", inLinux: true, encoding: 0x0008, width: "16", type: "control", title: "Last PID-pointer index", sdm: "B.1.1", existsIf: ["TERTIARY_EXEC_IPI_VIRT"] },

  // B.1.2 16-bit guest-state fields (Table B-2)
  { name: "GUEST_ES_SELECTOR", inLinux: true, encoding: 0x0800, width: "16", type: "guest", title: "Guest ES selector", sdm: "B.1.2" },
  { name: "GUEST_CS_SELECTOR", inLinux: true, encoding: 0x0802, width: "16", type: "guest", title: "Guest CS selector", sdm: "B.1.2" },
  { name: "GUEST_SS_SELECTOR", inLinux: true, encoding: 0x0804, width: "16", type: "guest", title: "Guest SS selector", sdm: "B.1.2" },
  { name: "GUEST_DS_SELECTOR", inLinux: true, encoding: 0x0806, width: "16", type: "guest", title: "Guest DS selector", sdm: "B.1.2" },
  { name: "GUEST_FS_SELECTOR", inLinux: true, encoding: 0x0808, width: "16", type: "guest", title: "Guest FS selector", sdm: "B.1.2" },
  { name: "GUEST_GS_SELECTOR", inLinux: true, encoding: 0x080a, width: "16", type: "guest", title: "Guest GS selector", sdm: "B.1.2" },
  { name: "GUEST_LDTR_SELECTOR", inLinux: true, encoding: 0x080c, width: "16", type: "guest", title: "Guest LDTR selector", sdm: "B.1.2" },
  { name: "GUEST_TR_SELECTOR", inLinux: true, encoding: 0x080e, width: "16", type: "guest", title: "Guest TR selector", sdm: "B.1.2" },
  { name: "GUEST_INTR_STATUS", inLinux: true, encoding: 0x0810, width: "16", type: "guest", title: "Guest interrupt status", sdm: "B.1.2", existsIf: ["SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY"] },
  { name: "GUEST_PML_INDEX", inLinux: true, encoding: 0x0812, width: "16", type: "guest", title: "PML index", sdm: "B.1.2", existsIf: ["SECONDARY_EXEC_ENABLE_PML"] },
  { name: "GUEST_UINV", inLinux: false, encoding: 0x0814, width: "16", type: "guest", title: "Guest UINV", sdm: "B.1.2", existsIf: ["VM_ENTRY_LOAD_UINV", "VM_EXIT_CLEAR_UINV"] },

  // B.1.3 16-bit host-state fields (Table B-3)
  { name: "HOST_ES_SELECTOR", inLinux: true, encoding: 0x0c00, width: "16", type: "host", title: "Host ES selector", sdm: "B.1.3" },
  { name: "HOST_CS_SELECTOR", inLinux: true, encoding: 0x0c02, width: "16", type: "host", title: "Host CS selector", sdm: "B.1.3" },
  { name: "HOST_SS_SELECTOR", inLinux: true, encoding: 0x0c04, width: "16", type: "host", title: "Host SS selector", sdm: "B.1.3" },
  { name: "HOST_DS_SELECTOR", inLinux: true, encoding: 0x0c06, width: "16", type: "host", title: "Host DS selector", sdm: "B.1.3" },
  { name: "HOST_FS_SELECTOR", inLinux: true, encoding: 0x0c08, width: "16", type: "host", title: "Host FS selector", sdm: "B.1.3" },
  { name: "HOST_GS_SELECTOR", inLinux: true, encoding: 0x0c0a, width: "16", type: "host", title: "Host GS selector", sdm: "B.1.3" },
  { name: "HOST_TR_SELECTOR", inLinux: true, encoding: 0x0c0c, width: "16", type: "host", title: "Host TR selector", sdm: "B.1.3" },

  // B.2.1 64-bit control fields (Table B-4)
  { name: "IO_BITMAP_A", inLinux: true, encoding: 0x2000, width: "64", type: "control", title: "Address of I/O bitmap A", sdm: "B.2.1" },
  { name: "IO_BITMAP_B", inLinux: true, encoding: 0x2002, width: "64", type: "control", title: "Address of I/O bitmap B", sdm: "B.2.1" },
  { name: "MSR_BITMAP", inLinux: true, encoding: 0x2004, width: "64", type: "control", title: "Address of MSR bitmaps", sdm: "B.2.1", existsIf: ["CPU_BASED_USE_MSR_BITMAPS"] },
  { name: "VM_EXIT_MSR_STORE_ADDR", inLinux: true, encoding: 0x2006, width: "64", type: "control", title: "VM-exit MSR-store address", sdm: "B.2.1" },
  { name: "VM_EXIT_MSR_LOAD_ADDR", inLinux: true, encoding: 0x2008, width: "64", type: "control", title: "VM-exit MSR-load address", sdm: "B.2.1" },
  { name: "VM_ENTRY_MSR_LOAD_ADDR", inLinux: true, encoding: 0x200a, width: "64", type: "control", title: "VM-entry MSR-load address", sdm: "B.2.1" },
  { name: "EXECUTIVE_VMCS_POINTER", inLinux: false, encoding: 0x200c, width: "64", type: "control", title: "Executive-VMCS pointer", sdm: "B.2.1" },
  { name: "PML_ADDRESS", inLinux: true, encoding: 0x200e, width: "64", type: "control", title: "PML address", sdm: "B.2.1", existsIf: ["SECONDARY_EXEC_ENABLE_PML"] },
  { name: "TSC_OFFSET", inLinux: true, encoding: 0x2010, width: "64", type: "control", title: "TSC offset", sdm: "B.2.1" },
  { name: "VIRTUAL_APIC_PAGE_ADDR", inLinux: true, encoding: 0x2012, width: "64", type: "control", title: "Virtual-APIC address", sdm: "B.2.1", existsIf: ["CPU_BASED_TPR_SHADOW"] },
  { name: "APIC_ACCESS_ADDR", inLinux: true, encoding: 0x2014, width: "64", type: "control", title: "APIC-access address", sdm: "B.2.1", existsIf: ["SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES"] },
  { name: "POSTED_INTR_DESC_ADDR", inLinux: true, encoding: 0x2016, width: "64", type: "control", title: "Posted-interrupt descriptor address", sdm: "B.2.1", existsIf: ["PIN_BASED_POSTED_INTR"] },
  { name: "VM_FUNCTION_CONTROL", inLinux: true, encoding: 0x2018, width: "64", type: "control", title: "VM-function controls", sdm: "B.2.1", existsIf: ["SECONDARY_EXEC_ENABLE_VMFUNC"] },
  { name: "EPT_POINTER", inLinux: true, encoding: 0x201a, width: "64", type: "control", title: "EPT pointer (EPTP)", sdm: "B.2.1", existsIf: ["SECONDARY_EXEC_ENABLE_EPT"] },
  { name: "EOI_EXIT_BITMAP0", inLinux: true, encoding: 0x201c, width: "64", type: "control", title: "EOI-exit bitmap 0 (EOI_EXIT0)", sdm: "B.2.1", existsIf: ["SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY"] },
  { name: "EOI_EXIT_BITMAP1", inLinux: true, encoding: 0x201e, width: "64", type: "control", title: "EOI-exit bitmap 1 (EOI_EXIT1)", sdm: "B.2.1", existsIf: ["SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY"] },
  { name: "EOI_EXIT_BITMAP2", inLinux: true, encoding: 0x2020, width: "64", type: "control", title: "EOI-exit bitmap 2 (EOI_EXIT2)", sdm: "B.2.1", existsIf: ["SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY"] },
  { name: "EOI_EXIT_BITMAP3", inLinux: true, encoding: 0x2022, width: "64", type: "control", title: "EOI-exit bitmap 3 (EOI_EXIT3)", sdm: "B.2.1", existsIf: ["SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY"] },
  // The footnote names the EPTP-switching VM function: a bit of the VM-function controls, not of an execution control word.
  { name: "EPTP_LIST_ADDRESS", inLinux: true, encoding: 0x2024, width: "64", type: "control", title: "EPTP-list address", sdm: "B.2.1", existsIf: ["VMX_VMFUNC_EPTP_SWITCHING"] },
  { name: "VMREAD_BITMAP", inLinux: true, encoding: 0x2026, width: "64", type: "control", title: "VMREAD-bitmap address", sdm: "B.2.1", existsIf: ["SECONDARY_EXEC_SHADOW_VMCS"] },
  { name: "VMWRITE_BITMAP", inLinux: true, encoding: 0x2028, width: "64", type: "control", title: "VMWRITE-bitmap address", sdm: "B.2.1", existsIf: ["SECONDARY_EXEC_SHADOW_VMCS"] },
  { name: "VE_INFORMATION_ADDRESS", inLinux: true, encoding: 0x202a, width: "64", type: "control", title: "Virtualization-exception information address", sdm: "B.2.1", existsIf: ["SECONDARY_EXEC_EPT_VIOLATION_VE"] },
  { name: "XSS_EXIT_BITMAP", inLinux: true, encoding: 0x202c, width: "64", type: "control", title: "XSS-exiting bitmap", sdm: "B.2.1", existsIf: ["SECONDARY_EXEC_ENABLE_XSAVES"] },
  { name: "ENCLS_EXITING_BITMAP", inLinux: true, encoding: 0x202e, width: "64", type: "control", title: "ENCLS-exiting bitmap", sdm: "B.2.1", existsIf: ["SECONDARY_EXEC_ENCLS_EXITING"] },
  { name: "SPPT_POINTER", inLinux: false, encoding: 0x2030, width: "64", type: "control", title: "Sub-page-permission-table pointer (SPPTP)", sdm: "B.2.1", existsIf: ["SECONDARY_EXEC_ENABLE_SPP"] },
  { name: "TSC_MULTIPLIER", inLinux: true, encoding: 0x2032, width: "64", type: "control", title: "TSC multiplier", sdm: "B.2.1", existsIf: ["SECONDARY_EXEC_TSC_SCALING"] },
  { name: "TERTIARY_VM_EXEC_CONTROL", inLinux: true, encoding: 0x2034, width: "64", type: "control", title: "Tertiary processor-based VM-execution controls", sdm: "B.2.1", existsIf: ["CPU_BASED_ACTIVATE_TERTIARY_CONTROLS"] },
  { name: "ENCLV_EXITING_BITMAP", inLinux: false, encoding: 0x2036, width: "64", type: "control", title: "ENCLV-exiting bitmap", sdm: "B.2.1", existsIf: ["SECONDARY_EXEC_ENCLV_EXITING"] },
  { name: "LOW_PASID_DIRECTORY_ADDRESS", inLinux: false, encoding: 0x2038, width: "64", type: "control", title: "Low PASID directory address", sdm: "B.2.1", existsIf: ["SECONDARY_EXEC_PASID_TRANSLATION"] },
  { name: "HIGH_PASID_DIRECTORY_ADDRESS", inLinux: false, encoding: 0x203a, width: "64", type: "control", title: "High PASID directory address", sdm: "B.2.1", existsIf: ["SECONDARY_EXEC_PASID_TRANSLATION"] },
  // Used only in SEAM VMX non-root operation (the Intel TDX module's guests): no VMX control makes it exist.
  { name: "SHARED_EPT_POINTER", inLinux: true, encoding: 0x203c, width: "64", type: "control", title: "Shared EPT pointer (shared EPTP)", sdm: "B.2.1", existsIf: [] },
  { name: "PCONFIG_EXITING_BITMAP", inLinux: false, encoding: 0x203e, width: "64", type: "control", title: "PCONFIG-exiting bitmap", sdm: "B.2.1", existsIf: ["SECONDARY_EXEC_ENABLE_PCONFIG"] },
  { name: "HLAT_POINTER", inLinux: false, encoding: 0x2040, width: "64", type: "control", title: "Hypervisor-managed linear-address translation pointer (HLATP)", sdm: "B.2.1", existsIf: ["TERTIARY_EXEC_ENABLE_HLAT"] },
  { name: "PID_POINTER_TABLE", inLinux: true, encoding: 0x2042, width: "64", type: "control", title: "PID-pointer table address", sdm: "B.2.1", existsIf: ["TERTIARY_EXEC_IPI_VIRT"] },
  { name: "SECONDARY_VM_EXIT_CONTROLS", inLinux: false, encoding: 0x2044, width: "64", type: "control", title: "Secondary VM-exit controls", sdm: "B.2.1", existsIf: ["VM_EXIT_ACTIVATE_SECONDARY_CONTROLS"] },
  { name: "IA32_SPEC_CTRL_MASK", inLinux: false, encoding: 0x204a, width: "64", type: "control", title: "IA32_SPEC_CTRL mask", sdm: "B.2.1", existsIf: ["TERTIARY_EXEC_SPEC_CTRL_SHADOW"] },
  { name: "IA32_SPEC_CTRL_SHADOW", inLinux: false, encoding: 0x204c, width: "64", type: "control", title: "IA32_SPEC_CTRL shadow", sdm: "B.2.1", existsIf: ["TERTIARY_EXEC_SPEC_CTRL_SHADOW"] },
  // FRED: the field exists on processors that support FRED; the two FRED controls stand for that.
  { name: "INJECTED_EVENT_DATA", inLinux: false, encoding: 0x2052, width: "64", type: "control", title: "Injected-event data", sdm: "B.2.1", existsIf: ["VM_ENTRY_LOAD_IA32_FRED", "SECONDARY_VM_EXIT_SAVE_IA32_FRED"] },

  // B.2.2 64-bit read-only data fields (Table B-5)
  { name: "GUEST_PHYSICAL_ADDRESS", inLinux: true, encoding: 0x2400, width: "64", type: "read-only", title: "Guest-physical address", sdm: "B.2.2", existsIf: ["SECONDARY_EXEC_ENABLE_EPT"] },
  // FRED, as for injected-event data.
  { name: "ORIGINAL_EVENT_DATA", inLinux: false, encoding: 0x2404, width: "64", type: "read-only", title: "Original-event data", sdm: "B.2.2", existsIf: ["VM_ENTRY_LOAD_IA32_FRED", "SECONDARY_VM_EXIT_SAVE_IA32_FRED"] },

  // B.2.3 64-bit guest-state fields (Table B-6)
  { name: "VMCS_LINK_POINTER", inLinux: true, encoding: 0x2800, width: "64", type: "guest", title: "VMCS link pointer", sdm: "B.2.3" },
  { name: "GUEST_IA32_DEBUGCTL", inLinux: true, encoding: 0x2802, width: "64", type: "guest", title: "Guest IA32_DEBUGCTL", sdm: "B.2.3" },
  { name: "GUEST_IA32_PAT", inLinux: true, encoding: 0x2804, width: "64", type: "guest", title: "Guest IA32_PAT", sdm: "B.2.3", existsIf: ["VM_ENTRY_LOAD_IA32_PAT", "VM_EXIT_SAVE_IA32_PAT"] },
  { name: "GUEST_IA32_EFER", inLinux: true, encoding: 0x2806, width: "64", type: "guest", title: "Guest IA32_EFER", sdm: "B.2.3", existsIf: ["VM_ENTRY_LOAD_IA32_EFER", "VM_EXIT_SAVE_IA32_EFER"] },
  { name: "GUEST_IA32_PERF_GLOBAL_CTRL", inLinux: true, encoding: 0x2808, width: "64", type: "guest", title: "Guest IA32_PERF_GLOBAL_CTRL", sdm: "B.2.3", existsIf: ["VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL", "VM_EXIT_SAVE_IA32_PERF_GLOBAL_CTRL"] },
  { name: "GUEST_PDPTR0", inLinux: true, encoding: 0x280a, width: "64", type: "guest", title: "Guest PDPTE0", sdm: "B.2.3", existsIf: ["SECONDARY_EXEC_ENABLE_EPT"] },
  { name: "GUEST_PDPTR1", inLinux: true, encoding: 0x280c, width: "64", type: "guest", title: "Guest PDPTE1", sdm: "B.2.3", existsIf: ["SECONDARY_EXEC_ENABLE_EPT"] },
  { name: "GUEST_PDPTR2", inLinux: true, encoding: 0x280e, width: "64", type: "guest", title: "Guest PDPTE2", sdm: "B.2.3", existsIf: ["SECONDARY_EXEC_ENABLE_EPT"] },
  { name: "GUEST_PDPTR3", inLinux: true, encoding: 0x2810, width: "64", type: "guest", title: "Guest PDPTE3", sdm: "B.2.3", existsIf: ["SECONDARY_EXEC_ENABLE_EPT"] },
  { name: "GUEST_BNDCFGS", inLinux: true, encoding: 0x2812, width: "64", type: "guest", title: "Guest IA32_BNDCFGS", sdm: "B.2.3", existsIf: ["VM_ENTRY_LOAD_BNDCFGS", "VM_EXIT_CLEAR_BNDCFGS"] },
  { name: "GUEST_IA32_RTIT_CTL", inLinux: true, encoding: 0x2814, width: "64", type: "guest", title: "Guest IA32_RTIT_CTL", sdm: "B.2.3", existsIf: ["VM_ENTRY_LOAD_IA32_RTIT_CTL", "VM_EXIT_CLEAR_IA32_RTIT_CTL"] },
  { name: "GUEST_IA32_LBR_CTL", inLinux: false, encoding: 0x2816, width: "64", type: "guest", title: "Guest IA32_LBR_CTL", sdm: "B.2.3", existsIf: ["VM_ENTRY_LOAD_IA32_LBR_CTL", "VM_EXIT_CLEAR_IA32_LBR_CTL"] },
  { name: "GUEST_IA32_PKRS", inLinux: false, encoding: 0x2818, width: "64", type: "guest", title: "Guest IA32_PKRS", sdm: "B.2.3", existsIf: ["VM_ENTRY_LOAD_IA32_PKRS"] },
  { name: "GUEST_IA32_FRED_CONFIG", inLinux: false, encoding: 0x281a, width: "64", type: "guest", title: "Guest IA32_FRED_CONFIG", sdm: "B.2.3", existsIf: ["VM_ENTRY_LOAD_IA32_FRED", "SECONDARY_VM_EXIT_SAVE_IA32_FRED"] },
  { name: "GUEST_IA32_FRED_RSP1", inLinux: false, encoding: 0x281c, width: "64", type: "guest", title: "Guest IA32_FRED_RSP1", sdm: "B.2.3", existsIf: ["VM_ENTRY_LOAD_IA32_FRED", "SECONDARY_VM_EXIT_SAVE_IA32_FRED"] },
  { name: "GUEST_IA32_FRED_RSP2", inLinux: false, encoding: 0x281e, width: "64", type: "guest", title: "Guest IA32_FRED_RSP2", sdm: "B.2.3", existsIf: ["VM_ENTRY_LOAD_IA32_FRED", "SECONDARY_VM_EXIT_SAVE_IA32_FRED"] },
  { name: "GUEST_IA32_FRED_RSP3", inLinux: false, encoding: 0x2820, width: "64", type: "guest", title: "Guest IA32_FRED_RSP3", sdm: "B.2.3", existsIf: ["VM_ENTRY_LOAD_IA32_FRED", "SECONDARY_VM_EXIT_SAVE_IA32_FRED"] },
  { name: "GUEST_IA32_FRED_STKLVLS", inLinux: false, encoding: 0x2822, width: "64", type: "guest", title: "Guest IA32_FRED_STKLVLS", sdm: "B.2.3", existsIf: ["VM_ENTRY_LOAD_IA32_FRED", "SECONDARY_VM_EXIT_SAVE_IA32_FRED"] },
  { name: "GUEST_IA32_FRED_SSP1", inLinux: false, encoding: 0x2824, width: "64", type: "guest", title: "Guest IA32_FRED_SSP1", sdm: "B.2.3", existsIf: ["VM_ENTRY_LOAD_IA32_FRED", "SECONDARY_VM_EXIT_SAVE_IA32_FRED"] },
  { name: "GUEST_IA32_FRED_SSP2", inLinux: false, encoding: 0x2826, width: "64", type: "guest", title: "Guest IA32_FRED_SSP2", sdm: "B.2.3", existsIf: ["VM_ENTRY_LOAD_IA32_FRED", "SECONDARY_VM_EXIT_SAVE_IA32_FRED"] },
  { name: "GUEST_IA32_FRED_SSP3", inLinux: false, encoding: 0x2828, width: "64", type: "guest", title: "Guest IA32_FRED_SSP3", sdm: "B.2.3", existsIf: ["VM_ENTRY_LOAD_IA32_FRED", "SECONDARY_VM_EXIT_SAVE_IA32_FRED"] },

  // B.2.4 64-bit host-state fields (Table B-7)
  { name: "HOST_IA32_PAT", inLinux: true, encoding: 0x2c00, width: "64", type: "host", title: "Host IA32_PAT", sdm: "B.2.4", existsIf: ["VM_EXIT_LOAD_IA32_PAT"] },
  { name: "HOST_IA32_EFER", inLinux: true, encoding: 0x2c02, width: "64", type: "host", title: "Host IA32_EFER", sdm: "B.2.4", existsIf: ["VM_EXIT_LOAD_IA32_EFER"] },
  { name: "HOST_IA32_PERF_GLOBAL_CTRL", inLinux: true, encoding: 0x2c04, width: "64", type: "host", title: "Host IA32_PERF_GLOBAL_CTRL", sdm: "B.2.4", existsIf: ["VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL"] },
  { name: "HOST_IA32_PKRS", inLinux: false, encoding: 0x2c06, width: "64", type: "host", title: "Host IA32_PKRS", sdm: "B.2.4", existsIf: ["VM_EXIT_LOAD_IA32_PKRS"] },
  { name: "HOST_IA32_FRED_CONFIG", inLinux: false, encoding: 0x2c08, width: "64", type: "host", title: "Host IA32_FRED_CONFIG", sdm: "B.2.4", existsIf: ["SECONDARY_VM_EXIT_LOAD_IA32_FRED"] },
  { name: "HOST_IA32_FRED_RSP1", inLinux: false, encoding: 0x2c0a, width: "64", type: "host", title: "Host IA32_FRED_RSP1", sdm: "B.2.4", existsIf: ["SECONDARY_VM_EXIT_LOAD_IA32_FRED"] },
  { name: "HOST_IA32_FRED_RSP2", inLinux: false, encoding: 0x2c0c, width: "64", type: "host", title: "Host IA32_FRED_RSP2", sdm: "B.2.4", existsIf: ["SECONDARY_VM_EXIT_LOAD_IA32_FRED"] },
  { name: "HOST_IA32_FRED_RSP3", inLinux: false, encoding: 0x2c0e, width: "64", type: "host", title: "Host IA32_FRED_RSP3", sdm: "B.2.4", existsIf: ["SECONDARY_VM_EXIT_LOAD_IA32_FRED"] },
  { name: "HOST_IA32_FRED_STKLVLS", inLinux: false, encoding: 0x2c10, width: "64", type: "host", title: "Host IA32_FRED_STKLVLS", sdm: "B.2.4", existsIf: ["SECONDARY_VM_EXIT_LOAD_IA32_FRED"] },
  { name: "HOST_IA32_FRED_SSP1", inLinux: false, encoding: 0x2c12, width: "64", type: "host", title: "Host IA32_FRED_SSP1", sdm: "B.2.4", existsIf: ["SECONDARY_VM_EXIT_LOAD_IA32_FRED"] },
  { name: "HOST_IA32_FRED_SSP2", inLinux: false, encoding: 0x2c14, width: "64", type: "host", title: "Host IA32_FRED_SSP2", sdm: "B.2.4", existsIf: ["SECONDARY_VM_EXIT_LOAD_IA32_FRED"] },
  { name: "HOST_IA32_FRED_SSP3", inLinux: false, encoding: 0x2c16, width: "64", type: "host", title: "Host IA32_FRED_SSP3", sdm: "B.2.4", existsIf: ["SECONDARY_VM_EXIT_LOAD_IA32_FRED"] },

  // B.3.1 32-bit control fields (Table B-8)
  { name: "PIN_BASED_VM_EXEC_CONTROL", inLinux: true, encoding: 0x4000, width: "32", type: "control", title: "Pin-based VM-execution controls", sdm: "B.3.1" },
  { name: "CPU_BASED_VM_EXEC_CONTROL", inLinux: true, encoding: 0x4002, width: "32", type: "control", title: "Primary processor-based VM-execution controls", sdm: "B.3.1" },
  { name: "EXCEPTION_BITMAP", inLinux: true, encoding: 0x4004, width: "32", type: "control", title: "Exception bitmap", sdm: "B.3.1" },
  { name: "PAGE_FAULT_ERROR_CODE_MASK", inLinux: true, encoding: 0x4006, width: "32", type: "control", title: "Page-fault error-code mask", sdm: "B.3.1" },
  { name: "PAGE_FAULT_ERROR_CODE_MATCH", inLinux: true, encoding: 0x4008, width: "32", type: "control", title: "Page-fault error-code match", sdm: "B.3.1" },
  { name: "CR3_TARGET_COUNT", inLinux: true, encoding: 0x400a, width: "32", type: "control", title: "CR3-target count", sdm: "B.3.1" },
  { name: "VM_EXIT_CONTROLS", inLinux: true, encoding: 0x400c, width: "32", type: "control", title: "Primary VM-exit controls", sdm: "B.3.1" },
  { name: "VM_EXIT_MSR_STORE_COUNT", inLinux: true, encoding: 0x400e, width: "32", type: "control", title: "VM-exit MSR-store count", sdm: "B.3.1" },
  { name: "VM_EXIT_MSR_LOAD_COUNT", inLinux: true, encoding: 0x4010, width: "32", type: "control", title: "VM-exit MSR-load count", sdm: "B.3.1" },
  { name: "VM_ENTRY_CONTROLS", inLinux: true, encoding: 0x4012, width: "32", type: "control", title: "VM-entry controls", sdm: "B.3.1" },
  { name: "VM_ENTRY_MSR_LOAD_COUNT", inLinux: true, encoding: 0x4014, width: "32", type: "control", title: "VM-entry MSR-load count", sdm: "B.3.1" },
  { name: "VM_ENTRY_INTR_INFO_FIELD", inLinux: true, encoding: 0x4016, width: "32", type: "control", title: "VM-entry interruption-information field", sdm: "B.3.1" },
  { name: "VM_ENTRY_EXCEPTION_ERROR_CODE", inLinux: true, encoding: 0x4018, width: "32", type: "control", title: "VM-entry exception error code", sdm: "B.3.1" },
  { name: "VM_ENTRY_INSTRUCTION_LEN", inLinux: true, encoding: 0x401a, width: "32", type: "control", title: "VM-entry instruction length", sdm: "B.3.1" },
  { name: "TPR_THRESHOLD", inLinux: true, encoding: 0x401c, width: "32", type: "control", title: "TPR threshold", sdm: "B.3.1", existsIf: ["CPU_BASED_TPR_SHADOW"] },
  { name: "SECONDARY_VM_EXEC_CONTROL", inLinux: true, encoding: 0x401e, width: "32", type: "control", title: "Secondary processor-based VM-execution controls", sdm: "B.3.1", existsIf: ["CPU_BASED_ACTIVATE_SECONDARY_CONTROLS"] },
  { name: "PLE_GAP", inLinux: true, encoding: 0x4020, width: "32", type: "control", title: "PLE_Gap", sdm: "B.3.1", existsIf: ["SECONDARY_EXEC_PAUSE_LOOP_EXITING"] },
  { name: "PLE_WINDOW", inLinux: true, encoding: 0x4022, width: "32", type: "control", title: "PLE_Window", sdm: "B.3.1", existsIf: ["SECONDARY_EXEC_PAUSE_LOOP_EXITING"] },
  // Linux calls the field and its control by their earlier name, "notify window" / "notify VM exiting".
  { name: "NOTIFY_WINDOW", inLinux: true, encoding: 0x4024, width: "32", type: "control", title: "Instruction-timeout control", sdm: "B.3.1", existsIf: ["SECONDARY_EXEC_NOTIFY_VM_EXITING"] },

  // B.3.2 32-bit read-only data fields (Table B-9)
  { name: "VM_INSTRUCTION_ERROR", inLinux: true, encoding: 0x4400, width: "32", type: "read-only", title: "VM-instruction error", sdm: "B.3.2" },
  { name: "VM_EXIT_REASON", inLinux: true, encoding: 0x4402, width: "32", type: "read-only", title: "Exit reason", sdm: "B.3.2" },
  { name: "VM_EXIT_INTR_INFO", inLinux: true, encoding: 0x4404, width: "32", type: "read-only", title: "VM-exit interruption information", sdm: "B.3.2" },
  { name: "VM_EXIT_INTR_ERROR_CODE", inLinux: true, encoding: 0x4406, width: "32", type: "read-only", title: "VM-exit interruption error code", sdm: "B.3.2" },
  { name: "IDT_VECTORING_INFO_FIELD", inLinux: true, encoding: 0x4408, width: "32", type: "read-only", title: "IDT-vectoring information field", sdm: "B.3.2" },
  { name: "IDT_VECTORING_ERROR_CODE", inLinux: true, encoding: 0x440a, width: "32", type: "read-only", title: "IDT-vectoring error code", sdm: "B.3.2" },
  { name: "VM_EXIT_INSTRUCTION_LEN", inLinux: true, encoding: 0x440c, width: "32", type: "read-only", title: "VM-exit instruction length", sdm: "B.3.2" },
  { name: "VMX_INSTRUCTION_INFO", inLinux: true, encoding: 0x440e, width: "32", type: "read-only", title: "VM-exit instruction information", sdm: "B.3.2" },

  // B.3.3 32-bit guest-state fields (Table B-10)
  { name: "GUEST_ES_LIMIT", inLinux: true, encoding: 0x4800, width: "32", type: "guest", title: "Guest ES limit", sdm: "B.3.3" },
  { name: "GUEST_CS_LIMIT", inLinux: true, encoding: 0x4802, width: "32", type: "guest", title: "Guest CS limit", sdm: "B.3.3" },
  { name: "GUEST_SS_LIMIT", inLinux: true, encoding: 0x4804, width: "32", type: "guest", title: "Guest SS limit", sdm: "B.3.3" },
  { name: "GUEST_DS_LIMIT", inLinux: true, encoding: 0x4806, width: "32", type: "guest", title: "Guest DS limit", sdm: "B.3.3" },
  { name: "GUEST_FS_LIMIT", inLinux: true, encoding: 0x4808, width: "32", type: "guest", title: "Guest FS limit", sdm: "B.3.3" },
  { name: "GUEST_GS_LIMIT", inLinux: true, encoding: 0x480a, width: "32", type: "guest", title: "Guest GS limit", sdm: "B.3.3" },
  { name: "GUEST_LDTR_LIMIT", inLinux: true, encoding: 0x480c, width: "32", type: "guest", title: "Guest LDTR limit", sdm: "B.3.3" },
  { name: "GUEST_TR_LIMIT", inLinux: true, encoding: 0x480e, width: "32", type: "guest", title: "Guest TR limit", sdm: "B.3.3" },
  { name: "GUEST_GDTR_LIMIT", inLinux: true, encoding: 0x4810, width: "32", type: "guest", title: "Guest GDTR limit", sdm: "B.3.3" },
  { name: "GUEST_IDTR_LIMIT", inLinux: true, encoding: 0x4812, width: "32", type: "guest", title: "Guest IDTR limit", sdm: "B.3.3" },
  { name: "GUEST_ES_AR_BYTES", inLinux: true, encoding: 0x4814, width: "32", type: "guest", title: "Guest ES access rights", sdm: "B.3.3" },
  { name: "GUEST_CS_AR_BYTES", inLinux: true, encoding: 0x4816, width: "32", type: "guest", title: "Guest CS access rights", sdm: "B.3.3" },
  { name: "GUEST_SS_AR_BYTES", inLinux: true, encoding: 0x4818, width: "32", type: "guest", title: "Guest SS access rights", sdm: "B.3.3" },
  { name: "GUEST_DS_AR_BYTES", inLinux: true, encoding: 0x481a, width: "32", type: "guest", title: "Guest DS access rights", sdm: "B.3.3" },
  { name: "GUEST_FS_AR_BYTES", inLinux: true, encoding: 0x481c, width: "32", type: "guest", title: "Guest FS access rights", sdm: "B.3.3" },
  { name: "GUEST_GS_AR_BYTES", inLinux: true, encoding: 0x481e, width: "32", type: "guest", title: "Guest GS access rights", sdm: "B.3.3" },
  { name: "GUEST_LDTR_AR_BYTES", inLinux: true, encoding: 0x4820, width: "32", type: "guest", title: "Guest LDTR access rights", sdm: "B.3.3" },
  { name: "GUEST_TR_AR_BYTES", inLinux: true, encoding: 0x4822, width: "32", type: "guest", title: "Guest TR access rights", sdm: "B.3.3" },
  { name: "GUEST_INTERRUPTIBILITY_INFO", inLinux: true, encoding: 0x4824, width: "32", type: "guest", title: "Guest interruptibility state", sdm: "B.3.3" },
  { name: "GUEST_ACTIVITY_STATE", inLinux: true, encoding: 0x4826, width: "32", type: "guest", title: "Guest activity state", sdm: "B.3.3" },
  { name: "GUEST_SMBASE", inLinux: false, encoding: 0x4828, width: "32", type: "guest", title: "Guest SMBASE", sdm: "B.3.3" },
  { name: "GUEST_SYSENTER_CS", inLinux: true, encoding: 0x482a, width: "32", type: "guest", title: "Guest IA32_SYSENTER_CS", sdm: "B.3.3" },
  { name: "VMX_PREEMPTION_TIMER_VALUE", inLinux: true, encoding: 0x482e, width: "32", type: "guest", title: "VMX-preemption timer value", sdm: "B.3.3", existsIf: ["PIN_BASED_VMX_PREEMPTION_TIMER"] },

  // B.3.4 32-bit host-state field (Table B-11)
  { name: "HOST_IA32_SYSENTER_CS", inLinux: true, encoding: 0x4c00, width: "32", type: "host", title: "Host IA32_SYSENTER_CS", sdm: "B.3.4" },

  // B.4.1 natural-width control fields (Table B-12)
  { name: "CR0_GUEST_HOST_MASK", inLinux: true, encoding: 0x6000, width: "natural", type: "control", title: "CR0 guest/host mask", sdm: "B.4.1" },
  { name: "CR4_GUEST_HOST_MASK", inLinux: true, encoding: 0x6002, width: "natural", type: "control", title: "CR4 guest/host mask", sdm: "B.4.1" },
  { name: "CR0_READ_SHADOW", inLinux: true, encoding: 0x6004, width: "natural", type: "control", title: "CR0 read shadow", sdm: "B.4.1" },
  { name: "CR4_READ_SHADOW", inLinux: true, encoding: 0x6006, width: "natural", type: "control", title: "CR4 read shadow", sdm: "B.4.1" },
  { name: "CR3_TARGET_VALUE0", inLinux: true, encoding: 0x6008, width: "natural", type: "control", title: "CR3-target value 0", sdm: "B.4.1" },
  { name: "CR3_TARGET_VALUE1", inLinux: true, encoding: 0x600a, width: "natural", type: "control", title: "CR3-target value 1", sdm: "B.4.1" },
  { name: "CR3_TARGET_VALUE2", inLinux: true, encoding: 0x600c, width: "natural", type: "control", title: "CR3-target value 2", sdm: "B.4.1" },
  { name: "CR3_TARGET_VALUE3", inLinux: true, encoding: 0x600e, width: "natural", type: "control", title: "CR3-target value 3", sdm: "B.4.1" },

  // B.4.2 natural-width read-only data fields (Table B-13)
  { name: "EXIT_QUALIFICATION", inLinux: true, encoding: 0x6400, width: "natural", type: "read-only", title: "Exit qualification", sdm: "B.4.2" },
  { name: "IO_RCX", inLinux: false, encoding: 0x6402, width: "natural", type: "read-only", title: "I/O RCX", sdm: "B.4.2" },
  { name: "IO_RSI", inLinux: false, encoding: 0x6404, width: "natural", type: "read-only", title: "I/O RSI", sdm: "B.4.2" },
  { name: "IO_RDI", inLinux: false, encoding: 0x6406, width: "natural", type: "read-only", title: "I/O RDI", sdm: "B.4.2" },
  { name: "IO_RIP", inLinux: false, encoding: 0x6408, width: "natural", type: "read-only", title: "I/O RIP", sdm: "B.4.2" },
  { name: "GUEST_LINEAR_ADDRESS", inLinux: true, encoding: 0x640a, width: "natural", type: "read-only", title: "Guest-linear address", sdm: "B.4.2" },

  // B.4.3 natural-width guest-state fields (Table B-14)
  { name: "GUEST_CR0", inLinux: true, encoding: 0x6800, width: "natural", type: "guest", title: "Guest CR0", sdm: "B.4.3" },
  { name: "GUEST_CR3", inLinux: true, encoding: 0x6802, width: "natural", type: "guest", title: "Guest CR3", sdm: "B.4.3" },
  { name: "GUEST_CR4", inLinux: true, encoding: 0x6804, width: "natural", type: "guest", title: "Guest CR4", sdm: "B.4.3" },
  { name: "GUEST_ES_BASE", inLinux: true, encoding: 0x6806, width: "natural", type: "guest", title: "Guest ES base", sdm: "B.4.3" },
  { name: "GUEST_CS_BASE", inLinux: true, encoding: 0x6808, width: "natural", type: "guest", title: "Guest CS base", sdm: "B.4.3" },
  { name: "GUEST_SS_BASE", inLinux: true, encoding: 0x680a, width: "natural", type: "guest", title: "Guest SS base", sdm: "B.4.3" },
  { name: "GUEST_DS_BASE", inLinux: true, encoding: 0x680c, width: "natural", type: "guest", title: "Guest DS base", sdm: "B.4.3" },
  { name: "GUEST_FS_BASE", inLinux: true, encoding: 0x680e, width: "natural", type: "guest", title: "Guest FS base", sdm: "B.4.3" },
  { name: "GUEST_GS_BASE", inLinux: true, encoding: 0x6810, width: "natural", type: "guest", title: "Guest GS base", sdm: "B.4.3" },
  { name: "GUEST_LDTR_BASE", inLinux: true, encoding: 0x6812, width: "natural", type: "guest", title: "Guest LDTR base", sdm: "B.4.3" },
  { name: "GUEST_TR_BASE", inLinux: true, encoding: 0x6814, width: "natural", type: "guest", title: "Guest TR base", sdm: "B.4.3" },
  { name: "GUEST_GDTR_BASE", inLinux: true, encoding: 0x6816, width: "natural", type: "guest", title: "Guest GDTR base", sdm: "B.4.3" },
  { name: "GUEST_IDTR_BASE", inLinux: true, encoding: 0x6818, width: "natural", type: "guest", title: "Guest IDTR base", sdm: "B.4.3" },
  { name: "GUEST_DR7", inLinux: true, encoding: 0x681a, width: "natural", type: "guest", title: "Guest DR7", sdm: "B.4.3" },
  { name: "GUEST_RSP", inLinux: true, encoding: 0x681c, width: "natural", type: "guest", title: "Guest RSP", sdm: "B.4.3" },
  { name: "GUEST_RIP", inLinux: true, encoding: 0x681e, width: "natural", type: "guest", title: "Guest RIP", sdm: "B.4.3" },
  { name: "GUEST_RFLAGS", inLinux: true, encoding: 0x6820, width: "natural", type: "guest", title: "Guest RFLAGS", sdm: "B.4.3" },
  { name: "GUEST_PENDING_DBG_EXCEPTIONS", inLinux: true, encoding: 0x6822, width: "natural", type: "guest", title: "Guest pending debug exceptions", sdm: "B.4.3" },
  { name: "GUEST_SYSENTER_ESP", inLinux: true, encoding: 0x6824, width: "natural", type: "guest", title: "Guest IA32_SYSENTER_ESP", sdm: "B.4.3" },
  { name: "GUEST_SYSENTER_EIP", inLinux: true, encoding: 0x6826, width: "natural", type: "guest", title: "Guest IA32_SYSENTER_EIP", sdm: "B.4.3" },
  { name: "GUEST_S_CET", inLinux: true, encoding: 0x6828, width: "natural", type: "guest", title: "Guest IA32_S_CET", sdm: "B.4.3", existsIf: ["VM_ENTRY_LOAD_CET_STATE"] },
  { name: "GUEST_SSP", inLinux: true, encoding: 0x682a, width: "natural", type: "guest", title: "Guest SSP", sdm: "B.4.3", existsIf: ["VM_ENTRY_LOAD_CET_STATE"] },
  { name: "GUEST_INTR_SSP_TABLE", inLinux: true, encoding: 0x682c, width: "natural", type: "guest", title: "Guest IA32_INTERRUPT_SSP_TABLE_ADDR", sdm: "B.4.3", existsIf: ["VM_ENTRY_LOAD_CET_STATE"] },

  // B.4.4 natural-width host-state fields (Table B-15)
  { name: "HOST_CR0", inLinux: true, encoding: 0x6c00, width: "natural", type: "host", title: "Host CR0", sdm: "B.4.4" },
  { name: "HOST_CR3", inLinux: true, encoding: 0x6c02, width: "natural", type: "host", title: "Host CR3", sdm: "B.4.4" },
  { name: "HOST_CR4", inLinux: true, encoding: 0x6c04, width: "natural", type: "host", title: "Host CR4", sdm: "B.4.4" },
  { name: "HOST_FS_BASE", inLinux: true, encoding: 0x6c06, width: "natural", type: "host", title: "Host FS base", sdm: "B.4.4" },
  { name: "HOST_GS_BASE", inLinux: true, encoding: 0x6c08, width: "natural", type: "host", title: "Host GS base", sdm: "B.4.4" },
  { name: "HOST_TR_BASE", inLinux: true, encoding: 0x6c0a, width: "natural", type: "host", title: "Host TR base", sdm: "B.4.4" },
  { name: "HOST_GDTR_BASE", inLinux: true, encoding: 0x6c0c, width: "natural", type: "host", title: "Host GDTR base", sdm: "B.4.4" },
  { name: "HOST_IDTR_BASE", inLinux: true, encoding: 0x6c0e, width: "natural", type: "host", title: "Host IDTR base", sdm: "B.4.4" },
  { name: "HOST_IA32_SYSENTER_ESP", inLinux: true, encoding: 0x6c10, width: "natural", type: "host", title: "Host IA32_SYSENTER_ESP", sdm: "B.4.4" },
  { name: "HOST_IA32_SYSENTER_EIP", inLinux: true, encoding: 0x6c12, width: "natural", type: "host", title: "Host IA32_SYSENTER_EIP", sdm: "B.4.4" },
  { name: "HOST_RSP", inLinux: true, encoding: 0x6c14, width: "natural", type: "host", title: "Host RSP", sdm: "B.4.4" },
  { name: "HOST_RIP", inLinux: true, encoding: 0x6c16, width: "natural", type: "host", title: "Host RIP", sdm: "B.4.4" },
  { name: "HOST_S_CET", inLinux: true, encoding: 0x6c18, width: "natural", type: "host", title: "Host IA32_S_CET", sdm: "B.4.4", existsIf: ["VM_EXIT_LOAD_CET_STATE"] },
  { name: "HOST_SSP", inLinux: true, encoding: 0x6c1a, width: "natural", type: "host", title: "Host SSP", sdm: "B.4.4", existsIf: ["VM_EXIT_LOAD_CET_STATE"] },
  { name: "HOST_INTR_SSP_TABLE", inLinux: true, encoding: 0x6c1c, width: "natural", type: "host", title: "Host IA32_INTERRUPT_SSP_TABLE_ADDR", sdm: "B.4.4", existsIf: ["VM_EXIT_LOAD_CET_STATE"] },
] as const satisfies readonly VmcsFieldDef[];
