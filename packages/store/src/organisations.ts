// An organisation is one bureau (教育局): the boundary of every query. Units, users, plans and
// tasks each belong to exactly one, and no read crosses from one to another.
import type { Kysely, Selectable } from "kysely";
import { writeAudit } from "./audit.js";
import { inTransaction } from "./database.js";
import type { Database, OrganisationsTable } from "./schema-types.js";

export interface Organisation {
  id: number;
  name: string;
  createdAt: Date;
}

export async function createOrganisation(db: Kysely<Database>, input: { name: string; actorId: number | null }): Promise<Organisation> {
  return inTransaction(db, async (trx) => {
    const row = await trx.insertInto("organisations").values({ name: input.name.trim() }).returningAll().executeTakeFirstOrThrow();
    const organisation = toOrganisation(row);
    await writeAudit(trx, {
      organisationId: organisation.id,
      actorId: input.actorId,
      action: "organisation.create",
      entity: "organisations",
      entityId: organisation.id,
      after: { name: organisation.name },
    });
    return organisation;
  });
}

export async function getOrganisation(db: Kysely<Database>, id: number): Promise<Organisation | undefined> {
  const row = await db.selectFrom("organisations").selectAll().where("id", "=", id).where("deleted_at", "is", null).executeTakeFirst();
  return row ? toOrganisation(row) : undefined;
}

export async function listOrganisations(db: Kysely<Database>): Promise<Organisation[]> {
  const rows = await db.selectFrom("organisations").selectAll().where("deleted_at", "is", null).orderBy("id").execute();
  return rows.map(toOrganisation);
}

export function toOrganisation(row: Selectable<OrganisationsTable>): Organisation {
  return { id: row.id, name: row.name, createdAt: row.created_at };
}
