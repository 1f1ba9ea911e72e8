#!/usr/bin/env node
// Scores every format fixture made from a seed (002 as .docx/.pdf/.html/.xlsx/.csv, 004 as .docx
// and .pdf, 003 and 000 as saved pages) against that seed's hand gold, as `npm run score` does
// for the .txt seeds. Needs ../shared (the gold and its scorer) and a build.
//
//   npm run build && node scripts/score-formats.mjs

import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseDocument } from "../packages/core/dist/index.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const formats = path.join(root, "packages/core/test/fixtures/formats");
const shared = path.join(root, "../shared");
const seeds = readdirSync(path.join(shared, "seeds")).filter((f) => f.endsWith(".txt"));
const out = mkdtempSync(path.join(tmpdir(), "taizhang-score-"));

for (const file of readdirSync(formats).filter((f) => /^\d{3}-.*\.(?:docx|pdf|html|xlsx|csv)$/.test(f)).sort()) {
  const seed = seeds.find((s) => s.startsWith(file.slice(0, 3)));
  if (!seed) continue;
  // The plans carry the seed's name, so the scorer pairs them with its gold.
  const { plans } = await parseDocument(new Uint8Array(readFileSync(path.join(formats, file))), { source: seed });
  const pred = path.join(out, `${file}.json`);
  writeFileSync(pred, JSON.stringify(plans));
  const report = execFileSync(process.execPath, [path.join(shared, "eval/score.mjs"), path.join(shared, "gold", seed.replace(/\.txt$/, ".json")), pred], { encoding: "utf8" });
  const field = (name) => report.match(new RegExp(`${name} +P[^\\n]*F1 +([\\d.]+)`))?.[1] ?? "?";
  const overall = report.match(/overall F1[^:]*: ([\d.]+%)/)?.[1] ?? "?";
  console.log(`${file.padEnd(22)} overall ${overall.padStart(6)}   tasks ${field("tasks")}  units ${field("units")}  deadlines ${field("deadlines")}  targets ${field("targets")}`);
}
