// Real extracted plans for the store tests: the seed files run through the extractor, with the
// decoded text their offsets index into and the hash of their bytes.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { decode, parsePlanFile, type Plan } from "@taizhang/core";
import type { Kysely } from "kysely";
import { createOrganisation, createUnit, createUser, type Database, type Unit, type User } from "../src/index.js";

const SEEDS_DIR = fileURLToPath(new URL("../../core/test/fixtures/seeds/", import.meta.url));

export interface Seed {
  plans: Plan[];
  text: string;
  hash: string;
  bytes: Uint8Array;
}

/** The seed whose file name starts with `prefix` ("002"), extracted. */
export function loadSeed(prefix: string): Seed {
  const file = readdirSync(SEEDS_DIR).find((name) => name.startsWith(`${prefix}_`) && name.endsWith(".txt"));
  if (!file) throw new Error(`no seed ${prefix}_*.txt in ${SEEDS_DIR}`);
  const bytes = new Uint8Array(readFileSync(join(SEEDS_DIR, file)));
  const { plans } = parsePlanFile(bytes, { source: basename(file) });
  const text = decode(bytes).decoded?.text;
  if (text === undefined) throw new Error(`seed ${file} does not decode`);
  return { plans, text, hash: createHash("sha256").update(bytes).digest("hex"), bytes };
}

export interface Bureau {
  organisationId: number;
  admin: User;
  units: Map<string, Unit>;
}

/** An organisation with a few units (one matched only by alias) and an admin. */
export async function seedBureau(db: Kysely<Database>, name = "衡阳市教育局"): Promise<Bureau> {
  const { id: organisationId } = await createOrganisation(db, { name, actorId: null });
  const units = new Map<string, Unit>();
  const add = async (unit: Parameters<typeof createUnit>[1]): Promise<Unit> => {
    const created = await createUnit(db, unit);
    units.set(created.name, created);
    return created;
  };
  const bureau = await add({ organisationId, name: "市教育局", kind: "科室", actorId: null });
  await add({ organisationId, parentId: bureau.id, name: "基础教育科", kind: "科室", aliases: ["基教科"], actorId: null });
  await add({ organisationId, name: "县市区政府", kind: "其他", aliases: ["各县市区人民政府"], actorId: null });
  const admin = await createUser(db, {
    organisationId,
    login: `admin-${organisationId}`,
    displayName: "督查室",
    passwordHash: "scrypt$test",
    role: "admin",
    actorId: null,
  });
  return { organisationId, admin, units };
}
