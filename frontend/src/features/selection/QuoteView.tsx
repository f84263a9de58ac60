import { CheckCircleTwoTone, CloseCircleOutlined } from '@ant-design/icons';
import {
  Alert,
  Descriptions,
  List,
  Skeleton,
  Space,
  Statistic,
  Switch,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { formatBps, formatMoney } from '@/lib/money';
import { useQuote } from './api';
import { labelOf, useSelectionT } from './i18n';
import { ApiErrorAlert } from './ui';
import { bilingual, minorToMoney } from './workbench';

/**
 * "The rate for me and why" (GET picks/quote/): the rate an anchor would get on a SKU now, the plan
 * it comes from, and each plan considered with the reasons it applies or not.
 */
export function QuoteView({ sku, anchor }: { sku: number; anchor?: number | null }) {
  const { t, language } = useSelectionT();
  const [ads, setAds] = useState(false);
  const quote = useQuote(sku, anchor, ads);
  const data = quote.data;
  return (
    <div data-testid="quote-view">
      <Space style={{ marginBottom: 8 }}>
        <Switch size="small" checked={ads} onChange={setAds} />
        <Typography.Text type="secondary">{t('quote.ads')}</Typography.Text>
      </Space>
      {quote.isPending && <Skeleton active />}
      {quote.isError && <ApiErrorAlert error={quote.error} title={t('quote.failed')} />}
      {data && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Space size="large" wrap>
            <Statistic
              title={t('quote.rate')}
              value={data.rate_bps != null ? formatBps(data.rate_bps) : t('quote.noRate')}
              styles={{ content: { color: data.rate_bps != null ? '#c8102e' : undefined } }}
              data-testid="quote-rate"
            />
            <Statistic
              title={t('quote.monthGmv')}
              value={formatMoney(minorToMoney(data.month_gmv_minor))}
            />
          </Space>
          {data.plan_id != null && (
            <Descriptions size="small" column={1} bordered>
              <Descriptions.Item label={t('quote.plan')}>
                <Tag color={data.plan_type === 'open' ? 'default' : 'purple'}>
                  {labelOf(t, 'planType', data.plan_type ?? '')}
                </Tag>
                #{data.plan_id}
                {data.tier_min_gmv_minor != null && (
                  <Typography.Text type="secondary">
                    {' · '}
                    {t('quote.tier', {
                      amount: formatMoney(minorToMoney(data.tier_min_gmv_minor)),
                    })}
                  </Typography.Text>
                )}
              </Descriptions.Item>
            </Descriptions>
          )}
          {data.can_apply_plan_id != null && (
            <Alert
              type="info"
              showIcon
              title={t('quote.canApply', { id: data.can_apply_plan_id })}
            />
          )}
          {data.pending_application_id != null && (
            <Alert
              type="warning"
              showIcon
              title={t('quote.pending', { id: data.pending_application_id })}
            />
          )}
          {data.reasons.length > 0 && (
            <Alert
              type={data.rate_bps == null ? 'warning' : 'success'}
              showIcon
              title={t('quote.reasons')}
              description={
                <ul style={{ margin: 0, paddingInlineStart: 16 }} data-testid="quote-reasons">
                  {data.reasons.map((r) => (
                    <li key={r.code + r.message}>{bilingual(r.message, language)}</li>
                  ))}
                </ul>
              }
            />
          )}
          {data.considered.length > 0 && (
            <List
              size="small"
              header={<Typography.Text strong>{t('quote.considered')}</Typography.Text>}
              bordered
              dataSource={data.considered}
              data-testid="quote-considered"
              renderItem={(verdict) => (
                <List.Item>
                  <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                    <Space wrap>
                      {verdict.applies ? (
                        <CheckCircleTwoTone twoToneColor="#52c41a" />
                      ) : (
                        <CloseCircleOutlined style={{ color: '#bfbfbf' }} />
                      )}
                      <Tag>{labelOf(t, 'planType', verdict.plan_type)}</Tag>
                      <Typography.Text>#{verdict.plan_id}</Typography.Text>
                      <Typography.Text type="secondary">
                        {verdict.scope === 'sku' ? t('quote.scopeSku') : t('quote.scopeProduct')}
                      </Typography.Text>
                      <Typography.Text strong>
                        {verdict.rate_bps != null ? formatBps(verdict.rate_bps) : '—'}
                      </Typography.Text>
                      {verdict.chosen ? (
                        <Tag color="red">{t('quote.chosen')}</Tag>
                      ) : (
                        <Tag>{verdict.applies ? t('quote.applies') : t('quote.notApplies')}</Tag>
                      )}
                    </Space>
                    {verdict.reasons.map((r) => (
                      <Typography.Text
                        key={r.code + r.message}
                        type="secondary"
                        style={{ fontSize: 12 }}
                      >
                        {bilingual(r.message, language)}
                      </Typography.Text>
                    ))}
                  </Space>
                </List.Item>
              )}
            />
          )}
        </Space>
      )}
    </div>
  );
}
