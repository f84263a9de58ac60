import { CheckOutlined } from '@ant-design/icons';
import { Alert, App, Button, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  errorMessage,
  PAGE_SIZE,
  useApproveStatements,
  useRunChoices,
  useStatements,
  type StatementFilters,
} from './api';
import { enumText, payeeTypeText, useSettlementT } from './i18n';
import { useConfirmMoney } from '@/lib/confirmMoney';
import { approvable, BALANCE_KEYS, statementDownloadUrl, statementTotals, totalOf } from './logic';
import {
  PAYEE_KINDS,
  STATEMENT_STATES,
  type PayeeKind,
  type Statement,
  type StatementState,
} from './models';
import { StatementDrawer } from './StatementDrawer';
import { DownloadLinks, MoneyText, StateTag } from './ui';

const MONEY_LABELS = {
  opening: 'statements.opening',
  earnings: 'statements.earnings',
  clawbacks: 'statements.clawbacks',
  other: 'statements.other',
  closing: 'statements.closing',
  at_source: 'statements.atSource',
} as const;

function numberParam(value: string | null): number | undefined {
  const n = Number(value);
  return value && Number.isInteger(n) && n > 0 ? n : undefined;
}

/** 结算单 for finance: filter by run, state and payee kind; approve one or many; open one. */
export function StatementsPage() {
  const { t } = useSettlementT();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const filters: StatementFilters = {
    run: numberParam(params.get('run')),
    state: (STATEMENT_STATES as readonly string[]).includes(params.get('state') ?? '')
      ? (params.get('state') as StatementState)
      : undefined,
    payee_kind: (PAYEE_KINDS as readonly string[]).includes(params.get('payee_kind') ?? '')
      ? (params.get('payee_kind') as PayeeKind)
      : undefined,
  };
  const page = numberParam(params.get('page')) ?? 1;
  const [selected, setSelected] = useState<Statement[]>([]);
  const [open, setOpen] = useState<number | null>(numberParam(params.get('open')) ?? null);
  const statements = useStatements(page, filters);
  const runs = useRunChoices();
  const approve = useApproveStatements();
  const confirmMoney = useConfirmMoney();
  const rows = statements.data?.results ?? [];
  const drafts = approvable(selected);

  const setFilter = (key: string, value: string | number | undefined) => {
    const next = new URLSearchParams(params);
    if (value === undefined || value === '') next.delete(key);
    else next.set(key, String(value));
    next.delete('page');
    setParams(next, { replace: true });
    setSelected([]);
  };

  const onApprove = async (ids: number[]) => {
    const chosen = [...rows, ...selected].filter(
      (s, i, all) => ids.includes(s.id) && all.findIndex((o) => o.id === s.id) === i,
    );
    const confirmed = await confirmMoney({
      title: t('confirm.approveTitle'),
      action: t('confirm.approveAction'),
      count: ids.length,
      total: totalOf(chosen.map((s) => s.closing)),
      testId: 'approve-confirm',
    });
    if (!confirmed) return;
    const outcome = await approve.mutateAsync(ids);
    if (outcome.approved.length > 0) {
      message.success(t('statements.approved', { count: outcome.approved.length }));
    }
    if (outcome.failed.length > 0) {
      message.error(
        `${t('statements.approveFailed', { count: outcome.failed.length })}: ${outcome.failed
          .map((f) => `#${f.id} ${f.message}`)
          .join('; ')}`,
      );
    }
    setSelected([]);
  };

  return (
    <div data-testid="statements-page">
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t('statements.filterRun')}
          style={{ width: 200 }}
          value={filters.run}
          onChange={(value?: number) => setFilter('run', value)}
          loading={runs.isPending}
          data-testid="filter-run"
          options={(runs.data ?? []).map((run) => ({
            value: run.id,
            label: `#${run.id} · ${run.cutoff}`,
          }))}
        />
        <Select
          allowClear
          placeholder={t('statements.filterState')}
          style={{ width: 140 }}
          value={filters.state}
          onChange={(value?: string) => setFilter('state', value)}
          data-testid="filter-state"
          options={STATEMENT_STATES.map((s) => ({
            value: s,
            label: enumText(t, 'statementState', s),
          }))}
        />
        <Select
          allowClear
          placeholder={t('statements.filterKind')}
          style={{ width: 140 }}
          value={filters.payee_kind}
          onChange={(value?: string) => setFilter('payee_kind', value)}
          data-testid="filter-kind"
          options={PAYEE_KINDS.map((k) => ({ value: k, label: enumText(t, 'payeeKind', k) }))}
        />
        <Button
          type="primary"
          icon={<CheckOutlined />}
          disabled={drafts.length === 0}
          loading={approve.isPending}
          onClick={() => void onApprove(drafts)}
          data-testid="statements-approve-selected"
        >
          {t('statements.approveSelected', { count: drafts.length })}
        </Button>
      </Space>
      {statements.isError && <Alert type="error" showIcon title={errorMessage(statements.error)} />}
      <Table<Statement>
        rowKey="id"
        size="middle"
        data-testid="statements-table"
        loading={statements.isPending}
        dataSource={rows}
        scroll={{ x: 1750 }}
        rowSelection={{
          selectedRowKeys: selected.map((s) => s.id),
          onChange: (_, records) => setSelected(records),
        }}
        onRow={(s) =>
          ({ 'data-testid': `statement-row-${s.id}` }) as React.HTMLAttributes<HTMLElement>
        }
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: statements.data?.count ?? 0,
          showSizeChanger: false,
          showTotal: (count) => t('common.total', { count }),
          onChange: (next) => setFilter('page', next === 1 ? undefined : next),
        }}
        summary={() =>
          statementTotals(rows).map(({ currency, totals }) => (
            <Table.Summary.Row key={currency} data-testid={`statements-totals-${currency}`}>
              <Table.Summary.Cell index={0} colSpan={6}>
                <Typography.Text strong>
                  {t('statements.pageTotals')} ({currency})
                </Typography.Text>
              </Table.Summary.Cell>
              {BALANCE_KEYS.map((key, i) => (
                <Table.Summary.Cell index={6 + i} key={key} align="right">
                  <MoneyText value={totals[key]} strong={key === 'closing'} />
                </Table.Summary.Cell>
              ))}
              <Table.Summary.Cell index={12} colSpan={3} />
            </Table.Summary.Row>
          ))
        }
        columns={[
          {
            title: t('statements.id'),
            dataIndex: 'id',
            width: 100,
            render: (id: number) => (
              <Typography.Link onClick={() => setOpen(id)} data-testid={`statement-open-${id}`}>
                #{id}
              </Typography.Link>
            ),
          },
          { title: t('common.payee'), dataIndex: 'payee_name', width: 200, ellipsis: true },
          {
            title: t('statements.kind'),
            dataIndex: 'payee_kind',
            width: 110,
            render: (_: string, statement) => (
              <span data-testid={`statement-kind-${statement.id}`}>
                {payeeTypeText(t, statement)}
              </span>
            ),
          },
          {
            title: t('common.run'),
            dataIndex: 'run',
            width: 70,
            render: (run: number) => `#${run}`,
          },
          { title: t('statements.cutoff'), dataIndex: 'cutoff', width: 110 },
          ...BALANCE_KEYS.map((key) => ({
            title: t(MONEY_LABELS[key]),
            dataIndex: key,
            align: 'right' as const,
            width: 130,
            render: (value: Statement[typeof key]) => (
              <MoneyText value={value} strong={key === 'closing'} />
            ),
          })),
          {
            title: t('common.state'),
            dataIndex: 'state',
            width: 100,
            render: (state: string) => <StateTag group="statementState" state={state} />,
          },
          {
            title: t('statements.approvedBy'),
            dataIndex: 'approved_by_name',
            width: 110,
            ellipsis: true,
            render: (name: string | null | undefined) => name || '—',
          },
          {
            title: t('common.download'),
            key: 'download',
            width: 150,
            render: (_: unknown, s: Statement) => (
              <DownloadLinks
                testId={`statement-files-${s.id}`}
                links={(['pdf', 'xlsx'] as const).map((fmt) => ({
                  key: fmt,
                  label: fmt.toUpperCase(),
                  href: statementDownloadUrl(s.id, fmt),
                }))}
              />
            ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right',
            width: 90,
            render: (_: unknown, s: Statement) =>
              s.state === 'draft' ? (
                <Button
                  size="small"
                  onClick={() => void onApprove([s.id])}
                  data-testid={`statement-approve-${s.id}`}
                >
                  {t('statements.approve')}
                </Button>
              ) : null,
          },
        ]}
      />
      <StatementDrawer id={open} onClose={() => setOpen(null)} canWrite showEntries />
    </div>
  );
}
