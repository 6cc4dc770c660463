/** Writing results: JSON exactly as CONTRACT.md shapes it, text for people. */

/** Prints one JSON value on one line (`--json` output). */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + "\n");
}

/** Prints lines of text. */
export function printLines(lines: readonly string[]): void {
  process.stdout.write(lines.join("\n") + "\n");
}

/** Whether to colour output: only on a terminal, and never with NO_COLOR set. */
export function useColour(): boolean {
  return process.stdout.isTTY === true && process.env["NO_COLOR"] === undefined;
}

/** Wraps text in an ANSI style when colour is on. */
export function style(text: string, code: "bold" | "dim" | "red" | "green" | "yellow"): string {
  if (!useColour()) return text;
  const codes = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33 } as const;
  return `\u001b[${codes[code]}m${text}\u001b[0m`;
}
