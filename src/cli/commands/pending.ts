/**
 * Commands of CONTRACT.md (and of planned capabilities) that this version does not implement
 * yet: they are listed in `--help` and say so plainly when run, with exit status 2.
 */
import type { Command } from "commander";
import { InputError } from "../../io/input-error.js";

/** What each pending command will do, as `--help` shows it. */
const PENDING: readonly { path: string[]; summary: string }[] = [
  { path: ["entry"], summary: "what would VM entry do with this VMCS? (VM-entry checks)" },
  { path: ["run"], summary: "drive a virtual CPU through VMX instructions (scenario files)" },
  { path: ["caps", "setup"], summary: "the VMCS configuration KVM's setup_vmcs_config would choose" },
  { path: ["caps", "restore"], summary: "audit host-initiated writes of capability MSRs (migration restore)" },
  { path: ["caps", "diff"], summary: "can a nested guest move from one CPU to another?" },
  { path: ["caps", "nested"], summary: "the capability MSRs KVM would advertise to L1 on a host" },
  { path: ["caps", "baseline"], summary: "capability MSRs every host of a pool accepts" },
  { path: ["caps", "read"], summary: "read this machine's VMX capability MSRs into a cpu.json" },
  { path: ["layout", "convert"], summary: "convert vmcs12 / enlightened VMCS / vmcs.json layouts" },
  { path: ["state", "decode"], summary: "decode a KVM nested-state blob" },
  { path: ["state", "check"], summary: "audit a nested-state blob against a destination CPU" },
  { path: ["state", "convert"], summary: "convert a nested-state blob" },
  { path: ["dump", "parse"], summary: "turn KVM's dump_vmcs() text into a vmcs.json" },
  { path: ["inspect"], summary: "serve the nvmx inspector web page on 127.0.0.1" },
];

/** Adds every pending command under `program`, creating parent commands (e.g. `caps`) as needed. */
export function registerPendingCommands(program: Command): void {
  for (const { path, summary } of PENDING) {
    const parent = path.slice(0, -1).reduce((at, name) => subcommand(at, name), program);
    const name = path[path.length - 1]!;
    parent
      .command(name)
      .description(`${summary} [not available yet]`)
      .allowUnknownOption()
      .allowExcessArguments()
      .helpOption(false)
      .action(() => {
        throw new InputError(path.join(" "), "", "not available yet in this version of nvmx");
      });
  }
}

/** The existing subcommand of that name, or a new one. */
export function subcommand(parent: Command, name: string): Command {
  return parent.commands.find((command) => command.name() === name) ?? parent.command(name);
}
