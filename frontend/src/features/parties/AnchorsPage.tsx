import { Card, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Anchor } from '@/api/models';
import { enumLabel } from '@/i18n/labels';
import { formatCount } from '@/lib/format';
import { formatBps } from '@/lib/money';
import { formatDate } from '@/lib/time';
import { PAGE_SIZE, useAnchors, type AnchorKind } from './api';

function totalFans(anchor: Anchor): number {
  return anchor.total_fans ?? anchor.accounts.reduce((sum, account) => sum + account.fans, 0);
}

function region(anchor: Anchor): string {
  return anchor.region || [anchor.city, anchor.county].filter(Boolean).join(' ') || '—';
}

const ANCHOR_KINDS: AnchorKind[] = ['person', 'digital_human'];

export function AnchorsPage() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [kind, setKind] = useState<AnchorKind | undefined>();
  const query = useAnchors(page, kind);
  return (
    <div data-testid="anchors-page">
      <Typography.Title level={2} style={{ marginTop: 0 }}>
        {t('parties.anchors')}
      </Typography.Title>
      <Card size="small">
        <Table<Anchor>
          data-testid="anchors-table"
          rowKey="id"
          onChange={(_pagination, filters) => {
            const next = (filters.kind?.[0] as AnchorKind | undefined) ?? undefined;
            if (next !== kind) {
              setKind(next);
              setPage(1);
            }
          }}
          size="middle"
          loading={query.isFetching}
          dataSource={query.data?.results ?? []}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: query.data?.count ?? 0,
            showSizeChanger: false,
            showTotal: (count) => t('parties.total', { count }),
            onChange: setPage,
          }}
          columns={[
            { title: t('parties.name'), dataIndex: 'name', width: 160 },
            {
              title: t('parties.kind'),
              dataIndex: 'kind',
              width: 110,
              filters: ANCHOR_KINDS.map((value) => ({
                text: enumLabel(t, 'anchorKind', value),
                value,
              })),
              filterMultiple: false,
              filteredValue: kind ? [kind] : null,
              render: (value: string) => (
                <Tag color={value === 'digital_human' ? 'purple' : undefined}>
                  {enumLabel(t, 'anchorKind', value)}
                </Tag>
              ),
            },
            {
              title: t('parties.region'),
              key: 'region',
              width: 140,
              render: (_: unknown, anchor) => region(anchor),
            },
            {
              title: t('parties.accounts'),
              key: 'accounts',
              render: (_: unknown, anchor) => (
                <Space size={[4, 4]} wrap>
                  {anchor.accounts.map((account) => (
                    <Tooltip
                      key={`${account.platform}:${account.platform_uid}`}
                      title={(account.main_categories ?? []).join(' / ') || undefined}
                    >
                      <Tag>
                        {enumLabel(t, 'platform', account.platform)} · {account.nickname} ·{' '}
                        {formatCount(account.fans)}
                      </Tag>
                    </Tooltip>
                  ))}
                </Space>
              ),
            },
            {
              title: t('parties.totalFans'),
              key: 'fans',
              width: 120,
              align: 'right',
              render: (_: unknown, anchor) => formatCount(totalFans(anchor)),
            },
            {
              title: t('parties.mcn'),
              key: 'mcn',
              width: 220,
              render: (_: unknown, anchor) =>
                anchor.current_binding ? (
                  <Space orientation="vertical" size={0}>
                    <span>{anchor.current_binding.mcn.name}</span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('parties.split')} {formatBps(anchor.current_binding.split_bps)} ·{' '}
                      {t('parties.since')} {formatDate(anchor.current_binding.valid_from)}
                    </Typography.Text>
                  </Space>
                ) : (
                  <Typography.Text type="secondary">{t('parties.independent')}</Typography.Text>
                ),
            },
          ]}
        />
      </Card>
    </div>
  );
}
