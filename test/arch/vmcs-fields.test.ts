import { describe, it, expect } from "vitest";
import { VMCS_FIELDS } from "../../src/arch/vmcs-fields.js";
import {
  ENCODING_RESERVED_MASK,
  FIELD_TYPES,
  FIELD_WIDTHS,
  encodingIndex,
  encodingType,
  encodingWidth,
  isHighAccess,
  makeEncoding,
  type FieldType,
  type FieldWidth,
  type VmcsFieldDef,
} from "../../src/arch/vmcs-encoding.js";
import { SDM_SECTIONS } from "../../src/arch/sdm.js";
import { controlByName } from "../../src/arch/controls.js";

/** Pinned so the table cannot silently shrink (or grow without this test being revisited). */
const FIELD_COUNT = 199;

function field(name: string): VmcsFieldDef {
  const f = VMCS_FIELDS.find((x) => x.name === name);
  if (f === undefined) throw new Error(`no VMCS field ${name}`);
  return f;
}

describe("SDM Appendix B: known encodings", () => {
  // [name, encoding, width, type, Appendix B subsection]
  const pinned: readonly (readonly [string, number, FieldWidth, FieldType, string])[] = [
    // Long-standing fields.
    ["VIRTUAL_PROCESSOR_ID", 0x0000, "16", "control", "B.1.1"],
    ["GUEST_ES_SELECTOR", 0x0800, "16", "guest", "B.1.2"],
    ["HOST_TR_SELECTOR", 0x0c0c, "16", "host", "B.1.3"],
    ["IO_BITMAP_A", 0x2000, "64", "control", "B.2.1"],
    ["VM_EXIT_MSR_STORE_ADDR", 0x2006, "64", "control", "B.2.1"],
    ["TSC_OFFSET", 0x2010, "64", "control", "B.2.1"],
    ["EPT_POINTER", 0x201a, "64", "control", "B.2.1"],
    ["GUEST_PHYSICAL_ADDRESS", 0x2400, "64", "read-only", "B.2.2"],
    ["VMCS_LINK_POINTER", 0x2800, "64", "guest", "B.2.3"],
    ["GUEST_BNDCFGS", 0x2812, "64", "guest", "B.2.3"],
    ["GUEST_IA32_RTIT_CTL", 0x2814, "64", "guest", "B.2.3"],
    ["HOST_IA32_PAT", 0x2c00, "64", "host", "B.2.4"],
    ["PIN_BASED_VM_EXEC_CONTROL", 0x4000, "32", "control", "B.3.1"],
    ["SECONDARY_VM_EXEC_CONTROL", 0x401e, "32", "control", "B.3.1"],
    ["VM_INSTRUCTION_ERROR", 0x4400, "32", "read-only", "B.3.2"],
    ["VM_EXIT_REASON", 0x4402, "32", "read-only", "B.3.2"],
    ["GUEST_ES_AR_BYTES", 0x4814, "32", "guest", "B.3.3"],
    ["GUEST_SMBASE", 0x4828, "32", "guest", "B.3.3"],
    ["VMX_PREEMPTION_TIMER_VALUE", 0x482e, "32", "guest", "B.3.3"],
    ["HOST_IA32_SYSENTER_CS", 0x4c00, "32", "host", "B.3.4"],
    ["CR0_GUEST_HOST_MASK", 0x6000, "natural", "control", "B.4.1"],
    ["EXIT_QUALIFICATION", 0x6400, "natural", "read-only", "B.4.2"],
    ["GUEST_LINEAR_ADDRESS", 0x640a, "natural", "read-only", "B.4.2"],
    ["GUEST_CR0", 0x6800, "natural", "guest", "B.4.3"],
    ["GUEST_RIP", 0x681e, "natural", "guest", "B.4.3"],
    ["HOST_RIP", 0x6c16, "natural", "host", "B.4.4"],
    // Newer fields.
    ["POSTED_INTR_NV", 0x0002, "16", "control", "B.1.1"],
    ["EPTP_INDEX", 0x0004, "16", "control", "B.1.1"],
    ["HLAT_PREFIX_SIZE", 0x0006, "16", "control", "B.1.1"],
    ["LAST_PID_POINTER_INDEX", 0x0008, "16", "control", "B.1.1"],
    ["GUEST_INTR_STATUS", 0x0810, "16", "guest", "B.1.2"],
    ["GUEST_PML_INDEX", 0x0812, "16", "guest", "B.1.2"],
    ["GUEST_UINV", 0x0814, "16", "guest", "B.1.2"],
    ["ENCLS_EXITING_BITMAP", 0x202e, "64", "control", "B.2.1"],
    ["SPPT_POINTER", 0x2030, "64", "control", "B.2.1"],
    ["TSC_MULTIPLIER", 0x2032, "64", "control", "B.2.1"],
    ["TERTIARY_VM_EXEC_CONTROL", 0x2034, "64", "control", "B.2.1"],
    ["ENCLV_EXITING_BITMAP", 0x2036, "64", "control", "B.2.1"],
    ["LOW_PASID_DIRECTORY_ADDRESS", 0x2038, "64", "control", "B.2.1"],
    ["HIGH_PASID_DIRECTORY_ADDRESS", 0x203a, "64", "control", "B.2.1"],
    ["SHARED_EPT_POINTER", 0x203c, "64", "control", "B.2.1"],
    ["PCONFIG_EXITING_BITMAP", 0x203e, "64", "control", "B.2.1"],
    ["HLAT_POINTER", 0x2040, "64", "control", "B.2.1"],
    ["PID_POINTER_TABLE", 0x2042, "64", "control", "B.2.1"],
    ["SECONDARY_VM_EXIT_CONTROLS", 0x2044, "64", "control", "B.2.1"],
    ["IA32_SPEC_CTRL_MASK", 0x204a, "64", "control", "B.2.1"],
    ["IA32_SPEC_CTRL_SHADOW", 0x204c, "64", "control", "B.2.1"],
    ["INJECTED_EVENT_DATA", 0x2052, "64", "control", "B.2.1"],
    ["ORIGINAL_EVENT_DATA", 0x2404, "64", "read-only", "B.2.2"],
    ["GUEST_IA32_LBR_CTL", 0x2816, "64", "guest", "B.2.3"],
    ["GUEST_IA32_PKRS", 0x2818, "64", "guest", "B.2.3"],
    ["GUEST_IA32_FRED_CONFIG", 0x281a, "64", "guest", "B.2.3"],
    ["GUEST_IA32_FRED_STKLVLS", 0x2822, "64", "guest", "B.2.3"],
    ["GUEST_IA32_FRED_SSP3", 0x2828, "64", "guest", "B.2.3"],
    ["HOST_IA32_PKRS", 0x2c06, "64", "host", "B.2.4"],
    ["HOST_IA32_FRED_CONFIG", 0x2c08, "64", "host", "B.2.4"],
    ["HOST_IA32_FRED_SSP3", 0x2c16, "64", "host", "B.2.4"],
    ["NOTIFY_WINDOW", 0x4024, "32", "control", "B.3.1"],
    ["GUEST_S_CET", 0x6828, "natural", "guest", "B.4.3"],
    ["GUEST_SSP", 0x682a, "natural", "guest", "B.4.3"],
    ["GUEST_INTR_SSP_TABLE", 0x682c, "natural", "guest", "B.4.3"],
    ["HOST_S_CET", 0x6c18, "natural", "host", "B.4.4"],
    ["HOST_SSP", 0x6c1a, "natural", "host", "B.4.4"],
    ["HOST_INTR_SSP_TABLE", 0x6c1c, "natural", "host", "B.4.4"],
  ];

  for (const [name, encoding, width, type, sdm] of pinned) {
    it(`${name} is ${width}-bit ${type} field 0x${encoding.toString(16).padStart(4, "0")} (SDM ${sdm})`, () => {
      const f = field(name);
      expect(f.encoding).toBe(encoding);
      expect(f.width).toBe(width);
      expect(f.type).toBe(type);
      expect(f.sdm).toBe(sdm);
    });
  }

  it("the instruction-timeout control keeps Linux's name NOTIFY_WINDOW", () => {
    expect(field("NOTIFY_WINDOW").title).toBe("Instruction-timeout control");
    expect(field("NOTIFY_WINDOW").inLinux).toBe(true);
  });

  it("the table holds exactly the pinned number of fields", () => {
    expect(VMCS_FIELDS.length).toBe(FIELD_COUNT);
  });

  it("each Appendix B table holds its pinned number of fields", () => {
    const counts: Record<string, number> = {};
    for (const f of VMCS_FIELDS) counts[f.sdm] = (counts[f.sdm] ?? 0) + 1;
    expect(counts).toEqual({
      "B.1.1": 5, "B.1.2": 11, "B.1.3": 7,
      "B.2.1": 38, "B.2.2": 2, "B.2.3": 21, "B.2.4": 12,
      "B.3.1": 19, "B.3.2": 8, "B.3.3": 23, "B.3.4": 1,
      "B.4.1": 8, "B.4.2": 6, "B.4.3": 23, "B.4.4": 15,
    });
  });
});

describe("SDM 25.11.2: every encoding is well formed", () => {
  it("every encoding is a full-access (even) encoding", () => {
    for (const f of VMCS_FIELDS) {
      expect(isHighAccess(f.encoding), f.name).toBe(false);
      expect(f.encoding % 2, f.name).toBe(0);
    }
  });

  it("bit 12 and bits 31:15 are clear in every encoding", () => {
    for (const f of VMCS_FIELDS) {
      expect((f.encoding & ENCODING_RESERVED_MASK) >>> 0, f.name).toBe(0);
      expect(f.encoding & 0x1000, f.name).toBe(0);
      expect(f.encoding >>> 15, f.name).toBe(0);
    }
  });

  it("bits 14:13 agree with the declared width and bits 11:10 with the declared type", () => {
    for (const f of VMCS_FIELDS) {
      expect(encodingWidth(f.encoding), f.name).toBe(f.width);
      expect(encodingType(f.encoding), f.name).toBe(f.type);
      expect(makeEncoding(f.width, f.type, encodingIndex(f.encoding)), f.name).toBe(f.encoding);
    }
  });

  it("16-bit fields are control, guest-state or host-state fields (there is no 16-bit read-only data)", () => {
    for (const f of VMCS_FIELDS.filter((x) => x.width === "16")) {
      expect(["control", "guest", "host"], f.name).toContain(f.type);
    }
  });

  it("no two fields share an encoding, and no 64-bit field's high encoding is another field", () => {
    const encodings: readonly number[] = VMCS_FIELDS.map((f) => f.encoding);
    expect(new Set(encodings).size).toBe(encodings.length);
    const all = new Set<number>(encodings);
    for (const f of VMCS_FIELDS.filter((x) => x.width === "64")) {
      expect(all.has(f.encoding | 1), f.name).toBe(false);
    }
  });

  it("entries are ordered by encoding", () => {
    for (let i = 1; i < VMCS_FIELDS.length; i++) {
      expect(VMCS_FIELDS[i]!.encoding, VMCS_FIELDS[i]!.name).toBeGreaterThan(VMCS_FIELDS[i - 1]!.encoding);
    }
  });
});

describe("SDM Appendix B: subsections", () => {
  it("every sdm citation is a key of SDM_SECTIONS", () => {
    for (const f of VMCS_FIELDS) {
      expect(Object.keys(SDM_SECTIONS), f.name).toContain(f.sdm);
    }
  });

  it("the subsection follows width and type: B.1 16-bit … B.4 natural; then control, read-only, guest, host", () => {
    // Appendix B has no 16-bit read-only data table, so B.1 runs control (B.1.1), guest (B.1.2), host (B.1.3).
    const typesOf = (w: FieldWidth): readonly FieldType[] =>
      w === "16" ? ["control", "guest", "host"] : FIELD_TYPES;
    for (const f of VMCS_FIELDS) {
      const expected = `B.${FIELD_WIDTHS.indexOf(f.width) + 1}.${typesOf(f.width).indexOf(f.type) + 1}`;
      expect(f.sdm, f.name).toBe(expected);
    }
  });

  it("the cited table's title names the field's width and type", () => {
    const widthWords: Record<FieldWidth, string> = { "16": "16-Bit", "64": "64-Bit", "32": "32-Bit", natural: "Natural-Width" };
    const typeWords: Record<FieldType, string> = {
      control: "Control",
      "read-only": "Read-Only Data",
      guest: "Guest-State",
      host: "Host-State",
    };
    for (const f of VMCS_FIELDS) {
      const title: string = SDM_SECTIONS[f.sdm];
      expect(title.startsWith(`${widthWords[f.width]} ${typeWords[f.type]} Field`), `${f.name}: ${title}`).toBe(true);
    }
  });

  it("every Appendix B table has at least one field", () => {
    const cited = new Set<string>(VMCS_FIELDS.map((f) => f.sdm));
    for (const key of Object.keys(SDM_SECTIONS).filter((k) => k.startsWith("B."))) {
      expect(cited.has(key), key).toBe(true);
    }
  });
});

describe("Linux enum vmcs_field names", () => {
  it("no two fields share a name", () => {
    const names = VMCS_FIELDS.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("names are upper-case identifiers and never the _HIGH alias of a 64-bit field", () => {
    for (const f of VMCS_FIELDS) {
      expect(f.name).toMatch(/^[A-Z][A-Z0-9_]*[A-Z0-9]$/);
      expect(f.name.endsWith("_HIGH"), f.name).toBe(false);
    }
  });

  it("fields Linux names are marked inLinux, fields it does not are not", () => {
    for (const name of ["GUEST_CR0", "VMCS_LINK_POINTER", "PID_POINTER_TABLE", "SHARED_EPT_POINTER", "GUEST_S_CET"]) {
      expect(field(name).inLinux, name).toBe(true);
    }
    for (const name of ["GUEST_SMBASE", "IO_RCX", "EXECUTIVE_VMCS_POINTER", "HLAT_POINTER", "GUEST_UINV"]) {
      expect(field(name).inLinux, name).toBe(false);
    }
  });
});

describe("SDM Appendix B footnotes: which controls make a field exist", () => {
  const CONTROL_NAME = /^(PIN_BASED|CPU_BASED|SECONDARY_EXEC|TERTIARY_EXEC|VM_EXIT|VM_ENTRY|SECONDARY_VM_EXIT|VMX_VMFUNC)_[A-Z0-9_]+$/;

  it("every existsIf entry is a control name in asm/vmx.h style, listed once", () => {
    for (const f of VMCS_FIELDS) {
      if (!("existsIf" in f)) continue;
      const names: readonly string[] = f.existsIf;
      expect(new Set(names).size, f.name).toBe(names.length);
      for (const c of names) expect(c, f.name).toMatch(CONTROL_NAME);
    }
  });

  it("every existsIf entry is a control of the control-bit table", () => {
    for (const f of VMCS_FIELDS) {
      if (!("existsIf" in f)) continue;
      for (const c of f.existsIf as readonly string[]) expect(controlByName(c), `${f.name}: ${c}`).toBeDefined();
    }
  });

  it("only SEAM-only fields list no control at all", () => {
    const none = VMCS_FIELDS.filter((f) => "existsIf" in f && f.existsIf.length === 0).map((f) => f.name);
    expect(none).toEqual(["SHARED_EPT_POINTER"]);
  });

  it("the EPTP-list address exists with the EPTP-switching VM function", () => {
    expect(field("EPTP_LIST_ADDRESS").existsIf).toEqual(["VMX_VMFUNC_EPTP_SWITCHING"]);
  });

  it("\"either … or …\" footnotes list both controls", () => {
    expect(field("GUEST_IA32_PAT").existsIf).toEqual(["VM_ENTRY_LOAD_IA32_PAT", "VM_EXIT_SAVE_IA32_PAT"]);
    expect(field("GUEST_IA32_EFER").existsIf).toEqual(["VM_ENTRY_LOAD_IA32_EFER", "VM_EXIT_SAVE_IA32_EFER"]);
    expect(field("GUEST_BNDCFGS").existsIf).toEqual(["VM_ENTRY_LOAD_BNDCFGS", "VM_EXIT_CLEAR_BNDCFGS"]);
    expect(field("GUEST_IA32_RTIT_CTL").existsIf).toEqual(["VM_ENTRY_LOAD_IA32_RTIT_CTL", "VM_EXIT_CLEAR_IA32_RTIT_CTL"]);
  });

  it("single-control footnotes name that control", () => {
    expect(field("VIRTUAL_PROCESSOR_ID").existsIf).toEqual(["SECONDARY_EXEC_ENABLE_VPID"]);
    expect(field("EPT_POINTER").existsIf).toEqual(["SECONDARY_EXEC_ENABLE_EPT"]);
    expect(field("GUEST_PHYSICAL_ADDRESS").existsIf).toEqual(["SECONDARY_EXEC_ENABLE_EPT"]);
    expect(field("TPR_THRESHOLD").existsIf).toEqual(["CPU_BASED_TPR_SHADOW"]);
    expect(field("VMX_PREEMPTION_TIMER_VALUE").existsIf).toEqual(["PIN_BASED_VMX_PREEMPTION_TIMER"]);
    expect(field("PID_POINTER_TABLE").existsIf).toEqual(["TERTIARY_EXEC_IPI_VIRT"]);
    expect(field("HOST_S_CET").existsIf).toEqual(["VM_EXIT_LOAD_CET_STATE"]);
  });

  it("fields present on every VMX processor carry no existsIf", () => {
    for (const name of ["GUEST_CR0", "VMCS_LINK_POINTER", "IO_BITMAP_A", "VM_EXIT_REASON", "HOST_RIP", "TSC_OFFSET"]) {
      expect("existsIf" in field(name), name).toBe(false);
    }
  });
});
