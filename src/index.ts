/**
 * nvmx — Intel VMX (VT-x) as KVM's nested VMX presents it, implemented exactly in software.
 *
 * The library entry: architectural tables, the VMCS store, input parsing and capability
 * decoding. Nothing here imports from `node:`, so the same core runs in Node and in a browser.
 */
export { SDM_REVISION, SDM_SECTIONS, citeSdm, type SdmSection } from "./arch/sdm.js";
export type { BitDef, BitFieldDef } from "./arch/bits.js";
export {
  FIELD_TYPES,
  FIELD_WIDTHS,
  FIELD_TYPE_TITLES,
  encodingIndex,
  encodingType,
  encodingWidth,
  isHighAccess,
  makeEncoding,
  type FieldType,
  type FieldWidth,
  type VmcsFieldDef,
} from "./arch/vmcs-encoding.js";
export { VMCS_FIELDS } from "./arch/vmcs-fields.js";
export {
  FIELD_ACCESS_BY_ENCODING,
  FIELD_ACCESS_BY_NAME,
  FIELD_COUNT,
  fieldByName,
  resolveField,
  type FieldAccess,
  type VmcsFieldName,
} from "./arch/vmcs-lookup.js";
export {
  Vmcs,
  VMCS_ACCESS_OK,
  type LaunchState,
  type VmcsAccessStatus,
  type VmcsOptions,
  type VmreadResult,
  type VmwriteResult,
} from "./vmcs/vmcs.js";
export { decodeEncodingBits, describeFieldAccess, whyNoField, type EncodingBits, type FieldInfo } from "./vmcs/field-info.js";
export { InputError } from "./io/input-error.js";
export { parseVmcsJson, type VmcsDocument } from "./io/vmcs-json.js";
export { parseMemoryJson, type MemoryChunk } from "./io/memory-json.js";
export { BUILTIN_PROFILES, profileByName, type ProfileData } from "./profiles/index.js";
export * as u64 from "./u64/halves.js";
export * from "./arch/controls.js";
export * from "./arch/msrs.js";
export * from "./arch/exit-reasons.js";
export * from "./arch/vm-instruction-errors.js";
export * from "./arch/registers.js";
export * from "./arch/segments.js";
export * from "./arch/events.js";
export * from "./arch/cpuid.js";
export { parseCpuJson, cpuForProfile, DEFAULT_L1, DEFAULT_MAX_PHYS_ADDR, type CpuDescription, type L1State } from "./io/cpu-json.js";
export { VmxCapabilities, type ControlSetting, type ControlWordCapability } from "./caps/capabilities.js";
export { decodeCapabilities, type CapsReport } from "./caps/decode.js";
