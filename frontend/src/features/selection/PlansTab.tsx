import { HistoryOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { enumLabel } from '@/i18n/labels';
import { formatCount } from '@/lib/format';
import { formatBps, formatMoney } from '@/lib/money';
import { formatDateTime, zoneLabel } from '@/lib/time';
import {
  useBrandProducts,
  useCreatePlan,
  useEndPlan,
  usePlans,
  useRecommendedAnchors,
  useUpdatePlan,
} from './api';
import { labelOf, useSelectionT } from './i18n';
import type { Plan, Version } from './models';
import { ApiErrorAlert, StateTag } from './ui';
import { markFormErrors } from './formErrors';
import {
  bpsToPercentText,
  effectiveFrom,
  MAX_RATE_BPS,
  minorToMoney,
  minorToYuanText,
  percentToBps,
  planCreatePayload,
  planValidity,
  PLATFORMS,
  rateChangeEffect,
  rateChangePayload,
  tiersPayload,
  versionStatus,
  type PlanForm,
  type PlanType,
  type RateForm,
} from './workbench';

const PLAN_TYPES: PlanType[] = ['open', 'targeted', 'exclusive'];

/** A rate input's rule: a percent from 0 to 80 with at most two decimals. */
function useRateRule(required: boolean) {
  const { t } = useSelectionT();
  return {
    validator: async (_: unknown, value: string | undefined) => {
      if (!value?.trim()) {
        if (required) throw new Error(t('plan.rateInvalid'));
        return;
      }
      const bps = percentToBps(value);
      if (bps === null || bps > MAX_RATE_BPS) throw new Error(t('plan.rateInvalid'));
    },
  };
}

function TiersText({ version }: { version: Version | null }) {
  const { t } = useSelectionT();
  if (!version || version.tiers.length === 0) return <>—</>;
  return (
    <Space orientation="vertical" size={0}>
      {version.tiers.map((tier) => (
        <Typography.Text key={tier.min_gmv_minor} style={{ fontSize: 12 }}>
          {t('plan.tierLine', {
            amount: formatMoney(minorToMoney(tier.min_gmv_minor)),
            rate: formatBps(tier.rate_bps),
          })}
        </Typography.Text>
      ))}
    </Space>
  );
}

/** 佣金计划: the brand's plans, publishing one, changing its rate and its rate history. */
export function PlansTab() {
  const { t } = useSelectionT();
  const { t: tApp } = useTranslation();
  const { message } = App.useApp();
  const [type, setType] = useState<PlanType | undefined>();
  const plans = usePlans({ plan_type: type });
  const end = useEndPlan();
  const [creating, setCreating] = useState(false);
  const [rateOf, setRateOf] = useState<Plan | null>(null);
  const [historyOf, setHistoryOf] = useState<Plan | null>(null);

  return (
    <div data-testid="plans-tab">
      <Space style={{ marginBottom: 12 }} wrap>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setCreating(true)}
          data-testid="plan-new"
        >
          {t('plan.new')}
        </Button>
        <Select
          allowClear
          placeholder={t('plan.filterType')}
          style={{ width: 160 }}
          value={type}
          onChange={setType}
          options={PLAN_TYPES.map((value) => ({ value, label: labelOf(t, 'planType', value) }))}
        />
      </Space>
      {plans.isError && <ApiErrorAlert error={plans.error} />}
      <Table<Plan>
        data-testid="plans-table"
        rowKey="id"
        size="small"
        loading={plans.isFetching}
        dataSource={plans.data ?? []}
        locale={{ emptyText: t('plan.empty') }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 1200 }}
        columns={[
          {
            title: t('plan.product'),
            key: 'product',
            render: (_, plan) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text strong>{plan.product_name}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {plan.sku_code ?? t('plan.allSkus')}
                  {plan.name ? ` · ${plan.name}` : ''}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: t('plan.type'),
            key: 'type',
            render: (_, plan) => (
              <Space orientation="vertical" size={2}>
                <Tag color={plan.plan_type === 'open' ? 'default' : 'purple'}>
                  {labelOf(t, 'planType', plan.plan_type)}
                </Tag>
                {plan.plan_type === 'exclusive' && (
                  <Typography.Text style={{ fontSize: 12 }}>
                    {plan.target_anchor_name ?? plan.target_mcn_name}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: t('plan.rate'),
            key: 'rate',
            align: 'right',
            render: (_, plan) => {
              const scheduled = plan.versions.find(
                (v) => versionStatus(v, plan.current) === 'scheduled',
              );
              return (
                <Space orientation="vertical" size={0} align="end">
                  <Typography.Text strong data-testid={`plan-rate-${plan.id}`}>
                    {plan.current ? formatBps(plan.current.rate_bps) : t('plan.noRateYet')}
                  </Typography.Text>
                  {scheduled && (
                    <Typography.Text
                      type="warning"
                      style={{ fontSize: 12 }}
                      data-testid={`plan-scheduled-${plan.id}`}
                    >
                      → {formatBps(scheduled.rate_bps)} · {formatDateTime(scheduled.effective_from)}
                    </Typography.Text>
                  )}
                </Space>
              );
            },
          },
          {
            title: t('plan.adsRate'),
            key: 'ads',
            align: 'right',
            render: (_, plan) =>
              plan.current?.ads_rate_bps != null
                ? formatBps(plan.current.ads_rate_bps)
                : t('plan.adsSame'),
          },
          {
            title: t('plan.tiers'),
            key: 'tiers',
            render: (_, plan) => <TiersText version={plan.current} />,
          },
          {
            title: t('plan.validity'),
            key: 'validity',
            render: (_, plan) => (
              <Space orientation="vertical" size={0}>
                <StateTag group="planValidity" state={planValidity(plan)} />
                <Typography.Text style={{ fontSize: 12 }}>
                  {formatDateTime(plan.valid_from)} –{' '}
                  {plan.valid_to ? formatDateTime(plan.valid_to) : t('plan.openEnded')}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: t('plan.eligibility'),
            key: 'eligibility',
            render: (_, plan) => {
              const parts = [
                plan.min_fans ? t('plan.fans', { n: formatCount(plan.min_fans) }) : null,
                plan.platforms.length > 0
                  ? plan.platforms.map((p) => enumLabel(tApp, 'platform', p)).join('、')
                  : null,
                plan.min_credit != null ? t('plan.credit', { n: plan.min_credit }) : null,
              ].filter(Boolean);
              return parts.length > 0 ? parts.join('；') : t('plan.noRequirement');
            },
          },
          {
            title: t('plan.approval'),
            key: 'approval',
            render: (_, plan) =>
              plan.plan_type === 'targeted'
                ? labelOf(t, 'approval', plan.approval ?? 'manual')
                : '—',
          },
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right',
            render: (_, plan) => (
              <Space size={0} wrap>
                {planValidity(plan) !== 'ended' && (
                  <Button
                    type="link"
                    size="small"
                    onClick={() => setRateOf(plan)}
                    data-testid={`plan-change-${plan.id}`}
                  >
                    {t('plan.changeRate')}
                  </Button>
                )}
                <Button
                  type="link"
                  size="small"
                  icon={<HistoryOutlined />}
                  onClick={() => setHistoryOf(plan)}
                >
                  {t('plan.history')}
                </Button>
                {planValidity(plan) !== 'ended' && (
                  <Popconfirm
                    title={t('plan.endConfirm')}
                    okText={t('common.confirm')}
                    cancelText={t('common.cancel')}
                    onConfirm={() =>
                      end.mutateAsync(plan.id).then(
                        () => void message.success(t('plan.ended')),
                        (error: unknown) =>
                          void message.error(
                            error instanceof Error ? error.message : t('common.failed'),
                          ),
                      )
                    }
                  >
                    <Button type="link" size="small" danger>
                      {t('plan.end')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      {creating && <PlanCreateDrawer onClose={() => setCreating(false)} />}
      {rateOf && <RateChangeModal plan={rateOf} onClose={() => setRateOf(null)} />}
      {historyOf && <RateHistoryDrawer plan={historyOf} onClose={() => setHistoryOf(null)} />}
    </div>
  );
}

function TierFields({ name }: { name: string }) {
  const { t } = useSelectionT();
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <Space orientation="vertical" style={{ width: '100%' }}>
          {fields.map((field) => (
            <Space key={field.key} align="baseline">
              <Form.Item name={[field.name, 'min_gmv']} noStyle>
                <Input placeholder={t('plan.tierMin')} style={{ width: 180 }} />
              </Form.Item>
              <Form.Item name={[field.name, 'rate']} noStyle>
                <Input placeholder={t('plan.tierRate')} style={{ width: 120 }} suffix="%" />
              </Form.Item>
              <MinusCircleOutlined onClick={() => remove(field.name)} />
            </Space>
          ))}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()} size="small">
            {t('plan.addTier')}
          </Button>
        </Space>
      )}
    </Form.List>
  );
}

const PLAN_FORM_FIELDS: Record<string, (string | number)[]> = {
  rate_bps: ['rate'],
  ads_rate_bps: ['ads_rate'],
  tiers: ['tiers'],
  target_anchor: ['target_anchor'],
  target_mcn: ['target_mcn'],
  min_fans: ['min_fans'],
  platforms: ['platforms'],
  valid_to: ['validity'],
  valid_from: ['validity'],
  product: ['product'],
  sku: ['sku'],
  name: ['name'],
};

function PlanCreateDrawer({ onClose }: { onClose: () => void }) {
  const { t, language } = useSelectionT();
  const { t: tApp } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const products = useBrandProducts();
  const create = useCreatePlan();
  const product = Form.useWatch('product', form) as number | undefined;
  const planType = (Form.useWatch('plan_type', form) as PlanType | undefined) ?? 'open';
  const anchors = useRecommendedAnchors(planType === 'exclusive' && product ? product : null, 20);
  const rateRule = useRateRule(true);
  const adsRule = useRateRule(false);
  const skus = products.data?.find((p) => p.id === product)?.skus ?? [];
  const [tierError, setTierError] = useState(false);

  const submit = async (
    values: Omit<PlanForm, 'valid_from' | 'valid_to'> & {
      validity?: [PlanForm['valid_from'], PlanForm['valid_to']];
    },
  ) => {
    let body;
    try {
      body = planCreatePayload({
        ...values,
        valid_from: values.validity?.[0],
        valid_to: values.validity?.[1],
      });
    } catch {
      setTierError(true);
      return;
    }
    setTierError(false);
    try {
      await create.mutateAsync(body);
      void message.success(t('plan.created'));
      onClose();
    } catch (error) {
      markFormErrors(form, error, language, PLAN_FORM_FIELDS);
    }
  };

  return (
    <Drawer
      open
      title={t('plan.new')}
      size={560}
      onClose={onClose}
      destroyOnHidden
      data-testid="plan-drawer"
    >
      <ApiErrorAlert error={create.error} />
      <Form
        form={form}
        layout="vertical"
        initialValues={{ plan_type: 'open', approval: 'manual' }}
        onFinish={(values) => void submit(values)}
      >
        <Form.Item
          name="product"
          label={t('plan.product')}
          extra={<span data-testid="plan-product-hint">{t('plan.approvedOnly')}</span>}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Select
            showSearch
            optionFilterProp="label"
            loading={products.isPending}
            options={(products.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
            onChange={() => form.setFieldValue('sku', undefined)}
            data-testid="plan-product"
          />
        </Form.Item>
        <Form.Item name="sku" label={t('plan.sku')}>
          <Select
            allowClear
            placeholder={t('plan.allSkus')}
            options={skus.map((sku) => ({ value: sku.id, label: `${sku.code} · ${sku.spec}` }))}
          />
        </Form.Item>
        <Form.Item name="plan_type" label={t('plan.type')}>
          <Radio.Group
            optionType="button"
            options={PLAN_TYPES.map((value) => ({ value, label: labelOf(t, 'planType', value) }))}
          />
        </Form.Item>
        <Form.Item name="name" label={t('plan.name')}>
          <Input maxLength={60} />
        </Form.Item>
        <Space align="start" wrap>
          <Form.Item
            name="rate"
            required
            label={t('plan.rate')}
            rules={[rateRule]}
            extra={t('plan.percentHint')}
          >
            <Input suffix="%" style={{ width: 160 }} data-testid="plan-rate" />
          </Form.Item>
          <Form.Item name="ads_rate" label={t('plan.adsRate')} rules={[adsRule]}>
            <Input suffix="%" style={{ width: 160 }} placeholder={t('plan.adsSame')} />
          </Form.Item>
        </Space>
        <Form.Item label={t('plan.tiers')}>
          <TierFields name="tiers" />
          {tierError && <Typography.Text type="danger">{t('plan.tierInvalid')}</Typography.Text>}
        </Form.Item>
        {planType === 'targeted' && (
          <Form.Item name="approval" label={t('plan.approval')}>
            <Radio.Group
              options={(['manual', 'auto'] as const).map((value) => ({
                value,
                label: labelOf(t, 'approval', value),
              }))}
            />
          </Form.Item>
        )}
        {planType === 'exclusive' && (
          <>
            <Alert
              type="info"
              showIcon
              title={t('plan.targetRequired')}
              style={{ marginBottom: 12 }}
            />
            <Form.Item name="target_anchor" label={t('plan.targetAnchor')}>
              <Select
                allowClear
                showSearch
                optionFilterProp="label"
                loading={anchors.isFetching}
                options={(anchors.data ?? []).map((a) => ({
                  value: a.anchor,
                  label: `${a.anchor_name}${a.city ? ` · ${a.city}` : ''}`,
                }))}
              />
            </Form.Item>
            <Form.Item name="target_mcn" label={t('plan.targetMcn')}>
              <InputNumber min={1} style={{ width: 200 }} />
            </Form.Item>
          </>
        )}
        <Typography.Title level={5}>{t('plan.eligibility')}</Typography.Title>
        <Space align="start" wrap>
          <Form.Item name="min_fans" label={t('plan.minFans')}>
            <InputNumber min={0} step={10000} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="min_credit" label={t('plan.minCredit')}>
            <InputNumber min={0} max={100} style={{ width: 120 }} />
          </Form.Item>
        </Space>
        <Form.Item name="platforms" label={t('plan.platforms')}>
          <Select
            mode="multiple"
            allowClear
            placeholder={t('plan.anyPlatform')}
            options={PLATFORMS.map((p) => ({ value: p, label: enumLabel(tApp, 'platform', p) }))}
          />
        </Form.Item>
        <Form.Item name="validity" label={t('plan.validity')} extra={zoneLabel(language)}>
          <DatePicker.RangePicker
            showTime
            allowEmpty={[true, true]}
            placeholder={[t('plan.validFrom'), t('plan.openEnded')]}
          />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          loading={create.isPending}
          data-testid="plan-submit"
        >
          {t('common.submit')}
        </Button>
      </Form>
    </Drawer>
  );
}

function RateChangeModal({ plan, onClose }: { plan: Plan; onClose: () => void }) {
  const { t, language } = useSelectionT();
  const { message } = App.useApp();
  const [form] = Form.useForm<RateForm>();
  const update = useUpdatePlan();
  const rateRule = useRateRule(true);
  const adsRule = useRateRule(false);
  const latest = plan.versions[plan.versions.length - 1] ?? plan.current;
  const [tierError, setTierError] = useState(false);
  const values = Form.useWatch([], form) as RateForm | undefined;
  let effect: 'cut' | 'raise' | 'same' | null = null;
  try {
    const rate = percentToBps(values?.rate);
    if (rate !== null) {
      const ads = values?.ads_rate?.trim() ? percentToBps(values.ads_rate) : null;
      effect = rateChangeEffect(plan.current, {
        rate_bps: rate,
        ads_rate_bps: ads,
        tiers: tiersPayload(values?.tiers),
      });
    }
  } catch {
    effect = null;
  }

  const submit = async (form_: RateForm) => {
    let body;
    try {
      body = rateChangePayload(form_);
    } catch {
      setTierError(true);
      return;
    }
    setTierError(false);
    try {
      const saved = await update.mutateAsync({ id: plan.id, body });
      const newest = saved.versions[saved.versions.length - 1];
      void message.success(
        `${t('plan.rateChanged')} · ${t('plan.effectiveAt', { at: formatDateTime(newest?.effective_from) })}`,
      );
      onClose();
    } catch (error) {
      markFormErrors(form, error, language, PLAN_FORM_FIELDS);
    }
  };

  return (
    <Modal
      open
      title={t('plan.changeRateTitle', { name: plan.product_name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={update.isPending}
      destroyOnHidden
      data-testid="rate-modal"
    >
      <Typography.Paragraph>
        {t('plan.current')}：{plan.current ? formatBps(plan.current.rate_bps) : t('plan.noRateYet')}
      </Typography.Paragraph>
      <ApiErrorAlert error={update.error} />
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          rate: latest ? bpsToPercentText(latest.rate_bps) : '',
          ads_rate: latest?.ads_rate_bps != null ? bpsToPercentText(latest.ads_rate_bps) : '',
          tiers: (latest?.tiers ?? []).map((tier) => ({
            min_gmv: minorToYuanText(tier.min_gmv_minor),
            rate: bpsToPercentText(tier.rate_bps),
          })),
        }}
        onFinish={(v) => void submit(v)}
      >
        <Space align="start" wrap>
          <Form.Item name="rate" label={t('plan.rate')} rules={[rateRule]}>
            <Input suffix="%" style={{ width: 160 }} data-testid="rate-input" />
          </Form.Item>
          <Form.Item name="ads_rate" label={t('plan.adsRate')} rules={[adsRule]}>
            <Input suffix="%" style={{ width: 160 }} placeholder={t('plan.adsSame')} />
          </Form.Item>
        </Space>
        <Form.Item label={t('plan.tiers')}>
          <TierFields name="tiers" />
          {tierError && <Typography.Text type="danger">{t('plan.tierInvalid')}</Typography.Text>}
        </Form.Item>
      </Form>
      {effect && (
        <Alert
          data-testid="rate-effect"
          type={effect === 'cut' ? 'warning' : effect === 'raise' ? 'success' : 'info'}
          showIcon
          title={t(
            effect === 'cut'
              ? 'plan.cutNote'
              : effect === 'raise'
                ? 'plan.raiseNote'
                : 'plan.sameNote',
          )}
          description={
            effect !== 'same'
              ? t('plan.effectiveAt', { at: formatDateTime(effectiveFrom(effect)) })
              : undefined
          }
        />
      )}
    </Modal>
  );
}

function RateHistoryDrawer({ plan, onClose }: { plan: Plan; onClose: () => void }) {
  const { t } = useSelectionT();
  return (
    <Drawer
      open
      size={640}
      title={t('plan.historyTitle', { name: plan.product_name })}
      onClose={onClose}
      data-testid="rate-history"
    >
      <Table<Version>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={[...plan.versions].reverse()}
        columns={[
          {
            title: t('plan.rate'),
            key: 'rate',
            render: (_, v) => formatBps(v.rate_bps),
          },
          {
            title: t('plan.adsRate'),
            key: 'ads',
            render: (_, v) =>
              v.ads_rate_bps != null ? formatBps(v.ads_rate_bps) : t('plan.adsSame'),
          },
          { title: t('plan.tiers'), key: 'tiers', render: (_, v) => <TiersText version={v} /> },
          {
            title: t('plan.effectiveFrom'),
            key: 'from',
            render: (_, v) => formatDateTime(v.effective_from),
          },
          { title: t('plan.decidedAt'), key: 'at', render: (_, v) => formatDateTime(v.created_at) },
          {
            title: t('common.state'),
            key: 'state',
            render: (_, v) => (
              <StateTag group="versionStatus" state={versionStatus(v, plan.current)} />
            ),
          },
        ]}
      />
    </Drawer>
  );
}
