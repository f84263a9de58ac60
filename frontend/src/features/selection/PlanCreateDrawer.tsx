/** 发布计划: the create-plan drawer with its tiers. */
import {
  Alert,
  App,
  Button,
  DatePicker,
  Drawer,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { enumLabel } from '@/i18n/labels';
import { zoneLabel } from '@/lib/time';
import { useBrandProducts, useCreatePlan, useRecommendedAnchors } from './api';
import { labelOf, useSelectionT } from './i18n';
import { ApiErrorAlert } from './ui';
import { markFormErrors } from './formErrors';
import { planCreatePayload, PLATFORMS, type PlanForm, type PlanType } from './workbench';
import { PLAN_FORM_FIELDS, PLAN_TYPES, useRateRule } from './planRules';
import { TierFields } from './planParts';

export function PlanCreateDrawer({ onClose }: { onClose: () => void }) {
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
