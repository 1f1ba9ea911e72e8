// Entry: antd in Chinese (zh_CN, dayjs zh-cn), the theme, the session, then the app.
import { App as AntApp, ConfigProvider } from "antd";
import zhCN from "antd/locale/zh_CN";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { TaizhangApp } from "./app.js";
import { NotifyHolder } from "./notify.js";
import { SessionProvider } from "./session.js";
import { FONT_FAMILY, THEME_TOKEN } from "./theme.js";

dayjs.locale("zh-cn");
document.body.style.margin = "0";
document.body.style.fontFamily = FONT_FAMILY;

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");

createRoot(root).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} theme={{ token: THEME_TOKEN }}>
      <AntApp>
        <NotifyHolder />
        <SessionProvider>
          <TaizhangApp />
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
