/**
 * `nvmx caps read`: this machine's VMX capability MSRs, read through Linux's msr driver
 * (/dev/cpu/N/msr: root, `modprobe msr`), written as a cpu.json — or one line saying why not.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { Option, type Command } from "commander";
import { MSR_BY_NAME, VMX_CAPABILITY_MSRS } from "../../arch/msrs.js";
import { CPUID_FLAGS } from "../../arch/cpuid.js";
import { InputError } from "../../io/input-error.js";
import { formatHexBig } from "../../u64/halves.js";
import { writeOutput } from "../files.js";
import { subcommand } from "./pending.js";

interface ReadOptions {
  readonly cpuIndex: string;
  readonly out?: string;
  /** Where the msr device files live (/dev/cpu); tests point it at a fake tree. */
  readonly devDir: string;
  /** Where cpuinfo lives (/proc/cpuinfo); tests point it at a fake file. */
  readonly cpuinfo: string;
}

export function registerCapsReadCommand(program: Command): void {
  subcommand(program, "caps")
    .command("read")
    .description("read this machine's VMX capability MSRs (Linux msr driver, root) into a cpu.json")
    .option("--cpu-index <n>", "the logical CPU to read", "0")
    .option("--out <cpu.json>", "write the cpu.json to a file instead of standard output")
    .addOption(hiddenOption("--dev-dir <dir>", "/dev/cpu"))
    .addOption(hiddenOption("--cpuinfo <file>", "/proc/cpuinfo"))
    .action((options: ReadOptions) => {
      const cpu = readLiveCpu(options);
      writeOutput(options.out, JSON.stringify(cpu, null, 2) + "\n");
    });
}

/** An option for tests only: not listed in --help. */
function hiddenOption(flags: string, fallback: string): Option {
  return new Option(flags).default(fallback).hideHelp();
}

/** Reads the capability MSRs and what /proc/cpuinfo says about the CPU. */
export function readLiveCpu(options: ReadOptions): Record<string, unknown> {
  const index = Number(options.cpuIndex);
  if (!Number.isSafeInteger(index) || index < 0) throw new InputError("--cpu-index", "", `${options.cpuIndex} is not a CPU number`);
  const device = join(options.devDir, String(index), "msr");
  const fd = openMsrDevice(device, options.devDir);
  try {
    const msrs: Record<string, string> = {};
    for (const { name } of VMX_CAPABILITY_MSRS) {
      const value = readMsr(fd, MSR_BY_NAME.get(name)!.index, device);
      if (value !== undefined) msrs[name] = formatHexBig(value);
    }
    const featureControl = readMsr(fd, MSR_BY_NAME.get("IA32_FEATURE_CONTROL")!.index, device);
    if (featureControl !== undefined) msrs["IA32_FEATURE_CONTROL"] = formatHexBig(featureControl);
    if (msrs["IA32_VMX_BASIC"] === undefined) {
      throw new InputError(device, "IA32_VMX_BASIC", "cannot be read: this CPU does not report VMX (not an Intel CPU with VMX, or VMX hidden by a hypervisor)");
    }
    return { ...describeCpu(options.cpuinfo), source: `nvmx caps read on ${hostname()}, CPU ${index}, ${new Date().toISOString()}`, msrs };
  } finally {
    closeSync(fd);
  }
}

function openMsrDevice(device: string, devDir: string): number {
  if (process.platform !== "linux") throw new InputError(device, "", "reading MSRs needs Linux's msr driver; this is " + process.platform);
  try {
    return openSync(device, "r");
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ENOENT" && existsSync(devDir) && existsSync(join(devDir, "0"))) {
      throw new InputError(device, "", "no such device: the msr driver is not loaded (run modprobe msr as root) or there is no such CPU");
    }
    if (code === "ENOENT") throw new InputError(device, "", "no such device: load the msr driver (modprobe msr, as root)");
    if (code === "EACCES" || code === "EPERM") throw new InputError(device, "", "permission denied: reading MSRs needs root (CAP_SYS_RAWIO)");
    throw new InputError(device, "", `cannot open: ${code ?? String(error)}`);
  }
}

/** One MSR, or undefined when the CPU does not implement it (the driver answers EIO). */
function readMsr(fd: number, index: number, device: string): bigint | undefined {
  const buffer = Buffer.alloc(8);
  try {
    const read = readSync(fd, buffer, 0, 8, index);
    return read === 8 ? buffer.readBigUInt64LE(0) : undefined;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "EIO") return undefined;
    if (code === "EPERM" || code === "EACCES") throw new InputError(device, "", "permission denied: reading MSRs needs root (CAP_SYS_RAWIO)");
    throw new InputError(device, `0x${index.toString(16)}`, `cannot read: ${code ?? String(error)}`);
  }
}

/** Model name, MAXPHYADDR and the CPUID flags nvmx knows, from /proc/cpuinfo (best effort). */
function describeCpu(cpuinfo: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(cpuinfo, "utf8");
  } catch {
    return {};
  }
  const first = text.split(/\n\n/)[0] ?? "";
  const field = (name: string) => new RegExp(`^${name}\\s*:\\s*(.*)$`, "m").exec(first)?.[1]?.trim();
  const flags = new Set((field("flags") ?? "").split(/\s+/));
  const physical = /(\d+) bits physical/.exec(field("address sizes") ?? "")?.[1];
  const described: Record<string, unknown> = {};
  const model = field("model name");
  if (model !== undefined) described["model"] = model;
  if (physical !== undefined) described["maxPhysAddr"] = Number(physical);
  if (flags.size > 1) described["cpuid"] = Object.fromEntries(CPUID_FLAGS.map((flag) => [flag.name, flags.has(flag.name)]));
  return described;
}
