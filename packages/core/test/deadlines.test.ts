import { describe, expect, it } from "vitest";
import { findDeadlines } from "../src/deadlines.js";

/** [quote, date, start, end] */
type Expected = [string, string, number, number];

function hits(text: string, year: number | null): Expected[] {
  return findDeadlines(text, year).map((h) => [h.quote, h.date, h.start, h.end]);
}

// Each rule of SCHEMA.md "Deadlines", in the phrasing of seed plans and of other cities' 工作要点
// and 任务分解表. Texts are normalized (ASCII punctuation and digits), as the pipeline passes them.
const POSITIVE: Array<[string, string, number | null, Expected[]]> = [
  // month ends
  ["月末 milestone", "3月末,召开全区基础教育联盟发展现场会", 2024, [["3月末", "2024-03-31", 0, 3]]],
  ["月底前完成", "开展小班化探索,3月底前完成方案", 2024, [["3月底前完成", "2024-03-31", 8, 14]]],
  ["月底 without 前", "推进3月底全覆盖", 2024, [["3月底", "2024-03-31", 2, 5]]],
  ["written year and month", "2024年8月底前市二十九中新建综合楼竣工", 2024, [["2024年8月底前", "2024-08-31", 0, 9]]],
  ["N月前 is the end of month N", "2024年9月前市二中学生宿舍楼投用", 2024, [["2024年9月前", "2024-09-30", 0, 8]]],
  ["another year's month", "2025年6月底前建成投用", 2024, [["2025年6月底前", "2025-06-30", 0, 9]]],
  ["Chinese month", "十月底前完成", 2024, [["十月底前完成", "2024-10-31", 0, 6]]],
  ["a table's 完成时限 cell", "完成时限:2024年12月", 2024, [["2024年12月", "2024-12-31", 5, 13]]],
  // parts of a month and days
  ["中旬", "9月中旬前完成招生", 2024, [["9月中旬前完成", "2024-09-20", 0, 7]]],
  ["a date written with dots, in a table cell", "2025.8.31", 2025, [["2025.8.31", "2025-08-31", 0, 9]]],
  ["a date written with dashes and 前", "2025-06-30前完成", 2025, [["2025-06-30前", "2025-06-30", 0, 11]]],
  ["week of a month", "9月第二周前完成新生心理健康普查", 2024, [["9月第二周前完成", "2024-09-14", 0, 8]]],
  ["上旬 and 下旬", "10月上旬启动,7月下旬总结", 2024, [["10月上旬", "2024-10-10", 0, 5], ["7月下旬", "2024-07-31", 8, 12]]],
  ["day", "3月15日前报送", 2024, [["3月15日前", "2024-03-15", 0, 6]]],
  ["day with 完成", "11月30日前完成验收", 2024, [["11月30日前完成", "2024-11-30", 0, 9]]],
  ["bounded hour", "12月20日17时前报送材料", 2024, [["12月20日17时前", "2024-12-20", 0, 10]]],
  ["full date after 截至", "截至2025年12月31日", 2024, [["截至2025年12月31日", "2025-12-31", 0, 13]]],
  // halves, quarters, school terms
  ["上半年 and 下半年", "上半年完成摸底,下半年全面推开", 2024, [["上半年完成", "2024-06-30", 0, 5], ["下半年", "2024-12-31", 8, 11]]],
  ["year and half", "2024年上半年", 2024, [["2024年上半年", "2024-06-30", 0, 8]]],
  ["第一季度", "第一季度完成摸底", 2024, [["第一季度完成", "2024-03-31", 0, 6]]],
  ["一季度末", "一季度末前完成", 2024, [["一季度末前完成", "2024-03-31", 0, 7]]],
  ["第三季度", "第三季度开展评估", 2024, [["第三季度", "2024-09-30", 0, 4]]],
  ["year and digit quarter", "2024年第1季度", 2024, [["2024年第1季度", "2024-03-31", 0, 9]]],
  ["秋季开学前", "秋季开学前完成校舍改造", 2024, [["秋季开学前完成", "2024-08-31", 0, 7]]],
  ["春季开学前 in a leap year", "2024年春季开学前完成", 2024, [["2024年春季开学前完成", "2024-02-29", 0, 12]]],
  // year ends
  ["年底前", "年底前,实现校级自评100%", 2024, [["年底前", "2024-12-31", 0, 3]]],
  ["年末", "年末召开小班化教学改革工作经验交流会", 2024, [["年末", "2024-12-31", 0, 2]]],
  ["年内", "年内创建6所省级特色学校", 2024, [["年内", "2024-12-31", 0, 2]]],
  ["力争年底", "新谋划项目力争年底开工", 2024, [["力争年底", "2024-12-31", 5, 9]]],
  ["今年年底前", "今年年底前全部完工", 2024, [["今年年底前", "2024-12-31", 0, 5]]],
  ["明年 moves the year", "明年3月底前完成验收", 2024, [["明年3月底前完成", "2025-03-31", 0, 8]]],
  ["到 + year end", "到2024年底,全市公办幼儿园在园幼儿占比达到50%", 2024, [["到2024年底", "2024-12-31", 0, 7]]],
  ["year end of the plan year", "2024年底,办好15所条件优的学校", 2024, [["2024年底", "2024-12-31", 0, 6]]],
  ["Chinese year", "二〇二四年底前完成", 2023, [["二〇二四年底前完成", "2024-12-31", 0, 9]]],
  ["到 + year", "到2025年,全市普惠率达到92%", 2024, [["到2025年", "2025-12-31", 0, 6]]],
  ["确保 + year", "确保2025年每个乡镇至少有一所", 2023, [["确保2025年", "2025-12-31", 0, 7]]],
  ["力争 + year", "力争2025年通过义务教育优质均衡发展省级督导评估", 2024, [["力争2025年", "2025-12-31", 0, 7]]],
  // the whole year as a node
  ["(贯穿全年)", "举办大讲堂(贯穿全年),全面优化", 2024, [["贯穿全年", "2024-12-31", 6, 10]]],
  ["(全年) note", "开展巡查(全年)", 2024, [["全年", "2024-12-31", 5, 7]]],
  ["全年 as a table cell", "完善制度\n全年\n市教育局", 2024, [["全年", "2024-12-31", 5, 7]]],
  ["全年 after a time label", "完成时限:2024年全年", 2024, [["2024年全年", "2024-12-31", 5, 12]]],
  // several nodes
  [
    "3月、9月底前完成 is two",
    "组织学生体质检测(3月、9月底前完成),促进",
    2024,
    [
      ["3月、9月底前完成", "2024-03-31", 9, 18],
      ["3月、9月底前完成", "2024-09-30", 9, 18],
    ],
  ],
  [
    "4月、10月底前完成 is two",
    "办好田径运动会(4月、10月底前完成)",
    2024,
    [
      ["4月、10月底前完成", "2024-04-30", 8, 18],
      ["4月、10月底前完成", "2024-10-31", 8, 18],
    ],
  ],
  [
    "each repeated note is its own entry",
    "成立工作室(6月底前完成),评选名师(6月底前完成),出版指南(6月底前完成)。",
    2024,
    [
      ["6月底前完成", "2024-06-30", 6, 12],
      ["6月底前完成", "2024-06-30", 19, 25],
      ["6月底前完成", "2024-06-30", 32, 38],
    ],
  ],
  // dated phases end on their last day
  ["phase across years", "2022年5月至2023年2月开展专项行动", 2023, [["2022年5月至2023年2月", "2023-02-28", 0, 15]]],
  ["phase ending in a leap February", "2023年5月至2024年2月开展学位清查", 2024, [["2023年5月至2024年2月", "2024-02-29", 0, 15]]],
  ["month range with a dash", "6—8月开展暑期研学", 2024, [["6—8月", "2024-08-31", 0, 4]]],
  ["month range with 至", "3月至6月开展排查", 2024, [["3月至6月", "2024-06-30", 0, 5]]],
  ["month range with 月—月", "9月—12月开展督导", 2024, [["9月—12月", "2024-12-31", 0, 6]]],
  ["day range", "3月1日至15日集中报名", 2024, [["3月1日至15日", "2024-03-15", 0, 8]]],
  ["range to the year end", "3月至年底持续开展", 2024, [["3月至年底", "2024-12-31", 0, 5]]],
  ["上中旬", "6月上中旬完成", 2024, [["6月上中旬完成", "2024-06-20", 0, 7]]],
  // no plan year: only written years can be dated
  ["written year without a plan year", "2024年底前完成", null, [["2024年底前完成", "2024-12-31", 0, 9]]],
  ["到 + year without a plan year", "到2025年", null, [["到2025年", "2025-12-31", 0, 6]]],
];

const NEGATIVE: Array<[string, string, number | null]> = [
  // restatements of the plan year
  ["今年", "今年,哈市将增加学前普惠性资源供给", 2023],
  ["bare plan year", "2024年支持2所普通学校建设教育资源中心", 2024],
  ["plan year naming a round", "开展2024年义务教育学校校长教师交流轮岗工作", 2024],
  ["plan year opening a sentence", "2024年,全区教体系统将围绕“二次创业”", 2024],
  ["another year without 到/确保/力争 or a boundary", "紧扣2024年全省中考统一命题新变化", 2023],
  // titles, periods, comparisons
  ["year in a 《title》", "深入实施《营口市学前教育发展提升行动计划(2022-2025年)》", 2024],
  ["title naming the plan year", "落实《2024年全市中小学幼儿园“护校安园”专项工作方案》", 2024],
  ["period in parentheses", "实施三年行动计划(2022-2025年)", 2024],
  ["period with two years", "2023年至2025年", 2024],
  ["comparison base 较", "较2023年增长10%", 2024],
  ["comparison base 与…相比", "与2023年相比提高", 2024],
  ["the past", "截至2023年底,全市共有幼儿园", 2024],
  ["since", "2023年9月以来", 2024],
  ["until now", "3月至今", 2024],
  ["start of force", "自2024年9月1日起施行", 2024],
  // festival and event days
  ["dotted festival days", "在“5.12全国防灾减灾日”、“11.9全国消防日”开展演练", 2024],
  ["festival after a date", "6月26日国际禁毒日", 2024],
  ["festival with 前后", "9月10日教师节前后", 2024],
  ["observance day followed by the work done on it", "结合5月12日全国防灾减灾日组织应急疏散演练", 2025],
  ["ordinal festival", "结合第40个教师节庆祝活动", 2024],
  ["recurring week", "确定将每年4月第三周设为全市“学生劳动教育宣传周”", 2023],
  ["recurring week with table spaces", "确定将每  年4月第三周设为", 2023],
  ["appointment with an hour", "定于2023年3月21日10时在中拍平台", 2023],
  // seasons and terms that name a topic
  ["暑假 and 秋季学期", "开展暑假防范溺水、秋季学期校园安全检查", 2024],
  ["寒暑假", "利用寒暑假和双休日组织学生", 2024],
  ["秋季新生军训", "做好秋季新生军训工作", 2024],
  ["春、秋季开学 as a topic", "开展春、秋季开学全员心理测评", 2024],
  ["both halves: a frequency", "组织上、下半年两次学生体质检测", 2024],
  ["both halves spelled out", "上半年和下半年各开展一次", 2024],
  // frequencies
  ["每年", "每年开展一次", 2024],
  ["每学期", "每学期至少组织2次", 2024],
  ["每月", "每月一个主题", 2024],
  ["季度 as a frequency", "做好季度双轮驱动安全考核", 2024],
  ["每季度末", "每季度末报送", 2024],
  ["每年年底前", "每年年底前报送", 2024],
  ["定期", "定期开展", 2024],
  // periods a number is counted over
  ["全年 counting money", "全年教育经费投入达到294.4亿元", 2024],
  ["全年 counting firms", "全年引进企业(项目)不低于5家(个)", 2024],
  ["年度", "全面完成年度工作任务", 2024],
  ["written year and 全年 counting money", "2024年全年教育经费投入达到294.4亿元", 2024],
  // vague spans and other words with 年/月/季度
  ["力争用三年时间", "力争用三年时间", 2024],
  ["逐步 and 分批次", "逐步推开,分批次完成", 2024],
  ["年初", "年初分别统一报党委审批", 2023],
  ["三年内", "三年内建成", 2024],
  ["学年末", "学年末组织考核", 2024],
  ["前三季度", "2024年前三季度", 2024],
  ["统一季度", "统一季度考核", 2024],
  ["统一月考", "统一月考", 2024],
  ["ages in months", "0-6月龄婴幼儿", 2024],
  ["durations", "用3个月时间", 2024],
  // no plan year: undated words cannot be dated
  ["年底前 without a plan year", "年底前完成", null],
  ["month without a plan year", "6月底前完成", null],
  ["上半年 without a plan year", "上半年", null],
];

describe("findDeadlines", () => {
  it.each(POSITIVE)("%s", (_name, text, year, expected) => {
    expect(hits(text, year)).toEqual(expected);
  });

  it.each(NEGATIVE)("not a deadline: %s", (_name, text, year) => {
    expect(hits(text, year)).toEqual([]);
  });

  it("reads a whole task, in order, skipping what is not a node", () => {
    const task =
      "24.加快市直学校项目建设。2024年8月底前市二十九中新建综合楼项目竣工投用。2024年9月前市二中学生宿舍楼、" +
      "综合办公楼新谋划项目力争年底开工。全年教育经费投入达到294.4亿元。";
    expect(hits(task, 2024)).toEqual([
      ["2024年8月底前", "2024-08-31", 14, 23],
      ["2024年9月前", "2024-09-30", 40, 48],
      ["力争年底", "2024-12-31", 67, 71],
    ]);
  });

  it("quotes the text at the offsets it reports", () => {
    for (const [, text, year] of POSITIVE) {
      for (const h of findDeadlines(text, year)) expect(text.slice(h.start, h.end)).toBe(h.quote);
    }
  });

  it("gives the same answer on a second call (no state kept between calls)", () => {
    const text = "3月底前完成;年内完成";
    expect(hits(text, 2024)).toEqual(hits(text, 2024));
    expect(hits(text, 2024)).toHaveLength(2);
  });

  it("stays linear on long runs of spaces, digits and year words", () => {
    const inputs = [" ".repeat(200_000) + "月", "2024年".repeat(40_000), "每".repeat(200_000), "到 ".repeat(100_000)];
    const started = performance.now();
    for (const s of inputs) findDeadlines(s, 2024);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
