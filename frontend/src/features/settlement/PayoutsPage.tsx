import { SendOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Select, Space, Table, Tooltip, Typography, Upload } from 'antd';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { FilterTags } from '@/lib/FilterTags';
import { formatDateTime } from '@/lib/time';
import {
  errorMessage,
  PAGE_SIZE,
  useCreateBatch,
  useCreatePayouts,
  usePayoutAction,
  usePayoutBatches,
  usePayouts,
  useStatements,
  useUploadBatchResults,
  type PayoutFilters,
} from './api';
import { enumText, useSettlementT } from './i18n';
import { useConfirmMoney } from '@/lib/confirmMoney';
import { batchFileUrl, inLanguage, payable, skippedRows, totalOf, type SkippedRow } from './logic';
import {
  PAYOUT_STATES,
  RAILS,
  type Payout,
  type PayoutBatch,
  type PayoutState,
  type Rail,
  type ResultRejection,
  type ResultReport,
  type Statement,
} from './models';
import { DownloadLinks, MoneyText, StateTag } from './ui';

/** 付款: pay approved statements, follow payouts, and run the bank's batch files. */
export function PayoutsPage() {
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }} data-testid="payouts-page">
      <PayStatements />
      <PayoutsTable />
      <BankBatches />
    </Space>
  );
}

/**
 * Approved statements with something to pay and no payout in flight or paid (the server's
 * `awaiting_payout` filter); the selected ones become payouts.
 */
function PayStatements() {
  const { t, language } = useSettlementT();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<Statement[]>([]);
  const [skipped, setSkipped] = useState<SkippedRow[]>([]);
  const statements = useStatements(page, { awaiting_payout: true });
  const create = useCreatePayouts();
  const ids = payable(selected);
  const confirmMoney = useConfirmMoney();

  const onCreate = async () => {
    const confirmed = await confirmMoney({
      title: t('confirm.payTitle'),
      action: t('confirm.payAction'),
      count: ids.length,
      total: totalOf(selected.filter((s) => ids.includes(s.id)).map((s) => s.closing)),
      testId: 'pay-confirm',
    });
    if (!confirmed) return;
    try {
      const plan = await create.mutateAsync(ids);
      setSkipped(skippedRows(plan.skipped, selected, language));
      if (plan.created.length > 0) {
        message.success(t('payouts.created', { count: plan.created.length }));
      }
      setSelected([]);
    } catch (error) {
      message.error(errorMessage(error));
    }
  };

  return (
    <Card size="small" title={t('payouts.approvedStatements')}>
      <Space style={{ marginBottom: 12 }}>
        <Button
          type="primary"
          disabled={ids.length === 0}
          loading={create.isPending}
          onClick={() => void onCreate()}
          data-testid="payouts-create"
        >
          {t('payouts.create', { count: ids.length })}
        </Button>
      </Space>
      {skipped.length > 0 && <SkippedList rows={skipped} onClose={() => setSkipped([])} />}
      <Table<Statement>
        rowKey="id"
        size="small"
        data-testid="payable-statements"
        loading={statements.isPending}
        dataSource={statements.data?.results ?? []}
        rowSelection={{
          selectedRowKeys: selected.map((s) => s.id),
          onChange: (_, records) => setSelected(records),
        }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: statements.data?.count ?? 0,
          showSizeChanger: false,
          showTotal: (count) => t('common.total', { count }),
          onChange: setPage,
        }}
        columns={[
          { title: t('statements.id'), dataIndex: 'id', render: (id: number) => `#${id}` },
          { title: t('common.payee'), dataIndex: 'payee_name' },
          {
            title: t('statements.kind'),
            dataIndex: 'payee_kind',
            render: (kind: string) => enumText(t, 'payeeKind', kind),
          },
          { title: t('statements.cutoff'), dataIndex: 'cutoff' },
          {
            title: t('statements.closing'),
            dataIndex: 'closing',
            align: 'right',
            render: (value) => <MoneyText value={value} strong />,
          },
        ]}
      />
    </Card>
  );
}

export function SkippedList({ rows, onClose }: { rows: SkippedRow[]; onClose?: () => void }) {
  const { t } = useSettlementT();
  return (
    <Alert
      type="warning"
      showIcon
      closable={onClose ? { onClose } : undefined}
      style={{ marginBottom: 12 }}
      data-testid="payouts-skipped"
      title={t('payouts.skipped', { count: rows.length })}
      description={
        <ul style={{ margin: 0, paddingInlineStart: 16 }}>
          {rows.map((row) => (
            <li key={row.statement} data-testid={`skipped-${row.statement}`}>
              <Typography.Text strong>
                {t('common.statement')} #{row.statement}
                {row.payee ? ` · ${row.payee}` : ''}
              </Typography.Text>
              {'：'}
              {row.reason}
            </li>
          ))}
        </ul>
      }
    />
  );
}

const IN_FLIGHT: PayoutState[] = ['pending', 'sent'];

/** Pending or sent: paid out, not yet arrived (the finance home's payouts in flight). */
type PayoutListFilters = PayoutFilters & { in_flight?: boolean };

/** The payout list's filters as the URL gives them (the finance home links with ?in_flight=true). */
function payoutFiltersFrom(params: URLSearchParams): PayoutListFilters {
  const state = params.get('state');
  const rail = params.get('rail');
  return {
    state: (PAYOUT_STATES as readonly string[]).includes(state ?? '')
      ? (state as PayoutState)
      : undefined,
    rail: (RAILS as readonly string[]).includes(rail ?? '') ? (rail as Rail) : undefined,
    in_flight: params.get('in_flight') === 'true' ? true : undefined,
  };
}

function PayoutsTable() {
  const { t, language } = useSettlementT();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => payoutFiltersFrom(params), [params]);
  const inFlightText = IN_FLIGHT.map((s) => enumText(t, 'payoutState', s)).join('、');
  const setFilters = (change: (current: PayoutListFilters) => PayoutListFilters) => {
    const next = new URLSearchParams();
    for (const [key, value] of Object.entries(change(filters)))
      if (value !== undefined) next.set(key, String(value));
    setParams(next, { replace: true });
  };
  const payouts = usePayouts(page, filters);
  const action = usePayoutAction();
  const confirmMoney = useConfirmMoney();

  const onAction = async (payout: Payout, kind: 'retry' | 'send') => {
    const confirmed = await confirmMoney({
      title: t(kind === 'retry' ? 'confirm.retryTitle' : 'confirm.sendTitle'),
      action: t(kind === 'retry' ? 'confirm.retryAction' : 'confirm.sendAction', {
        id: payout.id,
        payee: payout.payee_name,
      }),
      count: 1,
      total: payout.amount,
      testId: 'payout-confirm',
    });
    if (!confirmed) return;
    try {
      const result = await action.mutateAsync({ id: payout.id, action: kind });
      if (kind === 'retry') message.success(t('payouts.retried', { id: result.id }));
      else {
        const state = enumText(t, 'payoutState', result.state);
        const text = t('payouts.sent', { id: result.id, state });
        if (result.state === 'failed') {
          message.error(`${text} ${inLanguage(result.failure_reason ?? '', language)}`);
        } else message.success(text);
      }
    } catch (error) {
      message.error(inLanguage(errorMessage(error), language));
    }
  };

  return (
    <Card size="small" title={t('tabs.payouts')}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t('payouts.filterState')}
          style={{ width: 140 }}
          value={filters.state}
          onChange={(state?: PayoutState) => {
            setFilters((f) => ({ ...f, state }));
            setPage(1);
          }}
          options={PAYOUT_STATES.map((s) => ({ value: s, label: enumText(t, 'payoutState', s) }))}
          data-testid="filter-payout-state"
        />
        <Select
          allowClear
          placeholder={t('payouts.filterRail')}
          style={{ width: 160 }}
          value={filters.rail}
          onChange={(rail?: Rail) => {
            setFilters((f) => ({ ...f, rail }));
            setPage(1);
          }}
          options={RAILS.map((r) => ({ value: r, label: enumText(t, 'rail', r) }))}
        />
      </Space>
      <FilterTags
        filters={
          filters.in_flight
            ? [{ key: 'in_flight', label: `${t('payouts.filterState')}：${inFlightText}` }]
            : []
        }
        onRemove={() => {
          setFilters((f) => ({ ...f, in_flight: undefined }));
          setPage(1);
        }}
      />
      {payouts.isError && <Alert type="error" showIcon title={errorMessage(payouts.error)} />}
      <Table<Payout>
        rowKey="id"
        size="small"
        data-testid="payouts-table"
        loading={payouts.isPending}
        dataSource={payouts.data?.results ?? []}
        scroll={{ x: 1100 }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: payouts.data?.count ?? 0,
          showSizeChanger: false,
          showTotal: (count) => t('common.total', { count }),
          onChange: setPage,
        }}
        columns={[
          { title: t('payouts.id'), dataIndex: 'id', render: (id: number) => `#${id}` },
          {
            title: t('common.statement'),
            dataIndex: 'statement',
            render: (id: number) => `#${id}`,
          },
          { title: t('common.payee'), dataIndex: 'payee_name', ellipsis: true },
          {
            title: t('payouts.rail'),
            dataIndex: 'rail',
            render: (rail: string) => enumText(t, 'rail', rail),
          },
          {
            title: t('common.amount'),
            dataIndex: 'amount',
            align: 'right',
            render: (value) => <MoneyText value={value} />,
          },
          { title: t('payouts.attempt'), dataIndex: 'attempt', align: 'right' },
          {
            title: t('common.state'),
            dataIndex: 'state',
            render: (state: string) => <StateTag group="payoutState" state={state} />,
          },
          {
            title: t('payouts.batch'),
            dataIndex: 'batch',
            render: (batch: number | null | undefined) => (batch ? `#${batch}` : '—'),
          },
          {
            title: t('payouts.failureReason'),
            dataIndex: 'failure_reason',
            ellipsis: true,
            render: (reason: string | null | undefined) =>
              reason ? (
                <Tooltip title={reason}>
                  <Typography.Text type="danger">{inLanguage(reason, language)}</Typography.Text>
                </Tooltip>
              ) : (
                '—'
              ),
          },
          {
            title: t('common.createdAt'),
            dataIndex: 'created_at',
            render: (value: string) => formatDateTime(value),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right',
            render: (_: unknown, payout: Payout) => (
              <Space size="small">
                {payout.state === 'failed' && (
                  <Button
                    size="small"
                    onClick={() => void onAction(payout, 'retry')}
                    data-testid={`payout-retry-${payout.id}`}
                  >
                    {t('payouts.retry')}
                  </Button>
                )}
                {/* A sent Stripe payout whose answer was lost may be sent again: same key, one transfer. */}
                {(payout.state === 'pending' || payout.state === 'sent') &&
                  payout.rail === 'stripe' && (
                    <Button
                      size="small"
                      icon={<SendOutlined />}
                      onClick={() => void onAction(payout, 'send')}
                      data-testid={`payout-send-${payout.id}`}
                    >
                      {t('payouts.send')}
                    </Button>
                  )}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}

interface BatchOutcome {
  batch: number;
  report?: ResultReport;
  /** Why the file was not applied: a message, and for a file with bad rows every such row. */
  error?: string;
  rejected?: ResultRejection[];
}

function BankBatches() {
  const { t, language } = useSettlementT();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [outcome, setOutcome] = useState<BatchOutcome | null>(null);
  const batches = usePayoutBatches(page);
  const create = useCreateBatch();
  const upload = useUploadBatchResults();
  const pending = usePayouts(1, { state: 'pending', rail: 'bank' });
  const confirmMoney = useConfirmMoney();

  const onCreate = async () => {
    const listed = pending.data?.results ?? [];
    const count = pending.data?.count ?? null;
    const confirmed = await confirmMoney({
      title: t('confirm.batchTitle'),
      action: t('confirm.batchAction'),
      count,
      // The total is exact only when every pending payout is on the first page.
      total:
        count !== null && listed.length === count ? totalOf(listed.map((p) => p.amount)) : null,
      testId: 'batch-confirm',
    });
    if (!confirmed) return;
    try {
      const batch = await create.mutateAsync();
      message.success(t('payouts.batchCreated', { id: batch.id }));
    } catch (error) {
      message.error(inLanguage(errorMessage(error), language));
    }
  };

  const onUpload = async (batch: number, file: File) => {
    setOutcome(null);
    try {
      const result = await upload.mutateAsync({ id: batch, file });
      if (result.kind === 'applied') setOutcome({ batch, report: result.report });
      else setOutcome({ batch, error: result.detail, rejected: result.rejected });
    } catch (error) {
      setOutcome({ batch, error: errorMessage(error) });
    }
  };

  return (
    <Card
      size="small"
      title={t('payouts.batches')}
      extra={
        <Button
          onClick={() => void onCreate()}
          loading={create.isPending}
          data-testid="batch-create"
        >
          {t('payouts.createBatch')}
        </Button>
      }
    >
      {outcome?.report && (
        <Alert
          type="success"
          showIcon
          closable={{ onClose: () => setOutcome(null) }}
          style={{ marginBottom: 12 }}
          data-testid="batch-results"
          title={`#${outcome.batch} ${t('payouts.results', outcome.report)}`}
        />
      )}
      {outcome?.error && (
        <Alert
          type="error"
          showIcon
          closable={{ onClose: () => setOutcome(null) }}
          style={{ marginBottom: 12 }}
          data-testid="batch-results-error"
          title={
            outcome.rejected
              ? `#${outcome.batch} ${t('payouts.resultsRejected')}`
              : `#${outcome.batch} ${inLanguage(outcome.error, language)}`
          }
          description={
            outcome.rejected ? (
              <RejectedRows rows={outcome.rejected} language={language} />
            ) : undefined
          }
        />
      )}
      <Table<PayoutBatch>
        rowKey="id"
        size="small"
        data-testid="batches-table"
        loading={batches.isPending}
        dataSource={batches.data?.results ?? []}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: batches.data?.count ?? 0,
          showSizeChanger: false,
          onChange: setPage,
        }}
        columns={[
          { title: t('payouts.batch'), dataIndex: 'id', render: (id: number) => `#${id}` },
          {
            title: t('common.createdAt'),
            dataIndex: 'created_at',
            render: (value: string) => formatDateTime(value),
          },
          {
            title: t('payouts.createdBy'),
            dataIndex: 'created_by_name',
            render: (name: string | null | undefined) => name || '—',
          },
          { title: t('payouts.payouts'), dataIndex: 'payouts', align: 'right' },
          {
            title: t('payouts.total'),
            dataIndex: 'total',
            align: 'right',
            render: (value) => <MoneyText value={value} />,
          },
          {
            title: t('payouts.resultHash'),
            dataIndex: 'result_sha256',
            render: (hash: string | null | undefined) =>
              hash ? <Typography.Text code>{hash.slice(0, 10)}</Typography.Text> : '—',
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, batch: PayoutBatch) => (
              <Space size="small" wrap>
                <DownloadLinks
                  testId={`batch-file-${batch.id}`}
                  links={[
                    { key: 'csv', label: t('payouts.batchFile'), href: batchFileUrl(batch.id) },
                  ]}
                />
                <Upload
                  accept=".csv,text/csv"
                  showUploadList={false}
                  beforeUpload={(file) => {
                    void onUpload(batch.id, file);
                    return false;
                  }}
                >
                  <Button
                    size="small"
                    icon={<UploadOutlined />}
                    loading={upload.isPending && upload.variables?.id === batch.id}
                    data-testid={`batch-upload-${batch.id}`}
                  >
                    {t('payouts.uploadResults')}
                  </Button>
                </Upload>
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}

/** The bad rows of a refused result file, as the server named them: line, column, problem. */
function RejectedRows({ rows, language }: { rows: ResultRejection[]; language: 'zh' | 'en' }) {
  const { t } = useSettlementT();
  return (
    <Table<ResultRejection>
      size="small"
      data-testid="batch-rejections"
      style={{ marginTop: 8 }}
      rowKey={(row) => `${row.line}-${row.field}`}
      dataSource={rows}
      pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
      onRow={(row) =>
        ({ 'data-testid': `batch-row-error-${row.line}` }) as React.HTMLAttributes<HTMLElement>
      }
      columns={[
        { title: t('payouts.rejectedLine'), dataIndex: 'line', width: 80, align: 'right' },
        { title: t('payouts.rejectedField'), dataIndex: 'field', width: 120 },
        {
          title: t('payouts.rejectedReason'),
          dataIndex: 'reason',
          render: (reason: string) => inLanguage(reason, language),
        },
      ]}
    />
  );
}
