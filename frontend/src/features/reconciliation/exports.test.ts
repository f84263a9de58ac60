import { describe, expect, it } from 'vitest';
import { billRejectedExportUrl, exceptionsExportUrl, filtersFromSearch } from './logic';

describe('exceptionsExportUrl', () => {
  it('carries every filter of the screen, and only those', () => {
    const filters = filtersFromSearch(
      new URLSearchParams(
        'period=2026-11&source=douyin&reason=fee_mismatch&state=open&owner=7&age=8-30&open=12' +
          '&unresolved_through=2026-11',
      ),
    );
    expect(exceptionsExportUrl(filters, 'xlsx')).toBe(
      '/api/reconciliation/exceptions/export/?fmt=xlsx&period=2026-11&source=douyin' +
        '&reason=fee_mismatch&state=open&owner=7&age=8-30&unresolved_through=2026-11',
    );
  });

  it('leaves out the filters that are not set, and never a page', () => {
    expect(
      exceptionsExportUrl(filtersFromSearch(new URLSearchParams('state=open&page=3')), 'csv'),
    ).toBe('/api/reconciliation/exceptions/export/?fmt=csv&state=open');
    expect(exceptionsExportUrl({}, 'csv')).toBe('/api/reconciliation/exceptions/export/?fmt=csv');
    expect(exceptionsExportUrl({ age: '60+' }, 'csv')).toBe(
      '/api/reconciliation/exceptions/export/?fmt=csv&age=60%2B',
    );
  });
});

describe('billRejectedExportUrl', () => {
  it('names the import', () => {
    expect(billRejectedExportUrl(42, 'csv')).toBe(
      '/api/reconciliation/imports/42/rejected-rows/export/?fmt=csv',
    );
  });
});
