/**
 * Product and bill imports that run in the background (backend `common/import_jobs.py`): a record
 * with `status` queued → running → done | failed, `rows_done` / `rows_total` and `progress` (0–1,
 * null while unknown). The pages poll the record with TanStack Query's `refetchInterval` until it
 * has finished.
 */
export type ImportStatus = 'queued' | 'running' | 'done' | 'failed';

export const IMPORT_STATUSES: readonly ImportStatus[] = ['queued', 'running', 'done', 'failed'];

/** How often a queued or running import is asked again. */
export const IMPORT_POLL_MS = 1500;

export interface ImportJob {
  status: string;
  progress?: number | null;
}

export function isImportActive(status: string | undefined): boolean {
  return status === 'queued' || status === 'running';
}

/** For `refetchInterval`: poll until the import is done or failed (and before its first answer). */
export function importPollInterval(job: ImportJob | undefined): number | false {
  return !job || isImportActive(job.status) ? IMPORT_POLL_MS : false;
}

/** The import's progress as a whole percent: 100 once done, 0 while unknown. */
export function importPercent(job: ImportJob): number {
  if (job.status === 'done') return 100;
  if (job.progress == null) return 0;
  return Math.min(100, Math.max(0, Math.floor(job.progress * 100)));
}

/** antd `Progress` status of an import. */
export function importProgressStatus(
  status: string,
): 'success' | 'exception' | 'active' | 'normal' {
  if (status === 'done') return 'success';
  if (status === 'failed') return 'exception';
  return isImportActive(status) ? 'active' : 'normal';
}
