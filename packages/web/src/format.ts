// Dates, instants, sizes and numbers as the pages show them. The bureau's day is Beijing's
// (as on the server), whatever the clock of the computer showing the page is set to.
import dayjs from "dayjs";
import type { Instant, IsoDate, Kpi } from "./api-types.js";
import { KPI_DIRECTION_LABELS } from "./labels.js";

const BUREAU_TIME_ZONE = "Asia/Shanghai";
const dayFormat = new Intl.DateTimeFormat("en-CA", { timeZone: BUREAU_TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" });

/** Today in Beijing, "YYYY-MM-DD". */
export function bureauToday(now: Date = new Date()): IsoDate {
  return dayFormat.format(now);
}

export function formatDate(day: IsoDate | null | undefined): string {
  return day ? day : "—";
}

export function formatInstant(instant: Instant | null | undefined): string {
  return instant ? dayjs(instant).format("YYYY-MM-DD HH:mm") : "—";
}

/** Days from `from` to `to` (both "YYYY-MM-DD"); negative when `to` is earlier. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** "还有 4 天" / "今天到期" / "已逾期 12 天" */
export function dueIn(due: IsoDate | null, today: IsoDate): string | null {
  if (due === null) return null;
  const days = daysBetween(today, due);
  if (days > 0) return `还有 ${days} 天`;
  if (days === 0) return "今天到期";
  return `已逾期 ${-days} 天`;
}

const KB = 1024;
export function formatSize(bytes: number): string {
  if (bytes < KB) return `${bytes} B`;
  if (bytes < KB * KB) return `${(bytes / KB).toFixed(1)} KB`;
  return `${(bytes / KB / KB).toFixed(1)} MB`;
}

export function formatNumber(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : value.toLocaleString("zh-CN", { maximumFractionDigits: 2 });
}

/** "不低于 95%" / "介于 80–90 个" */
export function kpiTarget(kpi: Pick<Kpi, "value" | "valueMax" | "unit" | "direction">): string {
  const range = kpi.direction === "within" && kpi.valueMax !== null ? `${formatNumber(kpi.value)}–${formatNumber(kpi.valueMax)}` : formatNumber(kpi.value);
  return `${KPI_DIRECTION_LABELS[kpi.direction]} ${range}${kpi.unit}`;
}

/** Attainment 0..1+ as "87%"; null when there is nothing to compare yet. */
export function formatAttainment(attainment: number | null | undefined): string {
  return attainment === null || attainment === undefined ? "—" : `${Math.round(attainment * 100)}%`;
}
