import { readFileSync } from "node:fs";
import path from "node:path";
import { type DocTable, type Plan, parseDocument, renderDocument } from "@taizhang/core";
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { createNumberer, formatNumber, readNumbering } from "../src/readers/docx-numbering.js";
import { readDocx } from "../src/readers/docx.js";
import { parseXml } from "../src/readers/xml.js";
import { expectFormatGolden, expectQuotesAtOffsets, FIXTURES } from "./golden.js";

const W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const formats = (name: string) => path.join(FIXTURES, "formats", name);
const fixture = (name: string) => new Uint8Array(readFileSync(formats(name)));

/** A .docx holding `body` (the inside of w:body) and, when given, styles and numbering parts. */
function docx(body: string, parts: { styles?: string; numbering?: string; root?: string } = {}): Uint8Array {
  const root = parts.root ?? `w:document xmlns:w="${W}"`;
  const name = root.split(" ")[0] as string;
  const prefix = name.includes(":") ? name.split(":")[0] + ":" : "";
  const files: Record<string, Uint8Array> = {
    "[Content_Types].xml": strToU8("<Types/>"),
    "word/document.xml": strToU8(`<?xml version="1.0"?><${root}><${prefix}body>${body}</${prefix}body></${name}>`),
  };
  if (parts.styles) files["word/styles.xml"] = strToU8(`<w:styles xmlns:w="${W}">${parts.styles}</w:styles>`);
  if (parts.numbering) files["word/numbering.xml"] = strToU8(`<w:numbering xmlns:w="${W}">${parts.numbering}</w:numbering>`);
  return zipSync(files);
}

const p = (inner: string, pPr = "") => `<w:p>${pPr ? `<w:pPr>${pPr}</w:pPr>` : ""}${inner}</w:p>`;
const r = (text: string) => `<w:r><w:t xml:space="preserve">${text}</w:t></w:r>`;
const numPr = (numId: number, ilvl: number) => `<w:numPr><w:ilvl w:val="${ilvl}"/><w:numId w:val="${numId}"/></w:numPr>`;
const texts = (bytes: Uint8Array) => readDocx(bytes).blocks.map((b) => (b.kind === "paragraph" ? b.text : "[table]"));
const tableOf = (bytes: Uint8Array) => readDocx(bytes).blocks.find((b): b is DocTable => b.kind === "table");

// ---------------------------------------------------------------------------------------------
// The fixtures made by make-docx.mjs

/**
 * The fields a task is compared on with the .txt seed's reviewed plan: offsets differ, and quotes
 * lose the spaces the seed's PDF copy put between Chinese characters.
 */
function taskFields(t: Plan["tasks"][number]) {
  const squeeze = (quote: string) => quote.replace(/\s+/g, "");
  return {
    path: t.path,
    title: t.title,
    measures: t.measures,
    units: t.units,
    lead_units: t.lead_units,
    deadlines: t.deadlines.map((d) => [squeeze(d.quote), d.date]),
    targets: t.targets.map((x) => [squeeze(x.quote), x.value, x.value_max, x.unit]),
  };
}

describe("docx fixtures through parseDocument", () => {
  for (const [name, seed] of [["002-table.docx", "002_4f73318976e71334"], ["004-numbered.docx", "004_10dafd72f5573692"]] as const) {
    it(`${name} gives the plan its .txt seed gives, and its reviewed golden`, async () => {
      const result = await parseDocument(fixture(name), { source: name });
      expect(result.format).toBe("docx");
      expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const [expected] = JSON.parse(readFileSync(path.join(FIXTURES, "seeds", `${seed}.expected.json`), "utf8")) as Plan[];
      expect(result.plans).toHaveLength(1);
      const [plan] = result.plans as [Plan];
      expect([plan.title, plan.issuer, plan.doc_number, plan.year]).toEqual([expected?.title, expected?.issuer, expected?.doc_number, expected?.year]);
      expect(plan.sections.map((x) => [x.path, x.title])).toEqual(expected?.sections.map((x) => [x.path, x.title]));
      expect(plan.tasks.map(taskFields)).toEqual(expected?.tasks.map(taskFields));
      expectQuotesAtOffsets(result.plans, result.text);
      expectFormatGolden(formats(name), result.plans);
    });
  }

  it("002-table.docx: the 任务清单 is one table with its header, spans and merges", () => {
    const doc = readDocx(fixture("002-table.docx"));
    const tables = doc.blocks.filter((b): b is DocTable => b.kind === "table");
    expect(tables).toHaveLength(1);
    const [table] = tables as [DocTable];
    expect(table.headerRows).toBe(1);
    expect(table.rows).toHaveLength(18);
    expect(table.rows[0]).toEqual([{ text: "工作任务", span: 2 }, { text: "具体措施" }, { text: "责任单位" }]);
    expect(table.rows[1]?.[0]).toEqual({ text: "全面发展素质教育" });
    expect(table.rows[1]?.[1]?.text).toBe("1.强化德智体美劳“五育”并举");
    expect(table.rows[1]?.[2]?.text.split("\n").filter((l) => /^\(\d\)/.test(l))).toHaveLength(6);
    expect(table.rows[3]?.[0]).toEqual({ text: "", continued: true });
    expect(table.rows[13]?.[3]?.text).toBe("市教育局\n市自然资源和规划局\n市住房和城乡建设局\n市财政局\n市统计局\n各县市区人民政府");
    expect(table.rows.filter((row) => row[0]?.continued)).toHaveLength(12);
  });

  it("002-table.docx: the running header and footer are not read", async () => {
    const { text } = await parseDocument(fixture("002-table.docx"), { source: "002-table.docx" });
    expect(text).not.toContain("衡阳市人民政府办公室文件");
    expect(text).not.toContain("第 1 页");
    expect(text.startsWith("衡阳市人民政府办公室\n\n关于印发《衡阳市进一步提高义务教育质量任务清单》的通知\n\n")).toBe(true);
  });

  it("004-numbered.docx: Word's numbers are in the text, revisions as Word shows them", async () => {
    const doc = readDocx(fixture("004-numbered.docx"));
    const heads = doc.blocks.map((b) => (b.kind === "paragraph" ? b.text.slice(0, 4) : ""));
    expect(heads).toEqual(["2023", "三、强化", "10.持", "11.持", "12.持", "13.持", "14.引", "四、深化", "15.全", "16.深", "17.积", "18.扩"]);
    expect(doc.blocks[1]).toEqual({ kind: "paragraph", text: "三、强化统筹协调,构建高质量教育体系", heading: 1 });
    const { text } = renderDocument(doc);
    expect(text).not.toContain("此句已被删除");
    expect(text).toContain("10.持续扩增基础教育优质资源。落实《XX市基础教育优质资源倍增三年行动计划》。新建");
  });
});

describe("bad .docx files", () => {
  it("a truncated file is corrupt", async () => {
    const result = await parseDocument(fixture("corrupt.docx"), { source: "corrupt.docx" });
    expect(result.plans).toEqual([]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["FILE_CORRUPT"]);
    const direct = readDocx(fixture("corrupt.docx"));
    expect(direct.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining("Word 文档")]);
  });

  it("a zip bomb that lies about its size is stopped at the limit, quickly", async () => {
    expect(fixture("bomb.docx").length).toBeLessThan(1024 * 1024);
    const started = performance.now();
    const result = await parseDocument(fixture("bomb.docx"), { source: "bomb.docx" });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(result.plans).toEqual([]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["ARCHIVE_TOO_LARGE"]);
    expect(result.diagnostics[0]?.message).toContain("64 MB");
  });

  it("a document without text has no blocks, and parseDocument says so", async () => {
    expect(readDocx(fixture("empty.docx"))).toEqual({ format: "docx", blocks: [], meta: {}, diagnostics: [] });
    const result = await parseDocument(fixture("empty.docx"), { source: "empty.docx" });
    expect(result.diagnostics.map((d) => d.code)).toEqual(["NO_TEXT_IN_DOCUMENT"]);
  });

  it("bytes that are not a zip, a zip without a document, and broken XML are corrupt", () => {
    const codes = (bytes: Uint8Array) => readDocx(bytes).diagnostics.map((d) => d.code);
    expect(codes(strToU8("PK\u0003\u0004 but nothing else"))).toEqual(["FILE_CORRUPT"]);
    expect(codes(zipSync({ "word/other.xml": strToU8("<a/>") }))).toEqual(["FILE_CORRUPT"]);
    const broken = zipSync({ "word/document.xml": strToU8(`<w:document xmlns:w="${W}"><w:body><w:p><w:r><w:t>断</w:t></w:body></w:document>`) });
    expect(codes(broken)).toEqual(["FILE_CORRUPT"]);
  });
});

// ---------------------------------------------------------------------------------------------
// Numbering

const LEVELS = `
<w:abstractNum w:abstractNumId="0">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="(%2)"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimalEnclosedCircle"/><w:lvlText w:val="%4"/></w:lvl>
</w:abstractNum>`;

function numberer(xml: string) {
  return createNumberer(readNumbering(parseXml(`<w:numbering xmlns:w="${W}">${xml}</w:numbering>`)));
}

describe("Word numbering", () => {
  it("draws each level's text, a higher level restarting the lower ones", () => {
    const number = numberer(`${LEVELS}<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>`);
    expect([0, 1, 2, 2, 3, 1, 2, 0, 1, 2].map((ilvl) => number("1", ilvl))).toEqual(["一、", "(一)", "1.", "2.", "①", "(二)", "1.", "二、", "(一)", "1."]);
  });

  it("starts at w:start, restarts an instance with startOverride, continues plain instances of one list", () => {
    const number = numberer(`
      <w:abstractNum w:abstractNumId="5"><w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="5"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="5"/></w:num>
      <w:num w:numId="3"><w:abstractNumId w:val="5"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>`);
    expect([number("1", 0), number("1", 0), number("2", 0), number("3", 0), number("3", 0), number("1", 0)]).toEqual(["3.", "4.", "5.", "1.", "2.", "6."]);
  });

  it("honours w:lvlRestart: 0 never restarts, 1 restarts only after level 1", () => {
    const number = numberer(`
      <w:abstractNum w:abstractNumId="0">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="(%2)"/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlRestart w:val="1"/><w:lvlText w:val="%3."/></w:lvl>
        <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlRestart w:val="0"/><w:lvlText w:val="%4)"/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>`);
    const seq = [0, 2, 3, 1, 2, 3, 0, 2, 3].map((ilvl) => number("1", ilvl));
    expect(seq).toEqual(["一、", "1.", "1)", "(一)", "2.", "2)", "二、", "1.", "3)"]);
  });

  it("redefines a level in w:lvlOverride, draws legal numbering, and skips bullets", () => {
    const number = numberer(`
      <w:abstractNum w:abstractNumId="0">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="space"/><w:lvlText w:val="第%1章"/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:isLgl/><w:lvlText w:val="%1.%2"/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="●"/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:lvl w:ilvl="0"><w:start w:val="7"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl></w:lvlOverride></w:num>`);
    expect([number("1", 0), number("1", 1), number("1", 1), number("1", 2)]).toEqual(["第一章 ", "1.1 ", "1.2 ", ""]);
    expect(number("2", 0)).toBe("VII.");
    expect(number("9", 0)).toBe("");
  });

  it("reads a custom format's plain fallback from mc:AlternateContent", () => {
    const number = numberer(`
      <w:abstractNum w:abstractNumId="0" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:lvl w:ilvl="0"><w:start w:val="1"/>
        <mc:AlternateContent><mc:Choice Requires="w14"><w:numFmt w:val="custom" w:format="001, 002, 003, ..."/></mc:Choice><mc:Fallback><w:numFmt w:val="decimalZero"/></mc:Fallback></mc:AlternateContent>
        <w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>
      <w:num w:numId="4"><w:abstractNumId w:val="0"/></w:num>`);
    expect(number("4", 0)).toBe("01、");
  });

  it("formats counters as Word does", () => {
    const f = (format: string, values: number[]) => values.map((n) => formatNumber(n, format));
    expect(f("chineseCounting", [1, 9, 10, 11, 20, 21, 99, 101])).toEqual(["一", "九", "十", "十一", "二十", "二十一", "九十九", "一〇一"]);
    expect(f("chineseCountingThousand", [10, 100, 101, 110, 1000, 1010, 2345])).toEqual(["十", "一百", "一百〇一", "一百一十", "一千", "一千〇一十", "二千三百四十五"]);
    expect(f("chineseLegalSimplified", [1, 11, 20, 105])).toEqual(["壹", "壹拾壹", "贰拾", "壹佰零伍"]);
    expect(f("ideographTraditional", [1, 10, 11])).toEqual(["甲", "癸", "11"]);
    expect(f("ideographDigital", [10, 2024])).toEqual(["一〇", "二〇二四"]);
    expect(f("decimalEnclosedCircle", [1, 20, 21])).toEqual(["①", "⑳", "21"]);
    expect(f("decimalEnclosedParen", [3])).toEqual(["⑶"]);
    expect(f("decimalFullWidth", [12])).toEqual(["１２"]);
    expect(f("upperRoman", [4, 1999])).toEqual(["IV", "MCMXCIX"]);
    expect(f("lowerLetter", [1, 26, 27])).toEqual(["a", "z", "aa"]);
    expect(f("decimalZero", [5, 12])).toEqual(["05", "12"]);
    expect(f("somethingNew", [7])).toEqual(["7"]);
    expect(f("lowerLetter", [1e9])).toEqual(["1000000000"]);
    expect(f("chineseCounting", [-1, 1e21])).toEqual(["-1", "1e+21"]);
  });
});

// ---------------------------------------------------------------------------------------------
// The body

const STYLES = `
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="a7"><w:name w:val="标题 3"/></w:style>
<w:style w:type="paragraph" w:styleId="Outline"><w:name w:val="我的标题"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Child"><w:name w:val="子样式"/><w:basedOn w:val="Outline"/></w:style>
<w:style w:type="paragraph" w:styleId="Plain"><w:name w:val="正文样式"/><w:basedOn w:val="2"/><w:pPr><w:outlineLvl w:val="9"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Loop"><w:name w:val="循环"/><w:basedOn w:val="Loop"/></w:style>
<w:style w:type="paragraph" w:styleId="Listed"><w:name w:val="编号标题"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Listed2"><w:name w:val="编号标题2"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>`;
const NUMBERING = `${LEVELS.replace('<w:lvl w:ilvl="0"><w:start w:val="1"/>', '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:pStyle w:val="Listed"/>').replace('<w:lvl w:ilvl="1"><w:start w:val="1"/>', '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:pStyle w:val="Listed2"/>')}<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>`;

describe("reading the body", () => {
  it("joins runs: tabs, breaks, hyphens, symbols, entities", () => {
    const body = p(
      r("一&amp;二") +
        "<w:r><w:tab/><w:t>三</w:t><w:br/><w:t>四</w:t><w:cr/><w:t>五</w:t><w:noBreakHyphen/><w:t>六</w:t><w:softHyphen/><w:sym w:font=\"Symbol\" w:char=\"F0B7\"/><w:sym w:font=\"SimSun\" w:char=\"2605\"/></w:r>" +
        '<w:proofErr w:type="spellStart"/><w:bookmarkStart w:id="0" w:name="a"/>' +
        r(" &#x4E03;&lt;"),
      '<w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs>',
    );
    expect(texts(docx(body))).toEqual(["一&二 三\n四\n五-六★ 七<"]);
  });

  it("shows what Word shows: no deleted, moved-away, hidden or field-code text", () => {
    const body = p(
      r("保留") +
        `<w:del w:id="1"><w:r><w:delText>删除</w:delText></w:r></w:del>` +
        `<w:ins w:id="2">${r("插入")}</w:ins>` +
        `<w:moveFrom w:id="3">${r("移走")}</w:moveFrom><w:moveTo w:id="4">${r("移来")}</w:moveTo>` +
        `<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>显示</w:t></w:r>` +
        `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGEREF _Toc1 \\h </w:instrText></w:r>` +
        `<w:r><w:fldChar w:fldCharType="separate"/></w:r>${r("结果")}<w:r><w:fldChar w:fldCharType="end"/></w:r>` +
        `<w:fldSimple w:instr=" DATE ">${r("简单域")}</w:fldSimple>` +
        `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:t>代码</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>` +
        r("完"),
      '<w:pPrChange w:id="5"><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr></w:pPrChange>',
    );
    expect(texts(docx(body, { numbering: NUMBERING }))).toEqual(["保留插入移来显示结果简单域完"]);
  });

  it("reads heading levels from style names, outline levels and w:basedOn", () => {
    const body = [
      p(r("二级"), '<w:pStyle w:val="2"/>'),
      p(r("三级"), '<w:pStyle w:val="a7"/>'),
      p(r("大纲"), '<w:pStyle w:val="Outline"/>'),
      p(r("继承"), '<w:pStyle w:val="Child"/>'),
      p(r("段落大纲"), '<w:outlineLvl w:val="3"/>'),
      p(r("正文级"), '<w:pStyle w:val="2"/><w:outlineLvl w:val="9"/>'),
      p(r("正文样式"), '<w:pStyle w:val="Plain"/>'),
      p(r("循环"), '<w:pStyle w:val="Loop"/>'),
      p(r("未定义"), '<w:pStyle w:val="Missing"/>'),
      p(r("正文")),
    ].join("");
    const blocks = readDocx(docx(body, { styles: STYLES })).blocks;
    expect(blocks.map((b) => (b.kind === "paragraph" ? [b.text, b.heading ?? 0] : []))).toEqual([
      ["二级", 2], ["三级", 3], ["大纲", 2], ["继承", 2], ["段落大纲", 4], ["正文级", 0], ["正文样式", 0], ["循环", 0], ["未定义", 0], ["正文", 0],
    ]);
  });

  it("numbers paragraphs from their own w:numPr or their style's, and w:numId 0 removes it", () => {
    const body = [
      p(r("总体要求"), '<w:pStyle w:val="Listed"/>'),
      p(r("指导思想"), '<w:pStyle w:val="Listed2"/>'),
      p(r("加强学习"), numPr(1, 2)),
      p(r("不编号"), '<w:pStyle w:val="Listed"/><w:numPr><w:numId w:val="0"/></w:numPr>'),
      p(r("主要任务"), '<w:pStyle w:val="Listed"/>'),
      p(r("落实"), numPr(1, 2)),
      p("", numPr(1, 2)),
      p(r("无定义"), numPr(7, 0)),
    ].join("");
    expect(texts(docx(body, { styles: STYLES, numbering: NUMBERING }))).toEqual([
      "一、总体要求", "(一)指导思想", "1.加强学习", "不编号", "二、主要任务", "1.落实", "2.", "无定义",
    ]);
    expect(readDocx(docx(p(r("标题"), '<w:pStyle w:val="Listed"/>'), { styles: STYLES, numbering: NUMBERING })).blocks).toEqual([
      { kind: "paragraph", text: "一、标题", heading: 1 },
    ]);
  });

  it("numbers paragraphs in table cells and text boxes in document order", () => {
    const cell = (inner: string) => `<w:tc>${inner}</w:tc>`;
    const body =
      p(r("前"), numPr(1, 2)) +
      `<w:tbl><w:tr>${cell(p(r("甲"), numPr(1, 2)) + p(r("乙"), numPr(1, 2)))}${cell(p(r("丙")))}</w:tr></w:tbl>` +
      p(r("后"), numPr(1, 2));
    const blocks = readDocx(docx(body, { numbering: NUMBERING })).blocks;
    expect(blocks).toEqual([
      { kind: "paragraph", text: "1.前" },
      { kind: "table", rows: [[{ text: "2.甲\n3.乙" }, { text: "丙" }]], headerRows: 0 },
      { kind: "paragraph", text: "4.后" },
    ]);
  });

  it("reads tables: spans, vertical merges, repeated header rows, gridBefore, deleted rows", () => {
    const tc = (text: string, tcPr = "") => `<w:tc>${tcPr ? `<w:tcPr>${tcPr}</w:tcPr>` : ""}${text.split("|").map((t) => p(r(t))).join("")}</w:tc>`;
    const header = "<w:trPr><w:tblHeader/></w:trPr>";
    const body =
      "<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>" +
      `<w:tr>${header}${tc("任务清单", '<w:gridSpan w:val="4"/>')}</w:tr>` +
      `<w:tr>${header}${tc("工作任务", '<w:gridSpan w:val="2"/>')}${tc("具体措施")}${tc("责任单位")}</w:tr>` +
      `<w:tr>${tc("一、类别", '<w:vMerge w:val="restart"/>')}${tc("1.任务")}${tc("(1)措施一|(2)措施二")}${tc("市教育局|市财政局")}</w:tr>` +
      `<w:tr>${tc("", "<w:vMerge/>")}${tc("2.任务")}${tc("措施")}${tc("市教育局")}</w:tr>` +
      `<w:tr><w:trPr><w:del w:id="9"/></w:trPr>${tc("删掉的行", '<w:gridSpan w:val="4"/>')}</w:tr>` +
      `<w:tr><w:trPr><w:gridBefore w:val="1"/><w:tblHeader w:val="true"/></w:trPr>${tc("3.任务")}${tc("")}${tc("市教育局", '<w:vMerge w:val="continue"/>')}</w:tr>` +
      "</w:tbl>";
    const table = tableOf(docx(body));
    expect(table).toEqual({
      kind: "table",
      headerRows: 2,
      rows: [
        [{ text: "任务清单", span: 4 }],
        [{ text: "工作任务", span: 2 }, { text: "具体措施" }, { text: "责任单位" }],
        [{ text: "一、类别" }, { text: "1.任务" }, { text: "(1)措施一\n(2)措施二" }, { text: "市教育局\n市财政局" }],
        [{ text: "", continued: true }, { text: "2.任务" }, { text: "措施" }, { text: "市教育局" }],
        [{ text: "" }, { text: "3.任务" }, { text: "" }, { text: "市教育局", continued: true }],
      ],
    });
    const { text, cells } = renderDocument({ blocks: [table as DocTable] });
    expect(text).toBe("任务清单\n\n工作任务\n\n具体措施\n\n责任单位\n\n一、类别\n\n1.任务\n\n(1)措施一\n(2)措施二\n\n市教育局\n市财政局\n\n2.任务\n\n措施\n\n市教育局\n\n3.任务\n\n");
    expect(cells.map((c) => c.column)).toEqual([0, 0, 2, 3, 0, 1, 2, 3, 1, 2, 3, 1]);
  });

  it("flattens a nested table into its cell, unwraps a one-cell frame, merges w:hMerge cells", () => {
    const inner = `<w:tbl><w:tr><w:tc>${p(r("内一"))}</w:tc><w:tc>${p(r("内二"))}</w:tc></w:tr><w:tr><w:tc>${p(r("内三"))}</w:tc></w:tr></w:tbl>`;
    const nested = `<w:tbl><w:tr><w:tc>${p(r("外"))}${inner}${p(r("尾"))}</w:tc><w:tc>${p(r("右"))}</w:tc></w:tr></w:tbl>`;
    expect(tableOf(docx(nested))?.rows).toEqual([[{ text: "外\n内一\n内二\n内三\n尾" }, { text: "右" }]]);
    const frame = `<w:tbl><w:tr><w:tc>${p(r("框内第一段"))}${p(r("框内第二段"))}</w:tc></w:tr></w:tbl>`;
    expect(readDocx(docx(frame)).blocks).toEqual([
      { kind: "paragraph", text: "框内第一段" },
      { kind: "paragraph", text: "框内第二段" },
    ]);
    const hmerge = `<w:tbl><w:tr><w:tc><w:tcPr><w:hMerge w:val="restart"/></w:tcPr>${p(r("合并"))}</w:tc><w:tc><w:tcPr><w:hMerge/></w:tcPr>${p("")}</w:tc><w:tc>${p(r("单独"))}</w:tc></w:tr><w:tr><w:tc>${p(r("a"))}</w:tc></w:tr></w:tbl>`;
    expect(tableOf(docx(hmerge))?.rows[0]).toEqual([{ text: "合并", span: 2 }, { text: "单独" }]);
  });

  it("reads a text box once, before the paragraph that anchors it", () => {
    const box = `<w:txbxContent>${p(r("框中文字"))}</w:txbxContent>`;
    const alternate =
      `<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="wps"><w:drawing><wp:anchor xmlns:wp="x"><a:graphic xmlns:a="y"><a:graphicData><wps:wsp xmlns:wps="z"><wps:txbx>${box}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>` +
      `<mc:Fallback><w:pict><v:shape xmlns:v="v"><v:textbox>${box}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent>`;
    expect(texts(docx(p(r("锚定段落") + `<w:r>${alternate}</w:r>` + r("之后"))))).toEqual(["框中文字", "锚定段落之后"]);
    const vmlOnly = `<w:r><w:pict><v:shape xmlns:v="v"><v:textbox>${box}</v:textbox></v:shape></w:pict></w:r>`;
    expect(texts(docx(p(vmlOnly)))).toEqual(["框中文字"]);
  });

  it("reads content controls, hyperlinks and smart tags, not their properties", () => {
    const body =
      `<w:sdt><w:sdtPr><w:alias w:val="标题"/><w:placeholder><w:docPart w:val="x"/></w:placeholder></w:sdtPr><w:sdtContent>${p(r("控件内容"))}</w:sdtContent></w:sdt>` +
      p(`<w:hyperlink r:id="rId1" xmlns:r="r">${r("链接")}</w:hyperlink><w:smartTag w:element="place">${r("地名")}</w:smartTag>`);
    expect(texts(docx(body))).toEqual(["控件内容", "链接地名"]);
  });

  it("finds the WordprocessingML namespace under any prefix", () => {
    const body = `<ns0:p><ns0:pPr><ns0:numPr><ns0:ilvl ns0:val="0"/><ns0:numId ns0:val="1"/></ns0:numPr></ns0:pPr><ns0:r><ns0:t>总体要求</ns0:t></ns0:r></ns0:p><w:p><w:r><w:t>别的命名空间</w:t></w:r></w:p>`;
    expect(texts(docx(body, { root: `ns0:document xmlns:ns0="${W}" xmlns:w="urn:other"`, numbering: NUMBERING }))).toEqual(["一、总体要求"]);
  });
});

// ---------------------------------------------------------------------------------------------
// Hostile and damaged input: data back, never an exception, in bounded time

/** mulberry32: the same "random" damage on every machine, so a failure is reproduced by its case. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("hostile .docx input", () => {
  it("survives damaged bytes and document.xml cut anywhere", () => {
    const original = fixture("002-table.docx");
    const random = rng(3);
    for (let i = 0; i < 200; i++) {
      const damaged = original.slice();
      for (let k = 0; k < 1 + (i % 4); k++) damaged[Math.floor(random() * damaged.length)] = Math.floor(random() * 256);
      const doc = readDocx(damaged);
      expect(doc.blocks.length > 0 || doc.diagnostics.length > 0, `case ${i}`).toBe(true);
    }
    const xml = `${p(r("甲"), numPr(1, 0))}<w:tbl><w:tr><w:tc>${p(r("乙"))}</w:tc><w:tc>${p(r("丙"))}</w:tc></w:tr></w:tbl>`;
    const full = `<w:document xmlns:w="${W}"><w:body>${xml}</w:body></w:document>`;
    for (let cut = 0; cut < full.length; cut += 7) {
      const doc = readDocx(zipSync({ "word/document.xml": strToU8(full.slice(0, cut)), "word/numbering.xml": strToU8(`<w:numbering xmlns:w="${W}">${NUMBERING.slice(0, cut)}`) }));
      expect(doc.diagnostics.map((d) => d.code), `cut at ${cut}`).toEqual(["FILE_CORRUPT"]);
    }
  });

  it("bounds deep nesting of tables and fields and long level texts", () => {
    const depth = 5000;
    const nested = "<w:tbl><w:tr><w:tc>".repeat(depth) + p(r("最深处")) + "</w:tc></w:tr></w:tbl>".repeat(depth);
    const fields = `<w:r><w:fldChar w:fldCharType="begin"/></w:r>`.repeat(depth);
    const longText = `<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="${"%1".repeat(50_000)}"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>`;
    const started = performance.now();
    expect(texts(docx(nested))).toEqual(["最深处"]);
    expect(texts(docx(p(fields + r("域代码")) + p(r("之后"))))).toEqual(["之后"]);
    const numbered = texts(docx(p(r("项"), numPr(1, 0)).repeat(2000), { numbering: longText }));
    expect(numbered[0]).toBe(`${"1".repeat(32)} 项`);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
