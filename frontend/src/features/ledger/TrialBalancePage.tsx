import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { Alert, Card, DatePicker, Space, Table, Tag, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { dayjs } from '@/lib/time';
import { useTrialBalance } from './api';
import { trialBalanceExportUrl } from './exportUrls';
import { accountTypeText, useLedgerT } from './i18n';
import type { TrialBalance } from './models';
import { balancedByCurrency, debitCredit } from './money';
import { AccountName, ExportLinks, MoneyText } from './ui';

type Line = TrialBalance['lines'][number];

/** 试算平衡: every account with a balance, and per currency whether debits equal credits. */
export function TrialBalancePage() {
  const { t } = useLedgerT();
  const [params, setParams] = useSearchParams();
  const asOf = params.get('as_of') || undefined;
  const query = useTrialBalance(asOf);
  const data = query.data;
  const checks = data ? balancedByCurrency(data.totals) : [];
  const allBalanced = data ? data.balanced && checks.every((c) => c.balanced) : true;

  return (
    <Card size="small" data-testid="trial-balance-page">
      <Space style={{ marginBottom: 12 }} wrap>
        <Typography.Text>{t('common.asOf')}</Typography.Text>
        <DatePicker
          value={asOf ? dayjs(asOf) : null}
          placeholder={t('common.asOfHint')}
          style={{ width: 220 }}
          onChange={(value) => setParams(value ? { as_of: value.format('YYYY-MM-DD') } : {})}
        />
        <ExportLinks
          testId="trial-balance-export"
          hrefFor={(fmt) => trialBalanceExportUrl(fmt, asOf)}
        />
      </Space>
      {data && (
        <>
          <Alert
            type={allBalanced ? 'success' : 'error'}
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="tb-status"
            title={allBalanced ? t('trialBalance.allBalanced') : t('trialBalance.someUnbalanced')}
          />
          <Table
            size="small"
            rowKey="currency"
            pagination={false}
            style={{ marginBottom: 16, maxWidth: 560 }}
            data-testid="tb-totals"
            dataSource={checks}
            columns={[
              { title: t('common.currency'), dataIndex: 'currency', width: 90 },
              {
                title: t('trialBalance.totals'),
                key: 'total',
                align: 'right',
                render: (_, c) => <MoneyText value={c.total} />,
              },
              {
                title: '',
                key: 'balanced',
                width: 140,
                render: (_, c) =>
                  c.balanced ? (
                    <Tag
                      color="success"
                      icon={<CheckCircleFilled />}
                      data-testid={`tb-balanced-${c.currency}`}
                    >
                      {t('trialBalance.balanced')}
                    </Tag>
                  ) : (
                    <Tag
                      color="error"
                      icon={<CloseCircleFilled />}
                      data-testid={`tb-unbalanced-${c.currency}`}
                    >
                      {t('trialBalance.unbalanced')}
                    </Tag>
                  ),
              },
            ]}
          />
        </>
      )}
      <Typography.Title level={5}>{t('trialBalance.lines')}</Typography.Title>
      <Table<Line>
        data-testid="tb-lines"
        rowKey="account_id"
        size="small"
        loading={query.isFetching}
        dataSource={data?.lines ?? []}
        pagination={false}
        columns={[
          {
            title: t('entry.account'),
            dataIndex: 'code',
            render: (code: string, line) => (
              <AccountName
                account={{ ...line, currency: line.balance.currency }}
                id={line.account_id}
                code={code}
                testId={`tb-account-${line.account_id}`}
              />
            ),
          },
          {
            title: t('common.type'),
            dataIndex: 'type',
            width: 140,
            render: (v: string) => <Tag>{accountTypeText(t, v)}</Tag>,
          },
          {
            title: t('common.currency'),
            key: 'currency',
            width: 80,
            render: (_, l) => l.balance.currency,
          },
          {
            title: t('common.debit'),
            key: 'debit',
            align: 'right',
            width: 150,
            render: (_, l) => <MoneyText value={debitCredit(l.balance).debit} />,
          },
          {
            title: t('common.credit'),
            key: 'credit',
            align: 'right',
            width: 150,
            render: (_, l) => <MoneyText value={debitCredit(l.balance).credit} />,
          },
        ]}
      />
    </Card>
  );
}
