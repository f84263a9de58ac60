import { Spin } from 'antd';
import { lazy, Suspense, type ComponentType } from 'react';

/**
 * A route's page loaded on first visit, so the login route never downloads the desks' code.
 * `load` imports the feature module; `pick` names its page export.
 */
export function lazyPage<M, P extends object>(
  load: () => Promise<M>,
  pick: (module: M) => ComponentType<P>,
): ComponentType<P> {
  const Page = lazy(() => load().then((module) => ({ default: pick(module) })));
  function LazyPage(props: P) {
    return (
      <Suspense fallback={<Spin style={{ display: 'block', margin: '64px auto' }} />}>
        <Page {...props} />
      </Suspense>
    );
  }
  return LazyPage;
}
