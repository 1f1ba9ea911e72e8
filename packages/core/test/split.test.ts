import { describe, expect, it } from "vitest";
import { readLines } from "../src/read.js";
import { cleanTitle, isPlanTitle, split } from "../src/split.js";

/** The parts of a text as plain strings, and the codes and messages of the diagnostics. */
function parts(text: string) {
  const result = split(readLines(text));
  return {
    parts: result.parts.map((p) => ({
      title: p.title?.text ?? null,
      preamble: p.preamble.map((l) => l.text),
      lines: p.lines.map((l) => l.text),
      closing: p.closing.map((l) => l.text),
    })),
    chrome: result.chrome.map((l) => l.text),
    listed: result.listed,
    diagnostics: result.diagnostics.map((d) => [d.code, d.message]),
  };
}

describe("isPlanTitle", () => {
  it.each([
    ["2024年全市教育工作要点", true],
    ["市教育局2024年工作要点", true],
    ["全市教育工作要点", true],
    ["甲县2024年教育体育工作要点", true],
    ["衡阳市进一步提高义务教育质量任务清单", true],
    ["2024年全市教育重点工作任务分工表", true],
    ["2024年全县教育重点任务一览表", true],
    ["甲区教育局2024年学校安全工作方案", true],
    ["2024年全市教育工作要点(征求意见稿)", true],
    ["2024年全市教育工作要点(第2/3页)", true],
    ["云台县2024年教育重点工作任务分解表", true],
    ["2024年全市教育重点工作推进表", true],
    ["栖凤县教育体育局2025年重点工作任务台账", true],
    ["2025年全市教育民生实事项目台账", true],
    ["附件2024年全市教育工作要点", true],
    ["附件2:2024年青岚区教育工作要点任务分解表", true],
    // Not titles: a notice, a heading, an attachment label, a sentence, a quoted name, no anchor.
    ["关于印发2024年全市教育工作要点的通知", false],
    ["一、2024年工作要点", false],
    ["附件:关于做好开学工作的通知", false],
    ["2024年学校安全工作方案。", false],
    ["《2024年全市教育工作要点》", false],
    ["要点", false],
    ["教育工作要点", false],
    ["全市教育工作会议在市委党校召开", false],
  ])("%s → %s", (text, expected) => {
    expect(isPlanTitle(text)).toBe(expected);
  });
});

describe("cleanTitle", () => {
  it.each([
    ["2024年全市教育工作要点(征求意见稿)", "2024年全市教育工作要点"],
    ["2024年全市教育工作要点 (试行)", "2024年全市教育工作要点"],
    ["2024年全市教育工作要点[送审稿]", "2024年全市教育工作要点"],
    ["2024年全市教育工作要点(第2/3页)", "2024年全市教育工作要点"],
    ["2024年全市教育工作要点(第3页) ", "2024年全市教育工作要点"],
    ["2024年全市教育工作要点(修订)", "2024年全市教育工作要点(修订)"],
    ["附件2:2024年青岚区教育工作要点任务分解表", "2024年青岚区教育工作要点任务分解表"],
    ["附件2 2024年全市教育工作要点(征求意见稿)", "2024年全市教育工作要点"],
  ])("%s", (text, expected) => {
    expect(cleanTitle(text)).toBe(expected);
  });

  // "附件" before a title is dropped, but not the digits of a year that follows it.
  it.each([
    ["附件 2024年全市教育工作要点", "2024年全市教育工作要点"],
    ["附件2024年全市教育工作要点", "2024年全市教育工作要点"],
  ])("keeps the year of a title right after 附件: %s", (text, expected) => {
    expect(cleanTitle(text)).toBe(expected);
  });
});

describe("split", () => {
  it("keeps a notice, its 文号 and signature as the preamble of the plan it issues", () => {
    const text = [
      "营口市教育局 营口市财政局关于印发《2024年营口市学前教育工作要点》的通知",
      "营教发〔2024〕12号",
      "各县(市)区教育局:",
      "现将《2024年营口市学前教育工作要点》印发给你们,请结合实际认真贯彻落实。",
      "营口市教育局   营口市财政局",
      "2024年3月1日",
      "",
      "2024年营口市学前教育工作要点",
      "一、扩大普惠资源",
      "1.新增公办园10所。年底前完成。",
      "2.推进集团化办学。",
      "二、提升保教质量",
      "3.开展游戏活动。",
    ].join("\n");
    expect(parts(text)).toEqual({
      parts: [
        {
          title: "2024年营口市学前教育工作要点",
          preamble: [
            "营口市教育局 营口市财政局关于印发《2024年营口市学前教育工作要点》的通知",
            "营教发〔2024〕12号",
            "各县(市)区教育局:",
            "现将《2024年营口市学前教育工作要点》印发给你们,请结合实际认真贯彻落实。",
            "营口市教育局   营口市财政局",
            "2024年3月1日",
          ],
          lines: ["一、扩大普惠资源", "1.新增公办园10所。年底前完成。", "2.推进集团化办学。", "二、提升保教质量", "3.开展游戏活动。"],
          closing: [],
        },
      ],
      chrome: [],
      listed: [],
      diagnostics: [],
    });
  });

  it("splits a compilation: table of contents and outline skipped, one part per body, missing bodies named", () => {
    const text = [
      "目录",
      "1.2024年甲市教育工作要点1",
      "2.乙区教育局2024年工作要点9",
      "3.丙县2024年教育体育工作要点15",
      "一、加强党的建设",
      "1.强化理论武装",
      "2.提升党建质量",
      "二、推进教育公平",
      "3.扩大学前资源",
      "一、深化改革",
      "1.推进评价改革",
      "2.推进招生改革",
      "2024年甲市教育工作要点",
      "一、加强党的建设",
      "1.强化理论武装。组织全员培训。",
      "2.提升党建质量。开展创建活动。",
      "二、推进教育公平",
      "3.扩大学前资源。新增学位1000个。",
      "乙区教育局2024年工作要点",
      "一、深化改革",
      "1.推进评价改革。完善评价体系。",
      "2.推进招生改革。规范招生行为。",
    ].join("\n");
    const result = parts(text);
    expect(result.parts).toEqual([
      {
        title: "2024年甲市教育工作要点",
        preamble: [],
        lines: ["一、加强党的建设", "1.强化理论武装。组织全员培训。", "2.提升党建质量。开展创建活动。", "二、推进教育公平", "3.扩大学前资源。新增学位1000个。"],
        closing: [],
      },
      {
        title: "乙区教育局2024年工作要点",
        preamble: [],
        lines: ["一、深化改革", "1.推进评价改革。完善评价体系。", "2.推进招生改革。规范招生行为。"],
        closing: [],
      },
    ]);
    expect(result.listed).toEqual(["2024年甲市教育工作要点", "乙区教育局2024年工作要点", "丙县2024年教育体育工作要点"]);
    expect(result.diagnostics).toEqual([
      ["TOC_SKIPPED", "第 5 行起是目录或提纲,已跳过,不作为计划正文。"],
      ["TOC_SKIPPED", "第 10 行起是目录或提纲,已跳过,不作为计划正文。"],
      ["LISTED_PLAN_MISSING", "目录列出了《丙县2024年教育体育工作要点》,但文件中没有它的正文。"],
    ]);
  });

  it("reads a table of contents whose numbers stand on their own lines", () => {
    const text = [
      "目 录",
      "1.",
      "2.2024年全市教育和体育工作要点15",
      "3.区教育和体育局2024年工作要点31",
      "2024年全市教育和体育工作要点",
      "一、加强党的领导",
      "1.强化理论武装。全年培训干部300人。",
      "2.提升党建质量。",
    ].join("\n");
    const result = parts(text);
    expect(result.listed).toEqual(["2024年全市教育和体育工作要点", "区教育和体育局2024年工作要点"]);
    expect(result.parts.map((p) => p.title)).toEqual(["2024年全市教育和体育工作要点"]);
    expect(result.parts[0]?.preamble).toEqual([]);
    expect(result.diagnostics.map(([code]) => code)).toEqual(["LISTED_PLAN_MISSING"]);
  });

  it("starts a new part where the numbering starts again at 一、 without a title", () => {
    const text = [
      "2024年全市教育工作要点",
      "一、加强党建",
      "1.强化理论学习。全年培训。",
      "二、推进公平",
      "2.扩大资源。新增学位。",
      "一、深化改革",
      "1.推进评价改革。完善体系。",
      "2.推进招生改革。规范行为。",
    ].join("\n");
    expect(parts(text).parts).toEqual([
      {
        title: "2024年全市教育工作要点",
        preamble: [],
        lines: ["一、加强党建", "1.强化理论学习。全年培训。", "二、推进公平", "2.扩大资源。新增学位。"],
        closing: [],
      },
      { title: null, preamble: [], lines: ["一、深化改革", "1.推进评价改革。完善体系。", "2.推进招生改革。规范行为。"], closing: [] },
    ]);
  });

  it("does not start a part when a lower level starts again at 1.", () => {
    const text = ["2024年全市教育工作要点", "一、加强党建", "1.强化理论学习。", "二、推进公平", "1.扩大资源。", "2.推进均衡。"].join("\n");
    expect(parts(text).parts.map((p) => p.lines.length)).toEqual([5]);
  });

  it("takes a notice with its own 一、二、 points as the wrapper of the titled plan after it", () => {
    const text = [
      "关于印发2024年全市教育工作要点的通知",
      "各学校:",
      "一、提高认识。各单位要高度重视,认真落实。",
      "二、加强领导。要明确责任分工,细化工作措施。",
      "2024年全市教育工作要点",
      "一、加强党建",
      "1.强化理论学习。全年培训。",
      "2.提升质量。开展活动。",
      "二、推进公平",
      "3.扩大资源。新增学位。",
    ].join("\n");
    expect(parts(text).parts).toEqual([
      {
        title: "2024年全市教育工作要点",
        preamble: [
          "关于印发2024年全市教育工作要点的通知",
          "各学校:",
          "一、提高认识。各单位要高度重视,认真落实。",
          "二、加强领导。要明确责任分工,细化工作措施。",
        ],
        lines: ["一、加强党建", "1.强化理论学习。全年培训。", "2.提升质量。开展活动。", "二、推进公平", "3.扩大资源。新增学位。"],
        closing: [],
      },
    ]);
  });

  it("keeps a numbered notice that is the only body as the plan", () => {
    const text = [
      "关于做好2024年春季学期开学工作的通知",
      "各学校:",
      "一、做好安全检查。开学前完成校舍排查。",
      "二、做好疫病防控。落实晨午检制度。",
    ].join("\n");
    const result = parts(text).parts;
    expect(result.map((p) => [p.title, p.lines])).toEqual([
      [null, ["关于做好2024年春季学期开学工作的通知", "各学校:", "一、做好安全检查。开学前完成校舍排查。", "二、做好疫病防控。落实晨午检制度。"]],
    ]);
  });

  it("cuts the signature, date, 抄送 and 印发 lines off into closing", () => {
    const text = [
      "2024年全市教育工作要点",
      "一、加强党建",
      "1.强化理论学习。全年培训。",
      "2.提升质量。开展活动。",
      "甲市教育局",
      "2024年2月20日",
      "抄送:市委办公室,市政府办公室。",
      "甲市教育局办公室 2024年2月21日印发",
    ].join("\n");
    expect(parts(text).parts).toEqual([
      {
        title: "2024年全市教育工作要点",
        preamble: [],
        lines: ["一、加强党建", "1.强化理论学习。全年培训。", "2.提升质量。开展活动。"],
        closing: ["甲市教育局", "2024年2月20日", "抄送:市委办公室,市政府办公室。", "甲市教育局办公室 2024年2月21日印发"],
      },
    ]);
  });

  it("keeps a body line that merely names a bureau when no date follows", () => {
    const text = ["2024年全市教育工作要点", "一、加强党建", "1.强化理论学习。", "2.提升质量。", "市教育局"].join("\n");
    expect(parts(text).parts[0]?.closing).toEqual([]);
    expect(parts(text).parts[0]?.lines.at(-1)).toBe("市教育局");
  });

  it("puts chrome aside and drops a trailer up to the next plan title", () => {
    const text = [
      "2024年全市教育工作要点",
      "发布时间:2024-02-20 来源:甲市教育局",
      "一、加强党建",
      "1.强化理论学习。全年培训。",
      "- 2 -",
      "2.提升质量。开展活动。",
      "相关阅读:",
      "甲市召开教育工作会议",
      "乙区教育局2024年工作要点",
      "一、深化改革",
      "1.推进评价改革。完善体系。",
      "2.推进招生改革。规范行为。",
    ].join("\n");
    const result = parts(text);
    expect(result.parts.map((p) => [p.title, p.lines])).toEqual([
      ["2024年全市教育工作要点", ["一、加强党建", "1.强化理论学习。全年培训。", "2.提升质量。开展活动。"]],
      ["乙区教育局2024年工作要点", ["一、深化改革", "1.推进评价改革。完善体系。", "2.推进招生改革。规范行为。"]],
    ]);
    expect(result.chrome).toEqual(["发布时间:2024-02-20 来源:甲市教育局", "- 2 -", "相关阅读:", "甲市召开教育工作会议"]);
    expect(result.diagnostics).toEqual([["TRAILER_REMOVED", "第 7 行起是计划之外的内容(公告、广告或相关阅读),已去除。"]]);
  });

  it("gives line numbers that count blank lines", () => {
    const text = "目录\n\n1.2024年甲市教育工作要点1\n2.乙区2024年教育工作要点9\n\n一、加强党建\n1.强化理论武装\n2.提升党建质量\n";
    expect(parts(text).diagnostics[0]).toEqual(["TOC_SKIPPED", "第 6 行起是目录或提纲,已跳过,不作为计划正文。"]);
  });
});

describe("split: running headers", () => {
  const page = (n: number) => [`- ${n} -`, "栖凤县教育体育局2024年工作要点汇编"];

  it("drops a line printed at the top of every page", () => {
    const text = [
      "栖凤县教育体育局2024年工作要点汇编",
      "2024年全县教育工作要点",
      "一、加强党建",
      "1.强化理论学习。全年培训干部300人次。",
      ...page(1),
      "2.提升党建质量。开展创建活动。",
      ...page(2),
      "3.推进清廉学校建设。6月底前完成。",
    ].join("\n");
    const result = split(readLines(text));
    expect(result.parts).toHaveLength(1);
    expect(result.parts[0]?.title?.text).toBe("2024年全县教育工作要点");
    expect(result.parts[0]?.lines.map((l) => l.text)).not.toContain("栖凤县教育体育局2024年工作要点汇编");
  });

  it("keeps a plan title repeated on every page as the title, once", () => {
    const title = "2024年全县教育工作要点";
    const text = [title, "一、加强党建", "1.强化理论学习。全年培训干部300人次。", title, "2.提升党建质量。开展创建活动。", title, "3.推进清廉学校建设。6月底前完成。"].join("\n");
    const result = split(readLines(text));
    expect(result.parts).toHaveLength(1);
    expect(result.parts[0]?.title?.text).toBe(title);
    expect(result.parts[0]?.lines.map((l) => l.text)).not.toContain(title);
  });

  it("never takes repeated table cells for a header", () => {
    const cells = ["市教育局", "各县市区人民政府", "2024年12月底前", "工作任务"];
    const text = ["2024年全市教育任务清单", "一、加强党建", ...[1, 2, 3].flatMap((n) => [`${n}.强化理论学习。组织培训。`, ...cells])].join("\n");
    const kept = split(readLines(text)).parts[0]?.lines.map((l) => l.text) ?? [];
    for (const cell of cells) expect(kept.filter((t) => t === cell)).toHaveLength(3);
  });
});
