#!/usr/bin/env node
// Reader throughput on the format fixtures: pages a second for PDF, MB a second for .docx, .xlsx,
// .csv and .html, each through the whole pipeline (`parseDocument`: read, render, split, outline,
// extract). The fixtures are small, so a fixed cost per file weighs on their MB/s; the last line
// is a large .docx (002's document body repeated) for the reader's throughput on real volume.
//
//   npm run build && node bench/readers.mjs [--rounds 5]

import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { parseDocument } from "../packages/core/dist/index.js";

const args = process.argv.slice(2);
const i = args.indexOf("--rounds");
const rounds = i >= 0 ? Number(args[i + 1]) : 5;

const dir = fileURLToPath(new URL("../packages/core/test/fixtures/formats/", import.meta.url));
const files = readdirSync(dir)
  .filter((f, _, all) => /\.(?:pdf|docx|xlsx|csv|html)$/.test(f) && all.includes(`${f}.expected.json`))
  .sort();

async function pageCount(bytes) {
  const doc = await getDocument({ data: new Uint8Array(bytes), verbosity: 0, isEvalSupported: false }).promise;
  const n = doc.numPages;
  await doc.destroy();
  return n;
}

/** Best of `rounds` timed runs of `repeat` parses, after one warm-up run. */
async function time(bytes, name, repeat) {
  let best = Infinity;
  let result = await parseDocument(bytes, { source: name });
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let k = 0; k < repeat; k++) result = await parseDocument(bytes, { source: name });
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9 / repeat);
  }
  return { seconds: best, result };
}

console.log(`format fixtures in ${path.relative(process.cwd(), dir)}, best of ${rounds} rounds, node ${process.version}`);
for (const f of files) {
  const bytes = new Uint8Array(readFileSync(path.join(dir, f)));
  const repeat = bytes.length > 200_000 ? 3 : 10;
  const { seconds, result } = await time(bytes, f, repeat);
  const tasks = result.plans.reduce((n, p) => n + p.tasks.length, 0);
  const kb = (bytes.length / 1024).toFixed(0).padStart(5);
  let rate = `${(bytes.length / 1024 / 1024 / seconds).toFixed(2).padStart(7)} MB/s`;
  if (f.endsWith(".pdf")) {
    const pages = await pageCount(bytes);
    rate += `   ${(pages / seconds).toFixed(1).padStart(6)} pages/s (${pages} pages)`;
  }
  console.log(`${f.padEnd(28)} ${kb} KB ${(seconds * 1000).toFixed(1).padStart(8)} ms ${rate}   ${tasks} tasks`);
}

/** 002-table.docx with its body repeated `copies` times: one large Word file of many plans. */
function bigDocx(bytes, copies) {
  const parts = unzipSync(bytes);
  const xml = strFromU8(parts["word/document.xml"]);
  const open = xml.indexOf(">", xml.indexOf("<w:body")) + 1;
  const close = xml.lastIndexOf("<w:sectPr");
  const body = xml.slice(open, close);
  parts["word/document.xml"] = strToU8(xml.slice(0, open) + body.repeat(copies) + xml.slice(close));
  return zipSync(parts);
}

const big = bigDocx(new Uint8Array(readFileSync(path.join(dir, "002-table.docx"))), 200);
const { seconds, result } = await time(big, "big.docx", 1);
const xmlMb = unzipSync(big)["word/document.xml"].length / 1024 / 1024;
console.log(
  `${"002-table.docx × 200".padEnd(28)} ${(big.length / 1024).toFixed(0).padStart(5)} KB ${(seconds * 1000).toFixed(1).padStart(8)} ms ` +
    `${(big.length / 1024 / 1024 / seconds).toFixed(2).padStart(7)} MB/s (file), ${(xmlMb / seconds).toFixed(1)} MB/s (document.xml, ${xmlMb.toFixed(1)} MB)   ` +
    `${result.plans.reduce((n, p) => n + p.tasks.length, 0)} tasks`,
);
