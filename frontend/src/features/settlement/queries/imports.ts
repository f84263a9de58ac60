/** Order imports (订单导入). */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/api/client';
import { importBatchSchema, pages, type ImportBatch, type ImportPlatform } from '../models';
import { importPollInterval } from '../logic';
import { PAGE_SIZE, take } from './shared';

export function useImportBatches(page: number) {
  return useQuery({
    queryKey: ['settlement', 'imports', page],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      pages.imports.parse(
        take(
          await api.GET('/api/orders/batches/', {
            params: { query: { page, page_size: PAGE_SIZE, kind: 'file' } },
          }),
        ),
      ),
    refetchInterval: (query) =>
      query.state.data?.results.some((b) => b.state === 'pending' || b.state === 'running')
        ? 3000
        : false,
  });
}

/** One import, polled until it is done or failed. */
export function useImportBatch(id: number | null) {
  return useQuery({
    queryKey: ['settlement', 'import', id],
    enabled: id !== null,
    queryFn: async (): Promise<ImportBatch> =>
      importBatchSchema.parse(
        take(
          await api.GET('/api/orders/batches/{id}/', { params: { path: { id: id as number } } }),
        ),
      ),
    refetchInterval: (query) => importPollInterval(query.state.data),
  });
}

export function useUploadOrders() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ platform, file }: { platform: ImportPlatform; file: File }) => {
      const form = new FormData();
      form.append('platform', platform);
      form.append('file', file);
      const result = await api.POST('/api/orders/batches/', {
        body: form as unknown as { platform: ImportPlatform; file: string },
      });
      return {
        batch: importBatchSchema.parse(take(result)),
        reused: result.response.status === 200,
      };
    },
    onSuccess: () => client.invalidateQueries({ queryKey: ['settlement', 'imports'] }),
  });
}
