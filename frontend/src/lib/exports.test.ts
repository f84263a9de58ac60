import { describe, expect, it } from 'vitest';
import { exportUrl } from './exports';

describe('exportUrl', () => {
  it('puts fmt first and only the filters that are set', () => {
    expect(exportUrl('/api/x/export/', 'csv')).toBe('/api/x/export/?fmt=csv');
    expect(
      exportUrl('/api/x/export/', 'xlsx', {
        warehouse: 2,
        sku: 'CWF-NY-500',
        batch_number: '',
        owner: undefined,
        lot: null,
        in_stock: true,
      }),
    ).toBe('/api/x/export/?fmt=xlsx&warehouse=2&sku=CWF-NY-500&in_stock=true');
    expect(exportUrl('/api/x/export/', 'csv', { in_stock: false, count: 0 })).toBe(
      '/api/x/export/?fmt=csv&in_stock=false&count=0',
    );
  });

  it('encodes filter values', () => {
    expect(exportUrl('/api/x/export/', 'csv', { sku: 'A&B 1' })).toBe(
      '/api/x/export/?fmt=csv&sku=A%26B+1',
    );
  });
});
