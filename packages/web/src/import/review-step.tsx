// The wizard's middle step: the extracted plan beside its source text. On the left what needs a
// look first (unmatched unit names, the extractor's diagnostics, tasks without units or dates),
// the unit names and the units they stand for, the tasks, and the selected task's editor; on the
// right the source with every field marked. A click on a field on either side shows it on the other.
import { AimOutlined } from "@ant-design/icons";
import { Badge, Button, Card, Col, Empty, Flex, Input, List, Row, Segmented, Table, Tabs, Tag, Tooltip, TreeSelect, Typography, type TableColumnsType } from "antd";
import { useMemo, useState } from "react";
import type { PlanPreview, PlanTaskJson, SourceSpan } from "../api-types.js";
import { unitOptions, useUnits } from "../use-units.js";
import {
  highlightsOf,
  parseFieldKey,
  reviewItems,
  spanOf,
  taskLabel,
  unitOf,
  withMapping,
  withPlanTitle,
  withTask,
  fieldKey,
  type Level,
  type PlanDraft,
  type ReviewItem,
  type TaskRef,
} from "./plan-draft.js";
import { SourceLegend, SourceView, type SourceFocus } from "./source-view.js";
import { TaskEditor } from "./task-editor.js";

const LEVEL_TAGS: Record<Level, { color: string; text: string }> = { error: { color: "red", text: "需处理" }, warning: { color: "orange", text: "请核对" }, info: { color: "default", text: "提示" } };
const TASK_PAGE_SIZE = 8;
/** A large file has hundreds of things to check: a page at a time keeps every keystroke quick. */
const LIST_PAGE_SIZE = 5;
/** The panels' height: the page's header and the wizard's bar stay in view above them. */
const PANEL_HEIGHT = "calc(100vh - 260px)";

interface ReviewStepProps {
  preview: PlanPreview;
  draft: PlanDraft;
  onChange(draft: PlanDraft): void;
}

interface Row {
  ref: TaskRef;
  task: PlanTaskJson;
  issues: number;
}

export function ReviewStep({ preview, draft, onChange }: ReviewStepProps) {
  const units = useUnits();
  const unitTree = useMemo(() => unitOptions(units.tree), [units]);
  const [planIndex, setPlanIndex] = useState(0);
  const [selected, setSelected] = useState<TaskRef>({ plan: 0, task: 0 });
  const [page, setPage] = useState(1);
  const [focus, setFocus] = useState<SourceFocus | undefined>(undefined);
  const [activeField, setActiveField] = useState<string | undefined>(undefined);

  const highlights = useMemo(() => highlightsOf(draft), [draft]);
  const items = useMemo(() => reviewItems(draft, preview.diagnostics), [draft, preview.diagnostics]);
  const plan = draft.plans[planIndex];
  const task = draft.plans[selected.plan]?.tasks[selected.task];
  const selectedKeys = useMemo(() => new Set(highlights.filter((highlight) => highlight.key.startsWith(`${selected.plan}/${selected.task}/`)).map((highlight) => highlight.key)), [highlights, selected]);

  const show = (span: SourceSpan | undefined, key?: string) => {
    if (span) setFocus({ start: span.start, end: span.end, nonce: Date.now() });
    setActiveField(key);
  };
  const select = (ref: TaskRef) => {
    setSelected(ref);
    setPlanIndex(ref.plan);
    setPage(Math.floor(ref.task / TASK_PAGE_SIZE) + 1);
  };
  /** A field picked in the source or the editor: select its task, show its span. */
  const pick = (key: string) => {
    const field = parseFieldKey(key);
    if (!field) return;
    select(field);
    show(spanOf(draft, key) ?? undefined, key);
  };

  const issuesByTask = useMemo(() => {
    const counts = new Map<string, number>();
    for (const item of items) if (item.task && item.level !== "info") counts.set(`${item.task.plan}/${item.task.task}`, (counts.get(`${item.task.plan}/${item.task.task}`) ?? 0) + 1);
    // Unmatched names count on every task that names them, not only the first.
    draft.plans.forEach((candidate, p) =>
      candidate.tasks.forEach((row, t) => {
        const unmatched = row.unit_refs.filter((ref) => unitOf(ref, draft.mapping) === null).length;
        if (unmatched > 0) counts.set(`${p}/${t}`, Math.max(counts.get(`${p}/${t}`) ?? 0, unmatched));
      }),
    );
    return counts;
  }, [items, draft]);

  const rows: Row[] = (plan?.tasks ?? []).map((row, t) => ({ ref: { plan: planIndex, task: t }, task: row, issues: issuesByTask.get(`${planIndex}/${t}`) ?? 0 }));
  const columns: TableColumnsType<Row> = [
    { title: "编号", key: "path", width: 72, render: (_, row) => row.task.path.replaceAll("/", ".") },
    { title: "任务标题", key: "title", ellipsis: true, render: (_, row) => (row.task.title.trim() === "" ? <Typography.Text type="danger">(标题为空)</Typography.Text> : row.task.title) },
    {
      title: "责任单位",
      key: "units",
      width: 176,
      render: (_, row) => (
        <Flex gap={4} wrap>
          {row.task.unit_refs.map((ref) => (
            <Tag key={`${ref.name}-${ref.start}`} color={unitOf(ref, draft.mapping) === null ? "red" : undefined} style={{ marginInlineEnd: 0 }}>
              {ref.name}
            </Tag>
          ))}
        </Flex>
      ),
    },
    { title: "时限", key: "deadlines", width: 96, ellipsis: true, render: (_, row) => row.task.deadlines.map((deadline) => deadline.date).join("、") || "—" },
    { title: "目标", key: "targets", width: 48, align: "right", render: (_, row) => row.task.targets.length },
    { title: "核对", key: "issues", width: 48, align: "center", render: (_, row) => (row.issues > 0 ? <Badge count={row.issues} color="red" /> : null) },
  ];

  const unitNames = useMemo(() => {
    const names = [...draft.mapping.keys()];
    // Unmatched names first: they are what the clerk came here to fix.
    return names.sort((a, b) => Number(draft.mapping.get(a) != null) - Number(draft.mapping.get(b) != null));
  }, [draft.mapping]);

  const unitPicker = (name: string) => (
    <TreeSelect
      aria-label={`单位名称“${name}”对应的单位`}
      style={{ width: 220 }}
      size="small"
      treeData={unitTree}
      value={draft.mapping.get(name) ?? undefined}
      status={draft.mapping.get(name) == null ? "error" : undefined}
      placeholder="从单位树中选择"
      showSearch={{ treeNodeFilterProp: "title" }}
      treeDefaultExpandAll
      allowClear
      onChange={(value?: number) => onChange(withMapping(draft, name, value ?? null))}
    />
  );

  const itemRow = (item: ReviewItem) => (
    <List.Item
      key={item.key}
      data-review-item={item.key}
      style={{ paddingInline: 0, alignItems: "flex-start" }}
      actions={[
        ...(item.unitName ? [unitPicker(item.unitName)] : []),
        ...(item.span || item.task
          ? [
              <Button
                key="locate"
                size="small"
                type="link"
                icon={<AimOutlined />}
                onClick={() => {
                  if (item.task) select(item.task);
                  show(item.span, undefined);
                }}
              >
                查看
              </Button>,
            ]
          : []),
      ]}
    >
      <Flex gap={6} align="baseline">
        <Tag color={LEVEL_TAGS[item.level].color} style={{ marginInlineEnd: 0 }}>
          {LEVEL_TAGS[item.level].text}
        </Tag>
        <Typography.Text style={{ fontSize: 13 }}>{item.message}</Typography.Text>
      </Flex>
    </List.Item>
  );

  const needsWork = items.filter((item) => item.level !== "info").length;
  return (
    <Row gutter={16}>
      <Col span={13}>
        <Flex vertical gap={12}>
          <Card size="small" styles={{ body: { paddingBlock: 12 } }}>
            <Flex vertical gap={8}>
              {draft.plans.length > 1 && (
                <Segmented
                  value={planIndex}
                  onChange={(value) => {
                    setPlanIndex(Number(value));
                    setPage(1);
                  }}
                  style={{ maxWidth: "100%", overflowX: "auto" }}
                  options={draft.plans.map((candidate, p) => ({ value: p, label: <span title={candidate.title}>第 {p + 1} 份:{candidate.title.slice(0, 8)}</span> }))}
                />
              )}
              <Flex gap={8} align="center">
                <Typography.Text strong style={{ whiteSpace: "nowrap" }}>
                  计划标题
                </Typography.Text>
                <Input aria-label="计划标题" value={plan?.title ?? ""} status={plan?.title.trim() === "" ? "error" : undefined} onChange={(event) => onChange(withPlanTitle(draft, planIndex, event.target.value))} />
              </Flex>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {[plan?.issuer, plan?.doc_number, plan?.year ? `${plan.year} 年度` : null, `${plan?.sections.length ?? 0} 个章节`, `${plan?.tasks.length ?? 0} 项任务`, `文件 ${preview.fileName}`].filter(Boolean).join(" · ")}
              </Typography.Text>
            </Flex>
          </Card>

          <Card size="small" styles={{ body: { paddingTop: 0 } }}>
            <Tabs
              size="small"
              items={[
                {
                  key: "review",
                  label: (
                    <span>
                      待核对 <Badge count={needsWork} showZero color={needsWork > 0 ? "red" : "green"} size="small" />
                    </span>
                  ),
                  children:
                    items.length === 0 ? (
                      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有需要核对的地方" />
                    ) : (
                      <List size="small" dataSource={items} renderItem={itemRow} pagination={items.length > LIST_PAGE_SIZE ? { pageSize: LIST_PAGE_SIZE, size: "small", showSizeChanger: false, align: "end" } : false} />
                    ),
                },
                {
                  key: "units",
                  label: `单位名称对应(${unitNames.length})`,
                  children: (
                    <List
                      size="small"
                      dataSource={unitNames}
                      pagination={unitNames.length > LIST_PAGE_SIZE ? { pageSize: LIST_PAGE_SIZE, size: "small", showSizeChanger: false, align: "end" } : false}
                      renderItem={(name) => (
                        <List.Item key={name} actions={[unitPicker(name)]} style={{ paddingInline: 0 }}>
                          <Flex gap={6} align="center">
                            {draft.mapping.get(name) == null ? <Tag color="red">未对应</Tag> : <Tag color="green">已对应</Tag>}
                            {name}
                          </Flex>
                        </List.Item>
                      )}
                    />
                  ),
                },
              ]}
            />
          </Card>

          <Card size="small" title={`任务(${plan?.tasks.length ?? 0})`} styles={{ body: { padding: 0 } }}>
            <Table<Row>
              size="small"
              rowKey={(row) => `${row.ref.plan}/${row.ref.task}`}
              columns={columns}
              dataSource={rows}
              pagination={{ current: page, pageSize: TASK_PAGE_SIZE, onChange: setPage, size: "small", showSizeChanger: false }}
              onRow={(row) => ({
                onClick: () => {
                  select(row.ref);
                  show({ start: row.task.title_start, end: row.task.title_end }, fieldKey(row.ref, "title"));
                },
                style: { cursor: "pointer", background: row.ref.plan === selected.plan && row.ref.task === selected.task ? "#e6f4ff" : undefined },
                "data-task-path": row.task.path,
              })}
            />
          </Card>

          {task && (
            <Card size="small" title={<Tooltip title={task.title}>{taskLabel(draft, selected)}</Tooltip>}>
              <TaskEditor
                task={task}
                taskRef={selected}
                mapping={draft.mapping}
                unitTree={unitTree}
                active={activeField}
                onChange={(change) => onChange(withTask(draft, selected, change))}
                onLocate={pick}
              />
            </Card>
          )}
        </Flex>
      </Col>
      <Col span={11}>
        <Card size="small" title="原文" style={{ position: "sticky", top: 72 }} styles={{ body: { padding: 8 } }}>
          <div style={{ marginBottom: 6 }}>
            <SourceLegend />
          </div>
          <SourceView text={preview.source} highlights={highlights} selected={selectedKeys} focus={focus} onPick={pick} height={PANEL_HEIGHT} />
        </Card>
      </Col>
    </Row>
  );
}
