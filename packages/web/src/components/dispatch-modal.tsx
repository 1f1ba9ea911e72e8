// 交办: the lead unit (from the unit tree), the due date and the co-operating units, for one task
// or for many at once (the ledger's 批量交办). The caller sends the actions.
import { DatePicker, Form, Modal, TreeSelect } from "antd";
import type { Dayjs } from "dayjs";
import { useEffect, useMemo } from "react";
import { bureauToday } from "../format.js";
import { unitOptions, useUnits } from "../use-units.js";

export interface DispatchValues {
  leadUnitId?: number;
  dueDate?: string;
  coUnitIds?: number[];
}

interface DispatchModalProps {
  open: boolean;
  /** How many tasks the values go to (the title says it). */
  count: number;
  /** The lead unit to start from (a single task's current one). */
  initialLeadUnitId?: number | null;
  /** Whether a lead unit must be picked: tasks without one cannot be dispatched. */
  requireLead: boolean;
  busy?: boolean;
  onSubmit(values: DispatchValues): void;
  onCancel(): void;
}

interface FormValues {
  leadUnitId?: number;
  dueDate?: Dayjs;
  coUnitIds?: number[];
}

export function DispatchModal({ open, count, initialLeadUnitId, requireLead, busy, onSubmit, onCancel }: DispatchModalProps) {
  const [form] = Form.useForm<FormValues>();
  const units = useUnits();
  const options = useMemo(() => unitOptions(units.tree), [units]);
  const today = bureauToday();

  useEffect(() => {
    if (open) form.setFieldsValue({ leadUnitId: initialLeadUnitId ?? undefined, dueDate: undefined, coUnitIds: [] });
  }, [open, initialLeadUnitId, form]);

  const submit = async () => {
    const values = await form.validateFields();
    onSubmit({
      ...(values.leadUnitId !== undefined && { leadUnitId: values.leadUnitId }),
      ...(values.dueDate && { dueDate: values.dueDate.format("YYYY-MM-DD") }),
      ...(values.coUnitIds && values.coUnitIds.length > 0 && { coUnitIds: values.coUnitIds }),
    });
  };

  return (
    <Modal open={open} title={count > 1 ? `批量交办(${count} 项任务)` : "交办任务"} okText="交办" cancelText="取消" onOk={submit} onCancel={onCancel} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="leadUnitId" label="牵头单位" rules={requireLead ? [{ required: true, message: "请选择牵头单位" }] : []} extra={requireLead ? undefined : "不选则沿用任务已有的牵头单位"}>
          <TreeSelect treeData={options} showSearch={{ treeNodeFilterProp: "title" }} treeDefaultExpandAll placeholder="从单位树中选择" allowClear />
        </Form.Item>
        <Form.Item name="dueDate" label="办理期限" extra="不填则沿用计划中的时限">
          <DatePicker style={{ width: "100%" }} disabledDate={(day) => day.format("YYYY-MM-DD") < today} />
        </Form.Item>
        <Form.Item name="coUnitIds" label="配合单位">
          <TreeSelect treeData={options} multiple showSearch={{ treeNodeFilterProp: "title" }} treeDefaultExpandAll placeholder="可多选" allowClear />
        </Form.Item>
      </Form>
    </Modal>
  );
}
