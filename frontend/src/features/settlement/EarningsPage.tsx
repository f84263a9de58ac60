import { Alert, Card, Col, Row, Spin, Statistic, Table, Typography } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { formatCount } from '@/lib/format';
import { formatMoney } from '@/lib/money';
import { errorMessage, PAGE_SIZE, useEarnings, useStatements } from './api';
import { enumText, useSettlementT } from './i18n';
import { earningsChart, earningsTotals, statementDownloadUrl, sumOf } from './logic';
import type { EarningsRow, Statement } from './models';
import { StatementDrawer } from './StatementDrawer';
import { DownloadLinks, MoneyText, StateTag } from './ui';

const EarningsChart = lazy(() => import('./EarningsChart'));

/** 我的收益: a brand's, an MCN's (with its anchors') or an anchor's estimated and settled earnings,
 * and their statements. */
export function EarningsPage() {
  const { t } = useSettlementT();
  const earnings = useEarnings();
  const rows = earnings.data ?? [];
  const totals = earningsTotals(rows);

  const card = (key: string, title: string, value: string, hint?: string) => (
    <Col xs={24} sm={12} lg={6} key={key}>
      <Card size="small">
        <Statistic
          title={title}
          value={value}
          valueRender={() => <span data-testid={`earnings-${key}`}>{value}</span>}
        />
        {hint && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {hint}
          </Typography.Text>
        )}
      </Card>
    </Col>
  );

  return (
    <div data-testid="earnings-page">
      <Typography.Title level={2} style={{ marginTop: 0 }} data-testid="page-title">
        {t('earnings.title')}
      </Typography.Title>
      {earnings.isError && <Alert type="error" showIcon title={errorMessage(earnings.error)} />}
      {earnings.isPending ? (
        <Spin />
      ) : (
        <>
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            {card(
              'estimated',
              t('earnings.estimated'),
              formatMoney(totals.estimated),
              `${t('earnings.linesPending')}: ${formatCount(totals.lines_pending)}`,
            )}
            {card('settled', t('earnings.settled'), formatMoney(totals.settled))}
            {card('balance', t('earnings.balance'), formatMoney(totals.balance))}
            {card(
              'at-source',
              t('earnings.atSource'),
              formatMoney(sumOf([totals.estimated_at_source, totals.settled_at_source])),
              `${t('earnings.estimatedAtSource')} ${formatMoney(totals.estimated_at_source)} · ${t(
                'earnings.settledAtSource',
              )} ${formatMoney(totals.settled_at_source)}`,
            )}
          </Row>
          {rows.length === 0 ? (
            <Alert type="info" showIcon title={t('earnings.noRows')} />
          ) : (
            <Card size="small" title={t('earnings.chart')} style={{ marginBottom: 16 }}>
              <Suspense fallback={<Spin />}>
                <EarningsChart
                  data={earningsChart(rows, {
                    estimated: t('earnings.series.estimated'),
                    settled: t('earnings.series.settled'),
                    estimatedAtSource: t('earnings.series.estimatedAtSource'),
                    settledAtSource: t('earnings.series.settledAtSource'),
                  })}
                />
              </Suspense>
              {rows.length > 1 && <PayeeTable rows={rows} />}
            </Card>
          )}
        </>
      )}
      <MyStatements />
    </div>
  );
}

function PayeeTable({ rows }: { rows: EarningsRow[] }) {
  const { t } = useSettlementT();
  return (
    <Table<EarningsRow>
      size="small"
      style={{ marginTop: 12 }}
      title={() => t('earnings.byPayee')}
      rowKey={(row) => `${row.payee_kind}-${row.payee_id}`}
      dataSource={rows}
      pagination={false}
      data-testid="earnings-by-payee"
      columns={[
        { title: t('common.payee'), dataIndex: 'payee_name' },
        {
          title: t('statements.kind'),
          dataIndex: 'payee_kind',
          render: (kind: string) => enumText(t, 'payeeKind', kind),
        },
        ...(
          ['estimated', 'settled', 'estimated_at_source', 'settled_at_source', 'balance'] as const
        ).map((key) => ({
          title: t(
            (
              {
                estimated: 'earnings.estimated',
                settled: 'earnings.settled',
                estimated_at_source: 'earnings.estimatedAtSource',
                settled_at_source: 'earnings.settledAtSource',
                balance: 'earnings.balance',
              } as const
            )[key],
          ),
          dataIndex: key,
          align: 'right' as const,
          render: (value: EarningsRow[typeof key]) => <MoneyText value={value} />,
        })),
        { title: t('earnings.linesPending'), dataIndex: 'lines_pending', align: 'right' },
      ]}
    />
  );
}

function MyStatements() {
  const { t } = useSettlementT();
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<number | null>(null);
  const statements = useStatements(page, {});
  return (
    <Card size="small" title={t('earnings.statements')}>
      <Table<Statement>
        rowKey="id"
        size="small"
        data-testid="my-statements"
        loading={statements.isPending}
        dataSource={statements.data?.results ?? []}
        scroll={{ x: 900 }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: statements.data?.count ?? 0,
          showSizeChanger: false,
          showTotal: (count) => t('common.total', { count }),
          onChange: setPage,
        }}
        columns={[
          {
            title: t('statements.id'),
            dataIndex: 'id',
            render: (id: number) => (
              <Typography.Link onClick={() => setOpen(id)} data-testid={`statement-open-${id}`}>
                #{id}
              </Typography.Link>
            ),
          },
          { title: t('common.payee'), dataIndex: 'payee_name' },
          { title: t('statements.cutoff'), dataIndex: 'cutoff' },
          {
            title: t('statements.earnings'),
            dataIndex: 'earnings',
            align: 'right',
            render: (value) => <MoneyText value={value} />,
          },
          {
            title: t('statements.closing'),
            dataIndex: 'closing',
            align: 'right',
            render: (value) => <MoneyText value={value} strong />,
          },
          {
            title: t('statements.atSource'),
            dataIndex: 'at_source',
            align: 'right',
            render: (value) => <MoneyText value={value} />,
          },
          {
            title: t('common.state'),
            dataIndex: 'state',
            render: (state: string) => <StateTag group="statementState" state={state} />,
          },
          {
            title: t('common.download'),
            key: 'download',
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
        ]}
      />
      <StatementDrawer
        id={open}
        onClose={() => setOpen(null)}
        canWrite={false}
        showEntries={false}
      />
    </Card>
  );
}
