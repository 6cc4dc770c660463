import { describe, it, expect } from "vitest";
import {
  CONTROL_BY_NAME,
  CONTROL_WORDS,
  CONTROL_WORD_IDS,
  CONTROL_WORD_MASKS,
  controlByName,
  controlsSetIn,
  type ControlBitDef,
  type ControlWordDef,
  type ControlWordId,
} from "../../src/arch/controls.js";
import { SDM_SECTIONS } from "../../src/arch/sdm.js";
import { MSR_BY_NAME } from "../../src/arch/msrs.js";

const words: readonly ControlWordDef[] = CONTROL_WORD_IDS.map((id) => CONTROL_WORDS[id]);
const allBits: readonly (ControlBitDef & { word: ControlWordId })[] = words.flatMap((w) =>
  w.bits.map((b) => ({ ...b, word: w.id })),
);

/** Pinned per word so the tables cannot silently shrink (or grow without this test being revisited). */
const COUNTS: Readonly<Record<ControlWordId, number>> = {
  pin: 5,
  proc: 22,
  proc2: 31,
  proc3: 7,
  exit: 18,
  exit2: 3,
  entry: 15,
  vmfunc: 1,
};
const TOTAL = 102;

function ref(name: string) {
  const r = controlByName(name);
  if (r === undefined) throw new Error(`no control ${name}`);
  return r;
}

function mask(bits: readonly number[]): number {
  return bits.reduce((m, b) => (m | (1 << b)) >>> 0, 0);
}

describe("SDM 25.6–25.8: pinned control bits", () => {
  const pinned: readonly (readonly [string, ControlWordId, number])[] = [
    ["PIN_BASED_EXT_INTR_MASK", "pin", 0],
    ["PIN_BASED_NMI_EXITING", "pin", 3],
    ["PIN_BASED_VIRTUAL_NMIS", "pin", 5],
    ["PIN_BASED_VMX_PREEMPTION_TIMER", "pin", 6],
    ["PIN_BASED_POSTED_INTR", "pin", 7],
    ["CPU_BASED_INTR_WINDOW_EXITING", "proc", 2],
    ["CPU_BASED_USE_TSC_OFFSETTING", "proc", 3],
    ["CPU_BASED_HLT_EXITING", "proc", 7],
    ["CPU_BASED_CR3_LOAD_EXITING", "proc", 15],
    ["CPU_BASED_CR3_STORE_EXITING", "proc", 16],
    ["CPU_BASED_ACTIVATE_TERTIARY_CONTROLS", "proc", 17],
    ["CPU_BASED_TPR_SHADOW", "proc", 21],
    ["CPU_BASED_NMI_WINDOW_EXITING", "proc", 22],
    ["CPU_BASED_USE_IO_BITMAPS", "proc", 25],
    ["CPU_BASED_MONITOR_TRAP_FLAG", "proc", 27],
    ["CPU_BASED_USE_MSR_BITMAPS", "proc", 28],
    ["CPU_BASED_ACTIVATE_SECONDARY_CONTROLS", "proc", 31],
    ["SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES", "proc2", 0],
    ["SECONDARY_EXEC_ENABLE_EPT", "proc2", 1],
    ["SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE", "proc2", 4],
    ["SECONDARY_EXEC_ENABLE_VPID", "proc2", 5],
    ["SECONDARY_EXEC_UNRESTRICTED_GUEST", "proc2", 7],
    ["SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY", "proc2", 9],
    ["SECONDARY_EXEC_ENABLE_VMFUNC", "proc2", 13],
    ["SECONDARY_EXEC_SHADOW_VMCS", "proc2", 14],
    ["SECONDARY_EXEC_ENABLE_PML", "proc2", 17],
    ["SECONDARY_EXEC_PASID_TRANSLATION", "proc2", 21],
    ["SECONDARY_EXEC_ENABLE_SPP", "proc2", 23],
    ["SECONDARY_EXEC_PT_USE_GPA", "proc2", 24],
    ["SECONDARY_EXEC_TSC_SCALING", "proc2", 25],
    ["SECONDARY_EXEC_ENABLE_PCONFIG", "proc2", 27],
    ["SECONDARY_EXEC_ENCLV_EXITING", "proc2", 28],
    ["SECONDARY_EXEC_BUS_LOCK_DETECTION", "proc2", 30],
    ["SECONDARY_EXEC_NOTIFY_VM_EXITING", "proc2", 31],
    ["TERTIARY_EXEC_LOADIWKEY_EXITING", "proc3", 0],
    ["TERTIARY_EXEC_ENABLE_HLAT", "proc3", 1],
    ["TERTIARY_EXEC_EPT_PAGING_WRITE", "proc3", 2],
    ["TERTIARY_EXEC_GUEST_PAGING_VERIFY", "proc3", 3],
    ["TERTIARY_EXEC_IPI_VIRT", "proc3", 4],
    ["TERTIARY_EXEC_ENABLE_MSRLIST", "proc3", 6],
    ["TERTIARY_EXEC_SPEC_CTRL_SHADOW", "proc3", 7],
    ["VM_EXIT_SAVE_DEBUG_CONTROLS", "exit", 2],
    ["VM_EXIT_HOST_ADDR_SPACE_SIZE", "exit", 9],
    ["VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL", "exit", 12],
    ["VM_EXIT_ACK_INTR_ON_EXIT", "exit", 15],
    ["VM_EXIT_SAVE_IA32_PAT", "exit", 18],
    ["VM_EXIT_LOAD_IA32_EFER", "exit", 21],
    ["VM_EXIT_SAVE_VMX_PREEMPTION_TIMER", "exit", 22],
    ["VM_EXIT_CLEAR_BNDCFGS", "exit", 23],
    ["VM_EXIT_PT_CONCEAL_PIP", "exit", 24],
    ["VM_EXIT_CLEAR_IA32_RTIT_CTL", "exit", 25],
    ["VM_EXIT_CLEAR_IA32_LBR_CTL", "exit", 26],
    ["VM_EXIT_CLEAR_UINV", "exit", 27],
    ["VM_EXIT_LOAD_CET_STATE", "exit", 28],
    ["VM_EXIT_LOAD_IA32_PKRS", "exit", 29],
    ["VM_EXIT_SAVE_IA32_PERF_GLOBAL_CTRL", "exit", 30],
    ["VM_EXIT_ACTIVATE_SECONDARY_CONTROLS", "exit", 31],
    ["SECONDARY_VM_EXIT_SAVE_IA32_FRED", "exit2", 0],
    ["SECONDARY_VM_EXIT_LOAD_IA32_FRED", "exit2", 1],
    ["SECONDARY_VM_EXIT_PREMATURELY_BUSY_SHSTK", "exit2", 3],
    ["VM_ENTRY_LOAD_DEBUG_CONTROLS", "entry", 2],
    ["VM_ENTRY_IA32E_MODE", "entry", 9],
    ["VM_ENTRY_SMM", "entry", 10],
    ["VM_ENTRY_DEACT_DUAL_MONITOR", "entry", 11],
    ["VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL", "entry", 13],
    ["VM_ENTRY_LOAD_IA32_PAT", "entry", 14],
    ["VM_ENTRY_LOAD_IA32_EFER", "entry", 15],
    ["VM_ENTRY_LOAD_BNDCFGS", "entry", 16],
    ["VM_ENTRY_PT_CONCEAL_PIP", "entry", 17],
    ["VM_ENTRY_LOAD_IA32_RTIT_CTL", "entry", 18],
    ["VM_ENTRY_LOAD_UINV", "entry", 19],
    ["VM_ENTRY_LOAD_CET_STATE", "entry", 20],
    ["VM_ENTRY_LOAD_IA32_LBR_CTL", "entry", 21],
    ["VM_ENTRY_LOAD_IA32_PKRS", "entry", 22],
    ["VM_ENTRY_LOAD_IA32_FRED", "entry", 23],
    ["VMX_VMFUNC_EPTP_SWITCHING", "vmfunc", 0],
  ];
  it.each(pinned)("%s is %s bit %i", (name, word, bit) => {
    const r = ref(name);
    expect(r.word).toBe(word);
    expect(r.bit).toBe(bit);
  });

  it("masks match Linux's constants", () => {
    expect(ref("CPU_BASED_ACTIVATE_SECONDARY_CONTROLS").lo).toBe(0x80000000);
    expect(ref("SECONDARY_EXEC_ENABLE_EPT").lo).toBe(0x2);
    expect(ref("VM_EXIT_HOST_ADDR_SPACE_SIZE").lo).toBe(0x200);
    expect(ref("VM_ENTRY_IA32E_MODE").lo).toBe(0x200);
    expect(ref("VM_EXIT_LOAD_CET_STATE").lo).toBe(0x10000000);
    expect(ref("VM_ENTRY_LOAD_IA32_FRED").lo).toBe(0x00800000);
    expect(ref("SECONDARY_EXEC_NOTIFY_VM_EXITING")).toMatchObject({ lo: 0x80000000, hi: 0 });
  });
});

describe("SDM A.2: default1 class", () => {
  it("matches Linux's *_ALWAYSON_WITHOUT_TRUE_MSR", () => {
    expect(CONTROL_WORD_MASKS.pin.default1Lo).toBe(0x16);
    expect(CONTROL_WORD_MASKS.proc.default1Lo).toBe(0x0401e172);
    expect(CONTROL_WORD_MASKS.exit.default1Lo).toBe(0x36dff);
    expect(CONTROL_WORD_MASKS.entry.default1Lo).toBe(0x11ff);
  });

  it("words without a TRUE MSR have no default1 class", () => {
    for (const w of words) {
      if (w.trueCapabilityMsr === undefined) expect(w.default1, w.id).toEqual([]);
      else expect(w.default1.length, w.id).toBeGreaterThan(0);
    }
  });

  it("the only named controls in the default1 class are CR3-load/-store exiting and save/load debug controls", () => {
    const named = allBits.filter((b) => CONTROL_WORDS[b.word].default1.includes(b.bit as never)).map((b) => b.name);
    expect(named.sort()).toEqual(
      ["CPU_BASED_CR3_LOAD_EXITING", "CPU_BASED_CR3_STORE_EXITING", "VM_ENTRY_LOAD_DEBUG_CONTROLS", "VM_EXIT_SAVE_DEBUG_CONTROLS"].sort(),
    );
  });

  it("default1 bits are within the word, unique and sorted", () => {
    for (const w of words) {
      expect([...new Set(w.default1)], w.id).toEqual([...w.default1].sort((a, b) => a - b));
      for (const bit of w.default1) expect(bit, w.id).toBeLessThan(w.width);
    }
  });
});

describe("table self-consistency", () => {
  it("has the pinned number of controls per word", () => {
    for (const id of CONTROL_WORD_IDS) expect(CONTROL_WORDS[id].bits.length, id).toBe(COUNTS[id]);
    expect(allBits.length).toBe(TOTAL);
    expect(Object.keys(CONTROL_BY_NAME).length).toBe(TOTAL);
  });

  it("each word's key is its id, and ids are listed once in SDM order", () => {
    expect(Object.keys(CONTROL_WORDS)).toEqual([...CONTROL_WORD_IDS]);
    for (const id of CONTROL_WORD_IDS) expect(CONTROL_WORDS[id].id).toBe(id);
  });

  it("no name appears twice across all words", () => {
    const names = allBits.map((b) => b.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("no bit appears twice within a word, bits are in order and within the word's width", () => {
    for (const w of words) {
      const bits = w.bits.map((b) => b.bit);
      expect(bits, w.id).toEqual([...new Set(bits)].sort((a, b) => a - b));
      for (const bit of bits) {
        expect(Number.isInteger(bit) && bit >= 0, `${w.id} bit ${bit}`).toBe(true);
        expect(bit, w.id).toBeLessThan(w.width);
      }
    }
  });

  it("names follow the word's Linux prefix", () => {
    const prefixes: Readonly<Record<ControlWordId, string>> = {
      pin: "PIN_BASED_",
      proc: "CPU_BASED_",
      proc2: "SECONDARY_EXEC_",
      proc3: "TERTIARY_EXEC_",
      exit: "VM_EXIT_",
      exit2: "SECONDARY_VM_EXIT_",
      entry: "VM_ENTRY_",
      vmfunc: "VMX_VMFUNC_",
    };
    for (const b of allBits) expect(b.name.startsWith(prefixes[b.word]), b.name).toBe(true);
  });

  it("every sdm is a key of SDM_SECTIONS and matches the word's section", () => {
    for (const w of words) {
      expect(SDM_SECTIONS).toHaveProperty([w.sdm]);
      for (const b of w.bits) {
        expect(SDM_SECTIONS, b.name).toHaveProperty([b.sdm]);
        expect(b.sdm, b.name).toBe(w.sdm);
      }
    }
  });

  it("a name not spelled as in Linux says where it comes from, and only then", () => {
    for (const b of allBits) expect(b.nameFrom === undefined, b.name).toBe(b.inLinux);
  });

  it("Linux feature names are unique and in Linux's style", () => {
    const features = allBits.flatMap((b) => (b.feature === undefined ? [] : [b.feature]));
    expect(new Set(features).size).toBe(features.length);
    for (const f of features) expect(f).toMatch(/^VMX_FEATURE_[A-Z0-9_]+$/);
  });

  it("every word names its capability MSRs and VMCS field, and an activating control that exists", () => {
    for (const w of words) {
      expect(MSR_BY_NAME.get(w.capabilityMsr), w.capabilityMsr).toBeDefined();
      if (w.trueCapabilityMsr !== undefined) expect(MSR_BY_NAME.get(w.trueCapabilityMsr)).toBeDefined();
      expect(w.capabilityFormat === "allowed-1-only", w.id).toBe(w.width === 64);
      if (w.activatedBy !== undefined) {
        const activator = ref(w.activatedBy);
        expect(activator.word, w.id).not.toBe(w.id);
      }
    }
    expect(words.map((w) => w.field)).toEqual([
      "PIN_BASED_VM_EXEC_CONTROL",
      "CPU_BASED_VM_EXEC_CONTROL",
      "SECONDARY_VM_EXEC_CONTROL",
      "TERTIARY_VM_EXEC_CONTROL",
      "VM_EXIT_CONTROLS",
      "SECONDARY_VM_EXIT_CONTROLS",
      "VM_ENTRY_CONTROLS",
      "VM_FUNCTION_CONTROL",
    ]);
  });
});

describe("derived lookups", () => {
  it("round-trip: name → {word, bit} → the table entry", () => {
    for (const b of allBits) {
      const r = ref(b.name);
      expect(r.word).toBe(b.word);
      expect(r.bit).toBe(b.bit);
      expect(r.def.name).toBe(b.name);
      expect(r.name).toBe(b.name);
      expect(b.bit < 32 ? r.lo : r.hi).toBe((2 ** (b.bit % 32)) >>> 0);
      expect(b.bit < 32 ? r.hi : r.lo).toBe(0);
    }
  });

  it("is frozen and rejects unknown or differently spelled names", () => {
    expect(Object.isFrozen(CONTROL_BY_NAME)).toBe(true);
    expect(Object.isFrozen(CONTROL_WORD_MASKS)).toBe(true);
    expect(Object.isFrozen(CONTROL_BY_NAME.PIN_BASED_EXT_INTR_MASK)).toBe(true);
    expect(controlByName("pin_based_ext_intr_mask")).toBeUndefined();
    expect(controlByName("toString")).toBeUndefined();
    expect(controlByName("CPU_BASED_VIRTUAL_INTR_PENDING")).toBeUndefined();
  });

  it("defined masks are the union of the named bits", () => {
    for (const w of words) {
      const m = CONTROL_WORD_MASKS[w.id];
      expect(m.definedLo, w.id).toBe(mask(w.bits.filter((b) => b.bit < 32).map((b) => b.bit)));
      expect(m.definedHi, w.id).toBe(mask(w.bits.filter((b) => b.bit >= 32).map((b) => b.bit - 32)));
      expect(m.defined, w.id).toBe((BigInt(m.definedHi) << 32n) | BigInt(m.definedLo));
      expect(m.default1, w.id).toBe((BigInt(m.default1Hi) << 32n) | BigInt(m.default1Lo));
    }
    expect(CONTROL_WORD_MASKS.pin.definedLo).toBe(0xe9);
    expect(CONTROL_WORD_MASKS.proc2.definedLo).toBe(0xdfffffff);
    expect(CONTROL_WORD_MASKS.proc3.defined).toBe(0xdfn);
    expect(CONTROL_WORD_MASKS.exit.definedLo).toBe(0xfffc9204);
    expect(CONTROL_WORD_MASKS.entry.definedLo).toBe(0x00ffee04);
  });

  it("controlsSetIn names the named controls of a value, in bit order", () => {
    expect(controlsSetIn("pin", 0xff)).toEqual([
      "PIN_BASED_EXT_INTR_MASK",
      "PIN_BASED_NMI_EXITING",
      "PIN_BASED_VIRTUAL_NMIS",
      "PIN_BASED_VMX_PREEMPTION_TIMER",
      "PIN_BASED_POSTED_INTR",
    ]);
    expect(controlsSetIn("proc", 0x80000000)).toEqual(["CPU_BASED_ACTIVATE_SECONDARY_CONTROLS"]);
    expect(controlsSetIn("entry", 0x11ff)).toEqual(["VM_ENTRY_LOAD_DEBUG_CONTROLS"]);
    expect(controlsSetIn("proc3", 0, 0xffffffff)).toEqual([]);
  });
});
