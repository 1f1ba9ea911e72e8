// One ECharts chart. ECharts loads on first use (its own chunk); the chart follows its box's size,
// and a click on an item hands the item's data to the page (to open the tasks behind it).
import { Skeleton } from "antd";
import type { EChartsCoreOption, ECElementEvent, EChartsType } from "echarts/core";
import { useEffect, useRef, useState, type CSSProperties } from "react";

export type ChartOption = EChartsCoreOption;
export type ChartClick = ECElementEvent;

interface LazyChartProps {
  option: ChartOption;
  height?: number;
  onItemClick?: (event: ChartClick) => void;
  /** After each complete render (ECharts' "finished": animations done); the cockpit counts these. */
  onFinished?: () => void;
  /** For tests and screen readers: what the chart shows. */
  ariaLabel: string;
  style?: CSSProperties;
}

/** Chinese text in the canvas in the same fonts as the page. */
const TEXT_STYLE = { fontFamily: "inherit" };

export function LazyChart({ option, height = 280, onItemClick, onFinished, ariaLabel, style }: LazyChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | undefined>(undefined);
  const clickRef = useRef(onItemClick);
  clickRef.current = onItemClick;
  const finishedRef = useRef(onFinished);
  finishedRef.current = onFinished;
  const [ready, setReady] = useState(false);

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | undefined;
    void import("./load-echarts.js").then(({ echarts }) => {
      if (disposed || !box.current) return;
      const instance = echarts.init(box.current, undefined, { renderer: "canvas" });
      instance.on("click", (event) => clickRef.current?.(event as ChartClick));
      instance.on("finished", () => finishedRef.current?.());
      chart.current = instance;
      // A resize redraws the whole chart: only when the box really changed size (the observer
      // also reports the size it starts with).
      observer = new ResizeObserver(() => {
        if (instance.getWidth() !== box.current?.clientWidth || instance.getHeight() !== box.current?.clientHeight) instance.resize();
      });
      observer.observe(box.current);
      setReady(true);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = undefined;
    };
  }, []);

  useEffect(() => {
    if (!ready || !chart.current) return;
    const fontFamily = box.current ? getComputedStyle(box.current).fontFamily : undefined;
    chart.current.setOption({ textStyle: fontFamily ? { fontFamily } : TEXT_STYLE, ...option }, { notMerge: true });
  }, [option, ready]);

  return (
    <div style={{ position: "relative", width: "100%", height, ...style }} role="img" aria-label={ariaLabel}>
      <div ref={box} style={{ width: "100%", height: "100%", cursor: onItemClick ? "pointer" : undefined }} />
      {!ready && <Skeleton active style={{ position: "absolute", inset: 0 }} />}
    </div>
  );
}
