// The table outline: a reader's table read back by its rows and columns (table-outline.ts), its
// cells carried to the lines (renderDocument's layout, read.ts's placeCells) and its fields read
// from the cells that hold them (extract.ts). Real files made by fixtures/formats/make-ledgers.mjs,
// each with a hand gold written before the code; small tables built here for each rule.

import { readFileSync } from "node:fs";
import path from "node:path";
import { type DocBlock, type DocCell, type DocTable, type Plan, parseDocument, parsePlanText, renderDocument } from "@taizhang/core";
import { describe, expect, it } from "vitest";
import type { DocumentLayout } from "../src/document.js";
import { normalize } from "../src/normalize.js";
import { type Line, placeCells, readLines } from "../src/read.js";
import { readDocx } from "../src/readers/docx.js";
import { readXlsx } from "../src/readers/xlsx.js";
import { split } from "../src/split.js";
import { tableOutline } from "../src/table-outline.js";
import { expectFormatGolden, expectQuotesAtOffsets, FIXTURES, taskFields } from "./golden.js";

const DIR = path.join(FIXTURES, "formats");
const bytesOf = (name: string) => new Uint8Array(readFileSync(path.join(DIR, name)));
const parse = (name: string) => parseDocument(bytesOf(name), { source: name });
const goldOf = (name: string) => JSON.parse(readFileSync(path.join(DIR, `${name}.gold.json`), "utf8")) as Plan[];

const cell = (text: string, extra: Omit<DocCell, "text"> = {}): DocCell => ({ text, ...extra });
const MERGED: DocCell = { text: "", continued: true };
const table = (rows: readonly (readonly (string | DocCell)[])[], headerRows = 1): DocTable => ({
  kind: "table",
  headerRows,
  rows: rows.map((r) => r.map((c) => (typeof c === "string" ? cell(c) : c))),
});
const paragraph = (text: string): DocBlock => ({ kind: "paragraph", text });

/** A document's blocks through the pipeline as parseDocument runs them: rendered, with the layout. */
function parseBlocks(blocks: readonly DocBlock[], withLayout = true) {
  const rendered = renderDocument({ blocks: [...blocks] });
  const layout: DocumentLayout | undefined = withLayout ? rendered : undefined;
  return { ...parsePlanText(rendered.text, { source: "表格.docx", ...(layout ? { layout } : {}) }), text: rendered.text };
}

/** The lines of a rendering, tagged with their cells, as parsePlanText reads them. */
function taggedLines(blocks: readonly DocBlock[]): { lines: Line[]; layout: DocumentLayout; text: string } {
  const rendered = renderDocument({ blocks: [...blocks] });
  const lines = readLines(normalize(rendered.text).text);
  placeCells(lines, rendered.cells);
  return { lines, layout: rendered, text: rendered.text };
}

const brief = (plan: Plan | undefined) => plan?.tasks.map((t) => [t.path, t.title, t.units, t.lead_units]);

// ---------------------------------------------------------------------------------------------

describe("renderDocument: each cell's lines and each table's shape", () => {
  const doc = {
    blocks: [
      paragraph("2025年任务清单"),
      table(
        [
          [cell("2025年重点任务分解表", { span: 5 })],
          [cell("工作任务", { span: 2 }), cell("具体措施"), cell("责任单位", { span: 2 })],
          ["", "", "", "牵头单位", "配合单位(协办)"],
          ["一、党建", "1.加强学习", "(1)学习\n(2)研讨", "办公室", "各股室"],
          [MERGED, "2.从严治党", "开展警示教育", cell("纪检组", { span: 2 })],
        ],
        3,
      ),
    ] satisfies DocBlock[],
  };

  it("gives every cell its first line and line count in the text", () => {
    const { text, cells } = renderDocument(doc);
    const lines = text.split("\n");
    for (const c of cells) {
      expect(lines.slice(c.line, c.line + c.lines).join("\n")).toBe(text.slice(c.start, c.end));
    }
    expect(cells.find((c) => c.row === 3 && c.column === 2)).toMatchObject({ lines: 2, table: 0 });
  });

  it("names each grid column by the lowest heading over it that says what it holds", () => {
    const { tables } = renderDocument(doc);
    expect(tables).toHaveLength(1);
    expect(tables[0]?.headerRows).toBe(3);
    expect(tables[0]?.columns).toEqual([
      { heading: "工作任务", kind: "task", headingStart: 0 },
      { heading: "工作任务", kind: "task", headingStart: 0 },
      { heading: "具体措施", kind: "measure", headingStart: 2 },
      { heading: "牵头单位", kind: "unit", headingStart: 3 },
      { heading: "配合单位(协办)", kind: "unit", headingStart: 4 },
    ]);
  });

  it("keeps each row's grid: where its cells start, how wide, which continue the one above", () => {
    const { tables } = renderDocument(doc);
    expect(tables[0]?.rows[4]).toEqual([
      { column: 0, span: 1, continued: true },
      { column: 1, span: 1, continued: false },
      { column: 2, span: 1, continued: false },
      { column: 3, span: 2, continued: false },
    ]);
  });

  it("has no cells and no tables for paragraphs alone", () => {
    expect(renderDocument({ blocks: [paragraph("一、总体要求"), paragraph("1.加强学习。")] })).toMatchObject({ cells: [], tables: [] });
  });

  it("tags the lines of the normalized text with their cells, though normalizing changes their offsets", () => {
    // ⑴ becomes "(1)" and a zero-width space goes: offsets move, line indexes do not.
    const { lines } = taggedLines([
      paragraph("任务\u200b清单"),
      table([["序号", "工作任务", "具体措施"], ["1", "加强学习", "⑴学习\n⑵研讨"], ["2", "从严治党", "\u200b"]]),
    ]);
    const tagged = lines.map((l) => [l.text, l.cell ? `${l.cell.row}/${l.cell.column}` : null]);
    expect(tagged).toEqual([
      ["任务清单", null],
      ["序号", "0/0"], ["工作任务", "0/1"], ["具体措施", "0/2"],
      ["1", "1/0"], ["加强学习", "1/1"], ["(1)学习", "1/2"], ["(2)研讨", "1/2"],
      ["2", "2/0"], ["从严治党", "2/1"],
    ]);
  });

  it("leaves plain text without cells", () => {
    const text = readFileSync(path.join(FIXTURES, "seeds", "002_4f73318976e71334.txt"), "utf8");
    const lines = readLines(normalize(text).text);
    expect(lines.some((l) => l.cell)).toBe(false);
    expect(tableOutline(lines, [])).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------

const FIXTURE_NAMES = ["ledger-categories.csv", "ledger-categories.xlsx", "ledger-merged.docx", "ledger-spans.xlsx", "ledger-spans.csv"];

describe("ledger fixtures meet their hand golds", () => {
  for (const name of FIXTURE_NAMES) {
    it(`${name}: plan, sections and every task's fields as the hand gold has them`, async () => {
      const result = await parse(name);
      const gold = goldOf(name);
      expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(result.plans.map((p) => [p.title, p.issuer, p.doc_number, p.year])).toEqual(gold.map((p) => [p.title, p.issuer, p.doc_number, p.year]));
      result.plans.forEach((plan, k) => {
        const expected = gold[k] as Plan;
        expect(plan.sections.map((s) => [s.path, s.title])).toEqual(expected.sections.map((s) => [s.path, s.title]));
        expect(plan.tasks.map((t) => t.number)).toEqual(expected.tasks.map((t) => t.number));
        expect(plan.tasks.map(taskFields)).toEqual(expected.tasks.map(taskFields));
      });
      expectQuotesAtOffsets(result.plans, result.text);
      for (const task of result.plans.flatMap((p) => p.tasks)) {
        expect(result.text.slice(task.title_start, task.title_end)).toBe(task.title);
        for (const u of task.unit_refs) expect(result.text.slice(u.start, u.end)).toBe(u.name);
      }
      expectFormatGolden(path.join(DIR, name), result.plans);
    });
  }

  it("never takes a short measure cell for a unit (ledger-categories.csv)", async () => {
    const [plan] = (await parse("ledger-categories.csv")).plans;
    const units = plan?.tasks.flatMap((t) => t.units) ?? [];
    expect(units).not.toContain("建成清廉学校示范校5所");
    expect(units).not.toContain("新建公办幼儿园3所");
    expect(plan?.tasks.find((t) => t.number === "3")?.title).toBe("深化思政课改革");
  });

  it("gives a task the 牵头单位 cell merged down from the task above it (ledger-merged.docx)", async () => {
    const result = await parse("ledger-merged.docx");
    const task = result.plans[0]?.tasks.find((t) => t.title === "加强教师队伍建设");
    const lead = task?.unit_refs[0];
    expect(lead).toMatchObject({ name: "基础教育股", lead: true, via: "column" });
    // Written once, in the row above: the ref points there.
    expect(lead && lead.start < (task?.start ?? 0)).toBe(true);
    expect(result.text.slice(lead?.start, lead?.end)).toBe("基础教育股");
  });

  it("reads the 完成时限 cell before a deadline in the measures (ledger-merged.docx)", async () => {
    const task = (await parse("ledger-merged.docx")).plans[0]?.tasks.find((t) => t.number === "4");
    expect(task?.deadlines.map((d) => d.quote)).toEqual(["2025年12月31日", "8月底前完成"]);
  });

  it("keeps the lead paragraph out of every task and the note under the table out of the plan body (ledger-merged.docx)", async () => {
    const result = await parse("ledger-merged.docx");
    const [plan] = result.plans;
    const first = plan?.tasks[0];
    expect(result.text.slice(first?.start, first?.end)).not.toContain("为推动");
    const last = plan?.tasks.at(-1);
    expect(result.text.slice(last?.start, last?.end)).not.toContain("注:");
  });

  it("counts a task's measure rows as its measures, and gives it each row's deadline (ledger-spans.xlsx)", async () => {
    const [plan] = (await parse("ledger-spans.xlsx")).plans;
    expect(plan?.tasks.map((t) => [t.number, t.measures, t.deadlines.length])).toEqual([["1", 3, 3], ["2", 2, 2], ["3", 0, 1]]);
  });
});

// ---------------------------------------------------------------------------------------------

describe("the table outline reads the tables the readers already handled", () => {
  const outlineOf = (blocks: readonly DocBlock[]) => {
    const { lines, layout } = taggedLines(blocks);
    const parts = split(lines, layout.tables).parts;
    return parts.map((p) => tableOutline(p.lines, layout.tables));
  };

  it("002-table.docx: the category cells (one unnumbered, the rest 二、…) are the sections, every row a task", () => {
    const [tree] = outlineOf(readDocx(bytesOf("002-table.docx")).blocks);
    expect(tree?.roots.map((r) => [r.marker.label, r.title, r.children.length])).toEqual([
      ["一", "全面发展素质教育", 1],
      ["二", "强化课堂主阵地作", 3],
      ["三", "建设高素质教师队", 3],
      ["四", "深化关键领域改革", 5],
      ["五", "提升教育治理能力", 5],
    ]);
  });

  it("ledger.xlsx: both sheets' tables, one plan each", () => {
    const trees = outlineOf(readXlsx(bytesOf("ledger.xlsx")).blocks);
    expect(trees.map((t) => t?.roots.length)).toEqual([3, 4]);
  });
});

describe("table outline rules", () => {
  const HEADER = ["序号", "工作任务", "责任单位"];

  it("puts the tasks of tables under the section paragraphs between them", () => {
    const { plans } = parseBlocks([
      paragraph("某县教育局2025年工作任务清单"),
      paragraph("一、党建工作"),
      table([HEADER, ["1", "加强理论学习", "办公室"], ["2", "从严管党治党", "纪检组"]]),
      paragraph("二、教育教学"),
      table([HEADER, ["1", "深化课堂改革", "教研室"], ["2", "加强教师培训", "人事股"]]),
    ]);
    expect(plans[0]?.sections.map((s) => [s.path, s.title])).toEqual([["一", "党建工作"], ["二", "教育教学"]]);
    expect(plans[0]?.tasks.map((t) => [t.path, t.title, t.units])).toEqual([
      ["一/1", "加强理论学习", ["办公室"]],
      ["一/2", "从严管党治党", ["纪检组"]],
      ["二/1", "深化课堂改革", ["教研室"]],
      ["二/2", "加强教师培训", ["人事股"]],
    ]);
  });

  it("leaves a part whose table is not most of it to the text outline", () => {
    const long = "围绕立德树人根本任务,统筹推进各项工作,切实提高教育质量,办好人民满意的教育。".repeat(2);
    const blocks: DocBlock[] = [
      paragraph("某县教育局2025年工作要点"),
      paragraph("一、加强党的建设"),
      paragraph(`1.加强理论学习。${long}`),
      paragraph(`2.从严管党治党。${long}`),
      paragraph("二、提高教育质量"),
      paragraph(`3.深化课堂改革。${long}`),
      table([["序号", "工作任务"], ["1", "优质课评选"], ["2", "教学能手评选"]]),
      paragraph(`4.加强教师培训。${long}`),
      paragraph(`5.推进教育数字化。${long}`),
      paragraph(`6.办好特殊教育。${long}`),
    ];
    const { lines, layout } = taggedLines(blocks);
    const [part] = split(lines, layout.tables).parts;
    expect(part && tableOutline(part.lines, layout.tables)).toBeNull();
    const withLayout = parseBlocks(blocks);
    expect(withLayout.plans[0]?.tasks.map((t) => t.number)).toEqual(["1", "2", "3", "4", "5", "6"]);
    expect(withLayout.plans).toEqual(parseBlocks(blocks, false).plans);
  });

  it("lets a single 责任单位 column's first unit lead when the plan says the first listed leads", () => {
    const rows = [HEADER, ["1", "加强理论学习", "办公室、组织人事股"], ["2", "从严管党治党", "纪检组、办公室"]];
    const note = paragraph("注:责任单位排名第一的为牵头单位。");
    const said = parseBlocks([paragraph("某县教育局2025年工作任务清单"), table(rows), note]).plans[0];
    expect(said?.tasks.map((t) => t.lead_units)).toEqual([["办公室"], ["纪检组"]]);
    const unsaid = parseBlocks([paragraph("某县教育局2025年工作任务清单"), table(rows)]).plans[0];
    expect(unsaid?.tasks.map((t) => t.lead_units)).toEqual([[], []]);
  });

  it("reads 牵头 and 配合 columns by their headings, skips a column of people, reads a sentence in 备注", () => {
    const { plans } = parseBlocks([
      paragraph("某县教育局2025年工作任务清单"),
      table([
        ["序号", "重点任务", "责任领导", "配合单位", "牵头科室", "备注"],
        ["1", "加强理论学习", "张明", "各股室", "办公室", ""],
        ["2", "从严管党治党", "李华", "", "纪检组", "由督导室负责日常督查"],
      ]),
    ]);
    expect(brief(plans[0])).toEqual([
      ["1", "加强理论学习", ["办公室", "各股室"], ["办公室"]],
      ["2", "从严管党治党", ["纪检组", "督导室"], ["纪检组"]],
    ]);
  });

  it("numbers a task by its own number first, then its 序号 cell, then its place", () => {
    const { plans } = parseBlocks([
      paragraph("某县教育局2025年工作任务清单"),
      table([
        HEADER,
        ["1", "加强理论学习。组织中心组学习12次。", "办公室"],
        ["", "5.从严管党治党", "纪检组"],
        ["", "深化课堂改革", "教研室"],
      ]),
    ]);
    const tasks = plans[0]?.tasks;
    expect(tasks?.map((t) => [t.number, t.title])).toEqual([["1", "加强理论学习"], ["5", "从严管党治党"], ["6", "深化课堂改革"]]);
    expect(tasks?.[0]?.targets.map((t) => t.quote)).toEqual(["组织中心组学习12次"]);
  });

  it("reads a row of one heading across the table, or a Chinese 序号 with words and nothing else, as a section", () => {
    const { plans } = parseBlocks([
      paragraph("某县教育局2025年工作任务清单"),
      table([
        HEADER,
        [cell("党建工作", { span: 3 })],
        ["1", "加强理论学习", "办公室"],
        ["二", "教育教学", ""],
        ["2", "深化课堂改革", "教研室"],
        ["(三)后勤保障", "", ""],
        ["3", "改善办学条件", "计财股"],
      ]),
    ]);
    expect(plans[0]?.sections.map((s) => [s.path, s.title])).toEqual([["一", "党建工作"], ["二", "教育教学"], ["三", "后勤保障"]]);
    expect(plans[0]?.tasks.map((t) => t.path)).toEqual(["一/1", "二/2", "三/3"]);
  });

  it("joins a title broken into short pieces in its cell, and keeps a numbered measure under it", () => {
    const { plans } = parseBlocks([
      paragraph("某县教育局2025年工作任务清单"),
      table([
        ["序号", "工作任务", "具体措施", "责任单位"],
        ["1", "强化德智体美劳\n“五育”并举\n(1)开齐开足体育课", "(2)开展劳动教育", "教研室"],
        ["2", "加强教师培训", "培训教师300人次", "人事股"],
      ]),
    ]);
    expect(plans[0]?.tasks.map((t) => [t.title, t.measures])).toEqual([["强化德智体美劳“五育”并举", 2], ["加强教师培训", 0]]);
  });

  it("skips a header row repeated inside the body", () => {
    const { plans } = parseBlocks([
      paragraph("某县教育局2025年工作任务清单"),
      table([HEADER, ["1", "加强理论学习", "办公室"], HEADER, ["2", "从严管党治党", "纪检组"]]),
    ]);
    expect(plans[0]?.tasks.map((t) => t.title)).toEqual(["加强理论学习", "从严管党治党"]);
  });

  it("takes a measure column for the titles when the table has no task column", () => {
    const { plans } = parseBlocks([
      paragraph("某县教育局2025年工作任务清单"),
      table([["序号", "工作措施", "责任单位", "完成时限"], ["1", "开展师德师风专题教育,覆盖全体教师。", "人事股", "6月底前"], ["2", "组织全县教学质量监测。", "教研室", "12月底前"]]),
    ]);
    expect(plans[0]?.tasks.map((t) => [t.title, t.units, t.deadlines.map((d) => d.date)])).toEqual([
      ["开展师德师风专题教育,覆盖全体教师", ["人事股"], ["2025-06-30"]],
      ["组织全县教学质量监测", ["教研室"], ["2025-12-31"]],
    ]);
  });
});

describe("split keeps a task table whole", () => {
  it("never cuts a plan at a cell that reads like a title, nor closes it at a date in the last cell", () => {
    const { plans } = parseBlocks([
      paragraph("某县教育局2025年工作任务清单"),
      table([
        ["序号", "工作任务", "牵头单位", "完成时限"],
        ["1", "制定清廉学校建设工作方案", "纪检组", "3月底前"],
        ["2", "加强理论学习", "办公室", "6月底前"],
        ["3", "从严管党治党", "办公室", "2025年12月31日"],
      ]),
    ]);
    expect(plans.map((p) => p.title)).toEqual(["某县教育局2025年工作任务清单"]);
    expect(plans[0]?.tasks.map((t) => [t.title, t.deadlines.map((d) => d.date)])).toEqual([
      ["制定清廉学校建设工作方案", ["2025-03-31"]],
      ["加强理论学习", ["2025-06-30"]],
      ["从严管党治党", ["2025-12-31"]],
    ]);
  });

  it("reads a table with no number anywhere as a plan's body", () => {
    const { plans } = parseBlocks([
      paragraph("某县教育局2025年工作任务清单"),
      table([["工作任务", "责任单位"], ["加强理论学习", "办公室"], ["从严管党治党", "纪检组"]]),
    ]);
    expect(plans[0]?.tasks.map((t) => [t.path, t.title, t.units])).toEqual([["1", "加强理论学习", ["办公室"]], ["2", "从严管党治党", ["纪检组"]]]);
  });
});

describe("any table a reader may give", () => {
  /** A small deterministic generator (mulberry32), so a failure replays. */
  const random = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const WORDS = [
    "序号", "类别", "工作任务", "具体措施", "牵头单位", "配合单位", "责任单位", "完成时限", "量化目标", "备注", "一、党建工作", "(二)教育教学",
    "二", "1", "3.", "1.加强理论学习", "深化课堂改革。开展教研活动12次", "办公室", "各学校、教研室", "市教育局(牵头)", "6月底前", "2025年9月30日",
    "建成示范校5所", "(1)开展培训\n(2)组织考核", "由督导室负责", "", "", "\u200b", "⑴学习⑵研讨",
  ];
  const HEADINGS = ["序号", "类别", "工作任务", "重点任务", "具体措施", "牵头单位", "配合单位", "责任单位", "责任领导", "完成时限", "量化目标", "备注", ""];
  const PLAN_TITLE: DocBlock = paragraph("某县教育局2025年工作任务清单");
  const ROUNDS = 300;

  it("outlines random tables without throwing, every quote, unit and title at its offsets", () => {
    const next = random(20250115);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
    let outlined = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const width = 2 + Math.floor(next() * 6);
      const rows: DocCell[][] = [];
      const height = 1 + Math.floor(next() * 9);
      // Most tables a reader gives have a header of known headings.
      if (next() < 0.7) rows.push(Array.from({ length: width }, () => cell(pick(HEADINGS))));
      for (let r = rows.length; r < height; r++) {
        const row: DocCell[] = [];
        for (let c = 0; c < width; ) {
          const span = next() < 0.15 ? 1 + Math.floor(next() * (width - c)) : 1;
          row.push(r > 0 && next() < 0.25 ? { ...MERGED, ...(span > 1 ? { span } : {}) } : cell(pick(WORDS), span > 1 ? { span } : {}));
          c += span;
        }
        rows.push(row);
      }
      const blocks: DocBlock[] = [PLAN_TITLE, { kind: "table", headerRows: Math.min(rows.length, Math.floor(next() * 3)), rows }];
      if (next() < 0.3) blocks.push(paragraph(pick(WORDS) || "二、其他工作"));
      const { plans, text } = parseBlocks(blocks);
      const { lines, layout } = taggedLines(blocks);
      if (split(lines, layout.tables).parts.some((p) => tableOutline(p.lines, layout.tables))) outlined++;
      expectQuotesAtOffsets(plans, text);
      for (const task of plans.flatMap((p) => p.tasks)) {
        for (const u of task.unit_refs) expect(text.slice(u.start, u.end).replace(/\s+/g, "")).toBe(u.name);
        expect(task.title_start).toBeLessThanOrEqual(task.title_end);
        expect(task.start).toBeLessThanOrEqual(task.end);
      }
    }
    // The rounds reach the table outline often enough to mean something.
    expect(outlined).toBeGreaterThan(ROUNDS / 5);
  });
});
