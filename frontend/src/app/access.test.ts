import { describe, expect, it } from 'vitest';
import { navFor } from './access';

describe('navFor', () => {
  it('gives each home its own menu', () => {
    expect(navFor('brand').map((i) => i.path)).toEqual([
      '/brand',
      '/supply',
      '/catalog',
      '/selection',
      '/selection/brand',
      '/earnings',
    ]);
    expect(navFor('mcn').map((i) => i.path)).toEqual([
      '/mcn',
      '/parties/anchors',
      '/selection',
      '/selection/anchor',
      '/earnings',
    ]);
    expect(navFor('operator').map((i) => i.path)).toEqual([
      '/operator',
      '/parties/organizations',
      '/parties/anchors',
      '/supply',
      '/catalog',
      '/selection',
    ]);
    expect(navFor('finance').map((i) => i.path)).toContain('/ledger');
    expect(navFor('finance').map((i) => i.path)).toContain('/settlement');
    expect(navFor('operator', ['owner', 'staff']).map((i) => i.path)).toContain('/settlement');
    expect(navFor('operator', ['reviewer']).map((i) => i.path)).not.toContain('/settlement');
    expect(navFor('finance').map((i) => i.path)).toContain('/reconciliation');
    expect(navFor('operator', ['owner']).map((i) => i.path)).toContain('/reconciliation');
    expect(navFor('operator', ['staff']).map((i) => i.path)).not.toContain('/reconciliation');
    expect(navFor('observer').map((i) => i.path)).toEqual(['/observer', '/selection']);
  });
});
