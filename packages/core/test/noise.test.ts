import { describe, expect, it } from "vitest";
import { noiseKind, stripPageMark } from "../src/noise.js";
import { readLines } from "../src/read.js";

/** The kind of each line of a text, in order. */
function kinds(text: string) {
  return readLines(text).map((l) => [l.text, noiseKind(l)]);
}

function kindOf(line: string) {
  const [only] = readLines(line);
  if (!only) throw new Error("blank line");
  return noiseKind(only);
}

describe("noiseKind: page chrome", () => {
  it.each([
    ["publishing time", "发布时间:2023-07-19 10:55      来源:衡阳市人民政府     浏览量:"],
    ["publishing date", "发布日期:2024-03-01"],
    ["source", "来源:哈尔滨市教育局"],
    ["source of information", "信息来源:市教育局办公室"],
    ["font size buttons", "【字号:大 中 小】"],
    ["font size, spaced", "字号: 大 中 小"],
    ["size buttons alone", "大 中 小"],
    ["font", "字体:"],
    ["share", "分享到:"],
    ["share button", "分享"],
    ["print and close", "打印本页"],
    ["close window", "【关闭窗口】"],
    ["scan to read", "扫一扫在手机打开当前页"],
    ["WeChat", "微信扫一扫 分享到朋友圈"],
    ["breadcrumb", "当前位置:首页 > 政务公开 > 通知公告"],
    ["your position", "您的位置:首页>教育动态"],
    ["attachment label with a colon", "附件:"],
    ["attachment label", "附件1"],
    ["attachment label, spaced", "附 件 2"],
    ["attachment download link", "附件2:2024年重点任务分解表.docx"],
    ["counter", "浏览次数:1234"],
    ["editor", "责任编辑:张三"],
    ["previous article", "上一篇:关于开展校园安全检查的通知"],
    ["disclosure note", "(此件公开发布)"],
    ["page mark with dashes", "- 2 -"],
    ["page mark with em dashes", "—3—"],
    ["page of pages", "第2页 共5页"],
    ["page of pages, with comma", "第 2 页,共 5 页"],
    ["page alone", "第12页"],
    ["page fraction", "2/3"],
    ["bare counter", "221381"],
    ["bare year-sized counter", "2024"],
    ["site banner with a domain", "哈尔滨市教育局 www.harbin.gov.cn"],
    ["site banner without www", "中国教育在线 eol.cn 版权所有"],
  ])("%s", (_, line) => {
    expect(kindOf(line)).toBe("chrome");
  });
});

describe("noiseKind: trailers end the plan", () => {
  it.each([
    ["related reading", "相关阅读:"],
    ["related reading, no colon", "相关阅读"],
    ["related links", "相关链接:"],
    ["recommended", "推荐阅读"],
    ["a newspaper's auction notice", "新晚报 拍卖/公告"],
    ["an auction notice", "拍卖公告"],
    ["a tender notice", "中标公告"],
    ["a hiring notice", "招聘启事"],
    ["a lost-document notice", "遗失声明"],
    ["an advertisement mark", "【广告】"],
    ["an advertisement mark in brackets", "[推广]"],
  ])("%s", (_, line) => {
    expect(kindOf(line)).toBe("trailer");
  });
});

describe("noiseKind: body lines stay", () => {
  it.each([
    ["starts with 来源 but is a sentence", "来源于群众的意见建议要逐条研究、限期答复。"],
    ["starts with 来源广泛", "来源广泛的社会力量共同参与,形成育人合力。"],
    ["starts with 附件 but is a sentence", "附件所列任务由各责任单位分别牵头落实。"],
    ["names 发布时间 in a sentence", "发布时间和信息来源由办公室统一审核,确保准确。"],
    ["names 分享 in a sentence", "分享优秀案例,推广典型经验。"],
    ["names 打印 in a sentence", "打印机等办公设备统一采购。"],
    ["a domain inside a sentence", "登录www.moe.gov.cn查询政策。"],
    ["a heading", "一、加强党的全面领导"],
    ["a task", "1.新建居住小区配套学校和幼儿园8所"],
    ["a year alone with its word", "2024年"],
    ["a small bare number (a 序号 cell)", "12"],
    ["an annex's title after its label", "附件:2024年青岚区教育工作要点任务分解表"],
    ["a long notice title is not a trailer", "关于开展2024年全市教育系统安全生产大检查工作的公告"],
    ["a plan title", "2024年全市教育工作要点"],
  ])("%s", (_, line) => {
    expect(kindOf(line)).toBeNull();
  });

  it("judges each line of a page on its own", () => {
    expect(
      kinds(
        "哈市召开2023年教育工作会议\n发布时间:2023-02-24 来源:哈尔滨日报\n1 新增公办园50所\n今年将新增公办园50所。\n- 2 -\n相关阅读:\n【广告】",
      ),
    ).toEqual([
      ["哈市召开2023年教育工作会议", null],
      ["发布时间:2023-02-24 来源:哈尔滨日报", "chrome"],
      ["1 新增公办园50所", null],
      ["今年将新增公办园50所。", null],
      ["- 2 -", "chrome"],
      ["相关阅读:", "trailer"],
      ["【广告】", "trailer"],
    ]);
  });
});

describe("stripPageMark", () => {
  it.each([
    ["2023年全市教育工作要点(第2/3页)", "2023年全市教育工作要点"],
    ["2023年全市教育工作要点(第2页)", "2023年全市教育工作要点"],
    ["2023年全市教育工作要点 [第 2 / 3 页]", "2023年全市教育工作要点"],
    ["2023年全市教育工作要点(征求意见稿)", "2023年全市教育工作要点(征求意见稿)"],
    ["(一)开展第2页所列工作", "(一)开展第2页所列工作"],
    ["2023年全市教育工作要点", "2023年全市教育工作要点"],
  ])("%s", (text, expected) => {
    expect(stripPageMark(text)).toBe(expected);
  });
});
