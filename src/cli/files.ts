/** Reading the CLI's input files: every failure becomes an InputError naming the file. */
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { InputError } from "../io/input-error.js";

/** Reads a file (`-` for standard input) as UTF-8 text. */
export function readTextFile(path: string): string {
  try {
    return readFileSync(path === "-" ? 0 : path, "utf8");
  } catch (error) {
    throw new InputError(path, "", `cannot read: ${systemReason(error)}`);
  }
}

/** Reads and decodes a JSON file (`-` for standard input). */
export function readJsonFile(path: string): unknown {
  return parseJsonText(readTextFile(path), path);
}

/** Decodes JSON text; a syntax error becomes an InputError naming the source. */
export function parseJsonText(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new InputError(source === "-" ? "<stdin>" : source, "", `not valid JSON: ${detail}`);
  }
}

function systemReason(error: unknown): string {
  if (typeof error === "object" && error !== null && "code" in error) {
    const code = String((error as { code: unknown }).code);
    if (code === "ENOENT") return "no such file";
    if (code === "EISDIR") return "is a directory";
    if (code === "EACCES") return "permission denied";
    return code;
  }
  return String(error);
}

/**
 * Writes command output to a file (atomically: a temporary file renamed into place, so a failure
 * never leaves a partial file) or, without a path or with `-`, to standard output.
 */
export function writeOutput(path: string | undefined, text: string | Uint8Array): void {
  if (path === undefined || path === "-") {
    process.stdout.write(text);
    return;
  }
  const temporary = `${path}.nvmx-${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new InputError(path, "", `cannot write: ${systemReason(error)}`);
  }
}
