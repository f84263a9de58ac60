import { describe, expect, it } from 'vitest';
import { batchRejectedExportUrl, problemLinesExportUrl } from './logic';

describe('settlement exports', () => {
  it('asks for every rejected row of the import on screen', () => {
    expect(batchRejectedExportUrl(17, 'xlsx')).toBe(
      '/api/orders/batches/17/rejected-rows/export/?fmt=xlsx',
    );
  });

  it('asks for the lines waiting for review, of one platform when filtered', () => {
    expect(problemLinesExportUrl('csv')).toBe('/api/settlement/problem-lines/export/?fmt=csv');
    expect(problemLinesExportUrl('xlsx', 'kuaishou')).toBe(
      '/api/settlement/problem-lines/export/?fmt=xlsx&platform=kuaishou',
    );
  });
});
