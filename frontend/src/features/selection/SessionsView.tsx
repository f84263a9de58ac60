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
  Popconfirm,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { enumLabel } from '@/i18n/labels';
import { formatMoney } from '@/lib/money';
import { dayjs, formatDateTime } from '@/lib/time';
import {
  SelectionApiError,
  useCancelSession,
  useCreateSession,
  usePicks,
  useSelectionProduct,
  useSessionCalendar,
  useSessions,
} from './api';
import { useSelectionT } from './i18n';
import type { AnchorBrief, Pick, Session, SessionItem } from './models';
import { ApiErrorAlert, MoneyText, StateTag } from './ui';
import { errorLines, markFormErrors } from './formErrors';
import {
  defaultLivePrice,
  PLATFORMS,
  sessionCreatePayload,
  sessionsByDay,
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
  const { t, language } = useSelectionT();
  const { t: tApp } = useTranslation();
  const { message } = App.useApp();
  const [view, setView] = useState<'list' | 'calendar'>('list');
  const [showCancelled, setShowCancelled] = useState(false);
  const sessions = useSessions({ anchor, state: showCancelled ? undefined : 'scheduled' });
  const cancel = useCancelSession();
  const [creating, setCreating] = useState(false);

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
              render: (_, s) =>
                `${formatDateTime(s.starts_at)} – ${dayjs(s.ends_at).tz().format('HH:mm')}`,
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
              render: (_, s) => <StateTag group="sessionState" state={s.state} />,
            },
            ...(mode === 'anchor'
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    render: (_: unknown, s: Session) =>
                      s.state === 'scheduled' ? (
                        <Popconfirm
                          title={t('session.cancelConfirm')}
                          okText={t('common.confirm')}
                          cancelText={t('common.cancel')}
                          onConfirm={() =>
                            cancel.mutateAsync({ id: s.id }).then(
                              () => void message.success(t('session.cancelOk')),
                              (error: unknown) =>
                                void message.error(
                                  errorLines(error, t, language)
                                    .map((l) => l.text)
                                    .join('；'),
                                ),
                            )
                          }
                        >
                          <Button size="small" danger type="link">
                            {t('session.cancel')}
                          </Button>
                        </Popconfirm>
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
        <SessionCreateDrawer
          anchors={anchors}
          initialAnchor={anchor}
          onClose={() => setCreating(false)}
        />
      )}
    </div>
  );
}

function SessionCalendar({ anchor }: { anchor?: number }) {
  const { t } = useSelectionT();
  const [month, setMonth] = useState<Dayjs>(() => dayjs());
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
                          {dayjs(session.starts_at).tz().format('HH:mm')} {session.title}
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

function SessionCreateDrawer({
  anchors,
  initialAnchor,
  onClose,
}: {
  anchors: AnchorBrief[];
  initialAnchor?: number;
  onClose: () => void;
}) {
  const { t, language } = useSelectionT();
  const { t: tApp } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const create = useCreateSession();
  const anchor =
    (Form.useWatch('anchor', form) as number | undefined) ?? initialAnchor ?? anchors[0]?.id;
  const picks = usePicks({ anchor, state: 'active' });
  const lineup = (Form.useWatch('lineup', form) as LineupValues[] | undefined) ?? [];
  const pickById = new Map((picks.data ?? []).map((p) => [p.id, p]));
  const isConflict = create.error instanceof SelectionApiError && create.error.status === 409;
  const amountRule = {
    validator: async (_: unknown, value: string | undefined) => {
      if (value?.trim() && yuanToMinor(value) === null) throw new Error(t('session.amountInvalid'));
    },
  };

  const submit = async (values: SessionForm & { anchor?: number }) => {
    let body;
    try {
      body = sessionCreatePayload({ ...values, anchor: anchor });
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
      await create.mutateAsync(body);
      void message.success(t('session.created'));
      onClose();
    } catch (error) {
      markFormErrors(form, error, language, SESSION_FORM_FIELDS);
    }
  };

  return (
    <Drawer
      open
      size={760}
      title={t('session.new')}
      onClose={onClose}
      destroyOnHidden
      data-testid="session-drawer"
    >
      <ApiErrorAlert
        error={create.error}
        title={isConflict ? t('session.conflictTitle') : undefined}
        testId="session-error"
      />
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          anchor: initialAnchor ?? anchors[0]?.id,
          platform: 'douyin',
          lineup: [{}],
        }}
        onFinish={(values) => void submit(values)}
      >
        {anchors.length > 1 && (
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
          rules={[{ required: true, message: t('common.required') }]}
        >
          <DatePicker.RangePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            data-testid="session-range"
          />
        </Form.Item>
        <Typography.Title level={5}>{t('session.lineup')}</Typography.Title>
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
                        rules={[{ required: true, message: t('common.required') }, amountRule]}
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
                        <InputNumber min={0} style={{ width: 110 }} />
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
          loading={create.isPending}
          style={{ marginTop: 16 }}
          data-testid="session-submit"
        >
          {t('common.submit')}
        </Button>
      </Form>
    </Drawer>
  );
}
