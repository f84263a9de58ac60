/** Contracts and platform terms (合同). */
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api } from '@/api/client';
import type { Paginated } from '@/api/models';
import type { components } from '@/api/schema';
import { pages } from '../models';
import type { ContractRequest, termsPayload } from '../logic';
import { PAGE_SIZE, take, useInvalidateSettlement } from './shared';

export type Contract = components['schemas']['Contract'];
export type PlatformTerms = components['schemas']['PlatformTerms'];

export function useContracts(page: number) {
  return useQuery({
    queryKey: ['settlement', 'contracts', page],
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<Paginated<Contract>> =>
      take(
        await api.GET('/api/settlement/contracts/', {
          params: { query: { page, page_size: PAGE_SIZE } },
        }),
      ),
  });
}

export function useCreateContract() {
  const invalidate = useInvalidateSettlement();
  return useMutation({
    mutationFn: async (body: ContractRequest): Promise<Contract> =>
      take(await api.POST('/api/settlement/contracts/', { body })),
    onSuccess: invalidate,
  });
}

/** Organizations to choose from: brands for a contract, any organization as a fee's payee. */
export function useOrganizations(kind?: 'brand') {
  return useQuery({
    queryKey: ['settlement', 'organizations', kind ?? 'all'],
    staleTime: 5 * 60_000,
    queryFn: async () =>
      pages.partyNames.parse(
        take(
          await api.GET('/api/parties/organizations/', {
            params: { query: { page_size: 500, ...(kind ? { kind } : {}) } },
          }),
        ),
      ).results,
  });
}

export function usePlatformTerms() {
  return useQuery({
    queryKey: ['settlement', 'platform-terms'],
    queryFn: async (): Promise<PlatformTerms[]> => {
      const body: unknown = take(await api.GET('/api/settlement/platform-terms/'));
      return Array.isArray(body)
        ? (body as PlatformTerms[])
        : (body as Paginated<PlatformTerms>).results;
    },
  });
}

export function useUpdatePlatformTerms() {
  const invalidate = useInvalidateSettlement();
  return useMutation({
    mutationFn: async ({ id, body }: { id: number; body: ReturnType<typeof termsPayload> }) =>
      take(
        await api.PATCH('/api/settlement/platform-terms/{id}/', { params: { path: { id } }, body }),
      ) as PlatformTerms,
    onSuccess: invalidate,
  });
}
