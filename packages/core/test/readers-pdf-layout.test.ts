// The PDF reader's geometry on made-up pages: runs placed where a PDF would place them and ruling
// lines where a table's borders would be drawn; no pdfjs involved.

import type { DocBlock, DocTable } from "@taizhang/core";
import { describe, expect, it } from "vitest";
import { type PageContent, type Rule, type TextRun, cleanRunText, groupLines, layoutPages } from "../src/readers/pdf-layout.js";

const SIZE = 10;
const HEIGHT = 800;
const WIDTH = 600;

/** A run as a PDF places it: Chinese characters one em wide, Latin ones half. */
function run(text: string, x: number, y: number, extra: Partial<TextRun> = {}): TextRun {
  const width = [...text].reduce((w, ch) => w + (/[\x00-\x7f]/.test(ch) ? SIZE / 2 : SIZE), 0);
  return { text, x, y, width, size: SIZE, ...extra };
}
const h = (y: number, x1: number, x2: number): Rule => ({ x1, y1: y, x2, y2: y });
const v = (x: number, y1: number, y2: number): Rule => ({ x1: x, y1, x2: x, y2 });
const page = (runs: TextRun[], rules: Rule[] = []): PageContent => ({ width: WIDTH, height: HEIGHT, runs, rules });
const texts = (blocks: DocBlock[]) => blocks.map((b) => (b.kind === "paragraph" ? b.text : "<table>"));
const tableOf = (blocks: DocBlock[]) => blocks.find((b): b is DocTable => b.kind === "table");
/** A table's rows as short strings: "^" marks a cell continued from above, "[n]" a span. */
const rowsOf = (t: DocTable | undefined) =>
  t?.rows.map((row) => row.map((c) => `${c.continued ? "^" : ""}${c.span ? `[${c.span}]` : ""}${c.text}`));

describe("lines", () => {
  it("groups runs by baseline, top to bottom and left to right", () => {
    const lines = groupLines([run("第二行", 50, 120), run("第一行", 50, 100), run("右边", 80, 100.8), run("world", 80, 140), run("Hello", 50, 140)]);
    expect(lines.map((l) => l.text)).toEqual(["第一行右边", "第二行", "Hello world"]);
  });

  it("joins Chinese without spaces and keeps one between Latin words", () => {
    expect(cleanRunText("1. 强 化 德 智 体 美")).toBe("1.强化德智体美");
    expect(cleanRunText("不少于 90 分钟")).toBe("不少于90分钟");
    expect(cleanRunText("Word  and PDF")).toBe("Word and PDF");
    expect(groupLines([run("开展", 50, 100), run("工作", 70, 100)])[0]?.text).toBe("开展工作");
  });

  it("keeps a typed double space and a column-wide gap as one space", () => {
    expect(cleanRunText("市教育局  市委网信办")).toBe("市教育局 市委网信办");
    expect(groupLines([run("衡阳市人民政府办公室", 50, 100), run("2023年6月8日", 300, 100)])[0]?.text).toBe("衡阳市人民政府办公室 2023年6月8日");
  });

  it("keeps a word space where the producer ended a line (hasEOL) with no gap", () => {
    expect(groupLines([run("Hello", 50, 100, { eol: true }), run("again", 75, 100)])[0]?.text).toBe("Hello again");
    expect(groupLines([run("Hello", 50, 100), run("again", 75, 100)])[0]?.text).toBe("Helloagain");
  });

  it("drops a run drawn twice at the same place (fake bold)", () => {
    expect(groupLines([run("标题", 50, 100), run("标题", 50.3, 100.2)])[0]?.text).toBe("标题");
  });
});

describe("page headers and footers", () => {
  const body = (n: number) => [run(`第${n}页的正文内容。`, 50, 150)];
  it("drops running headers and page numbers, keeps body text in the margins", () => {
    const pages = [
      page([run("内部资料 注意保存", 250, 30), ...body(1), run("落实责任", 50, 760), run("- 1 -", 290, 780)]),
      page([run("内部资料 注意保存", 250, 30), ...body(2), run("第 2 页 共 4 页", 270, 780)]),
      page([run("内部资料 注意保存", 250, 30), ...body(3), run("3/4", 290, 780)]),
      page([run("内部资料 注意保存", 250, 30), ...body(4), run("2024", 50, 400), run("4", 295, 780)]),
    ];
    expect(texts(layoutPages(pages))).toEqual(["第1页的正文内容。", "落实责任", "第2页的正文内容。", "第3页的正文内容。", "第4页的正文内容。", "2024"]);
  });

  it("keeps a line that repeats on too few pages", () => {
    const pages = [page([run("附件1", 50, 30), run("正文一。", 50, 100)]), page([run("正文二。", 50, 100)]), page([run("正文三。", 50, 100)])];
    expect(texts(layoutPages(pages))[0]).toBe("附件1");
  });
});

describe("paragraphs", () => {
  // The text runs from x = 50 to 250: twenty characters a line; paragraphs indented two.
  const full = (text: string, y: number) => run(text.padEnd(20, "文"), 50, y);
  const lines = [
    run("一、总体要求", 50, 100),
    run("坚持".padEnd(18, "甲"), 70, 115),
    full("乙", 130),
    run("结束。", 50, 145),
    run("第二段".padEnd(18, "丙"), 70, 160),
    full("丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁。", 175),
    run("句号在行末也接续。", 50, 190),
    full("(1)", 205),
    run("(2)编号另起。", 50, 220),
    full("增长", 235),
    run("1.5倍以上。", 50, 250),
  ];

  it("rejoins lines that run to the margin; indents, list numbers and short lines end paragraphs", () => {
    expect(texts(layoutPages([page(lines)]))).toEqual([
      "一、总体要求",
      `${"坚持".padEnd(18, "甲")}${"乙".padEnd(20, "文")}结束。`,
      `${"第二段".padEnd(18, "丙")}丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁。句号在行末也接续。`,
      "(1)".padEnd(20, "文"),
      "(2)编号另起。",
      `${"增长".padEnd(20, "文")}1.5倍以上。`,
    ]);
  });

  it("ends a paragraph at a full line closing with 。 when paragraphs are not indented", () => {
    const flat = [full("一", 100), full("二二二二二二二二二二二二二二二二二二二。", 115), run("新段落。", 50, 130), full("三", 145), run("续。", 50, 160)];
    expect(texts(layoutPages([page(flat)]))).toEqual([`${"一".padEnd(20, "文")}二二二二二二二二二二二二二二二二二二二。`, "新段落。", `${"三".padEnd(20, "文")}续。`]);
  });

  it("goes on after a full line ending in a colon (a 责任单位 note cut by the line end)", () => {
    const note = "定期开展筑牢校园安全防护网。(责任单位:";
    expect(note).toHaveLength(20);
    const flat = [run(note, 50, 100), run("安保科、基教科)", 50, 115)];
    expect(texts(layoutPages([page(flat)]))).toEqual([`${note}安保科、基教科)`]);
  });

  it("continues a paragraph on the next page", () => {
    const pages = [page([run("开头。", 50, 100), full("跨页", 700)]), page([run("的段落。", 50, 100)])];
    expect(texts(layoutPages(pages))).toEqual(["开头。", `${"跨页".padEnd(20, "文")}的段落。`]);
  });
});

describe("bordered tables", () => {
  // Columns 50 | 100 | 200 | 260; the header's first cell spans two columns, the first column's
  // cell spans rows 1–2 (no rule under row 1 in that column).
  const rules = [
    h(100, 50, 260), h(120, 50, 260), h(160, 100, 260), h(200, 50, 260), h(240, 50, 260),
    v(50, 100, 240), v(100, 120, 240), v(200, 100, 240), v(260, 100, 240),
  ];
  const runs = [
    run("工作任务", 105, 114), run("责任单位", 210, 114),
    run("一、大类", 55, 163), run("1.任务甲", 104, 140), run("市教育局", 204, 135), run("市财政局", 204, 150),
    run("2.任务乙", 104, 180), run("市财政局", 204, 180),
    run("二、大类", 55, 220), run("3.任务丙", 104, 220), run("各县市区人", 204, 215), run("民政府", 204, 230),
  ];

  it("rebuilds the grid: spans, vertical merges, cells of several lines", () => {
    const table = tableOf(layoutPages([page([run("任务清单", 100, 80), ...runs], rules)]));
    expect(rowsOf(table)).toEqual([
      ["[2]工作任务", "责任单位"],
      ["一、大类", "1.任务甲", "市教育局\n市财政局"],
      ["^", "2.任务乙", "市财政局"],
      ["二、大类", "3.任务丙", "各县市区人民政府"],
    ]);
    expect(table?.headerRows).toBe(1);
  });

  it("leaves a single framed box as text", () => {
    const box = [h(100, 50, 300), h(140, 50, 300), v(50, 100, 140), v(300, 100, 140)];
    expect(texts(layoutPages([page([run("注:框内说明文字。", 60, 125)], box)]))).toEqual(["注:框内说明文字。"]);
  });
});

describe("a table across pages", () => {
  const xs = [50, 100, 200, 450, 520];
  /** Borders of a table whose rows end at `ys`; `merged` lists rows whose first-column rule is missing below. */
  const grid = (ys: number[], merged: number[] = []): Rule[] => [
    ...ys.map((y, r) => (merged.includes(r - 1) ? h(y, 100, 520) : h(y, 50, 520))),
    ...xs.map((x) => v(x, ys[0] as number, ys.at(-1) as number)),
  ];
  const header = (y: number) => [run("类别", 55, y), run("工作任务", 104, y), run("具体措施", 204, y), run("责任单位", 454, y)];
  // A line of measures that fills the column (204 … 446).
  const fullMeasure = "(1)措施二" + "甲".repeat(19);
  const page1 = page(
    [
      run("任务清单", 200, 60),
      ...header(94),
      run("一、类别甲", 55, 150),
      run("1.任务一", 104, 124), run("(1)措施一。", 204, 124), run("市教育局", 454, 124),
      run("2.任务二", 104, 164), run(fullMeasure, 204, 164), run("市财政局", 454, 164),
      run("- 1 -", 290, 780),
    ],
    grid([80, 100, 140, 180], [1]),
  );
  const page2 = page(
    [
      ...header(94),
      run("后半部分。", 204, 114), run("(2)措施三。", 204, 129),
      run("3.任务三", 104, 164), run("(1)措施四。", 204, 164), run("市教育局", 454, 164),
      run("二、类别乙", 55, 204), run("4.任务四", 104, 204), run("(1)措施五。", 204, 204), run("市教育局", 454, 204),
      run("- 2 -", 290, 780),
    ],
    grid([80, 100, 140, 180, 220], [1]),
  );

  it("is one table: the repeated header dropped, the split row rejoined, the merged category continued", () => {
    const blocks = layoutPages([page1, page2]);
    expect(texts(blocks)).toEqual(["任务清单", "<table>"]);
    const table = tableOf(blocks);
    expect(rowsOf(table)).toEqual([
      ["类别", "工作任务", "具体措施", "责任单位"],
      ["一、类别甲", "1.任务一", "(1)措施一。", "市教育局"],
      ["^", "2.任务二", `${fullMeasure}后半部分。\n(2)措施三。`, "市财政局"],
      ["^", "3.任务三", "(1)措施四。", "市教育局"],
      ["二、类别乙", "4.任务四", "(1)措施五。", "市教育局"],
    ]);
    expect(table?.headerRows).toBe(1);
  });

  it("rejoins a row whose every cell goes on after the break, told by its missing row number", () => {
    const cols = [50, 150, 400, 470];
    const box = (ys: number[]): Rule[] => [...ys.map((y) => h(y, 50, 470)), ...cols.map((x) => v(x, ys[0] as number, ys.at(-1) as number))];
    const head = (y: number) => [run("工作任务", 54, y), run("具体措施", 154, y), run("责任单位", 404, y)];
    const title = "2.任务二标题甲乙丙丁"; // fills its cell (54 … 146)
    const first = page(
      [
        ...head(94),
        run("1.任务一", 54, 124), run("(1)措施一。", 154, 124), run("市教育局", 404, 124),
        run(title, 54, 164), run(fullMeasure, 154, 164), run("市财政局", 404, 164),
      ],
      box([80, 100, 140, 180]),
    );
    const second = page(
      [
        ...head(94),
        run("续", 54, 124), run("后半部分。", 154, 124), run("各县市区人民", 404, 119), run("政府", 404, 134),
        run("3.任务三", 54, 164), run("(1)措施三。", 154, 164), run("市教育局", 404, 164),
      ],
      box([80, 100, 140, 180]),
    );
    expect(rowsOf(tableOf(layoutPages([first, second])))).toEqual([
      ["工作任务", "具体措施", "责任单位"],
      ["1.任务一", "(1)措施一。", "市教育局"],
      [`${title}续`, `${fullMeasure}后半部分。`, "市财政局\n各县市区人民政府"],
      ["3.任务三", "(1)措施三。", "市教育局"],
    ]);
  });

  it("stays two tables when the columns differ", () => {
    const narrow = page([run("甲", 55, 94), run("乙", 104, 94), run("丙", 55, 114), run("丁", 104, 114)], [h(80, 50, 300), h(100, 50, 300), h(120, 50, 300), v(50, 80, 120), v(100, 80, 120), v(300, 80, 120)]);
    expect(texts(layoutPages([page1, narrow]))).toEqual(["任务清单", "<table>", "<table>"]);
  });
});

describe("tables without borders", () => {
  it("tells columns by alignment; a wrapped cell line joins its cell", () => {
    const runs = [
      run("序号", 50, 100), run("任务", 100, 100), run("责任单位", 300, 100),
      run("1", 50, 115), run("第一项任务内容", 100, 115), run("市教育局", 300, 115),
      run("一段续行", 100, 130),
      run("2", 50, 145), run("第二项", 100, 145), run("市财政局", 300, 145),
      run("表后的正文。", 50, 190),
    ];
    const blocks = layoutPages([page(runs)]);
    expect(texts(blocks)).toEqual(["<table>", "表后的正文。"]);
    expect(rowsOf(tableOf(blocks))).toEqual([
      ["序号", "任务", "责任单位"],
      ["1", "第一项任务内容一段续行", "市教育局"],
      ["2", "第二项", "市财政局"],
    ]);
  });

  it("does not take two lines with a gap for a table", () => {
    const runs = [run("衡阳市人民政府办公室", 300, 100), run("签发人:张三", 50, 115), run("2023年6月8日", 300, 115), run("正文。", 50, 130)];
    expect(texts(layoutPages([page(runs)]))).not.toContain("<table>");
  });
});
