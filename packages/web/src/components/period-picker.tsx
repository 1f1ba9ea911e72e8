// A statistics period as the bulletin routes name it: a month "2026-10", a quarter "2026-Q3" or a
// year "2026". Periods that have not begun cannot be picked (the server refuses them).
import { DatePicker, Segmented, Space } from "antd";
import dayjs, { type Dayjs } from "dayjs";

export type PeriodKind = "month" | "quarter" | "year";

const KIND_OPTIONS: { value: PeriodKind; label: string }[] = [
  { value: "month", label: "月度" },
  { value: "quarter", label: "季度" },
  { value: "year", label: "年度" },
];

export function periodKind(id: string): PeriodKind {
  if (/^\d{4}-Q[1-4]$/.test(id)) return "quarter";
  if (/^\d{4}$/.test(id)) return "year";
  return "month";
}

/** The period's first day (a month's, a quarter's first month's, the year's January). */
export function periodStart(id: string): Dayjs {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(id);
  if (quarter) return dayjs(`${quarter[1]}-${String((Number(quarter[2]) - 1) * 3 + 1).padStart(2, "0")}-01`);
  if (/^\d{4}$/.test(id)) return dayjs(`${id}-01-01`);
  return dayjs(`${id}-01`);
}

/** The period of this kind that `day` falls in. */
export function periodOf(kind: PeriodKind, day: Dayjs): string {
  if (kind === "year") return day.format("YYYY");
  if (kind === "quarter") return `${day.format("YYYY")}-Q${Math.floor(day.month() / 3) + 1}`;
  return day.format("YYYY-MM");
}

/** This month, by the bureau's calendar day ("YYYY-MM-DD"). */
export function currentMonth(today: string): string {
  return today.slice(0, 7);
}

export function PeriodPicker({ value, onChange, today }: { value: string; onChange: (period: string) => void; today: string }) {
  const kind = periodKind(value);
  const now = dayjs(today);
  return (
    <Space wrap>
      <Segmented<PeriodKind> options={KIND_OPTIONS} value={kind} onChange={(next) => onChange(periodOf(next, periodStart(value)))} aria-label="统计期类型" />
      <DatePicker
        picker={kind}
        allowClear={false}
        value={periodStart(value)}
        // A quarter reads as its id, whatever dayjs' quarter plugin would print.
        format={(day) => (kind === "quarter" ? `${day.year()} 年第 ${Math.floor(day.month() / 3) + 1} 季度` : kind === "year" ? `${day.year()} 年` : day.format("YYYY 年 M 月"))}
        disabledDate={(day) => periodStart(periodOf(kind, day)).isAfter(now)}
        onChange={(day) => day && onChange(periodOf(kind, day))}
        aria-label="统计期"
        style={{ width: 170 }}
      />
    </Space>
  );
}
