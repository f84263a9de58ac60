/**
 * Strings of the supply (进销存) pages, registered as their own i18next namespace so the shared
 * resources stay small. `useSupplyT` gives a `t` typed against the Chinese bundle.
 */
import { useTranslation } from 'react-i18next';
import i18n from '@/i18n';

export const NS = 'supply';

const zh = {
  title: '进销存',
  tabs: {
    purchaseOrders: '采购单',
    receipts: '入库单',
    stock: '库存',
    counts: '盘点',
    shipments: '出库',
    transfers: '调拨',
    returns: '退货',
    report: '进销存报表',
  },
  common: {
    defaultLocation: '默认库位',
    create: '新建',
    submit: '提交',
    cancel: '取消',
    refresh: '刷新',
    actions: '操作',
    total: '共 {{count}} 条',
    readOnly: '只读：只有供应链人员可修改',
    addLine: '添加一行',
    removeLine: '删除',
    lines: '明细',
    line: '行',
    warehouse: '仓库',
    location: '库位',
    sku: 'SKU',
    item: '商品',
    lot: '批次',
    owner: '货主',
    quantity: '数量',
    unit: '单位',
    value: '金额',
    date: '日期',
    createdAt: '创建时间',
    reason: '原因',
    carrier: '承运商',
    trackingNumber: '运单号',
    reference: '关联单号',
    state: '状态',
    note: '备注',
    required: '必填',
    saved: '已保存',
    failed: '操作失败',
    entry: '凭证',
    none: '—',
    search: '查询',
    reset: '重置',
    notAllowed: '当前账号不能查看此页面',
  },
  enums: {
    poState: {
      draft: '草稿',
      confirmed: '已确认',
      partially_received: '部分入库',
      received: '已入库',
      cancelled: '已取消',
    },
    ownership: { buy_out: '经销（买断）', consignment: '代销' },
    shipmentKind: { sale: '销售', sample: '样品' },
    transferState: { in_transit: '在途', received: '已收货' },
    countState: { draft: '草稿', posted: '已过账' },
    disposition: { stock: '回库', scrap: '报废' },
    locationKind: {
      storage: '库位',
      in_transit: '在途',
      supplier: '供应商',
      customer: '客户',
      sample: '样品持有人',
      scrap: '报废',
      adjustment: '盘点差异',
    },
  },
  po: {
    id: '采购单号',
    brand: '品牌商',
    ownership: '经营方式',
    ordered: '订购',
    received: '已收',
    open: '待收',
    unitPrice: '单价',
    expectedDate: '预计到货',
    create: '新建采购单',
    confirm: '确认',
    confirmed: '采购单已确认',
    cancelOrder: '取消采购单',
    cancelled: '采购单已取消',
    receive: '入库',
    created: '采购单已创建',
    unitPriceHint: '如 168.00',
    badPrice: '请输入金额，最多两位小数',
    chooseBrandFirst: '先选择品牌商',
    amount: '小计',
    orderTotal: '合计',
  },
  receive: {
    title: '采购单 {{id}} 入库',
    location: '入库库位',
    effectiveDate: '入库日期',
    batchNumber: '批次号',
    productionDate: '生产日期',
    expiryDate: '到期日',
    thisTime: '本次入库',
    submit: '确认入库',
    done: '已入库',
    nothing: '请至少填写一行入库数量',
    requiresLot: '须填批次',
  },
  receipts: {
    id: '入库单号',
    purchaseOrder: '采购单',
  },
  stock: {
    expired: '已过期',
    exportCsv: '导出 CSV',
    exportXlsx: '导出 Excel',
    onHand: '在库',
    reserved: '预留',
    available: '可用',
    unitCost: '单位成本',
    value: '库存金额',
    expiry: '到期日',
    expiringBefore: '到期早于',
    batchNumber: '批次号',
    inStockOnly: '仅显示有库存',
    totalValue: '本页库存金额合计',
  },
  counts: {
    id: '盘点单号',
    create: '新建盘点',
    reason: '盘点原因',
    system: '账面数',
    counted: '实盘数',
    difference: '差异',
    differenceValue: '差异金额',
    post: '过账',
    posted: '盘点已过账',
    created: '盘点单已创建',
    noStock: '该仓库没有库存行',
    postedAt: '过账时间',
  },
  shipments: {
    id: '出库单号',
    create: '新建出库',
    kind: '类型',
    referenceHint: '订单行号或寄样申请号',
    created: '已出库',
    returned: '已退',
  },
  transfers: {
    id: '调拨单号',
    create: '新建调拨',
    from: '调出仓库',
    to: '调入仓库',
    shippedOn: '发出日期',
    receivedOn: '收货日期',
    receive: '收货',
    received: '调拨已收货',
    created: '调拨已发出',
    sameWarehouse: '调入仓库不能与调出仓库相同',
  },
  returns: {
    id: '退货单号',
    create: '新建退货',
    shipment: '出库单',
    disposition: '处理方式',
    created: '退货已登记',
    chooseShipment: '选择出库单',
  },
  report: {
    period: '期间',
    opening: '期初',
    purchased: '采购入库',
    sold: '销售出库',
    sampled: '样品出库',
    returned: '退货',
    adjusted: '盘点/报废',
    closing: '期末',
    ownership: '经营方式',
    exportCsv: '导出 CSV',
    totals: '合计',
    qty: '数量',
    value: '金额',
  },
};

export type SupplyResources = typeof zh;

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

const en: Widen<SupplyResources> = {
  title: 'Supply chain',
  tabs: {
    purchaseOrders: 'Purchase orders',
    receipts: 'Receipts',
    stock: 'Stock on hand',
    counts: 'Stock counts',
    shipments: 'Shipments',
    transfers: 'Transfers',
    returns: 'Returns',
    report: 'Stock report',
  },
  common: {
    defaultLocation: 'Default location',
    create: 'New',
    submit: 'Submit',
    cancel: 'Cancel',
    refresh: 'Refresh',
    actions: 'Actions',
    total: '{{count}} in total',
    readOnly: 'Read-only: only supply staff may change this',
    addLine: 'Add a line',
    removeLine: 'Remove',
    lines: 'Lines',
    line: 'Line',
    warehouse: 'Warehouse',
    location: 'Location',
    sku: 'SKU',
    item: 'Item',
    lot: 'Lot',
    owner: 'Owner',
    quantity: 'Quantity',
    unit: 'Unit',
    value: 'Value',
    date: 'Date',
    createdAt: 'Created',
    reason: 'Reason',
    carrier: 'Carrier',
    trackingNumber: 'Tracking number',
    reference: 'Reference',
    state: 'State',
    note: 'Note',
    required: 'Required',
    saved: 'Saved',
    failed: 'Failed',
    entry: 'Journal entry',
    none: '—',
    search: 'Search',
    reset: 'Reset',
    notAllowed: 'Your account may not open this page',
  },
  enums: {
    poState: {
      draft: 'Draft',
      confirmed: 'Confirmed',
      partially_received: 'Partially received',
      received: 'Received',
      cancelled: 'Cancelled',
    },
    ownership: { buy_out: 'Buy-out', consignment: 'Consignment' },
    shipmentKind: { sale: 'Sale', sample: 'Sample' },
    transferState: { in_transit: 'In transit', received: 'Received' },
    countState: { draft: 'Draft', posted: 'Posted' },
    disposition: { stock: 'Back into stock', scrap: 'To scrap' },
    locationKind: {
      storage: 'Storage',
      in_transit: 'In transit',
      supplier: 'Supplier',
      customer: 'Customer',
      sample: 'Sample holder',
      scrap: 'Scrap',
      adjustment: 'Count adjustment',
    },
  },
  po: {
    id: 'PO',
    brand: 'Brand',
    ownership: 'Ownership',
    ordered: 'Ordered',
    received: 'Received',
    open: 'Open',
    unitPrice: 'Unit price',
    expectedDate: 'Expected',
    create: 'New purchase order',
    confirm: 'Confirm',
    confirmed: 'Purchase order confirmed',
    cancelOrder: 'Cancel order',
    cancelled: 'Purchase order cancelled',
    receive: 'Receive',
    created: 'Purchase order created',
    unitPriceHint: 'e.g. 168.00',
    badPrice: 'Enter an amount with at most two decimals',
    chooseBrandFirst: 'Choose the brand first',
    amount: 'Amount',
    orderTotal: 'Total',
  },
  receive: {
    title: 'Receive purchase order {{id}}',
    location: 'Into location',
    effectiveDate: 'Receipt date',
    batchNumber: 'Batch no.',
    productionDate: 'Production date',
    expiryDate: 'Expiry date',
    thisTime: 'Receive now',
    submit: 'Receive',
    done: 'Received',
    nothing: 'Enter a quantity on at least one line',
    requiresLot: 'lot required',
  },
  receipts: {
    id: 'Receipt',
    purchaseOrder: 'Purchase order',
  },
  stock: {
    expired: 'Expired',
    exportCsv: 'Export CSV',
    exportXlsx: 'Export Excel',
    onHand: 'On hand',
    reserved: 'Reserved',
    available: 'Available',
    unitCost: 'Unit cost',
    value: 'Value',
    expiry: 'Expiry',
    expiringBefore: 'Expiring before',
    batchNumber: 'Batch no.',
    inStockOnly: 'In stock only',
    totalValue: 'Value on this page',
  },
  counts: {
    id: 'Count',
    create: 'New stock count',
    reason: 'Reason',
    system: 'System qty',
    counted: 'Counted',
    difference: 'Difference',
    differenceValue: 'Difference value',
    post: 'Post',
    posted: 'Count posted',
    created: 'Count created',
    noStock: 'No stock rows in this warehouse',
    postedAt: 'Posted',
  },
  shipments: {
    id: 'Shipment',
    create: 'New shipment',
    kind: 'Kind',
    referenceHint: 'Order line or sample request',
    created: 'Shipped',
    returned: 'Returned',
  },
  transfers: {
    id: 'Transfer',
    create: 'New transfer',
    from: 'From warehouse',
    to: 'To warehouse',
    shippedOn: 'Shipped',
    receivedOn: 'Received',
    receive: 'Receive',
    received: 'Transfer received',
    created: 'Transfer shipped',
    sameWarehouse: 'Choose another destination warehouse',
  },
  returns: {
    id: 'Return',
    create: 'New return',
    shipment: 'Shipment',
    disposition: 'Disposition',
    created: 'Return recorded',
    chooseShipment: 'Choose a shipment',
  },
  report: {
    period: 'Period',
    opening: 'Opening',
    purchased: 'Purchased',
    sold: 'Sold',
    sampled: 'Sampled',
    returned: 'Returned',
    adjusted: 'Adjusted',
    closing: 'Closing',
    ownership: 'Ownership',
    exportCsv: 'Export CSV',
    totals: 'Total',
    qty: 'Qty',
    value: 'Value',
  },
};

i18n.addResourceBundle('zh', NS, zh, true, true);
i18n.addResourceBundle('en', NS, en, true, true);

type Path<T> = {
  [K in keyof T & string]: T[K] extends string ? K : `${K}.${Path<T[K]>}`;
}[keyof T & string];
export type SupplyKey = Path<SupplyResources>;
export type SupplyT = (key: SupplyKey, options?: Record<string, unknown>) => string;

type UntypedT = (key: string, options?: Record<string, unknown>) => string;

/** `t` for this feature's namespace; re-renders on a language switch like useTranslation. */
export function useSupplyT(): { t: SupplyT; language: 'zh' | 'en' } {
  const { i18n: instance } = useTranslation();
  const translate = instance.t.bind(instance) as unknown as UntypedT;
  return {
    t: (key, options) => translate(key, { ...options, ns: NS }),
    language: instance.language === 'en' ? 'en' : 'zh',
  };
}

/** Label of a backend enum value; unknown values show as sent. */
export function enumText(t: SupplyT, group: keyof SupplyResources['enums'], value: string): string {
  const key = `enums.${group}.${value}` as SupplyKey;
  const text = t(key, { defaultValue: value });
  return text || value;
}

/** The locations every warehouse is created with (backend supply/services.py STOCK_CODE, TRANSIT_CODE). */
const DEFAULT_LOCATIONS: Record<string, SupplyKey> = {
  STOCK: 'common.defaultLocation',
  TRANSIT: 'enums.locationKind.in_transit',
};

/** How a person reads a location: a warehouse's default ones by name in the UI language, others as code + name. */
export function locationText(t: SupplyT, location: { code: string; name: string }): string {
  const key = DEFAULT_LOCATIONS[location.code];
  if (key) return t(key);
  return location.name && location.name !== location.code
    ? `${location.code} ${location.name}`
    : location.code;
}
