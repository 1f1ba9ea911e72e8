// Messages to the clerk from anywhere: a refusal from the API shows its Chinese message and how to
// fix it; a success is a short toast. antd's message and notification take the app's theme and
// locale only through <App>, so a holder inside it hands them to this module.
import { App } from "antd";
import type { MessageInstance } from "antd/es/message/interface";
import type { NotificationInstance } from "antd/es/notification/interface";
import { useEffect } from "react";
import { ApiError } from "./api.js";

let messages: MessageInstance | undefined;
let notifications: NotificationInstance | undefined;

/** Rendered once inside antd's <App>. */
export function NotifyHolder() {
  const app = App.useApp();
  useEffect(() => {
    messages = app.message;
    notifications = app.notification;
  }, [app]);
  return null;
}

export function notifySuccess(text: string): void {
  void messages?.success(text);
}

/** Something the clerk must do before going on (not a refusal of the server). */
export function notifyWarning(text: string, description?: string): void {
  notifications?.warning({ title: text, description, placement: "topRight", duration: 5 });
}

/** Shows what went wrong; the session's end is shown by the login page instead. */
export function notifyError(error: unknown, title?: string): void {
  if (error instanceof ApiError && error.code === "UNAUTHENTICATED") return;
  const { message, fix } = describeError(error);
  notifications?.error({ title: title ?? message, description: title ? [message, fix].filter(Boolean).join(" ") : fix, placement: "topRight", duration: 6 });
}

/** A refusal as words; an unexpected exception is not shown as a stack trace. */
export function describeError(error: unknown): { message: string; fix: string | undefined; code: string | undefined } {
  if (error instanceof ApiError) return { message: error.message, fix: error.fix, code: error.code };
  return { message: "操作没有完成", fix: "请刷新页面后重试;如反复出现,请联系系统管理员。", code: undefined };
}
