// Progress reports. Submission is idempotent: the client sends a key with the POST, and a retry
// with the same key (a lost response, a double click) returns the report the first one made
// instead of adding a second.
import type { Kysely, Selectable } from "kysely";
import { writeAudit } from "./audit.js";
import { insertBatches } from "./batches.js";
import { inTransaction } from "./database.js";
import { requireTask } from "./tasks.js";
import { StoreError } from "./errors.js";
import { linkEvidence } from "./evidence.js";
import type { Database, ReportStatus, ReportsTable, ReviewState } from "./schema-types.js";

export interface Report {
  id: number;
  taskId: number;
  period: string;
  periodEnd: string;
  status: ReportStatus;
  percent: number;
  narrative: string;
  submittedBy: number;
  submittedAt: Date;
  reviewState: ReviewState;
  reviewedBy: number | null;
  reviewedAt: Date | null;
  reviewNote: string | null;
  /** The completion report (申请销号): its acceptance is the closing. */
  final: boolean;
}

export interface SubmitReportInput {
  organisationId: number;
  taskId: number;
  /** The reporting period's label ("2025-03", "2025-Q1"…), from the task's cadence. */
  period: string;
  periodEnd: string;
  status: ReportStatus;
  percent: number;
  narrative?: string;
  kpiValues?: { kpiId: number; value: number }[];
  submittedBy: number;
  idempotencyKey: string;
  /** When it was submitted by the app's clock (what the workflow and lights compare with); else the database's. */
  submittedAt?: Date;
  /** The completion report; false unless said. */
  final?: boolean;
  /** Evidence of the task the report cites (checked with evidenceLinkProblems under the task's lock). */
  evidenceIds?: number[];
}

/** A report as the task's detail shows it: with the files it cites and the KPI values it gave. */
export interface ReportDetail extends Report {
  evidence: { id: number; fileName: string; size: number; mime: string }[];
  kpiValues: { kpiId: number; value: number }[];
}

/** `created` is false when the key was seen before: the report is the one stored then. */
export async function submitReport(db: Kysely<Database>, input: SubmitReportInput): Promise<{ report: Report; created: boolean }> {
  return inTransaction(db, async (trx) => {
    await requireTask(trx, input.organisationId, input.taskId);

    // A concurrent twin waits on the unique index until we commit, then inserts nothing.
    const inserted = await trx
      .insertInto("reports")
      .values({
        task_id: input.taskId,
        period: input.period,
        period_end: input.periodEnd,
        status: input.status,
        percent: input.percent,
        narrative: input.narrative ?? "",
        submitted_by: input.submittedBy,
        idempotency_key: input.idempotencyKey,
        final: input.final ?? false,
        ...(input.submittedAt !== undefined && { submitted_at: input.submittedAt }),
      })
      .onConflict((conflict) => conflict.constraint("reports_idempotency_key").doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!inserted) {
      const earlier = await trx
        .selectFrom("reports")
        .selectAll()
        .where("submitted_by", "=", input.submittedBy)
        .where("idempotency_key", "=", input.idempotencyKey)
        .executeTakeFirstOrThrow();
      return { report: toReport(earlier), created: false };
    }

    const values = input.kpiValues ?? [];
    if (values.length > 0) {
      const kpis = await trx.selectFrom("kpis").select("id").where("task_id", "=", input.taskId).where("deleted_at", "is", null).execute();
      const own = new Set(kpis.map((kpi) => kpi.id));
      if (values.some((value) => !own.has(value.kpiId))) throw new StoreError("KPI_NOT_FOUND");
      const rows = values.map((value) => ({ report_id: inserted.id, kpi_id: value.kpiId, value: value.value }));
      for (const batch of insertBatches(rows)) await trx.insertInto("kpi_values").values(batch).execute();
    }

    const evidenceIds = [...new Set(input.evidenceIds ?? [])];
    await linkEvidence(trx, { taskId: input.taskId, reportId: inserted.id, evidenceIds });

    const report = toReport(inserted);
    await writeAudit(trx, {
      organisationId: input.organisationId,
      actorId: input.submittedBy,
      action: "report.submit",
      entity: "reports",
      entityId: report.id,
      after: { taskId: report.taskId, period: report.period, status: report.status, percent: report.percent, final: report.final, kpiValues: values, evidenceIds },
    });
    return { report, created: true };
  });
}

/** A task's reports, oldest period first. */
export async function listReports(db: Kysely<Database>, query: { organisationId: number; taskId: number }): Promise<Report[]> {
  const rows = await db
    .selectFrom("reports")
    .innerJoin("tasks", "tasks.id", "reports.task_id")
    .selectAll("reports")
    .where("reports.task_id", "=", query.taskId)
    .where("tasks.organisation_id", "=", query.organisationId)
    .orderBy("reports.period_end")
    .orderBy("reports.id")
    .execute();
  return rows.map(toReport);
}

/** A task's reports as listReports gives them, each with its evidence and KPI values. */
export async function listReportDetails(db: Kysely<Database>, query: { organisationId: number; taskId: number }): Promise<ReportDetail[]> {
  const reports = await listReports(db, query);
  if (reports.length === 0) return [];
  const ids = reports.map((report) => report.id);
  const evidence = await db
    .selectFrom("evidence")
    .select(["id", "report_id", "file_name", "size", "mime"])
    .where("report_id", "in", ids)
    .where("deleted_at", "is", null)
    .orderBy("id")
    .execute();
  const values = await db.selectFrom("kpi_values").select(["report_id", "kpi_id", "value"]).where("report_id", "in", ids).orderBy("kpi_id").execute();
  return reports.map((report) => ({
    ...report,
    evidence: evidence.filter((row) => row.report_id === report.id).map((row) => ({ id: row.id, fileName: row.file_name, size: row.size, mime: row.mime })),
    kpiValues: values.filter((row) => row.report_id === report.id).map((row) => ({ kpiId: row.kpi_id, value: row.value })),
  }));
}

export function toReport(row: Selectable<ReportsTable>): Report {
  return {
    id: row.id,
    taskId: row.task_id,
    period: row.period,
    periodEnd: row.period_end,
    status: row.status,
    percent: row.percent,
    narrative: row.narrative,
    submittedBy: row.submitted_by,
    submittedAt: row.submitted_at,
    reviewState: row.review_state,
    reviewedBy: row.reviewed_by,
    reviewedAt: row.reviewed_at,
    reviewNote: row.review_note,
    final: row.final,
  };
}
