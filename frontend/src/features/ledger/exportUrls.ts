/** Download links of the ledger exports: plain URLs, the browser sends the session cookie. */

export type ExportFormat = 'csv' | 'xlsx';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'xlsx'];

/** `?fmt=…` followed by only the filters that are set (empty strings count as unset). */
function exportQuery(
  fmt: ExportFormat,
  filters: Record<string, string | null | undefined>,
): string {
  const query = new URLSearchParams({ fmt });
  for (const [key, value] of Object.entries(filters)) {
    if (value) query.set(key, value);
  }
  return query.toString();
}

/** One account's postings (明细账) with opening, running and closing balance. */
export function accountExportUrl(
  id: number,
  fmt: ExportFormat,
  range: { dateFrom?: string | null; dateTo?: string | null } = {},
): string {
  const query = exportQuery(fmt, { date_from: range.dateFrom, date_to: range.dateTo });
  return `/api/ledger/accounts/${id}/export/?${query}`;
}

/** The trial balance (试算平衡表), as of a date or over every posted entry. */
export function trialBalanceExportUrl(fmt: ExportFormat, asOf?: string | null): string {
  return `/api/ledger/trial-balance/export/?${exportQuery(fmt, { as_of: asOf })}`;
}
