/** Live sessions (直播排期): the list, the calendar, scheduling, changes and cancelling. */
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { api } from '@/api/client';
import { paginated } from '@/api/models';
import { sessionSchema } from '../models';
import type { SessionCreate, SessionUpdate } from '../workbench';
import { WB, ALL, take, useRefresh } from './shared';

export function useSessions(filters: { anchor?: number; state?: 'scheduled' | 'cancelled' }) {
  return useQuery({
    queryKey: [...WB, 'sessions', filters],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      paginated(sessionSchema).parse(
        take(
          await api.GET('/api/selection/sessions/', {
            params: { query: { page_size: ALL, ...filters } },
          }),
        ),
      ).results,
  });
}

/** Scheduled sessions overlapping [start, end] (inclusive Asia/Shanghai days, at most 93). */
export function useSessionCalendar(start: string, end: string, anchor?: number) {
  return useQuery({
    queryKey: [...WB, 'calendar', start, end, anchor ?? null],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      z.array(sessionSchema).parse(
        take(
          await api.GET('/api/selection/sessions/calendar/', {
            params: { query: { start, end, ...(anchor ? { anchor } : {}) } },
          }),
        ),
      ),
  });
}

export function useCreateSession() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: async (body: SessionCreate) =>
      sessionSchema.parse(take(await api.POST('/api/selection/sessions/', { body }))),
    onSuccess: refresh,
  });
}

/** Change a scheduled session: title, platform, times and/or the whole lineup. */
export function useUpdateSession() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: async ({ id, body }: { id: number; body: SessionUpdate }) =>
      sessionSchema.parse(
        take(await api.PATCH('/api/selection/sessions/{id}/', { params: { path: { id } }, body })),
      ),
    onSuccess: refresh,
  });
}

export function useCancelSession() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: async ({ id, reason }: { id: number; reason?: string }) =>
      sessionSchema.parse(
        take(
          await api.POST('/api/selection/sessions/{id}/cancel/', {
            params: { path: { id } },
            body: reason ? { reason } : {},
          }),
        ),
      ),
    onSuccess: refresh,
  });
}
