import {
  App,
  Button,
  Form,
  Input,
  Modal,
  Popconfirm,
  Segmented,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { enumLabel } from '@/i18n/labels';
import { formatDateTime } from '@/lib/time';
import { useSampleAction, useSamples, type SampleStateFilter } from './api';
import { SampleDeadline } from './BrandQueues';
import { labelOf, useSelectionT } from './i18n';
import type { Sample } from './models';
import { ApiErrorAlert, StateTag } from './ui';
import { canExtendSample, canRecordContent, SAMPLE_STATES, sampleDisplayState } from './workbench';
import { useFail } from './anchorHooks';

/** 我的寄样: the anchor side's sample requests; record the content link, ask one extension, withdraw. */
export function MySamplesTab({ anchor }: { anchor?: number }) {
  const { t } = useSelectionT();
  const { t: tApp } = useTranslation();
  const { message } = App.useApp();
  const fail = useFail();
  const [state, setState] = useState<SampleStateFilter | 'all'>('all');
  const samples = useSamples({ anchor, ...(state === 'all' ? {} : { state }) });
  const action = useSampleAction();
  const [contentFor, setContentFor] = useState<Sample | null>(null);
  const [extendFor, setExtendFor] = useState<Sample | null>(null);

  return (
    <div data-testid="my-samples">
      <Segmented
        style={{ marginBottom: 12 }}
        value={state}
        onChange={(value) => setState(value as typeof state)}
        options={[
          { value: 'all', label: t('common.allStates') },
          ...SAMPLE_STATES.map((value) => ({ value, label: labelOf(t, 'sampleState', value) })),
        ]}
      />
      {samples.isError && <ApiErrorAlert error={samples.error} />}
      <Table<Sample>
        rowKey="id"
        size="small"
        data-testid="my-samples-table"
        loading={samples.isFetching}
        dataSource={samples.data ?? []}
        locale={{ emptyText: t('sample.empty') }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 1000 }}
        onRow={(s) => ({ 'data-testid': `my-sample-${s.id}` }) as React.HTMLAttributes<HTMLElement>}
        columns={[
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
          ...(anchor === undefined
            ? [{ title: t('common.anchor'), dataIndex: 'anchor_name', key: 'anchor' }]
            : []),
          {
            title: t('common.platform'),
            key: 'platform',
            render: (_, s) => enumLabel(tApp, 'platform', s.platform),
          },
          {
            title: t('common.createdAt'),
            key: 'created',
            render: (_, s) => formatDateTime(s.created_at),
          },
          {
            title: t('common.state'),
            key: 'state',
            render: (_, s) => (
              <Space orientation="vertical" size={0}>
                <StateTag group="sampleState" state={sampleDisplayState(s)} />
                {s.reason && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('sample.rejectReason', { reason: s.reason })}
                  </Typography.Text>
                )}
                {(s.extension_count ?? 0) > 0 && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('sample.extended')}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: t('sample.deadline'),
            key: 'deadline',
            render: (_, s) => <SampleDeadline sample={s} />,
          },
          {
            title: t('sample.contentUrl'),
            key: 'content',
            render: (_, s) =>
              s.content_url ? (
                <Typography.Link href={s.content_url} target="_blank" rel="noreferrer">
                  {labelOf(t, 'contentKind', s.content_kind ?? '')}
                </Typography.Link>
              ) : (
                '—'
              ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right',
            render: (_, s) => (
              <Space size={0} wrap>
                {canRecordContent(s) && (
                  <Button type="link" size="small" onClick={() => setContentFor(s)}>
                    {t('sample.content')}
                  </Button>
                )}
                {canExtendSample(s) && (
                  <Button type="link" size="small" onClick={() => setExtendFor(s)}>
                    {t('sample.extend')}
                  </Button>
                )}
                {s.state === 'pending' && (
                  <Popconfirm
                    title={t('sample.cancelConfirm')}
                    okText={t('common.confirm')}
                    cancelText={t('common.cancel')}
                    onConfirm={() =>
                      action
                        .mutateAsync({ kind: 'cancel', id: s.id })
                        .then(() => void message.success(t('sample.cancelOk')), fail)
                    }
                  >
                    <Button type="link" size="small" danger>
                      {t('sample.cancel')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      {contentFor && (
        <SampleFormModal
          title={t('sample.contentTitle')}
          onClose={() => setContentFor(null)}
          fields={
            <>
              <Form.Item
                name="content_kind"
                label={t('sample.contentKind')}
                initialValue="stream"
                rules={[{ required: true }]}
              >
                <Select
                  options={(['stream', 'video'] as const).map((v) => ({
                    value: v,
                    label: labelOf(t, 'contentKind', v),
                  }))}
                />
              </Form.Item>
              <Form.Item
                name="content_url"
                label={t('sample.contentUrl')}
                rules={[{ required: true, type: 'url', message: t('fields.contentUrl') }]}
              >
                <Input placeholder="https://" />
              </Form.Item>
            </>
          }
          onSubmit={(values) =>
            action
              .mutateAsync({
                kind: 'content',
                id: contentFor.id,
                content_kind: values.content_kind as 'stream' | 'video',
                content_url: String(values.content_url).trim(),
              })
              .then(() => void message.success(t('sample.contentOk')))
          }
        />
      )}
      {extendFor && (
        <SampleFormModal
          title={t('sample.extendTitle')}
          onClose={() => setExtendFor(null)}
          fields={
            <Form.Item
              name="reason"
              label={t('sample.extendReason')}
              rules={[{ required: true, whitespace: true, message: t('common.reasonRequired') }]}
            >
              <Input.TextArea maxLength={200} rows={3} />
            </Form.Item>
          }
          onSubmit={(values) =>
            action
              .mutateAsync({
                kind: 'extend',
                id: extendFor.id,
                reason: String(values.reason).trim(),
              })
              .then(() => void message.success(t('sample.extendOk')))
          }
        />
      )}
    </div>
  );
}

function SampleFormModal({
  title,
  fields,
  onSubmit,
  onClose,
}: {
  title: string;
  fields: React.ReactNode;
  onSubmit: (values: Record<string, unknown>) => Promise<unknown>;
  onClose: () => void;
}) {
  const { t } = useSelectionT();
  const [form] = Form.useForm();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open
      title={title}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      destroyOnHidden
    >
      <ApiErrorAlert error={error} />
      <Form
        form={form}
        layout="vertical"
        onFinish={async (values) => {
          setBusy(true);
          try {
            await onSubmit(values);
            onClose();
          } catch (e) {
            setError(e);
          } finally {
            setBusy(false);
          }
        }}
      >
        {fields}
      </Form>
    </Modal>
  );
}
