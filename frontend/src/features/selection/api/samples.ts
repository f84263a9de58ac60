/** Samples (寄样), the brand's sample rules, sample ROI and fulfilment. */
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { api } from '@/api/client';
import { paginated } from '@/api/models';
import { fulfilmentSchema, roiRowSchema, sampleRuleSchema, sampleSchema } from '../models';
import type { SampleCreate, SampleRuleWrite } from '../workbench';
import { WB, ALL, take, useRefresh } from './shared';

export type SampleStateFilter =
  'pending' | 'approved' | 'rejected' | 'expired' | 'cancelled' | 'fulfilled';

export function useSamples(filters: { state?: SampleStateFilter; anchor?: number }) {
  return useQuery({
    queryKey: [...WB, 'samples', filters],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      paginated(sampleSchema).parse(
        take(
          await api.GET('/api/selection/samples/', {
            params: { query: { page_size: ALL, ...filters } },
          }),
        ),
      ).results,
  });
}

export function useCreateSample() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: async (body: SampleCreate) =>
      sampleSchema.parse(take(await api.POST('/api/selection/samples/', { body }))),
    onSuccess: refresh,
  });
}

export function useDecideSample() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: async ({
      id,
      approve,
      reason,
    }: {
      id: number;
      approve: boolean;
      reason?: string;
    }) =>
      sampleSchema.parse(
        take(
          approve
            ? await api.POST('/api/selection/samples/{id}/approve/', { params: { path: { id } } })
            : await api.POST('/api/selection/samples/{id}/reject/', {
                params: { path: { id } },
                body: { reason: reason ?? '' },
              }),
        ),
      ),
    onSuccess: refresh,
  });
}

export function useSampleAction() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: async (
      action:
        | { kind: 'content'; id: number; content_kind: 'stream' | 'video'; content_url: string }
        | { kind: 'extend'; id: number; reason: string }
        | { kind: 'ship'; id: number; carrier: string; tracking_number: string }
        | { kind: 'cancel'; id: number },
    ) => {
      const path = { params: { path: { id: action.id } } };
      if (action.kind === 'content') {
        const { content_kind, content_url } = action;
        return sampleSchema.parse(
          take(
            await api.POST('/api/selection/samples/{id}/content/', {
              ...path,
              body: { content_kind, content_url },
            }),
          ),
        );
      }
      if (action.kind === 'extend') {
        return sampleSchema.parse(
          take(
            await api.POST('/api/selection/samples/{id}/extend/', {
              ...path,
              body: { reason: action.reason },
            }),
          ),
        );
      }
      if (action.kind === 'ship') {
        const { carrier, tracking_number } = action;
        return sampleSchema.parse(
          take(
            await api.POST('/api/selection/samples/{id}/ship/', {
              ...path,
              body: { carrier, tracking_number },
            }),
          ),
        );
      }
      return sampleSchema.parse(take(await api.POST('/api/selection/samples/{id}/cancel/', path)));
    },
    onSuccess: refresh,
  });
}

/** The brand's sample rules, one per product that has one. */
export function useSampleRules() {
  return useQuery({
    queryKey: [...WB, 'sample-rules'],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      paginated(sampleRuleSchema).parse(
        take(
          await api.GET('/api/selection/sample-rules/', {
            params: { query: { page_size: ALL } },
          }),
        ),
      ).results,
  });
}

/** Create or change a product's rule (the POST is an upsert keyed by the product). */
export function useSetSampleRule() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: async (body: SampleRuleWrite) =>
      sampleRuleSchema.parse(take(await api.POST('/api/selection/sample-rules/', { body }))),
    onSuccess: refresh,
  });
}

export function useSampleRoi(range: { since?: string; until?: string }) {
  return useQuery({
    queryKey: [...WB, 'roi', range],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      z
        .array(roiRowSchema)
        .parse(take(await api.GET('/api/selection/samples/roi/', { params: { query: range } }))),
  });
}

export function useFulfilment() {
  return useQuery({
    queryKey: [...WB, 'fulfilment'],
    queryFn: async () =>
      z.array(fulfilmentSchema).parse(take(await api.GET('/api/selection/samples/fulfilment/'))),
  });
}
