// What the ledger commands share: opening the database the environment names (DATABASE_URL, else
// the data folder TAIZHANG_DATA, default ./data) brought up to date, and the organisation (教育局)
// a command works on.
import { InvalidArgumentError } from "commander";
import { listOrganisations, migrate, openDatabase, optionsFromEnv, type DatabaseHandle, type Organisation } from "@taizhang/store";

export type Env = Readonly<Record<string, string | undefined>>;
export type Db = DatabaseHandle["db"];

/** A failure the person can act on: a Chinese message and the exit code (1, or 2 for usage). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** Opens and migrates the database, runs `work` on it, and always closes it (releasing the data folder). */
export async function withLedger<T>(env: Env, work: (db: Db) => Promise<T>, options: { migrate?: boolean } = {}): Promise<T> {
  const handle = await openDatabase(optionsFromEnv(env));
  try {
    // Restore migrates on its own: a backup of an older release needs the schema it was made with.
    if (options.migrate !== false) await migrate(handle.db);
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}

/** The organisation `--org` names, or the only one there is. */
export async function pickOrganisation(db: Db, id: number | undefined): Promise<Organisation> {
  const organisations = await listOrganisations(db);
  const listed = organisations.map((organisation) => `${organisation.id} ${organisation.name}`).join(";");
  if (id !== undefined) {
    const found = organisations.find((organisation) => organisation.id === id);
    if (!found) throw new CliError(organisations.length === 0 ? `没有编号为 ${id} 的单位体系:数据库中还没有任何单位体系。` : `没有编号为 ${id} 的单位体系(教育局)。现有:${listed}。`);
    return found;
  }
  const [only, ...others] = organisations;
  if (!only) throw new CliError("数据库中还没有单位体系(教育局)。请先用 taizhang org add 名称 创建,或运行 taizhang serve --demo 载入演示数据。");
  if (others.length > 0) throw new CliError(`数据库中有多个单位体系,请用 --org 指定编号:${listed}。`);
  return only;
}

/** commander parser for --org. */
export function parseId(value: string): number {
  if (!/^\d{1,9}$/.test(value.trim()) || Number(value) < 1) throw new InvalidArgumentError(`“${value}”不是有效的编号(应为正整数)。`);
  return Number(value);
}
