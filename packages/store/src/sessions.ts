// Sessions and login attempts, for the API's sign-in. Kept in the database so that every app
// instance sharing one PostgreSQL sees the same sessions and counts the same failed passwords.
// The server makes the tokens and chooses the lifetimes; every instant is passed in (the
// server's clock), so tests can move time and the rules do not depend on the database's clock.
import type { ColumnType, Generated, Kysely, Selectable } from "kysely";
import type { Database } from "./schema-types.js";
import { toUser, type User } from "./users.js";

type Instant = ColumnType<Date, Date, Date>;

export interface SessionsTable {
  /** sha-256 (hex) of the cookie's token; the token itself is never stored. */
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: Instant;
  last_seen_at: Instant;
  expires_at: Instant;
  revoked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  ip: string | null;
  user_agent: string | null;
}

export const LOGIN_OUTCOMES = ["pending", "failed", "succeeded", "blocked"] as const;
export type LoginOutcome = (typeof LOGIN_OUTCOMES)[number];

export interface LoginAttemptsTable {
  id: Generated<number>;
  login: string;
  ip: string;
  at: Instant;
  outcome: ColumnType<LoginOutcome, LoginOutcome | undefined, LoginOutcome>;
}

/** The tables of migration 0002, beside the ledger's (a type alias: withTables wants an index signature). */
export type SessionTables = {
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
};

export interface Session {
  id: string;
  userId: number;
  csrfToken: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

export interface NewSession {
  id: string;
  userId: number;
  csrfToken: string;
  now: Date;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
}

function tables(db: Kysely<Database>): Kysely<Database & SessionTables> {
  return db.withTables<SessionTables>();
}

export async function createSession(db: Kysely<Database>, input: NewSession): Promise<Session> {
  const row = await tables(db)
    .insertInto("sessions")
    .values({
      id: input.id,
      user_id: input.userId,
      csrf_token: input.csrfToken,
      created_at: input.now,
      last_seen_at: input.now,
      expires_at: input.expiresAt,
      ip: input.ip,
      user_agent: input.userAgent,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toSession(row);
}

/** A live session at `now` (not revoked, not expired) with its user, unless the user is disabled. */
export async function findSession(db: Kysely<Database>, query: { id: string; now: Date }): Promise<{ session: Session; user: User } | undefined> {
  const row = await tables(db)
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .selectAll("users")
    .select([
      "sessions.id as session_id",
      "sessions.csrf_token",
      "sessions.created_at as session_created_at",
      "sessions.last_seen_at",
      "sessions.expires_at",
    ])
    .where("sessions.id", "=", query.id)
    .where("sessions.revoked_at", "is", null)
    .where("sessions.expires_at", ">", query.now)
    .where("users.disabled", "=", false)
    .executeTakeFirst();
  if (!row) return undefined;
  const session: Session = {
    id: row.session_id,
    userId: row.id,
    csrfToken: row.csrf_token,
    createdAt: row.session_created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
  };
  return { session, user: toUser(row) };
}

/** Records activity and moves the expiry (sliding idle timeout); the server decides how far. */
export async function touchSession(db: Kysely<Database>, input: { id: string; now: Date; expiresAt: Date }): Promise<void> {
  await tables(db)
    .updateTable("sessions")
    .set({ last_seen_at: input.now, expires_at: input.expiresAt })
    .where("id", "=", input.id)
    .where("revoked_at", "is", null)
    .execute();
}

/** Logout: the session stops working everywhere at once. True if it was live. */
export async function revokeSession(db: Kysely<Database>, input: { id: string; now: Date }): Promise<boolean> {
  const result = await tables(db)
    .updateTable("sessions")
    .set({ revoked_at: input.now })
    .where("id", "=", input.id)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export interface LoginAttemptInput {
  /** As typed; compared lower-cased, as logins are. */
  login: string;
  ip: string;
  now: Date;
  /** Failures counted since this instant… */
  since: Date;
  /** …and this many are allowed; the next attempt is blocked. */
  maxFailures: number;
}

/**
 * Records an attempt before the password is checked and says whether it may proceed. Failures
 * (and attempts still being checked) after the last success in the window count; recording
 * first means parallel guesses see each other, so no burst gets past the limit. A blocked
 * attempt is marked so and does not count, so waiting out the window always unblocks.
 */
export async function recordLoginAttempt(db: Kysely<Database>, input: LoginAttemptInput): Promise<{ id: number; allowed: boolean }> {
  const login = input.login.trim().toLowerCase();
  const t = tables(db);
  const { id } = await t.insertInto("login_attempts").values({ login, ip: input.ip, at: input.now }).returning("id").executeTakeFirstOrThrow();
  const counted = await t
    .selectFrom("login_attempts")
    .select((eb) => eb.fn.countAll<number>().as("count"))
    .where("login", "=", login)
    .where("ip", "=", input.ip)
    .where("at", ">", input.since)
    .where("outcome", "in", ["pending", "failed"])
    .where("id", "<=", id)
    .where((eb) =>
      eb(
        "id",
        ">",
        eb.fn.coalesce(
          eb
            .selectFrom("login_attempts as success")
            .select((inner) => inner.fn.max("success.id").as("last"))
            .where("success.login", "=", login)
            .where("success.ip", "=", input.ip)
            .where("success.at", ">", input.since)
            .where("success.outcome", "=", "succeeded"),
          eb.lit(0),
        ),
      ),
    )
    .executeTakeFirstOrThrow();
  const allowed = Number(counted.count) <= input.maxFailures;
  if (!allowed) await settleLoginAttempt(db, { id, outcome: "blocked" });
  return { id, allowed };
}

export async function settleLoginAttempt(db: Kysely<Database>, input: { id: number; outcome: Exclude<LoginOutcome, "pending"> }): Promise<void> {
  await tables(db).updateTable("login_attempts").set({ outcome: input.outcome }).where("id", "=", input.id).execute();
}

/** Removes sessions that ended and login attempts older than `before`; they record nothing. */
export async function purgeSessions(db: Kysely<Database>, input: { before: Date }): Promise<{ sessions: number; loginAttempts: number }> {
  const t = tables(db);
  const sessions = await t
    .deleteFrom("sessions")
    .where((eb) => eb.or([eb("expires_at", "<", input.before), eb("revoked_at", "<", input.before)]))
    .executeTakeFirst();
  const attempts = await t.deleteFrom("login_attempts").where("at", "<", input.before).executeTakeFirst();
  return { sessions: Number(sessions.numDeletedRows), loginAttempts: Number(attempts.numDeletedRows) };
}

export function toSession(row: Selectable<SessionsTable>): Session {
  return {
    id: row.id,
    userId: row.user_id,
    csrfToken: row.csrf_token,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
  };
}
