import {
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  Select,
  Space,
  Switch,
  Table,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useMe } from '@/api/session';
import { ExportLinks } from '@/lib/ExportLinks';
import { FilterTags } from '@/lib/FilterTags';
import { exportUrl } from '@/lib/exports';
import { formatCount } from '@/lib/format';
import { dayjs, dayParam } from '@/lib/time';
import { useStock, useStockItems, useWarehouses, type StockFilters } from './api';
import type { Dayjs } from 'dayjs';
import { locationText, useSupplyT, type SupplyT } from './i18n';
import type { OrgBrief, StockBalance } from './models';
import { listPagination } from './pagination';
import { ItemText, LotText, MoneyText } from './ui';

function filtersFrom(params: URLSearchParams): StockFilters {
  const number = (key: string) => {
    const value = params.get(key);
    return value && /^\d+$/.test(value) ? Number(value) : undefined;
  };
  return {
    warehouse: number('warehouse'),
    sku: params.get('sku') || undefined,
    batch_number: params.get('batch_number') || undefined,
    owner: number('owner'),
    expiring_before: dayParam(params.get('expiring_before')),
    available_at_most: number('available_at_most'),
    in_stock: params.get('in_stock') === 'false' ? undefined : true,
  };
}

interface FilterForm {
  warehouse?: number;
  sku?: string;
  batch_number?: string;
  owner?: number;
  expiring_before?: Dayjs | null;
  in_stock?: boolean;
}

/** 库存: on hand / reserved / available / value per warehouse, location, SKU, lot and owner. */
export function StockPage() {
  const { t } = useSupplyT();
  const { data: me } = useMe();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFrom(params), [params]);
  const [page, setPage] = useState(1);
  const query = useStock(page, filters);
  const warehouses = useWarehouses();
  const items = useStockItems();
  const [form] = Form.useForm<FilterForm>();

  const owners = useMemo(() => {
    const seen = new Map<number, string>();
    if (me?.organization?.kind === 'operator' || me?.organization?.kind === 'brand') {
      seen.set(me.organization.id, me.organization.name);
    }
    for (const item of items.data ?? []) seen.set(item.brand.id, item.brand.name);
    for (const row of query.data?.results ?? []) seen.set(row.owner.id, row.owner.name);
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [me, items.data, query.data]);

  const apply = (values: FilterForm) => {
    const next = new URLSearchParams();
    if (values.warehouse) next.set('warehouse', String(values.warehouse));
    if (values.sku?.trim()) next.set('sku', values.sku.trim());
    if (values.batch_number?.trim()) next.set('batch_number', values.batch_number.trim());
    if (values.owner) next.set('owner', String(values.owner));
    if (values.expiring_before)
      next.set('expiring_before', values.expiring_before.format('YYYY-MM-DD'));
    if (values.in_stock === false) next.set('in_stock', 'false');
    // Not a field of the form: it stays until its tag is removed.
    if (filters.available_at_most !== undefined)
      next.set('available_at_most', String(filters.available_at_most));
    setParams(next);
    setPage(1);
  };

  const rows = query.data?.results ?? [];
  const sum = (pick: (row: StockBalance) => number) =>
    rows.reduce((acc, row) => acc + pick(row), 0);

  return (
    <Card size="small" data-testid="stock-page">
      <Form<FilterForm>
        form={form}
        name="stock_filters"
        layout="inline"
        onFinish={apply}
        initialValues={{
          ...filters,
          expiring_before: filters.expiring_before ? dayjs(filters.expiring_before) : null,
          in_stock: filters.in_stock ?? false,
        }}
        style={{ marginBottom: 12, rowGap: 8 }}
      >
        <Form.Item name="warehouse" label={t('common.warehouse')}>
          <Select
            allowClear
            style={{ width: 180 }}
            options={(warehouses.data ?? []).map((w) => ({
              value: w.id,
              label: `${w.code} ${w.name}`,
            }))}
          />
        </Form.Item>
        <Form.Item name="sku" label={t('common.sku')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            style={{ width: 220 }}
            options={(items.data ?? []).map((item) => ({
              value: item.sku_code,
              label: `${item.sku_code} ${item.name}`,
            }))}
          />
        </Form.Item>
        <Form.Item name="batch_number" label={t('common.lot')}>
          <Input allowClear style={{ width: 140 }} placeholder={t('stock.batchNumber')} />
        </Form.Item>
        <Form.Item name="owner" label={t('common.owner')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            style={{ width: 220 }}
            options={owners}
          />
        </Form.Item>
        <Form.Item name="expiring_before" label={t('stock.expiringBefore')}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="in_stock" label={t('stock.inStockOnly')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" data-testid="stock-search">
              {t('common.search')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                setParams(new URLSearchParams());
                setPage(1);
              }}
            >
              {t('common.reset')}
            </Button>
          </Space>
        </Form.Item>
        <Form.Item>
          <ExportLinks
            testId="stock-export"
            labels={{ csv: t('stock.exportCsv'), xlsx: t('stock.exportXlsx') }}
            hrefFor={(fmt) => exportUrl('/api/supply/stock/export/', fmt, { ...filters })}
          />
        </Form.Item>
      </Form>
      <FilterTags
        filters={
          filters.available_at_most !== undefined
            ? [
                {
                  key: 'available_at_most',
                  label: t('stock.availableAtMost', { count: filters.available_at_most }),
                },
              ]
            : []
        }
        onRemove={(key) => {
          const next = new URLSearchParams(params);
          next.delete(key);
          setParams(next);
          setPage(1);
        }}
      />
      <Table<StockBalance>
        data-testid="stock-table"
        scroll={{ x: 'max-content' }}
        rowKey="id"
        size="middle"
        loading={query.isFetching}
        dataSource={rows}
        pagination={listPagination(t, page, setPage, query.data?.count)}
        summary={() =>
          rows.length > 0 ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={5}>
                <Typography.Text strong>{t('stock.totalValue')}</Typography.Text>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={5} align="right">
                <span data-testid="stock-total-on-hand">{formatCount(sum((r) => r.on_hand))}</span>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={6} align="right">
                {formatCount(sum((r) => r.reserved))}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={7} align="right">
                <span data-testid="stock-total-available">
                  {formatCount(sum((r) => r.available))}
                </span>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={8} />
              <Table.Summary.Cell index={9} align="right">
                {/* The backend's total of every row the filters select: the ledger's figure. */}
                <MoneyText testId="stock-total-value" value={query.data?.total_value} />
              </Table.Summary.Cell>
            </Table.Summary.Row>
          ) : null
        }
        columns={stockColumns(t)}
      />
    </Card>
  );
}

function OwnerText({ owner }: { owner: OrgBrief }) {
  return <span title={owner.kind}>{owner.name}</span>;
}

/** The stock table's columns: where, what, whose, and how many at what cost. */
function stockColumns(t: SupplyT): TableColumnsType<StockBalance> {
  return [
    {
      title: t('common.warehouse'),
      key: 'warehouse',
      width: 140,
      render: (_, row) => `${row.warehouse} · ${locationText(t, row.location)}`,
    },
    {
      title: t('common.item'),
      key: 'item',
      width: 300,
      render: (_, row) => <ItemText item={row.stock_item} />,
    },
    {
      title: t('common.lot'),
      key: 'lot',
      width: 190,
      render: (_, row) => <LotText lot={row.lot} />,
    },
    {
      title: t('common.owner'),
      key: 'owner',
      width: 200,
      render: (_, row) => <OwnerText owner={row.owner} />,
    },
    {
      title: t('common.unit'),
      key: 'unit',
      width: 60,
      render: (_, row) => row.stock_item.unit,
    },
    {
      title: t('stock.onHand'),
      dataIndex: 'on_hand',
      align: 'right',
      width: 90,
      render: formatCount,
    },
    {
      title: t('stock.reserved'),
      dataIndex: 'reserved',
      align: 'right',
      width: 90,
      render: formatCount,
    },
    {
      title: t('stock.available'),
      dataIndex: 'available',
      align: 'right',
      width: 90,
      render: formatCount,
    },
    {
      title: t('stock.unitCost'),
      key: 'unit_cost',
      align: 'right',
      width: 120,
      render: (_, row) => <MoneyText value={row.unit_cost} />,
    },
    {
      title: t('stock.value'),
      key: 'value',
      align: 'right',
      width: 140,
      render: (_, row) => <MoneyText value={row.value} />,
    },
  ];
}
