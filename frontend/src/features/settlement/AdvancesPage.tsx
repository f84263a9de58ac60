import { Alert, App, Form, Input, Modal, Select, Space, Table, Button } from 'antd';
import { useState } from 'react';
import { formatDateTime } from '@/lib/time';
import { errorMessage, PAGE_SIZE, useAdvances, useWriteOffAdvance } from './api';
import { enumText, useSettlementT } from './i18n';
import { inLanguage } from './logic';
import { ADVANCE_STATES, type Advance } from './models';
import { MoneyText, StateTag } from './ui';

type AdvanceState = (typeof ADVANCE_STATES)[number];

/** 垫付: clawbacks the operator carries for a party, until recovered or written off. */
export function AdvancesPage() {
  const { t, language } = useSettlementT();
  const [page, setPage] = useState(1);
  const [state, setState] = useState<AdvanceState | undefined>('open');
  const [writingOff, setWritingOff] = useState<Advance | null>(null);
  const advances = useAdvances(page, state);

  return (
    <div data-testid="advances-page">
      <Space style={{ marginBottom: 12 }}>
        <Select
          allowClear
          style={{ width: 140 }}
          value={state}
          placeholder={t('common.state')}
          onChange={(value?: AdvanceState) => {
            setState(value);
            setPage(1);
          }}
          options={ADVANCE_STATES.map((s) => ({ value: s, label: enumText(t, 'advanceState', s) }))}
          data-testid="filter-advance-state"
        />
      </Space>
      {advances.isError && <Alert type="error" showIcon title={errorMessage(advances.error)} />}
      <Table<Advance>
        rowKey="id"
        size="middle"
        data-testid="advances-table"
        loading={advances.isPending}
        dataSource={advances.data?.results ?? []}
        scroll={{ x: 1100 }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: advances.data?.count ?? 0,
          showSizeChanger: false,
          showTotal: (count) => t('common.total', { count }),
          onChange: setPage,
        }}
        columns={[
          { title: t('advances.id'), dataIndex: 'id', render: (id: number) => `#${id}` },
          {
            title: t('common.statement'),
            dataIndex: 'statement',
            render: (id: number) => `#${id}`,
          },
          { title: t('common.payee'), dataIndex: 'payee_name' },
          {
            title: t('common.amount'),
            dataIndex: 'amount',
            align: 'right',
            render: (value) => <MoneyText value={value} />,
          },
          {
            title: t('advances.recovered'),
            dataIndex: 'recovered',
            align: 'right',
            render: (value) => <MoneyText value={value} />,
          },
          {
            title: t('advances.writtenOff'),
            dataIndex: 'written_off',
            align: 'right',
            render: (value) => <MoneyText value={value} />,
          },
          {
            title: t('common.state'),
            dataIndex: 'state',
            render: (s: string) => <StateTag group="advanceState" state={s} />,
          },
          {
            title: t('common.reason'),
            dataIndex: 'reason',
            ellipsis: true,
            render: (reason: string | null | undefined) =>
              reason ? inLanguage(reason, language) : '—',
          },
          {
            title: t('common.createdAt'),
            dataIndex: 'created_at',
            render: (value: string) => formatDateTime(value),
          },
          {
            title: t('advances.closedAt'),
            dataIndex: 'closed_at',
            render: (value: string | null | undefined) => formatDateTime(value),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right',
            render: (_: unknown, advance: Advance) =>
              advance.state === 'open' ? (
                <Button
                  size="small"
                  danger
                  onClick={() => setWritingOff(advance)}
                  data-testid={`advance-write-off-${advance.id}`}
                >
                  {t('advances.writeOff')}
                </Button>
              ) : null,
          },
        ]}
      />
      <WriteOffModal advance={writingOff} onClose={() => setWritingOff(null)} />
    </div>
  );
}

function WriteOffModal({ advance, onClose }: { advance: Advance | null; onClose: () => void }) {
  const { t, language } = useSettlementT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const writeOff = useWriteOffAdvance();

  const onSubmit = async ({ reason }: { reason: string }) => {
    if (!advance) return;
    try {
      await writeOff.mutateAsync({ id: advance.id, reason });
      message.success(t('advances.writtenOffDone'));
      form.resetFields();
      onClose();
    } catch (error) {
      form.setFields([{ name: 'reason', errors: [inLanguage(errorMessage(error), language)] }]);
    }
  };

  return (
    <Modal
      open={advance !== null}
      title={advance ? t('advances.writeOffTitle', { id: advance.id }) : ''}
      onCancel={() => {
        form.resetFields();
        onClose();
      }}
      onOk={() => form.submit()}
      okButtonProps={{
        danger: true,
        loading: writeOff.isPending,
        'data-testid': 'write-off-submit',
      }}
      okText={t('advances.writeOff')}
      cancelText={t('common.cancel')}
      destroyOnHidden
    >
      {advance && (
        <p>
          {advance.payee_name} · <MoneyText value={advance.amount} />
        </p>
      )}
      <Form form={form} layout="vertical" onFinish={(values) => void onSubmit(values)}>
        <Form.Item
          name="reason"
          label={t('advances.writeOffReason')}
          rules={[{ required: true, whitespace: true, message: t('advances.reasonRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={300} data-testid="write-off-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
