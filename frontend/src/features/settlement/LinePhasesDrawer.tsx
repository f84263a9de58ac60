import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  Popconfirm,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { formatMoney, fromMinorUnits, toMinorUnits } from '@/lib/money';
import { dayjs } from '@/lib/time';
import {
  errorMessage,
  SettlementApiError,
  useClearLinePhases,
  useLinePhases,
  useSetLinePhases,
} from './api';
import { enumText, useSettlementT, type SettlementT } from './i18n';
import { inLanguage, phaseErrorPath, phasesPayload, phasesSum, sign, type PhaseRow } from './logic';
import type { LinePhases } from './models';
import { MoneyText } from './ui';

/** The phases API takes at most this many (backend/shuxuan/settlement/phases.py MAX_PHASES). */
const MAX_PHASES = 12;
const AMOUNT = /^\d+(\.\d{1,2})?$/;

interface PhasesForm {
  phases: PhaseRow[];
}

/** The server's phases as editable rows; a line without phases starts as deposit + balance. */
function rowsOf(data: LinePhases): PhaseRow[] {
  if (data.phases.length === 0) {
    return [
      { amount: '', settleable_on: null },
      { amount: '', settleable_on: null },
    ];
  }
  return data.phases.map((p) => ({
    amount: p.basis.amount,
    settleable_on: dayjs(p.settleable_on),
  }));
}

function phaseLabel(t: SettlementT, index: number, count: number): string {
  if (index === 0) return t('phases.deposit');
  if (index === count - 1) return t('phases.balance');
  return t('phases.nth', { n: index + 1 });
}

/**
 * 分期结算 of one order line: its basis, and the phases (定金 first, 尾款 last) that split it, each
 * settleable from its own day. Operator finance sets or removes them while nothing of the line is
 * settled; the server's refusals land on the row and input they name (`phases[1].settleable_on`).
 */
export function LinePhasesDrawer({
  lineId,
  onClose,
}: {
  lineId: number | null;
  onClose: () => void;
}) {
  const { t, language } = useSettlementT();
  const { message } = App.useApp();
  const [form] = Form.useForm<PhasesForm>();
  const [error, setError] = useState<string | null>(null);
  const phases = useLinePhases(lineId);
  const save = useSetLinePhases();
  const clear = useClearLinePhases();
  const data = phases.data;
  const rows = (Form.useWatch('phases', form) ?? []) as PhaseRow[];
  const locked = data ? sign(data.settled_basis) !== 0 : false;

  useEffect(() => {
    // The server's schedule, again after every save or removal.
    if (data) form.setFieldsValue({ phases: rowsOf(data) });
  }, [data, form]);

  const onSave = async () => {
    if (!data || lineId === null) return;
    const values = await form.validateFields().catch(() => null);
    if (!values) return; // the form shows what is missing
    setError(null);
    try {
      await save.mutateAsync({
        lineId,
        body: phasesPayload(values.phases, data.full_basis.currency),
      });
      message.success(t('phases.saved', { id: lineId }));
    } catch (err) {
      if (!(err instanceof SettlementApiError)) {
        setError(inLanguage(errorMessage(err), language));
        return;
      }
      const placed: { name: never; errors: string[] }[] = [];
      const general: string[] = [];
      for (const [name, messages] of Object.entries(err.fields)) {
        const texts = messages.map((m) => inLanguage(m, language));
        const path = phaseErrorPath(name);
        if (path) placed.push({ name: path as never, errors: texts });
        else general.push(...texts);
      }
      if (placed.length > 0) form.setFields(placed);
      if (general.length > 0 || placed.length === 0) {
        setError(general[0] ?? inLanguage(errorMessage(err), language));
      }
    }
  };

  const onClear = async () => {
    if (lineId === null) return;
    setError(null);
    try {
      await clear.mutateAsync(lineId);
      message.success(t('phases.cleared', { id: lineId }));
    } catch (err) {
      setError(inLanguage(errorMessage(err), language));
    }
  };

  const currency = data?.full_basis.currency ?? 'CNY';
  const sum = phasesSum(rows, currency);
  const off =
    data && sum
      ? toMinorUnits(sum.amount, currency) - toMinorUnits(data.full_basis.amount, currency)
      : null;

  return (
    <Drawer
      open={lineId !== null}
      onClose={() => {
        setError(null);
        onClose();
      }}
      size={720}
      title={lineId !== null ? t('phases.title', { id: lineId }) : ''}
      destroyOnHidden
      data-testid="phases-drawer"
    >
      {phases.isPending && lineId !== null && <Spin />}
      {phases.isError && (
        <Alert
          type="error"
          showIcon
          data-testid="phases-load-error"
          title={inLanguage(errorMessage(phases.error), language)}
        />
      )}
      {data && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Descriptions
            bordered
            size="small"
            column={2}
            data-testid="phases-line"
            items={[
              {
                key: 'platform',
                label: t('phases.platform'),
                children: enumText(t, 'platform', data.platform),
              },
              { key: 'order', label: t('phases.orderId'), children: data.order_id || '—' },
              {
                key: 'basis',
                label: t('phases.basis'),
                children: <MoneyText value={data.full_basis} strong testId="phases-basis" />,
              },
              {
                key: 'settled',
                label: t('phases.settledBasis'),
                children: <MoneyText value={data.settled_basis} />,
              },
            ]}
          />
          {locked ? (
            <Alert type="info" showIcon title={t('phases.locked')} data-testid="phases-locked" />
          ) : (
            <Typography.Text type="secondary" data-testid="phases-hint">
              {data.phases.length === 0 ? `${t('phases.none')}。` : ''}
              {t('phases.hint')}
            </Typography.Text>
          )}
          {error && <Alert type="error" showIcon title={error} data-testid="phases-error" />}
          <Form form={form} disabled={locked} layout="vertical" data-testid="phases-form">
            <Form.List name="phases">
              {(fields, { add, remove }) => (
                <Space orientation="vertical" style={{ width: '100%' }}>
                  {fields.map((field, index) => (
                    <Space key={field.key} align="start" wrap data-testid={`phase-row-${index}`}>
                      <Typography.Text strong style={{ display: 'inline-block', width: 64 }}>
                        {phaseLabel(t, index, fields.length)}
                      </Typography.Text>
                      <Form.Item
                        name={[field.name, 'amount']}
                        label={t('phases.amount')}
                        rules={[
                          { required: true, message: t('phases.required') },
                          { pattern: AMOUNT, message: t('phases.amount') },
                        ]}
                      >
                        <Input
                          style={{ width: 140 }}
                          inputMode="decimal"
                          data-testid={`phase-amount-${index}`}
                        />
                      </Form.Item>
                      <Form.Item
                        name={[field.name, 'settleable_on']}
                        label={t('phases.settleableOn')}
                        rules={[{ required: true, message: t('phases.required') }]}
                      >
                        <DatePicker data-testid={`phase-date-${index}`} />
                      </Form.Item>
                      <Form.Item label=" ">
                        <Button
                          type="text"
                          icon={<DeleteOutlined />}
                          aria-label={t('phases.remove')}
                          disabled={locked || fields.length <= 2}
                          onClick={() => remove(field.name)}
                          data-testid={`phase-remove-${index}`}
                        />
                      </Form.Item>
                    </Space>
                  ))}
                  <Button
                    icon={<PlusOutlined />}
                    disabled={locked || fields.length >= MAX_PHASES}
                    onClick={() => add({ amount: '', settleable_on: null })}
                    data-testid="phase-add"
                  >
                    {t('phases.add')}
                  </Button>
                </Space>
              )}
            </Form.List>
          </Form>
          <Space wrap data-testid="phases-sum">
            <Typography.Text>{t('phases.sum')}</Typography.Text>
            <MoneyText value={sum} strong testId="phases-sum-value" />
            {off !== null &&
              (off === 0n ? (
                <Tag color="green">{t('phases.matches')}</Tag>
              ) : (
                <Tag color="red" data-testid="phases-off">
                  {t('phases.difference', {
                    amount: formatMoney({
                      amount: fromMinorUnits(off, currency),
                      currency,
                    }),
                  })}
                </Tag>
              ))}
          </Space>
          {!locked && (
            <Space>
              <Button
                type="primary"
                loading={save.isPending}
                onClick={() => void onSave()}
                data-testid="phases-save"
              >
                {t('phases.save')}
              </Button>
              {data.phases.length > 0 && (
                <Popconfirm
                  title={t('phases.clearConfirm')}
                  okText={t('common.confirm')}
                  cancelText={t('common.cancel')}
                  onConfirm={() => void onClear()}
                >
                  <Button danger loading={clear.isPending} data-testid="phases-clear">
                    {t('phases.clear')}
                  </Button>
                </Popconfirm>
              )}
            </Space>
          )}
        </Space>
      )}
    </Drawer>
  );
}
