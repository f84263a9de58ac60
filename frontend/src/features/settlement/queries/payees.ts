/** Payees and my earnings (收款方, 我的收益). */
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { api } from '@/api/client';
import { earningsRowSchema, pages, payeeSchema } from '../models';
import type { PayeeRequest } from '../logic';
import { PAGE_SIZE, take, useInvalidateSettlement } from './shared';

export function usePayees(page: number, onHold?: boolean) {
  return useQuery({
    queryKey: ['settlement', 'payees', page, onHold],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      pages.payees.parse(
        take(
          await api.GET('/api/settlement/payees/', {
            params: { query: { page, page_size: PAGE_SIZE, on_hold: onHold } },
          }),
        ),
      ),
  });
}

/** Names of organizations and anchors by id, for the payees table (payee rows carry ids only). */
export function usePartyNames() {
  return useQuery({
    queryKey: ['settlement', 'party-names'],
    staleTime: 5 * 60_000,
    queryFn: async () => {
      const [organizations, anchors] = await Promise.all([
        api.GET('/api/parties/organizations/', { params: { query: { page_size: 500 } } }),
        api.GET('/api/parties/anchors/', { params: { query: { page_size: 500 } } }),
      ]);
      const names = (result: { data?: unknown; error?: unknown; response: Response }) =>
        new Map(pages.partyNames.parse(take(result)).results.map((p) => [p.id, p.name]));
      return { organizations: names(organizations), anchors: names(anchors) };
    },
  });
}

export function useSetPayee() {
  const invalidate = useInvalidateSettlement();
  return useMutation({
    mutationFn: async (body: PayeeRequest) =>
      payeeSchema.parse(take(await api.POST('/api/settlement/payees/', { body }))),
    onSuccess: invalidate,
  });
}

export function useEarnings() {
  return useQuery({
    queryKey: ['settlement', 'earnings'],
    queryFn: async () =>
      z.array(earningsRowSchema).parse(take(await api.GET('/api/settlement/earnings/'))),
  });
}
