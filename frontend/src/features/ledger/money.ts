import { toMinorUnits, type Money } from '@/lib/money';

/** Debit-positive amount → the debit or the credit column (credit shown as a positive amount). */
export function debitCredit(money: Money): { debit: Money | null; credit: Money | null } {
  const minor = toMinorUnits(money.amount, money.currency);
  if (minor === 0n) return { debit: null, credit: null };
  if (minor > 0n) return { debit: money, credit: null };
  return {
    debit: null,
    credit: { amount: money.amount.replace(/^-/, ''), currency: money.currency },
  };
}

export interface CurrencyCheck {
  currency: string;
  total: Money;
  balanced: boolean;
}

/** The trial balance's total per currency, each balanced when it is exactly zero. */
export function balancedByCurrency(totals: Money[]): CurrencyCheck[] {
  return totals.map((total) => ({
    currency: total.currency,
    total,
    balanced: toMinorUnits(total.amount, total.currency) === 0n,
  }));
}
