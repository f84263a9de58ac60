import { Card, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Anchor } from '@/api/models';
import { enumLabel } from '@/i18n/labels';
import { formatCount } from '@/lib/format';
import { formatBps } from '@/lib/money';
import { formatDate } from '@/lib/time';
import { PAGE_SIZE, useAnchors } from './api';

function totalFans(anchor: Anchor): number {
  return anchor.accounts.reduce((sum, account) => sum + account.fans, 0);
}

export function AnchorsPage() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const query = useAnchors(page);
  return (
    <div data-testid="anchors-page">
      <Typography.Title level={2} style={{ marginTop: 0 }}>
        {t('parties.anchors')}
      </Typography.Title>
      <Card size="small">
        <Table<Anchor>
          data-testid="anchors-table"
          rowKey="id"
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
              width: 100,
              render: (kind: string) => (
                <Tag color={kind === 'digital_human' ? 'purple' : undefined}>
                  {enumLabel(t, 'anchorKind', kind)}
                </Tag>
              ),
            },
            {
              title: t('parties.region'),
              dataIndex: 'region',
              width: 140,
              render: (v?: string | null) => v || '—',
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
