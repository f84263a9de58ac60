/** Download links of the ledger exports: plain URLs, the browser sends the session cookie. */
import { exportUrl, type ExportFormat } from '@/lib/exports';

/** One account's postings (明细账) with opening, running and closing balance. */
export function accountExportUrl(
  id: number,
  fmt: ExportFormat,
  range: { dateFrom?: string | null; dateTo?: string | null } = {},
): string {
  return exportUrl(`/api/ledger/accounts/${id}/export/`, fmt, {
    date_from: range.dateFrom,
    date_to: range.dateTo,
  });
}

/** The trial balance (试算平衡表), as of a date or over every posted entry. */
export function trialBalanceExportUrl(fmt: ExportFormat, asOf?: string | null): string {
  return exportUrl('/api/ledger/trial-balance/export/', fmt, { as_of: asOf });
}
