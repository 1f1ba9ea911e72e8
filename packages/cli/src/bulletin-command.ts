// `taizhang bulletin --period 2025-03 [--org ID] [--plan ID] [--out DIR] [--format docx,xlsx]` and
// `taizhang assess --period 2025-Q1 [--weights closeRate:30,...] [--out DIR]`: the bulletin (通报)
// and the assessment (考核) of a period, as the same files the web app downloads, each written
// through a temporary file and a rename (a failed run leaves no half document).
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { DEFAULT_LIGHT_SETTINGS, assess, bureauDay, chineseDate, formatPercent, parseBulletinPeriod, parseScoringWeights, periodHasBegun, type BulletinPeriod, type ScoringModel } from "@taizhang/core";
import { assessmentXlsx, bulletinDocx, bulletinText, bulletinXlsx, loadBulletin, scoreLine } from "@taizhang/server";
import { InvalidArgumentError } from "commander";
import type { Io } from "./extract-command.js";
import { InputError, writeAtomic } from "./files.js";
import { CliError, pickOrganisation, withLedger, type Env } from "./ledger.js";

export const BULLETIN_FORMATS = ["docx", "xlsx"] as const;
export type BulletinFormat = (typeof BULLETIN_FORMATS)[number];

interface CommonOptions {
  period: string;
  org?: number;
  plan?: number;
  /** Default the current folder. */
  out?: string;
}

export interface BulletinOptions extends CommonOptions {
  format: BulletinFormat[];
  docNumber?: string;
}

export interface AssessOptions extends CommonOptions {
  weights?: ScoringModel;
}

export async function runBulletin(options: BulletinOptions, io: Io, env: Env, now: () => Date = () => new Date()): Promise<number> {
  const at = now();
  const period = periodOf(options.period, at);
  const out = await outputFolder(options.out);
  return withLedger(env, async (db) => {
    const organisation = await pickOrganisation(db, options.org);
    const data = await loadBulletin(db, { organisationId: organisation.id, period, now: at, settings: DEFAULT_LIGHT_SETTINGS, ...(options.plan !== undefined && { planId: options.plan }) });
    const text = bulletinText(data.bulletin, { organisation: data.organisation, issuedOn: bureauDay(at), ...(options.docNumber !== undefined && { docNumber: options.docNumber }) });
    const { totals } = data.bulletin;
    io.stdout(`${text.title}\n`);
    io.stdout(`  任务 ${totals.tasks} 项,已办结 ${totals.closed} 项(办结率 ${formatPercent(totals.measures.closeRate.rate)}),逾期未办结 ${totals.overdueOpen} 项,红灯 ${totals.red} 项。\n`);
    for (const format of options.format) {
      const file = path.join(out, `重点工作推进情况通报-${period.id}.${format}`);
      await write(file, format === "docx" ? bulletinDocx(data.bulletin, text, { created: at }) : await bulletinXlsx(data.bulletin, text));
      io.stdout(`已生成 ${file}\n`);
    }
    return 0;
  });
}

export async function runAssess(options: AssessOptions, io: Io, env: Env, now: () => Date = () => new Date()): Promise<number> {
  const at = now();
  const period = periodOf(options.period, at);
  const out = await outputFolder(options.out);
  return withLedger(env, async (db) => {
    const organisation = await pickOrganisation(db, options.org);
    const data = await loadBulletin(db, { organisationId: organisation.id, period, now: at, settings: DEFAULT_LIGHT_SETTINGS, ...(options.plan !== undefined && { planId: options.plan }) });
    const assessment = assess(data.bulletin, options.weights);
    // The last day the figures cover: the cut-off is the first instant after it.
    const asOf = chineseDate(bureauDay(new Date(assessment.cutOff.getTime() - 1)));
    io.stdout(`${data.organisation}${period.label}重点工作考核(数据截至${asOf})\n`);
    for (const unit of assessment.units) io.stdout(`  ${scoreLine(unit)}\n`);
    const file = path.join(out, `重点工作考核-${period.id}.xlsx`);
    await write(file, await assessmentXlsx(assessment, { organisation: data.organisation, asOf }));
    io.stdout(`已生成 ${file}\n`);
    return 0;
  });
}

function periodOf(id: string, now: Date): BulletinPeriod {
  const period = parseBulletinPeriod(id.trim());
  if (period === null) throw new CliError(`“${id}”不是有效的统计期:可写作月(2025-03)、季度(2025-Q1)、年(2025),或起止日期(2025-03-01~2025-03-15)。`, 2);
  if (!periodHasBegun(period, now)) throw new CliError(`统计期${period.label}还没有开始。`);
  return period;
}

async function outputFolder(out: string | undefined): Promise<string> {
  const folder = path.resolve(out ?? ".");
  await mkdir(folder, { recursive: true }).catch((error: unknown) => {
    throw new InputError(folder, `无法创建输出文件夹(${(error as NodeJS.ErrnoException).code ?? "未知原因"})。`);
  });
  return folder;
}

async function write(file: string, data: Uint8Array): Promise<void> {
  await writeAtomic(file, data).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(file, code === "EACCES" || code === "EPERM" ? "没有写入该位置的权限。" : code === "ENOSPC" ? "磁盘空间不足。" : "无法写入文件。");
  });
}

/** commander parser for --format: "docx", "xlsx" or both, comma-separated. */
export function parseBulletinFormats(value: string): BulletinFormat[] {
  const formats = value.split(/[,,]/).map((part) => part.trim().toLowerCase()).filter((part) => part !== "");
  const unknown = formats.filter((format) => !(BULLETIN_FORMATS as readonly string[]).includes(format));
  if (formats.length === 0 || unknown.length > 0) throw new InvalidArgumentError(`不支持的格式“${unknown.join(",") || value}”,可选:${BULLETIN_FORMATS.join("、")}(可用逗号同时指定)。`);
  return [...new Set(formats)] as BulletinFormat[];
}

/** commander parser for --weights. */
export function parseWeights(value: string): ScoringModel {
  const parsed = parseScoringWeights(value);
  if (parsed.model === null) throw new InvalidArgumentError(`评分办法有误:${parsed.problems.join("")}`);
  return parsed.model;
}
