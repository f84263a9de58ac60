import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Result, Skeleton, Space, Table, Typography } from 'antd';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { formatDateTime } from '@/lib/time';
import { useEntry } from './api';
import { sourceTypeText, useLedgerT } from './i18n';
import type { JournalEntry } from './models';
import { debitCredit } from './money';
import { AccountName, MoneyText } from './ui';

type Posting = JournalEntry['postings'][number];

/** One journal entry: its source (what caused it), memo and postings. */
export function EntryPage() {
  const { t, language } = useLedgerT();
  const navigate = useNavigate();
  const id = Number(useParams().id);
  const entry = useEntry(id);

  if (entry.isError) return <Result status="404" title={t('common.notFound')} />;
  if (!entry.data) return <Skeleton active />;
  const data = entry.data;

  return (
    <Card
      size="small"
      data-testid="entry-page"
      title={
        <Space>
          <Button
            icon={<ArrowLeftOutlined />}
            onClick={() => navigate(-1)}
            type="text"
            aria-label={t('common.back')}
          />
          {t('entry.title', { id: `JE${data.id}` })}
        </Space>
      }
    >
      <Descriptions
        size="small"
        bordered
        column={2}
        style={{ marginBottom: 16 }}
        data-testid="entry-details"
        items={[
          { label: t('common.date'), children: data.effective_date },
          {
            label: t('entry.sourceType'),
            children: (
              <span data-testid="entry-source">
                {sourceTypeText(language, data.source_type)}{' '}
                <Typography.Text code>{data.source_type}</Typography.Text>
              </span>
            ),
          },
          {
            label: t('entry.sourceId'),
            children: <span data-testid="entry-source-id">{data.source_id}</span>,
          },
          {
            label: t('common.memo'),
            children: <span data-testid="entry-memo">{data.memo || '—'}</span>,
          },
          {
            label: t('entry.idempotencyKey'),
            children: <Typography.Text code>{data.idempotency_key}</Typography.Text>,
          },
          {
            label: t('entry.reverses'),
            children: data.reverses ? (
              <Link to={`/ledger/entries/${data.reverses}`}>JE{data.reverses}</Link>
            ) : (
              '—'
            ),
          },
          { label: t('entry.createdBy'), children: data.created_by ?? '—' },
          { label: t('entry.createdAt'), children: formatDateTime(data.created_at) },
        ]}
      />
      <Typography.Title level={5}>{t('entry.postings')}</Typography.Title>
      <Table<Posting>
        data-testid="entry-postings"
        size="small"
        rowKey="line_no"
        pagination={false}
        dataSource={data.postings}
        columns={[
          { title: t('entry.line'), dataIndex: 'line_no', width: 60 },
          {
            title: t('entry.account'),
            key: 'account',
            render: (_, p) => (
              <AccountName
                account={{ ...p, type: p.account_type, currency: p.amount.currency }}
                id={p.account_id}
                code={p.account_code}
                testId={`entry-account-${p.line_no}`}
              />
            ),
          },
          {
            title: t('common.debit'),
            key: 'debit',
            align: 'right',
            width: 150,
            render: (_, p) => <MoneyText value={debitCredit(p.amount).debit} />,
          },
          {
            title: t('common.credit'),
            key: 'credit',
            align: 'right',
            width: 150,
            render: (_, p) => <MoneyText value={debitCredit(p.amount).credit} />,
          },
        ]}
      />
    </Card>
  );
}
