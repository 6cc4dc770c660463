/**
 * Unusable input: the one exception nvmx throws on purpose. It reaches the user as one line,
 * `FILE: KEY: REASON`, with exit status 2 (never a stack trace).
 */
export class InputError extends Error {
  /**
   * @param source the file (or `-` / a batch line) the input came from
   * @param key the dotted path of the offending key (`msrs.IA32_VMX_BASIC`), or "" for the whole input
   * @param reason what is wrong, in one sentence without a trailing period
   */
  constructor(
    readonly source: string,
    readonly key: string,
    readonly reason: string,
  ) {
    super(key === "" ? `${oneLine(source)}: ${oneLine(reason)}` : `${oneLine(source)}: ${oneLine(key)}: ${oneLine(reason)}`);
    this.name = "InputError";
  }
}

/** Joins a path of keys and array indices as users write them: `memory[0].gpa`, `l1.cs.l`. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const part of path) {
    if (typeof part === "number") text += `[${part}]`;
    else text += text === "" ? String(part) : `.${String(part)}`;
  }
  return text;
}

/** Text as it can stand on one line: quoted JSON-style when it holds control characters. */
function oneLine(text: string): string {
  return /[\u0000-\u001f\u007f]/.test(text) ? JSON.stringify(text) : text;
}
