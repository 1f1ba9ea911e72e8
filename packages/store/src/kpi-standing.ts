// The quantified targets (KPIs) of many tasks at once, each with every value reported for it and
// what the report's review says, so a bulletin can read the value standing at its cut-off (a value
// returned later still stood before its return). Two queries per batch, whatever its size.
import type { Kysely } from "kysely";
import type { Database, KpiDirection, ReviewState } from "./schema-types.js";

export interface KpiValueRecord {
  value: number;
  period: string;
  periodEnd: string;
  submittedAt: Date;
  reviewState: ReviewState;
  reviewedAt: Date | null;
}

export interface TaskKpi {
  id: number;
  taskId: number;
  quote: string;
  value: number;
  valueMax: number | null;
  unit: string;
  direction: KpiDirection;
  /** In period order, oldest first. */
  values: KpiValueRecord[];
}

/** The live KPIs of those of `taskIds` that belong to the organisation, by task id. */
export async function listTaskKpis(db: Kysely<Database>, organisationId: number, taskIds: readonly number[]): Promise<Map<number, TaskKpi[]>> {
  const result = new Map<number, TaskKpi[]>();
  if (taskIds.length === 0) return result;
  const kpis = await db
    .selectFrom("kpis")
    .innerJoin("tasks", "tasks.id", "kpis.task_id")
    .select(["kpis.id", "kpis.task_id as taskId", "kpis.quote", "kpis.value", "kpis.value_max as valueMax", "kpis.unit", "kpis.direction"])
    .where("tasks.organisation_id", "=", organisationId)
    .where("tasks.id", "in", [...new Set(taskIds)])
    .where("tasks.deleted_at", "is", null)
    .where("kpis.deleted_at", "is", null)
    .orderBy("kpis.task_id")
    .orderBy("kpis.id")
    .execute();
  if (kpis.length === 0) return result;
  const values = await db
    .selectFrom("kpi_values")
    .innerJoin("reports", "reports.id", "kpi_values.report_id")
    .select([
      "kpi_values.kpi_id as kpiId",
      "kpi_values.value",
      "reports.period",
      "reports.period_end as periodEnd",
      "reports.submitted_at as submittedAt",
      "reports.review_state as reviewState",
      "reports.reviewed_at as reviewedAt",
    ])
    .where("kpi_values.kpi_id", "in", kpis.map((kpi) => kpi.id))
    .orderBy("reports.period_end")
    .orderBy("reports.submitted_at")
    .orderBy("reports.id")
    .execute();
  const valuesOf = new Map<number, KpiValueRecord[]>();
  for (const { kpiId, ...value } of values) {
    const list = valuesOf.get(kpiId) ?? [];
    list.push(value);
    valuesOf.set(kpiId, list);
  }
  for (const kpi of kpis) {
    const list = result.get(kpi.taskId) ?? [];
    list.push({ ...kpi, values: valuesOf.get(kpi.id) ?? [] });
    result.set(kpi.taskId, list);
  }
  return result;
}
