/** Runs and their problem lines (结算批次). */
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api } from '@/api/client';
import type { Paginated } from '@/api/models';
import { pages, runSchema, type Run } from '../models';
import { runCreatePayload, runsPollInterval } from '../logic';
import { PAGE_SIZE, take, useInvalidateSettlement } from './shared';

export function useRuns(page: number) {
  return useQuery({
    queryKey: ['settlement', 'runs', page],
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<Paginated<Run>> =>
      pages.runs.parse(
        take(
          await api.GET('/api/settlement/runs/', {
            params: { query: { page, page_size: PAGE_SIZE } },
          }),
        ),
      ),
    refetchInterval: (query) => runsPollInterval(query.state.data?.results),
  });
}

/** Every run, newest first, for the statements page's run filter. */
export function useRunChoices() {
  return useQuery({
    queryKey: ['settlement', 'runs', 'choices'],
    staleTime: 10_000,
    queryFn: async (): Promise<Run[]> =>
      pages.runs.parse(
        take(await api.GET('/api/settlement/runs/', { params: { query: { page_size: 200 } } })),
      ).results,
  });
}

export function useStartRun() {
  const invalidate = useInvalidateSettlement();
  return useMutation({
    mutationFn: async (cutoff: Parameters<typeof runCreatePayload>[0]) =>
      runSchema.parse(
        take(await api.POST('/api/settlement/runs/', { body: runCreatePayload(cutoff) })),
      ),
    onSuccess: invalidate,
  });
}

export function useResumeRun() {
  const invalidate = useInvalidateSettlement();
  return useMutation({
    mutationFn: async (id: number) =>
      runSchema.parse(
        take(await api.POST('/api/settlement/runs/{id}/resume/', { params: { path: { id } } })),
      ),
    onSuccess: invalidate,
  });
}

/** Order lines that cannot be split (no SKU, deductions above the basis): every run leaves them out. */
export function useProblemLines(page: number) {
  return useQuery({
    queryKey: ['settlement', 'problem-lines', page],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      pages.problemLines.parse(
        take(
          await api.GET('/api/settlement/problem-lines/', {
            params: { query: { page, page_size: PAGE_SIZE } },
          }),
        ),
      ),
  });
}
