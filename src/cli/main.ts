/**
 * The `nvmx` command: a thin shell over the core. Exit status: 0 when the command ran (whatever
 * the architectural outcome), 1 where a command says so (e.g. failed expectations), 2 for
 * unusable input with one line on standard error naming the file, key and reason.
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { InputError } from "../io/input-error.js";
import { registerFieldCommand } from "./commands/field.js";
import { registerProfilesCommand } from "./commands/profiles.js";
import { registerCapsCommands } from "./commands/caps.js";
import { registerPendingCommand, subcommand } from "./commands/pending.js";

/** Exit status for unusable input and command-line errors. */
export const EXIT_USAGE = 2;
/** Exit status for a bug in nvmx (EX_SOFTWARE). */
export const EXIT_INTERNAL = 70;

function packageVersion(): string {
  const text = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
  return (JSON.parse(text) as { version: string }).version;
}

/** Builds the command tree. */
export function buildProgram(): Command {
  const program = new Command("nvmx")
    .description(
      "Intel VMX (VT-x) as KVM's nested VMX presents it, in software: VMX instructions, VM-entry checks, VM exits,\n" +
        "capability MSRs and nested state, each answer explained by the SDM check that decided it.",
    )
    .version(packageVersion(), "-V, --version", "print the version of nvmx")
    .option("--json", "print machine-readable JSON (the shapes of CONTRACT.md)")
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false, helpWidth: 110 })
    .showSuggestionAfterError(true)
    .exitOverride();
  registerPendingCommand(program, ["entry"], "what would VM entry do with this VMCS? (VM-entry checks)");
  registerPendingCommand(program, ["run"], "drive a virtual CPU through VMX instructions (scenarios)");
  registerCapsCommands(program);
  registerFieldCommand(program);
  registerProfilesCommand(program);
  subcommand(program, "layout", "vmcs12 and enlightened-VMCS memory layouts");
  registerPendingCommand(program, ["layout", "convert"], "convert between vmcs12, enlightened VMCS and vmcs.json");
  subcommand(program, "state", "KVM nested state, as saved and restored for live migration");
  registerPendingCommand(program, ["state", "decode"], "decode a KVM nested-state blob");
  registerPendingCommand(program, ["state", "check"], "audit a nested-state blob against a destination CPU");
  registerPendingCommand(program, ["state", "convert"], "convert a nested-state blob");
  subcommand(program, "dump", "KVM dump_vmcs() and QEMU register dumps");
  registerPendingCommand(program, ["dump", "parse"], "turn KVM's dump_vmcs() text into a vmcs.json");
  registerPendingCommand(program, ["inspect"], "serve the nvmx inspector web page on 127.0.0.1");
  for (const command of allCommands(program)) command.exitOverride();
  return program;
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((child) => [child, ...allCommands(child)]);
}

/** Runs nvmx with the given arguments (without `node` and the script); returns the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv], { from: "user" });
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    return reportError(error);
  }
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has printed its message (or the help/version text) already.
    const quiet = error.code === "commander.helpDisplayed" || error.code === "commander.version";
    return quiet ? 0 : EXIT_USAGE;
  }
  if (error instanceof InputError) {
    process.stderr.write(`nvmx: ${error.message}\n`);
    return EXIT_USAGE;
  }
  const detail = error instanceof Error ? error.message : String(error);
  process.stderr.write(`nvmx: internal error: ${detail} (please report it; NVMX_DEBUG=1 shows where)\n`);
  if (process.env["NVMX_DEBUG"] && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  return EXIT_INTERNAL;
}
