import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Result,
  Space,
  Spin,
  Typography,
} from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { api, ApiError, ensureCsrfToken, unwrap } from '@/api/client';
import { meSchema } from '@/api/models';
import { ME_KEY } from '@/api/session';
import { LanguageSwitch } from '@/i18n/LanguageSwitch';
import { fieldErrors } from './fieldErrors';

interface AcceptForm {
  username: string;
  password: string;
  display_name?: string;
}

export function InvitePage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<AcceptForm>();

  useEffect(() => {
    void ensureCsrfToken();
  }, []);

  const invitation = useQuery({
    queryKey: ['public', 'invitation', token],
    queryFn: async () =>
      unwrap(await api.GET('/api/public/invitations/{token}/', { params: { path: { token } } })),
    retry: false,
  });

  const accept = useMutation({
    mutationFn: async (values: AcceptForm) => {
      await ensureCsrfToken();
      const result = await api.POST('/api/public/invitations/{token}/', {
        params: { path: { token } },
        body: {
          username: values.username.trim(),
          password: values.password,
          display_name: values.display_name ?? '',
        },
      });
      if (!result.response.ok) {
        form.setFields(fieldErrors(result.error) as never);
      }
      return meSchema.parse(unwrap(result));
    },
    onSuccess: (me) => {
      queryClient.setQueryData(ME_KEY, me);
      navigate('/', { replace: true });
    },
  });

  let body;
  if (invitation.isPending) {
    body = <Spin />;
  } else if (invitation.isError || !invitation.data) {
    body = (
      <Result
        status="warning"
        title={t('invite.invalid')}
        subTitle={t('invite.invalidHint')}
        data-testid="invite-invalid"
      />
    );
  } else {
    const data = invitation.data;
    const failure = accept.error instanceof ApiError ? accept.error.detail : null;
    body = (
      <Space orientation="vertical" size="large" style={{ width: '100%' }}>
        <Descriptions column={1} size="small" bordered>
          <Descriptions.Item label={t('invite.organization')}>
            {data.organization_name}
          </Descriptions.Item>
          <Descriptions.Item label={t('invite.kind')}>
            {t(`orgKind.${data.kind}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('invite.email')}>{data.email}</Descriptions.Item>
          <Descriptions.Item label={t('invite.expires')}>
            {new Date(data.expires_at).toLocaleString()}
          </Descriptions.Item>
        </Descriptions>
        {failure && <Alert type="error" showIcon title={`${t('invite.failed')}: ${failure}`} />}
        <Form<AcceptForm>
          form={form}
          layout="vertical"
          onFinish={(values) => accept.mutate(values)}
          disabled={accept.isPending}
        >
          <Form.Item
            name="username"
            label={t('invite.username')}
            extra={t('invite.usernameHint')}
            rules={[{ required: true, pattern: /^[A-Za-z0-9_.@-]{3,150}$/ }]}
          >
            <Input autoComplete="username" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('invite.password')}
            extra={t('invite.passwordHint')}
            rules={[{ required: true, min: 10 }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="display_name" label={t('invite.displayName')}>
            <Input />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={accept.isPending}>
            {t('invite.submit')}
          </Button>
        </Form>
      </Space>
    );
  }

  return (
    <div
      data-testid="invite-page"
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        padding: 16,
      }}
    >
      <Card style={{ width: 460 }}>
        <div
          style={{
            display: 'flex',
            justifyContent: 'space-between',
            alignItems: 'start',
            marginBottom: 16,
          }}
        >
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t('invite.title')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('invite.subtitle')}</Typography.Text>
          </div>
          <LanguageSwitch />
        </div>
        {body}
      </Card>
    </div>
  );
}
