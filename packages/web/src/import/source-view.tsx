// The plan's source text with every extracted field marked where it was read: titles, units,
// deadlines and targets each in their colour, a unit no unit of the tree stands for in red. A
// plan file can be a few hundred KB (thousands of lines): the text is cut into chunks of lines,
// and only the chunks near the visible part are drawn; the others keep their place with their
// last measured (or an estimated) height. `focus` scrolls a span into view and outlines it.
import { Flex, Typography } from "antd";
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties, type ReactNode } from "react";
import type { SourceSpan } from "../api-types.js";
import type { FieldKind, Highlight } from "./plan-draft.js";

const CHUNK_LINES = 80;
const LINE_HEIGHT = 22;
const FONT_SIZE = 14;
const GUTTER = 52;
/** How far beyond the visible part chunks are drawn, so a scroll rarely shows a blank. */
const DRAW_AHEAD = "800px 0px";

export const FIELD_COLORS: Record<FieldKind, string> = { title: "#bae0ff", unit: "#d9f7be", deadline: "#ffe7ba", target: "#efdbff" };
export const FIELD_LABELS: Record<FieldKind, string> = { title: "任务标题", unit: "责任单位", deadline: "完成时限", target: "量化目标" };
const PROBLEM_COLOR = "#ffccc7";

interface Lines {
  /** Offset of each line's first character. */
  starts: number[];
  /** Offset just after each line's last character (before its line break). */
  ends: number[];
}

function splitLines(text: string): Lines {
  const starts: number[] = [0];
  const ends: number[] = [];
  const breaks = /\r\n|\n|\r/g;
  for (let match = breaks.exec(text); match; match = breaks.exec(text)) {
    ends.push(match.index);
    starts.push(match.index + match[0].length);
  }
  ends.push(text.length);
  return { starts, ends };
}

/** The line an offset falls in (binary search over the line starts). */
function lineAt(lines: Lines, offset: number): number {
  let low = 0;
  let high = lines.starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((lines.starts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** What a line is likely to take when wrapped: CJK characters are a full em, the rest about half. */
function estimateLineHeight(text: string, start: number, end: number, width: number): number {
  let ems = 0;
  for (let i = start; i < end; i++) ems += text.charCodeAt(i) > 0x2e80 ? 1 : 0.55;
  const perRow = Math.max(1, (width - GUTTER) / FONT_SIZE);
  return Math.max(1, Math.ceil(ems / perRow)) * LINE_HEIGHT;
}

export interface SourceFocus extends SourceSpan {
  /** A new number scrolls again to the same span. */
  nonce: number;
}

interface SourceViewProps {
  text: string;
  highlights: readonly Highlight[];
  /** Highlight keys drawn stronger (the selected task's fields). */
  selected?: ReadonlySet<string>;
  focus?: SourceFocus;
  onPick?: (key: string) => void;
  height: CSSProperties["height"];
}

export function SourceView({ text, highlights, selected, focus, onPick, height }: SourceViewProps) {
  const lines = useMemo(() => splitLines(text), [text]);
  const chunkCount = Math.ceil(lines.starts.length / CHUNK_LINES);
  // Highlights by the chunks they touch: a chunk draws only its own.
  const buckets = useMemo(() => {
    const byChunk: Highlight[][] = Array.from({ length: chunkCount }, () => []);
    for (const highlight of highlights) {
      const first = Math.floor(lineAt(lines, highlight.start) / CHUNK_LINES);
      const last = Math.floor(lineAt(lines, Math.max(highlight.start, highlight.end - 1)) / CHUNK_LINES);
      for (let chunk = first; chunk <= last; chunk++) byChunk[chunk]?.push(highlight);
    }
    return byChunk;
  }, [highlights, lines, chunkCount]);

  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(600);
  const [visible, setVisible] = useState<ReadonlySet<number>>(() => new Set([0, 1]));
  const heights = useRef(new Map<number, number>());
  const observer = useRef<IntersectionObserver | null>(null);
  // Chunk elements mount before this component's effects run: they are remembered here and
  // observed once the observer exists.
  const chunkElements = useRef(new Set<HTMLDivElement>());

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const resize = new ResizeObserver(() => setWidth(element.clientWidth));
    resize.observe(element);
    const intersections = new IntersectionObserver(
      (entries) => {
        setVisible((current) => {
          const next = new Set(current);
          for (const entry of entries) {
            const chunk = Number((entry.target as HTMLElement).dataset.chunk);
            if (entry.isIntersecting) next.add(chunk);
            else if (entry.target.isConnected) {
              // Leaving: remember its real height for the placeholder that takes its place.
              heights.current.set(chunk, entry.boundingClientRect.height);
              next.delete(chunk);
            }
          }
          return next;
        });
      },
      { root: element, rootMargin: DRAW_AHEAD },
    );
    observer.current = intersections;
    for (const chunk of chunkElements.current) intersections.observe(chunk);
    return () => {
      resize.disconnect();
      intersections.disconnect();
      observer.current = null;
    };
  }, []);

  // Another text: heights measured for the last one mean nothing.
  useEffect(() => {
    heights.current.clear();
    setVisible(new Set([0, 1]));
    box.current?.scrollTo({ top: 0 });
  }, [text]);

  const observe = useCallback((element: HTMLDivElement | null) => {
    if (!element) return;
    chunkElements.current.add(element);
    observer.current?.observe(element);
    return () => {
      chunkElements.current.delete(element);
      observer.current?.unobserve(element);
    };
  }, []);

  // The chunk holding the span to show is drawn whether or not it is in view yet; once drawn, the
  // mark is brought to the upper third of the box.
  const pinned = useMemo(() => (focus ? Math.floor(lineAt(lines, focus.start) / CHUNK_LINES) : null), [focus, lines]);

  useLayoutEffect(() => {
    if (!focus) return;
    const container = box.current;
    const target = container?.querySelector<HTMLElement>('[data-focus="true"]') ?? container?.querySelector<HTMLElement>(`[data-line="${lineAt(lines, focus.start)}"]`);
    if (!container || !target) return;
    const center = () => {
      const offset = target.getBoundingClientRect().top - container.getBoundingClientRect().top;
      container.scrollTop += offset - container.clientHeight / 3;
    };
    center();
    // Chunks drawn around it may change height above it: settle once more on the next frame.
    const frame = requestAnimationFrame(center);
    return () => cancelAnimationFrame(frame);
  }, [focus, lines]);

  const chunks: ReactNode[] = [];
  for (let chunk = 0; chunk < chunkCount; chunk++) {
    const firstLine = chunk * CHUNK_LINES;
    const lastLine = Math.min(lines.starts.length, firstLine + CHUNK_LINES) - 1;
    if (visible.has(chunk) || pinned === chunk) {
      chunks.push(
        <Chunk
          key={chunk}
          chunk={chunk}
          text={text}
          lines={lines}
          firstLine={firstLine}
          lastLine={lastLine}
          highlights={buckets[chunk] ?? []}
          selected={selected}
          focus={focus && pinned === chunk ? focus : undefined}
          observe={observe}
        />,
      );
    } else {
      let estimate = heights.current.get(chunk);
      if (estimate === undefined) {
        estimate = 0;
        for (let line = firstLine; line <= lastLine; line++) estimate += estimateLineHeight(text, lines.starts[line] ?? 0, lines.ends[line] ?? 0, width);
      }
      chunks.push(<div key={chunk} ref={observe} data-chunk={chunk} style={{ height: estimate }} />);
    }
  }

  return (
    <div
      ref={box}
      data-testid="source-view"
      onClick={(event) => {
        const key = (event.target as HTMLElement).closest<HTMLElement>("[data-field]")?.dataset.field;
        if (key) onPick?.(key);
      }}
      style={{ height, overflowY: "auto", fontSize: FONT_SIZE, lineHeight: `${LINE_HEIGHT}px`, background: "#fff", border: "1px solid #f0f0f0", borderRadius: 6, paddingBlock: 8 }}
    >
      {chunks}
    </div>
  );
}

interface ChunkProps {
  chunk: number;
  text: string;
  lines: Lines;
  firstLine: number;
  lastLine: number;
  highlights: readonly Highlight[];
  selected?: ReadonlySet<string>;
  focus?: SourceSpan;
  observe(element: HTMLDivElement | null): void;
}

const Chunk = memo(function Chunk({ chunk, text, lines, firstLine, lastLine, highlights, selected, focus, observe }: ChunkProps) {
  const rows: ReactNode[] = [];
  for (let line = firstLine; line <= lastLine; line++) {
    const start = lines.starts[line] ?? 0;
    const end = lines.ends[line] ?? 0;
    rows.push(
      <div key={line} data-line={line} style={{ display: "flex", minHeight: LINE_HEIGHT }}>
        <span style={{ flex: `0 0 ${GUTTER - 8}px`, textAlign: "right", paddingInlineEnd: 8, color: "#bfbfbf", userSelect: "none", fontVariantNumeric: "tabular-nums" }}>{line + 1}</span>
        <span style={{ flex: 1, minWidth: 0, whiteSpace: "pre-wrap", overflowWrap: "anywhere", paddingInlineEnd: 8 }}>{segments(text, start, end, highlights, selected, focus)}</span>
      </div>,
    );
  }
  return (
    <div ref={observe} data-chunk={chunk}>
      {rows}
    </div>
  );
});

/** One line's text cut where highlights begin and end; where they overlap, the shorter (more precise) one shows. */
function segments(text: string, start: number, end: number, highlights: readonly Highlight[], selected: ReadonlySet<string> | undefined, focus: SourceSpan | undefined): ReactNode[] {
  const here = highlights.filter((highlight) => highlight.start < end && highlight.end > start);
  const inFocus = focus && focus.start < end && focus.end > start ? focus : undefined;
  if (here.length === 0 && !inFocus) return [text.slice(start, end) || "\u00a0"];
  const cuts = new Set<number>([start, end]);
  for (const highlight of here) {
    cuts.add(Math.max(start, highlight.start));
    cuts.add(Math.min(end, highlight.end));
  }
  if (inFocus) {
    cuts.add(Math.max(start, inFocus.start));
    cuts.add(Math.min(end, inFocus.end));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const parts: ReactNode[] = [];
  let focusMarked = false;
  for (let i = 0; i < points.length - 1; i++) {
    const from = points[i] ?? 0;
    const to = points[i + 1] ?? 0;
    if (to <= from) continue;
    const piece = text.slice(from, to);
    let best: Highlight | undefined;
    for (const highlight of here) {
      if (highlight.start <= from && highlight.end >= to && (!best || highlight.end - highlight.start < best.end - best.start)) best = highlight;
    }
    const focused = inFocus !== undefined && inFocus.start <= from && inFocus.end >= to;
    if (!best && !focused) {
      parts.push(piece);
      continue;
    }
    const strong = best !== undefined && selected?.has(best.key);
    const style: CSSProperties = {
      background: best ? (best.problem ? PROBLEM_COLOR : FIELD_COLORS[best.kind]) : "#fff1b8",
      borderRadius: 2,
      padding: 0,
      color: "inherit",
      cursor: best ? "pointer" : undefined,
      boxShadow: focused ? "0 0 0 2px #1677ff" : strong ? "inset 0 -2px 0 rgba(22,119,255,0.65)" : undefined,
    };
    parts.push(
      <mark
        key={from}
        style={style}
        data-field={best?.key}
        data-kind={best?.kind}
        data-problem={best?.problem ? "true" : undefined}
        data-focus={focused && !focusMarked ? "true" : undefined}
        title={best ? FIELD_LABELS[best.kind] : undefined}
      >
        {piece}
      </mark>,
    );
    if (focused) focusMarked = true;
  }
  return parts;
}

export function SourceLegend() {
  return (
    <Flex gap={12} wrap style={{ fontSize: 12 }}>
      {(Object.keys(FIELD_LABELS) as FieldKind[]).map((kind) => (
        <Typography.Text key={kind} style={{ fontSize: 12 }}>
          <span style={{ display: "inline-block", width: 12, height: 12, background: FIELD_COLORS[kind], borderRadius: 2, marginInlineEnd: 4, verticalAlign: -1 }} />
          {FIELD_LABELS[kind]}
        </Typography.Text>
      ))}
      <Typography.Text style={{ fontSize: 12 }}>
        <span style={{ display: "inline-block", width: 12, height: 12, background: PROBLEM_COLOR, borderRadius: 2, marginInlineEnd: 4, verticalAlign: -1 }} />
        未对应到单位树
      </Typography.Text>
    </Flex>
  );
}
