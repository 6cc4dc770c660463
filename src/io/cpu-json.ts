/**
 * cpu.json (CONTRACT.md §1): the logical processor that executes VMX instructions — its VMX
 * capability MSRs (from a built-in profile, overridden key by key), MAXPHYADDR, CPUID features
 * and the L1 vCPU's state.
 */
import { z } from "zod";
import { resolveMsr, MSR_BY_NAME } from "../arch/msrs.js";
import { CPUID_FLAG_BY_NAME, DEFAULT_CPUID, type CpuidFlagName } from "../arch/cpuid.js";
import { BUILTIN_PROFILES, profileByName, type ProfileData } from "../profiles/index.js";
import { InputError, formatKeyPath } from "./input-error.js";
import { describeJson, toU64, u64Problem } from "./values.js";
import { suggestName } from "./suggest.js";

/** The L1 vCPU's state when it executes a VMX instruction (CONTRACT.md §1 `l1`). */
export interface L1State {
  readonly cr0: bigint;
  readonly cr3: bigint;
  readonly cr4: bigint;
  readonly efer: bigint;
  readonly rflags: bigint;
  /** CS attributes: L (64-bit code), D/B (default operation size), DPL. */
  readonly cs: { readonly l: boolean; readonly db: boolean; readonly dpl: number };
  readonly cpl: number;
}

/** A parsed cpu.json with the profile applied. */
export interface CpuDescription {
  /** The built-in profile it started from, if any. */
  readonly profile: string | undefined;
  /** MSR index → value; absent MSRs read as 0. */
  readonly msrs: ReadonlyMap<number, bigint>;
  /** MAXPHYADDR (CPUID.80000008H:EAX[7:0]). */
  readonly maxPhysAddr: number;
  readonly cpuid: Readonly<Record<CpuidFlagName, boolean>>;
  readonly l1: L1State;
}

/** MAXPHYADDR where neither the file nor its profile says (CONTRACT.md §1). */
export const DEFAULT_MAX_PHYS_ADDR = 46;

/** The L1 defaults: a 64-bit kernel at CPL 0 with CR4.VMXE = 1 (CONTRACT.md §1). */
export const DEFAULT_L1: L1State = Object.freeze({
  cr0: 0x8005_0033n,
  cr3: 0x1000n,
  cr4: 0x3726e0n,
  efer: 0xd01n,
  rflags: 0x2n,
  cs: Object.freeze({ l: true, db: false, dpl: 0 }),
  cpl: 0,
});

/** IA32_FEATURE_CONTROL where neither the file nor its profile says: locked, VMX outside SMX on. */
const DEFAULT_FEATURE_CONTROL = 0x5n;

/** Keys that describe where a CPU's values come from (as in shared/data/cpus); nvmx ignores them. */
const METADATA_KEYS = ["baseline", "name", "model", "microarchitecture", "kind", "source", "all_sources", "notes", "quality", "cpuid_1_eax", "qemu_feature_words", "description"];

const u64 = z.custom<string | number>((value) => u64Problem(value) === undefined, {
  error: (issue) => u64Problem(issue.input) ?? "invalid value",
});
const dpl = z.number().int().min(0).max(3);

const cpuSchema = z
  .object({
    profile: z.string().optional(),
    msrs: z.record(z.string(), u64).optional(),
    other_msrs: z.record(z.string(), z.unknown()).optional(),
    maxPhysAddr: z.number().int().min(32).max(52).optional(),
    cpuid: z.record(z.string(), z.boolean()).optional(),
    l1: z
      .object({
        cr0: u64.optional(),
        cr3: u64.optional(),
        cr4: u64.optional(),
        efer: u64.optional(),
        rflags: u64.optional(),
        cs: z.object({ l: z.boolean().optional(), db: z.boolean().optional(), dpl: dpl.optional() }).strict().optional(),
        cpl: dpl.optional(),
      })
      .strict()
      .optional(),
  })
  .catchall(z.unknown());

type CpuJson = z.infer<typeof cpuSchema>;

/** Parses a cpu.json document already decoded from JSON; `source` names it in errors. */
export function parseCpuJson(json: unknown, source: string): CpuDescription {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new InputError(source, "", `expected a JSON object describing a CPU, got ${describeJson(json)}`);
  }
  const parsed = cpuSchema.safeParse(json, { reportInput: true });
  if (!parsed.success) throw inputErrorOf(parsed.error, source);
  const data = parsed.data;
  rejectUnknownTopLevelKeys(data, source);
  const profile = data.profile === undefined ? undefined : findProfile(data.profile, source);
  const msrs = new Map<number, bigint>();
  if (profile !== undefined) for (const [name, value] of Object.entries(profile.msrs)) msrs.set(msrIndexOf(name, source, "profile"), BigInt(value));
  for (const [name, value] of Object.entries(data.other_msrs ?? {})) {
    const msr = MSR_BY_NAME.get(name);
    if (msr !== undefined && u64Problem(value) === undefined) msrs.set(msr.index, toU64(value as string | number));
  }
  for (const [name, value] of Object.entries(data.msrs ?? {})) msrs.set(msrIndexOf(name, source, `msrs.${name}`), toU64(value));
  const featureControl = MSR_BY_NAME.get("IA32_FEATURE_CONTROL")!.index;
  if (!msrs.has(featureControl)) msrs.set(featureControl, DEFAULT_FEATURE_CONTROL);
  return {
    profile: profile?.name,
    msrs,
    maxPhysAddr: data.maxPhysAddr ?? profile?.maxPhysAddr ?? DEFAULT_MAX_PHYS_ADDR,
    cpuid: parseCpuid(data.cpuid ?? {}, source),
    l1: parseL1(data.l1 ?? {}),
  };
}

/** A cpu.json for a built-in profile alone (`--profile NAME`). */
export function cpuForProfile(name: string, source = "--profile"): CpuDescription {
  return parseCpuJson({ profile: name }, source);
}

function rejectUnknownTopLevelKeys(data: CpuJson, source: string): void {
  const known = new Set(["profile", "msrs", "other_msrs", "maxPhysAddr", "cpuid", "l1", ...METADATA_KEYS]);
  for (const key of Object.keys(data)) {
    if (!known.has(key)) {
      const hint = suggestName(key, ["profile", "msrs", "maxPhysAddr", "cpuid", "l1"]);
      throw new InputError(source, key, `unknown key${hint === undefined ? "" : ` (did you mean ${hint}?)`}`);
    }
  }
}

function findProfile(name: string, source: string): ProfileData {
  const profile = profileByName(name);
  if (profile !== undefined) return profile;
  const hint = suggestName(name, BUILTIN_PROFILES.map((p) => p.name));
  throw new InputError(source, "profile", `unknown profile ${JSON.stringify(name)}${hint === undefined ? "" : ` (did you mean ${hint}?)`}; nvmx profiles lists them`);
}

function msrIndexOf(name: string, source: string, key: string): number {
  const msr = resolveMsr(name);
  if (msr !== undefined) return msr.index;
  if (/^0x[0-9a-f]{1,8}$/i.test(name)) return Number.parseInt(name, 16);
  const hint = suggestName(name, MSR_BY_NAME.keys());
  throw new InputError(source, key, `unknown MSR${hint === undefined ? "" : ` (did you mean ${hint}?)`}; use an SDM name such as IA32_VMX_BASIC or a hex index such as "0x480"`);
}

function parseCpuid(flags: Record<string, boolean>, source: string): Record<CpuidFlagName, boolean> {
  const cpuid: Record<string, boolean> = { ...DEFAULT_CPUID };
  for (const [name, value] of Object.entries(flags)) {
    if (!CPUID_FLAG_BY_NAME.has(name)) {
      const hint = suggestName(name, CPUID_FLAG_BY_NAME.keys());
      throw new InputError(source, `cpuid.${name}`, `unknown CPUID flag${hint === undefined ? "" : ` (did you mean ${hint}?)`}`);
    }
    cpuid[name] = value;
  }
  return cpuid as Record<CpuidFlagName, boolean>;
}

function parseL1(l1: NonNullable<CpuJson["l1"]>): L1State {
  const value = (raw: string | number | undefined, fallback: bigint) => (raw === undefined ? fallback : toU64(raw));
  return {
    cr0: value(l1.cr0, DEFAULT_L1.cr0),
    cr3: value(l1.cr3, DEFAULT_L1.cr3),
    cr4: value(l1.cr4, DEFAULT_L1.cr4),
    efer: value(l1.efer, DEFAULT_L1.efer),
    rflags: value(l1.rflags, DEFAULT_L1.rflags),
    cs: {
      l: l1.cs?.l ?? DEFAULT_L1.cs.l,
      db: l1.cs?.db ?? DEFAULT_L1.cs.db,
      dpl: l1.cs?.dpl ?? DEFAULT_L1.cs.dpl,
    },
    cpl: l1.cpl ?? DEFAULT_L1.cpl,
  };
}

/** The first zod issue as an InputError naming the key. */
function inputErrorOf(error: z.ZodError, source: string): InputError {
  const issue = error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    const key = formatKeyPath([...issue.path, issue.keys[0]!]);
    return new InputError(source, key, "unknown key");
  }
  return new InputError(source, formatKeyPath(issue.path), readableZodMessage(issue));
}

function readableZodMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return `expected ${issue.expected === "record" ? "an object" : `a ${issue.expected}`}, got ${describeJson(issue.input)}`;
    case "too_small":
      return `must be at least ${String(issue.minimum)}`;
    case "too_big":
      return `must be at most ${String(issue.maximum)}`;
    default:
      return issue.message;
  }
}
