import { ArrowLeftOutlined, DeleteOutlined, PlusOutlined, SendOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Cascader,
  Col,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Result,
  Row,
  Select,
  Skeleton,
  Space,
  Switch,
  Table,
  TreeSelect,
  Typography,
  Upload,
} from 'antd';
import type { FormInstance } from 'antd';
import type { UploadFile } from 'antd/es/upload/interface';
import { useMemo } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useMe } from '@/api/session';
import { formatDateTime } from '@/lib/time';
import {
  CatalogApiError,
  canEditProducts,
  errorText,
  useCategories,
  useCreateProduct,
  useProduct,
  useSaveProduct,
  useSubmitProduct,
  useUploadImage,
} from './api';
import { categoryTree, ORIGIN_OPTIONS } from './categories';
import {
  createPayload,
  duplicateCodes,
  emptyForm,
  emptySku,
  formFromProduct,
  patchPayload,
  PRICE_FIELDS,
  skuChanges,
  skuPriceProblems,
  type PriceField,
  type ProductFormValues,
} from './form';
import { enumText, useCatalogT, type CatalogKey, type CatalogT } from './i18n';
import type { Product } from './models';
import { StatusTag } from './ui';

const PRICE_LABELS: Record<PriceField, CatalogKey> = {
  supply_price: 'sku.supplyPrice',
  retail_price: 'sku.retailPrice',
  min_live_price: 'sku.minLivePrice',
  max_live_price: 'sku.maxLivePrice',
};

/** The price fields each price is compared with (so that both re-validate on a change). */
const PRICE_PARTNERS: Record<PriceField, PriceField> = {
  supply_price: 'retail_price',
  retail_price: 'supply_price',
  min_live_price: 'max_live_price',
  max_live_price: 'min_live_price',
};

/** Backend field names → the form's. */
function formField(name: string): (string | number)[] | null {
  if (
    ['name', 'category', 'selling_points', 'shelf_life_days', 'ship_from', 'description'].includes(
      name,
    )
  ) {
    return [name];
  }
  if (name === 'origin_city' || name === 'origin_county') return ['origin'];
  if (name === 'is_geographic_indication') return [name];
  return null;
}

function showApiErrors(form: FormInstance<ProductFormValues>, error: unknown) {
  if (!(error instanceof CatalogApiError)) return;
  const fields = Object.entries(error.fields)
    .map(([name, errors]) => ({ name: formField(name), errors }))
    .filter((f): f is { name: (string | number)[]; errors: string[] } => f.name !== null);
  if (fields.length > 0) form.setFields(fields as Parameters<typeof form.setFields>[0]);
}

export function ProductEditor() {
  const params = useParams();
  const id = params.id && /^\d+$/.test(params.id) ? Number(params.id) : null;
  const { t } = useCatalogT();
  const product = useProduct(id);
  if (id === null && params.id !== undefined) {
    return <Result status="404" title="404" />;
  }
  if (id !== null && product.isPending) return <Skeleton active />;
  if (id !== null && product.isError) {
    return (
      <Result
        status="error"
        title={errorText(t, product.error)}
        extra={<Link to="/catalog/products">{t('common.back')}</Link>}
      />
    );
  }
  const loaded = product.data ?? null;
  return <EditorForm key={loaded ? `${loaded.id}:${loaded.updated_at}` : 'new'} product={loaded} />;
}

function EditorForm({ product }: { product: Product | null }) {
  const { t } = useCatalogT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { data: me } = useMe();
  const editable = canEditProducts(me);
  const [form] = Form.useForm<ProductFormValues>();
  const categories = useCategories();
  const treeData = useMemo(() => categoryTree(categories.data ?? []), [categories.data]);
  const create = useCreateProduct();
  const save = useSaveProduct();
  const submit = useSubmitProduct();
  const initialValues = useMemo(
    () => (product ? formFromProduct(product) : emptyForm()),
    [product],
  );
  const busy = create.isPending || save.isPending || submit.isPending;

  /** Save the form; returns the saved product, or null when it did not validate or save. */
  const persist = async (): Promise<Product | null> => {
    let values: ProductFormValues;
    try {
      values = await form.validateFields();
    } catch {
      return null;
    }
    try {
      if (!product) {
        const created = await create.mutateAsync(createPayload(values));
        message.success(t('product.created'));
        return created;
      }
      const saved = await save.mutateAsync({
        id: product.id,
        patch: patchPayload(product, values),
        skus: skuChanges(product.skus, values.skus),
      });
      message.success(t('common.saved'));
      return saved;
    } catch (error) {
      showApiErrors(form, error);
      message.error(errorText(t, error));
      return null;
    }
  };

  const onSave = async () => {
    const saved = await persist();
    if (saved && !product) navigate(`/catalog/products/${saved.id}`, { replace: true });
  };

  const onSubmitForReview = async () => {
    const saved = await persist();
    if (!saved) return;
    try {
      await submit.mutateAsync(saved.id);
      message.success(t('product.submitted'));
      navigate(`/catalog/products/${saved.id}`, { replace: true });
    } catch (error) {
      message.error(errorText(t, error));
      if (!product) navigate(`/catalog/products/${saved.id}`, { replace: true });
    }
  };

  const canSubmit = !product || product.status === 'draft' || product.status === 'rejected';

  return (
    <div data-testid="product-editor">
      <Space style={{ marginBottom: 12 }}>
        <Link to="/catalog/products">
          <ArrowLeftOutlined /> {t('common.back')}
        </Link>
      </Space>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {product ? t('product.editTitle') : t('product.newTitle')}{' '}
        {product && <StatusTag t={t} status={product.status} />}
      </Typography.Title>
      {product?.status === 'rejected' && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('product.rejectedAlert')}
          description={
            <span data-testid="rejection-reason">
              {t('product.rejectionReason')}：{product.rejection_reason}
              <br />
              {t('product.rejectedHint')}
            </span>
          }
        />
      )}
      {product?.status === 'approved' && editable && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('product.approvedWarning')}
        />
      )}
      {product?.status === 'submitted' && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('product.submittedInfo')}
        />
      )}
      <Form<ProductFormValues>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        disabled={!editable}
        onFinish={() => void onSave()}
      >
        <Card size="small" style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item
                name="name"
                label={t('product.name')}
                rules={[
                  { required: true, whitespace: true, max: 120, message: t('product.required') },
                ]}
              >
                <Input maxLength={120} />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="category"
                label={t('product.category')}
                rules={[{ required: true, message: t('product.required') }]}
              >
                <TreeSelect
                  treeData={treeData}
                  loading={categories.isPending}
                  showSearch
                  treeNodeFilterProp="title"
                  treeDefaultExpandAll={false}
                  placeholder={t('product.category')}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="origin"
                label={t('product.origin')}
                tooltip={t('product.originHint')}
                rules={[{ required: true, message: t('product.required') }]}
              >
                <Cascader
                  options={ORIGIN_OPTIONS}
                  changeOnSelect
                  showSearch
                  placeholder={t('product.originHint')}
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="shelf_life_days" label={t('product.shelfLife')}>
                <InputNumber min={1} max={36500} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item
                name="is_geographic_indication"
                label={t('product.gi')}
                valuePropName="checked"
              >
                <Switch />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item
                name="selling_points"
                label={t('product.sellingPoints')}
                tooltip={t('product.sellingPointsHint')}
                rules={[
                  {
                    validator: async (_, value: string[] | undefined) => {
                      const points = value ?? [];
                      if (points.length > 8 || points.some((p) => p.length > 60)) {
                        throw new Error(t('product.sellingPointsHint'));
                      }
                    },
                  },
                ]}
              >
                <Select
                  mode="tags"
                  tokenSeparators={[';', '；', '|']}
                  open={false}
                  suffixIcon={null}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="ship_from" label={t('product.shipFrom')}>
                <Input maxLength={64} />
              </Form.Item>
            </Col>
            <Col span={24}>
              <Form.Item name="description" label={t('product.description')}>
                <Input.TextArea rows={3} />
              </Form.Item>
            </Col>
          </Row>
        </Card>
        <Card size="small" title={t('product.skus')} style={{ marginBottom: 16 }}>
          <SkuRows t={t} form={form} editable={editable} />
        </Card>
        <ImagesCard product={product} editable={editable} />
        {editable && (
          <Space style={{ marginTop: 16 }}>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="save-product">
              {t('common.save')}
            </Button>
            {canSubmit && (
              <Popconfirm
                title={t('product.submitConfirm')}
                onConfirm={() => onSubmitForReview()}
                okButtonProps={{ 'data-testid': 'submit-confirm' }}
              >
                <Button icon={<SendOutlined />} loading={busy} data-testid="submit-product">
                  {t('product.submitForReview')}
                </Button>
              </Popconfirm>
            )}
          </Space>
        )}
      </Form>
      {product?.decisions && product.decisions.length > 0 && (
        <Card size="small" title={t('product.decisions')} style={{ marginTop: 16 }}>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={product.decisions}
            columns={[
              {
                title: t('product.decisionAt'),
                dataIndex: 'at',
                width: 160,
                render: (v: string) => formatDateTime(v),
              },
              {
                title: t('product.decisionAction'),
                dataIndex: 'action',
                width: 140,
                render: (v: string) => enumText(t, 'action', v),
              },
              { title: t('product.rejectionReason'), dataIndex: 'reason' },
            ]}
          />
        </Card>
      )}
    </div>
  );
}

function SkuRows({
  t,
  form,
  editable,
}: {
  t: CatalogT;
  form: FormInstance<ProductFormValues>;
  editable: boolean;
}) {
  return (
    <Form.List
      name="skus"
      rules={[
        {
          validator: async (_, skus: unknown[] | undefined) => {
            if (!skus || skus.length === 0) throw new Error(t('sku.atLeastOne'));
          },
        },
      ]}
    >
      {(fields, { add, remove }, { errors }) => (
        <div data-testid="sku-rows">
          {fields.map((field, index) => (
            <Row gutter={8} key={field.key} align="top" data-testid={`sku-row-${index}`}>
              <Form.Item name={[field.name, 'id']} hidden>
                <Input />
              </Form.Item>
              <Col xs={12} md={4}>
                <Form.Item
                  name={[field.name, 'code']}
                  label={index === 0 ? t('sku.code') : undefined}
                  rules={[
                    { required: true, whitespace: true, max: 64, message: t('product.required') },
                    {
                      validator: async (_, value: string | undefined) => {
                        const skus = form.getFieldValue('skus') as { code: string }[];
                        if (value && duplicateCodes(skus).has(value.trim().toUpperCase())) {
                          throw new Error(t('sku.duplicateCode'));
                        }
                      },
                    },
                  ]}
                >
                  <Input placeholder={t('sku.code')} />
                </Form.Item>
              </Col>
              <Col xs={12} md={4}>
                <Form.Item
                  name={[field.name, 'spec']}
                  label={index === 0 ? t('sku.spec') : undefined}
                  rules={[
                    { required: true, whitespace: true, max: 64, message: t('product.required') },
                  ]}
                >
                  <Input placeholder={t('sku.spec')} />
                </Form.Item>
              </Col>
              {PRICE_FIELDS.map((price) => (
                <Col xs={12} md={3} key={price}>
                  <Form.Item
                    name={[field.name, price]}
                    label={index === 0 ? t(PRICE_LABELS[price]) : undefined}
                    required
                    dependencies={[['skus', field.name, PRICE_PARTNERS[price]]]}
                    rules={[
                      {
                        validator: async () => {
                          const sku = form.getFieldValue(['skus', field.name]);
                          const problem = skuPriceProblems(sku ?? {})[price];
                          if (problem) throw new Error(t(`sku.${problem}`));
                        },
                      },
                    ]}
                  >
                    <Input prefix="¥" placeholder={t(PRICE_LABELS[price])} inputMode="decimal" />
                  </Form.Item>
                </Col>
              ))}
              <Col xs={24} md={2}>
                {editable && (
                  <Form.Item label={index === 0 ? ' ' : undefined}>
                    <Button
                      icon={<DeleteOutlined />}
                      danger
                      disabled={fields.length <= 1}
                      onClick={() => remove(field.name)}
                      aria-label={t('sku.remove')}
                    />
                  </Form.Item>
                )}
              </Col>
            </Row>
          ))}
          {editable && (
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              onClick={() => add(emptySku())}
              data-testid="add-sku"
            >
              {t('sku.add')}
            </Button>
          )}
          <Form.ErrorList errors={errors} />
        </div>
      )}
    </Form.List>
  );
}

function ImagesCard({ product, editable }: { product: Product | null; editable: boolean }) {
  const { t } = useCatalogT();
  const { message } = App.useApp();
  const upload = useUploadImage(product?.id ?? null);
  const files: UploadFile[] = (product?.images ?? []).map((image) => ({
    uid: String(image.id),
    name: image.url.split('/').pop() ?? String(image.id),
    status: 'done',
    url: image.url,
  }));
  return (
    <Card
      size="small"
      title={t('product.images')}
      extra={<Typography.Text type="secondary">{t('product.imagesHint')}</Typography.Text>}
    >
      {product ? (
        <Upload
          listType="picture-card"
          accept="image/jpeg,image/png,image/webp"
          fileList={files}
          showUploadList={{ showRemoveIcon: false }}
          disabled={!editable || upload.isPending}
          customRequest={async ({ file, onSuccess, onError }) => {
            try {
              const image = await upload.mutateAsync(file as File);
              onSuccess?.(image);
              message.success(t('product.uploaded'));
            } catch (error) {
              onError?.(error as Error);
              message.error(errorText(t, error));
            }
          }}
        >
          {editable && files.length < 9 && (
            <div data-testid="upload-image">
              <PlusOutlined />
              <div style={{ marginTop: 8 }}>{t('product.upload')}</div>
            </div>
          )}
        </Upload>
      ) : (
        <Typography.Text type="secondary">{t('product.imagesAfterSave')}</Typography.Text>
      )}
    </Card>
  );
}
