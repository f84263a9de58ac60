import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import { useState } from 'react';
import { formatBps } from '@/lib/money';
import { formatDateTime, nowPicker, zoneLabel } from '@/lib/time';
import {
  errorMessage,
  PAGE_SIZE,
  SettlementApiError,
  useContracts,
  useCreateContract,
  useOrganizations,
  usePlatformTerms,
  useUpdatePlatformTerms,
  type Contract,
  type PlatformTerms,
} from './api';
import { enumText, useSettlementT } from './i18n';
import {
  contractPayload,
  feeValueText,
  fieldPath,
  fromHundredths,
  inLanguage,
  termsPayload,
  type ContractForm,
  type TermsForm,
} from './logic';

const DECIMAL = /^\d+(\.\d{1,2})?$/;

/** 合同: finance sets contracts with brands (mode, margin, service fees) and the platforms' terms. */
export function ContractsPage() {
  return (
    <Space
      orientation="vertical"
      size="large"
      style={{ width: '100%' }}
      data-testid="contracts-page"
    >
      <ContractsCard />
      <PlatformTermsCard />
    </Space>
  );
}

function ContractsCard() {
  const { t, language } = useSettlementT();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const contracts = useContracts(page);
  const brands = useOrganizations('brand');
  const organizations = useOrganizations();
  const create = useCreateContract();
  const [form] = Form.useForm<ContractForm>();
  const basisOf = (index: number) =>
    form.getFieldValue(['fees', index, 'basis']) as string | undefined;

  const onCreate = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return; // the form shows what is missing
    setError(null);
    try {
      const contract = await create.mutateAsync(contractPayload(values));
      message.success(t('contracts.created', { id: contract.id }));
      setCreating(false);
      form.resetFields();
    } catch (err) {
      if (err instanceof SettlementApiError && Object.keys(err.fields).length > 0) {
        form.setFields(
          Object.entries(err.fields).map(([name, messages]) => {
            // The form types the margin as a % and says `margin_pct`.
            const path = name === 'operator_margin_bps' ? ['margin_pct'] : fieldPath(name);
            return { name: path as never, errors: messages.map((m) => inLanguage(m, language)) };
          }),
        );
      } else {
        setError(inLanguage(errorMessage(err), language));
      }
    }
  };

  const orgName = (id: number) => organizations.data?.find((o) => o.id === id)?.name ?? `#${id}`;

  return (
    <Card
      size="small"
      title={t('contracts.list')}
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setCreating(true)}
          data-testid="contract-new"
        >
          {t('contracts.create')}
        </Button>
      }
    >
      <Table<Contract>
        rowKey="id"
        size="small"
        data-testid="contracts-table"
        loading={contracts.isPending}
        dataSource={contracts.data?.results ?? []}
        scroll={{ x: 1000 }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: contracts.data?.count ?? 0,
          showSizeChanger: false,
          showTotal: (count) => t('common.total', { count }),
          onChange: setPage,
        }}
        columns={[
          { title: '#', dataIndex: 'id', width: 60 },
          { title: t('contracts.brand'), dataIndex: 'brand_name' },
          {
            title: t('contracts.planId'),
            dataIndex: 'plan_id',
            render: (v: number | null) => v ?? '—',
          },
          {
            title: t('contracts.mode'),
            dataIndex: 'mode',
            render: (mode: string) => enumText(t, 'contractMode', mode),
          },
          {
            title: t('contracts.margin'),
            dataIndex: 'operator_margin_bps',
            align: 'right',
            render: (bps: number) => formatBps(bps ?? 0),
          },
          {
            title: t('contracts.fees'),
            dataIndex: 'fees',
            render: (_: unknown, row) => (
              <Space size={4} wrap>
                {row.fees.map((fee, i) => (
                  <Tag key={i}>
                    {enumText(t, 'feeKind', fee.kind)} · {orgName(fee.payee)} ·{' '}
                    {enumText(t, 'feeBasis', fee.basis)} {feeValueText(fee.basis, fee.value)}
                  </Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t('contracts.validFrom'),
            dataIndex: 'valid_from',
            render: (v: string) => formatDateTime(v),
          },
          {
            title: t('contracts.validTo'),
            dataIndex: 'valid_to',
            render: (v: string | null) =>
              v ? formatDateTime(v) : <Tag color="green">{t('contracts.current')}</Tag>,
          },
          {
            title: t('contracts.createdBy'),
            dataIndex: 'created_by_name',
            render: (name: string | null) => name || '—',
          },
        ]}
      />
      <Modal
        open={creating}
        title={t('contracts.create')}
        width={820}
        onCancel={() => setCreating(false)}
        onOk={() => void onCreate()}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
        confirmLoading={create.isPending}
        okButtonProps={{ 'data-testid': 'contract-submit' } as Record<string, string>}
        destroyOnHidden
      >
        <Form<ContractForm>
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{
            mode: 'consignment',
            margin_pct: '0.00',
            valid_from: nowPicker().add(1, 'hour').startOf('hour'),
            fees: [],
          }}
          data-testid="contract-form"
        >
          <Space wrap align="start">
            <Form.Item name="brand" label={t('contracts.brand')} rules={[{ required: true }]}>
              <Select
                style={{ width: 260 }}
                showSearch
                optionFilterProp="label"
                loading={brands.isPending}
                options={(brands.data ?? []).map((b) => ({ value: b.id, label: b.name }))}
                data-testid="contract-brand"
              />
            </Form.Item>
            <Form.Item
              name="plan_id"
              label={t('contracts.planId')}
              tooltip={t('contracts.planHint')}
            >
              <InputNumber
                min={1}
                precision={0}
                style={{ width: 140 }}
                data-testid="contract-plan"
              />
            </Form.Item>
            <Form.Item name="mode" label={t('contracts.mode')} rules={[{ required: true }]}>
              <Select
                style={{ width: 120 }}
                options={(['consignment', 'buyout'] as const).map((m) => ({
                  value: m,
                  label: enumText(t, 'contractMode', m),
                }))}
                data-testid="contract-mode"
              />
            </Form.Item>
            <Form.Item
              name="margin_pct"
              label={t('contracts.margin')}
              rules={[{ required: true, pattern: DECIMAL }]}
            >
              <Input suffix="%" style={{ width: 120 }} data-testid="contract-margin" />
            </Form.Item>
            <Form.Item
              name="valid_from"
              label={t('contracts.validFrom')}
              extra={zoneLabel(language)}
              rules={[{ required: true }]}
            >
              <DatePicker
                showTime={{ format: 'HH:mm' }}
                format="YYYY-MM-DD HH:mm"
                data-testid="contract-valid-from"
              />
            </Form.Item>
          </Space>
          <Form.List name="fees">
            {(fields, { add, remove }) => (
              <Card size="small" title={t('contracts.fees')} type="inner">
                {fields.map((field) => (
                  <Space
                    key={field.key}
                    align="baseline"
                    wrap
                    data-testid={`contract-fee-${field.name}`}
                  >
                    <Form.Item
                      name={[field.name, 'kind']}
                      rules={[{ required: true }]}
                      label={t('contracts.feeKind')}
                    >
                      <Select
                        style={{ width: 130 }}
                        options={(['colonel', 'logistics', 'ops_agency'] as const).map((k) => ({
                          value: k,
                          label: enumText(t, 'feeKind', k),
                        }))}
                      />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'payee']}
                      rules={[{ required: true }]}
                      label={t('contracts.feePayee')}
                    >
                      <Select
                        style={{ width: 220 }}
                        showSearch
                        optionFilterProp="label"
                        options={(organizations.data ?? []).map((o) => ({
                          value: o.id,
                          label: o.name,
                        }))}
                      />
                    </Form.Item>
                    <Form.Item
                      name={[field.name, 'basis']}
                      rules={[{ required: true }]}
                      label={t('contracts.feeBasis')}
                    >
                      <Select
                        style={{ width: 110 }}
                        options={(['per_unit', 'per_order', 'percent'] as const).map((b) => ({
                          value: b,
                          label: enumText(t, 'feeBasis', b),
                        }))}
                      />
                    </Form.Item>
                    <Form.Item noStyle shouldUpdate>
                      {() => (
                        <Form.Item
                          name={[field.name, 'value']}
                          label={t('contracts.feeValue')}
                          rules={[{ required: true, pattern: DECIMAL }]}
                          tooltip={
                            basisOf(field.name) === 'percent'
                              ? t('contracts.percentHint')
                              : basisOf(field.name) === 'per_order'
                                ? t('contracts.perOrderHint')
                                : t('contracts.perUnitHint')
                          }
                        >
                          <Input
                            style={{ width: 120 }}
                            prefix={basisOf(field.name) === 'percent' ? undefined : '¥'}
                            suffix={basisOf(field.name) === 'percent' ? '%' : undefined}
                          />
                        </Form.Item>
                      )}
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(field.name)} />
                  </Space>
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ basis: 'percent', kind: 'colonel' })}
                  data-testid="contract-add-fee"
                >
                  {t('contracts.addFee')}
                </Button>
              </Card>
            )}
          </Form.List>
        </Form>
        {error && (
          <Alert
            type="error"
            showIcon
            title={error}
            style={{ marginTop: 12 }}
            data-testid="contract-error"
          />
        )}
      </Modal>
    </Card>
  );
}

function PlatformTermsCard() {
  const { t, language } = useSettlementT();
  const { message } = App.useApp();
  const terms = usePlatformTerms();
  const update = useUpdatePlatformTerms();
  const [editing, setEditing] = useState<PlatformTerms | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<TermsForm>();

  const startEdit = (row: PlatformTerms) => {
    setError(null);
    setEditing(row);
    const categories = Object.entries((row.category_fee_bps ?? {}) as Record<string, number>).map(
      ([code, bps]) => ({ code, pct: fromHundredths(bps) }),
    );
    form.setFieldsValue({
      service_fee_pct: fromHundredths(row.service_fee_bps),
      after_sale_days: row.after_sale_days ?? 0,
      categories,
    });
  };

  const onSave = async () => {
    if (!editing) return;
    const values = await form.validateFields().catch(() => null);
    if (!values) return; // the form shows what is missing
    setError(null);
    try {
      await update.mutateAsync({ id: editing.id, body: termsPayload(values) });
      message.success(
        t('contracts.saved', { platform: enumText(t, 'platform', editing.platform) }),
      );
      setEditing(null);
    } catch (err) {
      const names: Record<string, string> = {
        service_fee_bps: 'service_fee_pct',
        after_sale_days: 'after_sale_days',
      };
      // A bad category map has no single field to point at: it goes to the alert below.
      if (err instanceof SettlementApiError && Object.keys(err.fields).some((f) => names[f])) {
        form.setFields(
          Object.entries(err.fields)
            .filter(([f]) => names[f])
            .map(([f, messages]) => ({
              name: names[f] as never,
              errors: messages.map((m) => inLanguage(m, language)),
            })),
        );
      } else {
        setError(inLanguage(errorMessage(err), language));
      }
    }
  };

  return (
    <Card size="small" title={t('contracts.terms')}>
      <Table<PlatformTerms>
        rowKey="id"
        size="small"
        pagination={false}
        loading={terms.isPending}
        dataSource={terms.data ?? []}
        data-testid="platform-terms-table"
        onRow={(row) =>
          ({ 'data-testid': `terms-row-${row.platform}` }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          {
            title: t('contracts.platform'),
            dataIndex: 'platform',
            render: (p: string) => enumText(t, 'platform', p),
          },
          {
            title: t('contracts.serviceFee'),
            dataIndex: 'service_fee_bps',
            align: 'right',
            render: (bps: number) => formatBps(bps),
          },
          { title: t('contracts.afterSaleDays'), dataIndex: 'after_sale_days', align: 'right' },
          {
            title: t('contracts.categoryFees'),
            dataIndex: 'category_fee_bps',
            render: (value: unknown) => (
              <Space size={4} wrap>
                {Object.entries((value ?? {}) as Record<string, number>).map(([code, bps]) => (
                  <Tag key={code}>
                    {code}: {formatBps(bps)}
                  </Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, row) => (
              <Button
                size="small"
                onClick={() => startEdit(row)}
                data-testid={`terms-edit-${row.platform}`}
              >
                {t('contracts.edit')}
              </Button>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        forceRender
        title={
          editing ? `${t('contracts.terms')} · ${enumText(t, 'platform', editing.platform)}` : ''
        }
        onCancel={() => setEditing(null)}
        onOk={() => void onSave()}
        okText={t('contracts.save')}
        cancelText={t('common.cancel')}
        confirmLoading={update.isPending}
        okButtonProps={{ 'data-testid': 'terms-save' } as Record<string, string>}
      >
        <Form<TermsForm> form={form} layout="vertical" data-testid="terms-form">
          <Space wrap>
            <Form.Item
              name="service_fee_pct"
              label={t('contracts.serviceFee')}
              rules={[{ required: true, pattern: DECIMAL }]}
            >
              <Input suffix="%" style={{ width: 140 }} data-testid="terms-service-fee" />
            </Form.Item>
            <Form.Item
              name="after_sale_days"
              label={t('contracts.afterSaleDays')}
              rules={[{ required: true }]}
            >
              <InputNumber
                min={0}
                max={90}
                precision={0}
                style={{ width: 140 }}
                data-testid="terms-after-sale"
              />
            </Form.Item>
          </Space>
          <Form.List name="categories">
            {(fields, { add, remove }) => (
              <Form.Item label={t('contracts.categoryFees')}>
                <Space orientation="vertical">
                  {fields.map((field) => (
                    <Space key={field.key} align="baseline">
                      <Form.Item name={[field.name, 'code']} rules={[{ required: true }]}>
                        <Input placeholder={t('contracts.categoryCode')} style={{ width: 160 }} />
                      </Form.Item>
                      <Form.Item
                        name={[field.name, 'pct']}
                        rules={[{ required: true, pattern: DECIMAL }]}
                      >
                        <Input suffix="%" style={{ width: 120 }} />
                      </Form.Item>
                      <MinusCircleOutlined onClick={() => remove(field.name)} />
                    </Space>
                  ))}
                  <Button
                    type="dashed"
                    icon={<PlusOutlined />}
                    onClick={() => add({ code: '', pct: '' })}
                  >
                    {t('contracts.addCategory')}
                  </Button>
                </Space>
              </Form.Item>
            )}
          </Form.List>
        </Form>
        {error && <Alert type="error" showIcon title={error} data-testid="terms-error" />}
      </Modal>
    </Card>
  );
}
