import { PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Steps,
  Table,
} from 'antd';
import { useMemo, useState } from 'react';
import { useCreatePurchaseOrder, useStockItems, useWarehouses } from './api';
import { applyServerErrors } from './forms';
import { enumText, useSupplyT } from './i18n';
import { OWNERSHIPS, type StockItem, type Warehouse } from './models';
import {
  lineAmount,
  parseMoneyInput,
  purchaseOrderPayload,
  sumAmounts,
  type PurchaseOrderForm,
} from './payload';
import { ErrorList, ItemText, MoneyText } from './ui';

const HEADER_FIELDS = ['brand', 'warehouse', 'ownership', 'note'] as const;

/** Three steps: who and where, the lines, then a review of what will be sent. */
export function CreatePurchaseOrderDrawer({ onClose }: { onClose: () => void }) {
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
          <PoLineFields brand={brand} brandItems={brandItems} amounts={amounts} />
        </div>
        {step === 2 && (
          <PoReview
            brandLabel={brands.find((b) => b.value === brand)?.label}
            warehouse={warehouseName}
            ownership={ownership}
            lines={lines ?? []}
            amounts={amounts}
            itemById={itemById}
          />
        )}
      </Form>
    </Drawer>
  );
}

type Amount = ReturnType<typeof lineAmount>;

/** The lines step: item (of the chosen brand), quantity, unit price, expected date, and the amount. */
function PoLineFields(props: {
  brand: number | undefined;
  brandItems: StockItem[];
  amounts: Amount[];
}) {
  const { t } = useSupplyT();
  const { brand, brandItems, amounts } = props;
  return (
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
  );
}

/** The review step: the header and each line with its amount, as they will be sent. */
function PoReview(props: {
  brandLabel: string | undefined;
  warehouse: Warehouse | undefined;
  ownership: string | undefined;
  lines: PurchaseOrderForm['lines'];
  amounts: Amount[];
  itemById: Map<number, StockItem>;
}) {
  const { t } = useSupplyT();
  const { brandLabel, warehouse: warehouseName, ownership, lines, amounts, itemById } = props;
  return (
    <div data-testid="po-review">
      <Descriptions
        size="small"
        column={2}
        bordered
        items={[
          { label: t('po.brand'), children: brandLabel },
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
        dataSource={lines.map((line, index) => ({ ...line, amount: amounts[index] }))}
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
  );
}
