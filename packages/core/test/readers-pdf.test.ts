// The .pdf reader on real PDFs printed by LibreOffice (fixtures/formats/make-pdf.mjs): seed 002's
// 任务清单 as a bordered table over seven landscape pages (rows cut by five page breaks), seed 004 as paragraphs with a running
// header and page numbers, and the bad ones (password, scan, partly scanned, truncated).
// Goldens: UPDATE_GOLDEN=1 npx vitest run packages/core/test/readers-pdf.test.ts, then review.

import { readFileSync } from "node:fs";
import path from "node:path";
import { type DocTable, parseDocument } from "@taizhang/core";
import { describe, expect, it } from "vitest";
import { MAX_PAGES, pageList, readPdf } from "../src/readers/pdf.js";
import { expectFormatGolden, expectQuotesAtOffsets, FIXTURES } from "./golden.js";

const DIR = path.join(FIXTURES, "formats");
const bytesOf = (name: string) => new Uint8Array(readFileSync(path.join(DIR, name)));
/** Parsed under the seed's name, so the plans line up with the seed's gold. */
const parse = (name: string, source = name) => parseDocument(bytesOf(name), { source });
const codes = (diagnostics: readonly { code: string }[]) => diagnostics.map((d) => d.code);

/** A valid PDF of `count` empty pages, with its cross-reference table. */
function blankPdf(count: number): Uint8Array {
  const objects = ["<< /Type /Catalog /Pages 2 0 R >>", `<< /Type /Pages /Count ${count} /Kids [${Array.from({ length: count }, (_, i) => `${i + 3} 0 R`).join(" ")}] >>`];
  for (let i = 0; i < count; i++) objects.push("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>");
  let out = "%PDF-1.4\n";
  const offsets = objects.map((body, i) => {
    const at = out.length;
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

describe("002-table.pdf: the 任务清单 as a bordered table across pages", async () => {
  const result = await parse("002-table.pdf", "002_4f73318976e71334.txt");
  const plan = result.plans[0];
  const task = (n: string) => plan?.tasks.find((t) => t.number === n);

  it("matches its reviewed golden", () => {
    expectFormatGolden(path.join(DIR, "002-table.pdf"), result.plans);
  });

  it("reads every row as a task, in its section", () => {
    expect(result.format).toBe("pdf");
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(plan?.title).toBe("衡阳市进一步提高义务教育质量任务清单");
    expect(plan?.doc_number).toBe("衡政办函〔2023〕21号");
    expect(plan?.tasks.map((t) => t.path)).toEqual([
      "一/1", "二/2", "二/3", "二/4", "三/5", "三/6", "三/7", "四/8", "四/9", "四/10", "四/11", "四/12", "五/13", "五/14", "五/15", "五/16", "五/17",
    ]);
    expect(plan?.tasks.map((t) => t.measures)).toEqual([6, 3, 6, 3, 6, 5, 2, 5, 6, 5, 3, 4, 5, 3, 3, 4, 4]);
  });

  it("keeps each row's units, names wrapped in a narrow cell joined", () => {
    expect(task("6")?.units).toEqual(["市教育局", "市委编办", "市财政局", "市人社局", "各县市区人民政府"]);
    expect(task("13")?.units).toEqual(["市教育局", "市自然资源和规划局", "市住房和城乡建设局", "市财政局", "市统计局", "各县市区人民政府"]);
    // Row 15 is cut by the page break after its first unit.
    expect(task("15")?.units).toEqual(["市人社局", "市教育局", "市财政局", "各县市区人民政府"]);
  });

  it("rejoins rows split by a page break, mid-sentence included", () => {
    // Pages 2 → 3: the rest of row 1 has only measures (its title and unit cells are empty).
    expect(task("1")?.measures).toBe(6);
    expect(task("1")?.targets.map((t) => t.value)).toEqual([90, 1, 1]);
    // Pages 3 → 4 and 7 → 8: every cell of rows 4 and 15 goes on, titles and sentences included.
    expect([task("4")?.title, task("4")?.measures]).toEqual(["完善作业考试辅导", 3]);
    expect([task("15")?.title, task("15")?.measures]).toEqual(["落实学校办学自主", 3]);
    expect(result.text).toContain("要积极创新作业类型方式,合理布置书面作业");
  });

  it("drops page numbers and the repeated header rows", () => {
    expect(result.text).not.toMatch(/第\s*\d+\s*页/);
    expect(result.text.match(/具体措施/g)).toHaveLength(1);
  });

  it("gives one table with a spanning header cell and merged category cells", async () => {
    const doc = await readPdf(bytesOf("002-table.pdf"));
    const tables = doc.blocks.filter((b): b is DocTable => b.kind === "table");
    expect(tables).toHaveLength(1);
    const table = tables[0] as DocTable;
    expect(table.headerRows).toBe(1);
    expect(table.rows[0]).toEqual([{ text: "工作任务", span: 2 }, { text: "具体措施" }, { text: "责任单位" }]);
    expect(table.rows).toHaveLength(18);
    expect(table.rows.map((r) => (r[0]?.continued ? "^" : r[0]?.text))).toEqual([
      "工作任务", "全面发展素质教育", "二、强化课堂主阵地作", "^", "^", "三、建设高素质教师队", "^", "^",
      "四、深化关键领域改革", "^", "^", "^", "^", "五、提升教育治理能力", "^", "^", "^", "^",
    ]);
    expect(table.rows[1]?.[2]?.text.split("\n")).toHaveLength(7);
  });
});

describe("004-paragraphs.pdf: paragraphs under a running header, over page numbers", async () => {
  const result = await parse("004-paragraphs.pdf", "004_10dafd72f5573692.txt");

  it("matches its reviewed golden", () => {
    expectFormatGolden(path.join(DIR, "004-paragraphs.pdf"), result.plans);
  });

  it("rejoins each numbered item into one paragraph, without the header or page numbers", () => {
    const plan = result.plans[0];
    expect(plan?.title).toBe("2023年全市教育工作要点");
    expect(plan?.tasks.map((t) => t.path)).toEqual(["三/10", "三/11", "三/12", "三/13", "三/14", "四/15", "四/16", "四/17", "四/18"]);
    const lines = result.text.split("\n").filter(Boolean);
    expect(lines).toHaveLength(12);
    expect(lines.filter((l) => /^1\d\./.test(l))).toHaveLength(9);
    expect(result.text).not.toContain("内部资料");
    expect(result.text).not.toMatch(/-\s*\d+\s*-/);
    expect(plan?.tasks.find((t) => t.number === "10")?.targets.map((t) => t.value)).toEqual([80, 77000, 70]);
  });
});

describe("bad PDFs", () => {
  it("says a password-protected PDF is encrypted", async () => {
    const result = await parse("encrypted.pdf");
    expect(codes(result.diagnostics)).toEqual(["FILE_ENCRYPTED"]);
    expect(result.plans).toEqual([]);
  });

  it("says a scanned PDF has no text layer", async () => {
    const result = await parse("scanned.pdf");
    expect(codes(result.diagnostics)).toEqual(["PDF_NO_TEXT"]);
    expect(result.diagnostics[0]?.message).toContain("OCR");
  });

  it("reads the text pages of a partly scanned PDF and names the scanned page", async () => {
    const result = await parse("mixed.pdf");
    expect(result.diagnostics[0]?.code).toBe("PDF_PAGES_WITHOUT_TEXT");
    expect(result.diagnostics[0]?.message).toContain("第 2 页");
    expect(result.plans[0]?.tasks.map((t) => t.number)).toEqual(["10", "11"]);
  });

  it("names runs of scanned pages as ranges", () => {
    expect(pageList([2])).toBe("2");
    expect(pageList([2, 5, 6, 7, 9])).toBe("2、5–7、9");
  });

  it("refuses a PDF of more pages than a plan has, and calls a blank one textless", async () => {
    expect(codes((await readPdf(blankPdf(MAX_PAGES + 1))).diagnostics)).toEqual(["TOO_LARGE"]);
    expect(codes((await readPdf(blankPdf(2))).diagnostics)).toEqual(["PDF_NO_TEXT"]);
  });

  it("says a truncated PDF is corrupt", async () => {
    const result = await parse("corrupt.pdf");
    expect(codes(result.diagnostics)).toEqual(["FILE_CORRUPT"]);
    expect(result.diagnostics[0]?.message).toContain("PDF");
  });

  it("never throws on damaged bytes", async () => {
    const good = bytesOf("004-paragraphs.pdf");
    const garbage = new Uint8Array(4000).map((_, i) => (i * 7919) % 251);
    garbage.set(new TextEncoder().encode("%PDF-1.7\n"));
    const flipped = good.slice();
    for (let i = 1500; i < flipped.length; i += 997) flipped[i] = (flipped[i] as number) ^ 0x55;
    for (const bytes of [garbage, flipped, good.subarray(0, 9), new Uint8Array(0)]) {
      const doc = await readPdf(bytes);
      expect(doc.format).toBe("pdf");
      expect(Array.isArray(doc.blocks)).toBe(true);
    }
    expect(codes((await readPdf(garbage)).diagnostics)).toEqual(["FILE_CORRUPT"]);
  });
});
