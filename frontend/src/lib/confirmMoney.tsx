/**
 * Every action that moves or commits money asks first, naming what it will do, how many items and
 * the total (formatted by the one money helper). `useConfirmMoney()` gives a function that opens
 * the confirmation and resolves true only when the person confirms.
 */
import { App, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatMoney, type Money } from './money';

export interface MoneyConfirmation {
  /** The action, as a verb phrase: "审批结算单" / "Approve statements". */
  title: string;
  /** What it will do, in a sentence. */
  action: string;
  /** How many items it acts on; null when not known before it runs (a settlement run). */
  count: number | null;
  /** The total it moves or commits; null when not known before it runs (a settlement run). */
  total: Money | null;
  /** data-testid prefix: `${testId}-ok`, `${testId}-cancel`, `${testId}-summary`. */
  testId: string;
  danger?: boolean;
}

/** antd's ButtonProps take no data-* keys in their type, though they pass them on. */
function testId(id: string): ButtonProps {
  return { 'data-testid': id } as ButtonProps;
}

export function useConfirmMoney(): (confirmation: MoneyConfirmation) => Promise<boolean> {
  const { modal } = App.useApp();
  const { t } = useTranslation();
  return (c) =>
    new Promise<boolean>((resolve) => {
      modal.confirm({
        title: c.title,
        content: (
          <div>
            <Typography.Paragraph>{c.action}</Typography.Paragraph>
            <Typography.Text strong data-testid={`${c.testId}-summary`}>
              {[
                c.count !== null ? t('moneyConfirm.count', { count: c.count }) : null,
                c.total ? t('moneyConfirm.total', { total: formatMoney(c.total) }) : null,
              ]
                .filter(Boolean)
                .join(' · ')}
            </Typography.Text>
          </div>
        ),
        okText: t('moneyConfirm.ok'),
        cancelText: t('moneyConfirm.cancel'),
        okButtonProps: { danger: c.danger, ...testId(`${c.testId}-ok`) },
        cancelButtonProps: testId(`${c.testId}-cancel`),
        onOk: () => resolve(true),
        onCancel: () => resolve(false),
      });
    });
}
