// 我的任务: a unit's working page. What needs doing now comes first: tasks to sign, periods to
// report (late ones on top), reports waiting for the office, then the rest. Built for a phone:
// cards, not a table. The report form opens over the list.
import { Button, Card, Col, Collapse, Empty, Flex, Row, Skeleton, Statistic, Tag, Typography } from "antd";
import { useMemo, useState } from "react";
import { api } from "../api.js";
import type { LedgerRow, TaskDetail } from "../api-types.js";
import { TaskCard } from "../components/task-card.js";
import { bureauToday } from "../format.js";
import { notifySuccess, notifyError } from "../notify.js";
import { ReportDrawer } from "../report/report-drawer.js";
import { reportingNeeds, type ReportPeriod } from "../report/report-periods.js";
import { navigate } from "../router.js";
import { useSession } from "../session.js";
import { taskButtons } from "../task/task-rules.js";
import { useLoad } from "../use-load.js";
import { useNarrow } from "../use-narrow.js";
import { leadUnitName, useUnits } from "../use-units.js";

/** A reporter's tasks fit in one page of the ledger. */
const ALL_MINE = { limit: 500, offset: 0 };
/** Details load a few at a time: a unit has tens of tasks, not thousands. */
const PARALLEL_DETAILS = 4;
const WORKING = new Set(["已签收", "办理中", "待审核"]);

interface Mine {
  rows: LedgerRow[];
  details: Map<number, TaskDetail>;
}

async function loadMine(): Promise<Mine> {
  const page = await api.tasks.list({}, ALL_MINE);
  const working = page.items.filter((row) => WORKING.has(row.status));
  const details = new Map<number, TaskDetail>();
  for (let from = 0; from < working.length; from += PARALLEL_DETAILS) {
    const batch = await Promise.all(working.slice(from, from + PARALLEL_DETAILS).map((row) => api.tasks.get(row.id)));
    for (const detail of batch) details.set(detail.id, detail);
  }
  return { rows: page.items, details };
}

type Group = "sign" | "report" | "review" | "working" | "done";

const GROUPS: { key: Group; title: string; hint: string }[] = [
  { key: "report", title: "本期待报送", hint: "逾期和被退回的排在前面" },
  { key: "sign", title: "待签收", hint: "督查室已交办,请签收后开始办理" },
  { key: "review", title: "已报送,待审核", hint: "督查室审核后会显示结果" },
  { key: "working", title: "其他在办任务", hint: "" },
  { key: "done", title: "已办结、中止或未交办", hint: "" },
];

interface Item {
  row: LedgerRow;
  detail?: TaskDetail;
  open: ReportPeriod[];
}

function groupOf(item: Item): Group {
  const { row, open } = item;
  if (row.status === "已交办") return "sign";
  if (row.status === "已签收") return "report";
  if (WORKING.has(row.status) && open.length > 0 && !(item.detail?.reports ?? []).some((report) => report.reviewState === "待审核" && report.final)) return "report";
  if (row.status === "待审核") return "review";
  if (WORKING.has(row.status)) return "working";
  return "done";
}

export default function MyTasksPage() {
  const session = useSession();
  const narrow = useNarrow();
  const units = useUnits();
  const mine = useLoad(loadMine, []);
  const [reportingTask, setReportingTask] = useState<TaskDetail | null>(null);
  const [busyTask, setBusyTask] = useState<number | null>(null);
  const today = bureauToday();

  const groups = useMemo(() => {
    const byGroup = new Map<Group, Item[]>(GROUPS.map((group) => [group.key, []]));
    for (const row of mine.data?.rows ?? []) {
      const detail = mine.data?.details.get(row.id);
      const item: Item = { row, detail, open: detail ? reportingNeeds(detail, today).open : [] };
      byGroup.get(groupOf(item))?.push(item);
    }
    // Late first, then by due date.
    byGroup.get("report")?.sort((a, b) => Number(b.open.some((p) => p.state !== "due")) - Number(a.open.some((p) => p.state !== "due")) || (a.row.dueDate ?? "9999").localeCompare(b.row.dueDate ?? "9999"));
    return byGroup;
  }, [mine.data, today]);

  const act = async (row: LedgerRow, type: "sign" | "start") => {
    setBusyTask(row.id);
    try {
      await api.tasks.act(row.id, row.version, { type });
      notifySuccess(type === "sign" ? "已签收" : "已开始办理");
    } catch (error) {
      notifyError(error, type === "sign" ? "签收没有完成" : "开始办理没有完成");
    } finally {
      setBusyTask(null);
      await mine.reload();
    }
  };

  if (mine.loading && !mine.data) return <Skeleton active paragraph={{ rows: 8 }} />;
  const count = (group: Group) => groups.get(group)?.length ?? 0;
  const late = (groups.get("report") ?? []).filter((item) => item.open.some((period) => period.state === "late" || period.state === "returned")).length;

  const card = ({ row, detail, open }: Item) => {
    const buttons = detail ? taskButtons(detail, session.role, today) : new Set<string>();
    const note =
      open.length > 0 ? (
        <Flex gap={4} wrap>
          {open.map((period) => (
            <Tag key={period.id} color={period.state === "late" ? "red" : period.state === "returned" ? "volcano" : "blue"} style={{ marginInlineEnd: 0 }}>
              {period.label}
              {period.state === "late" ? " 已逾期" : period.state === "returned" ? " 被退回" : period.due ? ` ${period.due} 前` : " 待报送"}
            </Tag>
          ))}
        </Flex>
      ) : row.light.reasons.length > 0 && row.light.light !== "grey" ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {row.light.reasons.map((reason) => reason.message).join(" ")}
        </Typography.Text>
      ) : undefined;
    const actions = (
      <>
        {row.status === "已交办" && (
          <Button type="primary" size="small" loading={busyTask === row.id} onClick={() => void act(row, "sign")}>
            签收
          </Button>
        )}
        {row.status === "已签收" && (
          <Button type="primary" size="small" loading={busyTask === row.id} onClick={() => void act(row, "start")}>
            开始办理
          </Button>
        )}
        {detail && buttons.has("submit_report") && (
          <Button type={open.length > 0 ? "primary" : "default"} size="small" onClick={() => setReportingTask(detail)}>
            填报进展
          </Button>
        )}
        <Button size="small" onClick={() => navigate(`/tasks/${row.id}`)}>
          查看
        </Button>
      </>
    );
    return <TaskCard key={row.id} task={row} leadUnit={narrow ? undefined : leadUnitName(units, row)} note={note} actions={actions} />;
  };

  const list = (items: Item[]) => (
    <Row gutter={[12, 12]}>
      {items.map((item) => (
        <Col key={item.row.id} xs={24} md={12} xl={8}>
          {card(item)}
        </Col>
      ))}
    </Row>
  );

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="baseline" wrap gap={8}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          我的任务
        </Typography.Title>
        <Typography.Text type="secondary">{session.unitName}</Typography.Text>
      </Flex>
      <Row gutter={[12, 12]}>
        <Col xs={8}>
          <Card size="small">
            <Statistic title="本期待报送" value={count("report")} />
          </Card>
        </Col>
        <Col xs={8}>
          <Card size="small">
            <Statistic title="逾期或退回" value={late} styles={{ content: { color: late > 0 ? "#cf1322" : undefined } }} />
          </Card>
        </Col>
        <Col xs={8}>
          <Card size="small">
            <Statistic title="待签收" value={count("sign")} />
          </Card>
        </Col>
      </Row>
      {(mine.data?.rows.length ?? 0) === 0 && <Empty description="本单位还没有交办的任务" />}
      {GROUPS.filter((group) => group.key !== "done" && count(group.key) > 0).map((group) => (
        <section key={group.key} data-group={group.key}>
          <Flex align="baseline" gap={8} style={{ marginBottom: 8 }}>
            <Typography.Title level={5} style={{ margin: 0 }}>
              {group.title}({count(group.key)})
            </Typography.Title>
            {group.hint && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {group.hint}
              </Typography.Text>
            )}
          </Flex>
          {list(groups.get(group.key) ?? [])}
        </section>
      ))}
      {count("done") > 0 && (
        <Collapse
          size="small"
          items={[{ key: "done", label: `已办结、中止或未交办(${count("done")})`, children: list(groups.get("done") ?? []) }]}
        />
      )}
      {reportingTask && (
        <ReportDrawer
          task={reportingTask}
          open
          onClose={() => setReportingTask(null)}
          onSubmitted={() => {
            setReportingTask(null);
            void mine.reload();
          }}
        />
      )}
    </Flex>
  );
}
