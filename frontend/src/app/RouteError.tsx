import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { isRouteErrorResponse, useRouteError } from 'react-router-dom';

/** Shown instead of a blank page when a route throws while rendering. */
export function RouteError() {
  const { t } = useTranslation();
  const error = useRouteError();
  const detail = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : String(error);
  return (
    <div data-testid="route-error">
      <Result
        status="error"
        title={t('app.loadFailed')}
        subTitle={detail}
        extra={<Button onClick={() => window.location.assign('/')}>{t('app.retry')}</Button>}
      />
    </div>
  );
}
