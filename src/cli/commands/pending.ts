/**
 * Commands of CONTRACT.md (and of planned capabilities) that this version does not implement
 * yet: they are listed in `--help` and say so plainly when run, with exit status 2.
 */
import type { Command } from "commander";
import { InputError } from "../../io/input-error.js";

/** Adds a command that is not available yet at `path` (e.g. ["caps", "setup"]) under `program`. */
export function registerPendingCommand(program: Command, path: readonly string[], summary: string): void {
  const parent = path.slice(0, -1).reduce((at, name) => subcommand(at, name), program);
  parent
    .command(path[path.length - 1]!)
    .description(`${summary} [not available yet]`)
    .allowUnknownOption()
    .allowExcessArguments()
    .helpOption(false)
    .action(() => {
      throw new InputError(path.join(" "), "", "not available yet in this version of nvmx");
    });
}

/** The existing subcommand of that name, or a new one with that description. */
export function subcommand(parent: Command, name: string, description?: string): Command {
  const command = parent.commands.find((existing) => existing.name() === name) ?? parent.command(name);
  if (description !== undefined) command.description(description);
  return command;
}
