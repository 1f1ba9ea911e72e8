import { describe, expect, it } from "vitest";
import { findTargets } from "../src/targets.js";
import type { TargetHit } from "../src/types.js";

/** An expected hit: the quote, where it starts, and what it states. */
function hit(
  quote: string,
  start: number,
  value: number,
  unit: string,
  bound: TargetHit["bound"],
  valueMax?: number,
): TargetHit {
  const h: TargetHit = { quote, value, unit, bound, start, end: start + quote.length };
  if (valueMax !== undefined) h.value_max = valueMax;
  return h;
}

/** Sentences from the seed plans and from other plans' phrasing, with every target they state. */
const POSITIVE: readonly (readonly [string, readonly TargetHit[]])[] = [
  // measure words
  ["开展中小学校绿色学校创建行动,创建40所绿色学校。", [hit("创建40所绿色学校", 15, 40, "所", "level")]],
  ["新增特殊教育资源教室30个。", [hit("新增特殊教育资源教室30个", 0, 30, "个", "level")]],
  ["遴选市级“书香校园”10所、“书香班级”50个、“学生读书标兵”100名。", [hit("遴选市级“书香校园”10所", 0, 10, "所", "level"), hit("“书香班级”50个", 14, 50, "个", "level"), hit("“学生读书标兵”100名", 24, 100, "名", "level")]],
  ["新增体育指导员200人。", [hit("新增体育指导员200人", 0, 200, "人", "level")]],
  ["到2025年全市60%以上的区县通过督导评估。", [hit("到2025年全市60%以上", 0, 60, "%", "floor")]],
  ["建成市级示范性普通高中两所。", [hit("建成市级示范性普通高中两所", 0, 2, "所", "level")]],
  ["全县中考平均分提升5分以上。", [hit("全县中考平均分提升5分以上", 0, 5, "分", "floor")]],
  ["培训农村教师10000人次。", [hit("培训农村教师10000人次", 0, 10000, "人次", "level")]],
  ["新建人工智能教育实验室200间。", [hit("新建人工智能教育实验室200间", 0, 200, "间", "level")]],
  ["新建7块校园足球场地。", [hit("新建7块校园足球场地", 0, 7, "块", "level")]],
  ["新增优质数字资源课2000节。", [hit("新增优质数字资源课2000节", 0, 2000, "节", "level")]],
  ["学会1项生活技能。", [hit("学会1项生活技能", 0, 1, "项", "level")]],
  ["全年引进企业(项目)不低于5家(个)。", [hit("全年引进企业(项目)不低于5家", 0, 5, "家", "floor")]],
  ["举办党员示范培训活动3期。", [hit("举办党员示范培训活动3期", 0, 3, "期", "level")]],
  ["购置设备79618台(件套)。", [hit("购置设备79618台", 0, 79618, "台", "level")]],
  ["添置健身器材30套。", [hit("添置健身器材30套", 0, 30, "套", "level")]],
  ["增设3处校外实训基地。", [hit("增设3处校外实训基地", 0, 3, "处", "level")]],
  ["带动1支骨干队伍。", [hit("带动1支骨干队伍", 0, 1, "支", "level")]],
  ["开展主题活动100场。", [hit("开展主题活动100场", 0, 100, "场", "level")]],
  ["体育惠民活动3000场次以上。", [hit("体育惠民活动3000场次以上", 0, 3000, "场次", "floor")]],
  ["评选党建创新案例不少于100篇。", [hit("评选党建创新案例不少于100篇", 0, 100, "篇", "floor")]],
  ["全市新增学位14万座。", [hit("全市新增学位14万座", 0, 140000, "座", "level")]],
  // chinese numerals
  ["全市学生近视率下降一个百分点。", [hit("全市学生近视率下降一个百分点", 0, 1, "个百分点", "level")]],
  ["组织上、下半年两次学生体质检测。", [hit("组织上、下半年两次学生体质检测", 0, 2, "次", "level")]],
  ["加格达奇区新建一所托幼一体化中心、呼玛县改扩建一所公办幼儿园。", [hit("加格达奇区新建一所托幼一体化中心", 0, 1, "所", "level"), hit("呼玛县改扩建一所公办幼儿园", 17, 1, "所", "level")]],
  ["每周设立一天为全市小学阶段学生无书面家庭作业日。", [hit("每周设立一天", 0, 1, "天", "level")]],
  ["确保每个乡镇至少有一所乡镇标准化寄宿制学校。", [hit("确保每个乡镇至少有一所乡镇标准化寄宿制学校", 0, 1, "所", "floor")]],
  ["精心策划、设计、实施两个以上精品项目。", [hit("精心策划、设计、实施两个以上精品项目", 0, 2, "个", "floor")]],
  ["改造薄弱学校百余所。", [hit("改造薄弱学校百余所", 0, 100, "所", "floor")]],
  ["召开两次全市推进会。", [hit("召开两次全市推进会", 0, 2, "次", "level")]],
  // scale and money
  ["新建、改扩建中小学幼儿园80所,提供学位7.7万个。", [hit("新建、改扩建中小学幼儿园80所", 0, 80, "所", "level"), hit("提供学位7.7万个", 16, 77000, "个", "level")]],
  ["年测试完成1.5万人次。", [hit("年测试完成1.5万人次", 0, 15000, "人次", "level")]],
  ["规划建筑面积93万平方米。", [hit("规划建筑面积93万平方米", 0, 930000, "平方米", "level")]],
  ["规划总投资33120万元。", [hit("规划总投资33120万元", 0, 331200000, "元", "level")]],
  ["全年教育经费投入达到294.4亿元。", [hit("全年教育经费投入达到294.4亿元", 0, 29440000000, "元", "level")]],
  ["力争使用外资300万美元。", [hit("力争使用外资300万美元", 0, 3000000, "美元", "level")]],
  ["到2024年底,公办园生均公用经费标准上调至600元/年·人。", [hit("公办园生均公用经费标准上调至600元/年·人", 8, 600, "元", "level")]],
  ["新增学位1.2万个,完成投资2.3亿元。", [hit("新增学位1.2万个", 0, 12000, "个", "level"), hit("完成投资2.3亿元", 10, 230000000, "元", "level")]],
  // ranges
  ["力争学生体质健康测试优良率再提升3-5个百分点。", [hit("力争学生体质健康测试优良率再提升3-5个百分点", 0, 3, "个百分点", "range", 5)]],
  ["真正掌握1至2项运动技能。", [hit("真正掌握1至2项运动技能", 0, 1, "项", "range", 2)]],
  ["添置健身器材30—40套。", [hit("添置健身器材30—40套", 0, 30, "套", "range", 40)]],
  ["评选市级骨干教师700-800人。", [hit("评选市级骨干教师700-800人", 0, 700, "人", "range", 800)]],
  ["指导建设5—10个具有特色的优秀课程。", [hit("指导建设5—10个具有特色的优秀课程", 0, 5, "个", "range", 10)]],
  ["项目投资1.5亿-2亿元。", [hit("项目投资1.5亿-2亿元", 0, 150000000, "元", "range", 200000000)]],
  // percent and bounds
  ["全市优质均衡创建整体达标率达到77%。", [hit("全市优质均衡创建整体达标率达到77%", 0, 77, "%", "level")]],
  ["优良率达到95%以上。", [hit("优良率达到95%以上", 0, 95, "%", "floor")]],
  ["大班额比例控制在5%以内。", [hit("大班额比例控制在5%以内", 0, 5, "%", "ceiling")]],
  ["作业完成时间不超过2小时。", [hit("作业完成时间不超过2小时", 0, 2, "小时", "ceiling")]],
  ["普惠性幼儿园覆盖率稳定在93%以上。", [hit("普惠性幼儿园覆盖率稳定在93%以上", 0, 93, "%", "floor")]],
  ["优质幼儿园占比超过80%。", [hit("优质幼儿园占比超过80%", 0, 80, "%", "floor")]],
  ["按照不低于当地教师工资总额的1.5%安排培训经费。", [hit("按照不低于当地教师工资总额的1.5%", 0, 1.5, "%", "floor")]],
  ["班额控制在45人。", [hit("班额控制在45人", 0, 45, "人", "ceiling")]],
  ["在校生规模占比不超过5%。", [hit("在校生规模占比不超过5%", 0, 5, "%", "ceiling")]],
  ["高考本科上线率提高3个百分点。", [hit("高考本科上线率提高3个百分点", 0, 3, "个百分点", "level")]],
  // durations and frequencies
  ["保障学生每天在校体育锻炼时间不少于90分钟。", [hit("保障学生每天在校体育锻炼时间不少于90分钟", 0, 90, "分钟", "floor")]],
  ["落实每日校内体育活动不少于1小时要求。", [hit("落实每日校内体育活动不少于1小时", 0, 1, "小时", "floor")]],
  ["落实每两周1次心理健康课程。", [hit("落实每两周1次心理健康课程", 0, 1, "次", "level")]],
  ["鼓励学校每天开设1节体育课。", [hit("鼓励学校每天开设1节体育课", 0, 1, "节", "level")]],
  ["每学期至少 组织2次家庭教育指导服务活动。", [hit("每学期至少 组织2次家庭教育指导服务活动", 0, 2, "次", "floor")]],
  // lists and shared numbers
  ["推进“县管校聘”改革,至少交流义务教育学校校长80人、教师1000人。", [hit("至少交流义务教育学校校长80人", 11, 80, "人", "floor"), hit("教师1000人", 27, 1000, "人", "floor")]],
  ["义务教育课后服务学校覆盖率、学生有意愿参与率100%。", [hit("义务教育课后服务学校覆盖率、学生有意愿参与率100%", 0, 100, "%", "level")]],
  ["开展义务教育质量评价,年底前,实现校级自评100%,县级评估30%,地级抽检30%。", [hit("实现校级自评100%", 15, 100, "%", "level"), hit("县级评估30%", 26, 30, "%", "level"), hit("地级抽检30%", 34, 30, "%", "level")]],
  ["开工、续建学校幼儿园8所,其中学校5所、幼儿园3所,新增学位8130个。", [hit("开工、续建学校幼儿园8所", 0, 8, "所", "level"), hit("其中学校5所", 13, 5, "所", "level"), hit("幼儿园3所", 20, 3, "所", "level"), hit("新增学位8130个", 26, 8130, "个", "level")]],
  ["计划评选先进个人9类1255人,先进集体3类231个。", [hit("计划评选先进个人9类1255人", 0, 1255, "人", "level"), hit("先进集体3类231个", 16, 231, "个", "level")]],
  // other plans
  ["学前教育毛入园率达到92%以上,普惠性幼儿园覆盖率稳定在90%以上。", [hit("学前教育毛入园率达到92%以上", 0, 92, "%", "floor"), hit("普惠性幼儿园覆盖率稳定在90%以上", 16, 90, "%", "floor")]],
  ["全年接待家长来访200余人次。", [hit("全年接待家长来访200余人次", 0, 200, "人次", "floor")]],
  ["建成20多个劳动教育实践基地。", [hit("建成20多个劳动教育实践基地", 0, 20, "个", "floor")]],
  ["确保每校至少配备1名专职心理健康教师。", [hit("确保每校至少配备1名专职心理健康教师", 0, 1, "名", "floor")]],
  ["体育课每周不少于4节,每班不超过45人。", [hit("体育课每周不少于4节", 0, 4, "节", "floor"), hit("每班不超过45人", 11, 45, "人", "ceiling")]],
  ["近视率每年降低0.5个百分点以上。", [hit("近视率每年降低0.5个百分点以上", 0, 0.5, "个百分点", "floor")]],
  ["生均公用经费小学每生每年650元、初中850元。", [hit("生均公用经费小学每生每年650元", 0, 650, "元", "level"), hit("初中850元", 17, 850, "元", "level")]],
  ["受益学生超过10万人。", [hit("受益学生超过10万人", 0, 100000, "人", "floor")]],
  ["建设5个以上的示范基地,改造100所以上的老旧学校。", [hit("建设5个以上的示范基地", 0, 5, "个", "floor"), hit("改造100所以上的老旧学校", 12, 100, "所", "floor")]],
  ["每学期开展2次应急疏散演练。", [hit("每学期开展2次应急疏散演练", 0, 2, "次", "level")]],
  ["比上年增长5%。", [hit("比上年增长5%", 0, 5, "%", "level")]],
  ["资助学生1.2万人次,发放资助资金3500万元。", [hit("资助学生1.2万人次", 0, 12000, "人次", "level"), hit("发放资助资金3500万元", 11, 35000000, "元", "level")]],
  ["遴选10所试点校。", [hit("遴选10所试点校", 0, 10, "所", "level")]],
];

/** Numbers that only look like targets, grouped by the rule that drops them. */
const NEGATIVE: readonly (readonly [string, string])[] = [
  ["years and dates", "到2025年底前完成验收。"],
  ["the scope of a rule", "撤并生源不足10人的村小教学点。"],
  ["the past", "会议还表彰了先进集体30个、先进个人85名。"],
  ["a baseline", "在2023年新增学位12.8万个的基础上,继续扩大供给。"],
  ["分 as an adverb", "十分重视安全工作。"],
  ["years and dates", "定于2023年3月21日10时公开拍卖。"],
  ["years and dates", "落实《学前教育发展提升行动计划(2022-2025年)》。"],
  ["years and dates", "在“5.12全国防灾减灾日”开展宣传。"],
  ["document numbers", "根据衡政办函〔2023〕21号文件精神。"],
  ["document numbers", "认真落实衡编办〔2020〕2号通知。"],
  ["ordinals", "组织开展第40个教师节系列迎庆活动。"],
  ["ordinals", "开展第二批冰城名师培养工程。"],
  ["ordinals", "举办第十届中小学生运动会。"],
  ["names and slogans", "加强“三个课堂”建设与应用。"],
  ["names and slogans", "深化三个课堂应用。"],
  ["names and slogans", "按照“1434”工作思路推进。"],
  ["names and slogans", "打造全市首个K15+教育联盟品牌。"],
  ["names and slogans", "深入学习贯彻党的二十大精神。"],
  ["names and slogans", "通过“5个1”行动提升水平。"],
  ["names and slogans", "通过\"5个1\"行动提升水平。"],
  ["names and slogans", "组织开展六大体育联赛。"],
  ["names and slogans", "落实“十四五”学前教育发展提升行动计划。"],
  ["names and slogans", "“一校一案”制定实施方案,确保一人一案。"],
  ["names and slogans", "深入落实“两为主、两纳入”政策。"],
  ["names and slogans", "扩大“3+4”中职本科贯通培养规模。"],
  ["names and slogans", "巩固“四个100%”建设成果。"],
  ["names and slogans", "根据《关于建设100所示范校的通知》要求。"],
  ["names and slogans", "实现“两个只增不减”。"],
  ["names and slogans", "构建“一园一案”。"],
  ["ages and grades", "落实《3—6岁儿童学习与发展指南》。"],
  ["ages and grades", "小学一年级须设置过渡性活动课程。"],
  ["ages and grades", "试点进行15个年级的学段衔接。"],
  ["past and present stock", "全市现有幼儿园120所。"],
  ["past and present stock", "对已认定的30所示范校进行复核。"],
  ["existing sets, pilots and partners", "以8所试点校的人工智能实验室建设为引领。"],
  ["existing sets, pilots and partners", "8所试点校开展课题研究。"],
  ["existing sets, pilots and partners", "做好全市首批7所省级示范校验收。"],
  ["existing sets, pilots and partners", "推进哈职院等6个省首批产业学院建设项目。"],
  ["existing sets, pilots and partners", "提升职业教育与24条产业链的匹配度。"],
  ["existing sets, pilots and partners", "实施“三区支教”“银龄讲学”“师范生顶岗实习”“社会组织和专业人才支持乡村教育”四项计划。"],
  ["existing sets, pilots and partners", "围绕游戏环境创设、游戏观察与支持、深度学习三大专题。"],
  ["existing sets, pilots and partners", "发挥人和35中、成山好运角中学2所省级示范校引领带动作用。"],
  ["existing sets, pilots and partners", "围绕情境教育、大单元教学、作业设计、跨学科主题学习等4个重点项目,开展深入研究。"],
  ["existing sets, pilots and partners", "依据学前教育、义务教育、普通高中、特殊教育四个质量评价指南实施方案。"],
  ["existing sets, pilots and partners", "筹建对俄经贸、冰雪体育两个产教融合共同体。"],
  ["existing sets, pilots and partners", "在10所学校开展试点。"],
  ["existing sets, pilots and partners", "实施12项重点工程。"],
  ["existing sets, pilots and partners", "纳入全市20项民心工程。"],
  ["existing sets, pilots and partners", "建立3个长效机制。"],
  ["bandwidth, versions, hotlines, categories", "实现万兆到县、千兆到校、百兆到班。"],
  ["bandwidth, versions, hotlines, categories", "推进网络带宽千兆入校、百兆入班。"],
  ["bandwidth, versions, hotlines, categories", "打造教育e平台2.0升级版。"],
  ["bandwidth, versions, hotlines, categories", "用好24小时学生心理关爱热线。"],
  ["bandwidth, versions, hotlines, categories", "先进个人9类。"],
  ["groups, scopes, dimensions, ranks", "着力抓好后30%学生的学业质量。"],
  ["groups, scopes, dimensions, ranks", "寄宿制学校或600人以上的非寄宿制学校配齐卫生专业技术人员。"],
  ["groups, scopes, dimensions, ranks", "全面消除56人以上大班额。"],
  ["groups, scopes, dimensions, ranks", "从5个方面推进改革。"],
  ["groups, scopes, dimensions, ranks", "分区域、学校两个层面深入调研。"],
  ["groups, scopes, dimensions, ranks", "进入全省前10名。"],
  ["groups, scopes, dimensions, ranks", "3个月内完成整改,10个工作日内办结。"],
  ["articles and frequencies of names", "建立一个长效机制。"],
  ["articles and frequencies of names", "一次性发放补助。"],
  ["articles and frequencies of names", "提供一条龙服务。"],
  ["articles and frequencies of names", "举办好每月一个主题的才艺大赛。"],
  ["articles and frequencies of names", "努力实现“六个一”目标,即一生好品质,一副好身体、一个好心态。"],
  ["articles and frequencies of names", "开展“大中小学同上一节思政课”活动。"],
  ["articles and frequencies of names", "为学生创造一个平安、健康的成长环境。"],
];

describe("findTargets: committed targets", () => {
  it.each(POSITIVE)("%s", (text, expected) => {
    expect(findTargets(text)).toEqual(expected);
  });
});

describe("findTargets: numbers that are not targets", () => {
  it.each(NEGATIVE)("%s: %s", (_rule, text) => {
    expect(findTargets(text)).toEqual([]);
  });
});

describe("findTargets: occurrences and offsets", () => {
  it("returns a headline and its body restating it as two hits, for the caller to merge", () => {
    const text = "1 新增公办园和普惠性民办园50所\n\n今年,哈市将新增公办园和普惠性民办园50所,加强公办幼儿园教师配备。";
    expect(findTargets(text)).toEqual([
      hit("新增公办园和普惠性民办园50所", 2, 50, "所", "level"),
      hit("哈市将新增公办园和普惠性民办园50所", 22, 50, "所", "level"),
    ]);
  });

  it("keeps a target amid numbers that are not, in text order", () => {
    const text = "2024年,落实衡政办函〔2023〕21号文件,组织开展第40个教师节活动,评选市级优秀教师300名。";
    expect(findTargets(text)).toEqual([hit("评选市级优秀教师300名", 38, 300, "名", "level")]);
  });

  it("finds every quote at its offsets in a whole task", () => {
    const text =
      "23.推进中小学幼儿园项目建设。规划总投资34.29亿元,新改扩建中小学幼儿园学校77所,规划建筑面积93万平方米," +
      "新增学位12.1万个。承担完成省义务教育学校扩容提质工程项目30所,省民生工程项目7所,市民生实事项目15所。";
    const hits = findTargets(text);
    expect(hits.map((h) => [h.value, h.unit])).toEqual([
      [3429000000, "元"],
      [77, "所"],
      [930000, "平方米"],
      [121000, "个"],
      [30, "所"],
      [7, "所"],
      [15, "所"],
    ]);
    for (const h of hits) expect(text.slice(h.start, h.end)).toBe(h.quote);
  });

  it("returns nothing for text without numbers", () => {
    expect(findTargets("")).toEqual([]);
    expect(findTargets("加强思想政治理论学习,持续推动政治理论学习走深走实。")).toEqual([]);
  });
});
