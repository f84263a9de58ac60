import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { api, ApiError } from '@/api/client';
import type { Me, Paginated } from '@/api/models';
import { importPollInterval } from '@/lib/importJob';
import type { CatalogT } from './i18n';
import type { ProductCreatePayload, ProductPatchPayload, SkuChanges } from './form';
import { importOutcome, type ImportOutcome } from './importFile';
import {
  categorySchema,
  imageSchema,
  productPage,
  productImportSchema,
  productSchema,
  type Category,
  type Product,
  type ProductImage,
  type ProductImport,
  type ProductStatus,
} from './models';

export const PAGE_SIZE = 20;

/** An API error that keeps the backend's per-field messages ({"errors": {field: [...]}} or DRF's {field: [...]}). */
export class CatalogApiError extends ApiError {
  readonly fields: Record<string, string[]>;

  constructor(status: number, body: unknown) {
    const detail =
      body && typeof body === 'object' && typeof (body as { detail?: unknown }).detail === 'string'
        ? (body as { detail: string }).detail
        : null;
    const fields = fieldMessages(body);
    super(status, detail ?? Object.values(fields)[0]?.[0] ?? null);
    this.fields = fields;
  }
}

function fieldMessages(body: unknown): Record<string, string[]> {
  if (!body || typeof body !== 'object') return {};
  const source = 'errors' in body ? (body as { errors: unknown }).errors : body;
  if (!source || typeof source !== 'object') return {};
  const out: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
    if (key === 'detail' || key === 'code') continue;
    if (Array.isArray(value))
      out[key] = value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
    else if (typeof value === 'string') out[key] = [value];
    else if (value && typeof value === 'object') out[key] = [JSON.stringify(value)];
  }
  return out;
}

function take<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (!result.response.ok || result.error !== undefined) {
    throw new CatalogApiError(result.response.status, result.error);
  }
  return result.data as T;
}

/** Brand owners and staff edit products; operator reviewers certify them. */
export function canEditProducts(me: Me | null | undefined): boolean {
  return (
    me?.organization?.kind === 'brand' &&
    me.roles.some((role) => role === 'owner' || role === 'staff')
  );
}

export function canReview(me: Me | null | undefined): boolean {
  return me?.organization?.kind === 'operator' && me.roles.includes('reviewer');
}

export function useCategories() {
  return useQuery({
    queryKey: ['catalog', 'categories'],
    staleTime: 10 * 60_000,
    queryFn: async (): Promise<Category[]> =>
      z.array(categorySchema).parse(take(await api.GET('/api/catalog/categories/'))),
  });
}

export function useProducts(page: number, status?: ProductStatus) {
  return useQuery({
    queryKey: ['catalog', 'products', page, status],
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<Paginated<Product>> =>
      productPage.parse(
        take(
          await api.GET('/api/catalog/products/', {
            params: { query: { page, page_size: PAGE_SIZE, status } },
          }),
        ),
      ),
  });
}

export function useProduct(id: number | null) {
  return useQuery({
    queryKey: ['catalog', 'product', id],
    enabled: id !== null,
    queryFn: async (): Promise<Product> =>
      productSchema.parse(
        take(
          await api.GET('/api/catalog/products/{id}/', { params: { path: { id: id as number } } }),
        ),
      ),
  });
}

function useInvalidateCatalog() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['catalog'] });
}

export function useCreateProduct() {
  const invalidate = useInvalidateCatalog();
  return useMutation({
    mutationFn: async (payload: ProductCreatePayload): Promise<Product> =>
      productSchema.parse(take(await api.POST('/api/catalog/products/', { body: payload }))),
    onSuccess: invalidate,
  });
}

/** PATCH the product's changed fields, then create, update and delete SKUs; returns the product as saved. */
export function useSaveProduct() {
  const invalidate = useInvalidateCatalog();
  return useMutation({
    mutationFn: async ({
      id,
      patch,
      skus,
    }: {
      id: number;
      patch: ProductPatchPayload;
      skus: SkuChanges;
    }): Promise<Product> => {
      if (Object.keys(patch).length > 0) {
        take(
          await api.PATCH('/api/catalog/products/{id}/', { params: { path: { id } }, body: patch }),
        );
      }
      // New SKUs first: a submitted product must keep at least one SKU while others are removed.
      for (const sku of skus.create) {
        take(await api.POST('/api/catalog/skus/', { body: { ...sku, product: id } }));
      }
      for (const { id: skuId, data } of skus.update) {
        take(
          await api.PATCH('/api/catalog/skus/{id}/', {
            params: { path: { id: skuId } },
            body: data,
          }),
        );
      }
      for (const skuId of skus.remove) {
        take(await api.DELETE('/api/catalog/skus/{id}/', { params: { path: { id: skuId } } }));
      }
      return productSchema.parse(
        take(await api.GET('/api/catalog/products/{id}/', { params: { path: { id } } })),
      );
    },
    onSettled: invalidate,
  });
}

export function useSubmitProduct() {
  const invalidate = useInvalidateCatalog();
  return useMutation({
    mutationFn: async (id: number): Promise<Product> =>
      productSchema.parse(
        take(await api.POST('/api/catalog/products/{id}/submit/', { params: { path: { id } } })),
      ),
    onSuccess: invalidate,
  });
}

export function useUploadImage(productId: number | null) {
  const invalidate = useInvalidateCatalog();
  return useMutation({
    mutationFn: async (file: File): Promise<ProductImage> => {
      const form = new FormData();
      form.append('file', file);
      return imageSchema.parse(
        take(
          await api.POST('/api/catalog/products/{id}/images/', {
            params: { path: { id: productId as number } },
            body: form as unknown as { file: string },
          }),
        ),
      );
    },
    onSuccess: invalidate,
  });
}

/** Upload an import file; a refused file (400 with a report) is an outcome, not an error. */
export function useImportProducts() {
  const invalidate = useInvalidateCatalog();
  return useMutation({
    mutationFn: async (file: File): Promise<ImportOutcome> => {
      const form = new FormData();
      form.append('file', file);
      const result = await api.POST('/api/catalog/products/import/', {
        body: form as unknown as { file: string },
      });
      if (result.response.status >= 500 || result.response.status === 403) {
        throw new CatalogApiError(result.response.status, result.error);
      }
      return importOutcome(result.response.status, result.data ?? result.error);
    },
    onSuccess: (outcome) => {
      if (outcome.kind === 'imported') void invalidate();
    },
  });
}

/** A product import running in the background, polled until it is done or failed. */
export function useProductImport(id: number | null) {
  return useQuery({
    queryKey: ['catalog', 'import', id],
    enabled: id !== null,
    queryFn: async (): Promise<ProductImport> =>
      productImportSchema.parse(
        take(
          await api.GET('/api/catalog/product-imports/{id}/', {
            params: { path: { id: id as number } },
          }),
        ),
      ),
    refetchInterval: (query) => importPollInterval(query.state.data),
  });
}

export function useReviews(page: number, status: ProductStatus) {
  return useQuery({
    queryKey: ['catalog', 'reviews', page, status],
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<Paginated<Product>> =>
      productPage.parse(
        take(
          await api.GET('/api/catalog/reviews/', {
            params: { query: { page, page_size: PAGE_SIZE, status } as { page: number } },
          }),
        ),
      ),
  });
}

export function useApprove() {
  const invalidate = useInvalidateCatalog();
  return useMutation({
    mutationFn: async (id: number): Promise<Product> =>
      productSchema.parse(
        take(await api.POST('/api/catalog/reviews/{id}/approve/', { params: { path: { id } } })),
      ),
    onSuccess: invalidate,
  });
}

export function useReject() {
  const invalidate = useInvalidateCatalog();
  return useMutation({
    mutationFn: async ({ id, reason }: { id: number; reason: string }): Promise<Product> =>
      productSchema.parse(
        take(
          await api.POST('/api/catalog/reviews/{id}/reject/', {
            params: { path: { id } },
            body: { reason },
          }),
        ),
      ),
    onSuccess: invalidate,
  });
}

/** The backend's message for a failed call, else a generic one. */
export function errorText(t: CatalogT, error: unknown): string {
  if (error instanceof ApiError && error.detail) return error.detail;
  return t('common.failed');
}
