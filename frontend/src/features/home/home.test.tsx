import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BRAND_ME, FINANCE_ME, mockApi } from '@/test/mockApi';
import { renderApp } from '@/test/renderApp';
import { chartSeries, groupCards } from './api';

afterEach(() => vi.unstubAllGlobals());

const card = (key: string, group: string, rest: object) => ({
  key,
  group,
  label_zh: `中${key}`,
  label_en: `en ${key}`,
  count: null,
  amount: null,
  text: null,
  link: null,
  ...rest,
});
const money = (amount: string) => ({ amount, currency: 'CNY' });
const base = { charts: [], sessions: [], close: null, recent_activity: [] };

const MCN_ME = {
  ...BRAND_ME,
  username: 'anchor_xiaoman',
  organization: { id: 20, name: '成都熊猫星选', kind: 'mcn' },
  home: 'mcn',
};
const SUPPLY_ME = {
  ...FINANCE_ME,
  username: 'op_supply',
  roles: ['supply'],
  home: 'operator',
};

describe('home pages', () => {
  it('brand: sales in money and units, queues linking to the desk, GMV trend as one measure', async () => {
    mockApi({
      'GET /api/auth/me/': { body: BRAND_ME },
      'GET /api/home/': {
        body: {
          ...base,
          home: 'brand',
          organization: BRAND_ME.organization,
          cards: [
            card('units_this_month', 'sales', { count: 1234 }),
            card('gmv_this_month', 'sales', { amount: money('147315.5') }),
            card('pending_samples', 'queue', { count: 2, link: '/selection/brand/samples' }),
          ],
          charts: [
            {
              key: 'gmv_by_day',
              label_zh: '每日 GMV',
              label_en: 'GMV per day',
              unit: 'money',
              label_kind: 'date',
              points: [
                { label: '2026-03-14', count: null, amount: money('10.00') },
                { label: '2026-03-15', count: null, amount: money('0.05') },
              ],
            },
          ],
        },
      },
    });
    renderApp('/brand');
    expect(await screen.findByTestId('card-value-gmv_this_month')).toHaveTextContent('¥147,315.50');
    expect(screen.getByTestId('card-value-units_this_month')).toHaveTextContent('1,234');
    expect(screen.getByTestId('home-group-queue')).toHaveTextContent('待处理');
    expect(screen.getByTestId('card-link-pending_samples')).toHaveAttribute(
      'href',
      '/selection/brand/samples',
    );
    expect(screen.getByTestId('chart-gmv_by_day')).toHaveTextContent('每日 GMV');
  });

  it('anchor: earnings, sessions in Beijing time, fans and accounts in separate charts', async () => {
    const chart = (key: string, points: [string, number][]) => ({
      key,
      label_zh: key,
      label_en: key,
      unit: 'count',
      label_kind: 'platform',
      points: points.map(([label, count]) => ({ label, count, amount: null })),
    });
    mockApi({
      'GET /api/auth/me/': { body: MCN_ME },
      'GET /api/home/': {
        body: {
          ...base,
          home: 'mcn',
          organization: MCN_ME.organization,
          cards: [
            card('earnings_estimated', 'earnings', { amount: money('0'), link: '/earnings' }),
            card('earnings_settled', 'earnings', { amount: money('820.69'), link: '/earnings' }),
          ],
          charts: [
            chart('fans_by_platform', [['douyin', 9000000]]),
            chart('accounts_by_platform', [['douyin', 3]]),
          ],
          sessions: [
            {
              id: 7,
              title: '蜀中好物夜',
              anchor_name: '蜀中小满',
              platform: 'douyin',
              starts_at: '2026-03-16T12:00:00Z',
              ends_at: '2026-03-16T14:00:00Z',
              items: 4,
            },
          ],
        },
      },
    });
    renderApp('/mcn');
    expect(await screen.findByTestId('card-value-earnings_settled')).toHaveTextContent('¥820.69');
    expect(screen.getByTestId('card-value-earnings_estimated')).toHaveTextContent('¥0.00');
    expect(screen.getByTestId('chart-fans_by_platform')).toBeInTheDocument();
    expect(screen.getByTestId('chart-accounts_by_platform')).toBeInTheDocument();
    const sessions = screen.getByTestId('home-sessions');
    expect(within(sessions).getByText('蜀中好物夜')).toBeInTheDocument();
    // 12:00 UTC is 20:00 in Asia/Shanghai, whatever the machine's zone.
    expect(sessions).toHaveTextContent('2026-03-16 20:00');
  });

  it('finance: payables, payouts, exception ages and the close checklist', async () => {
    mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/home/': {
        body: {
          ...base,
          home: 'finance',
          organization: FINANCE_ME.organization,
          cards: [
            card('statements_awaiting_approval', 'payables', {
              count: 16,
              link: '/settlement/statements?state=draft',
            }),
            card('statements_awaiting_approval_amount', 'payables', {
              amount: money('-46814.36'),
            }),
            card('exceptions_over_30', 'exceptions', { count: 1 }),
          ],
          close: {
            period: '2026-03',
            closed: false,
            items: [
              { key: 'reconciled', ok: 'ok', count: 0, total: 0, sources: [] },
              { key: 'bills', ok: 'fail', count: 2, total: 2, sources: ['douyin', 'kuaishou'] },
              { key: 'blocking', ok: 'ok', count: 0, total: 0, sources: [] },
              { key: 'pending', ok: 'warn', count: 3, total: 3, sources: [] },
            ],
          },
        },
      },
    });
    renderApp('/finance');
    expect(await screen.findByTestId('card-value-statements_awaiting_approval')).toHaveTextContent(
      '16',
    );
    expect(screen.getByTestId('card-value-statements_awaiting_approval_amount')).toHaveTextContent(
      '-¥46,814.36',
    );
    expect(screen.getByTestId('home-close-state')).toHaveTextContent('未关账');
    expect(screen.getByTestId('home-check-bills')).toHaveAttribute('data-ok', 'fail');
    expect(screen.getByTestId('home-check-bills')).toHaveTextContent('抖音');
    expect(screen.getByTestId('home-check-pending')).toHaveTextContent('待复核调整 3 条');
  });

  it('supply: receipts due and stock figures link to the lists with the same filter', async () => {
    mockApi({
      'GET /api/auth/me/': { body: SUPPLY_ME },
      'GET /api/home/': {
        body: {
          ...base,
          home: 'operator',
          organization: SUPPLY_ME.organization,
          cards: [
            card('receipts_due', 'supply', { count: 2 }),
            card('expiring_lots', 'supply', {
              count: 1,
              link: '/supply/stock?expiring_before=2026-04-15',
            }),
          ],
        },
      },
    });
    renderApp('/operator');
    expect(await screen.findByTestId('card-value-receipts_due')).toHaveTextContent('2');
    expect(screen.getByTestId('card-link-expiring_lots')).toHaveAttribute(
      'href',
      '/supply/stock?expiring_before=2026-04-15',
    );
    expect(screen.getByTestId('home-group-supply')).toHaveTextContent('入库与库存');
  });
});

describe('home helpers', () => {
  it('groups cards in API order', () => {
    const cards = [card('a', 'x', {}), card('b', 'y', {}), card('c', 'x', {})];
    expect(groupCards(cards).map((g) => [g.group, g.cards.map((c) => c.key)])).toEqual([
      ['x', ['a', 'c']],
      ['y', ['b']],
    ]);
  });

  it('draws money from exact amounts and shows it formatted', () => {
    const series = chartSeries(
      {
        key: 'g',
        label_zh: 'g',
        label_en: 'g',
        unit: 'money',
        label_kind: 'date',
        points: [{ label: '2026-03-15', count: null, amount: money('1234.5') }],
      },
      (raw) => raw.slice(5),
    );
    expect(series).toEqual({ labels: ['03-15'], values: [1234.5], texts: ['¥1,234.50'] });
  });
});
