import {
  App,
  Button,
  Card,
  Drawer,
  Form,
  Input,
  Popconfirm,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useMe } from '@/api/session';
import {
  canWriteSupply,
  useCreateTransfer,
  useReceiveTransfer,
  useTransfers,
  useWarehouses,
} from './api';
import { applyServerErrors, PICK_LINE_FIELDS } from './forms';
import { enumText, useSupplyT } from './i18n';
import type { Transfer } from './models';
import { sumAmounts, withoutBlank } from './payload';
import { PickLines, type PickLineForm } from './PickLines';
import { listPagination } from './pagination';
import { CreateBar, ErrorList, ItemText, LotText, MoneyText, StateTag } from './ui';

type State = 'in_transit' | 'received';
const STATES: State[] = ['in_transit', 'received'];

/** 调拨: ship between warehouses through the destination's in-transit location, then receive. */
export function TransfersPage() {
  const { t } = useSupplyT();
  const { message } = App.useApp();
  const { data: me } = useMe();
  const writable = canWriteSupply(me);
  const [page, setPage] = useState(1);
  const [state, setState] = useState<State | undefined>();
  const [creating, setCreating] = useState(false);
  const query = useTransfers(page, state);
  const receive = useReceiveTransfer();
  return (
    <Card size="small" data-testid="transfers-page">
      <CreateBar
        writable={writable}
        label={t('transfers.create')}
        onCreate={() => setCreating(true)}
        testId="transfer-create"
      />
      <Table<Transfer>
        data-testid="transfers-table"
        rowKey="id"
        size="middle"
        loading={query.isFetching}
        dataSource={query.data?.results ?? []}
        onChange={(_p, filters) => {
          const next = (filters.state?.[0] as State | undefined) ?? undefined;
          if (next !== state) {
            setState(next);
            setPage(1);
          }
        }}
        pagination={listPagination(t, page, setPage, query.data?.count)}
        expandable={{
          expandedRowRender: (transfer) => (
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={transfer.lines}
              columns={[
                {
                  title: t('common.item'),
                  key: 'item',
                  render: (_, l) => <ItemText item={l.stock_item} />,
                },
                { title: t('common.lot'), key: 'lot', render: (_, l) => <LotText lot={l.lot} /> },
                { title: t('common.owner'), key: 'owner', render: (_, l) => l.owner.name },
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
            title: t('transfers.id'),
            dataIndex: 'id',
            width: 90,
            render: (id: number) => <Typography.Text strong>#{id}</Typography.Text>,
          },
          { title: t('transfers.from'), dataIndex: 'from_warehouse', width: 110 },
          { title: t('transfers.to'), dataIndex: 'to_warehouse', width: 110 },
          {
            title: t('common.state'),
            dataIndex: 'state',
            width: 110,
            filters: STATES.map((value) => ({ text: enumText(t, 'transferState', value), value })),
            filterMultiple: false,
            filteredValue: state ? [state] : null,
            render: (v: string) => <StateTag state={v} label={enumText(t, 'transferState', v)} />,
          },
          {
            title: t('common.carrier'),
            dataIndex: 'carrier',
            render: (v: string | null | undefined) => v || '—',
          },
          {
            title: t('common.trackingNumber'),
            dataIndex: 'tracking_number',
            render: (v: string | null | undefined) => v || '—',
          },
          {
            title: t('common.value'),
            key: 'value',
            align: 'right',
            width: 130,
            render: (_, tr) => <MoneyText value={sumAmounts(tr.lines.map((l) => l.value))} />,
          },
          { title: t('transfers.shippedOn'), dataIndex: 'shipped_on', width: 110 },
          {
            title: t('transfers.receivedOn'),
            dataIndex: 'received_on',
            width: 110,
            render: (v: string | null | undefined) => v ?? '—',
          },
          ...(writable
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 90,
                  render: (_: unknown, transfer: Transfer) =>
                    transfer.state === 'in_transit' ? (
                      <Popconfirm
                        title={t('transfers.receive')}
                        onConfirm={() =>
                          receive.mutate(transfer.id, {
                            onSuccess: () => void message.success(t('transfers.received')),
                            onError: (e) => void message.error(e.message),
                          })
                        }
                      >
                        <Button
                          size="small"
                          type="primary"
                          data-testid={`transfer-receive-${transfer.id}`}
                        >
                          {t('transfers.receive')}
                        </Button>
                      </Popconfirm>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      {creating && <CreateTransferDrawer onClose={() => setCreating(false)} />}
    </Card>
  );
}

interface TransferForm {
  from_warehouse: number;
  to_warehouse: number;
  carrier?: string;
  tracking_number?: string;
  lines: PickLineForm[];
}

function CreateTransferDrawer({ onClose }: { onClose: () => void }) {
  const { t } = useSupplyT();
  const { message } = App.useApp();
  const [form] = Form.useForm<TransferForm>();
  const warehouses = useWarehouses();
  const create = useCreateTransfer();
  const [errors, setErrors] = useState<string[]>([]);
  const options = (warehouses.data ?? []).map((w) => ({
    value: w.id,
    label: `${w.code} ${w.name}`,
  }));

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setErrors([]);
    try {
      const transfer = await create.mutateAsync(
        withoutBlank(
          {
            from_warehouse: values.from_warehouse,
            to_warehouse: values.to_warehouse,
            carrier: values.carrier?.trim() ?? '',
            tracking_number: values.tracking_number?.trim() ?? '',
            lines: values.lines.map((line) => ({
              stock_item: line.stock_item,
              quantity: line.quantity,
            })),
          },
          ['carrier', 'tracking_number'],
        ),
      );
      void message.success(`${t('transfers.created')}: #${transfer.id}`);
      onClose();
    } catch (error) {
      setErrors(
        applyServerErrors(form, error, [
          ['from_warehouse'],
          ['to_warehouse'],
          ['carrier'],
          ['tracking_number'],
          ...PICK_LINE_FIELDS,
        ]),
      );
    }
  };

  return (
    <Drawer
      open
      size={720}
      title={t('transfers.create')}
      onClose={onClose}
      destroyOnHidden
      data-testid="transfer-create-drawer"
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={create.isPending}
            onClick={() => void submit()}
            data-testid="transfer-submit"
          >
            {t('common.submit')}
          </Button>
        </Space>
      }
    >
      <ErrorList messages={errors} />
      <Form<TransferForm>
        form={form}
        name="transfer"
        layout="vertical"
        initialValues={{ lines: [{}] }}
      >
        <Space wrap>
          <Form.Item
            name="from_warehouse"
            label={t('transfers.from')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Select style={{ width: 220 }} options={options} />
          </Form.Item>
          <Form.Item
            name="to_warehouse"
            label={t('transfers.to')}
            dependencies={['from_warehouse']}
            rules={[
              { required: true, message: t('common.required') },
              ({ getFieldValue }) => ({
                validator: async (_, value?: number) => {
                  if (value && value === getFieldValue('from_warehouse')) {
                    throw new Error(t('transfers.sameWarehouse'));
                  }
                },
              }),
            ]}
          >
            <Select style={{ width: 220 }} options={options} />
          </Form.Item>
        </Space>
        <Space wrap>
          <Form.Item name="carrier" label={t('common.carrier')}>
            <Input maxLength={32} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="tracking_number" label={t('common.trackingNumber')}>
            <Input maxLength={64} style={{ width: 220 }} />
          </Form.Item>
        </Space>
        <PickLines testId="transfer-lines" />
      </Form>
    </Drawer>
  );
}
