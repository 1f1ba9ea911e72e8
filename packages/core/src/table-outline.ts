// A plan whose tasks stand in a reader's table (a .docx, .xlsx, .csv, .html or ruled .pdf 任务
// 分解表) is outlined from the table's rows and columns, not guessed back from its rendered text as
// a table flattened to text must be: a category column (类别, or a leading column merged down its
// rows) gives the sections, each body row a task titled from its task column, a row whose task cell
// is merged with the one above adds to that task, and a row with nothing but a heading across it is
// a section. Each task keeps its cells with what their columns hold, so extract.ts reads units,
// deadlines and targets from the cells that hold them. Lines outside the table, and tables of no
// tasks, go through the text outline.

import { chineseOrdinal, ordinalOf } from "./chinese.js";
import type { RenderedTable, TableColumn } from "./document.js";
import { lineMarker, type Marker, RANK } from "./numbering.js";
import { closeEnd, headingNode, isFragment, isHeaderCell, type Outline, type OutlineNode, outline } from "./outline.js";
import type { Line } from "./read.js";
import { looksLikeUnitName } from "./units.js";

/** What a column gives the task of its row. */
export type CellRole = "category" | "index" | "title" | "measure" | "lead" | "support" | "unit" | "deadline" | "target" | "other";

/** One cell of a task's row (or of one of its rows): its lines and what its column holds. */
export interface TaskCell {
  role: CellRole;
  column: number;
  lines: Line[];
  /** A merged cell of a row above that covers this task's row too (one 牵头单位 for two tasks). */
  inherited: boolean;
}

/** A task read from a table: its cells in text order, inherited ones where the row has them. */
export interface TableTask {
  cells: TaskCell[];
  /** Rows with a measure cell the task fills (more than one: its task cell is merged down them). */
  measureRows: number;
  /**
   * The table has one 责任单位-like column and no 牵头 column: its first unit leads when the plan
   * says the first listed leads (排名第一的为牵头单位).
   */
  singleUnitColumn: boolean;
}

/** Headings of a column that groups the tasks. */
const CATEGORY_HEADING = /类别|分类|类型|板块|领域|方面|大类|^项目$/;
/** Headings of a column of quantified targets (量化目标, 考核指标, 目标值). */
const TARGET_HEADING = /目标|指标/;
const LEAD_HEADING = /牵头|主责|主办/;
const SUPPORT_HEADING = /配合|协办|协助|参与|协同/;
/** A column of people (责任领导, 责任人, 联系人), not of bodies, unless it names bodies too. */
const PERSON_HEADING = /领导|责任人|联系人/;
const BODY_HEADING = /单位|部门|科室|处室|股室/;
/** The largest number chineseOrdinal writes. */
const MAX_CN_ORDINAL = 99;
/** A Chinese section number alone in its cell: "一", "一、". */
const CN_NUMBER_ONLY = /^([一二三四五六七八九十]{1,3})[、.]?$/;
/** Nested category columns read as sections (一级 and 二级 类别); more are plain columns. */
const MAX_CATEGORY_LEVELS = 2;
/** Body rows a table needs to be a task table. */
const MIN_BODY_ROWS = 2;
/** A heading across the row without a number spans at least this share of the table's width. */
const ACROSS_SHARE = 0.5;

/** The roles of a table's columns, read from its header; null when no column holds tasks. */
interface TableRoles {
  roles: CellRole[];
  title: number;
  /** Category columns, outermost first. */
  categories: number[];
  index: number;
  singleUnitColumn: boolean;
}

/** A table the outline reads by rows: a header naming a task (or measure) column, and body rows under it. */
export function isTaskTable(table: RenderedTable): boolean {
  return table.rows.length - table.headerRows >= MIN_BODY_ROWS && titleColumn(table.columns) >= 0;
}

/** The task column: the first task heading (the last grid column under it, when its cell spans several), else the first measure heading. */
function titleColumn(columns: readonly TableColumn[]): number {
  let title = columns.findIndex((c) => c.kind === "task");
  if (title < 0) return columns.findIndex((c) => c.kind === "measure");
  // Seed 002's 工作任务 heading spans the category and the task column.
  const under = (columns[title] as TableColumn).headingStart;
  while (title + 1 < columns.length && (columns[title + 1] as TableColumn).headingStart === under) title++;
  return title;
}

function rolesOf(table: RenderedTable): TableRoles | null {
  const columns = table.columns;
  const title = titleColumn(columns);
  if (title < 0) return null;
  const merged = mergedColumns(table);
  const roles: CellRole[] = columns.map((c, i) => (i === title ? "title" : i < title ? leadingRole(c, columns[title] as TableColumn, merged.has(i)) : trailingRole(c)));
  const categories: number[] = [];
  roles.forEach((role, i) => {
    if (role !== "category") return;
    if (categories.length < MAX_CATEGORY_LEVELS) categories.push(i);
    else roles[i] = "other";
  });
  const units = roles.filter((r) => r === "unit").length;
  return { roles, title, categories, index: roles.indexOf("index"), singleUnitColumn: units === 1 && !roles.includes("lead") };
}

/** A column left of the task column: a category when its heading says so, when it shares the task's heading cell, or when its cells merge down. */
function leadingRole(column: TableColumn, task: TableColumn, merged: boolean): CellRole {
  if (column.kind === "index") return "index";
  if (column.kind === "task" && column.headingStart === task.headingStart) return "category";
  const plain = column.kind === null || column.kind === "other";
  if (plain && (CATEGORY_HEADING.test(column.heading) || merged)) return "category";
  return trailingRole(column);
}

function trailingRole(column: TableColumn): CellRole {
  switch (column.kind) {
    case "task":
    case "measure":
      // A second task column (重点任务 | 工作内容) holds what the task is made of.
      return "measure";
    case "unit":
      return unitRole(column.heading);
    case "deadline":
      return "deadline";
    case "other":
      return TARGET_HEADING.test(column.heading) ? "target" : "other";
    default:
      return "other";
  }
}

function unitRole(heading: string): CellRole {
  if (LEAD_HEADING.test(heading)) return "lead";
  if (SUPPORT_HEADING.test(heading)) return "support";
  if (PERSON_HEADING.test(heading) && !BODY_HEADING.test(heading)) return "other";
  return "unit";
}

/** Grid columns with a body cell merged into the one above. */
function mergedColumns(table: RenderedTable): Set<number> {
  const merged = new Set<number>();
  for (const row of table.rows.slice(table.headerRows)) for (const cell of row) if (cell.continued) merged.add(cell.column);
  return merged;
}

// ---------------------------------------------------------------------------------------------
// The outline

/** One row's lines by grid column, in text order. */
interface RowLines {
  row: number;
  cells: Map<number, Line[]>;
}

/** What is being built: the tree, and where the next node goes. */
interface Builder {
  roots: OutlineNode[];
  preamble: Line[];
  /** Open nodes, outermost first, ranks increasing. */
  stack: OutlineNode[];
  /** Number of the last task, for a task written without one. */
  lastTask: number;
  /** A text run was a table flattened to text (outline.ts's table mode), and its column headings. */
  flattened: boolean;
  columns: string[];
}

/** The table being read: its roles, the open task, the last filled cell of each column. */
interface TableState {
  table: RenderedTable;
  roles: TableRoles;
  /** Ordinal of the last section opened at each category level. */
  sections: number[];
  task: { node: OutlineNode; task: TableTask } | null;
  lastFilled: Map<number, Line[]>;
}

/**
 * The outline of a plan part whose tasks stand in reader tables, or null when they do not: no
 * task table has two body rows in the part, or its lines are not most of the part.
 */
export function tableOutline(lines: readonly Line[], tables: readonly RenderedTable[]): Outline | null {
  const roles = taskTables(lines, tables);
  if (!roles.size) return null;
  const b: Builder = { roots: [], preamble: [], stack: [], lastTask: 0, flattened: false, columns: [] };
  /** The task table a line is a cell of, or -1 for a line of text (or of a table of no tasks). */
  const runOf = (line: Line) => (line.cell && roles.has(line.cell.table) ? line.cell.table : -1);
  let from = 0;
  while (from < lines.length) {
    const at = runOf(lines[from] as Line);
    let to = from + 1;
    while (to < lines.length && runOf(lines[to] as Line) === at) to++;
    const run = lines.slice(from, to);
    if (at >= 0) readTable(b, run, tables[at] as RenderedTable, roles.get(at) as TableRoles);
    else readText(b, run);
    from = to;
  }
  for (const root of b.roots) closeEnd(root);
  return { roots: b.roots, preamble: b.preamble, table: b.flattened, columns: b.columns };
}

/** The task tables of the part with their roles, when their lines are most of the part. */
function taskTables(lines: readonly Line[], tables: readonly RenderedTable[]): Map<number, TableRoles> {
  const bodyRows = new Map<number, Set<number>>();
  for (const line of lines) {
    const cell = line.cell;
    const table = cell ? tables[cell.table] : undefined;
    if (!cell || !table || cell.row < table.headerRows) continue;
    let rows = bodyRows.get(cell.table);
    if (!rows) bodyRows.set(cell.table, (rows = new Set()));
    rows.add(cell.row);
  }
  const found = new Map<number, TableRoles>();
  for (const [t, rows] of bodyRows) {
    const roles = rows.size >= MIN_BODY_ROWS ? rolesOf(tables[t] as RenderedTable) : null;
    if (roles) found.set(t, roles);
  }
  if (!found.size) return found;
  let inTables = 0;
  for (const line of lines) if (line.cell && found.has(line.cell.table)) inTables++;
  return inTables * 2 > lines.length ? found : new Map();
}

/** Lines outside the tables: the text outline reads them, and its headings join the tree where they stand. */
function readText(b: Builder, run: readonly Line[]): void {
  const tree = outline(run);
  if (tree.table && !b.flattened) {
    b.flattened = true;
    b.columns = tree.columns;
  }
  for (const line of tree.preamble) attachText(b, line);
  for (const root of tree.roots) {
    open(b, root);
    // Later lines and nodes go under the deepest heading still open, as in the text outline.
    for (let n = root; n.children.length; ) {
      n = n.children[n.children.length - 1] as OutlineNode;
      b.stack.push(n);
    }
  }
}

/** A text line goes to the deepest open heading that is no table task (whose text is its cells), else to the preamble. */
function attachText(b: Builder, line: Line): void {
  for (let k = b.stack.length - 1; k >= 0; k--) {
    const node = b.stack[k] as OutlineNode;
    if (!node.task) {
      node.lines.push(line);
      return;
    }
  }
  b.preamble.push(line);
}

/** Puts a node under the deepest open node of a higher rank, and opens it. */
function open(b: Builder, node: OutlineNode): void {
  while (b.stack.length && (b.stack[b.stack.length - 1] as OutlineNode).marker.rank >= node.marker.rank) b.stack.pop();
  const parent = b.stack[b.stack.length - 1];
  (parent ? parent.children : b.roots).push(node);
  b.stack.push(node);
}

function readTable(b: Builder, run: readonly Line[], table: RenderedTable, roles: TableRoles): void {
  const st: TableState = { table, roles, sections: [], task: null, lastFilled: new Map() };
  for (const row of byRow(run)) {
    if (row.row < table.headerRows) continue; // the column headings: the roles hold what they say
    readRow(b, st, row);
  }
}

/** The run's lines grouped by row, and in each row by grid column. */
function byRow(run: readonly Line[]): RowLines[] {
  const rows: RowLines[] = [];
  for (const line of run) {
    const cell = line.cell;
    if (!cell) continue;
    let last = rows[rows.length - 1];
    if (!last || last.row !== cell.row) rows.push((last = { row: cell.row, cells: new Map() }));
    const lines = last.cells.get(cell.column);
    if (lines) lines.push(line);
    else last.cells.set(cell.column, [line]);
  }
  return rows;
}

function readRow(b: Builder, st: TableState, row: RowLines): void {
  if (repeatsHeader(row)) return;
  readCells(b, st, row);
  remember(st, row);
}

/** A row's cells: the sections they open, the task they start or go on with. */
function readCells(b: Builder, st: TableState, row: RowLines): void {
  const { roles } = st.roles;
  let opened = false;
  st.roles.categories.forEach((column, level) => {
    const lines = row.cells.get(column);
    if (!lines) return; // merged with the category above, or left blank under it: the same section
    openSection(b, st, level, lines);
    opened = true;
  });
  const rest = [...row.cells.keys()].filter((c) => roles[c] !== "category");
  if (!rest.length) return; // a category cell alone: a heading row
  const across = sectionAcross(st, row, rest);
  if (across) {
    openSection(b, st, 0, across);
    return;
  }
  if (row.cells.has(st.roles.title)) newTask(b, st, row, rest);
  else if (st.task && !opened) continueTask(st, row, rest);
  else for (const c of rest) for (const line of row.cells.get(c) as Line[]) attachText(b, line);
}

/** A row of column headings inside the body (a sheet that starts its header again for a second block). */
function repeatsHeader(row: RowLines): boolean {
  if (row.cells.size < 2) return false;
  for (const lines of row.cells.values()) if (!lines.every((l) => isHeaderCell(l.text))) return false;
  return true;
}

/**
 * Each column's last filled cell, for the merged cells below it. A blank cell ends what is
 * remembered of its column, and a cell spanning several columns of theirs (no merge runs through it).
 */
function remember(st: TableState, row: RowLines): void {
  for (const cell of st.table.rows[row.row] ?? []) {
    const lines = row.cells.get(cell.column);
    if (lines) st.lastFilled.set(cell.column, lines);
    else if (!cell.continued) st.lastFilled.delete(cell.column);
    for (let c = cell.column + 1; c < cell.column + cell.span; c++) st.lastFilled.delete(c);
  }
}

/**
 * The lines of a section heading written as a row of its own: one filled cell that is numbered as
 * a section ("一、", "(一)") or runs across the table, or a Chinese 序号 with a task cell and
 * nothing else ("一" | "党建工作"). Null for any other row.
 */
function sectionAcross(st: TableState, row: RowLines, rest: readonly number[]): Line[] | null {
  const { roles, index, title } = st.roles;
  if (rest.length === 2 && rest[0] === index && rest[1] === title) {
    const number = (row.cells.get(index) as Line[])[0] as Line;
    return CN_NUMBER_ONLY.test(number.text) ? [number, ...(row.cells.get(title) as Line[])] : null;
  }
  if (rest.length !== 1) return null;
  const column = rest[0] as number;
  const lines = row.cells.get(column) as Line[];
  const marker = lineMarker(lines[0] as Line);
  if (marker) return marker.rank <= RANK["cn-paren"] && marker.kind !== "cn-is" ? lines : null;
  const span = st.table.rows[row.row]?.find((g) => g.column === column)?.span ?? 1;
  return span >= 2 && span >= roles.length * ACROSS_SHARE ? lines : null;
}

/** A category cell, or a heading row: a section at its level, numbered as written or by its place. */
function openSection(b: Builder, st: TableState, level: number, lines: readonly Line[]): void {
  const first = lines[0] as Line;
  const written = sectionNumber(first, lines);
  const ordinal = written?.ordinal ?? (st.sections[level] ?? 0) + 1;
  st.sections[level] = ordinal;
  st.sections.length = level + 1;
  // A sheet may group thousands of rows under hundreds of categories; Chinese numerals stop at 99.
  const numeral = ordinal <= MAX_CN_ORDINAL ? chineseOrdinal(ordinal) : String(ordinal);
  const marker: Marker = {
    kind: level === 0 ? "cn" : "cn-paren",
    rank: level === 0 ? RANK.cn : RANK["cn-paren"],
    label: level === 0 ? numeral : `(${numeral})`,
    ordinal,
    contentStart: written?.contentStart ?? 0,
    loose: false,
  };
  // A number alone on the first line ("一、", or "一" in a 序号 cell): the words are on the lines after it.
  const node = headingNode(marker, first, lines.slice(1));
  if (looksLikeUnitName(node.title)) node.block = { name: node.title, start: node.titleStart, end: node.titleEnd };
  open(b, node);
  st.task = null;
}

/** A section's number as written ("二、", "(二)", "二" in a 序号 cell before its words), and where its words start. */
function sectionNumber(first: Line, lines: readonly Line[]): { ordinal: number; contentStart: number } | null {
  const own = lineMarker(first);
  const more = lines.length > 1;
  if (own && !own.loose && (first.text.length > own.contentStart || more)) return { ordinal: own.ordinal, contentStart: own.contentStart };
  const numeral = more ? CN_NUMBER_ONLY.exec(first.text) : null;
  const ordinal = numeral ? ordinalOf(numeral[1] as string) : null;
  return ordinal ? { ordinal, contentStart: first.text.length } : null;
}

function newTask(b: Builder, st: TableState, row: RowLines, rest: readonly number[]): void {
  const { roles, title, index } = st.roles;
  const titleLines = row.cells.get(title) as Line[];
  const first = titleLines[0] as Line;
  const found = lineMarker(first);
  const own = found && found.kind !== "cn-is" && found.kind !== "part" ? found : null;
  const number = own?.ordinal ?? indexNumber(row.cells.get(index)) ?? b.lastTask + 1;
  b.lastTask = number;
  const bare = own !== null && first.text.length === own.contentStart;
  const fragments = titleFragments(titleLines, bare);
  const marker: Marker = { kind: "num", rank: RANK.num, label: String(number), ordinal: number, contentStart: own ? own.contentStart : 0, loose: false };
  const node = headingNode(marker, first, fragments);
  const heading = new Set<Line>([first, ...fragments]);
  const task: TableTask = { cells: [], measureRows: 0, singleUnitColumn: st.roles.singleUnitColumn };
  // The task starts where its row does after the category cells (at the 序号 cell, if any).
  for (const c of rest) {
    const lines = row.cells.get(c) as Line[];
    if ((lines[0] as Line).start < node.line.start) node.line = lines[0] as Line;
  }
  for (const column of inheritedColumns(st, row)) {
    task.cells.push({ role: roles[column] as CellRole, column, lines: st.lastFilled.get(column) as Line[], inherited: true });
  }
  addCells(task, node, row, rest, roles, heading);
  node.task = task;
  open(b, node);
  st.task = { node, task };
}

/** The title cell's lines that belong to the title: the words after a bare number, and a title broken into short pieces. */
function titleFragments(lines: readonly Line[], bare: boolean): Line[] {
  const fragments: Line[] = [];
  let k = 1;
  if (bare && lines[1]) fragments.push(lines[k++] as Line);
  const head = (fragments[0] ?? lines[0]) as Line;
  if (/[。;]/.test(head.text)) return fragments;
  while (k < lines.length && isFragment(lines[k] as Line)) fragments.push(lines[k++] as Line);
  return fragments;
}

/** The number in a 序号 cell ("3", "3.", "三"), or null. */
function indexNumber(lines: readonly Line[] | undefined): number | null {
  const text = lines?.[0]?.text.replace(/[、.]$/, "");
  if (!text) return null;
  const n = ordinalOf(text);
  return n !== null && n > 0 ? n : null;
}

/** Columns whose cell in this row continues a unit, deadline or target cell above it (merged over several tasks). */
function inheritedColumns(st: TableState, row: RowLines): number[] {
  const grid = st.table.rows[row.row] ?? [];
  const columns: number[] = [];
  for (const cell of grid) {
    const role = st.roles.roles[cell.column];
    if (!cell.continued || !st.lastFilled.has(cell.column)) continue;
    if (role === "lead" || role === "support" || role === "unit" || role === "deadline" || role === "target") columns.push(cell.column);
  }
  return columns;
}

/** A row under a task merged down: its cells are the task's too. */
function continueTask(st: TableState, row: RowLines, rest: readonly number[]): void {
  const open = st.task as { node: OutlineNode; task: TableTask };
  addCells(open.task, open.node, row, rest, st.roles.roles, new Set());
}

function addCells(task: TableTask, node: OutlineNode, row: RowLines, rest: readonly number[], roles: readonly CellRole[], heading: ReadonlySet<Line>): void {
  let measured = false;
  for (const column of rest) {
    const role = roles[column] as CellRole;
    const lines = row.cells.get(column) as Line[];
    if (role === "measure") measured = true;
    if (role !== "index") task.cells.push({ role, column, lines, inherited: false });
    for (const line of lines) if (!heading.has(line) && role !== "index") node.lines.push(line);
  }
  if (measured) task.measureRows++;
}

/** The lines of the parts of task tables under their headers: what split.ts keeps whole. */
export function taskTableBody(lines: readonly Line[], tables: readonly RenderedTable[]): Set<Line> {
  const body = new Set<Line>();
  if (!tables.length) return body;
  const task = tables.map(isTaskTable);
  for (const line of lines) {
    const cell = line.cell;
    if (cell && task[cell.table] && cell.row >= (tables[cell.table] as RenderedTable).headerRows) body.add(line);
  }
  return body;
}
