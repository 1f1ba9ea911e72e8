// Which tasks a ledger question is about: the organisation, and optionally a plan, a section
// (with everything under it), a unit (leading or named on the task), a status, a due-date range
// and words in the title. One condition, used by the ledger list, the light cache and the counts,
// so they always agree on what "the tasks of unit X" means.
import type { Expression, ExpressionBuilder, SqlBool } from "kysely";
import { PATH_SEPARATOR } from "./plans.js";
import type { Database, TaskStatus } from "./schema-types.js";

export interface TaskScope {
  organisationId: number;
  /** These tasks only (a row refreshed after a change). */
  ids?: readonly number[];
  planId?: number;
  /** A section path ("2", "2/3"): tasks in that section or any section under it. */
  sectionPath?: string;
  /** Tasks this unit leads or is named on (what a reporter of the unit may see). */
  unitId?: number;
  /** Tasks this unit leads (as the cockpit counts them). */
  leadUnitId?: number;
  status?: TaskStatus;
  /** Text in the title, or the task's number exactly. */
  text?: string;
  /** Due on or before / on or after (YYYY-MM-DD); tasks without a due date are left out. */
  dueBefore?: string;
  dueAfter?: string;
}


/**
 * The scope as a condition on `tasks`: live tasks of the current versions of live plans. The plan
 * test is an IN over the organisation's few current versions, not a join on (id, version): the
 * planner estimates the join's two-column match far too low and then scans tasks for a light.
 */
export function taskScope(eb: ExpressionBuilder<Database, "tasks">, scope: TaskScope): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [
    eb("tasks.organisation_id", "=", scope.organisationId),
    eb("tasks.deleted_at", "is", null),
    eb(
      "tasks.plan_version_id",
      "in",
      eb
        .selectFrom("plans")
        .select("plans.current_version_id")
        .where("plans.organisation_id", "=", scope.organisationId)
        .where("plans.deleted_at", "is", null)
        .where("plans.current_version_id", "is not", null),
    ),
  ];
  if (scope.ids !== undefined) conditions.push(scope.ids.length === 0 ? eb.val(false) : eb("tasks.id", "in", scope.ids));
  if (scope.planId !== undefined) conditions.push(eb("tasks.plan_id", "=", scope.planId));
  if (scope.status !== undefined) conditions.push(eb("tasks.status", "=", scope.status));
  if (scope.leadUnitId !== undefined) conditions.push(eb("tasks.lead_unit_id", "=", scope.leadUnitId));
  if (scope.dueBefore !== undefined) conditions.push(eb("tasks.due_date", "<=", scope.dueBefore));
  if (scope.dueAfter !== undefined) conditions.push(eb("tasks.due_date", ">=", scope.dueAfter));
  const { unitId, sectionPath, text } = scope;
  if (unitId !== undefined) {
    // A union of two index lookups: "lead = u OR EXISTS (named)" would scan every task.
    conditions.push(
      eb(
        "tasks.id",
        "in",
        eb
          .selectFrom("tasks as led")
          .select("led.id")
          .where("led.lead_unit_id", "=", unitId)
          .union(eb.selectFrom("task_units").select("task_units.task_id as id").where("task_units.unit_id", "=", unitId).where("task_units.deleted_at", "is", null)),
      ),
    );
  }
  if (sectionPath !== undefined) {
    conditions.push(
      eb.exists(
        eb
          .selectFrom("sections")
          .select("sections.id")
          .whereRef("sections.id", "=", "tasks.section_id")
          .where((inner) => inner.or([inner("sections.path", "=", sectionPath), inner("sections.path", "like", `${escapeLike(sectionPath)}${PATH_SEPARATOR}%`)])),
      ),
    );
  }
  if (text !== undefined && text.trim() !== "") {
    const words = text.trim();
    conditions.push(eb.or([eb("tasks.title", "like", `%${escapeLike(words)}%`), eb("tasks.number", "=", words)]));
  }
  return eb.and(conditions);
}

/** LIKE's wildcards taken literally (PostgreSQL's default escape character is the backslash). */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
