// The bulletin and the assessment on the demo bureau, checked against counts made independently
// from the ledger API (the rows, their lights and the task details), not from core's module.
import { strFromU8, unzipSync } from "fflate";
import ExcelJS from "exceljs";
import { expect, test } from "vitest";
import { DEMO_NOW, demoWorld, type DemoClient } from "./bulletin-demo.js";
import { describeEngines, errorCode } from "./helpers.js";

interface Row {
  id: number;
  planId: number;
  number: string;
  status: string;
  dueDate: string | null;
  leadUnitId: number | null;
  dispatchedAt: string | null;
  closedAt: string | null;
  stoppedAt: string | null;
  light: { light: string };
}
interface Detail extends Row {
  kpis: { id: number; value: number; latest: number | null; attainment: number | null }[];
  reports: { period: string; submittedAt: string; reviewState: string; reviewedAt: string | null; final?: boolean }[];
  version: number;
}
interface Summary {
  numerator: number;
  denominator: number;
  rate: number | null;
}
interface Standing {
  unitId: number | null;
  name: string;
  tasks: number;
  closed: number;
  closedInPeriod: number;
  closedOnTime: number;
  overdueOpen: number;
  red: number;
  rank: number | null;
  measures: Record<"closeRate" | "onTimeRate" | "kpiAttainment" | "reportTimeliness", Summary>;
  redItems: { task: { id: number } }[];
}
interface BulletinJson {
  organisation: string;
  period: { id: string; label: string };
  cutOff: string;
  text: { title: string; titleLines: string[]; opening: string; overall: string[]; problems: { heading: string; items: string[] }[]; date: string; docNumber: string };
  units: Standing[];
  totals: Standing;
}
interface AssessmentJson {
  model: { indicators: { key: string; weight: number }[] };
  units: {
    unitId: number;
    name: string;
    score: number | null;
    rank: number | null;
    indicators: { key: string; weight: number; appliedWeight: number; rate: number | null; points: number | null; measure: { numerator: number; denominator: number; items: { task: { id: number }; counted: boolean }[] } }[];
  }[];
}

const TODAY = "2026-11-20";
const CLOSED = "已办结";
const day = (instant: string) => new Date(new Date(instant).getTime() + 8 * 3600_000).toISOString().slice(0, 10);

async function ledger(client: DemoClient): Promise<Row[]> {
  return (await client.get<{ items: Row[] }>("/api/tasks?limit=500")).items;
}

function byUnit(rows: readonly Row[]): Map<number, Row[]> {
  const groups = new Map<number, Row[]>();
  for (const row of rows) {
    if (row.leadUnitId === null || row.dispatchedAt === null || row.stoppedAt !== null) continue;
    groups.set(row.leadUnitId, [...(groups.get(row.leadUnitId) ?? []), row]);
  }
  return groups;
}

describeEngines("bulletin and assessment on the demo bureau", (context) => {
  test("this month's numbers are the ledger's: per lead unit, totals, lights, ranking and wording", async () => {
    const world = await demoWorld(context);
    const admin = await world.login("admin");
    const rows = await ledger(admin);
    const bulletin = await admin.get<BulletinJson>("/api/bulletins/2026-11");
    expect(bulletin.cutOff).toBe(DEMO_NOW.toISOString());
    expect(bulletin.text.title).toBe("示例市教育局关于2026年11月重点工作推进情况的通报");
    expect(bulletin.text.titleLines).toEqual(["示例市教育局关于2026年11月", "重点工作推进情况的通报"]);
    expect(bulletin.text.docNumber).toBe("示例教督通〔2026〕\u3000\u3000号");
    expect(bulletin.text.date).toBe("2026年11月20日");

    const groups = byUnit(rows);
    expect(bulletin.units.filter((unit) => unit.unitId !== null).map((unit) => unit.unitId).sort()).toEqual([...groups.keys()].sort());
    for (const unit of bulletin.units) {
      const own = groups.get(unit.unitId ?? 0) ?? [];
      const closed = own.filter((row) => row.status === CLOSED);
      const overdue = own.filter((row) => row.status !== CLOSED && row.dueDate !== null && row.dueDate < TODAY);
      const onTime = closed.filter((row) => row.closedAt !== null && (row.dueDate === null || day(row.closedAt) <= row.dueDate));
      expect({ unit: unit.name, tasks: unit.tasks, closed: unit.closed, overdueOpen: unit.overdueOpen, red: unit.red, closedOnTime: unit.closedOnTime }).toEqual({
        unit: unit.name,
        tasks: own.length,
        closed: closed.length,
        overdueOpen: overdue.length,
        red: own.filter((row) => row.light.light === "red").length,
        closedOnTime: onTime.length,
      });
      expect(unit.measures.closeRate).toEqual({ numerator: closed.length, denominator: own.length, rate: closed.length / own.length });
      expect(unit.measures.onTimeRate.denominator).toBe(closed.length + overdue.length);
      expect(unit.redItems.map((item) => item.task.id).sort()).toEqual(own.filter((row) => row.light.light === "red").map((row) => row.id).sort());
    }
    const counted = [...groups.values()].flat();
    expect(bulletin.totals).toMatchObject({ tasks: counted.length, closed: counted.filter((row) => row.status === CLOSED).length, red: rows.filter((row) => row.light.light === "red").length });
    expect(bulletin.totals.red).toBe(3);

    // Ranked by close rate, best first; ties share a rank.
    const rates = bulletin.units.map((unit) => unit.measures.closeRate.rate ?? 0);
    expect(rates).toEqual([...rates].sort((a, b) => b - a));
    expect(bulletin.units[0]?.rank).toBe(1);
    for (const [index, unit] of bulletin.units.entries()) {
      const previous = bulletin.units[index - 1];
      if (previous && previous.measures.closeRate.rate === unit.measures.closeRate.rate && previous.measures.onTimeRate.rate === unit.measures.onTimeRate.rate && previous.red === unit.red && previous.overdueOpen === unit.overdueOpen) {
        expect(unit.rank).toBe(previous.rank);
      }
    }

    // The wording carries the same numbers, with full-width punctuation.
    expect(bulletin.text.overall[0]).toContain(`纳入督办的重点工作任务共${bulletin.totals.tasks}项,已办结${bulletin.totals.closed}项`.replace(/,/g, "\uFF0C"));
    expect(bulletin.text.opening).toContain("(数据截至2026年11月20日)".replace("(", "\uFF08").replace(")", "\uFF09"));
    expect(bulletin.text.problems.map((group) => group.heading)).toEqual(bulletin.units.filter((unit) => unit.red > 0).map((unit, index) => `\uFF08${"一二三"[index]}\uFF09${unit.name}`));
  }, 120_000);

  test("a past month is read as it stood at its end; KPI values and reports count as the task details show them", async () => {
    const world = await demoWorld(context);
    const admin = await world.login("admin");
    const rows = await ledger(admin);

    const october = await admin.get<BulletinJson>("/api/bulletins/2026-10");
    const endOfOctober = new Date("2026-11-01T00:00:00+08:00").getTime();
    expect(october.totals.tasks).toBe(rows.filter((row) => row.dispatchedAt !== null && new Date(row.dispatchedAt).getTime() < endOfOctober).length);
    // The two closings came on 12 November; the first deadline on the 8th.
    expect(october.totals).toMatchObject({ closed: 0, overdueOpen: 0, red: 0 });
    expect(october.text.overall[0]).toContain("尚无到期应办结的任务");

    // 基础教育科 reports half of each target on 002-4, an overdue task with a KPI.
    const jijiao = await world.login("jijiao");
    const unitId = rows.find((row) => row.planId === rows[0]?.planId && row.number === "4")?.leadUnitId;
    const task = await admin.get<Detail>(`/api/tasks/${rows.find((row) => row.planId === rows[0]?.planId && row.number === "4")?.id}`);
    expect(task.kpis.length).toBeGreaterThan(0);
    const posted = await jijiao.request({
      method: "POST",
      url: `/api/tasks/${task.id}/reports`,
      headers: { "idempotency-key": "bulletin-kpi-1" },
      payload: { period: "2026-11", status: "进度滞后", percent: 50, kpiValues: task.kpis.map((kpi) => ({ kpiId: kpi.id, value: kpi.value / 2 })) },
    });
    expect(posted.statusCode, posted.body).toBe(201);
    // Monthly reports for every plan: October's fell due on 5 November.
    for (const planId of new Set(rows.map((row) => row.planId))) {
      const response = await admin.request({ method: "PUT", url: `/api/plans/${planId}/cadence`, payload: { cadence: { kind: "monthly" } } });
      expect(response.statusCode, response.body).toBe(200);
    }

    const bulletin = await admin.get<BulletinJson>("/api/bulletins/2026-11");
    const deadline = new Date("2026-11-06T00:00:00+08:00").getTime();
    for (const unit of bulletin.units.filter((standing) => standing.unitId !== null)) {
      const own = byUnit(rows).get(unit.unitId ?? 0) ?? [];
      const details = await Promise.all(own.map((row) => admin.get<Detail>(`/api/tasks/${row.id}`)));
      const attainments = details.flatMap((detail) => detail.kpis.flatMap((kpi) => (kpi.attainment === null ? [] : [Math.min(kpi.attainment, 1)])));
      expect(unit.measures.kpiAttainment.denominator, unit.name).toBe(attainments.length);
      if (attainments.length > 0) expect(unit.measures.kpiAttainment.rate).toBeCloseTo(attainments.reduce((a, b) => a + b, 0) / attainments.length, 10);
      // October's period is owed by every task dispatched before it ended; on time if a report for it stood on the 6th.
      const owing = details.filter((detail) => detail.dispatchedAt !== null && new Date(detail.dispatchedAt).getTime() < endOfOctober);
      const filed = owing.filter((detail) =>
        detail.reports.some(
          (report) =>
            report.period === "2026-10" &&
            new Date(report.submittedAt).getTime() < deadline &&
            !(report.reviewState === "已退回" && report.reviewedAt !== null && new Date(report.reviewedAt).getTime() < deadline),
        ),
      );
      expect({ unit: unit.name, due: unit.measures.reportTimeliness.denominator, onTime: unit.measures.reportTimeliness.numerator }).toEqual({ unit: unit.name, due: owing.length, onTime: filed.length });
    }
    expect(bulletin.units.find((unit) => unit.unitId === unitId)?.measures.kpiAttainment.rate).toBeCloseTo(0.5, 10);
    expect(bulletin.totals.measures.reportTimeliness.denominator).toBeGreaterThan(10);
  }, 120_000);

  test("the assessment scores Σ weight × rate with its evidence; a model in the query replaces the default", async () => {
    const world = await demoWorld(context);
    const leader = await world.login("leader");
    const rows = await ledger(leader);
    const assessment = await leader.get<AssessmentJson>("/api/assessment/2026-11");
    expect(assessment.model.indicators.map((indicator) => indicator.weight)).toEqual([30, 30, 20, 20]);
    const groups = byUnit(rows);
    for (const unit of assessment.units) {
      const points = unit.indicators.map((indicator) => indicator.points ?? 0);
      expect(unit.score).toBeCloseTo(points.reduce((a, b) => a + b, 0), 10);
      for (const indicator of unit.indicators) {
        if (indicator.rate === null) expect(indicator.points).toBeNull();
        else expect(indicator.points).toBeCloseTo(indicator.appliedWeight * indicator.rate, 1);
      }
      const closeRate = unit.indicators.find((indicator) => indicator.key === "closeRate")?.measure;
      const own = groups.get(unit.unitId) ?? [];
      expect(closeRate?.items.map((item) => item.task.id).sort()).toEqual(own.map((row) => row.id).sort());
      expect(closeRate?.items.filter((item) => item.counted).map((item) => item.task.id).sort()).toEqual(own.filter((row) => row.status === CLOSED).map((row) => row.id).sort());
    }
    const scores = assessment.units.map((unit) => unit.score ?? -1);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));

    const byClosing = await leader.get<AssessmentJson>(`/api/assessment/2026-11?weights=${encodeURIComponent("办结率:100")}`);
    for (const unit of byClosing.units) {
      const own = groups.get(unit.unitId) ?? [];
      expect(unit.score).toBeCloseTo((100 * own.filter((row) => row.status === CLOSED).length) / own.length, 2);
    }
  }, 120_000);

  test("documents download with their names; bad periods and models are refused; reporters may not look", async () => {
    const world = await demoWorld(context);
    const admin = await world.login("admin");
    const bulletin = await admin.get<BulletinJson>("/api/bulletins/2026-11");

    const docx = await admin.request({ method: "GET", url: "/api/bulletins/2026-11/docx?docNumber=%E7%A4%BA%E6%95%99%E7%9D%A3%E9%80%9A%E3%80%942026%E3%80%957%E5%8F%B7" });
    expect(docx.statusCode).toBe(200);
    expect(docx.headers["content-type"]).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    expect(docx.headers["content-disposition"]).toContain(`filename*=UTF-8''${encodeURIComponent("重点工作推进情况通报-2026-11.docx")}`);
    const parts = unzipSync(new Uint8Array(docx.rawPayload));
    const documentXml = strFromU8(parts["word/document.xml"] ?? new Uint8Array());
    expect(documentXml).toContain("示教督通〔2026〕7号");
    for (const line of bulletin.text.titleLines) expect(documentXml).toContain(line);
    for (const unit of bulletin.units) expect(documentXml).toContain(`<w:t xml:space="preserve">${unit.name}</w:t>`);

    const xlsx = await admin.request({ method: "GET", url: "/api/bulletins/2026-11/xlsx" });
    expect(xlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(["各单位推进情况", "红灯事项", "计算依据"]);
    const sheet = workbook.getWorksheet("各单位推进情况");
    const names = bulletin.units.map((_, index) => sheet?.getRow(index + 3).getCell(2).value);
    expect(names).toEqual(bulletin.units.map((unit) => unit.name));
    expect(sheet?.getRow(bulletin.units.length + 3).getCell(3).value).toBe(bulletin.totals.tasks);

    const scores = await admin.request({ method: "GET", url: "/api/assessment/2026-11/xlsx?weights=closeRate:50,onTimeRate:50" });
    expect(scores.statusCode).toBe(200);
    const scoreBook = new ExcelJS.Workbook();
    await scoreBook.xlsx.load(scores.rawPayload as unknown as ArrayBuffer);
    expect(scoreBook.worksheets.map((worksheet) => worksheet.name)).toEqual(["考核得分", "评分办法", "计分依据"]);
    expect(scoreBook.getWorksheet("考核得分")?.getRow(2).values).toEqual([undefined, "排名", "单位", "办结率", "得分(50分)", "按时办结率", "得分(50分)", "总分(100分)"]);

    const refusals: [string, number, string][] = [
      ["/api/bulletins/2026-13", 400, "VALIDATION_FAILED"],
      ["/api/bulletins/2026-02-30~2026-03-01", 400, "BULLETIN_PERIOD_INVALID"],
      ["/api/bulletins/2026-03-10~2026-03-01", 400, "BULLETIN_PERIOD_INVALID"],
      ["/api/bulletins/2027-01/docx", 400, "BULLETIN_PERIOD_NOT_STARTED"],
      ["/api/assessment/2026-11?weights=closeRate:60,onTimeRate:30", 400, "SCORING_MODEL_INVALID"],
      ["/api/assessment/2026-11/xlsx?weights=speed:100", 400, "SCORING_MODEL_INVALID"],
    ];
    for (const [url, status, code] of refusals) {
      const response = await admin.request({ method: "GET", url });
      expect([url, response.statusCode, errorCode(response)]).toEqual([url, status, code]);
    }
    const range = await admin.get<BulletinJson>("/api/bulletins/2026-11-01~2026-11-15");
    expect(range.period.label).toBe("2026年11月1日至2026年11月15日");
    expect(range.cutOff).toBe(new Date("2026-11-16T00:00:00+08:00").toISOString());

    const reporter = await world.login("jijiao");
    for (const url of ["/api/bulletins/2026-11", "/api/bulletins/2026-11/docx", "/api/assessment/2026-11", "/api/assessment/2026-11/xlsx"]) {
      const response = await reporter.request({ method: "GET", url });
      expect([url, response.statusCode, errorCode(response)]).toEqual([url, 403, "FORBIDDEN"]);
    }
  }, 120_000);
});

test("an invalid default scoring model stops the app from starting", async () => {
  const { buildApp } = await import("../src/index.js");
  expect(() => buildApp({ db: undefined as never, scoringModel: { fullMarks: 100, indicators: [{ key: "closeRate", weight: 90 }] } })).toThrow(/合计应为满分 100/);
});
