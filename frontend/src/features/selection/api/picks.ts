/** Picks (货盘) and the rate quote of one SKU for an anchor. */
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { api } from '@/api/client';
import { paginated } from '@/api/models';
import { pickSchema, quoteSchema } from '../models';
import { WB, ALL, take, useRefresh } from './shared';

export function usePicks(filters: {
  anchor?: number;
  state?: 'active' | 'pending' | 'rejected' | 'removed';
}) {
  return useQuery({
    queryKey: [...WB, 'picks', filters],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      paginated(pickSchema).parse(
        take(
          await api.GET('/api/selection/picks/', {
            params: { query: { page_size: ALL, ...filters } },
          }),
        ),
      ).results,
  });
}

export function useAddPick() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: async (body: { sku: number; anchor?: number; note?: string }) =>
      pickSchema.parse(take(await api.POST('/api/selection/picks/', { body }))),
    onSuccess: refresh,
  });
}

export function useUpdatePickNote() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: async ({ id, note }: { id: number; note: string }) =>
      pickSchema.parse(
        take(
          await api.PATCH('/api/selection/picks/{id}/', {
            params: { path: { id } },
            body: { note },
          }),
        ),
      ),
    onSuccess: refresh,
  });
}

export function useRemovePick() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: async (id: number) =>
      pickSchema.parse(
        take(await api.DELETE('/api/selection/picks/{id}/', { params: { path: { id } } })),
      ),
    onSuccess: refresh,
  });
}

/** "The rate for me and why": the quote of one SKU for an anchor (default: the caller's own). */
export function useQuote(sku: number | null, anchor?: number | null, ads = false) {
  return useQuery({
    queryKey: [...WB, 'quote', sku, anchor ?? null, ads],
    enabled: sku !== null,
    retry: false,
    queryFn: async () =>
      z.array(quoteSchema).parse(
        take(
          await api.GET('/api/selection/picks/quote/', {
            params: { query: { sku: sku as number, ads, ...(anchor ? { anchor } : {}) } },
          }),
        ),
      )[0] ?? null,
  });
}
