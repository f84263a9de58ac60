import { PlusOutlined } from '@ant-design/icons';
import { Button, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { enumLabel } from '@/i18n/labels';
import { formatMoney } from '@/lib/money';
import { formatDateTime, formatTime } from '@/lib/time';
import { useSessions } from './api';
import { useSelectionT } from './i18n';
import type { AnchorBrief, Session, SessionItem } from './models';
import { ApiErrorAlert, MoneyText, StateTag } from './ui';
import { sessionPhase, slotFeeTotal } from './workbench';
import { SessionCalendar } from './SessionCalendar';
import { SessionDrawer } from './SessionDrawer';
import { CancelSessionModal } from './CancelSessionModal';

function LineupTable({ items }: { items: SessionItem[] }) {
  const { t } = useSelectionT();
  if (items.length === 0)
    return <Typography.Text type="secondary">{t('session.noLineup')}</Typography.Text>;
  return (
    <Table<SessionItem>
      rowKey="id"
      size="small"
      pagination={false}
      dataSource={items}
      columns={[
        { title: '#', dataIndex: 'position', width: 48 },
        {
          title: t('common.product'),
          key: 'product',
          render: (_, item) => (
            <span>
              {item.product_name} <Typography.Text code>{item.sku_code}</Typography.Text>
            </span>
          ),
        },
        {
          title: t('fields.livePrice'),
          key: 'price',
          align: 'right',
          render: (_, item) => <MoneyText value={item.live_price} />,
        },
        {
          title: t('fields.stockQuantity'),
          key: 'stock',
          align: 'right',
          render: (_, item) => (
            <Space size={4}>
              {item.stock_quantity ?? 0}
              {item.held && item.held.state === 'active' && (
                <Tag color="green">{t('session.held', { count: item.held.quantity })}</Tag>
              )}
            </Space>
          ),
        },
        {
          title: t('fields.slotFee'),
          key: 'fee',
          align: 'right',
          render: (_, item) => <MoneyText value={item.slot_fee} />,
        },
      ]}
    />
  );
}

/** 直播排期: a list (with each lineup) and a month calendar; the anchor side also schedules and cancels. */
export function SessionsView({
  mode,
  anchors = [],
  anchor,
}: {
  mode: 'brand' | 'anchor';
  /** Who the anchor side may schedule for. */
  anchors?: AnchorBrief[];
  /** The anchor the anchor side is looking at; none: all it may see. */
  anchor?: number;
}) {
  const { t } = useSelectionT();
  const { t: tApp } = useTranslation();
  const [view, setView] = useState<'list' | 'calendar'>('list');
  const [showCancelled, setShowCancelled] = useState(false);
  const sessions = useSessions({ anchor, state: showCancelled ? undefined : 'scheduled' });
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Session | null>(null);
  const [cancelling, setCancelling] = useState<Session | null>(null);

  return (
    <div data-testid="sessions-view">
      <Space style={{ marginBottom: 12 }} wrap>
        <Segmented
          value={view}
          onChange={(value) => setView(value as typeof view)}
          options={[
            { value: 'list', label: t('session.list') },
            { value: 'calendar', label: t('session.calendar') },
          ]}
          data-testid="sessions-view-switch"
        />
        {view === 'list' && (
          <Segmented
            value={showCancelled ? 'all' : 'scheduled'}
            onChange={(value) => setShowCancelled(value === 'all')}
            options={[
              { value: 'scheduled', label: t('sessionState.scheduled') },
              { value: 'all', label: t('common.allStates') },
            ]}
          />
        )}
        {mode === 'anchor' && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid="session-new"
          >
            {t('session.new')}
          </Button>
        )}
      </Space>
      {sessions.isError && <ApiErrorAlert error={sessions.error} />}
      {view === 'list' ? (
        <Table<Session>
          rowKey="id"
          size="small"
          data-testid="sessions-table"
          loading={sessions.isFetching}
          dataSource={sessions.data ?? []}
          locale={{ emptyText: t('session.empty') }}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          expandable={{ expandedRowRender: (session) => <LineupTable items={session.items} /> }}
          columns={[
            {
              title: t('session.when'),
              key: 'when',
              render: (_, s) => (
                <span data-testid={`session-when-${s.id}`}>
                  {`${formatDateTime(s.starts_at)} – ${formatTime(s.ends_at)}`}
                </span>
              ),
            },
            { title: t('session.title'), dataIndex: 'title' },
            { title: t('common.anchor'), dataIndex: 'anchor_name' },
            {
              title: t('common.platform'),
              key: 'platform',
              render: (_, s) => enumLabel(tApp, 'platform', s.platform),
            },
            {
              title: t('session.items'),
              key: 'items',
              align: 'right',
              render: (_, s) => s.items.length,
            },
            {
              title: t('session.slotFeeTotal'),
              key: 'fees',
              align: 'right',
              render: (_, s) => formatMoney(slotFeeTotal(s.items)),
            },
            {
              title: t('common.state'),
              key: 'state',
              render: (_, s) => <StateTag group="sessionState" state={sessionPhase(s)} />,
            },
            ...(mode === 'anchor'
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    render: (_: unknown, s: Session) =>
                      // A session that has ended is history: it is neither edited nor cancelled.
                      sessionPhase(s) === 'scheduled' || sessionPhase(s) === 'live' ? (
                        <Space size={0}>
                          <Button
                            size="small"
                            type="link"
                            onClick={() => setEditing(s)}
                            data-testid={`session-edit-${s.id}`}
                          >
                            {t('session.edit')}
                          </Button>
                          <Button
                            size="small"
                            danger
                            type="link"
                            onClick={() => setCancelling(s)}
                            data-testid={`session-cancel-${s.id}`}
                          >
                            {t('session.cancel')}
                          </Button>
                        </Space>
                      ) : s.cancel_reason ? (
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {t('session.cancelledReason', { reason: s.cancel_reason })}
                        </Typography.Text>
                      ) : null,
                  },
                ]
              : []),
          ]}
        />
      ) : (
        <SessionCalendar anchor={anchor} />
      )}
      {creating && (
        <SessionDrawer
          anchors={anchors}
          initialAnchor={anchor}
          onClose={() => setCreating(false)}
        />
      )}
      {editing && (
        <SessionDrawer
          anchors={anchors}
          session={editing}
          initialAnchor={editing.anchor}
          onClose={() => setEditing(null)}
        />
      )}
      {cancelling && (
        <CancelSessionModal session={cancelling} onClose={() => setCancelling(null)} />
      )}
    </div>
  );
}
