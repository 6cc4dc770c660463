// Runs the built `nvmx` binary as a user would, and compares output with golden files.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = join(ROOT, "bin", "nvmx.js");
const GOLDEN = join(ROOT, "test", "cli", "golden");

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `nvmx ARGS` in the repository root, with standard input `input`. */
export function nvmx(args: readonly string[], input?: string): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    input,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Expects `text` to equal the golden file `name` (UPDATE_GOLDEN=1 rewrites it). */
export function expectGolden(name: string, text: string): void {
  const path = join(GOLDEN, name);
  if (process.env["UPDATE_GOLDEN"] === "1" || !existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    if (process.env["CI"] !== undefined && process.env["UPDATE_GOLDEN"] !== "1") {
      throw new Error(`golden file ${name} was missing in CI`);
    }
    return;
  }
  expect(text).toBe(readFileSync(path, "utf8"));
}

/** Expects a one-line error on standard error, nothing on standard output, and exit status 2. */
export function expectUsageError(result: CliResult, message: string | RegExp): void {
  expect(result.status).toBe(2);
  expect(result.stdout).toBe("");
  const lines = result.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  if (typeof message === "string") expect(lines[0]).toBe(message);
  else expect(lines[0]).toMatch(message);
}
