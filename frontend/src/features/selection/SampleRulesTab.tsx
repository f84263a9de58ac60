import {
  Alert,
  App,
  Button,
  Drawer,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { enumLabel } from '@/i18n/labels';
import { formatCount } from '@/lib/format';
import { formatMoney } from '@/lib/money';
import { formatDateTime } from '@/lib/time';
import { useBrandProducts, useSampleRules, useSetSampleRule } from './api';
import { markFormErrors } from './formErrors';
import { useSelectionT } from './i18n';
import type { BrandProduct, SampleRule } from './models';
import { ApiErrorAlert } from './ui';
import {
  PLATFORMS,
  sampleRuleFormValues,
  sampleRulePayload,
  yuanToMinor,
  type SampleRuleForm,
} from './workbench';

interface Row {
  product: BrandProduct;
  rule: SampleRule | null;
}

/** 寄样规则: each certified product of the brand with its sample rule, or "not set". */
export function SampleRulesTab() {
  const { t } = useSelectionT();
  const { t: tApp } = useTranslation();
  const products = useBrandProducts();
  const rules = useSampleRules();
  const [editing, setEditing] = useState<Row | null>(null);
  const ruleOf = new Map((rules.data ?? []).map((rule) => [rule.product, rule]));
  const rows: Row[] = (products.data ?? []).map((product) => ({
    product,
    rule: ruleOf.get(product.id) ?? null,
  }));

  return (
    <div data-testid="sample-rules-tab">
      <Typography.Paragraph type="secondary">{t('rule.hint')}</Typography.Paragraph>
      {products.isError && <ApiErrorAlert error={products.error} />}
      {rules.isError && <ApiErrorAlert error={rules.error} />}
      <Table<Row>
        rowKey={(row) => row.product.id}
        size="small"
        data-testid="sample-rules-table"
        loading={products.isFetching || rules.isFetching}
        dataSource={rows}
        locale={{ emptyText: t('rule.empty') }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 1000 }}
        onRow={(row) =>
          ({ 'data-testid': `rule-row-${row.product.id}` }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          {
            title: t('rule.product'),
            key: 'product',
            render: (_, { product }) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text strong>{product.name}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {product.skus.map((sku) => sku.code).join('、')}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: t('common.state'),
            key: 'state',
            render: (_, { rule }) =>
              !rule ? (
                <Tag data-testid="rule-none">{t('rule.none')}</Tag>
              ) : rule.is_active === false ? (
                <Tag data-testid="rule-inactive">{t('rule.inactive')}</Tag>
              ) : (
                <Tag color="green" data-testid="rule-active">
                  {t('rule.active')}
                </Tag>
              ),
          },
          {
            title: t('rule.eligibility'),
            key: 'eligibility',
            render: (_, { rule }) => {
              if (!rule)
                return <Typography.Text type="secondary">{t('rule.noneHint')}</Typography.Text>;
              const parts = [
                rule.min_fans ? t('rule.fans', { n: formatCount(rule.min_fans) }) : null,
                (rule.platforms ?? []).length > 0
                  ? (rule.platforms ?? []).map((p) => enumLabel(tApp, 'platform', p)).join('、')
                  : t('rule.anyPlatform'),
              ].filter(Boolean);
              return parts.join('；');
            },
          },
          {
            title: t('rule.limits'),
            key: 'limits',
            render: (_, { rule }) =>
              rule ? (
                <span data-testid="rule-limits">
                  {t('rule.perMonth', { count: rule.monthly_cap_per_anchor ?? 1 })} ·{' '}
                  {t('rule.perRequest', { count: rule.max_quantity ?? 2 })}
                </span>
              ) : (
                '—'
              ),
          },
          {
            title: t('rule.deadlines'),
            key: 'deadlines',
            render: (_, { rule }) =>
              rule
                ? t('rule.deadlineLine', {
                    decision: rule.decision_days ?? 3,
                    content: rule.content_days ?? 14,
                  })
                : '—',
          },
          {
            title: t('fields.shippingCost'),
            key: 'shipping',
            align: 'right',
            render: (_, { rule }) => (rule ? formatMoney(rule.shipping_cost) : '—'),
          },
          {
            title: t('rule.updatedAt'),
            key: 'updated',
            render: (_, { rule }) => (rule ? formatDateTime(rule.updated_at) : '—'),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right',
            render: (_, row) => (
              <Button
                type="link"
                size="small"
                onClick={() => setEditing(row)}
                data-testid={`rule-edit-${row.product.id}`}
              >
                {row.rule ? t('rule.change') : t('rule.set')}
              </Button>
            ),
          },
        ]}
      />
      {editing && (
        <SampleRuleDrawer
          product={editing.product}
          rule={editing.rule}
          onClose={() => setEditing(null)}
        />
      )}
    </div>
  );
}

/** The backend's field names → this form's fields, so its messages land on the input at fault. */
const RULE_FORM_FIELDS: Record<string, (string | number)[]> = {
  is_active: ['is_active'],
  min_fans: ['min_fans'],
  platforms: ['platforms'],
  monthly_cap_per_anchor: ['monthly_cap_per_anchor'],
  max_quantity: ['max_quantity'],
  decision_days: ['decision_days'],
  content_days: ['content_days'],
  extension_days: ['extension_days'],
  shipping_cost_minor: ['shipping_cost'],
};

function SampleRuleDrawer({
  product,
  rule,
  onClose,
}: {
  product: BrandProduct;
  rule: SampleRule | null;
  onClose: () => void;
}) {
  const { t, language } = useSelectionT();
  const { t: tApp } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<SampleRuleForm>();
  const save = useSetSampleRule();
  const amountRule = {
    validator: async (_: unknown, value: string | undefined) => {
      if (value?.trim() && yuanToMinor(value) === null) throw new Error(t('session.amountInvalid'));
    },
  };
  const required = { required: true, message: t('common.required') };

  const submit = async (values: SampleRuleForm) => {
    let body;
    try {
      body = sampleRulePayload(product.id, values);
    } catch {
      form.setFields([{ name: 'shipping_cost', errors: [t('session.amountInvalid')] }]);
      return;
    }
    try {
      await save.mutateAsync(body);
      void message.success(t('rule.saved'));
      onClose();
    } catch (error) {
      markFormErrors(form, error, language, RULE_FORM_FIELDS);
    }
  };

  const days = (name: keyof SampleRuleForm, label: string, testId: string) => (
    <Form.Item name={name} label={label} rules={[required]} extra={t('rule.rangeHint')}>
      <InputNumber min={1} max={365} precision={0} style={{ width: 160 }} data-testid={testId} />
    </Form.Item>
  );

  return (
    <Drawer
      open
      size={560}
      title={t('rule.drawerTitle', { name: product.name })}
      onClose={onClose}
      destroyOnHidden
      data-testid="rule-drawer"
    >
      <ApiErrorAlert error={save.error} testId="rule-error" />
      {!rule && (
        <Alert type="info" showIcon title={t('rule.noneHint')} style={{ marginBottom: 12 }} />
      )}
      <Form
        form={form}
        layout="vertical"
        initialValues={sampleRuleFormValues(rule)}
        onFinish={(values) => void submit(values)}
      >
        <Form.Item name="is_active" label={t('fields.isActive')} valuePropName="checked">
          <Switch data-testid="rule-active-switch" />
        </Form.Item>
        <Typography.Title level={5}>{t('rule.eligibility')}</Typography.Title>
        <Space align="start" wrap>
          <Form.Item name="min_fans" label={t('rule.minFans')}>
            <InputNumber
              min={0}
              step={10000}
              precision={0}
              style={{ width: 180 }}
              data-testid="rule-min-fans"
            />
          </Form.Item>
          <Form.Item name="platforms" label={t('rule.platforms')}>
            <Select
              mode="multiple"
              allowClear
              style={{ minWidth: 240 }}
              placeholder={t('rule.anyPlatform')}
              options={PLATFORMS.map((p) => ({ value: p, label: enumLabel(tApp, 'platform', p) }))}
              data-testid="rule-platforms"
            />
          </Form.Item>
        </Space>
        <Typography.Title level={5}>{t('rule.limits')}</Typography.Title>
        <Space align="start" wrap>
          {days('monthly_cap_per_anchor', t('rule.monthlyCap'), 'rule-monthly-cap')}
          {days('max_quantity', t('rule.maxQuantity'), 'rule-max-quantity')}
        </Space>
        <Typography.Title level={5}>{t('rule.deadlines')}</Typography.Title>
        <Space align="start" wrap>
          {days('decision_days', t('rule.decisionDays'), 'rule-decision-days')}
          {days('content_days', t('rule.contentDays'), 'rule-content-days')}
          <Form.Item name="extension_days" label={t('rule.extensionDays')}>
            <InputNumber min={0} precision={0} style={{ width: 160 }} />
          </Form.Item>
        </Space>
        <Form.Item name="shipping_cost" label={t('rule.shippingCost')} rules={[amountRule]}>
          <Input prefix="¥" style={{ width: 160 }} data-testid="rule-shipping" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="rule-submit">
          {t('common.save')}
        </Button>
      </Form>
    </Drawer>
  );
}
