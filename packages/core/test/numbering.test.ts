import { describe, expect, it } from "vitest";
import { countMeasures, markerOf, RANK } from "../src/numbering.js";

describe("markerOf: heading numbers", () => {
  it.each([
    // text, kind, label, ordinal, where the words start, loose
    ["一、加强党的全面领导", "cn", "一", 1, 2, false],
    ["十二、深化教育评价改革", "cn", "十二", 12, 3, false],
    ["二十一. 健全督导体系", "cn", "二十一", 21, 5, false],
    ["(一)实施基础教育扩优提质工程", "cn-paren", "(一)", 1, 3, false],
    ["(三)、提升职业教育吸引力", "cn-paren", "(三)", 3, 4, false],
    ["( 十 )加强语言文字工作", "cn-paren", "(十)", 10, 5, false],
    ["1.加强思想政治理论学习", "num", "1", 1, 2, false],
    ["12、推动学前教育普及普惠", "num", "12", 12, 3, false],
    ["3, 完善作业管理", "num", "3", 3, 3, false],
    ["(1)新建城东幼儿园", "num-paren", "(1)", 1, 3, false],
    ["(12)开展科普教育", "num-paren", "(12)", 12, 4, false],
    ["2)撤并村小教学点", "num-paren", "(2)", 2, 2, false],
    ["③开展心理健康大讲堂", "circled", "③", 3, 1, false],
    ["1 新增公办园和普惠性民办园50所", "num", "1", 1, 2, true],
    ["27构建现代职业教育体系", "num", "27", 27, 2, true],
    ["4 “双减”工作持续深化", "num", "4", 4, 2, true],
    ["第一部分 总体要求", "part", "第一部分", 1, 5, false],
    ["第二章:重点任务", "part", "第二章", 2, 4, false],
    ["第三篇 保障措施", "part", "第三篇", 3, 4, false],
    ["第二,着力提升教育教学质量", "cn-ordinal", "第二", 2, 3, false],
    ["二是推进教育公平", "cn-is", "二", 2, 2, true],
    ["12", "num", "12", 12, 2, true],
  ] as const)("%s", (text, kind, label, ordinal, contentStart, loose) => {
    expect(markerOf(text)).toEqual({ kind, rank: RANK[kind], label, ordinal, contentStart, loose });
  });

  it.each([
    ["a year", "2024年全市教育工作要点"],
    ["a year range", "2023-2024学年第二学期"],
    ["a count of schools", "30所学校实现集团化办学"],
    ["a count with a space", "1 30所学校"],
    ["a decimal with 万", "3.5万人参加培训"],
    ["a percentage", "12.5%的学校完成改造"],
    ["a month and day", "5.12全国防灾减灾日开展演练"],
    ["a month", "10月底前完成排查"],
    ["a count of districts", "6个区接入市级专网"],
    ["a zero", "0、开展培训"],
    ["a bare zero", "0"],
    ["a bare four-digit number", "2024"],
    ["an indented heading (lines are trimmed before)", " 一、加强党建"],
    ["a sentence", "全市教育系统要加强党的建设。"],
    ["a 是 that does not start a clause", "一是。"],
  ])("is not a marker: %s", (_, text) => {
    expect(markerOf(text)).toBeNull();
  });

  it("ranks the levels from parts down to circled numbers", () => {
    expect(RANK.part < RANK.cn && RANK.cn < RANK["cn-paren"] && RANK["cn-paren"] < RANK.num).toBe(true);
    expect(RANK.num < RANK["num-paren"] && RANK["num-paren"] < RANK.circled).toBe(true);
    expect(RANK["cn-is"]).toBe(RANK.num);
  });
});

describe("countMeasures: explicit sub-items", () => {
  it.each([
    ["none", "加强师德师风建设,严肃查处违规问题。", 0],
    ["inline (1)(2)(3)", "(1)突出德育实效。(2)提升智育水平。(3)加强体育工作。", 3],
    ["(1)(2) at line starts", "加强课程管理\n(1)落实国家课程方案。\n(2)规范教材使用。", 2],
    ["①②", "①开齐开足体育课;②广泛开展美育活动。", 2],
    ["①②③④ with text between", "①建立台账;其他工作同步推进;②限期整改;③跟踪问效;④通报结果。", 4],
    ["a run that skips counts only 1..n", "(1)新建幼儿园。(2)改扩建园舍。(4)认定普惠园。(5)培训教师。", 2],
    ["a run that does not start at 1", "(2)规范办学行为。(3)开展督查。", 0],
    ["a repeated number", "(1)开展自评。(1)开展复评。(2)公布结果。", 2],
    ["a time note in brackets is not an item", "完成校舍改造(6月底前完成)。", 0],
    ["a count in brackets is not an item", "新建学校(30所)。", 0],
    ["(1)(2) win over ①②③", "(1)加强体育①开齐课程②保障时间③开展竞赛(2)加强美育", 2],
    ["circled out of order", "①建立台账③通报结果②限期整改", 2],
  ])("%s", (_, text, count) => {
    expect(countMeasures(text)).toBe(count);
  });
});
