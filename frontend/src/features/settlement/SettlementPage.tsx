import { Tabs, Typography } from 'antd';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useMe } from '@/api/session';
import { AdvancesPage } from './AdvancesPage';
import { ContractsPage } from './ContractsPage';
import { useSettlementT, type SettlementKey } from './i18n';
import { ImportsPage } from './ImportsPage';
import { PayeesPage } from './PayeesPage';
import { PayoutsPage } from './PayoutsPage';
import { RunsPage } from './RunsPage';
import { StatementsPage } from './StatementsPage';
import { NotAllowed } from './ui';
import { SETTLEMENT_ROLES } from './logic';

const TABS: { path: string; label: SettlementKey; element: React.ReactNode }[] = [
  { path: 'runs', label: 'tabs.runs', element: <RunsPage /> },
  { path: 'statements', label: 'tabs.statements', element: <StatementsPage /> },
  { path: 'payouts', label: 'tabs.payouts', element: <PayoutsPage /> },
  { path: 'advances', label: 'tabs.advances', element: <AdvancesPage /> },
  { path: 'payees', label: 'tabs.payees', element: <PayeesPage /> },
  { path: 'imports', label: 'tabs.imports', element: <ImportsPage /> },
  { path: 'contracts', label: 'tabs.contracts', element: <ContractsPage /> },
];

/** 结算 for the operator's finance staff and owners: runs, statements, payouts, advances, imports, contracts. */
export function SettlementPage() {
  const { t } = useSettlementT();
  const { data: me } = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const allowed =
    me?.organization?.kind === 'operator' && me.roles.some((r) => SETTLEMENT_ROLES.includes(r));
  if (!allowed) return <NotAllowed />;
  const active = location.pathname.split('/')[2] ?? '';
  return (
    <div data-testid="settlement-page">
      <Typography.Title level={2} style={{ marginTop: 0 }} data-testid="page-title">
        {t('title')}
      </Typography.Title>
      <Tabs
        activeKey={active}
        onChange={(key) => navigate(`/settlement/${key}`)}
        items={TABS.map((tab) => ({ key: tab.path, label: t(tab.label) }))}
        data-testid="settlement-tabs"
      />
      <Routes>
        <Route index element={<Navigate to="runs" replace />} />
        {TABS.map((tab) => (
          <Route key={tab.path} path={tab.path} element={tab.element} />
        ))}
        <Route path="*" element={<Navigate to="runs" replace />} />
      </Routes>
    </div>
  );
}
