// Which page to show: the login page for nobody, else the page the path names inside the app
// shell, if the user's role may open it.
import { Button, Result, Spin } from "antd";
import { Suspense, useEffect } from "react";
import { AppShell } from "./layout/app-shell.js";
import { APP_TITLE } from "./labels.js";
import LoginPage from "./pages/login-page.js";
import { HOME, findRoute } from "./routes.js";
import { Link, navigate, pathWithQuery, useLocation } from "./router.js";
import { useSessionState } from "./session.js";

const LOGIN_PATH = "/login";

export function TaizhangApp() {
  const { state } = useSessionState();
  const location = useLocation();
  const { pathname } = location;
  const found = findRoute(pathname);

  useEffect(() => {
    if (state.status === "anonymous" && pathname !== LOGIN_PATH) {
      // Back to this page after signing in again.
      navigate(pathWithQuery(LOGIN_PATH, { from: pathname === "/" ? undefined : pathname + location.search }), { replace: true });
    }
    if (state.status === "signed-in" && (pathname === "/" || pathname === LOGIN_PATH)) {
      navigate(safeReturn(location.query.get("from")) ?? HOME[state.session.user.role], { replace: true });
    }
  }, [state, pathname, location.search, location.query]);

  useEffect(() => {
    document.title = found ? `${found.route.title} - ${APP_TITLE}` : APP_TITLE;
  }, [found]);

  if (state.status === "loading") return <FullPageSpin />;
  if (state.status === "anonymous") return pathname === LOGIN_PATH ? <LoginPage ended={state.ended} /> : <FullPageSpin />;
  if (pathname === "/" || pathname === LOGIN_PATH) return <FullPageSpin />;

  const role = state.session.user.role;
  let content;
  if (!found) content = <Result status="404" title="页面不存在" subTitle="地址可能有误,或页面已移动。" extra={<HomeButton to={HOME[role]} />} />;
  else if (!found.route.roles.includes(role)) content = <Result status="403" title="无权访问" subTitle="您的账号不能打开这个页面。" extra={<HomeButton to={HOME[role]} />} />;
  else {
    const Page = found.route.page;
    content = (
      <Suspense fallback={<Spin style={{ display: "block", marginTop: 80 }} />}>
        <Page params={found.params} key={found.route.path} />
      </Suspense>
    );
  }
  return <AppShell>{content}</AppShell>;
}

/** Only a path of this app: never another site named in a crafted link. */
function safeReturn(from: string | null): string | null {
  return from !== null && from.startsWith("/") && !from.startsWith("//") && !from.includes("\\") ? from : null;
}

function HomeButton({ to }: { to: string }) {
  return (
    <Link to={to}>
      <Button type="primary">回到首页</Button>
    </Link>
  );
}

function FullPageSpin() {
  return <Spin size="large" style={{ display: "block", marginTop: "30vh" }} />;
}
