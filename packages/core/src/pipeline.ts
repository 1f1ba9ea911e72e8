// The whole pipeline in one line: extract(outline(split(read(normalize(decode(bytes)))))).
// A bad document is data: the result always holds plans (maybe none) and diagnostics.

import { decode } from "./decode.js";
import { diagnostic } from "./diagnostics.js";
import { extractPlan } from "./extract.js";
import { normalize } from "./normalize.js";
import { createLocator } from "./positions.js";
import { type Line, readLines } from "./read.js";
import { split } from "./split.js";
import type { Diagnostic, ParseResult, Plan } from "./types.js";

export interface ParseOptions {
  /** File name recorded in Plan.source. */
  source: string;
}

/** Bytes of a plan file → plans. */
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
  const parted = split(lines);
  const diagnostics: Diagnostic[] = [...parted.diagnostics];
  const ctx = {
    source: options.source,
    original: text,
    normalized,
    locate,
    chrome: parted.chrome,
    headline: firstKept(lines, new Set(parted.chrome)),
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
