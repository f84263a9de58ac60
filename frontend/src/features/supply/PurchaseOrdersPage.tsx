import { PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Radio,
  Select,
  Space,
  Steps,
  Table,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useMe } from '@/api/session';
import { FilterTags } from '@/lib/FilterTags';
import { dayParam, formatDateTime } from '@/lib/time';
import {
  canWriteSupply,
  useCreatePurchaseOrder,
  usePurchaseOrderAction,
  usePurchaseOrders,
  useStockItems,
  useWarehouses,
  type PurchaseOrderFilters,
} from './api';
import { applyServerErrors } from './forms';
import { enumText, useSupplyT } from './i18n';
import { OWNERSHIPS, PO_STATES, type PoLine, type PurchaseOrder } from './models';
import {
  lineAmount,
  parseMoneyInput,
  purchaseOrderPayload,
  sumAmounts,
  type PurchaseOrderForm,
} from './payload';
import { ReceiveDrawer } from './ReceiveDrawer';
import { listPagination } from './pagination';
import { ErrorList, ItemText, MoneyText, ReadOnlyNote, StateTag } from './ui';

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

const HEADER_FIELDS = ['brand', 'warehouse', 'ownership', 'note'] as const;

/** Three steps: who and where, the lines, then a review of what will be sent. */
function CreatePurchaseOrderDrawer({ onClose }: { onClose: () => void }) {
  const { t } = useSupplyT();
  const { message } = App.useApp();
  const [form] = Form.useForm<PurchaseOrderForm>();
  const [step, setStep] = useState(0);
  const [serverErrors, setServerErrors] = useState<string[]>([]);
  const items = useStockItems();
  const warehouses = useWarehouses();
  const create = useCreatePurchaseOrder();
  const brand = Form.useWatch('brand', form);
  const lines = Form.useWatch('lines', form) as PurchaseOrderForm['lines'] | undefined;
  const warehouseId = Form.useWatch('warehouse', form);
  const ownership = Form.useWatch('ownership', form);

  const brands = useMemo(() => {
    const seen = new Map<number, string>();
    for (const item of items.data ?? []) seen.set(item.brand.id, item.brand.name);
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [items.data]);
  const brandItems = (items.data ?? []).filter((item) => item.brand.id === brand);
  const itemById = new Map((items.data ?? []).map((item) => [item.id, item]));
  const amounts = (lines ?? []).map((line) =>
    line ? lineAmount(line.quantity, line.unit_price ?? '') : null,
  );

  const next = async () => {
    try {
      if (step === 0) await form.validateFields([...HEADER_FIELDS]);
      if (step === 1) await form.validateFields();
      setStep(step + 1);
    } catch {
      // the form shows what is missing
    }
  };

  const submit = async () => {
    setServerErrors([]);
    const values = form.getFieldsValue(true) as PurchaseOrderForm;
    try {
      const order = await create.mutateAsync(purchaseOrderPayload(values));
      void message.success(`${t('po.created')}: PO${order.id}`);
      onClose();
    } catch (error) {
      const rest = applyServerErrors(form, error, [
        ...HEADER_FIELDS.map((f) => [f as string]),
        ['lines', '*', 'stock_item'],
        ['lines', '*', 'quantity'],
        ['lines', '*', 'unit_price'],
        ['lines', '*', 'expected_date'],
      ]);
      setServerErrors(rest);
      const onHeader = form.getFieldsError([...HEADER_FIELDS]).some((f) => f.errors.length > 0);
      setStep(onHeader ? 0 : rest.length > 0 ? 2 : 1);
    }
  };

  const warehouseName = warehouses.data?.find((w) => w.id === warehouseId);

  return (
    <Drawer
      open
      size={880}
      title={t('po.create')}
      onClose={onClose}
      destroyOnHidden
      data-testid="po-create-drawer"
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          {step > 0 && <Button onClick={() => setStep(step - 1)}>←</Button>}
          {step < 2 ? (
            <Button type="primary" onClick={() => void next()} data-testid="po-next">
              →
            </Button>
          ) : (
            <Button
              type="primary"
              loading={create.isPending}
              onClick={() => void submit()}
              data-testid="po-submit"
            >
              {t('common.submit')}
            </Button>
          )}
        </Space>
      }
    >
      <Steps
        current={step}
        size="small"
        style={{ marginBottom: 24 }}
        items={[
          { title: t('po.brand') },
          { title: t('common.lines') },
          { title: t('common.submit') },
        ]}
      />
      <ErrorList messages={serverErrors} testId="po-errors" />
      <Form<PurchaseOrderForm>
        form={form}
        name="po"
        layout="vertical"
        initialValues={{ ownership: 'buy_out', lines: [{}] }}
      >
        <div style={{ display: step === 0 ? 'block' : 'none' }}>
          <Form.Item
            name="brand"
            label={t('po.brand')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Select
              options={brands}
              loading={items.isPending}
              showSearch={{ optionFilterProp: 'label' }}
              onChange={() => form.setFieldValue('lines', [{}])}
            />
          </Form.Item>
          <Form.Item
            name="warehouse"
            label={t('common.warehouse')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Select
              loading={warehouses.isPending}
              options={(warehouses.data ?? []).map((w) => ({
                value: w.id,
                label: `${w.code} ${w.name}`,
              }))}
            />
          </Form.Item>
          <Form.Item name="ownership" label={t('po.ownership')} rules={[{ required: true }]}>
            <Radio.Group
              optionType="button"
              options={OWNERSHIPS.map((value) => ({
                value,
                label: enumText(t, 'ownership', value),
              }))}
            />
          </Form.Item>
          <Form.Item name="note" label={t('common.note')}>
            <Input maxLength={200} />
          </Form.Item>
        </div>
        <div style={{ display: step === 1 ? 'block' : 'none' }}>
          <Form.List name="lines">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field, index) => (
                  <Space key={field.key} align="start" wrap data-testid={`po-line-${index}`}>
                    <Form.Item
                      name={[field.name, 'stock_item']}
                      label={t('common.item')}
                      rules={[
                        {
                          required: true,
                          message: brand ? t('common.required') : t('po.chooseBrandFirst'),
                        },
                      ]}
                    >
                      <Select
                        style={{ width: 300 }}
                        showSearch={{ optionFilterProp: 'label' }}
                        options={brandItems.map((item) => ({
                          value: item.id,
                          label: `${item.sku_code} ${item.name}`,
                        }))}
                      />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'quantity']}
                      label={t('common.quantity')}
                      rules={[{ required: true, message: t('common.required') }]}
                    >
                      <InputNumber min={1} precision={0} style={{ width: 100 }} />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'unit_price']}
                      label={t('po.unitPrice')}
                      rules={[
                        { required: true, message: t('common.required') },
                        {
                          validator: async (_, value: string | undefined) => {
                            if (value && parseMoneyInput(value) === null)
                              throw new Error(t('po.badPrice'));
                          },
                        },
                      ]}
                    >
                      <Input
                        prefix="¥"
                        placeholder={t('po.unitPriceHint')}
                        style={{ width: 140 }}
                        inputMode="decimal"
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, 'expected_date']} label={t('po.expectedDate')}>
                      <DatePicker style={{ width: 140 }} />
                    </Form.Item>
                    <Form.Item label={t('po.amount')}>
                      <MoneyText value={amounts[index]} />
                    </Form.Item>
                    {fields.length > 1 && (
                      <Form.Item label=" ">
                        <Button onClick={() => remove(field.name)}>{t('common.removeLine')}</Button>
                      </Form.Item>
                    )}
                  </Space>
                ))}
                <Button type="dashed" onClick={() => add({})} icon={<PlusOutlined />} block>
                  {t('common.addLine')}
                </Button>
              </>
            )}
          </Form.List>
        </div>
        {step === 2 && (
          <div data-testid="po-review">
            <Descriptions
              size="small"
              column={2}
              bordered
              items={[
                { label: t('po.brand'), children: brands.find((b) => b.value === brand)?.label },
                {
                  label: t('common.warehouse'),
                  children: warehouseName ? `${warehouseName.code} ${warehouseName.name}` : '—',
                },
                {
                  label: t('po.ownership'),
                  children: ownership ? enumText(t, 'ownership', ownership) : '—',
                },
                {
                  label: t('po.orderTotal'),
                  children: <MoneyText value={sumAmounts(amounts)} testId="po-review-total" />,
                },
              ]}
            />
            <Table
              size="small"
              style={{ marginTop: 16 }}
              pagination={false}
              rowKey={(_, index) => String(index)}
              dataSource={(lines ?? []).map((line, index) => ({ ...line, amount: amounts[index] }))}
              columns={[
                {
                  title: t('common.item'),
                  key: 'item',
                  render: (_, line) => {
                    const item = itemById.get(line.stock_item);
                    return item ? <ItemText item={item} /> : '—';
                  },
                },
                { title: t('common.quantity'), dataIndex: 'quantity', align: 'right' },
                {
                  title: t('po.unitPrice'),
                  key: 'price',
                  align: 'right',
                  render: (_, line) => {
                    const amount = parseMoneyInput(line.unit_price);
                    return <MoneyText value={amount ? { amount, currency: 'CNY' } : null} />;
                  },
                },
                {
                  title: t('po.amount'),
                  key: 'amount',
                  align: 'right',
                  render: (_, line) => <MoneyText value={line.amount} />,
                },
              ]}
            />
          </div>
        )}
      </Form>
    </Drawer>
  );
}
