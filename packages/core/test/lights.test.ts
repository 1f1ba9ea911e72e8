import { describe, expect, it } from "vitest";
import { DEFAULT_LIGHT_SETTINGS, dueDateAt, lightHistory, lightOf, type LightResult, type LightSettings, type LightTask } from "../src/lights.js";
import type { ReportFact } from "../src/periods.js";
import type { ExtensionRequest } from "../src/task-state.js";

/** An instant in Beijing time. */
function beijing(dateTime: string): Date {
  return new Date(`${dateTime}+08:00`);
}

/** Dispatched Monday 3 March 2025 at 09:00, due 30 April, no cadence unless given. */
function task(overrides: Partial<LightTask> = {}): LightTask {
  return {
    status: "办理中",
    dueDate: "2025-04-30",
    cadence: null,
    dispatchedAt: beijing("2025-03-03T09:00:00"),
    closedAt: null,
    stoppedAt: null,
    stopReason: null,
    extensions: [],
    ...overrides,
  };
}

function report(period: string, submitted: string, percent: number, extra: Partial<ReportFact> = {}): ReportFact {
  return { period, submittedAt: beijing(submitted), percent, final: false, reviewState: "待审核", reviewedAt: null, ...extra };
}

/** Enough progress that the lag rule stays quiet, so other rules can be seen alone. */
const ON_TRACK = [report("进展", "2025-03-04T10:00:00", 95)];

function codes(result: LightResult): string[] {
  return result.reasons.map((reason) => reason.code);
}

describe("due date: red after it, yellow within the window", () => {
  const cases: Array<[string, string, string, string[]]> = [
    ["nine days before", "2025-04-21T12:00:00", "green", []],
    ["eight days before", "2025-04-22T23:59:59", "green", []],
    ["seven days before: the window's edge", "2025-04-23T00:00:00", "yellow", ["DUE_SOON"]],
    ["the day before", "2025-04-29T12:00:00", "yellow", ["DUE_SOON"]],
    ["the due date itself, last second", "2025-04-30T23:59:59", "yellow", ["DUE_TODAY"]],
    ["the day after, first second", "2025-05-01T00:00:00", "red", ["OVERDUE"]],
    ["a month after", "2025-05-31T12:00:00", "red", ["OVERDUE"]],
  ];

  it.each(cases)("%s", (_, at, light, expected) => {
    const result = lightOf(task(), ON_TRACK, beijing(at));
    expect(result.light).toBe(light);
    expect(codes(result)).toEqual(expected);
  });

  it("turns red at midnight Beijing time, whatever UTC says", () => {
    expect(lightOf(task(), ON_TRACK, new Date("2025-04-30T15:59:59Z")).light).toBe("yellow");
    expect(lightOf(task(), ON_TRACK, new Date("2025-04-30T16:00:00Z")).light).toBe("red");
  });

  it("says how late or how close, in words", () => {
    expect(lightOf(task(), ON_TRACK, beijing("2025-05-03T08:00:00")).reasons).toEqual([{ code: "OVERDUE", message: "已超过办理期限 2025-04-30 3 天,尚未办结。" }]);
    expect(lightOf(task(), ON_TRACK, beijing("2025-04-27T08:00:00")).reasons).toEqual([{ code: "DUE_SOON", message: "距办理期限 2025-04-30 还有 3 天。" }]);
    expect(lightOf(task(), ON_TRACK, beijing("2025-04-30T08:00:00")).reasons).toEqual([{ code: "DUE_TODAY", message: "今天是办理期限 2025-04-30。" }]);
  });

  it("takes its window from the settings", () => {
    const narrow: LightSettings = { ...DEFAULT_LIGHT_SETTINGS, dueSoonDays: 0 };
    expect(lightOf(task(), ON_TRACK, beijing("2025-04-29T12:00:00"), narrow).light).toBe("green");
    expect(lightOf(task(), ON_TRACK, beijing("2025-04-30T12:00:00"), narrow).light).toBe("yellow");
    const wide: LightSettings = { ...DEFAULT_LIGHT_SETTINGS, dueSoonDays: 14 };
    expect(lightOf(task(), ON_TRACK, beijing("2025-04-16T12:00:00"), wide).light).toBe("yellow");
    expect(lightOf(task(), ON_TRACK, beijing("2025-04-15T12:00:00"), wide).light).toBe("green");
  });

  it("has no due-date rule for a task without a deadline", () => {
    expect(lightOf(task({ dueDate: null }), [], beijing("2030-01-01T12:00:00"))).toEqual({ light: "green", reasons: [] });
  });

  it("refuses settings that make no sense", () => {
    expect(() => lightOf(task(), [], beijing("2025-04-01T12:00:00"), { ...DEFAULT_LIGHT_SETTINGS, dueSoonDays: -1 })).toThrow(RangeError);
    expect(() => lightOf(task(), [], beijing("2025-04-01T12:00:00"), { ...DEFAULT_LIGHT_SETTINGS, progressLagPoints: Number.NaN })).toThrow(RangeError);
  });
});

describe("period reports: red when one is late", () => {
  // Monthly, due the 5th of the next month: March's report is due 5 April.
  const monthly = task({ cadence: { kind: "monthly" }, dueDate: "2025-12-31" });
  const march = (submitted: string, extra: Partial<ReportFact> = {}): ReportFact => report("2025-03", submitted, 30, extra);

  it("is not late on the due date, and is from the next day", () => {
    expect(lightOf(monthly, [], beijing("2025-04-05T23:59:59")).light).toBe("green");
    const late = lightOf(monthly, [], beijing("2025-04-06T00:00:00"));
    expect(late).toEqual({
      light: "red",
      reasons: [{ code: "PERIOD_REPORT_LATE", message: "2025年3月进展应于 2025-04-05 前报送,至今没有报送(或已被退回)。", period: "2025-03" }],
    });
  });

  it("recovers once the report is in, even waiting for review", () => {
    expect(lightOf(monthly, [march("2025-04-06T10:00:00")], beijing("2025-04-06T09:59:59")).light).toBe("red");
    expect(lightOf(monthly, [march("2025-04-06T10:00:00")], beijing("2025-04-06T10:00:00")).light).toBe("green");
  });

  it("is late again when the report is returned", () => {
    const returned = march("2025-04-02T10:00:00", { reviewState: "已退回", reviewedAt: beijing("2025-04-08T15:00:00") });
    expect(lightOf(monthly, [returned], beijing("2025-04-08T14:59:59")).light).toBe("green");
    expect(codes(lightOf(monthly, [returned], beijing("2025-04-08T15:00:00")))).toEqual(["PERIOD_REPORT_LATE"]);
  });

  it("does not take another period's report for this one", () => {
    expect(lightOf(monthly, [report("2025-04", "2025-04-03T10:00:00", 40)], beijing("2025-04-06T12:00:00")).light).toBe("red");
  });

  it("names every late period", () => {
    const result = lightOf(monthly, [], beijing("2025-06-06T12:00:00"));
    // Nothing reported in three months is also a lag: 0% against 31% of the time.
    expect(result.reasons.map((reason) => [reason.code, reason.period])).toEqual([
      ["PERIOD_REPORT_LATE", "2025-03"],
      ["PERIOD_REPORT_LATE", "2025-04"],
      ["PERIOD_REPORT_LATE", "2025-05"],
      ["PROGRESS_LAG", undefined],
    ]);
  });

  it("asks nothing of a task not yet dispatched", () => {
    expect(lightOf({ ...monthly, status: "待交办", dispatchedAt: null }, [], beijing("2025-06-06T12:00:00")).light).toBe("green");
  });

  it("counts periods from the dispatch day: a task dispatched in April owes nothing for March", () => {
    const april = { ...monthly, dispatchedAt: beijing("2025-04-01T09:00:00") };
    expect(lightOf(april, [], beijing("2025-04-06T12:00:00")).light).toBe("green");
  });
});

describe("progress: yellow when it lags the time elapsed by more than the margin", () => {
  // Dispatched 1 March, due 11 March: ten days, so each day is 10% of the time.
  const short = task({ dispatchedAt: beijing("2025-03-01T09:00:00"), dueDate: "2025-03-11" });
  const noWindow: LightSettings = { ...DEFAULT_LIGHT_SETTINGS, dueSoonDays: 0 };
  const onDay6 = beijing("2025-03-06T12:00:00");

  it("allows exactly the margin, not one point more", () => {
    expect(lightOf(short, [report("x", "2025-03-05T10:00:00", 30)], onDay6, noWindow).light).toBe("green");
    expect(lightOf(short, [report("x", "2025-03-05T10:00:00", 29)], onDay6, noWindow)).toEqual({
      light: "yellow",
      reasons: [{ code: "PROGRESS_LAG", message: "报送进度 29%,落后于时间进度 50%。" }],
    });
  });

  it("reads no report as 0%", () => {
    expect(lightOf(short, [], beijing("2025-03-03T12:00:00"), noWindow).light).toBe("green");
    expect(lightOf(short, [], beijing("2025-03-04T12:00:00"), noWindow).reasons).toEqual([{ code: "PROGRESS_LAG", message: "报送进度 0%,落后于时间进度 30%。" }]);
  });

  it("uses the latest report that still stands", () => {
    const reports = [report("a", "2025-03-02T10:00:00", 80), report("b", "2025-03-05T10:00:00", 10)];
    expect(lightOf(short, reports, onDay6, noWindow).light).toBe("yellow");
    const returned = [reports[0] as ReportFact, report("b", "2025-03-05T10:00:00", 10, { reviewState: "已退回", reviewedAt: beijing("2025-03-05T18:00:00") })];
    expect(lightOf(short, returned, onDay6, noWindow).light).toBe("green");
  });

  it("takes its margin from the settings", () => {
    const strict: LightSettings = { ...noWindow, progressLagPoints: 0 };
    expect(lightOf(short, [report("x", "2025-03-05T10:00:00", 50)], onDay6, strict).light).toBe("green");
    expect(lightOf(short, [report("x", "2025-03-05T10:00:00", 49)], onDay6, strict).light).toBe("yellow");
  });

  it("reports every reason, red first", () => {
    const monthly = task({ cadence: { kind: "monthly" }, dueDate: "2025-04-30" });
    expect(codes(lightOf(monthly, [], beijing("2025-05-06T12:00:00")))).toEqual(["OVERDUE", "PERIOD_REPORT_LATE", "PERIOD_REPORT_LATE", "PROGRESS_LAG"]);
  });
});

describe("grey and done", () => {
  it("is grey once closed or stopped, whatever the dates say", () => {
    const closed = task({ status: "已办结", closedAt: beijing("2025-04-20T10:00:00") });
    expect(lightOf(closed, [], beijing("2025-06-01T12:00:00"))).toEqual({ light: "grey", reasons: [{ code: "CLOSED", message: "已办结销号。" }] });
    const stopped = task({ status: "中止", stoppedAt: beijing("2025-04-20T10:00:00"), stopReason: "机构调整" });
    expect(lightOf(stopped, [], beijing("2025-06-01T12:00:00"))).toEqual({ light: "grey", reasons: [{ code: "STOPPED", message: "已中止:机构调整。" }] });
    expect(lightOf(task({ status: "中止" }), [], beijing("2025-06-01T12:00:00")).reasons[0]?.message).toBe("已中止。");
  });

  it("is not grey before the moment it was closed", () => {
    const closed = task({ status: "已办结", closedAt: beijing("2025-05-10T10:00:00") });
    expect(lightOf(closed, [], beijing("2025-05-10T09:59:59")).light).toBe("red");
  });

  it("is green while the completion report waits for 销号, even past the due date", () => {
    const reports = [report("2025-04", "2025-04-29T10:00:00", 100, { final: true })];
    expect(lightOf(task(), reports, beijing("2025-05-20T12:00:00"))).toEqual({ light: "green", reasons: [{ code: "AWAITING_CLOSE", message: "已提交完成报告,等待督查室审核销号。" }] });
    const returned = [report("2025-04", "2025-04-29T10:00:00", 100, { final: true, reviewState: "已退回", reviewedAt: beijing("2025-05-02T10:00:00") })];
    expect(lightOf(task(), returned, beijing("2025-05-20T12:00:00")).light).toBe("red");
  });
});

/** An extension of the 30 April due date to 31 May, asked on 28 April and approved on 3 May. */
const approved: ExtensionRequest = {
  requestedAt: beijing("2025-04-28T09:00:00"),
  requestedDate: "2025-05-31",
  previousDueDate: "2025-04-30",
  reason: "施工受雨季影响",
  state: "已批准",
  decidedAt: beijing("2025-05-03T10:00:00"),
  decisionNote: null,
};

describe("extensions", () => {
  // The store's task row already carries the extended date.
  const extended = task({ dueDate: "2025-05-31", extensions: [approved] });

  it("moves the due date from the moment of approval", () => {
    expect(dueDateAt(extended, beijing("2025-05-03T09:59:59"))).toBe("2025-04-30");
    expect(dueDateAt(extended, beijing("2025-05-03T10:00:00"))).toBe("2025-05-31");
    expect(lightOf(extended, ON_TRACK, beijing("2025-05-03T09:59:59")).light).toBe("red");
    expect(lightOf(extended, ON_TRACK, beijing("2025-05-03T10:00:00"))).toEqual({ light: "green", reasons: [] });
    expect(lightOf(extended, ON_TRACK, beijing("2025-05-24T10:00:00")).reasons).toEqual([{ code: "DUE_SOON", message: "距办理期限 2025-05-31 还有 7 天。" }]);
  });

  it("chains several approvals and ignores rejected and open requests", () => {
    const second: ExtensionRequest = { ...approved, requestedDate: "2025-06-30", previousDueDate: "2025-05-31", decidedAt: beijing("2025-05-25T10:00:00") };
    const rejected: ExtensionRequest = { ...approved, requestedDate: "2025-09-30", previousDueDate: "2025-06-30", state: "已驳回", decidedAt: beijing("2025-06-20T10:00:00") };
    const open: ExtensionRequest = { ...approved, requestedDate: "2025-08-31", previousDueDate: "2025-06-30", state: "待审批", decidedAt: null };
    const chain = task({ dueDate: "2025-06-30", extensions: [second, approved, rejected, open] });
    expect(dueDateAt(chain, beijing("2025-05-01T00:00:00"))).toBe("2025-04-30");
    expect(dueDateAt(chain, beijing("2025-05-10T00:00:00"))).toBe("2025-05-31");
    expect(dueDateAt(chain, beijing("2025-07-01T00:00:00"))).toBe("2025-06-30");
    expect(dueDateAt(task(), beijing("2025-07-01T00:00:00"))).toBe("2025-04-30");
  });
});

describe("lateness history", () => {
  it("keeps the red days before an extension was approved", () => {
    const extension = approved;
    const history = lightHistory(task({ dueDate: "2025-05-31", extensions: [extension] }), ON_TRACK, "2025-04-22", "2025-05-06");
    expect(history.days.map((day) => [day.date, day.light])).toEqual([
      ["2025-04-22", "green"],
      ["2025-04-23", "yellow"],
      ["2025-04-24", "yellow"],
      ["2025-04-25", "yellow"],
      ["2025-04-26", "yellow"],
      ["2025-04-27", "yellow"],
      ["2025-04-28", "yellow"],
      ["2025-04-29", "yellow"],
      ["2025-04-30", "yellow"],
      ["2025-05-01", "red"],
      ["2025-05-02", "red"],
      // Red from midnight until the approval at 10:00: the worst of the day.
      ["2025-05-03", "red"],
      ["2025-05-04", "green"],
      ["2025-05-05", "green"],
      ["2025-05-06", "green"],
    ]);
    expect(history.everRed).toBe(true);
    expect(history.redDays).toBe(3);
    expect(history.overdueDays).toBe(3);
    expect(history.redSpans).toEqual([{ start: "2025-05-01", end: "2025-05-03", days: 3 }]);
    expect(history.latePeriods).toEqual([]);
    // Today it is fine: the light recovered, the history did not forget.
    expect(lightOf(task({ dueDate: "2025-05-31", extensions: [extension] }), ON_TRACK, beijing("2025-05-06T12:00:00")).light).toBe("green");
  });

  it("counts the days a period report was late, the day it came in included", () => {
    const monthly = task({ cadence: { kind: "monthly" }, dueDate: "2025-12-31" });
    const history = lightHistory(monthly, [report("2025-03", "2025-04-08T10:00:00", 30)], "2025-04-01", "2025-04-15");
    expect(history.redSpans).toEqual([{ start: "2025-04-06", end: "2025-04-08", days: 3 }]);
    expect(history.latePeriods).toEqual([{ period: "2025-03", label: "2025年3月", due: "2025-04-05", daysLate: 3 }]);
    expect(history.overdueDays).toBe(0);
    expect(history.days.find((day) => day.date === "2025-04-06")?.reasons.map((reason) => reason.period)).toEqual(["2025-03"]);
  });

  it("sees a report returned and sent again within one day", () => {
    const monthly = task({ cadence: { kind: "monthly" }, dueDate: "2025-12-31" });
    const reports = [
      report("2025-03", "2025-04-02T10:00:00", 30, { reviewState: "已退回", reviewedAt: beijing("2025-04-10T15:00:00") }),
      report("2025-03", "2025-04-10T16:00:00", 35),
    ];
    const history = lightHistory(monthly, reports, "2025-04-01", "2025-04-15");
    expect(history.redSpans).toEqual([{ start: "2025-04-10", end: "2025-04-10", days: 1 }]);
    expect(history.latePeriods).toEqual([{ period: "2025-03", label: "2025年3月", due: "2025-04-05", daysLate: 1 }]);
  });

  it("shows a task that was red and then closed as having been red", () => {
    const closed = task({ status: "已办结", closedAt: beijing("2025-05-02T16:00:00") });
    const history = lightHistory(closed, ON_TRACK, "2025-04-30", "2025-05-04");
    expect(history.days.map((day) => day.light)).toEqual(["yellow", "red", "red", "grey", "grey"]);
    expect([history.everRed, history.redDays]).toEqual([true, 2]);
    expect(history.redSpans).toEqual([{ start: "2025-05-01", end: "2025-05-02", days: 2 }]);
  });

  it("splits separate red runs", () => {
    const monthly = task({ cadence: { kind: "monthly" }, dueDate: "2025-12-31" });
    const reports = [report("2025-03", "2025-04-07T10:00:00", 30), report("2025-04", "2025-05-06T10:00:00", 40)];
    const history = lightHistory(monthly, reports, "2025-04-01", "2025-05-10");
    expect(history.redSpans).toEqual([
      { start: "2025-04-06", end: "2025-04-07", days: 2 },
      { start: "2025-05-06", end: "2025-05-06", days: 1 },
    ]);
    expect(history.redDays).toBe(3);
    expect(history.latePeriods.map((late) => [late.period, late.daysLate])).toEqual([
      ["2025-03", 2],
      ["2025-04", 1],
    ]);
  });

  it("is empty for a range that ends before it starts, and all clear for a task never late", () => {
    expect(lightHistory(task(), ON_TRACK, "2025-04-02", "2025-04-01")).toEqual({ days: [], everRed: false, redDays: 0, redSpans: [], overdueDays: 0, latePeriods: [] });
    const clear = lightHistory(task(), ON_TRACK, "2025-03-03", "2025-04-20");
    expect([clear.days.length, clear.everRed, clear.redDays]).toEqual([49, false, 0]);
    expect(() => lightHistory(task(), ON_TRACK, "2025-04-31", "2025-05-01")).toThrow(RangeError);
  });

  it("agrees with the light of the moment at the start of each day", () => {
    const monthly = task({ cadence: { kind: "monthly" }, dueDate: "2025-05-31" });
    const reports = [report("2025-03", "2025-04-09T10:00:00", 20)];
    const history = lightHistory(monthly, reports, "2025-03-01", "2025-06-10");
    for (const day of history.days) {
      const atMidnight = lightOf(monthly, reports, beijing(`${day.date}T00:00:00`));
      const atNoon = lightOf(monthly, reports, beijing(`${day.date}T12:00:00`));
      const rank = { grey: 0, green: 1, yellow: 2, red: 3 } as const;
      expect(rank[day.light]).toBeGreaterThanOrEqual(Math.max(rank[atMidnight.light], rank[atNoon.light]));
    }
  });
});
