import type { RouteObject } from 'react-router-dom';
import { HOMES } from '@/api/models';
import { InvitePage } from '@/features/auth/InvitePage';
import { LoginPage } from '@/features/auth/LoginPage';
import { HomePage } from '@/features/home/HomePage';
import { CatalogPage } from '@/features/catalog/CatalogPage';
import { AnchorsPage } from '@/features/parties/AnchorsPage';
import { LedgerPage } from '@/features/ledger/LedgerPage';
import { OrganizationsPage } from '@/features/parties/OrganizationsPage';
import { AnchorDesk } from '@/features/selection/AnchorDesk';
import { BrandDesk } from '@/features/selection/BrandDesk';
import { SelectionPage } from '@/features/selection/SelectionPage';
import { ReconciliationPage } from '@/features/reconciliation/ReconciliationPage';
import { EarningsPage } from '@/features/settlement/EarningsPage';
import { SettlementPage } from '@/features/settlement/SettlementPage';
import { SupplyPage } from '@/features/supply/SupplyPage';
import { HOME_PATHS, PAGE_ACCESS } from './access';
import { AppLayout } from './AppLayout';
import { NotFound } from './Forbidden';
import { HomeRedirect, RequireAuth, RequireHome } from './guards';
import { RouteError } from './RouteError';

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
