// The supervision notices the scheduler records, the in-app centre that shows them, the channels
// they go out on and each delivery (migration 0005). The server decides what is due (core's
// supervision rules); this module makes "once" hold with several app instances on one database:
//
// - recordNotice: INSERT … ON CONFLICT (organisation, dedupe key) DO NOTHING. The instance that
//   gets the row back owns the notice and creates its deliveries in the same transaction; every
//   other instance gets nothing back and does nothing.
// - claimDeliveries: UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) writes a lease, so
//   two instances never hold the same delivery; finishDelivery releases it.
// - A 督办单 number comes from a counter row advanced in the notice's own transaction: gap-free,
//   because a notice not recorded rolls its number back.
// What "once" cannot cover: an instance that dies after a channel took a message and before it
// recorded so leaves the lease to run out, and the next instance sends it again. A message may
// then arrive twice after a crash; it is never lost.
import { sql, type Kysely, type Selectable } from "kysely";
import { supervisionNoticeNumber } from "@taizhang/core";
import { writeAudit } from "./audit.js";
import { inTransaction } from "./database.js";
import type {
  ChannelKind,
  Database,
  DeliveryChannelsTable,
  DeliveryState,
  JsonValue,
  NoticeAudienceColumn,
  NoticeKindColumn,
  NoticesTable,
  TaskStatus,
  UserRole,
} from "./schema-types.js";

export interface NoticeInput {
  taskId: number;
  kind: NoticeKindColumn;
  audience: NoticeAudienceColumn;
  stage: string;
  dedupeKey: string;
  unitIds: readonly number[];
  dueDate: string;
  period: { id: string; label: string } | null;
  overdueDays: number;
  title: string;
  body: string;
  /** An escalation's 督办单 as drafted: numbered when recorded, in the sequence of `year`. */
  supervision: { year: number; draft: JsonValue } | null;
}

export interface Notice {
  id: number;
  organisationId: number;
  taskId: number;
  kind: NoticeKindColumn;
  audience: NoticeAudienceColumn;
  stage: string;
  dedupeKey: string;
  unitIds: number[];
  dueDate: string;
  period: { id: string; label: string } | null;
  overdueDays: number;
  title: string;
  body: string;
  /** The 督办单 draft, on escalations; null otherwise. */
  supervision: JsonValue | null;
  supervisionYear: number | null;
  /** N in "督办〔2025〕第N号". */
  supervisionSequence: number | null;
  /** "督办〔2025〕第N号", or null. */
  supervisionNumber: string | null;
  createdAt: Date;
}

/** A notice as one user sees it in the centre. */
export interface Notification extends Notice {
  readAt: Date | null;
}

/** Statuses under supervision: dispatched and not yet over (core's rules say the same). */
const SUPERVISED_STATUSES: readonly TaskStatus[] = ["已交办", "已签收", "办理中", "待审核"];

// ---- what the scheduler reads --------------------------------------------------------------

/** Live dispatched tasks of the current versions of the organisation's live plans, by id, after `afterId`. */
export async function supervisedTaskIds(db: Kysely<Database>, query: { organisationId: number; afterId: number; limit: number }): Promise<number[]> {
  const rows = await db
    .selectFrom("tasks")
    .innerJoin("plans", (join) => join.onRef("plans.id", "=", "tasks.plan_id").onRef("plans.current_version_id", "=", "tasks.plan_version_id"))
    .select("tasks.id")
    .where("tasks.organisation_id", "=", query.organisationId)
    .where("tasks.deleted_at", "is", null)
    .where("plans.deleted_at", "is", null)
    .where("tasks.status", "in", SUPERVISED_STATUSES)
    .where("tasks.lead_unit_id", "is not", null)
    .where("tasks.id", ">", query.afterId)
    .orderBy("tasks.id")
    .limit(query.limit)
    .execute();
  return rows.map((row) => row.id);
}

/** Title and number of each task, for the notices' wording. */
export async function taskHeadings(db: Kysely<Database>, organisationId: number, taskIds: readonly number[]): Promise<Map<number, { title: string; number: string }>> {
  if (taskIds.length === 0) return new Map();
  const rows = await db.selectFrom("tasks").select(["id", "title", "number"]).where("organisation_id", "=", organisationId).where("id", "in", [...taskIds]).execute();
  return new Map(rows.map((row) => [row.id, { title: row.title, number: row.number }]));
}

/** The dedupe keys among `keys` already recorded for the organisation. */
export async function recordedNoticeKeys(db: Kysely<Database>, organisationId: number, keys: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  const unique = [...new Set(keys)];
  for (let start = 0; start < unique.length; start += KEY_CHUNK) {
    const rows = await db
      .selectFrom("notices")
      .select("dedupe_key")
      .where("organisation_id", "=", organisationId)
      .where("dedupe_key", "in", unique.slice(start, start + KEY_CHUNK))
      .execute();
    for (const row of rows) found.add(row.dedupe_key);
  }
  return found;
}

const KEY_CHUNK = 1000;

// ---- recording -----------------------------------------------------------------------------

/** Thrown inside the transaction to undo a 督办单 number when the notice was recorded elsewhere. */
class AlreadyRecorded extends Error {}

/**
 * Records a notice and creates a pending delivery on each enabled channel of its audience, in one
 * transaction of its own; undefined when its dedupe key was already recorded (by this instance
 * or another). An escalation takes the next 督办单 number of its year: the counter row is locked
 * first, so each transaction holds at most one notice's key and waits for the counter in one
 * order, and a notice found already recorded gives its number back with the rollback.
 */
export async function recordNotice(db: Kysely<Database>, input: { organisationId: number; notice: NoticeInput; at: Date }): Promise<{ notice: Notice; deliveries: number } | undefined> {
  // Its own transaction: the rollback that returns a number must not take a caller's work with it.
  if (db.isTransaction) throw new Error("recordNotice runs in a transaction of its own");
  const { organisationId, notice, at } = input;
  try {
    return await db.transaction().execute(async (trx) => {
      let sequence: number | null = null;
      if (notice.supervision !== null) {
        const counter = await trx
          .insertInto("supervision_sequences")
          .values({ organisation_id: organisationId, year: notice.supervision.year, last_number: 1 })
          .onConflict((conflict) => conflict.columns(["organisation_id", "year"]).doUpdateSet((eb) => ({ last_number: eb("supervision_sequences.last_number", "+", 1) })))
          .returning("last_number")
          .executeTakeFirstOrThrow();
        sequence = counter.last_number;
      }
      const row = await trx
        .insertInto("notices")
        .values({
          organisation_id: organisationId,
          task_id: notice.taskId,
          kind: notice.kind,
          audience: notice.audience,
          stage: notice.stage,
          dedupe_key: notice.dedupeKey,
          unit_ids: [...notice.unitIds],
          due_date: notice.dueDate,
          period: notice.period?.id ?? null,
          period_label: notice.period?.label ?? null,
          overdue_days: notice.overdueDays,
          title: notice.title,
          body: notice.body,
          supervision: notice.supervision === null ? null : JSON.stringify(notice.supervision.draft),
          supervision_year: notice.supervision?.year ?? null,
          supervision_number: sequence,
          created_at: at,
        })
        .onConflict((conflict) => conflict.constraint("notices_dedupe_key").doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new AlreadyRecorded();
      const deliveries = await trx
        .insertInto("deliveries")
        .columns(["organisation_id", "notice_id", "channel_id", "next_attempt_at", "created_at", "updated_at"])
        .expression((eb) =>
          eb
            .selectFrom("delivery_channels")
            .select((inner) => [
              "delivery_channels.organisation_id",
              sql.lit(row.id).as("notice_id"),
              "delivery_channels.id",
              sql<Date>`${at}::timestamptz`.as("next_attempt_at"),
              sql<Date>`${at}::timestamptz`.as("created_at"),
              sql<Date>`${at}::timestamptz`.as("updated_at"),
            ])
            .where("delivery_channels.organisation_id", "=", organisationId)
            .where("delivery_channels.enabled", "=", true)
            .where(sql<boolean>`${notice.audience} = any(delivery_channels.audiences)`),
        )
        .returning("id")
        .execute();
      return { notice: toNotice(row), deliveries: deliveries.length };
    });
  } catch (error) {
    if (error instanceof AlreadyRecorded) return undefined;
    throw error;
  }
}

// ---- the in-app centre ---------------------------------------------------------------------

/**
 * Who is shown a notice: the one place the audiences are mapped to users, as a condition on a
 * row of `notices` beside a row of `users`.
 * - unit: the reporters of the units it is addressed to;
 * - unit_leader: the leaders whose unit is one of them, or, when none is, every leader;
 * - office: the office's administrators (督查室).
 */
const IS_RECIPIENT = sql<boolean>`(users.organisation_id = notices.organisation_id and not users.disabled and (
  (notices.audience = 'unit' and users.role = 'reporter' and users.unit_id = any(notices.unit_ids))
  or (notices.audience = 'unit_leader' and users.role = 'leader' and (
    users.unit_id = any(notices.unit_ids)
    or not exists (
      select 1 from users unit_leaders
      where unit_leaders.organisation_id = notices.organisation_id and unit_leaders.role = 'leader'
        and not unit_leaders.disabled and unit_leaders.unit_id = any(notices.unit_ids))))
  or (notices.audience = 'office' and users.role = 'admin')))`;

/** The notices one user is shown, with their read state. */
function centreQuery(db: Kysely<Database>, userId: number) {
  return db
    .selectFrom("notices")
    .innerJoin("users", (join) => join.on("users.id", "=", userId))
    .leftJoin("notice_reads", (join) => join.onRef("notice_reads.notice_id", "=", "notices.id").onRef("notice_reads.user_id", "=", "users.id"))
    .where(IS_RECIPIENT);
}

/** A user's notices, newest first, and how many of all of them are unread. */
export async function listNotifications(
  db: Kysely<Database>,
  query: { userId: number; limit: number; offset?: number; unreadOnly?: boolean },
): Promise<{ items: Notification[]; unread: number }> {
  const rows = await centreQuery(db, query.userId)
    .selectAll("notices")
    .select("notice_reads.read_at")
    .$if(query.unreadOnly === true, (qb) => qb.where("notice_reads.read_at", "is", null))
    .orderBy("notices.created_at", "desc")
    .orderBy("notices.id", "desc")
    .limit(query.limit)
    .offset(query.offset ?? 0)
    .execute();
  const count = await centreQuery(db, query.userId)
    .select((eb) => eb.fn.countAll<number>().as("unread"))
    .where("notice_reads.read_at", "is", null)
    .executeTakeFirstOrThrow();
  return { items: rows.map((row) => ({ ...toNotice(row), readAt: row.read_at })), unread: Number(count.unread) };
}

/** Marks a notice read for the user (the first reading counts); undefined when the user is not shown it. */
export async function markNoticeRead(db: Kysely<Database>, input: { userId: number; noticeId: number; at: Date }): Promise<{ noticeId: number; readAt: Date } | undefined> {
  return inTransaction(db, async (trx) => {
    const shown = await centreQuery(trx, input.userId).select("notices.id").where("notices.id", "=", input.noticeId).executeTakeFirst();
    if (!shown) return undefined;
    await trx
      .insertInto("notice_reads")
      .values({ notice_id: input.noticeId, user_id: input.userId, read_at: input.at })
      .onConflict((conflict) => conflict.columns(["notice_id", "user_id"]).doNothing())
      .execute();
    const read = await trx.selectFrom("notice_reads").select("read_at").where("notice_id", "=", input.noticeId).where("user_id", "=", input.userId).executeTakeFirstOrThrow();
    return { noticeId: input.noticeId, readAt: read.read_at };
  });
}

/** The users a notice is shown to (the same mapping as the centre), by id. */
export async function noticeRecipients(db: Kysely<Database>, noticeId: number): Promise<{ id: number; login: string; role: UserRole; unitId: number | null }[]> {
  const rows = await db
    .selectFrom("users")
    .innerJoin("notices", (join) => join.on("notices.id", "=", noticeId))
    .select(["users.id", "users.login", "users.role", "users.unit_id"])
    .where(IS_RECIPIENT)
    .orderBy("users.id")
    .execute();
  return rows.map((row) => ({ id: row.id, login: row.login, role: row.role, unitId: row.unit_id }));
}

/** Notices recorded for the organisation (all of them, or one task's), oldest first. */
export async function listNotices(db: Kysely<Database>, query: { organisationId: number; taskId?: number }): Promise<Notice[]> {
  const rows = await db
    .selectFrom("notices")
    .selectAll()
    .where("organisation_id", "=", query.organisationId)
    .$if(query.taskId !== undefined, (qb) => qb.where("task_id", "=", query.taskId ?? 0))
    .orderBy("id")
    .execute();
  return rows.map(toNotice);
}

// ---- 督办单 ---------------------------------------------------------------------------------

/** The organisation's 督办单 (escalated notices), newest number first. */
export async function listSupervisionNotices(db: Kysely<Database>, query: { organisationId: number; limit: number; offset?: number }): Promise<Notice[]> {
  const rows = await db
    .selectFrom("notices")
    .selectAll()
    .where("organisation_id", "=", query.organisationId)
    .where("supervision_number", "is not", null)
    .orderBy("supervision_year", "desc")
    .orderBy("supervision_number", "desc")
    .limit(query.limit)
    .offset(query.offset ?? 0)
    .execute();
  return rows.map(toNotice);
}

/** One 督办单 by its notice's id; undefined when the organisation has no such 督办单. */
export async function getSupervisionNotice(db: Kysely<Database>, query: { organisationId: number; noticeId: number }): Promise<Notice | undefined> {
  const row = await db
    .selectFrom("notices")
    .selectAll()
    .where("organisation_id", "=", query.organisationId)
    .where("id", "=", query.noticeId)
    .where("supervision_number", "is not", null)
    .executeTakeFirst();
  return row ? toNotice(row) : undefined;
}

function toNotice(row: Selectable<NoticesTable>): Notice {
  const numbered = row.supervision_year !== null && row.supervision_number !== null;
  return {
    id: row.id,
    organisationId: row.organisation_id,
    taskId: row.task_id,
    kind: row.kind,
    audience: row.audience,
    stage: row.stage,
    dedupeKey: row.dedupe_key,
    unitIds: row.unit_ids,
    dueDate: row.due_date,
    period: row.period === null ? null : { id: row.period, label: row.period_label ?? row.period },
    overdueDays: row.overdue_days,
    title: row.title,
    body: row.body,
    supervision: row.supervision,
    supervisionYear: row.supervision_year,
    supervisionSequence: row.supervision_number,
    supervisionNumber: numbered ? supervisionNoticeNumber(row.supervision_year as number, row.supervision_number as number) : null,
    createdAt: row.created_at,
  };
}

// ---- channels ------------------------------------------------------------------------------

export interface Channel {
  id: number;
  organisationId: number;
  name: string;
  kind: ChannelKind;
  /** As stored, secrets included: the API masks them. */
  settings: { [key: string]: JsonValue };
  audiences: NoticeAudienceColumn[];
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewChannel {
  organisationId: number;
  name: string;
  kind: ChannelKind;
  settings: { [key: string]: JsonValue };
  audiences?: readonly NoticeAudienceColumn[];
  enabled?: boolean;
  actorId: number | null;
}

export interface ChannelChanges {
  name?: string;
  settings?: { [key: string]: JsonValue };
  audiences?: readonly NoticeAudienceColumn[];
  enabled?: boolean;
}

export async function createChannel(db: Kysely<Database>, input: NewChannel): Promise<Channel> {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .insertInto("delivery_channels")
      .values({
        organisation_id: input.organisationId,
        name: input.name.trim(),
        kind: input.kind,
        settings: JSON.stringify(input.settings),
        ...(input.audiences !== undefined && { audiences: [...input.audiences] }),
        ...(input.enabled !== undefined && { enabled: input.enabled }),
        created_by: input.actorId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const channel = toChannel(row);
    await writeAudit(trx, { organisationId: channel.organisationId, actorId: input.actorId, action: "channel.create", entity: "delivery_channels", entityId: channel.id, after: auditView(channel) });
    return channel;
  });
}

/** Changes a channel; undefined when the organisation has no such channel. */
export async function updateChannel(db: Kysely<Database>, input: { organisationId: number; channelId: number; changes: ChannelChanges; actorId: number | null; at: Date }): Promise<Channel | undefined> {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom("delivery_channels").selectAll().where("id", "=", input.channelId).where("organisation_id", "=", input.organisationId).forUpdate().executeTakeFirst();
    if (!before) return undefined;
    const { changes } = input;
    const row = await trx
      .updateTable("delivery_channels")
      .set({
        ...(changes.name !== undefined && { name: changes.name.trim() }),
        ...(changes.settings !== undefined && { settings: JSON.stringify(changes.settings) }),
        ...(changes.audiences !== undefined && { audiences: [...changes.audiences] }),
        ...(changes.enabled !== undefined && { enabled: changes.enabled }),
        updated_at: input.at,
      })
      .where("id", "=", before.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const channel = toChannel(row);
    await writeAudit(trx, { organisationId: channel.organisationId, actorId: input.actorId, action: "channel.update", entity: "delivery_channels", entityId: channel.id, before: auditView(toChannel(before)), after: auditView(channel) });
    return channel;
  });
}

export async function listChannels(db: Kysely<Database>, organisationId: number): Promise<Channel[]> {
  const rows = await db.selectFrom("delivery_channels").selectAll().where("organisation_id", "=", organisationId).orderBy("id").execute();
  return rows.map(toChannel);
}

export async function getChannel(db: Kysely<Database>, query: { organisationId: number; channelId: number }): Promise<Channel | undefined> {
  const row = await db.selectFrom("delivery_channels").selectAll().where("organisation_id", "=", query.organisationId).where("id", "=", query.channelId).executeTakeFirst();
  return row ? toChannel(row) : undefined;
}

function toChannel(row: Selectable<DeliveryChannelsTable>): Channel {
  const settings = typeof row.settings === "object" && row.settings !== null && !Array.isArray(row.settings) ? row.settings : {};
  return {
    id: row.id,
    organisationId: row.organisation_id,
    name: row.name,
    kind: row.kind,
    settings,
    audiences: row.audiences,
    enabled: row.enabled,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The audit trail names the settings a channel has, never their values (passwords, tokens). */
function auditView(channel: Channel): JsonValue {
  return { name: channel.name, kind: channel.kind, audiences: channel.audiences, enabled: channel.enabled, settings: Object.keys(channel.settings).sort() };
}

// ---- deliveries ----------------------------------------------------------------------------

/** A delivery an instance holds the lease of, with what it needs to send it. */
export interface ClaimedDelivery {
  id: number;
  /** Attempts made before this claim. */
  attempts: number;
  notice: Notice;
  channel: Channel;
}

export interface DeliveryAttemptInput {
  startedAt: Date;
  finishedAt: Date;
  ok: boolean;
  code: string | null;
  message: string | null;
  detail: string | null;
  retryable: boolean | null;
}

export interface DeliveryRecord {
  id: number;
  noticeId: number;
  channelId: number;
  state: DeliveryState;
  attempts: (DeliveryAttemptInput & { attempt: number; instance: string })[];
  nextAttemptAt: Date;
  sentAt: Date | null;
  lastCode: string | null;
  lastMessage: string | null;
}

/**
 * Leases up to `limit` pending deliveries that are due (next_attempt_at reached, on an enabled
 * channel, not leased or the lease run out) to `instance` until now + leaseMs. SKIP LOCKED: a row
 * another instance is claiming at this moment is left to it, not waited for.
 */
export async function claimDeliveries(db: Kysely<Database>, input: { instance: string; now: Date; leaseMs: number; limit: number; organisationId?: number }): Promise<ClaimedDelivery[]> {
  const { now, instance } = input;
  const until = new Date(now.getTime() + input.leaseMs);
  const claimed = await db
    .updateTable("deliveries")
    .set({ leased_by: instance, leased_until: until, updated_at: now })
    .where("id", "in", (eb) =>
      eb
        .selectFrom("deliveries as due")
        .select("due.id")
        .where("due.state", "=", "pending")
        .where("due.next_attempt_at", "<=", now)
        .where((inner) => inner.or([inner("due.leased_until", "is", null), inner("due.leased_until", "<=", now)]))
        .$if(input.organisationId !== undefined, (qb) => qb.where("due.organisation_id", "=", input.organisationId ?? 0))
        .where((inner) => inner.exists(inner.selectFrom("delivery_channels").select("delivery_channels.id").whereRef("delivery_channels.id", "=", "due.channel_id").where("delivery_channels.enabled", "=", true)))
        .orderBy("due.next_attempt_at")
        .orderBy("due.id")
        .limit(input.limit)
        .forUpdate()
        .skipLocked(),
    )
    .returning(["id", "attempts", "notice_id", "channel_id"])
    .execute();
  if (claimed.length === 0) return [];
  const notices = await db.selectFrom("notices").selectAll().where("id", "in", claimed.map((row) => row.notice_id)).execute();
  const channels = await db.selectFrom("delivery_channels").selectAll().where("id", "in", claimed.map((row) => row.channel_id)).execute();
  const noticeOf = new Map(notices.map((row) => [row.id, toNotice(row)]));
  const channelOf = new Map(channels.map((row) => [row.id, toChannel(row)]));
  return claimed
    .sort((a, b) => a.id - b.id)
    .flatMap((row) => {
      const notice = noticeOf.get(row.notice_id);
      const channel = channelOf.get(row.channel_id);
      return notice && channel ? [{ id: row.id, attempts: row.attempts, notice, channel }] : [];
    });
}

/** How many deliveries a run at `now` would try (pending, due, on an enabled channel, not leased). */
export async function countDueDeliveries(db: Kysely<Database>, query: { now: Date; organisationId: number }): Promise<number> {
  const row = await db
    .selectFrom("deliveries")
    .innerJoin("delivery_channels", "delivery_channels.id", "deliveries.channel_id")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("deliveries.organisation_id", "=", query.organisationId)
    .where("deliveries.state", "=", "pending")
    .where("deliveries.next_attempt_at", "<=", query.now)
    .where((eb) => eb.or([eb("deliveries.leased_until", "is", null), eb("deliveries.leased_until", "<=", query.now)]))
    .where("delivery_channels.enabled", "=", true)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Records one attempt as it happens (a process stopped mid-retry still leaves it); returns its number. */
export async function recordDeliveryAttempt(db: Kysely<Database>, input: { deliveryId: number; instance: string; attempt: DeliveryAttemptInput }): Promise<number> {
  return inTransaction(db, async (trx) => {
    const { attempt } = input;
    const row = await trx
      .updateTable("deliveries")
      .set((eb) => ({ attempts: eb("attempts", "+", 1), last_code: attempt.code, last_message: attempt.message, updated_at: attempt.finishedAt }))
      .where("id", "=", input.deliveryId)
      .returning("attempts")
      .executeTakeFirstOrThrow();
    await trx
      .insertInto("delivery_attempts")
      .values({
        delivery_id: input.deliveryId,
        attempt: row.attempts,
        instance: input.instance,
        started_at: attempt.startedAt,
        finished_at: attempt.finishedAt,
        ok: attempt.ok,
        code: attempt.code,
        message: attempt.message,
        detail: attempt.detail,
        retryable: attempt.retryable,
      })
      .execute();
    return row.attempts;
  });
}

export type DeliveryOutcome = { state: "sent"; at: Date } | { state: "failed"; at: Date } | { state: "pending"; at: Date; nextAttemptAt: Date };

/** Ends the instance's lease with the outcome; false when the lease was no longer this instance's. */
export async function finishDelivery(db: Kysely<Database>, input: { deliveryId: number; instance: string; outcome: DeliveryOutcome }): Promise<boolean> {
  const { outcome } = input;
  const result = await db
    .updateTable("deliveries")
    .set({
      state: outcome.state,
      leased_by: null,
      leased_until: null,
      updated_at: outcome.at,
      ...(outcome.state === "sent" && { sent_at: outcome.at }),
      ...(outcome.state === "pending" && { next_attempt_at: outcome.nextAttemptAt }),
    })
    .where("id", "=", input.deliveryId)
    .where("leased_by", "=", input.instance)
    .where("state", "=", "pending")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The organisation's deliveries (all, or one notice's), with every attempt, oldest first. */
export async function listDeliveries(db: Kysely<Database>, query: { organisationId: number; noticeId?: number }): Promise<DeliveryRecord[]> {
  const rows = await db
    .selectFrom("deliveries")
    .selectAll()
    .where("organisation_id", "=", query.organisationId)
    .$if(query.noticeId !== undefined, (qb) => qb.where("notice_id", "=", query.noticeId ?? 0))
    .orderBy("id")
    .execute();
  if (rows.length === 0) return [];
  const attempts = await db.selectFrom("delivery_attempts").selectAll().where("delivery_id", "in", rows.map((row) => row.id)).orderBy("delivery_id").orderBy("attempt").execute();
  return rows.map((row) => ({
    id: row.id,
    noticeId: row.notice_id,
    channelId: row.channel_id,
    state: row.state,
    attempts: attempts
      .filter((attempt) => attempt.delivery_id === row.id)
      .map((attempt) => ({
        attempt: attempt.attempt,
        instance: attempt.instance,
        startedAt: attempt.started_at,
        finishedAt: attempt.finished_at,
        ok: attempt.ok,
        code: attempt.code,
        message: attempt.message,
        detail: attempt.detail,
        retryable: attempt.retryable,
      })),
    nextAttemptAt: row.next_attempt_at,
    sentAt: row.sent_at,
    lastCode: row.last_code,
    lastMessage: row.last_message,
  }));
}
