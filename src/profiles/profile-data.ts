/** The shape of a built-in CPU profile as stored: plain data with its provenance. */
export interface ProfileData {
  /** The name users give in `cpu.json` (`"profile"`) and `--profile`. */
  readonly name: string;
  readonly model: string;
  readonly microarchitecture: string;
  /** How the values were obtained (bare metal, KVM L1 view, …). */
  readonly kind: string;
  /** Where the values come from. */
  readonly source: string;
  readonly quality: string;
  readonly notes: string;
  /** MSR name → value as a hex string. */
  readonly msrs: Readonly<Record<string, string>>;
  /** MAXPHYADDR when the source states it. */
  readonly maxPhysAddr?: number;
}
