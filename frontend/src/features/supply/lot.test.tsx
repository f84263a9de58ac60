import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import '@/i18n';
import './i18n';
import { isExpired } from './lots';
import { LotText } from './ui';

const lot = (expiry_date: string | null) => ({
  id: 1,
  batch_number: 'MD2504-MQ',
  production_date: null,
  expiry_date,
});

describe('an expired lot', () => {
  it('is expired from the day after its expiry date, Asia/Shanghai', () => {
    // 2026-10-01 23:59 in Shanghai: still its last day.
    expect(isExpired(lot('2026-10-01'), new Date('2026-10-01T15:59:00Z'))).toBe(false);
    // 2026-10-02 00:00 in Shanghai, though still 1 October in UTC.
    expect(isExpired(lot('2026-10-01'), new Date('2026-10-01T16:00:00Z'))).toBe(true);
    expect(isExpired(lot(null), new Date('2040-01-01T00:00:00Z'))).toBe(false);
  });

  it('shows a warning beside the lot', () => {
    render(<LotText lot={lot('2020-01-01')} />);
    expect(screen.getByTestId('lot-expired-MD2504-MQ')).toHaveTextContent('已过期');
  });

  it('shows none for a lot still in date', () => {
    render(<LotText lot={lot('2099-01-01')} />);
    expect(screen.queryByTestId('lot-expired-MD2504-MQ')).not.toBeInTheDocument();
  });
});
