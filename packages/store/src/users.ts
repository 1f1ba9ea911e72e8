// Accounts. The store keeps the password hash as a string (scrypt, made by the server) and never
// returns it except to the one function that checks a login; audit rows never carry it.
import { sql, type Kysely, type Selectable } from "kysely";
import { writeAudit } from "./audit.js";
import { inTransaction } from "./database.js";
import { StoreError, isForeignKeyViolation, isUniqueViolation } from "./errors.js";
import type { Database, UserRole, UsersTable } from "./schema-types.js";

export interface User {
  id: number;
  organisationId: number;
  /** The unit a reporter reports for; admins and leaders may have none. */
  unitId: number | null;
  login: string;
  displayName: string;
  role: UserRole;
  disabled: boolean;
  createdAt: Date;
}

export interface NewUser {
  organisationId: number;
  unitId?: number | null;
  login: string;
  displayName: string;
  passwordHash: string;
  role: UserRole;
  actorId: number | null;
}

export async function createUser(db: Kysely<Database>, input: NewUser): Promise<User> {
  const unitId = input.unitId ?? null;
  if (input.role === "reporter" && unitId === null) throw new StoreError("REPORTER_NEEDS_UNIT");
  const login = input.login.trim();
  return inTransaction(db, async (trx) => {
    let row: Selectable<UsersTable>;
    try {
      row = await trx
        .insertInto("users")
        .values({
          organisation_id: input.organisationId,
          unit_id: unitId,
          login,
          display_name: input.displayName.trim(),
          password_hash: input.passwordHash,
          role: input.role,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      if (isUniqueViolation(error, "users_login_key")) throw new StoreError("LOGIN_TAKEN", { detail: login, cause: error });
      if (isForeignKeyViolation(error)) throw new StoreError(unitId === null ? "ORGANISATION_NOT_FOUND" : "UNIT_NOT_FOUND", { cause: error });
      throw error;
    }
    const user = toUser(row);
    await writeAudit(trx, {
      organisationId: user.organisationId,
      actorId: input.actorId,
      action: "user.create",
      entity: "users",
      entityId: user.id,
      after: { login: user.login, displayName: user.displayName, role: user.role, unitId: user.unitId },
    });
    return user;
  });
}

export interface AccountChange {
  login: string;
  actorId: number | null;
  /** When the change takes effect; the user's sessions end at this instant. */
  at: Date;
}

/** A new password; every session the user had ends, so a leaked one stops working too. */
export async function setPassword(db: Kysely<Database>, input: AccountChange & { passwordHash: string }): Promise<User> {
  return changeAccount(db, input, { password_hash: input.passwordHash }, "user.password", {});
}

/** Disables or re-enables an account; disabling ends its sessions. Nothing of the user is deleted. */
export async function setDisabled(db: Kysely<Database>, input: AccountChange & { disabled: boolean }): Promise<User> {
  return changeAccount(db, input, { disabled: input.disabled }, input.disabled ? "user.disable" : "user.enable", { disabled: input.disabled });
}

async function changeAccount(
  db: Kysely<Database>,
  input: AccountChange,
  set: { password_hash?: string; disabled?: boolean },
  action: string,
  after: { disabled?: boolean },
): Promise<User> {
  return inTransaction(db, async (trx) => {
    const before = await trx.selectFrom("users").selectAll().where((eb) => eb(eb.fn("lower", ["login"]), "=", eb.fn("lower", [eb.val(input.login.trim())]))).forUpdate().executeTakeFirst();
    if (!before) throw new StoreError("USER_NOT_FOUND", { detail: input.login });
    const row = await trx.updateTable("users").set(set).where("id", "=", before.id).returningAll().executeTakeFirstOrThrow();
    if (set.password_hash !== undefined || set.disabled === true) {
      await sql`update sessions set revoked_at = ${input.at} where user_id = ${before.id} and revoked_at is null`.execute(trx);
    }
    // The audit row says what changed, never the hash.
    await writeAudit(trx, {
      organisationId: before.organisation_id,
      actorId: input.actorId,
      action,
      entity: "users",
      entityId: before.id,
      before: { login: before.login, disabled: before.disabled },
      after: { login: row.login, ...after },
    });
    return toUser(row);
  });
}

export async function getUser(db: Kysely<Database>, id: number): Promise<User | undefined> {
  const row = await db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toUser(row) : undefined;
}

/** For the login check only: the user (disabled or not) with the stored hash. Logins ignore case. */
export async function findLogin(db: Kysely<Database>, login: string): Promise<{ user: User; passwordHash: string } | undefined> {
  const row = await db
    .selectFrom("users")
    .selectAll()
    // lower() on both sides: the unique index is on lower(login), and JS and the database's
    // locale need not agree on what lower-case is.
    .where((eb) => eb(eb.fn("lower", ["login"]), "=", eb.fn("lower", [eb.val(login.trim())])))
    .executeTakeFirst();
  return row ? { user: toUser(row), passwordHash: row.password_hash } : undefined;
}

export async function listUsers(db: Kysely<Database>, organisationId: number): Promise<User[]> {
  const rows = await db.selectFrom("users").selectAll().where("organisation_id", "=", organisationId).orderBy("login").execute();
  return rows.map(toUser);
}

/** Leaves out password_hash on purpose: a User can be sent anywhere. */
export function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    unitId: row.unit_id,
    login: row.login,
    displayName: row.display_name,
    role: row.role,
    disabled: row.disabled,
    createdAt: row.created_at,
  };
}
