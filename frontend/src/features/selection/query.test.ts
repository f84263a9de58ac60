import { describe, expect, it } from 'vitest';
import {
  apiQuery,
  commissionBandRange,
  effectiveSort,
  filtersFromSearch,
  hasFilters,
  priceBandRange,
  searchFromFilters,
} from './query';

describe('price bands', () => {
  it('turns the facet labels into inclusive yuan bounds without floats', () => {
    expect(priceBandRange('0-50')).toEqual({ price_max: '49.99' });
    expect(priceBandRange('50-100')).toEqual({ price_min: '50.00', price_max: '99.99' });
    expect(priceBandRange('200-500')).toEqual({ price_min: '200.00', price_max: '499.99' });
    expect(priceBandRange('500+')).toEqual({ price_min: '500.00' });
    expect(priceBandRange('0.1-0.3')).toEqual({ price_min: '0.10', price_max: '0.29' });
  });

  it('refuses what is not a band', () => {
    expect(priceBandRange('100-50')).toBeNull();
    expect(priceBandRange('abc')).toBeNull();
    expect(priceBandRange('1e3-2e3')).toBeNull();
    expect(priceBandRange('-5-10')).toBeNull();
  });
});

describe('commission bands', () => {
  it('are basis points, both ends inclusive', () => {
    expect(commissionBandRange('0-999')).toEqual({ commission_max: 999 });
    expect(commissionBandRange('1000-1999')).toEqual({
      commission_min: 1000,
      commission_max: 1999,
    });
    expect(commissionBandRange('3000-')).toEqual({ commission_min: 3000 });
    expect(commissionBandRange('2000-1000')).toBeNull();
    expect(commissionBandRange('20000-')).toBeNull();
  });
});

describe('filters in the URL', () => {
  it('round-trips every filter in a stable order', () => {
    const filters = {
      q: '豆瓣',
      category: 12,
      origin_city: '成都市',
      brand: 7,
      price: '50-100',
      commission: '2000-2999',
      in_stock: true,
      gi: true,
      plan_type: 'open' as const,
      sort: 'commission' as const,
    };
    const params = searchFromFilters(filters);
    expect(params.toString()).toBe(
      'q=%E8%B1%86%E7%93%A3&category=12&origin_city=%E6%88%90%E9%83%BD%E5%B8%82&brand=7&price=50-100' +
        '&commission=2000-2999&in_stock=true&gi=true&plan_type=open&sort=commission',
    );
    expect(filtersFromSearch(params)).toEqual(filters);
  });

  it('drops malformed values and leaves defaults out', () => {
    const filters = filtersFromSearch(
      new URLSearchParams(
        'q=%20白酒%20&category=abc&brand=-3&price=cheap&commission=99999-&in_stock=yes&sort=random&plan_type=x&status=approved',
      ),
    );
    expect(filters).toEqual({ q: '白酒', status: 'approved' });
    expect(searchFromFilters({ q: '' }).toString()).toBe('');
    expect(hasFilters({ q: '白酒', sort: 'sales' })).toBe(false);
    expect(hasFilters({ q: '', in_stock: true })).toBe(true);
  });

  it('cuts the text to the 50 characters the API takes', () => {
    expect(filtersFromSearch(new URLSearchParams({ q: '川'.repeat(60) })).q).toHaveLength(50);
  });
});

describe('apiQuery', () => {
  it("becomes the backend's query parameters", () => {
    expect(
      apiQuery(
        {
          q: ' 豆瓣 ',
          origin_city: '成都市',
          price: '100-200',
          commission: '1000-1999',
          in_stock: true,
          gi: true,
          sort: 'earnings',
        },
        false,
      ),
    ).toEqual({
      page_size: 20,
      q: '豆瓣',
      origin_city: '成都市',
      price_min: '100.00',
      price_max: '199.99',
      commission_min: 1000,
      commission_max: 1999,
      in_stock: true,
      is_geographic_indication: true,
      sort: 'earnings',
    });
  });

  it('asks for approved products for the operator unless told otherwise', () => {
    expect(apiQuery({ q: '' }, true)).toEqual({ page_size: 20, status: 'approved' });
    expect(apiQuery({ q: '', status: 'submitted' }, true).status).toBe('submitted');
    expect(apiQuery({ q: '', status: 'submitted' }, false).status).toBeUndefined();
  });

  it('shows the sort the backend applies by default', () => {
    expect(effectiveSort({ q: '白酒' })).toBe('relevance');
    expect(effectiveSort({ q: '' })).toBe('newest');
    expect(effectiveSort({ q: '白酒', sort: 'sales' })).toBe('sales');
  });
});
