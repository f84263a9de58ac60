/** Commission plans (佣金计划) and the applications to targeted plans. */
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api } from '@/api/client';
import { paginated } from '@/api/models';
import { applicationSchema, brandProductSchema, planSchema } from '../models';
import type { PlanCreate, PlanUpdate } from '../workbench';
import { WB, ALL, take, useRefresh } from './shared';

export function usePlans(filters: {
  product?: number;
  plan_type?: 'open' | 'targeted' | 'exclusive';
}) {
  return useQuery({
    queryKey: [...WB, 'plans', filters],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      paginated(planSchema).parse(
        take(
          await api.GET('/api/selection/plans/', {
            params: { query: { page_size: ALL, ...filters } },
          }),
        ),
      ).results,
  });
}

export function useCreatePlan() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: async (body: PlanCreate) =>
      planSchema.parse(take(await api.POST('/api/selection/plans/', { body }))),
    onSuccess: refresh,
  });
}

export function useUpdatePlan() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: async ({ id, body }: { id: number; body: PlanUpdate }) =>
      planSchema.parse(
        take(await api.PATCH('/api/selection/plans/{id}/', { params: { path: { id } }, body })),
      ),
    onSuccess: refresh,
  });
}

export function useEndPlan() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: async (id: number) =>
      planSchema.parse(
        take(await api.DELETE('/api/selection/plans/{id}/', { params: { path: { id } } })),
      ),
    onSuccess: refresh,
  });
}

/** The brand's certified products with their SKUs (what a plan can be published on). */
export function useBrandProducts() {
  return useQuery({
    queryKey: [...WB, 'brand-products'],
    staleTime: 60_000,
    queryFn: async () =>
      paginated(brandProductSchema).parse(
        take(
          await api.GET('/api/catalog/products/', {
            params: { query: { status: 'approved', page_size: ALL } },
          }),
        ),
      ).results,
  });
}

// Applications to targeted plans -------------------------------------------------------------

export function useApplications(state?: 'pending' | 'approved' | 'rejected') {
  return useQuery({
    queryKey: [...WB, 'applications', state],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      paginated(applicationSchema).parse(
        take(
          await api.GET('/api/selection/applications/', {
            params: { query: { page_size: ALL, state } },
          }),
        ),
      ).results,
  });
}

export function useDecideApplication() {
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
    }) => {
      const options = { params: { path: { id } }, body: reason ? { reason } : {} };
      return applicationSchema.parse(
        take(
          approve
            ? await api.POST('/api/selection/applications/{id}/approve/', options)
            : await api.POST('/api/selection/applications/{id}/reject/', options),
        ),
      );
    },
    onSuccess: refresh,
  });
}
