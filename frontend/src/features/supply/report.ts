/** The 进销存 report: totals and the CSV the browser exports (no server round trip). */
import { fromMinorUnits, toMinorUnits } from '@/lib/money';
import { REPORT_FLOWS, type Flow, type ReportFlow, type ReportRow } from './models';

export function reportTotals(rows: ReportRow[]): Record<ReportFlow, Flow> {
  const totals = {} as Record<ReportFlow, Flow>;
  for (const flow of REPORT_FLOWS) {
    let quantity = 0;
    let minor = 0n;
    for (const row of rows) {
      quantity += row[flow].quantity;
      minor += toMinorUnits(row[flow].value.amount, row[flow].value.currency);
    }
    totals[flow] = { quantity, value: { amount: fromMinorUnits(minor, 'CNY'), currency: 'CNY' } };
  }
  return totals;
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break; a leading =+-@ is defused. */
export function csvField(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text)) {
    text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export interface ReportCsvLabels {
  sku: string;
  name: string;
  owner: string;
  ownership: (value: string) => string;
  ownershipTitle: string;
  flow: (flow: ReportFlow) => string;
  qty: string;
  value: string;
  totals: string;
}

/**
 * One line per row: SKU, name, owner, ownership, then quantity and value of each flow. Values are
 * the API's decimal strings (yuan, two decimals), so a spreadsheet sums them exactly. CRLF line
 * ends; a UTF-8 BOM so Excel reads the Chinese.
 */
export function reportCsv(rows: ReportRow[], labels: ReportCsvLabels): string {
  const header = [labels.sku, labels.name, labels.owner, labels.ownershipTitle];
  for (const flow of REPORT_FLOWS) {
    header.push(`${labels.flow(flow)} ${labels.qty}`, `${labels.flow(flow)} ${labels.value}`);
  }
  const lines = [header.map(csvField).join(',')];
  const body = (row: Pick<ReportRow, ReportFlow>) =>
    REPORT_FLOWS.flatMap((flow) => [row[flow].quantity, row[flow].value.amount]);
  for (const row of rows) {
    const fields = [row.sku_code, row.name, row.owner_name, labels.ownership(row.ownership)];
    lines.push([...fields, ...body(row)].map(csvField).join(','));
  }
  if (rows.length > 0) {
    lines.push([labels.totals, '', '', '', ...body(reportTotals(rows))].map(csvField).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Save text as a file from the browser. */
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
