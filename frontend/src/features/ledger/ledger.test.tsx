import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '@/i18n';
import { BRAND_ME, FINANCE_ME, mockApi } from '@/test/mockApi';
import { renderApp } from '@/test/renderApp';
import { accountExportUrl, trialBalanceExportUrl } from './exportUrls';
import { balancedByCurrency, debitCredit } from './money';

const money = (amount: string, currency = 'CNY') => ({ amount, currency });

describe('debit / credit', () => {
  it('puts a debit-positive amount in its column', () => {
    expect(debitCredit(money('12.30'))).toEqual({ debit: money('12.30'), credit: null });
    expect(debitCredit(money('-0.01'))).toEqual({ debit: null, credit: money('0.01') });
    expect(debitCredit(money('0.00'))).toEqual({ debit: null, credit: null });
  });

  it('checks each currency of the trial balance on its own', () => {
    expect(balancedByCurrency([money('0.00'), money('0.01', 'USD')])).toEqual([
      { currency: 'CNY', total: money('0.00'), balanced: true },
      { currency: 'USD', total: money('0.01', 'USD'), balanced: false },
    ]);
  });
});

describe('export URLs', () => {
  it('builds the account export URL with only the dates that are set', () => {
    expect(accountExportUrl(3, 'csv')).toBe('/api/ledger/accounts/3/export/?fmt=csv');
    expect(accountExportUrl(3, 'xlsx', { dateFrom: undefined, dateTo: '' })).toBe(
      '/api/ledger/accounts/3/export/?fmt=xlsx',
    );
    expect(accountExportUrl(3, 'csv', { dateFrom: '2026-01-01', dateTo: '2026-03-31' })).toBe(
      '/api/ledger/accounts/3/export/?fmt=csv&date_from=2026-01-01&date_to=2026-03-31',
    );
    expect(accountExportUrl(42, 'xlsx', { dateTo: '2026-03-31' })).toBe(
      '/api/ledger/accounts/42/export/?fmt=xlsx&date_to=2026-03-31',
    );
    expect(accountExportUrl(42, 'csv', { dateFrom: '2026-01-01', dateTo: null })).toBe(
      '/api/ledger/accounts/42/export/?fmt=csv&date_from=2026-01-01',
    );
  });

  it('builds the trial balance export URL with as_of only when it is set', () => {
    expect(trialBalanceExportUrl('csv')).toBe('/api/ledger/trial-balance/export/?fmt=csv');
    expect(trialBalanceExportUrl('xlsx', '')).toBe('/api/ledger/trial-balance/export/?fmt=xlsx');
    expect(trialBalanceExportUrl('xlsx', '2026-03-31')).toBe(
      '/api/ledger/trial-balance/export/?fmt=xlsx&as_of=2026-03-31',
    );
  });
});

const ACCOUNT_3 = {
  id: 3,
  code: 'org1:inventory:CNY',
  name: '四川蜀选 · 库存商品',
  type: 'inventory',
  currency: 'CNY',
  organization: 1,
  organization_name: '四川蜀选供应链管理有限公司',
  owner_platform: null,
  owner_name: '四川蜀选供应链管理有限公司',
  balance: money('36361.40'),
};

const EMPTY_PAGE = { count: 0, next: null, previous: null, results: [] };

const EMPTY_TRIAL_BALANCE = { as_of: null, balanced: true, totals: [], lines: [] };

/** The query string of a link's href, as a plain object (order-independent). */
function queryOf(link: HTMLElement): Record<string, string> {
  const href = link.getAttribute('href') ?? '';
  return Object.fromEntries(new URL(href, 'http://x').searchParams);
}

function pathOf(link: HTMLElement): string {
  return new URL(link.getAttribute('href') ?? '', 'http://x').pathname;
}

describe('ledger export links', () => {
  afterEach(async () => {
    await setLanguage('zh');
  });

  it('exports the account ledger with the date range of the page', async () => {
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/ledger/accounts/3/': { body: ACCOUNT_3 },
      'GET /api/ledger/accounts/3/postings/': { body: EMPTY_PAGE },
    });
    renderApp('/ledger/accounts/3?date_from=2026-01-01&date_to=2026-03-31&page=2');
    const csv = await screen.findByTestId('account-export-csv');
    expect(pathOf(csv)).toBe('/api/ledger/accounts/3/export/');
    expect(queryOf(csv)).toEqual({ fmt: 'csv', date_from: '2026-01-01', date_to: '2026-03-31' });
    expect(csv).toHaveAttribute('download');
    expect(csv).toHaveTextContent('导出 CSV');
    const xlsx = screen.getByTestId('account-export-xlsx');
    expect(queryOf(xlsx)).toEqual({ fmt: 'xlsx', date_from: '2026-01-01', date_to: '2026-03-31' });
    expect(xlsx).toHaveTextContent('导出 Excel');
    // The page asked for the same range it exports.
    expect(
      calls.some(
        (c) =>
          c.path.startsWith('/api/ledger/accounts/3/postings/') &&
          c.path.includes('date_from=2026-01-01') &&
          c.path.includes('date_to=2026-03-31'),
      ),
    ).toBe(true);
  });

  it('exports the whole account ledger when no dates are set', async () => {
    mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/ledger/accounts/3/': { body: ACCOUNT_3 },
      'GET /api/ledger/accounts/3/postings/': { body: EMPTY_PAGE },
    });
    renderApp('/ledger/accounts/3');
    const csv = await screen.findByTestId('account-export-csv');
    expect(csv).toHaveAttribute('href', '/api/ledger/accounts/3/export/?fmt=csv');
    expect(screen.getByTestId('account-export-xlsx')).toHaveAttribute(
      'href',
      '/api/ledger/accounts/3/export/?fmt=xlsx',
    );
  });

  it('exports the trial balance as of the date of the page', async () => {
    mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/ledger/trial-balance/': { body: { ...EMPTY_TRIAL_BALANCE, as_of: '2026-03-31' } },
    });
    renderApp('/ledger/trial-balance?as_of=2026-03-31');
    const csv = await screen.findByTestId('trial-balance-export-csv');
    expect(pathOf(csv)).toBe('/api/ledger/trial-balance/export/');
    expect(queryOf(csv)).toEqual({ fmt: 'csv', as_of: '2026-03-31' });
    expect(csv).toHaveAttribute('download');
    expect(queryOf(screen.getByTestId('trial-balance-export-xlsx'))).toEqual({
      fmt: 'xlsx',
      as_of: '2026-03-31',
    });
  });

  it('exports the trial balance over every entry when no date is set, labelled in English', async () => {
    await setLanguage('en');
    mockApi({
      'GET /api/auth/me/': { body: { ...FINANCE_ME, language: 'en' } },
      'GET /api/ledger/trial-balance/': { body: EMPTY_TRIAL_BALANCE },
    });
    renderApp('/ledger/trial-balance');
    const csv = await screen.findByTestId('trial-balance-export-csv');
    expect(csv).toHaveAttribute('href', '/api/ledger/trial-balance/export/?fmt=csv');
    expect(csv).toHaveTextContent('Export CSV');
    expect(screen.getByTestId('trial-balance-export-xlsx')).toHaveTextContent('Export Excel');
  });
});

describe('ledger pages', () => {
  it('shows the trial balance with a balanced indicator per currency', async () => {
    mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/ledger/trial-balance/': {
        body: {
          as_of: null,
          balanced: false,
          totals: [money('0.00'), money('1.00', 'USD')],
          lines: [
            {
              account_id: 3,
              code: 'org1:inventory:CNY',
              name: '四川蜀选 · 库存商品',
              type: 'inventory',
              owner_name: '四川蜀选供应链管理有限公司',
              owner_platform: null,
              balance: money('36080.00'),
            },
            {
              account_id: 13,
              code: 'org2:payable_to_party:CNY',
              name: '叙府窖 · 应付合作方',
              type: 'payable_to_party',
              owner_name: '宜宾叙府窖酒业',
              owner_platform: null,
              balance: money('-36080.00'),
            },
          ],
        },
      },
    });
    renderApp('/ledger/trial-balance');
    expect(await screen.findByTestId('tb-balanced-CNY')).toHaveTextContent('借贷平衡');
    expect(screen.getByTestId('tb-unbalanced-USD')).toHaveTextContent('借贷不平');
    expect(screen.getByTestId('tb-status')).toHaveTextContent('存在借贷不平的币种');
    const lines = screen.getByTestId('tb-lines');
    expect(within(lines).getAllByText('¥36,080.00')).toHaveLength(2);
    expect(screen.getByTestId('tb-account-13')).toHaveTextContent(
      /^宜宾叙府窖酒业 · 应付合作方 · CNY$/,
    );
    expect(screen.getByTestId('tb-account-3')).toHaveTextContent(
      /^四川蜀选供应链管理有限公司 · 库存商品 · CNY$/,
    );
  });

  it('shows an account ledger with its running balance and links to the entries', async () => {
    mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/ledger/accounts/3/': { body: ACCOUNT_3 },
      'GET /api/ledger/accounts/3/postings/': {
        body: {
          count: 2,
          next: null,
          previous: null,
          results: [
            {
              entry_id: 1,
              line_no: 1,
              effective_date: '2025-06-03',
              amount: money('36080.00'),
              running_balance: money('36080.00'),
              source_type: 'supply.receipt',
              source_id: '1',
              memo: '采购入库 PO1',
            },
            {
              entry_id: 7,
              line_no: 1,
              effective_date: '2026-11-25',
              amount: money('281.40'),
              running_balance: money('36361.40'),
              source_type: 'supply.receipt',
              source_id: '3',
              memo: '采购入库 PO4',
            },
          ],
        },
      },
    });
    renderApp('/ledger/accounts/3');
    const table = await screen.findByTestId('postings-table');
    expect(await within(table).findByText('采购入库 PO4')).toBeInTheDocument();
    expect(within(table).getByTestId('entry-link-7')).toHaveAttribute('href', '/ledger/entries/7');
    expect(within(table).getAllByText('¥36,361.40')).toHaveLength(1);
    expect(screen.getByTestId('ledger-account-balance')).toHaveTextContent('¥36,361.40');
  });

  it('names each account by owner, type and currency, the raw code on hover', async () => {
    mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/ledger/accounts/': {
        body: {
          count: 2,
          next: null,
          previous: null,
          results: [
            {
              ...ACCOUNT_3,
              id: 13,
              code: 'org2:payable_to_party:CNY',
              type: 'payable_to_party',
              organization: 2,
              organization_name: '宜宾叙府窖酒业',
              owner_name: '宜宾叙府窖酒业',
            },
            {
              ...ACCOUNT_3,
              id: 21,
              code: 'douyin:platform_receivable:CNY',
              type: 'platform_receivable',
              organization: null,
              organization_name: null,
              owner_name: null,
              owner_platform: 'douyin',
            },
          ],
        },
      },
    });
    renderApp('/ledger/accounts');
    const link = await screen.findByTestId('account-link-13');
    expect(link).toHaveTextContent(/^宜宾叙府窖酒业 · 应付合作方 · CNY$/);
    expect(link).toHaveAttribute('href', '/ledger/accounts/13');
    expect(screen.getByTestId('account-link-21')).toHaveTextContent(/^抖音 · 平台应收 · CNY$/);
    // The code is finance's: not on the page, but on hover.
    expect(screen.getByTestId('accounts-table')).not.toHaveTextContent(/org\d+:|douyin:/);
    await userEvent.hover(link);
    expect(await screen.findByTestId('account-code')).toHaveTextContent(
      /^org2:payable_to_party:CNY$/,
    );

    await setLanguage('en');
    expect(await screen.findByTestId('account-link-13')).toHaveTextContent(
      /^宜宾叙府窖酒业 · Payable to party · CNY$/,
    );
    expect(screen.getByTestId('account-link-21')).toHaveTextContent(
      /^Douyin · Platform receivable · CNY$/,
    );
    await setLanguage('zh');
  });

  it('names the accounts of the trial balance and of an entry the same way', async () => {
    mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/ledger/entries/5/': {
        body: {
          id: 5,
          idempotency_key: 'settlement.run:1:line:9',
          source_type: 'settlement.run',
          source_id: '1',
          effective_date: '2026-11-25',
          memo: null,
          created_at: '2026-11-25T08:00:00Z',
          created_by: 'op_finance',
          reverses: null,
          postings: [
            {
              line_no: 1,
              account_id: 21,
              account_code: 'douyin:platform_receivable:CNY',
              account_name: '抖音 · 平台应收 Platform receivable (CNY)',
              account_type: 'platform_receivable',
              owner_name: null,
              owner_platform: 'douyin',
              amount: money('100.00'),
            },
            {
              line_no: 2,
              account_id: 13,
              account_code: 'org2:payable_to_party:CNY',
              account_name: '宜宾叙府窖酒业 · 应付合作方 Payable to party (CNY)',
              account_type: 'payable_to_party',
              owner_name: '宜宾叙府窖酒业',
              owner_platform: null,
              amount: money('-100.00'),
            },
          ],
        },
      },
    });
    renderApp('/ledger/entries/5');
    expect(await screen.findByTestId('entry-account-2')).toHaveTextContent(
      /^宜宾叙府窖酒业 · 应付合作方 · CNY$/,
    );
    expect(screen.getByTestId('entry-account-1')).toHaveTextContent(/^抖音 · 平台应收 · CNY$/);
    expect(screen.getByTestId('entry-source')).toHaveTextContent('结算批次');
  });

  it('is forbidden to a brand, without asking the ledger API', async () => {
    const { calls } = mockApi({ 'GET /api/auth/me/': { body: BRAND_ME } });
    renderApp('/ledger/accounts');
    expect(await screen.findByTestId('forbidden')).toBeInTheDocument();
    expect(calls.some((c) => c.path.startsWith('/api/ledger/'))).toBe(false);
  });
});
