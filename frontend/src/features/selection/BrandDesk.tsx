import { Tabs, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { ApplicationsTab, SampleQueueTab } from './BrandQueues';
import { useSelectionT, type SelectionKey } from './i18n';
import { PlansTab } from './PlansTab';
import { RecommendedAnchorsTab } from './Recommendations';
import { RoiTab } from './RoiTab';
import { SampleRulesTab } from './SampleRulesTab';
import { SessionsView } from './SessionsView';

const TABS: { path: string; label: SelectionKey; element: ReactNode }[] = [
  { path: 'plans', label: 'tabs.plans', element: <PlansTab /> },
  { path: 'applications', label: 'tabs.applications', element: <ApplicationsTab /> },
  { path: 'samples', label: 'tabs.sampleQueue', element: <SampleQueueTab /> },
  { path: 'sample-rules', label: 'tabs.sampleRules', element: <SampleRulesTab /> },
  { path: 'roi', label: 'tabs.roi', element: <RoiTab /> },
  { path: 'sessions', label: 'tabs.sessions', element: <SessionsView mode="brand" /> },
  { path: 'anchors', label: 'tabs.recommendedAnchors', element: <RecommendedAnchorsTab /> },
];

/** 品牌选品工作台 (/selection/brand/*): a tab per daily task, each its own route. */
export function BrandDesk() {
  const { t } = useSelectionT();
  const location = useLocation();
  const navigate = useNavigate();
  const active = location.pathname.split('/')[3] ?? '';
  return (
    <div data-testid="brand-desk">
      <Typography.Title level={2} style={{ marginTop: 0 }} data-testid="page-title">
        {t('wb.brandTitle')}
      </Typography.Title>
      <Tabs
        activeKey={active}
        onChange={(key) => navigate(`/selection/brand/${key}`)}
        items={TABS.map((tab) => ({ key: tab.path, label: t(tab.label) }))}
        data-testid="brand-desk-tabs"
      />
      <Routes>
        <Route index element={<Navigate to="plans" replace />} />
        {TABS.map((tab) => (
          <Route key={tab.path} path={tab.path} element={tab.element} />
        ))}
        <Route path="*" element={<Navigate to="plans" replace />} />
      </Routes>
    </div>
  );
}
