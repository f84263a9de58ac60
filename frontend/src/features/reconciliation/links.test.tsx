import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FINANCE_ME, mockApi, queriesOf } from '@/test/mockApi';
import { renderApp } from '@/test/renderApp';

const empty = { count: 0, next: null, previous: null, results: [] };

describe('the exceptions queue honours the home card link', () => {
  it('?unresolved_through=&age=31+ asks for unresolved exceptions over 30 days and shows both', async () => {
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/parties/users/': { body: empty },
      'GET /api/reconciliation/exceptions/': { body: empty },
    });
    renderApp('/reconciliation/exceptions?unresolved_through=2026-03&age=31%2B');
    expect(await screen.findByTestId('filter-tag-unresolved_through')).toHaveTextContent('2026-03');
    expect(screen.getByTestId('filter-age')).toHaveTextContent('31+');
    const queries = () => queriesOf(calls, '/api/reconciliation/exceptions/');
    await waitFor(() => expect(queries()).not.toHaveLength(0));
    expect(queries()[0]!.get('unresolved_through')).toBe('2026-03');
    expect(queries()[0]!.get('age')).toBe('31+');

    fireEvent.click(
      screen.getByTestId('filter-tag-unresolved_through').querySelector('.ant-tag-close-icon')!,
    );
    await waitFor(() => {
      const last = queries().at(-1)!;
      expect(last.has('unresolved_through')).toBe(false);
      expect(last.get('age')).toBe('31+');
    });
  });
});
