// vmcs.json parsing (CONTRACT.md §2): names, encodings, values, memory, and one-line errors.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseVmcsJson } from "../../src/io/vmcs-json.js";
import { InputError } from "../../src/io/input-error.js";
import { VMCS_FIELDS } from "../../src/arch/vmcs-fields.js";

function fieldsByName(json: unknown): Record<string, bigint> {
  const document = parseVmcsJson(json, "vmcs.json");
  return Object.fromEntries([...document.fields].map(([field, value]) => [field.name, value]));
}

function errorOf(json: unknown): string {
  try {
    parseVmcsJson(json, "vmcs.json");
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).message;
  }
  throw new Error("expected an InputError");
}

describe("vmcs.json fields", () => {
  it("accepts a flat map of Linux names with hex strings and safe decimals", () => {
    expect(fieldsByName({ GUEST_CR0: "0x80000031", GUEST_RIP: 4096 })).toEqual({ GUEST_CR0: 0x80000031n, GUEST_RIP: 4096n });
  });

  it("accepts hex encodings as keys", () => {
    expect(fieldsByName({ "0x6800": "0x31" })).toEqual({ GUEST_CR0: 0x31n });
  });

  it("accepts the fields/memory form", () => {
    const document = parseVmcsJson(
      { fields: { GUEST_CR0: "0x80000031" }, memory: [{ gpa: "0x5000", qwords: ["0x10", "0x0"] }] },
      "vmcs.json",
    );
    expect(document.fields.size).toBe(1);
    expect(document.memory).toHaveLength(1);
    expect(document.memory[0]!.gpa).toBe(0x5000n);
    expect([...document.memory[0]!.data]).toEqual([0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("takes 64-bit fields by their full name with a full 64-bit value", () => {
    expect(fieldsByName({ IO_BITMAP_A: "0xffffffffffffffff" })).toEqual({ IO_BITMAP_A: 0xffff_ffff_ffff_ffffn });
  });

  it("every field round-trips by name and by encoding with its widest value", () => {
    fc.assert(
      fc.property(fc.constantFrom(...VMCS_FIELDS), (field) => {
        const bits = field.width === "natural" ? 64 : Number(field.width);
        const max = "0x" + ((1n << BigInt(bits)) - 1n).toString(16);
        expect(fieldsByName({ [field.name]: max })[field.name]).toBe((1n << BigInt(bits)) - 1n);
        expect(fieldsByName({ ["0x" + field.encoding.toString(16)]: max })[field.name]).toBe((1n << BigInt(bits)) - 1n);
      }),
    );
  });
});

describe("vmcs.json errors name the file, the key and the reason", () => {
  it.each([
    [{ GUEST_CRO: "0x1" }, "vmcs.json: GUEST_CRO: unknown VMCS field (did you mean GUEST_CR0?)"],
    [{ NOT_A_FIELD_AT_ALL: "0x1" }, "vmcs.json: NOT_A_FIELD_AT_ALL: unknown VMCS field"],
    [{ "0x6830": "0x1" }, "vmcs.json: 0x6830: unknown VMCS field"],
    [{ GUEST_ES_SELECTOR: "0x10000" }, "vmcs.json: GUEST_ES_SELECTOR: 0x10000 does not fit in GUEST_ES_SELECTOR, a 16-bit field"],
    [{ PIN_BASED_VM_EXEC_CONTROL: "0x100000000" }, "vmcs.json: PIN_BASED_VM_EXEC_CONTROL: 0x100000000 does not fit in PIN_BASED_VM_EXEC_CONTROL, a 32-bit field"],
    [{ GUEST_CR0: "0x1ffffffffffffffff" }, 'vmcs.json: GUEST_CR0: "0x1ffffffffffffffff" is wider than 64 bits'],
    [{ GUEST_CR0: "31" }, 'vmcs.json: GUEST_CR0: "31" is not a hex string such as "0x80000031"'],
    [{ GUEST_CR0: -1 }, "vmcs.json: GUEST_CR0: -1 is not a non-negative integer below 2^53 (write larger values as hex strings)"],
    [{ GUEST_CR0: 2 ** 53 }, "vmcs.json: GUEST_CR0: 9007199254740992 is not a non-negative integer below 2^53 (write larger values as hex strings)"],
    [{ GUEST_CR0: true }, 'vmcs.json: GUEST_CR0: expected a hex string such as "0x80000031" or a non-negative integer, got boolean true'],
    [{ GUEST_CR0: "0x1", "0x6800": "0x1" }, 'vmcs.json: 0x6800: names the same field as "GUEST_CR0" (GUEST_CR0)'],
    [{ IO_BITMAP_A_HIGH: "0x1" }, 'vmcs.json: IO_BITMAP_A_HIGH: a vmcs.json value holds the whole 64-bit field: use "IO_BITMAP_A" instead of its high half'],
    [[1, 2], "vmcs.json: expected a JSON object of VMCS fields, got an array"],
    [{ fields: {}, extra: 1 }, 'vmcs.json: extra: unknown key next to "fields" (expected "fields" and "memory")'],
    [{ fields: [] }, "vmcs.json: fields: expected an object of VMCS fields, got an array"],
    [{ fields: { GUEST_CRO: 1 } }, "vmcs.json: fields.GUEST_CRO: unknown VMCS field (did you mean GUEST_CR0?)"],
    [{ fields: {}, memory: {} }, 'vmcs.json: memory: expected an array of { "gpa", "bytes" | "dwords" | "qwords" }, got an object'],
    [{ fields: {}, memory: [{ gpa: "0x1000" }] }, 'vmcs.json: memory[0]: needs exactly one of "bytes", "dwords", "qwords" (found 0)'],
    [{ fields: {}, memory: [{ bytes: [] }] }, "vmcs.json: memory[0].gpa: missing"],
    [{ fields: {}, memory: [{ gpa: 0, bytes: ["0x100"] }] }, "vmcs.json: memory[0].bytes[0]: 0x100 does not fit in 8 bits"],
    [{ fields: {}, memory: [{ gpa: 0, dwords: ["0x100000000"] }] }, "vmcs.json: memory[0].dwords[0]: 0x100000000 does not fit in 32 bits"],
    [{ fields: {}, memory: [{ gpa: 0, words: [] }] }, 'vmcs.json: memory[0].words: unknown key (expected "gpa" and one of "bytes", "dwords", "qwords")'],
  ])("%j", (json, message) => {
    expect(errorOf(json)).toBe(message);
  });

  it("every error is one line", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (json) => {
        try {
          parseVmcsJson(json, "vmcs.json");
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
          expect((error as Error).message).not.toContain("\n");
        }
      }),
    );
  });
});

describe("memory chunks are little-endian", () => {
  it("dwords and qwords", () => {
    const document = parseVmcsJson({ fields: {}, memory: [{ gpa: "0x10", dwords: ["0x11223344"] }, { gpa: 0, qwords: ["0x0102030405060708"] }] }, "m");
    expect([...document.memory[0]!.data]).toEqual([0x44, 0x33, 0x22, 0x11]);
    expect([...document.memory[1]!.data]).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
  });
});
