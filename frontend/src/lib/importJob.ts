/**
 * Product and bill imports that run in the background (backend `common/import_jobs.py`): a record
 * with `status` queued → running → done | failed, `rows_done` / `rows_total` and `progress` (0–1,
 * null while unknown). The pages poll the record with TanStack Query's `refetchInterval` until it
 * has finished. The rules live in `./imports/state`, which also maps orders' older vocabulary.
 */
export type ImportStatus = 'queued' | 'running' | 'done' | 'failed';

export const IMPORT_STATUSES: readonly ImportStatus[] = ['queued', 'running', 'done', 'failed'];

export {
  IMPORT_POLL_MS,
  importPercent,
  importPollInterval,
  importProgressStatus,
  isImportActive,
  type ImportJob,
} from './imports/state';
