import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { z } from 'zod';
import { ApiError, ensureCsrfToken } from '@/api/client';
import { login, ME_KEY, useMe } from '@/api/session';
import { LanguageSwitch } from '@/i18n/LanguageSwitch';

interface LoginForm {
  username: string;
  password: string;
}

const fromState = z.object({ from: z.string().startsWith('/') });

function redirectTarget(state: unknown): string {
  const parsed = fromState.safeParse(state);
  return parsed.success && parsed.data.from !== '/login' ? parsed.data.from : '/';
}

export function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const me = useMe();

  useEffect(() => {
    void ensureCsrfToken();
  }, []);

  const mutation = useMutation({
    mutationFn: (values: LoginForm) => login(values.username.trim(), values.password),
    onSuccess: (user) => {
      queryClient.setQueryData(ME_KEY, user);
      navigate(redirectTarget(location.state), { replace: true });
    },
  });

  if (me.data) return <Navigate to={redirectTarget(location.state)} replace />;

  let errorText: string | null = null;
  if (mutation.error) {
    const error = mutation.error;
    if (error instanceof ApiError && error.status === 429) errorText = t('auth.throttled');
    else if (error instanceof ApiError && error.status === 400)
      errorText = t('auth.badCredentials');
    else errorText = t('auth.failed');
  }

  return (
    <div
      data-testid="login-page"
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        background: 'linear-gradient(160deg, #fff1f0 0%, #f5f5f5 60%)',
        padding: 16,
      }}
    >
      <Card style={{ width: 380 }}>
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'start' }}>
            <div>
              <Typography.Title level={3} style={{ margin: 0 }}>
                {t('auth.title')}
              </Typography.Title>
              <Typography.Text type="secondary">{t('auth.subtitle')}</Typography.Text>
            </div>
            <LanguageSwitch />
          </div>
          {errorText && <Alert type="error" showIcon title={errorText} data-testid="login-error" />}
          <Form<LoginForm>
            layout="vertical"
            requiredMark={false}
            onFinish={(values) => mutation.mutate(values)}
            disabled={mutation.isPending}
          >
            <Form.Item
              name="username"
              label={t('auth.username')}
              rules={[{ required: true, whitespace: true, message: t('auth.usernameRequired') }]}
            >
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('auth.password')}
              rules={[{ required: true, message: t('auth.passwordRequired') }]}
            >
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={mutation.isPending}>
              {t('auth.submit')}
            </Button>
          </Form>
        </Space>
      </Card>
    </div>
  );
}
