// Supervision that runs itself (督查督办): which reminders, 催办 and escalations are due at `now`,
// as a pure function of the tasks, their reports and the clock. The scheduler calls it on every
// run and sends what comes back; each notice carries a dedupe key, so a notice computed again on
// a later run, or by another app instance, is recognised and sent once.
//
// Each deadline is a ladder of stages, each starting on a bureau day (calendar days in Beijing
// time, calendar.ts). For a task's due date D with the default rules:
//
//   7d        3d        1d             overdue:1  overdue:2          overdue:4
//   D−7 ····· D−3 ····· D−1 ····· D ·· D+1 ······ D+2 ·············· D+4 ·····→
//   reminders to the units            催办 units  unit leader (督办单)  office (督办单)
//
// A period's report due date P has the same ladder with one reminder (P−2). Catch-up: on any
// day, the stage in force is the latest one that has started; it is due today unless it was
// already sent (the caller finds its key). So a stage missed while the server was down is still
// sent on a later day, until the next stage starts; from then on the next stage supersedes it and
// the missed one is never sent: a unit hears "3 days left" once, not "7 days" and "3 days" at once.
// The escalation stages are open-ended: the office stage stays in force while the task is late.
// So the first run over old data sends each deadline's stage in force only: a task long overdue
// gets the office's notice, not the whole ladder at once.
//
// A stage that started on or before the day its deadline was set (the task dispatched, or an
// extension approved) is skipped: the unit was told the date that day. A new due date after an
// extension is a new ladder with new keys. Nothing is due for a task not yet dispatched, closed or
// stopped, nor while its completion report stands (the office's review is not the unit's delay).
import { addDays, bureauDay, chineseDate, daysBetween, isWorkingDay, NO_HOLIDAYS, yearOf, type IsoDate, type WorkCalendar } from "./calendar.js";
import { dueDateAt } from "./lights.js";
import { isPeriodLate, periodsBetween, reportCounts, type Period, type ReportFact } from "./periods.js";
import type { TaskState, TaskStatus } from "./task-state.js";

export type NoticeKind = "due_reminder" | "period_reminder" | "overdue" | "escalation_leader" | "escalation_office";
/** Who receives a notice: the units named in it, the leader of the lead unit, or 督查室. */
export type NoticeAudience = "unit" | "unit_leader" | "office";

export interface SupervisionRules {
  /** Reminders this many days before the due date (each a stage). */
  dueReminderDays: readonly number[];
  /** A reminder this many days before a period's report is due. */
  periodReminderDays: number;
  /** Days overdue after which the lead unit's leader, then the office, are brought in. */
  overdueEscalation: { unitLeaderAfterDays: number; officeAfterDays: number };
  /** Working days a unit has to answer a 督办单. */
  replyWorkingDays: number;
  /** For period due dates on the last working day, and for the reply deadline. */
  calendar: WorkCalendar;
}

export const DEFAULT_SUPERVISION_RULES: Readonly<SupervisionRules> = Object.freeze({
  dueReminderDays: Object.freeze([7, 3, 1]),
  periodReminderDays: 2,
  overdueEscalation: Object.freeze({ unitLeaderAfterDays: 1, officeAfterDays: 3 }),
  replyWorkingDays: 3,
  calendar: NO_HOLIDAYS,
});

/** A task as the supervision rules read it: core's state and reports, and the words for the notices. */
export interface SupervisedTask {
  state: TaskState;
  reports: readonly ReportFact[];
  title: string;
  /** The task's number in its plan, for the 督办单; null when it has none. */
  number: string | null;
  /** Unit names by id; an id missing here is written "承办单位". */
  unitNames: Readonly<Record<string, string>>;
}

export interface NoticeUnit {
  id: string;
  name: string;
}

/** A 督办单 as drafted: the caller gives it its number (supervisionNoticeNumber) when it is issued. */
export interface SupervisionNoticeDraft {
  /** The year in "督办〔2025〕第N号"; N comes from the caller's sequence for that year. */
  year: number;
  issuedOn: IsoDate;
  /** Addressed to the lead unit's leader, or raised to the office to issue. */
  level: "unit_leader" | "office";
  task: { id: string; number: string | null; title: string };
  units: { lead: NoticeUnit; co: NoticeUnit[] };
  /** The task's due date, or the period report's due date. */
  dueDate: IsoDate;
  period: { id: string; label: string } | null;
  overdueDays: number;
  /** 督办要求. */
  requirement: string;
  /** The unit answers by the end of this day. */
  replyBy: IsoDate;
}

export interface SupervisionNotice {
  kind: NoticeKind;
  taskId: string;
  /** The units the notice is about; for audience "unit" also the units it goes to. */
  unitIds: string[];
  audience: NoticeAudience;
  /** The ladder's stage: "7d", "overdue:1", "period:2025-03", "period:2025-03/overdue:1". */
  stage: string;
  /** The same on every run and every instance while the stage and the deadline stand. */
  dedupeKey: string;
  /** The deadline the notice is about: the task's due date, or the period report's due date. */
  dueDate: IsoDate;
  period: { id: string; label: string } | null;
  /** Days past `dueDate` today; 0 before it. */
  overdueDays: number;
  title: string;
  body: string;
  /** For escalations only. */
  supervisionNotice: SupervisionNoticeDraft | null;
}

/**
 * The wording, in the register of a bureau's own 催办 and 督办, for the task's due date and for a
 * period's report: each stage's title and body ("lead" to the lead unit, "co" to the co-units),
 * and the 督办单's requirement; {placeholders} are filled per task.
 */
export const NOTICE_TEXTS = {
  due: {
    reminder: {
      title: "到期提醒:{title}",
      lead: "你单位牵头的“{title}”任务{when},请抓紧推进并按时报送办理情况。",
      co: "你单位配合的“{title}”任务{when},请主动对接牵头单位{lead},抓紧落实配合事项。",
    },
    overdue: {
      title: "催办:{title}",
      lead: "你单位牵头的“{title}”任务办理期限为{due},现已逾期{days}天,尚未办结。请抓紧办理,尽快办结并报送办理情况;确有困难的,请及时向督查室说明。",
      co: "你单位配合的“{title}”任务办理期限为{due},现已逾期{days}天,尚未办结。请配合牵头单位{lead}加快推进。",
    },
    leader: {
      title: "督办:{title}",
      lead: "{lead}负责同志:你单位牵头的“{title}”任务办理期限为{due},现已逾期{days}天,尚未办结。请亲自过问、督促落实,并于{replyBy}前将办理进展、逾期原因和下一步措施书面报送督查室。",
    },
    office: {
      title: "逾期督办:{title}",
      lead: "“{title}”任务(牵头单位:{lead}{co})办理期限为{due},现已逾期{days}天,尚未办结。已拟制督办单,请审核编号后印发承办单位,并跟踪反馈。",
    },
    requirement:
      "请你单位高度重视,主要负责同志亲自过问,于{replyBy}前将办理进展、逾期原因及下一步工作措施书面反馈督查室;确因客观原因不能按期完成的,应说明情况并提出明确的完成时限。",
  },
  period: {
    reminder: {
      title: "报送提醒:{title}({label})",
      lead: "你单位牵头的“{title}”任务{label}进展应于{due}前报送,请按时报送办理情况。",
    },
    overdue: {
      title: "催报:{title}({label})",
      lead: "你单位牵头的“{title}”任务{label}进展应于{due}前报送,现已逾期{days}天仍未报送,请尽快报送。",
    },
    leader: {
      title: "督办:{title}({label})",
      lead: "{lead}负责同志:你单位牵头的“{title}”任务{label}进展应于{due}前报送,现已逾期{days}天仍未报送。请督促于{replyBy}前补报,并说明未按时报送的原因。",
    },
    office: {
      title: "逾期督办:{title}({label})",
      lead: "“{title}”任务(牵头单位:{lead}){label}进展应于{due}前报送,现已逾期{days}天仍未报送。已拟制督办单,请审核编号后印发承办单位,并跟踪反馈。",
    },
    requirement: "请你单位于{replyBy}前补报{label}进展,并书面说明未按时报送的原因。",
  },
} as const;

/** Nothing is due for a task not yet dispatched, or one that is over. */
const UNSUPERVISED: readonly TaskStatus[] = ["待交办", "已办结", "中止"];
const UNNAMED_UNIT = "承办单位";
const OFFICE = "督查室";

/** The notices due at `now`, in the order of `tasks`, each deadline's stages in ladder order. */
export function supervisionNotices(tasks: readonly SupervisedTask[], now: Date, rules: SupervisionRules = DEFAULT_SUPERVISION_RULES): SupervisionNotice[] {
  checkRules(rules);
  const today = bureauDay(now);
  return tasks.flatMap((task) => taskNotices(task, now, today, rules));
}

/** "督办〔2025〕第7号". */
export function supervisionNoticeNumber(year: number, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError(`a 督办单 sequence number is a whole number ≥ 1, got ${sequence}`);
  return `督办〔${year}〕第${sequence}号`;
}

/** A 督办单 laid out as lines of text, for an email or a group robot. */
export function supervisionNoticeLines(draft: SupervisionNoticeDraft, sequence: number): string[] {
  const { task, units } = draft;
  const numbered = task.number ? `第${task.number}项 ` : "";
  const co = units.co.length > 0 ? `;配合单位:${units.co.map((unit) => unit.name).join("、")}` : "";
  const deadline = draft.period
    ? `报送时限:${draft.period.label}进展应于${chineseDate(draft.dueDate)}前报送,已逾期${draft.overdueDays}天`
    : `办理期限:${chineseDate(draft.dueDate)},已逾期${draft.overdueDays}天`;
  return [
    "督办单",
    supervisionNoticeNumber(draft.year, sequence),
    `督办事项:${numbered}“${task.title}”`,
    `承办单位:牵头单位:${units.lead.name}${co}`,
    deadline,
    `督办要求:${draft.requirement}`,
    `反馈时限:${chineseDate(draft.replyBy)}前`,
    `${OFFICE} ${chineseDate(draft.issuedOn)}`,
  ];
}

/** What a channel (email, group robot) sends: the notice, and the 督办单 when there is one. */
export interface NoticeMessage {
  title: string;
  body: string;
  /** Further lines shown after the body: the 督办单. */
  details: readonly string[];
}

/** A notice ready for a channel; an escalation needs the 督办单's sequence number. */
export function noticeMessage(notice: SupervisionNotice, sequence?: number): NoticeMessage {
  const draft = notice.supervisionNotice;
  if (draft !== null && sequence === undefined) throw new RangeError("an escalation's 督办单 needs its sequence number");
  return { title: notice.title, body: notice.body, details: draft !== null && sequence !== undefined ? supervisionNoticeLines(draft, sequence) : [] };
}

type Step = "reminder" | "overdue" | "leader" | "office";
interface Stage {
  step: Step;
  name: string;
  starts: IsoDate;
}

/** The deadline a ladder climbs towards: the task's due date, or one period's report. */
interface Deadline {
  due: IsoDate;
  period: Period | null;
}

interface Context {
  task: SupervisedTask;
  today: IsoDate;
  rules: SupervisionRules;
  lead: NoticeUnit;
  co: NoticeUnit[];
}

function taskNotices(task: SupervisedTask, now: Date, today: IsoDate, rules: SupervisionRules): SupervisionNotice[] {
  const { state, reports } = task;
  if (UNSUPERVISED.includes(state.status) || state.leadUnitId === null) return [];
  // Once the unit says it is done, waiting for 销号 is the office's part, not the unit's lateness.
  if (reports.some((report) => report.final && reportCounts(report, now))) return [];
  const name = (id: string): NoticeUnit => ({ id, name: task.unitNames[id] ?? UNNAMED_UNIT });
  const context: Context = { task, today, rules, lead: name(state.leadUnitId), co: state.coUnitIds.filter((id) => id !== state.leadUnitId).map(name) };
  const dispatchDay = state.dispatchedAt === null ? null : bureauDay(state.dispatchedAt);
  const notices: SupervisionNotice[] = [];
  const due = dueDateAt(state, now);
  if (due !== null) {
    const stages = [...reminderStages(due, rules), ...overdueStages(due, "", rules)];
    for (const stage of stagesInForce(stages, today, dueSetOn(state, now, dispatchDay))) notices.push(...stageNotices(context, { due, period: null }, stage));
  }
  if (state.cadence !== null && dispatchDay !== null) {
    // A task without a due date reports for as long as it runs: list the periods whose reminder may have come.
    const end = due ?? addDays(today, rules.periodReminderDays);
    for (const period of periodsBetween(state.cadence, dispatchDay, end, rules.calendar)) {
      const standing = reports.some((report) => report.period === period.id && reportCounts(report, now));
      if (standing) continue;
      const stages = [
        { step: "reminder" as const, name: `period:${period.id}`, starts: addDays(period.due, -rules.periodReminderDays) },
        ...(isPeriodLate(period, reports, now) ? overdueStages(period.due, `period:${period.id}/`, rules) : []),
      ];
      for (const stage of stagesInForce(stages, today, dispatchDay)) notices.push(...stageNotices(context, { due: period.due, period }, stage));
    }
  }
  return notices;
}

function reminderStages(due: IsoDate, rules: SupervisionRules): Stage[] {
  return [...new Set(rules.dueReminderDays)].sort((a, b) => b - a).map((days) => ({ step: "reminder", name: `${days}d`, starts: addDays(due, -days) }));
}

/**
 * 催办 on the first day overdue; the leader once it is overdue for more than unitLeaderAfterDays
 * days, the office once more than officeAfterDays (defaults: D+1, D+2, D+4). A stage is named for
 * the days overdue it starts at.
 */
function overdueStages(due: IsoDate, prefix: string, rules: SupervisionRules): Stage[] {
  const { unitLeaderAfterDays, officeAfterDays } = rules.overdueEscalation;
  const stage = (step: Step, daysOverdue: number): Stage => ({ step, name: `${prefix}overdue:${daysOverdue}`, starts: addDays(due, daysOverdue) });
  return [stage("overdue", 1), stage("leader", unitLeaderAfterDays + 1), stage("office", officeAfterDays + 1)];
}

/**
 * The stages in force today: those sharing the latest start on or before today (two stages may
 * start the same day when an escalation comes after 0 days), unless that start was on or before
 * the day the deadline was set.
 */
function stagesInForce(stages: readonly Stage[], today: IsoDate, setOn: IsoDate | null): Stage[] {
  const started = stages.filter((stage) => stage.starts <= today);
  const latest = started.reduce<IsoDate | null>((max, stage) => (max === null || stage.starts > max ? stage.starts : max), null);
  if (latest === null || (setOn !== null && latest <= setOn)) return [];
  return started.filter((stage) => stage.starts === latest);
}

/** The day the due date in force was set: the approval of the extension that set it, or dispatch. */
function dueSetOn(state: TaskState, now: Date, dispatchDay: IsoDate | null): IsoDate | null {
  const approvals = state.extensions
    .filter((request) => request.state === "已批准" && request.decidedAt !== null && request.decidedAt.getTime() <= now.getTime())
    .map((request) => bureauDay(request.decidedAt as Date))
    .sort();
  return approvals.at(-1) ?? dispatchDay;
}

function stageNotices(context: Context, deadline: Deadline, stage: Stage): SupervisionNotice[] {
  const { task, today, rules, lead, co } = context;
  const { due, period } = deadline;
  const taskId = task.state.id;
  const overdueDays = Math.max(daysBetween(due, today), 0);
  const daysLeft = daysBetween(today, due);
  const replyBy = addWorkingDays(today, rules.replyWorkingDays, rules.calendar);
  const params: Record<string, string> = {
    title: task.title,
    lead: lead.name,
    co: co.length > 0 ? `;配合单位:${co.map((unit) => unit.name).join("、")}` : "",
    due: chineseDate(due),
    days: String(overdueDays),
    label: period?.label ?? "",
    replyBy: chineseDate(replyBy),
    when: daysLeft > 0 ? `将于${chineseDate(due)}到期(还有${daysLeft}天)` : `今天(${chineseDate(due)})到期`,
  };
  // The due-date ladder's keys carry the date, so an extension starts a ladder of its own.
  const anchor = period === null ? [`due:${due}`] : [];
  const notice = (kind: NoticeKind, audience: NoticeAudience, units: readonly NoticeUnit[], title: string, body: string, who: string): SupervisionNotice => ({
    kind,
    taskId,
    unitIds: units.map((unit) => unit.id),
    audience,
    stage: stage.name,
    dedupeKey: [`task:${encodeURIComponent(taskId)}`, ...anchor, stage.name, kind, who].join("|"),
    dueDate: due,
    period: period === null ? null : { id: period.id, label: period.label },
    overdueDays,
    title: fill(title, params),
    body: fill(body, params),
    supervisionNotice: null,
  });
  // Reports are the lead unit's to file; the due date binds every unit of the task.
  const bound = period === null ? [lead, ...co] : [lead];
  const toUnits = (kind: NoticeKind, texts: { title: string; lead: string; co?: string }): SupervisionNotice[] => [
    notice(kind, "unit", [lead], texts.title, texts.lead, "lead"),
    ...(texts.co !== undefined && co.length > 0 ? [notice(kind, "unit", co, texts.title, texts.co, "co")] : []),
  ];
  const draft = (level: SupervisionNoticeDraft["level"]): SupervisionNoticeDraft => ({
    year: yearOf(today),
    issuedOn: today,
    level,
    task: { id: taskId, number: task.number, title: task.title },
    units: { lead, co: bound.slice(1) },
    dueDate: due,
    period: period === null ? null : { id: period.id, label: period.label },
    overdueDays,
    requirement: fill(NOTICE_TEXTS[period === null ? "due" : "period"].requirement, params),
    replyBy,
  });
  const texts = NOTICE_TEXTS[period === null ? "due" : "period"];
  switch (stage.step) {
    case "reminder":
      return toUnits(period === null ? "due_reminder" : "period_reminder", texts.reminder);
    case "overdue":
      return toUnits("overdue", texts.overdue);
    case "leader":
      return [{ ...notice("escalation_leader", "unit_leader", [lead], texts.leader.title, texts.leader.lead, "leader"), supervisionNotice: draft("unit_leader") }];
    case "office":
      return [{ ...notice("escalation_office", "office", bound, texts.office.title, texts.office.lead, "office"), supervisionNotice: draft("office") }];
  }
}

/** The `count`th working day after `day`. */
function addWorkingDays(day: IsoDate, count: number, calendar: WorkCalendar): IsoDate {
  let date = day;
  for (let found = 0; found < count; ) {
    date = addDays(date, 1);
    if (isWorkingDay(date, calendar)) found++;
  }
  return date;
}

function fill(template: string, params: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => params[key] ?? `{${key}}`);
}

function checkRules(rules: SupervisionRules): void {
  const whole = (name: string, value: number, min: number): void => {
    if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be a whole number ≥ ${min}, got ${value}`);
  };
  for (const days of rules.dueReminderDays) whole("dueReminderDays", days, 0);
  whole("periodReminderDays", rules.periodReminderDays, 0);
  const { unitLeaderAfterDays, officeAfterDays } = rules.overdueEscalation;
  whole("unitLeaderAfterDays", unitLeaderAfterDays, 0);
  whole("officeAfterDays", officeAfterDays, unitLeaderAfterDays);
  whole("replyWorkingDays", rules.replyWorkingDays, 1);
}
