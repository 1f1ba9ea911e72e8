// The app's pages: path, who may open them, and where they sit in the menu. A new page is one
// entry here (its module loads when first opened, as its own chunk).
import { AlertOutlined, ApiOutlined, AuditOutlined, DashboardOutlined, FileAddOutlined, FileTextOutlined, ProfileOutlined, ScheduleOutlined } from "@ant-design/icons";
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from "react";
import type { Role } from "./api-types.js";
import { matchPath } from "./router.js";

export interface PageProps {
  /** The path's parameters (":id" → params.id). */
  params: Record<string, string>;
}

export interface AppRoute {
  /** "/tasks/:id" */
  path: string;
  /** The browser tab's title and the page's heading. */
  title: string;
  roles: readonly Role[];
  /** In the menu, in this order, with this icon; without: reached by links only. */
  menu?: { order: number; icon: ReactNode; label?: string };
  page: LazyExoticComponent<ComponentType<PageProps>>;
}

const ALL_ROLES: readonly Role[] = ["admin", "leader", "reporter"];

export const ROUTES: readonly AppRoute[] = [
  {
    path: "/my",
    title: "我的任务",
    roles: ["reporter"],
    menu: { order: 10, icon: <ScheduleOutlined /> },
    page: lazy(() => import("./pages/my-tasks-page.js")),
  },
  {
    path: "/tasks",
    title: "任务台账",
    roles: ALL_ROLES,
    menu: { order: 20, icon: <ProfileOutlined /> },
    page: lazy(() => import("./pages/ledger-page.js")),
  },
  {
    path: "/tasks/:id",
    title: "任务详情",
    roles: ALL_ROLES,
    page: lazy(() => import("./pages/task-page.js")),
  },
  {
    path: "/reviews",
    title: "审核待办",
    roles: ["admin", "leader"],
    menu: { order: 30, icon: <AuditOutlined /> },
    page: lazy(() => import("./pages/review-page.js")),
  },
  {
    path: "/cockpit",
    title: "领导驾驶舱",
    roles: ["admin", "leader"],
    menu: { order: 5, icon: <DashboardOutlined /> },
    page: lazy(() => import("./pages/cockpit-page.js")),
  },
  {
    path: "/plans/import",
    title: "导入计划",
    roles: ["admin"],
    menu: { order: 40, icon: <FileAddOutlined /> },
    page: lazy(() => import("./pages/import-page.js")),
  },
  {
    path: "/supervision-notices",
    title: "督办单",
    roles: ["admin", "leader"],
    menu: { order: 32, icon: <AlertOutlined /> },
    page: lazy(() => import("./pages/supervision-notices-page.js")),
  },
  {
    path: "/supervision-notices/:id",
    title: "督办单",
    roles: ["admin", "leader"],
    page: lazy(() => import("./pages/supervision-notice-page.js")),
  },
  {
    path: "/bulletins",
    title: "通报与考核",
    roles: ["admin", "leader"],
    menu: { order: 35, icon: <FileTextOutlined /> },
    page: lazy(() => import("./pages/bulletin-page.js")),
  },
  {
    path: "/channels",
    title: "通知渠道",
    roles: ["admin"],
    menu: { order: 50, icon: <ApiOutlined /> },
    page: lazy(() => import("./pages/channels-page.js")),
  },
];

/** Where each role starts after signing in. */
export const HOME: Record<Role, string> = { admin: "/tasks", leader: "/cockpit", reporter: "/my" };

export function findRoute(pathname: string): { route: AppRoute; params: Record<string, string> } | undefined {
  for (const route of ROUTES) {
    const params = matchPath(route.path, pathname);
    if (params) return { route, params };
  }
  return undefined;
}

export function menuRoutes(role: Role): AppRoute[] {
  return ROUTES.filter((route) => route.menu && route.roles.includes(role)).sort((a, b) => (a.menu?.order ?? 0) - (b.menu?.order ?? 0));
}
