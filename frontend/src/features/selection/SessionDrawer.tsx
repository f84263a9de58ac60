import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  DatePicker,
  Drawer,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Typography,
} from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { enumLabel } from '@/i18n/labels';
import { formatMoney } from '@/lib/money';
import { zoneLabel } from '@/lib/time';
import {
  SelectionApiError,
  useCreateSession,
  usePicks,
  useSelectionProduct,
  useUpdateSession,
} from './api';
import { useSelectionT } from './i18n';
import type { AnchorBrief, Pick, Session } from './models';
import { ApiErrorAlert } from './ui';
import { markFormErrors } from './formErrors';
import {
  defaultLivePrice,
  PLATFORMS,
  sessionCreatePayload,
  sessionFormValues,
  sessionUpdatePayload,
  yuanToMinor,
  type SessionForm,
} from './workbench';

interface LineupValues {
  pick?: number;
  live_price?: string;
  stock_quantity?: number;
  slot_fee?: string;
}

/** The live price range of a line's SKU, and its default live price once a pick is chosen. */
function LineHint({
  pick,
  onDefault,
}: {
  pick: Pick | undefined;
  onDefault: (price: string) => void;
}) {
  const { t } = useSelectionT();
  const product = useSelectionProduct(pick?.sku ?? null);
  const sku = product.data?.skus.find((s) => s.id === pick?.sku);
  const price =
    pick && sku
      ? defaultLivePrice(pick.retail_price, sku.min_live_price, sku.max_live_price)
      : null;
  useEffect(() => {
    if (price !== null) onDefault(price);
    // Seed once per chosen SKU; the callback changes on every render of the form.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [price]);
  if (!sku) return null;
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
      {t('session.priceRange', {
        min: formatMoney(sku.min_live_price),
        max: formatMoney(sku.max_live_price),
      })}
    </Typography.Text>
  );
}

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
  const lineup = (Form.useWatch('lineup', form) as LineupValues[] | undefined) ?? [];
  const pickById = new Map((picks.data ?? []).map((p) => [p.id, p]));
  const isConflict = saving.error instanceof SelectionApiError && saving.error.status === 409;
  const amountRule = {
    validator: async (_: unknown, value: string | undefined) => {
      if (value?.trim() && yuanToMinor(value) === null) throw new Error(t('session.amountInvalid'));
    },
  };

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
        <Form.List name="lineup">
          {(fields, { add, remove }) => (
            <Space orientation="vertical" style={{ width: '100%' }}>
              {fields.map((field) => {
                const pick = pickById.get(lineup[field.name]?.pick ?? -1);
                const chosen = new Set(lineup.map((l) => l?.pick).filter(Boolean));
                return (
                  <div
                    key={field.key}
                    style={{ borderBottom: '1px dashed #eee', paddingBottom: 8 }}
                  >
                    {/* The live price's error reads under the whole line: in its 120 px cell the
                        SKU's range was cut off. */}
                    <Form.Item noStyle shouldUpdate>
                      {() => {
                        const priceErrors = form.getFieldError([
                          'lineup',
                          field.name,
                          'live_price',
                        ]);
                        return (
                          <>
                            <Space align="start" wrap>
                              <Form.Item
                                name={[field.name, 'pick']}
                                label={t('session.pick')}
                                rules={[{ required: true, message: t('common.required') }]}
                              >
                                <Select
                                  style={{ width: 260 }}
                                  loading={picks.isFetching}
                                  showSearch
                                  optionFilterProp="label"
                                  options={(picks.data ?? []).map((p) => ({
                                    value: p.id,
                                    label: `${p.product_name} · ${p.spec}`,
                                    disabled: chosen.has(p.id) && p.id !== pick?.id,
                                  }))}
                                  data-testid={`lineup-pick-${field.name}`}
                                />
                              </Form.Item>
                              <Form.Item
                                name={[field.name, 'live_price']}
                                label={t('session.livePrice')}
                                rules={[
                                  { required: true, message: t('common.required') },
                                  amountRule,
                                ]}
                                help={priceErrors.length > 0 ? <span /> : undefined}
                              >
                                <Input
                                  style={{ width: 120 }}
                                  prefix="¥"
                                  data-testid={`lineup-price-${field.name}`}
                                />
                              </Form.Item>
                              <Form.Item
                                name={[field.name, 'stock_quantity']}
                                label={t('session.stockQuantity')}
                              >
                                <InputNumber
                                  min={0}
                                  style={{ width: 110 }}
                                  data-testid={`lineup-stock-${field.name}`}
                                />
                              </Form.Item>
                              <Form.Item
                                name={[field.name, 'slot_fee']}
                                label={t('session.slotFee')}
                                rules={[amountRule]}
                              >
                                <Input style={{ width: 110 }} prefix="¥" />
                              </Form.Item>
                              <MinusCircleOutlined
                                style={{ marginTop: 38 }}
                                onClick={() => remove(field.name)}
                              />
                            </Space>
                            {priceErrors.length > 0 && (
                              <div
                                className="ant-form-item-explain-error"
                                role="alert"
                                style={{ marginTop: -16, marginBottom: 8 }}
                                data-testid={`lineup-price-error-${field.name}`}
                              >
                                <Typography.Text type="danger">
                                  {priceErrors.join('；')}
                                </Typography.Text>
                              </div>
                            )}
                          </>
                        );
                      }}
                    </Form.Item>
                    <LineHint
                      pick={pick}
                      onDefault={(price) => {
                        if (!form.getFieldValue(['lineup', field.name, 'live_price'])) {
                          form.setFieldValue(['lineup', field.name, 'live_price'], price);
                        }
                      }}
                    />
                  </div>
                );
              })}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add({})}
                disabled={!anchor}
              >
                {t('session.addLine')}
              </Button>
            </Space>
          )}
        </Form.List>
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
