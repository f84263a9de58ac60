import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Card, Popconfirm, Segmented, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useMe } from '@/api/session';
import { formatDateTime } from '@/lib/time';
import { canEditProducts, errorText, PAGE_SIZE, useProducts, useSubmitProduct } from './api';
import { useCatalogT } from './i18n';
import { PRODUCT_STATUSES, type Product, type ProductStatus } from './models';
import { StatusTag } from './ui';

function isStatus(value: string | null): value is ProductStatus {
  return (PRODUCT_STATUSES as readonly string[]).includes(value ?? '');
}

/** The brand's products with a status filter; edit, submit for review, see why one was rejected. */
export function ProductsPage() {
  const { t } = useCatalogT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { data: me } = useMe();
  const editable = canEditProducts(me);
  const [params, setParams] = useSearchParams();
  const raw = params.get('status');
  const status = isStatus(raw) ? raw : undefined;
  const [page, setPage] = useState(1);
  const query = useProducts(page, status);
  const submit = useSubmitProduct();

  const onSubmit = async (product: Product) => {
    try {
      await submit.mutateAsync(product.id);
      message.success(t('product.submitted'));
    } catch (error) {
      message.error(errorText(t, error));
    }
  };

  return (
    <Card size="small" data-testid="products-page">
      <Space style={{ marginBottom: 16, justifyContent: 'space-between', width: '100%' }} wrap>
        <Segmented
          data-testid="status-filter"
          value={status ?? 'all'}
          onChange={(value) => {
            setPage(1);
            setParams(value === 'all' ? {} : { status: String(value) });
          }}
          options={[
            { value: 'all', label: t('status.all') },
            ...PRODUCT_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) })),
          ]}
        />
        {editable && (
          <Space>
            <Link to="/catalog/import">
              <Button icon={<UploadOutlined />}>{t('tabs.import')}</Button>
            </Link>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => navigate('/catalog/products/new')}
              data-testid="new-product"
            >
              {t('product.new')}
            </Button>
          </Space>
        )}
      </Space>
      <Table<Product>
        data-testid="products-table"
        rowKey="id"
        size="middle"
        loading={query.isFetching}
        dataSource={query.data?.results ?? []}
        // Until the first answer there is nothing to say: the spinner shows, not "no products".
        locale={{ emptyText: query.isPending ? ' ' : t('product.empty') }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: query.data?.count ?? 0,
          showSizeChanger: false,
          showTotal: (count) => t('common.total', { count }),
          onChange: setPage,
        }}
        columns={[
          {
            title: t('product.name'),
            dataIndex: 'name',
            render: (name: string, product) => (
              <Link
                to={`/catalog/products/${product.id}`}
                data-testid={`product-link-${product.id}`}
              >
                {name}
              </Link>
            ),
          },
          {
            title: t('product.category'),
            key: 'category',
            width: 120,
            render: (_: unknown, product) => product.category.name,
          },
          {
            title: t('product.origin'),
            key: 'origin',
            width: 160,
            render: (_: unknown, product) =>
              [product.origin_city, product.origin_county].filter(Boolean).join(' '),
          },
          {
            title: t('product.skuCount'),
            key: 'skus',
            width: 80,
            align: 'right',
            render: (_: unknown, product) => product.skus.length,
          },
          {
            title: t('product.status'),
            dataIndex: 'status',
            width: 260,
            render: (value: string, product) => (
              <Space orientation="vertical" size={2}>
                <StatusTag t={t} status={value} />
                {value === 'rejected' && product.rejection_reason && (
                  <Typography.Text
                    type="danger"
                    style={{ fontSize: 12 }}
                    data-testid={`rejection-${product.id}`}
                  >
                    {t('product.rejectionReason')}：{product.rejection_reason}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: t('product.updatedAt'),
            dataIndex: 'updated_at',
            width: 160,
            render: (value: string | null | undefined) => (value ? formatDateTime(value) : '—'),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 170,
            render: (_: unknown, product) => (
              <Space>
                <Link to={`/catalog/products/${product.id}`}>
                  {editable ? t('common.edit') : t('common.view')}
                </Link>
                {editable && (product.status === 'draft' || product.status === 'rejected') && (
                  <Popconfirm
                    title={t('product.submitConfirm')}
                    onConfirm={() => onSubmit(product)}
                    okButtonProps={{ 'data-testid': 'submit-confirm' }}
                  >
                    <Button type="link" size="small" data-testid={`submit-${product.id}`}>
                      {t('product.submitForReview')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
