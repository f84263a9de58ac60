import { Button, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation } from 'react-router-dom';
import type { Home } from '@/api/models';
import { useMe } from '@/api/session';
import { HOME_PATHS } from './access';
import { useCurrentUser } from './currentUser';
import { Forbidden } from './Forbidden';

export function FullPageSpin() {
  const { t } = useTranslation();
  return (
    <div style={{ display: 'flex', justifyContent: 'center', padding: 96 }}>
      <Spin size="large" description={t('app.loading')} />
    </div>
  );
}

/** Renders its children only for a logged-in user; others go to /login. */
export function RequireAuth({ children }: { children?: ReactNode }) {
  const { t } = useTranslation();
  const location = useLocation();
  const me = useMe();
  if (me.isPending) return <FullPageSpin />;
  if (me.isError) {
    return (
      <Result
        status="error"
        title={t('app.loadFailed')}
        extra={<Button onClick={() => void me.refetch()}>{t('app.retry')}</Button>}
      />
    );
  }
  if (!me.data) {
    return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  }
  return children ?? <Outlet />;
}

/** A page for some homes only: everyone else sees 403 and the page is never mounted (no fetch). */
export function RequireHome({
  allowed,
  children,
}: {
  allowed: readonly Home[];
  children: ReactNode;
}) {
  const me = useCurrentUser();
  if (!allowed.includes(me.home)) return <Forbidden />;
  return children;
}

export function HomeRedirect() {
  const me = useCurrentUser();
  return <Navigate to={HOME_PATHS[me.home]} replace />;
}
