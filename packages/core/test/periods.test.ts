import { describe, expect, it } from "vitest";
import {
  bureauDay,
  chineseDate,
  dayNumber,
  isIsoDate,
  isoWeekday,
  isWorkingDay,
  lastOfMonth,
  startOfBureauDay,
  type WorkCalendar,
} from "../src/calendar.js";
import { isPeriodLate, periodsBetween, reportCounts, reportingSchedule, type Period, type ReportFact } from "../src/periods.js";

/** An instant in Beijing time. */
function beijing(dateTime: string): Date {
  return new Date(`${dateTime}+08:00`);
}

/** [id, label, start, end, due] */
type Row = [string, string, string, string, string];
function rows(periods: readonly Period[]): Row[] {
  return periods.map((p) => [p.id, p.label, p.start, p.end, p.due]);
}

function report(period: string, submitted: string, extra: Partial<ReportFact> = {}): ReportFact {
  return { period, submittedAt: beijing(submitted), percent: 50, final: false, reviewState: "待审核", reviewedAt: null, ...extra };
}

/** The 2025 National Day break: 10-01..10-08 off, Sunday 09-28 and Saturday 10-11 worked instead. */
const NATIONAL_DAY_2025: WorkCalendar = {
  holidays: ["2025-10-01", "2025-10-02", "2025-10-03", "2025-10-06", "2025-10-07", "2025-10-08"],
  workdays: ["2025-09-28", "2025-10-11"],
};

describe("calendar days in Beijing time", () => {
  it("turns an instant into the bureau's day, not the UTC day", () => {
    expect(bureauDay(new Date("2025-03-31T15:59:59.999Z"))).toBe("2025-03-31");
    expect(bureauDay(new Date("2025-03-31T16:00:00.000Z"))).toBe("2025-04-01");
    expect(bureauDay(beijing("2025-01-01T00:00:00"))).toBe("2025-01-01");
    expect(bureauDay(beijing("2024-12-31T23:59:59"))).toBe("2024-12-31");
  });

  it("starts the bureau's day at 00:00 Beijing time", () => {
    expect(startOfBureauDay("2025-04-01").toISOString()).toBe("2025-03-31T16:00:00.000Z");
  });

  it("refuses what is not a calendar date", () => {
    expect(isIsoDate("2024-02-29")).toBe(true);
    expect(isIsoDate("2025-02-29")).toBe(false);
    expect(isIsoDate("2025-13-01")).toBe(false);
    expect(isIsoDate("2025-04-31")).toBe(false);
    expect(isIsoDate("2025-4-1")).toBe(false);
    expect(isIsoDate("0099-01-01")).toBe(false);
    expect(() => dayNumber("2025-02-30")).toThrow(RangeError);
    expect(() => bureauDay(new Date(Number.NaN))).toThrow(RangeError);
  });

  it("knows weekdays, month lengths and the Chinese way of writing a date", () => {
    expect(isoWeekday("2024-12-30")).toBe(1);
    expect(isoWeekday("2025-03-30")).toBe(7);
    expect(isoWeekday("1970-01-01")).toBe(4);
    expect(isoWeekday("1969-12-29")).toBe(1);
    expect(lastOfMonth(2024, 2)).toBe("2024-02-29");
    expect(lastOfMonth(2025, 2)).toBe("2025-02-28");
    expect(lastOfMonth(2100, 2)).toBe("2100-02-28");
    expect(lastOfMonth(2025, 13)).toBe("2026-01-31");
    expect(chineseDate("2025-03-05")).toBe("2025年3月5日");
  });

  it("follows the official calendar's holidays and make-up working days", () => {
    expect(isWorkingDay("2025-10-01", NATIONAL_DAY_2025)).toBe(false);
    expect(isWorkingDay("2025-09-28", NATIONAL_DAY_2025)).toBe(true);
    expect(isWorkingDay("2025-09-28")).toBe(false);
    expect(isWorkingDay("2025-10-09", NATIONAL_DAY_2025)).toBe(true);
  });
});

describe("weekly periods (ISO weeks)", () => {
  it("puts 2024-12-30 in 2025-W01, due on its Friday", () => {
    expect(rows(periodsBetween({ kind: "weekly" }, "2024-12-28", "2025-01-06"))).toEqual([
      ["2024-W52", "2024年第52周", "2024-12-23", "2024-12-29", "2024-12-27"],
      ["2025-W01", "2025年第1周", "2024-12-30", "2025-01-05", "2025-01-03"],
      ["2025-W02", "2025年第2周", "2025-01-06", "2025-01-12", "2025-01-10"],
    ]);
  });

  it("numbers week 14 of 2025 from Monday 31 March", () => {
    expect(rows(periodsBetween({ kind: "weekly" }, "2025-04-06", "2025-04-06"))).toEqual([
      ["2025-W14", "2025年第14周", "2025-03-31", "2025-04-06", "2025-04-04"],
    ]);
  });

  it("has a week 53 in years that need one, on both sides of New Year", () => {
    expect(periodsBetween({ kind: "weekly" }, "2026-12-31", "2027-01-04").map((p) => p.id)).toEqual(["2026-W53", "2027-W01"]);
    expect(periodsBetween({ kind: "weekly" }, "2021-01-01", "2021-01-04").map((p) => [p.id, p.start])).toEqual([
      ["2020-W53", "2020-12-28"],
      ["2021-W01", "2021-01-04"],
    ]);
  });

  it("takes another weekday or the week's last working day as the due date", () => {
    expect(periodsBetween({ kind: "weekly", due: { kind: "weekday", weekday: 1 } }, "2025-04-02", "2025-04-02")[0]?.due).toBe("2025-03-31");
    expect(periodsBetween({ kind: "weekly", due: { kind: "weekday", weekday: 7 } }, "2025-04-02", "2025-04-02")[0]?.due).toBe("2025-04-06");
    const holidayWeeks = periodsBetween({ kind: "weekly", due: { kind: "lastWorkingDay" } }, "2025-09-29", "2025-10-12", NATIONAL_DAY_2025);
    // W40: the break starts on Wednesday, so Tuesday; W41: Saturday the 11th is a make-up working day.
    expect(holidayWeeks.map((p) => [p.id, p.due])).toEqual([
      ["2025-W40", "2025-09-30"],
      ["2025-W41", "2025-10-11"],
    ]);
  });

  it("moves the due date to the next working day when the whole week is off", () => {
    const wholeWeekOff: WorkCalendar = {
      holidays: ["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"],
      workdays: [],
    };
    expect(periodsBetween({ kind: "weekly", due: { kind: "lastWorkingDay" } }, "2026-02-18", "2026-02-18", wholeWeekOff)[0]?.due).toBe("2026-02-23");
  });
});

describe("monthly periods", () => {
  it("covers every month the task touches, whole months, due on the 5th of the next", () => {
    expect(rows(periodsBetween({ kind: "monthly" }, "2025-03-12", "2025-06-15"))).toEqual([
      ["2025-03", "2025年3月", "2025-03-01", "2025-03-31", "2025-04-05"],
      ["2025-04", "2025年4月", "2025-04-01", "2025-04-30", "2025-05-05"],
      ["2025-05", "2025年5月", "2025-05-01", "2025-05-31", "2025-06-05"],
      ["2025-06", "2025年6月", "2025-06-01", "2025-06-30", "2025-07-05"],
    ]);
  });

  it("ends February on the 29th in a leap year", () => {
    expect(rows(periodsBetween({ kind: "monthly" }, "2024-02-29", "2024-02-29"))).toEqual([["2024-02", "2024年2月", "2024-02-01", "2024-02-29", "2024-03-05"]]);
    expect(periodsBetween({ kind: "monthly" }, "2025-02-10", "2025-02-10")[0]?.end).toBe("2025-02-28");
  });

  it("crosses the year boundary", () => {
    expect(rows(periodsBetween({ kind: "monthly" }, "2025-12-20", "2026-01-03"))).toEqual([
      ["2025-12", "2025年12月", "2025-12-01", "2025-12-31", "2026-01-05"],
      ["2026-01", "2026年1月", "2026-01-01", "2026-01-31", "2026-02-05"],
    ]);
  });

  it("clamps the Nth day to the length of the next month", () => {
    const day31 = { kind: "monthly", due: { kind: "dayOfNextMonth", day: 31 } } as const;
    expect(periodsBetween(day31, "2025-01-15", "2025-03-15").map((p) => p.due)).toEqual(["2025-02-28", "2025-03-31", "2025-04-30"]);
    expect(periodsBetween(day31, "2024-01-15", "2024-01-15")[0]?.due).toBe("2024-02-29");
    const day1 = { kind: "monthly", due: { kind: "dayOfNextMonth", day: 1 } } as const;
    expect(periodsBetween(day1, "2025-03-15", "2025-03-15")[0]?.due).toBe("2025-04-01");
  });

  it("can fall due on the month's last working day", () => {
    const cadence = { kind: "monthly", due: { kind: "lastWorkingDay" } } as const;
    // May 2025 ends on a Saturday, August 2025 on a Sunday, September 2025 on a Tuesday.
    expect(periodsBetween(cadence, "2025-05-01", "2025-05-01")[0]?.due).toBe("2025-05-30");
    expect(periodsBetween(cadence, "2025-08-01", "2025-08-01")[0]?.due).toBe("2025-08-29");
    expect(periodsBetween(cadence, "2025-09-01", "2025-09-01", NATIONAL_DAY_2025)[0]?.due).toBe("2025-09-30");
  });

  it("refuses a day of month outside 1–31", () => {
    expect(() => periodsBetween({ kind: "monthly", due: { kind: "dayOfNextMonth", day: 0 } }, "2025-03-01", "2025-03-01")).toThrow(RangeError);
    expect(() => periodsBetween({ kind: "monthly", due: { kind: "dayOfNextMonth", day: 32 } }, "2025-03-01", "2025-03-01")).toThrow(RangeError);
    expect(() => periodsBetween({ kind: "monthly", due: { kind: "dayOfNextMonth", day: 2.5 } }, "2025-03-01", "2025-03-01")).toThrow(RangeError);
  });

  it("lists nothing for an end before the start", () => {
    expect(periodsBetween({ kind: "monthly" }, "2025-03-02", "2025-03-01")).toEqual([]);
  });
});

describe("bimonthly periods (双月调度)", () => {
  it("pairs months from January", () => {
    expect(rows(periodsBetween({ kind: "bimonthly" }, "2025-02-10", "2025-05-01"))).toEqual([
      ["2025-B1", "2025年1—2月", "2025-01-01", "2025-02-28", "2025-03-05"],
      ["2025-B2", "2025年3—4月", "2025-03-01", "2025-04-30", "2025-05-05"],
      ["2025-B3", "2025年5—6月", "2025-05-01", "2025-06-30", "2025-07-05"],
    ]);
  });

  it("ends the year with November–December, due in January", () => {
    expect(rows(periodsBetween({ kind: "bimonthly" }, "2025-11-30", "2025-12-31"))).toEqual([["2025-B6", "2025年11—12月", "2025-11-01", "2025-12-31", "2026-01-05"]]);
    expect(periodsBetween({ kind: "bimonthly" }, "2024-01-31", "2024-01-31")[0]?.end).toBe("2024-02-29");
  });
});

describe("quarterly periods", () => {
  it("names quarters in Chinese and ends them on the quarter's last day", () => {
    expect(rows(periodsBetween({ kind: "quarterly" }, "2025-03-31", "2025-04-01"))).toEqual([
      ["2025-Q1", "2025年第一季度", "2025-01-01", "2025-03-31", "2025-04-05"],
      ["2025-Q2", "2025年第二季度", "2025-04-01", "2025-06-30", "2025-07-05"],
    ]);
    expect(rows(periodsBetween({ kind: "quarterly" }, "2025-09-30", "2025-10-01"))).toEqual([
      ["2025-Q3", "2025年第三季度", "2025-07-01", "2025-09-30", "2025-10-05"],
      ["2025-Q4", "2025年第四季度", "2025-10-01", "2025-12-31", "2026-01-05"],
    ]);
  });

  it("can fall due on the quarter's last working day", () => {
    const cadence = { kind: "quarterly", due: { kind: "lastWorkingDay" } } as const;
    // 2024-03-31 is a Sunday; 2025-09-30 a Tuesday just before the National Day break.
    expect(periodsBetween(cadence, "2024-02-10", "2024-02-10")[0]?.due).toBe("2024-03-29");
    expect(periodsBetween(cadence, "2025-08-10", "2025-08-10", NATIONAL_DAY_2025)[0]?.due).toBe("2025-09-30");
  });
});

describe("custom dates", () => {
  it("makes each date the end and due date of a period that starts after the previous one", () => {
    const cadence = { kind: "custom", dates: ["2025-06-30", "2025-03-15", "2025-03-15", "2025-12-31"] } as const;
    expect(rows(periodsBetween(cadence, "2025-03-01", "2025-09-30"))).toEqual([
      ["2025-03-15", "截至2025年3月15日", "2025-03-01", "2025-03-15", "2025-03-15"],
      ["2025-06-30", "截至2025年6月30日", "2025-03-16", "2025-06-30", "2025-06-30"],
      ["2025-12-31", "截至2025年12月31日", "2025-07-01", "2025-12-31", "2025-12-31"],
    ]);
  });

  it("drops dates before the task starts and after its end", () => {
    const cadence = { kind: "custom", dates: ["2025-03-15", "2025-06-30", "2025-12-31"] } as const;
    expect(periodsBetween(cadence, "2025-04-01", "2025-06-30").map((p) => [p.id, p.start])).toEqual([["2025-06-30", "2025-03-16"]]);
  });

  it("refuses a date that is not a calendar date", () => {
    expect(() => periodsBetween({ kind: "custom", dates: ["2025-02-30"] }, "2025-01-01", "2025-12-31")).toThrow(RangeError);
  });
});

describe("a task's reporting schedule", () => {
  const monthly = { kind: "monthly" } as const;
  const dates = { start: "2025-01-10", due: "2025-06-30" };

  it("lists the periods, today's period, and the overdue ones", () => {
    const reports = [
      report("2025-01", "2025-02-03T10:00:00"),
      report("2025-02", "2025-03-03T10:00:00", { reviewState: "已退回", reviewedAt: beijing("2025-03-04T09:00:00") }),
      // Filed after `now`: it does not count yet.
      report("2025-03", "2025-04-07T10:00:00"),
    ];
    const schedule = reportingSchedule(monthly, dates, reports, beijing("2025-04-06T09:00:00"));
    expect(schedule.periods.map((p) => p.id)).toEqual(["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]);
    expect(schedule.current?.id).toBe("2025-04");
    expect(schedule.overdue.map((p) => p.id)).toEqual(["2025-02", "2025-03"]);
  });

  it("is not overdue on the due date itself, and is from 00:00 Beijing time the day after", () => {
    const lastMinute = reportingSchedule(monthly, dates, [report("2025-01", "2025-02-01T10:00:00"), report("2025-02", "2025-03-01T10:00:00")], beijing("2025-04-05T23:59:59"));
    expect(lastMinute.overdue).toEqual([]);
    const reports = [report("2025-01", "2025-02-01T10:00:00"), report("2025-02", "2025-03-01T10:00:00")];
    expect(reportingSchedule(monthly, dates, reports, new Date("2025-04-05T15:59:59Z")).overdue).toEqual([]);
    expect(reportingSchedule(monthly, dates, reports, new Date("2025-04-05T16:00:00Z")).overdue.map((p) => p.id)).toEqual(["2025-03"]);
  });

  it("counts a report filed in the last second of its due date", () => {
    const march = periodsBetween(monthly, "2025-03-01", "2025-03-01")[0] as Period;
    const reports = [report("2025-03", "2025-04-05T23:59:59")];
    expect(isPeriodLate(march, reports, beijing("2025-04-06T00:00:00"))).toBe(false);
    expect(isPeriodLate(march, [], beijing("2025-04-06T00:00:00"))).toBe(true);
    expect(isPeriodLate(march, [report("2025-04", "2025-04-01T10:00:00")], beijing("2025-04-06T00:00:00"))).toBe(true);
  });

  it("runs through today's period when the task has no due date", () => {
    const schedule = reportingSchedule(monthly, { start: "2025-01-10", due: null }, [], beijing("2025-03-02T08:00:00"));
    expect(schedule.periods.map((p) => p.id)).toEqual(["2025-01", "2025-02", "2025-03"]);
    expect(schedule.current?.id).toBe("2025-03");
    expect(schedule.overdue.map((p) => p.id)).toEqual(["2025-01"]);
  });

  it("has no current period before the task starts or after its last period", () => {
    expect(reportingSchedule(monthly, dates, [], beijing("2024-12-31T12:00:00")).current).toBeNull();
    expect(reportingSchedule(monthly, dates, [], beijing("2025-07-01T12:00:00")).current).toBeNull();
  });
});

describe("which reports count", () => {
  const at = beijing("2025-04-10T12:00:00");

  it("counts a submitted report waiting for review or accepted", () => {
    expect(reportCounts(report("2025-03", "2025-04-01T10:00:00"), at)).toBe(true);
    expect(reportCounts(report("2025-03", "2025-04-01T10:00:00", { reviewState: "已通过", reviewedAt: beijing("2025-04-02T10:00:00") }), at)).toBe(true);
  });

  it("counts a returned report only until it was returned", () => {
    const returned = report("2025-03", "2025-04-01T10:00:00", { reviewState: "已退回", reviewedAt: beijing("2025-04-10T12:00:01") });
    expect(reportCounts(returned, at)).toBe(true);
    expect(reportCounts(returned, beijing("2025-04-10T12:00:01"))).toBe(false);
    expect(reportCounts(report("2025-03", "2025-04-01T10:00:00", { reviewState: "已退回", reviewedAt: null }), at)).toBe(false);
  });

  it("does not count a report submitted later", () => {
    expect(reportCounts(report("2025-03", "2025-04-10T12:00:01"), at)).toBe(false);
    expect(reportCounts(report("2025-03", "2025-04-10T12:00:00"), at)).toBe(true);
  });
});
