// The bodies a bureau assigns work to, as a tree (科室, 直属单位, 县区教育局, schools), and the
// matching of a name as a plan writes it ("市教育局基教科", "基础教育科") to one of them.
import type { Kysely, Selectable } from "kysely";
import { writeAudit } from "./audit.js";
import { inTransaction } from "./database.js";
import { StoreError, isForeignKeyViolation, isUniqueViolation } from "./errors.js";
import type { Database, UnitKind, UnitsTable } from "./schema-types.js";

export interface Unit {
  id: number;
  organisationId: number;
  parentId: number | null;
  name: string;
  kind: UnitKind;
  /** Other ways plans write this unit's name; matched exactly, like the name. */
  aliases: string[];
  sortOrder: number;
}

export interface UnitNode extends Unit {
  children: UnitNode[];
}

export interface NewUnit {
  organisationId: number;
  parentId?: number | null;
  name: string;
  kind: UnitKind;
  aliases?: string[];
  sortOrder?: number;
  actorId: number | null;
}

export async function createUnit(db: Kysely<Database>, input: NewUnit): Promise<Unit> {
  const name = input.name.trim();
  const aliases = cleanAliases(input.aliases ?? [], name);
  return inTransaction(db, async (trx) => {
    let row: Selectable<UnitsTable>;
    try {
      row = await trx
        .insertInto("units")
        .values({
          organisation_id: input.organisationId,
          parent_id: input.parentId ?? null,
          name,
          kind: input.kind,
          aliases,
          sort_order: input.sortOrder ?? 0,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      if (isUniqueViolation(error, "units_organisation_name_key")) throw new StoreError("UNIT_NAME_TAKEN", { detail: name, cause: error });
      if (isForeignKeyViolation(error)) {
        throw new StoreError(input.parentId == null ? "ORGANISATION_NOT_FOUND" : "UNIT_NOT_FOUND", { cause: error });
      }
      throw error;
    }
    const unit = toUnit(row);
    await writeAudit(trx, {
      organisationId: unit.organisationId,
      actorId: input.actorId,
      action: "unit.create",
      entity: "units",
      entityId: unit.id,
      after: { name: unit.name, kind: unit.kind, parentId: unit.parentId, aliases: unit.aliases },
    });
    return unit;
  });
}

/** The organisation's units in tree order (parents before children, siblings by sort order, name). */
export async function listUnits(db: Kysely<Database>, organisationId: number): Promise<Unit[]> {
  const rows = await db
    .selectFrom("units")
    .selectAll()
    .where("organisation_id", "=", organisationId)
    .where("deleted_at", "is", null)
    .orderBy("sort_order")
    .orderBy("name")
    .orderBy("id")
    .execute();
  return flattenTree(buildUnitTree(rows.map(toUnit)));
}

export async function getUnit(db: Kysely<Database>, query: { organisationId: number; unitId: number }): Promise<Unit | undefined> {
  const row = await db
    .selectFrom("units")
    .selectAll()
    .where("organisation_id", "=", query.organisationId)
    .where("id", "=", query.unitId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  return row ? toUnit(row) : undefined;
}

/** Roots with their children; a unit whose parent is gone (archived) is shown as a root. */
export function buildUnitTree(units: readonly Unit[]): UnitNode[] {
  const nodes = new Map(units.map((unit) => [unit.id, { ...unit, children: [] as UnitNode[] }]));
  const roots: UnitNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId === null ? undefined : nodes.get(node.parentId);
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

function flattenTree(roots: readonly UnitNode[]): Unit[] {
  const out: Unit[] = [];
  const visit = (node: UnitNode): void => {
    const { children, ...unit } = node;
    out.push(unit);
    children.forEach(visit);
  };
  roots.forEach(visit);
  return out;
}

/**
 * A function from a name as written to a unit id: the exact name first, then an alias. A name
 * that is an alias of two units matches neither, since guessing would assign work to the wrong body.
 */
export function unitMatcher(units: readonly Unit[]): (written: string) => number | null {
  const byName = new Map(units.map((unit) => [unit.name, unit.id]));
  const byAlias = new Map<string, number | null>();
  for (const unit of units) {
    for (const alias of unit.aliases) byAlias.set(alias, byAlias.has(alias) && byAlias.get(alias) !== unit.id ? null : unit.id);
  }
  return (written) => {
    const name = written.trim();
    return byName.get(name) ?? byAlias.get(name) ?? null;
  };
}

function cleanAliases(aliases: readonly string[], name: string): string[] {
  return [...new Set(aliases.map((alias) => alias.trim()))].filter((alias) => alias !== "" && alias !== name);
}

export function toUnit(row: Selectable<UnitsTable>): Unit {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    parentId: row.parent_id,
    name: row.name,
    kind: row.kind,
    aliases: row.aliases,
    sortOrder: row.sort_order,
  };
}
