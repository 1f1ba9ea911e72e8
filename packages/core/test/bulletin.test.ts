import { describe, expect, it } from "vitest";
import { BULLETIN_PERIOD_PATTERN, bulletinCutOff, computeBulletin, formatPercent, parseBulletinPeriod, type Bulletin, type BulletinPeriod, type UnitStanding } from "../src/bulletin.js";
import { lightOf } from "../src/lights.js";
import { A, B, NOW, beijing, monthOfTasks } from "./bulletin-fixture.js";

function period(id: string): BulletinPeriod {
  const parsed = parseBulletinPeriod(id);
  if (!parsed) throw new Error(`no period ${id}`);
  return parsed;
}

function unit(bulletin: Bulletin, unitId: string | null): UnitStanding {
  const found = bulletin.units.find((standing) => standing.unitId === unitId);
  if (!found) throw new Error(`no unit ${unitId}`);
  return found;
}

const ids = (items: readonly { task: { id: string }; counted: boolean }[], counted?: boolean) =>
  items.filter((item) => counted === undefined || item.counted === counted).map((item) => item.task.id);

describe("bulletin periods", () => {
  it.each([
    ["2025-03", "month", "2025年3月", "2025-03-01", "2025-03-31"],
    ["2024-02", "month", "2024年2月", "2024-02-01", "2024-02-29"],
    ["2025-Q1", "quarter", "2025年第一季度", "2025-01-01", "2025-03-31"],
    ["2025-Q4", "quarter", "2025年第四季度", "2025-10-01", "2025-12-31"],
    ["2025", "year", "2025年", "2025-01-01", "2025-12-31"],
    ["2025-03-01~2025-03-15", "range", "2025年3月1日至2025年3月15日", "2025-03-01", "2025-03-15"],
  ])("%s", (id, kind, label, start, end) => {
    expect(parseBulletinPeriod(id)).toEqual({ id, kind, label, start, end });
    expect(new RegExp(BULLETIN_PERIOD_PATTERN).test(id)).toBe(true);
  });

  it.each(["2025-13", "2025-00", "2025-Q5", "25-03", "2025-02-30~2025-03-01", "2025-03-10~2025-03-01", "2025-03-01~", "本月", ""])("refuses %j", (id) => {
    expect(parseBulletinPeriod(id)).toBeNull();
  });

  it("takes the figures at the end of the period, or now while it runs", () => {
    expect(bulletinCutOff(period("2025-03"), NOW)).toEqual(beijing("2025-04-01T00:00:00"));
    expect(bulletinCutOff(period("2025-03"), beijing("2025-03-15T10:00:00"))).toEqual(beijing("2025-03-15T10:00:00"));
  });
});

describe("a month's bulletin", () => {
  const bulletin = computeBulletin({ period: period("2025-03"), tasks: monthOfTasks(), now: NOW, unitOrder: [B.id, A.id] });

  it("counts each lead unit's tasks as they stood at the cut-off", () => {
    const a = unit(bulletin, A.id);
    expect({ tasks: a.tasks, closed: a.closed, closedInPeriod: a.closedInPeriod, closedOnTime: a.closedOnTime, overdueOpen: a.overdueOpen, red: a.red }).toEqual({
      tasks: 4,
      closed: 3,
      closedInPeriod: 3,
      closedOnTime: 2,
      overdueOpen: 1,
      red: 1,
    });
    expect(ids(a.measures.closeRate.items)).toEqual(["t1", "t2", "t3", "t8"]);
    expect(ids(a.measures.closeRate.items, true)).toEqual(["t1", "t2", "t8"]);
    expect(a.measures.closeRate.rate).toBe(0.75);
  });

  it("judges on time by the due date in force when the task was closed (an approved extension counts)", () => {
    const onTime = unit(bulletin, A.id).measures.onTimeRate;
    expect(ids(onTime.items)).toEqual(["t1", "t2", "t3", "t8"]);
    expect(ids(onTime.items, true)).toEqual(["t1", "t8"]);
    expect(onTime.rate).toBe(0.5);
    expect(onTime.items.find((item) => item.task.id === "t2")?.note).toBe("办理期限 2025-03-20,2025-03-25 办结,逾期办结");
    expect(onTime.items.find((item) => item.task.id === "t3")?.note).toBe("办理期限 2025-03-25,逾期未办结");
    // 人事科 has nothing due yet: the rate cannot be said, rather than 0 or 100%.
    expect(unit(bulletin, B.id).measures.onTimeRate).toMatchObject({ numerator: 0, denominator: 0, rate: null });
  });

  it("counts the reports due in the period and whether each stood at the end of its due day", () => {
    const reports = unit(bulletin, B.id).measures.reportTimeliness;
    expect(reports.items.map((item) => [item.ref, item.counted])).toEqual([
      ["2025-W10", true],
      ["2025-W11", false],
      // Returned after its due day: it was filed on time.
      ["2025-W12", true],
      ["2025-W13", false],
    ]);
    expect(reports.rate).toBe(0.5);
    expect(reports.items[1]?.note).toBe("2025年第11周进展应于 2025-03-14 前报送,2025-03-15 补报");
    expect(unit(bulletin, A.id).measures.reportTimeliness.rate).toBeNull();
  });

  it("reads each KPI's value standing at the cut-off, capped at 100%, and leaves out KPIs without one", () => {
    const a = unit(bulletin, A.id).measures.kpiAttainment;
    expect(a.rate).toBe(1);
    expect(a.excluded.map((item) => item.ref)).toEqual(["新建学校3所"]);
    const b = unit(bulletin, B.id).measures.kpiAttainment;
    // 20 of 50: the 40 came after the cut-off.
    expect(b.rate).toBe(0.4);
    expect(b.items[0]?.note).toBe("2025-W13 报送 20,达成 40.0%");
  });

  it("lists the red items with the lights' own reasons at the cut-off", () => {
    expect(bulletin.totals.redItems.map((item) => [item.task.id, item.unitName])).toEqual([
      ["t3", "基础教育科"],
      ["t4", "人事科"],
    ]);
    const b = unit(bulletin, B.id);
    const t4 = monthOfTasks().find((task) => task.id === "t4");
    if (!t4) throw new Error("t4");
    expect(b.redItems[0]?.reasons).toEqual(lightOf(t4.state, t4.reports, beijing("2025-04-01T00:00:00")).reasons);
    expect(b.redItems[0]?.reasons.map((reason) => reason.period ?? reason.code)).toContain("2025-W13");
  });

  it("leaves out tasks dispatched after the cut-off and stopped ones, and ranks units with a lead", () => {
    expect(bulletin.stopped.map((task) => task.id)).toEqual(["t6"]);
    expect(bulletin.units.map((standing) => [standing.name, standing.rank, standing.tasks])).toEqual([
      ["基础教育科", 1, 4],
      ["人事科", 2, 1],
      ["未明确牵头单位", null, 1],
    ]);
    expect(bulletin.totals).toMatchObject({ unitId: null, tasks: 6, closed: 3, overdueOpen: 1, red: 2 });
    expect(bulletin.totals.measures.closeRate.rate).toBe(0.5);
  });
});

describe("the cut-off moves the figures", () => {
  it("in the middle of the month: only what had happened by then", () => {
    const now = beijing("2025-03-19T12:00:00");
    const bulletin = computeBulletin({ period: period("2025-03"), tasks: monthOfTasks(), now });
    const a = unit(bulletin, A.id);
    expect(a.closed).toBe(1);
    expect(a.overdueOpen).toBe(0);
    // Nothing due by the 19th but the extended t8 (now due 3-31): the on-time rate is t1's.
    expect(ids(a.measures.onTimeRate.items)).toEqual(["t1"]);
    for (const task of monthOfTasks().filter((candidate) => candidate.leadUnit?.id === A.id && candidate.state.closedAt === null)) {
      expect(a.redItems.some((item) => item.task.id === task.id)).toBe(lightOf(task.state, task.reports, now).light === "red");
    }
  });

  it("a quarter counts cumulatively; a later month does not count March's closings as its own", () => {
    const quarter = computeBulletin({ period: period("2025-Q1"), tasks: monthOfTasks(), now: NOW });
    expect(unit(quarter, A.id).closed).toBe(3);
    const april = computeBulletin({ period: period("2025-04"), tasks: monthOfTasks(), now: NOW });
    expect(unit(april, A.id)).toMatchObject({ closed: 3, closedInPeriod: 0 });
    // t5, dispatched 4-05, is in April's bulletin.
    expect(unit(april, B.id).tasks).toBe(2);
  });

  it("refuses a period that has not begun", () => {
    expect(() => computeBulletin({ period: period("2025-05"), tasks: [], now: NOW })).toThrow(RangeError);
  });

  it("ties share a rank and are listed in the bureau's order", () => {
    const twins = monthOfTasks()
      .filter((task) => task.id === "t3")
      .flatMap((task) => [
        { ...task, id: "x1", leadUnit: { id: "9", name: "乙单位" } },
        { ...task, id: "x2", leadUnit: { id: "8", name: "甲单位" } },
      ]);
    const bulletin = computeBulletin({ period: period("2025-03"), tasks: [...twins, ...monthOfTasks().filter((task) => task.id === "t1")], now: NOW, unitOrder: ["9", "8", A.id] });
    expect(bulletin.units.map((standing) => [standing.name, standing.rank])).toEqual([
      ["基础教育科", 1],
      ["乙单位", 2],
      ["甲单位", 2],
    ]);
  });
});

it("prints rates with one decimal", () => {
  expect(formatPercent(2 / 3)).toBe("66.7%");
  expect(formatPercent(1)).toBe("100.0%");
  expect(formatPercent(0)).toBe("0.0%");
  expect(formatPercent(null)).toBe("—");
});
