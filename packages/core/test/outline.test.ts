import { describe, expect, it } from "vitest";
import { isHeaderCell, type Outline, type OutlineNode, outline, squeeze } from "../src/outline.js";
import { readLines } from "../src/read.js";
import { parsePlanText } from "../src/pipeline.js";

/**
 * The tree as one string a line: "path title", "[implicit]" for a section that lost its label,
 * "{office}" for the block it stands in, then "| body line" for each line under it.
 */
function tree(nodes: readonly OutlineNode[], prefix = ""): string[] {
  return nodes.flatMap((n) => {
    const path = prefix ? `${prefix}/${n.marker.label}` : n.marker.label;
    const flags = `${n.implicit ? " [implicit]" : ""}${n.block ? ` {${n.block.name}}` : ""}`;
    return [`${path} ${n.title}${flags}`, ...n.lines.map((l) => `| ${l.text}`), ...tree(n.children, path)];
  });
}

function parse(text: string): { outline: Outline; tree: string[]; preamble: string[] } {
  const o = outline(readLines(text));
  return { outline: o, tree: tree(o.roots), preamble: o.preamble.map((l) => l.text) };
}

describe("outline: a heading must continue its sequence", () => {
  const TEXT = [
    "今年全市教育工作的总体要求是:稳中求进。",
    "一、加强党的建设",
    "1.强化理论学习。组织全员培训。",
    "2024年全市将组织专题培训3期。",
    "3.5万名教师参加网络研修。",
    "2.提升党建质量。",
    "9.这一行的编号跳得太远。",
    "5.推进清廉学校建设。",
    "二、推进教育公平",
    "1.扩大普惠资源。",
    "(1)新建幼儿园。",
    "(2)改扩建幼儿园。",
    "2.推进均衡发展。",
    "(1)推进集团化办学。",
    "三、深化教育改革",
  ].join("\n");

  it("keeps numbers that are not headings as text, and restarts numbering under a new section", () => {
    const { tree: t, preamble } = parse(TEXT);
    expect(preamble).toEqual(["今年全市教育工作的总体要求是:稳中求进。"]);
    expect(t).toEqual([
      "一 加强党的建设",
      "一/1 强化理论学习",
      "| 2024年全市将组织专题培训3期。",
      "| 3.5万名教师参加网络研修。",
      "一/2 提升党建质量",
      "| 9.这一行的编号跳得太远。",
      "一/5 推进清廉学校建设",
      "二 推进教育公平",
      "二/1 扩大普惠资源",
      "二/1/(1) 新建幼儿园",
      "二/1/(2) 改扩建幼儿园",
      "二/2 推进均衡发展",
      "二/2/(1) 推进集团化办学",
      "三 深化教育改革",
    ]);
  });

  it("cuts a heading's title at its first 。 and gives offsets of its words", () => {
    const { outline: o } = parse(TEXT);
    const task = o.roots[0]?.children[0] as OutlineNode;
    expect(TEXT.slice(task.titleStart, task.titleEnd)).toBe("强化理论学习");
    expect(TEXT.slice(task.line.start, task.end)).toBe("1.强化理论学习。组织全员培训。\n2024年全市将组织专题培训3期。\n3.5万名教师参加网络研修。");
    const section = o.roots[1] as OutlineNode;
    expect(TEXT.slice(section.line.start, section.end)).toMatch(/^二、推进教育公平\n[^]*\(1\)推进集团化办学。$/);
  });

  it("believes a loose number (news style) only in sequence", () => {
    const text = ["1 新增公办园50所", "今年将新增公办园50所。", "2 新建学校8所", "4 这一行不是标题", "3 推进均衡发展"].join("\n");
    expect(parse(text).tree).toEqual([
      "1 新增公办园50所",
      "| 今年将新增公办园50所。",
      "2 新建学校8所",
      "| 4 这一行不是标题",
      "3 推进均衡发展",
    ]);
  });

  it("does not start with a loose number that is a sentence", () => {
    const text = ["2 所学校已建成。", "1 新增公办园50所"].join("\n");
    expect(parse(text)).toMatchObject({ preamble: ["2 所学校已建成。"], tree: ["1 新增公办园50所"] });
  });

  it("takes the words of a bare \"一、\" from the next line", () => {
    const text = ["一、", "加强党的建设", "1.强化理论学习。组织培训。", "二、", "推进教育公平"].join("\n");
    const { outline: o, tree: t } = parse(text);
    expect(t).toEqual(["一 加强党的建设", "一/1 强化理论学习", "二 推进教育公平"]);
    const first = o.roots[0] as OutlineNode;
    expect(first.line.text).toBe("一、");
    expect(first.titleEnd).toBe(text.indexOf("加强党的建设") + "加强党的建设".length);
  });

  // The words of a bare "一、" or "1." start on the next line, and so does the title span.
  it("starts the words of a bare \"一、\" on the next line", () => {
    const text = ["一、", "加强党的建设", "1.强化理论学习。组织培训。"].join("\n");
    const first = parse(text).outline.roots[0] as OutlineNode;
    expect(text.slice(first.titleStart, first.titleEnd)).toBe("加强党的建设");
  });

  it("drops a bare page number that does not continue the numbering", () => {
    const text = ["一、加强党的建设", "1.强化理论学习。组织培训。", "7", "2.提升党建质量。开展创建。"].join("\n");
    expect(parse(text).tree).toEqual(["一 加强党的建设", "一/1 强化理论学习", "一/2 提升党建质量"]);
  });

  // A bare number with no words after it is a page number, even when it is the next number.
  it("does not take a page number that continues the numbering for a heading", () => {
    const text = ["一、加强党的建设", "1.强化理论学习。组织培训。", "2", "2.提升党建质量。开展创建。"].join("\n");
    expect(parse(text).tree).toEqual(["一 加强党的建设", "一/1 强化理论学习", "一/2 提升党建质量"]);
  });

  it("nests 第一部分, 一、, (一), 1., (1), ①", () => {
    const text = ["第一部分 重点任务", "一、加强党建", "(一)强化理论武装", "1.开展学习", "(1)组织读书班", "①制定方案", "②组织实施", "第二部分 保障措施"].join(
      "\n",
    );
    expect(parse(text).tree).toEqual([
      "第一部分 重点任务",
      "第一部分/一 加强党建",
      "第一部分/一/(一) 强化理论武装",
      "第一部分/一/(一)/1 开展学习",
      "第一部分/一/(一)/1/(1) 组织读书班",
      "第一部分/一/(一)/1/(1)/① 制定方案",
      "第一部分/一/(一)/1/(1)/② 组织实施",
      "第二部分 保障措施",
    ]);
  });
});

describe("outline: 一是…二是", () => {
  it("takes 一是 items as headings when nothing else numbers the text", () => {
    const text = [
      "会议强调,今年要重点抓好以下工作。",
      "一是加强党的建设,全面落实主体责任。",
      "二是推进教育公平,扩大优质资源。",
      "四是这一句不在序列里。",
      "三是深化教育改革,完善评价体系。",
    ].join("\n");
    expect(parse(text)).toMatchObject({
      preamble: ["会议强调,今年要重点抓好以下工作。"],
      tree: [
        "一 加强党的建设,全面落实主体责任",
        "二 推进教育公平,扩大优质资源",
        "| 四是这一句不在序列里。",
        "三 深化教育改革,完善评价体系",
      ],
    });
  });

  it("leaves 一是 lines as text inside a numbered plan", () => {
    const text = ["一、加强党的建设", "1.强化理论学习。", "一是加强学习。二是开展培训。", "二是抓好培训。"].join("\n");
    expect(parse(text).tree).toEqual(["一 加强党的建设", "一/1 强化理论学习", "| 一是加强学习。二是开展培训。", "| 二是抓好培训。"]);
  });
});

describe("outline: office blocks", () => {
  it("makes 【办公室】, [科] and 科: lines sections numbered by position, with their block", () => {
    const text = [
      "【办公室】",
      "1.做好公文处理工作。全年办文1000件。",
      "2.加强督查督办。",
      "[基础教育科]",
      "1.推进义务教育优质均衡。",
      "2.规范办学行为。",
      "安保科:",
      "1.开展安全隐患排查。",
    ].join("\n");
    const { outline: o, tree: t } = parse(text);
    // The block is the section's; its items stand under it (extract.ts passes the office down).
    expect(t).toEqual([
      "一 办公室 [implicit] {办公室}",
      "一/1 做好公文处理工作",
      "一/2 加强督查督办",
      "二 基础教育科 [implicit] {基础教育科}",
      "二/1 推进义务教育优质均衡",
      "二/2 规范办学行为",
      "三 安保科 [implicit] {安保科}",
      "三/1 开展安全隐患排查",
    ]);
    const block = o.roots[1]?.block;
    expect(block && text.slice(block.start, block.end)).toBe("基础教育科");
    const { plans } = parsePlanText(`2024年局机关工作要点\n${text}`, { source: "blocks.txt" });
    expect(plans[0]?.tasks.map((task) => [task.path, task.units])).toEqual([
      ["一/1", ["办公室"]],
      ["一/2", ["办公室"]],
      ["二/1", ["基础教育科"]],
      ["二/2", ["基础教育科"]],
      ["三/1", ["安保科"]],
    ]);
  });

  it("makes a section named for an office a block until the next section", () => {
    const text = ["一、办公室", "1.做好公文处理。", "二、推进教育公平", "1.扩大普惠资源。"].join("\n");
    expect(parse(text).tree).toEqual(["一 办公室 {办公室}", "一/1 做好公文处理", "二 推进教育公平", "二/1 扩大普惠资源"]);
    const { plans } = parsePlanText(`2024年局机关工作要点\n${text}`, { source: "blocks.txt" });
    expect(plans[0]?.tasks.map((task) => task.units)).toEqual([["办公室"], []]);
  });

  it("does not take a labelled line that is no office as a block", () => {
    const text = ["主要目标:", "1.新增学位1000个。"].join("\n");
    expect(parse(text)).toMatchObject({ preamble: ["主要目标:"], tree: ["1 新增学位1000个"] });
  });
});

describe("outline: a table flattened to text", () => {
  // A PDF 任务清单 copied out cell by cell, with the header repeated after each page break.
  const TABLE = [
    "工作任务",
    "具体措施",
    "责任",
    "单位",
    "全面 发展  素质",
    "教育",
    "1.强化",
    "德智体",
    "美劳“五",
    "育”并举",
    "(1)突出德育实效,推进思政课程建设。",
    "(2)提升智育水平,激发学习兴趣。",
    "市教育局",
    "各县市区人民政府",
    "工作任务",
    "具体措施",
    "责任",
    "单位",
    "二、",
    "提升",
    "教师",
    "素质",
    "2.加强师德",
    "师风建设",
    "(1)开展师德专题教育。",
    "市教育局",
    "工作任务",
    "具体措施",
    "责任",
    "单位",
    "二、",
    "提升",
    "教师",
    "素质",
    "3.优化教师",
    "资源配置",
    "(1)推进县管校聘改革。",
    "市教育局",
    "市人社局",
  ].join("\n");

  it("drops header runs, joins broken headings, numbers the unlabeled section, merges a repeated one", () => {
    const { outline: o, tree: t, preamble } = parse(TABLE);
    expect(o.table).toBe(true);
    expect(o.columns).toEqual(["工作任务", "具体措施", "责任单位"]);
    expect(preamble).toEqual([]);
    expect(t).toEqual([
      "一 全面发展素质教育 [implicit]",
      "一/1 强化德智体美劳“五育”并举",
      "一/1/(1) 突出德育实效,推进思政课程建设",
      "一/1/(2) 提升智育水平,激发学习兴趣",
      "| 市教育局",
      "| 各县市区人民政府",
      "二 提升教师素质",
      "二/2 加强师德师风建设",
      "二/2/(1) 开展师德专题教育",
      "| 市教育局",
      "二/3 优化教师资源配置",
      "二/3/(1) 推进县管校聘改革",
      "| 市教育局",
      "| 市人社局",
    ]);
  });

  it("places a joined heading from its first words to its last fragment", () => {
    const { outline: o } = parse(TABLE);
    const section = o.roots[0] as OutlineNode;
    expect(TABLE.slice(section.titleStart, section.titleEnd)).toBe("全面 发展  素质\n教育");
    const task = section.children[0] as OutlineNode;
    expect(TABLE.slice(task.titleStart, task.titleEnd)).toBe("强化\n德智体\n美劳“五\n育”并举");
  });

  it("reads lead and partner columns from a one-line header", () => {
    const text = [
      "序号 重点任务 具体措施 牵头单位 配合单位 完成时限",
      "一、促进学前教育普惠发展",
      "1.",
      "扩大普惠性",
      "学前教育资源",
      "(1)新建幼儿园2所。",
      "县教育局",
      "县财政局",
      "2024年12月底前",
    ].join("\n");
    const { outline: o, tree: t } = parse(text);
    expect(o.columns).toEqual(["序号", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限"]);
    expect(t).toEqual([
      "一 促进学前教育普惠发展",
      "一/1 扩大普惠性学前教育资源",
      "一/1/(1) 新建幼儿园2所",
      "| 县教育局",
      "| 县财政局",
      "| 2024年12月底前",
    ]);
  });

  it("reads a header written one cell a line, and keeps only the first header's columns", () => {
    const text = ["序号", "重点任务", "责任单位", "完成时限", "1.深化理论武装。", "序号", "重点任务", "备注", "2.推进清廉学校建设。"].join("\n");
    const { outline: o, tree: t } = parse(text);
    expect(o.columns).toEqual(["序号", "重点任务", "责任单位", "完成时限"]);
    expect(t).toEqual(["1 深化理论武装", "2 推进清廉学校建设"]);
  });

  it("reads 序号 cells standing alone, with the task's words on the next line", () => {
    const text = [
      "序号",
      "重点任务",
      "责任单位",
      "完成时限",
      "1",
      "深化理论武装",
      "局组织人事科、机关党委",
      "2024年6月底前",
      "2",
      "推进清廉学校建设",
      "局纪检监察室",
      "全年",
    ].join("\n");
    expect(parse(text).tree).toEqual([
      "1 深化理论武装",
      "| 局组织人事科、机关党委",
      "| 2024年6月底前",
      "2 推进清廉学校建设",
      "| 局纪检监察室",
      "| 全年",
    ]);
  });

  it("cuts a table pasted one row a line into its cells", () => {
    const text = ["序号  重点任务  责任单位  完成时限", "1  深化理论武装  局组织人事科  2024年6月底前", "2\t推进清廉学校建设\t局纪检监察室\t全年"].join("\n");
    const { outline: o, tree: t } = parse(text);
    expect(o.columns).toEqual(["序号", "重点任务", "责任单位", "完成时限"]);
    expect(t).toEqual(["1 深化理论武装", "| 局组织人事科", "| 2024年6月底前", "2 推进清廉学校建设", "| 局纪检监察室", "| 全年"]);
    // Cells keep their own offsets in the row.
    const cells = (o.roots[1] as OutlineNode).lines;
    expect(cells.map((c) => text.slice(c.start, c.end))).toEqual(["局纪检监察室", "全年"]);
  });

  it("is no table without a run of header cells", () => {
    const text = ["一、重点任务", "1.新增学位1000个。", "任务", "2.推进均衡发展。"].join("\n");
    const { outline: o, tree: t } = parse(text);
    expect([o.table, o.columns]).toEqual([false, []]);
    expect(t).toEqual(["一 重点任务", "一/1 新增学位1000个", "| 任务", "一/2 推进均衡发展"]);
  });

  // A 牵头单位 / 配合单位 column head broken over two lines is one heading.
  it("joins a 牵头单位 / 配合单位 column head broken over two lines", () => {
    const text = [
      "序号",
      "重点任务",
      "牵头",
      "单位",
      "配合",
      "单位",
      "完成时限",
      "一、促进学前教育普惠发展",
      "1.扩大普惠资源",
      "(1)新建幼儿园2所。",
      "县教育局",
    ].join("\n");
    const { outline: o, preamble } = parse(text);
    expect(preamble).toEqual([]);
    expect(o.columns).toEqual(["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]);
  });
});

describe("isHeaderCell", () => {
  it.each([
    ["序号", true],
    ["责任", true],
    ["单位", true],
    ["序号 重点任务 责任单位 完成时限", true],
    ["牵头单位  配合单位", true],
    ["重点任务 加强党建", false],
    ["任务分解", false],
    ["市教育局", false],
    ["", false],
  ])("%s → %s", (text, expected) => {
    expect(isHeaderCell(text)).toBe(expected);
  });
});

describe("squeeze", () => {
  it.each([
    ["全面 发展  素质", "全面发展素质"],
    [" 市 教育局 ", "市教育局"],
    ["提升“五 育”并举", "提升“五育”并举"],
    ["A B 测试", "A B 测试"],
    ["2024 年", "2024 年"],
    ["新增 50 所", "新增 50 所"],
  ])("%s → %s", (text, expected) => {
    expect(squeeze(text)).toBe(expected);
  });
});
