import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Row,
  Select,
  Space,
  Spin,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { lazy, Suspense, useState } from 'react';
import { Link } from 'react-router-dom';
import { formatCount } from '@/lib/format';
import { formatDateTime } from '@/lib/time';
import { errorMessage, useBoard, useHistory, useReconcile, useRuns } from './api';
import { enumText, useReconT } from './i18n';
import {
  activeSources,
  AGING_BUCKETS,
  agingTotals,
  formatPct,
  historySeries,
  inLanguage,
  matchedPct,
} from './logic';
import { SOURCES, type BoardSource, type ReconRun, type Source } from './models';
import { usePeriod } from './period';
import { PeriodSelect } from './PeriodSelect';
import { MoneyText, ReasonTag } from './ui';

const MatchedHistoryChart = lazy(() =>
  import('./BoardCharts').then((m) => ({ default: m.MatchedHistoryChart })),
);
const AgingChart = lazy(() => import('./BoardCharts').then((m) => ({ default: m.AgingChart })));

/** 对账看板: per source of a period, lines, matched %, exceptions by reason; run a reconcile. */
export function BoardPage() {
  const { t, language } = useReconT();
  const { message } = App.useApp();
  const [period, setPeriod] = usePeriod();
  const [source, setSource] = useState<Source | 'all'>('all');
  const [runError, setRunError] = useState<string | null>(null);
  const board = useBoard(period);
  const history = useHistory(12);
  const runs = useRuns(period);
  const reconcile = useReconcile();

  const onReconcile = async () => {
    setRunError(null);
    message.info(t('board.queued', { period }));
    try {
      const fresh = await reconcile.mutateAsync({
        period,
        source: source === 'all' ? null : source,
      });
      const sum = (key: 'groups' | 'matched' | 'exceptions') =>
        fresh.reduce((total, run) => total + (run[key] ?? 0), 0);
      message.success(
        t('board.finished', {
          groups: sum('groups'),
          matched: sum('matched'),
          exceptions: sum('exceptions'),
        }),
      );
    } catch (error) {
      setRunError(inLanguage(errorMessage(error), language));
    }
  };

  const data = board.data;
  const rows = activeSources(data);
  const aging = agingTotals(data?.sources ?? []);
  const series = historySeries(history.data ?? []);
  const overall = matchedPct(rows);

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }} data-testid="board-page">
      <Card size="small">
        <Space wrap size="middle">
          <PeriodSelect value={period} onChange={(p) => p && setPeriod(p)} />
          {data && (
            <Tag color={data.closed ? 'red' : 'green'} data-testid="board-closed">
              {data.closed ? t('board.closed') : t('board.open')}
            </Tag>
          )}
          {data && (
            <Typography.Text type="secondary">
              {t('board.threshold')}: <MoneyText value={data.close_threshold} />
            </Typography.Text>
          )}
          <Select
            style={{ width: 180 }}
            value={source}
            onChange={setSource}
            aria-label={t('board.runSource')}
            options={[
              { value: 'all', label: t('board.allSources') },
              ...SOURCES.map((s) => ({ value: s, label: enumText(t, 'source', s) })),
            ]}
            data-testid="reconcile-source"
          />
          <Button
            type="primary"
            onClick={() => void onReconcile()}
            loading={reconcile.isPending}
            disabled={data?.closed}
            data-testid="reconcile-start"
          >
            {reconcile.isPending ? t('board.running') : t('board.run')}
          </Button>
        </Space>
        {runError && (
          <Alert
            type="error"
            showIcon
            title={runError}
            style={{ marginTop: 12 }}
            data-testid="reconcile-error"
          />
        )}
      </Card>

      {board.isError && (
        <Alert type="error" showIcon title={inLanguage(errorMessage(board.error), language)} />
      )}

      <Row gutter={16}>
        <Col xs={24} md={6}>
          <Card size="small">
            <Statistic
              title={t('board.overall')}
              value={formatPct(overall)}
              data-testid="board-overall"
            />
          </Card>
        </Col>
        <Col xs={24} md={6}>
          <Card size="small">
            <Statistic
              title={t('board.lines')}
              value={formatCount(rows.reduce((s, r) => s + r.lines, 0))}
            />
          </Card>
        </Col>
        <Col xs={24} md={6}>
          <Card size="small">
            <Statistic
              title={t('board.unresolved')}
              value={formatCount(rows.reduce((s, r) => s + r.unresolved, 0))}
              data-testid="board-unresolved"
            />
          </Card>
        </Col>
        <Col xs={24} md={6}>
          <Card size="small">
            <Statistic title={t('common.period')} value={period} />
          </Card>
        </Col>
      </Row>

      <Table<BoardSource>
        rowKey="source"
        size="small"
        loading={board.isPending}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 1100 }}
        data-testid="board-table"
        locale={{ emptyText: <Empty description={t('board.empty')} /> }}
        onRow={(row) =>
          ({ 'data-testid': `board-row-${row.source}` }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          {
            title: t('common.source'),
            dataIndex: 'source',
            render: (s: string) => enumText(t, 'source', s),
          },
          { title: t('board.lines'), dataIndex: 'lines', align: 'right', render: formatCount },
          { title: t('board.groups'), dataIndex: 'groups', align: 'right', render: formatCount },
          { title: t('board.matched'), dataIndex: 'matched', align: 'right', render: formatCount },
          {
            title: t('board.matchedPct'),
            dataIndex: 'matched_pct',
            align: 'right',
            render: (pct: number | null, row) => (
              <span data-testid={`board-pct-${row.source}`}>{formatPct(pct)}</span>
            ),
          },
          {
            title: t('board.byReason'),
            key: 'reasons',
            render: (_: unknown, row) => (
              <Space size={4} wrap>
                {Object.entries(row.exceptions_by_reason)
                  .filter(([reason]) => reason !== 'matched')
                  .map(([reason, n]) => (
                    <Link
                      key={reason}
                      to={`/reconciliation/exceptions?period=${period}&source=${row.source}&reason=${reason}`}
                      data-testid={`board-reason-${row.source}-${reason}`}
                    >
                      <ReasonTag reason={reason} /> {n}
                    </Link>
                  ))}
              </Space>
            ),
          },
          {
            title: t('board.unresolved'),
            dataIndex: 'unresolved',
            align: 'right',
            render: (n: number, row) => (
              <Link
                to={`/reconciliation/exceptions?period=${period}&source=${row.source}&state=open`}
              >
                {formatCount(n)}
              </Link>
            ),
          },
          {
            title: t('board.unresolvedAmount'),
            dataIndex: 'unresolved_amount',
            align: 'right',
            render: (_: unknown, row) => <MoneyText value={row.unresolved_amount} />,
          },
          {
            title: t('board.reconciledAt'),
            dataIndex: 'reconciled_at',
            render: (value: string | null) => formatDateTime(value),
          },
        ]}
      />

      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('board.historyTitle')}>
            {series.periods.length === 0 ? (
              <Empty />
            ) : (
              <Suspense fallback={<Spin />}>
                <MatchedHistoryChart data={series} sourceLabel={(s) => enumText(t, 'source', s)} />
              </Suspense>
            )}
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card size="small" title={t('board.agingTitle')}>
            <Suspense fallback={<Spin />}>
              <AgingChart
                buckets={AGING_BUCKETS.map((b) => t('common.ageDays', { days: b }))}
                values={AGING_BUCKETS.map((b) => aging[b])}
                label={t('board.agingCount')}
              />
            </Suspense>
          </Card>
        </Col>
      </Row>

      <Table<ReconRun>
        rowKey="id"
        size="small"
        title={() => t('board.runsTitle')}
        loading={runs.isPending}
        dataSource={runs.data ?? []}
        pagination={{ pageSize: 10, showSizeChanger: false }}
        data-testid="runs-table"
        columns={[
          { title: '#', dataIndex: 'id', width: 70 },
          {
            title: t('common.source'),
            dataIndex: 'source',
            render: (s: string) => enumText(t, 'source', s),
          },
          { title: t('board.lines'), dataIndex: 'lines', align: 'right' },
          { title: t('board.groups'), dataIndex: 'groups', align: 'right' },
          { title: t('board.matched'), dataIndex: 'matched', align: 'right' },
          { title: t('board.exceptions'), dataIndex: 'exceptions', align: 'right' },
          { title: t('board.seconds'), dataIndex: 'seconds', align: 'right' },
          {
            title: t('common.createdAt'),
            dataIndex: 'created_at',
            render: (v: string) => formatDateTime(v),
          },
        ]}
      />
    </Space>
  );
}
