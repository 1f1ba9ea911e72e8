// The bell in the header: the signed-in user's messages (reminders, 催办, 督办) with the unread
// count. The count is asked for every minute (no push: a bureau's network often drops long-lived
// connections) and again whenever the list is opened. Opening a message marks it read and goes to
// its task; a 督办 also links its 督办单 for those who may print it.
import { BellOutlined, ReloadOutlined } from "@ant-design/icons";
import { Badge, Button, Drawer, Empty, Flex, Skeleton, Tag, Typography } from "antd";
import { useCallback, useEffect, useState } from "react";
import { api } from "../api.js";
import type { Notification } from "../api-types.js";
import { formatInstant } from "../format.js";
import { NOTICE_KIND_COLORS, NOTICE_KIND_LABELS } from "../labels.js";
import { notifyError } from "../notify.js";
import { Link, navigate } from "../router.js";
import { useSession } from "../session.js";

const POLL_MS = 60_000;
const PAGE = 50;

export function NotificationBell({ narrow }: { narrow: boolean }) {
  const session = useSession();
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<Notification[] | undefined>(undefined);
  const [unread, setUnread] = useState(0);
  const [hasMore, setHasMore] = useState(false);
  const mayPrint = session.role === "admin" || session.role === "leader";

  // The poll stays quiet when it fails (a dropped network is not worth a popup every minute);
  // the list, opened on purpose, says what went wrong.
  const load = useCallback(async (loud: boolean) => {
    try {
      const page = await api.notifications.list({ limit: PAGE });
      setItems(page.items);
      setUnread(page.unread);
      setHasMore(page.hasMore);
    } catch (error) {
      if (loud) notifyError(error, "消息没有读取成功");
    }
  }, []);

  useEffect(() => {
    void load(false);
    const timer = window.setInterval(() => void load(false), POLL_MS);
    return () => window.clearInterval(timer);
  }, [load]);

  const show = () => {
    setOpen(true);
    void load(true);
  };

  const markRead = async (item: Notification): Promise<void> => {
    if (item.readAt !== null) return;
    try {
      const read = await api.notifications.read(item.id);
      setItems((current) => current?.map((other) => (other.id === item.id ? { ...other, readAt: read.readAt } : other)));
      setUnread((count) => Math.max(0, count - 1));
    } catch (error) {
      notifyError(error, "没有标为已读");
    }
  };

  const openTask = (item: Notification) => {
    setOpen(false);
    void markRead(item);
    navigate(`/tasks/${item.taskId}`);
  };

  return (
    <>
      <Badge count={unread} size="small" offset={[-6, 6]} overflowCount={99}>
        <Button type="text" icon={<BellOutlined style={{ fontSize: 18 }} />} onClick={show} aria-label={unread > 0 ? `消息(${unread} 条未读)` : "消息"} data-testid="notification-bell" />
      </Badge>
      <Drawer
        open={open}
        onClose={() => setOpen(false)}
        placement="right"
        size={narrow ? "100%" : 440}
        title={
          <Flex justify="space-between" align="center">
            <span>我的消息{unread > 0 ? `(${unread} 条未读)` : ""}</span>
            <Button size="small" type="text" icon={<ReloadOutlined />} onClick={() => void load(true)} aria-label="刷新消息" />
          </Flex>
        }
        styles={{ body: { padding: 0 } }}
      >
        {items === undefined ? (
          <Skeleton active style={{ padding: 16 }} />
        ) : items.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无消息:到期提醒、催办和督办会出现在这里" style={{ paddingTop: 48 }} data-testid="notification-empty" />
        ) : (
          <div role="list" data-testid="notification-list">
            {items.map((item) => (
              <div
                role="listitem"
                key={item.id}
                data-notification-id={item.id}
                data-read={item.readAt !== null}
                tabIndex={0}
                onClick={() => openTask(item)}
                onKeyDown={(event) => {
                  if (event.key === "Enter") openTask(item);
                }}
                style={{ cursor: "pointer", padding: "12px 16px", borderBottom: "1px solid #f0f0f0", background: item.readAt === null ? "#e6f4ff" : undefined }}
              >
                <Flex vertical gap={4}>
                  <Flex justify="space-between" align="center" gap={8}>
                    <Flex align="center" gap={6} style={{ minWidth: 0 }}>
                      {item.readAt === null && <Badge status="processing" aria-label="未读" />}
                      <Tag color={NOTICE_KIND_COLORS[item.kind]} style={{ marginInlineEnd: 0 }}>
                        {NOTICE_KIND_LABELS[item.kind]}
                      </Tag>
                      <Typography.Text strong ellipsis>
                        {item.title}
                      </Typography.Text>
                    </Flex>
                    <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: "nowrap" }}>
                      {formatInstant(item.createdAt)}
                    </Typography.Text>
                  </Flex>
                  <Typography.Paragraph type="secondary" ellipsis={{ rows: 3 }} style={{ margin: 0, fontSize: 13 }}>
                    {item.body}
                  </Typography.Paragraph>
                  {mayPrint && item.supervisionNumber && (
                    <Link
                      to={`/supervision-notices/${item.id}`}
                      onClick={(event) => {
                        // The 督办单, not the task (the item's own click).
                        event.stopPropagation();
                        setOpen(false);
                        void markRead(item);
                      }}
                    >
                      查看督办单 {item.supervisionNumber}
                    </Link>
                  )}
                </Flex>
              </div>
            ))}
          </div>
        )}
        {hasMore && (
          <Typography.Paragraph type="secondary" style={{ textAlign: "center", padding: 12, margin: 0 }}>
            只显示最近 {PAGE} 条
          </Typography.Paragraph>
        )}
      </Drawer>
    </>
  );
}
