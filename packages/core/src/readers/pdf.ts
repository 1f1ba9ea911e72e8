// The .pdf reader: pdfjs gives each page's text runs (with their places) and its drawing
// operations; the ruling lines are taken from the drawing, and pdf-layout.ts rebuilds paragraphs and
// tables from both. Only the text layer is read: a scanned page has none, and is reported.

import type { PDFDocumentLoadingTask, PDFDocumentProxy, PDFPageProxy, TextItem } from "pdfjs-dist/types/src/display/api.js";
import type { ReadDocument } from "../document.js";
import { diagnostic } from "../diagnostics.js";
import type { Diagnostic } from "../types.js";
import { type PageContent, type Rule, type TextRun, hasColumns, layoutPages } from "./pdf-layout.js";

/** More pages than this is not a plan; the file is refused rather than read for minutes. */
export const MAX_PAGES = 500;
/** Runs kept from one page; more is a hostile or generated file (a plan page has a few hundred). */
const MAX_RUNS_PER_PAGE = 20_000;
/** Drawing operations looked at on one page for ruling lines. */
const MAX_PATH_OPS = 200_000;
/** A filled rectangle thinner than this is a drawn rule (Word draws table borders so). */
const THIN = 3;

/**
 * pdfjs's own data files (character maps for CJK fonts, the standard 14 fonts). pdfjs reads them
 * itself, with its Node file factory, from these paths: the library's own assets, not the user's
 * files, which is the only file access core allows. Core has no Node typings, hence the cast and
 * the plain string handling of the file: URL.
 */
function assetDir(name: string): string {
  const meta = import.meta as ImportMeta & { resolve(specifier: string): string };
  const build = meta.resolve("pdfjs-dist/legacy/build/pdf.mjs");
  return decodeURIComponent(build.replace(/^file:\/\//, "").replace(/legacy\/build\/pdf\.mjs$/, `${name}/`));
}

/** Page numbers as a reader writes them: "2、5–7、9". */
export function pageList(pages: readonly number[]): string {
  const ranges: [number, number][] = [];
  for (const n of pages) {
    const last = ranges.at(-1);
    if (last && n === last[1] + 1) last[1] = n;
    else ranges.push([n, n]);
  }
  return ranges.map(([a, b]) => (a === b ? `${a}` : `${a}–${b}`)).join("、");
}

/** pdfjs is loaded on the first PDF, not with the core: most imports read no PDF, and it is large. */
type Pdfjs = typeof import("pdfjs-dist/legacy/build/pdf.mjs");

/** The .pdf's paragraphs and tables; never throws: a bad file is a diagnostic. */
export async function readPdf(bytes: Uint8Array): Promise<ReadDocument> {
  const fail = (d: Diagnostic): ReadDocument => ({ format: "pdf", blocks: [], meta: {}, diagnostics: [d] });
  let task: PDFDocumentLoadingTask | null = null;
  try {
    const pdfjs: Pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
    task = pdfjs.getDocument({
      // pdfjs takes ownership of (and detaches) the buffer it is given: hand it a copy.
      data: bytes.slice(),
      verbosity: 0,
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      cMapUrl: assetDir("cmaps"),
      cMapPacked: true,
      standardFontDataUrl: assetDir("standard_fonts"),
    });
    const doc = await task.promise;
    if (doc.numPages > MAX_PAGES) return fail(diagnostic("TOO_LARGE", { size: `${doc.numPages} 页`, limit: `${MAX_PAGES} 页` }));
    return await readPages(pdfjs, doc);
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    return fail(name === "PasswordException" ? diagnostic("FILE_ENCRYPTED") : diagnostic("FILE_CORRUPT", { kind: "PDF" }));
  } finally {
    await task?.destroy().catch(() => undefined);
  }
}

async function readPages(pdfjs: Pdfjs, doc: PDFDocumentProxy): Promise<ReadDocument> {
  const pages: PageContent[] = [];
  const blank: number[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await readPage(pdfjs, doc, n);
    if (!content) blank.push(n);
    else pages.push(content);
  }
  if (!pages.length) return { format: "pdf", blocks: [], meta: {}, diagnostics: [diagnostic("PDF_NO_TEXT")] };
  const diagnostics = blank.length ? [diagnostic("PDF_PAGES_WITHOUT_TEXT", { pages: pageList(blank) })] : [];
  return { format: "pdf", blocks: layoutPages(pages), meta: {}, diagnostics };
}

/** One page's runs and rules, or null when it has no text (a scan) or cannot be read. */
async function readPage(pdfjs: Pdfjs, doc: PDFDocumentProxy, n: number): Promise<PageContent | null> {
  let page: PDFPageProxy | null = null;
  try {
    page = await doc.getPage(n);
    const viewport = page.getViewport({ scale: 1 });
    const content = await page.getTextContent();
    const runs = content.items
      .filter((item): item is TextItem => "str" in item && item.str !== "")
      .slice(0, MAX_RUNS_PER_PAGE)
      .flatMap((item) => toRun(pdfjs, item, viewport.transform));
    if (!runs.some((r) => r.text.trim())) return null;
    // The drawing costs as much again as the text (pdfjs prepares the fonts for painting): it is
    // read only where a table can be.
    const rules = hasColumns(runs) ? await pageRules(pdfjs, page, viewport.transform) : [];
    return { width: viewport.width, height: viewport.height, runs, rules };
  } catch {
    return null;
  } finally {
    page?.cleanup();
  }
}

type Matrix = [number, number, number, number, number, number];

/** A text item in page coordinates (y down); text not running left to right (a rotated stamp) is left out. */
function toRun(pdfjs: Pdfjs, item: TextItem, view: number[]): TextRun[] {
  const [a, b, c, d, e, f] = pdfjs.Util.transform(view, item.transform) as Matrix;
  if (Math.abs(b) > Math.abs(a) * 0.1 || a <= 0) return [];
  const size = Math.hypot(c, d) || Math.abs(a);
  return [{ text: item.str, x: e, y: f, width: item.width, size, eol: item.hasEOL }];
}

/** The painting operations that stroke a path and that fill one. */
function paints(OPS: Pdfjs["OPS"]): { strokes: Set<number>; fills: Set<number> } {
  return {
    strokes: new Set([OPS.stroke, OPS.closeStroke, OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke]),
    fills: new Set([OPS.fill, OPS.eoFill, OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke]),
  };
}
/** pdfjs's path encoding (DrawOPS): an operation code, then its coordinates. */
const DRAW = { moveTo: 0, lineTo: 1, curveTo: 2, quadraticCurveTo: 3, closePath: 4 } as const;
const DRAW_ARGS: Record<number, number> = { [DRAW.moveTo]: 2, [DRAW.lineTo]: 2, [DRAW.curveTo]: 6, [DRAW.quadraticCurveTo]: 4, [DRAW.closePath]: 0 };

/** The page's straight horizontal and vertical strokes (and hairline filled bars), in page coordinates. */
async function pageRules(pdfjs: Pdfjs, page: PDFPageProxy, view: number[]): Promise<Rule[]> {
  const OPS = pdfjs.OPS;
  const painting = paints(OPS);
  const list = await page.getOperatorList();
  const rules: Rule[] = [];
  const stack: Matrix[] = [];
  let ctm = view as Matrix;
  const count = Math.min(list.fnArray.length, MAX_PATH_OPS);
  for (let i = 0; i < count; i++) {
    const fn = list.fnArray[i];
    const args = list.argsArray[i] as unknown[];
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.transform) ctm = pdfjs.Util.transform(ctm, args) as Matrix;
    else if (fn === OPS.paintFormXObjectBegin) {
      stack.push(ctm);
      if (Array.isArray(args[0]) || ArrayBuffer.isView(args[0])) ctm = pdfjs.Util.transform(ctm, Array.from(args[0] as ArrayLike<number>)) as Matrix;
    } else if (fn === OPS.paintFormXObjectEnd) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.constructPath) pathRules(args, ctm, painting, rules);
  }
  return rules;
}

/** The rules one constructPath operation draws: stroked straight segments, or thin filled bars. */
function pathRules(args: unknown[], ctm: Matrix, painting: ReturnType<typeof paints>, out: Rule[]): void {
  const [paint, data] = args as [number, unknown[] | undefined];
  const path = data?.[0];
  if (!path || !(Array.isArray(path) || ArrayBuffer.isView(path))) return;
  const stroked = painting.strokes.has(paint);
  const filled = painting.fills.has(paint);
  if (!stroked && !filled) return; // a clipping path, or one painted with nothing
  const ops = path as ArrayLike<number>;
  const point = (x: number, y: number): [number, number] => [ctm[0] * x + ctm[2] * y + ctm[4], ctm[1] * x + ctm[3] * y + ctm[5]];
  let start: [number, number] = [0, 0];
  let at: [number, number] = [0, 0];
  let sub: [number, number][] = [];
  const flushFill = () => {
    if (filled && sub.length >= 3) thinBar(sub, out);
    sub = [];
  };
  for (let i = 0; i < ops.length; ) {
    const op = ops[i] as number;
    const n = DRAW_ARGS[op];
    if (n === undefined) return;
    const x = ops[i + n - 1] as number;
    const y = ops[i + n] as number;
    if (op === DRAW.moveTo) {
      flushFill();
      at = start = point(ops[i + 1] as number, ops[i + 2] as number);
      sub.push(at);
    } else if (op === DRAW.closePath) {
      if (stroked) straight(at, start, out);
      at = start;
    } else {
      const next = point(x, y);
      if (op === DRAW.lineTo && stroked) straight(at, next, out);
      at = next;
      sub.push(at);
    }
    i += n + 1;
  }
  flushFill();
}

/** An axis-aligned segment as a rule. */
function straight([x1, y1]: [number, number], [x2, y2]: [number, number], out: Rule[]): void {
  if (Math.abs(x1 - x2) <= 1 || Math.abs(y1 - y2) <= 1) out.push({ x1, y1, x2, y2 });
}

/** A filled shape that is a thin bar (a border drawn as a filled rectangle) as a rule along its middle. */
function thinBar(points: readonly [number, number][], out: Rule[]): void {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  if (y1 - y0 <= THIN && x1 - x0 > THIN) out.push({ x1: x0, y1: (y0 + y1) / 2, x2: x1, y2: (y0 + y1) / 2 });
  else if (x1 - x0 <= THIN && y1 - y0 > THIN) out.push({ x1: (x0 + x1) / 2, y1: y0, x2: (x0 + x1) / 2, y2: y1 });
}
