// One extracted task as the clerk corrects it: its title, the units named for it (each picked from
// the unit tree), its deadlines and its targets. Every field's words as written are a link that
// shows them in the source text; a field read by mistake can be dropped.
import { AimOutlined, DeleteOutlined } from "@ant-design/icons";
import { Button, DatePicker, Empty, Flex, Input, InputNumber, Space, Tag, Tooltip, TreeSelect, Typography } from "antd";
import dayjs from "dayjs";
import type { ReactNode } from "react";
import type { PlanTaskJson } from "../api-types.js";
import type { UnitOption } from "../use-units.js";
import { FIELD_COLORS } from "./source-view.js";
import { fieldKey, removeDeadline, removeTarget, removeUnit, setDeadline, setTarget, setTaskUnit, setTitle, unitOf, type TaskRef, type UnitMapping } from "./plan-draft.js";

const BOUND_LABELS: Record<PlanTaskJson["targets"][number]["bound"], string> = { floor: "不低于", ceiling: "不高于", range: "区间", level: "达到" };

interface TaskEditorProps {
  task: PlanTaskJson;
  taskRef: TaskRef;
  mapping: UnitMapping;
  unitTree: UnitOption[];
  /** The field last shown in the source (its row is marked). */
  active?: string;
  onChange(change: (task: PlanTaskJson) => PlanTaskJson): void;
  onLocate(key: string): void;
}

export function TaskEditor({ task, taskRef, mapping, unitTree, active, onChange, onLocate }: TaskEditorProps) {
  const key = (kind: "title" | "unit" | "deadline" | "target", index = 0) => fieldKey(taskRef, kind, index);
  const locate = (fieldKeyText: string, words: string, color: string) => (
    <Tooltip title="在原文中查看">
      <Tag
        color={color}
        onClick={() => onLocate(fieldKeyText)}
        style={{ cursor: "pointer", color: "rgba(0,0,0,0.88)", maxWidth: "100%", whiteSpace: "normal", marginInlineEnd: 0, outline: active === fieldKeyText ? "2px solid #1677ff" : undefined }}
        data-locate={fieldKeyText}
      >
        <AimOutlined style={{ marginInlineEnd: 4 }} />
        {words}
      </Tag>
    </Tooltip>
  );

  return (
    <Flex vertical gap={16} data-task-editor={task.path}>
      <Field label="任务标题">
        <Flex gap={8} align="center">
          <Input aria-label="任务标题" value={task.title} status={task.title.trim() === "" ? "error" : undefined} onChange={(event) => onChange(setTitle(event.target.value))} maxLength={1000} />
          <Button icon={<AimOutlined />} onClick={() => onLocate(key("title"))} aria-label="在原文中查看标题" />
        </Flex>
      </Field>

      <Field label={`责任单位(${task.unit_refs.length})`}>
        {task.unit_refs.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有识别出责任单位:交办时指定牵头单位" style={{ margin: 0 }} />}
        {task.unit_refs.map((ref, index) => {
          const unitId = unitOf(ref, mapping);
          return (
            <Flex key={`${ref.name}-${ref.start}`} gap={8} align="center" wrap data-unit-ref={ref.name}>
              <div style={{ flex: "0 0 180px", minWidth: 0 }}>
                {locate(key("unit", index), ref.name, unitId === null ? "#ffccc7" : FIELD_COLORS.unit)}
                {ref.lead && <Tag color="blue" style={{ marginInlineStart: 4 }}>牵头</Tag>}
              </div>
              <TreeSelect
                aria-label={`“${ref.name}”对应的单位`}
                style={{ flex: 1, minWidth: 180 }}
                treeData={unitTree}
                value={unitId ?? undefined}
                status={unitId === null ? "error" : undefined}
                placeholder="未对应:从单位树中选择"
                showSearch={{ treeNodeFilterProp: "title" }}
                treeDefaultExpandAll
                allowClear
                // Clearing goes back to what the name maps to for every task.
                onChange={(value?: number) => onChange(setTaskUnit(index, value === undefined ? undefined : value))}
              />
              <Button type="text" danger icon={<DeleteOutlined />} aria-label={`不作为责任单位:${ref.name}`} onClick={() => onChange(removeUnit(index))} />
            </Flex>
          );
        })}
      </Field>

      <Field label={`完成时限(${task.deadlines.length})`}>
        {task.deadlines.length === 0 && <Typography.Text type="secondary">没有识别出完成时限</Typography.Text>}
        {task.deadlines.map((deadline, index) => (
          <Flex key={`${deadline.start}`} gap={8} align="center" wrap>
            <div style={{ flex: "0 0 180px", minWidth: 0 }}>{locate(key("deadline", index), deadline.quote, FIELD_COLORS.deadline)}</div>
            <DatePicker
              aria-label={`时限“${deadline.quote}”的日期`}
              value={dayjs(deadline.date)}
              allowClear={false}
              onChange={(day) => day && onChange(setDeadline(index, { date: day.format("YYYY-MM-DD") }))}
            />
            <Button type="text" danger icon={<DeleteOutlined />} aria-label={`删除时限:${deadline.quote}`} onClick={() => onChange(removeDeadline(index))} />
          </Flex>
        ))}
      </Field>

      <Field label={`量化目标(${task.targets.length})`}>
        {task.targets.length === 0 && <Typography.Text type="secondary">没有识别出量化目标</Typography.Text>}
        {task.targets.map((target, index) => (
          <Flex key={`${target.start}`} gap={8} align="center" wrap>
            <div style={{ flex: "1 1 220px", minWidth: 0 }}>{locate(key("target", index), target.quote, FIELD_COLORS.target)}</div>
            <Space.Compact>
              <Tag style={{ margin: 0, alignSelf: "center" }}>{BOUND_LABELS[target.bound]}</Tag>
              <InputNumber aria-label={`目标“${target.quote}”的数值`} value={target.value} style={{ width: 110 }} onChange={(value) => value !== null && onChange(setTarget(index, { value: Number(value) }))} />
              {target.bound === "range" && (
                <InputNumber aria-label={`目标“${target.quote}”的上限`} value={target.value_max} style={{ width: 100 }} onChange={(value) => onChange(setTarget(index, { value_max: value === null ? undefined : Number(value) }))} />
              )}
              <Input aria-label={`目标“${target.quote}”的单位`} value={target.unit} style={{ width: 90 }} maxLength={50} onChange={(event) => onChange(setTarget(index, { unit: event.target.value }))} />
            </Space.Compact>
            <Button type="text" danger icon={<DeleteOutlined />} aria-label={`删除目标:${target.quote}`} onClick={() => onChange(removeTarget(index))} />
          </Flex>
        ))}
      </Field>
    </Flex>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Flex vertical gap={8}>
      <Typography.Text strong>{label}</Typography.Text>
      {children}
    </Flex>
  );
}
