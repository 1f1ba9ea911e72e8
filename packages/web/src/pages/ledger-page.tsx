// 任务台账: every task the user may see, filtered by plan, section, unit, status, light and text,
// a page at a time from the server. The filters live in the address (a cockpit chart links here
// with them; a filtered ledger can be sent to a colleague). The office selects tasks and
// dispatches them in one go (批量交办), and exports what is filtered as 任务分解表.
import { DownloadOutlined, ReloadOutlined, SendOutlined } from "@ant-design/icons";
import { App, Button, Card, Flex, Input, Pagination, Select, Space, Table, Tag, TreeSelect, Typography, type TableColumnsType } from "antd";
import { useMemo, useState } from "react";
import { api, taskExportUrl } from "../api.js";
import type { LedgerRow, Light, TaskFilters, TaskStatus } from "../api-types.js";
import { LightTag } from "../components/light-tag.js";
import { StatusTag } from "../components/status-tag.js";
import { TaskCard } from "../components/task-card.js";
import { DispatchModal, type DispatchValues } from "../components/dispatch-modal.js";
import { formatDate } from "../format.js";
import { LIGHTS, LIGHT_LABELS, TASK_STATUSES } from "../labels.js";
import { describeError, notifySuccess } from "../notify.js";
import { Link, navigate, pathWithQuery, useLocation } from "../router.js";
import { useSession } from "../session.js";
import { useLoad } from "../use-load.js";
import { useNarrow } from "../use-narrow.js";
import { leadUnitName, unitOptions, useUnits } from "../use-units.js";

const PAGE_SIZES = [20, 50, 100];
const DEFAULT_PAGE_SIZE = 20;
const LIGHT_ORDER: Record<Light, number> = { red: 0, yellow: 1, green: 2, grey: 3 };

interface LedgerQuery {
  filters: TaskFilters;
  page: number;
  size: number;
}

function readQuery(query: URLSearchParams): LedgerQuery {
  const number = (name: string) => {
    const value = Number(query.get(name));
    return Number.isInteger(value) && value > 0 ? value : undefined;
  };
  const text = (name: string) => query.get(name)?.trim() || undefined;
  const date = (name: string) => {
    const value = text(name);
    return value !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : undefined;
  };
  const status = text("status");
  const light = text("light");
  const filters: TaskFilters = {
    plan: number("plan"),
    unit: number("unit"),
    lead_unit: number("lead_unit"),
    status: TASK_STATUSES.includes(status as TaskStatus) ? (status as TaskStatus) : undefined,
    light: LIGHTS.includes(light as Light) ? (light as Light) : undefined,
    section: text("section"),
    q: text("q"),
    due_before: date("due_before"),
    due_after: date("due_after"),
  };
  return { filters, page: number("page") ?? 1, size: PAGE_SIZES.includes(number("size") ?? 0) ? (number("size") as number) : DEFAULT_PAGE_SIZE };
}

export default function LedgerPage() {
  const session = useSession();
  const narrow = useNarrow();
  const units = useUnits();
  const location = useLocation();
  const { filters, page, size } = useMemo(() => readQuery(new URLSearchParams(location.search)), [location.search]);
  const isAdmin = session.role === "admin";
  const { modal } = App.useApp();

  const tasks = useLoad(() => api.tasks.list(filters, { limit: size, offset: (page - 1) * size }), [JSON.stringify(filters), page, size]);
  const plans = useLoad(() => api.plans.list(), []);
  const plan = useLoad(() => (filters.plan === undefined ? Promise.resolve(undefined) : api.plans.get(filters.plan)), [filters.plan]);

  const [selected, setSelected] = useState<LedgerRow[]>([]);
  const [dispatching, setDispatching] = useState(false);
  const [busy, setBusy] = useState(false);

  /** New filters start again at page 1; the page size stays. */
  const setFilters = (changes: Partial<TaskFilters>) => {
    const next = { ...filters, ...changes };
    if ("plan" in changes && changes.plan !== filters.plan) next.section = undefined;
    navigate(pathWithQuery(location.pathname, { ...next, size: size === DEFAULT_PAGE_SIZE ? undefined : size }), { replace: true });
    setSelected([]);
  };
  const setPage = (nextPage: number, nextSize: number) => {
    navigate(pathWithQuery(location.pathname, { ...filters, page: nextPage === 1 ? undefined : nextPage, size: nextSize === DEFAULT_PAGE_SIZE ? undefined : nextSize }));
  };

  const rows = tasks.data?.items ?? [];
  // The API says whether more follow, not how many: the pager offers one page beyond this one.
  const total = (page - 1) * size + rows.length + (tasks.data?.hasMore ? 1 : 0);

  const dispatchSelected = async (values: DispatchValues) => {
    setBusy(true);
    const failures: { row: LedgerRow; message: string }[] = [];
    for (const row of selected) {
      try {
        await api.tasks.act(row.id, row.version, { type: "dispatch", ...values });
      } catch (error) {
        const { message, fix } = describeError(error);
        failures.push({ row, message: [message, fix].filter(Boolean).join(":") });
      }
    }
    setBusy(false);
    setDispatching(false);
    const done = selected.length - failures.length;
    if (done > 0) notifySuccess(`已交办 ${done} 项任务`);
    if (failures.length > 0) {
      modal.warning({
        title: `${failures.length} 项任务没有交办`,
        width: 560,
        content: (
          <ul style={{ paddingInlineStart: 18, margin: 0 }}>
            {failures.map(({ row, message }) => (
              <li key={row.id}>
                第 {row.number} 项 {row.title}:{message}
              </li>
            ))}
          </ul>
        ),
      });
    }
    setSelected(failures.map((failure) => failure.row));
    await tasks.reload();
  };

  const columns: TableColumnsType<LedgerRow> = [
    { title: "编号", dataIndex: "number", width: 72, sorter: (a, b) => a.planId - b.planId || a.ordinal - b.ordinal },
    {
      title: "任务",
      dataIndex: "title",
      render: (_, row) => (
        <Link to={`/tasks/${row.id}`} onClick={(event) => event.stopPropagation()}>
          {row.title}
        </Link>
      ),
      sorter: (a, b) => a.title.localeCompare(b.title, "zh-CN"),
    },
    { title: "计划", dataIndex: "planTitle", ellipsis: true, width: 160, responsive: ["xl"], sorter: (a, b) => a.planTitle.localeCompare(b.planTitle, "zh-CN") },
    {
      title: "章节",
      key: "section",
      ellipsis: true,
      width: 150,
      responsive: ["lg"],
      render: (_, row) => (row.sectionPath ? `${row.sectionPath} ${row.sectionTitle ?? ""}` : "—"),
      sorter: (a, b) => (a.sectionPath ?? "").localeCompare(b.sectionPath ?? "", "zh-CN"),
    },
    { title: "牵头单位", key: "lead", width: 112, ellipsis: true, render: (_, row) => leadUnitName(units, row), sorter: (a, b) => leadUnitName(units, a).localeCompare(leadUnitName(units, b), "zh-CN") },
    { title: "状态", dataIndex: "status", width: 96, render: (status: TaskStatus) => <StatusTag status={status} />, sorter: (a, b) => TASK_STATUSES.indexOf(a.status) - TASK_STATUSES.indexOf(b.status) },
    { title: "灯色", key: "light", width: 88, render: (_, row) => <LightTag light={row.light} />, sorter: (a, b) => LIGHT_ORDER[a.light.light] - LIGHT_ORDER[b.light.light] },
    {
      title: "办理期限",
      dataIndex: "dueDate",
      width: 112,
      render: (due: string | null) => formatDate(due),
      sorter: (a, b) => (a.dueDate ?? "9999").localeCompare(b.dueDate ?? "9999"),
    },
  ];

  const unitTree = useMemo(() => unitOptions(units.tree), [units]);
  const filterBar = (
    <Flex wrap gap={8} style={{ marginBottom: 12 }}>
      <Select
        aria-label="计划"
        placeholder="全部计划"
        allowClear
        style={{ width: narrow ? "100%" : 260 }}
        value={filters.plan}
        options={(plans.data ?? []).map((version) => ({ value: version.planId, label: version.title }))}
        onChange={(plan?: number) => setFilters({ plan })}
      />
      <Select
        aria-label="章节"
        placeholder={filters.plan === undefined ? "先选计划再选章节" : "全部章节"}
        allowClear
        disabled={filters.plan === undefined}
        style={{ width: narrow ? "100%" : 220 }}
        value={filters.section}
        options={(plan.data?.sections ?? []).map((section) => ({ value: section.path, label: `${section.path} ${section.title}` }))}
        onChange={(section?: string) => setFilters({ section })}
      />
      {session.role !== "reporter" && (
        <TreeSelect
          aria-label="单位"
          placeholder="全部单位"
          allowClear
          style={{ width: narrow ? "100%" : 180 }}
          value={filters.unit}
          treeData={unitTree}
          treeDefaultExpandAll
          showSearch={{ treeNodeFilterProp: "title" }}
          onChange={(unit?: number) => setFilters({ unit })}
        />
      )}
      <Select
        aria-label="状态"
        placeholder="全部状态"
        allowClear
        style={{ width: narrow ? "calc(50% - 4px)" : 120 }}
        value={filters.status}
        options={TASK_STATUSES.map((status) => ({ value: status, label: status }))}
        onChange={(status?: TaskStatus) => setFilters({ status })}
      />
      <Select
        aria-label="灯色"
        placeholder="全部灯色"
        allowClear
        style={{ width: narrow ? "calc(50% - 4px)" : 120 }}
        value={filters.light}
        options={LIGHTS.map((light) => ({ value: light, label: LIGHT_LABELS[light] }))}
        onChange={(light?: Light) => setFilters({ light })}
      />
      <Input.Search
        aria-label="搜索"
        placeholder="标题或编号"
        allowClear
        defaultValue={filters.q}
        key={filters.q ?? ""}
        style={{ width: narrow ? "100%" : 220 }}
        onSearch={(q) => setFilters({ q: q.trim() || undefined })}
      />
      {filters.lead_unit !== undefined && (
        // From the cockpit's bars, which count tasks by their lead unit.
        <Tag closable onClose={() => setFilters({ lead_unit: undefined })}>
          牵头单位 {units.name(filters.lead_unit)}
        </Tag>
      )}
      {(filters.due_after !== undefined || filters.due_before !== undefined) && (
        // From the cockpit's calendar: the due dates asked for, removable like any filter.
        <Tag closable onClose={() => setFilters({ due_after: undefined, due_before: undefined })}>
          办理期限 {filters.due_after === filters.due_before ? filters.due_after : `${filters.due_after ?? "…"} 至 ${filters.due_before ?? "…"}`}
        </Tag>
      )}
    </Flex>
  );

  const toolbar = (
    <Space wrap>
      {isAdmin && (
        <Button type="primary" icon={<SendOutlined />} disabled={selected.length === 0} onClick={() => setDispatching(true)}>
          批量交办{selected.length > 0 ? `(${selected.length})` : ""}
        </Button>
      )}
      <Button icon={<DownloadOutlined />} href={taskExportUrl(filters)} download>
        导出任务分解表
      </Button>
      <Button icon={<ReloadOutlined />} onClick={() => void tasks.reload()} aria-label="刷新" />
    </Space>
  );

  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          任务台账
        </Typography.Title>
      }
      extra={narrow ? undefined : toolbar}
      styles={{ body: { padding: narrow ? 12 : 24 } }}
    >
      {filterBar}
      {narrow && <div style={{ marginBottom: 12 }}>{toolbar}</div>}
      {narrow ? (
        <Flex vertical gap={8}>
          {rows.map((row) => (
            <TaskCard key={row.id} task={row} leadUnit={leadUnitName(units, row)} />
          ))}
          {!tasks.loading && rows.length === 0 && <Typography.Text type="secondary">没有符合条件的任务</Typography.Text>}
          <Pagination simple current={page} pageSize={size} total={total} onChange={setPage} style={{ alignSelf: "center" }} />
        </Flex>
      ) : (
        <Table<LedgerRow>
          rowKey="id"
          size="middle"
          loading={tasks.loading}
          columns={columns}
          dataSource={rows}
          rowSelection={
            isAdmin
              ? {
                  selectedRowKeys: selected.map((row) => row.id),
                  onChange: (_keys, chosen) => setSelected(chosen),
                  // Only tasks waiting for dispatch can be dispatched.
                  getCheckboxProps: (row) => ({ disabled: row.status !== "待交办", title: row.status === "待交办" ? "选择" : `${row.status}的任务不能再交办` }),
                }
              : undefined
          }
          onRow={(row) => ({
            onClick: (event) => {
              if ((event.target as HTMLElement).closest("a, button, input, label, .ant-table-selection-column")) return;
              navigate(`/tasks/${row.id}`);
            },
            style: { cursor: "pointer" },
          })}
          pagination={{ current: page, pageSize: size, total, showSizeChanger: true, pageSizeOptions: PAGE_SIZES, onChange: setPage, showTotal: () => `第 ${page} 页` }}
          locale={{ emptyText: "没有符合条件的任务" }}
        />
      )}
      <DispatchModal
        open={dispatching}
        count={selected.length}
        requireLead={selected.some((row) => row.leadUnitId === null)}
        busy={busy}
        onSubmit={(values) => void dispatchSelected(values)}
        onCancel={() => setDispatching(false)}
      />
    </Card>
  );
}
