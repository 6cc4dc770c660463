import { describe, it, expect } from "vitest";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  CAPABILITY_MSR_CONTROL_WORD,
  MSRS,
  MSR_BY_INDEX,
  MSR_BY_LINUX_NAME,
  MSR_BY_NAME,
  MSR_LAYOUTS,
  MSR_LAYOUT_MASKS,
  VMX_BASIC_MEMORY_TYPES,
  VMX_CAPABILITY_MSRS,
  VMX_MISC_MSR_LIST_MULTIPLIER,
  VMX_VMFUNC_BITS,
  X2APIC_MSR_RANGE,
  extractField,
  isX2apicMsr,
  msrByName,
  resolveMsr,
  vmxCapabilityByName,
  type MsrDef,
  type MsrLayoutDef,
  type MsrLayoutName,
  type VmxCapabilityMsrDef,
} from "../../src/arch/msrs.js";
import { CONTROL_WORDS, CONTROL_WORD_IDS, CONTROL_WORD_MASKS, controlByName, type ControlWordDef } from "../../src/arch/controls.js";
import { SDM_SECTIONS } from "../../src/arch/sdm.js";

/** Pinned so the tables cannot silently shrink (or grow without this test being revisited). */
const MSR_COUNT = 64;
const CAPABILITY_COUNT = 20;
const LAYOUT_COUNTS: Readonly<Record<MsrLayoutName, { bits: number; fields: number }>> = {
  IA32_FEATURE_CONTROL: { bits: 7, fields: 1 },
  IA32_VMX_BASIC: { bits: 5, fields: 3 },
  IA32_VMX_MISC: { bits: 9, fields: 4 },
  IA32_VMX_VMCS_ENUM: { bits: 0, fields: 1 },
  IA32_VMX_EPT_VPID_CAP: { bits: 18, fields: 1 },
};

const msrs: readonly MsrDef[] = MSRS;
const caps: readonly VmxCapabilityMsrDef[] = VMX_CAPABILITY_MSRS;
const layoutNames = Object.keys(MSR_LAYOUTS) as MsrLayoutName[];
const layout = (name: MsrLayoutName): MsrLayoutDef => MSR_LAYOUTS[name];

function msr(name: string): MsrDef {
  const m = msrByName(name);
  if (m === undefined) throw new Error(`no MSR ${name}`);
  return m;
}

function layoutBit(msrName: MsrLayoutName, name: string): number {
  const b = layout(msrName).bits.find((x) => x.name === name);
  if (b === undefined) throw new Error(`no bit ${name} in ${msrName}`);
  return b.bit;
}

function layoutField(msrName: MsrLayoutName, name: string): readonly [number, number] {
  const f = layout(msrName).fields.find((x) => x.name === name);
  if (f === undefined) throw new Error(`no field ${name} in ${msrName}`);
  return [f.msb, f.lsb];
}

/** Splits a hex string of up to 64 bits into unsigned 32-bit halves. */
function halves(hex: string): { lo: number; hi: number } {
  const v = BigInt(hex);
  return { lo: Number(v & 0xffffffffn), hi: Number((v >> 32n) & 0xffffffffn) };
}

describe("pinned MSR indices (SDM Vol. 4 Table 2-2)", () => {
  const pinned: readonly (readonly [string, number, string])[] = [
    ["IA32_TSC", 0x10, "MSR_IA32_TSC"],
    ["IA32_FEATURE_CONTROL", 0x3a, "MSR_IA32_FEAT_CTL"],
    ["IA32_SPEC_CTRL", 0x48, "MSR_IA32_SPEC_CTRL"],
    ["IA32_SMM_MONITOR_CTL", 0x9b, "MSR_IA32_SMM_MONITOR_CTL"],
    ["IA32_SMBASE", 0x9e, "MSR_IA32_SMBASE"],
    ["IA32_SYSENTER_CS", 0x174, "MSR_IA32_SYSENTER_CS"],
    ["IA32_FRED_RSP0", 0x1cc, "MSR_IA32_FRED_RSP0"],
    ["IA32_FRED_CONFIG", 0x1d4, "MSR_IA32_FRED_CONFIG"],
    ["IA32_DEBUGCTL", 0x1d9, "MSR_IA32_DEBUGCTLMSR"],
    ["IA32_PAT", 0x277, "MSR_IA32_CR_PAT"],
    ["IA32_PERF_GLOBAL_CTRL", 0x38f, "MSR_CORE_PERF_GLOBAL_CTRL"],
    ["IA32_VMX_BASIC", 0x480, "MSR_IA32_VMX_BASIC"],
    ["IA32_VMX_MISC", 0x485, "MSR_IA32_VMX_MISC"],
    ["IA32_VMX_PROCBASED_CTLS2", 0x48b, "MSR_IA32_VMX_PROCBASED_CTLS2"],
    ["IA32_VMX_EPT_VPID_CAP", 0x48c, "MSR_IA32_VMX_EPT_VPID_CAP"],
    ["IA32_VMX_VMFUNC", 0x491, "MSR_IA32_VMX_VMFUNC"],
    ["IA32_VMX_PROCBASED_CTLS3", 0x492, "MSR_IA32_VMX_PROCBASED_CTLS3"],
    ["IA32_VMX_EXIT_CTLS2", 0x493, "MSR_IA32_VMX_EXIT_CTLS2"],
    ["IA32_RTIT_CTL", 0x570, "MSR_IA32_RTIT_CTL"],
    ["IA32_S_CET", 0x6a2, "MSR_IA32_S_CET"],
    ["IA32_PL0_SSP", 0x6a4, "MSR_IA32_PL0_SSP"],
    ["IA32_INTERRUPT_SSP_TABLE_ADDR", 0x6a8, "MSR_IA32_INT_SSP_TAB"],
    ["IA32_PKRS", 0x6e1, "MSR_IA32_PKRS"],
    ["IA32_BNDCFGS", 0xd90, "MSR_IA32_BNDCFGS"],
    ["IA32_LBR_CTL", 0x14ce, "MSR_ARCH_LBR_CTL"],
    ["IA32_EFER", 0xc0000080, "MSR_EFER"],
    ["IA32_FMASK", 0xc0000084, "MSR_SYSCALL_MASK"],
    ["IA32_FS_BASE", 0xc0000100, "MSR_FS_BASE"],
    ["IA32_KERNEL_GS_BASE", 0xc0000102, "MSR_KERNEL_GS_BASE"],
    ["IA32_TSC_AUX", 0xc0000103, "MSR_TSC_AUX"],
  ];
  it.each(pinned)("%s is %i (%s)", (name, index, linux) => {
    expect(msr(name).index).toBe(index);
    expect(msr(name).linux).toBe(linux);
  });

  it("the VMX capability MSRs are exactly 480H–493H", () => {
    const vmx = msrs.filter((m) => m.name.startsWith("IA32_VMX_")).map((m) => m.index);
    expect(vmx).toEqual(Array.from({ length: 0x14 }, (_, i) => 0x480 + i));
  });

  it("IA32_FRED_SSP0 is another name of IA32_PL0_SSP", () => {
    expect(msrByName("IA32_FRED_SSP0")).toBe(msr("IA32_PL0_SSP"));
    expect(MSR_BY_LINUX_NAME.get("MSR_IA32_FRED_SSP0")).toBe(msr("IA32_PL0_SSP"));
  });
});

describe("MSR table self-consistency", () => {
  it("has the pinned number of MSRs, in index order, each index and name once", () => {
    expect(msrs.length).toBe(MSR_COUNT);
    const indices = msrs.map((m) => m.index);
    expect(indices).toEqual([...new Set(indices)].sort((a, b) => a - b));
    const names = msrs.flatMap((m) => [m.name, ...(m.aliases ?? []).map((a) => a.name)]);
    expect(new Set(names).size).toBe(names.length);
    const linux = msrs.flatMap((m) => [m.linux, ...(m.aliases ?? []).map((a) => a.linux)]);
    expect(new Set(linux).size).toBe(linux.length);
  });

  it("indices are unsigned 32-bit; names are SDM names without MSR_, Linux names with it", () => {
    for (const m of msrs) {
      expect(Number.isInteger(m.index) && m.index >= 0 && m.index <= 0xffffffff, m.name).toBe(true);
      expect(m.name, m.name).toMatch(/^IA32_[A-Z0-9_]+$/);
      expect(m.linux, m.name).toMatch(/^MSR_[A-Za-z0-9_]+$/);
      expect(m.nameFrom === undefined, m.name).toBe(m.inLinux);
    }
  });

  it("every sdm is a key of SDM_SECTIONS", () => {
    for (const m of msrs) expect(SDM_SECTIONS, m.name).toHaveProperty([m.sdm]);
    for (const c of caps) expect(SDM_SECTIONS, c.name).toHaveProperty([c.sdm]);
    for (const name of layoutNames) {
      for (const b of layout(name).bits) expect(SDM_SECTIONS, b.name).toHaveProperty([b.sdm]);
      for (const f of layout(name).fields) expect(SDM_SECTIONS, f.name).toHaveProperty([f.sdm]);
    }
    for (const t of VMX_BASIC_MEMORY_TYPES) expect(SDM_SECTIONS).toHaveProperty([t.sdm]);
  });

  it("lookups round-trip: name ↔ index ↔ Linux name", () => {
    for (const m of msrs) {
      expect(MSR_BY_NAME.get(m.name)).toBe(m);
      expect(MSR_BY_INDEX.get(m.index)).toBe(m);
      expect(MSR_BY_LINUX_NAME.get(m.linux)).toBe(m);
      expect(resolveMsr(m.index)).toBe(m);
      expect(resolveMsr(`0x${m.index.toString(16)}`)).toBe(m);
      expect(resolveMsr(m.name.toLowerCase())).toBe(m);
      expect(resolveMsr(`MSR_${m.name}`)).toBe(m);
      expect(resolveMsr(m.linux)).toBe(m);
      expect(Object.isFrozen(m)).toBe(true);
    }
    expect(MSR_BY_INDEX.size).toBe(MSR_COUNT);
    expect(resolveMsr("IA32_NO_SUCH_MSR")).toBeUndefined();
    expect(resolveMsr(0x12345)).toBeUndefined();
  });
});

describe("x2APIC MSR range (27.4)", () => {
  it("is 800H–8FFH: index bits 31:8 = 000008H", () => {
    expect(X2APIC_MSR_RANGE).toMatchObject({ first: 0x800, last: 0x8ff });
    expect(isX2apicMsr(0x7ff)).toBe(false);
    expect(isX2apicMsr(0x800)).toBe(true);
    expect(isX2apicMsr(0x80b)).toBe(true);
    expect(isX2apicMsr(0x8ff)).toBe(true);
    expect(isX2apicMsr(0x900)).toBe(false);
    expect(isX2apicMsr(0x80000800)).toBe(false);
    for (const m of msrs) expect(isX2apicMsr(m.index), m.name).toBe(false);
  });
});

describe("(b) VMX capability MSRs (Appendix A)", () => {
  it("has one entry per capability MSR, in index order, each naming an MSR whose sdm matches", () => {
    expect(caps.length).toBe(CAPABILITY_COUNT);
    const indices = caps.map((c) => msr(c.name).index);
    expect(indices).toEqual(Array.from({ length: CAPABILITY_COUNT }, (_, i) => 0x480 + i));
    for (const c of caps) {
      expect(msr(c.name).sdm, c.name).toBe(c.sdm);
      expect(vmxCapabilityByName(c.name)).toBe(c);
    }
  });

  it("every control word is described by exactly its capability MSRs, and vice versa", () => {
    const controlCaps = caps.filter((c) => c.kind === "controls" || c.kind === "true-controls").map((c) => c.name);
    expect(Object.keys(CAPABILITY_MSR_CONTROL_WORD).sort()).toEqual([...controlCaps].sort());
    for (const c of caps) {
      const link = CAPABILITY_MSR_CONTROL_WORD[c.name];
      if (c.kind === "controls") expect(link?.true, c.name).toBe(false);
      if (c.kind === "true-controls") expect(link?.true, c.name).toBe(true);
    }
    expect(CAPABILITY_MSR_CONTROL_WORD.IA32_VMX_PINBASED_CTLS).toEqual({ word: "pin", true: false });
    expect(CAPABILITY_MSR_CONTROL_WORD.IA32_VMX_TRUE_PROCBASED_CTLS).toEqual({ word: "proc", true: true });
    expect(CAPABILITY_MSR_CONTROL_WORD.IA32_VMX_PROCBASED_CTLS3).toEqual({ word: "proc3", true: false });
    expect(CAPABILITY_MSR_CONTROL_WORD.IA32_VMX_EXIT_CTLS2).toEqual({ word: "exit2", true: false });
    expect(CAPABILITY_MSR_CONTROL_WORD.IA32_VMX_VMFUNC).toEqual({ word: "vmfunc", true: false });
    for (const id of CONTROL_WORD_IDS) expect(Object.values(CAPABILITY_MSR_CONTROL_WORD).some((l) => l.word === id), id).toBe(true);
  });

  it("a control word's capability MSR is cited in the same Appendix A section", () => {
    const sections: Record<string, string> = {
      pin: "A.3.1", proc: "A.3.2", proc2: "A.3.3", proc3: "A.3.4", exit: "A.4.1", exit2: "A.4.2", entry: "A.5", vmfunc: "A.11",
    };
    for (const id of CONTROL_WORD_IDS) {
      const w: ControlWordDef = CONTROL_WORDS[id];
      expect(msr(w.capabilityMsr).sdm, id).toBe(sections[id]);
      if (w.trueCapabilityMsr !== undefined) expect(msr(w.trueCapabilityMsr).sdm, id).toBe(sections[id]);
    }
  });

  it("fixed0/fixed1 MSRs name their register; existsIf names resolve to a control or an IA32_VMX_BASIC bit", () => {
    for (const c of caps) {
      expect(c.register !== undefined, c.name).toBe(c.kind === "fixed0" || c.kind === "fixed1");
      for (const clause of c.existsIf ?? []) {
        expect(clause.length, c.name).toBeGreaterThan(0);
        for (const name of clause) {
          const known = controlByName(name) !== undefined || layout("IA32_VMX_BASIC").bits.some((b) => b.name === name);
          expect(known, `${c.name}: ${name}`).toBe(true);
        }
      }
    }
    expect(vmxCapabilityByName("IA32_VMX_TRUE_ENTRY_CTLS")?.existsIf).toEqual([["VMX_BASIC_TRUE_CTLS"]]);
    expect(vmxCapabilityByName("IA32_VMX_EPT_VPID_CAP")?.existsIf).toEqual([
      ["CPU_BASED_ACTIVATE_SECONDARY_CONTROLS"],
      ["SECONDARY_EXEC_ENABLE_EPT", "SECONDARY_EXEC_ENABLE_VPID"],
    ]);
  });

  it("IA32_VMX_VMFUNC reports the VM-function controls", () => {
    expect(VMX_VMFUNC_BITS.map((b) => [b.name, b.bit])).toEqual([["VMX_VMFUNC_EPTP_SWITCHING", 0]]);
  });
});

describe("(c), (d) MSR layouts", () => {
  it("has the pinned number of bits and fields per MSR, each MSR in the MSR table", () => {
    expect(layoutNames.sort()).toEqual(Object.keys(LAYOUT_COUNTS).sort());
    for (const name of layoutNames) {
      expect(msrByName(name), name).toBeDefined();
      expect({ bits: layout(name).bits.length, fields: layout(name).fields.length }, name).toEqual(LAYOUT_COUNTS[name]);
    }
  });

  it("no two named bits or fields of one MSR overlap; all lie within 64 bits; names are unique", () => {
    const allNames: string[] = [];
    for (const name of layoutNames) {
      const owner = new Map<number, string>();
      const claim = (bit: number, who: string) => {
        expect(bit >= 0 && bit < 64, `${name}: ${who} bit ${bit}`).toBe(true);
        expect(owner.get(bit), `${name}: ${who} overlaps at bit ${bit}`).toBeUndefined();
        owner.set(bit, who);
      };
      for (const b of layout(name).bits) {
        claim(b.bit, b.name);
        allNames.push(b.name);
        expect(b.nameFrom === undefined, b.name).toBe(b.inLinux);
      }
      for (const f of layout(name).fields) {
        expect(f.lsb < f.msb, `${f.name}: lsb < msb`).toBe(true);
        expect(f.msb - f.lsb + 1, f.name).toBeLessThanOrEqual(32);
        for (let bit = f.lsb; bit <= f.msb; bit++) claim(bit, f.name);
        allNames.push(f.name);
        expect(f.nameFrom === undefined, f.name).toBe(f.inLinux);
      }
      const bits = layout(name).bits.map((b) => b.bit);
      expect(bits, name).toEqual([...bits].sort((a, b) => a - b));
    }
    expect(new Set(allNames).size).toBe(allNames.length);
  });

  it("pins IA32_FEATURE_CONTROL (24.7)", () => {
    expect(layoutBit("IA32_FEATURE_CONTROL", "FEAT_CTL_LOCKED")).toBe(0);
    expect(layoutBit("IA32_FEATURE_CONTROL", "FEAT_CTL_VMX_ENABLED_INSIDE_SMX")).toBe(1);
    expect(layoutBit("IA32_FEATURE_CONTROL", "FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX")).toBe(2);
    expect(layoutField("IA32_FEATURE_CONTROL", "FEAT_CTL_SENTER_LOCAL_FUNCTIONS")).toEqual([14, 8]);
    expect(layoutBit("IA32_FEATURE_CONTROL", "FEAT_CTL_SENTER_GLOBAL_ENABLE")).toBe(15);
    expect(layoutBit("IA32_FEATURE_CONTROL", "FEAT_CTL_SGX_LC_ENABLED")).toBe(17);
    expect(layoutBit("IA32_FEATURE_CONTROL", "FEAT_CTL_SGX_ENABLED")).toBe(18);
    expect(layoutBit("IA32_FEATURE_CONTROL", "FEAT_CTL_LMCE_ENABLED")).toBe(20);
  });

  it("pins IA32_VMX_BASIC (A.1)", () => {
    expect(layoutField("IA32_VMX_BASIC", "VMX_BASIC_VMCS_REVISION_ID")).toEqual([30, 0]);
    expect(layoutField("IA32_VMX_BASIC", "VMX_BASIC_VMCS_SIZE")).toEqual([44, 32]);
    expect(layoutBit("IA32_VMX_BASIC", "VMX_BASIC_32BIT_PHYS_ADDR_ONLY")).toBe(48);
    expect(layoutBit("IA32_VMX_BASIC", "VMX_BASIC_DUAL_MONITOR_TREATMENT")).toBe(49);
    expect(layoutField("IA32_VMX_BASIC", "VMX_BASIC_MEM_TYPE")).toEqual([53, 50]);
    expect(layoutBit("IA32_VMX_BASIC", "VMX_BASIC_INOUT")).toBe(54);
    expect(layoutBit("IA32_VMX_BASIC", "VMX_BASIC_TRUE_CTLS")).toBe(55);
    expect(layoutBit("IA32_VMX_BASIC", "VMX_BASIC_NO_HW_ERROR_CODE_CC")).toBe(56);
    // Reserved: bit 31, bits 47:45, bits 63:57.
    expect(MSR_LAYOUT_MASKS.IA32_VMX_BASIC).toEqual({ definedLo: 0x7fffffff, definedHi: 0x01ff1fff });
    expect(VMX_BASIC_MEMORY_TYPES.map((t) => [t.value, t.name])).toEqual([[0, "X86_MEMTYPE_UC"], [6, "X86_MEMTYPE_WB"]]);
  });

  it("pins IA32_VMX_MISC (A.6)", () => {
    expect(layoutField("IA32_VMX_MISC", "VMX_MISC_PREEMPTION_TIMER_RATE")).toEqual([4, 0]);
    expect(layoutBit("IA32_VMX_MISC", "VMX_MISC_SAVE_EFER_LMA")).toBe(5);
    expect(layoutBit("IA32_VMX_MISC", "VMX_MISC_ACTIVITY_HLT")).toBe(6);
    expect(layoutBit("IA32_VMX_MISC", "VMX_MISC_ACTIVITY_SHUTDOWN")).toBe(7);
    expect(layoutBit("IA32_VMX_MISC", "VMX_MISC_ACTIVITY_WAIT_SIPI")).toBe(8);
    expect(layoutBit("IA32_VMX_MISC", "VMX_MISC_INTEL_PT")).toBe(14);
    expect(layoutBit("IA32_VMX_MISC", "VMX_MISC_RDMSR_IN_SMM")).toBe(15);
    expect(layoutField("IA32_VMX_MISC", "VMX_MISC_CR3_COUNT")).toEqual([24, 16]);
    expect(layoutField("IA32_VMX_MISC", "VMX_MISC_MAX_MSR")).toEqual([27, 25]);
    expect(layoutBit("IA32_VMX_MISC", "VMX_MISC_VMXOFF_BLOCK_SMI")).toBe(28);
    expect(layoutBit("IA32_VMX_MISC", "VMX_MISC_VMWRITE_SHADOW_RO_FIELDS")).toBe(29);
    expect(layoutBit("IA32_VMX_MISC", "VMX_MISC_ZERO_LEN_INS")).toBe(30);
    expect(layoutField("IA32_VMX_MISC", "VMX_MISC_MSEG_REVID")).toEqual([63, 32]);
    expect(VMX_MISC_MSR_LIST_MULTIPLIER).toBe(512);
  });

  it("pins IA32_VMX_EPT_VPID_CAP (A.10) and IA32_VMX_VMCS_ENUM (A.9)", () => {
    const pinned: readonly (readonly [string, number])[] = [
      ["VMX_EPT_EXECUTE_ONLY_BIT", 0], ["VMX_EPT_PAGE_WALK_4_BIT", 6], ["VMX_EPT_PAGE_WALK_5_BIT", 7],
      ["VMX_EPTP_UC_BIT", 8], ["VMX_EPTP_WB_BIT", 14], ["VMX_EPT_2MB_PAGE_BIT", 16], ["VMX_EPT_1GB_PAGE_BIT", 17],
      ["VMX_EPT_INVEPT_BIT", 20], ["VMX_EPT_AD_BIT", 21], ["VMX_EPT_ADVANCED_VMEXIT_INFO_BIT", 22],
      ["VMX_EPT_SUPERVISOR_SHSTK_BIT", 23], ["VMX_EPT_EXTENT_CONTEXT_BIT", 25], ["VMX_EPT_EXTENT_GLOBAL_BIT", 26],
      ["VMX_VPID_INVVPID_BIT", 32], ["VMX_VPID_EXTENT_INDIVIDUAL_ADDR_BIT", 40], ["VMX_VPID_EXTENT_SINGLE_CONTEXT_BIT", 41],
      ["VMX_VPID_EXTENT_GLOBAL_CONTEXT_BIT", 42], ["VMX_VPID_EXTENT_SINGLE_NON_GLOBAL_BIT", 43],
    ];
    for (const [name, bit] of pinned) expect(layoutBit("IA32_VMX_EPT_VPID_CAP", name), name).toBe(bit);
    expect(layoutField("IA32_VMX_EPT_VPID_CAP", "VMX_EPT_MAX_HLAT_PREFIX_SIZE")).toEqual([53, 48]);
    expect(layoutField("IA32_VMX_VMCS_ENUM", "VMX_VMCS_ENUM_MAX_INDEX")).toEqual([9, 1]);
  });

  it("extractField reads fields of real values", () => {
    const field = (m: MsrLayoutName, n: string) => layout(m).fields.find((f) => f.name === n)!;
    const basic = halves("0x00da040000000012"); // Haswell
    expect(extractField(basic.lo, basic.hi, field("IA32_VMX_BASIC", "VMX_BASIC_VMCS_REVISION_ID"))).toBe(0x12);
    expect(extractField(basic.lo, basic.hi, field("IA32_VMX_BASIC", "VMX_BASIC_VMCS_SIZE"))).toBe(0x400);
    expect(extractField(basic.lo, basic.hi, field("IA32_VMX_BASIC", "VMX_BASIC_MEM_TYPE"))).toBe(6);
    const misc = halves("0x000000007004c1e7"); // Skylake
    expect(extractField(misc.lo, misc.hi, field("IA32_VMX_MISC", "VMX_MISC_PREEMPTION_TIMER_RATE"))).toBe(7);
    expect(extractField(misc.lo, misc.hi, field("IA32_VMX_MISC", "VMX_MISC_CR3_COUNT"))).toBe(4);
    expect(extractField(misc.lo, misc.hi, field("IA32_VMX_MISC", "VMX_MISC_MAX_MSR"))).toBe(0);
    expect(extractField(0, 0xfedcba98, field("IA32_VMX_MISC", "VMX_MISC_MSEG_REVID"))).toBe(0xfedcba98);
    expect(extractField(0x2e, 0, field("IA32_VMX_VMCS_ENUM", "VMX_VMCS_ENUM_MAX_INDEX"))).toBe(0x17);
    const ept = halves("0x00010f0106f34141"); // Raptor Lake
    expect(extractField(ept.lo, ept.hi, field("IA32_VMX_EPT_VPID_CAP", "VMX_EPT_MAX_HLAT_PREFIX_SIZE"))).toBe(1);
    // A field that straddles the halves.
    expect(extractField(0xf0000000, 0x0000000f, { name: "x", lsb: 28, msb: 35, title: "", sdm: "A.1" })).toBe(0xff);
  });
});

// ---------------------------------------------------------------------------------------------
// Cross-check against capability MSRs read from real processors.
// ---------------------------------------------------------------------------------------------

const CPU_DIR = "/work/shared/data/cpus";

/**
 * Bits real processors report that the current SDM does not define. Each is listed with its
 * reason so that a table change that explains one makes this test fail until it is removed.
 */
const UNDOCUMENTED: readonly { file: RegExp; msr: string; bit: number; why: string }[] = [
  { file: /^intel-core-i5-1035g1/, msr: "IA32_VMX_PROCBASED_CTLS2", bit: 32 + 29, why: "Ice Lake client reports allowed-1 for secondary control bit 29, reserved in the SDM" },
  { file: /^(12th-gen-intel-core-i7-12700|intel-core-7-150u|intel-core-i7-14700)/, msr: "IA32_VMX_BASIC", bit: 57, why: "Alder/Raptor Lake set IA32_VMX_BASIC[57], reserved in the SDM" },
  { file: /^intel-core2-duo-t9600/, msr: "IA32_VMX_MISC", bit: 9, why: "Penryn sets IA32_VMX_MISC[9], reserved in the SDM" },
];

interface CpuFile {
  readonly file: string;
  readonly msrs: Readonly<Record<string, string>>;
}

function loadCpus(): CpuFile[] {
  return readdirSync(CPU_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => {
      const data = JSON.parse(readFileSync(join(CPU_DIR, file), "utf8")) as { msrs?: Record<string, string>; other_msrs?: Record<string, string> };
      return { file, msrs: { ...(data.other_msrs ?? {}), ...(data.msrs ?? {}) } };
    })
    .filter((c) => Object.keys(c.msrs).length > 0);
}

function undocumented(file: string, msrName: string, bit: number): boolean {
  return UNDOCUMENTED.some((u) => u.file.test(file) && u.msr === msrName && u.bit === bit);
}

function setBits(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let bit = 0; bit < 64; bit++) if ((bit < 32 ? (lo >>> bit) & 1 : (hi >>> (bit - 32)) & 1) === 1) out.push(bit);
  return out;
}

/** Every bit a processor reports that the tables do not name, as `file:MSR:bit`. */
function unnamedBits(cpus: readonly CpuFile[]): string[] {
  const found: string[] = [];
  for (const cpu of cpus) {
    // Control capability MSRs: each allowed-1 bit must be a named control or a default1 bit.
    for (const [msrName, link] of Object.entries(CAPABILITY_MSR_CONTROL_WORD)) {
      const hex = cpu.msrs[msrName];
      if (hex === undefined) continue;
      const { lo, hi } = halves(hex);
      const w: ControlWordDef = CONTROL_WORDS[link.word];
      const m = CONTROL_WORD_MASKS[link.word];
      const knownLo = (m.definedLo | m.default1Lo) >>> 0;
      const knownHi = (m.definedHi | m.default1Hi) >>> 0;
      if (w.capabilityFormat === "allowed-0-and-1") {
        // Allowed 1-settings are bits 63:32 (A.3.1); report them by MSR bit number.
        for (const bit of setBits((hi & ~knownLo) >>> 0, 0)) found.push(`${cpu.file}:${msrName}:${bit + 32}`);
      } else {
        for (const bit of setBits((lo & ~knownLo) >>> 0, (hi & ~knownHi) >>> 0)) found.push(`${cpu.file}:${msrName}:${bit}`);
      }
    }
    // MSRs with a layout: each set bit must be a named bit or inside a named field.
    for (const name of layoutNames) {
      const hex = cpu.msrs[name];
      if (hex === undefined) continue;
      const { lo, hi } = halves(hex);
      const m = MSR_LAYOUT_MASKS[name];
      for (const bit of setBits((lo & ~m.definedLo) >>> 0, (hi & ~m.definedHi) >>> 0)) found.push(`${cpu.file}:${name}:${bit}`);
    }
  }
  return found;
}

describe.skipIf(!existsSync(CPU_DIR))("real processors' capability MSRs", () => {
  const cpus = existsSync(CPU_DIR) ? loadCpus() : [];

  it("has processors to check", () => {
    expect(cpus.length).toBeGreaterThan(20);
  });

  it("every bit they report is named (a control, a default1 bit, a layout bit or field), or listed as undocumented", () => {
    for (const key of unnamedBits(cpus)) {
      const [file, msrName, bit] = key.split(":");
      expect(undocumented(file!, msrName!, Number(bit)), `${key} is not defined by the tables`).toBe(true);
    }
  });

  it("every listed undocumented bit is still observed (a stale entry fails)", () => {
    const found = unnamedBits(cpus);
    for (const u of UNDOCUMENTED) {
      const observed = found.some((key) => {
        const [file, msrName, bit] = key.split(":");
        return u.file.test(file!) && msrName === u.msr && Number(bit) === u.bit;
      });
      expect(observed, `${u.msr} bit ${u.bit}: ${u.why}`).toBe(true);
    }
  });

  it("the non-TRUE MSRs report every default1 bit as must-be-1; the TRUE MSRs report no more than they do (A.2)", () => {
    for (const cpu of cpus) {
      for (const id of CONTROL_WORD_IDS) {
        const w: ControlWordDef = CONTROL_WORDS[id];
        const hex = cpu.msrs[w.capabilityMsr];
        if (hex === undefined || w.capabilityFormat !== "allowed-0-and-1") continue;
        const { lo } = halves(hex);
        const d1 = CONTROL_WORD_MASKS[id].default1Lo;
        expect((lo & d1) >>> 0, `${cpu.file}: ${w.capabilityMsr}`).toBe(d1);
        const trueHex = w.trueCapabilityMsr === undefined ? undefined : cpu.msrs[w.trueCapabilityMsr];
        if (trueHex !== undefined) {
          const t = halves(trueHex);
          expect((t.lo & ~lo) >>> 0, `${cpu.file}: ${w.trueCapabilityMsr} must-be-1 ⊆ ${w.capabilityMsr}`).toBe(0);
        }
      }
    }
  });

  it("real IA32_VMX_BASIC memory types are ones A.1 defines", () => {
    const memType = layout("IA32_VMX_BASIC").fields.find((f) => f.name === "VMX_BASIC_MEM_TYPE")!;
    for (const cpu of cpus) {
      const hex = cpu.msrs.IA32_VMX_BASIC;
      if (hex === undefined) continue;
      const { lo, hi } = halves(hex);
      const value = extractField(lo, hi, memType);
      expect(VMX_BASIC_MEMORY_TYPES.some((t) => t.value === value), `${cpu.file}: memory type ${value}`).toBe(true);
    }
  });
});
