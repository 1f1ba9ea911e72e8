// The office's queue: reports waiting for review (待审核) and extension requests waiting for a
// decision (待审批) on live tasks, oldest first, each with enough of its task to act on it
// (number, title, plan, units, and the version an action must carry).
import type { Kysely } from "kysely";
import { toReport, type Report } from "./reports.js";
import type { Database, ExtensionState } from "./schema-types.js";
import { namedUnits, type TaskUnit } from "./tasks.js";

export interface ReviewTask {
  id: number;
  number: string;
  title: string;
  planId: number;
  planTitle: string;
  status: string;
  dueDate: string | null;
  version: number;
  units: TaskUnit[];
}

export interface PendingExtension {
  id: number;
  requestedAt: Date;
  requestedBy: number;
  requestedDate: string;
  previousDueDate: string | null;
  reason: string;
  state: ExtensionState;
}

export interface ReviewQueue {
  reports: { report: Report; task: ReviewTask }[];
  extensions: { extension: PendingExtension; task: ReviewTask }[];
}

/** A queue longer than this is a backlog to clear, not a page to show; the oldest come first. */
export const MAX_QUEUE = 1000;

export async function reviewQueue(db: Kysely<Database>, organisationId: number): Promise<ReviewQueue> {
  const reports = await liveTasks(db, organisationId)
    .innerJoin("reports", "reports.task_id", "tasks.id")
    .selectAll("reports")
    .where("reports.review_state", "=", "待审核")
    .orderBy("reports.submitted_at")
    .orderBy("reports.id")
    .limit(MAX_QUEUE)
    .execute();
  const extensions = await liveTasks(db, organisationId)
    .innerJoin("extension_requests", "extension_requests.task_id", "tasks.id")
    .select([
      "extension_requests.id as extension_id",
      "extension_requests.created_at as requested_at",
      "extension_requests.requested_by",
      "extension_requests.requested_date",
      "extension_requests.current_due_date",
      "extension_requests.reason",
      "extension_requests.state",
    ])
    .where("extension_requests.state", "=", "待审批")
    .orderBy("extension_requests.created_at")
    .orderBy("extension_requests.id")
    .limit(MAX_QUEUE)
    .execute();
  return {
    reports: reports.map((row) => ({ report: toReport(row), task: toReviewTask(row) })),
    extensions: extensions.map((row) => ({
      extension: {
        id: row.extension_id,
        requestedAt: row.requested_at,
        requestedBy: row.requested_by,
        requestedDate: row.requested_date,
        previousDueDate: row.current_due_date,
        reason: row.reason,
        state: row.state,
      },
      task: toReviewTask(row),
    })),
  };
}

function liveTasks(db: Kysely<Database>, organisationId: number) {
  return db
    .selectFrom("tasks")
    .innerJoin("plans", (join) => join.onRef("plans.id", "=", "tasks.plan_id").onRef("plans.current_version_id", "=", "tasks.plan_version_id"))
    .innerJoin("plan_versions", "plan_versions.id", "tasks.plan_version_id")
    .select([
      "tasks.id as task_id_",
      "tasks.number as task_number",
      "tasks.title as task_title",
      "tasks.plan_id as task_plan_id",
      "plan_versions.title as plan_title",
      "tasks.status as task_status",
      "tasks.due_date as task_due_date",
      "tasks.version as task_version",
    ])
    .select((eb) => namedUnits(eb).as("task_units"))
    .where("tasks.organisation_id", "=", organisationId)
    .where("tasks.deleted_at", "is", null)
    .where("plans.deleted_at", "is", null);
}

function toReviewTask(row: {
  task_id_: number;
  task_number: string;
  task_title: string;
  task_plan_id: number;
  plan_title: string;
  task_status: string;
  task_due_date: string | null;
  task_version: number;
  task_units: TaskUnit[];
}): ReviewTask {
  return {
    id: row.task_id_,
    number: row.task_number,
    title: row.task_title,
    planId: row.task_plan_id,
    planTitle: row.plan_title,
    status: row.task_status,
    dueDate: row.task_due_date,
    version: row.task_version,
    units: row.task_units,
  };
}
