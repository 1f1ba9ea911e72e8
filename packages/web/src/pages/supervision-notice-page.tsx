// One 督办单 as it is printed and sent: the number, the task, the units, its deadline and days
// overdue, the requirement and the reply deadline, on an A4 sheet. 打印 prints the sheet alone
// (the print stylesheet hides the app around it).
import { ArrowLeftOutlined, PrinterOutlined } from "@ant-design/icons";
import { Button, Card, Flex, Result, Skeleton, Typography } from "antd";
import { api, ApiError } from "../api.js";
import type { SupervisionNoticeDetail } from "../api-types.js";
import type { PageProps } from "../routes.js";
import { describeError } from "../notify.js";
import { Link } from "../router.js";
import { useLoad } from "../use-load.js";

const SHEET_ID = "supervision-sheet";
/** Only the sheet on paper: the menu, header and buttons are the screen's. */
const PRINT_STYLE = `
@media print {
  @page { size: A4; margin: 20mm 18mm; }
  body * { visibility: hidden; }
  #${SHEET_ID}, #${SHEET_ID} * { visibility: visible; }
  #${SHEET_ID} .screen-only { display: none; }
  #${SHEET_ID} { position: absolute; left: 0; top: 0; width: 100%; box-shadow: none !important; border: none !important; padding: 0 !important; }
}`;
const SERIF = '"FangSong", "STFangsong", "仿宋", "Songti SC", "SimSun", "Noto Serif CJK SC", serif';
const CELL = { border: "1px solid #000", padding: "10px 12px", verticalAlign: "top" } as const;
const HEAD = { ...CELL, width: 120, textAlign: "center", fontWeight: 600, whiteSpace: "nowrap" } as const;

export default function SupervisionNoticePage({ params }: PageProps) {
  const id = Number(params.id);
  // The refusal is the page itself (not a popup as well).
  const notice = useLoad(() => api.supervisionNotices.get(id), [id], { quiet: true });

  if (notice.error instanceof ApiError && notice.error.status === 404) {
    return <Result status="404" title="督办单不存在" subTitle="编号可能有误,或它不属于本单位。" extra={<Link to="/supervision-notices">回到督办单列表</Link>} />;
  }
  if (notice.error !== undefined && !notice.data) {
    const { message, fix } = describeError(notice.error);
    return <Result status="warning" title={message} subTitle={fix} extra={<Button onClick={() => void notice.reload()}>重试</Button>} />;
  }
  const data = notice.data;
  return (
    <Flex vertical gap={16}>
      <style>{PRINT_STYLE}</style>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Flex align="center" gap={8}>
          <Link to="/supervision-notices" aria-label="回到督办单列表">
            <Button type="text" icon={<ArrowLeftOutlined />} />
          </Link>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {data ? data.number : "督办单"}
          </Typography.Title>
        </Flex>
        <Flex gap={8}>
          {data && <Link to={`/tasks/${data.taskId}`}>查看任务</Link>}
          <Button type="primary" icon={<PrinterOutlined />} disabled={!data} onClick={() => window.print()}>
            打印
          </Button>
        </Flex>
      </Flex>
      <Card style={{ maxWidth: 794, width: "100%", margin: "0 auto", boxShadow: "0 1px 6px rgba(0,0,0,0.08)" }} styles={{ body: { padding: "48px 56px" } }} id={SHEET_ID} data-testid="supervision-sheet">
        {!data ? <Skeleton active paragraph={{ rows: 10 }} /> : <Sheet notice={data} />}
      </Card>
    </Flex>
  );
}

function Sheet({ notice }: { notice: SupervisionNoticeDetail }) {
  const lead = notice.units?.lead?.name ?? notice.leadUnit ?? "—";
  const co = notice.units?.co?.map((unit) => unit.name).filter(Boolean) ?? notice.coUnits ?? [];
  const task = `${notice.taskNumber ? `第 ${notice.taskNumber} 项 ` : ""}${notice.taskTitle}`;
  const rows: [string, string][] = [
    ["督办事项", task],
    ["牵头单位", lead],
    ["配合单位", co.length > 0 ? co.join("、") : "—"],
    ["办理时限", notice.dueDate ?? "—"],
    ["逾期天数", notice.overdueDays !== undefined ? `${notice.overdueDays} 天` : "—"],
    ...(notice.period ? ([["报送期", notice.period]] as [string, string][]) : []),
    ["督办要求", notice.requirement],
    ["反馈时限", `请于 ${notice.replyBy} 前将办理情况书面反馈督查室`],
  ];
  return (
    <div style={{ fontFamily: SERIF, color: "#000" }}>
      <div style={{ textAlign: "center", color: "#c00", fontSize: 30, fontWeight: 700, letterSpacing: 8 }}>督 办 单</div>
      <Flex justify="space-between" style={{ borderBottom: "2px solid #c00", paddingBottom: 8, marginTop: 16, marginBottom: 24, fontSize: 16 }}>
        <span>{notice.number}</span>
        <span>{notice.issuedOn}</span>
      </Flex>
      <table style={{ width: "100%", borderCollapse: "collapse", fontSize: 16, lineHeight: 1.8 }}>
        <tbody>
          {rows.map(([label, value]) => (
            <tr key={label}>
              <th style={HEAD} scope="row">
                {label}
              </th>
              <td style={{ ...CELL, whiteSpace: "pre-wrap" }} data-field={label}>
                {value}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {notice.lines.length > 0 && (
        // The server's own line-by-line layout, as the office would issue it (what the CLI prints).
        <details style={{ marginTop: 24, fontSize: 14 }} className="screen-only">
          <summary style={{ cursor: "pointer", color: "rgba(0,0,0,0.55)" }}>原文排版</summary>
          <pre style={{ fontFamily: SERIF, whiteSpace: "pre-wrap", margin: "8px 0 0" }}>{notice.lines.join("\n")}</pre>
        </details>
      )}
    </div>
  );
}
