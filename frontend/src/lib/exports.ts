/** The server's spreadsheet exports (`?fmt=csv|xlsx` plus the list's filters). */

export type ExportFormat = 'csv' | 'xlsx';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'xlsx'];

type FilterValue = string | number | boolean | null | undefined;

/** `path?fmt=…` followed by only the filters that are set (empty strings count as unset). */
export function exportUrl(
  path: string,
  fmt: ExportFormat,
  filters: Record<string, FilterValue> = {},
): string {
  const query = new URLSearchParams({ fmt });
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  }
  return `${path}?${query.toString()}`;
}
