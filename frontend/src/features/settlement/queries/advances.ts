/** Advances (垫付). */
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api } from '@/api/client';
import { advanceSchema, pages } from '../models';
import { PAGE_SIZE, take, useInvalidateSettlement } from './shared';

export function useAdvances(page: number, state?: 'open' | 'recovered' | 'written_off') {
  return useQuery({
    queryKey: ['settlement', 'advances', page, state],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      pages.advances.parse(
        take(
          await api.GET('/api/settlement/advances/', {
            params: { query: { page, page_size: PAGE_SIZE, state } },
          }),
        ),
      ),
  });
}

export function useOpenAdvance() {
  const invalidate = useInvalidateSettlement();
  return useMutation({
    mutationFn: async (body: { statement: number; reason: string }) =>
      advanceSchema.parse(
        take(
          await api.POST('/api/settlement/advances/', {
            body: { statement: body.statement, reason: body.reason.trim() },
          }),
        ),
      ),
    onSuccess: invalidate,
  });
}

export function useWriteOffAdvance() {
  const invalidate = useInvalidateSettlement();
  return useMutation({
    mutationFn: async ({ id, reason }: { id: number; reason: string }) =>
      advanceSchema.parse(
        take(
          await api.POST('/api/settlement/advances/{id}/write-off/', {
            params: { path: { id } },
            body: { reason: reason.trim() },
          }),
        ),
      ),
    onSuccess: invalidate,
  });
}
