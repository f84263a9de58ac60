import { App, Button, DatePicker, Drawer, Form, Input, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { enumLabel } from '@/i18n/labels';
import { zoneLabel } from '@/lib/time';
import { SelectionApiError, useCreateSession, usePicks, useUpdateSession } from './api';
import { useSelectionT } from './i18n';
import type { AnchorBrief, Session } from './models';
import { ApiErrorAlert } from './ui';
import { markFormErrors } from './formErrors';
import {
  PLATFORMS,
  sessionCreatePayload,
  sessionFormValues,
  sessionUpdatePayload,
  type SessionForm,
} from './workbench';
import { LineupFields } from './LineupFields';

const SESSION_FORM_FIELDS: Record<string, (string | number)[]> = {
  platform: ['platform'],
  title: ['title'],
  starts_at: ['range'],
  ends_at: ['range'],
  'lineup[*].pick': ['lineup', '*', 'pick'],
  'lineup[*].live_price_minor': ['lineup', '*', 'live_price'],
  'lineup[*].stock_quantity': ['lineup', '*', 'stock_quantity'],
  'lineup[*].slot_fee_minor': ['lineup', '*', 'slot_fee'],
};

/** Schedule a session, or (given `session`) change a scheduled one: the same form, prefilled. */
export function SessionDrawer({
  anchors,
  initialAnchor,
  session,
  onClose,
}: {
  anchors: AnchorBrief[];
  initialAnchor?: number;
  session?: Session;
  onClose: () => void;
}) {
  const { t, language } = useSelectionT();
  const { t: tApp } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const create = useCreateSession();
  const update = useUpdateSession();
  const saving = session ? update : create;
  const watchedAnchor = Form.useWatch('anchor', form) as number | undefined;
  const anchor = session ? session.anchor : (watchedAnchor ?? initialAnchor ?? anchors[0]?.id);
  const picks = usePicks({ anchor, state: 'active' });
  const isConflict = saving.error instanceof SelectionApiError && saving.error.status === 409;

  const submit = async (values: SessionForm & { anchor?: number }) => {
    let body;
    try {
      body = session
        ? sessionUpdatePayload(session, values)
        : sessionCreatePayload({ ...values, anchor: anchor });
    } catch (error) {
      const path = error instanceof Error ? error.message : '';
      const line = /lineup\[(\d+)\]\.(\w+)/.exec(path);
      if (line)
        form.setFields([
          { name: ['lineup', Number(line[1]), line[2]], errors: [t('session.amountInvalid')] },
        ]);
      return;
    }
    try {
      if (session) {
        if (Object.keys(body).length === 0) {
          void message.info(t('session.noChange'));
          onClose();
          return;
        }
        await update.mutateAsync({ id: session.id, body });
        void message.success(t('session.saved'));
      } else {
        await create.mutateAsync(body as Parameters<typeof create.mutateAsync>[0]);
        void message.success(t('session.created'));
      }
      onClose();
    } catch (error) {
      markFormErrors(form, error, language, SESSION_FORM_FIELDS);
    }
  };

  return (
    <Drawer
      open
      size={760}
      title={session ? t('session.editTitle', { title: session.title }) : t('session.new')}
      onClose={onClose}
      destroyOnHidden
      data-testid="session-drawer"
    >
      <ApiErrorAlert
        error={saving.error}
        title={isConflict ? t('session.conflictTitle') : undefined}
        testId="session-error"
      />
      <Form
        form={form}
        layout="vertical"
        initialValues={
          session
            ? sessionFormValues(session)
            : { anchor: initialAnchor ?? anchors[0]?.id, platform: 'douyin', lineup: [{}] }
        }
        onFinish={(values) => void submit(values)}
      >
        {!session && anchors.length > 1 && (
          <Form.Item
            name="anchor"
            label={t('common.anchor')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Select
              options={anchors.map((a) => ({ value: a.id, label: a.name }))}
              onChange={() => form.setFieldValue('lineup', [{}])}
            />
          </Form.Item>
        )}
        <Space align="start" wrap>
          <Form.Item name="platform" label={t('session.platform')} rules={[{ required: true }]}>
            <Select
              style={{ width: 160 }}
              options={PLATFORMS.map((p) => ({ value: p, label: enumLabel(tApp, 'platform', p) }))}
            />
          </Form.Item>
          <Form.Item
            name="title"
            label={t('session.title')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          >
            <Input maxLength={80} style={{ width: 320 }} data-testid="session-title" />
          </Form.Item>
        </Space>
        <Form.Item
          name="range"
          label={t('session.time')}
          extra={<span data-testid="session-zone">{zoneLabel(language)}</span>}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <DatePicker.RangePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            data-testid="session-range"
          />
        </Form.Item>
        <Typography.Title level={5}>{t('session.lineup')}</Typography.Title>
        {session && (
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            {t('session.stockHint')}
          </Typography.Paragraph>
        )}
        {!anchor && <Typography.Text type="secondary">{t('session.anchorFirst')}</Typography.Text>}
        <LineupFields form={form} picks={picks} anchor={anchor} />
        <Button
          type="primary"
          htmlType="submit"
          loading={saving.isPending}
          style={{ marginTop: 16 }}
          data-testid="session-submit"
        >
          {t('common.submit')}
        </Button>
      </Form>
    </Drawer>
  );
}
