// The .csv reader: RFC 4180 records, the delimiter told from the text, a task table told from
// plan text that is merely full of commas, and real files made by fixtures/formats/make-sheets.mjs
// (the ledger saved by Excel as GB18030 CSV, seed 002's task list).

import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { type DocTable, decode, type Plan, parseDocument, renderDocument } from "@taizhang/core";
import { describe, expect, it } from "vitest";
import { looksLikeCsv, parseRecords, readCsv } from "../src/readers/csv.js";
import { MAX_SHEET_ROWS } from "../src/readers/sheet.js";
import { expectFormatGolden, expectQuotesAtOffsets, FIXTURES, taskFields } from "./golden.js";

const DIR = path.join(FIXTURES, "formats");
const SEEDS = path.join(FIXTURES, "seeds");
const bytesOf = (name: string) => new Uint8Array(readFileSync(path.join(DIR, name)));
const parse = (name: string) => parseDocument(bytesOf(name), { source: name });


/** The result matches its reviewed golden (NAME.expected.json) and every quote sits at its offsets. */
function checkGolden(name: string, plans: readonly Plan[], text: string): void {
  expectQuotesAtOffsets(plans, text);
  expectFormatGolden(path.join(DIR, name), plans);
}

const rows = (text: string, delimiter = ",") => parseRecords(text, delimiter, Number.POSITIVE_INFINITY).rows;

describe("RFC 4180 records", () => {
  it("reads quoted fields holding the delimiter, doubled quotes and line breaks", () => {
    const text = 'a,"b,c","say ""好""","(1)第一项\r\n(2)第二项",e\r\nf,,"",g\r\n';
    expect(rows(text)).toEqual([
      ["a", "b,c", 'say "好"', "(1)第一项\r\n(2)第二项", "e"],
      ["f", "", "", "g"],
    ]);
  });

  it("ends records at LF, CRLF or CR, and adds none for a final line break", () => {
    expect(rows("a,b\nc,d\r\ne,f\rg,h")).toEqual([["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"]]);
    expect(rows("a,b\n")).toEqual([["a", "b"]]);
    expect(rows("a,b\n\nc,d")).toEqual([["a", "b"], [""], ["c", "d"]]);
  });

  it("is lenient where hand edits are: a stray quote, text after a closing quote, a quote left open", () => {
    expect(rows('a"b,c')).toEqual([['a"b', "c"]]);
    expect(rows('"a"b,c')).toEqual([["ab", "c"]]);
    expect(rows('a,"b\nc')).toEqual([["a", "b\nc"]]);
  });

  it("stops after the number of records asked for", () => {
    expect(parseRecords("a\nb\nc\n", ",", 2)).toEqual({ rows: [["a"], ["b"]], stopped: true });
    expect(parseRecords("a\nb\n", ",", 2)).toEqual({ rows: [["a"], ["b"]], stopped: false });
  });
});

describe("readCsv", () => {
  const table = (text: string) => readCsv(text).blocks.find((b): b is DocTable => b.kind === "table");

  it("tells a comma, tab or semicolon delimiter from the text", () => {
    const cells = [["序号", "工作任务", "责任单位"], ["1", "加强学习,提高站位", "办公室"]];
    const expected = cells.map((r) => r.map((text) => ({ text })));
    expect(table('序号,工作任务,责任单位\n1,"加强学习,提高站位",办公室\n')?.rows).toEqual(expected);
    expect(table("序号\t工作任务\t责任单位\n1\t加强学习,提高站位\t办公室\n")?.rows).toEqual(expected);
    expect(table("序号;工作任务;责任单位\n1;加强学习,提高站位;办公室\n")?.rows).toEqual(expected);
  });

  it("makes title rows paragraphs and finds the header by meaning", () => {
    const doc = readCsv("2025年工作任务分解表,,\n,,\n序号,重点任务,牵头单位\n1,加强思政课建设,德育股\n");
    expect(doc.blocks).toEqual([
      { kind: "paragraph", text: "2025年工作任务分解表" },
      { kind: "table", headerRows: 1, rows: [[{ text: "序号" }, { text: "重点任务" }, { text: "牵头单位" }], [{ text: "1" }, { text: "加强思政课建设" }, { text: "德育股" }]] },
    ]);
  });

  it("refuses a file longer than a task table can be", () => {
    const long = `序号,工作任务\n${"1,加强学习\n".repeat(MAX_SHEET_ROWS)}`;
    const doc = readCsv(long);
    expect(doc.diagnostics.map((d) => d.code)).toEqual(["SHEET_TOO_LONG"]);
    expect(doc.blocks).toEqual([]);
    expect(readCsv(`序号,工作任务\n${"1,加强学习\n".repeat(MAX_SHEET_ROWS - 1)}`).diagnostics).toEqual([]);
  });

  it("reads an empty text as nothing", () => {
    expect(readCsv("").blocks).toEqual([]);
    expect(readCsv(",,\n,,\n").blocks).toEqual([]);
  });
});

describe("looksLikeCsv", () => {
  it("is true for a .csv or .tsv name", () => {
    expect(looksLikeCsv("随便什么", "台账.CSV")).toBe(true);
    expect(looksLikeCsv("随便什么", "台账.tsv")).toBe(true);
  });

  it("is false for every seed plan, Chinese commas and all", () => {
    const seeds = readdirSync(SEEDS).filter((f) => f.endsWith(".txt")).sort();
    expect(seeds).toHaveLength(5);
    for (const f of seeds) {
      const text = decode(new Uint8Array(readFileSync(path.join(SEEDS, f)))).decoded?.text ?? "";
      expect(looksLikeCsv(text, f), f).toBe(false);
    }
  });

  it("is true for a task table under another name, false for a table of no tasks or prose with commas", () => {
    const table = readFileSync(path.join(DIR, "002-table.csv"), "utf8");
    expect(looksLikeCsv(table, "清单.txt")).toBe(true);
    expect(looksLikeCsv("序号\t工作任务\t责任单位\n1\t加强学习\t办公室\n2\t从严治党\t纪检组\n", "粘贴.txt")).toBe(true);
    expect(looksLikeCsv("姓名,年龄,班级\n张三,12,六年级\n李四,11,五年级\n", "名单.txt")).toBe(false);
    const prose = "一、加强党建,提高站位,强化担当\n1.加强学习,深化理解,推动落实\n2.从严治党,压实责任,强化监督\n";
    expect(looksLikeCsv(prose, "要点.txt")).toBe(false);
  });
});

describe("ledger-gbk.csv: the ledger saved as CSV by Excel on Chinese Windows", () => {
  it("is decoded from GB18030 and read as the ledger's first sheet", async () => {
    const result = await parse("ledger-gbk.csv");
    expect(result.format).toBe("csv");
    expect(result.encoding).toBe("gb18030");
    const gold = JSON.parse(readFileSync(path.join(DIR, "ledger-gbk.csv.gold.json"), "utf8")) as Plan[];
    expect(result.plans.map((p) => [p.title, p.issuer, p.year])).toEqual([["青阳县教育局2025年重点工作任务台账", "青阳县教育局", 2025]]);
    expect(result.plans[0]?.sections.map((s) => s.title)).toEqual(["全面加强党的建设", "落实立德树人根本任务", "推动教育优质均衡发展"]);
    expect(result.plans[0]?.tasks.map(taskFields)).toEqual(gold[0]?.tasks.map(taskFields));
    checkGolden("ledger-gbk.csv", result.plans, result.text);
  });

  it("keeps a quoted multi-line cell's measures and reads Excel's short dates as deadlines", async () => {
    const [plan] = (await parse("ledger-gbk.csv")).plans;
    const task = plan?.tasks.find((t) => t.number === "4");
    expect(task?.measures).toBe(2);
    expect(task?.deadlines.map((d) => [d.quote, d.date])).toEqual([["2025/9/30", "2025-09-30"]]);
    expect(task?.lead_units).toEqual(["德育体卫艺股"]);
  });
});

describe("002-table.csv: seed 002's task list, its category repeated on every row", () => {
  it("gives the tasks the reviewed .txt seed gives, with each category once", async () => {
    const result = await parse("002-table.csv");
    const seed = (JSON.parse(readFileSync(path.join(SEEDS, "002_4f73318976e71334.expected.json"), "utf8")) as Plan[])[0] as Plan;
    expect(result.format).toBe("csv");
    expect(result.plans).toHaveLength(1);
    expect(result.plans[0]?.sections.map((s) => [s.path, s.title])).toEqual(seed.sections.map((s) => [s.path, s.title]));
    expect(result.plans[0]?.tasks.map(taskFields)).toEqual(seed.tasks.map(taskFields));
    checkGolden("002-table.csv", result.plans, result.text);
  });

  it("renders a repeated category once", async () => {
    const text = renderDocument(readCsv(readFileSync(path.join(DIR, "002-table.csv"), "utf8"))).text;
    expect(text.split("\n").filter((l) => l === "二、强化课堂主阵地作")).toHaveLength(1);
  });
});
