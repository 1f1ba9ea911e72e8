// 通知渠道: where the scheduler's reminders, 催办 and 督办 go besides the message centre — email,
// DingTalk and WeCom group robots, any webhook. The office adds and changes them and sends a test
// message to see that one arrives (and, when not, why).
import { PlusOutlined, ReloadOutlined, SendOutlined } from "@ant-design/icons";
import { App, Button, Card, Flex, Space, Table, Tag, Typography, type TableColumnsType } from "antd";
import { useState, type HTMLAttributes } from "react";
import { api } from "../api.js";
import type { Channel, ChannelTestResult, NewChannel } from "../api-types.js";
import { ChannelModal } from "../components/channel-modal.js";
import { CHANNEL_KIND_LABELS, NOTICE_AUDIENCE_LABELS } from "../labels.js";
import { notifyError, notifySuccess } from "../notify.js";
import { useLoad } from "../use-load.js";

/** Where a channel sends, as the list shows it (secrets already masked by the server). */
function target(channel: Channel): string {
  const { settings } = channel;
  if (channel.kind === "smtp") return `${settings.host ?? "—"}:${settings.port ?? "—"} → ${(settings.to ?? []).join("、") || "—"}`;
  return settings.url ?? "—";
}

export default function ChannelsPage() {
  const { modal } = App.useApp();
  const channels = useLoad(() => api.channels.list(), []);
  const [editing, setEditing] = useState<{ channel: Channel | undefined } | null>(null);
  const [busy, setBusy] = useState(false);
  const [testing, setTesting] = useState<number | null>(null);
  const [results, setResults] = useState<Record<number, ChannelTestResult>>({});

  const save = async (values: NewChannel) => {
    setBusy(true);
    try {
      const channel = editing?.channel;
      if (channel) {
        const { kind: _kind, ...changes } = values;
        await api.channels.edit(channel.id, changes);
        notifySuccess("渠道已保存");
      } else {
        await api.channels.create(values);
        notifySuccess("渠道已添加");
      }
      setEditing(null);
      await channels.reload();
    } catch (error) {
      notifyError(error, "渠道没有保存");
    } finally {
      setBusy(false);
    }
  };

  const test = async (channel: Channel) => {
    setTesting(channel.id);
    try {
      const result = await api.channels.test(channel.id);
      setResults((current) => ({ ...current, [channel.id]: result }));
      if (result.ok) void modal.success({ title: `测试消息已发出:${channel.name}`, content: result.detail ?? "请到对应的群或邮箱查看是否收到。", okText: "知道了" });
      else void modal.error({ title: `测试消息没有送达:${channel.name}`, content: [result.message, result.detail].filter(Boolean).join(" ") || "渠道没有答复。", okText: "知道了" });
    } catch (error) {
      notifyError(error, "测试没有完成");
    } finally {
      setTesting(null);
    }
  };

  const columns: TableColumnsType<Channel> = [
    { title: "名称", dataIndex: "name", width: 160, ellipsis: true },
    { title: "类型", dataIndex: "kind", width: 130, render: (kind: Channel["kind"]) => CHANNEL_KIND_LABELS[kind] },
    { title: "发往", key: "target", ellipsis: true, render: (_, channel) => <Typography.Text code title={target(channel)}>{target(channel)}</Typography.Text> },
    {
      title: "发送哪些消息",
      dataIndex: "audiences",
      width: 200,
      render: (audiences: Channel["audiences"]) => (
        <Space size={4} wrap>
          {audiences.map((audience) => (
            <Tag key={audience}>{NOTICE_AUDIENCE_LABELS[audience]}</Tag>
          ))}
        </Space>
      ),
    },
    { title: "状态", dataIndex: "enabled", width: 70, render: (enabled: boolean) => (enabled ? <Tag color="green">启用</Tag> : <Tag>停用</Tag>) },
    {
      title: "上次测试",
      key: "test",
      width: 90,
      render: (_, channel) => {
        const result = results[channel.id];
        if (!result) return <Typography.Text type="secondary">—</Typography.Text>;
        return result.ok ? <Tag color="green">已送达</Tag> : <Tag color="red" title={result.message ?? undefined}>未送达</Tag>;
      },
    },
    {
      title: "操作",
      key: "actions",
      width: 180,
      fixed: "right",
      render: (_, channel) => (
        <Space>
          <Button size="small" onClick={() => setEditing({ channel })}>
            修改
          </Button>
          <Button size="small" icon={<SendOutlined />} loading={testing === channel.id} onClick={() => void test(channel)}>
            发送测试
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Flex vertical gap={2}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            通知渠道
          </Typography.Title>
          <Typography.Text type="secondary">到期提醒、催办和督办除了站内消息,还通过这里启用的渠道发出。</Typography.Text>
        </Flex>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => void channels.reload()} aria-label="刷新" />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ channel: undefined })}>
            添加渠道
          </Button>
        </Space>
      </Flex>
      <Card size="small" styles={{ body: { padding: 0 } }}>
        <Table<Channel>
          rowKey="id"
          loading={channels.loading}
          columns={columns}
          dataSource={channels.data ?? []}
          pagination={false}
          scroll={{ x: 1100 }}
          onRow={(channel) => ({ "data-channel-id": channel.id }) as HTMLAttributes<HTMLElement>}
          locale={{ emptyText: "还没有发送渠道:消息只在站内送达。点“添加渠道”接入邮件、钉钉或企业微信群机器人。" }}
          data-testid="channels"
        />
      </Card>
      <ChannelModal open={editing !== null} channel={editing?.channel} busy={busy} onSubmit={(values) => void save(values)} onCancel={() => setEditing(null)} />
    </Flex>
  );
}
