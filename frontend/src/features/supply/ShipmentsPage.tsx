import {
  App,
  Button,
  Card,
  Drawer,
  Form,
  Input,
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
import { canWriteSupply, useCreateShipment, useShipments, useWarehouses } from './api';
import { applyServerErrors, PICK_LINE_FIELDS } from './forms';
import { enumText, useSupplyT } from './i18n';
import type { Shipment } from './models';
import { sumAmounts, withoutBlank } from './payload';
import { PickLines, type PickLineForm } from './PickLines';
import { listPagination } from './pagination';
import { CreateBar, ErrorList, ItemText, LotText, MoneyText } from './ui';

type Kind = components['schemas']['ShipmentKindEnum'];
const KINDS: Kind[] = ['sale', 'sample'];

/** 出库: shipments for an order line (sale) or a sample, with carrier and tracking number. */
export function ShipmentsPage() {
  const { t } = useSupplyT();
  const { data: me } = useMe();
  const writable = canWriteSupply(me);
  const [page, setPage] = useState(1);
  const [kind, setKind] = useState<Kind | undefined>();
  const [creating, setCreating] = useState(false);
  const query = useShipments(page, kind);
  return (
    <Card size="small" data-testid="shipments-page">
      <CreateBar
        writable={writable}
        label={t('shipments.create')}
        onCreate={() => setCreating(true)}
        testId="shipment-create"
      />
      <Table<Shipment>
        data-testid="shipments-table"
        rowKey="id"
        size="middle"
        loading={query.isFetching}
        dataSource={query.data?.results ?? []}
        onChange={(_p, filters) => {
          const next = (filters.kind?.[0] as Kind | undefined) ?? undefined;
          if (next !== kind) {
            setKind(next);
            setPage(1);
          }
        }}
        pagination={listPagination(t, page, setPage, query.data?.count)}
        expandable={{
          expandedRowRender: (shipment) => (
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={shipment.lines}
              columns={[
                {
                  title: t('common.item'),
                  key: 'item',
                  render: (_, l) => <ItemText item={l.stock_item} />,
                },
                { title: t('common.lot'), key: 'lot', render: (_, l) => <LotText lot={l.lot} /> },
                { title: t('common.owner'), key: 'owner', render: (_, l) => l.owner.name },
                { title: t('common.quantity'), dataIndex: 'quantity', align: 'right' },
                { title: t('shipments.returned'), dataIndex: 'returned_quantity', align: 'right' },
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
            title: t('shipments.id'),
            dataIndex: 'id',
            width: 90,
            render: (id: number) => <Typography.Text strong>#{id}</Typography.Text>,
          },
          {
            title: t('shipments.kind'),
            dataIndex: 'kind',
            width: 100,
            filters: KINDS.map((value) => ({ text: enumText(t, 'shipmentKind', value), value })),
            filterMultiple: false,
            filteredValue: kind ? [kind] : null,
            render: (v: string) => enumText(t, 'shipmentKind', v),
          },
          { title: t('common.warehouse'), dataIndex: 'warehouse', width: 90 },
          { title: t('common.carrier'), dataIndex: 'carrier', width: 110 },
          { title: t('common.trackingNumber'), dataIndex: 'tracking_number', width: 160 },
          {
            title: t('common.reference'),
            dataIndex: 'reference',
            render: (v: string | null | undefined) => v || '—',
          },
          {
            title: t('common.value'),
            key: 'value',
            align: 'right',
            width: 130,
            render: (_, s) => <MoneyText value={sumAmounts(s.lines.map((l) => l.value))} />,
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
      {creating && <CreateShipmentDrawer onClose={() => setCreating(false)} />}
    </Card>
  );
}

interface ShipmentForm {
  warehouse: number;
  kind: Kind;
  carrier: string;
  tracking_number: string;
  reference?: string;
  lines: PickLineForm[];
}

function CreateShipmentDrawer({ onClose }: { onClose: () => void }) {
  const { t } = useSupplyT();
  const { message } = App.useApp();
  const [form] = Form.useForm<ShipmentForm>();
  const warehouses = useWarehouses();
  const create = useCreateShipment();
  const [errors, setErrors] = useState<string[]>([]);

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setErrors([]);
    try {
      const shipment = await create.mutateAsync(
        withoutBlank(
          {
            warehouse: values.warehouse,
            kind: values.kind,
            carrier: values.carrier.trim(),
            tracking_number: values.tracking_number.trim(),
            reference: values.reference?.trim() ?? '',
            lines: values.lines.map((line) => ({
              stock_item: line.stock_item,
              quantity: line.quantity,
            })),
          },
          ['reference'],
        ),
      );
      void message.success(`${t('shipments.created')}: #${shipment.id}`);
      onClose();
    } catch (error) {
      setErrors(
        applyServerErrors(form, error, [
          ['warehouse'],
          ['kind'],
          ['carrier'],
          ['tracking_number'],
          ['reference'],
          ...PICK_LINE_FIELDS,
        ]),
      );
    }
  };

  const required = [{ required: true, whitespace: true, message: t('common.required') }];
  return (
    <Drawer
      open
      size={720}
      title={t('shipments.create')}
      onClose={onClose}
      destroyOnHidden
      data-testid="shipment-create-drawer"
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={create.isPending}
            onClick={() => void submit()}
            data-testid="shipment-submit"
          >
            {t('common.submit')}
          </Button>
        </Space>
      }
    >
      <ErrorList messages={errors} />
      <Form<ShipmentForm>
        form={form}
        name="shipment"
        layout="vertical"
        initialValues={{ kind: 'sale', lines: [{}] }}
      >
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
            />
          </Form.Item>
          <Form.Item name="kind" label={t('shipments.kind')}>
            <Radio.Group
              optionType="button"
              options={KINDS.map((value) => ({ value, label: enumText(t, 'shipmentKind', value) }))}
            />
          </Form.Item>
        </Space>
        <Space wrap>
          <Form.Item name="carrier" label={t('common.carrier')} rules={required}>
            <Input maxLength={32} style={{ width: 160 }} placeholder="SF / JD / YTO" />
          </Form.Item>
          <Form.Item name="tracking_number" label={t('common.trackingNumber')} rules={required}>
            <Input maxLength={64} style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name="reference" label={t('common.reference')}>
            <Input
              maxLength={64}
              style={{ width: 220 }}
              placeholder={t('shipments.referenceHint')}
            />
          </Form.Item>
        </Space>
        <PickLines testId="shipment-lines" />
      </Form>
    </Drawer>
  );
}
