import {
  App,
  Button,
  Card,
  Drawer,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import { useState } from 'react';
import type { components } from '@/api/schema';
import { useMe } from '@/api/session';
import { formatDateTime } from '@/lib/time';
import { canWriteSupply, useCreateReturn, useReturns, useShipments } from './api';
import { applyServerErrors } from './forms';
import { enumText, useSupplyT } from './i18n';
import type { Shipment, StockReturn } from './models';
import { lineErrors, sumAmounts, FieldApiError } from './payload';
import { listPagination } from './pagination';
import { CreateBar, ErrorList, ItemText, LotText, MoneyText } from './ui';

type Disposition = components['schemas']['DispositionEnum'];
const DISPOSITIONS: Disposition[] = ['stock', 'scrap'];

/** 退货: goods coming back from a shipment, into stock or to scrap. */
export function ReturnsPage() {
  const { t } = useSupplyT();
  const { data: me } = useMe();
  const writable = canWriteSupply(me);
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const query = useReturns(page);
  return (
    <Card size="small" data-testid="returns-page">
      <CreateBar
        writable={writable}
        label={t('returns.create')}
        onCreate={() => setCreating(true)}
        testId="return-create"
      />
      <Table<StockReturn>
        data-testid="returns-table"
        rowKey="id"
        size="middle"
        loading={query.isFetching}
        dataSource={query.data?.results ?? []}
        pagination={listPagination(t, page, setPage, query.data?.count)}
        columns={[
          {
            title: t('returns.id'),
            dataIndex: 'id',
            width: 90,
            render: (id: number) => <Typography.Text strong>#{id}</Typography.Text>,
          },
          {
            title: t('returns.shipment'),
            dataIndex: 'shipment',
            width: 100,
            render: (id: number) => `#${id}`,
          },
          {
            title: t('returns.disposition'),
            dataIndex: 'disposition',
            width: 110,
            render: (v: string) => enumText(t, 'disposition', v),
          },
          { title: t('common.reason'), dataIndex: 'reason' },
          {
            title: t('common.quantity'),
            key: 'quantity',
            align: 'right',
            width: 90,
            render: (_, r) => r.lines.reduce((acc, l) => acc + l.quantity, 0),
          },
          {
            title: t('common.value'),
            key: 'value',
            align: 'right',
            width: 130,
            render: (_, r) => <MoneyText value={sumAmounts(r.lines.map((l) => l.value))} />,
          },
          { title: t('common.date'), dataIndex: 'effective_date', width: 110 },
          {
            title: t('common.createdAt'),
            dataIndex: 'created_at',
            width: 150,
            render: (v: string) => formatDateTime(v),
          },
        ]}
      />
      {creating && <CreateReturnDrawer onClose={() => setCreating(false)} />}
    </Card>
  );
}

interface ReturnForm {
  shipment?: number;
  disposition: Disposition;
  reason?: string;
  quantities: Record<string, number | null>;
}

function CreateReturnDrawer({ onClose }: { onClose: () => void }) {
  const { t } = useSupplyT();
  const { message } = App.useApp();
  const [form] = Form.useForm<ReturnForm>();
  const shipments = useShipments(1, undefined, 100);
  const create = useCreateReturn();
  const shipmentId = Form.useWatch('shipment', form);
  const shipment: Shipment | undefined = shipments.data?.results.find((s) => s.id === shipmentId);
  const [errors, setErrors] = useState<string[]>([]);
  const [byLine, setByLine] = useState<Map<number, string[]>>(new Map());

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values || !shipment) return;
    const quantities = (form.getFieldValue('quantities') ?? {}) as ReturnForm['quantities'];
    const lines = shipment.lines
      .filter((line) => (quantities[line.id] ?? 0) > 0)
      .map((line) => ({ shipment_line: line.id, quantity: quantities[line.id] as number }));
    setErrors([]);
    setByLine(new Map());
    try {
      const created = await create.mutateAsync({
        shipment: shipment.id,
        body: { disposition: values.disposition, reason: values.reason?.trim() ?? '', lines },
      });
      void message.success(`${t('returns.created')}: #${created.id}`);
      onClose();
    } catch (error) {
      if (error instanceof FieldApiError) {
        const map = new Map<number, string[]>();
        for (const [index, messages] of lineErrors(error.fields))
          map.set(lines[index]?.shipment_line, messages);
        setByLine(map);
      }
      setErrors(applyServerErrors(form, error, [['disposition'], ['reason']]));
    }
  };

  return (
    <Drawer
      open
      size={880}
      title={t('returns.create')}
      onClose={onClose}
      destroyOnHidden
      data-testid="return-create-drawer"
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={create.isPending}
            onClick={() => void submit()}
            data-testid="return-submit"
          >
            {t('common.submit')}
          </Button>
        </Space>
      }
    >
      <ErrorList messages={errors} />
      <Form<ReturnForm>
        form={form}
        name="return"
        layout="vertical"
        initialValues={{ disposition: 'stock', quantities: {} }}
      >
        <Space wrap>
          <Form.Item
            name="shipment"
            label={t('returns.shipment')}
            rules={[{ required: true, message: t('returns.chooseShipment') }]}
          >
            <Select
              style={{ width: 360 }}
              loading={shipments.isPending}
              showSearch={{ optionFilterProp: 'label' }}
              onChange={() => form.setFieldValue('quantities', {})}
              options={(shipments.data?.results ?? []).map((s) => ({
                value: s.id,
                label: `#${s.id} ${enumText(t, 'shipmentKind', s.kind)} ${s.carrier} ${s.tracking_number} ${s.reference ?? ''}`,
              }))}
            />
          </Form.Item>
          <Form.Item name="disposition" label={t('returns.disposition')}>
            <Radio.Group
              optionType="button"
              options={DISPOSITIONS.map((value) => ({
                value,
                label: enumText(t, 'disposition', value),
              }))}
            />
          </Form.Item>
        </Space>
        <Form.Item
          name="reason"
          label={t('common.reason')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        {shipment && (
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={shipment.lines}
            columns={[
              {
                title: t('common.item'),
                key: 'item',
                render: (_, l) => (
                  <div>
                    <ItemText item={l.stock_item} />
                    {byLine.get(l.id)?.map((m) => (
                      <div key={m}>
                        <Typography.Text type="danger">{m}</Typography.Text>
                      </div>
                    ))}
                  </div>
                ),
              },
              { title: t('common.lot'), key: 'lot', render: (_, l) => <LotText lot={l.lot} /> },
              { title: t('common.quantity'), dataIndex: 'quantity', align: 'right', width: 80 },
              {
                title: t('shipments.returned'),
                dataIndex: 'returned_quantity',
                align: 'right',
                width: 80,
              },
              {
                title: t('returns.create'),
                key: 'return',
                width: 130,
                render: (_, l) => (
                  <Form.Item name={['quantities', String(l.id)]} noStyle>
                    <InputNumber
                      min={0}
                      max={l.quantity - l.returned_quantity}
                      precision={0}
                      style={{ width: 110 }}
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
