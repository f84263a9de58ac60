/** The phases of a line (定金 / 尾款). */
import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '@/api/client';
import { linePhasesSchema, type LinePhases } from '../models';
import { take, useInvalidateSettlement } from './shared';

export interface PhasesPayload {
  phases: { amount: { amount: string; currency: string }; settleable_on: string }[];
}

export function useLinePhases(lineId: number | null) {
  return useQuery({
    queryKey: ['settlement', 'line-phases', lineId],
    enabled: lineId !== null,
    queryFn: async (): Promise<LinePhases> =>
      linePhasesSchema.parse(
        take(
          await api.GET('/api/settlement/lines/{line_id}/phases/', {
            params: { path: { line_id: lineId as number } },
          }),
        ),
      ),
  });
}

export function useSetLinePhases() {
  const invalidate = useInvalidateSettlement();
  return useMutation({
    mutationFn: async ({ lineId, body }: { lineId: number; body: PhasesPayload }) =>
      linePhasesSchema.parse(
        take(
          await api.PUT('/api/settlement/lines/{line_id}/phases/', {
            params: { path: { line_id: lineId } },
            body,
          }),
        ),
      ),
    onSuccess: invalidate,
  });
}

export function useClearLinePhases() {
  const invalidate = useInvalidateSettlement();
  return useMutation({
    mutationFn: async (lineId: number) => {
      take(
        await api.DELETE('/api/settlement/lines/{line_id}/phases/', {
          params: { path: { line_id: lineId } },
        }),
      );
    },
    onSuccess: invalidate,
  });
}
