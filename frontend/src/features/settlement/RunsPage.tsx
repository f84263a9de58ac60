import { PlayCircleOutlined, RedoOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  Progress,
  Space,
  Table,
  Tooltip,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useConfirmMoney } from '@/lib/confirmMoney';
import { ExportLinks } from '@/lib/ExportLinks';
import { formatCount } from '@/lib/format';
import { dayjs, formatDateTime, nowPicker } from '@/lib/time';
import {
  errorMessage,
  PAGE_SIZE,
  SettlementApiError,
  useProblemLines,
  useResumeRun,
  useRuns,
  useStartRun,
} from './api';
import { enumText, useSettlementT } from './i18n';
import { LinePhasesDrawer } from './LinePhasesDrawer';
import {
  canResume,
  inLanguage,
  isInterrupted,
  problemLinesExportUrl,
  progressStatus,
  runExportUrl,
  yesterday,
} from './logic';
import type { ProblemLine, Run } from './models';
import { DownloadLinks, MoneyText, StateTag } from './ui';

/** 结算批次: start a run up to a cut-off and watch it go (the list polls while a run is active). */
export function RunsPage() {
  const { t, language } = useSettlementT();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [cutoff, setCutoff] = useState<Dayjs | null>(() => dayjs(yesterday()));
  const [startError, setStartError] = useState<string | null>(null);
  const runs = useRuns(page);
  const start = useStartRun();
  const resume = useResumeRun();
  const confirmMoney = useConfirmMoney();

  const onStart = async () => {
    if (!cutoff) return;
    setStartError(null);
    const confirmed = await confirmMoney({
      title: t('confirm.runTitle'),
      action: t('confirm.runAction', { cutoff: cutoff.format('YYYY-MM-DD') }),
      count: null,
      total: null,
      testId: 'run-confirm',
    });
    if (!confirmed) return;
    try {
      const run = await start.mutateAsync(cutoff);
      message.success(t('runs.started', { id: run.id }));
      setPage(1);
    } catch (error) {
      // The backend says "中文 / English"; show the user's half (e.g. a cut-off in a closed month).
      const text =
        error instanceof SettlementApiError && error.status === 409
          ? `${t('runs.busy')}: ${inLanguage(error.message, language)}`
          : inLanguage(errorMessage(error), language);
      setStartError(text);
    }
  };

  const onResume = async (id: number) => {
    try {
      await resume.mutateAsync(id);
      message.success(t('runs.resumed'));
    } catch (error) {
      message.error(errorMessage(error));
    }
  };

  // Staleness is judged at the time of the last answer (the list is polled while runs are active).
  const now = runs.dataUpdatedAt;
  // The list is newest first: on its first page, the first row is the latest run.
  const latestRunId = page === 1 ? runs.data?.results[0]?.id : undefined;
  return (
    <div data-testid="runs-page">
      <Card size="small" style={{ marginBottom: 16 }}>
        <Form layout="inline" onFinish={() => void onStart()}>
          <Form.Item label={t('runs.cutoff')} tooltip={t('runs.cutoffHint')}>
            <span data-testid="run-cutoff">
              <DatePicker
                value={cutoff}
                onChange={(value) => setCutoff(value)}
                allowClear={false}
                disabledDate={(d) => d.isAfter(nowPicker(), 'day')}
              />
            </span>
          </Form.Item>
          <Form.Item>
            <Button
              type="primary"
              htmlType="submit"
              icon={<PlayCircleOutlined />}
              loading={start.isPending}
              disabled={!cutoff}
              data-testid="run-start"
            >
              {t('runs.start')}
            </Button>
          </Form.Item>
        </Form>
        {startError && (
          <Alert
            type="error"
            showIcon
            title={startError}
            style={{ marginTop: 12 }}
            data-testid="run-start-error"
          />
        )}
      </Card>
      {runs.isError && <Alert type="error" showIcon title={errorMessage(runs.error)} />}
      <Table<Run>
        rowKey="id"
        size="middle"
        data-testid="runs-table"
        loading={runs.isPending}
        dataSource={runs.data?.results ?? []}
        scroll={{ x: 1100 }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: runs.data?.count ?? 0,
          showSizeChanger: false,
          showTotal: (count) => t('common.total', { count }),
          onChange: setPage,
        }}
        onRow={(run) =>
          ({ 'data-testid': `run-row-${run.id}` }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          { title: t('runs.id'), dataIndex: 'id', width: 80, render: (id: number) => `#${id}` },
          { title: t('runs.cutoff'), dataIndex: 'cutoff', width: 110 },
          {
            title: t('common.state'),
            dataIndex: 'state',
            width: 100,
            render: (state: string) => <StateTag group="runState" state={state} />,
          },
          {
            title: t('runs.progress'),
            key: 'progress',
            width: 240,
            render: (_: unknown, run: Run) => {
              const interrupted = isInterrupted(run, now);
              return (
                <div data-testid={`run-progress-${run.id}`} data-state={run.state}>
                  <Progress
                    percent={run.progress}
                    size="small"
                    status={progressStatus(run.state, interrupted)}
                  />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('runs.linesDone', {
                      done: formatCount(run.lines_done),
                      total: run.lines_total == null ? '?' : formatCount(run.lines_total),
                    })}
                  </Typography.Text>
                  {interrupted && (
                    <div>
                      <Typography.Text type="warning" style={{ fontSize: 12 }}>
                        {t('runs.interrupted')}
                      </Typography.Text>
                    </div>
                  )}
                </div>
              );
            },
          },
          {
            title: t('runs.settled'),
            dataIndex: 'lines_settled',
            align: 'right',
            render: (n: number) => formatCount(n),
          },
          {
            title: t('runs.clawedBack'),
            dataIndex: 'lines_clawed_back',
            align: 'right',
            render: (n: number) => formatCount(n),
          },
          {
            title: t('runs.problem'),
            dataIndex: 'lines_problem',
            align: 'right',
            render: (n: number) =>
              n > 0 ? <Typography.Text type="danger">{formatCount(n)}</Typography.Text> : '0',
          },
          {
            title: t('runs.statements'),
            dataIndex: 'statements',
            align: 'right',
            render: (n: number, run: Run) =>
              n > 0 ? (
                <Link
                  to={`/settlement/statements?run=${run.id}`}
                  data-testid={`run-statements-${run.id}`}
                >
                  {formatCount(n)}
                </Link>
              ) : (
                '0'
              ),
          },
          {
            title: t('runs.error'),
            dataIndex: 'error',
            ellipsis: true,
            render: (error: string | null | undefined) =>
              error ? (
                <Tooltip title={error}>
                  <Typography.Text type="danger" data-testid="run-error">
                    {error}
                  </Typography.Text>
                </Tooltip>
              ) : (
                '—'
              ),
          },
          {
            title: t('runs.requestedBy'),
            dataIndex: 'requested_by_name',
            width: 110,
            ellipsis: true,
            render: (name: string | null | undefined) => name || '—',
          },
          {
            title: t('runs.finishedAt'),
            dataIndex: 'finished_at',
            width: 140,
            render: (value: string | null | undefined) => formatDateTime(value),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right',
            width: 190,
            render: (_: unknown, run: Run) => (
              <Space size="small" wrap>
                {canResume(run, latestRunId, now) && (
                  <Button
                    size="small"
                    icon={<RedoOutlined />}
                    onClick={() => void onResume(run.id)}
                    data-testid={`run-resume-${run.id}`}
                  >
                    {t('runs.resume')}
                  </Button>
                )}
                {run.state === 'done' && (
                  <DownloadLinks
                    testId={`run-export-${run.id}`}
                    links={[
                      { key: 'csv', label: t('runs.exportCsv'), href: runExportUrl(run.id, 'csv') },
                      {
                        key: 'xlsx',
                        label: t('runs.exportXlsx'),
                        href: runExportUrl(run.id, 'xlsx'),
                      },
                    ]}
                  />
                )}
              </Space>
            ),
          },
        ]}
      />
      <ProblemLines />
      <PhasesLookup />
    </div>
  );
}

/** 分期结算: open a line's phases by its id (a pre-sale line is in no list before it settles). */
function PhasesLookup() {
  const { t } = useSettlementT();
  const [text, setText] = useState('');
  const [lineId, setLineId] = useState<number | null>(null);
  const id = /^\d+$/.test(text.trim()) ? Number(text.trim()) : null;
  return (
    <Card size="small" title={t('phases.lookupTitle')} style={{ marginTop: 16 }}>
      <Space wrap>
        <Input
          style={{ width: 180 }}
          inputMode="numeric"
          placeholder={t('phases.lineId')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onPressEnter={() => id !== null && setLineId(id)}
          data-testid="phases-line-id"
        />
        <Button disabled={id === null} onClick={() => setLineId(id)} data-testid="phases-open">
          {t('phases.open')}
        </Button>
        <Typography.Text type="secondary">{t('phases.lookupHint')}</Typography.Text>
      </Space>
      <LinePhasesDrawer lineId={lineId} onClose={() => setLineId(null)} />
    </Card>
  );
}

/** Lines no run can split until someone fixes their data; shown so that finance sees them. */
function ProblemLines() {
  const { t, language } = useSettlementT();
  const [page, setPage] = useState(1);
  const lines = useProblemLines(page);
  if (!lines.data || lines.data.count === 0) return null;
  return (
    <Card
      size="small"
      title={t('runs.problemLines')}
      extra={
        <ExportLinks
          testId="problem-lines-export"
          labels={{ csv: t('common.exportCsv'), xlsx: t('common.exportXlsx') }}
          hrefFor={(fmt) => problemLinesExportUrl(fmt)}
        />
      }
      style={{ marginTop: 16 }}
    >
      <Table<ProblemLine>
        rowKey="id"
        size="small"
        data-testid="problem-lines"
        dataSource={lines.data.results}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: lines.data.count,
          showSizeChanger: false,
          showTotal: (count) => t('common.total', { count }),
          onChange: setPage,
        }}
        columns={[
          { title: t('runs.problemLine'), dataIndex: 'id' },
          {
            title: t('imports.platform'),
            dataIndex: 'platform',
            render: (platform: string) => enumText(t, 'platform', platform),
          },
          {
            title: t('runs.orderId'),
            dataIndex: 'order_id',
            render: (v?: string | null) => v || '—',
          },
          {
            title: t('runs.basis'),
            dataIndex: 'basis',
            align: 'right',
            render: (value) => <MoneyText value={value} />,
          },
          {
            title: t('runs.problemReason'),
            dataIndex: 'problem',
            render: (problem: string) => inLanguage(problem, language),
          },
          {
            title: t('runs.frozenAt'),
            dataIndex: 'frozen_at',
            render: (value?: string | null) => formatDateTime(value),
          },
        ]}
      />
    </Card>
  );
}
