import { HistoryOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { enumLabel } from '@/i18n/labels';
import { formatCount } from '@/lib/format';
import { formatBps } from '@/lib/money';
import { formatDateTime } from '@/lib/time';
import { useEndPlan, usePlans } from './api';
import { labelOf, useSelectionT } from './i18n';
import type { Plan } from './models';
import { ApiErrorAlert, StateTag } from './ui';
import { planValidity, versionStatus, type PlanType } from './workbench';
import { PLAN_TYPES } from './planRules';
import { TiersText } from './planParts';
import { PlanCreateDrawer } from './PlanCreateDrawer';
import { RateChangeModal, RateHistoryDrawer } from './PlanRateDialogs';

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
