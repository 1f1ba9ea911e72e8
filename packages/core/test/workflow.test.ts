import { describe, expect, it } from "vitest";
import { createTask, type Actor, type ExtensionRequest, type TaskState, type TaskStatus } from "../src/task-state.js";
import { transition, type Action, type ActionType, type TransitionResult } from "../src/workflow.js";
import { WORKFLOW_ERRORS } from "../src/workflow-errors.js";

/** An instant in Beijing time. */
function beijing(dateTime: string): Date {
  return new Date(`${dateTime}+08:00`);
}

const NOW = beijing("2025-03-20T10:00:00");

const ADMIN: Actor = { role: "admin", unitIds: ["office"] };
const LEADER: Actor = { role: "leader", unitIds: [] };
const LEAD_REPORTER: Actor = { role: "reporter", unitIds: ["lead"] };
const CO_REPORTER: Actor = { role: "reporter", unitIds: ["co"] };
const OTHER_REPORTER: Actor = { role: "reporter", unitIds: ["other"] };
const ACTORS = { admin: ADMIN, leader: LEADER, lead: LEAD_REPORTER, co: CO_REPORTER, other: OTHER_REPORTER } as const;
type ActorName = keyof typeof ACTORS;

const ALL_STATUSES: readonly TaskStatus[] = ["待交办", "已交办", "已签收", "办理中", "待审核", "已办结", "中止"];
const OPEN: readonly TaskStatus[] = ["待交办", "已交办", "已签收", "办理中", "待审核"];

const PENDING_EXTENSION: ExtensionRequest = {
  requestedAt: beijing("2025-03-18T09:00:00"),
  requestedDate: "2025-07-31",
  previousDueDate: "2025-06-30",
  reason: "施工受雨季影响",
  state: "待审批",
  decidedAt: null,
  decisionNote: null,
};

/** A dispatched task, monthly cadence, due 2025-06-30, at version 5 and in `status`. */
function taskIn(status: TaskStatus, overrides: Partial<TaskState> = {}): TaskState {
  return {
    ...createTask({ id: "t1", leadUnitId: "lead", coUnitIds: ["co"], dueDate: "2025-06-30", cadence: { kind: "monthly" } }),
    status,
    version: 5,
    dispatchedAt: status === "待交办" ? null : beijing("2025-03-01T09:00:00"),
    ...overrides,
  };
}

/** A valid action of each type, and a task in `status` where that action's own preconditions hold. */
function scenario(type: ActionType, status: TaskStatus): { task: TaskState; action: Action } {
  const expectedVersion = 5;
  switch (type) {
    case "dispatch":
      return { task: taskIn(status), action: { type, expectedVersion } };
    case "sign":
    case "start":
    case "withdraw_extension":
    case "approve_extension":
      return { task: taskIn(status, { extensions: [PENDING_EXTENSION] }), action: { type, expectedVersion } };
    case "reject_extension":
      return { task: taskIn(status, { extensions: [PENDING_EXTENSION] }), action: { type, expectedVersion, reason: "理由不充分" } };
    case "submit_report":
      return { task: taskIn(status), action: { type, expectedVersion, period: "2025-03" } };
    case "accept_report":
      return { task: taskIn(status, { pendingReports: [{ period: "2025-03", final: false, submittedAt: NOW }] }), action: { type, expectedVersion, period: "2025-03" } };
    case "return_report":
      return { task: taskIn(status, { pendingReports: [{ period: "2025-03", final: false, submittedAt: NOW }] }), action: { type, expectedVersion, period: "2025-03", reason: "数据不实" } };
    case "close":
      return { task: taskIn(status, { pendingReports: [{ period: "2025-03", final: true, submittedAt: NOW }] }), action: { type, expectedVersion } };
    case "stop":
      return { task: taskIn(status), action: { type, expectedVersion, reason: "上级文件调整,任务取消" } };
    case "request_extension":
      return { task: taskIn(status), action: { type, expectedVersion, dueDate: "2025-07-31", reason: "施工受雨季影响" } };
  }
}

/**
 * The specification of issue 4, written out independently of the code's table: who may take each
 * action, from which states, and where the task ends up.
 */
const SPEC: { [K in ActionType]: { actors: readonly ActorName[]; from: readonly TaskStatus[]; to: TaskStatus | "same" } } = {
  dispatch: { actors: ["admin"], from: ["待交办"], to: "已交办" },
  sign: { actors: ["lead", "co"], from: ["已交办"], to: "已签收" },
  start: { actors: ["lead", "co"], from: ["已签收"], to: "办理中" },
  submit_report: { actors: ["lead", "co"], from: ["办理中", "待审核"], to: "待审核" },
  accept_report: { actors: ["admin"], from: ["待审核"], to: "办理中" },
  return_report: { actors: ["admin"], from: ["待审核"], to: "办理中" },
  close: { actors: ["admin"], from: ["待审核"], to: "已办结" },
  stop: { actors: ["admin"], from: OPEN, to: "中止" },
  request_extension: { actors: ["lead", "co"], from: ["已签收", "办理中", "待审核"], to: "same" },
  approve_extension: { actors: ["leader"], from: OPEN, to: "same" },
  reject_extension: { actors: ["leader"], from: OPEN, to: "same" },
  withdraw_extension: { actors: ["lead", "co"], from: OPEN, to: "same" },
};

function expectOk(result: TransitionResult): TaskState {
  if (!result.ok) throw new Error(`refused: ${result.error.code} ${result.error.message}`);
  return result.task;
}

function expectCode(result: TransitionResult, code: keyof typeof WORKFLOW_ERRORS): string {
  if (result.ok) throw new Error(`accepted, expected ${code}`);
  expect(result.error.code).toBe(code);
  return result.error.message;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

describe("the transition table: every action × state × role", () => {
  const cases = (Object.keys(SPEC) as ActionType[]).flatMap((type) =>
    ALL_STATUSES.flatMap((status) => (Object.keys(ACTORS) as ActorName[]).map((actor) => [type, status, actor] as const)),
  );

  it.each(cases)("%s from %s by %s", (type, status, actorName) => {
    const spec = SPEC[type];
    const { task, action } = scenario(type, status);
    const result = transition(deepFreeze(task), action, ACTORS[actorName], NOW);
    if (!spec.actors.includes(actorName)) {
      expectCode(result, "NOT_ALLOWED");
    } else if (!spec.from.includes(status)) {
      expectCode(result, "INVALID_TRANSITION");
    } else {
      const next = expectOk(result);
      expect(next.status).toBe(spec.to === "same" ? status : spec.to);
      expect(next.version).toBe(6);
      expect(task.version).toBe(5);
      expect(task.status).toBe(status);
    }
  });

  it("covers 12 actions", () => {
    expect(cases).toHaveLength(12 * 7 * 5);
  });
});

describe("a task's life from import to 销号", () => {
  it("walks 待交办 → 已交办 → 已签收 → 办理中 → 待审核 → 办理中 → 待审核 → 已办结 with a version per step", () => {
    let task = createTask({ id: "t9", leadUnitId: "lead", dueDate: "2025-06-30", cadence: { kind: "monthly" } });
    const steps: Array<[Actor, Date, (expectedVersion: number) => Action, TaskStatus]> = [
      [ADMIN, beijing("2025-03-03T09:00:00"), (v) => ({ type: "dispatch", expectedVersion: v }), "已交办"],
      [LEAD_REPORTER, beijing("2025-03-03T15:00:00"), (v) => ({ type: "sign", expectedVersion: v }), "已签收"],
      [LEAD_REPORTER, beijing("2025-03-04T09:00:00"), (v) => ({ type: "start", expectedVersion: v }), "办理中"],
      [LEAD_REPORTER, beijing("2025-04-03T09:00:00"), (v) => ({ type: "submit_report", expectedVersion: v, period: "2025-03" }), "待审核"],
      [ADMIN, beijing("2025-04-03T16:00:00"), (v) => ({ type: "return_report", expectedVersion: v, period: "2025-03", reason: "缺少佐证材料" }), "办理中"],
      [LEAD_REPORTER, beijing("2025-04-04T09:00:00"), (v) => ({ type: "submit_report", expectedVersion: v, period: "2025-03" }), "待审核"],
      [ADMIN, beijing("2025-04-04T11:00:00"), (v) => ({ type: "accept_report", expectedVersion: v, period: "2025-03" }), "办理中"],
      [LEAD_REPORTER, beijing("2025-06-20T09:00:00"), (v) => ({ type: "submit_report", expectedVersion: v, period: "2025-06", final: true }), "待审核"],
      [ADMIN, beijing("2025-06-21T09:00:00"), (v) => ({ type: "close", expectedVersion: v }), "已办结"],
    ];
    const seen: string[] = [];
    for (const [actor, at, action, status] of steps) {
      const result = transition(task, action(task.version), actor, at);
      const next = expectOk(result);
      expect(next.status).toBe(status);
      expect(next.version).toBe(task.version + 1);
      if (result.ok) seen.push(...result.events.map((event) => event.type));
      task = next;
    }
    expect(task.version).toBe(10);
    expect(task.dispatchedAt).toEqual(beijing("2025-03-03T09:00:00"));
    expect(task.signedAt).toEqual(beijing("2025-03-03T15:00:00"));
    expect(task.closedAt).toEqual(beijing("2025-06-21T09:00:00"));
    expect(task.pendingReports).toEqual([]);
    expect(seen).toEqual([
      "task.dispatched",
      "task.signed",
      "task.started",
      "report.submitted",
      "report.returned",
      "report.submitted",
      "report.accepted",
      "report.submitted",
      "report.accepted",
      "task.closed",
    ]);
  });
});

describe("refusals a clerk reads", () => {
  it("says a closed task takes no more reports", () => {
    const message = expectCode(transition(taskIn("已办结"), { type: "submit_report", expectedVersion: 5, period: "2025-03" }, LEAD_REPORTER, NOW), "INVALID_TRANSITION");
    expect(message).toBe("该任务已办结,不能再提交报送。");
  });

  it("names the state and the action for an open task", () => {
    expect(expectCode(transition(taskIn("已交办"), { type: "start", expectedVersion: 5 }, LEAD_REPORTER, NOW), "INVALID_TRANSITION")).toBe("该任务已交办、尚未签收,不能开始办理。");
    expect(expectCode(transition(taskIn("中止"), { type: "stop", expectedVersion: 5, reason: "x" }, ADMIN, NOW), "INVALID_TRANSITION")).toBe("该任务已中止,不能再中止任务。");
  });

  it("says who may act", () => {
    expect(expectCode(transition(taskIn("待交办"), { type: "dispatch", expectedVersion: 5 }, LEAD_REPORTER, NOW), "NOT_ALLOWED")).toBe("只有督查室可以交办。");
    expect(expectCode(transition(taskIn("已交办"), { type: "sign", expectedVersion: 5 }, OTHER_REPORTER, NOW), "NOT_ALLOWED")).toBe(
      "只有承办单位(牵头或配合单位)的填报人员可以签收。",
    );
    const approve = scenario("approve_extension", "办理中");
    expect(expectCode(transition(approve.task, approve.action, ADMIN, NOW), "NOT_ALLOWED")).toBe("只有分管领导可以批准延期申请。");
    expect(expectCode(transition(approve.task, approve.action, LEAD_REPORTER, NOW, { adminDecidesExtensions: true }), "NOT_ALLOWED")).toBe(
      "只有分管领导或督查室可以批准延期申请。",
    );
  });

  it("has a message for every code, with no placeholder left unfilled", () => {
    const refusals: TransitionResult[] = [
      transition(taskIn("办理中"), { type: "stop", expectedVersion: 5, reason: " " }, ADMIN, NOW),
      transition(taskIn("办理中"), { type: "sign", expectedVersion: 4 }, LEAD_REPORTER, NOW),
      transition(taskIn("办理中"), { type: "submit_report", expectedVersion: 5, period: "2026-01" }, LEAD_REPORTER, NOW),
      transition(taskIn("办理中"), { type: "submit_report", expectedVersion: 5, period: "2025-04" }, LEAD_REPORTER, NOW),
    ];
    for (const result of refusals) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.message).not.toMatch(/[{}]/);
    }
  });
});

describe("optimistic locking", () => {
  it("refuses a stale version with CONFLICT and changes nothing", () => {
    const task = deepFreeze(taskIn("已交办"));
    expect(expectCode(transition(task, { type: "sign", expectedVersion: 4 }, LEAD_REPORTER, NOW), "CONFLICT")).toBe("该任务已被他人修改,请刷新后重试。");
    expectCode(transition(task, { type: "sign", expectedVersion: 6 }, LEAD_REPORTER, NOW), "CONFLICT");
  });

  it("checks the role before the version, so an outsider learns nothing", () => {
    expectCode(transition(taskIn("已交办"), { type: "sign", expectedVersion: 4 }, OTHER_REPORTER, NOW), "NOT_ALLOWED");
  });

  it("checks the version before the state", () => {
    expectCode(transition(taskIn("已办结"), { type: "submit_report", expectedVersion: 4, period: "2025-03" }, LEAD_REPORTER, NOW), "CONFLICT");
  });

  it("returns a new task and leaves the old one as it was", () => {
    const task = deepFreeze(taskIn("待审核", { pendingReports: [{ period: "2025-02", final: false, submittedAt: NOW }] }));
    const before = JSON.stringify(task);
    const next = expectOk(transition(task, { type: "submit_report", expectedVersion: 5, period: "2025-03" }, LEAD_REPORTER, NOW));
    expect(JSON.stringify(task)).toBe(before);
    expect(next).not.toBe(task);
    expect(next.pendingReports.map((report) => report.period)).toEqual(["2025-02", "2025-03"]);
  });
});

describe("dispatch (交办)", () => {
  const fresh = createTask({ id: "t2", leadUnitId: "lead", coUnitIds: ["co", "lead", "co"], dueDate: "2025-06-30" });

  it("records the units, the due date and the instant, and says so in its event", () => {
    const result = transition(fresh, { type: "dispatch", expectedVersion: 1 }, ADMIN, NOW);
    const task = expectOk(result);
    expect(task.leadUnitId).toBe("lead");
    expect(task.coUnitIds).toEqual(["co"]);
    expect(task.dispatchedAt).toEqual(NOW);
    expect(result.ok && result.events).toEqual([
      { type: "task.dispatched", leadUnitId: "lead", coUnitIds: ["co"], dueDate: "2025-06-30", taskId: "t2", at: NOW, actorRole: "admin", from: "待交办", to: "已交办", version: 2 },
    ]);
  });

  it("takes the lead unit, co-units and due date given with the action", () => {
    const task = expectOk(transition(fresh, { type: "dispatch", expectedVersion: 1, leadUnitId: "co", coUnitIds: ["lead", "co"], dueDate: "2025-09-30" }, ADMIN, NOW));
    expect([task.leadUnitId, task.coUnitIds, task.dueDate]).toEqual(["co", ["lead"], "2025-09-30"]);
  });

  it("needs a lead unit", () => {
    expect(expectCode(transition(createTask({ id: "t3" }), { type: "dispatch", expectedVersion: 1 }, ADMIN, NOW), "NO_LEAD_UNIT")).toBe("请先指定牵头单位,再交办任务。");
  });

  it("refuses a due date already past, given or inherited from the plan; today is fine", () => {
    expect(expectCode(transition(fresh, { type: "dispatch", expectedVersion: 1, dueDate: "2025-03-19" }, ADMIN, NOW), "DATE_IN_PAST")).toBe(
      "办理期限 2025-03-19 已经过去,请设定今天或以后的日期。",
    );
    expectCode(transition(createTask({ id: "t4", leadUnitId: "lead", dueDate: "2025-02-28" }), { type: "dispatch", expectedVersion: 1 }, ADMIN, NOW), "DATE_IN_PAST");
    expect(expectOk(transition(fresh, { type: "dispatch", expectedVersion: 1, dueDate: "2025-03-20" }, ADMIN, NOW)).dueDate).toBe("2025-03-20");
    // 23:59 Beijing on the 20th is still the 20th, though it is already the 21st nowhere that matters.
    expectOk(transition(fresh, { type: "dispatch", expectedVersion: 1, dueDate: "2025-03-20" }, ADMIN, beijing("2025-03-20T23:59:59")));
    expectCode(transition(fresh, { type: "dispatch", expectedVersion: 1, dueDate: "2025-03-20" }, ADMIN, beijing("2025-03-21T00:00:00")), "DATE_IN_PAST");
  });

  it("refuses a malformed date", () => {
    expectCode(transition(fresh, { type: "dispatch", expectedVersion: 1, dueDate: "2025-02-30" }, ADMIN, NOW), "INVALID_DATE");
  });

  it("dispatches a task without a deadline", () => {
    expect(expectOk(transition(createTask({ id: "t5", leadUnitId: "lead" }), { type: "dispatch", expectedVersion: 1 }, ADMIN, NOW)).dueDate).toBeNull();
  });
});

describe("sign and start", () => {
  it("lets a co-unit's reporter sign, and a reporter with several units act for any of them", () => {
    expect(expectOk(transition(taskIn("已交办"), { type: "sign", expectedVersion: 5 }, CO_REPORTER, NOW)).signedAt).toEqual(NOW);
    expectOk(transition(taskIn("已签收"), { type: "start", expectedVersion: 5 }, { role: "reporter", unitIds: ["other", "lead"] }, NOW));
  });

  it("does not let an admin or leader act for the unit", () => {
    expectCode(transition(taskIn("已交办"), { type: "sign", expectedVersion: 5 }, { role: "admin", unitIds: ["lead"] }, NOW), "NOT_ALLOWED");
    expectCode(transition(taskIn("已交办"), { type: "sign", expectedVersion: 5 }, { role: "leader", unitIds: ["lead"] }, NOW), "NOT_ALLOWED");
  });
});

describe("reports (报送)", () => {
  const working = taskIn("办理中");

  it("files a report under one of the task's periods and waits for review", () => {
    const result = transition(working, { type: "submit_report", expectedVersion: 5, period: " 2025-03 " }, LEAD_REPORTER, NOW);
    expect(expectOk(result).pendingReports).toEqual([{ period: "2025-03", final: false, submittedAt: NOW }]);
    expect(result.ok && result.events.map((event) => [event.type, event.from, event.to])).toEqual([["report.submitted", "办理中", "待审核"]]);
  });

  it("refuses a period the task does not have, or one not begun yet", () => {
    // Dispatched 1 March: February is before the task.
    expect(expectCode(transition(working, { type: "submit_report", expectedVersion: 5, period: "2025-02" }, LEAD_REPORTER, NOW), "UNKNOWN_PERIOD")).toBe(
      "“2025-02”不是该任务的报送周期。",
    );
    expectCode(transition(working, { type: "submit_report", expectedVersion: 5, period: "2025-W12" }, LEAD_REPORTER, NOW), "UNKNOWN_PERIOD");
    expect(expectCode(transition(working, { type: "submit_report", expectedVersion: 5, period: "2025-04" }, LEAD_REPORTER, NOW), "PERIOD_NOT_STARTED")).toBe(
      "2025年4月还没有开始,不能提前报送。",
    );
    expectOk(transition(working, { type: "submit_report", expectedVersion: 5, period: "2025-04" }, LEAD_REPORTER, beijing("2025-04-01T00:00:00")));
  });

  it("keeps taking reports period by period after the due date has passed", () => {
    const late = taskIn("办理中", { dueDate: "2025-03-31" });
    expectOk(transition(late, { type: "submit_report", expectedVersion: 5, period: "2025-05" }, LEAD_REPORTER, beijing("2025-05-10T09:00:00")));
  });

  it("takes any period name when the task has no cadence, but not an empty one", () => {
    const free = taskIn("办理中", { cadence: null });
    expectOk(transition(free, { type: "submit_report", expectedVersion: 5, period: "一季度" }, LEAD_REPORTER, NOW));
    expectCode(transition(free, { type: "submit_report", expectedVersion: 5, period: "  " }, LEAD_REPORTER, NOW), "PERIOD_REQUIRED");
  });

  it("takes a second period's report while the first waits, but not the same period twice", () => {
    const waiting = taskIn("待审核", { pendingReports: [{ period: "2025-03", final: false, submittedAt: NOW }] });
    expect(expectCode(transition(waiting, { type: "submit_report", expectedVersion: 5, period: "2025-03" }, CO_REPORTER, NOW), "REPORT_PENDING")).toBe(
      "“2025-03”的报送正在审核中,请等待审核结果。",
    );
    const both = expectOk(transition(waiting, { type: "submit_report", expectedVersion: 5, period: "2025-04" }, CO_REPORTER, beijing("2025-04-02T09:00:00")));
    expect(both.status).toBe("待审核");
    expect(both.pendingReports.map((report) => report.period)).toEqual(["2025-03", "2025-04"]);
  });

  it("takes nothing more once the completion report is in", () => {
    const done = taskIn("待审核", { pendingReports: [{ period: "2025-03", final: true, submittedAt: NOW }] });
    expectCode(transition(done, { type: "submit_report", expectedVersion: 5, period: "2025-03" }, LEAD_REPORTER, NOW), "FINAL_REPORT_PENDING");
  });
});

describe("review: accept and return (退回重办)", () => {
  const two = taskIn("待审核", {
    pendingReports: [
      { period: "2025-03", final: false, submittedAt: NOW },
      { period: "2025-04", final: false, submittedAt: NOW },
    ],
  });

  it("stays 待审核 while another report waits, and goes back to work after the last", () => {
    const one = expectOk(transition(two, { type: "accept_report", expectedVersion: 5, period: "2025-03" }, ADMIN, NOW));
    expect([one.status, one.pendingReports.map((report) => report.period)]).toEqual(["待审核", ["2025-04"]]);
    const none = expectOk(transition(one, { type: "return_report", expectedVersion: 6, period: "2025-04", reason: " 数据不实 " }, ADMIN, NOW));
    expect([none.status, none.pendingReports]).toEqual(["办理中", []]);
  });

  it("returns with the reason in its event", () => {
    const result = transition(two, { type: "return_report", expectedVersion: 5, period: "2025-04", reason: " 数据不实 " }, ADMIN, NOW);
    expect(result.ok && result.events.map(({ type, from, to, version }) => ({ type, from, to, version }))).toEqual([{ type: "report.returned", from: "待审核", to: "待审核", version: 6 }]);
    expect(result.ok && result.events[0]).toMatchObject({ period: "2025-04", final: false, reason: "数据不实" });
  });

  it("needs a reason to return", () => {
    expect(expectCode(transition(two, { type: "return_report", expectedVersion: 5, period: "2025-04", reason: "  " }, ADMIN, NOW), "REASON_REQUIRED")).toBe("请填写退回理由。");
  });

  it("reviews only a report that is waiting", () => {
    expect(expectCode(transition(two, { type: "accept_report", expectedVersion: 5, period: "2025-05" }, ADMIN, NOW), "REPORT_NOT_PENDING")).toBe("没有待审核的“2025-05”报送。");
  });

  it("sends a completion report to 销号 rather than plain acceptance, and returns it to work", () => {
    const final = taskIn("待审核", { pendingReports: [{ period: "2025-03", final: true, submittedAt: NOW }] });
    expectCode(transition(final, { type: "accept_report", expectedVersion: 5, period: "2025-03" }, ADMIN, NOW), "FINAL_REPORT_NEEDS_CLOSE");
    const result = transition(final, { type: "return_report", expectedVersion: 5, period: "2025-03", reason: "尚未竣工验收" }, ADMIN, NOW);
    expect(expectOk(result).status).toBe("办理中");
    expect(result.ok && result.events[0]).toMatchObject({ type: "report.returned", final: true });
  });
});

describe("close-out (办结销号)", () => {
  it("needs a completion report", () => {
    const periodOnly = taskIn("待审核", { pendingReports: [{ period: "2025-03", final: false, submittedAt: NOW }] });
    expect(expectCode(transition(periodOnly, { type: "close", expectedVersion: 5 }, ADMIN, NOW), "FINAL_REPORT_REQUIRED")).toBe("承办单位还没有提交完成报告,不能办结销号。");
  });

  it("accepts every waiting report, withdraws an open extension request, and closes", () => {
    const task = taskIn("待审核", {
      pendingReports: [
        { period: "2025-02", final: false, submittedAt: NOW },
        { period: "2025-03", final: true, submittedAt: NOW },
      ],
      extensions: [PENDING_EXTENSION],
    });
    const result = transition(task, { type: "close", expectedVersion: 5 }, ADMIN, NOW);
    const closed = expectOk(result);
    expect([closed.status, closed.closedAt, closed.pendingReports, closed.dueDate]).toEqual(["已办结", NOW, [], "2025-06-30"]);
    expect(closed.extensions).toEqual([{ ...PENDING_EXTENSION, state: "已撤回", decidedAt: NOW, decisionNote: "任务已办结" }]);
    expect(result.ok && result.events.map((event) => [event.type, "period" in event ? event.period : null])).toEqual([
      ["extension.withdrawn", null],
      ["report.accepted", "2025-02"],
      ["report.accepted", "2025-03"],
      ["task.closed", null],
    ]);
    expect(result.ok && result.events.every((event) => event.version === 6 && event.to === "已办结")).toBe(true);
  });
});

describe("stop (中止)", () => {
  it("needs a reason and keeps it", () => {
    expect(expectCode(transition(taskIn("办理中"), { type: "stop", expectedVersion: 5, reason: "" }, ADMIN, NOW), "REASON_REQUIRED")).toBe("请填写中止理由。");
    const stopped = expectOk(transition(taskIn("办理中"), { type: "stop", expectedVersion: 5, reason: " 机构调整 " }, ADMIN, NOW));
    expect([stopped.status, stopped.stoppedAt, stopped.stopReason]).toEqual(["中止", NOW, "机构调整"]);
  });

  it("withdraws an open extension request and leaves nothing waiting", () => {
    const task = taskIn("待审核", { extensions: [PENDING_EXTENSION], pendingReports: [{ period: "2025-03", final: false, submittedAt: NOW }] });
    const result = transition(task, { type: "stop", expectedVersion: 5, reason: "机构调整" }, ADMIN, NOW);
    expect(expectOk(result).extensions[0]?.state).toBe("已撤回");
    expect(expectOk(result).pendingReports).toEqual([]);
    expect(result.ok && result.events.map((event) => event.type)).toEqual(["extension.withdrawn", "task.stopped"]);
  });
});

describe("extension requests (延期申请)", () => {
  const working = taskIn("办理中");
  const request = (dueDate: string, reason = "施工受雨季影响"): Action => ({ type: "request_extension", expectedVersion: 5, dueDate, reason });

  it("records the request without moving the task or its due date", () => {
    const result = transition(working, request("2025-07-31"), LEAD_REPORTER, NOW);
    const task = expectOk(result);
    expect([task.status, task.dueDate, task.version]).toEqual(["办理中", "2025-06-30", 6]);
    expect(task.extensions).toEqual([
      { requestedAt: NOW, requestedDate: "2025-07-31", previousDueDate: "2025-06-30", reason: "施工受雨季影响", state: "待审批", decidedAt: null, decisionNote: null },
    ]);
    expect(result.ok && result.events[0]).toMatchObject({ type: "extension.requested", from: "办理中", to: "办理中", requestedDate: "2025-07-31", previousDueDate: "2025-06-30" });
  });

  it("refuses a second open request, a task without a deadline, and a date not later than the current one", () => {
    expect(expectCode(transition(taskIn("办理中", { extensions: [PENDING_EXTENSION] }), request("2025-08-31"), LEAD_REPORTER, NOW), "EXTENSION_PENDING")).toBe(
      "已有一份延期申请正在审批,请等待审批结果或先撤回。",
    );
    expectCode(transition(taskIn("办理中", { dueDate: null }), request("2025-08-31"), LEAD_REPORTER, NOW), "NO_DUE_DATE");
    expect(expectCode(transition(working, request("2025-06-30"), LEAD_REPORTER, NOW), "EXTENSION_NOT_LATER")).toBe("申请的新期限应晚于当前期限 2025-06-30。");
    expectCode(transition(working, request("2025-06-31"), LEAD_REPORTER, NOW), "INVALID_DATE");
    expect(expectCode(transition(working, request("2025-07-31", " "), LEAD_REPORTER, NOW), "REASON_REQUIRED")).toBe("请填写延期理由。");
  });

  it("must be asked for by the due date, not after it", () => {
    expectOk(transition(working, request("2025-07-31"), LEAD_REPORTER, beijing("2025-06-30T23:59:59")));
    expect(expectCode(transition(working, request("2025-07-31"), LEAD_REPORTER, beijing("2025-07-01T00:00:00")), "EXTENSION_TOO_LATE")).toBe(
      "办理期限 2025-06-30 已过,不能再申请延期,请联系督查室。",
    );
  });

  it("moves the due date to the requested one on approval", () => {
    const task = taskIn("办理中", { extensions: [PENDING_EXTENSION] });
    const result = transition(task, { type: "approve_extension", expectedVersion: 5, note: " 同意 " }, LEADER, NOW);
    const approved = expectOk(result);
    expect([approved.status, approved.dueDate]).toEqual(["办理中", "2025-07-31"]);
    expect(approved.extensions).toEqual([{ ...PENDING_EXTENSION, state: "已批准", decidedAt: NOW, decisionNote: "同意" }]);
    expect(result.ok && result.events[0]).toMatchObject({ type: "extension.approved", previousDueDate: "2025-06-30", dueDate: "2025-07-31", note: "同意" });
  });

  it("keeps the due date on rejection, which needs a reason", () => {
    const task = taskIn("办理中", { extensions: [PENDING_EXTENSION] });
    expect(expectCode(transition(task, { type: "reject_extension", expectedVersion: 5, reason: "" }, LEADER, NOW), "REASON_REQUIRED")).toBe("请填写驳回理由。");
    const rejected = expectOk(transition(task, { type: "reject_extension", expectedVersion: 5, reason: "理由不充分" }, LEADER, NOW));
    expect([rejected.dueDate, rejected.extensions[0]?.state, rejected.extensions[0]?.decisionNote]).toEqual(["2025-06-30", "已驳回", "理由不充分"]);
  });

  it("lets the unit withdraw its request", () => {
    const task = taskIn("已签收", { extensions: [PENDING_EXTENSION] });
    const withdrawn = expectOk(transition(task, { type: "withdraw_extension", expectedVersion: 5 }, CO_REPORTER, NOW));
    expect([withdrawn.status, withdrawn.dueDate, withdrawn.extensions[0]?.state]).toEqual(["已签收", "2025-06-30", "已撤回"]);
  });

  it("decides only an open request", () => {
    const decided = taskIn("办理中", { extensions: [{ ...PENDING_EXTENSION, state: "已驳回", decidedAt: NOW, decisionNote: "否" }] });
    expect(expectCode(transition(decided, { type: "approve_extension", expectedVersion: 5 }, LEADER, NOW), "NO_PENDING_EXTENSION")).toBe("没有待审批的延期申请。");
    expectCode(transition(decided, { type: "withdraw_extension", expectedVersion: 5 }, LEAD_REPORTER, NOW), "NO_PENDING_EXTENSION");
    // The earlier decision stays; a new request may follow.
    expect(expectOk(transition(decided, request("2025-08-31"), LEAD_REPORTER, NOW)).extensions.map((e) => e.state)).toEqual(["已驳回", "待审批"]);
  });

  it("lets 督查室 decide when the organisation allows it", () => {
    const task = taskIn("办理中", { extensions: [PENDING_EXTENSION] });
    expectCode(transition(task, { type: "approve_extension", expectedVersion: 5 }, ADMIN, NOW), "NOT_ALLOWED");
    expect(expectOk(transition(task, { type: "approve_extension", expectedVersion: 5 }, ADMIN, NOW, { adminDecidesExtensions: true })).dueDate).toBe("2025-07-31");
    expectOk(transition(task, { type: "reject_extension", expectedVersion: 5, reason: "否" }, ADMIN, NOW, { adminDecidesExtensions: true }));
    expectOk(transition(task, { type: "approve_extension", expectedVersion: 5 }, LEADER, NOW, { adminDecidesExtensions: true }));
  });
});
