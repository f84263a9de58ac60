import { Tabs, Typography } from 'antd';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { useMe } from '@/api/session';
import { useCatalogT, type CatalogKey } from './i18n';
import { ImportPage } from './ImportPage';
import { ProductEditor } from './ProductEditor';
import { ProductsPage } from './ProductsPage';
import { ReviewsPage } from './ReviewsPage';

interface Tab {
  path: string;
  label: CatalogKey;
}

const BRAND_TABS: Tab[] = [
  { path: 'products', label: 'tabs.products' },
  { path: 'import', label: 'tabs.import' },
];
const OPERATOR_TABS: Tab[] = [{ path: 'reviews', label: 'tabs.reviews' }];

/**
 * 商品: a brand's products (list, editor, import) under /catalog/products and /catalog/import;
 * the operator's review queue under /catalog/reviews.
 */
export function CatalogPage() {
  const { t } = useCatalogT();
  const { data: me } = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const isOperator = me?.organization?.kind === 'operator';
  const tabs = isOperator ? OPERATOR_TABS : BRAND_TABS;
  const active = location.pathname.split('/')[2] ?? '';
  const home = tabs[0].path;

  return (
    <div data-testid="catalog-page">
      <Typography.Title level={2} style={{ marginTop: 0 }} data-testid="page-title">
        {isOperator ? t('reviewTitle') : t('title')}
      </Typography.Title>
      <Tabs
        activeKey={active}
        onChange={(key) => navigate(`/catalog/${key}`)}
        items={tabs.map((tab) => ({ key: tab.path, label: t(tab.label) }))}
      />
      <Routes>
        <Route index element={<Navigate to={home} replace />} />
        {isOperator ? (
          <Route path="reviews" element={<ReviewsPage />} />
        ) : (
          <>
            <Route path="products" element={<ProductsPage />} />
            <Route path="products/new" element={<ProductEditor />} />
            <Route path="products/:id" element={<ProductEditor />} />
            <Route path="import" element={<ImportPage />} />
          </>
        )}
        <Route path="*" element={<Navigate to={home} replace />} />
      </Routes>
    </div>
  );
}
