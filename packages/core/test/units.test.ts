import { describe, expect, it } from "vitest";
import type { UnitHit } from "../src/types.js";
import {
  declaresFirstListedLead,
  findUnits,
  joinUnitFragments,
  looksLikeUnitName,
  splitUnitList,
  unitsFromColumn,
} from "../src/units.js";

/** "name" for a unit, "name*" for a lead unit, in order. */
function names(hits: UnitHit[]): string[] {
  return hits.map((h) => (h.lead ? `${h.name}*` : h.name));
}

/** Every hit covers its name in the text (a joined name differs only by whitespace). */
function expectAnchored(text: string, hits: UnitHit[]): void {
  for (const h of hits) expect(text.slice(h.start, h.end).replace(/\s+/g, "")).toBe(h.name);
}

describe("findUnits: labelled notes", () => {
  it.each([
    ["(责任单位:秘书科、教研中心,各基层党组织)", ["秘书科", "教研中心", "各基层党组织"]],
    ["责任单位:基教科、教研中心", ["基教科", "教研中心"]],
    ["(责任单位:职教科,威海水产学校)", ["职教科", "威海水产学校"]],
    ["(责任单位:基教科、体育发展中心,体校)", ["基教科", "体育发展中心", "体校"]],
    ["责任科室:安保科、基教科。", ["安保科", "基教科"]],
    ["责任部门:办公室", ["办公室"]],
    ["牵头单位:市教育局;配合单位:市财政局、市人社局", ["市教育局*", "市财政局", "市人社局"]],
    ["(牵头单位:市教育局,责任单位:各县市区人民政府)", ["市教育局*", "各县市区人民政府"]],
    ["牵头部门:市教育局 配合部门:市委编办、市财政局", ["市教育局*", "市委编办", "市财政局"]],
    ["主责单位:市教育局;协办单位:市公安局、市市场监管局", ["市教育局", "市公安局", "市市场监管局"]],
    ["参与单位:各县(市、区)教育局、市直各学校", ["各县(市、区)教育局", "市直各学校"]],
    ["[责任单位]市教育局、市发展改革委", ["市教育局", "市发展改革委"]],
    ["【牵头单位】市教育局 【配合单位】市财政局", ["市教育局*", "市财政局"]],
    ["责任部门:市教育局(牵头)、市卫健委", ["市教育局*", "市卫健委"]],
    ["(责任单位:市教育局、各县(市)区人民政府)", ["市教育局", "各县(市)区人民政府"]],
    ["责任单位:各县市区 人民政府", ["各县市区人民政府"]],
    ["责任单位:市教育局 市财政局", ["市教育局", "市财政局"]],
    ["责任单位:市教育局、市财政局等。", ["市教育局", "市财政局"]],
    ["(牵头领导:张三;责任单位:市教育局)", ["市教育局"]],
  ])("%s", (text, expected) => {
    const hits = findUnits(text);
    expect(names(hits)).toEqual(expected);
    expect(hits.every((h) => h.via === "note")).toBe(true);
    expectAnchored(text, hits);
  });

  it("stops the list at the next field of the note", () => {
    expect(names(findUnits("责任单位:市教育局;完成时限:2024年底"))).toEqual(["市教育局"]);
    expect(names(findUnits("责任单位:市教育局\n完成时限:2024年12月底"))).toEqual(["市教育局"]);
  });

  it("reads a note that wraps onto the next line after a separator", () => {
    expect(names(findUnits("(责任单位:市教育局、\n市财政局)"))).toEqual(["市教育局", "市财政局"]);
  });

  it("gives offsets of each name in the task text", () => {
    const text = "1.加强师资培训。(责任单位:基教科、教研中心)";
    expect(findUnits(text)).toEqual([
      { name: "基教科", start: 15, end: 18, lead: false, via: "note" },
      { name: "教研中心", start: 19, end: 23, lead: false, via: "note" },
    ]);
  });

  it("drops a clause the list runs on into", () => {
    const text = "责任单位:市教育局牵头,各县区负责落实到位并按时报送。";
    expect(names(findUnits(text))).toEqual(["市教育局*"]);
  });

  it("does not read people or other fields as units", () => {
    expect(findUnits("责任人:李四")).toEqual([]);
    expect(findUnits("牵头领导:王五")).toEqual([]);
    expect(findUnits("完成时限:2024年6月底")).toEqual([]);
  });
});

describe("findUnits: first-listed lead", () => {
  it.each([
    ["(责任单位:市教育局、市财政局,排名第一的为牵头单位)", ["市教育局*", "市财政局"]],
    ["责任单位:市教育局、市财政局(排在第一位的为牵头单位)", ["市教育局*", "市财政局"]],
    ["(责任单位:市教育局、市财政局;第一个为牵头单位)", ["市教育局*", "市财政局"]],
  ])("%s", (text, expected) => {
    expect(names(findUnits(text))).toEqual(expected);
  });

  it("plain 责任单位 has no lead", () => {
    expect(names(findUnits("(责任单位:市教育局、市财政局)"))).toEqual(["市教育局", "市财政局"]);
  });

  it("takes a plan-wide declaration through the option", () => {
    expect(declaresFirstListedLead("(注:责任单位排名第一的为牵头单位)")).toBe(true);
    expect(declaresFirstListedLead("责任单位:市教育局、市财政局")).toBe(false);
    const hits = findUnits("(责任单位:市教育局、市财政局)", { firstListedLeads: true });
    expect(names(hits)).toEqual(["市教育局*", "市财政局"]);
  });
});

describe("findUnits: bracketed notes without a label", () => {
  it.each([
    ["推进集团化办学(市教育局牵头,各县区教育局配合)。", ["市教育局*", "各县区教育局"]],
    ["完善资助体系(市教育局、市人社局)", ["市教育局", "市人社局"]],
    ["(市教育局牵头,各有关部门配合)", ["市教育局*", "各有关部门"]],
    ["(市委组织部、市委编办、市教育局按职责分工负责)", ["市委组织部", "市委编办", "市教育局"]],
  ])("%s", (text, expected) => {
    const hits = findUnits(text);
    expect(names(hits)).toEqual(expected);
    expectAnchored(text, hits);
  });

  it.each([
    "完善学校(幼儿园)党组织会议议事规则。",
    "以7所学校(幼儿园)为支点",
    "开展教育督导(市、县两级)。",
  ])("leaves an aside alone: %s", (text) => {
    expect(findUnits(text)).toEqual([]);
  });
});

describe("findUnits: sentences that assign", () => {
  it.each([
    ["强化中小学思政课顶层设计,教研部门牵头,一体化设计思政课教学内容。", ["教研部门*"]],
    ["推进联盟发展,地区教师进修学院牵头负责,发挥联盟牵头学校的带头作用。", ["地区教师进修学院*"]],
    ["发挥市委教育工作领导小组牵头作用,落实部门责任。", ["市委教育工作领导小组*"]],
    [
      "实验中学发挥领航学校作用,与省实验中学对接合作,以高考复习备考为重点,牵头组织开展联考。",
      ["实验中学*"],
    ],
    ["充分发挥市教育督导委员会办公室牵头抓总作用。", ["市教育督导委员会办公室*"]],
    ["市教育局、市财政局牵头,各县区政府具体落实。", ["市教育局*", "市财政局*", "各县区政府"]],
    ["由市教育局牵头,市财政局、市人社局配合。", ["市教育局*", "市财政局", "市人社局"]],
    ["此项工作由办公室负责。", ["办公室"]],
    ["各县区教育局负责组织实施。", ["各县区教育局"]],
    ["组织实施学生资助政策,市学生资助管理中心负责。", ["市学生资助管理中心"]],
    ["由市教育局会同市财政局制定实施办法。", ["市教育局"]],
    ["市教育局牵头,会同市财政局制定方案。", ["市教育局*"]],
    // The subject of 联合 organizes the joint action; 有关部门 are partners (gold 003 item 4).
    ["2024年市教育局联合有关部门对民办园收费开展专项检查。", ["市教育局"]],
  ])("%s", (text, expected) => {
    const hits = findUnits(text);
    expect(names(hits)).toEqual(expected);
    expect(hits.every((h) => h.via === "sentence")).toBe(true);
    expectAnchored(text, hits);
  });

  it.each([
    // partners
    "探索与哈尔滨体育学院联合开展特长生培养。",
    "按照市委要求,会同编制、人社等部门彻底解决教师缺编问题。",
    "联合有关部门开展专项检查。",
    "联合政法、公安等部门制发专项工作方案。",
    // roles and kinds
    "发挥教研部门的专业引领作用。",
    "将课后服务纳入教研部门工作重点。",
    "发挥联盟牵头学校的带头作用。",
    "发挥实验中学、呼玛县高级中学的引领作用。",
    // people, nouns, generic references
    "落实校长、园长主体责任。",
    "落实中小学校党组织领导的校长负责制。",
    "面向全体学校幼儿园主要负责人开展培训。",
    "由有关部门负责。",
    "相关部门配合。",
    "家长积极参与。",
    // a body as the reporter's subject, with no assigning verb
    "市教育局将加强大中小学思政课一体化建设。",
    "哈市将增加学前普惠性资源供给。",
    // places and beneficiaries
    "力争加格达奇区完成义务教育优质均衡发展督导评估。",
    "为乡村学校配备音体美教师。",
    "由活动化向课程化转变。",
  ])("no unit: %s", (text) => {
    expect(findUnits(text)).toEqual([]);
  });
});

describe("findUnits: one hit per name", () => {
  it("keeps the first place and marks lead when any occurrence leads", () => {
    const text = "由市教育局负责统筹。市教育局牵头组织验收。";
    const hits = findUnits(text);
    expect(hits).toEqual([{ name: "市教育局", start: 1, end: 5, lead: true, via: "sentence" }]);
  });

  it("merges a name from a note and a sentence", () => {
    const text = "教研部门牵头开展研究。(责任单位:教研中心、教研部门)";
    expect(names(findUnits(text))).toEqual(["教研部门*", "教研中心"]);
  });
});

describe("splitUnitList", () => {
  it("splits on 、 , ; and adds the offset", () => {
    expect(splitUnitList("市教育局、市财政局,各县市区人民政府", 10)).toEqual([
      { name: "市教育局", start: 10, end: 14 },
      { name: "市财政局", start: 15, end: 19 },
      { name: "各县市区人民政府", start: 20, end: 28 },
    ]);
  });

  it.each([
    ["市教育局  市委网信办", ["市教育局", "市委网信办"]],
    ["各县市区 人民政府", ["各县市区人民政府"]],
    ["市自然资源 和规划局", ["市自然资源和规划局"]],
    ["各县(市、区)教育局;市财政局。", ["各县(市、区)教育局", "市财政局"]],
    ["秘书科、教研中心,各基层党组织)", ["秘书科", "教研中心", "各基层党组织"]],
    ["市教育局/市财政局", ["市教育局", "市财政局"]],
    ["", []],
  ])("%s", (list, expected) => {
    expect(splitUnitList(list).map((n) => n.name)).toEqual(expected);
  });
});

describe("looksLikeUnitName", () => {
  it.each([
    "市教育局",
    "各县市区人民政府",
    "基教科",
    "教研中心",
    "市委编办",
    "市委网信办",
    "市妇联",
    "妇联",
    "体校",
    "办公室",
    "督导室",
    "各基层学校",
    "各基层党组织",
    "实验中学",
    "塔河二中",
    "地区教师进修学院",
    "市委教育工作领导小组",
    "市住房和城乡建设局",
    "市发展和改革委员会",
    "各县(市)区教育局",
    "省教育厅",
    "共青团市委",
    "市学生资助管理中心",
  ])("a body: %s", (s) => {
    expect(looksLikeUnitName(s)).toBe(true);
  });

  it.each([
    "市自然资源",
    "和规划局",
    "人民政府",
    "各县市区",
    "责任",
    "单位",
    "责任单位",
    "工作任务",
    "具体措施",
    "师队",
    "建设高素质教师队",
    "新发展格局",
    "语文学科",
    "多媒体教室",
    "承办",
    "民办",
    "体育场馆",
    "活动场所",
    "骨干教师团队",
    "年轻干部",
    "现场会",
    "以学生为中心",
    "校外培训机构",
    "市教育局  市委网信办",
    "市教育局、市财政局",
    "加强教研组",
    "与哈尔滨体育学院",
    "党组织领导的校长",
    "(1)加强学校体育师资队伍配备",
  ])("not a body: %s", (s) => {
    expect(looksLikeUnitName(s)).toBe(false);
  });
});

describe("joinUnitFragments", () => {
  it("rebuilds names broken across lines", () => {
    const lines = ["市教育局", "市自然资源", "和规划局", "市住房和城", "乡建设局", "市财政局", "各县市区", "人民政府"];
    expect(joinUnitFragments(lines)).toEqual([
      "市教育局",
      "市自然资源和规划局",
      "市住房和城乡建设局",
      "市财政局",
      "各县市区人民政府",
    ]);
  });

  it("continues a name broken after 委", () => {
    expect(joinUnitFragments(["市发展和改革委", "员会", "市教育局"])).toEqual(["市发展和改革委员会", "市教育局"]);
  });

  it("does not join complete names or text that never becomes a name", () => {
    expect(joinUnitFragments(["市教育局", "市财政局"])).toEqual(["市教育局", "市财政局"]);
    expect(joinUnitFragments(["工作任务", "具体措施", "责任", "单位"])).toEqual(["工作任务", "具体措施", "责任", "单位"]);
  });
});

describe("unitsFromColumn", () => {
  /** Lines laid out one after another, each followed by "\n\n" as in a flattened table. */
  function layout(lines: string[]): { text: string; lines: { text: string; start: number }[] } {
    let text = "";
    const out: { text: string; start: number }[] = [];
    for (const l of lines) {
      out.push({ text: l, start: text.length });
      text += `${l}\n\n`;
    }
    return { text, lines: out };
  }

  it("reads a flattened row: measures skipped, broken names joined, a shared line split", () => {
    const row = layout([
      "(1)优化学校布局,确保2025年每个乡镇至少有一所标准化寄宿制学校。",
      "市教育局  市委网信办",
      "市自然资源",
      "和规划局",
      "各县市区",
      "人民政府",
    ]);
    const hits = unitsFromColumn(row.lines);
    expect(names(hits)).toEqual(["市教育局", "市委网信办", "市自然资源和规划局", "各县市区人民政府"]);
    expect(hits.every((h) => h.via === "column")).toBe(true);
    expectAnchored(row.text, hits);
  });

  it("skips table headers and title fragments", () => {
    const row = layout(["工作任务", "具体措施", "责任", "单位", "二、", "强化", "课堂", "主阵", "地作", "市教育局"]);
    expect(names(unitsFromColumn(row.lines))).toEqual(["市教育局"]);
  });

  it("joins a stray space inside one cell and makes the first unit lead when asked", () => {
    const row = layout(["市教育局", "市财政局", "各县市区 人民政府"]);
    expect(names(unitsFromColumn(row.lines, { firstListedLeads: true }))).toEqual([
      "市教育局*",
      "市财政局",
      "各县市区人民政府",
    ]);
  });
});
