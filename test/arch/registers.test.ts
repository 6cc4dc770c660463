import { describe, expect, it } from "vitest";
import {
  CR0_BITS,
  CR0_DEFINED_MASK,
  CR0_MASK,
  CR0_RESERVED_MASK,
  CR3_BITS,
  CR3_FIELDS,
  CR3_LAM_MASK,
  CR3_MASK,
  CR4_BITS,
  CR4_DEFINED_MASK,
  CR4_MASK,
  CR4_RESERVED_MASK,
  DR6_ACTIVE_LOW_MASK,
  DR6_BITS,
  DR6_DEFINED_MASK,
  DR6_FIXED1_MASK,
  DR7_BITS,
  DR7_DEFINED_MASK,
  DR7_FIELDS,
  DR7_FIXED1_MASK,
  DR7_HIGH_MASK,
  DR7_MASK,
  DR7_RESERVED_LOW_MASK,
  EFER_BITS,
  EFER_DEFINED_MASK,
  EFER_INTEL_DEFINED_MASK,
  EFER_INTEL_RESERVED_MASK,
  EFER_MASK,
  REGISTER_TABLES,
  RFLAGS_BITS,
  RFLAGS_DEFINED_MASK,
  RFLAGS_FIELDS,
  RFLAGS_FIXED1_MASK,
  RFLAGS_MASK,
  RFLAGS_RESERVED_MASK,
  U64_MASK,
  type RegisterBitDef,
  type RegisterFieldDef,
} from "../../src/arch/registers.js";
import { SDM_SECTIONS } from "../../src/arch/sdm.js";

const bit = (n: number) => 1n << BigInt(n);
const range = (msb: number, lsb: number) => ((1n << BigInt(msb - lsb + 1)) - 1n) << BigInt(lsb);
const orOf = (bits: readonly RegisterBitDef[], fields: readonly RegisterFieldDef[] = []) =>
  bits.reduce((m, b) => m | bit(b.bit), 0n) | fields.reduce((m, f) => m | range(f.msb, f.lsb), 0n);

describe("known facts", () => {
  it("CR0 (SDM 2.5)", () => {
    expect(CR0_MASK.X86_CR0_PE).toBe(bit(0));
    expect(CR0_MASK.X86_CR0_NE).toBe(bit(5));
    expect(CR0_MASK.X86_CR0_WP).toBe(bit(16));
    expect(CR0_MASK.X86_CR0_NW).toBe(bit(29));
    expect(CR0_MASK.X86_CR0_CD).toBe(bit(30));
    expect(CR0_MASK.X86_CR0_PG).toBe(bit(31));
    expect(CR0_DEFINED_MASK).toBe(0xe005003fn);
    expect(CR0_RESERVED_MASK & range(63, 32)).toBe(range(63, 32));
  });

  it("CR4 (SDM 2.5)", () => {
    expect(CR4_MASK.X86_CR4_PAE).toBe(bit(5));
    expect(CR4_MASK.X86_CR4_VMXE).toBe(bit(13));
    expect(CR4_MASK.X86_CR4_SMXE).toBe(bit(14));
    expect(CR4_MASK.X86_CR4_PCIDE).toBe(bit(17));
    expect(CR4_MASK.X86_CR4_CET).toBe(bit(23));
    expect(CR4_MASK.X86_CR4_LASS).toBe(bit(27));
    expect(CR4_MASK.X86_CR4_LAM_SUP).toBe(bit(28));
    expect(CR4_MASK.X86_CR4_FRED).toBe(bit(32));
    for (const reserved of [15, 26, 29, 30, 31, 33, 63]) expect(CR4_RESERVED_MASK & bit(reserved)).toBe(bit(reserved));
  });

  it("CR3 (SDM 2.5): PCID and the LAM bits", () => {
    expect(CR3_MASK.X86_CR3_PCID_MASK).toBe(0xfffn);
    expect(CR3_MASK.X86_CR3_LAM_U57).toBe(bit(61));
    expect(CR3_MASK.X86_CR3_LAM_U48).toBe(bit(62));
    expect(CR3_LAM_MASK).toBe(bit(61) | bit(62));
  });

  it("IA32_EFER (SDM 2.2.1)", () => {
    expect(EFER_MASK.EFER_SCE).toBe(bit(0));
    expect(EFER_MASK.EFER_LME).toBe(bit(8));
    expect(EFER_MASK.EFER_LMA).toBe(bit(10));
    expect(EFER_MASK.EFER_NX).toBe(bit(11));
    expect(EFER_MASK.EFER_SVME).toBe(bit(12));
    expect(EFER_MASK.EFER_AUTOIBRS).toBe(bit(21));
    expect(EFER_INTEL_DEFINED_MASK).toBe(0xd01n);
    expect(EFER_INTEL_RESERVED_MASK).toBe(U64_MASK & ~0xd01n);
  });

  it("RFLAGS (SDM 2.3): VM is bit 17, bit 1 is fixed 1, reserved bits are 63:22, 15, 5, 3", () => {
    expect(RFLAGS_MASK.X86_EFLAGS_VM).toBe(bit(17));
    expect(RFLAGS_MASK.X86_EFLAGS_IF).toBe(bit(9));
    expect(RFLAGS_MASK.X86_EFLAGS_RF).toBe(bit(16));
    expect(RFLAGS_MASK.X86_EFLAGS_IOPL).toBe(0x3000n);
    expect(RFLAGS_MASK.X86_EFLAGS_ID).toBe(bit(21));
    expect(RFLAGS_FIXED1_MASK).toBe(bit(1));
    expect(RFLAGS_RESERVED_MASK).toBe(range(63, 22) | bit(15) | bit(5) | bit(3));
  });

  it("DR7 (SDM 17.2.4)", () => {
    expect(DR7_MASK.DR_LOCAL_SLOWDOWN).toBe(0x100n);
    expect(DR7_MASK.DR_GLOBAL_SLOWDOWN).toBe(0x200n);
    expect(DR7_MASK.DR7_GD).toBe(bit(13));
    expect(DR7_MASK.DR7_RW0).toBe(0x30000n);
    expect(DR7_MASK.DR7_LEN3).toBe(0xc0000000n);
    expect(DR7_FIXED1_MASK).toBe(0x400n);
    expect(DR7_HIGH_MASK).toBe(0xffffffff00000000n);
    expect(DR7_RESERVED_LOW_MASK).toBe(bit(12) | bit(14) | bit(15));
    // KVM's DR7_VOLATILE: every writable defined bit.
    expect(DR7_DEFINED_MASK & ~DR7_FIXED1_MASK).toBe(0xffff2bffn);
  });

  it("DR6 (SDM 17.2.3) matches KVM's DR6_VOLATILE, DR6_FIXED_1 and DR6_ACTIVE_LOW", () => {
    expect(DR6_DEFINED_MASK).toBe(0x0001e80fn);
    expect(DR6_FIXED1_MASK).toBe(0xfffe07f0n);
    expect(DR6_ACTIVE_LOW_MASK).toBe(0xffff0ff0n);
  });
});

describe("self-consistency of every register table", () => {
  it("counts are pinned so tables cannot silently shrink", () => {
    const counts = Object.fromEntries(REGISTER_TABLES.map((t) => [t.register, [t.bits.length, t.fields.length]]));
    expect(counts).toEqual({
      CR0: [11, 0],
      CR3: [4, 1],
      CR4: [28, 0],
      IA32_EFER: [9, 0],
      RFLAGS: [17, 1],
      DR6: [9, 2],
      DR7: [13, 8],
    });
    expect(EFER_BITS.filter((b) => b.vendor === "intel").length).toBe(4);
  });

  describe.each(REGISTER_TABLES.map((t) => [t.register, t] as const))("%s", (register, t) => {
    it("names are unique and cite SDM_SECTIONS", () => {
      const names = [...t.bits.map((b) => b.name), ...t.fields.map((f) => f.name)];
      expect(new Set(names).size).toBe(names.length);
      for (const e of [...t.bits, ...t.fields]) {
        expect(Object.hasOwn(SDM_SECTIONS, e.sdm)).toBe(true);
        expect(e.title.length).toBeGreaterThan(0);
      }
    });

    it("bits and fields lie within the register", () => {
      for (const b of t.bits) {
        expect(Number.isInteger(b.bit)).toBe(true);
        expect(b.bit).toBeGreaterThanOrEqual(0);
        expect(b.bit).toBeLessThan(t.width);
      }
      for (const f of t.fields) {
        expect(f.lsb).toBeGreaterThanOrEqual(0);
        expect(f.msb).toBeGreaterThan(f.lsb);
        expect(f.msb).toBeLessThan(t.width);
      }
    });

    it("bits and fields do not overlap (CR3's PCID excepted: it replaces PWT/PCD when CR4.PCIDE = 1)", () => {
      let seen = 0n;
      for (const b of t.bits) {
        expect(seen & bit(b.bit), `${register}: ${b.name}`).toBe(0n);
        seen |= bit(b.bit);
      }
      for (const f of t.fields) {
        const m = range(f.msb, f.lsb);
        if (register === "CR3" && f.name === "X86_CR3_PCID_MASK") continue;
        expect(seen & m, `${register}: ${f.name}`).toBe(0n);
        seen |= m;
      }
    });

    it("tables are frozen", () => {
      expect(Object.isFrozen(t.bits)).toBe(true);
      expect(t.bits.every((b) => Object.isFrozen(b))).toBe(true);
    });
  });

  it("derived masks equal the OR of their table", () => {
    expect(CR0_DEFINED_MASK).toBe(orOf(CR0_BITS));
    expect(CR0_RESERVED_MASK).toBe(U64_MASK ^ orOf(CR0_BITS));
    expect(CR4_DEFINED_MASK).toBe(orOf(CR4_BITS));
    expect(CR4_RESERVED_MASK).toBe(U64_MASK ^ orOf(CR4_BITS));
    expect(EFER_DEFINED_MASK).toBe(orOf(EFER_BITS));
    expect(EFER_INTEL_DEFINED_MASK).toBe(orOf(EFER_BITS.filter((b) => b.vendor === "intel")));
    expect(RFLAGS_DEFINED_MASK).toBe(orOf(RFLAGS_BITS, RFLAGS_FIELDS));
    expect(RFLAGS_RESERVED_MASK).toBe(U64_MASK ^ orOf(RFLAGS_BITS, RFLAGS_FIELDS));
    expect(RFLAGS_FIXED1_MASK).toBe(orOf(RFLAGS_BITS.filter((b: RegisterBitDef) => b.fixed === 1)));
    expect(DR7_DEFINED_MASK).toBe(orOf(DR7_BITS, DR7_FIELDS));
    expect(DR6_DEFINED_MASK).toBe(orOf(DR6_BITS));
    expect(CR3_LAM_MASK | CR3_MASK.X86_CR3_PWT | CR3_MASK.X86_CR3_PCD).toBe(orOf(CR3_BITS));
    expect(CR3_MASK.X86_CR3_PCID_MASK).toBe(orOf([], CR3_FIELDS));
  });

  it("name → mask records cover every entry", () => {
    for (const b of CR4_BITS) expect(CR4_MASK[b.name]).toBe(bit(b.bit));
    for (const b of CR0_BITS) expect(CR0_MASK[b.name]).toBe(bit(b.bit));
    for (const f of DR7_FIELDS) expect(DR7_MASK[f.name]).toBe(range(f.msb, f.lsb));
    expect(Object.isFrozen(CR4_MASK)).toBe(true);
  });
});
