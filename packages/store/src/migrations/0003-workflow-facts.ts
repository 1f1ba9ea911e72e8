// The workflow's facts get columns of their own. Until now the instants a task was dispatched,
// signed, closed and stopped (and the stop reason) lived only in the workflow events the server
// appended to audit_log, and a report's being the completion report (core's `final`) was read
// from its status. This adds the columns and fills them from those events, so a database used
// before keeps its history.
//
// What the server wrote (its workflow-state.ts before this migration): per workflow event, an
// audit_log row with entity 'tasks', entity_id the task, action the event type
// ('task.dispatched', 'task.signed', 'task.closed', 'task.stopped', 'report.submitted'…) and
// `after` the event as JSON: `at` the app's clock as an ISO string, `reason` for task.stopped,
// `period` and `final` for report.submitted. The task's state took the latest event of each kind
// (by id); so does the backfill. A report.submitted event was written in the transaction that
// inserted the report, whose own audit row ('report.submit', entity 'reports') carries the same
// `at` (the transaction's now()): that pairs a report with its event. A report without such an
// event is final when its status is 已完成, as the server has always decided.
//
// A migration never imports application code: it must mean the same thing forever.
import { sql, type QueryExecutorProvider } from "kysely";

/** Event rows whose `after.at` reads as an instant: the server wrote ISO strings, nothing else. */
const EVENT_INSTANT = `jsonb_typeof(after) = 'object' and after->>'at' ~ '^\\d{4}-\\d{2}-\\d{2}T'`;

/** The latest (by id) event of `action` per task, with its instant and payload. */
function latest(action: string): string {
  return `select distinct on (entity_id) entity_id, (after->>'at')::timestamptz as at, after
    from audit_log
    where entity = 'tasks' and action = '${action}' and entity_id is not null and ${EVENT_INSTANT}
    order by entity_id, id desc`;
}

const STATEMENTS: readonly string[] = [
  `alter table tasks
    add column dispatched_at timestamptz,
    add column signed_at timestamptz,
    add column closed_at timestamptz,
    add column stopped_at timestamptz,
    add column stop_reason text`,
  `alter table reports add column final boolean not null default false`,

  `update tasks set dispatched_at = event.at from (${latest("task.dispatched")}) event where event.entity_id = tasks.id`,
  `update tasks set signed_at = event.at from (${latest("task.signed")}) event where event.entity_id = tasks.id`,
  `update tasks set closed_at = event.at from (${latest("task.closed")}) event where event.entity_id = tasks.id`,
  `update tasks set stopped_at = event.at, stop_reason = case when jsonb_typeof(event.after->'reason') = 'string' then event.after->>'reason' end
    from (${latest("task.stopped")}) event where event.entity_id = tasks.id`,

  // The event written beside the report's insert says whether it was final; else its status does.
  `update reports set final = coalesce(
    (select event.after->>'final' = 'true'
      from audit_log submit
      join audit_log event on event.at = submit.at
        and event.entity = 'tasks' and event.entity_id = reports.task_id
        and event.action = 'report.submitted' and jsonb_typeof(event.after) = 'object'
        and event.after->>'period' = reports.period
      where submit.entity = 'reports' and submit.entity_id = reports.id and submit.action = 'report.submit'
      order by event.id desc
      limit 1),
    reports.status = '已完成')`,
];

export async function up(db: QueryExecutorProvider): Promise<void> {
  for (const statement of STATEMENTS) await sql.raw(statement).execute(db);
}
