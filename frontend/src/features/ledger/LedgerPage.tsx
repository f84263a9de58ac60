import { Tabs, Typography } from 'antd';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { AccountLedgerPage } from './AccountLedgerPage';
import { AccountsPage } from './AccountsPage';
import { EntryPage } from './EntryPage';
import { useLedgerT } from './i18n';
import { TrialBalancePage } from './TrialBalancePage';

/** 总账 for the operator's finance staff: accounts with balances, an account's ledger, entries,
 * and the trial balance. */
export function LedgerPage() {
  const { t } = useLedgerT();
  const location = useLocation();
  const navigate = useNavigate();
  const section = location.pathname.split('/')[2] ?? '';
  const active = section === 'trial-balance' ? 'trial-balance' : 'accounts';
  return (
    <div data-testid="ledger-page">
      <Typography.Title level={2} style={{ marginTop: 0 }} data-testid="page-title">
        {t('title')}
      </Typography.Title>
      <Tabs
        activeKey={active}
        onChange={(key) => navigate(`/ledger/${key}`)}
        items={[
          { key: 'accounts', label: t('tabs.accounts') },
          { key: 'trial-balance', label: t('tabs.trialBalance') },
        ]}
      />
      <Routes>
        <Route index element={<Navigate to="accounts" replace />} />
        <Route path="accounts" element={<AccountsPage />} />
        <Route path="accounts/:id" element={<AccountLedgerPage />} />
        <Route path="entries/:id" element={<EntryPage />} />
        <Route path="trial-balance" element={<TrialBalancePage />} />
        <Route path="*" element={<Navigate to="accounts" replace />} />
      </Routes>
    </div>
  );
}
