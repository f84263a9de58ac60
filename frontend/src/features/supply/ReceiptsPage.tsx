import { Card, Table, Typography } from 'antd';
import { useState } from 'react';
import { formatDateTime } from '@/lib/time';
import { useReceipts } from './api';
import { locationText, useSupplyT } from './i18n';
import type { Receipt } from './models';
import { sumAmounts } from './payload';
import { listPagination } from './pagination';
import { ItemText, LotText, MoneyText } from './ui';

/** 入库单: every receipt against a purchase order, with its lines, lots and values. */
export function ReceiptsPage() {
  const { t } = useSupplyT();
  const [page, setPage] = useState(1);
  const query = useReceipts(page);
  return (
    <Card size="small" data-testid="receipts-page">
      <Table<Receipt>
        data-testid="receipts-table"
        rowKey="id"
        size="middle"
        loading={query.isFetching}
        dataSource={query.data?.results ?? []}
        pagination={listPagination(t, page, setPage, query.data?.count)}
        expandable={{
          expandedRowRender: (receipt) => (
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={receipt.lines}
              columns={[
                { title: '#', dataIndex: 'line_no', width: 48 },
                {
                  title: t('common.item'),
                  key: 'item',
                  render: (_, l) => <ItemText item={l.stock_item} />,
                },
                { title: t('common.lot'), key: 'lot', render: (_, l) => <LotText lot={l.lot} /> },
                { title: t('common.quantity'), dataIndex: 'quantity', align: 'right' },
                {
                  title: t('common.value'),
                  key: 'value',
                  align: 'right',
                  render: (_, l) => <MoneyText value={l.value} />,
                },
              ]}
            />
          ),
        }}
        columns={[
          {
            title: t('receipts.id'),
            dataIndex: 'id',
            width: 100,
            render: (id: number) => <Typography.Text strong>#{id}</Typography.Text>,
          },
          {
            title: t('receipts.purchaseOrder'),
            dataIndex: 'purchase_order',
            width: 110,
            render: (id: number) => `PO${id}`,
          },
          {
            title: t('common.location'),
            key: 'location',
            render: (_, r) => locationText(t, r.location),
          },
          { title: t('common.date'), dataIndex: 'effective_date', width: 120 },
          {
            title: t('common.value'),
            key: 'value',
            align: 'right',
            width: 140,
            render: (_, r) => <MoneyText value={sumAmounts(r.lines.map((l) => l.value))} />,
          },
          {
            title: t('common.entry'),
            dataIndex: 'journal_entry_id',
            width: 100,
            render: (id: number | null | undefined) => (id ? `JE${id}` : '—'),
          },
          {
            title: t('common.note'),
            dataIndex: 'note',
            render: (v: string | null | undefined) => v || '—',
          },
          {
            title: t('common.createdAt'),
            dataIndex: 'created_at',
            width: 150,
            render: (v: string) => formatDateTime(v),
          },
        ]}
      />
    </Card>
  );
}
