import {
  Alert,
  App,
  Button,
  Descriptions,
  Drawer,
  Input,
  Space,
  Spin,
  Table,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useConfirmMoney } from '@/lib/confirmMoney';
import { formatDateTime } from '@/lib/time';
import {
  errorMessage,
  PAGE_SIZE,
  useApproveStatements,
  useOpenAdvance,
  useStatement,
  useStatementLines,
} from './api';
import { enumText, payeeTypeText, useSettlementT } from './i18n';
import { LinePhasesDrawer } from './LinePhasesDrawer';
import { entryPath, inLanguage, sign, statementDownloadUrl } from './logic';
import type { Leg, StatementMovement } from './models';
import { DownloadLinks, MoneyText, StateTag } from './ui';

/** One statement: its balance, its legs by kind, and its lines with their ledger entries. */
export function StatementDrawer({
  id,
  onClose,
  canWrite,
  showEntries,
}: {
  id: number | null;
  onClose: () => void;
  /** Operator finance: approve, open an advance. */
  canWrite: boolean;
  /** Link each line to the ledger's journal entry (the ledger is finance's). */
  showEntries: boolean;
}) {
  const { t, language } = useSettlementT();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [reason, setReason] = useState('');
  const [phasesOf, setPhasesOf] = useState<number | null>(null);
  const statement = useStatement(id);
  const lines = useStatementLines(id, page);
  const approve = useApproveStatements();
  const openAdvance = useOpenAdvance();
  const confirmMoney = useConfirmMoney();
  const data = statement.data;

  const onApprove = async () => {
    if (!data) return;
    const confirmed = await confirmMoney({
      title: t('confirm.approveTitle'),
      action: `${data.payee_name} · ${t('confirm.approveAction')}`,
      count: 1,
      total: data.closing,
      testId: 'approve-confirm',
    });
    if (!confirmed) return;
    const outcome = await approve.mutateAsync([data.id]);
    if (outcome.failed.length > 0) message.error(outcome.failed[0].message);
    else message.success(t('statements.approved', { count: 1 }));
  };

  const onAdvance = async () => {
    if (!data || !reason.trim()) return;
    const negated = data.closing.amount.startsWith('-')
      ? data.closing.amount.slice(1)
      : `-${data.closing.amount}`;
    const confirmed = await confirmMoney({
      title: t('confirm.advanceTitle'),
      action: t('confirm.advanceAction', { payee: data.payee_name }),
      count: 1,
      total: { amount: negated, currency: data.closing.currency },
      testId: 'advance-confirm',
    });
    if (!confirmed) return;
    try {
      await openAdvance.mutateAsync({ statement: data.id, reason });
      setReason('');
      message.success(t('statements.advanceOpened'));
    } catch (error) {
      message.error(errorMessage(error));
    }
  };

  return (
    <Drawer
      open={id !== null}
      onClose={() => {
        setPage(1);
        onClose();
      }}
      size={900}
      title={id !== null ? t('statements.detail', { id }) : ''}
      destroyOnHidden
      data-testid="statement-drawer"
    >
      {statement.isPending && <Spin />}
      {statement.isError && <Alert type="error" showIcon title={errorMessage(statement.error)} />}
      {data && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Space wrap>
            <Typography.Text strong data-testid="statement-payee">
              {data.payee_name}
            </Typography.Text>
            <StateTag group="statementState" state={data.state} />
            <Typography.Text type="secondary" data-testid="statement-kind">
              {payeeTypeText(t, data)} · {t('statements.cutoff')} {data.cutoff}
            </Typography.Text>
          </Space>
          <Space wrap>
            {canWrite && data.state === 'draft' && (
              <Button
                type="primary"
                loading={approve.isPending}
                onClick={() => void onApprove()}
                data-testid="statement-approve"
              >
                {t('statements.approve')}
              </Button>
            )}
            <DownloadLinks
              testId="statement-download"
              links={(['pdf', 'csv', 'xlsx'] as const).map((fmt) => ({
                key: fmt,
                label: fmt.toUpperCase(),
                href: statementDownloadUrl(data.id, fmt),
              }))}
            />
          </Space>
          <Descriptions
            title={t('statements.balance')}
            bordered
            size="small"
            column={2}
            data-testid="statement-balance"
            items={[
              {
                key: 'opening',
                label: t('statements.opening'),
                children: <MoneyText value={data.opening} />,
              },
              {
                key: 'earnings',
                label: t('statements.earnings'),
                children: <MoneyText value={data.earnings} />,
              },
              {
                key: 'clawbacks',
                label: t('statements.clawbacks'),
                children: <MoneyText value={data.clawbacks} />,
              },
              {
                key: 'other',
                label: t('statements.other'),
                children: <MoneyText value={data.other} />,
              },
              {
                key: 'closing',
                label: t('statements.closing'),
                children: <MoneyText value={data.closing} strong testId="statement-closing" />,
              },
              {
                key: 'at_source',
                label: t('statements.atSource'),
                children: <MoneyText value={data.at_source} />,
              },
              ...(data.gross && sign(data.gross) !== 0
                ? [
                    {
                      key: 'gross',
                      label: t('statements.gross'),
                      children: <MoneyText value={data.gross} />,
                    },
                    {
                      key: 'fees',
                      label: t('statements.fees'),
                      children: <MoneyText value={data.fees} />,
                    },
                  ]
                : []),
              { key: 'lines', label: t('statements.lines'), children: data.lines },
              {
                key: 'approved_at',
                label: enumText(t, 'statementState', 'approved'),
                children: data.approved_by_name
                  ? `${formatDateTime(data.approved_at)} · ${data.approved_by_name}`
                  : formatDateTime(data.approved_at),
              },
            ]}
          />
          {data.movements.length > 0 && (
            <Table<StatementMovement>
              size="small"
              pagination={false}
              title={() => t('statements.movements')}
              data-testid="statement-movements"
              rowKey="entry_id"
              dataSource={data.movements}
              columns={[
                { title: t('statements.movementDate'), dataIndex: 'effective_date', width: 120 },
                {
                  title: t('statements.movementWhat'),
                  key: 'label',
                  render: (_, m) => (
                    <span data-testid={`movement-${m.entry_id}`}>
                      {inLanguage(m.label, language)}
                    </span>
                  ),
                },
                {
                  title: t('statements.movementAmount'),
                  dataIndex: 'amount',
                  align: 'right',
                  render: (amount) => <MoneyText value={amount} />,
                },
              ]}
            />
          )}
          {canWrite && sign(data.closing) < 0 && (
            <Alert
              type="warning"
              showIcon
              title={t('statements.negativeHint')}
              data-testid="statement-advance"
              description={
                <Space.Compact style={{ width: '100%', marginTop: 8 }}>
                  <Input
                    placeholder={t('statements.advanceReason')}
                    value={reason}
                    maxLength={300}
                    onChange={(e) => setReason(e.target.value)}
                    data-testid="advance-reason"
                  />
                  <Button
                    onClick={() => void onAdvance()}
                    disabled={!reason.trim()}
                    loading={openAdvance.isPending}
                    data-testid="advance-open"
                  >
                    {t('statements.openAdvance')}
                  </Button>
                </Space.Compact>
              }
            />
          )}
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('statements.byLeg')}
          </Typography.Title>
          <Table
            size="small"
            pagination={false}
            data-testid="statement-by-leg"
            rowKey={(row) => `${row.kind}-${row.settled_by}`}
            dataSource={data.by_leg}
            columns={[
              {
                title: t('statements.legKind'),
                dataIndex: 'kind',
                render: (kind: string) => enumText(t, 'legKind', kind),
              },
              {
                title: t('statements.settledBy'),
                dataIndex: 'settled_by',
                render: (by: string) => enumText(t, 'settledBy', by),
              },
              {
                title: t('statements.legTotal'),
                dataIndex: 'total',
                align: 'right',
                render: (total) => <MoneyText value={total} />,
              },
            ]}
          />
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('statements.legs')}
          </Typography.Title>
          <Table<Leg>
            size="small"
            rowKey="id"
            data-testid="statement-lines"
            loading={lines.isPending || lines.isFetching}
            dataSource={lines.data?.results ?? []}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: lines.data?.count ?? 0,
              showSizeChanger: false,
              showTotal: (count) => t('common.total', { count }),
              onChange: setPage,
            }}
            columns={[
              {
                title: t('statements.lineId'),
                dataIndex: 'line_id',
                render: (line: number, leg: Leg) =>
                  canWrite ? (
                    <Space size={4}>
                      {line}
                      <Button
                        type="link"
                        size="small"
                        onClick={() => setPhasesOf(line)}
                        data-testid={`leg-phases-${leg.id}`}
                      >
                        {t('statements.phases')}
                      </Button>
                    </Space>
                  ) : (
                    line
                  ),
              },
              {
                title: t('statements.orderId'),
                dataIndex: 'order_id',
                render: (v: string) => v || '—',
              },
              {
                title: t('statements.legKind'),
                dataIndex: 'kind',
                render: (kind: string) => enumText(t, 'legKind', kind),
              },
              {
                title: t('statements.settledBy'),
                dataIndex: 'settled_by',
                render: (by: string) => enumText(t, 'settledBy', by),
              },
              {
                title: t('common.amount'),
                dataIndex: 'amount',
                align: 'right',
                render: (amount) => <MoneyText value={amount} />,
              },
              {
                title: t('common.entry'),
                dataIndex: 'entry_id',
                render: (entry: number | null | undefined) =>
                  entry == null ? (
                    '—'
                  ) : showEntries ? (
                    <Link to={entryPath(entry)} data-testid={`leg-entry-${entry}`}>
                      #{entry}
                    </Link>
                  ) : (
                    `#${entry}`
                  ),
              },
            ]}
          />
        </Space>
      )}
      {canWrite && <LinePhasesDrawer lineId={phasesOf} onClose={() => setPhasesOf(null)} />}
    </Drawer>
  );
}
