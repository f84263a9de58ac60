import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { api, unwrap } from '@/api/client';
import type { Me, Paginated } from '@/api/models';
import type { components } from '@/api/schema';
import {
  countSchema,
  pages,
  purchaseOrderSchema,
  receiptSchema,
  reportRowSchema,
  returnSchema,
  shipmentSchema,
  stockPageSchema,
  transferSchema,
  type PurchaseOrder,
  type ReportRow,
  type StockBalance,
  type StockItem,
  type StockPage,
  type Warehouse,
} from './models';
import { unwrapFields, type PurchaseOrderCreate, type ReceiptCreate } from './payload';

type Schemas = components['schemas'];
export const PAGE_SIZE = 20;
const ALL = 500;

/** Operator supply staff (role supply or owner) write; everyone else who may open the pages reads. */
export function canWriteSupply(me: Me | null | undefined): boolean {
  return (
    me?.organization?.kind === 'operator' &&
    me.roles.some((role) => role === 'supply' || role === 'owner')
  );
}

export function useWarehouses() {
  return useQuery({
    queryKey: ['supply', 'warehouses'],
    staleTime: 60_000,
    queryFn: async (): Promise<Warehouse[]> =>
      pages.warehouses.parse(
        unwrap(await api.GET('/api/supply/warehouses/', { params: { query: { page_size: ALL } } })),
      ).results,
  });
}

export function useStockItems() {
  return useQuery({
    queryKey: ['supply', 'stock-items'],
    staleTime: 60_000,
    queryFn: async (): Promise<StockItem[]> =>
      pages.stockItems.parse(
        unwrap(
          await api.GET('/api/supply/stock-items/', { params: { query: { page_size: ALL } } }),
        ),
      ).results,
  });
}

export interface PurchaseOrderFilters {
  state?: Schemas['PurchaseOrderStateEnum'];
  ownership?: Schemas['OwnershipEnum'];
  /** Confirmed orders with a line still to receive expected on or before this day (YYYY-MM-DD). */
  due_by?: string;
}

export function usePurchaseOrders(page: number, filters: PurchaseOrderFilters) {
  return useQuery({
    queryKey: ['supply', 'purchase-orders', page, filters],
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<Paginated<PurchaseOrder>> =>
      pages.purchaseOrders.parse(
        unwrap(
          await api.GET('/api/supply/purchase-orders/', {
            params: { query: { page, page_size: PAGE_SIZE, ...filters } },
          }),
        ),
      ),
  });
}

export function useReceipts(page: number, purchaseOrder?: number) {
  return useQuery({
    queryKey: ['supply', 'receipts', page, purchaseOrder],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      pages.receipts.parse(
        unwrap(
          await api.GET('/api/supply/receipts/', {
            params: { query: { page, page_size: PAGE_SIZE, purchase_order: purchaseOrder } },
          }),
        ),
      ),
  });
}

export interface StockFilters {
  warehouse?: number;
  sku?: string;
  batch_number?: string;
  owner?: number;
  expiring_before?: string;
  /** Low stock: on hand less reserved at most this many units (the home's rule). */
  available_at_most?: number;
  in_stock?: boolean;
  location_kind?: string;
}

export function useStock(page: number, filters: StockFilters, pageSize = PAGE_SIZE) {
  return useQuery({
    queryKey: ['supply', 'stock', page, pageSize, filters],
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<StockPage> =>
      stockPageSchema.parse(
        unwrap(
          await api.GET('/api/supply/stock/', {
            params: { query: { page, page_size: pageSize, ...filters } },
          }),
        ),
      ),
  });
}

/** Every storage row of a warehouse with stock on hand (what a count starts from). */
export function useWarehouseStock(warehouse: number | undefined) {
  return useQuery({
    queryKey: ['supply', 'stock', 'warehouse', warehouse],
    enabled: warehouse !== undefined,
    queryFn: async (): Promise<StockBalance[]> =>
      pages.stock.parse(
        unwrap(
          await api.GET('/api/supply/stock/', {
            params: {
              query: { warehouse, location_kind: 'storage', in_stock: true, page_size: ALL },
            },
          }),
        ),
      ).results,
  });
}

export function useCounts(page: number) {
  return useQuery({
    queryKey: ['supply', 'counts', page],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      pages.counts.parse(
        unwrap(
          await api.GET('/api/supply/counts/', {
            params: { query: { page, page_size: PAGE_SIZE } },
          }),
        ),
      ),
  });
}

export function useShipments(
  page: number,
  kind?: Schemas['ShipmentKindEnum'],
  pageSize = PAGE_SIZE,
) {
  return useQuery({
    queryKey: ['supply', 'shipments', page, pageSize, kind],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      pages.shipments.parse(
        unwrap(
          await api.GET('/api/supply/shipments/', {
            params: { query: { page, page_size: pageSize, kind } },
          }),
        ),
      ),
  });
}

export function useTransfers(page: number, state?: Schemas['TransferStateEnum']) {
  return useQuery({
    queryKey: ['supply', 'transfers', page, state],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      pages.transfers.parse(
        unwrap(
          await api.GET('/api/supply/transfers/', {
            params: { query: { page, page_size: PAGE_SIZE, state } },
          }),
        ),
      ),
  });
}

export function useReturns(page: number) {
  return useQuery({
    queryKey: ['supply', 'returns', page],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      pages.returns.parse(
        unwrap(
          await api.GET('/api/supply/returns/', {
            params: { query: { page, page_size: PAGE_SIZE } },
          }),
        ),
      ),
  });
}

export function useStockReport(dateFrom: string, dateTo: string, owner?: number) {
  return useQuery({
    queryKey: ['supply', 'report', dateFrom, dateTo, owner],
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<ReportRow[]> =>
      z.array(reportRowSchema).parse(
        unwrap(
          await api.GET('/api/supply/report/', {
            params: { query: { date_from: dateFrom, date_to: dateTo, owner } },
          }),
        ),
      ),
  });
}

/** A write that refreshes every supply list (and the ledger, whose balances it may move). */
function useSupplyMutation<V, R>(write: (variables: V) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: async () => {
      await Promise.all([
        client.invalidateQueries({ queryKey: ['supply'] }),
        client.invalidateQueries({ queryKey: ['ledger'] }),
      ]);
    },
  });
}

export function useCreatePurchaseOrder() {
  return useSupplyMutation(async (body: PurchaseOrderCreate) =>
    purchaseOrderSchema.parse(
      unwrapFields(await api.POST('/api/supply/purchase-orders/', { body })),
    ),
  );
}

export function usePurchaseOrderAction() {
  return useSupplyMutation(async ({ id, action }: { id: number; action: 'confirm' | 'cancel' }) => {
    const params = { path: { id } };
    const result =
      action === 'confirm'
        ? await api.POST('/api/supply/purchase-orders/{id}/confirm/', { params })
        : await api.POST('/api/supply/purchase-orders/{id}/cancel/', { params });
    return purchaseOrderSchema.parse(unwrapFields(result));
  });
}

export function useReceivePurchaseOrder() {
  return useSupplyMutation(async ({ id, body }: { id: number; body: ReceiptCreate }) =>
    receiptSchema.parse(
      unwrapFields(
        await api.POST('/api/supply/purchase-orders/{id}/receive/', {
          params: { path: { id } },
          body,
        }),
      ),
    ),
  );
}

export function useCreateCount() {
  return useSupplyMutation(async (body: Schemas['CountCreateRequest']) =>
    countSchema.parse(unwrapFields(await api.POST('/api/supply/counts/', { body }))),
  );
}

export function usePostCount() {
  return useSupplyMutation(async (id: number) =>
    countSchema.parse(
      unwrapFields(
        await api.POST('/api/supply/counts/{id}/post/', {
          params: { path: { id } },
          body: { effective_date: null },
        }),
      ),
    ),
  );
}

export function useCreateShipment() {
  return useSupplyMutation(async (body: Schemas['ShipmentCreateRequest']) =>
    shipmentSchema.parse(unwrapFields(await api.POST('/api/supply/shipments/', { body }))),
  );
}

export function useCreateTransfer() {
  return useSupplyMutation(async (body: Schemas['TransferCreateRequest']) =>
    transferSchema.parse(unwrapFields(await api.POST('/api/supply/transfers/', { body }))),
  );
}

export function useReceiveTransfer() {
  return useSupplyMutation(async (id: number) =>
    transferSchema.parse(
      unwrapFields(
        await api.POST('/api/supply/transfers/{id}/receive/', {
          params: { path: { id } },
          body: { location: null, effective_date: null },
        }),
      ),
    ),
  );
}

export function useCreateReturn() {
  return useSupplyMutation(
    async ({ shipment, body }: { shipment: number; body: Schemas['ReturnCreateRequest'] }) =>
      returnSchema.parse(
        unwrapFields(
          await api.POST('/api/supply/shipments/{id}/returns/', {
            params: { path: { id: shipment } },
            body,
          }),
        ),
      ),
  );
}
