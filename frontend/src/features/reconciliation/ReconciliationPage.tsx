import { Tabs, Typography } from 'antd';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useMe } from '@/api/session';
import { BoardPage } from './BoardPage';
import { ClosePage } from './ClosePage';
import { ExceptionsPage } from './ExceptionsPage';
import { useReconT, type ReconKey } from './i18n';
import { ImportsPage } from './ImportsPage';
import { isPeriod, RECON_ROLES } from './logic';
import { NotAllowed } from './ui';

const TABS: { path: string; label: ReconKey; element: React.ReactNode }[] = [
  { path: 'board', label: 'tabs.board', element: <BoardPage /> },
  { path: 'imports', label: 'tabs.imports', element: <ImportsPage /> },
  { path: 'exceptions', label: 'tabs.exceptions', element: <ExceptionsPage /> },
  { path: 'close', label: 'tabs.close', element: <ClosePage /> },
];

/** 对账与关账 for the operator's finance staff and owners. */
export function ReconciliationPage() {
  const { t } = useReconT();
  const { data: me } = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const allowed =
    me?.organization?.kind === 'operator' && me.roles.some((r) => RECON_ROLES.includes(r));
  if (!allowed) return <NotAllowed />;
  const active = location.pathname.split('/')[2] ?? '';
  // The period travels between tabs; other filters belong to their tab.
  const period = new URLSearchParams(location.search).get('period');
  return (
    <div data-testid="reconciliation-page">
      <Typography.Title level={2} style={{ marginTop: 0 }} data-testid="page-title">
        {t('title')}
      </Typography.Title>
      <Tabs
        activeKey={active}
        onChange={(key) =>
          navigate(`/reconciliation/${key}${isPeriod(period) ? `?period=${period}` : ''}`)
        }
        items={TABS.map((tab) => ({ key: tab.path, label: t(tab.label) }))}
        data-testid="reconciliation-tabs"
      />
      <Routes>
        <Route index element={<Navigate to="board" replace />} />
        {TABS.map((tab) => (
          <Route key={tab.path} path={tab.path} element={tab.element} />
        ))}
        <Route path="*" element={<Navigate to="board" replace />} />
      </Routes>
    </div>
  );
}
