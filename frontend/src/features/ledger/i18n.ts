/** Strings of the finance ledger pages, registered as their own i18next namespace. */
import { useTranslation } from 'react-i18next';
import i18n from '@/i18n';
import { enumLabel } from '@/i18n/labels';

export const NS = 'ledger';

const zh = {
  title: '总账',
  tabs: { accounts: '科目余额', trialBalance: '试算平衡' },
  common: {
    total: '共 {{count}} 条',
    asOf: '截至日期',
    asOfHint: '不选则为全部已过账分录',
    range: '日期范围',
    code: '科目编码',
    name: '科目名称',
    type: '类型',
    owner: '所属',
    currency: '币种',
    balance: '余额',
    debit: '借方',
    credit: '贷方',
    date: '记账日期',
    entry: '凭证',
    source: '来源',
    memo: '摘要',
    runningBalance: '余额',
    back: '返回',
    notFound: '找不到该记录',
    exportCsv: '导出 CSV',
    exportXlsx: '导出 Excel',
  },
  accounts: {
    open: '查看明细账',
  },
  ledger: {
    title: '明细账',
    currentBalance: '当前余额',
    noPostings: '该期间没有发生额',
  },
  trialBalance: {
    balanced: '借贷平衡',
    unbalanced: '借贷不平',
    totals: '合计（应为零）',
    allBalanced: '全部币种借贷平衡',
    someUnbalanced: '存在借贷不平的币种',
    lines: '余额非零的科目',
  },
  entry: {
    title: '凭证 {{id}}',
    idempotencyKey: '幂等键',
    sourceType: '来源类型',
    sourceId: '来源单号',
    createdAt: '创建时间',
    createdBy: '创建人',
    reverses: '冲销凭证',
    postings: '分录',
    line: '行',
    account: '科目',
  },
  accountType: {
    cash: '现金',
    platform_receivable: '平台应收',
    payable_to_party: '应付合作方',
    receivable_from_party: '应收合作方',
    fee_income: '服务费收入',
    sales_revenue: '销售收入',
    inventory: '库存商品',
    cost_of_goods: '销售成本',
    deposits_held: '代收押金',
    tax_withheld: '代扣税费',
    suspense: '待查',
  },
  sourceType: {
    'supply.receipt': '采购入库',
    'supply.shipment': '出库',
    'supply.return': '退货',
    'supply.count': '盘点调整',
    'supply.scrap': '报废',
    'settlement.run': '结算批次',
    'settlement.advance': '预付款',
    'settlement.clawback': '结算追回',
    'settlement.payout': '付款',
    'reconciliation.exception': '对账差异处理',
    'reconciliation.remittance': '平台回款',
    'payments.brand_charge': '品牌商付费',
  },
};

export type LedgerResources = typeof zh;

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

const en: Widen<LedgerResources> = {
  title: 'General ledger',
  tabs: { accounts: 'Accounts', trialBalance: 'Trial balance' },
  common: {
    total: '{{count}} in total',
    asOf: 'As of',
    asOfHint: 'Empty: every posted entry',
    range: 'Date range',
    code: 'Code',
    name: 'Account',
    type: 'Type',
    owner: 'Owner',
    currency: 'Currency',
    balance: 'Balance',
    debit: 'Debit',
    credit: 'Credit',
    date: 'Date',
    entry: 'Entry',
    source: 'Source',
    memo: 'Memo',
    runningBalance: 'Balance',
    back: 'Back',
    notFound: 'Not found',
    exportCsv: 'Export CSV',
    exportXlsx: 'Export Excel',
  },
  accounts: {
    open: 'Open ledger',
  },
  ledger: {
    title: 'Account ledger',
    currentBalance: 'Balance',
    noPostings: 'No postings in this period',
  },
  trialBalance: {
    balanced: 'Balanced',
    unbalanced: 'Unbalanced',
    totals: 'Totals (must be zero)',
    allBalanced: 'Every currency balances',
    someUnbalanced: 'A currency does not balance',
    lines: 'Accounts with a balance',
  },
  entry: {
    title: 'Journal entry {{id}}',
    idempotencyKey: 'Idempotency key',
    sourceType: 'Source type',
    sourceId: 'Source id',
    createdAt: 'Created',
    createdBy: 'Created by',
    reverses: 'Reverses',
    postings: 'Postings',
    line: 'Line',
    account: 'Account',
  },
  accountType: {
    cash: 'Cash',
    platform_receivable: 'Platform receivable',
    payable_to_party: 'Payable to party',
    receivable_from_party: 'Receivable from party',
    fee_income: 'Fee income',
    sales_revenue: 'Sales revenue',
    inventory: 'Inventory',
    cost_of_goods: 'Cost of goods',
    deposits_held: 'Deposits held',
    tax_withheld: 'Tax withheld',
    suspense: 'Suspense',
  },
  sourceType: {
    'supply.receipt': 'Purchase receipt',
    'supply.shipment': 'Shipment',
    'supply.return': 'Return',
    'supply.count': 'Count adjustment',
    'supply.scrap': 'Scrap',
    'settlement.run': 'Settlement run',
    'settlement.advance': 'Advance',
    'settlement.clawback': 'Settlement clawback',
    'settlement.payout': 'Payout',
    'reconciliation.exception': 'Reconciliation exception',
    'reconciliation.remittance': 'Platform remittance',
    'payments.brand_charge': 'Brand charge',
  },
};

// keySeparator stays '.', so the dotted source types are looked up as nested objects: keep them
// out of i18next and read them from the bundle directly.
const { sourceType: zhSources, ...zhRest } = zh;
const { sourceType: enSources, ...enRest } = en;
i18n.addResourceBundle('zh', NS, zhRest, true, true);
i18n.addResourceBundle('en', NS, enRest, true, true);

type Path<T> = {
  [K in keyof T & string]: T[K] extends string ? K : `${K}.${Path<T[K]>}`;
}[keyof T & string];
export type LedgerKey = Path<Omit<LedgerResources, 'sourceType'>>;
export type LedgerT = (key: LedgerKey, options?: Record<string, unknown>) => string;

type UntypedT = (key: string, options?: Record<string, unknown>) => string;

export function useLedgerT(): { t: LedgerT; language: 'zh' | 'en' } {
  const { i18n: instance } = useTranslation();
  const translate = instance.t.bind(instance) as unknown as UntypedT;
  return {
    t: (key, options) => translate(key, { ...options, ns: NS }),
    language: instance.language === 'en' ? 'en' : 'zh',
  };
}

export function accountTypeText(t: LedgerT, value: string): string {
  return t(`accountType.${value}` as LedgerKey, { defaultValue: value }) || value;
}

/** Who owns an account, what it is and its currency: what the SPA shows instead of the code. */
export interface AccountOwner {
  type: string;
  currency: string;
  owner_name?: string | null;
  owner_platform?: string | null;
}

/** The account's owner in words: the organization's or anchor's name, else the platform's label. */
export function accountOwnerText(account: Omit<AccountOwner, 'type' | 'currency'>): string {
  if (account.owner_name) return account.owner_name;
  if (account.owner_platform)
    return enumLabel(i18n.t.bind(i18n), 'platform', account.owner_platform);
  return '—';
}

/** "宜宾叙府窖酒业 · 应付合作方 · CNY" for the account `org2:payable_to_party:CNY`. */
export function accountLabel(t: LedgerT, account: AccountOwner): string {
  return [accountOwnerText(account), accountTypeText(t, account.type), account.currency].join(
    ' · ',
  );
}

export function sourceTypeText(language: 'zh' | 'en', value: string): string {
  const labels: Record<string, string> = language === 'en' ? enSources : zhSources;
  return labels[value] ?? value;
}

export const ACCOUNT_TYPES = Object.keys(zh.accountType);
export const SOURCE_TYPES: Record<'zh' | 'en', Record<string, string>> = {
  zh: zhSources,
  en: enSources,
};
