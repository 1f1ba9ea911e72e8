// Stage 6: an outline → a Plan. Chooses the task level, walks the tree into sections and tasks,
// and runs the field extractors (units, deadlines, targets) over each task's own text. Every
// field leaves with its offsets in the source text and the quote found there.

import { findDeadlines } from "./deadlines.js";
import { diagnostic } from "./diagnostics.js";
import type { RenderedTable } from "./document.js";
import { ISSUED_TITLE, readMetadata } from "./metadata.js";
import { type Normalized, sourceSpan, toSource } from "./normalize.js";
import { countMeasures, RANK } from "./numbering.js";
import { type Outline, type OutlineNode, outline } from "./outline.js";
import type { Locate } from "./positions.js";
import type { Line } from "./read.js";
import { cleanTitle, type PartSlice } from "./split.js";
import { type CellRole, type TableTask, type TaskCell, tableOutline } from "./table-outline.js";
import { findTargets } from "./targets.js";
import type { Deadline, DeadlineHit, Diagnostic, Plan, Section, Target, TargetHit, Task, UnitHit, UnitRef } from "./types.js";
import { declaresFirstListedLead, findUnits, unitsFromColumn } from "./units.js";

export interface ExtractContext {
  /** File name of the input, for Plan.source. */
  source: string;
  /** The source text (decoded, as written) and its normalized form. */
  original: string;
  normalized: Normalized;
  locate: Locate;
  chrome: readonly Line[];
  /** The document's first line, a news report's headline when no plan title is found. */
  headline: Line | null;
  /** The tables of a reader's document, whose cells the lines are tagged with (none for plain text). */
  tables?: readonly RenderedTable[];
}

export function extractPlan(part: PartSlice, index: number, ctx: ExtractContext): { plan: Plan; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  // A part whose tasks stand in a reader's table is read by its rows and columns.
  const tree = (ctx.tables?.length ? tableOutline(part.lines, ctx.tables) : null) ?? outline(part.lines);
  const titleLine = part.title ?? ctx.headline;
  // With no title line of its own, a plan issued by a notice is named inside the notice's 《》.
  const issued = part.title ? null : issuedTitle([...part.preamble, ...(ctx.headline ? [ctx.headline] : [])]);
  const title = issued ?? (titleLine ? cleanTitle(titleLine.text) : "");
  if (!part.title && !issued && titleLine) {
    diagnostics.push(diagnostic("TITLE_GUESSED", { title }, place(ctx, titleLine.start, titleLine.end)));
  }
  // "注:排名第一的为牵头单位" anywhere in the plan makes the first unit of every task its lead.
  const firstListedLeads = [...part.preamble, ...part.lines, ...part.closing].some((l) => declaresFirstListedLead(l.text));

  const meta = readMetadata({
    title,
    titled: part.title !== null,
    wrapper: part.preamble,
    intro: tree.preamble,
    tail: part.closing,
    body: part.lines,
    chrome: ctx.chrome,
  });
  if (meta.year === null) diagnostics.push(diagnostic("YEAR_UNKNOWN"));

  const taskRank = chooseTaskRank(tree);
  const sections: Section[] = [];
  const tasks: Task[] = [];
  const walk = (nodes: readonly OutlineNode[], path: readonly string[], inherited: readonly UnitRef[]) => {
    for (const node of nodes) {
      const here = [...path, node.marker.label];
      if (node.marker.rank < taskRank) {
        sections.push({
          path: here.join("/"),
          title: node.title,
          ...sourceSpan(ctx.normalized, node.titleStart, node.titleEnd),
          line: node.line.index + 1,
        });
        // An office's block and a section's 责任单位 note both answer for every task below.
        const units = [...inherited, ...blockUnits(node, ctx), ...sectionNoteUnits(node, ctx)];
        // A section with no items at the task level has its (1)(2) items as its tasks.
        const items = hasRank(node, taskRank) ? [] : node.children.filter((c) => c.marker.rank === RANK["num-paren"]);
        if (items.length) {
          for (const item of items) tasks.push(buildTask(item, [...here, item.marker.label], tree, meta.year, ctx, units, firstListedLeads));
        }
        else walk(node.children, here, units);
      } else if (node.marker.rank === taskRank) {
        tasks.push(buildTask(node, here, tree, meta.year, ctx, [...inherited, ...blockUnits(node, ctx)], firstListedLeads));
      }
    }
  };
  walk(tree.roots, [], []);
  checkNumbering(tasks, diagnostics);

  const first = part.title ?? part.lines[0];
  const last = part.lines[part.lines.length - 1];
  const plan: Plan = {
    source: ctx.source,
    part: index + 1,
    title,
    issuer: meta.issuer,
    doc_number: meta.doc_number,
    year: meta.year,
    date: meta.date,
    sections,
    tasks,
    ...(first && last ? sourceSpan(ctx.normalized, first.start, last.end) : { start: 0, end: 0 }),
  };
  return { plan, diagnostics };
}

/** The task level: the Arabic-numbered items if there are any, else the deepest Chinese level. */
function chooseTaskRank(tree: Outline): number {
  let deepest = 0;
  const visit = (nodes: readonly OutlineNode[]) => {
    for (const n of nodes) {
      if (n.marker.rank <= RANK.num) deepest = Math.max(deepest, n.marker.rank);
      visit(n.children);
    }
  };
  visit(tree.roots);
  return deepest || RANK.num;
}

/**
 * The units a section's own note names ("(二)落实立德树人根本任务(责任单位:德育与体卫艺科)", or a
 * note line under the heading): they answer for every task in the section. Sentences in a section's
 * lead are not taken, only notes.
 */
function sectionNoteUnits(node: OutlineNode, ctx: ExtractContext): UnitRef[] {
  const n = ctx.normalized;
  const end = node.children[0]?.line.start ?? node.end;
  const text = n.text.slice(node.line.start, end);
  return findUnits(text)
    .filter((u) => u.via === "note")
    .map((u) => ({ name: u.name, lead: u.lead, via: u.via, ...span(ctx, node.line.start + u.start, node.line.start + u.end) }));
}

/** The office a section (or a flat plan's task) is named for, as a unit of its tasks. */
function blockUnits(node: OutlineNode, ctx: ExtractContext): UnitRef[] {
  const b = node.block;
  return b ? [{ name: b.name, lead: false, via: "block", ...span(ctx, b.start, b.end) }] : [];
}

function hasRank(node: OutlineNode, rank: number): boolean {
  return node.children.some((c) => c.marker.rank === rank || hasRank(c, rank));
}

function buildTask(
  node: OutlineNode,
  path: readonly string[],
  tree: Outline,
  year: number | null,
  ctx: ExtractContext,
  inherited: readonly UnitRef[],
  firstListedLeads: boolean,
): Task {
  const n = ctx.normalized;
  const start = node.line.start;
  const end = node.end;
  const found = node.task ? cellFields(node, node.task, year, ctx, firstListedLeads) : textFields(node, tree, year, ctx, firstListedLeads);
  const unitRefs = found.units;
  // What the sections above answer for comes first (their office, their note), whatever else the
  // task names itself.
  for (let k = inherited.length - 1; k >= 0; k--) {
    const u = inherited[k] as UnitRef;
    if (!unitRefs.some((r) => r.name === u.name)) unitRefs.unshift(u);
  }

  const deadlines: Deadline[] = found.deadlines.map((d) => {
    const q = quoted(ctx, d.start, d.end);
    return { date: d.date, quote: q.quote, start: q.start, end: q.end };
  });

  // A target the title states and the body repeats is the body's.
  const hits = found.targets;
  const body = hits.filter((h) => h.start >= node.titleEnd);
  const targets: Target[] = hits
    .filter((h) => h.start >= node.titleEnd || !body.some((b) => sameTarget(b, h)))
    .map((h) => {
      const q = quoted(ctx, h.start, h.end);
      return h.value_max !== undefined
        ? { value: h.value, value_max: h.value_max, unit: h.unit, bound: h.bound, quote: q.quote, start: q.start, end: q.end }
        : { value: h.value, unit: h.unit, bound: h.bound, quote: q.quote, start: q.start, end: q.end };
    });

  const bodyText = n.text.slice(node.titleEnd, end);
  const titleSpan = sourceSpan(n, node.titleStart, node.titleEnd);
  const taskSpan = sourceSpan(n, start, end);
  const number = String(node.marker.ordinal);
  return {
    path: path.join("/"),
    number,
    title: node.title,
    measures: countMeasures(bodyText) || found.measureRows,
    units: unitRefs.map((u) => u.name),
    lead_units: unitRefs.filter((u) => u.lead).map((u) => u.name),
    deadlines,
    targets,
    start: taskSpan.start,
    end: taskSpan.end,
    // The line's own index: normalizing keeps the lines as they are (CRLF and CR alike end one).
    line: node.line.index + 1,
    title_start: titleSpan.start,
    title_end: titleSpan.end,
    unit_refs: unitRefs,
  };
}

/** A task's fields as found, before quoting: hits at offsets in the normalized text, units already placed in the source. */
interface Found {
  units: UnitRef[];
  deadlines: DeadlineHit[];
  targets: TargetHit[];
  /** Measures counted by the table rows they fill, when the text numbers none (0: not a table task over several rows). */
  measureRows: number;
}

/** A task read from text: every field from its whole text, and a flattened table's 责任单位 cells. */
function textFields(node: OutlineNode, tree: Outline, year: number | null, ctx: ExtractContext, firstListedLeads: boolean): Found {
  const n = ctx.normalized;
  const start = node.line.start;
  const text = n.text.slice(start, node.end);
  // (Speed: explicit keys rather than spreads, here and below, in the same order.)
  const units: UnitRef[] = findUnits(text, { firstListedLeads }).map((u) => {
    const s = sourceSpan(n, start + u.start, start + u.end);
    return { name: u.name, lead: u.lead, via: u.via, start: s.start, end: s.end };
  });
  if (tree.table) {
    for (const u of columnUnits(node, firstListedLeads || leadsFirst(tree.columns))) {
      if (!units.some((r) => r.name === u.name)) units.push({ ...u, ...span(ctx, u.start, u.end) });
    }
  }
  if (units.length > 1) units.sort((a, b) => a.start - b.start);
  return {
    units,
    deadlines: shifted(findDeadlines(text, year), start),
    targets: shifted(findTargets(text), start),
    measureRows: 0,
  };
}

/** Hits found in a slice of the normalized text that starts at `offset`, placed in the whole text. */
function shifted<T extends { start: number; end: number }>(hits: T[], offset: number): T[] {
  for (const h of hits) {
    h.start += offset;
    h.end += offset;
  }
  return hits;
}

/** Cells whose free text may assign the task to a body in a note or a sentence ("由教研室牵头"). */
const UNIT_TEXT: ReadonlySet<CellRole> = new Set(["title", "measure", "other"]);
/** Cells whose text states what the task commits to: its deadlines (after the 完成时限 cells) and targets. */
const COMMITMENT_TEXT: ReadonlySet<CellRole> = new Set(["title", "measure", "target"]);
const UNIT_COLUMNS: ReadonlySet<CellRole> = new Set(["lead", "support", "unit"]);

/**
 * A task read from a table row: units from its unit columns as their headings say (牵头 leads,
 * 配合 supports) and from notes and sentences in its free text, never a measure cell taken whole
 * for a name; deadlines from its 完成时限 cells, then from its title, measures and targets; targets
 * from its title, measures and 量化目标 cells.
 */
function cellFields(node: OutlineNode, task: TableTask, year: number | null, ctx: ExtractContext, firstListedLeads: boolean): Found {
  const units: UnitRef[] = [];
  // (The keys in the order each path of the text outline gives them, so the goldens read the same.)
  const add = (u: UnitRef) => {
    if (!units.some((r) => r.name === u.name)) units.push(u);
  };
  for (const cell of task.cells) {
    if (UNIT_COLUMNS.has(cell.role)) for (const u of columnCellUnits(cell, task, firstListedLeads)) add({ ...u, ...span(ctx, u.start, u.end) });
  }
  const deadlines: DeadlineHit[] = [];
  for (const cell of task.cells) if (cell.role === "deadline") deadlines.push(...inCell(cell, ctx, (t) => findDeadlines(t, year)));
  const targets: TargetHit[] = [];
  for (const cell of task.cells) {
    if (UNIT_TEXT.has(cell.role)) {
      for (const u of inCell(cell, ctx, (t) => findUnits(t, { firstListedLeads }))) add({ name: u.name, lead: u.lead, via: u.via, ...span(ctx, u.start, u.end) });
    }
    if (!COMMITMENT_TEXT.has(cell.role)) continue;
    deadlines.push(...inCell(cell, ctx, (t) => findDeadlines(t, year)));
    targets.push(...inCell(cell, ctx, findTargets));
  }
  // The leads first, then the others, each in the order the row gives them.
  units.sort((a, b) => Number(b.lead) - Number(a.lead) || a.start - b.start);
  return { units, deadlines, targets, measureRows: task.measureRows > 1 ? task.measureRows : 0 };
}

/** What `find` finds in one cell's text, at offsets in the whole normalized text. */
function inCell<T extends { start: number; end: number }>(cell: TaskCell, ctx: ExtractContext, find: (text: string) => T[]): T[] {
  const from = (cell.lines[0] as Line).start;
  const to = (cell.lines[cell.lines.length - 1] as Line).end;
  return shifted(find(ctx.normalized.text.slice(from, to)), from);
}

/** The bodies a unit column's cell names; a 牵头 column's lead, a 责任单位 column's first when the plan says the first listed leads. */
function columnCellUnits(cell: TaskCell, task: TableTask, firstListedLeads: boolean): UnitHit[] {
  const firstLeads = cell.role === "unit" && task.singleUnitColumn && firstListedLeads;
  const hits = unitsFromColumn(cell.lines.map((l) => ({ text: l.text, start: l.start })), { firstListedLeads: firstLeads });
  if (cell.role === "lead") for (const h of hits) h.lead = true;
  return hits;
}

/** "关于印发《2024年…任务分解》的通知": the plan's title, from inside the brackets. */
function issuedTitle(lines: readonly Line[]): string | null {
  for (const line of lines) {
    const m = ISSUED_TITLE.exec(line.text);
    if (m) return cleanTitle((m[1] as string).replace(/\s+/g, ""));
  }
  return null;
}

/** A headline that repeats a target of its body states it once. */
function sameTarget(a: { value: number; value_max?: number; unit: string }, b: typeof a): boolean {
  return a.value === b.value && a.value_max === b.value_max && a.unit === b.unit;
}

/**
 * In a flattened table the 责任单位 cell comes last: the short lines that end the task's text and
 * read as names of bodies.
 */
function columnUnits(node: OutlineNode, firstCellLeads: boolean): UnitHit[] {
  // Lines go to the deepest heading open when they come, so the cells that end the row are the
  // last lines of the last heading under the task.
  let last = node;
  while (last.children.length) last = last.children[last.children.length - 1] as OutlineNode;
  const lines = last.lines;
  let from = lines.length;
  while (from > 0) {
    const t = (lines[from - 1] as Line).text;
    if (t.length > MAX_UNIT_CELL || /[。;,:“”]/.test(t)) break;
    from--;
  }
  if (from === lines.length) return []; // speed: no short lines end the row, so no unit cell
  const hits = unitsFromColumn(lines.slice(from).map((l) => ({ text: l.text, start: l.start })));
  if (firstCellLeads && hits[0]) {
    // The 牵头单位 cell is the first unit cell of the row: every unit on its first line leads.
    const first = lines.slice(from).find((l) => l.end > (hits[0] as UnitHit).start);
    for (const h of hits) if (first && h.start < first.end) h.lead = true;
  }
  return hits;
}

/** Longest line of a 责任单位 cell (several names with 、). */
const MAX_UNIT_CELL = 60;

/** A table with a 牵头单位 column before its other unit columns: the first unit cell leads. */
function leadsFirst(columns: readonly string[]): boolean {
  const lead = columns.findIndex((c) => /^牵头(?:单位|部门|科室|处室)$/.test(c));
  return lead >= 0 && !columns.slice(0, lead).some((c) => /单位|部门|科室|处室/.test(c));
}

function checkNumbering(tasks: readonly Task[], diagnostics: Diagnostic[]): void {
  for (let i = 1; i < tasks.length; i++) {
    const prev = Number((tasks[i - 1] as Task).number);
    const cur = Number((tasks[i] as Task).number);
    if (cur > prev + 1) diagnostics.push(diagnostic("NUMBERING_GAP", { from: prev, to: cur }));
  }
}

function span(ctx: ExtractContext, start: number, end: number): { start: number; end: number } {
  return sourceSpan(ctx.normalized, start, end);
}

function quoted(ctx: ExtractContext, start: number, end: number): { quote: string; start: number; end: number } {
  const s = span(ctx, start, end);
  return { quote: ctx.original.slice(s.start, s.end), start: s.start, end: s.end };
}

function place(ctx: ExtractContext, start: number, end: number) {
  const s = sourceSpan(ctx.normalized, start, end);
  return ctx.locate(s.start, s.end);
}
