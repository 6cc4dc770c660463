// The nvmx command itself: help, version, exit statuses, commands not available yet.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, expectUsageError, nvmx } from "../helpers/cli.js";

const CONTRACT_COMMANDS = ["entry", "caps", "run", "field", "profiles"];

describe("nvmx --help and --version", () => {
  it("--help lists the commands of CONTRACT.md and exits 0", () => {
    const result = nvmx(["--help"]);
    expect(result.status).toBe(0);
    for (const command of CONTRACT_COMMANDS) expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, "m"));
    expect(result.stdout).toContain("--json");
  });

  it("caps --help lists decode, setup, restore and diff", () => {
    const result = nvmx(["caps", "--help"]);
    expect(result.status).toBe(0);
    for (const command of ["decode", "setup", "restore", "diff"]) expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, "m"));
  });

  it("commands later versions deliver say so in --help", () => {
    const help = nvmx(["--help"]).stdout;
    expect(help).toMatch(/^  entry\b.*\[not available yet\]/m);
    expect(help).toMatch(/^  run\b.*\[not available yet\]/m);
  });

  it("--version prints the package version", () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    const result = nvmx(["--version"]);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });
});

describe("exit statuses", () => {
  it("a command not available yet says so plainly, exit 2", () => {
    expectUsageError(nvmx(["entry", "--cpu", "cpu.json", "--vmcs", "vmcs.json"]), "nvmx: entry: not available yet in this version of nvmx");
    expectUsageError(nvmx(["layout", "convert", "a.bin", "b.bin"]), "nvmx: layout convert: not available yet in this version of nvmx");
  });

  it("an unknown option or command is a usage error, exit 2", () => {
    expect(nvmx(["--bogus"]).status).toBe(2);
    expect(nvmx(["bogus"]).status).toBe(2);
  });

  it("no command prints help to standard error, exit 2", () => {
    const result = nvmx([]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("Usage: nvmx");
  });
});
