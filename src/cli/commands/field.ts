/** `nvmx field NAME|ENCODING`: what a VMCS field is (KVM prints raw encodings in its warnings). */
import type { Command } from "commander";
import { resolveField } from "../../arch/vmcs-lookup.js";
import { FIELD_TYPE_TITLES } from "../../arch/vmcs-encoding.js";
import { FIELD_ACCESS_BY_NAME } from "../../arch/vmcs-lookup.js";
import { describeFieldAccess, whyNoField, widthText, type FieldInfo } from "../../vmcs/field-info.js";
import { InputError } from "../../io/input-error.js";
import { suggestName } from "../../io/suggest.js";
import { printJson, printLines, style } from "../output.js";
import { globalOptions } from "../global-options.js";

const hex = (value: number) => "0x" + value.toString(16);

export function registerFieldCommand(program: Command): void {
  program
    .command("field")
    .description("decode a VMCS field name or encoding (e.g. nvmx field 0x6800)")
    .argument("<name-or-encoding>", "a Linux enum vmcs_field name (GUEST_CR0, TSC_OFFSET_HIGH) or an encoding (0x6800)")
    .action((spec: string, _options: unknown, command: Command) => {
      const info = describeFieldAccess(lookUp(spec));
      if (globalOptions(command).json) printJson(fieldJson(info));
      else printLines(fieldText(info));
    });
}

function lookUp(spec: string) {
  const text = spec.trim();
  const numeric = /^(0x[0-9a-f]+|[0-9]+)$/i.test(text);
  const access = numeric ? resolveField(Number(text)) : resolveField(text);
  if (access !== undefined) return access;
  if (numeric) {
    const encoding = Number(text);
    throw new InputError("field", text, `names no VMCS field: ${whyNoField(encoding)} (VMREAD/VMWRITE fail with VM-instruction error 12)`);
  }
  const hint = suggestName(text, FIELD_ACCESS_BY_NAME.keys());
  throw new InputError("field", text, `unknown VMCS field name${hint === undefined ? "" : ` (did you mean ${hint}?)`}`);
}

/** The `--json` shape of `nvmx field`. */
export function fieldJson(info: FieldInfo) {
  return {
    name: info.name,
    encoding: hex(info.encoding),
    access: info.access,
    fullEncoding: hex(info.fullEncoding),
    highEncoding: info.highEncoding === undefined ? null : hex(info.highEncoding),
    width: info.width,
    bits: info.width === "natural" ? 64 : Number(info.width),
    type: info.type,
    index: info.index,
    title: info.title,
    sdm: info.sdm,
    sdmTitle: info.sdmTitle,
    existsIf: info.existsIf,
    linuxName: info.inLinux,
  };
}

function fieldText(info: FieldInfo): string[] {
  const half = info.access === "high" ? " (high access: bits 63:32)" : "";
  const lines = [
    `${style(info.name, "bold")}  ${hex(info.encoding)}${half}`,
    `  ${info.title}: ${widthText(info.width)}, ${FIELD_TYPE_TITLES[info.type]}`,
    `  encoding: width ${info.width}, type ${info.type}, index ${info.index}, access ${info.access}` +
      (info.highEncoding === undefined ? "" : `; full ${hex(info.fullEncoding)}, high ${hex(info.highEncoding)}`),
    `  SDM ${info.sdm} (${info.sdmTitle})`,
    info.existsIf.length === 0
      ? "  exists on every processor that supports VMX"
      : `  exists only on processors that support the 1-setting of ${info.existsIf.join(" or ")}`,
  ];
  if (!info.inLinux) lines.push("  (Linux's enum vmcs_field has no name for this field; nvmx names it in the same style)");
  return lines;
}
