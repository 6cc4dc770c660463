/** `nvmx caps …`: VMX capability MSRs. */
import type { Command } from "commander";
import { subcommand } from "./pending.js";

export function registerCapsCommands(program: Command): void {
  subcommand(program, "caps").description("VMX capability MSRs: decode, setup, restore audit, migration diff");
}
