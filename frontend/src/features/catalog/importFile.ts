/**
 * The product import file: its documented columns (backend/shuxuan/catalog/imports.py), a CSV
 * template to download, and the reading of the endpoint's answer.
 */
import {
  importReportSchema,
  productImportSchema,
  type ImportReport,
  type ImportRejection,
  type ProductImport,
} from './models';

export interface ImportColumn {
  name: string;
  zh: string;
  required: boolean;
  hint: { zh: string; en: string };
  example: string;
}

export const IMPORT_COLUMNS: ImportColumn[] = [
  {
    name: 'sku_code',
    zh: 'SKU编码',
    required: true,
    hint: { zh: '品牌自有编码，与品牌一起作为导入键', en: "The brand's own code; the import key" },
    example: 'PX-DB-500',
  },
  {
    name: 'product_name',
    zh: '商品名称',
    required: true,
    hint: { zh: '同名的行归为同一个商品', en: 'Rows with the same name form one product' },
    example: '郫县豆瓣 特级 500g',
  },
  {
    name: 'category',
    zh: '类目',
    required: true,
    hint: {
      zh: '类目编码（如 condiment.doubanjiang）或末级类目名（如 豆瓣酱）',
      en: 'Category code (e.g. condiment.doubanjiang) or leaf name (豆瓣酱)',
    },
    example: '豆瓣酱',
  },
  {
    name: 'spec',
    zh: '规格',
    required: true,
    hint: { zh: '如 500g 袋装', en: 'e.g. 500g 袋装' },
    example: '500g 袋装',
  },
  {
    name: 'supply_price',
    zh: '供货价',
    required: true,
    hint: { zh: '元，如 9.80', en: 'Yuan, e.g. 9.80' },
    example: '9.80',
  },
  {
    name: 'retail_price',
    zh: '建议零售价',
    required: true,
    hint: { zh: '元，不低于供货价', en: 'Yuan, not below the supply price' },
    example: '19.90',
  },
  {
    name: 'min_live_price',
    zh: '直播最低价',
    required: true,
    hint: { zh: '元', en: 'Yuan' },
    example: '15.90',
  },
  {
    name: 'max_live_price',
    zh: '直播最高价',
    required: true,
    hint: { zh: '元，不低于直播最低价', en: 'Yuan, not below the min live price' },
    example: '19.90',
  },
  {
    name: 'currency',
    zh: '币种',
    required: false,
    hint: { zh: 'ISO 代码，默认 CNY', en: 'ISO code, default CNY' },
    example: 'CNY',
  },
  {
    name: 'origin_city',
    zh: '产地市州',
    required: true,
    hint: {
      zh: '四川省市州（成都市；也可写 成都、凉山州）',
      en: 'A Sichuan prefecture (成都市; 成都 and 凉山州 are accepted)',
    },
    example: '成都市',
  },
  {
    name: 'origin_county',
    zh: '产地区县',
    required: false,
    hint: {
      zh: '该市州的区县（旧名如 郫县 也可）',
      en: 'A county of that prefecture (former names such as 郫县 are accepted)',
    },
    example: '郫都区',
  },
  {
    name: 'is_geographic_indication',
    zh: '地理标志',
    required: false,
    hint: { zh: '是/否', en: 'Yes/no (是/否, true/false, 1/0)' },
    example: '是',
  },
  {
    name: 'shelf_life_days',
    zh: '保质期天数',
    required: false,
    hint: { zh: '正整数', en: 'A positive integer' },
    example: '540',
  },
  {
    name: 'ship_from',
    zh: '发货仓',
    required: false,
    hint: { zh: '自由填写', en: 'Free text' },
    example: '成都仓',
  },
  {
    name: 'selling_points',
    zh: '卖点',
    required: false,
    hint: { zh: '用 ； ; 或 | 分隔', en: 'Separated by ； ; or |' },
    example: '三年陈酿；红褐油润',
  },
  {
    name: 'description',
    zh: '商品描述',
    required: false,
    hint: { zh: '可选', en: 'Optional' },
    example: '二荆条辣椒与蚕豆瓣翻晒发酵。',
  },
];

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The template: a header row with the Chinese column names (the importer also reads the English
 * ones) and one example row. With a UTF-8 BOM so that Excel opens the Chinese correctly.
 */
export function templateCsv(): string {
  const header = IMPORT_COLUMNS.map((c) => csvCell(c.zh)).join(',');
  const example = IMPORT_COLUMNS.map((c) => csvCell(c.example)).join(',');
  return `\uFEFF${header}\r\n${example}\r\n`;
}

export function downloadTemplate(filename = 'shuxuan-products-template.csv'): void {
  const blob = new Blob([templateCsv()], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * What an import upload came to:
 * - `imported`: 200 with the counts;
 * - `refused`: 400 with a report listing rows (nothing written);
 * - `unreadable`: 400 without a report (empty file, wrong format, missing columns) — the
 *   backend's `detail`, and its per-field errors, become one rejection on line 1 or 0;
 * - `queued`: 202, a big file imported in the background: its record, to poll until it finishes
 *   (then `jobOutcome` reads it as one of the three above).
 */
export type FinishedOutcome =
  | { kind: 'imported'; report: ImportReport }
  | { kind: 'refused'; report: ImportReport }
  | { kind: 'unreadable'; message: string };
export type ImportOutcome = FinishedOutcome | { kind: 'queued'; job: ProductImport };

/** A background import once finished, as the answer a small file gets at once. */
export function jobOutcome(job: ProductImport): FinishedOutcome {
  const report = {
    created: job.created,
    updated: job.updated,
    unchanged: job.unchanged,
    rejected: job.rejected,
  };
  if (job.rejected.length > 0) return { kind: 'refused', report };
  if (job.status === 'failed') return { kind: 'unreadable', message: job.error };
  return { kind: 'imported', report };
}

export function importOutcome(status: number, body: unknown): ImportOutcome {
  if (status === 202) return { kind: 'queued', job: productImportSchema.parse(body) };
  const parsed = importReportSchema.safeParse(body);
  if (parsed.success) {
    const report = parsed.data;
    return report.rejected.length > 0 || status >= 400
      ? { kind: 'refused', report }
      : { kind: 'imported', report };
  }
  let message = `HTTP ${status}`;
  if (body && typeof body === 'object') {
    const detail = (body as { detail?: unknown }).detail;
    if (typeof detail === 'string') message = detail;
    else {
      const errors = (body as { errors?: unknown; file?: unknown }).errors ?? body;
      const first = Object.values(errors as Record<string, unknown>).find(Array.isArray);
      if (first && first.length > 0) message = String(first[0]);
    }
  }
  return { kind: 'unreadable', message };
}

/** Rejections sorted by line then field, with a stable key for the table. */
export function rejectionRows(rejected: ImportRejection[]): (ImportRejection & { key: string })[] {
  return [...rejected]
    .sort((a, b) => a.line - b.line || a.field.localeCompare(b.field))
    .map((row, index) => ({ ...row, key: `${row.line}:${row.field}:${index}` }));
}
