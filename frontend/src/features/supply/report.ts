/** The 进销存 report: its totals line, and the address of its export. */
import { exportUrl, type ExportFormat } from '@/lib/exports';
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

/** The 进销存 export (CSV or XLSX from the server) of the range and owner the screen shows. */
export function reportExportUrl(
  fmt: ExportFormat,
  query: { dateFrom: string; dateTo: string; owner?: number },
): string {
  return exportUrl('/api/supply/report/export/', fmt, {
    date_from: query.dateFrom,
    date_to: query.dateTo,
    owner: query.owner,
  });
}
