/** Who the caller is and may act for: their own anchor, the anchors their organization sees. */
import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { api } from '@/api/client';
import { paginated } from '@/api/models';
import { anchorBriefSchema, quoteSchema, searchPageSchema, type AnchorBrief } from '../models';
import { WB, ALL, take } from './shared';

/**
 * The anchor the logged-in user is (an anchor's own login), or null. The API says it only through
 * the rate quote, which defaults to the caller's own anchor: quote any listed SKU without naming
 * an anchor — 200 names the anchor, 404 means the caller is not one.
 */
export function useOwnAnchor(enabled = true) {
  return useQuery({
    queryKey: [...WB, 'own-anchor'],
    enabled,
    staleTime: Infinity,
    queryFn: async (): Promise<number | null> => {
      const page = searchPageSchema.parse(
        take(
          (await api.GET('/api/catalog/selection/', {
            params: { query: { page_size: 1 } },
          })) as { data?: unknown; error?: unknown; response: Response },
        ),
      );
      const sku = page.results[0]?.id;
      if (sku === undefined) return null;
      const result = await api.GET('/api/selection/picks/quote/', {
        params: { query: { sku } },
      });
      if (result.response.status === 404) return null;
      return z.array(quoteSchema).parse(take(result))[0]?.anchor_id ?? null;
    },
  });
}

/** The anchors the caller's organization sees (its own and those bound to it). */
export function useVisibleAnchors(enabled = true) {
  return useQuery({
    queryKey: [...WB, 'anchors'],
    enabled,
    staleTime: 5 * 60_000,
    queryFn: async (): Promise<AnchorBrief[]> =>
      paginated(anchorBriefSchema).parse(
        take(await api.GET('/api/parties/anchors/', { params: { query: { page_size: ALL } } })),
      ).results,
  });
}

/** Who the caller may act for: their own anchor, or every anchor their MCN manages. */
export function useActingAnchors() {
  const own = useOwnAnchor();
  const visible = useVisibleAnchors(own.isSuccess);
  const ownId = own.data ?? null;
  const anchors =
    ownId !== null
      ? (visible.data ?? [])
          .filter((a) => a.id === ownId)
          .concat(
            (visible.data ?? []).some((a) => a.id === ownId)
              ? []
              : [{ id: ownId, name: `#${ownId}` }],
          )
      : (visible.data ?? []);
  return {
    isPending: own.isPending || (own.isSuccess && visible.isPending),
    ownAnchor: ownId,
    anchors,
  };
}
