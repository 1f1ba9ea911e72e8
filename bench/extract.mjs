#!/usr/bin/env node
// Extraction throughput on a ≥ 10 MB corpus made by repeating the seed plans, next to the same
// run's bare baseline (read the file, decode it, one regex scan for heading numbers).
//
//   npm run build && node bench/extract.mjs [--mb 12] [--rounds 3]
//
// Every figure is the best of several runs after one warm-up run, so what is timed is the
// compiled code, not V8's tier-up from the interpreter (which otherwise favours whichever shape is
// timed last). Prints MB/s for the pipeline and the baseline, their ratio, and peak RSS, in three shapes: many
// plan-sized files read from disk (how the command is used), the same documents already in memory
// (the pipeline alone), and one big document (no cost grows faster than the text).

import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parsePlanFile } from "../packages/core/dist/index.js";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const targetMb = option("mb", 12);
const rounds = option("rounds", 3);

const seedsDir = fileURLToPath(new URL("../packages/core/test/fixtures/seeds/", import.meta.url));
const seeds = readdirSync(seedsDir).filter((f) => f.endsWith(".txt")).sort().map((f) => readFileSync(path.join(seedsDir, f)));
const seedBytes = seeds.reduce((n, b) => n + b.length, 0);

const docs = [];
let total = 0;
while (total < targetMb * 1024 * 1024) {
  for (const s of seeds) {
    docs.push(s);
    total += s.length;
  }
}
const bigDoc = Buffer.concat(docs.slice(0, Math.ceil(docs.length / 4)));

// The corpus as files, for the runs that read from disk (the page cache serves them after the first).
const corpusDir = path.join(tmpdir(), `taizhang-bench-${process.pid}`);
mkdirSync(corpusDir, { recursive: true });
const files = docs.map((d, i) => {
  const file = path.join(corpusDir, `${String(i).padStart(4, "0")}.txt`);
  writeFileSync(file, d);
  return file;
});
process.on("exit", () => rmSync(corpusDir, { recursive: true, force: true }));

const HEADING = /(?:^|\n)\s*(?:[一二三四五六七八九十]+、|\(\s*[一二三四五六七八九十]+\s*\)|\d{1,3}\s*[.、]|\(\s*\d{1,2}\s*\))/g;
function baseline(bytes) {
  const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  let n = 0;
  HEADING.lastIndex = 0;
  while (HEADING.exec(text)) n++;
  return n;
}

/** Best of `rounds` timed runs, after one untimed run that lets the JIT compile the code paths. */
function time(fn) {
  let best = Infinity;
  let result = fn();
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    result = fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return { seconds: best, result };
}

let peak = process.memoryUsage().rss;
const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));

const mb = (n) => n / 1024 / 1024;
const many = time(() => {
  let tasks = 0;
  for (const d of docs) {
    const { plans } = parsePlanFile(d, { source: "bench.txt" });
    for (const p of plans) tasks += p.tasks.length;
  }
  sample();
  return tasks;
});
const base = time(() => docs.reduce((n, d) => n + baseline(d), 0));
const fromDisk = time(() => {
  let tasks = 0;
  for (const f of files) {
    const { plans } = parsePlanFile(readFileSync(f), { source: "bench.txt" });
    for (const p of plans) tasks += p.tasks.length;
  }
  return tasks;
});
const baseFromDisk = time(() => files.reduce((n, f) => n + baseline(readFileSync(f)), 0));
const big = time(() => {
  const r = parsePlanFile(bigDoc, { source: "big.txt" });
  sample();
  return r.plans.length;
});
const bigBase = time(() => baseline(bigDoc));

const row = (label, bytes, t) => `${label.padEnd(38)} ${mb(bytes).toFixed(1).padStart(6)} MB ${t.seconds.toFixed(3).padStart(8)} s ${(mb(bytes) / t.seconds).toFixed(1).padStart(8)} MB/s`;
console.log(`corpus: ${docs.length} documents from ${seeds.length} seeds (${(seedBytes / 1024).toFixed(0)} KB), best of ${rounds} rounds, node ${process.version}`);
console.log(row("pipeline, files read from disk", total, fromDisk) + `   (${fromDisk.result} tasks)`);
console.log(row("baseline: read + decode + regex scan", total, baseFromDisk));
console.log(row("pipeline, documents in memory", total, many) + `   (${many.result} tasks)`);
console.log(row("baseline: decode + regex scan", total, base));
console.log(row("pipeline, one big document", bigDoc.length, big) + `   (${big.result} plans)`);
console.log(row("baseline on the big document", bigDoc.length, bigBase));
const ratio = (a, b) => `${(a.seconds / b.seconds).toFixed(2)}×`;
console.log(`ratio pipeline/baseline: ${ratio(fromDisk, baseFromDisk)} (files from disk), ${ratio(many, base)} (in memory), ${ratio(big, bigBase)} (big document)`);
console.log(`peak RSS: ${mb(peak).toFixed(0)} MB`);
