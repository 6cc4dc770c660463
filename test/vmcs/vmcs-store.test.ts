// VMREAD/VMWRITE semantics of the VMCS store (SDM 31.3 VMREAD/VMWRITE, 25.11.2 encodings).
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Vmcs, VMCS_ACCESS_OK } from "../../src/vmcs/vmcs.js";
import { VMCS_FIELDS } from "../../src/arch/vmcs-fields.js";
import { FIELD_ACCESS_BY_ENCODING } from "../../src/arch/vmcs-lookup.js";
import { hiOf, loOf, toBigInt } from "../../src/u64/halves.js";

const UNSUPPORTED = 12;
const READ_ONLY = 13;
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const WIDTH_BITS = { "16": 16n, "32": 32n, "64": 64n, natural: 64n } as const;

function readBig(vmcs: Vmcs, encoding: number): bigint | number {
  const status = vmcs.vmread(encoding);
  return status === VMCS_ACCESS_OK ? toBigInt(vmcs.readLo, vmcs.readHi) : status;
}

function writeBig(vmcs: Vmcs, encoding: number, value: bigint): number {
  return vmcs.vmwrite(encoding, loOf(value), hiOf(value));
}

describe("VMWRITE keeps as many low bits as the field holds; VMREAD zero-extends (SDM 31.3)", () => {
  it("16-bit field: bits 63:16 of the source are ignored", () => {
    const vmcs = new Vmcs();
    expect(writeBig(vmcs, 0x0800, 0xdead_beef_1234_5678n)).toBe(VMCS_ACCESS_OK); // GUEST_ES_SELECTOR
    expect(readBig(vmcs, 0x0800)).toBe(0x5678n);
  });

  it("32-bit field: bits 63:32 of the source are ignored", () => {
    const vmcs = new Vmcs();
    expect(writeBig(vmcs, 0x4000, 0xffff_ffff_8000_0001n)).toBe(VMCS_ACCESS_OK); // PIN_BASED_VM_EXEC_CONTROL
    expect(readBig(vmcs, 0x4000)).toBe(0x8000_0001n);
  });

  it("64-bit field, full access: all 64 bits", () => {
    const vmcs = new Vmcs();
    expect(writeBig(vmcs, 0x2000, 0xffff_ffff_ffff_f000n)).toBe(VMCS_ACCESS_OK); // IO_BITMAP_A
    expect(readBig(vmcs, 0x2000)).toBe(0xffff_ffff_ffff_f000n);
  });

  it("natural-width field: all 64 bits on a 64-bit processor", () => {
    const vmcs = new Vmcs();
    expect(writeBig(vmcs, 0x681e, 0xffff_8000_0000_1234n)).toBe(VMCS_ACCESS_OK); // GUEST_RIP
    expect(readBig(vmcs, 0x681e)).toBe(0xffff_8000_0000_1234n);
  });

  it("every field, any value: VMREAD after VMWRITE gives the value truncated to the field's width", () => {
    const writable = VMCS_FIELDS.filter((field) => field.type !== "read-only");
    fc.assert(
      fc.property(fc.constantFrom(...writable), u64, (field, value) => {
        const vmcs = new Vmcs();
        expect(writeBig(vmcs, field.encoding, value)).toBe(VMCS_ACCESS_OK);
        expect(readBig(vmcs, field.encoding)).toBe(BigInt.asUintN(Number(WIDTH_BITS[field.width]), value));
      }),
    );
  });
});

describe("high access to 64-bit fields (SDM 25.11.2: bit 0 of the encoding)", () => {
  it("VMREAD of the high encoding gives bits 63:32 in bits 31:0, zero-extended", () => {
    const vmcs = new Vmcs();
    writeBig(vmcs, 0x2000, 0x1234_5678_9abc_def0n);
    expect(readBig(vmcs, 0x2001)).toBe(0x1234_5678n);
  });

  it("VMWRITE of the high encoding sets bits 63:32 from bits 31:0 and keeps bits 31:0 of the field", () => {
    const vmcs = new Vmcs();
    writeBig(vmcs, 0x2000, 0x1111_1111_2222_2222n);
    expect(writeBig(vmcs, 0x2001, 0xffff_ffff_3333_3333n)).toBe(VMCS_ACCESS_OK);
    expect(readBig(vmcs, 0x2000)).toBe(0x3333_3333_2222_2222n);
  });

  it("every 64-bit field: high and full accesses compose", () => {
    const wide = VMCS_FIELDS.filter((field) => field.width === "64" && field.type !== "read-only");
    fc.assert(
      fc.property(fc.constantFrom(...wide), u64, u64, (field, full, high) => {
        const vmcs = new Vmcs();
        writeBig(vmcs, field.encoding, full);
        writeBig(vmcs, field.encoding | 1, high);
        const expected = (BigInt.asUintN(32, high) << 32n) | BigInt.asUintN(32, full);
        expect(readBig(vmcs, field.encoding)).toBe(expected);
        expect(readBig(vmcs, field.encoding | 1)).toBe(BigInt.asUintN(32, high));
      }),
    );
  });

  it("a high encoding of a 16-bit, 32-bit or natural-width field is unsupported (error 12)", () => {
    const vmcs = new Vmcs();
    for (const encoding of [0x0801, 0x4001, 0x6801]) {
      expect(readBig(vmcs, encoding)).toBe(UNSUPPORTED);
      expect(writeBig(vmcs, encoding, 1n)).toBe(UNSUPPORTED);
    }
  });
});

describe("read-only data fields (SDM 31.3 VMWRITE; IA32_VMX_MISC bit 29)", () => {
  const readOnly = VMCS_FIELDS.filter((field) => field.type === "read-only");

  it("VMWRITE to any read-only field fails with error 13 and leaves it unchanged", () => {
    for (const field of readOnly) {
      const vmcs = new Vmcs();
      expect(writeBig(vmcs, field.encoding, 0x21n)).toBe(READ_ONLY);
      expect(readBig(vmcs, field.encoding)).toBe(0n);
    }
  });

  it("VMWRITE to the high half of the 64-bit read-only field fails with error 13", () => {
    expect(writeBig(new Vmcs(), 0x2401, 1n)).toBe(READ_ONLY); // GUEST_PHYSICAL_ADDRESS_HIGH
  });

  it("with VMWRITE to any supported field, read-only fields are writable", () => {
    for (const field of readOnly) {
      const vmcs = new Vmcs({ vmwriteAnyField: true });
      expect(writeBig(vmcs, field.encoding, 0x21n)).toBe(VMCS_ACCESS_OK);
      expect(readBig(vmcs, field.encoding)).toBe(0x21n);
    }
  });

  it("VMREAD of read-only fields works, and the processor stores them directly", () => {
    const vmcs = new Vmcs();
    vmcs.set("VM_EXIT_REASON", 0x8000_0021n);
    expect(readBig(vmcs, 0x4402)).toBe(0x8000_0021n);
  });
});

describe("unsupported VMCS components (VM-instruction error 12)", () => {
  const vmcs = new Vmcs();
  it.each([
    ["bit 12 set", 0x1800],
    ["bit 15 set", 0x8000 | 0x0800],
    ["bit 31 set", 0x8000_0800],
    ["an index no field has", 0x6800 + (0x1ff << 1)],
    ["a negative number", -1],
    ["beyond 32 bits", 0x1_0000_0800],
    ["not an integer", 0x800 + 0.5],
  ])("%s", (_what, encoding) => {
    expect(readBig(vmcs, encoding)).toBe(UNSUPPORTED);
    expect(writeBig(vmcs, encoding, 1n)).toBe(UNSUPPORTED);
  });

  it("every even encoding 0..0x7fff either names a field or fails with 12", () => {
    for (let encoding = 0; encoding < 0x8000; encoding++) {
      const names = FIELD_ACCESS_BY_ENCODING.has(encoding);
      expect(new Vmcs().vmread(encoding) === VMCS_ACCESS_OK).toBe(names);
    }
  });

  it("a field the processor does not support fails with 12 both ways", () => {
    const vmcs = new Vmcs({ supportsField: (field) => field.name !== "VIRTUAL_PROCESSOR_ID" });
    expect(readBig(vmcs, 0x0000)).toBe(UNSUPPORTED);
    expect(writeBig(vmcs, 0x0000, 1n)).toBe(UNSUPPORTED);
    expect(vmcs.supports("VIRTUAL_PROCESSOR_ID")).toBe(false);
    expect(vmcs.supports("GUEST_CR0")).toBe(true);
  });
});

describe("segment access-rights quirk (KVM handle_vmwrite; off by default as in the SDM)", () => {
  it("keeps reserved AR bits by default", () => {
    const vmcs = new Vmcs();
    writeBig(vmcs, 0x4814, 0xffff_ffffn); // GUEST_ES_AR_BYTES
    expect(readBig(vmcs, 0x4814)).toBe(0xffff_ffffn);
  });

  it("drops AR bits 31:17 and 11:8 when asked, like KVM's vmcs12", () => {
    const vmcs = new Vmcs({ dropReservedArBits: true });
    writeBig(vmcs, 0x4814, 0xffff_ffffn);
    expect(readBig(vmcs, 0x4814)).toBe(0x1f0ffn);
    writeBig(vmcs, 0x4000, 0xffff_ffffn); // not an AR field
    expect(readBig(vmcs, 0x4000)).toBe(0xffff_ffffn);
  });
});

describe("VMCS state around the fields (SDM 25.1, 25.2)", () => {
  it("a new VMCS is clear, not a shadow VMCS, and all fields are 0", () => {
    const vmcs = new Vmcs();
    expect(vmcs.launchState).toBe("clear");
    expect(vmcs.shadowIndicator).toBe(false);
    expect([...vmcs.nonZeroFields()]).toEqual([]);
  });

  it("the friendly API reads and writes by name and reports errors as values", () => {
    const vmcs = new Vmcs();
    expect(vmcs.write("GUEST_CR0", 0x8000_0031n)).toEqual({ ok: true });
    expect(vmcs.read("GUEST_CR0")).toEqual({ ok: true, value: 0x8000_0031n });
    expect(vmcs.read(0x6800)).toEqual({ ok: true, value: 0x8000_0031n });
    expect(vmcs.write("VM_EXIT_REASON", 1n)).toEqual({ ok: false, error: READ_ONLY });
    expect(vmcs.read("NO_SUCH_FIELD")).toEqual({ ok: false, error: UNSUPPORTED });
    expect([...vmcs.nonZeroFields()].map(([field, value]) => [field.name, value])).toEqual([["GUEST_CR0", 0x8000_0031n]]);
  });

  it("set/get bypass VMWRITE checks but keep the field's width", () => {
    const vmcs = new Vmcs();
    vmcs.set("GUEST_ES_SELECTOR", 0x1_0010n);
    expect(vmcs.get("GUEST_ES_SELECTOR")).toBe(0x10n);
    vmcs.set("VM_INSTRUCTION_ERROR", 0x1_0000_0007n);
    expect(vmcs.get("VM_INSTRUCTION_ERROR")).toBe(7n);
  });
});
