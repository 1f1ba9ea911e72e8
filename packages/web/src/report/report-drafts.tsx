// Drafts of progress reports, kept in this browser per user, task and period, so a report half
// written survives a closed tab, a lost connection or a lunch break. A submitted report's draft is
// removed. (A .tsx module: it touches the browser's localStorage.)
import type { EvidenceRef, ReportStatus } from "../api-types.js";

export interface ReportDraft {
  period: string;
  status: ReportStatus;
  percent: number;
  narrative: string;
  /** By KPI id; null: left empty. */
  kpiValues: Record<string, number | null>;
  /** Files already uploaded to the task for this report. */
  evidence: EvidenceRef[];
  savedAt: string;
}

const PREFIX = "taizhang.report-draft.v1";

export function draftKey(userId: number, taskId: number, period: string): string {
  return `${PREFIX}:${userId}:${taskId}:${period}`;
}

export function loadDraft(key: string): ReportDraft | undefined {
  try {
    const text = window.localStorage.getItem(key);
    if (text === null) return undefined;
    const draft = JSON.parse(text) as Partial<ReportDraft>;
    // A draft from an older page version or edited by hand is ignored, not trusted.
    if (typeof draft.period !== "string" || typeof draft.percent !== "number" || typeof draft.status !== "string") return undefined;
    return { narrative: "", kpiValues: {}, evidence: [], savedAt: "", ...draft } as ReportDraft;
  } catch {
    return undefined;
  }
}

export function saveDraft(key: string, draft: ReportDraft): boolean {
  try {
    window.localStorage.setItem(key, JSON.stringify(draft));
    return true;
  } catch {
    // Storage full or disabled (private windows): the form still works, without drafts.
    return false;
  }
}

export function clearDraft(key: string): void {
  try {
    window.localStorage.removeItem(key);
  } catch {
    // Nothing to clear when storage is unavailable.
  }
}
