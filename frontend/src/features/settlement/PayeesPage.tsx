import {
  Alert,
  App,
  Button,
  Checkbox,
  Drawer,
  Form,
  Input,
  Radio,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import {
  errorMessage,
  PAGE_SIZE,
  SettlementApiError,
  usePartyNames,
  usePayees,
  useSetPayee,
} from './api';
import { enumText, useSettlementT } from './i18n';
import { inLanguage, payeePayload, type PayeeForm } from './logic';
import { RAILS, type Payee } from './models';

const FORM_FIELDS = [
  'rail',
  'bank_account_name',
  'bank_account_number',
  'bank_name',
  'stripe_account_id',
  'on_hold',
  'hold_reason',
];

/** 收款方: how each party is paid (bank account or Stripe account) and whether payouts are held. */
export function PayeesPage() {
  const { t } = useSettlementT();
  const [page, setPage] = useState(1);
  const [onHoldOnly, setOnHoldOnly] = useState(false);
  const [editing, setEditing] = useState<Payee | null>(null);
  const payees = usePayees(page, onHoldOnly ? true : undefined);
  const names = usePartyNames();
  const nameOf = (payee: Payee) =>
    (payee.organization
      ? names.data?.organizations.get(payee.organization)
      : payee.anchor
        ? names.data?.anchors.get(payee.anchor)
        : undefined) ?? `#${payee.organization ?? payee.anchor ?? payee.id}`;

  return (
    <div data-testid="payees-page">
      <Space style={{ marginBottom: 12 }}>
        <Checkbox
          checked={onHoldOnly}
          onChange={(e) => {
            setOnHoldOnly(e.target.checked);
            setPage(1);
          }}
          data-testid="payees-on-hold"
        >
          {t('payees.onHoldOnly')}
        </Checkbox>
      </Space>
      {payees.isError && <Alert type="error" showIcon title={errorMessage(payees.error)} />}
      <Table<Payee>
        rowKey="id"
        size="middle"
        data-testid="payees-table"
        loading={payees.isPending}
        dataSource={payees.data?.results ?? []}
        scroll={{ x: 1000 }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: payees.data?.count ?? 0,
          showSizeChanger: false,
          showTotal: (count) => t('common.total', { count }),
          onChange: setPage,
        }}
        columns={[
          {
            title: t('payees.party'),
            key: 'name',
            width: 260,
            render: (_: unknown, p: Payee) => nameOf(p),
          },
          {
            title: t('statements.kind'),
            dataIndex: 'payee_kind',
            width: 90,
            render: (kind: string) => enumText(t, 'payeeKind', kind),
          },
          {
            title: t('payees.rail'),
            dataIndex: 'rail',
            width: 140,
            render: (rail: string) => enumText(t, 'rail', rail),
          },
          {
            title: t('payees.bankAccountNumber'),
            key: 'account',
            width: 440,
            render: (_: unknown, p: Payee) =>
              p.rail === 'stripe' ? (
                <Typography.Text code>{p.stripe_account_id || '—'}</Typography.Text>
              ) : (
                <span>
                  {p.bank_account_name} {p.bank_account_number}
                  {p.bank_name && (
                    <Typography.Text type="secondary"> · {p.bank_name}</Typography.Text>
                  )}
                </span>
              ),
          },
          {
            title: t('common.state'),
            key: 'hold',
            render: (_: unknown, p: Payee) =>
              p.on_hold ? (
                <Tag color="red" data-testid={`payee-held-${p.id}`}>
                  {t('payees.held')}
                  {p.hold_reason ? `：${p.hold_reason}` : ''}
                </Tag>
              ) : (
                '—'
              ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right',
            render: (_: unknown, p: Payee) => (
              <Button size="small" onClick={() => setEditing(p)} data-testid={`payee-edit-${p.id}`}>
                {t('payees.edit')}
              </Button>
            ),
          },
        ]}
      />
      <PayeeDrawer
        payee={editing}
        name={editing ? nameOf(editing) : ''}
        onClose={() => setEditing(null)}
      />
    </div>
  );
}

function PayeeDrawer({
  payee,
  name,
  onClose,
}: {
  payee: Payee | null;
  name: string;
  onClose: () => void;
}) {
  const { t, language } = useSettlementT();
  const { message } = App.useApp();
  const [form] = Form.useForm<PayeeForm>();
  const [error, setError] = useState<string | null>(null);
  const save = useSetPayee();
  const rail = Form.useWatch('rail', form);
  const onHold = Form.useWatch('on_hold', form);

  const onFinish = async (values: PayeeForm) => {
    if (!payee) return;
    setError(null);
    try {
      await save.mutateAsync(payeePayload(payee, values));
      message.success(t('payees.saved'));
      onClose();
    } catch (caught) {
      if (caught instanceof SettlementApiError) {
        const known = Object.entries(caught.fields).filter(([field]) =>
          FORM_FIELDS.includes(field),
        );
        form.setFields(
          known.map(([field, messages]) => ({
            name: field as keyof PayeeForm,
            errors: messages.map((m) => inLanguage(m, language)),
          })),
        );
        if (known.length === 0) setError(inLanguage(caught.message, language));
      } else setError(errorMessage(caught));
    }
  };

  return (
    <Drawer
      open={payee !== null}
      onClose={onClose}
      size={520}
      title={t('payees.editTitle', { name })}
      destroyOnHidden
      data-testid="payee-drawer"
      extra={
        <Button
          type="primary"
          onClick={() => form.submit()}
          loading={save.isPending}
          data-testid="payee-save"
        >
          {t('payees.save')}
        </Button>
      }
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {payee && (
        <Form
          form={form}
          layout="vertical"
          initialValues={{
            rail: payee.rail === 'stripe' ? 'stripe' : 'bank',
            bank_account_name: payee.bank_account_name,
            bank_account_number: payee.bank_account_number,
            bank_name: payee.bank_name,
            stripe_account_id: payee.stripe_account_id,
            on_hold: payee.on_hold,
            hold_reason: payee.hold_reason,
          }}
          onFinish={(values) => void onFinish(values)}
        >
          <Form.Item name="rail" label={t('payees.rail')}>
            <Radio.Group
              options={RAILS.map((r) => ({ value: r, label: enumText(t, 'rail', r) }))}
            />
          </Form.Item>
          {rail === 'stripe' ? (
            <Form.Item name="stripe_account_id" label={t('payees.stripeAccount')}>
              <Input placeholder="acct_…" data-testid="payee-stripe" />
            </Form.Item>
          ) : (
            <>
              <Form.Item name="bank_account_name" label={t('payees.bankAccountName')}>
                <Input data-testid="payee-account-name" />
              </Form.Item>
              <Form.Item name="bank_account_number" label={t('payees.bankAccountNumber')}>
                <Input data-testid="payee-account-number" />
              </Form.Item>
              <Form.Item name="bank_name" label={t('payees.bankName')}>
                <Input />
              </Form.Item>
            </>
          )}
          <Form.Item name="on_hold" label={t('payees.onHold')} valuePropName="checked">
            <Switch data-testid="payee-on-hold" />
          </Form.Item>
          {onHold && (
            <Form.Item name="hold_reason" label={t('payees.holdReason')}>
              <Input maxLength={200} data-testid="payee-hold-reason" />
            </Form.Item>
          )}
        </Form>
      )}
    </Drawer>
  );
}
