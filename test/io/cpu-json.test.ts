// cpu.json parsing (CONTRACT.md §1): profiles, MSR names and indices, defaults, one-line errors.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DEFAULT_L1, DEFAULT_MAX_PHYS_ADDR, parseCpuJson } from "../../src/io/cpu-json.js";
import { InputError } from "../../src/io/input-error.js";
import { BUILTIN_PROFILES } from "../../src/profiles/index.js";

function errorOf(json: unknown): string {
  try {
    parseCpuJson(json, "cpu.json");
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).message;
  }
  throw new Error("expected an InputError");
}

describe("cpu.json", () => {
  it("an empty description has no VMX capabilities, IA32_FEATURE_CONTROL locked with VMX on, and the default L1", () => {
    const cpu = parseCpuJson({}, "cpu.json");
    expect(cpu.profile).toBeUndefined();
    expect(cpu.msrs.get(0x480)).toBeUndefined();
    expect(cpu.msrs.get(0x3a)).toBe(0x5n);
    expect(cpu.maxPhysAddr).toBe(DEFAULT_MAX_PHYS_ADDR);
    expect(cpu.l1).toEqual(DEFAULT_L1);
    expect(cpu.cpuid.pcid).toBe(true);
    expect(cpu.cpuid.la57).toBe(false);
  });

  it("the contract's example parses", () => {
    const cpu = parseCpuJson(
      {
        profile: "kvm-nested-observed",
        msrs: { IA32_VMX_BASIC: "0xda040000000012", "0x48b": "0x1", IA32_FEATURE_CONTROL: "0x5" },
        maxPhysAddr: 46,
        cpuid: { pku: true, la57: false, pcid: true },
        l1: { cr0: "0x80050033", cr4: "0x3726e0", efer: "0xd01", rflags: "0x2", cs: { l: true, db: false, dpl: 0 }, cpl: 0 },
      },
      "cpu.json",
    );
    expect(cpu.profile).toBe("kvm-nested-observed");
    expect(cpu.msrs.get(0x480)).toBe(0xda040000000012n); // overrides the profile
    expect(cpu.msrs.get(0x48b)).toBe(0x1n);
    expect(cpu.msrs.get(0x481)).toBe(0x7f00000016n); // from the profile
    expect(cpu.l1.cr4).toBe(0x3726e0n);
  });

  it("MSR keys may be SDM names, Linux names or hex indices", () => {
    const cpu = parseCpuJson({ msrs: { IA32_VMX_MISC: 1, MSR_IA32_FEAT_CTL: "0x1", "0x482": "0x2", MSR_IA32_VMX_BASIC: "0x3" } }, "cpu.json");
    expect(cpu.msrs.get(0x485)).toBe(1n);
    expect(cpu.msrs.get(0x3a)).toBe(1n);
    expect(cpu.msrs.get(0x482)).toBe(2n);
    expect(cpu.msrs.get(0x480)).toBe(3n);
  });

  it("every built-in profile loads, with every MSR value it lists", () => {
    for (const profile of BUILTIN_PROFILES) {
      const cpu = parseCpuJson({ profile: profile.name }, "cpu.json");
      expect(cpu.msrs.size).toBeGreaterThanOrEqual(Object.keys(profile.msrs).length);
    }
  });

  it("a shared/data/cpus file with its metadata keys is accepted as a cpu.json", () => {
    const cpu = parseCpuJson(
      { model: "x", microarchitecture: "y", kind: "z", source: "s", notes: "n", quality: "q", msrs: { IA32_VMX_BASIC: "0x1" }, other_msrs: { IA32_FEATURE_CONTROL: "0x7", "IA32_EFER(at dump)": "0x500" } },
      "cpu.json",
    );
    expect(cpu.msrs.get(0x480)).toBe(1n);
    expect(cpu.msrs.get(0x3a)).toBe(7n);
  });
});

describe("cpu.json errors name the file, the key and the reason", () => {
  it.each([
    [[], "cpu.json: expected a JSON object describing a CPU, got an array"],
    [{ profile: "haswel" }, 'cpu.json: profile: unknown profile "haswel"; nvmx profiles lists them'],
    [{ profile: "kvm-nested-defualt" }, 'cpu.json: profile: unknown profile "kvm-nested-defualt" (did you mean kvm-nested-default?); nvmx profiles lists them'],
    [{ msrs: { IA32_VMX_BASC: "0x1" } }, 'cpu.json: msrs.IA32_VMX_BASC: unknown MSR (did you mean IA32_VMX_BASIC?); use an SDM name such as IA32_VMX_BASIC or a hex index such as "0x480"'],
    [{ msrs: { IA32_VMX_BASIC: "12" } }, 'cpu.json: msrs.IA32_VMX_BASIC: "12" is not a hex string such as "0x80000031"'],
    [{ msrs: { IA32_VMX_BASIC: "0x10000000000000000" } }, 'cpu.json: msrs.IA32_VMX_BASIC: "0x10000000000000000" is wider than 64 bits'],
    [{ msrs: [] }, "cpu.json: msrs: expected an object, got an array"],
    [{ maxPhysAddr: 53 }, "cpu.json: maxPhysAddr: must be at most 52"],
    [{ maxPhysAddr: 31 }, "cpu.json: maxPhysAddr: must be at least 32"],
    [{ maxPhysAddr: "46" }, 'cpu.json: maxPhysAddr: expected a number, got the string "46"'],
    [{ cpuid: { pkuu: true } }, "cpu.json: cpuid.pkuu: unknown CPUID flag (did you mean pku?)"],
    [{ cpuid: { pku: 1 } }, "cpu.json: cpuid.pku: expected a boolean, got number 1"],
    [{ l1: { cr0: "0xg" } }, 'cpu.json: l1.cr0: "0xg" is not a hex string such as "0x80000031"'],
    [{ l1: { cr00: "0x1" } }, "cpu.json: l1.cr00: unknown key"],
    [{ l1: { cs: { dpl: 4 } } }, "cpu.json: l1.cs.dpl: must be at most 3"],
    [{ l1: { cpl: -1 } }, "cpu.json: l1.cpl: must be at least 0"],
    [{ msr: {} }, "cpu.json: msr: unknown key (did you mean msrs?)"],
  ])("%j", (json, message) => {
    expect(errorOf(json)).toBe(message);
  });

  it("any JSON object either parses or gives a one-line InputError", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom("profile", "msrs", "maxPhysAddr", "cpuid", "l1", "x"), fc.jsonValue()), (json) => {
        try {
          parseCpuJson(json, "cpu.json");
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
          expect((error as Error).message).not.toContain("\n");
        }
      }),
    );
  });
});
