// The frame around every page once signed in: the role's menu at the side (in a drawer on a
// phone), the messages bell, who is signed in, and sign-out.
import { LogoutOutlined, MenuOutlined } from "@ant-design/icons";
import { Button, Drawer, Dropdown, Layout, Menu, Space, Tag, Typography } from "antd";
import { useState, type ReactNode } from "react";
import { NotificationBell } from "../components/notification-bell.js";
import { APP_TITLE, ROLE_LABELS } from "../labels.js";
import { menuRoutes } from "../routes.js";
import { Link, navigate, useLocation } from "../router.js";
import { useSession, useSessionState } from "../session.js";
import { useNarrow } from "../use-narrow.js";

const SIDER_WIDTH = 208;
const HEADER_HEIGHT = 56;

export function AppShell({ children }: { children: ReactNode }) {
  const session = useSession();
  const { signOut } = useSessionState();
  const narrow = useNarrow();
  const { pathname } = useLocation();
  const [drawerOpen, setDrawerOpen] = useState(false);
  const routes = menuRoutes(session.role);
  // The deepest menu entry the path is under ("/tasks/5" is under 任务台账).
  const selected = routes.filter((route) => pathname === route.path || pathname.startsWith(`${route.path}/`)).sort((a, b) => b.path.length - a.path.length)[0];

  const menu = (
    <Menu
      mode="inline"
      theme={narrow ? "light" : "dark"}
      selectedKeys={selected ? [selected.path] : []}
      items={routes.map((route) => ({ key: route.path, icon: route.menu?.icon, label: <Link to={route.path}>{route.menu?.label ?? route.title}</Link> }))}
      onClick={() => setDrawerOpen(false)}
      style={{ borderInlineEnd: "none" }}
    />
  );

  const who = (
    <Dropdown
      trigger={["click"]}
      menu={{
        items: [{ key: "logout", icon: <LogoutOutlined />, label: "退出登录" }],
        onClick: () => void signOut().then(() => navigate("/login", { replace: true })),
      }}
    >
      <Button type="text" style={{ color: "inherit", paddingInline: 8 }} aria-label="当前用户">
        <Space size={6}>
          {!narrow && <Tag color="blue" style={{ marginInlineEnd: 0 }}>{ROLE_LABELS[session.role]}</Tag>}
          <span>{narrow ? session.user.displayName.slice(0, 8) : session.user.displayName}</span>
        </Space>
      </Button>
    </Dropdown>
  );

  return (
    <Layout style={{ minHeight: "100vh" }}>
      {!narrow && (
        // The dark column runs the page's full height; the menu in it stays in view while scrolling.
        <Layout.Sider width={SIDER_WIDTH}>
          <div style={{ position: "sticky", top: 0 }}>
            <div style={{ height: HEADER_HEIGHT, display: "flex", alignItems: "center", paddingInline: 20, color: "#fff", fontWeight: 600, fontSize: 16, whiteSpace: "nowrap" }}>
              {APP_TITLE}
            </div>
            {menu}
          </div>
        </Layout.Sider>
      )}
      <Layout style={{ minWidth: 0 }}>
        <Layout.Header
          style={{
            height: HEADER_HEIGHT,
            lineHeight: `${HEADER_HEIGHT}px`,
            background: "#fff",
            paddingInline: narrow ? 8 : 24,
            display: "flex",
            alignItems: "center",
            justifyContent: "space-between",
            borderBottom: "1px solid #f0f0f0",
            position: "sticky",
            top: 0,
            zIndex: 10,
          }}
        >
          <Space size={4}>
            {narrow && <Button type="text" icon={<MenuOutlined />} onClick={() => setDrawerOpen(true)} aria-label="打开菜单" />}
            <Typography.Text strong style={{ fontSize: 16 }}>
              {narrow ? APP_TITLE : session.unitName ?? ROLE_LABELS[session.role]}
            </Typography.Text>
          </Space>
          <Space size={4}>
            <NotificationBell narrow={narrow} />
            {who}
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: narrow ? 12 : 24, minWidth: 0 }}>{children}</Layout.Content>
      </Layout>
      {narrow && (
        <Drawer open={drawerOpen} onClose={() => setDrawerOpen(false)} placement="left" size={260} title={APP_TITLE} styles={{ body: { padding: 0 } }}>
          <div style={{ padding: "12px 24px", color: "rgba(0,0,0,0.65)" }}>
            {session.user.displayName}
            {session.unitName ? ` · ${session.unitName}` : ""}
          </div>
          {menu}
        </Drawer>
      )}
    </Layout>
  );
}
