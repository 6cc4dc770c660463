/** `nvmx caps setup` and `nvmx caps nested`: what KVM makes of a host's VMX capabilities. */
import type { Command } from "commander";
import { setupVmcsConfig, type SetupResult } from "../../caps/setup.js";
import { deriveNestedMsrs, type NestedResult } from "../../caps/nested.js";
import { formatHexBig } from "../../u64/halves.js";
import { writeOutput } from "../files.js";
import { printJson, printLines, style } from "../output.js";
import { globalOptions } from "../global-options.js";
import { loadCpu, loadCpuSpec } from "./caps.js";
import { subcommand } from "./pending.js";
import { msrsJson } from "./caps-migrate.js";

const hex = formatHexBig;

export function registerKvmCommands(program: Command): void {
  const caps = subcommand(program, "caps");
  caps
    .command("setup")
    .description("the VMCS configuration KVM's setup_vmcs_config() chooses on this CPU, or why it refuses")
    .option("--cpu <cpu.json>", "the host CPU")
    .option("--profile <name>", "a built-in CPU profile instead of --cpu")
    .option("--no-error-on-inconsistent", "KVM's error_on_inconsistent_vmcs_config=N: drop unpaired controls instead of refusing")
    .action((options: { cpu?: string; profile?: string; errorOnInconsistent: boolean }, command: Command) => {
      const result = setupVmcsConfig(loadCpu(options).msrs, { errorOnInconsistent: options.errorOnInconsistent });
      if (globalOptions(command).json) printJson(setupJson(result));
      else printLines(setupText(result));
    });
  caps
    .command("nested")
    .description("the capability MSRs KVM advertises to an L1 guest on this host, control by control")
    .requiredOption("--host <cpu.json>", "the host CPU (a cpu.json, or a built-in profile name)")
    .option("--out <cpu.json>", "also write L1's capability MSRs as a cpu.json")
    .option("--no-ept", "kvm_intel.ept=0")
    .option("--no-vpid", "kvm_intel.vpid=0")
    .option("--no-unrestricted-guest", "kvm_intel.unrestricted_guest=0")
    .option("--no-apicv", "kvm_intel.enable_apicv=0")
    .option("--no-error-on-inconsistent", "kvm_intel.error_on_inconsistent_vmcs_config=0")
    .action((options: NestedCliOptions, command: Command) => {
      const result = deriveNestedMsrs(loadCpuSpec(options.host).msrs, {
        ept: options.ept,
        vpid: options.vpid,
        unrestrictedGuest: options.unrestrictedGuest,
        apicv: options.apicv,
        setup: { errorOnInconsistent: options.errorOnInconsistent },
      });
      if (options.out !== undefined && result.rejected === undefined) writeOutput(options.out, JSON.stringify(nestedCpuJson(result, options.host), null, 2) + "\n");
      if (globalOptions(command).json) printJson(nestedJson(result));
      else printLines(nestedText(result));
    });
}

interface NestedCliOptions {
  readonly host: string;
  readonly out?: string;
  readonly ept: boolean;
  readonly vpid: boolean;
  readonly unrestrictedGuest: boolean;
  readonly apicv: boolean;
  readonly errorOnInconsistent: boolean;
}

/** CONTRACT.md §4's `caps setup --json` shape. */
function setupJson(result: SetupResult) {
  return {
    rejected: result.rejected,
    reasons: result.reasons,
    droppedPairs: result.droppedPairs,
    inconsistentCaps: result.inconsistentCaps,
    ...(result.controls === undefined ? {} : { controls: Object.fromEntries(Object.entries(result.controls).map(([word, value]) => [word, hex(value)])) }),
    ...(result.enabled === undefined ? {} : { enabled: result.enabled }),
  };
}

function setupText(result: SetupResult): string[] {
  const lines = [result.rejected ? style("rejected: KVM refuses this CPU", "red") : style("accepted", "green")];
  for (const reason of result.reasons) lines.push(`  ${reason}`);
  if (result.droppedPairs.length > 0) lines.push(`unpaired VM-entry/VM-exit controls: ${result.droppedPairs.join(", ")}`);
  if (result.inconsistentCaps.length > 0) lines.push(`capabilities without their control: ${result.inconsistentCaps.join(", ")}`);
  if (result.controls !== undefined) {
    lines.push("", "control words:");
    for (const [word, value] of Object.entries(result.controls)) lines.push(`  ${word.padEnd(6)} ${hex(value)}`);
  }
  if (result.enabled !== undefined) lines.push("", "enabled controls:", ...result.enabled.map((name) => `  ${name}`));
  return lines;
}

function nestedJson(result: NestedResult) {
  return {
    ...(result.rejected === undefined ? {} : { rejected: result.rejected }),
    msrs: msrsJson(result.msrs),
    controls: result.controls,
  };
}

function nestedCpuJson(result: NestedResult, host: string) {
  return { source: `nvmx caps nested --host ${host}`, msrs: msrsJson(result.msrs) };
}

function nestedText(result: NestedResult): string[] {
  if (result.rejected !== undefined) return [style(`KVM refuses this host: ${result.rejected}`, "red")];
  const lines = ["L1 reads:"];
  const msrs = msrsJson(result.msrs);
  const width = Math.max(...Object.keys(msrs).map((name) => name.length));
  for (const [name, value] of Object.entries(msrs)) lines.push(`  ${name.padEnd(width)}  ${value}`);
  for (const treatment of ["passed-through", "emulated", "hidden"] as const) {
    const controls = result.controls.filter((control) => control.treatment === treatment);
    lines.push("", `${treatment} (${controls.length}):`);
    for (const control of controls) {
      const state = control.advertised ? "offered" : "not offered";
      lines.push(`  ${control.name} [${state}]${control.note === undefined ? "" : `: ${control.note}`}`);
    }
  }
  return lines;
}
