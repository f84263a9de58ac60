import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { z } from 'zod';
import { api, ApiError, unwrap } from '@/api/client';
import { paginated } from '@/api/models';
import {
  anchorBriefSchema,
  anchorMatchSchema,
  applicationSchema,
  brandProductSchema,
  facetsSchema,
  fulfilmentSchema,
  pickSchema,
  planSchema,
  productMatchSchema,
  publicProductSchema,
  quoteSchema,
  roiRowSchema,
  sampleRuleSchema,
  sampleSchema,
  searchPageSchema,
  sessionSchema,
  type AnchorBrief,
  type Facets,
  type PublicProduct,
  type SearchPage,
} from './models';
import type { SelectionQuery } from './query';
import type {
  PlanCreate,
  PlanUpdate,
  SampleCreate,
  SampleRuleWrite,
  SessionCreate,
  SessionUpdate,
} from './workbench';

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

// ---------------------------------------------------------------------------------------------
// The workbench: plans, applications, picks, samples, sessions, ROI and matching
// (backend/shuxuan/selection/apis.py, matching_apis.py). Every key starts with WB so that a
// write refreshes them all and leaves the search's cache alone.

const WB = ['selection', 'wb'] as const;
const ALL = 500;

/** An API error that keeps the backend's per-field messages: `{detail, errors: {field: [...]}}`
 * from a service, or DRF's `{field: [...]}` / nested `{lineup: {"0": {...}}}` from a serializer. */
export class SelectionApiError extends ApiError {
  readonly fields: Record<string, string[]>;
  readonly code: string | null;

  constructor(status: number, body: unknown) {
    const fields = fieldErrors(body);
    const detail =
      body && typeof body === 'object' && typeof (body as { detail?: unknown }).detail === 'string'
        ? (body as { detail: string }).detail
        : null;
    super(status, detail ?? Object.values(fields)[0]?.[0] ?? null);
    this.name = 'SelectionApiError';
    this.fields = fields;
    const code = body && typeof body === 'object' ? (body as { code?: unknown }).code : null;
    this.code = typeof code === 'string' ? code : null;
  }
}

export function fieldErrors(body: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!body || typeof body !== 'object') return out;
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'string') {
      (out[path] ??= []).push(value);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => (typeof v === 'string' ? walk(v, path) : walk(v, `${path}[${i}]`)));
    } else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        walk(inner, /^\d+$/.test(key) ? `${path}[${key}]` : path ? `${path}.${key}` : key);
      }
    }
  };
  const source = 'errors' in body ? (body as { errors: unknown }).errors : body;
  if (source && typeof source === 'object') {
    for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
      if (key === 'detail' || key === 'code') continue;
      walk(value, key);
    }
  }
  return out;
}

function take<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (!result.response.ok || result.error !== undefined) {
    throw new SelectionApiError(result.response.status, result.error);
  }
  return result.data as T;
}

function useRefresh() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: WB });
}

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

// Plans --------------------------------------------------------------------------------------

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

// Picks (货盘) and quotes ---------------------------------------------------------------------

export function usePicks(filters: {
  anchor?: number;
  state?: 'active' | 'pending' | 'rejected' | 'removed';
}) {
  return useQuery({
    queryKey: [...WB, 'picks', filters],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      paginated(pickSchema).parse(
        take(
          await api.GET('/api/selection/picks/', {
            params: { query: { page_size: ALL, ...filters } },
          }),
        ),
      ).results,
  });
}

export function useAddPick() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: async (body: { sku: number; anchor?: number; note?: string }) =>
      pickSchema.parse(take(await api.POST('/api/selection/picks/', { body }))),
    onSuccess: refresh,
  });
}

export function useUpdatePickNote() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: async ({ id, note }: { id: number; note: string }) =>
      pickSchema.parse(
        take(
          await api.PATCH('/api/selection/picks/{id}/', {
            params: { path: { id } },
            body: { note },
          }),
        ),
      ),
    onSuccess: refresh,
  });
}

export function useRemovePick() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: async (id: number) =>
      pickSchema.parse(
        take(await api.DELETE('/api/selection/picks/{id}/', { params: { path: { id } } })),
      ),
    onSuccess: refresh,
  });
}

/** "The rate for me and why": the quote of one SKU for an anchor (default: the caller's own). */
export function useQuote(sku: number | null, anchor?: number | null, ads = false) {
  return useQuery({
    queryKey: [...WB, 'quote', sku, anchor ?? null, ads],
    enabled: sku !== null,
    retry: false,
    queryFn: async () =>
      z.array(quoteSchema).parse(
        take(
          await api.GET('/api/selection/picks/quote/', {
            params: { query: { sku: sku as number, ads, ...(anchor ? { anchor } : {}) } },
          }),
        ),
      )[0] ?? null,
  });
}

// Samples (寄样) -------------------------------------------------------------------------------

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

// Live sessions (直播排期) ----------------------------------------------------------------------

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

// People–goods matching (人货匹配) --------------------------------------------------------------

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
