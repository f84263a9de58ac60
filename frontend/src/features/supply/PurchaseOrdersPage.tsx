import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Popconfirm, Space, Table, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useMe } from '@/api/session';
import { FilterTags } from '@/lib/FilterTags';
import { dayParam, formatDateTime } from '@/lib/time';
import {
  canWriteSupply,
  usePurchaseOrderAction,
  usePurchaseOrders,
  type PurchaseOrderFilters,
} from './api';
import { enumText, useSupplyT } from './i18n';
import { OWNERSHIPS, PO_STATES, type PoLine, type PurchaseOrder } from './models';
import { lineAmount, sumAmounts } from './payload';
import { CreatePurchaseOrderDrawer } from './CreatePurchaseOrderDrawer';
import { ReceiveDrawer } from './ReceiveDrawer';
import { listPagination } from './pagination';
import { ItemText, MoneyText, ReadOnlyNote, StateTag } from './ui';

function orderTotal(order: PurchaseOrder) {
  return sumAmounts(order.lines.map((line) => lineAmount(line.quantity, line.unit_price.amount)));
}

function LinesTable({ order }: { order: PurchaseOrder }) {
  const { t } = useSupplyT();
  return (
    <Table<PoLine>
      size="small"
      rowKey="id"
      pagination={false}
      dataSource={order.lines}
      data-testid={`po-lines-${order.id}`}
      columns={[
        { title: '#', dataIndex: 'line_no', width: 48 },
        {
          title: t('common.item'),
          key: 'item',
          render: (_, line) => <ItemText item={line.stock_item} />,
        },
        { title: t('po.ordered'), dataIndex: 'quantity', align: 'right', width: 90 },
        { title: t('po.received'), dataIndex: 'received_quantity', align: 'right', width: 90 },
        {
          title: t('po.unitPrice'),
          key: 'price',
          align: 'right',
          width: 120,
          render: (_, line) => <MoneyText value={line.unit_price} />,
        },
        {
          title: t('po.amount'),
          key: 'amount',
          align: 'right',
          width: 140,
          render: (_, line) => (
            <MoneyText value={lineAmount(line.quantity, line.unit_price.amount)} />
          ),
        },
        {
          title: t('po.expectedDate'),
          dataIndex: 'expected_date',
          width: 120,
          render: (v: string | null | undefined) => v ?? '—',
        },
      ]}
    />
  );
}

/** The list's filters as the URL gives them (a home card links here with `?due_by=`). */
function purchaseOrderFiltersFrom(params: URLSearchParams): PurchaseOrderFilters {
  const state = params.get('state');
  const ownership = params.get('ownership');
  return {
    state: (PO_STATES as readonly string[]).includes(state ?? '')
      ? (state as PurchaseOrderFilters['state'])
      : undefined,
    ownership: (OWNERSHIPS as readonly string[]).includes(ownership ?? '')
      ? (ownership as PurchaseOrderFilters['ownership'])
      : undefined,
    due_by: dayParam(params.get('due_by')),
  };
}

export function PurchaseOrdersPage() {
  const { t } = useSupplyT();
  const { message } = App.useApp();
  const { data: me } = useMe();
  const writable = canWriteSupply(me);
  const [page, setPage] = useState(1);
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => purchaseOrderFiltersFrom(params), [params]);
  const setFilters = (next: PurchaseOrderFilters) => {
    const copy = new URLSearchParams();
    for (const [key, value] of Object.entries(next)) if (value) copy.set(key, String(value));
    setParams(copy, { replace: true });
    setPage(1);
  };
  const [creating, setCreating] = useState(false);
  const [receiving, setReceiving] = useState<PurchaseOrder | null>(null);
  const query = usePurchaseOrders(page, filters);
  const action = usePurchaseOrderAction();

  const act = (order: PurchaseOrder, kind: 'confirm' | 'cancel') =>
    action.mutate(
      { id: order.id, action: kind },
      {
        onSuccess: () =>
          void message.success(t(kind === 'confirm' ? 'po.confirmed' : 'po.cancelled')),
        onError: (error) => void message.error(error.message),
      },
    );

  return (
    <Card size="small" data-testid="purchase-orders-page">
      {!writable && me?.organization?.kind === 'operator' && <ReadOnlyNote />}
      {writable && (
        <Space style={{ marginBottom: 12 }}>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid="po-create"
          >
            {t('po.create')}
          </Button>
        </Space>
      )}
      <FilterTags
        filters={
          filters.due_by ? [{ key: 'due_by', label: t('po.dueBy', { date: filters.due_by }) }] : []
        }
        onRemove={() => setFilters({ ...filters, due_by: undefined })}
      />
      <Table<PurchaseOrder>
        data-testid="purchase-orders-table"
        rowKey="id"
        size="middle"
        loading={query.isFetching}
        dataSource={query.data?.results ?? []}
        onChange={(_pagination, tableFilters) => {
          const next: PurchaseOrderFilters = {
            ...filters,
            state: (tableFilters.state?.[0] as PurchaseOrderFilters['state']) ?? undefined,
            ownership:
              (tableFilters.ownership?.[0] as PurchaseOrderFilters['ownership']) ?? undefined,
          };
          if (next.state !== filters.state || next.ownership !== filters.ownership) {
            setFilters(next);
          }
        }}
        expandable={{ expandedRowRender: (order) => <LinesTable order={order} /> }}
        pagination={listPagination(t, page, setPage, query.data?.count)}
        columns={[
          {
            title: t('po.id'),
            dataIndex: 'id',
            width: 90,
            render: (id: number) => <Typography.Text strong>PO{id}</Typography.Text>,
          },
          { title: t('po.brand'), key: 'brand', render: (_, order) => order.brand.name },
          { title: t('common.warehouse'), dataIndex: 'warehouse', width: 90 },
          {
            title: t('po.ownership'),
            dataIndex: 'ownership',
            width: 120,
            filters: OWNERSHIPS.map((value) => ({ text: enumText(t, 'ownership', value), value })),
            filterMultiple: false,
            filteredValue: filters.ownership ? [filters.ownership] : null,
            render: (value: string) => enumText(t, 'ownership', value),
          },
          {
            title: t('common.state'),
            dataIndex: 'state',
            width: 120,
            filters: PO_STATES.map((value) => ({ text: enumText(t, 'poState', value), value })),
            filterMultiple: false,
            filteredValue: filters.state ? [filters.state] : null,
            render: (value: string) => (
              <StateTag state={value} label={enumText(t, 'poState', value)} />
            ),
          },
          {
            title: t('po.orderTotal'),
            key: 'total',
            align: 'right',
            width: 140,
            render: (_, order) => <MoneyText value={orderTotal(order)} />,
          },
          {
            title: t('common.createdAt'),
            dataIndex: 'created_at',
            width: 150,
            render: (v: string) => formatDateTime(v),
          },
          ...(writable
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 200,
                  render: (_: unknown, order: PurchaseOrder) => (
                    <Space size="small">
                      {order.state === 'draft' && (
                        <Button
                          size="small"
                          type="primary"
                          loading={action.isPending && action.variables?.id === order.id}
                          onClick={() => act(order, 'confirm')}
                          data-testid={`po-confirm-${order.id}`}
                        >
                          {t('po.confirm')}
                        </Button>
                      )}
                      {(order.state === 'confirmed' || order.state === 'partially_received') && (
                        <Button
                          size="small"
                          type="primary"
                          onClick={() => setReceiving(order)}
                          data-testid={`po-receive-${order.id}`}
                        >
                          {t('po.receive')}
                        </Button>
                      )}
                      {(order.state === 'draft' || order.state === 'confirmed') && (
                        <Popconfirm
                          title={t('po.cancelOrder')}
                          onConfirm={() => act(order, 'cancel')}
                        >
                          <Button size="small" danger data-testid={`po-cancel-${order.id}`}>
                            {t('po.cancelOrder')}
                          </Button>
                        </Popconfirm>
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {creating && <CreatePurchaseOrderDrawer onClose={() => setCreating(false)} />}
      {receiving && <ReceiveDrawer order={receiving} onClose={() => setReceiving(null)} />}
    </Card>
  );
}
