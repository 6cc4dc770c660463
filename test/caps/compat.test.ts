// Capability gaps between a migration source and destination.
import { describe, expect, it } from "vitest";
import { capabilityGaps } from "../../src/caps/compat.js";
import { parseCpuJson } from "../../src/io/cpu-json.js";
import { decodeCapabilities } from "../../src/caps/decode.js";
import { BUILTIN_PROFILES } from "../../src/profiles/index.js";
import { formatHexBig } from "../../src/u64/halves.js";

const msrsOf = (profile: string) => parseCpuJson({ profile }, "t").msrs;

describe("capabilityGaps", () => {
  it("a CPU has no gaps to itself", () => {
    for (const profile of BUILTIN_PROFILES) expect(capabilityGaps(msrsOf(profile.name), msrsOf(profile.name)), profile.name).toEqual([]);
  });

  it("Alder Lake to Haswell loses controls Haswell lacks (e.g. RDSEED exiting, TSC scaling)", () => {
    const names = capabilityGaps(msrsOf("12th-gen-intel-core-i7-12700"), msrsOf("intel-core-i7-4770")).map((gap) => gap.name);
    expect(names).toContain("SECONDARY_EXEC_RDSEED_EXITING");
    expect(names).toContain("SECONDARY_EXEC_TSC_SCALING");
    expect(names).toContain("VMX_BASIC_VMCS_REVISION_ID");
  });

  it("a control that becomes must-be-1 on the destination is a gap", () => {
    const from = msrsOf("intel-core-i7-4770");
    const to = new Map(from);
    to.set(0x48e, from.get(0x48e)! | (1n << 7n)); // TRUE_PROCBASED: HLT exiting must be 1
    expect(capabilityGaps(from, to).map((gap) => gap.message)).toEqual([
      "CPU_BASED_HLT_EXITING (HLT exiting) may be 0 on the source but must be 1 on the destination",
    ]);
  });

  it("numeric limits: a smaller CR3-target count on the destination is a gap, a larger one is not", () => {
    const from = msrsOf("intel-core-i7-4770");
    const fewer = new Map(from);
    fewer.set(0x485, from.get(0x485)! & ~(0x1ffn << 16n)); // CR3-target count 0
    expect(capabilityGaps(from, fewer).map((gap) => gap.name)).toEqual(["VMX_MISC_CR3_COUNT"]);
    expect(capabilityGaps(fewer, from)).toEqual([]);
  });
});

describe("decoding each real profile reproduces the values of its source", () => {
  it.each(BUILTIN_PROFILES.map((profile) => [profile.name, profile] as const))("%s", (_name, profile) => {
    const report = decodeCapabilities(msrsOf(profile.name));
    for (const msr of report.msrs) {
      const source = profile.msrs[msr.name];
      if (source === undefined) continue;
      expect(formatHexBig(msr.value!), msr.name).toBe(formatHexBig(BigInt(source)));
    }
  });
});
