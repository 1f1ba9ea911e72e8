// `taizhang import FILE... [--org ID]`: extracts each file's plans and loads them into the ledger
// as the office would through the API (all of a file's plans or none), then prints a summary to
// review: plans and versions, tasks, unit names matched and not, and what extraction noticed.
// Each file is its own transaction, so one bad file does not undo the others.
import { createHash } from "node:crypto";
import path from "node:path";
import { parseDocument } from "@taizhang/core";
import { importPlan, inTransaction, type ImportPlanResult } from "@taizhang/store";
import type { Io } from "./extract-command.js";
import { InputError, readInput } from "./files.js";
import { pickOrganisation, withLedger, type Db, type Env } from "./ledger.js";
import { createProgress, formatDiagnostic } from "./report.js";

export interface ImportOptions {
  org?: number;
  verbose?: boolean;
}

/** Exit code 0 when every file was imported, 1 when one could not be. */
export async function runImport(files: readonly string[], options: ImportOptions, io: Io, env: Env): Promise<number> {
  return withLedger(env, async (db) => {
    const organisation = await pickOrganisation(db, options.org);
    io.stdout(`导入到:${organisation.name}(编号 ${organisation.id})\n`);
    let failed = 0;
    const progress = createProgress(files.length);
    for (const [index, file] of files.entries()) {
      progress.tick(index, path.basename(file));
      const lines = await importFile(db, organisation.id, file, options).catch((error: unknown) => {
        if (error instanceof InputError) return { ok: false, lines: [`${path.basename(file)}: 错误 ${error.message}`] };
        throw error;
      });
      progress.done();
      if (!lines.ok) {
        failed++;
        for (const line of lines.lines) io.stderr(line);
      } else {
        io.stdout(lines.lines.map((line) => `${line}\n`).join(""));
      }
    }
    if (files.length > 1) io.stdout(`共 ${files.length} 个文件:导入 ${files.length - failed} 个${failed > 0 ? `,失败 ${failed} 个` : ""}。\n`);
    return failed > 0 ? 1 : 0;
  });
}

async function importFile(db: Db, organisationId: number, file: string, options: ImportOptions): Promise<{ ok: boolean; lines: string[] }> {
  const name = path.basename(file);
  const bytes = await readInput(file);
  const parsed = await parseDocument(bytes, { source: name });
  const notes = parsed.diagnostics.filter((d) => d.severity !== "info" || options.verbose).map((d) => `  ${formatDiagnostic(name, d)}`);
  if (parsed.plans.length === 0) {
    const reason = parsed.diagnostics.find((d) => d.severity === "error") ?? parsed.diagnostics[0];
    return { ok: false, lines: [`${name}: 错误 没有从文件中读出计划${reason ? `:${reason.message}` : "。"}未导入。`, ...notes] };
  }
  const sourceHash = createHash("sha256").update(bytes).digest("hex");
  const format = parsed.format ?? "text";
  const results = await inTransaction(db, async (trx) => {
    const imported: (ImportPlanResult & { title: string })[] = [];
    for (const plan of parsed.plans) {
      imported.push({ ...(await importPlan(trx, { organisationId, plan, sourceText: parsed.text, sourceBytesHash: sourceHash, format, actorId: null })), title: plan.title });
    }
    return imported;
  });
  const tasks = results.reduce((sum, plan) => sum + plan.tasks, 0);
  const lines = [`${name}:导入 ${results.length} 份计划,${tasks} 项任务`];
  for (const plan of results) {
    const unmatched = plan.unmatchedUnitNames;
    lines.push(
      `  《${plan.title}》 计划编号 ${plan.planId},第 ${plan.version} 版${plan.version > 1 ? "(同一来源再次导入,旧版本保留)" : ""}`,
      `    ${plan.sections} 个章节,${plan.tasks} 项任务,${plan.milestones} 个时间节点,${plan.kpis} 个量化指标`,
      `    责任单位 ${plan.taskUnits} 处:${unmatched.length === 0 ? "名称全部与单位匹配" : `${unmatched.length} 个名称没有匹配的单位:${unmatched.join("、")}`}`,
    );
  }
  if (results.some((plan) => plan.unmatchedUnitNames.length > 0)) lines.push("  请在单位管理中添加这些单位或别名,再重新导入(成为新版本)。");
  if (notes.length > 0) lines.push(`  抽取提示 ${notes.length} 条:`, ...notes.map((note) => `  ${note}`));
  return { ok: true, lines };
}
