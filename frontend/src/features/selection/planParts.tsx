/** Pieces of the plan screens: a version's tiers as text, the tiers' form fields. */
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Form, Input, Space, Typography } from 'antd';
import { formatBps, formatMoney } from '@/lib/money';
import { useSelectionT } from './i18n';
import type { Version } from './models';
import { minorToMoney } from './workbench';

export function TiersText({ version }: { version: Version | null }) {
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

export function TierFields({ name }: { name: string }) {
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
