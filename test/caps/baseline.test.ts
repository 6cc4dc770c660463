// A baseline for a pool of hosts: every host's KVM accepts it on restore; what it drops and why.
import { describe, expect, it } from "vitest";
import { poolBaseline } from "../../src/caps/baseline.js";
import { restoreWrites } from "../../src/caps/migration.js";
import { auditRestore } from "../../src/caps/restore.js";
import { capabilityGaps } from "../../src/caps/compat.js";
import { parseCpuJson } from "../../src/io/cpu-json.js";

const host = (name: string) => ({ name, msrs: new Map(parseCpuJson({ profile: name }, "t").msrs) });
// kvm-nested-l1-view-2021 is left out: its source captured only 0x480–0x48B.
const KVM_POOL = [host("kvm-nested-observed"), host("kvm-nested-l1-view-2022")];

describe("poolBaseline", () => {
  it("the baseline of one host restores on that host unchanged in meaning", () => {
    const only = host("kvm-nested-observed");
    const baseline = poolBaseline([only]);
    expect(baseline.conflicts).toEqual([]);
    expect(baseline.dropped).toEqual([]);
    expect(capabilityGaps(only.msrs, baseline.msrs)).toEqual([]);
  });

  it("every host of a KVM pool accepts restoring the baseline", () => {
    const baseline = poolBaseline(KVM_POOL);
    expect(baseline.conflicts).toEqual([]);
    const { writes } = restoreWrites(baseline.msrs);
    for (const member of KVM_POOL) {
      const rejected = auditRestore(member.msrs, writes).results.filter((result) => !result.accepted);
      expect(rejected, member.name).toEqual([]);
    }
  });

  it("names each dropped capability and the hosts that lack it", () => {
    const baseline = poolBaseline(KVM_POOL);
    const hostAddrSpace = baseline.dropped.find((entry) => entry.capability === "VM_EXIT_HOST_ADDR_SPACE_SIZE");
    expect(hostAddrSpace).toEqual({ capability: "VM_EXIT_HOST_ADDR_SPACE_SIZE", lackedBy: ["kvm-nested-l1-view-2022"] });
  });

  it("the baseline offers nothing that some host lacks", () => {
    const baseline = poolBaseline(KVM_POOL);
    for (const member of KVM_POOL) expect(capabilityGaps(baseline.msrs, member.msrs), member.name).toEqual([]);
  });

  it("takes the minimum CR3-target count and the maximum VMCS size", () => {
    const a = host("kvm-nested-observed");
    a.msrs.set(0x485, (a.msrs.get(0x485)! & ~(0x1ffn << 16n)) | (4n << 16n)); // 4 CR3 targets
    const b = { name: "b", msrs: new Map(a.msrs) };
    b.msrs.set(0x485, (a.msrs.get(0x485)! & ~(0x1ffn << 16n)) | (1n << 16n)); // 1 CR3 target
    b.msrs.set(0x480, (a.msrs.get(0x480)! & ~(0x1fffn << 32n)) | (0x800n << 32n)); // smaller VMCS
    const baseline = poolBaseline([a, b]);
    expect((baseline.msrs.get(0x485)! >> 16n) & 0x1ffn).toBe(1n);
    expect((baseline.msrs.get(0x480)! >> 32n) & 0x1fffn).toBe(0x1000n);
  });

  it("drops the preemption timer when hosts disagree on its rate", () => {
    const a = host("kvm-nested-observed");
    const b = { name: "b", msrs: new Map(a.msrs) };
    b.msrs.set(0x485, (a.msrs.get(0x485)! & ~0x1fn) | 0x7n);
    const baseline = poolBaseline([a, b]);
    expect((baseline.msrs.get(0x48d)! >> 38n) & 1n).toBe(0n);
    const { writes } = restoreWrites(baseline.msrs);
    for (const member of [a, b]) expect(auditRestore(member.msrs, writes).results.every((result) => result.accepted)).toBe(true);
  });

  it("reports hosts whose VMCS revision identifiers differ", () => {
    const baseline = poolBaseline([host("intel-core-i7-4770"), host("12th-gen-intel-core-i7-12700")]);
    expect(baseline.conflicts[0]).toMatch(/VMCS revision identifiers differ \(0x12, 0x13\)/);
  });
});
