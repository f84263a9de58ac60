import { EditOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Drawer,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Radio,
  Segmented,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { enumLabel } from '@/i18n/labels';
import { formatBps, formatMoney, toMinorUnits } from '@/lib/money';
import { formatDateTime } from '@/lib/time';
import {
  useCreateSample,
  usePicks,
  useRemovePick,
  useSampleAction,
  useSamples,
  useUpdatePickNote,
  type SampleStateFilter,
} from './api';
import { SampleDeadline } from './BrandQueues';
import { labelOf, useSelectionT } from './i18n';
import type { Pick, Sample, SampleEligibility } from './models';
import { QuoteView } from './QuoteView';
import { ApiErrorAlert, MoneyText, StateTag } from './ui';
import { errorLines, markFormErrors } from './formErrors';
import {
  canExtendSample,
  canRecordContent,
  PLATFORMS,
  SAMPLE_STATES,
  bilingual,
  sampleCreatePayload,
  sampleDisplayState,
  sampleFormStart,
  sampleOffer,
  type Platform,
} from './workbench';

function useFail() {
  const { t, language } = useSelectionT();
  const { message } = App.useApp();
  return (error: unknown) =>
    void message.error(
      errorLines(error, t, language)
        .map((line) => line.text)
        .join('；'),
    );
}

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

function usePlatformName() {
  const { t: tApp } = useTranslation();
  return (platform: string) => enumLabel(tApp, 'platform', platform);
}

/** The rule's conditions in short: fans, platforms, the monthly cap. */
function useRuleShort() {
  const { t, language } = useSelectionT();
  const platformName = usePlatformName();
  return (rule: NonNullable<SampleEligibility['rule']>) =>
    [
      rule.min_fans > 0
        ? t('sample.ruleFans', {
            fans: rule.min_fans.toLocaleString(language === 'zh' ? 'zh-CN' : 'en-US'),
          })
        : t('sample.anyFans'),
      rule.platforms.length > 0
        ? t('sample.rulePlatforms', { platforms: rule.platforms.map(platformName).join(' / ') })
        : t('sample.anyPlatform'),
      t('sample.ruleCap', { cap: rule.monthly_cap_per_anchor }),
    ].join(' · ');
}

/** The pick row's 寄样 column: whether the product takes samples, the rule in short, how many
 * requests are left this Asia/Shanghai month and, when the anchor may not ask, why. */
function SampleOfferCell({ pick }: { pick: Pick }) {
  const { t, language } = useSelectionT();
  const ruleShort = useRuleShort();
  const offer = sampleOffer(pick.sample, language);
  const testId = `pick-sample-info-${pick.sku_code}`;
  if (!pick.sample) return null;
  if (offer.kind === 'none' || !pick.sample.rule) {
    return (
      <Typography.Text type="secondary" data-testid={testId}>
        {t('sample.noSamples')}
      </Typography.Text>
    );
  }
  return (
    <Space orientation="vertical" size={0} data-testid={testId}>
      <Typography.Text strong={offer.left > 0} type={offer.left > 0 ? undefined : 'secondary'}>
        {t('sample.leftThisMonth', { count: offer.left })}
      </Typography.Text>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {ruleShort(pick.sample.rule)}
      </Typography.Text>
      {offer.reasons.map((reason) => (
        <Typography.Text key={reason} type="danger" style={{ fontSize: 12 }}>
          {reason}
        </Typography.Text>
      ))}
    </Space>
  );
}

/** 申请寄样, offered only where the product takes samples; disabled, saying why, when the anchor
 * may not ask now. */
function SampleButton({ pick, onOpen }: { pick: Pick; onOpen: () => void }) {
  const { t, language } = useSelectionT();
  const offer = sampleOffer(pick.sample, language);
  if (offer.kind === 'none') return null;
  const button = (
    <Button
      type="link"
      size="small"
      onClick={onOpen}
      disabled={offer.disabled}
      data-testid={`pick-sample-${pick.sku_code}`}
    >
      {t('sample.request')}
    </Button>
  );
  return (
    <Tooltip
      title={
        offer.disabled ? offer.reasons.join('；') : t('sample.leftThisMonth', { count: offer.left })
      }
    >
      {button}
    </Tooltip>
  );
}

/** The rule and this month's count at the top of the form. */
function SampleRuleAlert({ eligibility }: { eligibility: SampleEligibility }) {
  const { t } = useSelectionT();
  const ruleShort = useRuleShort();
  const rule = eligibility.rule;
  if (!rule) return null;
  return (
    <Alert
      type={eligibility.eligible ? 'info' : 'warning'}
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="sample-rule"
      title={
        <span data-testid="sample-left">
          {t('sample.leftThisMonth', { count: eligibility.left })}
        </span>
      }
      description={
        <Space orientation="vertical" size={0}>
          <Typography.Text>
            {t('sample.ruleTitle')}：{ruleShort(rule)}
          </Typography.Text>
          <Typography.Text type="secondary">
            {t('sample.usedThisMonth', {
              used: eligibility.used,
              cap: rule.monthly_cap_per_anchor,
            })}
            {' · '}
            {t('sample.ruleMaxQuantity', { count: rule.max_quantity })}
          </Typography.Text>
          <Typography.Text type="secondary">
            {t('sample.ruleDeadlines', {
              decision: rule.decision_days,
              content: rule.content_days,
              extension: rule.extension_days,
            })}
          </Typography.Text>
          {toMinorUnits(rule.shipping_cost.amount, rule.shipping_cost.currency) > 0n && (
            <Typography.Text type="secondary">
              {t('sample.ruleShipping', { amount: formatMoney(rule.shipping_cost) })}
            </Typography.Text>
          )}
        </Space>
      }
    />
  );
}

const SAMPLE_FORM_FIELDS: Record<string, (string | number)[]> = {
  platform: ['platform'],
  quantity: ['quantity'],
  ship_to: ['ship_to'],
  note: ['note'],
};

/** 申请寄样 for a pick. Eligibility errors (fans, platform, monthly cap, no rule) come from the API
 * and are shown naming the field they are about. */
function SampleRequestModal({ pick, onClose }: { pick: Pick; onClose: () => void }) {
  const { t, language } = useSelectionT();
  const platformName = usePlatformName();
  const { message } = App.useApp();
  const create = useCreateSample();
  const eligibility = pick.sample ?? null;
  const start = sampleFormStart(eligibility);
  const verdicts = new Map((eligibility?.platforms ?? []).map((v) => [v.platform, v]));
  // The platforms the rule accepts that this anchor may not ask on, and why (those the rule does
  // not accept are simply closed: the rule above names the ones it takes).
  const closed = (eligibility?.platforms ?? []).filter(
    (v) => !v.eligible && !v.reasons.some((r) => r.code === 'platform_not_accepted'),
  );
  const [form] = Form.useForm<{
    platform: Platform;
    quantity: number;
    ship_to: string;
    note?: string;
  }>();
  return (
    <Modal
      open
      title={t('sample.requestTitle', { name: `${pick.product_name} ${pick.spec}` })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('sample.submit')}
      okButtonProps={{ 'data-testid': 'sample-submit' } as Record<string, string>}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      destroyOnHidden
      data-testid="sample-modal"
    >
      {eligibility && <SampleRuleAlert eligibility={eligibility} />}
      <ApiErrorAlert error={create.error} testId="sample-error" />
      <Form
        form={form}
        layout="vertical"
        initialValues={start}
        onFinish={async (values) => {
          try {
            await create.mutateAsync(
              sampleCreatePayload({ ...values, sku: pick.sku, anchor: pick.anchor }),
            );
            void message.success(t('sample.requested'));
            onClose();
          } catch (error) {
            markFormErrors(form, error, language, SAMPLE_FORM_FIELDS);
          }
        }}
      >
        <Form.Item
          name="platform"
          label={t('common.platform')}
          rules={[{ required: true }]}
          extra={
            closed.length > 0 ? (
              <Space orientation="vertical" size={0} data-testid="sample-platform-closed">
                {closed.map((v) => (
                  <span key={v.platform}>
                    {t('sample.platformClosed', {
                      platform: platformName(v.platform),
                      reason: v.reasons.map((r) => bilingual(r.message, language)).join('；'),
                    })}
                  </span>
                ))}
              </Space>
            ) : undefined
          }
        >
          <Radio.Group
            options={PLATFORMS.map((p) => ({
              value: p,
              label: platformName(p),
              disabled: verdicts.get(p)?.eligible === false,
            }))}
            data-testid="sample-platform"
          />
        </Form.Item>
        <Form.Item name="quantity" label={t('sample.quantity')} rules={[{ required: true }]}>
          <InputNumber min={1} max={eligibility?.rule?.max_quantity ?? 99} />
        </Form.Item>
        <Form.Item
          name="ship_to"
          label={t('sample.shipTo')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          extra={start.ship_to ? t('sample.addressPrefilled') : undefined}
        >
          <Input maxLength={200} data-testid="sample-ship-to" />
        </Form.Item>
        <Form.Item name="note" label={t('common.note')}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

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
