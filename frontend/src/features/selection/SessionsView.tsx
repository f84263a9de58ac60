import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import {
  App,
  Badge,
  Button,
  Calendar,
  DatePicker,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { ButtonProps } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { enumLabel } from '@/i18n/labels';
import { formatMoney } from '@/lib/money';
import { formatDateTime, formatTime, nowPicker, zoneLabel } from '@/lib/time';
import {
  SelectionApiError,
  useCancelSession,
  useCreateSession,
  usePicks,
  useSelectionProduct,
  useSessionCalendar,
  useSessions,
  useUpdateSession,
} from './api';
import { useSelectionT } from './i18n';
import type { AnchorBrief, Pick, Session, SessionItem } from './models';
import { ApiErrorAlert, MoneyText, StateTag } from './ui';
import { markFormErrors } from './formErrors';
import {
  defaultLivePrice,
  PLATFORMS,
  sessionCreatePayload,
  sessionFormValues,
  sessionPhase,
  sessionsByDay,
  sessionUpdatePayload,
  slotFeeTotal,
  yuanToMinor,
  type SessionForm,
} from './workbench';

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

function SessionCalendar({ anchor }: { anchor?: number }) {
  const { t } = useSelectionT();
  const [month, setMonth] = useState<Dayjs>(() => nowPicker());
  const start = month.startOf('month').format('YYYY-MM-DD');
  const end = month.endOf('month').format('YYYY-MM-DD');
  const calendar = useSessionCalendar(start, end, anchor);
  const days = sessionsByDay(calendar.data ?? []);
  return (
    <div data-testid="sessions-calendar">
      {calendar.isError && <ApiErrorAlert error={calendar.error} />}
      <Calendar
        value={month}
        onPanelChange={(value) => setMonth(value)}
        onSelect={(value) => setMonth(value)}
        cellRender={(date, info) => {
          if (info.type !== 'date') return info.originNode;
          const list = days.get(date.format('YYYY-MM-DD')) ?? [];
          if (list.length === 0) return null;
          return (
            <ul
              style={{ listStyle: 'none', margin: 0, padding: 0 }}
              data-testid={`calendar-day-${date.format('YYYY-MM-DD')}`}
            >
              {list.map((session) => (
                <li key={session.id}>
                  <Tooltip
                    title={`${session.anchor_name} · ${formatDateTime(session.starts_at)} · ${session.items
                      .map((i) => i.product_name)
                      .join('、')}`}
                  >
                    <Badge
                      status="processing"
                      text={
                        <Typography.Text style={{ fontSize: 12 }} ellipsis>
                          {formatTime(session.starts_at)} {session.title}
                        </Typography.Text>
                      }
                    />
                  </Tooltip>
                </li>
              ))}
            </ul>
          );
        }}
      />
      {!calendar.isFetching && (calendar.data ?? []).length === 0 && (
        <Empty description={t('session.empty')} />
      )}
    </div>
  );
}

interface LineupValues {
  pick?: number;
  live_price?: string;
  stock_quantity?: number;
  slot_fee?: string;
}

/** The live price range of a line's SKU, and its default live price once a pick is chosen. */
function LineHint({
  pick,
  onDefault,
}: {
  pick: Pick | undefined;
  onDefault: (price: string) => void;
}) {
  const { t } = useSelectionT();
  const product = useSelectionProduct(pick?.sku ?? null);
  const sku = product.data?.skus.find((s) => s.id === pick?.sku);
  const price =
    pick && sku
      ? defaultLivePrice(pick.retail_price, sku.min_live_price, sku.max_live_price)
      : null;
  useEffect(() => {
    if (price !== null) onDefault(price);
    // Seed once per chosen SKU; the callback changes on every render of the form.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [price]);
  if (!sku) return null;
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
      {t('session.priceRange', {
        min: formatMoney(sku.min_live_price),
        max: formatMoney(sku.max_live_price),
      })}
    </Typography.Text>
  );
}

const SESSION_FORM_FIELDS: Record<string, (string | number)[]> = {
  platform: ['platform'],
  title: ['title'],
  starts_at: ['range'],
  ends_at: ['range'],
  'lineup[*].pick': ['lineup', '*', 'pick'],
  'lineup[*].live_price_minor': ['lineup', '*', 'live_price'],
  'lineup[*].stock_quantity': ['lineup', '*', 'stock_quantity'],
  'lineup[*].slot_fee_minor': ['lineup', '*', 'slot_fee'],
};

/** Schedule a session, or (given `session`) change a scheduled one: the same form, prefilled. */
function SessionDrawer({
  anchors,
  initialAnchor,
  session,
  onClose,
}: {
  anchors: AnchorBrief[];
  initialAnchor?: number;
  session?: Session;
  onClose: () => void;
}) {
  const { t, language } = useSelectionT();
  const { t: tApp } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const create = useCreateSession();
  const update = useUpdateSession();
  const saving = session ? update : create;
  const watchedAnchor = Form.useWatch('anchor', form) as number | undefined;
  const anchor = session ? session.anchor : (watchedAnchor ?? initialAnchor ?? anchors[0]?.id);
  const picks = usePicks({ anchor, state: 'active' });
  const lineup = (Form.useWatch('lineup', form) as LineupValues[] | undefined) ?? [];
  const pickById = new Map((picks.data ?? []).map((p) => [p.id, p]));
  const isConflict = saving.error instanceof SelectionApiError && saving.error.status === 409;
  const amountRule = {
    validator: async (_: unknown, value: string | undefined) => {
      if (value?.trim() && yuanToMinor(value) === null) throw new Error(t('session.amountInvalid'));
    },
  };

  const submit = async (values: SessionForm & { anchor?: number }) => {
    let body;
    try {
      body = session
        ? sessionUpdatePayload(session, values)
        : sessionCreatePayload({ ...values, anchor: anchor });
    } catch (error) {
      const path = error instanceof Error ? error.message : '';
      const line = /lineup\[(\d+)\]\.(\w+)/.exec(path);
      if (line)
        form.setFields([
          { name: ['lineup', Number(line[1]), line[2]], errors: [t('session.amountInvalid')] },
        ]);
      return;
    }
    try {
      if (session) {
        if (Object.keys(body).length === 0) {
          void message.info(t('session.noChange'));
          onClose();
          return;
        }
        await update.mutateAsync({ id: session.id, body });
        void message.success(t('session.saved'));
      } else {
        await create.mutateAsync(body as Parameters<typeof create.mutateAsync>[0]);
        void message.success(t('session.created'));
      }
      onClose();
    } catch (error) {
      markFormErrors(form, error, language, SESSION_FORM_FIELDS);
    }
  };

  return (
    <Drawer
      open
      size={760}
      title={session ? t('session.editTitle', { title: session.title }) : t('session.new')}
      onClose={onClose}
      destroyOnHidden
      data-testid="session-drawer"
    >
      <ApiErrorAlert
        error={saving.error}
        title={isConflict ? t('session.conflictTitle') : undefined}
        testId="session-error"
      />
      <Form
        form={form}
        layout="vertical"
        initialValues={
          session
            ? sessionFormValues(session)
            : { anchor: initialAnchor ?? anchors[0]?.id, platform: 'douyin', lineup: [{}] }
        }
        onFinish={(values) => void submit(values)}
      >
        {!session && anchors.length > 1 && (
          <Form.Item
            name="anchor"
            label={t('common.anchor')}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <Select
              options={anchors.map((a) => ({ value: a.id, label: a.name }))}
              onChange={() => form.setFieldValue('lineup', [{}])}
            />
          </Form.Item>
        )}
        <Space align="start" wrap>
          <Form.Item name="platform" label={t('session.platform')} rules={[{ required: true }]}>
            <Select
              style={{ width: 160 }}
              options={PLATFORMS.map((p) => ({ value: p, label: enumLabel(tApp, 'platform', p) }))}
            />
          </Form.Item>
          <Form.Item
            name="title"
            label={t('session.title')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          >
            <Input maxLength={80} style={{ width: 320 }} data-testid="session-title" />
          </Form.Item>
        </Space>
        <Form.Item
          name="range"
          label={t('session.time')}
          extra={<span data-testid="session-zone">{zoneLabel(language)}</span>}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <DatePicker.RangePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            data-testid="session-range"
          />
        </Form.Item>
        <Typography.Title level={5}>{t('session.lineup')}</Typography.Title>
        {session && (
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            {t('session.stockHint')}
          </Typography.Paragraph>
        )}
        {!anchor && <Typography.Text type="secondary">{t('session.anchorFirst')}</Typography.Text>}
        <Form.List name="lineup">
          {(fields, { add, remove }) => (
            <Space orientation="vertical" style={{ width: '100%' }}>
              {fields.map((field) => {
                const pick = pickById.get(lineup[field.name]?.pick ?? -1);
                const chosen = new Set(lineup.map((l) => l?.pick).filter(Boolean));
                return (
                  <div
                    key={field.key}
                    style={{ borderBottom: '1px dashed #eee', paddingBottom: 8 }}
                  >
                    {/* The live price's error reads under the whole line: in its 120 px cell the
                        SKU's range was cut off. */}
                    <Form.Item noStyle shouldUpdate>
                      {() => {
                        const priceErrors = form.getFieldError([
                          'lineup',
                          field.name,
                          'live_price',
                        ]);
                        return (
                          <>
                            <Space align="start" wrap>
                              <Form.Item
                                name={[field.name, 'pick']}
                                label={t('session.pick')}
                                rules={[{ required: true, message: t('common.required') }]}
                              >
                                <Select
                                  style={{ width: 260 }}
                                  loading={picks.isFetching}
                                  showSearch
                                  optionFilterProp="label"
                                  options={(picks.data ?? []).map((p) => ({
                                    value: p.id,
                                    label: `${p.product_name} · ${p.spec}`,
                                    disabled: chosen.has(p.id) && p.id !== pick?.id,
                                  }))}
                                  data-testid={`lineup-pick-${field.name}`}
                                />
                              </Form.Item>
                              <Form.Item
                                name={[field.name, 'live_price']}
                                label={t('session.livePrice')}
                                rules={[
                                  { required: true, message: t('common.required') },
                                  amountRule,
                                ]}
                                help={priceErrors.length > 0 ? <span /> : undefined}
                              >
                                <Input
                                  style={{ width: 120 }}
                                  prefix="¥"
                                  data-testid={`lineup-price-${field.name}`}
                                />
                              </Form.Item>
                              <Form.Item
                                name={[field.name, 'stock_quantity']}
                                label={t('session.stockQuantity')}
                              >
                                <InputNumber
                                  min={0}
                                  style={{ width: 110 }}
                                  data-testid={`lineup-stock-${field.name}`}
                                />
                              </Form.Item>
                              <Form.Item
                                name={[field.name, 'slot_fee']}
                                label={t('session.slotFee')}
                                rules={[amountRule]}
                              >
                                <Input style={{ width: 110 }} prefix="¥" />
                              </Form.Item>
                              <MinusCircleOutlined
                                style={{ marginTop: 38 }}
                                onClick={() => remove(field.name)}
                              />
                            </Space>
                            {priceErrors.length > 0 && (
                              <div
                                className="ant-form-item-explain-error"
                                role="alert"
                                style={{ marginTop: -16, marginBottom: 8 }}
                                data-testid={`lineup-price-error-${field.name}`}
                              >
                                <Typography.Text type="danger">
                                  {priceErrors.join('；')}
                                </Typography.Text>
                              </div>
                            )}
                          </>
                        );
                      }}
                    </Form.Item>
                    <LineHint
                      pick={pick}
                      onDefault={(price) => {
                        if (!form.getFieldValue(['lineup', field.name, 'live_price'])) {
                          form.setFieldValue(['lineup', field.name, 'live_price'], price);
                        }
                      }}
                    />
                  </div>
                );
              })}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add({})}
                disabled={!anchor}
              >
                {t('session.addLine')}
              </Button>
            </Space>
          )}
        </Form.List>
        <Button
          type="primary"
          htmlType="submit"
          loading={saving.isPending}
          style={{ marginTop: 16 }}
          data-testid="session-submit"
        >
          {t('common.submit')}
        </Button>
      </Form>
    </Drawer>
  );
}

/** 取消直播, with an optional reason; the reserved stock is released by the backend. */
function CancelSessionModal({ session, onClose }: { session: Session; onClose: () => void }) {
  const { t } = useSelectionT();
  const { message } = App.useApp();
  const cancel = useCancelSession();
  const [form] = Form.useForm<{ reason?: string }>();
  return (
    <Modal
      open
      title={t('session.cancelTitle', { title: session.title })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('session.cancel')}
      okButtonProps={
        {
          danger: true,
          loading: cancel.isPending,
          'data-testid': 'session-cancel-ok',
        } as ButtonProps
      }
      cancelText={t('common.cancel')}
      destroyOnHidden
      data-testid="session-cancel-modal"
    >
      <Typography.Paragraph>{t('session.cancelConfirm')}</Typography.Paragraph>
      <ApiErrorAlert error={cancel.error} testId="session-cancel-error" />
      <Form
        form={form}
        layout="vertical"
        onFinish={({ reason }) =>
          cancel.mutateAsync({ id: session.id, reason: reason?.trim() || undefined }).then(
            () => {
              void message.success(t('session.cancelOk'));
              onClose();
            },
            () => undefined,
          )
        }
      >
        <Form.Item name="reason" label={t('session.cancelReason')}>
          <Input.TextArea maxLength={200} rows={3} data-testid="session-cancel-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
