// A Word .docx → blocks. The body (word/document.xml) is walked once, in document order:
// paragraphs with the list number Word draws in front of them written into their text ("一、",
// "(1)": a typed plan has them in the text, a Word plan only in numbering.xml), heading levels
// from the paragraph styles, and tables as rows of cells with their merges. What Word shows is
// what we read: deleted revisions, field codes and hidden runs are not text; inserted revisions
// and field results are. Headers, footers, footnotes and comments live in other parts and are
// never opened.

import { CIRCLED } from "../chinese.js";
import type { DocBlock, DocCell, DocParagraph, ReadDocument } from "../document.js";
import { diagnostic } from "../diagnostics.js";
import type { Diagnostic } from "../types.js";
import { SKIP, type XmlAttrs, type XmlElement, childElement, childElements, decodeXml, localName, parseXml, walkXml } from "./xml.js";
import { createNumberer, intOf, isOn, namespacePrefix, type Numbering, qualifier, readNumbering } from "./docx-numbering.js";
import { readZip } from "./zip.js";

const MB = 1024 * 1024;
/** Most word/document.xml (or styles.xml, numbering.xml) may inflate to: a long plan is a few MB. */
export const DOCX_MAX_PART = 64 * MB;
/** Most the parts we read may inflate to together. */
export const DOCX_MAX_TOTAL = 200 * MB;

const KIND = "Word 文档";
const DOCUMENT_PART = "word/document.xml";
const STYLES_PART = "word/styles.xml";
const NUMBERING_PART = "word/numbering.xml";
const PARTS = new Set([DOCUMENT_PART, STYLES_PART, NUMBERING_PART]);


export function readDocx(bytes: Uint8Array): ReadDocument {
  const zip = readZip(bytes, { want: (name) => PARTS.has(name), maxEntry: DOCX_MAX_PART, maxTotal: DOCX_MAX_TOTAL, kind: KIND });
  if (!zip.ok) return failed(zip.diagnostic);
  const document = zip.entries.get(DOCUMENT_PART);
  if (!document) return failed(diagnostic("FILE_CORRUPT", { kind: KIND }));
  const part = (name: string) => {
    const data = zip.entries.get(name);
    return data ? parseXml(decodeXml(data)) : null;
  };
  const styles = readStyles(part(STYLES_PART));
  const numbering = readNumbering(part(NUMBERING_PART));
  const blocks = readBody(decodeXml(document), styles, numbering);
  if (!blocks) return failed(diagnostic("FILE_CORRUPT", { kind: KIND }));
  return { format: "docx", blocks, meta: {}, diagnostics: [] };
}

function failed(d: Diagnostic): ReadDocument {
  return { format: "docx", blocks: [], meta: {}, diagnostics: [d] };
}

// ---------------------------------------------------------------------------------------------
// Styles: a paragraph style gives a heading level and may carry a list (Word's "multilevel list
// linked to 标题 1"). Both are inherited through w:basedOn.

interface StyleProps {
  heading?: number;
  numId?: string;
  ilvl?: number;
}

interface Styles {
  byId: Map<string, StyleProps>;
  /** The style of a paragraph that names none. */
  fallback: StyleProps;
}

const HEADING_NAME = /^(?:heading|标题)\s*([1-9])$/i;
/** w:outlineLvl 9 is body text; 0–8 are heading levels 1–9. */
const BODY_OUTLINE_LEVEL = 9;
const MAX_BASED_ON = 20;

function headingOf(outlineLevel: number): number | undefined {
  return outlineLevel >= 0 && outlineLevel < BODY_OUTLINE_LEVEL ? outlineLevel + 1 : undefined;
}

function readStyles(root: XmlElement | null): Styles {
  const byId = new Map<string, StyleProps>();
  if (!root) return { byId, fallback: {} };
  const w = qualifier(root.attrs);
  const raw = new Map<string, { basedOn?: string; own: StyleProps }>();
  let defaultId: string | undefined;
  for (const style of childElements(root, w("style"))) {
    if (style.attrs[w("type")] !== "paragraph") continue;
    const id = style.attrs[w("styleId")];
    if (id === undefined) continue;
    if (isOn(style.attrs[w("default")]) && style.attrs[w("default")] !== undefined) defaultId = id;
    const pPr = childElement(style, w("pPr"));
    const numPr = pPr && childElement(pPr, w("numPr"));
    const outline = intOf(pPr && childElement(pPr, w("outlineLvl"))?.attrs[w("val")]);
    const name = childElement(style, w("name"))?.attrs[w("val")] ?? "";
    const named = HEADING_NAME.exec(name.trim());
    const own: StyleProps = {};
    // An outline level decides, even "body text" (9), which undoes a heading level inherited.
    if (outline !== undefined) own.heading = headingOf(outline);
    else if (named) own.heading = Number(named[1]);
    const numId = numPr && childElement(numPr, w("numId"))?.attrs[w("val")];
    if (numId !== undefined) own.numId = numId;
    const ilvl = intOf(numPr && childElement(numPr, w("ilvl"))?.attrs[w("val")]);
    if (ilvl !== undefined) own.ilvl = ilvl;
    const basedOn = childElement(style, w("basedOn"))?.attrs[w("val")];
    raw.set(id, basedOn === undefined ? { own } : { basedOn, own });
  }
  for (const id of raw.keys()) {
    const chain: StyleProps[] = [];
    for (let at: string | undefined = id; at !== undefined && chain.length < MAX_BASED_ON; at = raw.get(at)?.basedOn) {
      const entry = raw.get(at);
      if (!entry) break;
      chain.push(entry.own);
    }
    byId.set(id, Object.assign({}, ...chain.reverse()) as StyleProps);
  }
  return { byId, fallback: (defaultId !== undefined && byId.get(defaultId)) || {} };
}


// ---------------------------------------------------------------------------------------------
// The body.

interface ParagraphState {
  runs: string[];
  style?: string;
  numId?: string;
  ilvl?: number;
  outline?: number;
  /** The list number, drawn when the paragraph's properties are known (document order). */
  number?: string;
}

interface CellState {
  paragraphs: DocParagraph[];
  span: number;
  continued: boolean;
  /** w:hMerge continue: the cell belongs to the one on its left. */
  mergedLeft: boolean;
}

interface RowState {
  cells: DocCell[];
  header: boolean;
  deleted: boolean;
  gridBefore: number;
}

interface TableState {
  rows: DocCell[][];
  headerRows: number;
  /** Still in the leading run of header rows. */
  inHeader: boolean;
  row?: RowState;
}

/** Where finished paragraphs and tables go: the body, or the cell being read. */
type Sink = { kind: "body"; blocks: DocBlock[] } | { kind: "cell"; cell: CellState };

/** Elements whose content Word does not show as text, or which describe an earlier revision. */
const SKIPPED = new Set([
  "del", "moveFrom", "delText", "instrText", "delInstrText", "pPrChange", "rPrChange", "tblPrChange", "trPrChange",
  "tcPrChange", "sectPrChange", "tblGridChange", "numberingChange", "sectPr", "sdtPr", "sdtEndPr",
  "footnoteReference", "endnoteReference", "commentReference",
]);

/** Symbol-font characters (w:sym) live in the private use area; they draw glyphs, not text. */
const SYMBOL_FONT_AREA = 0xf000;
/** Fields nest a few deep (a PAGEREF inside a TOC); deeper ones are read as plain text. */
const MAX_FIELD_DEPTH = 16;
/** Tables nest a few deep; the cells of deeper ones are read as lines of the enclosing cell. */
const MAX_TABLE_DEPTH = 8;
/** Marks a path entry outside the WordprocessingML namespace (mc:, wps:, v:…), so it equals no local name. */
const FOREIGN = "~";

/**
 * The body's blocks, or null when document.xml is not well-formed XML. Elements are told apart by
 * their local name within the WordprocessingML namespace (the path holds those names), so the
 * walk compares literals, not prefixed names built per element.
 */
function readBody(xml: string, styles: Styles, numbering: Numbering): DocBlock[] | null {
  let prefix: string | null = null;
  let attr = attributeNames("w:");
  const body: Sink = { kind: "body", blocks: [] };
  const sinks: Sink[] = [body];
  const path: string[] = [];
  const paragraphs: ParagraphState[] = [];
  const tables: TableState[] = [];
  const fields: ("code" | "result")[] = [];
  /** Fields and tables nested past their limit, whose end tags are still to come. */
  let extraFields = 0;
  let extraTables = 0;
  const number = createNumberer(numbering);
  let hiddenRun = false;

  const parent = (up = 1) => path[path.length - up];
  const paragraph = () => paragraphs[paragraphs.length - 1];
  /** The row being read; none inside a table nested too deep, whose rows are not kept. */
  const row = () => (extraTables ? undefined : tables[tables.length - 1]?.row);
  const sink = () => sinks[sinks.length - 1] as Sink;
  const inParagraphProps = () => parent() === "pPr" && parent(2) === "p";
  const append = (text: string) => {
    const p = paragraph();
    if (p && !hiddenRun && fields.every((f) => f === "result")) p.runs.push(text);
  };
  const styleOf = (p: ParagraphState) => (p.style !== undefined && styles.byId.get(p.style)) || styles.fallback;

  const drawNumber = (p: ParagraphState) => {
    if (p.number !== undefined) return;
    const style = styleOf(p);
    const numId = p.numId ?? style.numId;
    p.number = "";
    if (numId === undefined || numId === "0") return;
    const ilvl = p.ilvl ?? style.ilvl ?? levelOfStyle(numbering, numId, p.style) ?? 0;
    p.number = number(numId, ilvl);
  };

  const finishParagraph = (p: ParagraphState) => {
    drawNumber(p);
    // A field whose code runs past its paragraph is broken; show what follows rather than hide it all.
    for (let i = 0; i < fields.length; i++) fields[i] = "result";
    const text = (p.number ?? "") + p.runs.join("");
    if (!text.trim()) return;
    const target = sink();
    if (target.kind === "cell") {
      target.cell.paragraphs.push({ kind: "paragraph", text });
      return;
    }
    const heading = p.outline !== undefined ? headingOf(p.outline) : styleOf(p).heading;
    target.blocks.push(heading === undefined ? { kind: "paragraph", text } : { kind: "paragraph", text, heading });
  };

  const finishCell = () => {
    const s = sinks.length > 1 ? sinks.pop() : undefined;
    const r = row();
    if (s?.kind !== "cell" || !r) return;
    const text = s.cell.paragraphs.map((p) => p.text.trim()).join("\n");
    const previous = r.cells[r.cells.length - 1];
    if (s.cell.mergedLeft && previous) previous.span = (previous.span ?? 1) + s.cell.span;
    else r.cells.push(cellOf(text, s.cell));
  };

  const finishRow = () => {
    const t = tables[tables.length - 1];
    const r = t?.row;
    if (!t || !r) return;
    t.row = undefined;
    if (r.deleted) return;
    // Grid columns skipped before the first cell are an empty cell, so the others keep their column.
    const skipped: DocCell[] = r.gridBefore > 1 ? [{ text: "", span: r.gridBefore }] : r.gridBefore === 1 ? [{ text: "" }] : [];
    t.rows.push([...skipped, ...r.cells]);
    if (t.inHeader && r.header) t.headerRows++;
    else t.inHeader = false;
  };

  const finishTable = (t: TableState) => {
    const target = sink();
    const only = t.rows.length === 1 && t.rows[0]?.length === 1 ? t.rows[0][0] : undefined;
    if (target.kind === "cell") {
      // A table inside a cell: its cells become lines of the outer cell, row by row.
      for (const cells of t.rows) {
        for (const cell of cells) if (!cell.continued && cell.text) target.cell.paragraphs.push({ kind: "paragraph", text: cell.text });
      }
    } else if (only) {
      // A one-cell table is a frame drawn around text, not a table.
      for (const text of only.text.split("\n")) if (text) target.blocks.push({ kind: "paragraph", text });
    } else if (t.rows.length) {
      target.blocks.push({ kind: "table", rows: t.rows, headerRows: t.headerRows });
    }
  };

  /** Handles a WordprocessingML element by its local name; returns SKIP to pass over its content. */
  const openWord = (local: string, attrs: XmlAttrs): void | typeof SKIP => {
    if (SKIPPED.has(local)) {
      if (local === "del" && parent() === "trPr") {
        const r = row();
        if (r) r.deleted = true;
      }
      return SKIP;
    }
    const val = attrs[attr.val];
    const p = paragraph();
    switch (local) {
      case "p":
        paragraphs.push({ runs: [] });
        break;
      case "pStyle":
        if (p && inParagraphProps()) p.style = val;
        break;
      case "outlineLvl":
        if (p && inParagraphProps()) p.outline = intOf(val);
        break;
      case "numId":
      case "ilvl":
        if (p && parent() === "numPr" && parent(2) === "pPr" && parent(3) === "p") {
          if (local === "numId") p.numId = val;
          else p.ilvl = intOf(val);
        }
        break;
      case "r":
        hiddenRun = false;
        break;
      case "vanish":
        if (parent() === "rPr" && parent(2) === "r") hiddenRun = isOn(val);
        break;
      case "tab":
      case "ptab":
        if (parent() === "r") append(" ");
        break;
      case "br":
      case "cr":
        if (parent() === "r") append("\n");
        break;
      case "noBreakHyphen":
        if (parent() === "r") append("-");
        break;
      case "sym": {
        const code = Number.parseInt(attrs[attr.char] ?? "", 16);
        if (parent() === "r" && code > 0 && code < SYMBOL_FONT_AREA) append(String.fromCharCode(code));
        break;
      }
      case "fldChar": {
        const type = attrs[attr.fldCharType];
        if (type === "begin" && fields.length < MAX_FIELD_DEPTH) fields.push("code");
        else if (type === "begin") extraFields++;
        else if (type === "separate" && fields.length && !extraFields) fields[fields.length - 1] = "result";
        else if (type === "end" && extraFields) extraFields--;
        else if (type === "end") fields.pop();
        break;
      }
      case "tbl":
        if (tables.length < MAX_TABLE_DEPTH && !extraTables) tables.push({ rows: [], headerRows: 0, inHeader: true });
        else extraTables++;
        break;
      case "tr": {
        if (extraTables) break;
        const t = tables[tables.length - 1];
        if (t) t.row = { cells: [], header: false, deleted: false, gridBefore: 0 };
        break;
      }
      case "tblHeader":
      case "gridBefore": {
        const r = parent() === "trPr" ? row() : undefined;
        if (r && local === "tblHeader") r.header = isOn(val);
        if (r && local === "gridBefore") r.gridBefore = Math.max(0, intOf(val) ?? 0);
        break;
      }
      case "tc":
        if (extraTables) break;
        sinks.push({ kind: "cell", cell: { paragraphs: [], span: 1, continued: false, mergedLeft: false } });
        break;
      case "gridSpan":
      case "vMerge":
      case "hMerge": {
        const s = sink();
        if (parent() !== "tcPr" || s.kind !== "cell" || extraTables) break;
        if (local === "gridSpan") s.cell.span = Math.max(1, intOf(val) ?? 1);
        else if (local === "vMerge") s.cell.continued = val === undefined || val === "continue";
        else s.cell.mergedLeft = val === undefined || val === "continue";
        break;
      }
    }
  };

  // mc:AlternateContent offers the same content twice (a text box as DrawingML, then as VML): read the first.
  const openForeign = (name: string): void | typeof SKIP =>
    localName(name) === "Fallback" && localName(parent() ?? "") === "AlternateContent" ? SKIP : undefined;

  const open = (name: string, attrs: XmlAttrs): void | typeof SKIP => {
    if (prefix === null) {
      prefix = namespacePrefix(attrs);
      attr = attributeNames(prefix);
    }
    const isWord = name.startsWith(prefix) && name.indexOf(":", prefix.length) < 0;
    const result = isWord ? openWord(name.slice(prefix.length), attrs) : openForeign(name);
    path.push(isWord ? name.slice(prefix.length) : FOREIGN + name);
    return result;
  };

  const close = () => {
    const local = path.pop();
    switch (local) {
      case "pPr": {
        const p = paragraph();
        if (p && parent() === "p") drawNumber(p);
        break;
      }
      case "p": {
        const p = paragraphs.pop();
        if (p) finishParagraph(p);
        break;
      }
      case "r":
        hiddenRun = false;
        break;
      case "tc":
        if (!extraTables) finishCell();
        break;
      case "tr":
        if (!extraTables) finishRow();
        break;
      case "tbl": {
        if (extraTables) extraTables--;
        else {
          const t = tables.pop();
          if (t) finishTable(t);
        }
        break;
      }
    }
  };

  const text = (value: string) => {
    if (parent() === "t" && parent(2) === "r") append(value);
  };

  const wellFormed = walkXml(xml, { open, close, text });
  return wellFormed && prefix !== null ? body.blocks : null;
}

/** The prefix ("w:", or "" for a default namespace) the root element binds to WordprocessingML. */

function attributeNames(prefix: string) {
  return { val: `${prefix}val`, char: `${prefix}char`, fldCharType: `${prefix}fldCharType` };
}

function cellOf(text: string, cell: CellState): DocCell {
  const out: DocCell = { text };
  if (cell.continued) out.continued = true;
  if (cell.span > 1) out.span = cell.span;
  return out;
}

/** A style linked to a list without a level is the level whose w:pStyle names the style. */
function levelOfStyle(numbering: Numbering, numId: string, style: string | undefined): number | undefined {
  if (style === undefined) return undefined;
  const num = numbering.nums.get(numId);
  const levels = num ? numbering.abstracts.get(num.abstractId) : undefined;
  const found = levels?.findIndex((l) => l?.style === style) ?? -1;
  return found >= 0 ? found : undefined;
}
