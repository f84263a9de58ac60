import { ArrowLeftOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  DatePicker,
  Descriptions,
  Result,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { dayjs } from '@/lib/time';
import { PAGE_SIZE, useAccount, useAccountPostings } from './api';
import { accountExportUrl } from './exportUrls';
import {
  accountLabel,
  accountOwnerText,
  accountTypeText,
  sourceTypeText,
  useLedgerT,
} from './i18n';
import type { AccountPosting } from './models';
import { debitCredit } from './money';
import { ExportLinks, MoneyText } from './ui';

/** One account's postings in date order with the running balance after each (明细账). */
export function AccountLedgerPage() {
  const { t, language } = useLedgerT();
  const navigate = useNavigate();
  const id = Number(useParams().id);
  const [params, setParams] = useSearchParams();
  const dateFrom = params.get('date_from') || undefined;
  const dateTo = params.get('date_to') || undefined;
  const page = Number(params.get('page') || '1') || 1;
  const account = useAccount(id);
  const postings = useAccountPostings(id, page, dateFrom, dateTo);

  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next);
  };

  if (account.isError) {
    return <Result status="404" title={t('common.notFound')} />;
  }

  return (
    <Card
      size="small"
      data-testid="account-ledger-page"
      title={
        <Space>
          <Button
            icon={<ArrowLeftOutlined />}
            onClick={() => navigate(-1)}
            type="text"
            aria-label={t('common.back')}
          />
          {t('ledger.title')}
        </Space>
      }
    >
      {account.data && (
        <Descriptions
          size="small"
          column={3}
          style={{ marginBottom: 16 }}
          items={[
            {
              label: t('entry.account'),
              children: (
                <span data-testid="ledger-account-label">{accountLabel(t, account.data)}</span>
              ),
            },
            {
              label: t('common.code'),
              children: <Typography.Text code>{account.data.code}</Typography.Text>,
            },
            {
              label: t('common.type'),
              children: <Tag>{accountTypeText(t, account.data.type)}</Tag>,
            },
            {
              label: t('common.owner'),
              children: accountOwnerText(account.data),
            },
            { label: t('common.currency'), children: account.data.currency },
            {
              label: t('ledger.currentBalance'),
              children: <MoneyText value={account.data.balance} testId="ledger-account-balance" />,
            },
          ]}
        />
      )}
      <Space style={{ marginBottom: 12 }} wrap>
        <Typography.Text>{t('common.range')}</Typography.Text>
        <DatePicker.RangePicker
          allowEmpty={[true, true]}
          value={[dateFrom ? dayjs(dateFrom) : null, dateTo ? dayjs(dateTo) : null]}
          onChange={(value) =>
            update({
              date_from: value?.[0] ? value[0].format('YYYY-MM-DD') : undefined,
              date_to: value?.[1] ? value[1].format('YYYY-MM-DD') : undefined,
              page: undefined,
            })
          }
        />
        <ExportLinks
          testId="account-export"
          hrefFor={(fmt) => accountExportUrl(id, fmt, { dateFrom, dateTo })}
        />
      </Space>
      <Table<AccountPosting>
        data-testid="postings-table"
        rowKey={(p) => `${p.entry_id}-${p.line_no}`}
        size="middle"
        loading={postings.isFetching}
        dataSource={postings.data?.results ?? []}
        locale={{ emptyText: t('ledger.noPostings') }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: postings.data?.count ?? 0,
          showSizeChanger: false,
          showTotal: (count) => t('common.total', { count }),
          onChange: (p) => update({ page: p > 1 ? String(p) : undefined }),
        }}
        columns={[
          { title: t('common.date'), dataIndex: 'effective_date', width: 110 },
          {
            title: t('common.entry'),
            dataIndex: 'entry_id',
            width: 90,
            render: (entryId: number) => (
              <Link to={`/ledger/entries/${entryId}`} data-testid={`entry-link-${entryId}`}>
                JE{entryId}
              </Link>
            ),
          },
          {
            title: t('common.source'),
            key: 'source',
            width: 200,
            render: (_, p) => `${sourceTypeText(language, p.source_type)} #${p.source_id}`,
          },
          {
            title: t('common.memo'),
            dataIndex: 'memo',
            render: (v: string | null | undefined) => v || '—',
          },
          {
            title: t('common.debit'),
            key: 'debit',
            align: 'right',
            width: 140,
            render: (_, p) => <MoneyText value={debitCredit(p.amount).debit} />,
          },
          {
            title: t('common.credit'),
            key: 'credit',
            align: 'right',
            width: 140,
            render: (_, p) => <MoneyText value={debitCredit(p.amount).credit} />,
          },
          {
            title: t('common.runningBalance'),
            key: 'running',
            align: 'right',
            width: 150,
            render: (_, p) => <MoneyText value={p.running_balance} />,
          },
        ]}
      />
    </Card>
  );
}
