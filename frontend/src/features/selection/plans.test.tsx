import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { BRAND_ME, mockApi } from '@/test/mockApi';
import { renderApp } from '@/test/renderApp';

const empty = { count: 0, next: null, previous: null, results: [] };

describe('the new commission plan form', () => {
  it('says that it lists only approved products', async () => {
    mockApi({
      'GET /api/auth/me/': { body: BRAND_ME },
      'GET /api/selection/plans/': { body: empty },
      'GET /api/catalog/products/': { body: empty },
    });
    renderApp('/selection/brand/plans');
    await userEvent.click(await screen.findByTestId('plan-new'));
    expect(await screen.findByTestId('plan-product-hint')).toHaveTextContent(
      '只列出已审核通过的商品',
    );
  });
});
