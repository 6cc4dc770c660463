/** Options every command accepts, wherever they appear on the command line. */
import type { Command } from "commander";

export interface GlobalOptions {
  /** Print machine-readable JSON (CONTRACT.md shapes) instead of text. */
  readonly json: boolean;
}

export function globalOptions(command: Command): GlobalOptions {
  const options = command.optsWithGlobals<{ json?: boolean }>();
  return { json: options.json === true };
}
