/** Zod schemas of the supply API's responses (backend/shuxuan/supply/serializers.py). */
import { z } from 'zod';
import { moneySchema, paginated } from '@/api/models';

export const orgBriefSchema = z.object({ id: z.number(), name: z.string(), kind: z.string() });
export type OrgBrief = z.infer<typeof orgBriefSchema>;

export const lotSchema = z.object({
  id: z.number(),
  batch_number: z.string(),
  production_date: z.string().nullish(),
  expiry_date: z.string().nullish(),
});
export type Lot = z.infer<typeof lotSchema>;

export const locationSchema = z.object({
  id: z.number(),
  warehouse: z.number().nullish(),
  kind: z.string(),
  code: z.string(),
  name: z.string(),
});
export type Location = z.infer<typeof locationSchema>;

export const warehouseSchema = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  city: z.string().nullish(),
  county: z.string().nullish(),
  locations: z.array(locationSchema),
});
export type Warehouse = z.infer<typeof warehouseSchema>;

export const itemBriefSchema = z.object({
  id: z.number(),
  sku_code: z.string(),
  name: z.string(),
  unit: z.string(),
});
export type ItemBrief = z.infer<typeof itemBriefSchema>;

export const stockItemSchema = itemBriefSchema.extend({
  brand: orgBriefSchema,
  requires_lot: z.boolean(),
});
export type StockItem = z.infer<typeof stockItemSchema>;

export const PO_STATES = [
  'draft',
  'confirmed',
  'partially_received',
  'received',
  'cancelled',
] as const;
export type PoState = (typeof PO_STATES)[number];
export const OWNERSHIPS = ['buy_out', 'consignment'] as const;
export type Ownership = (typeof OWNERSHIPS)[number];

export const poLineSchema = z.object({
  id: z.number(),
  line_no: z.number(),
  stock_item: itemBriefSchema,
  quantity: z.number(),
  unit_price: moneySchema,
  expected_date: z.string().nullish(),
  received_quantity: z.number().default(0),
});
export type PoLine = z.infer<typeof poLineSchema>;

export const purchaseOrderSchema = z.object({
  id: z.number(),
  buyer: orgBriefSchema,
  brand: orgBriefSchema,
  warehouse: z.string(),
  ownership: z.string(),
  state: z.string(),
  note: z.string().nullish(),
  created_at: z.string(),
  confirmed_at: z.string().nullish(),
  lines: z.array(poLineSchema),
});
export type PurchaseOrder = z.infer<typeof purchaseOrderSchema>;

export const receiptSchema = z.object({
  id: z.number(),
  purchase_order: z.number(),
  location: locationSchema,
  effective_date: z.string(),
  note: z.string().nullish(),
  journal_entry_id: z.number().nullish(),
  created_at: z.string(),
  lines: z.array(
    z.object({
      id: z.number(),
      line_no: z.number(),
      stock_item: itemBriefSchema,
      lot: lotSchema.nullish(),
      quantity: z.number(),
      value: moneySchema,
    }),
  ),
});
export type Receipt = z.infer<typeof receiptSchema>;

export const stockBalanceSchema = z.object({
  id: z.number(),
  warehouse: z.string(),
  location: locationSchema,
  stock_item: itemBriefSchema,
  lot: lotSchema.nullish(),
  owner: orgBriefSchema,
  on_hand: z.number(),
  reserved: z.number(),
  available: z.number(),
  unit_cost: moneySchema,
  /** The ledger's value of the row (the cost pool's value allocated over its rows). */
  value: moneySchema,
});
export type StockBalance = z.infer<typeof stockBalanceSchema>;
/** A page of the stock list with the value of every row the filters select. */
export const stockPageSchema = paginated(stockBalanceSchema).extend({ total_value: moneySchema });
export type StockPage = z.infer<typeof stockPageSchema>;

export const countSchema = z.object({
  id: z.number(),
  warehouse: z.string(),
  reason: z.string(),
  state: z.string(),
  effective_date: z.string().nullish(),
  journal_entry_id: z.number().nullish(),
  created_at: z.string(),
  posted_at: z.string().nullish(),
  lines: z.array(
    z.object({
      id: z.number(),
      location: locationSchema,
      stock_item: itemBriefSchema,
      lot: lotSchema.nullish(),
      owner: orgBriefSchema,
      counted_quantity: z.number(),
      system_quantity: z.number().nullish(),
      difference_value: moneySchema.nullish(),
    }),
  ),
});
export type StockCount = z.infer<typeof countSchema>;

export const shipmentSchema = z.object({
  id: z.number(),
  kind: z.string(),
  warehouse: z.string(),
  carrier: z.string(),
  tracking_number: z.string(),
  reference: z.string().nullish(),
  effective_date: z.string(),
  journal_entry_id: z.number().nullish(),
  created_at: z.string(),
  lines: z.array(
    z.object({
      id: z.number(),
      request_line: z.number().nullish(),
      location: locationSchema.nullish(),
      stock_item: itemBriefSchema,
      lot: lotSchema.nullish(),
      owner: orgBriefSchema,
      quantity: z.number(),
      value: moneySchema,
      returned_quantity: z.number().default(0),
    }),
  ),
});
export type Shipment = z.infer<typeof shipmentSchema>;

export const transferSchema = z.object({
  id: z.number(),
  from_warehouse: z.string(),
  to_warehouse: z.string(),
  to_location: locationSchema.nullish(),
  state: z.string(),
  carrier: z.string().nullish(),
  tracking_number: z.string().nullish(),
  shipped_on: z.string().nullish(),
  received_on: z.string().nullish(),
  lines: z.array(
    z.object({
      id: z.number(),
      stock_item: itemBriefSchema,
      lot: lotSchema.nullish(),
      owner: orgBriefSchema,
      quantity: z.number(),
      value: moneySchema,
    }),
  ),
});
export type Transfer = z.infer<typeof transferSchema>;

export const returnSchema = z.object({
  id: z.number(),
  shipment: z.number(),
  disposition: z.string(),
  location: locationSchema.nullish(),
  reason: z.string(),
  effective_date: z.string(),
  journal_entry_id: z.number().nullish(),
  created_at: z.string(),
  lines: z.array(z.object({ shipment_line: z.number(), quantity: z.number(), value: moneySchema })),
});
export type StockReturn = z.infer<typeof returnSchema>;

export const flowSchema = z.object({ quantity: z.number(), value: moneySchema });
export type Flow = z.infer<typeof flowSchema>;

export const REPORT_FLOWS = [
  'opening',
  'purchased',
  'sold',
  'sampled',
  'returned',
  'adjusted',
  'closing',
] as const;
export type ReportFlow = (typeof REPORT_FLOWS)[number];

export const reportRowSchema = z.object({
  stock_item_id: z.number(),
  sku_code: z.string(),
  name: z.string(),
  owner_id: z.number(),
  owner_name: z.string(),
  ownership: z.string(),
  opening: flowSchema,
  purchased: flowSchema,
  sold: flowSchema,
  sampled: flowSchema,
  returned: flowSchema,
  adjusted: flowSchema,
  closing: flowSchema,
});
export type ReportRow = z.infer<typeof reportRowSchema>;

export const pages = {
  warehouses: paginated(warehouseSchema),
  stockItems: paginated(stockItemSchema),
  purchaseOrders: paginated(purchaseOrderSchema),
  receipts: paginated(receiptSchema),
  stock: paginated(stockBalanceSchema),
  counts: paginated(countSchema),
  shipments: paginated(shipmentSchema),
  transfers: paginated(transferSchema),
  returns: paginated(returnSchema),
};
