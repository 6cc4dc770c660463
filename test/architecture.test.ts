// The layout's promises: the core runs in a browser (no node: imports outside the CLI), and the
// library entry exposes the core.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/cli.js";
import * as nvmx from "../src/index.js";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("layout", () => {
  it("nothing outside src/cli imports a node: module", () => {
    const offenders = sourceFiles(join(ROOT, "src"))
      .filter((path) => !relative(ROOT, path).startsWith(join("src", "cli")))
      .filter((path) => /from\s+["']node:|import\(["']node:|require\(["']node:/.test(readFileSync(path, "utf8")));
    expect(offenders.map((path) => relative(ROOT, path))).toEqual([]);
  });

  it("the library entry exports the tables, the store, parsing and decoding", () => {
    for (const name of [
      "VMCS_FIELDS", "CONTROL_WORDS", "MSRS", "EXIT_REASONS", "VM_INSTRUCTION_ERRORS", "CR0_BITS", "CR4_BITS", "EFER_BITS",
      "RFLAGS_BITS", "DR7_BITS", "SEGMENT_AR_BITS", "Vmcs", "parseVmcsJson", "parseCpuJson", "decodeCapabilities", "VmxCapabilities",
      "BUILTIN_PROFILES", "SDM_REVISION",
    ]) {
      expect(nvmx, name).toHaveProperty(name);
    }
  });
});
