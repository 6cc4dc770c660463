// `nvmx caps read`: the live host's MSRs through the msr driver, or one line saying why not.
import { mkdirSync, mkdtempSync, openSync, writeSync, closeSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectUsageError, nvmx } from "../helpers/cli.js";
import { parseCpuJson } from "../../src/io/cpu-json.js";

/** A fake /dev/cpu tree whose cpu 0 "msr" file holds the given MSRs at their offsets. */
function fakeMsrDevice(msrs: Record<number, bigint>): string {
  const dir = mkdtempSync(join(tmpdir(), "nvmx-dev-"));
  mkdirSync(join(dir, "0"));
  const fd = openSync(join(dir, "0", "msr"), "w");
  for (const [index, value] of Object.entries(msrs)) {
    const buffer = Buffer.alloc(8);
    buffer.writeBigUInt64LE(value);
    writeSync(fd, buffer, 0, 8, Number(index));
  }
  closeSync(fd);
  return dir;
}

const CPUINFO = join(mkdtempSync(join(tmpdir(), "nvmx-cpuinfo-")), "cpuinfo");

describe("nvmx caps read", () => {
  it("writes a cpu.json that nvmx accepts, with model, MAXPHYADDR and flags from cpuinfo", () => {
    // A regular file is byte-addressed where the driver is MSR-addressed: keep the MSRs 8 bytes apart.
    const dev = fakeMsrDevice({ 0x3a: 0x5n, 0x480: 0xda040000000012n });
    const out = join(mkdtempSync(join(tmpdir(), "nvmx-out-")), "cpu.json");
    writeFileSyncSafe(CPUINFO, "processor\t: 0\nmodel name\t: Test CPU\nflags\t\t: vmx pcid la57\naddress sizes\t: 39 bits physical, 48 bits virtual\n\n");
    const result = nvmx(["caps", "read", "--dev-dir", dev, "--cpuinfo", CPUINFO, "--out", out]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const json = JSON.parse(readFileSync(out, "utf8"));
    expect(json.model).toBe("Test CPU");
    expect(json.msrs.IA32_VMX_BASIC).toBe("0xda040000000012");
    const cpu = parseCpuJson(json, out);
    expect(cpu.maxPhysAddr).toBe(39);
    expect(cpu.cpuid.la57).toBe(true);
    expect(cpu.cpuid.pku).toBe(false);
  });

  it("says the msr driver is missing, exit 2, and writes nothing", () => {
    const dev = mkdtempSync(join(tmpdir(), "nvmx-dev-"));
    mkdirSync(join(dev, "0"));
    const out = join(dev, "cpu.json");
    expectUsageError(nvmx(["caps", "read", "--dev-dir", dev, "--out", out]), /no such device: the msr driver is not loaded \(run modprobe msr as root\)/);
    expect(existsSync(out)).toBe(false);
  });

  it("says when the CPU does not report VMX", () => {
    const dev = fakeMsrDevice({ 0x3a: 0x5n });
    const empty = join(dev, "0", "msr");
    expect(existsSync(empty)).toBe(true);
    // A file shorter than 0x480 bytes reads like an MSR the CPU lacks.
    expectUsageError(nvmx(["caps", "read", "--dev-dir", dev, "--cpuinfo", "/nonexistent"]), /IA32_VMX_BASIC: cannot be read: this CPU does not report VMX/);
  });

  it("rejects a CPU number that is not one", () => {
    expectUsageError(nvmx(["caps", "read", "--cpu-index", "x"]), "nvmx: --cpu-index: x is not a CPU number");
  });
});

function writeFileSyncSafe(path: string, text: string): void {
  const fd = openSync(path, "w");
  writeSync(fd, text);
  closeSync(fd);
}
