// 操作记录: everything done to the task and its reports, from the audit trail, in a panel that
// loads when opened. A workflow step is stored twice (the row's change and the event); it is shown
// once, at the event's time, with what changed.
import { Collapse, Empty, Flex, Spin, Table, Typography } from "antd";
import { useState } from "react";
import { api } from "../api.js";
import type { AuditRecord, User } from "../api-types.js";
import { formatInstant } from "../format.js";
import { AUDIT_FIELDS, AUDIT_LABELS, ROLE_LABELS } from "../labels.js";
import { notifyError } from "../notify.js";
import { useSession } from "../session.js";
import { useNarrow } from "../use-narrow.js";
import { useUnits, type Units } from "../use-units.js";

interface Entry {
  id: number;
  at: string;
  actor: string;
  action: string;
  changes: string[];
}

type Snapshot = Record<string, unknown>;

function snapshot(value: unknown): Snapshot | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Snapshot) : undefined;
}

function shown(field: string, value: unknown, units: Units): string {
  if (value === null || value === undefined || value === "") return "—";
  if (field === "leadUnitId" && typeof value === "number") return units.name(value);
  if (field === "percent") return `${String(value)}%`;
  return String(value);
}

/** Row changes that the workflow records with an event right after (not edits, not cadences). */
const STEP_WITH_EVENT = /^task\.(?!edit$|cadence$)/;
/** The report's own record, written just before the task's step that files it. */
const REPORT_CONTENT = "report.submit";

/** The trail as the page lists it: one entry per step, oldest first. */
export function auditEntries(records: AuditRecord[], names: Map<number, string>, units: Units): Entry[] {
  const entries: (Entry & { actorId: number | null; awaitsEvent: boolean })[] = [];
  // What a report said (period, percent), shown with the step that files it.
  let carried: { actorId: number | null; changes: string[] } | undefined;
  for (const record of records) {
    const before = snapshot(record.before);
    const after = snapshot(record.after);
    const isEvent = before === undefined && after !== undefined && after.type === record.action;
    const previous = entries.at(-1);
    if (isEvent && previous?.awaitsEvent && previous.actorId === record.actorId) {
      // The event of the change just listed: its time is the step's, its reason worth showing.
      if (typeof after.at === "string") previous.at = after.at;
      for (const field of ["reason", "requestedDate"]) if (after[field]) previous.changes.push(`${AUDIT_FIELDS[field]}:${shown(field, after[field], units)}`);
      previous.awaitsEvent = false;
      continue;
    }
    const role = typeof after?.actorRole === "string" ? (ROLE_LABELS as Record<string, string | undefined>)[after.actorRole] : undefined;
    const actor = record.actorId === null ? "系统" : (names.get(record.actorId) ?? role ?? `用户 ${record.actorId}`);
    const changes: string[] = [];
    for (const [field, label] of Object.entries(AUDIT_FIELDS)) {
      const old = before?.[field];
      const now = after?.[field];
      if (before !== undefined) {
        if (old !== now && (old !== undefined || now !== undefined)) changes.push(`${label}:${shown(field, old, units)} → ${shown(field, now, units)}`);
      } else if (now !== undefined && field !== "status") changes.push(`${label}:${shown(field, now, units)}`);
    }
    if (record.action === REPORT_CONTENT) {
      carried = { actorId: record.actorId, changes };
      continue;
    }
    if (carried && carried.actorId === record.actorId) changes.unshift(...carried.changes);
    carried = undefined;
    entries.push({
      id: entries.length,
      at: isEvent && typeof after.at === "string" ? after.at : record.at,
      actor,
      action: AUDIT_LABELS[record.action] ?? record.action,
      changes,
      actorId: record.actorId,
      awaitsEvent: !isEvent && before !== undefined && STEP_WITH_EVENT.test(record.action),
    });
  }
  return entries.map(({ id, at, actor, action, changes }) => ({ id, at, actor, action, changes }));
}

export function AuditPanel({ taskId }: { taskId: number }) {
  const session = useSession();
  const units = useUnits();
  const narrow = useNarrow();
  const [records, setRecords] = useState<{ trail: AuditRecord[]; names: Map<number, string> } | null>(null);
  const [loading, setLoading] = useState(false);

  const load = async () => {
    if (records || loading) return;
    setLoading(true);
    try {
      // Only the office may list users; others see roles instead of names.
      const [trail, users] = await Promise.all([api.tasks.audit(taskId), session.role === "admin" ? api.users.list() : Promise.resolve([] as User[])]);
      setRecords({ trail, names: new Map(users.map((user) => [user.id, user.displayName])) });
    } catch (error) {
      notifyError(error, "操作记录没有读取");
    } finally {
      setLoading(false);
    }
  };

  const entries = records ? auditEntries(records.trail, records.names, units) : [];
  const body = loading ? (
    <Spin />
  ) : entries.length === 0 ? (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有操作记录" />
  ) : narrow ? (
    <Flex vertical gap={10}>
      {entries.map((entry) => (
        <div key={entry.id}>
          <Typography.Text strong>{entry.action}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {" "}
            {formatInstant(entry.at)} · {entry.actor}
          </Typography.Text>
          {entry.changes.map((change) => (
            <div key={change} style={{ fontSize: 13 }}>
              {change}
            </div>
          ))}
        </div>
      ))}
    </Flex>
  ) : (
    <Table<Entry>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={entries}
      columns={[
        { title: "时间", dataIndex: "at", width: 150, render: (at: string) => formatInstant(at) },
        { title: "操作人", dataIndex: "actor", width: 160 },
        { title: "操作", dataIndex: "action", width: 120 },
        { title: "变化", dataIndex: "changes", render: (changes: string[]) => changes.map((change) => <div key={change}>{change}</div>) },
      ]}
    />
  );

  return (
    <Collapse
      onChange={(keys) => {
        if (keys.length > 0) void load();
      }}
      items={[{ key: "audit", label: "操作记录", children: body }]}
    />
  );
}
