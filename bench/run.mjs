#!/usr/bin/env node
// `npm run bench`: every nvmx benchmark, one figure per hot path.
// `npm run bench -- --json` prints one JSON object: figure name → {"value": N, "unit": "ns" | "ops/s"}.
// Each suite in bench/suites/ exports `suite(nvmx)` → [{ name, unit, batch, setup?, run }], where
// `run` performs `batch` operations; the figure is the mean per operation.
import { readdirSync } from "node:fs";
import { Bench } from "tinybench";
import * as nvmx from "../dist/index.js";

const json = process.argv.includes("--json");
const suiteDir = new URL("./suites/", import.meta.url);
const figures = [];
for (const file of readdirSync(suiteDir).filter((name) => name.endsWith(".mjs")).sort()) {
  const { suite } = await import(new URL(file, suiteDir).href);
  figures.push(...suite(nvmx));
}

const bench = new Bench({ time: 1000, warmupTime: 200 });
for (const figure of figures) bench.add(figure.name, figure.run);
await bench.run();

const results = {};
for (const figure of figures) {
  const task = bench.getTask(figure.name);
  const msPerBatch = task.result.latency.mean;
  const nsPerOp = (msPerBatch * 1e6) / figure.batch;
  results[figure.name] = figure.unit === "ns"
    ? { value: round(nsPerOp), unit: "ns" }
    : { value: Math.round(1e9 / nsPerOp), unit: "ops/s" };
}

if (json) {
  process.stdout.write(JSON.stringify(results) + "\n");
} else {
  const width = Math.max(...Object.keys(results).map((name) => name.length));
  for (const [name, { value, unit }] of Object.entries(results)) {
    console.log(`${name.padEnd(width)}  ${String(value).padStart(12)} ${unit}`);
  }
  console.log(`(node ${process.version}, ${process.platform}/${process.arch}; mean of tinybench samples, per operation)`);
}

function round(value) {
  return value >= 100 ? Math.round(value) : Math.round(value * 100) / 100;
}
