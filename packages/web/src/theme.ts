// The look: antd's default blue on a dark side menu, as the office's other systems; Chinese text
// in the platform's Chinese UI font (PingFang on macOS, 微软雅黑 on Windows, Noto Sans CJK or
// 文泉驿 on Linux) before any Latin font can claim the glyphs it lacks.
export const FONT_FAMILY = [
  "-apple-system",
  "BlinkMacSystemFont",
  "'Segoe UI'",
  "'PingFang SC'",
  "'Hiragino Sans GB'",
  "'Microsoft YaHei'",
  "'Noto Sans CJK SC'",
  "'Noto Sans SC'",
  "'Source Han Sans SC'",
  "'WenQuanYi Micro Hei'",
  "'Helvetica Neue'",
  "Arial",
  "sans-serif",
].join(", ");

export const THEME_TOKEN = {
  fontFamily: FONT_FAMILY,
  colorPrimary: "#1677ff",
  borderRadius: 6,
};
