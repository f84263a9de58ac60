import { Card, DatePicker, Space, Table, Tag, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { dayjs } from '@/lib/time';
import { PAGE_SIZE, useAccounts } from './api';
import { ACCOUNT_TYPES, accountOwnerText, accountTypeText, useLedgerT } from './i18n';
import type { Account } from './models';
import { AccountName, MoneyText } from './ui';

/** Chart of accounts with each balance as of a date; the filters live in the URL. */
export function AccountsPage() {
  const { t } = useLedgerT();
  const [params, setParams] = useSearchParams();
  const asOf = params.get('as_of') || undefined;
  const type = params.get('type') || undefined;
  const page = Number(params.get('page') || '1') || 1;
  const query = useAccounts(page, asOf, type);

  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next);
  };

  return (
    <Card size="small" data-testid="accounts-page">
      <Space style={{ marginBottom: 12 }}>
        <Typography.Text>{t('common.asOf')}</Typography.Text>
        <DatePicker
          value={asOf ? dayjs(asOf) : null}
          placeholder={t('common.asOfHint')}
          style={{ width: 220 }}
          onChange={(value) =>
            update({ as_of: value ? value.format('YYYY-MM-DD') : undefined, page: undefined })
          }
          data-testid="accounts-as-of"
        />
      </Space>
      <Table<Account>
        data-testid="accounts-table"
        rowKey="id"
        size="middle"
        loading={query.isFetching}
        dataSource={query.data?.results ?? []}
        onChange={(_p, filters) => {
          const next = (filters.type?.[0] as string | undefined) ?? undefined;
          if (next !== type) update({ type: next, page: undefined });
        }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: query.data?.count ?? 0,
          showSizeChanger: false,
          showTotal: (count) => t('common.total', { count }),
          onChange: (p) => update({ page: p > 1 ? String(p) : undefined }),
        }}
        columns={[
          {
            title: t('entry.account'),
            dataIndex: 'code',
            render: (code: string, account) => (
              <AccountName
                account={account}
                id={account.id}
                code={code}
                testId={`account-link-${account.id}`}
              />
            ),
          },
          {
            title: t('common.type'),
            dataIndex: 'type',
            width: 140,
            filters: ACCOUNT_TYPES.map((value) => ({ text: accountTypeText(t, value), value })),
            filterMultiple: false,
            filteredValue: type ? [type] : null,
            render: (value: string) => <Tag>{accountTypeText(t, value)}</Tag>,
          },
          {
            title: t('common.owner'),
            key: 'owner',
            width: 240,
            render: (_, account) => accountOwnerText(account),
          },
          { title: t('common.currency'), dataIndex: 'currency', width: 80 },
          {
            title: t('common.balance'),
            key: 'balance',
            align: 'right',
            width: 160,
            render: (_, account) => (
              <MoneyText value={account.balance} testId={`account-balance-${account.id}`} />
            ),
          },
        ]}
      />
    </Card>
  );
}
