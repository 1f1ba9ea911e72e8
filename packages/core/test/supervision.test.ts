import { describe, expect, it } from "vitest";
import type { WorkCalendar } from "../src/calendar.js";
import type { ReportFact } from "../src/periods.js";
import {
  DEFAULT_SUPERVISION_RULES,
  noticeMessage,
  supervisionNoticeLines,
  supervisionNoticeNumber,
  supervisionNotices,
  type SupervisedTask,
  type SupervisionNotice,
  type SupervisionRules,
} from "../src/supervision.js";
import { createTask, type ExtensionRequest, type TaskState } from "../src/task-state.js";

/** An instant in Beijing time. */
function beijing(dateTime: string): Date {
  return new Date(`${dateTime}+08:00`);
}

/** 09:00 on a bureau day: when the scheduler's morning run happens. */
function morning(date: string): Date {
  return beijing(`${date}T09:00:00`);
}

/**
 * Dispatched Monday 3 March 2025, due Monday 30 June: lead unit u1, co-unit u2, no cadence unless
 * given. The default ladder: reminders 6-23, 6-27, 6-29; 催办 7-1; leader 7-2; office 7-4.
 */
function supervised(overrides: Partial<TaskState> = {}, reports: ReportFact[] = []): SupervisedTask {
  return {
    state: {
      ...createTask({ id: "42", leadUnitId: "u1", coUnitIds: ["u2"], dueDate: "2025-06-30" }),
      status: "办理中",
      version: 4,
      dispatchedAt: morning("2025-03-03"),
      ...overrides,
    },
    reports,
    title: "推进集团化办学",
    number: "3",
    unitNames: { u1: "基础教育处", u2: "体卫艺处" },
  };
}

function report(period: string, submitted: string, extra: Partial<ReportFact> = {}): ReportFact {
  return { period, submittedAt: beijing(submitted), percent: 50, final: false, reviewState: "待审核", reviewedAt: null, ...extra };
}

function approved(requestedDate: string, previousDueDate: string, decided: string): ExtensionRequest {
  return {
    requestedAt: beijing(`${previousDueDate}T08:00:00`),
    requestedDate,
    previousDueDate,
    reason: "施工受雨季影响",
    state: "已批准",
    decidedAt: beijing(decided),
    decisionNote: null,
  };
}

/** [kind, stage, audience, unitIds] of each notice, for compact assertions. */
function summary(notices: readonly SupervisionNotice[]): Array<[string, string, string, string[]]> {
  return notices.map((notice) => [notice.kind, notice.stage, notice.audience, notice.unitIds]);
}

function noticesOn(date: string, task: SupervisedTask = supervised(), rules?: SupervisionRules): SupervisionNotice[] {
  return supervisionNotices([task], morning(date), rules);
}

describe("due-date reminders", () => {
  it("starts each stage on its day: 7, 3 and 1 days before, to the lead unit and the co-units", () => {
    expect(noticesOn("2025-06-22")).toEqual([]);
    expect(summary(noticesOn("2025-06-23"))).toEqual([
      ["due_reminder", "7d", "unit", ["u1"]],
      ["due_reminder", "7d", "unit", ["u2"]],
    ]);
    expect(summary(noticesOn("2025-06-27")).map(([, stage]) => stage)).toEqual(["3d", "3d"]);
    expect(summary(noticesOn("2025-06-29")).map(([, stage]) => stage)).toEqual(["1d", "1d"]);
  });

  it("speaks as the bureau does, to the lead unit and to the co-units", () => {
    const [lead, co] = noticesOn("2025-06-27");
    expect(lead?.title).toBe("到期提醒:推进集团化办学");
    expect(lead?.body).toBe("你单位牵头的“推进集团化办学”任务将于2025年6月30日到期(还有3天),请抓紧推进并按时报送办理情况。");
    expect(co?.body).toBe("你单位配合的“推进集团化办学”任务将于2025年6月30日到期(还有3天),请主动对接牵头单位基础教育处,抓紧落实配合事项。");
    expect(lead).toMatchObject({ taskId: "42", dueDate: "2025-06-30", period: null, overdueDays: 0, supervisionNotice: null });
  });

  it("sends no co-unit notice for a task without co-units", () => {
    expect(summary(noticesOn("2025-06-23", supervised({ coUnitIds: [] })))).toEqual([["due_reminder", "7d", "unit", ["u1"]]]);
  });

  it("counts days in Beijing time: the 7-day stage starts at 00:00 on 23 June there", () => {
    expect(supervisionNotices([supervised()], new Date("2025-06-22T15:59:59Z"))).toEqual([]);
    expect(supervisionNotices([supervised()], new Date("2025-06-22T16:00:00Z"))).toHaveLength(2);
  });

  it("takes the reminder days from the rules", () => {
    const rules: SupervisionRules = { ...DEFAULT_SUPERVISION_RULES, dueReminderDays: [5, 0] };
    expect(noticesOn("2025-06-23", supervised(), rules)).toEqual([]);
    expect(summary(noticesOn("2025-06-25", supervised(), rules)).map(([, stage]) => stage)).toEqual(["5d", "5d"]);
    const onTheDay = noticesOn("2025-06-30", supervised(), rules);
    expect(onTheDay.map((notice) => notice.stage)).toEqual(["0d", "0d"]);
    expect(onTheDay[0]?.body).toBe("你单位牵头的“推进集团化办学”任务今天(2025年6月30日)到期,请抓紧推进并按时报送办理情况。");
  });

  it("has no due-date notices for a task without a deadline", () => {
    expect(noticesOn("2025-07-10", supervised({ dueDate: null }))).toEqual([]);
  });
});

describe("catch-up and dedupe", () => {
  it("gives the same key on every run of a stage, and another key for the next stage", () => {
    const keys = (instant: Date): string[] => supervisionNotices([supervised()], instant).map((notice) => notice.dedupeKey);
    const first = keys(morning("2025-06-23"));
    expect(first).toEqual(["task:42|due:2025-06-30|7d|due_reminder|lead", "task:42|due:2025-06-30|7d|due_reminder|co"]);
    expect(keys(beijing("2025-06-23T23:59:59"))).toEqual(first);
    // A second instance computing the same stage later agrees, so the queue sends it once.
    expect(keys(morning("2025-06-26"))).toEqual(first);
    expect(keys(morning("2025-06-27"))).not.toEqual(first);
  });

  it("still sends a missed stage on a later day, until the next stage starts", () => {
    // The server was down from 22 to 25 June: the 7-day reminder goes out on the 26th.
    expect(noticesOn("2025-06-26").map((notice) => notice.stage)).toEqual(["7d", "7d"]);
    // Down through the 27th as well: the 3-day stage has started and the 7-day one is never sent.
    expect(noticesOn("2025-06-28").map((notice) => notice.stage)).toEqual(["3d", "3d"]);
    // The last reminder stays in force through the due date itself.
    expect(noticesOn("2025-06-30").map((notice) => notice.stage)).toEqual(["1d", "1d"]);
    expect(noticesOn("2025-06-30")[0]?.body).toContain("今天(2025年6月30日)到期");
  });

  it("skips a stage that began before the task was dispatched: the unit was just told the date", () => {
    const lateDispatch = supervised({ dispatchedAt: morning("2025-06-25") });
    expect(noticesOn("2025-06-25", lateDispatch)).toEqual([]);
    expect(noticesOn("2025-06-26", lateDispatch)).toEqual([]);
    expect(noticesOn("2025-06-27", lateDispatch).map((notice) => notice.stage)).toEqual(["3d", "3d"]);
    // A stage starting on the day of dispatch is skipped too.
    const dispatchedOnStage = supervised({ dispatchedAt: morning("2025-06-27") });
    expect(noticesOn("2025-06-28", dispatchedOnStage)).toEqual([]);
    expect(noticesOn("2025-06-29", dispatchedOnStage).map((notice) => notice.stage)).toEqual(["1d", "1d"]);
  });
});

describe("overdue: 催办, then the unit's leader, then the office", () => {
  it("climbs the ladder by days overdue", () => {
    expect(summary(noticesOn("2025-07-01"))).toEqual([
      ["overdue", "overdue:1", "unit", ["u1"]],
      ["overdue", "overdue:1", "unit", ["u2"]],
    ]);
    expect(summary(noticesOn("2025-07-02"))).toEqual([["escalation_leader", "overdue:2", "unit_leader", ["u1"]]]);
    expect(summary(noticesOn("2025-07-03"))).toEqual([["escalation_leader", "overdue:2", "unit_leader", ["u1"]]]);
    expect(summary(noticesOn("2025-07-04"))).toEqual([["escalation_office", "overdue:4", "office", ["u1", "u2"]]]);
  });

  it("keeps the office stage in force, under one key, while the task stays overdue", () => {
    const [early] = noticesOn("2025-07-04");
    const [late] = noticesOn("2025-08-15");
    expect(late?.dedupeKey).toBe(early?.dedupeKey);
    expect(late?.dedupeKey).toBe("task:42|due:2025-06-30|overdue:4|escalation_office|office");
    expect(late?.overdueDays).toBe(46);
  });

  it("says how late, and what the unit must do", () => {
    const [lead, co] = noticesOn("2025-07-01");
    expect(lead?.title).toBe("催办:推进集团化办学");
    expect(lead?.body).toBe(
      "你单位牵头的“推进集团化办学”任务办理期限为2025年6月30日,现已逾期1天,尚未办结。请抓紧办理,尽快办结并报送办理情况;确有困难的,请及时向督查室说明。",
    );
    expect(co?.body).toBe("你单位配合的“推进集团化办学”任务办理期限为2025年6月30日,现已逾期1天,尚未办结。请配合牵头单位基础教育处加快推进。");
    const [leader] = noticesOn("2025-07-02");
    expect(leader?.body).toBe(
      "基础教育处负责同志:你单位牵头的“推进集团化办学”任务办理期限为2025年6月30日,现已逾期2天,尚未办结。请亲自过问、督促落实,并于2025年7月7日前将办理进展、逾期原因和下一步措施书面报送督查室。",
    );
  });

  it("drafts a 督办单 for each escalation, leaving its number to the caller", () => {
    const [leader] = noticesOn("2025-07-02");
    expect(leader?.supervisionNotice).toEqual({
      year: 2025,
      issuedOn: "2025-07-02",
      level: "unit_leader",
      task: { id: "42", number: "3", title: "推进集团化办学" },
      units: { lead: { id: "u1", name: "基础教育处" }, co: [{ id: "u2", name: "体卫艺处" }] },
      dueDate: "2025-06-30",
      period: null,
      overdueDays: 2,
      requirement:
        "请你单位高度重视,主要负责同志亲自过问,于2025年7月7日前将办理进展、逾期原因及下一步工作措施书面反馈督查室;确因客观原因不能按期完成的,应说明情况并提出明确的完成时限。",
      // Wednesday 2 July + 3 working days: Thursday, Friday, Monday.
      replyBy: "2025-07-07",
    });
    const [office] = noticesOn("2025-07-04");
    expect(office?.supervisionNotice).toMatchObject({ level: "office", overdueDays: 4, replyBy: "2025-07-09" });
    expect(office?.body).toBe(
      "“推进集团化办学”任务(牵头单位:基础教育处;配合单位:体卫艺处)办理期限为2025年6月30日,现已逾期4天,尚未办结。已拟制督办单,请审核编号后印发承办单位,并跟踪反馈。",
    );
    expect(noticesOn("2025-07-01").every((notice) => notice.supervisionNotice === null)).toBe(true);
  });

  it("counts the reply deadline in working days of the official calendar", () => {
    // Due Sunday 28 September: the leader's stage starts Tuesday 30 September, before the National Day break.
    const nationalDay: WorkCalendar = {
      holidays: ["2025-10-01", "2025-10-02", "2025-10-03", "2025-10-06", "2025-10-07", "2025-10-08"],
      workdays: ["2025-09-28", "2025-10-11"],
    };
    const [leader] = noticesOn("2025-09-30", supervised({ dueDate: "2025-09-28" }), { ...DEFAULT_SUPERVISION_RULES, calendar: nationalDay });
    expect(leader?.kind).toBe("escalation_leader");
    // 9, 10 and Saturday 11 October (a working day in exchange).
    expect(leader?.supervisionNotice?.replyBy).toBe("2025-10-11");
  });

  it("takes the escalation days from the rules; an escalation after 0 days comes with the 催办", () => {
    const rules: SupervisionRules = { ...DEFAULT_SUPERVISION_RULES, overdueEscalation: { unitLeaderAfterDays: 0, officeAfterDays: 5 } };
    expect(summary(noticesOn("2025-07-01", supervised(), rules)).map(([kind]) => kind)).toEqual(["overdue", "overdue", "escalation_leader"]);
    // Both stay in force (under the keys they were sent with) until the office's stage starts.
    expect(summary(noticesOn("2025-07-05", supervised(), rules)).map(([kind]) => kind)).toEqual(["overdue", "overdue", "escalation_leader"]);
    expect(summary(noticesOn("2025-07-06", supervised(), rules))).toEqual([["escalation_office", "overdue:6", "office", ["u1", "u2"]]]);
  });

  it("skips the rungs a long outage ran past, and goes straight to the one in force", () => {
    expect(summary(noticesOn("2025-07-10")).map(([kind]) => kind)).toEqual(["escalation_office"]);
  });
});

describe("which tasks are supervised", () => {
  it.each([["待交办"], ["已办结"], ["中止"]] as const)("nothing for a task that is %s", (status) => {
    const task = supervised({ status, dispatchedAt: status === "待交办" ? null : morning("2025-03-03") });
    for (const date of ["2025-06-23", "2025-07-01", "2025-07-04"]) expect(noticesOn(date, task)).toEqual([]);
  });

  it("keeps supervising a task whose progress report waits for review", () => {
    const task = supervised({ status: "待审核" }, [report("进展", "2025-06-29T10:00:00")]);
    expect(noticesOn("2025-07-01", task).map((notice) => notice.kind)).toEqual(["overdue", "overdue"]);
  });

  it("sends nothing while the completion report awaits review, and resumes when it is returned", () => {
    const final = report("完成", "2025-06-29T10:00:00", { final: true, percent: 100 });
    expect(noticesOn("2025-07-04", supervised({ status: "待审核" }, [final]))).toEqual([]);
    const returned = { ...final, reviewState: "已退回" as const, reviewedAt: beijing("2025-07-03T15:00:00") };
    expect(noticesOn("2025-07-04", supervised({ status: "办理中" }, [returned])).map((notice) => notice.kind)).toEqual(["escalation_office"]);
  });
});

describe("extensions move the ladder", () => {
  it("follows the approved due date, under new keys", () => {
    const task = supervised({ dueDate: "2025-07-31", extensions: [approved("2025-07-31", "2025-06-30", "2025-06-20T10:00:00")] });
    expect(noticesOn("2025-06-23", task)).toEqual([]);
    expect(noticesOn("2025-07-01", task)).toEqual([]);
    const [reminder] = noticesOn("2025-07-24", task);
    expect(reminder?.dedupeKey).toBe("task:42|due:2025-07-31|7d|due_reminder|lead");
    expect(reminder?.body).toContain("将于2025年7月31日到期(还有7天)");
  });

  it("escalates on the old date until the approval, then starts over from the new one", () => {
    // Requested before the old due date, approved at 10:00 on 2 July, two days after it.
    const task = supervised({ dueDate: "2025-07-10", extensions: [approved("2025-07-10", "2025-06-30", "2025-07-02T10:00:00")] });
    expect(supervisionNotices([task], beijing("2025-07-02T09:00:00")).map((notice) => notice.dedupeKey)).toEqual([
      "task:42|due:2025-06-30|overdue:2|escalation_leader|leader",
    ]);
    expect(supervisionNotices([task], beijing("2025-07-02T11:00:00"))).toEqual([]);
    expect(noticesOn("2025-07-03", task).map((notice) => notice.dedupeKey)).toEqual([
      "task:42|due:2025-07-10|7d|due_reminder|lead",
      "task:42|due:2025-07-10|7d|due_reminder|co",
    ]);
  });

  it("skips a new stage that began before the approval", () => {
    // Approved 26 June, new date 1 July: the 7-day stage (24 June) began before the approval.
    const task = supervised({ dueDate: "2025-07-01", extensions: [approved("2025-07-01", "2025-06-30", "2025-06-26T10:00:00")] });
    expect(noticesOn("2025-06-27", task)).toEqual([]);
    expect(noticesOn("2025-06-28", task).map((notice) => notice.stage)).toEqual(["3d", "3d"]);
  });
});

describe("period reports", () => {
  // Monthly, due the 5th of the next month: March's report is due 5 April, its reminder is 3 April.
  const monthly = (reports: ReportFact[] = [], overrides: Partial<TaskState> = {}): SupervisedTask =>
    supervised({ cadence: { kind: "monthly" }, dueDate: "2025-12-31", ...overrides }, reports);

  it("reminds the lead unit two days before a period's report is due", () => {
    expect(noticesOn("2025-04-02", monthly())).toEqual([]);
    const notices = noticesOn("2025-04-03", monthly());
    expect(summary(notices)).toEqual([["period_reminder", "period:2025-03", "unit", ["u1"]]]);
    expect(notices[0]).toMatchObject({
      dueDate: "2025-04-05",
      period: { id: "2025-03", label: "2025年3月" },
      dedupeKey: "task:42|period:2025-03|period_reminder|lead",
      title: "报送提醒:推进集团化办学(2025年3月)",
      body: "你单位牵头的“推进集团化办学”任务2025年3月进展应于2025年4月5日前报送,请按时报送办理情况。",
    });
  });

  it("sends nothing for a period whose report stands, even waiting for review", () => {
    expect(noticesOn("2025-04-03", monthly([report("2025-03", "2025-04-01T10:00:00")]))).toEqual([]);
    expect(noticesOn("2025-04-09", monthly([report("2025-03", "2025-04-01T10:00:00")]))).toEqual([]);
  });

  it("does not take another period's report for this one", () => {
    expect(noticesOn("2025-04-03", monthly([report("2025-04", "2025-04-01T10:00:00")])).map((notice) => notice.stage)).toEqual(["period:2025-03"]);
  });

  it("keeps the reminder in force through the due day, then 催报 and escalates a late report", () => {
    expect(noticesOn("2025-04-05", monthly()).map((notice) => notice.stage)).toEqual(["period:2025-03"]);
    const overdue = noticesOn("2025-04-06", monthly());
    expect(summary(overdue)).toEqual([["overdue", "period:2025-03/overdue:1", "unit", ["u1"]]]);
    expect(overdue[0]?.body).toBe("你单位牵头的“推进集团化办学”任务2025年3月进展应于2025年4月5日前报送,现已逾期1天仍未报送,请尽快报送。");
    expect(summary(noticesOn("2025-04-07", monthly()))).toEqual([["escalation_leader", "period:2025-03/overdue:2", "unit_leader", ["u1"]]]);
    const [office] = noticesOn("2025-04-09", monthly());
    expect(summary([office as SupervisionNotice])).toEqual([["escalation_office", "period:2025-03/overdue:4", "office", ["u1"]]]);
    expect(office?.supervisionNotice).toMatchObject({
      period: { id: "2025-03", label: "2025年3月" },
      units: { lead: { id: "u1", name: "基础教育处" }, co: [] },
      requirement: "请你单位于2025年4月14日前补报2025年3月进展,并书面说明未按时报送的原因。",
    });
  });

  it("is late again when the report is returned", () => {
    const returned = report("2025-03", "2025-04-02T10:00:00", { reviewState: "已退回", reviewedAt: beijing("2025-04-08T15:00:00") });
    expect(supervisionNotices([monthly([returned])], beijing("2025-04-08T14:00:00"))).toEqual([]);
    expect(supervisionNotices([monthly([returned])], beijing("2025-04-08T16:00:00")).map((notice) => notice.kind)).toEqual(["escalation_leader"]);
  });

  it("reminds only tasks with a cadence, and only for periods after dispatch", () => {
    expect(noticesOn("2025-04-03", supervised({ dueDate: "2025-12-31" }))).toEqual([]);
    // Dispatched 4 April: April is its first period, reminded on 3 May.
    const late = monthly([], { dispatchedAt: morning("2025-04-04") });
    expect(noticesOn("2025-04-06", late)).toEqual([]);
    expect(noticesOn("2025-05-03", late).map((notice) => notice.stage)).toEqual(["period:2025-04"]);
  });

  it("reminds a task without a due date for as long as it runs", () => {
    const reported = ["2025-03", "2025-04", "2025-05", "2025-06", "2025-07"].map((period) => report(period, `${period}-28T10:00:00`));
    expect(noticesOn("2025-09-03", monthly(reported, { dueDate: null })).map((notice) => notice.stage)).toEqual(["period:2025-08"]);
  });

  it("runs the period ladders beside the due-date ladder", () => {
    const task = supervised({ cadence: { kind: "monthly" } });
    expect(noticesOn("2025-07-01", task).map((notice) => notice.stage)).toEqual([
      "overdue:1",
      "overdue:1",
      // Every month from March to May unreported: each has reached the office.
      "period:2025-03/overdue:4",
      "period:2025-04/overdue:4",
      "period:2025-05/overdue:4",
    ]);
  });

  it("takes the reminder's lead time from the rules", () => {
    const rules: SupervisionRules = { ...DEFAULT_SUPERVISION_RULES, periodReminderDays: 0 };
    expect(noticesOn("2025-04-04", monthly(), rules)).toEqual([]);
    expect(noticesOn("2025-04-05", monthly(), rules).map((notice) => notice.stage)).toEqual(["period:2025-03"]);
  });
});

describe("the 督办单 and the message a channel sends", () => {
  it("numbers a 督办单 from the caller's sequence", () => {
    expect(supervisionNoticeNumber(2025, 7)).toBe("督办〔2025〕第7号");
    expect(() => supervisionNoticeNumber(2025, 0)).toThrow(RangeError);
  });

  it("lays the 督办单 out as text", () => {
    const [office] = noticesOn("2025-07-04");
    const draft = office?.supervisionNotice;
    if (!draft) throw new Error("expected a 督办单");
    expect(supervisionNoticeLines(draft, 12)).toEqual([
      "督办单",
      "督办〔2025〕第12号",
      "督办事项:第3项 “推进集团化办学”",
      "承办单位:牵头单位:基础教育处;配合单位:体卫艺处",
      "办理期限:2025年6月30日,已逾期4天",
      `督办要求:${draft.requirement}`,
      "反馈时限:2025年7月9日前",
      "督查室 2025年7月4日",
    ]);
  });

  it("puts the 督办单 under an escalation's message, and asks for its number", () => {
    const [office] = noticesOn("2025-07-04");
    const [reminder] = noticesOn("2025-06-23");
    if (!office || !reminder) throw new Error("expected notices");
    expect(() => noticeMessage(office)).toThrow(RangeError);
    expect(noticeMessage(office, 3).details[1]).toBe("督办〔2025〕第3号");
    expect(noticeMessage(reminder)).toEqual({ title: reminder.title, body: reminder.body, details: [] });
  });

  it("names a unit it has no name for as 承办单位", () => {
    const [leader] = noticesOn("2025-07-02", { ...supervised(), unitNames: {} });
    expect(leader?.body.startsWith("承办单位负责同志:")).toBe(true);
  });
});

describe("rules", () => {
  it("refuses rules that make no sense", () => {
    const bad: SupervisionRules[] = [
      { ...DEFAULT_SUPERVISION_RULES, dueReminderDays: [7, -1] },
      { ...DEFAULT_SUPERVISION_RULES, dueReminderDays: [1.5] },
      { ...DEFAULT_SUPERVISION_RULES, periodReminderDays: -2 },
      { ...DEFAULT_SUPERVISION_RULES, overdueEscalation: { unitLeaderAfterDays: 3, officeAfterDays: 1 } },
      { ...DEFAULT_SUPERVISION_RULES, replyWorkingDays: 0 },
    ];
    for (const rules of bad) expect(() => supervisionNotices([supervised()], morning("2025-06-23"), rules)).toThrow(RangeError);
  });

  it("is a function of its inputs: the same call gives the same notices", () => {
    const tasks = [supervised(), supervised({ id: "43", cadence: { kind: "weekly" } })];
    expect(supervisionNotices(tasks, morning("2025-07-04"))).toEqual(supervisionNotices(tasks, morning("2025-07-04")));
  });
});
