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
    ]);
    expect(navFor('mcn').map((i) => i.path)).toEqual([
      '/mcn',
      '/parties/anchors',
      '/selection',
      '/selection/anchor',
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
    expect(navFor('observer').map((i) => i.path)).toEqual(['/observer', '/selection']);
  });
});
