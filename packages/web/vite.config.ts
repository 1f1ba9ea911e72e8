// Builds the browser app into packages/web/dist, which the API's server serves at / (see
// packages/server/src/web-app.ts). In development `vite` serves the app and passes /api on to
// the API server on port 3000, so the session cookie stays same-origin in both.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const API_SERVER = "http://127.0.0.1:3000";

export default defineConfig({
  plugins: [react()],
  server: { proxy: { "/api": { target: API_SERVER, changeOrigin: false } } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // antd alone is larger than Vite's 500 kB warning; it is one cached file, not a problem.
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        // Vendors change far less often than the app: their own chunks stay cached across
        // deploys. ECharts is imported only by chart components (import() in load-echarts.ts),
        // so its chunk loads on the pages that draw charts and nowhere else.
        codeSplitting: {
          groups: [
            { name: "react", test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 30 },
            { name: "echarts", test: /node_modules[\\/](echarts|zrender)[\\/]/, priority: 20 },
            { name: "antd", test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+|@babel[\\/]runtime|dayjs|classnames|clsx)[\\/]/, priority: 10 },
          ],
        },
      },
    },
  },
});
