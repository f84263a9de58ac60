/** Strings of the home pages (Chinese first, English second); the figures' own labels come from the API. */
import { useTranslation } from 'react-i18next';

const zh = {
  groups: {
    sales: '销售',
    queue: '待处理',
    earnings: '收益',
    payables: '待审批应付',
    payouts: '在途付款',
    exceptions: '未解决对账差异',
    supply: '入库与库存',
    organization: '概况',
  } as Record<string, string>,
  open: '查看',
  sessions: '未来 7 天直播排期',
  noSessions: '未来 7 天没有排期',
  session: {
    title: '标题',
    anchor: '主播',
    platform: '平台',
    startsAt: '开始时间（北京时间）',
    items: '商品数',
  },
  close: {
    title: '本月关账状态',
    closed: '已关账',
    open: '未关账',
    goTo: '去关账',
    reconciled: '已对账来源 {{count}}/{{total}}',
    bills: '缺少账单：{{sources}}',
    billsOk: '账单齐全',
    blocking: '未解决差异 {{count}} 条',
    pending: '待复核调整 {{count}} 条',
  },
  age: { '0-7': '0–7 天', '8-30': '8–30 天', '31-60': '31–60 天', '60+': '60 天以上' } as Record<
    string,
    string
  >,
};

const en: typeof zh = {
  groups: {
    sales: 'Sales',
    queue: 'Waiting for you',
    earnings: 'Earnings',
    payables: 'Payables awaiting approval',
    payouts: 'Payouts in flight',
    exceptions: 'Open reconciliation exceptions',
    supply: 'Receipts and stock',
    organization: 'Overview',
  },
  open: 'Open',
  sessions: 'Live sessions in the next 7 days',
  noSessions: 'No sessions in the next 7 days',
  session: {
    title: 'Title',
    anchor: 'Anchor',
    platform: 'Platform',
    startsAt: 'Starts (Beijing time)',
    items: 'Products',
  },
  close: {
    title: "This month's close",
    closed: 'Closed',
    open: 'Open',
    goTo: 'Go to the close',
    reconciled: 'Sources reconciled {{count}}/{{total}}',
    bills: 'Bills missing: {{sources}}',
    billsOk: 'Every bill imported',
    blocking: '{{count}} unresolved exceptions',
    pending: '{{count}} adjustments awaiting a second approval',
  },
  age: { '0-7': '0–7 days', '8-30': '8–30 days', '31-60': '31–60 days', '60+': 'over 60 days' },
};

export type HomeStrings = typeof zh;

/** The home's strings in the UI language, and a `{{name}}` filler. */
export function useHomeStrings(): { s: HomeStrings; language: 'zh' | 'en' } {
  const { i18n } = useTranslation();
  const language = i18n.language === 'en' ? 'en' : 'zh';
  return { s: language === 'en' ? en : zh, language };
}

export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? ''));
}
