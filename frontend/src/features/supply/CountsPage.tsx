import {
  App,
  Button,
  Card,
  Drawer,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useMe } from '@/api/session';
import { formatDateTime } from '@/lib/time';
import {
  canWriteSupply,
  useCounts,
  useCreateCount,
  usePostCount,
  useWarehouseStock,
  useWarehouses,
} from './api';
import { applyServerErrors } from './forms';
import { enumText, locationText, useSupplyT } from './i18n';
import type { StockBalance, StockCount } from './models';
import { listPagination } from './pagination';
import { CreateBar, ErrorList, ItemText, LotText, MoneyText, StateTag } from './ui';

/** 盘点: count a warehouse's storage rows, then post the differences as adjustments. */
export function CountsPage() {
  const { t } = useSupplyT();
  const { message } = App.useApp();
  const { data: me } = useMe();
  const writable = canWriteSupply(me);
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const query = useCounts(page);
  const post = usePostCount();
  return (
    <Card size="small" data-testid="counts-page">
      <CreateBar
        writable={writable}
        label={t('counts.create')}
        onCreate={() => setCreating(true)}
        testId="count-create"
      />
      <Table<StockCount>
        data-testid="counts-table"
        rowKey="id"
        size="middle"
        loading={query.isFetching}
        dataSource={query.data?.results ?? []}
        pagination={listPagination(t, page, setPage, query.data?.count)}
        expandable={{
          expandedRowRender: (count) => (
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={count.lines}
              columns={[
                {
                  title: t('common.location'),
                  key: 'loc',
                  render: (_, l) => locationText(t, l.location),
                },
                {
                  title: t('common.item'),
                  key: 'item',
                  render: (_, l) => <ItemText item={l.stock_item} />,
                },
                { title: t('common.lot'), key: 'lot', render: (_, l) => <LotText lot={l.lot} /> },
                { title: t('common.owner'), key: 'owner', render: (_, l) => l.owner.name },
                {
                  title: t('counts.system'),
                  dataIndex: 'system_quantity',
                  align: 'right',
                  render: (v: number | null | undefined) => v ?? '—',
                },
                { title: t('counts.counted'), dataIndex: 'counted_quantity', align: 'right' },
                {
                  title: t('counts.difference'),
                  key: 'diff',
                  align: 'right',
                  render: (_, l) =>
                    l.system_quantity == null ? '—' : l.counted_quantity - l.system_quantity,
                },
                {
                  title: t('counts.differenceValue'),
                  key: 'value',
                  align: 'right',
                  render: (_, l) => <MoneyText value={l.difference_value} />,
                },
              ]}
            />
          ),
        }}
        columns={[
          {
            title: t('counts.id'),
            dataIndex: 'id',
            width: 90,
            render: (id: number) => <Typography.Text strong>#{id}</Typography.Text>,
          },
          { title: t('common.warehouse'), dataIndex: 'warehouse', width: 100 },
          { title: t('counts.reason'), dataIndex: 'reason' },
          {
            title: t('common.state'),
            dataIndex: 'state',
            width: 110,
            render: (v: string) => <StateTag state={v} label={enumText(t, 'countState', v)} />,
          },
          { title: t('common.lines'), key: 'lines', width: 70, render: (_, c) => c.lines.length },
          {
            title: t('counts.postedAt'),
            dataIndex: 'posted_at',
            width: 150,
            render: (v: string | null | undefined) => formatDateTime(v),
          },
          ...(writable
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 100,
                  render: (_: unknown, count: StockCount) =>
                    count.state === 'draft' ? (
                      <Popconfirm
                        title={t('counts.post')}
                        onConfirm={() =>
                          post.mutate(count.id, {
                            onSuccess: () => void message.success(t('counts.posted')),
                            onError: (e) => void message.error(e.message),
                          })
                        }
                      >
                        <Button size="small" type="primary" data-testid={`count-post-${count.id}`}>
                          {t('counts.post')}
                        </Button>
                      </Popconfirm>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      {creating && <CreateCountDrawer onClose={() => setCreating(false)} />}
    </Card>
  );
}

interface CountForm {
  warehouse?: number;
  reason?: string;
  counted: Record<string, number | null>;
}

function CreateCountDrawer({ onClose }: { onClose: () => void }) {
  const { t } = useSupplyT();
  const { message } = App.useApp();
  const [form] = Form.useForm<CountForm>();
  const warehouses = useWarehouses();
  const warehouse = Form.useWatch('warehouse', form);
  const stock = useWarehouseStock(warehouse);
  const create = useCreateCount();
  const [errors, setErrors] = useState<string[]>([]);
  const rows = stock.data ?? [];

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values || !values.warehouse) return;
    const counted = (form.getFieldValue('counted') ?? {}) as CountForm['counted'];
    const lines = rows
      .filter((row) => counted[row.id] != null)
      .map((row) => ({
        location: row.location.id,
        stock_item: row.stock_item.id,
        owner: row.owner.id,
        lot: row.lot?.id ?? null,
        counted_quantity: counted[row.id] as number,
      }));
    setErrors([]);
    try {
      const count = await create.mutateAsync({
        warehouse: values.warehouse,
        reason: values.reason ?? '',
        lines,
      });
      void message.success(`${t('counts.created')}: #${count.id}`);
      onClose();
    } catch (error) {
      setErrors(applyServerErrors(form, error, [['warehouse'], ['reason']]));
    }
  };

  return (
    <Drawer
      open
      size={960}
      title={t('counts.create')}
      onClose={onClose}
      destroyOnHidden
      data-testid="count-create-drawer"
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={create.isPending}
            onClick={() => void submit()}
            data-testid="count-submit"
          >
            {t('common.submit')}
          </Button>
        </Space>
      }
    >
      <ErrorList messages={errors} />
      <Form<CountForm> form={form} name="count" layout="vertical" initialValues={{ counted: {} }}>
        <Space wrap>
          <Form.Item
            name="warehouse"
            label={t('common.warehouse')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Select
              style={{ width: 220 }}
              options={(warehouses.data ?? []).map((w) => ({
                value: w.id,
                label: `${w.code} ${w.name}`,
              }))}
              onChange={() => form.setFieldValue('counted', {})}
            />
          </Form.Item>
          <Form.Item
            name="reason"
            label={t('counts.reason')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Input maxLength={200} style={{ width: 360 }} />
          </Form.Item>
        </Space>
        {warehouse !== undefined && (
          <Table<StockBalance>
            size="small"
            rowKey="id"
            loading={stock.isFetching}
            pagination={false}
            dataSource={rows}
            locale={{ emptyText: t('counts.noStock') }}
            columns={[
              {
                title: t('common.location'),
                key: 'loc',
                width: 90,
                render: (_, r) => locationText(t, r.location),
              },
              {
                title: t('common.item'),
                key: 'item',
                render: (_, r) => <ItemText item={r.stock_item} />,
              },
              { title: t('common.lot'), key: 'lot', render: (_, r) => <LotText lot={r.lot} /> },
              { title: t('common.owner'), key: 'owner', render: (_, r) => r.owner.name },
              { title: t('counts.system'), dataIndex: 'on_hand', align: 'right', width: 90 },
              {
                title: t('counts.counted'),
                key: 'counted',
                width: 130,
                render: (_, r) => (
                  <Form.Item name={['counted', String(r.id)]} noStyle>
                    <InputNumber
                      min={0}
                      precision={0}
                      style={{ width: 110 }}
                      placeholder={String(r.on_hand)}
                    />
                  </Form.Item>
                ),
              },
            ]}
          />
        )}
      </Form>
    </Drawer>
  );
}
