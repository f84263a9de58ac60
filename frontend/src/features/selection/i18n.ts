/**
 * Strings of the selection center (选品中心), registered as their own i18next namespace.
 * `useSelectionT` gives a `t` typed against the Chinese bundle.
 */
import { useTranslation } from 'react-i18next';
import i18n from '@/i18n';

export const NS = 'selection';

const zh = {
  title: '选品中心',
  searchPlaceholder: '搜索商品、品牌、产地，如 豆瓣、白酒、蒙顶',
  search: '搜索',
  sort: {
    label: '排序',
    relevance: '综合相关',
    commission: '佣金率',
    earnings: '预估每件收益',
    sales: '近30天销量',
    newest: '最新上架',
  },
  filters: {
    title: '筛选',
    category: '类目',
    origin: '产地',
    brand: '品牌',
    price: '价格带',
    commission: '佣金率',
    planType: '计划类型',
    inStock: '只看有货',
    gi: '只看地理标志',
    status: '认定状态',
    any: '不限',
    clear: '清除筛选',
    noOptions: '无',
  },
  priceBand: {
    '0-50': '50 元以下',
    '50-100': '50–100 元',
    '100-200': '100–200 元',
    '200-500': '200–500 元',
    '500+': '500 元以上',
  },
  commissionBand: {
    '0-999': '10% 以下',
    '1000-1999': '10%–20%',
    '2000-2999': '20%–30%',
    '3000-': '30% 以上',
  },
  planType: {
    open: '公开计划',
    targeted: '定向计划',
    exclusive: '专属计划',
  },
  status: {
    draft: '草稿',
    submitted: '待审核',
    approved: '已认定',
    rejected: '已驳回',
  },
  row: {
    retailPrice: '建议零售价',
    commission: '佣金率',
    earnings: '预估每件收益',
    sales30d: '近30天销量',
    inStock: '有货',
    outOfStock: '缺货',
    gi: '地理标志',
  },
  results: {
    loading: '加载中…',
    loadingMore: '正在加载更多…',
    noMore: '没有更多了',
    empty: '没有找到符合条件的商品',
    loadMore: '加载更多',
    shown: '已显示 {{count}} 个 SKU',
    failed: '加载失败',
    retry: '重试',
  },
  detail: {
    title: '商品详情',
    brand: '品牌商',
    category: '类目',
    origin: '产地',
    gi: '地理标志产品',
    shelfLife: '保质期',
    days: '{{count}} 天',
    shipFrom: '发货仓',
    sellingPoints: '卖点',
    description: '商品描述',
    skus: 'SKU 与价格',
    code: 'SKU 编码',
    spec: '规格',
    retailPrice: '建议零售价',
    minLivePrice: '直播最低价',
    maxLivePrice: '直播最高价',
    listedAt: '上架时间',
    yes: '是',
    no: '否',
    selected: '当前 SKU',
  },
};

export type SelectionResources = typeof zh;

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

const en: Widen<SelectionResources> = {
  title: 'Selection center',
  searchPlaceholder: 'Search products, brands, origins, e.g. 豆瓣, 白酒, 蒙顶',
  search: 'Search',
  sort: {
    label: 'Sort',
    relevance: 'Relevance',
    commission: 'Commission rate',
    earnings: 'Est. earnings per unit',
    sales: '30-day sales',
    newest: 'Newest',
  },
  filters: {
    title: 'Filters',
    category: 'Category',
    origin: 'Origin',
    brand: 'Brand',
    price: 'Price band',
    commission: 'Commission',
    planType: 'Plan type',
    inStock: 'In stock only',
    gi: 'Geographic indication only',
    status: 'Certification',
    any: 'Any',
    clear: 'Clear filters',
    noOptions: 'None',
  },
  priceBand: {
    '0-50': 'Under ¥50',
    '50-100': '¥50–100',
    '100-200': '¥100–200',
    '200-500': '¥200–500',
    '500+': '¥500 and up',
  },
  commissionBand: {
    '0-999': 'Under 10%',
    '1000-1999': '10%–20%',
    '2000-2999': '20%–30%',
    '3000-': '30% and up',
  },
  planType: {
    open: 'Open plan',
    targeted: 'Targeted plan',
    exclusive: 'Exclusive plan',
  },
  status: {
    draft: 'Draft',
    submitted: 'In review',
    approved: 'Approved',
    rejected: 'Rejected',
  },
  row: {
    retailPrice: 'Retail price',
    commission: 'Commission',
    earnings: 'Est. earnings / unit',
    sales30d: '30-day sales',
    inStock: 'In stock',
    outOfStock: 'Out of stock',
    gi: 'GI',
  },
  results: {
    loading: 'Loading…',
    loadingMore: 'Loading more…',
    noMore: 'No more results',
    empty: 'No products match',
    loadMore: 'Load more',
    shown: '{{count}} SKUs shown',
    failed: 'Failed to load',
    retry: 'Retry',
  },
  detail: {
    title: 'Product details',
    brand: 'Brand',
    category: 'Category',
    origin: 'Origin',
    gi: 'Geographic indication',
    shelfLife: 'Shelf life',
    days: '{{count}} days',
    shipFrom: 'Ships from',
    sellingPoints: 'Selling points',
    description: 'Description',
    skus: 'SKUs and prices',
    code: 'SKU code',
    spec: 'Spec',
    retailPrice: 'Retail price',
    minLivePrice: 'Min live price',
    maxLivePrice: 'Max live price',
    listedAt: 'Listed',
    yes: 'Yes',
    no: 'No',
    selected: 'This SKU',
  },
};

i18n.addResourceBundle('zh', NS, zh, true, true);
i18n.addResourceBundle('en', NS, en, true, true);

type Path<T> = {
  [K in keyof T & string]: T[K] extends string ? K : `${K}.${Path<T[K]>}`;
}[keyof T & string];
export type SelectionKey = Path<SelectionResources>;
export type SelectionT = (key: SelectionKey, options?: Record<string, unknown>) => string;

type UntypedT = (key: string, options?: Record<string, unknown>) => string;

/** `t` for this feature's namespace; re-renders on a language switch like useTranslation. */
export function useSelectionT(): { t: SelectionT; language: 'zh' | 'en' } {
  const { i18n: instance } = useTranslation();
  const translate = instance.t.bind(instance) as unknown as UntypedT;
  return {
    t: (key, options) => translate(key, { ...options, ns: NS }),
    language: instance.language === 'en' ? 'en' : 'zh',
  };
}

/** A label from one of the groups, or the value as sent when there is none. */
export function labelOf(
  t: SelectionT,
  group: 'priceBand' | 'commissionBand' | 'planType' | 'status' | 'sort',
  value: string,
): string {
  return t(`${group}.${value}` as SelectionKey, { defaultValue: value }) || value;
}
