import { formatMoney, type Money } from '@/lib/money';

export function MoneyText({ value, testId }: { value: Money | null | undefined; testId?: string }) {
  return (
    <span data-testid={testId} style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
      {value ? formatMoney(value) : ''}
    </span>
  );
}
