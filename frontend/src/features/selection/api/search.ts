/** The selection center's search (/api/catalog/selection/): pages, facets and one row's product. */
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import {
  facetsSchema,
  publicProductSchema,
  searchPageSchema,
  type Facets,
  type PublicProduct,
  type SearchPage,
} from '../models';
import type { SelectionQuery } from '../query';

/**
 * One page of search results after `cursor` (keyset pagination: the backend's `next` is passed
 * back as `cursor`; an empty cursor is the first page).
 */
export async function fetchSearchPage(query: SelectionQuery, cursor: string): Promise<SearchPage> {
  const result = await api.GET('/api/catalog/selection/', {
    params: { query: { ...query, ...(cursor ? { cursor } : {}) } },
  });
  // The generated schema types this answer as a list of pages; it is one page.
  return searchPageSchema.parse(
    unwrap(result as { data?: unknown; error?: unknown; response: Response }),
  );
}

export function useSearch(query: SelectionQuery) {
  return useInfiniteQuery({
    queryKey: ['selection', 'search', query],
    initialPageParam: '',
    queryFn: ({ pageParam }) => fetchSearchPage(query, pageParam),
    getNextPageParam: (last) => last.next || undefined,
  });
}

export function useFacets(query: SelectionQuery) {
  // Facets ignore the sort; leave it (and the page size) out of the key so a re-sort reuses them.
  const rest = { ...query };
  delete rest.sort;
  delete rest.page_size;
  return useQuery({
    queryKey: ['selection', 'facets', rest],
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<Facets> =>
      facetsSchema.parse(
        unwrap(await api.GET('/api/catalog/selection/facets/', { params: { query: rest } })),
      ),
  });
}

/** The product of a selection-center row, by the row's SKU id. */
export function useSelectionProduct(skuId: number | null) {
  return useQuery({
    queryKey: ['selection', 'product', skuId],
    enabled: skuId !== null,
    queryFn: async (): Promise<PublicProduct> =>
      publicProductSchema.parse(
        unwrap(
          await api.GET('/api/catalog/selection/{sku}/', {
            // The schema names the path parameter `sku` and also lists an `id`; the URL takes the SKU id.
            params: { path: { sku: skuId as number } },
          }),
        ),
      ),
  });
}
