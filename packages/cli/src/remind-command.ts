// `taizhang remind [--dry-run] [--org ID]`: the supervision scheduler by hand. With --dry-run it
// prints what a run now would record and send (per task: the kind of notice, who it goes to,
// its title and channels) and writes nothing; without, it runs once, as `taizhang serve` does
// every few minutes, and prints what it did. Safe beside running servers: a notice or delivery
// another instance has already taken is not taken again.
import { bureauDay, chineseDate, type NoticeAudience, type NoticeKind } from "@taizhang/core";
import { createScheduler, dueNotices, type DueNotice } from "@taizhang/server";
import { countDueDeliveries, listOrganisations, type Organisation } from "@taizhang/store";
import type { Io } from "./extract-command.js";
import { pickOrganisation, withLedger, type Db, type Env } from "./ledger.js";

export interface RemindOptions {
  dryRun?: boolean;
  org?: number;
}

const KIND_NAMES: { readonly [K in NoticeKind]: string } = {
  due_reminder: "到期提醒",
  period_reminder: "报送提醒",
  overdue: "催办",
  escalation_leader: "督办",
  escalation_office: "逾期督办",
};

export async function runRemind(options: RemindOptions, io: Io, env: Env): Promise<number> {
  const line = (text: string): void => io.stdout(`${text}\n`);
  return withLedger(env, async (db) => {
    const organisations = await organisationsOf(db, options.org);
    const now = new Date();
    if (options.dryRun) {
      line(`试运行(不记录、不发送):${chineseDate(bureauDay(now))} ${clockTime(now)} 此刻应发出的督办提醒`);
      for (const organisation of organisations) {
        const due = await dueNotices(db, organisation.id, now);
        const retries = await countDueDeliveries(db, { now, organisationId: organisation.id });
        for (const text of dryRunLines(organisation, due, retries)) line(text);
      }
      return 0;
    }
    const scheduler = createScheduler({ db, ...(options.org !== undefined && { organisationId: options.org }) });
    const result = await scheduler.tick(now);
    line(
      `已运行督办提醒:新记录 ${result.recorded} 条(其中督办单 ${result.supervisionNotices} 份);` +
        `发送成功 ${result.sent} 次,失败 ${result.failed} 次,待稍后重试 ${result.retrying} 次。`,
    );
    if (result.failed > 0) line("发送失败的原因已记录在发送记录中,请检查发送渠道的设置。");
    return 0;
  });
}

/** The one --org names, or every organisation (a run covers them all). */
async function organisationsOf(db: Db, id: number | undefined): Promise<Organisation[]> {
  if (id !== undefined) return [await pickOrganisation(db, id)];
  const organisations = await listOrganisations(db);
  // No organisation at all: pickOrganisation says what to do about it.
  if (organisations.length === 0) return [await pickOrganisation(db, undefined)];
  return organisations;
}

function dryRunLines(organisation: Organisation, due: readonly DueNotice[], retries: number): string[] {
  const sends = due.reduce((sum, item) => sum + item.channels.length, 0) + retries;
  const numbered = due.filter((item) => item.notice.supervisionNotice !== null).length;
  const head = `${organisation.name}:将记录 ${due.length} 条提醒${numbered > 0 ? `(其中督办单 ${numbered} 份,编号在记录时给出)` : ""},将发送 ${sends} 次${retries > 0 ? `(含到期重试 ${retries} 次)` : ""}。`;
  if (due.length === 0) return [head];
  const lines = [head];
  let task: string | undefined;
  for (const item of due) {
    const { notice } = item;
    if (notice.taskId !== task) {
      task = notice.taskId;
      lines.push(`  任务${item.taskNumber ? ` 第${item.taskNumber}项` : ""}(编号 ${notice.taskId})`);
    }
    const channels = item.channels.length > 0 ? `渠道:${item.channels.join("、")}` : "仅站内消息";
    lines.push(`    ${KIND_NAMES[notice.kind]} → ${audienceName(notice.audience, item.unitNames)}:${notice.title}(${channels})`);
  }
  return lines;
}

function audienceName(audience: NoticeAudience, unitNames: readonly string[]): string {
  const units = unitNames.join("、");
  switch (audience) {
    case "unit":
      return units;
    case "unit_leader":
      return `${units}负责同志`;
    case "office":
      return "督查室";
  }
}

/** "09:05", Beijing time. */
function clockTime(now: Date): string {
  return new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit", hour12: false }).format(now);
}
