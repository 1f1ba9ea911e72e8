// Runs one workflow action on a task with the version the page shows, says how it went, and
// reloads the task (also after a refusal: a 409 means someone else changed it meanwhile).
import { useState } from "react";
import { api } from "../api.js";
import type { TaskAction, TaskActionType, TaskDetail } from "../api-types.js";
import { ACTION_LABELS } from "../labels.js";
import { notifyError, notifySuccess } from "../notify.js";

export interface TaskActionRunner {
  /** The action under way, if any. */
  busy: TaskActionType | null;
  run(action: TaskAction, done?: string): Promise<boolean>;
}

export function useTaskAction(task: TaskDetail | undefined, reload: () => Promise<void>): TaskActionRunner {
  const [busy, setBusy] = useState<TaskActionType | null>(null);
  const run = async (action: TaskAction, done?: string): Promise<boolean> => {
    if (!task) return false;
    setBusy(action.type);
    try {
      await api.tasks.act(task.id, task.version, action);
      notifySuccess(done ?? `已${ACTION_LABELS[action.type]}`);
      return true;
    } catch (error) {
      notifyError(error, `${ACTION_LABELS[action.type]}没有完成`);
      return false;
    } finally {
      setBusy(null);
      await reload();
    }
  };
  return { busy, run };
}
