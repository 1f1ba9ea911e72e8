// `taizhang user add --login L --name N --role admin|leader|reporter [--unit NAME] [--org ID]` and
// `taizhang org add NAME`: the accounts and the bureau itself, for a ledger set up without the
// demo. The password comes from TAIZHANG_PASSWORD, or is typed on a terminal (twice, unseen);
// never from the command line, where it would stay in the shell history and the process list.
import { createOrganisation, createUser, listUnits, setDisabled, setPassword, unitMatcher, USER_ROLES, type UserRole } from "@taizhang/store";
import { hashPassword } from "@taizhang/server";
import { InvalidArgumentError } from "commander";
import type { Io } from "./extract-command.js";
import { CliError, pickOrganisation, withLedger, type Env } from "./ledger.js";
import { promptHidden } from "./password-prompt.js";

/** As the API's POST /api/users: long enough with the login rate limit in front, no composition rules. */
const MIN_PASSWORD_LENGTH = 8;
const MAX_PASSWORD_LENGTH = 256;
const MAX_LOGIN_LENGTH = 64;
const ROLE_NAMES: Record<UserRole, string> = { admin: "督查室管理员", leader: "领导", reporter: "报送员" };

export interface UserAddOptions {
  login: string;
  name: string;
  role: UserRole;
  unit?: string;
  org?: number;
}

export interface Terminal {
  isTTY: boolean;
  prompt: (question: string) => Promise<string | undefined>;
}

const processTerminal: Terminal = { isTTY: Boolean(process.stdin.isTTY), prompt: (question) => promptHidden(question) };

export async function runUserAdd(options: UserAddOptions, io: Io, env: Env, terminal: Terminal = processTerminal): Promise<number> {
  const login = options.login.trim();
  if (login === "" || /\s/.test(login) || login.length > MAX_LOGIN_LENGTH) throw new CliError(`登录名不能为空、不能含空格,最长 ${MAX_LOGIN_LENGTH} 个字符。`, 2);
  if (options.name.trim() === "") throw new CliError("姓名(--name)不能为空。", 2);
  if (options.role === "reporter" && !options.unit) throw new CliError("报送员必须属于某个单位,请用 --unit 指定单位名称。", 2);
  const password = await readPassword(env, terminal);
  return withLedger(env, async (db) => {
    const organisation = await pickOrganisation(db, options.org);
    let unitId: number | null = null;
    if (options.unit) {
      const units = await listUnits(db, organisation.id);
      unitId = unitMatcher(units)(options.unit);
      if (unitId === null) {
        const names = units.map((unit) => unit.name);
        throw new CliError(`${organisation.name}没有名为“${options.unit}”的单位。${names.length > 0 ? `现有单位:${names.slice(0, 20).join("、")}${names.length > 20 ? " 等" : ""}。` : "还没有任何单位。"}`);
      }
    }
    const user = await createUser(db, {
      organisationId: organisation.id,
      unitId,
      login,
      displayName: options.name,
      role: options.role,
      passwordHash: await hashPassword(password),
      actorId: null,
    });
    io.stdout(`已添加用户 ${user.login}(${user.displayName},${ROLE_NAMES[user.role]}${options.unit ? `,${options.unit}` : ""}),所属:${organisation.name}。\n`);
    return 0;
  });
}

/** `taizhang user password LOGIN`: a new password (read as `user add` reads it); the user's sessions end. */
export async function runUserPassword(login: string, io: Io, env: Env, terminal: Terminal = processTerminal): Promise<number> {
  const password = await readPassword(env, terminal);
  const passwordHash = await hashPassword(password);
  return withLedger(env, async (db) => {
    const user = await setPassword(db, { login, passwordHash, actorId: null, at: new Date() });
    io.stdout(`已修改 ${user.login}(${user.displayName})的密码;此前的登录均已失效。\n`);
    return 0;
  });
}

/** `taizhang user disable|enable LOGIN`: the account stops (or resumes) signing in; nothing is deleted. */
export async function runUserDisabled(login: string, disabled: boolean, io: Io, env: Env): Promise<number> {
  return withLedger(env, async (db) => {
    const user = await setDisabled(db, { login, disabled, actorId: null, at: new Date() });
    io.stdout(disabled ? `已停用 ${user.login}(${user.displayName}):不能再登录,已有的登录已失效;其报送和记录都保留。\n` : `已启用 ${user.login}(${user.displayName}),可以重新登录。\n`);
    return 0;
  });
}

export async function runOrgAdd(name: string, io: Io, env: Env): Promise<number> {
  if (name.trim() === "") throw new CliError("单位体系(教育局)名称不能为空。", 2);
  return withLedger(env, async (db) => {
    const organisation = await createOrganisation(db, { name, actorId: null });
    io.stdout(`已创建单位体系:${organisation.name}(编号 ${organisation.id})。下一步:taizhang user add --role admin … 添加督查室账号。\n`);
    return 0;
  });
}

async function readPassword(env: Env, terminal: Terminal): Promise<string> {
  const fromEnv = env.TAIZHANG_PASSWORD;
  let password: string;
  if (fromEnv !== undefined && fromEnv !== "") {
    password = fromEnv;
  } else if (terminal.isTTY) {
    const first = await terminal.prompt("密码:");
    if (first === undefined) throw new CliError("已取消。");
    checkPassword(first);
    const again = await terminal.prompt("再输入一次:");
    if (again !== first) throw new CliError("两次输入的密码不一致,未作改动。");
    password = first;
  } else {
    throw new CliError("请在环境变量 TAIZHANG_PASSWORD 中提供密码(或在终端中运行,按提示输入)。");
  }
  checkPassword(password);
  return password;
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new CliError(`密码至少 ${MIN_PASSWORD_LENGTH} 个字符。`);
  if (password.length > MAX_PASSWORD_LENGTH) throw new CliError(`密码最长 ${MAX_PASSWORD_LENGTH} 个字符。`);
}

/** commander parser for --role. */
export function parseRole(value: string): UserRole {
  if ((USER_ROLES as readonly string[]).includes(value)) return value as UserRole;
  throw new InvalidArgumentError(`没有“${value}”这个角色,可选:admin(督查室)、leader(领导)、reporter(报送员)。`);
}
