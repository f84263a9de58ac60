import { Select, Skeleton, Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useActingAnchors } from './api';
import { MySamplesTab } from './MySamplesTab';
import { PicksTab } from './PicksTab';
import { useSelectionT, type SelectionKey } from './i18n';
import { AnchorRecommendations } from './Recommendations';
import { SessionsView } from './SessionsView';

const TABS: { path: string; label: SelectionKey }[] = [
  { path: 'picks', label: 'tabs.picks' },
  { path: 'samples', label: 'tabs.mySamples' },
  { path: 'sessions', label: 'tabs.sessions' },
  { path: 'recommendations', label: 'tabs.recommendations' },
];

/**
 * 主播选品工作台 (/selection/anchor/*). An anchor's own login acts for itself; MCN staff choose one
 * of their anchors (or see all of them in the lists).
 */
export function AnchorDesk() {
  const { t } = useSelectionT();
  const location = useLocation();
  const navigate = useNavigate();
  const acting = useActingAnchors();
  const [chosen, setChosen] = useState<number | undefined>();
  const active = location.pathname.split('/')[3] ?? '';
  const anchor = acting.ownAnchor ?? chosen;
  // Recommendations are per anchor: without a choice, the first one the MCN manages.
  const recommendFor = anchor ?? acting.anchors[0]?.id ?? null;

  return (
    <div data-testid="anchor-desk">
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={2} style={{ marginTop: 0 }} data-testid="page-title">
          {t('wb.anchorTitle')}
        </Typography.Title>
        {acting.ownAnchor === null && acting.anchors.length > 0 && (
          <Space>
            <Typography.Text type="secondary">{t('wb.actingAs')}</Typography.Text>
            <Select
              allowClear
              placeholder={t('wb.allAnchors')}
              style={{ width: 220 }}
              value={chosen}
              onChange={setChosen}
              options={acting.anchors.map((a) => ({ value: a.id, label: a.name }))}
              data-testid="anchor-switch"
            />
          </Space>
        )}
      </Space>
      <Tabs
        activeKey={active}
        onChange={(key) => navigate(`/selection/anchor/${key}`)}
        items={TABS.map((tab) => ({ key: tab.path, label: t(tab.label) }))}
        data-testid="anchor-desk-tabs"
      />
      {acting.isPending ? (
        <Skeleton active />
      ) : (
        <Routes>
          <Route index element={<Navigate to="picks" replace />} />
          <Route path="picks" element={<PicksTab anchor={anchor} />} />
          <Route path="samples" element={<MySamplesTab anchor={anchor} />} />
          <Route
            path="sessions"
            element={<SessionsView mode="anchor" anchor={anchor} anchors={acting.anchors} />}
          />
          <Route path="recommendations" element={<AnchorRecommendations anchor={recommendFor} />} />
          <Route path="*" element={<Navigate to="picks" replace />} />
        </Routes>
      )}
    </div>
  );
}
