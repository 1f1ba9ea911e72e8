// 导入计划: the office uploads a plan file (any format the engine reads), checks and corrects what
// was extracted against the source text, and confirms it into the ledger. Nothing is written
// before the confirm (POST /api/plans/preview, then POST /api/plans/confirm); the summary links
// to the ledger filtered by the new plan.
import { InboxOutlined } from "@ant-design/icons";
import { App, Button, Card, Descriptions, Flex, Result, Space, Spin, Steps, Tag, Typography, Upload } from "antd";
import { useState } from "react";
import { api } from "../api.js";
import type { ImportSummary, PlanPreview } from "../api-types.js";
import { correctedPlans, draftOf, unmatchedNames, type PlanDraft } from "../import/plan-draft.js";
import { ReviewStep } from "../import/review-step.js";
import { notifyError, notifySuccess } from "../notify.js";
import { Link, pathWithQuery } from "../router.js";

const FORMATS = "Word(.docx)、PDF(文字版)、网页(.html)、Excel(.xlsx)、CSV 或文本(.txt)";

type Step = "upload" | "review" | "done";
const STEP_INDEX: Record<Step, number> = { upload: 0, review: 1, done: 2 };

export default function ImportPage() {
  const { modal } = App.useApp();
  const [step, setStep] = useState<Step>("upload");
  const [reading, setReading] = useState<string | null>(null);
  const [preview, setPreview] = useState<PlanPreview | null>(null);
  const [draft, setDraft] = useState<PlanDraft | null>(null);
  const [saving, setSaving] = useState(false);
  const [summary, setSummary] = useState<ImportSummary | null>(null);

  const read = async (file: File) => {
    setReading(file.name);
    try {
      const result = await api.plans.preview(file, file.name);
      setPreview(result);
      setDraft(draftOf(result));
      setStep("review");
    } catch (error) {
      notifyError(error, "文件没有读取成功");
    } finally {
      setReading(null);
    }
  };

  const confirm = async () => {
    if (!preview || !draft) return;
    const blank = draft.plans.some((plan) => plan.title.trim() === "" || plan.tasks.some((task) => task.title.trim() === ""));
    if (blank) {
      modal.warning({ title: "还有标题为空", content: "计划标题和每项任务的标题都不能为空,请补上后再确认导入。" });
      return;
    }
    const unmatched = unmatchedNames(draft);
    if (unmatched.length > 0) {
      const go = await modal.confirm({
        title: `还有 ${unmatched.length} 个单位名称没有对应到单位树`,
        content: `${unmatched.join("、")}:这些单位在台账中没有对应的单位,只由它们负责的任务导入后没有牵头单位,需在交办时指定。仍要导入吗?`,
        okText: "仍然导入",
        cancelText: "返回核对",
      });
      if (!go) return;
    }
    setSaving(true);
    try {
      const result = await api.plans.confirm({ fileName: preview.fileName, sha256: preview.sha256, source: preview.source, format: preview.format, plans: correctedPlans(draft) });
      setSummary(result);
      setStep("done");
      notifySuccess(`已导入 ${result.taskCount} 项任务`);
    } catch (error) {
      notifyError(error, "导入没有完成");
    } finally {
      setSaving(false);
    }
  };

  const restart = () => {
    setPreview(null);
    setDraft(null);
    setSummary(null);
    setStep("upload");
  };

  return (
    <Flex vertical gap={16} data-import-step={step}>
      <Card size="small" styles={{ body: { paddingBlock: 12 } }}>
        <Flex align="center" gap={24} wrap>
          <Typography.Title level={4} style={{ margin: 0, whiteSpace: "nowrap" }}>
            导入计划
          </Typography.Title>
          <Steps
            size="small"
            current={STEP_INDEX[step]}
            style={{ flex: 1, minWidth: 360 }}
            items={[{ title: "上传文件" }, { title: "核对抽取结果" }, { title: "完成" }]}
          />
          {step === "review" && (
            <Space>
              <Button onClick={restart}>重新选择文件</Button>
              <Button type="primary" loading={saving} onClick={() => void confirm()}>
                确认导入
              </Button>
            </Space>
          )}
        </Flex>
      </Card>

      {step === "upload" && (
        <Card>
          <Spin spinning={reading !== null} description={reading ? `正在读取 ${reading}……` : undefined}>
            <Upload.Dragger
              accept=".docx,.pdf,.html,.htm,.xlsx,.csv,.txt,text/*"
              multiple={false}
              showUploadList={false}
              beforeUpload={(file) => {
                void read(file);
                // The file goes to the preview route, not to antd's own upload.
                return false;
              }}
              style={{ paddingBlock: 32 }}
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">点击或拖入计划文件</p>
              <p className="ant-upload-hint">支持 {FORMATS}。读取后先核对,确认前不会写入台账。</p>
            </Upload.Dragger>
          </Spin>
        </Card>
      )}

      {step === "review" && preview && draft && <ReviewStep preview={preview} draft={draft} onChange={setDraft} />}

      {step === "done" && summary && <ImportResult summary={summary} onAgain={restart} />}
    </Flex>
  );
}

function ImportResult({ summary, onAgain }: { summary: ImportSummary; onAgain(): void }) {
  const first = summary.plans[0];
  return (
    <Card>
      <Result
        status="success"
        title={`已导入 ${summary.plans.length} 份计划,共 ${summary.taskCount} 项任务`}
        subTitle={`文件 ${summary.source}。任务处于“待交办”状态,请在任务台账中交办。`}
        extra={[
          first && (
            <Link key="ledger" to={pathWithQuery("/tasks", { plan: first.planId })}>
              <Button type="primary">在任务台账中查看</Button>
            </Link>
          ),
          <Button key="again" onClick={onAgain}>
            继续导入
          </Button>,
        ]}
      />
      {summary.plans.map((plan) => (
        <Descriptions
          key={plan.planId}
          bordered
          size="small"
          column={3}
          title={
            <Link to={pathWithQuery("/tasks", { plan: plan.planId })} data-plan-link={plan.planId}>
              {plan.title}
            </Link>
          }
          extra={plan.version > 1 ? <Tag color="orange">第 {plan.version} 版(替换了此前导入的版本)</Tag> : <Tag color="green">新计划</Tag>}
          style={{ marginBottom: 16 }}
          items={[
            { key: "tasks", label: "任务", children: plan.tasks },
            { key: "sections", label: "章节", children: plan.sections },
            { key: "units", label: "责任单位(人次)", children: plan.taskUnits },
            { key: "milestones", label: "时间节点", children: plan.milestones },
            { key: "kpis", label: "量化指标", children: plan.kpis },
            {
              key: "unmatched",
              label: "未对应单位",
              children: plan.unmatchedUnitNames.length === 0 ? "无" : plan.unmatchedUnitNames.map((name) => <Tag key={name} color="red">{name}</Tag>),
            },
          ]}
        />
      ))}
    </Card>
  );
}
