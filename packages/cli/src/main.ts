// The `taizhang` command. Every failure a user can cause ends in a Chinese message and an exit
// code (1, or 2 for a wrong command line), never a stack trace; anything else is 70.

import { Command, CommanderError, InvalidArgumentError } from "commander";
import { runBackup, runRestore } from "./backup-command.js";
import { BULLETIN_FORMATS, parseBulletinFormats, parseWeights, runAssess, runBulletin, type AssessOptions, type BulletinOptions } from "./bulletin-command.js";
import { FORMATS, type Format, runExtract } from "./extract-command.js";
import { runImport } from "./import-command.js";
import { CliError, parseId, type Env } from "./ledger.js";
import { runRemind, type RemindOptions } from "./remind-command.js";
import { runServe } from "./serve-command.js";
import { parseRole, runOrgAdd, runUserAdd, runUserDisabled, runUserPassword, type UserAddOptions } from "./user-command.js";

export async function main(argv: readonly string[], env: Env = process.env): Promise<number> {
  const io = {
    stdout: (text: string) => void process.stdout.write(text),
    stderr: (text: string) => void process.stderr.write(text.endsWith("\n") ? text : text + "\n"),
  };
  let code = 0;
  const program = new Command()
    .name("taizhang")
    .description("台账:把教育工作计划(工作要点、任务清单、任务分解方案)变成任务台账,并运行督办流程。")
    .addHelpText("after", "\n数据库:设置 DATABASE_URL 使用 PostgreSQL 服务器,否则使用数据文件夹 TAIZHANG_DATA(默认 ./data)。")
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

  program
    .command("serve")
    .description("启动台账服务(REST API);PORT、HOST 指定端口和地址(默认 127.0.0.1:3000),SIGTERM 或 Ctrl+C 停止")
    .option("--demo", "数据库中还没有单位体系时,载入演示数据(示例市教育局、演示账号、两份示例计划和办理记录)")
    .action(async (options: { demo?: boolean }) => {
      code = await runServe(options, io, env);
    });

  program
    .command("import")
    .description("抽取计划文件并导入台账,逐个文件列出复核摘要(计划、任务、单位匹配情况、抽取提示)")
    .argument("<files...>", "计划文件(Word、PDF、网页、Excel、CSV 或文本)")
    .option("--org <id>", "导入到哪个单位体系(教育局)的编号;只有一个时可省略", parseId)
    .option("-v, --verbose", "同时显示提示信息")
    .action(async (files: string[], options: { org?: number; verbose?: boolean }) => {
      code = await runImport(files, options, io, env);
    });

  const user = program.command("user").description("管理账号");
  user
    .command("add")
    .description("添加账号;密码取自环境变量 TAIZHANG_PASSWORD,或在终端中按提示输入(不回显)")
    .requiredOption("--login <login>", "登录名")
    .requiredOption("--name <name>", "姓名或显示名称")
    .requiredOption("--role <role>", "角色:admin(督查室)| leader(领导)| reporter(报送员)", parseRole)
    .option("--unit <name>", "所属单位的名称或别名(报送员必填)")
    .option("--org <id>", "单位体系(教育局)编号;只有一个时可省略", parseId)
    .action(async (options: UserAddOptions) => {
      code = await runUserAdd(options, io, env);
    });

  user
    .command("password")
    .description("修改账号密码(密码取自 TAIZHANG_PASSWORD 或终端输入);该账号此前的登录全部失效")
    .argument("<login>", "登录名")
    .action(async (login: string) => {
      code = await runUserPassword(login, io, env);
    });
  user
    .command("disable")
    .description("停用账号:不能再登录,已有登录立即失效;账号和它的报送、记录都保留")
    .argument("<login>", "登录名")
    .action(async (login: string) => {
      code = await runUserDisabled(login, true, io, env);
    });
  user
    .command("enable")
    .description("重新启用已停用的账号")
    .argument("<login>", "登录名")
    .action(async (login: string) => {
      code = await runUserDisabled(login, false, io, env);
    });

  const org = program.command("org").description("管理单位体系(教育局)");
  org
    .command("add")
    .description("创建单位体系(教育局)")
    .argument("<name>", "名称,如“衡阳市教育局”")
    .action(async (name: string) => {
      code = await runOrgAdd(name, io, env);
    });

  program
    .command("remind")
    .description("运行一次督办提醒(到期提醒、催办、督办及督办单),并通过已设置的渠道发送;taizhang serve 运行时每 5 分钟自动运行")
    .option("--dry-run", "只列出此刻应记录和发送的提醒,不记录、不发送")
    .option("--org <id>", "只处理这个单位体系(教育局);默认全部", parseId)
    .action(async (options: RemindOptions) => {
      code = await runRemind(options, io, env);
    });

  program
    .command("bulletin")
    .description("生成一个统计期的重点工作推进情况通报(Word 公文 .docx 和 Excel 数据表 .xlsx):各单位任务数、办结率、按时办结率、逾期、红灯事项、报送及时率、指标达成率和排名")
    .requiredOption("--period <period>", "统计期:月 2025-03、季度 2025-Q1、年 2025,或起止日期 2025-03-01~2025-03-15")
    .option("--org <id>", "单位体系(教育局)编号;只有一个时可省略", parseId)
    .option("--plan <id>", "只统计这个计划的任务(计划编号);默认全部计划", parseId)
    .option("-o, --out <dir>", "输出文件夹(默认当前文件夹)")
    .option("-f, --format <formats>", `输出格式:${BULLETIN_FORMATS.join("、")},可用逗号同时指定`, parseBulletinFormats, [...BULLETIN_FORMATS])
    .option("--doc-number <text>", "发文字号,如“示教督通〔2025〕3号”;默认留空待填")
    .action(async (options: BulletinOptions) => {
      code = await runBulletin(options, io, env);
    });

  program
    .command("assess")
    .description("按评分办法给各牵头单位打分,生成考核得分表 .xlsx(得分、评分办法、计分依据)")
    .requiredOption("--period <period>", "统计期:月 2025-03、季度 2025-Q1、年 2025,或起止日期 2025-03-01~2025-03-15")
    .option("--org <id>", "单位体系(教育局)编号;只有一个时可省略", parseId)
    .option("--plan <id>", "只统计这个计划的任务(计划编号);默认全部计划", parseId)
    .option("-o, --out <dir>", "输出文件夹(默认当前文件夹)")
    .option("--weights <weights>", "评分办法,如 办结率:30,按时办结率:30,指标达成率:20,报送及时率:20(合计100分;默认即此)", parseWeights)
    .action(async (options: AssessOptions) => {
      code = await runAssess(options, io, env);
    });

  program
    .command("backup")
    .description("把整个台账数据库备份到一个文件(一致的快照;先写临时文件再改名)")
    .argument("<file>", "备份文件")
    .action(async (file: string) => {
      code = await runBackup(file, io, env);
    });

  program
    .command("restore")
    .description("从备份文件恢复到一个空的数据库(不会覆盖已有数据)")
    .argument("<file>", "由 taizhang backup 生成的备份文件")
    .action(async (file: string) => {
      code = await runRestore(file, io, env);
    });

  try {
    await program.parseAsync(argv as string[]);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const known = userFacing(error);
    if (known) {
      io.stderr(`taizhang: ${known.message}`);
      return known.exitCode;
    }
    io.stderr(`taizhang: 内部错误:${error instanceof Error ? error.message : String(error)}`);
    io.stderr("这是程序的问题,不是您的文件的问题。请把这条信息和文件一起反馈给维护人员。");
    return 70;
  }
}

/** Errors meant for the person at the terminal: ours, the store's catalogue, a bad setting, a file. */
function userFacing(error: unknown): { message: string; exitCode: number } | undefined {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  if (!(error instanceof Error)) return undefined;
  // By name, not instanceof: the store and server may be loaded from their built copies.
  if (error.name === "StoreError" && "fix" in error) return { message: `${error.message}。${String(error.fix)}`, exitCode: 1 };
  if (error.name === "ServeConfigError") return { message: error.message, exitCode: 2 };
  if (error.name === "InputError" && "file" in error) return { message: `${String(error.file)}: ${error.message}`, exitCode: 1 };
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE") return { message: "端口已被占用:请关闭占用该端口的程序,或用 PORT 指定另一个端口。", exitCode: 1 };
  if (code === "EACCES" && (error as NodeJS.ErrnoException).syscall === "listen") return { message: "没有权限监听这个端口(1024 以下的端口需要管理员权限),请用 PORT 指定另一个端口。", exitCode: 1 };
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") return { message: "HOST 指定的地址在本机不可用,请检查 HOST。", exitCode: 1 };
  return undefined;
}

function parseFormat(value: string): Format {
  if ((FORMATS as readonly string[]).includes(value)) return value as Format;
  throw new InvalidArgumentError(`不支持的格式“${value}”,可选:${FORMATS.join("、")}。`);
}
