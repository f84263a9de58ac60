/**
 * Where every enum of the API (backend/openapi.json `components.schemas.*Enum`) has its labels, so a
 * screen never shows `sale_shipment` or `requires_payment` raw. Most enums are labelled in the
 * namespace of the feature that shows them; the ones without a feature home are labelled here, in the
 * `enums` namespace. `words.test.ts` walks the schema and fails on a value without a zh and an en label.
 *
 * This module holds only names, not the feature bundles: it does not pull a lazy feature's strings in.
 */
import i18n from '@/i18n';

export interface EnumLabels {
  /** The i18next namespace of the labels. */
  ns: string;
  /** The key whose children are the enum's values. */
  key: string;
}

export const NS = 'enums';

const zh = {
  attributionIssue: {
    no_author: '文件未给出主播',
    anchor_unknown: '主播账号未登记',
    sku_unmapped: '商品未映射到 SKU',
  },
  chargeKind: { slot_fee: '坑位费', service_fee: '服务费', sample_shipping: '寄样运费' },
  chargeState: {
    requires_payment: '待支付',
    succeeded: '已支付',
    held: '代收中',
    released: '已结给主播',
    refunded: '已退款',
    failed: '失败',
  },
  importBatchKind: { file: '文件导入', connector: '接口拉取' },
  matchRuleKind: {
    order_id: '按订单号',
    request_no: '按结算单号',
    payout_reference: '按付款编号',
    batch_reference: '按付款批次',
    transfer_id: '按 Stripe 转账号',
    amount_date: '按金额与日期',
  },
  movementKind: {
    receipt: '采购入库',
    sale_shipment: '销售出库',
    sample_shipment: '样品出库',
    return: '退货入库',
    transfer_out: '调拨出库',
    transfer_in: '调拨入库',
    adjustment: '盘点调整',
    scrap: '报废',
  },
  orderLineEvent: {
    created: '导入',
    status: '状态变更',
    refund: '退款',
    amended: '金额或时间更正',
    attributed: '补充归属',
  },
  orderStatus: {
    paid: '已付款',
    confirmed: '已收货',
    settled: '已结算',
    refunded: '已退款',
    invalid: '已失效',
  },
  periodStatus: { open: '未关账', closed: '已关账' },
  reservationPurpose: { live_session: '直播备货', sample: '样品' },
  reservationState: { active: '占用中', released: '已释放', consumed: '已出库' },
  transferStatus: { pending: '处理中', paid: '已到账', failed: '失败', reversed: '已冲回' },
  closeCheck: {
    reconciled: '各来源已对账',
    bills: '账单齐全',
    blocking: '无未解决差异',
    pending: '无待复核调整',
  },
  checkStatus: { ok: '通过', warn: '注意', fail: '未通过' },
};

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

const en: Widen<typeof zh> = {
  attributionIssue: {
    no_author: 'The file names no author',
    anchor_unknown: 'Anchor account not registered',
    sku_unmapped: 'Product not mapped to a SKU',
  },
  chargeKind: {
    slot_fee: 'Slot fee',
    service_fee: 'Service fee',
    sample_shipping: 'Sample shipping',
  },
  chargeState: {
    requires_payment: 'Awaiting payment',
    succeeded: 'Paid',
    held: 'Held',
    released: 'Released to the anchor',
    refunded: 'Refunded',
    failed: 'Failed',
  },
  importBatchKind: { file: 'File upload', connector: 'API pull' },
  matchRuleKind: {
    order_id: 'By order id',
    request_no: 'By request number',
    payout_reference: 'By payout reference',
    batch_reference: 'By payout batch',
    transfer_id: 'By Stripe transfer id',
    amount_date: 'By amount and date',
  },
  movementKind: {
    receipt: 'Receipt',
    sale_shipment: 'Sale shipment',
    sample_shipment: 'Sample shipment',
    return: 'Return',
    transfer_out: 'Transfer out',
    transfer_in: 'Transfer in',
    adjustment: 'Count adjustment',
    scrap: 'Scrap',
  },
  orderLineEvent: {
    created: 'Imported',
    status: 'Status changed',
    refund: 'Refund',
    amended: 'Amended',
    attributed: 'Attributed',
  },
  orderStatus: {
    paid: 'Paid',
    confirmed: 'Confirmed',
    settled: 'Settled',
    refunded: 'Refunded',
    invalid: 'Invalid',
  },
  periodStatus: { open: 'Open', closed: 'Closed' },
  reservationPurpose: { live_session: 'Live session', sample: 'Sample' },
  reservationState: { active: 'Held', released: 'Released', consumed: 'Shipped' },
  transferStatus: { pending: 'Pending', paid: 'Paid', failed: 'Failed', reversed: 'Reversed' },
  closeCheck: {
    reconciled: 'Every source reconciled',
    bills: 'Every bill imported',
    blocking: 'No unresolved exception',
    pending: 'No adjustment awaiting approval',
  },
  checkStatus: { ok: 'Passed', warn: 'Attention', fail: 'Failed' },
};

i18n.addResourceBundle('zh', NS, zh, true, true);
i18n.addResourceBundle('en', NS, en, true, true);

/** Each API enum's labels (the schema's name, as in `components.schemas`). */
export const ENUM_LABELS: Record<string, EnumLabels> = {
  ActionEnum: { ns: 'catalog', key: 'action' },
  AdvanceStateEnum: { ns: 'settlement', key: 'enums.advanceState' },
  AnchorKindEnum: { ns: 'translation', key: 'anchorKind' },
  ApplicationStateEnum: { ns: 'selection', key: 'applicationState' },
  ApprovalEnum: { ns: 'selection', key: 'approval' },
  AttributionIssuesEnum: { ns: NS, key: 'attributionIssue' },
  BasisEnum: { ns: 'settlement', key: 'enums.feeBasis' },
  CertificationStatusEnum: { ns: 'catalog', key: 'status' },
  ChargeKindEnum: { ns: NS, key: 'chargeKind' },
  ChargeStateEnum: { ns: NS, key: 'chargeState' },
  ContentKindEnum: { ns: 'selection', key: 'contentKind' },
  ContractCreateModeEnum: { ns: 'settlement', key: 'enums.contractMode' },
  ContractFeeKindEnum: { ns: 'settlement', key: 'enums.feeKind' },
  ContractModeEnum: { ns: 'settlement', key: 'enums.contractMode' },
  CountStateEnum: { ns: 'supply', key: 'enums.countState' },
  DispositionEnum: { ns: 'supply', key: 'enums.disposition' },
  ExceptionResolutionEnum: { ns: 'reconciliation', key: 'enums.resolution' },
  ExceptionStateEnum: { ns: 'reconciliation', key: 'enums.state' },
  ImportBatchKindEnum: { ns: NS, key: 'importBatchKind' },
  ImportBatchStateEnum: { ns: 'settlement', key: 'enums.batchState' },
  ImportStatusEnum: { ns: 'reconciliation', key: 'enums.importStatus' },
  KeyEnum: { ns: NS, key: 'closeCheck' },
  LegKindEnum: { ns: 'settlement', key: 'enums.legKind' },
  LocationKindEnum: { ns: 'supply', key: 'enums.locationKind' },
  MatchOutcomeEnum: { ns: 'reconciliation', key: 'enums.reason' },
  MatchRuleKindEnum: { ns: NS, key: 'matchRuleKind' },
  MovementKindEnum: { ns: NS, key: 'movementKind' },
  OrderLineEventKindEnum: { ns: NS, key: 'orderLineEvent' },
  OrderSourceEnum: { ns: 'settlement', key: 'enums.platform' },
  OkEnum: { ns: NS, key: 'checkStatus' },
  OrderStatusEnum: { ns: NS, key: 'orderStatus' },
  OrganizationKindEnum: { ns: 'translation', key: 'orgKind' },
  OwnershipEnum: { ns: 'supply', key: 'enums.ownership' },
  PayeeKindEnum: { ns: 'settlement', key: 'enums.payeeKind' },
  PayoutRailEnum: { ns: 'settlement', key: 'enums.rail' },
  PayoutStateEnum: { ns: 'settlement', key: 'enums.payoutState' },
  PeriodCloseStateEnum: { ns: 'reconciliation', key: 'enums.closeState' },
  PeriodStatusEnum: { ns: NS, key: 'periodStatus' },
  PickStateEnum: { ns: 'selection', key: 'pickState' },
  PlanTypeEnum: { ns: 'selection', key: 'planType' },
  PlatformEnum: { ns: 'translation', key: 'platform' },
  PurchaseOrderStateEnum: { ns: 'supply', key: 'enums.poState' },
  PurposeEnum: { ns: NS, key: 'reservationPurpose' },
  ReservationStateEnum: { ns: NS, key: 'reservationState' },
  RoleEnum: { ns: 'translation', key: 'role' },
  SampleStateEnum: { ns: 'selection', key: 'sampleState' },
  SessionStateEnum: { ns: 'selection', key: 'sessionState' },
  SettledByEnum: { ns: 'settlement', key: 'enums.settledBy' },
  SettlementRunStateEnum: { ns: 'settlement', key: 'enums.runState' },
  ShipmentKindEnum: { ns: 'supply', key: 'enums.shipmentKind' },
  StatementSourceEnum: { ns: 'reconciliation', key: 'enums.source' },
  StatementStateEnum: { ns: 'settlement', key: 'enums.statementState' },
  TransferStateEnum: { ns: 'supply', key: 'enums.transferState' },
  TransferStatusEnum: { ns: NS, key: 'transferStatus' },
  TypeEnum: { ns: 'ledger', key: 'accountType' },
};

/**
 * Enums that need no label, each with the reason. Nothing else may be left out: words.test.ts fails
 * on an enum that is neither labelled nor listed here.
 */
export const UNLABELLED_ENUMS: Record<string, string> = {
  // drf-spectacular's marker for an optional choice sent as "" (no value to name).
  BlankEnum: 'the empty string of an optional choice',
  // drf-spectacular's marker for a nullable choice sent as null.
  NullEnum: 'null of a nullable choice',
  // The user's language preference: the language switch names the languages in their own words (中文 / English).
  LanguageEnum: 'shown by the language switch in its own words',
  // Which home page a user gets (a route, never shown as text).
  HomeEnum: 'the home route a user is sent to',
  // How a home card formats its value (a count or money), never shown as text.
  UnitEnum: 'how a home card formats its value',
  // How a home chart names its categories (platform, organization kind, age, date): the names are translated.
  LabelKindEnum: 'how a home chart names its categories',
};

export type EnumName = keyof typeof ENUM_LABELS;

/** The label of an API enum's value in the UI language; an unknown value shows as sent. */
export function enumValueText(name: EnumName, value: string): string {
  const labels = ENUM_LABELS[name];
  if (!labels) return value;
  const translate = i18n.t.bind(i18n) as unknown as (key: string, options: object) => unknown;
  const text = translate(`${labels.key}.${value}`, { ns: labels.ns, defaultValue: value });
  return typeof text === 'string' && text ? text : value;
}
