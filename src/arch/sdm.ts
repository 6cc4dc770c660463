/**
 * The Intel SDM as nvmx cites it.
 *
 * Section numbers move between editions of the manual, so every citation in nvmx is a key of
 * {@link SDM_SECTIONS} (section → title) read against the one edition named by
 * {@link SDM_REVISION}. A test checks that every table entry cites a section listed here.
 */

/** The edition of the Intel SDM whose section numbers nvmx cites. */
export const SDM_REVISION =
  "Intel 64 and IA-32 Architectures Software Developer's Manual, Volume 3 (3A-3D), current edition: " +
  "chapters 24 Introduction to VMX, 25 VMCS, 26 VMX Non-Root Operation, 27 VM Entries, 28 VM Exits, " +
  "29 VMX Support for Address Translation, 30 APIC Virtualization, 31 VMX Instruction Reference; " +
  "appendices A (capability reporting), B (field encodings), C (exit reasons)";

/**
 * Sections of SDM volume 3 that nvmx cites, with their titles.
 * Add a section here (in order) before citing it anywhere else.
 */
export const SDM_SECTIONS = {
  "2.2.1": "Extended Feature Enable Register",
  "2.3": "System Flags and Fields in the EFLAGS Register",
  "2.5": "Control Registers",
  "2.6": "Extended Control Registers (Including XCR0)",
  "3.4.5": "Segment Descriptors",
  "3.4.5.1": "Code- and Data-Segment Descriptor Types",
  "3.5": "System Descriptor Types",
  "17.2.3": "Debug Status Register (DR6)",
  "17.2.4": "Debug Control Register (DR7)",
  "24.7": "Enabling and Entering VMX Operation",
  "24.8": "Restrictions on VMX Operation",
  "25.1": "Overview",
  "25.2": "Format of the VMCS Region",
  "25.4.1": "Guest Register State",
  "25.4.2": "Guest Non-Register State",
  "25.5": "Host-State Area",
  "25.6": "VM-Execution Control Fields",
  "25.6.1": "Pin-Based VM-Execution Controls",
  "25.6.2": "Processor-Based VM-Execution Controls",
  "25.6.14": "VM-Function Controls",
  "25.7.1": "VM-Exit Controls",
  "25.8.1": "VM-Entry Controls",
  "25.8.3": "VM-Entry Controls for Event Injection",
  "25.9": "VM-Exit Information Fields",
  "25.9.1": "Basic VM-Exit Information",
  "25.9.2": "Information for VM Exits Due to Vectored Events",
  "25.9.3": "Information for VM Exits That Occur During Event Delivery",
  "25.9.5": "VM-Instruction Error Field",
  "25.11.2": "VMREAD, VMWRITE, and Encodings of VMCS Fields",
  "27.2.1.1": "VM-Execution Control Fields",
  "27.2.1.2": "VM-Exit Control Fields",
  "27.2.1.3": "VM-Entry Control Fields",
  "27.3.1.1": "Checks on Guest Control Registers, Debug Registers, and MSRs",
  "27.3.1.2": "Checks on Guest Segment Registers",
  "27.4": "Loading MSRs",
  "31.3": "VMX Instructions",
  "31.4": "VM Instruction Error Numbers",
  "A.1": "Basic VMX Information",
  "A.2": "Reserved Controls and Default Settings",
  "A.3.1": "Pin-Based VM-Execution Controls",
  "A.3.2": "Primary Processor-Based VM-Execution Controls",
  "A.3.3": "Secondary Processor-Based VM-Execution Controls",
  "A.3.4": "Tertiary Processor-Based VM-Execution Controls",
  "A.4.1": "Primary VM-Exit Controls",
  "A.4.2": "Secondary VM-Exit Controls",
  "A.5": "VM-Entry Controls",
  "A.6": "Miscellaneous Data",
  "A.7": "VMX-Fixed Bits in CR0",
  "A.8": "VMX-Fixed Bits in CR4",
  "A.9": "VMCS Enumeration",
  "A.10": "VPID and EPT Capabilities",
  "A.11": "VM Functions",
  "B.1.1": "16-Bit Control Fields",
  "B.1.2": "16-Bit Guest-State Fields",
  "B.1.3": "16-Bit Host-State Fields",
  "B.2.1": "64-Bit Control Fields",
  "B.2.2": "64-Bit Read-Only Data Field",
  "B.2.3": "64-Bit Guest-State Fields",
  "B.2.4": "64-Bit Host-State Fields",
  "B.3.1": "32-Bit Control Fields",
  "B.3.2": "32-Bit Read-Only Data Fields",
  "B.3.3": "32-Bit Guest-State Fields",
  "B.3.4": "32-Bit Host-State Field",
  "B.4.1": "Natural-Width Control Fields",
  "B.4.2": "Natural-Width Read-Only Data Fields",
  "B.4.3": "Natural-Width Guest-State Fields",
  "B.4.4": "Natural-Width Host-State Fields",
  "C": "VMX Basic Exit Reasons",
} as const satisfies Record<string, string>;

/** A section of the SDM that nvmx cites. */
export type SdmSection = keyof typeof SDM_SECTIONS;

/** Renders a citation as users read it: `SDM 27.3.1.1 (Checks on Guest Control Registers, …)`. */
export function citeSdm(section: SdmSection): string {
  return `SDM ${section} (${SDM_SECTIONS[section]})`;
}
