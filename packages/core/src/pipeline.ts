// The whole pipeline in one line: extract(outline(split(read(normalize(decode(bytes)))))).
// A bad document is data: the result always holds plans (maybe none) and diagnostics.

import { decode } from "./decode.js";
import { type DocumentFormat, type DocumentLayout, type DocumentMeta, type ReadDocument, renderDocument } from "./document.js";
import { diagnostic } from "./diagnostics.js";
import { extractPlan } from "./extract.js";
import { normalize } from "./normalize.js";
import { createLocator } from "./positions.js";
import { type Line, placeCells, readLines } from "./read.js";
import { looksLikeHtml, sniffBinary } from "./formats.js";
import { looksLikeCsv, readCsv } from "./readers/csv.js";
import { readDocx } from "./readers/docx.js";
import { readHtml } from "./readers/html.js";
import { readPdf } from "./readers/pdf.js";
import { readXlsx } from "./readers/xlsx.js";
import { split } from "./split.js";
import type { Diagnostic, ParseResult, Plan } from "./types.js";

export interface ParseOptions {
  /** File name recorded in Plan.source. */
  source: string;
  /**
   * The tables of a reader's document rendered as `text` (renderDocument): with them the tasks of a
   * table are read by its rows and columns. Plain text has none.
   */
  layout?: DocumentLayout;
}

export interface DocumentResult extends ParseResult {
  format: DocumentFormat | null;
  /** The text the plans' offsets index into: the decoded file, or a reader's rendering of it. */
  text: string;
  /** The text encoding, for the formats that are text. */
  encoding: string | null;
}

/**
 * Any plan file (.txt in any Chinese encoding, .docx, .pdf, .html, .xlsx, .csv) → plans. The format
 * is told from the content; `options.source` (the file name) only tells CSV from plain text.
 */
export async function parseDocument(bytes: Uint8Array, options: ParseOptions): Promise<DocumentResult> {
  const sniffed = bytes.length ? sniffBinary(bytes) : null;
  if (sniffed && sniffed.format === null) return { plans: [], diagnostics: [sniffed.diagnostic], format: null, text: "", encoding: null };
  if (sniffed?.format === "pdf") return fromDocument(await readPdf(bytes), options, null);
  if (sniffed?.format === "docx") return fromDocument(readDocx(bytes), options, null);
  if (sniffed?.format === "xlsx") return fromDocument(readXlsx(bytes), options, null);

  const { decoded, diagnostics } = decode(bytes);
  if (!decoded) return { plans: [], diagnostics, format: null, text: "", encoding: null };
  const withDecoding = (doc: ReadDocument): ReadDocument => ({ ...doc, diagnostics: [...diagnostics, ...doc.diagnostics] });
  if (looksLikeHtml(decoded.text)) return fromDocument(withDecoding(readHtml(decoded.text)), options, decoded.encoding);
  if (looksLikeCsv(decoded.text, options.source)) return fromDocument(withDecoding(readCsv(decoded.text)), options, decoded.encoding);
  const result = parsePlanText(decoded.text, options);
  return { plans: result.plans, diagnostics: [...diagnostics, ...result.diagnostics], format: "text", text: decoded.text, encoding: decoded.encoding };
}

function fromDocument(doc: ReadDocument, options: ParseOptions, encoding: string | null): DocumentResult {
  const failed = doc.diagnostics.some((d) => d.severity === "error");
  const { text, cells, tables } = renderDocument(doc);
  if (failed || !text.trim()) {
    const diagnostics = failed ? doc.diagnostics : [...doc.diagnostics, diagnostic("NO_TEXT_IN_DOCUMENT")];
    return { plans: [], diagnostics, format: doc.format, text, encoding };
  }
  const result = parsePlanText(text, { ...options, layout: { cells, tables } });
  const plans = result.plans.map((plan) => withMeta(plan, doc.meta));
  return { plans, diagnostics: [...doc.diagnostics, ...result.diagnostics], format: doc.format, text, encoding };
}

/** What the file says about itself fills what the text did not say. */
function withMeta(plan: Plan, meta: DocumentMeta): Plan {
  return {
    ...plan,
    title: plan.title || meta.title || "",
    issuer: plan.issuer ?? meta.issuer ?? null,
    doc_number: plan.doc_number ?? meta.docNumber ?? null,
    date: plan.date ?? meta.date ?? null,
  };
}

/** Bytes of a plain-text plan file → plans. */
export function parsePlanFile(bytes: Uint8Array, options: ParseOptions): ParseResult & { encoding: string | null } {
  const { decoded, diagnostics } = decode(bytes);
  if (!decoded) return { plans: [], diagnostics, encoding: null };
  const result = parsePlanText(decoded.text, options);
  return { plans: result.plans, diagnostics: [...diagnostics, ...result.diagnostics], encoding: decoded.encoding };
}

/** Text of a plan file (decoded, as written) → plans. Offsets in the result index into `text`. */
export function parsePlanText(text: string, options: ParseOptions): ParseResult {
  const normalized = normalize(text);
  const locate = createLocator(text);
  const lines = readLines(normalized.text);
  const tables = options.layout?.tables ?? [];
  if (options.layout?.cells.length) placeCells(lines, options.layout.cells);
  const parted = split(lines, tables);
  const diagnostics: Diagnostic[] = [...parted.diagnostics];
  const ctx = {
    source: options.source,
    original: text,
    normalized,
    locate,
    chrome: parted.chrome,
    headline: firstKept(lines, new Set(parted.chrome)),
    tables,
  };
  const plans: Plan[] = [];
  for (const part of parted.parts) {
    const { plan, diagnostics: found } = extractPlan(part, plans.length, ctx);
    if (plan.tasks.length === 0) continue;
    plans.push(plan);
    for (const d of found) diagnostics.push(d);
  }
  if (plans.length === 0) diagnostics.push(diagnostic("NO_TASKS"));
  return { plans, diagnostics };
}

function firstKept(lines: readonly Line[], chrome: ReadonlySet<Line>): Line | null {
  for (const l of lines) if (!chrome.has(l)) return l;
  return null;
}
