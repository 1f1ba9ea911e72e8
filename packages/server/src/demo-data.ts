// The demo bureau: its units (named as seed plans 002 and 004 write them, so every unit name in
// those plans matches), its accounts, and what has happened to each seed task so far. Days are
// counted from today (negative: in the past), so the ledger looks the same whenever it is made:
// a few tasks overdue (red), some due soon or lagging (yellow), most on track (green), two closed.
import type { ReportStatus, UnitKind, UserRole } from "@taizhang/store";

export const DEMO_ORGANISATION = "示例市教育局";
/** Every demo account's password. A demo: anyone who reads the README knows it. */
export const DEMO_PASSWORD = "taizhang2026";
/** The day the demo's tasks were dispatched, counted from today. */
export const HISTORY_START_DAY = -70;

export interface DemoUnit {
  name: string;
  kind: UnitKind;
  aliases?: string[];
  children?: DemoUnit[];
}

export const DEMO_UNITS: readonly DemoUnit[] = [
  {
    // The bureau as a whole: plans name it ("市教育局") beside its partners; work goes to its 科室.
    name: "市教育局",
    kind: "其他",
    aliases: ["示例市教育局", "市教育局机关"],
    children: [
      { name: "办公室", kind: "科室", aliases: ["局办公室", "市教育局办公室"] },
      { name: "基础教育科", kind: "科室", aliases: ["基教科", "市教育局基础教育科", "市教育局基教科"] },
      { name: "职成教科", kind: "科室", aliases: ["职业教育与成人教育科", "职成科", "市教育局职成教科"] },
      { name: "人事科", kind: "科室", aliases: ["教师工作科", "人事教师科", "市教育局人事科"] },
      { name: "计划财务科", kind: "科室", aliases: ["计财科", "财务科", "市教育局计划财务科"] },
      { name: "体卫艺科", kind: "科室", aliases: ["体育卫生与艺术教育科", "市教育局体卫艺科"] },
      { name: "教研中心", kind: "直属单位", aliases: ["市教研室", "教研室", "市教育科学研究中心"] },
    ],
  },
  { name: "雁峰区教育局", kind: "县区教育局" },
  { name: "石鼓区教育局", kind: "县区教育局" },
  { name: "珠晖区教育局", kind: "县区教育局" },
  { name: "蒸湘区教育局", kind: "县区教育局" },
  { name: "各县市区人民政府", kind: "其他", aliases: ["各县市区政府", "各县(市、区)人民政府", "各县(市、区)政府"] },
  { name: "市委教育工作领导小组", kind: "其他", aliases: ["市委教育工作领导小组办公室"] },
  { name: "市委编办", kind: "其他", aliases: ["市编办", "市委机构编制委员会办公室"] },
  { name: "市委网信办", kind: "其他", aliases: ["市网信办"] },
  { name: "市财政局", kind: "其他" },
  { name: "市人社局", kind: "其他", aliases: ["市人力资源和社会保障局", "市人力资源社会保障局"] },
  { name: "市卫健委", kind: "其他", aliases: ["市卫生健康委员会", "市卫生健康委"] },
  { name: "市自然资源和规划局", kind: "其他", aliases: ["市自然资源局"] },
  { name: "市住房和城乡建设局", kind: "其他", aliases: ["市住建局"] },
  { name: "市统计局", kind: "其他" },
  { name: "市妇联", kind: "其他", aliases: ["市妇女联合会"] },
];

export interface DemoAccount {
  login: string;
  displayName: string;
  role: UserRole;
  /** A reporter's unit, by name. */
  unit?: string;
}

/** admin is created first (through the store: someone must be able to sign in); the rest through the API. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { login: "admin", displayName: "督查室", role: "admin" },
  { login: "leader", displayName: "分管局领导", role: "leader" },
  { login: "jijiao", displayName: "基础教育科报送员", role: "reporter", unit: "基础教育科" },
  { login: "jiaoyan", displayName: "教研中心报送员", role: "reporter", unit: "教研中心" },
  { login: "renshi", displayName: "人事科报送员", role: "reporter", unit: "人事科" },
  { login: "caiwu", displayName: "计划财务科报送员", role: "reporter", unit: "计划财务科" },
  { login: "tiweiyi", displayName: "体卫艺科报送员", role: "reporter", unit: "体卫艺科" },
  { login: "zhicheng", displayName: "职成教科报送员", role: "reporter", unit: "职成教科" },
  { login: "yanfeng", displayName: "雁峰区教育局报送员", role: "reporter", unit: "雁峰区教育局" },
];

export type Scenario =
  | "waiting"
  | "dispatched"
  | "unsigned"
  | "silent-overdue"
  | "overdue"
  | "lagging"
  | "due-soon"
  | "on-track"
  | "no-date"
  | "pending-review"
  | "returned"
  | "extension"
  | "closed";

export type StepAction =
  | { type: "sign" | "start" | "close" }
  | { type: "report"; status: ReportStatus; percent: number; narrative: string }
  /** Review of the report submitted on `reportDay`. */
  | { type: "accept"; reportDay: number }
  | { type: "return"; reportDay: number; reason: string }
  | { type: "request_extension"; dueDay: number; reason: string };

export interface Step {
  day: number;
  /** Beijing time of day, in hours. */
  hour: number;
  by: "admin" | "unit";
  action: StepAction;
}

export interface ScenarioScript {
  /** When the office dispatched it; null: still waiting (待交办). */
  dispatchDay: number | null;
  /** The due date set at dispatch (days from today) when the plan gives the task none; null: none. */
  due: number | null;
  steps: Step[];
}

// The office reviews in rounds (双月调度): first reports 40 days ago, second ones 10 days ago.
// Few distinct days also keep the demo quick: each day every account signs in again.
const FIRST_ROUND = -40;
const SECOND_ROUND = -10;

const signed = (): Step[] => [
  { day: HISTORY_START_DAY + 1, hour: 9, by: "unit", action: { type: "sign" } },
  { day: HISTORY_START_DAY + 1, hour: 9.5, by: "unit", action: { type: "start" } },
];
const reported = (day: number, percent: number, narrative: string, status: ReportStatus = "正常推进"): Step => ({
  day,
  hour: 16,
  by: "unit",
  action: { type: "report", status, percent, narrative },
});
const accepted = (reportDay: number, after = 1): Step => ({ day: reportDay + after, hour: 10, by: "admin", action: { type: "accept", reportDay } });
/** A first-round report, accepted the next day. */
const firstRound = (percent: number, narrative: string, status: ReportStatus = "正常推进"): Step[] => [reported(FIRST_ROUND, percent, narrative, status), accepted(FIRST_ROUND)];
/** A second-round report, accepted two days later. */
const secondRound = (percent: number, narrative: string): Step[] => [reported(SECOND_ROUND, percent, narrative), accepted(SECOND_ROUND, 2)];

const NARRATIVE = {
  start: "已召开专题部署会,制定工作方案,明确责任人和时间节点。",
  middle: "各项措施按方案推进,已完成阶段性目标,正在组织督导检查。",
  late: "受经费下达时间影响,部分措施推进较慢,已制定追赶计划。",
  near: "主要工作已完成,正在整理佐证材料,准备总结验收。",
  done: "各项任务已全部完成,佐证材料已汇编成册,申请销号。",
} as const;

export const SCENARIOS: Record<Scenario, ScenarioScript> = {
  waiting: { dispatchDay: null, due: null, steps: [] },
  dispatched: { dispatchDay: -3, due: 80, steps: [] },
  // Dispatched to a body outside the bureau that has no account here: nobody signs, time runs on.
  unsigned: { dispatchDay: HISTORY_START_DAY, due: 50, steps: [] },
  "silent-overdue": { dispatchDay: HISTORY_START_DAY, due: -3, steps: [{ day: HISTORY_START_DAY + 1, hour: 9, by: "unit", action: { type: "sign" } }] },
  overdue: { dispatchDay: HISTORY_START_DAY, due: -12, steps: [...signed(), ...firstRound(30, NARRATIVE.late, "进度滞后")] },
  lagging: { dispatchDay: HISTORY_START_DAY, due: 25, steps: [...signed(), ...firstRound(15, NARRATIVE.start)] },
  "due-soon": { dispatchDay: HISTORY_START_DAY, due: 4, steps: [...signed(), ...firstRound(60, NARRATIVE.middle), ...secondRound(85, NARRATIVE.near)] },
  "on-track": { dispatchDay: HISTORY_START_DAY, due: 100, steps: [...signed(), ...firstRound(25, NARRATIVE.start), ...secondRound(45, NARRATIVE.middle)] },
  "no-date": { dispatchDay: HISTORY_START_DAY, due: null, steps: [...signed(), ...firstRound(30, NARRATIVE.middle)] },
  "pending-review": { dispatchDay: HISTORY_START_DAY, due: 60, steps: [...signed(), ...firstRound(30, NARRATIVE.start), reported(-1, 55, NARRATIVE.middle)] },
  returned: {
    dispatchDay: HISTORY_START_DAY,
    due: 45,
    steps: [
      ...signed(),
      reported(FIRST_ROUND, 40, "已完成部分学校的课程实施方案审核。"),
      { day: FIRST_ROUND + 1, hour: 11, by: "admin", action: { type: "return", reportDay: FIRST_ROUND, reason: "请补充已审核学校名单和存在问题的整改情况。" } },
      reported(FIRST_ROUND + 3, 60, "已审核 42 所学校的课程实施方案(名单附后),对 6 所学校提出整改意见,整改已完成。"),
      accepted(FIRST_ROUND + 3),
    ],
  },
  extension: {
    dispatchDay: HISTORY_START_DAY,
    due: 6,
    steps: [
      ...signed(),
      ...firstRound(55, NARRATIVE.middle),
      { day: -2, hour: 15, by: "unit", action: { type: "request_extension", dueDay: 36, reason: "需与各县市区同步开展学期末心理健康普查,申请顺延一个月。" } },
    ],
  },
  closed: {
    dispatchDay: HISTORY_START_DAY,
    due: 40,
    steps: [...signed(), ...firstRound(50, NARRATIVE.middle), reported(SECOND_ROUND, 100, NARRATIVE.done, "已完成"), { day: SECOND_ROUND + 2, hour: 10, by: "admin", action: { type: "close" } }],
  },
};

export interface DemoTask {
  /** The lead unit the office dispatches it to; none: the lead the plan names. */
  lead?: string;
  scenario: Scenario;
}

/** The seed plans the demo imports (by file-name prefix) and each task's story, by task number. */
export const DEMO_PLANS: readonly { prefix: string; tasks: Readonly<Record<string, DemoTask>> }[] = [
  {
    prefix: "002",
    tasks: {
      "1": { lead: "基础教育科", scenario: "closed" },
      "2": { lead: "教研中心", scenario: "returned" },
      "3": { lead: "教研中心", scenario: "on-track" },
      "4": { lead: "基础教育科", scenario: "overdue" },
      "5": { lead: "人事科", scenario: "lagging" },
      "6": { lead: "人事科", scenario: "pending-review" },
      "7": { lead: "计划财务科", scenario: "silent-overdue" },
      "8": { lead: "基础教育科", scenario: "due-soon" },
      "9": { lead: "教研中心", scenario: "dispatched" },
      "10": { lead: "体卫艺科", scenario: "extension" },
      "11": { lead: "教研中心", scenario: "no-date" },
      "12": { lead: "教研中心", scenario: "pending-review" },
      "13": { lead: "计划财务科", scenario: "on-track" },
      "14": { lead: "基础教育科", scenario: "on-track" },
      "15": { lead: "人事科", scenario: "waiting" },
      "16": { lead: "雁峰区教育局", scenario: "on-track" },
      "17": { lead: "体卫艺科", scenario: "lagging" },
    },
  },
  {
    prefix: "004",
    tasks: {
      "10": { lead: "基础教育科", scenario: "dispatched" },
      "11": { lead: "职成教科", scenario: "on-track" },
      "12": { lead: "职成教科", scenario: "overdue" },
      "13": { lead: "计划财务科", scenario: "closed" },
      "14": { lead: "办公室", scenario: "waiting" },
      "15": { scenario: "unsigned" },
      "16": { lead: "教研中心", scenario: "waiting" },
      "17": { lead: "办公室", scenario: "waiting" },
      "18": { lead: "办公室", scenario: "waiting" },
    },
  },
];
