import {
  Button,
  Descriptions,
  Drawer,
  Image,
  Result,
  Skeleton,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { formatCount } from '@/lib/format';
import { formatBps, formatMoney } from '@/lib/money';
import { formatDate } from '@/lib/time';
import { useMe } from '@/api/session';
import { useSelectionProduct } from './api';
import { labelOf, useSelectionT } from './i18n';
import type { PublicProduct, SearchRow } from './models';
import { PickPanel } from './PickPanel';

type PublicSku = PublicProduct['skus'][number];

/** A selection-center product: description, origin, images and every SKU's prices (no supply price). */
export function ProductDrawer({
  skuId,
  row,
  onClose,
}: {
  skuId: number | null;
  /** The search row that was clicked, when it is on the page (its commission and earnings). */
  row: SearchRow | undefined;
  onClose: () => void;
}) {
  const { t } = useSelectionT();
  const query = useSelectionProduct(skuId);
  const product = query.data;
  const { data: me } = useMe();
  // Anchors and their MCN pick products: they see their own rate, why, and can add the pick.
  const anchorSide = me?.organization?.kind === 'mcn';
  return (
    <Drawer
      open={skuId !== null}
      onClose={onClose}
      size={640}
      title={product?.name ?? t('detail.title')}
      destroyOnHidden
      data-testid="product-drawer"
    >
      {query.isPending && <Skeleton active />}
      {query.isError && (
        <Result
          status="error"
          title={t('results.failed')}
          extra={<Button onClick={() => void query.refetch()}>{t('results.retry')}</Button>}
        />
      )}
      {product && (
        <Space
          orientation="vertical"
          size="middle"
          style={{ width: '100%' }}
          data-testid="product-detail"
        >
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="detail-name">
            {product.name}
          </Typography.Title>
          {row && (
            <Space size="large" wrap>
              <Statistic title={t('row.retailPrice')} value={formatMoney(row.retail_price)} />
              <Statistic title={t('row.commission')} value={formatBps(row.commission_bps)} />
              <Statistic title={t('row.earnings')} value={formatMoney(row.estimated_earnings)} />
              <Statistic title={t('row.sales30d')} value={formatCount(row.sales_30d)} />
              <Tag color={row.plan_type === 'open' ? 'default' : 'purple'}>
                {labelOf(t, 'planType', row.plan_type)}
              </Tag>
            </Space>
          )}
          {anchorSide && skuId !== null && <PickPanel sku={skuId} />}
          {product.images.length > 0 && (
            <Image.PreviewGroup>
              <Space wrap>
                {product.images.map((image) => (
                  <Image
                    key={image.id}
                    src={image.url}
                    width={96}
                    height={96}
                    style={{ objectFit: 'cover' }}
                  />
                ))}
              </Space>
            </Image.PreviewGroup>
          )}
          <Descriptions size="small" column={{ xs: 1, sm: 2 }} bordered>
            <Descriptions.Item label={t('detail.brand')} span={2}>
              {product.brand.name}
            </Descriptions.Item>
            <Descriptions.Item label={t('detail.category')}>
              {product.category.name}
            </Descriptions.Item>
            <Descriptions.Item label={t('detail.origin')}>
              <span data-testid="detail-origin">
                {[product.origin_city, product.origin_county].filter(Boolean).join(' ')}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('detail.gi')}>
              {product.is_geographic_indication ? (
                <Tag color="gold">{t('row.gi')}</Tag>
              ) : (
                t('detail.no')
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('detail.shelfLife')}>
              {product.shelf_life_days ? t('detail.days', { count: product.shelf_life_days }) : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('detail.shipFrom')}>
              {product.ship_from || '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('detail.listedAt')}>
              {formatDate(product.first_approved_at)}
            </Descriptions.Item>
            <Descriptions.Item label={t('detail.sellingPoints')} span={2}>
              {(product.selling_points ?? []).length > 0
                ? (product.selling_points ?? []).map((point) => (
                    <Tag key={point} color="red">
                      {point}
                    </Tag>
                  ))
                : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('detail.description')} span={2}>
              {product.description || '—'}
            </Descriptions.Item>
          </Descriptions>
          <div>
            <Typography.Text strong>{t('detail.skus')}</Typography.Text>
            <Table<PublicSku>
              data-testid="detail-skus"
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={product.skus}
              rowClassName={(sku) => (sku.id === skuId ? 'ant-table-row-selected' : '')}
              columns={[
                {
                  title: t('detail.spec'),
                  dataIndex: 'spec',
                  render: (spec: string, sku) => (
                    <Space size={4}>
                      {spec}
                      {sku.id === skuId && <Tag color="blue">{t('detail.selected')}</Tag>}
                    </Space>
                  ),
                },
                { title: t('detail.code'), dataIndex: 'code' },
                {
                  title: t('detail.retailPrice'),
                  key: 'retail',
                  align: 'right',
                  render: (_: unknown, sku) => formatMoney(sku.retail_price),
                },
                {
                  title: t('detail.minLivePrice'),
                  key: 'min',
                  align: 'right',
                  render: (_: unknown, sku) => formatMoney(sku.min_live_price),
                },
                {
                  title: t('detail.maxLivePrice'),
                  key: 'max',
                  align: 'right',
                  render: (_: unknown, sku) => formatMoney(sku.max_live_price),
                },
              ]}
            />
          </div>
        </Space>
      )}
    </Drawer>
  );
}
