// The progress report form (进展报送): the period, how it is going, the percent done, what was
// done, a value for each KPI, and evidence files. Each opening of the form has one
// Idempotency-Key, so a double click or a retry after a lost answer files one report. What is
// typed is kept as a draft (per task and period) until it is submitted.
import { InboxOutlined } from "@ant-design/icons";
import { Alert, Button, Drawer, Flex, Form, Input, InputNumber, Radio, Select, Slider, Space, Tag, Typography, Upload, type UploadFile } from "antd";
import { useEffect, useMemo, useRef, useState } from "react";
import { api } from "../api.js";
import type { EvidenceRef, Kpi, ReportResult, ReportStatus, TaskDetail } from "../api-types.js";
import { bureauToday, formatInstant, formatNumber, formatSize, kpiTarget } from "../format.js";
import { REPORT_STATUSES } from "../labels.js";
import { describeError, notifyError, notifySuccess, notifyWarning } from "../notify.js";
import { useSession } from "../session.js";
import { useNarrow } from "../use-narrow.js";
import { clearDraft, draftKey, loadDraft, saveDraft, type ReportDraft } from "./report-drafts.js";
import { reportingNeeds, type PeriodState } from "./report-periods.js";

/** As the evidence route's limit (20 MB). */
const MAX_EVIDENCE_BYTES = 20 * 1024 * 1024;
const MAX_NARRATIVE = 5000;
const DRAFT_DELAY_MS = 600;
const FINAL_STATUS: ReportStatus = "已完成";

const PERIOD_TAGS: Record<PeriodState, { color: string; text: string }> = {
  late: { color: "red", text: "已逾期" },
  returned: { color: "volcano", text: "被退回" },
  due: { color: "blue", text: "待报送" },
  accepted: { color: "green", text: "已通过,可补充报送" },
};

interface FormValues {
  period: string;
  status: ReportStatus;
  percent: number;
  narrative?: string;
  kpi: Record<string, number | null | undefined>;
}

interface ReportDrawerProps {
  task: TaskDetail;
  open: boolean;
  onClose(): void;
  onSubmitted(result: ReportResult): void;
}

export function ReportDrawer(props: ReportDrawerProps) {
  // A fresh form (and key) each time the drawer opens.
  return props.open ? <ReportForm {...props} /> : null;
}

function ReportForm({ task, open, onClose, onSubmitted }: ReportDrawerProps) {
  const session = useSession();
  const narrow = useNarrow();
  const [form] = Form.useForm<FormValues>();
  const idempotencyKey = useRef(crypto.randomUUID());
  const needs = useMemo(() => reportingNeeds(task, bureauToday()), [task]);
  const lastPercent = task.reports.at(-1)?.percent ?? 0;
  const [files, setFiles] = useState<UploadFile<EvidenceRef>[]>([]);
  const [restored, setRestored] = useState<string | null>(null);
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const saveTimer = useRef<number | undefined>(undefined);
  const period = Form.useWatch("period", form) ?? needs.suggested ?? "";
  const status = Form.useWatch("status", form);

  const keyFor = (periodId: string) => draftKey(session.user.id, task.id, periodId);

  /** Fills the form from the period's draft, or with a fresh start when there is none. */
  const fillFor = (periodId: string) => {
    const draft = loadDraft(keyFor(periodId));
    if (draft) {
      form.setFieldsValue({ period: periodId, status: draft.status, percent: draft.percent, narrative: draft.narrative, kpi: draft.kpiValues });
      setFiles(draft.evidence.map((file) => ({ uid: `evidence-${file.id}`, name: file.fileName, status: "done", size: file.size, response: file })));
      setRestored(draft.savedAt);
    } else {
      form.setFieldsValue({ period: periodId, status: "正常推进", percent: lastPercent, narrative: "", kpi: {} });
      setFiles([]);
      setRestored(null);
    }
  };

  useEffect(() => {
    fillFor(needs.suggested ?? "");
    return () => window.clearTimeout(saveTimer.current);
    // Filled once when the form opens; later changes of period go through onValuesChange.
  }, []);

  const uploaded = (list: UploadFile<EvidenceRef>[]) => list.filter((file) => file.status === "done" && file.response).map((file) => file.response as EvidenceRef);

  const draftNow = (list = files) => {
    const values = form.getFieldsValue();
    if (!values.period) return;
    const kpiValues = Object.fromEntries(Object.entries(values.kpi ?? {}).map(([id, value]) => [id, value ?? null]));
    const draft: ReportDraft = {
      period: values.period,
      status: values.status,
      percent: values.percent,
      narrative: values.narrative ?? "",
      kpiValues,
      evidence: uploaded(list),
      savedAt: new Date().toISOString(),
    };
    if (saveDraft(keyFor(values.period), draft)) setSavedAt(draft.savedAt);
  };
  const draftSoon = (list?: UploadFile<EvidenceRef>[]) => {
    window.clearTimeout(saveTimer.current);
    saveTimer.current = window.setTimeout(() => draftNow(list), DRAFT_DELAY_MS);
  };

  const onValuesChange = (changed: Partial<FormValues>) => {
    if (changed.period !== undefined) {
      fillFor(changed.period);
      return;
    }
    if (changed.status === FINAL_STATUS) form.setFieldValue("percent", 100);
    draftSoon();
  };

  const submit = async () => {
    const values = await form.validateFields();
    if (files.some((file) => file.status === "uploading")) {
      notifyWarning("请等待佐证材料上传完成后再提交");
      return;
    }
    const kpiValues = Object.entries(values.kpi ?? {})
      .filter((entry): entry is [string, number] => typeof entry[1] === "number")
      .map(([kpiId, value]) => ({ kpiId: Number(kpiId), value }));
    const evidenceIds = uploaded(files).map((file) => file.id);
    setSubmitting(true);
    try {
      const result = await api.tasks.report(
        task.id,
        {
          period: values.period,
          status: values.status,
          percent: values.percent,
          narrative: values.narrative?.trim() ?? "",
          ...(kpiValues.length > 0 && { kpiValues }),
          ...(evidenceIds.length > 0 && { evidenceIds }),
          version: task.version,
        },
        idempotencyKey.current,
      );
      window.clearTimeout(saveTimer.current);
      clearDraft(keyFor(values.period));
      notifySuccess(values.status === FINAL_STATUS ? "完成报告已提交,等待督查室审核销号" : "进展已报送,等待督查室审核");
      onSubmitted(result);
    } catch (error) {
      notifyError(error, "报送没有提交");
    } finally {
      setSubmitting(false);
    }
  };

  const periodOptions = needs.periods.map((option) => ({
    value: option.id,
    label: (
      <Space size={4}>
        <span>{option.label}</span>
        <Tag color={PERIOD_TAGS[option.state].color} style={{ marginInlineEnd: 0 }}>
          {PERIOD_TAGS[option.state].text}
        </Tag>
      </Space>
    ),
  }));

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={narrow ? "100%" : 560}
      title={`报送进展:${task.number}. ${task.title}`}
      destroyOnHidden
      footer={
        <Flex justify="space-between" align="center" gap={8}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {savedAt ? `草稿已保存 ${formatInstant(savedAt).slice(11)}` : "填写内容会自动保存为草稿"}
          </Typography.Text>
          <Space>
            <Button onClick={() => draftNow()}>保存草稿</Button>
            <Button type="primary" loading={submitting} onClick={() => void submit()}>
              提交报送
            </Button>
          </Space>
        </Flex>
      }
    >
      {restored && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={`已恢复 ${formatInstant(restored)} 保存的草稿`}
          action={
            <Button
              size="small"
              type="link"
              onClick={() => {
                clearDraft(keyFor(period));
                form.setFieldsValue({ status: "正常推进", percent: lastPercent, narrative: "", kpi: {} });
                setFiles([]);
                setRestored(null);
              }}
            >
              清除草稿
            </Button>
          }
        />
      )}
      {needs.periods.length === 0 && <Alert type="warning" showIcon title="这项任务当前没有需要报送的周期" style={{ marginBottom: 16 }} />}
      <Form<FormValues> form={form} layout="vertical" onValuesChange={onValuesChange} requiredMark="optional">
        <Form.Item name="period" label="报送周期" rules={[{ required: true, message: "请选择报送周期" }]}>
          <Select options={periodOptions} aria-label="报送周期" />
        </Form.Item>
        <Form.Item name="status" label="推进情况" rules={[{ required: true }]} extra={status === FINAL_STATUS ? "“已完成”即提交完成报告,申请办结销号。" : undefined}>
          <Radio.Group optionType="button" buttonStyle="solid" options={REPORT_STATUSES.map((status) => ({ value: status, label: status }))} />
        </Form.Item>
        <Form.Item label="完成进度" required>
          <Flex gap={12} align="center">
            <Form.Item name="percent" noStyle>
              <Slider min={0} max={100} style={{ flex: 1 }} tooltip={{ formatter: (value) => `${value ?? 0}%` }} />
            </Form.Item>
            <Form.Item name="percent" noStyle rules={[{ required: true, message: "请填写完成进度" }]}>
              <InputNumber min={0} max={100} precision={0} suffix="%" style={{ width: 96 }} aria-label="完成进度" />
            </Form.Item>
          </Flex>
        </Form.Item>
        <Form.Item name="narrative" label="工作进展" rules={[{ max: MAX_NARRATIVE }]}>
          <Input.TextArea rows={5} maxLength={MAX_NARRATIVE} showCount placeholder="本期做了什么、取得什么成效、存在什么问题、下一步打算" />
        </Form.Item>
        {task.kpis.length > 0 && (
          <Form.Item label="指标完成值" style={{ marginBottom: 8 }}>
            <Flex vertical gap={12}>
              {task.kpis.map((kpi) => (
                <KpiField key={kpi.id} kpi={kpi} />
              ))}
            </Flex>
          </Form.Item>
        )}
        <Form.Item label="佐证材料" extra="单个文件不超过 20 MB;上传后随本次报送提交。">
          <Upload.Dragger
            multiple
            fileList={files}
            beforeUpload={(file) => {
              if (file.size > MAX_EVIDENCE_BYTES) {
                notifyWarning(`“${file.name}”超过 20 MB`, "请压缩或拆分后再上传。");
                return Upload.LIST_IGNORE;
              }
              return true;
            }}
            customRequest={({ file, onSuccess, onError }) => {
              const blob = file as File;
              api.tasks.uploadEvidence(task.id, blob, blob.name).then(
                (evidence) => onSuccess?.(evidence),
                (error: unknown) => {
                  const { message, fix } = describeError(error);
                  notifyError(error, `“${blob.name}”没有上传`);
                  onError?.(new Error([message, fix].filter(Boolean).join(":")));
                },
              );
            }}
            onChange={({ fileList }) => {
              setFiles(fileList);
              if (fileList.every((file) => file.status !== "uploading")) draftSoon(fileList);
            }}
            itemRender={(node, file) => (
              <div title={file.size ? formatSize(file.size) : undefined} data-upload-status={file.status}>
                {node}
              </div>
            )}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">点击或拖入文件上传</p>
          </Upload.Dragger>
        </Form.Item>
      </Form>
    </Drawer>
  );
}

function KpiField({ kpi }: { kpi: Kpi }) {
  return (
    <div>
      <Typography.Paragraph style={{ marginBottom: 4 }} ellipsis={{ rows: 2, tooltip: kpi.quote }}>
        {kpi.quote}
      </Typography.Paragraph>
      <Flex gap={8} align="center" wrap>
        <Form.Item name={["kpi", String(kpi.id)]} noStyle>
          <InputNumber style={{ width: 160 }} suffix={kpi.unit || undefined} placeholder="本期实际值" aria-label={`指标实际值:${kpi.quote}`} />
        </Form.Item>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          目标 {kpiTarget(kpi)}
          {kpi.latest !== undefined && kpi.latest !== null ? `;上次 ${formatNumber(kpi.latest)}${kpi.unit}` : ""}
        </Typography.Text>
      </Flex>
    </div>
  );
}
