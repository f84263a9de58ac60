/** Payouts, payout batches and their bank result files (付款). */
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api } from '@/api/client';
import {
  pages,
  payoutBatchSchema,
  payoutPlanSchema,
  payoutSchema,
  resultRefusedSchema,
  resultReportSchema,
  type PayoutState,
  type Rail,
  type ResultRejection,
  type ResultReport,
} from '../models';
import { payoutCreatePayload } from '../logic';
import { PAGE_SIZE, take, useInvalidateSettlement } from './shared';

export interface PayoutFilters {
  state?: PayoutState;
  rail?: Rail;
}

export function usePayouts(page: number, filters: PayoutFilters) {
  return useQuery({
    queryKey: ['settlement', 'payouts', page, filters],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      pages.payouts.parse(
        take(
          await api.GET('/api/settlement/payouts/', {
            params: { query: { page, page_size: PAGE_SIZE, ...filters } },
          }),
        ),
      ),
  });
}

export function useCreatePayouts() {
  const invalidate = useInvalidateSettlement();
  return useMutation({
    mutationFn: async (ids: number[]) =>
      payoutPlanSchema.parse(
        take(await api.POST('/api/settlement/payouts/', { body: payoutCreatePayload(ids) })),
      ),
    onSuccess: invalidate,
  });
}

export function usePayoutAction() {
  const invalidate = useInvalidateSettlement();
  return useMutation({
    mutationFn: async ({ id, action }: { id: number; action: 'retry' | 'send' }) => {
      const params = { path: { id } };
      const result =
        action === 'retry'
          ? await api.POST('/api/settlement/payouts/{id}/retry/', { params })
          : await api.POST('/api/settlement/payouts/{id}/send/', { params });
      return payoutSchema.parse(take(result));
    },
    onSuccess: invalidate,
  });
}

export function usePayoutBatches(page: number) {
  return useQuery({
    queryKey: ['settlement', 'payout-batches', page],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      pages.batches.parse(
        take(
          await api.GET('/api/settlement/payout-batches/', {
            params: { query: { page, page_size: PAGE_SIZE } },
          }),
        ),
      ),
  });
}

export function useCreateBatch() {
  const invalidate = useInvalidateSettlement();
  return useMutation({
    mutationFn: async () =>
      payoutBatchSchema.parse(
        take(await api.POST('/api/settlement/payout-batches/', { body: {} })),
      ),
    onSuccess: invalidate,
  });
}

/** The answer to a bank result file: applied, or refused whole with every bad row. */
export type ResultOutcome =
  | { kind: 'applied'; report: ResultReport }
  | { kind: 'refused'; detail: string; rejected: ResultRejection[] };

/** Upload the bank's result file; a file refused for bad rows (400 with `rejected`) is an
 * outcome, not an error. Any other failure (not a result file, no such batch) throws. */
export function useUploadBatchResults() {
  const invalidate = useInvalidateSettlement();
  return useMutation({
    mutationFn: async ({ id, file }: { id: number; file: File }): Promise<ResultOutcome> => {
      const form = new FormData();
      form.append('file', file);
      const result = await api.POST('/api/settlement/payout-batches/{id}/results/', {
        params: { path: { id } },
        body: form as unknown as { file: string },
      });
      if (result.response.status === 400) {
        const refused = resultRefusedSchema.safeParse(result.error);
        if (refused.success) {
          return { kind: 'refused', detail: refused.data.detail, rejected: refused.data.rejected };
        }
      }
      return { kind: 'applied', report: resultReportSchema.parse(take(result)) };
    },
    onSuccess: (outcome) => {
      if (outcome.kind === 'applied') void invalidate();
    },
  });
}
