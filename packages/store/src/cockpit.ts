// The numbers behind the leaders' screen (领导驾驶舱): tasks and lights counted by lead unit, by
// top-level section and by plan, open tasks by due date, and every KPI with its latest value.
// Counts read the remembered lights (light-cache.ts) for one key, so the caller refreshes the
// scope first; a task without a valid remembered light is counted in `unknown`, never guessed.
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from "kysely";
import type { LightKey } from "./light-cache.js";
import { PATH_SEPARATOR } from "./plans.js";
import type { Database, KpiDirection } from "./schema-types.js";
import { taskScope, type TaskScope } from "./task-scope.js";

export interface LightCounts {
  tasks: number;
  /** 已办结 */
  closed: number;
  green: number;
  yellow: number;
  red: number;
  grey: number;
  /** Not remembered for this key (edited while counting): neither guessed nor dropped. */
  unknown: number;
}

export interface UnitCounts extends LightCounts {
  /** null: tasks without a lead unit matched in the tree. */
  unitId: number | null;
  name: string;
}

export interface SectionCounts extends LightCounts {
  planId: number;
  sectionPath: string;
  sectionTitle: string;
}

export interface PlanCounts extends LightCounts {
  planId: number;
  title: string;
  firstDue: string | null;
  lastDue: string | null;
}

export interface KpiStanding {
  taskId: number;
  taskNumber: string;
  taskTitle: string;
  kpiId: number;
  quote: string;
  value: number;
  valueMax: number | null;
  unit: string;
  direction: KpiDirection;
  /** The latest value of a report not returned; null before any. */
  latest: number | null;
}

export interface Cockpit {
  totals: LightCounts;
  byUnit: UnitCounts[];
  bySection: SectionCounts[];
  byPlan: PlanCounts[];
  /** Open tasks (neither closed nor stopped) by due date. */
  dueCalendar: { date: string; count: number }[];
  kpis: KpiStanding[];
}

const CLOSED = "已办结";
const STOPPED = "中止";
/** More KPIs than a screen can show are cut here; the route ranks what it gets. */
const MAX_KPIS = 5000;

export async function cockpitCounts(db: Kysely<Database>, scope: TaskScope, key: LightKey): Promise<Cockpit> {
  const base = () =>
    db
      .selectFrom("tasks")
      .leftJoin("task_lights", (join) =>
        join
          .onRef("task_lights.task_id", "=", "tasks.id")
          .onRef("task_lights.task_version", "=", "tasks.version")
          .on("task_lights.day", "=", key.day)
          .on("task_lights.settings_key", "=", key.settingsKey),
      )
      .where((eb) => taskScope(eb, scope));

  // One query after another, not Promise.all: on PGlite and inside transactions they share a connection.
  const totals = await base().select(counts).executeTakeFirstOrThrow();
  const byUnit = await base()
    .leftJoin("units", "units.id", "tasks.lead_unit_id")
    .select(["tasks.lead_unit_id as unitId", "units.name as name"])
    .select(counts)
    .groupBy(["tasks.lead_unit_id", "units.name"])
    .orderBy("units.name")
    .execute();
  // A literal, not a parameter: GROUP BY must see the very expression the SELECT has.
  const topPath = sql<string>`split_part(sections.path, ${sql.lit(PATH_SEPARATOR)}, 1)`;
  const bySection = await base()
    .innerJoin("sections", "sections.id", "tasks.section_id")
    .select(["tasks.plan_id as planId", "tasks.plan_version_id as versionId", topPath.as("sectionPath")])
    .select(counts)
    .groupBy(["tasks.plan_id", "tasks.plan_version_id", topPath])
    .orderBy("tasks.plan_id")
    .orderBy(sql`min(tasks.ordinal)`)
    .execute();
  // The top sections' own titles (a task's section may be a subsection of it).
  const versionIds = [...new Set(bySection.map((row) => row.versionId))];
  const tops =
    versionIds.length === 0
      ? []
      : await db
          .selectFrom("sections")
          .select(["plan_version_id", "path", "title"])
          .where("plan_version_id", "in", versionIds)
          .where("path", "not like", `%${PATH_SEPARATOR}%`)
          .orderBy("id")
          .execute();
  const titleOf = new Map<string, string>();
  for (const top of tops) if (!titleOf.has(`${top.plan_version_id}:${top.path}`)) titleOf.set(`${top.plan_version_id}:${top.path}`, top.title);
  const byPlan = await base()
    .innerJoin("plan_versions", "plan_versions.id", "tasks.plan_version_id")
    .select(["tasks.plan_id as planId", "plan_versions.title as title"])
    .select((eb) => [eb.fn.min("tasks.due_date").as("firstDue"), eb.fn.max("tasks.due_date").as("lastDue")])
    .select(counts)
    .groupBy(["tasks.plan_id", "plan_versions.title"])
    .orderBy("tasks.plan_id")
    .execute();
  const dueCalendar = await base()
    .select(["tasks.due_date as date", (eb) => eb.fn.countAll<string>().as("count")])
    .where("tasks.due_date", "is not", null)
    .where("tasks.status", "not in", [CLOSED, STOPPED])
    .groupBy("tasks.due_date")
    .orderBy("tasks.due_date")
    .execute();
  const kpis = await base()
    .innerJoin("kpis", "kpis.task_id", "tasks.id")
    .where("kpis.deleted_at", "is", null)
    .select([
      "tasks.id as taskId",
      "tasks.number as taskNumber",
      "tasks.title as taskTitle",
      "kpis.id as kpiId",
      "kpis.quote",
      "kpis.value",
      "kpis.value_max as valueMax",
      "kpis.unit",
      "kpis.direction",
    ])
    .select((eb) =>
      eb
        .selectFrom("kpi_values")
        .innerJoin("reports", "reports.id", "kpi_values.report_id")
        .select("kpi_values.value")
        .whereRef("kpi_values.kpi_id", "=", "kpis.id")
        .where("reports.review_state", "<>", "已退回")
        .orderBy("reports.period_end", "desc")
        .orderBy("reports.submitted_at", "desc")
        .orderBy("reports.id", "desc")
        .limit(1)
        .as("latest"),
    )
    .orderBy("tasks.plan_id")
    .orderBy("tasks.ordinal")
    .orderBy("kpis.id")
    .limit(MAX_KPIS)
    .execute();

  return {
    totals: toCounts(totals),
    byUnit: byUnit.map((row) => ({ unitId: row.unitId, name: row.name ?? "未明确牵头单位", ...toCounts(row) })),
    bySection: bySection.map((row) => ({
      planId: row.planId,
      sectionPath: row.sectionPath,
      sectionTitle: titleOf.get(`${row.versionId}:${row.sectionPath}`) ?? row.sectionPath,
      ...toCounts(row),
    })),
    byPlan: byPlan.map((row) => ({ planId: row.planId, title: row.title, firstDue: row.firstDue ?? null, lastDue: row.lastDue ?? null, ...toCounts(row) })),
    dueCalendar: dueCalendar.map((row) => ({ date: row.date ?? "", count: Number(row.count) })),
    kpis: kpis.map((row) => ({ ...row, latest: row.latest ?? null })),
  };
}

type CountRow = { [K in keyof LightCounts]: string | number | bigint };

// count(*) filter (...) per light, over the joined remembered light.
function counts(eb: ExpressionBuilder<Database & { task_lights: Database["task_lights"] }, "tasks" | "task_lights">) {
  const where = (condition: Expression<SqlBool>) => sql<string>`count(*) filter (where ${condition})`;
  return [
    eb.fn.countAll<string>().as("tasks"),
    where(eb("tasks.status", "=", CLOSED)).as("closed"),
    where(eb("task_lights.light", "=", "green")).as("green"),
    where(eb("task_lights.light", "=", "yellow")).as("yellow"),
    where(eb("task_lights.light", "=", "red")).as("red"),
    where(eb("task_lights.light", "=", "grey")).as("grey"),
    where(eb("task_lights.light", "is", null)).as("unknown"),
  ];
}

function toCounts(row: CountRow): LightCounts {
  return {
    tasks: Number(row.tasks),
    closed: Number(row.closed),
    green: Number(row.green),
    yellow: Number(row.yellow),
    red: Number(row.red),
    grey: Number(row.grey),
    unknown: Number(row.unknown),
  };
}
