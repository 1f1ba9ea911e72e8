// Remarks on a task (批示/意见): a leader's instruction, the office's note, a unit's reply. A
// comment may be about one of the task's reports. Comments are added, never edited away: the
// table keeps edited_at and deleted_at for when that is offered, with the audit row beside it.
import type { Kysely } from "kysely";
import { writeAudit } from "./audit.js";
import { inTransaction } from "./database.js";
import { requireTask } from "./tasks.js";
import type { Database } from "./schema-types.js";

export interface Comment {
  id: number;
  taskId: number;
  /** The report it is about; null for the task as a whole. */
  reportId: number | null;
  authorId: number;
  authorName: string;
  body: string;
  createdAt: Date;
}

export interface AddCommentInput {
  organisationId: number;
  taskId: number;
  reportId?: number | null;
  authorId: number;
  /** Trimmed here; the caller has checked it is not empty. */
  body: string;
}

/** Why a comment was not added: a request error the caller names (it is not a missing URL). */
export type CommentRefusal = "report_not_in_task";

/** Adds a comment with its audit row; nothing is written when `reportId` is not a report of this task. */
export async function addComment(db: Kysely<Database>, input: AddCommentInput): Promise<{ ok: true; comment: Comment } | { ok: false; refusal: CommentRefusal }> {
  return inTransaction(db, async (trx) => {
    await requireTask(trx, input.organisationId, input.taskId);
    const reportId = input.reportId ?? null;
    if (reportId !== null) {
      const report = await trx.selectFrom("reports").select("id").where("id", "=", reportId).where("task_id", "=", input.taskId).executeTakeFirst();
      if (!report) return { ok: false, refusal: "report_not_in_task" };
    }
    const inserted = await trx
      .insertInto("comments")
      .values({ task_id: input.taskId, report_id: reportId, author_id: input.authorId, body: input.body.trim() })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeAudit(trx, {
      organisationId: input.organisationId,
      actorId: input.authorId,
      action: "comment.add",
      entity: "comments",
      entityId: inserted.id,
      after: { taskId: input.taskId, reportId, body: input.body.trim() },
    });
    const comment = await commentQuery(trx, input.organisationId).where("comments.id", "=", inserted.id).executeTakeFirstOrThrow();
    return { ok: true, comment: toComment(comment) };
  });
}

/** The task's comments (not marked deleted), oldest first. */
export async function listComments(db: Kysely<Database>, query: { organisationId: number; taskId: number }): Promise<Comment[]> {
  const rows = await commentQuery(db, query.organisationId).where("comments.task_id", "=", query.taskId).orderBy("comments.created_at").orderBy("comments.id").execute();
  return rows.map(toComment);
}

function commentQuery(db: Kysely<Database>, organisationId: number) {
  return db
    .selectFrom("comments")
    .innerJoin("tasks", "tasks.id", "comments.task_id")
    .innerJoin("users", "users.id", "comments.author_id")
    .select(["comments.id", "comments.task_id", "comments.report_id", "comments.author_id", "users.display_name", "comments.body", "comments.created_at"])
    .where("tasks.organisation_id", "=", organisationId)
    .where("comments.deleted_at", "is", null);
}

type CommentRow = Awaited<ReturnType<ReturnType<typeof commentQuery>["executeTakeFirstOrThrow"]>>;

function toComment(row: CommentRow): Comment {
  return {
    id: row.id,
    taskId: row.task_id,
    reportId: row.report_id,
    authorId: row.author_id,
    authorName: row.display_name,
    body: row.body,
    createdAt: row.created_at,
  };
}
