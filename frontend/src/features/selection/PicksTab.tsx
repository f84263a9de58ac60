import { EditOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Drawer,
  Form,
  Input,
  Modal,
  Popconfirm,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { formatBps } from '@/lib/money';
import { formatDateTime } from '@/lib/time';
import { usePicks, useRemovePick, useUpdatePickNote } from './api';
import { labelOf, useSelectionT } from './i18n';
import type { Pick } from './models';
import { QuoteView } from './QuoteView';
import { ApiErrorAlert, MoneyText, StateTag } from './ui';
import { useFail } from './anchorHooks';
import { SampleOfferCell, SampleButton, SampleRequestModal } from './SampleRequest';

/** 货盘: the anchor's picks with the plan and rate frozen when each became active. */
export function PicksTab({ anchor }: { anchor?: number }) {
  const { t } = useSelectionT();
  const { message } = App.useApp();
  const fail = useFail();
  const [showRemoved, setShowRemoved] = useState(false);
  const picks = usePicks({ anchor });
  const remove = useRemovePick();
  const [quoteOf, setQuoteOf] = useState<Pick | null>(null);
  const [noteOf, setNoteOf] = useState<Pick | null>(null);
  const [sampleFor, setSampleFor] = useState<Pick | null>(null);
  const rows = (picks.data ?? []).filter((p) => showRemoved || p.state !== 'removed');

  return (
    <div data-testid="picks-tab">
      <Space style={{ marginBottom: 12 }}>
        <Link to="/selection">
          <Button>{t('pick.goSearch')}</Button>
        </Link>
        <Switch size="small" checked={showRemoved} onChange={setShowRemoved} />
        <Typography.Text type="secondary">{t('pick.showRemoved')}</Typography.Text>
      </Space>
      {picks.isError && <ApiErrorAlert error={picks.error} />}
      <Table<Pick>
        rowKey="id"
        size="small"
        data-testid="picks-table"
        loading={picks.isFetching}
        dataSource={rows}
        locale={{ emptyText: t('pick.empty') }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 1320 }}
        onRow={(p) =>
          ({ 'data-testid': `pick-row-${p.sku_code}` }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          {
            title: t('common.product'),
            key: 'product',
            render: (_, p) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text strong>{p.product_name}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {p.spec} · {p.sku_code} · {p.brand_name}
                </Typography.Text>
              </Space>
            ),
          },
          ...(anchor === undefined
            ? [{ title: t('common.anchor'), dataIndex: 'anchor_name', key: 'anchor' }]
            : []),
          {
            title: t('pick.retail'),
            key: 'retail',
            align: 'right',
            render: (_, p) => <MoneyText value={p.retail_price} />,
          },
          {
            title: t('pick.frozenRate'),
            key: 'rate',
            align: 'right',
            render: (_, p) =>
              p.rate_bps != null ? (
                <Typography.Text strong data-testid={`pick-rate-${p.id}`}>
                  {formatBps(p.rate_bps)}
                </Typography.Text>
              ) : (
                '—'
              ),
          },
          {
            title: t('pick.adsRate'),
            key: 'ads',
            align: 'right',
            render: (_, p) => (p.ads_rate_bps != null ? formatBps(p.ads_rate_bps) : '—'),
          },
          {
            title: t('pick.plan'),
            key: 'plan',
            render: (_, p) =>
              p.plan ? (
                <Space size={4}>
                  <Tag color={p.plan_type === 'open' ? 'default' : 'purple'}>
                    {labelOf(t, 'planType', p.plan_type ?? '')}
                  </Tag>
                  {t('pick.planRef', { id: p.plan })}
                </Space>
              ) : p.state === 'pending' ? (
                <Typography.Text type="secondary">{t('pick.awaiting')}</Typography.Text>
              ) : (
                '—'
              ),
          },
          {
            title: t('pick.frozenAt'),
            key: 'frozen',
            render: (_, p) => formatDateTime(p.frozen_at),
          },
          {
            title: t('common.state'),
            key: 'state',
            render: (_, p) => <StateTag group="pickState" state={p.state} />,
          },
          {
            title: t('common.note'),
            key: 'note',
            render: (_, p) => (
              <Space size={4}>
                <Typography.Text>{p.note || '—'}</Typography.Text>
                {p.state !== 'removed' && (
                  <Button
                    type="text"
                    size="small"
                    icon={<EditOutlined />}
                    onClick={() => setNoteOf(p)}
                    aria-label={t('pick.editNote')}
                  />
                )}
              </Space>
            ),
          },
          {
            title: t('sample.column'),
            key: 'sample',
            width: 220,
            render: (_, p) => (p.state === 'active' ? <SampleOfferCell pick={p} /> : null),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right',
            render: (_, p) => (
              <Space size={0} wrap>
                <Button type="link" size="small" onClick={() => setQuoteOf(p)}>
                  {t('pick.why')}
                </Button>
                {p.state === 'active' && <SampleButton pick={p} onOpen={() => setSampleFor(p)} />}
                {p.state !== 'removed' && (
                  <Popconfirm
                    title={t('pick.removeConfirm')}
                    okText={t('common.confirm')}
                    cancelText={t('common.cancel')}
                    onConfirm={() =>
                      remove
                        .mutateAsync(p.id)
                        .then(() => void message.success(t('pick.removed')), fail)
                    }
                  >
                    <Button type="link" size="small" danger>
                      {t('pick.remove')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Drawer
        open={quoteOf !== null}
        size={560}
        title={quoteOf ? `${t('quote.title')} · ${quoteOf.product_name}` : t('quote.title')}
        onClose={() => setQuoteOf(null)}
        destroyOnHidden
      >
        {quoteOf && <QuoteView sku={quoteOf.sku} anchor={quoteOf.anchor} />}
      </Drawer>
      {noteOf && <NoteModal pick={noteOf} onClose={() => setNoteOf(null)} />}
      {sampleFor && <SampleRequestModal pick={sampleFor} onClose={() => setSampleFor(null)} />}
    </div>
  );
}

function NoteModal({ pick, onClose }: { pick: Pick; onClose: () => void }) {
  const { t } = useSelectionT();
  const { message } = App.useApp();
  const update = useUpdatePickNote();
  const [form] = Form.useForm<{ note: string }>();
  return (
    <Modal
      open
      title={t('pick.editNote')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={update.isPending}
      destroyOnHidden
    >
      <ApiErrorAlert error={update.error} />
      <Form
        form={form}
        initialValues={{ note: pick.note ?? '' }}
        onFinish={({ note }) =>
          update.mutateAsync({ id: pick.id, note: note ?? '' }).then(
            () => {
              void message.success(t('pick.noteSaved'));
              onClose();
            },
            () => undefined,
          )
        }
      >
        <Form.Item name="note">
          <Input.TextArea maxLength={200} rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
