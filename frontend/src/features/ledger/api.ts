import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import type { operations } from '@/api/schema';
import {
  accountPage,
  accountSchema,
  entrySchema,
  postingPage,
  trialBalanceSchema,
  type TrialBalance,
} from './models';

export const PAGE_SIZE = 50;

type AccountType = NonNullable<operations['ledger_accounts_list']['parameters']['query']>['type'];

export function useAccounts(page: number, asOf?: string, type?: string) {
  return useQuery({
    queryKey: ['ledger', 'accounts', page, asOf, type],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      accountPage.parse(
        unwrap(
          await api.GET('/api/ledger/accounts/', {
            params: {
              query: { page, page_size: PAGE_SIZE, type: type as AccountType, as_of: asOf },
            },
          }),
        ),
      ),
  });
}

export function useAccount(id: number) {
  return useQuery({
    queryKey: ['ledger', 'account', id],
    queryFn: async () =>
      accountSchema.parse(
        unwrap(await api.GET('/api/ledger/accounts/{id}/', { params: { path: { id } } })),
      ),
  });
}

export function useAccountPostings(id: number, page: number, dateFrom?: string, dateTo?: string) {
  return useQuery({
    queryKey: ['ledger', 'postings', id, page, dateFrom, dateTo],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      postingPage.parse(
        unwrap(
          await api.GET('/api/ledger/accounts/{id}/postings/', {
            params: {
              path: { id },
              query: { page, page_size: PAGE_SIZE, date_from: dateFrom, date_to: dateTo },
            },
          }),
        ),
      ),
  });
}

export function useEntry(id: number) {
  return useQuery({
    queryKey: ['ledger', 'entry', id],
    queryFn: async () =>
      entrySchema.parse(
        unwrap(await api.GET('/api/ledger/entries/{id}/', { params: { path: { id } } })),
      ),
  });
}

/** The trial balance (one object; the OpenAPI schema calls it a paginated list, which it is not). */
export function useTrialBalance(asOf?: string) {
  return useQuery({
    queryKey: ['ledger', 'trial-balance', asOf],
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<TrialBalance> =>
      trialBalanceSchema.parse(
        unwrap(
          await api.GET('/api/ledger/trial-balance/', {
            params: { query: { as_of: asOf } },
          }),
        ),
      ),
  });
}
