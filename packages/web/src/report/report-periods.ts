// Which period a unit can and should report for now. With a cadence the task's periods
// (detail.periods) say it; without one a task is reported month by month (as the demo and the
// office's 双月调度 do). A period whose report waits for review cannot take another (the
// workflow refuses it); one already accepted can (a completion report, a correction); one with
// no report standing (none yet, or the one sent was returned) is what the office waits for.
import type { IsoDate, Period, Report, TaskDetail } from "../api-types.js";

/** late: past its due day with nothing standing; due: begun, nothing yet; returned: sent back. */
export type PeriodState = "late" | "returned" | "due" | "accepted";

export interface ReportPeriod {
  id: string;
  label: string;
  due: IsoDate | null;
  state: PeriodState;
}

export interface ReportingNeeds {
  /** Periods a report can be filed under now, the ones to report first. */
  periods: ReportPeriod[];
  /** Of those, the ones still waiting for a report (late, returned or due). */
  open: ReportPeriod[];
  /** The period the form starts on. */
  suggested: string | null;
}

/** "2026-11" → "2026年11月"; other ids as they are. */
export function monthLabel(id: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(id);
  return match ? `${match[1]}年${Number(match[2])}月` : id;
}

type Standing = "pending" | "accepted" | "returned" | "none";

/** What stands for a period: the latest report not returned wins over returned ones. */
function standingOf(reports: readonly Report[], period: string): Standing {
  const mine = reports.filter((report) => report.period === period);
  if (mine.some((report) => report.reviewState === "待审核")) return "pending";
  if (mine.some((report) => report.reviewState === "已通过")) return "accepted";
  return mine.length > 0 ? "returned" : "none";
}

export function reportingNeeds(task: Pick<TaskDetail, "periods" | "reports">, today: IsoDate): ReportingNeeds {
  const candidates: Omit<ReportPeriod, "state">[] =
    task.periods.length > 0 ? task.periods.filter((period: Period) => period.start <= today) : monthlyCandidates(task.reports, today);
  const periods: ReportPeriod[] = [];
  for (const candidate of candidates) {
    const standing = standingOf(task.reports, candidate.id);
    if (standing === "pending") continue;
    const state: PeriodState = standing === "accepted" ? "accepted" : standing === "returned" ? "returned" : candidate.due !== null && candidate.due < today ? "late" : "due";
    periods.push({ ...candidate, state });
  }
  periods.sort((a, b) => ORDER[a.state] - ORDER[b.state]);
  const open = periods.filter((period) => period.state !== "accepted");
  return { periods, open, suggested: open[0]?.id ?? periods.at(-1)?.id ?? null };
}

/** Without a cadence: this month, and any earlier month whose report was returned. */
function monthlyCandidates(reports: readonly Report[], today: IsoDate): Omit<ReportPeriod, "state">[] {
  const thisMonth = today.slice(0, 7);
  const months = new Set(reports.filter((report) => report.reviewState === "已退回").map((report) => report.period));
  months.add(thisMonth);
  return [...months].sort().map((id) => ({ id, label: monthLabel(id), due: null }));
}

/** Late and returned periods first (the office is waiting for them), oldest first within each. */
const ORDER: Record<PeriodState, number> = { late: 0, returned: 1, due: 2, accepted: 3 };
