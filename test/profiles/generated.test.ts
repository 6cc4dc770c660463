// Generated files are never stale: src/profiles/observed.ts matches shared/data/cpus.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { BUILTIN_PROFILES } from "../../src/profiles/index.js";

const SHARED_CPUS = join(ROOT, "..", "shared", "data", "cpus");

describe("built-in profiles", () => {
  it.runIf(existsSync(SHARED_CPUS))("src/profiles/observed.ts is regenerated from shared/data/cpus", () => {
    const result = spawnSync(process.execPath, [join(ROOT, "scripts", "gen-profiles.mjs"), "--check"], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("names are unique and every profile cites its source", () => {
    const names = BUILTIN_PROFILES.map((profile) => profile.name);
    expect(new Set(names).size).toBe(names.length);
    for (const profile of BUILTIN_PROFILES) expect(profile.source).toMatch(/https:\/\//);
    expect(BUILTIN_PROFILES).toHaveLength(36);
  });
});
