/** `nvmx profiles`: the built-in CPU profiles a cpu.json can start from. */
import type { Command } from "commander";
import { BUILTIN_PROFILES } from "../../profiles/index.js";
import { printJson, printLines, style } from "../output.js";
import { globalOptions } from "../global-options.js";

export function registerProfilesCommand(program: Command): void {
  program
    .command("profiles")
    .description("list the built-in CPU profiles (use one as \"profile\" in cpu.json or with --profile)")
    .action((_options: unknown, command: Command) => {
      if (globalOptions(command).json) {
        printJson({
          profiles: BUILTIN_PROFILES.map(({ name, model, microarchitecture, kind, source }) => ({ name, model, microarchitecture, kind, source })),
        });
        return;
      }
      const width = Math.max(...BUILTIN_PROFILES.map((profile) => profile.name.length));
      printLines(BUILTIN_PROFILES.map((profile) => `${style(profile.name.padEnd(width), "bold")}  ${profile.model} — ${profile.microarchitecture}`));
    });
}
