// Adding or changing a delivery channel: its kind (fixed once added), name, the settings that kind
// needs, whose messages go out on it, and whether it is on. Secrets come back from the server as
// ****** and are sent back so: the server then keeps the stored value.
import { Checkbox, Form, Input, InputNumber, Modal, Select, Switch } from "antd";
import { useEffect } from "react";
import type { Channel, ChannelKind, ChannelSettings, NewChannel, NoticeAudience } from "../api-types.js";
import { CHANNEL_KIND_LABELS, NOTICE_AUDIENCE_LABELS } from "../labels.js";

const KINDS = Object.keys(CHANNEL_KIND_LABELS) as ChannelKind[];
const AUDIENCES = Object.keys(NOTICE_AUDIENCE_LABELS) as NoticeAudience[];
const SMTP_PORT = 465;
/** Which settings each kind has (as the server's channelTarget reads them). */
const KIND_SETTINGS: Record<ChannelKind, readonly (keyof ChannelSettings)[]> = {
  smtp: ["host", "port", "secure", "user", "pass", "from", "to"],
  dingtalk: ["url", "secret"],
  wecom: ["url"],
  webhook: ["url"],
};
const URL_HINTS: Record<Exclude<ChannelKind, "smtp">, string> = {
  dingtalk: "钉钉群 → 群设置 → 机器人 → 自定义机器人的 Webhook 地址",
  wecom: "企业微信群 → 群机器人 → 机器人的 Webhook 地址",
  webhook: "接收 JSON(POST)的地址",
};

interface FormValues {
  kind: ChannelKind;
  name: string;
  settings: ChannelSettings;
  audiences: NoticeAudience[];
  enabled: boolean;
}

interface ChannelModalProps {
  open: boolean;
  /** The channel to change; undefined: a new one. */
  channel: Channel | undefined;
  busy: boolean;
  onSubmit(values: NewChannel): void;
  onCancel(): void;
}

export function ChannelModal({ open, channel, busy, onSubmit, onCancel }: ChannelModalProps) {
  const [form] = Form.useForm<FormValues>();
  const kind = Form.useWatch("kind", form) ?? channel?.kind ?? "dingtalk";

  useEffect(() => {
    if (!open) return;
    if (channel) form.setFieldsValue({ kind: channel.kind, name: channel.name, settings: channel.settings, audiences: channel.audiences, enabled: channel.enabled });
    else form.setFieldsValue({ kind: "dingtalk", name: "", settings: { port: SMTP_PORT, secure: true, to: [] }, audiences: [...AUDIENCES], enabled: true });
  }, [open, channel, form]);

  const submit = async () => {
    const values = await form.validateFields();
    // Only the chosen kind's settings; an empty optional text is "none" (null), as the API takes it.
    const settings: Record<string, unknown> = {};
    for (const key of KIND_SETTINGS[values.kind]) {
      const value = values.settings?.[key];
      if (value === undefined) continue;
      settings[key] = typeof value === "string" && value.trim() === "" ? (key === "user" || key === "pass" || key === "secret" ? null : undefined) : typeof value === "string" ? value.trim() : value;
      if (settings[key] === undefined) delete settings[key];
    }
    onSubmit({ kind: values.kind, name: values.name.trim(), settings: settings as ChannelSettings, audiences: values.audiences, enabled: values.enabled });
  };

  const required = (message: string) => [{ required: true, whitespace: true, message }];
  return (
    <Modal open={open} title={channel ? `修改渠道:${channel.name}` : "添加发送渠道"} okText="保存" cancelText="取消" onOk={submit} onCancel={onCancel} confirmLoading={busy} destroyOnHidden width={560}>
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="kind" label="类型" extra={channel ? "添加后不能改类型;如需换类型请新建渠道" : undefined}>
          <Select disabled={channel !== undefined} options={KINDS.map((value) => ({ value, label: CHANNEL_KIND_LABELS[value] }))} />
        </Form.Item>
        <Form.Item name="name" label="名称" rules={required("请填写渠道名称")}>
          <Input maxLength={100} placeholder="如:督查室钉钉群" />
        </Form.Item>
        {kind === "smtp" ? (
          <>
            <Form.Item name={["settings", "host"]} label="发信服务器(SMTP)" rules={required("请填写发信服务器地址")}>
              <Input placeholder="smtp.example.gov.cn" />
            </Form.Item>
            <Form.Item label="端口与加密" style={{ marginBottom: 0 }}>
              <Form.Item name={["settings", "port"]} rules={[{ required: true, message: "请填写端口" }]} style={{ display: "inline-block", width: 140, marginInlineEnd: 16 }}>
                <InputNumber min={1} max={65_535} style={{ width: "100%" }} aria-label="端口" />
              </Form.Item>
              <Form.Item name={["settings", "secure"]} valuePropName="checked" style={{ display: "inline-block" }}>
                <Checkbox>SSL/TLS 加密连接(端口 465)</Checkbox>
              </Form.Item>
            </Form.Item>
            <Form.Item name={["settings", "user"]} label="登录账号">
              <Input autoComplete="off" placeholder="不需要登录时留空" />
            </Form.Item>
            <Form.Item name={["settings", "pass"]} label="密码或授权码" extra={channel ? "显示为 ****** 时保留原密码;重新填写即修改" : undefined}>
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Form.Item name={["settings", "from"]} label="发件人" rules={required("请填写发件人地址")}>
              <Input placeholder="督查室 <duchashi@example.gov.cn>" />
            </Form.Item>
            <Form.Item name={["settings", "to"]} label="收件人" rules={[{ required: true, type: "array", min: 1, message: "请至少填写一个收件人" }]} extra="输入地址后按回车,可填多个">
              <Select mode="tags" open={false} tokenSeparators={[",", ",", ";", ";", " "]} placeholder="name@example.gov.cn" />
            </Form.Item>
          </>
        ) : (
          <>
            <Form.Item name={["settings", "url"]} label="Webhook 地址" rules={required("请填写 Webhook 地址")} extra={`${URL_HINTS[kind]}${channel ? ";地址中的令牌显示为 ******,不改则保留" : ""}`}>
              <Input placeholder="https://" />
            </Form.Item>
            {kind === "dingtalk" && (
              <Form.Item name={["settings", "secret"]} label="加签密钥" extra="机器人安全设置选“加签”时填写(SEC 开头);用关键词或 IP 白名单时留空">
                <Input.Password autoComplete="new-password" />
              </Form.Item>
            )}
          </>
        )}
        <Form.Item name="audiences" label="发送哪些消息" rules={[{ required: true, type: "array", min: 1, message: "请至少选择一类" }]}>
          <Checkbox.Group options={AUDIENCES.map((value) => ({ value, label: `发给${NOTICE_AUDIENCE_LABELS[value]}的` }))} />
        </Form.Item>
        <Form.Item name="enabled" label="启用" valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
