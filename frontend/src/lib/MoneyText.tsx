import { formatMoney, toMinorUnits, type Money } from './money';

/**
 * The one way the SPA shows an amount: the API's money object formatted exactly (no float), in
 * tabular figures on one line. `negativeRed` colours an amount below zero (a clawback, a shortfall);
 * the sign is read from the exact minor units. `empty` is what stands for no amount.
 */
export function MoneyText({
  value,
  testId,
  strong,
  negativeRed,
  empty = '—',
}: {
  value: Money | null | undefined;
  testId?: string;
  strong?: boolean;
  negativeRed?: boolean;
  empty?: string;
}) {
  if (!value) return <span data-testid={testId}>{empty}</span>;
  const negative = negativeRed && toMinorUnits(value.amount, value.currency) < 0n;
  return (
    <span
      data-testid={testId}
      style={{
        fontVariantNumeric: 'tabular-nums',
        whiteSpace: 'nowrap',
        color: negative ? '#cf1322' : undefined,
        fontWeight: strong ? 600 : undefined,
      }}
    >
      {formatMoney(value)}
    </span>
  );
}
