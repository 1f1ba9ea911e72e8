// The .xlsx reader and the sheet layout it shares with .csv: real workbooks made by
// fixtures/formats/make-sheets.mjs (a county ledger, seed 002 as a table, bad files), and small
// workbooks built here part by part for the cell kinds a ledger can hold.

import { readFileSync } from "node:fs";
import path from "node:path";
import { type DocCell, type DocTable, type Plan, parseDocument, type ReadDocument, renderDocument } from "@taizhang/core";
import { strToU8, unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { headerKind } from "../src/columns.js";
import { findHeaderRow, MAX_SHEET_ROWS, sheetBlocks } from "../src/readers/sheet.js";
import { cellAddress, displayOf, readXlsx } from "../src/readers/xlsx.js";
import { expectFormatGolden, expectQuotesAtOffsets, FIXTURES, taskFields } from "./golden.js";

const DIR = path.join(FIXTURES, "formats");
const bytesOf = (name: string) => new Uint8Array(readFileSync(path.join(DIR, name)));
const parse = (name: string) => parseDocument(bytesOf(name), { source: name });
const SEED_002 = path.join(FIXTURES, "seeds", "002_4f73318976e71334.expected.json");


/** The result matches its reviewed golden (NAME.expected.json); every quote sits at its offsets, every title at its span. */
function checkGolden(name: string, plans: readonly Plan[], text: string): void {
  expectQuotesAtOffsets(plans, text);
  for (const task of plans.flatMap((p) => p.tasks)) {
    expect(text.slice(task.title_start, task.title_end).replace(/\s+/g, "")).toContain(task.title.slice(0, 4));
  }
  expectFormatGolden(path.join(DIR, name), plans);
}

// ---------------------------------------------------------------------------------------------
// Workbooks built part by part

interface SheetPart {
  name: string;
  /** The <sheetData> content and anything after it (mergeCells). */
  data: string;
  state?: "hidden" | "veryHidden";
  /** What follows <sheetData> (<mergeCells>). */
  after?: string;
  /** A namespace prefix for the sheet's elements ("x" for <x:row>). */
  prefix?: string;
}

const NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const WORKSHEET_TYPE = `${REL_NS}/worksheet`;

function workbook(sheets: readonly SheetPart[], extra: { strings?: string; styles?: string; date1904?: boolean } = {}): Uint8Array {
  const files: Record<string, Uint8Array> = {
    "[Content_Types].xml": strToU8(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`),
    "xl/workbook.xml": strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${NS}" xmlns:r="${REL_NS}">${extra.date1904 ? '<workbookPr date1904="1"/>' : ""}<sheets>` +
        sheets.map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}"${s.state ? ` state="${s.state}"` : ""} r:id="rId${i + 1}"/>`).join("") +
        "</sheets></workbook>",
    ),
    "xl/_rels/workbook.xml.rels": strToU8(
      `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        // Stored in reverse, so that order comes from workbook.xml and not from the part names.
        sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${WORKSHEET_TYPE}" Target="worksheets/sheet${sheets.length - i}.xml"/>`).join("") +
        "</Relationships>",
    ),
  };
  sheets.forEach((s, i) => {
    const p = s.prefix ? `${s.prefix}:` : "";
    files[`xl/worksheets/sheet${sheets.length - i}.xml`] = strToU8(
      `<?xml version="1.0"?><${p}worksheet xmlns${s.prefix ? `:${s.prefix}` : ""}="${NS}"><${p}sheetData>${s.data}</${p}sheetData>${s.after ?? ""}</${p}worksheet>`,
    );
  });
  if (extra.strings) files["xl/sharedStrings.xml"] = strToU8(`<?xml version="1.0"?><sst xmlns="${NS}">${extra.strings}</sst>`);
  if (extra.styles) files["xl/styles.xml"] = strToU8(`<?xml version="1.0"?><styleSheet xmlns="${NS}">${extra.styles}</styleSheet>`);
  return zipSync(files);
}

/** A row of inline-string cells from column A. */
const inlineRow = (r: number, cells: readonly string[]) =>
  `<row r="${r}">${cells.map((t, i) => `<c r="${String.fromCharCode(65 + i)}${r}" t="inlineStr"><is><t>${t}</t></is></c>`).join("")}</row>`;

const tables = (doc: ReadDocument) => doc.blocks.filter((b): b is DocTable => b.kind === "table");
const texts = (row: readonly DocCell[]) => row.map((c) => c.text);

// ---------------------------------------------------------------------------------------------

describe("ledger.xlsx: a county bureau's task ledger", () => {
  it("reads both visible sheets as two plans that match the hand gold", async () => {
    const result = await parse("ledger.xlsx");
    expect(result.format).toBe("xlsx");
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const gold = JSON.parse(readFileSync(path.join(DIR, "ledger.xlsx.gold.json"), "utf8")) as Plan[];
    expect(result.plans.map((p) => [p.title, p.issuer, p.year, p.tasks.length])).toEqual([
      ["青阳县教育局2025年重点工作任务台账", "青阳县教育局", 2025, 8],
      ["青阳县教育局2025年教育民生实事项目清单", "青阳县教育局", 2025, 4],
    ]);
    result.plans.forEach((plan, k) => {
      const expected = gold[k] as Plan;
      expect(plan.sections.map((s) => [s.path, s.title])).toEqual(expected.sections.map((s) => [s.path, s.title]));
      expect(plan.tasks.map(taskFields)).toEqual(expected.tasks.map(taskFields));
    });
    checkGolden("ledger.xlsx", result.plans, result.text);
  });

  it("gives a task its 牵头单位 as lead, read under a two-row header", async () => {
    const [plan] = (await parse("ledger.xlsx")).plans;
    const task = plan?.tasks.find((t) => t.number === "2");
    expect(task?.units).toEqual(["组织人事股", "督导室", "各中小学校"]);
    expect(task?.lead_units).toEqual(["组织人事股"]);
  });

  it("writes date cells as Chinese dates, whatever their format, so they are deadlines", async () => {
    const [plan] = (await parse("ledger.xlsx")).plans;
    const deadline = (n: string) => plan?.tasks.find((t) => t.number === n)?.deadlines.map((d) => [d.quote, d.date]);
    expect(deadline("2")).toEqual([["2025年6月30日", "2025-06-30"]]); // yyyy"年"m"月"d"日"
    expect(deadline("4")).toEqual([["2025年9月30日", "2025-09-30"]]); // built-in 14
    expect(deadline("7")).toEqual([["2025年7月31日", "2025-07-31"]]); // yyyy/m/d
    expect(deadline("1")).toEqual([["12月底前", "2025-12-31"]]); // a text cell
  });

  it("reads the 量化目标 column as the task's targets", async () => {
    const [plan] = (await parse("ledger.xlsx")).plans;
    const task = plan?.tasks.find((t) => t.number === "5");
    expect(task?.targets.map((t) => [t.value, t.unit])).toEqual([[2, "小时"], [1, "个百分点"]]);
  });

  it("lays the sheets out as title paragraphs and tables, merges understood, hidden sheet skipped", () => {
    const doc = readXlsx(bytesOf("ledger.xlsx"));
    expect(doc.diagnostics).toEqual([]);
    expect(doc.blocks.map((b) => b.kind)).toEqual(["paragraph", "table", "paragraph", "paragraph", "table"]);
    expect(doc.blocks[0]).toEqual({ kind: "paragraph", text: "青阳县教育局2025年重点工作任务台账" });
    expect(doc.blocks[2]).toEqual({ kind: "paragraph", text: "注:各牵头单位每季度末向办公室报送工作进展。" });
    expect(doc.blocks[3]).toEqual({ kind: "paragraph", text: "青阳县教育局2025年教育民生实事项目清单" });
    const [ledger, list] = tables(doc);
    // The two header rows are one row of column names; the blank column A and row 1 are gone.
    expect(ledger?.headerRows).toBe(1);
    expect(texts(ledger?.rows[0] ?? [])).toEqual(["类别", "序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限", "量化目标"]);
    // 类别 is merged down over each section's rows; 序号 is a formula's cached value.
    expect(ledger?.rows.slice(1, 5).map((r) => [r[0], r[1]?.text])).toEqual([
      [{ text: "一、全面加强党的建设" }, "1"],
      [{ text: "", continued: true }, "2"],
      [{ text: "", continued: true }, "3"],
      [{ text: "二、落实立德树人根本任务" }, "4"],
    ]);
    // A rich-text cell's runs are one text; a multi-line cell keeps its line breaks.
    expect(ledger?.rows[3]?.[2]?.text).toBe("从严抓好党风廉政建设");
    expect(ledger?.rows[1]?.[3]?.text.split("\n")).toHaveLength(2);
    expect(list?.rows).toHaveLength(5);
    expect(renderDocument(doc).text).not.toContain("示例任务"); // the hidden sheet of drop-down values
  });
});

describe("002-table.xlsx: seed 002's task list as a spreadsheet", () => {
  it("gives the tasks the reviewed .txt seed gives, row for row", async () => {
    const result = await parse("002-table.xlsx");
    const seed = (JSON.parse(readFileSync(SEED_002, "utf8")) as Plan[])[0] as Plan;
    const [plan] = result.plans;
    expect(result.plans).toHaveLength(1);
    expect(plan?.title).toBe("衡阳市进一步提高义务教育质量任务清单");
    expect(plan?.sections.map((s) => [s.path, s.title])).toEqual(seed.sections.map((s) => [s.path, s.title]));
    expect(plan?.tasks.map(taskFields)).toEqual(seed.tasks.map(taskFields));
    expect(plan?.tasks.find((t) => t.number === "13")?.units).toEqual([
      "市教育局", "市自然资源和规划局", "市住房和城乡建设局", "市财政局", "市统计局", "各县市区人民政府",
    ]);
    checkGolden("002-table.xlsx", result.plans, result.text);
  });
});

describe("bad workbooks", () => {
  it("a truncated file is corrupt", async () => {
    const result = await parse("corrupt.xlsx");
    expect(result.plans).toEqual([]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["FILE_CORRUPT"]);
    // Read directly (past the format sniffing), the reader names the kind of file.
    const doc = readXlsx(bytesOf("corrupt.xlsx"));
    expect(doc.diagnostics.map((d) => d.code)).toEqual(["FILE_CORRUPT"]);
    expect(doc.diagnostics[0]?.message).toContain("Excel 表格");
  });

  it("a sheet of a million rows is refused quickly, without reading its rows", async () => {
    const started = performance.now();
    const result = await parse("huge.xlsx");
    expect(performance.now() - started).toBeLessThan(5000);
    expect(result.plans).toEqual([]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["SHEET_TOO_LONG"]);
    expect(result.diagnostics[0]?.message).toContain("“台账”超过 20000 行");
  });

  it("a workbook with nothing in it has no text", async () => {
    const result = await parse("empty.xlsx");
    expect(result.format).toBe("xlsx");
    expect(result.diagnostics.map((d) => d.code)).toEqual(["NO_TEXT_IN_DOCUMENT"]);
  });

  it("a zip with no workbook part, or a workbook that is not XML, is corrupt", () => {
    const noWorkbook = zipSync({ "xl/worksheets/sheet1.xml": strToU8("<worksheet/>") });
    expect(readXlsx(noWorkbook).diagnostics.map((d) => d.code)).toEqual(["FILE_CORRUPT"]);
    const broken = workbook([{ name: "S", data: inlineRow(1, ["a"]) }]);
    const files = { "xl/workbook.xml": strToU8("<workbook><sheets><sheet"), "xl/_rels/workbook.xml.rels": strToU8("<Relationships/>") };
    expect(readXlsx(zipSync(files)).diagnostics.map((d) => d.code)).toEqual(["FILE_CORRUPT"]);
    expect(readXlsx(broken).diagnostics).toEqual([]);
  });

  it("a sheet, shared-strings or styles part cut short inside a sound zip is corrupt, not read in part", () => {
    const files = unzipSync(bytesOf("ledger.xlsx"));
    for (const part of ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml"]) {
      const whole = files[part] as Uint8Array;
      const doc = readXlsx(zipSync({ ...files, [part]: whole.subarray(0, Math.floor(whole.length / 2)) }));
      expect(doc.diagnostics.map((d) => d.code), part).toEqual(["FILE_CORRUPT"]);
      expect(doc.diagnostics[0]?.message).toContain("Excel 表格");
    }
  });

  it("a sheet part that is missing is corrupt", () => {
    const files = {
      "xl/workbook.xml": strToU8(`<workbook xmlns:r="${REL_NS}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`),
      "xl/_rels/workbook.xml.rels": strToU8(`<Relationships><Relationship Id="rId1" Type="${WORKSHEET_TYPE}" Target="worksheets/sheet9.xml"/></Relationships>`),
    };
    expect(readXlsx(zipSync(files)).diagnostics.map((d) => d.code)).toEqual(["FILE_CORRUPT"]);
  });

  it("stops at the row limit, counted before the rows are read", () => {
    const rows = (n: number) => "<row><c><v>1</v></c></row>".repeat(n);
    expect(readXlsx(workbook([{ name: "长表", data: rows(MAX_SHEET_ROWS) }])).diagnostics).toEqual([]);
    const long = readXlsx(workbook([{ name: "长表", data: rows(MAX_SHEET_ROWS + 1) }]));
    expect(long.diagnostics.map((d) => d.code)).toEqual(["SHEET_TOO_LONG"]);
    expect(long.blocks).toEqual([]);
    // Rows written with a namespace prefix count the same.
    const prefixed = "<x:row><x:c><x:v>1</x:v></x:c></x:row>".repeat(MAX_SHEET_ROWS + 1);
    expect(readXlsx(workbook([{ name: "长表", data: prefixed, prefix: "x" }])).diagnostics.map((d) => d.code)).toEqual(["SHEET_TOO_LONG"]);
  });

  it("a cell addressed far down or far right does not blow the grid up", () => {
    const farDown = readXlsx(workbook([{ name: "S", data: '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>' }]));
    expect(farDown.diagnostics.map((d) => d.code)).toEqual(["SHEET_TOO_LONG"]);
    const farRight = readXlsx(
      workbook([
        {
          name: "S",
          data: `${inlineRow(1, ["序号", "工作任务"])}<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="inlineStr"><is><t>加强学习</t></is></c><c r="XFD2" t="inlineStr"><is><t>远</t></is></c></row>`,
          after: '<mergeCells count="1"><mergeCell ref="C5:XFD1048576"/></mergeCells>',
        },
      ]),
    );
    expect(renderDocument(farRight).text).toBe("序号\n\n工作任务\n\n1\n\n加强学习\n\n");
  });
});

describe("cells", () => {
  const one = (data: string, extra?: Parameters<typeof workbook>[1]) => renderDocument(readXlsx(workbook([{ name: "S", data }], extra))).text.trim().split(/\n\n/);

  it("reads shared strings with their rich-text runs joined and phonetic guides left out", () => {
    const strings = '<si><t>加强</t></si><si><r><rPr><b/></rPr><t>思政课</t></r><r><t xml:space="preserve">建设</t></r><rPh sb="0" eb="1"><t>シ</t></rPh></si>';
    expect(one('<row r="1"><c r="A1" t="s"><v>1</v></c><c r="B1" t="s"><v>0</v></c></row>', { strings })).toEqual(["思政课建设", "加强"]);
  });

  it("reads inline strings, formula strings, numbers, booleans, and drops error values", () => {
    const row =
      '<row r="1"><c r="A1" t="inlineStr"><is><r><t>内联</t></r><r><t>文字</t></r></is></c>' +
      '<c r="B1" t="str"><f>A1&amp;"!"</f><v>公式结果</v></c><c r="C1"><f>1/3</f><v>0.33333333333333331</v></c>' +
      '<c r="D1" t="b"><v>1</v></c><c r="E1" t="e"><v>#N/A</v></c><c r="F1"><v>1200</v></c></row>';
    expect(one(row)).toEqual(["内联文字", "公式结果", "0.33333333333", "TRUE", "1200"]);
  });

  it("decodes _xHHHH_ escapes and keeps a cell's line breaks", () => {
    const cell = '<row r="1"><c r="A1" t="inlineStr"><is><t>(1)第一项_x000D_\n(2)第二项</t></is></c></row>';
    expect(one(cell)).toEqual(["(1)第一项\n(2)第二项"]);
  });

  it("writes dates out in Chinese by their style: built-in, Chinese built-in and custom formats", () => {
    const styles =
      '<numFmts count="2"><numFmt numFmtId="176" formatCode="m&quot;月&quot;d&quot;日&quot;"/><numFmt numFmtId="177" formatCode="[$-804]yyyy&quot;年&quot;m&quot;月&quot;;@"/></numFmts>' +
      '<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="31"/><xf numFmtId="176"/><xf numFmtId="177"/><xf numFmtId="9"/></cellXfs>';
    const serial = 45900; // 2025-08-31
    const row = `<row r="1"><c r="A1" s="1"><v>${serial}</v></c><c r="B1" s="2"><v>${serial}</v></c><c r="C1" s="3"><v>${serial}</v></c><c r="D1" s="4"><v>${serial}</v></c><c r="E1" s="5"><v>0.955</v></c><c r="F1"><v>${serial}</v></c></row>`;
    expect(one(row, { styles })).toEqual(["2025年8月31日", "2025年8月31日", "8月31日", "2025年8月", "96%", String(serial)]);
  });

  it("counts dates from 1904 when the workbook says so, and from Excel's 1900 with its leap day", () => {
    const styles = '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs>';
    expect(one('<row r="1"><c r="A1" s="1"><v>44438</v></c></row>', { styles, date1904: true })).toEqual(["2025年8月31日"]);
    expect(one('<row r="1"><c r="A1" s="1"><v>59</v></c><c r="B1" s="1"><v>61</v></c></row>', { styles })).toEqual(["1900年2月28日", "1900年3月1日"]);
  });

  it("reads cells written without addresses in order", () => {
    expect(one("<row><c t=\"inlineStr\"><is><t>甲</t></is></c><c t=\"inlineStr\"><is><t>乙</t></is></c></row><row><c><v>3</v></c></row>")).toEqual(["甲", "乙", "3"]);
  });

  it("reads sheets in workbook order and skips hidden ones", () => {
    const doc = readXlsx(
      workbook([
        { name: "一", data: inlineRow(1, ["第一张"]) },
        { name: "藏", data: inlineRow(1, ["隐藏的"]), state: "hidden" },
        { name: "二", data: inlineRow(1, ["第二张"]) },
        { name: "深藏", data: inlineRow(1, ["深藏的"]), state: "veryHidden" },
      ]),
    );
    expect(renderDocument(doc).text).toBe("第一张\n\n第二张\n\n");
  });
});

describe("number formats and addresses", () => {
  it("tells dates, times and percentages from their format codes", () => {
    expect(displayOf('yyyy"年"m"月"d"日"')).toEqual({ kind: "date", year: true, month: true, day: true });
    expect(displayOf("yyyy/m/d h:mm")).toEqual({ kind: "date", year: true, month: true, day: true });
    expect(displayOf("[$-804]m月d日")).toEqual({ kind: "date", year: false, month: true, day: true });
    expect(displayOf("mmm-yy")).toEqual({ kind: "date", year: true, month: true, day: false });
    expect(displayOf("h:mm:ss")).toEqual({ kind: "time" });
    expect(displayOf("[h]:mm")).toEqual({ kind: "time" });
    expect(displayOf("0.0%")).toEqual({ kind: "percent", decimals: 1 });
    expect(displayOf("General")).toEqual({ kind: "number" });
    expect(displayOf('#,##0"天"')).toEqual({ kind: "number" });
    expect(displayOf("0.00_);[Red](0.00)")).toEqual({ kind: "number" });
  });

  it("reads cell addresses", () => {
    expect(cellAddress("A1")).toEqual({ row: 0, column: 0 });
    expect(cellAddress("$AB$12")).toEqual({ row: 11, column: 27 });
    expect(cellAddress("XFD1048576")).toEqual({ row: 1048575, column: 16383 });
    expect(cellAddress("1A")).toBeNull();
  });
});

describe("header detection", () => {
  it("knows a header cell by what it means", () => {
    expect(headerKind("工作任务")).toBe("task");
    expect(headerKind("重点任务")).toBe("task");
    expect(headerKind("具体措施")).toBe("measure");
    expect(headerKind("责任\n单位")).toBe("unit");
    expect(headerKind("牵头单位/责任人")).toBe("unit");
    expect(headerKind("完成时限(2025年)")).toBe("deadline");
    expect(headerKind("时间节点")).toBe("deadline");
    expect(headerKind("序 号")).toBe("index");
    expect(headerKind("类别")).toBe("other");
    expect(headerKind("加强思政课建设")).toBeNull();
  });

  it("finds the header under title rows, and not in a title or a data row", () => {
    const rows = [
      ["2025年工作任务分解表", "", ""],
      ["填报单位:县教育局", "", ""],
      ["序号", "工作任务", "责任单位"],
      ["1", "加强思政课建设", "德育股"],
    ];
    expect(findHeaderRow(rows)).toBe(2);
    expect(findHeaderRow([["序号", "类别"], ["1", "党建"]])).toBe(-1); // nothing a task table is about
    expect(findHeaderRow([["1", "工作任务", "加强思政课建设。"]])).toBe(-1);
    // One unknown label among the known ones is still a header; a sentence is not.
    expect(findHeaderRow([["序号", "重点工作", "牵头单位", "推进情况"]])).toBe(0);
    expect(findHeaderRow([["序号", "重点工作", "牵头单位", "已完成,待验收。"]])).toBe(-1);
  });

  it("makes rows above the header paragraphs, trims empty edges and reads merges", () => {
    const blocks = sheetBlocks({
      rows: [
        [],
        ["", "县教育局2025年任务清单", "", "", ""],
        ["", "类别", "工作任务", "责任单位", "完成时限"],
        ["", "党建", "加强学习", "办公室", "6月底前"],
        ["", "", "从严治党", "纪检组", ""],
        ["", "注:按季度报送进展", "", "", ""],
        ["", "", "", "", ""],
      ],
      merges: [
        { top: 1, left: 1, bottom: 1, right: 4 },
        { top: 3, left: 1, bottom: 4, right: 1 },
        { top: 3, left: 4, bottom: 4, right: 4 },
        { top: 5, left: 1, bottom: 5, right: 4 },
      ],
    });
    expect(blocks).toEqual([
      { kind: "paragraph", text: "县教育局2025年任务清单" },
      {
        kind: "table",
        headerRows: 1,
        rows: [
          [{ text: "类别" }, { text: "工作任务" }, { text: "责任单位" }, { text: "完成时限" }],
          [{ text: "党建" }, { text: "加强学习" }, { text: "办公室" }, { text: "6月底前" }],
          [{ text: "", continued: true }, { text: "从严治党" }, { text: "纪检组" }, { text: "", continued: true }],
        ],
      },
      { kind: "paragraph", text: "注:按季度报送进展" },
    ]);
  });

  it("gives a horizontal merge inside the table its span", () => {
    const [table] = sheetBlocks({
      rows: [
        ["序号", "工作任务", "牵头单位", "配合单位"],
        ["1", "加强学习", "办公室", ""],
      ],
      merges: [{ top: 1, left: 2, bottom: 1, right: 3 }],
    });
    expect((table as DocTable).rows[1]).toEqual([{ text: "1" }, { text: "加强学习" }, { text: "办公室", span: 2 }]);
  });

  it("continues a group cell repeated on every row instead of merged", () => {
    const [table] = sheetBlocks({
      rows: [
        ["类别", "工作任务", "责任单位"],
        ["党建", "加强学习", "办公室"],
        ["党建", "从严治党", "办公室"],
        ["育人", "思政课", "德育股"],
      ],
      merges: [],
    });
    const rows = (table as DocTable).rows;
    expect(rows.map((r) => r[0])).toEqual([{ text: "类别" }, { text: "党建" }, { text: "", continued: true }, { text: "育人" }]);
    // Repeats in other columns stay: a unit answers for several tasks.
    expect(rows[2]?.[2]).toEqual({ text: "办公室" });
  });

  it("reads a sheet with no header as one table", () => {
    const blocks = sheetBlocks({ rows: [["一、加强党建"], ["1.加强学习"]], merges: [] });
    expect(blocks).toEqual([{ kind: "table", headerRows: 0, rows: [[{ text: "一、加强党建" }], [{ text: "1.加强学习" }]] }]);
  });
});
