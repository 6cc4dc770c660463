/** `nvmx caps …`: VMX capability MSRs. */
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { CONTROL_WORDS } from "../../arch/controls.js";
import { VMX_BASIC_MEMORY_TYPES, VMX_MISC_MSR_LIST_MULTIPLIER } from "../../arch/msrs.js";
import { decodeCapabilities, type CapsReport, type DecodedLayout } from "../../caps/decode.js";
import type { ControlSetting } from "../../caps/capabilities.js";
import { parseCpuJson, cpuForProfile, type CpuDescription } from "../../io/cpu-json.js";
import { InputError } from "../../io/input-error.js";
import { formatHexBig } from "../../u64/halves.js";
import { profileByName } from "../../profiles/index.js";
import { readJsonFile } from "../files.js";
import { printJson, printLines, style } from "../output.js";
import { globalOptions } from "../global-options.js";
import { subcommand } from "./pending.js";
import { registerCapsReadCommand } from "./caps-read.js";
import { registerBaselineCommand, registerMigrationCommands } from "./caps-migrate.js";
import { registerKvmCommands } from "./caps-kvm.js";

interface CpuOptions {
  readonly cpu?: string;
  readonly profile?: string;
}

export function registerCapsCommands(program: Command): void {
  const caps = subcommand(program, "caps", "VMX capability MSRs: decode, setup, restore audit, migration");
  caps
    .command("decode")
    .description("every VMX capability with its allowed settings, like QEMU's vmxcap")
    .option("--cpu <cpu.json>", "the CPU description (CONTRACT.md §1)")
    .option("--profile <name>", "a built-in CPU profile instead of --cpu (nvmx profiles lists them)")
    .action((options: CpuOptions, command: Command) => {
      const cpu = loadCpu(options);
      const report = decodeCapabilities(cpu.msrs);
      if (globalOptions(command).json) printJson(capsJson(cpu, report));
      else printLines(capsText(cpu, report));
    });
  registerKvmCommands(program);
  registerMigrationCommands(program);
  registerBaselineCommand(program);
  registerCapsReadCommand(program);
}

/** The CPU of `--cpu FILE` or `--profile NAME` (exactly one). */
export function loadCpu(options: CpuOptions): CpuDescription {
  if (options.cpu !== undefined && options.profile !== undefined) {
    throw new InputError("--profile", "", "give either --cpu or --profile, not both");
  }
  if (options.profile !== undefined) return cpuForProfile(options.profile);
  if (options.cpu === undefined) throw new InputError("--cpu", "", "missing: give --cpu cpu.json or --profile NAME");
  return parseCpuJson(readJsonFile(options.cpu), options.cpu);
}

/**
 * A CPU given as one word: a cpu.json path, or a built-in profile name when no such file exists
 * and the word does not end in .json (`--from intel-core-i7-4770`).
 */
export function loadCpuSpec(spec: string): CpuDescription {
  if (!spec.endsWith(".json") && spec !== "-" && !existsSync(spec) && profileByName(spec) !== undefined) return cpuForProfile(spec, spec);
  return parseCpuJson(readJsonFile(spec), spec);
}

const SETTING_TEXT: Readonly<Record<ControlSetting, string>> = { "must-be-0": "must be 0", "must-be-1": "must be 1", "0-or-1": "0 or 1" };
const hex = formatHexBig;

function capsJson(cpu: CpuDescription, report: CapsReport) {
  const layout = (decoded: DecodedLayout) => ({
    value: hex(decoded.value),
    available: decoded.available,
    bits: Object.fromEntries(decoded.bits.map((bit) => [bit.name, bit.set])),
    fields: Object.fromEntries(decoded.fields.map((field) => [field.name, field.value])),
  });
  return {
    profile: cpu.profile ?? null,
    msrs: Object.fromEntries(report.msrs.filter((msr) => msr.value !== undefined).map((msr) => [msr.name, hex(msr.value!)])),
    basic: layout(report.basic),
    controls: Object.fromEntries(
      report.controls.map((word) => [
        word.word,
        {
          msr: word.msr ?? null,
          value: word.value === undefined ? null : hex(word.value),
          controls: Object.fromEntries(word.controls.map((control) => [control.name, control.setting])),
          unnamedBits: word.unnamedBits,
        },
      ]),
    ),
    misc: layout(report.misc),
    ...Object.fromEntries(
      report.fixed.map((fixed) => [
        fixed.register.toLowerCase(),
        { fixed0: hex(fixed.fixed0), fixed1: hex(fixed.fixed1), bits: Object.fromEntries(fixed.bits.map((bit) => [bit.name, bit.setting])) },
      ]),
    ),
    vmcsEnum: layout(report.vmcsEnum),
    eptVpid: layout(report.eptVpid),
  };
}

function capsText(cpu: CpuDescription, report: CapsReport): string[] {
  const profile = cpu.profile === undefined ? undefined : profileByName(cpu.profile);
  const lines: string[] = [];
  if (profile !== undefined) lines.push(`${style(profile.name, "bold")}: ${profile.model} (${profile.microarchitecture})`, `  source: ${profile.source}`, "");
  lines.push(...layoutText(report.basic));
  for (const word of report.controls) {
    lines.push("", heading(word.title, word.msr, word.value, word.sdm));
    if (word.msr === undefined) {
      lines.push("  not available: the capability MSR does not exist, so every control must be 0");
      continue;
    }
    const default1 = new Set<number>(CONTROL_WORDS[word.word].default1);
    const rows = [
      ...word.controls.map((control) => [control.title, control.setting, control.name] as const),
      ...word.unnamedBits.map(({ bit, setting }) => [`reserved bit ${bit}${default1.has(bit) ? " (default1)" : ""}`, setting, ""] as const),
    ];
    const width = Math.max(...rows.map(([title]) => title.length));
    for (const [title, setting, name] of rows) lines.push(`  ${title.padEnd(width)}  ${settingText(setting)}  ${style(name, "dim")}`.trimEnd());
  }
  lines.push("", ...layoutText(report.misc));
  for (const fixed of report.fixed) {
    lines.push("", `${style(`${fixed.register} in VMX operation`, "bold")} (FIXED0 = ${hex(fixed.fixed0)}, FIXED1 = ${hex(fixed.fixed1)}) [SDM ${fixed.sdm}]`);
    const width = Math.max(...fixed.bits.map((bit) => bit.name.length));
    for (const bit of fixed.bits) lines.push(`  ${bit.name.padEnd(width)}  ${settingText(bit.setting)}`.trimEnd());
  }
  lines.push("", ...layoutText(report.vmcsEnum), "", ...layoutText(report.eptVpid));
  return lines;
}

function heading(title: string, msr: string | undefined, value: bigint | undefined, sdm: string): string {
  const source = msr === undefined ? "" : ` (${msr} = ${hex(value ?? 0n)})`;
  return `${style(title, "bold")}${source} [SDM ${sdm}]`;
}

function layoutText(layout: DecodedLayout): string[] {
  const lines = [heading(layout.title, layout.msr, layout.value, layout.sdm)];
  if (!layout.available) return [...lines, "  not available on this processor"];
  const width = Math.max(...[...layout.fields, ...layout.bits].map((entry) => entry.title.length));
  for (const field of layout.fields) lines.push(`  ${field.title.padEnd(width)}  ${fieldValueText(field.name, field.value)}`);
  for (const bit of layout.bits) lines.push(`  ${bit.title.padEnd(width)}  ${bit.set ? "yes" : "no"}`);
  return lines;
}

/** A sub-field's value as vmxcap users read it: decimal, with hex or meaning where it helps. */
function fieldValueText(name: string, value: number): string {
  if (name === "VMX_BASIC_MEM_TYPE") {
    const type = VMX_BASIC_MEMORY_TYPES.find((entry) => entry.value === value);
    return `${value} (${type === undefined ? "reserved" : type.name})`;
  }
  if (name === "VMX_MISC_MAX_MSR") return `${value} (${VMX_MISC_MSR_LIST_MULTIPLIER * (value + 1)} MSRs)`;
  return value < 10 ? String(value) : `${value} (0x${value.toString(16)})`;
}

function settingText(setting: ControlSetting): string {
  const text = SETTING_TEXT[setting].padEnd(9);
  return setting === "0-or-1" ? style(text, "green") : setting === "must-be-1" ? style(text, "yellow") : style(text, "dim");
}
