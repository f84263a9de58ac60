import { App, Button, Drawer, Progress, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { formatBps } from '@/lib/money';
import {
  useAddPick,
  useAnchorRecommendations,
  useBrandProducts,
  usePicks,
  useRecommendedAnchors,
} from './api';
import { useSelectionT } from './i18n';
import type { AnchorMatch, MatchReason, ProductMatch } from './models';
import { QuoteView } from './QuoteView';
import { ApiErrorAlert, MoneyText } from './ui';
import { errorLines } from './formErrors';

function Reasons({ reasons }: { reasons: MatchReason[] }) {
  const { language } = useSelectionT();
  return (
    <Space size={[4, 4]} wrap>
      {reasons.slice(0, 4).map((r) => (
        <Tag key={r.code} color="geekblue">
          {language === 'zh' ? r.zh : r.en}
        </Tag>
      ))}
    </Space>
  );
}

function Score({ score }: { score: number }) {
  return (
    <Progress
      percent={Math.round(Math.min(1, Math.max(0, score)) * 100)}
      size="small"
      style={{ width: 110 }}
    />
  );
}

/** 人货匹配 for an anchor: products recommended with the reasons, each one pickable. */
export function AnchorRecommendations({ anchor }: { anchor: number | null }) {
  const { t, language } = useSelectionT();
  const { message } = App.useApp();
  const found = useAnchorRecommendations(anchor, 20);
  const picks = usePicks({ anchor: anchor ?? undefined });
  const add = useAddPick();
  const [quoteSku, setQuoteSku] = useState<number | null>(null);
  const picked = new Set((picks.data ?? []).filter((p) => p.state !== 'removed').map((p) => p.sku));

  return (
    <div data-testid="recommendations">
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {t('recommend.forAnchor')}
      </Typography.Title>
      {found.isError && <ApiErrorAlert error={found.error} />}
      <Table<ProductMatch>
        rowKey={(m) => `${m.product}-${m.sku ?? 0}`}
        size="small"
        loading={found.isFetching}
        dataSource={found.data ?? []}
        pagination={false}
        locale={{ emptyText: t('recommend.empty') }}
        columns={[
          {
            title: t('common.product'),
            key: 'product',
            width: 240,
            render: (_, m) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text strong>{m.product_name}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {[m.spec, m.brand_name, m.origin_city].filter(Boolean).join(' · ')}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: t('pick.retail'),
            key: 'price',
            align: 'right',
            render: (_, m) => <MoneyText value={m.retail_price} />,
          },
          {
            title: t('recommend.commission'),
            key: 'commission',
            align: 'right',
            render: (_, m) => (m.commission_bps != null ? formatBps(m.commission_bps) : '—'),
          },
          {
            title: t('recommend.score'),
            key: 'score',
            render: (_, m) => <Score score={m.score} />,
          },
          {
            title: t('recommend.reasons'),
            key: 'reasons',
            render: (_, m) => <Reasons reasons={m.reasons} />,
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, m) =>
              m.sku == null ? null : (
                <Space size={0}>
                  <Button type="link" size="small" onClick={() => setQuoteSku(m.sku ?? null)}>
                    {t('pick.why')}
                  </Button>
                  {picked.has(m.sku) ? (
                    <Tag>{t('pick.inPicks')}</Tag>
                  ) : (
                    <Button
                      type="link"
                      size="small"
                      loading={add.isPending && add.variables?.sku === m.sku}
                      onClick={() =>
                        add.mutateAsync({ sku: m.sku as number, anchor: anchor ?? undefined }).then(
                          () => void message.success(t('pick.added')),
                          (error: unknown) =>
                            void message.error(
                              errorLines(error, t, language)
                                .map((l) => l.text)
                                .join('；'),
                            ),
                        )
                      }
                    >
                      {t('pick.add')}
                    </Button>
                  )}
                </Space>
              ),
          },
        ]}
      />
      <Drawer
        open={quoteSku !== null}
        size={560}
        title={t('quote.title')}
        onClose={() => setQuoteSku(null)}
        destroyOnHidden
      >
        {quoteSku !== null && <QuoteView sku={quoteSku} anchor={anchor} />}
      </Drawer>
    </div>
  );
}

/** 人货匹配 for a brand: anchors recommended for one of its products, with the reasons. */
export function RecommendedAnchorsTab() {
  const { t } = useSelectionT();
  const products = useBrandProducts();
  const [product, setProduct] = useState<number | null>(null);
  const chosen = product ?? products.data?.[0]?.id ?? null;
  const found = useRecommendedAnchors(chosen, 20);
  return (
    <div data-testid="recommended-anchors">
      <Space style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">{t('recommend.chooseProduct')}</Typography.Text>
        <Select
          style={{ width: 320 }}
          showSearch
          optionFilterProp="label"
          loading={products.isPending}
          value={chosen ?? undefined}
          onChange={setProduct}
          options={(products.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
        />
      </Space>
      {found.isError && <ApiErrorAlert error={found.error} />}
      <Table<AnchorMatch>
        rowKey="anchor"
        size="small"
        loading={found.isFetching}
        dataSource={found.data ?? []}
        pagination={false}
        locale={{ emptyText: t('recommend.empty') }}
        columns={[
          {
            title: t('common.anchor'),
            key: 'anchor',
            render: (_, m) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text strong>{m.anchor_name}</Typography.Text>
                {m.city && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {m.city}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: t('recommend.commission'),
            key: 'commission',
            align: 'right',
            render: (_, m) => (m.commission_bps != null ? formatBps(m.commission_bps) : '—'),
          },
          {
            title: t('recommend.score'),
            key: 'score',
            render: (_, m) => <Score score={m.score} />,
          },
          {
            title: t('recommend.reasons'),
            key: 'reasons',
            render: (_, m) => <Reasons reasons={m.reasons} />,
          },
        ]}
      />
    </div>
  );
}
