import { Tabs, Typography } from 'antd';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useMe } from '@/api/session';
import { CountsPage } from './CountsPage';
import { useSupplyT, type SupplyKey } from './i18n';
import { PurchaseOrdersPage } from './PurchaseOrdersPage';
import { ReceiptsPage } from './ReceiptsPage';
import { ReportPage } from './ReportPage';
import { ReturnsPage } from './ReturnsPage';
import { ShipmentsPage } from './ShipmentsPage';
import { StockPage } from './StockPage';
import { TransfersPage } from './TransfersPage';
import { NotAllowed } from './ui';

interface Tab {
  path: string;
  label: SupplyKey;
  element: React.ReactNode;
  /** Open to brand users (read-only, their own goods); the rest is the operator's. */
  brand?: boolean;
}

const TABS: Tab[] = [
  {
    path: 'purchase-orders',
    label: 'tabs.purchaseOrders',
    element: <PurchaseOrdersPage />,
    brand: true,
  },
  { path: 'receipts', label: 'tabs.receipts', element: <ReceiptsPage /> },
  { path: 'stock', label: 'tabs.stock', element: <StockPage />, brand: true },
  { path: 'counts', label: 'tabs.counts', element: <CountsPage /> },
  { path: 'shipments', label: 'tabs.shipments', element: <ShipmentsPage /> },
  { path: 'transfers', label: 'tabs.transfers', element: <TransfersPage /> },
  { path: 'returns', label: 'tabs.returns', element: <ReturnsPage /> },
  { path: 'report', label: 'tabs.report', element: <ReportPage />, brand: true },
];

/** 进销存: one page with a tab per register; each tab is its own route under /supply/. */
export function SupplyPage() {
  const { t } = useSupplyT();
  const { data: me } = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const isOperator = me?.organization?.kind === 'operator';
  const tabs = TABS.filter((tab) => isOperator || tab.brand);
  const active = location.pathname.split('/')[2] ?? '';
  const home = isOperator ? 'purchase-orders' : 'stock';

  return (
    <div data-testid="supply-page">
      <Typography.Title level={2} style={{ marginTop: 0 }} data-testid="page-title">
        {t('title')}
      </Typography.Title>
      <Tabs
        activeKey={active}
        onChange={(key) => navigate(`/supply/${key}`)}
        items={tabs.map((tab) => ({ key: tab.path, label: t(tab.label) }))}
        data-testid="supply-tabs"
      />
      <Routes>
        <Route index element={<Navigate to={home} replace />} />
        {TABS.map((tab) => (
          <Route
            key={tab.path}
            path={tab.path}
            element={isOperator || tab.brand ? tab.element : <NotAllowed />}
          />
        ))}
        <Route path="*" element={<Navigate to={home} replace />} />
      </Routes>
    </div>
  );
}
