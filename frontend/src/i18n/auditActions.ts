/**
 * Labels for the audit log's action codes (`selection.sample.content`): what was acted on, and what was done.
 * A code is `<object>.<verb>`; the object is everything before the last dot. Both halves are labelled in both
 * languages, so a new code whose parts are known reads well without a new entry; auditActions.test.ts reads
 * the backend's audit calls and fails on a code whose object or verb has no label.
 */
import i18n, { type Language } from './index';
import { enumLabel } from './labels';

type Labels = Record<string, { zh: string; en: string }>;

export const AUDIT_OBJECTS: Labels = {
  anchor: { zh: '主播', en: 'Anchor' },
  anchor_account: { zh: '主播平台账号', en: 'Anchor platform account' },
  catalog: { zh: '商品库', en: 'Catalog' },
  invitation: { zh: '入驻邀请', en: 'Invitation' },
  ledger: { zh: '总账', en: 'Ledger' },
  mcn_binding: { zh: 'MCN 签约', en: 'MCN binding' },
  orders: { zh: '订单', en: 'Orders' },
  organization: { zh: '组织', en: 'Organization' },
  'payments.charge': { zh: '品牌付费', en: 'Brand charge' },
  'payments.connected_account': { zh: '收款账户', en: 'Connected account' },
  'payments.payout': { zh: 'Stripe 提现', en: 'Stripe payout' },
  'payments.transfer': { zh: '转账', en: 'Transfer' },
  'payments.transfer_reversal': { zh: '转账撤回', en: 'Transfer reversal' },
  'payments.webhook': { zh: 'Stripe 通知', en: 'Stripe webhook' },
  product: { zh: '商品', en: 'Product' },
  'product.certification': { zh: '商品资质', en: 'Product certification' },
  reconciliation: { zh: '对账', en: 'Reconciliation' },
  'selection.application': { zh: '合作申请', en: 'Application' },
  'selection.pick': { zh: '选品', en: 'Pick' },
  'selection.plan': { zh: '佣金计划', en: 'Commission plan' },
  'selection.sample': { zh: '寄样', en: 'Sample' },
  'selection.sample_rule': { zh: '寄样规则', en: 'Sample rule' },
  'selection.session': { zh: '直播场次', en: 'Live session' },
  'selection.stock_link': { zh: '库存关联', en: 'Stock link' },
  settlement: { zh: '结算', en: 'Settlement' },
  sku: { zh: 'SKU', en: 'SKU' },
  'supply.count': { zh: '盘点', en: 'Stock count' },
  'supply.location': { zh: '库位', en: 'Location' },
  'supply.purchase_order': { zh: '采购单', en: 'Purchase order' },
  'supply.receipt': { zh: '入库', en: 'Receipt' },
  'supply.reservation': { zh: '库存预留', en: 'Reservation' },
  'supply.return': { zh: '退货', en: 'Return' },
  'supply.shipment': { zh: '出库', en: 'Shipment' },
  'supply.stock': { zh: '库存', en: 'Stock' },
  'supply.stock_item': { zh: '库存商品', en: 'Stock item' },
  'supply.transfer': { zh: '调拨', en: 'Transfer' },
  'supply.warehouse': { zh: '仓库', en: 'Warehouse' },
  user: { zh: '用户', en: 'User' },
};

export const AUDIT_VERBS: Labels = {
  accept: { zh: '接受', en: 'accepted' },
  add: { zh: '添加', en: 'added' },
  advance_opened: { zh: '开立预付款', en: 'advance opened' },
  advance_recovered: { zh: '收回预付款', en: 'advance recovered' },
  advance_written_off: { zh: '核销预付款', en: 'advance written off' },
  approve: { zh: '通过', en: 'approved' },
  bank_batch_created: { zh: '生成银行批次', en: 'bank batch created' },
  bill_import: { zh: '导入账单', en: 'bill imported' },
  bill_import_failed: { zh: '账单导入失败', en: 'bill import failed' },
  bill_import_queued: { zh: '账单转入后台导入', en: 'bill import queued' },
  canceled: { zh: '已取消', en: 'cancelled' },
  cancel: { zh: '取消', en: 'cancelled' },
  clawback_reversed: { zh: '撤销追回', en: 'clawback reversed' },
  confirm: { zh: '确认', en: 'confirmed' },
  content: { zh: '提交带货内容', en: 'content submitted' },
  contract_created: { zh: '新建合同', en: 'contract created' },
  create: { zh: '新建', en: 'created' },
  delete: { zh: '删除', en: 'deleted' },
  end: { zh: '结束', en: 'ended' },
  exception_approve: { zh: '批准差异处理', en: 'exception resolution approved' },
  exception_assign: { zh: '指派差异', en: 'exception assigned' },
  exception_note: { zh: '差异备注', en: 'exception note added' },
  exception_reject: { zh: '驳回差异处理', en: 'exception resolution rejected' },
  exception_resolve: { zh: '处理差异', en: 'exception resolved' },
  expire: { zh: '过期', en: 'expired' },
  extend: { zh: '延期', en: 'extended' },
  fail: { zh: '失败', en: 'failed' },
  failed: { zh: '失败', en: 'failed' },
  hold_release: { zh: '释放库存预留', en: 'hold released' },
  image_add: { zh: '添加图片', en: 'image added' },
  import_failed: { zh: '导入失败', en: 'import failed' },
  import_finished: { zh: '导入完成', en: 'import finished' },
  import_uploaded: { zh: '上传导入文件', en: 'import uploaded' },
  in_transit: { zh: '在途', en: 'in transit' },
  intent: { zh: '发起支付', en: 'payment started' },
  line_phases_cleared: { zh: '清除分期', en: 'line phases cleared' },
  line_phases_set: { zh: '设置分期', en: 'line phases set' },
  note: { zh: '备注', en: 'note added' },
  paid: { zh: '已付款', en: 'paid' },
  partial_refund_seen: { zh: '收到部分退款', en: 'partial refund seen' },
  payee_set: { zh: '设置收款信息', en: 'payee details set' },
  payout_created: { zh: '生成付款', en: 'payout created' },
  payout_failed: { zh: '付款失败', en: 'payout failed' },
  payout_outcome_unknown: { zh: '付款结果未知', en: 'payout outcome unknown' },
  payout_paid: { zh: '付款成功', en: 'payout paid' },
  payout_reversed: { zh: '付款被撤回', en: 'payout reversed' },
  pending: { zh: '处理中', en: 'pending' },
  period_close: { zh: '结账', en: 'period closed' },
  period_reopen: { zh: '反结账', en: 'period reopened' },
  platform_terms_changed: { zh: '修改平台条款', en: 'platform terms changed' },
  post: { zh: '过账', en: 'posted' },
  process: { zh: '处理', en: 'processed' },
  product_import_failed: { zh: '商品导入失败', en: 'product import failed' },
  product_import_queued: { zh: '商品文件转入后台导入', en: 'product import queued' },
  product_mapped: { zh: '映射商品', en: 'product mapped' },
  rate_change: { zh: '调整佣金率', en: 'rate changed' },
  receive: { zh: '收到', en: 'received' },
  reconcile: { zh: '执行对账', en: 'reconciled' },
  refund: { zh: '退款', en: 'refunded' },
  refund_fail: { zh: '退款失败', en: 'refund failed' },
  register: { zh: '登记', en: 'registered' },
  reject: { zh: '驳回', en: 'rejected' },
  release: { zh: '释放', en: 'released' },
  remove: { zh: '移除', en: 'removed' },
  reopen: { zh: '重新打开', en: 'reopened' },
  request: { zh: '发起', en: 'requested' },
  reversed: { zh: '已撤回', en: 'reversed' },
  reversed_amount: { zh: '撤回金额变动', en: 'reversed amount changed' },
  rule_update: { zh: '修改匹配规则', en: 'matching rule updated' },
  run_failed: { zh: '结算失败', en: 'run failed' },
  run_finished: { zh: '结算完成', en: 'run finished' },
  run_requested: { zh: '发起结算', en: 'run requested' },
  run_resumed: { zh: '恢复结算', en: 'run resumed' },
  scrap: { zh: '报废', en: 'scrapped' },
  seen: { zh: '已同步', en: 'synced' },
  set: { zh: '设置', en: 'set' },
  set_roles: { zh: '设置角色', en: 'roles set' },
  ship: { zh: '寄出', en: 'shipped' },
  statement_approved: { zh: '审批对账单', en: 'statement approved' },
  submit: { zh: '提交', en: 'submitted' },
  succeeded: { zh: '支付成功', en: 'succeeded' },
  update: { zh: '修改', en: 'updated' },
};

/** `selection.sample.content` → 寄样 · 提交带货内容 / Sample content submitted; an unknown code shows as sent. */
export function auditActionLabel(language: Language, action: string): string {
  const dot = action.lastIndexOf('.');
  const object = AUDIT_OBJECTS[action.slice(0, dot)];
  const verb = AUDIT_VERBS[action.slice(dot + 1)];
  if (dot < 0 || !object || !verb) return action;
  return language === 'en' ? `${object.en} ${verb.en}` : `${object.zh} · ${verb.zh}`;
}

/**
 * Audited objects whose str() is a name or number a person reads (an organization's name, "XFJ-NX52-500
 * 叙府窖 …", "PO12"). Every other model's str() is a machine note in English ("pick 1: anchor 1 sku 1
 * (active)", "Receipt 1"), so the feed shows such an object by its number: the action already says what it is.
 */
const NAMED_OBJECTS = new Set([
  'parties.organization',
  'parties.anchor',
  'parties.user',
  'catalog.category',
  'catalog.product',
  'catalog.sku',
  'supply.stockitem',
  'supply.lot',
  'supply.warehouse',
  'supply.location',
  'supply.purchaseorder',
]);

/** What an activity entry is about, in the UI language (the home page's 对象 column). */
export function auditObjectText(
  language: Language,
  entry: { object_type?: string | null; object_id?: string | null; object_repr?: string | null },
): string {
  const repr = entry.object_repr ?? '';
  if (!entry.object_type) return repr;
  if (NAMED_OBJECTS.has(entry.object_type)) return repr;
  if (entry.object_type === 'parties.anchoraccount') {
    // "douyin:蜀中小满": the platform's label and the account's nickname
    const colon = repr.indexOf(':');
    if (colon > 0) {
      const platform = enumLabel(i18n.getFixedT(language), 'platform', repr.slice(0, colon));
      return `${platform} · ${repr.slice(colon + 1)}`;
    }
  }
  if (entry.object_type === 'selection.livesession') {
    // "session 3: 小满川味专场": the session's title
    const title = repr.replace(/^session \d+: /, '');
    if (title !== repr) return `#${entry.object_id} ${title}`;
  }
  return entry.object_id ? `#${entry.object_id}` : repr;
}
