// A month of supervision with a fixed clock, for the bulletin and assessment tests. March 2025,
// looked at on 10 April (the period is over: the cut-off is 1 April 00:00, Beijing time):
//
//   基础教育科 (A): t1 due 3-20, closed 3-18 (on time, KPI at_most 5 reported 3)
//                  t2 due 3-20, closed 3-25 (late)
//                  t3 due 3-25, open: overdue, red (a KPI with no value yet)
//                  t8 due 3-10, extension to 3-31 approved 3-08, closed 3-28: on time
//   人事科 (B):     t4 due 6-30, weekly reports: W10 on time, W11 late, W12 on time but returned
//                  3-25, W13 missing: red; KPI at_least 50 at 20 (a later 40 after the cut-off)
//                  t5 dispatched 4-05: after the cut-off, not counted
//                  t6 stopped 3-10: left out
//   no lead unit:  t7 open, no due date
import type { BulletinKpi, BulletinTask } from "../src/bulletin.js";
import type { ReportFact } from "../src/periods.js";
import { createTask, type TaskState } from "../src/task-state.js";

export function beijing(dateTime: string): Date {
  return new Date(`${dateTime}+08:00`);
}

export const A = { id: "1", name: "基础教育科" };
export const B = { id: "2", name: "人事科" };
export const NOW = beijing("2025-04-10T09:00:00");

function state(id: string, overrides: Partial<TaskState>): TaskState {
  return { ...createTask({ id }), status: "办理中", dispatchedAt: beijing("2025-03-03T10:00:00"), ...overrides };
}

function report(period: string, submitted: string, extra: Partial<ReportFact> = {}): ReportFact {
  return { period, submittedAt: beijing(submitted), percent: 50, final: false, reviewState: "已通过", reviewedAt: null, ...extra };
}

function task(id: string, lead: { id: string; name: string } | null, overrides: Partial<TaskState>, extra: Partial<BulletinTask> = {}): BulletinTask {
  return { id, number: id.slice(1), title: `任务${id}`, planTitle: "2025年工作要点", leadUnit: lead, state: state(id, { leadUnitId: lead?.id ?? null, ...overrides }), reports: [], kpis: [], ...extra };
}

const ceilingKpi: BulletinKpi = {
  id: "k1",
  quote: "辍学率控制在5%以内",
  target: { value: 5, valueMax: null, direction: "at_most" },
  values: [{ value: 3, period: "2025-03", periodEnd: "2025-03-31", submittedAt: beijing("2025-03-17T10:00:00"), reviewState: "已通过", reviewedAt: beijing("2025-03-17T15:00:00") }],
};
const unreportedKpi: BulletinKpi = { id: "k2", quote: "新建学校3所", target: { value: 3, valueMax: null, direction: "at_least" }, values: [] };
const floorKpi: BulletinKpi = {
  id: "k3",
  quote: "培训教师50名",
  target: { value: 50, valueMax: null, direction: "at_least" },
  values: [
    { value: 20, period: "2025-W13", periodEnd: "2025-03-30", submittedAt: beijing("2025-03-21T10:00:00"), reviewState: "已通过", reviewedAt: null },
    { value: 40, period: "2025-W14", periodEnd: "2025-04-06", submittedAt: beijing("2025-04-03T10:00:00"), reviewState: "待审核", reviewedAt: null },
  ],
};

export function monthOfTasks(): BulletinTask[] {
  return [
    task("t1", A, { dueDate: "2025-03-20", status: "已办结", closedAt: beijing("2025-03-18T16:00:00") }, { kpis: [ceilingKpi] }),
    task("t2", A, { dueDate: "2025-03-20", status: "已办结", closedAt: beijing("2025-03-25T16:00:00") }),
    task("t3", A, { dueDate: "2025-03-25" }, { kpis: [unreportedKpi] }),
    task(
      "t4",
      B,
      { dueDate: "2025-06-30", cadence: { kind: "weekly" } },
      {
        reports: [
          report("2025-W10", "2025-03-07T15:00:00"),
          report("2025-W11", "2025-03-15T09:00:00"),
          report("2025-W12", "2025-03-21T11:00:00", { reviewState: "已退回", reviewedAt: beijing("2025-03-25T10:00:00") }),
        ],
        kpis: [floorKpi],
      },
    ),
    task("t5", B, { dueDate: "2025-06-30", dispatchedAt: beijing("2025-04-05T10:00:00") }),
    task("t6", B, { dueDate: "2025-06-30", status: "中止", stoppedAt: beijing("2025-03-10T10:00:00"), stopReason: "并入其他任务" }),
    task("t7", null, { dueDate: null }),
    task("t8", A, {
      dueDate: "2025-03-31",
      status: "已办结",
      closedAt: beijing("2025-03-28T16:00:00"),
      extensions: [
        {
          requestedAt: beijing("2025-03-06T10:00:00"),
          requestedDate: "2025-03-31",
          previousDueDate: "2025-03-10",
          reason: "等待财政资金",
          state: "已批准",
          decidedAt: beijing("2025-03-08T10:00:00"),
          decisionNote: null,
        },
      ],
    }),
  ];
}
