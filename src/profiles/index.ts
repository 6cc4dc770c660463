/**
 * Built-in CPU profiles: named sets of VMX capability MSRs a cpu.json can start from
 * (`"profile": "…"`, CONTRACT.md §1).
 */
import { OBSERVED_PROFILES } from "./observed.js";
import type { ProfileData } from "./profile-data.js";
import { MSR_BY_INDEX, MSR_BY_NAME } from "../arch/msrs.js";
import { deriveNestedMsrs } from "../caps/nested.js";
import { formatHexBig } from "../u64/halves.js";

export type { ProfileData } from "./profile-data.js";

/** The host `kvm-nested-default` is derived from: the newest real processor among the profiles. */
export const KVM_NESTED_DEFAULT_HOST = "intel-core-i7-14700";

/**
 * `kvm-nested-default`: what current upstream KVM advertises to an L1 guest (nested_vmx_setup_ctls_msrs,
 * with KVM's default module parameters) on a modern Intel host — derived by src/caps/nested.ts from
 * the capability MSRs of {@link KVM_NESTED_DEFAULT_HOST}, not written by hand.
 */
function kvmNestedDefault(): ProfileData {
  const host = OBSERVED_PROFILES.find((profile) => profile.name === KVM_NESTED_DEFAULT_HOST)!;
  const hostMsrs = new Map(Object.entries(host.msrs).map(([name, value]) => [MSR_BY_NAME.get(name)!.index, BigInt(value)] as const));
  const nested = deriveNestedMsrs(hostMsrs);
  const msrs: Record<string, string> = {};
  for (const [index, value] of [...nested.msrs].sort(([a], [b]) => a - b)) msrs[MSR_BY_INDEX.get(index)!.name] = formatHexBig(value);
  msrs["IA32_FEATURE_CONTROL"] = "0x5";
  return {
    name: "kvm-nested-default",
    model: `KVM nested VMX as advertised to L1 (host: ${host.model})`,
    microarchitecture: "virtual (KVM nested_vmx_msrs)",
    kind: "kvm-l1-view (derived)",
    source: `derived with KVM's rules (src/caps/nested.ts) from ${host.name} (${host.source})`,
    quality: "derived: current upstream KVM's nested_vmx_setup_ctls_msrs() with default module parameters",
    notes: "IA32_FEATURE_CONTROL locked with VMX outside SMX enabled. The observed L1 views of older KVM under QEMU are kvm-nested-l1-view-2021 and -2022.",
    msrs,
  };
}

const KVM_NESTED_DEFAULT = kvmNestedDefault();

/**
 * `kvm-nested-observed`: the capability MSRs an older KVM's nested VMX advertised to an L1 guest
 * on a 64-bit host under QEMU, as observed from inside L1 (revision 0x11e57ed0 = VMCS12_REVISION, VMCS size
 * 0x1000 = VMCS12_SIZE). The values are those of the 2022 observation, whose 0x480–0x491 scan is
 * complete, except that the VM-exit controls are those of the 2021 observation: the 2022 run
 * came from a 32-bit L1 build without "host address-space size" (bit 9), which a 64-bit L1
 * needs and KVM offers on 64-bit hosts.
 */
const KVM_NESTED_OBSERVED: ProfileData = {
  name: "kvm-nested-observed",
  model: "KVM nested VMX as an L1 guest under QEMU saw it (64-bit exit controls)",
  microarchitecture: "virtual (KVM nested_vmx_msrs)",
  kind: "kvm-l1-view",
  source:
    "kvm-nested-l1-view-2022 (https://github.com/lxylxy123456/uberxmhf/blob/3172c09b8ebd84d532a8ffc36594a76cc6165a61/bug_082/README.md) " +
    "with the VM-exit controls of kvm-nested-l1-view-2021 (https://github.com/lxylxy123456/uberxmhf/blob/3172c09b8ebd84d532a8ffc36594a76cc6165a61/bug_014/intercept_3_qemu.txt)",
  quality: "A-: raw values read inside KVM guests, combined as described in notes",
  notes:
    "0x480-0x491 as read by an L1 under QEMU+KVM in 2022, with IA32_VMX_EXIT_CTLS/IA32_VMX_TRUE_EXIT_CTLS from the 2021 read, which allows VM_EXIT_HOST_ADDR_SPACE_SIZE. IA32_FEATURE_CONTROL locked with VMX outside SMX enabled.",
  msrs: {
    IA32_VMX_BASIC: "0x00d8100011e57ed0",
    IA32_VMX_PINBASED_CTLS: "0x0000007f00000016",
    IA32_VMX_PROCBASED_CTLS: "0xfff9fffe0401e172",
    IA32_VMX_EXIT_CTLS: "0x007fffff00036dff",
    IA32_VMX_ENTRY_CTLS: "0x0000f3ff000011ff",
    IA32_VMX_MISC: "0x0000000020000065",
    IA32_VMX_CR0_FIXED0: "0x0000000080000021",
    IA32_VMX_CR0_FIXED1: "0x00000000ffffffff",
    IA32_VMX_CR4_FIXED0: "0x0000000000002000",
    IA32_VMX_CR4_FIXED1: "0x00000000001727ff",
    IA32_VMX_VMCS_ENUM: "0x000000000000002e",
    IA32_VMX_PROCBASED_CTLS2: "0x000078ff00000000",
    IA32_VMX_EPT_VPID_CAP: "0x00000f0106334041",
    IA32_VMX_TRUE_PINBASED_CTLS: "0x0000007f00000016",
    IA32_VMX_TRUE_PROCBASED_CTLS: "0xfff9fffe04006172",
    IA32_VMX_TRUE_EXIT_CTLS: "0x007fffff00036dfb",
    IA32_VMX_TRUE_ENTRY_CTLS: "0x0000f3ff000011fb",
    IA32_VMX_VMFUNC: "0x0000000000000001",
    IA32_FEATURE_CONTROL: "0x0000000000000005",
  },
};


/** Every built-in profile: KVM's nested views first, then real processors by name. */
export const BUILTIN_PROFILES: readonly ProfileData[] = Object.freeze([KVM_NESTED_DEFAULT, KVM_NESTED_OBSERVED, ...OBSERVED_PROFILES]);

const BY_NAME: ReadonlyMap<string, ProfileData> = new Map(BUILTIN_PROFILES.map((profile) => [profile.name, profile]));

/** The built-in profile of that name, or undefined. */
export function profileByName(name: string): ProfileData | undefined {
  return BY_NAME.get(name);
}
