import { CheckOutlined, CloseOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Modal,
  Popconfirm,
  Segmented,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useMe } from '@/api/session';
import { formatMoney } from '@/lib/money';
import { formatDateTime } from '@/lib/time';
import { canReview, errorText, PAGE_SIZE, useApprove, useReject, useReviews } from './api';
import { enumText, useCatalogT, type CatalogT } from './i18n';
import type { Product, ProductStatus, Sku } from './models';
import { StatusTag } from './ui';

const QUEUE_STATUSES: ProductStatus[] = ['submitted', 'approved', 'rejected'];

/** The operator's certification queue: submitted products oldest first; reviewers approve or reject. */
export function ReviewsPage() {
  const { t } = useCatalogT();
  const { message } = App.useApp();
  const { data: me } = useMe();
  const reviewer = canReview(me);
  const [status, setStatus] = useState<ProductStatus>('submitted');
  const [page, setPage] = useState(1);
  const [rejecting, setRejecting] = useState<Product | null>(null);
  const query = useReviews(page, status);
  const approve = useApprove();

  const onApprove = async (product: Product) => {
    try {
      await approve.mutateAsync(product.id);
      message.success(t('review.approved'));
    } catch (error) {
      message.error(errorText(t, error));
    }
  };

  return (
    <Card size="small" data-testid="reviews-page">
      {!reviewer && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('review.readOnly')} />
      )}
      <Segmented
        data-testid="review-status"
        style={{ marginBottom: 16 }}
        value={status}
        onChange={(value) => {
          setStatus(value as ProductStatus);
          setPage(1);
        }}
        options={QUEUE_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
      />
      <Table<Product>
        data-testid="reviews-table"
        rowKey="id"
        size="middle"
        loading={query.isFetching}
        dataSource={query.data?.results ?? []}
        locale={{ emptyText: t('review.empty') }}
        expandable={{ expandedRowRender: (product) => <ProductDetails t={t} product={product} /> }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: query.data?.count ?? 0,
          showSizeChanger: false,
          showTotal: (count) => t('common.total', { count }),
          onChange: setPage,
        }}
        columns={[
          { title: t('product.name'), dataIndex: 'name', width: 280 },
          {
            title: t('review.brand'),
            key: 'brand',
            render: (_: unknown, product) => product.brand.name,
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
            width: 170,
            render: (_: unknown, product) => (
              <Space size={4}>
                {[product.origin_city, product.origin_county].filter(Boolean).join(' ')}
                {product.is_geographic_indication && <Tag color="gold">GI</Tag>}
              </Space>
            ),
          },
          {
            title: t('product.status'),
            dataIndex: 'status',
            width: 100,
            render: (value: string) => <StatusTag t={t} status={value} />,
          },
          {
            title: t('review.submittedAt'),
            dataIndex: 'updated_at',
            width: 150,
            render: (value: string | null | undefined) => formatDateTime(value),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 200,
            render: (_: unknown, product) =>
              reviewer && product.status === 'submitted' ? (
                <Space>
                  <Popconfirm
                    title={t('review.approveConfirm', { name: product.name })}
                    onConfirm={() => onApprove(product)}
                    okButtonProps={{ 'data-testid': 'approve-confirm' }}
                  >
                    <Button
                      type="primary"
                      size="small"
                      icon={<CheckOutlined />}
                      data-testid={`approve-${product.id}`}
                    >
                      {t('review.approve')}
                    </Button>
                  </Popconfirm>
                  <Button
                    danger
                    size="small"
                    icon={<CloseOutlined />}
                    onClick={() => setRejecting(product)}
                    data-testid={`reject-${product.id}`}
                  >
                    {t('review.reject')}
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />
      <RejectModal product={rejecting} onClose={() => setRejecting(null)} />
    </Card>
  );
}

function RejectModal({ product, onClose }: { product: Product | null; onClose: () => void }) {
  const { t } = useCatalogT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const reject = useReject();
  const onOk = async () => {
    if (!product) return;
    const { reason } = await form.validateFields();
    try {
      await reject.mutateAsync({ id: product.id, reason: reason.trim() });
      message.success(t('review.rejected'));
      form.resetFields();
      onClose();
    } catch (error) {
      message.error(errorText(t, error));
    }
  };
  return (
    <Modal
      open={product !== null}
      title={product ? t('review.rejectTitle', { name: product.name }) : ''}
      okText={t('review.reject')}
      okButtonProps={{ danger: true, loading: reject.isPending, 'data-testid': 'reject-confirm' }}
      cancelText={t('common.cancel')}
      onOk={() => void onOk()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="reason"
          label={t('review.reason')}
          rules={[
            { required: true, whitespace: true, message: t('review.reasonRequired') },
            { max: 500, message: t('review.reasonTooLong') },
          ]}
        >
          <Input.TextArea rows={4} maxLength={500} showCount data-testid="reject-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ProductDetails({ t, product }: { t: CatalogT; product: Product }) {
  return (
    <Space
      orientation="vertical"
      style={{ width: '100%' }}
      data-testid={`review-details-${product.id}`}
    >
      <Descriptions size="small" column={3} bordered>
        <Descriptions.Item label={t('product.gi')}>
          {product.is_geographic_indication ? t('common.yes') : t('common.no')}
        </Descriptions.Item>
        <Descriptions.Item label={t('product.shelfLife')}>
          {product.shelf_life_days ?? '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('product.shipFrom')}>
          {product.ship_from || '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('product.sellingPoints')} span={3}>
          {(product.selling_points ?? []).map((point) => (
            <Tag key={point}>{point}</Tag>
          ))}
        </Descriptions.Item>
        <Descriptions.Item label={t('product.description')} span={3}>
          {product.description || '—'}
        </Descriptions.Item>
        {product.rejection_reason && (
          <Descriptions.Item label={t('product.rejectionReason')} span={3}>
            <Typography.Text type="danger">{product.rejection_reason}</Typography.Text>
          </Descriptions.Item>
        )}
      </Descriptions>
      <Table<Sku>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={product.skus}
        columns={[
          { title: t('sku.code'), dataIndex: 'code' },
          { title: t('sku.spec'), dataIndex: 'spec' },
          ...(['supply_price', 'retail_price', 'min_live_price', 'max_live_price'] as const).map(
            (field) => ({
              title: t(
                field === 'supply_price'
                  ? 'sku.supplyPrice'
                  : field === 'retail_price'
                    ? 'sku.retailPrice'
                    : field === 'min_live_price'
                      ? 'sku.minLivePrice'
                      : 'sku.maxLivePrice',
              ),
              key: field,
              align: 'right' as const,
              render: (_: unknown, sku: Sku) => formatMoney(sku[field]),
            }),
          ),
        ]}
      />
      {product.images.length > 0 && (
        <Space wrap>
          {product.images.map((image) => (
            <img
              key={image.id}
              src={image.url}
              alt=""
              style={{ width: 72, height: 72, objectFit: 'cover' }}
            />
          ))}
        </Space>
      )}
      {product.decisions && product.decisions.length > 0 && (
        <div>
          <Typography.Text strong>{t('review.history')}</Typography.Text>
          <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
            {product.decisions.map((decision) => (
              <li key={decision.id}>
                {formatDateTime(decision.at)} · {enumText(t, 'action', decision.action)}
                {decision.reason ? ` · ${decision.reason}` : ''}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Space>
  );
}
