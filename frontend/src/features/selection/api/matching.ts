/** People–goods matching (人货匹配): products for an anchor, anchors for a product. */
import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { api } from '@/api/client';
import { anchorMatchSchema, productMatchSchema } from '../models';
import { WB, take } from './shared';

export function useAnchorRecommendations(anchor: number | null, limit = 10) {
  return useQuery({
    queryKey: [...WB, 'recommend-products', anchor, limit],
    enabled: anchor !== null,
    queryFn: async () =>
      z.object({ anchor: z.number(), results: z.array(productMatchSchema) }).parse(
        take(
          await api.GET('/api/selection/anchors/{anchor_id}/recommendations/', {
            params: { path: { anchor_id: anchor as number }, query: { limit } },
          }),
        ),
      ).results,
  });
}

export function useRecommendedAnchors(product: number | null, limit = 10) {
  return useQuery({
    queryKey: [...WB, 'recommend-anchors', product, limit],
    enabled: product !== null,
    queryFn: async () =>
      z.object({ product: z.number(), results: z.array(anchorMatchSchema) }).parse(
        take(
          await api.GET('/api/selection/products/{product_id}/recommended-anchors/', {
            params: { path: { product_id: product as number }, query: { limit } },
          }),
        ),
      ).results,
  });
}
