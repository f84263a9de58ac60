import type { RouteObject } from 'react-router-dom';
import { HOMES } from '@/api/models';
import { HOME_PATHS, PAGE_ACCESS } from './access';
import { lazyPage } from './lazyPage';

// Everything but the login form loads on demand: the signed-in frame (menu, header, guards) and the
// error pages (antd's Result carries large illustrations) are not needed to log in.
const RequireAuth = lazyPage(
  () => import('./guards'),
  (m) => m.RequireAuth,
);
const RequireHome = lazyPage(
  () => import('./guards'),
  (m) => m.RequireHome,
);
const HomeRedirect = lazyPage(
  () => import('./guards'),
  (m) => m.HomeRedirect,
);
const NotFound = lazyPage(
  () => import('./Forbidden'),
  (m) => m.NotFound,
);
const RouteError = lazyPage(
  () => import('./RouteError'),
  (m) => m.RouteError,
);
const AppLayout = lazyPage(
  () => import('./AppLayout'),
  (m) => m.AppLayout,
);
const InvitePage = lazyPage(
  () => import('@/features/auth/InvitePage'),
  (m) => m.InvitePage,
);
const LoginPage = lazyPage(
  () => import('@/features/auth/LoginPage'),
  (m) => m.LoginPage,
);
const HomePage = lazyPage(
  () => import('@/features/home/HomePage'),
  (m) => m.HomePage,
);
const CatalogPage = lazyPage(
  () => import('@/features/catalog/CatalogPage'),
  (m) => m.CatalogPage,
);
const AnchorsPage = lazyPage(
  () => import('@/features/parties/AnchorsPage'),
  (m) => m.AnchorsPage,
);
const LedgerPage = lazyPage(
  () => import('@/features/ledger/LedgerPage'),
  (m) => m.LedgerPage,
);
const OrganizationsPage = lazyPage(
  () => import('@/features/parties/OrganizationsPage'),
  (m) => m.OrganizationsPage,
);
const AnchorDesk = lazyPage(
  () => import('@/features/selection/AnchorDesk'),
  (m) => m.AnchorDesk,
);
const BrandDesk = lazyPage(
  () => import('@/features/selection/BrandDesk'),
  (m) => m.BrandDesk,
);
const SelectionPage = lazyPage(
  () => import('@/features/selection/SelectionPage'),
  (m) => m.SelectionPage,
);
const ReconciliationPage = lazyPage(
  () => import('@/features/reconciliation/ReconciliationPage'),
  (m) => m.ReconciliationPage,
);
const EarningsPage = lazyPage(
  () => import('@/features/settlement/EarningsPage'),
  (m) => m.EarningsPage,
);
const SettlementPage = lazyPage(
  () => import('@/features/settlement/SettlementPage'),
  (m) => m.SettlementPage,
);
const SupplyPage = lazyPage(
  () => import('@/features/supply/SupplyPage'),
  (m) => m.SupplyPage,
);

export const routes: RouteObject[] = [
  { path: '/login', element: <LoginPage />, errorElement: <RouteError /> },
  { path: '/invite/:token', element: <InvitePage />, errorElement: <RouteError /> },
  {
    path: '/',
    errorElement: <RouteError />,
    element: (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <HomeRedirect /> },
      ...HOMES.map((home) => ({
        path: HOME_PATHS[home],
        element: (
          <RequireHome allowed={[home]}>
            <HomePage key={home} home={home} />
          </RequireHome>
        ),
      })),
      {
        path: '/parties/organizations',
        element: (
          <RequireHome allowed={PAGE_ACCESS.organizations}>
            <OrganizationsPage />
          </RequireHome>
        ),
      },
      {
        path: '/parties/anchors',
        element: (
          <RequireHome allowed={PAGE_ACCESS.anchors}>
            <AnchorsPage />
          </RequireHome>
        ),
      },
      {
        path: '/supply/*',
        element: (
          <RequireHome allowed={PAGE_ACCESS.supply}>
            <SupplyPage />
          </RequireHome>
        ),
      },
      {
        path: '/ledger/*',
        element: (
          <RequireHome allowed={PAGE_ACCESS.ledger}>
            <LedgerPage />
          </RequireHome>
        ),
      },
      {
        path: '/catalog/*',
        element: (
          <RequireHome allowed={PAGE_ACCESS.catalog}>
            <CatalogPage />
          </RequireHome>
        ),
      },
      {
        path: '/selection',
        element: (
          <RequireHome allowed={PAGE_ACCESS.selection}>
            <SelectionPage />
          </RequireHome>
        ),
      },
      {
        path: '/selection/brand/*',
        element: (
          <RequireHome allowed={PAGE_ACCESS.selectionBrand}>
            <BrandDesk />
          </RequireHome>
        ),
      },
      {
        path: '/selection/anchor/*',
        element: (
          <RequireHome allowed={PAGE_ACCESS.selectionAnchor}>
            <AnchorDesk />
          </RequireHome>
        ),
      },
      {
        path: '/settlement/*',
        element: (
          <RequireHome allowed={PAGE_ACCESS.settlement}>
            <SettlementPage />
          </RequireHome>
        ),
      },
      {
        path: '/reconciliation/*',
        element: (
          <RequireHome allowed={PAGE_ACCESS.reconciliation}>
            <ReconciliationPage />
          </RequireHome>
        ),
      },
      {
        path: '/earnings',
        element: (
          <RequireHome allowed={PAGE_ACCESS.earnings}>
            <EarningsPage />
          </RequireHome>
        ),
      },
      { path: '*', element: <NotFound /> },
    ],
  },
];
