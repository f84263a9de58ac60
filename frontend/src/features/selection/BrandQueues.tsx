import {
  App,
  Button,
  Form,
  Input,
  Modal,
  Popconfirm,
  Segmented,
  Space,
  Table,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { enumLabel } from '@/i18n/labels';
import { formatDateTime } from '@/lib/time';
import {
  useApplications,
  useDecideApplication,
  useDecideSample,
  useSampleAction,
  useSamples,
  type SampleStateFilter,
} from './api';
import { labelOf, useSelectionT } from './i18n';
import type { Application, Sample } from './models';
import { ApiErrorAlert, MoneyText, StateTag } from './ui';
import { errorLines } from './formErrors';
import {
  APPLICATION_STATES,
  canDecideSample,
  SAMPLE_STATES,
  sampleDeadline,
  sampleDisplayState,
  sampleShipping,
} from './workbench';

/** Asks for the reason of a rejection (required by the backend) and sends it. */
export function RejectModal({
  title,
  onSubmit,
  onClose,
}: {
  title: string;
  onSubmit: (reason: string) => Promise<unknown>;
  onClose: () => void;
}) {
  const { t } = useSelectionT();
  const [form] = Form.useForm<{ reason: string }>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.reject')}
      okButtonProps={{ danger: true, loading: busy }}
      cancelText={t('common.cancel')}
      destroyOnHidden
      data-testid="reject-modal"
    >
      <ApiErrorAlert error={error} />
      <Form
        form={form}
        layout="vertical"
        onFinish={async ({ reason }) => {
          setBusy(true);
          try {
            await onSubmit(reason.trim());
            onClose();
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item
          name="reason"
          label={t('common.reason')}
          rules={[{ required: true, whitespace: true, message: t('common.reasonRequired') }]}
        >
          <Input.TextArea maxLength={200} rows={3} data-testid="reject-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 定向申请: anchors asking to join the brand's targeted plans. */
export function ApplicationsTab() {
  const { t, language } = useSelectionT();
  const { message } = App.useApp();
  const [state, setState] = useState<(typeof APPLICATION_STATES)[number] | 'all'>('pending');
  const applications = useApplications(state === 'all' ? undefined : state);
  const decide = useDecideApplication();
  const [rejecting, setRejecting] = useState<Application | null>(null);
  const fail = (error: unknown) =>
    void message.error(
      errorLines(error, t, language)
        .map((line) => line.text)
        .join('；'),
    );

  return (
    <div data-testid="applications-tab">
      <Segmented
        style={{ marginBottom: 12 }}
        value={state}
        onChange={(value) => setState(value as typeof state)}
        options={[
          ...APPLICATION_STATES.map((value) => ({
            value,
            label: labelOf(t, 'applicationState', value),
          })),
          { value: 'all', label: t('common.allStates') },
        ]}
      />
      {applications.isError && <ApiErrorAlert error={applications.error} />}
      <Table<Application>
        rowKey="id"
        size="small"
        data-testid="applications-table"
        loading={applications.isFetching}
        dataSource={applications.data ?? []}
        locale={{ emptyText: t('application.empty') }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: t('common.anchor'), dataIndex: 'anchor_name' },
          { title: t('common.product'), dataIndex: 'product_name' },
          { title: t('application.plan'), key: 'plan', render: (_, a) => `#${a.plan}` },
          { title: t('application.note'), key: 'note', render: (_, a) => a.note || '—' },
          {
            title: t('common.createdAt'),
            key: 'created',
            render: (_, a) => formatDateTime(a.created_at),
          },
          {
            title: t('common.state'),
            key: 'state',
            render: (_, a) => (
              <Space orientation="vertical" size={0}>
                <StateTag group="applicationState" state={a.state} />
                {a.reason && <Typography.Text type="secondary">{a.reason}</Typography.Text>}
              </Space>
            ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, a) =>
              a.state === 'pending' ? (
                <Space>
                  <Button
                    size="small"
                    type="primary"
                    loading={decide.isPending && decide.variables?.id === a.id}
                    onClick={() =>
                      decide
                        .mutateAsync({ id: a.id, approve: true })
                        .then(() => void message.success(t('application.approved')), fail)
                    }
                  >
                    {t('common.approve')}
                  </Button>
                  <Button size="small" danger onClick={() => setRejecting(a)}>
                    {t('common.reject')}
                  </Button>
                </Space>
              ) : (
                formatDateTime(a.decided_at)
              ),
          },
        ]}
      />
      {rejecting && (
        <RejectModal
          title={t('application.rejectTitle')}
          onClose={() => setRejecting(null)}
          onSubmit={(reason) =>
            decide
              .mutateAsync({ id: rejecting.id, approve: false, reason })
              .then(() => void message.success(t('application.rejected')))
          }
        />
      )}
    </div>
  );
}

/** The deadline of a sample as a user reads it, red once passed. */
export function SampleDeadline({ sample }: { sample: Sample }) {
  const { t } = useSelectionT();
  const deadline = sampleDeadline(sample);
  if (!deadline) return <>—</>;
  const text = t(deadline.kind === 'decision' ? 'sample.decisionDue' : 'sample.contentDue', {
    at: formatDateTime(deadline.at),
  });
  return (
    <Typography.Text type={deadline.overdue ? 'danger' : undefined} data-testid="sample-deadline">
      {text}
      {deadline.overdue ? ` · ${t('sample.overdue')}` : ''}
    </Typography.Text>
  );
}

/** The brand sends an approved sample itself: carrier and tracking number, both required. */
export function ShipSampleModal({ sample, onClose }: { sample: Sample; onClose: () => void }) {
  const { t } = useSelectionT();
  const { message } = App.useApp();
  const ship = useSampleAction();
  const [form] = Form.useForm<{ carrier: string; tracking_number: string }>();
  const [error, setError] = useState<unknown>(null);
  return (
    <Modal
      open
      title={t('sample.shipTitle', { name: sample.anchor_name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('sample.ship')}
      okButtonProps={{ loading: ship.isPending }}
      cancelText={t('common.cancel')}
      destroyOnHidden
      data-testid="sample-ship-modal"
    >
      <Typography.Paragraph type="secondary">
        {sample.product_name} · {sample.sku_code} × {sample.quantity ?? 1} → {sample.ship_to}
      </Typography.Paragraph>
      <ApiErrorAlert error={error} />
      <Form
        form={form}
        layout="vertical"
        onFinish={async ({ carrier, tracking_number }) => {
          try {
            await ship.mutateAsync({
              kind: 'ship',
              id: sample.id,
              carrier: carrier.trim(),
              tracking_number: tracking_number.trim(),
            });
            void message.success(t('sample.shipOk'));
            onClose();
          } catch (e) {
            setError(e);
          }
        }}
      >
        <Form.Item
          name="carrier"
          label={t('sample.carrier')}
          rules={[{ required: true, whitespace: true, message: t('sample.carrierRequired') }]}
        >
          <Input maxLength={32} data-testid="sample-carrier" />
        </Form.Item>
        <Form.Item
          name="tracking_number"
          label={t('sample.trackingNumber')}
          rules={[{ required: true, whitespace: true, message: t('sample.trackingRequired') }]}
        >
          <Input maxLength={64} data-testid="sample-tracking" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 寄样审核: the sample requests addressed to the brand. */
export function SampleQueueTab() {
  const { t, language } = useSelectionT();
  const { t: tApp } = useTranslation();
  const { message } = App.useApp();
  const [state, setState] = useState<SampleStateFilter | 'all'>('pending');
  const samples = useSamples(state === 'all' ? {} : { state });
  const decide = useDecideSample();
  const [rejecting, setRejecting] = useState<Sample | null>(null);
  const [shipping, setShipping] = useState<Sample | null>(null);
  const fail = (error: unknown) =>
    void message.error(
      errorLines(error, t, language)
        .map((line) => line.text)
        .join('；'),
    );

  return (
    <div data-testid="sample-queue">
      <Segmented
        style={{ marginBottom: 12 }}
        value={state}
        onChange={(value) => setState(value as typeof state)}
        options={[
          ...SAMPLE_STATES.map((value) => ({ value, label: labelOf(t, 'sampleState', value) })),
          { value: 'all', label: t('common.allStates') },
        ]}
        data-testid="sample-state-filter"
      />
      {samples.isError && <ApiErrorAlert error={samples.error} />}
      <Table<Sample>
        rowKey="id"
        size="small"
        data-testid="samples-table"
        loading={samples.isFetching}
        dataSource={samples.data ?? []}
        locale={{ emptyText: t('sample.empty') }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 1100 }}
        onRow={(s) =>
          ({ 'data-testid': `sample-row-${s.id}` }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          { title: t('common.anchor'), dataIndex: 'anchor_name' },
          {
            title: t('common.product'),
            key: 'product',
            render: (_, s) => (
              <Space orientation="vertical" size={0}>
                {s.product_name}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {s.sku_code} × {s.quantity ?? 1}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: t('common.platform'),
            key: 'platform',
            render: (_, s) => enumLabel(tApp, 'platform', s.platform),
          },
          { title: t('sample.shipTo'), dataIndex: 'ship_to', ellipsis: true },
          {
            title: t('common.createdAt'),
            key: 'created',
            render: (_, s) => formatDateTime(s.created_at),
          },
          {
            title: t('sample.deadline'),
            key: 'deadline',
            render: (_, s) => <SampleDeadline sample={s} />,
          },
          {
            title: t('common.state'),
            key: 'state',
            render: (_, s) => (
              <Space orientation="vertical" size={0}>
                <StateTag group="sampleState" state={sampleDisplayState(s)} />
                {sampleDisplayState(s) === 'expired' && s.state === 'pending' && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('sample.expiredHint')}
                  </Typography.Text>
                )}
                {s.reason && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('sample.rejectReason', { reason: s.reason })}
                  </Typography.Text>
                )}
                {s.content_url && (
                  <Typography.Link
                    href={s.content_url}
                    target="_blank"
                    rel="noreferrer"
                    style={{ fontSize: 12 }}
                  >
                    {t('sample.link')}
                  </Typography.Link>
                )}
              </Space>
            ),
          },
          {
            title: t('sample.cost'),
            key: 'cost',
            align: 'right',
            render: (_, s) => <MoneyText value={s.cost} />,
          },
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right',
            render: (_, s) =>
              canDecideSample(s) ? (
                <Space>
                  <Popconfirm
                    title={t('common.approve')}
                    okText={t('common.confirm')}
                    cancelText={t('common.cancel')}
                    onConfirm={() =>
                      decide
                        .mutateAsync({ id: s.id, approve: true })
                        .then(() => void message.success(t('sample.approveOk')), fail)
                    }
                  >
                    <Button size="small" type="primary" data-testid={`sample-approve-${s.id}`}>
                      {t('common.approve')}
                    </Button>
                  </Popconfirm>
                  <Button
                    size="small"
                    danger
                    onClick={() => setRejecting(s)}
                    data-testid={`sample-reject-${s.id}`}
                  >
                    {t('common.reject')}
                  </Button>
                </Space>
              ) : (
                <ShipAction sample={s} onShip={() => setShipping(s)} />
              ),
          },
        ]}
      />
      {shipping && <ShipSampleModal sample={shipping} onClose={() => setShipping(null)} />}
      {rejecting && (
        <RejectModal
          title={t('sample.rejectTitle')}
          onClose={() => setRejecting(null)}
          onSubmit={(reason) =>
            decide
              .mutateAsync({ id: rejecting.id, approve: false, reason })
              .then(() => void message.success(t('sample.rejectOk')))
          }
        />
      )}
    </div>
  );
}

/** What the brand can do about an approved sample's shipping: send it, or see who does. */
function ShipAction({ sample, onShip }: { sample: Sample; onShip: () => void }) {
  const { t } = useSelectionT();
  const shipping = sampleShipping(sample);
  if (shipping === null) return null;
  if (shipping === 'brand')
    return (
      <Button size="small" type="primary" onClick={onShip} data-testid={`sample-ship-${sample.id}`}>
        {t('sample.ship')}
      </Button>
    );
  return (
    <Typography.Text type="secondary" data-testid={`sample-${shipping}-${sample.id}`}>
      {t(shipping === 'warehouse' ? 'sample.fromWarehouse' : 'sample.shipped')}
    </Typography.Text>
  );
}
