import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { dayjs } from '@/lib/time';
import { FINANCE_ME, mockApi } from '@/test/mockApi';
import { renderApp } from '@/test/renderApp';
import {
  contractPayload,
  feeValueText,
  fieldPath,
  fromHundredths,
  hundredths,
  termsPayload,
} from './logic';

const page = <T,>(results: T[]) => ({ count: results.length, next: null, previous: null, results });

const CONTRACT = {
  id: 3,
  brand: 10,
  brand_name: '宜宾叙府窖酒业',
  plan_id: null,
  mode: 'consignment',
  operator_margin_bps: 1250,
  valid_from: '2026-11-01T00:00:00+08:00',
  valid_to: null,
  fees: [{ payee: 21, kind: 'colonel', basis: 'percent', value: 300 }],
  created_at: '2026-10-30T02:00:00Z',
};
const TERMS = [
  {
    id: 1,
    platform: 'douyin',
    service_fee_bps: 500,
    category_fee_bps: { '2001': 300 },
    after_sale_days: 15,
  },
  { id: 2, platform: 'kuaishou', service_fee_bps: 500, category_fee_bps: {}, after_sale_days: 7 },
];

describe('contract and terms payloads', () => {
  it('sends the margin in bps and fees in fen or bps, as integers', () => {
    const payload = contractPayload({
      brand: 10,
      mode: 'buyout',
      margin_pct: '12.5',
      // What the picker hands back for 2026-12-01 00:00 (a browser-local wall clock): Shanghai time.
      valid_from: dayjs('2026-12-01T00:00'),
      fees: [
        { payee: 21, kind: 'colonel', basis: 'percent', value: '3' },
        { payee: 22, kind: 'logistics', basis: 'per_order', value: '4.50' },
        { payee: 23, kind: 'ops_agency', basis: 'per_unit', value: '0.05' },
      ],
    });
    expect(payload).toEqual({
      brand: 10,
      plan_id: null,
      mode: 'buyout',
      operator_margin_bps: 1250,
      valid_from: '2026-11-30T16:00:00.000Z',
      fees: [
        { payee: 21, kind: 'colonel', basis: 'percent', value: 300 },
        { payee: 22, kind: 'logistics', basis: 'per_order', value: 450 },
        { payee: 23, kind: 'ops_agency', basis: 'per_unit', value: 5 },
      ],
    });
  });

  it('converts hundredths both ways without floats', () => {
    expect(hundredths('0.1')).toBe(10);
    expect(hundredths('33.33')).toBe(3333);
    expect(fromHundredths(1250)).toBe('12.50');
    expect(feeValueText('percent', 300)).toBe('3.00%');
    expect(feeValueText('per_order', 450)).toBe('¥4.50');
  });

  it('builds the terms patch and drops empty category codes', () => {
    expect(
      termsPayload({
        service_fee_pct: '6',
        after_sale_days: 15,
        categories: [
          { code: ' 2001 ', pct: '3' },
          { code: '', pct: '9' },
        ],
      }),
    ).toEqual({ service_fee_bps: 600, after_sale_days: 15, category_fee_bps: { '2001': 300 } });
  });

  it('turns the backend field names into form paths', () => {
    expect(fieldPath('fees[1].value')).toEqual(['fees', 1, 'value']);
    expect(fieldPath('valid_from')).toEqual(['valid_from']);
  });
});

describe('contracts tab', () => {
  it('lists contracts and platform terms with bps as %', async () => {
    mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/settlement/contracts/': { body: page([CONTRACT]) },
      'GET /api/settlement/platform-terms/': { body: TERMS },
      'GET /api/parties/organizations/': {
        body: page([
          { id: 10, name: '宜宾叙府窖酒业', kind: 'brand' },
          { id: 21, name: '成都团长服务', kind: 'service_provider' },
        ]),
      },
    });
    renderApp('/settlement/contracts');
    const table = await screen.findByTestId('contracts-table');
    expect(await within(table).findByText('宜宾叙府窖酒业')).toBeInTheDocument();
    expect(within(table).getByText('12.50%')).toBeInTheDocument();
    expect(await within(table).findByText(/成都团长服务/)).toBeInTheDocument();
    const douyin = await screen.findByTestId('terms-row-douyin');
    expect(within(douyin).getByText('5.00%')).toBeInTheDocument();
    expect(within(douyin).getByText('2001: 3.00%')).toBeInTheDocument();
  });

  it('puts the backend field errors on the fields of the contract form', async () => {
    let body: unknown = null;
    mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/settlement/contracts/': { body: page([]) },
      'GET /api/settlement/platform-terms/': { body: TERMS },
      'GET /api/parties/organizations/': {
        body: page([{ id: 10, name: '宜宾叙府窖酒业', kind: 'brand' }]),
      },
      'POST /api/settlement/contracts/': (call) => {
        body = JSON.parse(call.body ?? '{}');
        return {
          status: 400,
          body: {
            detail: '合同不能追溯生效 / a contract cannot start in the past',
            code: 'invalid',
            errors: { valid_from: ['合同不能追溯生效 / a contract cannot start in the past'] },
          },
        };
      },
    });
    renderApp('/settlement/contracts');
    fireEvent.click(await screen.findByTestId('contract-new'));
    const form = await screen.findByTestId('contract-form');
    fireEvent.mouseDown(within(form).getAllByRole('combobox')[0]);
    fireEvent.click(await screen.findByTitle('宜宾叙府窖酒业'));
    fireEvent.change(within(form).getByTestId('contract-margin'), { target: { value: '8.5' } });
    fireEvent.click(screen.getByTestId('contract-submit'));
    expect(await screen.findByText('合同不能追溯生效')).toBeInTheDocument();
    expect(body).toMatchObject({
      brand: 10,
      mode: 'consignment',
      operator_margin_bps: 850,
      fees: [],
    });
  });

  it('saves platform terms as integers', async () => {
    let patch: unknown = null;
    mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/settlement/contracts/': { body: page([]) },
      'GET /api/settlement/platform-terms/': { body: TERMS },
      'GET /api/parties/organizations/': { body: page([]) },
      'PATCH /api/settlement/platform-terms/2/': (call) => {
        patch = JSON.parse(call.body ?? '{}');
        return { body: { ...TERMS[1], service_fee_bps: 450 } };
      },
    });
    renderApp('/settlement/contracts');
    fireEvent.click(await screen.findByTestId('terms-edit-kuaishou'));
    const fee = await screen.findByTestId('terms-service-fee');
    await waitFor(() => expect(fee).toHaveValue('5.00'));
    fireEvent.change(fee, { target: { value: '4.5' } });
    fireEvent.click(screen.getByTestId('terms-save'));
    await waitFor(() =>
      expect(patch).toEqual({ service_fee_bps: 450, after_sale_days: 7, category_fee_bps: {} }),
    );
  });
});
