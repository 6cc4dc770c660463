/** `nvmx caps restore` and `nvmx caps diff`: live migration of nested guests. */
import type { Command } from "commander";
import { MSR_BY_INDEX, resolveMsr } from "../../arch/msrs.js";
import { auditRestore, type RestoreAudit, type RestoreWrite } from "../../caps/restore.js";
import { migrationReport, type MigrationReport } from "../../caps/migration.js";
import { poolBaseline, type Baseline } from "../../caps/baseline.js";
import { writeOutput } from "../files.js";
import { InputError } from "../../io/input-error.js";
import { toU64, u64Problem } from "../../io/values.js";
import { formatHexBig } from "../../u64/halves.js";
import { printJson, printLines, style } from "../output.js";
import { globalOptions } from "../global-options.js";
import { loadCpu, loadCpuSpec } from "./caps.js";
import { subcommand } from "./pending.js";

const FIRST_CAPABILITY_MSR = 0x480;
const LAST_CAPABILITY_MSR = 0x493;

interface RestoreOptions {
  readonly cpu?: string;
  readonly profile?: string;
  readonly msr: string[];
  readonly vcpuHasRun?: boolean;
  readonly vmxon?: boolean;
}

export function registerMigrationCommands(program: Command): void {
  const caps = subcommand(program, "caps");
  caps
    .command("restore")
    .description("would KVM accept restoring these capability MSR values (live migration)? and what L1 then reads")
    .option("--cpu <cpu.json>", "the destination CPU: what KVM supports for L1 there")
    .option("--profile <name>", "a built-in CPU profile instead of --cpu")
    .option("--msr <NAME=VALUE>", "a host-initiated write, applied in order (repeatable)", (value: string, all: string[]) => [...all, value], [] as string[])
    .option("--vcpu-has-run", "the vCPU has already run (KVM then refuses changes)")
    .option("--vmxon", "L1 is in VMX operation (KVM then refuses changes with -EBUSY)")
    .action((options: RestoreOptions, command: Command) => {
      const cpu = loadCpu(options);
      const writes = options.msr.map(parseWrite);
      if (writes.length === 0) throw new InputError("--msr", "", "missing: give at least one --msr NAME=VALUE");
      const audit = auditRestore(cpu.msrs, writes, { vcpuHasRun: options.vcpuHasRun === true, vmxon: options.vmxon === true });
      if (globalOptions(command).json) printJson(restoreJson(audit));
      else printLines(restoreText(audit));
    });
  caps
    .command("diff")
    .description("can a nested guest move from one CPU to another? (capability gaps and KVM's restore audit)")
    .requiredOption("--from <cpu.json>", "the source CPU (a cpu.json, or a built-in profile name)")
    .requiredOption("--to <cpu.json>", "the destination CPU (a cpu.json, or a built-in profile name)")
    .action((options: { from: string; to: string }, command: Command) => {
      const report = migrationReport(loadCpuSpec(options.from).msrs, loadCpuSpec(options.to).msrs);
      if (globalOptions(command).json) printJson(diffJson(report));
      else printLines(diffText(report, options.from, options.to));
    });
}

/** `nvmx caps baseline a.json b.json …`: the capability MSRs every host of a pool accepts. */
export function registerBaselineCommand(program: Command): void {
  subcommand(program, "caps")
    .command("baseline")
    .description("capability MSRs that KVM on every host of a pool accepts on restore, as a cpu.json")
    .argument("<hosts...>", "cpu.json files (or built-in profile names), one per host")
    .option("--out <cpu.json>", "write the baseline to a file instead of standard output")
    .action((specs: string[], options: { out?: string }) => {
      const baseline = poolBaseline(specs.map((spec) => ({ name: spec, msrs: loadCpuSpec(spec).msrs })));
      writeOutput(options.out, JSON.stringify(baselineJson(baseline, specs), null, 2) + "\n");
    });
}

function baselineJson(baseline: Baseline, hosts: readonly string[]) {
  return {
    msrs: msrsJson(baseline.msrs),
    baseline: { hosts, dropped: baseline.dropped, conflicts: baseline.conflicts },
  };
}

/** `NAME=VALUE` → a write of a capability MSR. */
function parseWrite(assignment: string): RestoreWrite {
  const at = assignment.indexOf("=");
  if (at <= 0) throw new InputError("--msr", assignment, "expected NAME=VALUE, e.g. IA32_VMX_MISC=0x20000065");
  const name = assignment.slice(0, at).trim();
  const text = assignment.slice(at + 1).trim();
  const msr = resolveMsr(name);
  if (msr === undefined || msr.index < FIRST_CAPABILITY_MSR || msr.index > LAST_CAPABILITY_MSR) {
    throw new InputError("--msr", name, "not a VMX capability MSR (IA32_VMX_BASIC 0x480 … IA32_VMX_EXIT_CTLS2 0x493)");
  }
  const problem = u64Problem(/^\d+$/.test(text) ? Number(text) : text);
  if (problem !== undefined) throw new InputError("--msr", name, problem);
  return { index: msr.index, value: toU64(/^\d+$/.test(text) ? Number(text) : text) };
}

const hex = formatHexBig;

function restoreJson(audit: RestoreAudit) {
  return {
    results: audit.results.map((result) => ({
      msr: result.msr,
      value: hex(result.value),
      accepted: result.accepted,
      ...(result.accepted ? {} : { reason: result.reason, rule: result.rule }),
    })),
    readBack: Object.fromEntries(audit.readBack.map((entry) => [entry.msr, hex(entry.value)])),
  };
}

function restoreText(audit: RestoreAudit): string[] {
  const lines = audit.results.map((result) =>
    result.accepted
      ? `${result.msr} = ${hex(result.value)}: ${style("accepted", "green")}`
      : `${result.msr} = ${hex(result.value)}: ${style("rejected", "red")} [${result.rule}]: ${result.reason}`,
  );
  const width = Math.max(...audit.readBack.map((entry) => entry.msr.length));
  lines.push("", "L1 then reads:", ...audit.readBack.map((entry) => `  ${entry.msr.padEnd(width)}  ${hex(entry.value)}`));
  return lines;
}

function diffJson(report: MigrationReport) {
  return {
    migratable: report.migratable,
    reasons: report.reasons,
    gaps: report.gaps,
    restore: report.restore.map((result) => ({
      msr: result.msr,
      value: hex(result.value),
      accepted: result.accepted,
      ...(result.accepted ? {} : { reason: result.reason, rule: result.rule }),
    })),
    notRestored: report.notRestored,
  };
}

function diffText(report: MigrationReport, from: string, to: string): string[] {
  const verdict = report.migratable ? style("migratable", "green") : style("not migratable", "red");
  const lines = [`${from} → ${to}: ${verdict}`];
  if (report.gaps.length > 0) lines.push("", "The destination lacks what the source offered:", ...report.gaps.map((gap) => `  ${gap.message}`));
  lines.push("", "Restoring the source's capability MSRs on the destination (KVM's audit):");
  for (const result of report.restore) {
    lines.push(result.accepted ? `  ${result.msr}: accepted` : `  ${result.msr}: ${style("rejected", "red")} [${result.rule}]: ${result.reason}`);
  }
  for (const entry of report.notRestored) lines.push(`  ${entry.msr}: not restored: ${entry.reason}`);
  return lines;
}

/** MSRs as a cpu.json `msrs` object: SDM names (or hex indices) in index order, hex values. */
export function msrsJson(msrs: ReadonlyMap<number, bigint>): Record<string, string> {
  const entries = [...msrs].sort(([a], [b]) => a - b);
  return Object.fromEntries(entries.map(([index, value]) => [MSR_BY_INDEX.get(index)?.name ?? `0x${index.toString(16)}`, hex(value)]));
}
