// Supporting files (佐证材料) attached to a task and, once a report cites them, to that report.
// The bytes are stored once per content, keyed by their SHA-256 (hex), which the store computes
// itself: the same scan uploaded by three units is one blob and three evidence rows, each with
// its own name, uploader and time. Nothing is deleted; an evidence row can be marked so.
import { createHash } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import { writeAudit } from "./audit.js";
import { inTransaction } from "./database.js";
import { requireTask } from "./tasks.js";
import type { Database, EvidenceTable } from "./schema-types.js";

export interface Evidence {
  id: number;
  taskId: number;
  /** The report that cites it; null until one does. */
  reportId: number | null;
  /** SHA-256 of the bytes, hex. */
  hash: string;
  fileName: string;
  size: number;
  mime: string;
  uploadedBy: number;
  createdAt: Date;
}

export interface AddEvidenceInput {
  organisationId: number;
  taskId: number;
  fileName: string;
  mime: string;
  bytes: Uint8Array;
  uploadedBy: number;
}

/** Why evidence ids may not be cited by a new report of a task (each list empty when they may). */
export interface EvidenceLinkProblems {
  /** Not evidence of this task (another task's, marked deleted, or no such id). */
  notInTask: number[];
  /** Already cited by another report. */
  linked: number[];
}

/** Stores the bytes (once per content) and one evidence row for this upload, with its audit row. */
export async function addEvidence(db: Kysely<Database>, input: AddEvidenceInput): Promise<Evidence> {
  const hash = createHash("sha256").update(input.bytes).digest("hex");
  return inTransaction(db, async (trx) => {
    await requireTask(trx, input.organisationId, input.taskId);
    // Known content is not sent to the database again; the conflict clause covers a twin
    // uploaded at this very moment.
    const known = await trx.selectFrom("evidence_blobs").select("hash").where("hash", "=", hash).executeTakeFirst();
    if (!known) {
      await trx
        .insertInto("evidence_blobs")
        .values({ hash, bytes: input.bytes, size: input.bytes.byteLength })
        .onConflict((conflict) => conflict.column("hash").doNothing())
        .execute();
    }
    const row = await trx
      .insertInto("evidence")
      .values({ task_id: input.taskId, hash, file_name: input.fileName, size: input.bytes.byteLength, mime: input.mime, uploaded_by: input.uploadedBy })
      .returningAll()
      .executeTakeFirstOrThrow();
    const evidence = toEvidence(row);
    await writeAudit(trx, {
      organisationId: input.organisationId,
      actorId: input.uploadedBy,
      action: "evidence.upload",
      entity: "evidence",
      entityId: evidence.id,
      after: { taskId: evidence.taskId, fileName: evidence.fileName, hash, size: evidence.size, mime: evidence.mime, stored: !known },
    });
    return evidence;
  });
}

/** The task's evidence (not marked deleted), oldest first. */
export async function listEvidence(db: Kysely<Database>, query: { organisationId: number; taskId: number }): Promise<Evidence[]> {
  const rows = await liveEvidence(db, query.organisationId).where("evidence.task_id", "=", query.taskId).orderBy("evidence.created_at").orderBy("evidence.id").execute();
  return rows.map(toEvidence);
}

/** One evidence row of the organisation; undefined if not there (or marked deleted). */
export async function getEvidence(db: Kysely<Database>, query: { organisationId: number; evidenceId: number }): Promise<Evidence | undefined> {
  const row = await liveEvidence(db, query.organisationId).where("evidence.id", "=", query.evidenceId).executeTakeFirst();
  return row && toEvidence(row);
}

/** The stored bytes of a content hash. */
export async function readEvidenceBytes(db: Kysely<Database>, hash: string): Promise<Uint8Array | undefined> {
  const row = await db.selectFrom("evidence_blobs").select("bytes").where("hash", "=", hash).executeTakeFirst();
  return row?.bytes;
}

/**
 * What stands in the way of a new report of the task citing `evidenceIds`. Read under the task's
 * row lock (as the reports route does), the answer holds until the report is written.
 */
export async function evidenceLinkProblems(db: Kysely<Database>, query: { taskId: number; evidenceIds: readonly number[] }): Promise<EvidenceLinkProblems> {
  const ids = [...new Set(query.evidenceIds)];
  if (ids.length === 0) return { notInTask: [], linked: [] };
  const rows = await db
    .selectFrom("evidence")
    .select(["id", "report_id"])
    .where("id", "in", ids)
    .where("task_id", "=", query.taskId)
    .where("deleted_at", "is", null)
    .execute();
  const found = new Map(rows.map((row) => [row.id, row.report_id]));
  return {
    notInTask: ids.filter((id) => !found.has(id)),
    linked: ids.filter((id) => (found.get(id) ?? null) !== null),
  };
}

/**
 * Cites the evidence from the report, in the report's transaction. The caller has checked them
 * with evidenceLinkProblems under the task's lock; a difference now is a bug, not a user's error.
 */
export async function linkEvidence(trx: Kysely<Database>, input: { taskId: number; reportId: number; evidenceIds: readonly number[] }): Promise<void> {
  const ids = [...new Set(input.evidenceIds)];
  if (ids.length === 0) return;
  const linked = await trx
    .updateTable("evidence")
    .set({ report_id: input.reportId })
    .where("id", "in", ids)
    .where("task_id", "=", input.taskId)
    .where("report_id", "is", null)
    .where("deleted_at", "is", null)
    .returning("id")
    .execute();
  if (linked.length !== ids.length) throw new Error(`evidence of task ${input.taskId} changed while linking it to report ${input.reportId}`);
}

// Evidence of live tasks of the organisation.
function liveEvidence(db: Kysely<Database>, organisationId: number) {
  return db
    .selectFrom("evidence")
    .innerJoin("tasks", "tasks.id", "evidence.task_id")
    .selectAll("evidence")
    .where("tasks.organisation_id", "=", organisationId)
    .where("tasks.deleted_at", "is", null)
    .where("evidence.deleted_at", "is", null);
}

export function toEvidence(row: Selectable<EvidenceTable>): Evidence {
  return {
    id: row.id,
    taskId: row.task_id,
    reportId: row.report_id,
    hash: row.hash,
    fileName: row.file_name,
    size: row.size,
    mime: row.mime,
    uploadedBy: row.uploaded_by,
    createdAt: row.created_at,
  };
}
