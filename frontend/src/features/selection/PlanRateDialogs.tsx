/** A plan's rate: changing it (one new version) and its history. */
import { Alert, App, Drawer, Form, Input, Modal, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { formatBps } from '@/lib/money';
import { formatDateTime } from '@/lib/time';
import { useUpdatePlan } from './api';
import { useSelectionT } from './i18n';
import type { Plan, Version } from './models';
import { ApiErrorAlert, StateTag } from './ui';
import { markFormErrors } from './formErrors';
import {
  bpsToPercentText,
  effectiveFrom,
  minorToYuanText,
  percentToBps,
  rateChangeEffect,
  rateChangePayload,
  tiersPayload,
  versionStatus,
  type RateForm,
} from './workbench';
import { useRateRule } from './planRules';
import { TierFields, TiersText } from './planParts';
import { PLAN_FORM_FIELDS } from './planRules';

export function RateChangeModal({ plan, onClose }: { plan: Plan; onClose: () => void }) {
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

export function RateHistoryDrawer({ plan, onClose }: { plan: Plan; onClose: () => void }) {
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
