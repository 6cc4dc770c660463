import { describe, expect, it } from "vitest";
import {
  ACTIVITY_STATE,
  ACTIVITY_STATES,
  ACTIVITY_STATE_BY_VALUE,
  INTERRUPTIBILITY_BITS,
  INTERRUPTIBILITY_DEFINED_MASK,
  INTERRUPTIBILITY_MASK,
  INTERRUPTIBILITY_RESERVED_MASK,
  INTERRUPTION_TYPE,
  INTERRUPTION_TYPES,
  INTERRUPTION_TYPE_BY_VALUE,
  INTR_INFO_BITS,
  INTR_INFO_DEFINED_MASK,
  INTR_INFO_ENTRY_RESERVED_MASK,
  INTR_INFO_FIELDS,
  INTR_INFO_MASK,
  intrInfoType,
  intrInfoValid,
  intrInfoVector,
} from "../../src/arch/events.js";
import { SDM_SECTIONS } from "../../src/arch/sdm.js";
import {
  CODE_DATA_SEGMENT_TYPES,
  SEGMENT_AR_BITS,
  SEGMENT_AR_DEFINED_MASK,
  SEGMENT_AR_FIELDS,
  SEGMENT_AR_MASK,
  SEGMENT_AR_RESERVED_MASK,
  SEGMENT_REGISTERS,
  SEGMENT_REGISTER_BY_NAME,
  SEGMENT_TYPE_FLAG,
  SEGMENT_TYPE_FLAGS,
  SYSTEM_SEGMENT_TYPE,
  SYSTEM_SEGMENT_TYPES,
  SYSTEM_SEGMENT_TYPE_BY_VALUE,
  arDpl,
  arType,
  type SystemSegmentTypeDef,
} from "../../src/arch/segments.js";

const cites = (e: { readonly sdm: string }) => Object.hasOwn(SDM_SECTIONS, e.sdm);
const fieldMask = (f: { readonly lsb: number; readonly msb: number }) => ((2 ** (f.msb - f.lsb + 1) - 1) * 2 ** f.lsb) >>> 0;

describe("segment access rights (SDM 25.4.1)", () => {
  it("pins the bits Linux names", () => {
    expect(SEGMENT_AR_MASK.VMX_AR_TYPE_MASK).toBe(0x0f);
    expect(SEGMENT_AR_MASK.VMX_AR_S_MASK).toBe(1 << 4);
    expect(SEGMENT_AR_MASK.VMX_AR_DPL).toBe(0x60);
    expect(SEGMENT_AR_MASK.VMX_AR_P_MASK).toBe(1 << 7);
    expect(SEGMENT_AR_MASK.VMX_AR_AVL_MASK).toBe(1 << 12);
    expect(SEGMENT_AR_MASK.VMX_AR_L_MASK).toBe(1 << 13);
    expect(SEGMENT_AR_MASK.VMX_AR_DB_MASK).toBe(1 << 14);
    expect(SEGMENT_AR_MASK.VMX_AR_G_MASK).toBe(1 << 15);
    expect(SEGMENT_AR_MASK.VMX_AR_UNUSABLE_MASK).toBe(1 << 16);
  });

  it("reserved bits are 31:17 and 11:8 (Linux VMX_AR_RESERVD_MASK)", () => {
    expect(SEGMENT_AR_RESERVED_MASK).toBe(0xfffe0f00);
    expect((SEGMENT_AR_RESERVED_MASK | SEGMENT_AR_DEFINED_MASK) >>> 0).toBe(0xffffffff);
    expect(SEGMENT_AR_RESERVED_MASK & SEGMENT_AR_DEFINED_MASK).toBe(0);
  });

  it("the defined mask is the OR of the table; bits and fields do not overlap", () => {
    let seen = 0;
    for (const b of SEGMENT_AR_BITS) {
      expect(seen & (1 << b.bit)).toBe(0);
      seen |= 1 << b.bit;
    }
    for (const f of SEGMENT_AR_FIELDS) {
      expect(f.msb).toBeLessThan(32);
      expect(f.lsb).toBeLessThanOrEqual(f.msb);
      expect(seen & fieldMask(f)).toBe(0);
      seen |= fieldMask(f);
    }
    expect(SEGMENT_AR_DEFINED_MASK).toBe(seen >>> 0);
  });

  it("decodes DPL and type", () => {
    expect(arDpl(0xf3)).toBe(3);
    expect(arType(0xc09b)).toBe(11);
    expect(arDpl(0xc09b)).toBe(0);
  });

  it("counts and citations", () => {
    expect(SEGMENT_AR_BITS.length).toBe(7);
    expect(SEGMENT_AR_FIELDS.length).toBe(2);
    for (const e of [...SEGMENT_AR_BITS, ...SEGMENT_AR_FIELDS]) expect(cites(e)).toBe(true);
  });
});

describe("segment types (SDM 3.4.5.1, 3.5)", () => {
  it("type flags: code/data meanings share bits 1 and 2, nothing else overlaps", () => {
    expect(SEGMENT_TYPE_FLAGS.length).toBe(6);
    expect(SEGMENT_TYPE_FLAG._DESC_ACCESSED).toBe(1);
    expect(SEGMENT_TYPE_FLAG._DESC_CODE_READABLE).toBe(2);
    expect(SEGMENT_TYPE_FLAG._DESC_DATA_WRITABLE).toBe(2);
    expect(SEGMENT_TYPE_FLAG._DESC_CODE_CONFORMING).toBe(4);
    expect(SEGMENT_TYPE_FLAG._DESC_DATA_EXPAND_DOWN).toBe(4);
    expect(SEGMENT_TYPE_FLAG._DESC_CODE_EXECUTABLE).toBe(8);
    for (const kind of ["code", "data"] as const) {
      const bits = SEGMENT_TYPE_FLAGS.filter((f) => f.appliesTo === kind || f.appliesTo === "both").map((f) => f.bit);
      expect(new Set(bits).size).toBe(4);
      expect(bits.every((b) => b >= 0 && b < 4)).toBe(true);
    }
    for (const f of SEGMENT_TYPE_FLAGS) expect(cites(f)).toBe(true);
  });

  it("the 16 code/data types follow Table 3-1", () => {
    expect(CODE_DATA_SEGMENT_TYPES.length).toBe(16);
    expect(CODE_DATA_SEGMENT_TYPES[0]?.title).toBe("Read-Only");
    expect(CODE_DATA_SEGMENT_TYPES[3]).toMatchObject({ kind: "data", writable: true, accessed: true, title: "Read/Write, accessed" });
    expect(CODE_DATA_SEGMENT_TYPES[7]?.title).toBe("Read/Write, expand-down, accessed");
    expect(CODE_DATA_SEGMENT_TYPES[8]).toMatchObject({ kind: "code", readable: false, title: "Execute-Only" });
    expect(CODE_DATA_SEGMENT_TYPES[11]).toMatchObject({ kind: "code", readable: true, accessed: true, conforming: false, writable: false });
    expect(CODE_DATA_SEGMENT_TYPES[15]?.title).toBe("Execute/Read, conforming, accessed");
    CODE_DATA_SEGMENT_TYPES.forEach((t, i) => expect(t.type).toBe(i));
  });

  it("system types: LDT 2, busy 16-bit TSS 3, busy 32/64-bit TSS 11", () => {
    expect(SYSTEM_SEGMENT_TYPE.VMX_AR_TYPE_LDT).toBe(2);
    expect(SYSTEM_SEGMENT_TYPE.VMX_AR_TYPE_BUSY_16_TSS).toBe(3);
    expect(SYSTEM_SEGMENT_TYPE.VMX_AR_TYPE_BUSY_32_TSS).toBe(11);
    expect(SYSTEM_SEGMENT_TYPE.DESC_TSS).toBe(9);
    expect(SYSTEM_SEGMENT_TYPE_BY_VALUE.get(11)?.aliases).toContain("VMX_AR_TYPE_BUSY_64_TSS");
    expect(SYSTEM_SEGMENT_TYPE_BY_VALUE.get(11)?.title64).toBe("64-bit TSS (Busy)");
    expect(SYSTEM_SEGMENT_TYPE_BY_VALUE.get(3)?.title64).toBeNull();
  });

  it("system types: reserved values absent, values and names unique, count pinned", () => {
    for (const t of [0, 8, 10, 13, 16]) expect(SYSTEM_SEGMENT_TYPE_BY_VALUE.get(t)).toBeUndefined();
    expect(SYSTEM_SEGMENT_TYPES.length).toBe(12);
    const values = SYSTEM_SEGMENT_TYPES.map((t) => t.type);
    const names = SYSTEM_SEGMENT_TYPES.flatMap((t) => [t.name, ...("aliases" in t ? t.aliases : [])]);
    expect(new Set(values).size).toBe(values.length);
    expect(new Set(names).size).toBe(names.length);
    for (const t of SYSTEM_SEGMENT_TYPES as readonly SystemSegmentTypeDef[]) {
      expect(cites(t)).toBe(true);
      expect(t.title32 ?? t.title64).not.toBeNull();
    }
  });
});

describe("segment registers and their VMCS fields (SDM 25.4.1, 25.5)", () => {
  it("lists the eight registers with Linux field names", () => {
    expect(SEGMENT_REGISTERS.map((s) => s.name)).toEqual(["ES", "CS", "SS", "DS", "FS", "GS", "LDTR", "TR"]);
    for (const s of SEGMENT_REGISTERS) {
      expect(s.guestSelector).toBe(`GUEST_${s.name}_SELECTOR`);
      expect(s.guestBase).toBe(`GUEST_${s.name}_BASE`);
      expect(s.guestLimit).toBe(`GUEST_${s.name}_LIMIT`);
      expect(s.guestAccessRights).toBe(`GUEST_${s.name}_AR_BYTES`);
      if (s.hostSelector !== null) expect(s.hostSelector).toBe(`HOST_${s.name}_SELECTOR`);
      if (s.hostBase !== null) expect(s.hostBase).toBe(`HOST_${s.name}_BASE`);
      expect(cites(s)).toBe(true);
    }
  });

  it("host fields exist only where the host-state area has them", () => {
    expect(SEGMENT_REGISTER_BY_NAME.get("LDTR")?.hostSelector).toBeNull();
    expect(SEGMENT_REGISTERS.filter((s) => s.hostBase !== null).map((s) => s.name)).toEqual(["FS", "GS", "TR"]);
    expect(SEGMENT_REGISTERS.filter((s) => s.hostSelector !== null).length).toBe(7);
  });
});

describe("interruption information (SDM 25.8.3, 25.9.2, 25.9.3)", () => {
  it("pins Linux's INTR_INFO_* masks", () => {
    expect(INTR_INFO_MASK.INTR_INFO_VECTOR_MASK).toBe(0xff);
    expect(INTR_INFO_MASK.INTR_INFO_INTR_TYPE_MASK).toBe(0x700);
    expect(INTR_INFO_MASK.INTR_INFO_DELIVER_CODE_MASK).toBe(0x800);
    expect(INTR_INFO_MASK.INTR_INFO_UNBLOCK_NMI).toBe(0x1000);
    expect(INTR_INFO_MASK.INTR_INFO_VALID_MASK).toBe(0x80000000);
    expect(INTR_INFO_ENTRY_RESERVED_MASK).toBe(0x7ffff000);
  });

  it("defined masks per field are the OR of the bits used there", () => {
    expect(INTR_INFO_DEFINED_MASK.entry).toBe(0x80000fff);
    expect(INTR_INFO_DEFINED_MASK.exit).toBe(0x80001fff);
    expect(INTR_INFO_DEFINED_MASK["idt-vectoring"]).toBe(0x80000fff);
  });

  it("bits and fields do not overlap and stay within 32 bits", () => {
    let seen = 0;
    for (const f of INTR_INFO_FIELDS) {
      expect(seen & fieldMask(f)).toBe(0);
      seen |= fieldMask(f);
    }
    for (const b of INTR_INFO_BITS) {
      expect(b.bit).toBeLessThan(32);
      expect(seen & (1 << b.bit)).toBe(0);
      seen |= 1 << b.bit;
    }
    for (const e of [...INTR_INFO_FIELDS, ...INTR_INFO_BITS]) expect(cites(e)).toBe(true);
  });

  it("interruption types: 0, 2–7 defined, 1 reserved; Linux constants are type << 8", () => {
    expect(INTERRUPTION_TYPES.map((t) => t.type)).toEqual([0, 2, 3, 4, 5, 6, 7]);
    expect(INTERRUPTION_TYPE_BY_VALUE.get(1)).toBeUndefined();
    expect(INTERRUPTION_TYPE.INTR_TYPE_EXT_INTR).toBe(0);
    expect(INTERRUPTION_TYPE.INTR_TYPE_NMI_INTR).toBe(2);
    expect(INTERRUPTION_TYPE.INTR_TYPE_HARD_EXCEPTION).toBe(3);
    expect(INTERRUPTION_TYPE.INTR_TYPE_SOFT_INTR).toBe(4);
    expect(INTERRUPTION_TYPE.INTR_TYPE_PRIV_SW_EXCEPTION).toBe(5);
    expect(INTERRUPTION_TYPE.INTR_TYPE_SOFT_EXCEPTION).toBe(6);
    expect(INTERRUPTION_TYPE.INTR_TYPE_OTHER_EVENT).toBe(7);
    expect(INTERRUPTION_TYPE.INTR_TYPE_NMI_INTR << 8).toBe(0x200);
    for (const t of INTERRUPTION_TYPES) {
      expect(t.type & ~7).toBe(0);
      expect(cites(t)).toBe(true);
    }
  });

  it("VM exits report types 0, 2, 3, 5, 6; IDT vectoring adds 4", () => {
    expect(INTERRUPTION_TYPES.filter((t) => (t.usedIn as readonly string[]).includes("exit")).map((t) => t.type)).toEqual([0, 2, 3, 5, 6]);
    expect(INTERRUPTION_TYPES.filter((t) => (t.usedIn as readonly string[]).includes("idt-vectoring")).map((t) => t.type)).toEqual([0, 2, 3, 4, 5, 6]);
  });

  it("decodes a value", () => {
    const info = 0x80000b0e; // valid, deliver error code, hardware exception, #PF
    expect(intrInfoValid(info)).toBe(true);
    expect(intrInfoType(info)).toBe(INTERRUPTION_TYPE.INTR_TYPE_HARD_EXCEPTION);
    expect(intrInfoVector(info)).toBe(14);
  });
});

describe("interruptibility state and activity state (SDM 25.4.2)", () => {
  it("pins GUEST_INTR_STATE_*", () => {
    expect(INTERRUPTIBILITY_MASK.GUEST_INTR_STATE_STI).toBe(1);
    expect(INTERRUPTIBILITY_MASK.GUEST_INTR_STATE_MOV_SS).toBe(2);
    expect(INTERRUPTIBILITY_MASK.GUEST_INTR_STATE_SMI).toBe(4);
    expect(INTERRUPTIBILITY_MASK.GUEST_INTR_STATE_NMI).toBe(8);
    expect(INTERRUPTIBILITY_MASK.GUEST_INTR_STATE_ENCLAVE_INTR).toBe(0x10);
    expect(INTERRUPTIBILITY_DEFINED_MASK).toBe(0x1f);
    expect(INTERRUPTIBILITY_RESERVED_MASK).toBe(0xffffffe0);
    expect(INTERRUPTIBILITY_BITS.length).toBe(5);
    expect(new Set(INTERRUPTIBILITY_BITS.map((b) => b.bit)).size).toBe(5);
    for (const b of INTERRUPTIBILITY_BITS) expect(cites(b)).toBe(true);
  });

  it("pins GUEST_ACTIVITY_*", () => {
    expect(ACTIVITY_STATE.GUEST_ACTIVITY_ACTIVE).toBe(0);
    expect(ACTIVITY_STATE.GUEST_ACTIVITY_HLT).toBe(1);
    expect(ACTIVITY_STATE.GUEST_ACTIVITY_SHUTDOWN).toBe(2);
    expect(ACTIVITY_STATE.GUEST_ACTIVITY_WAIT_SIPI).toBe(3);
    expect(ACTIVITY_STATES.length).toBe(4);
    expect(ACTIVITY_STATE_BY_VALUE.get(4)).toBeUndefined();
    for (const a of ACTIVITY_STATES) expect(cites(a)).toBe(true);
  });
});
