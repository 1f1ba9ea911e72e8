// `taizhang extract FILE... [--format plan-json|xlsx|md] [--out DIR]`

import { mkdir } from "node:fs/promises";
import path from "node:path";
import { type Plan, parseDocument } from "@taizhang/core";
import { InputError, readInput, writeAtomic } from "./files.js";
import { planToMarkdown } from "./markdown-writer.js";
import { createProgress, formatDiagnostic } from "./report.js";
import { planToXlsx } from "./xlsx-writer.js";

export const FORMATS = ["plan-json", "xlsx", "md"] as const;
export type Format = (typeof FORMATS)[number];

export interface ExtractOptions {
  format: Format;
  out?: string;
  /** Show info diagnostics too. */
  verbose?: boolean;
}

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Runs the command; returns the exit code (0 all read, 1 some file could not be read). */
export async function runExtract(files: readonly string[], options: ExtractOptions, io: Io): Promise<number> {
  const results: { file: string; plans: Plan[] }[] = [];
  let failed = 0;
  const progress = createProgress(files.length);
  for (const [i, file] of files.entries()) {
    progress.tick(i, path.basename(file));
    const name = path.basename(file);
    try {
      const bytes = await readInput(file);
      const { plans, diagnostics } = await parseDocument(bytes, { source: name });
      for (const d of diagnostics) {
        if (d.severity !== "info" || options.verbose) io.stderr(formatDiagnostic(name, d));
      }
      if (plans.length === 0 || diagnostics.some((d) => d.severity === "error")) failed++;
      results.push({ file, plans });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      io.stderr(`${name}: 错误 ${error.message}`);
      failed++;
    }
  }
  progress.done();

  const plans = results.flatMap((r) => r.plans);
  if (options.out) {
    await mkdir(options.out, { recursive: true });
    for (const r of results) {
      if (r.plans.length === 0) continue;
      const base = path.join(options.out, path.basename(r.file).replace(/\.[^.]+$/, ""));
      await writeOutput(base, r.plans, options.format);
    }
  } else if (options.format === "plan-json") {
    io.stdout(JSON.stringify(plans, null, 2) + "\n");
  } else if (options.format === "md") {
    io.stdout(planToMarkdown(plans));
  } else if (plans.length > 0) {
    const base = path.join(process.cwd(), plans.length && results.length === 1 ? path.basename((results[0] as { file: string }).file).replace(/\.[^.]+$/, "") : "taizhang-plans");
    await writeOutput(base, plans, "xlsx");
    io.stderr(`已写入 ${base}.xlsx`);
  }
  return failed > 0 ? 1 : 0;
}

async function writeOutput(base: string, plans: Plan[], format: Format): Promise<void> {
  if (format === "plan-json") await writeAtomic(`${base}.plan.json`, JSON.stringify(plans, null, 2) + "\n");
  else if (format === "md") await writeAtomic(`${base}.md`, planToMarkdown(plans));
  else await writeAtomic(`${base}.xlsx`, await planToXlsx(plans));
}
