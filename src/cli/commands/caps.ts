/** `nvmx caps …`: VMX capability MSRs. */
import type { Command } from "commander";
import { registerPendingCommand, subcommand } from "./pending.js";

export function registerCapsCommands(program: Command): void {
  subcommand(program, "caps", "VMX capability MSRs: decode, setup, restore audit, migration");
  registerPendingCommand(program, ["caps", "setup"], "the VMCS configuration KVM's setup_vmcs_config would choose");
  registerPendingCommand(program, ["caps", "restore"], "audit restoring capability MSRs (live migration)");
  registerPendingCommand(program, ["caps", "diff"], "can a nested guest move from one CPU to another?");
  registerPendingCommand(program, ["caps", "nested"], "the capability MSRs KVM advertises to L1 on a host");
  registerPendingCommand(program, ["caps", "baseline"], "capability MSRs that every host of a pool accepts");
  registerPendingCommand(program, ["caps", "read"], "read this machine's VMX capability MSRs");
}
