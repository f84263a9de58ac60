/** Whole-number counts with thousands separators ("12,345"). */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.trunc(value) === value
    ? String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
    : value.toLocaleString('en-US');
}
