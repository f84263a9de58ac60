import {
  App,
  Button,
  DatePicker,
  Drawer,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import { useState } from 'react';
import { dayjs } from '@/lib/time';
import { useReceivePurchaseOrder, useStockItems, useWarehouses } from './api';
import { locationText, useSupplyT } from './i18n';
import type { PoLine, PurchaseOrder } from './models';
import {
  FieldApiError,
  lineErrors,
  receiptPayload,
  type ReceiveForm,
  type ReceiveLineForm,
} from './payload';
import { ErrorList, ItemText } from './ui';

/**
 * 入库: quantities per open line into a storage location of the order's warehouse, with lot data.
 * The backend checks each line (over-receipt, batch and expiry rules) and names the line at fault;
 * that message is shown under the line.
 */
export function ReceiveDrawer({ order, onClose }: { order: PurchaseOrder; onClose: () => void }) {
  const { t } = useSupplyT();
  const { message } = App.useApp();
  const [form] = Form.useForm<ReceiveForm>();
  const warehouses = useWarehouses();
  const items = useStockItems();
  const receive = useReceivePurchaseOrder();
  const [errorsByLine, setErrorsByLine] = useState<Map<number, string[]>>(new Map());
  const [otherErrors, setOtherErrors] = useState<string[]>([]);

  const openLines = order.lines.filter((line) => line.quantity > line.received_quantity);
  const warehouse = warehouses.data?.find((w) => w.code === order.warehouse);
  const storage = (warehouse?.locations ?? []).filter((l) => l.kind === 'storage');
  const requiresLot = new Map((items.data ?? []).map((item) => [item.id, item.requires_lot]));

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const all = form.getFieldsValue(true) as ReceiveForm;
    const { body, lineIds } = receiptPayload(all);
    setErrorsByLine(new Map());
    setOtherErrors([]);
    if (body.lines.length === 0) {
      setOtherErrors([t('receive.nothing')]);
      return;
    }
    try {
      const receipt = await receive.mutateAsync({ id: order.id, body });
      void message.success(`${t('receive.done')}: #${receipt.id}`);
      onClose();
    } catch (error) {
      if (!(error instanceof FieldApiError)) {
        setOtherErrors([error instanceof Error ? error.message : String(error)]);
        return;
      }
      const byIndex = lineErrors(error.fields);
      const byLine = new Map<number, string[]>();
      for (const [index, messages] of byIndex) byLine.set(lineIds[index], messages);
      setErrorsByLine(byLine);
      const rest = Object.entries(error.fields)
        .filter(([path]) => !path.startsWith('lines['))
        .flatMap(([, messages]) => messages);
      setOtherErrors(rest.length > 0 || byLine.size > 0 ? rest : [error.message]);
    }
  };

  const initialLines: ReceiveLineForm[] = openLines.map((line) => ({
    purchase_order_line: line.id,
    quantity: line.quantity - line.received_quantity,
    batch_number: '',
  }));

  return (
    <Drawer
      open
      size={1100}
      title={t('receive.title', { id: `PO${order.id}` })}
      onClose={onClose}
      destroyOnHidden
      data-testid="receive-drawer"
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={receive.isPending}
            onClick={() => void submit()}
            data-testid="receive-submit"
          >
            {t('receive.submit')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph>
        {order.brand.name} · {order.warehouse}
      </Typography.Paragraph>
      <ErrorList messages={otherErrors} testId="receive-errors" />
      <Form<ReceiveForm>
        form={form}
        name="receive"
        layout="vertical"
        initialValues={{
          location: storage[0]?.id,
          effective_date: dayjs().tz(),
          lines: initialLines,
        }}
      >
        <Space wrap>
          <Form.Item name="location" label={t('receive.location')}>
            <Select
              style={{ width: 240 }}
              loading={warehouses.isPending}
              placeholder={
                warehouse ? `${warehouse.code} · ${t('common.defaultLocation')}` : undefined
              }
              options={storage.map((l) => ({
                value: l.id,
                label: `${order.warehouse} · ${locationText(t, l)}`,
              }))}
            />
          </Form.Item>
          <Form.Item name="effective_date" label={t('receive.effectiveDate')}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="note" label={t('common.note')}>
            <Input maxLength={200} style={{ width: 280 }} />
          </Form.Item>
        </Space>
        <Form.List name="lines">
          {(fields) => (
            <Table
              size="small"
              pagination={false}
              rowKey="key"
              data-testid="receive-lines"
              dataSource={fields.map((field, index) => ({ ...field, line: openLines[index] }))}
              columns={[
                { title: '#', key: 'no', width: 40, render: (_, row) => row.line.line_no },
                {
                  title: t('common.item'),
                  key: 'item',
                  render: (_, row: { line: PoLine }) => (
                    <div>
                      <ItemText item={row.line.stock_item} />
                      {requiresLot.get(row.line.stock_item.id) && (
                        <Typography.Text type="warning">
                          {' '}
                          ({t('receive.requiresLot')})
                        </Typography.Text>
                      )}
                      {errorsByLine.get(row.line.id)?.map((m) => (
                        <div key={m} data-testid={`receive-line-error-${row.line.id}`}>
                          <Typography.Text type="danger">{m}</Typography.Text>
                        </div>
                      ))}
                    </div>
                  ),
                },
                {
                  title: `${t('po.ordered')} / ${t('po.received')}`,
                  key: 'ordered',
                  width: 110,
                  render: (_, row) => `${row.line.quantity} / ${row.line.received_quantity}`,
                },
                {
                  title: t('receive.thisTime'),
                  key: 'quantity',
                  width: 120,
                  render: (_, row) => (
                    <Form.Item name={[row.name, 'quantity']} noStyle>
                      <InputNumber
                        min={0}
                        max={row.line.quantity - row.line.received_quantity}
                        precision={0}
                        style={{ width: 100 }}
                      />
                    </Form.Item>
                  ),
                },
                {
                  title: t('receive.batchNumber'),
                  key: 'batch',
                  width: 160,
                  render: (_, row) => (
                    <Form.Item name={[row.name, 'batch_number']} noStyle>
                      <Input maxLength={64} />
                    </Form.Item>
                  ),
                },
                {
                  title: t('receive.productionDate'),
                  key: 'production',
                  width: 150,
                  render: (_, row) => (
                    <Form.Item name={[row.name, 'production_date']} noStyle>
                      <DatePicker />
                    </Form.Item>
                  ),
                },
                {
                  title: t('receive.expiryDate'),
                  key: 'expiry',
                  width: 150,
                  render: (_, row) => (
                    <Form.Item name={[row.name, 'expiry_date']} noStyle>
                      <DatePicker />
                    </Form.Item>
                  ),
                },
              ]}
            />
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}
