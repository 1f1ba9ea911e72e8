// The `taizhang` command. Every failure a user can cause ends in a Chinese message and an exit
// code, never a stack trace.

import { Command, CommanderError, InvalidArgumentError } from "commander";
import { FORMATS, type Format, runExtract } from "./extract-command.js";

export async function main(argv: readonly string[]): Promise<number> {
  const io = {
    stdout: (text: string) => void process.stdout.write(text),
    stderr: (text: string) => void process.stderr.write(text.endsWith("\n") ? text : text + "\n"),
  };
  let code = 0;
  const program = new Command()
    .name("taizhang")
    .description("台账:把教育工作计划(工作要点、任务清单、任务分解方案)变成任务台账。")
    .exitOverride()
    .configureOutput({ writeErr: (s) => io.stderr(s), writeOut: (s) => io.stdout(s) });

  program
    .command("extract")
    .description("从计划文件中抽取任务、责任单位、完成时限和量化目标")
    .argument("<files...>", "计划文件(.txt,任意中文编码)")
    .option("-f, --format <format>", `输出格式:${FORMATS.join(" | ")}`, parseFormat, "plan-json" as Format)
    .option("-o, --out <dir>", "输出到文件夹(每个输入文件一个输出文件);不指定则输出到标准输出")
    .option("-v, --verbose", "同时显示提示信息")
    .action(async (files: string[], options: { format: Format; out?: string; verbose?: boolean }) => {
      code = await runExtract(files, options, io);
    });

  try {
    await program.parseAsync(argv as string[]);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    io.stderr(`taizhang: 内部错误:${error instanceof Error ? error.message : String(error)}`);
    io.stderr("这是程序的问题,不是您的文件的问题。请把这条信息和文件一起反馈给维护人员。");
    return 70;
  }
}

function parseFormat(value: string): Format {
  if ((FORMATS as readonly string[]).includes(value)) return value as Format;
  throw new InvalidArgumentError(`不支持的格式“${value}”,可选:${FORMATS.join("、")}。`);
}
