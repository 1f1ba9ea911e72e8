// 登录: login name and password. A failed login says why in the server's words (wrong password,
// too many attempts); an ended session says so above the form.
import { LockOutlined, UserOutlined } from "@ant-design/icons";
import { Alert, Button, Card, Form, Input, Typography } from "antd";
import { useState } from "react";
import { APP_TITLE } from "../labels.js";
import { describeError } from "../notify.js";
import { useSessionState } from "../session.js";

interface Credentials {
  login: string;
  password: string;
}

export default function LoginPage({ ended }: { ended: boolean }) {
  const { signIn } = useSessionState();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ message: string; fix: string | undefined } | null>(null);

  const submit = async ({ login, password }: Credentials) => {
    setBusy(true);
    setFailure(null);
    try {
      // The app moves on to the page asked for (or the role's home) once the session is set.
      await signIn(login.trim(), password);
    } catch (error) {
      setFailure(describeError(error));
      setBusy(false);
    }
  };

  return (
    <div
      style={{
        minHeight: "100vh",
        display: "flex",
        alignItems: "center",
        justifyContent: "center",
        padding: 16,
        boxSizing: "border-box",
        background: "linear-gradient(160deg, #e6f4ff 0%, #f5f5f5 60%)",
      }}
    >
      <Card style={{ width: "100%", maxWidth: 380 }} styles={{ body: { padding: "32px 28px" } }}>
        <Typography.Title level={3} style={{ textAlign: "center", marginTop: 0 }}>
          {APP_TITLE}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: "center" }}>
          工作计划任务台账与督办
        </Typography.Paragraph>
        {ended && !failure && <Alert type="info" showIcon title="登录已过期,请重新登录。" style={{ marginBottom: 16 }} />}
        {failure && <Alert type="error" showIcon title={failure.message} description={failure.fix} style={{ marginBottom: 16 }} />}
        <Form<Credentials> layout="vertical" onFinish={submit} requiredMark={false} autoComplete="on">
          <Form.Item name="login" label="登录名" rules={[{ required: true, whitespace: true, message: "请输入登录名" }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" />
          </Form.Item>
          <Form.Item name="password" label="密码" rules={[{ required: true, message: "请输入密码" }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={busy}>
            登录
          </Button>
        </Form>
      </Card>
    </div>
  );
}
