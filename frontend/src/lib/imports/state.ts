/**
 * One display state for an import, whichever backend vocabulary it arrives in.
 *
 * There are two, and the API keeps both:
 * - order imports (`orders.BatchState`, `GET /api/orders/batches/{id}/`): `pending → running →
 *   done | failed`, in the field `state`. The batch predates the background jobs, and its
 *   upload answers 201 with the batch itself;
 * - product and bill imports (`common/import_jobs.py`): `queued → running → done | failed`, in
 *   the field `status`; their upload answers 202 with the job.
 *
 * Renaming either would change the OpenAPI schema and every client of it for no reader's gain,
 * so the SPA maps both here and nowhere else: whether to poll, what the progress bar shows and
 * which colour a tag takes follow from the display state.
 */
export type ImportDisplayState = 'waiting' | 'running' | 'done' | 'failed' | 'unknown';

const DISPLAY: Record<string, ImportDisplayState> = {
  pending: 'waiting', // orders' BatchState
  queued: 'waiting', // the background jobs' status
  running: 'running',
  done: 'done',
  failed: 'failed',
};

/** The display state of an import's `state` (orders) or `status` (products, bills). */
export function importDisplayState(status: string | undefined): ImportDisplayState {
  return (status !== undefined && DISPLAY[status]) || 'unknown';
}

/** Still under way: waiting for a worker or running. */
export function isImportActive(status: string | undefined): boolean {
  const state = importDisplayState(status);
  return state === 'waiting' || state === 'running';
}

/** Done or failed: nothing more will change. */
export function isImportFinished(status: string | undefined): boolean {
  const state = importDisplayState(status);
  return state === 'done' || state === 'failed';
}

/** How often a waiting or running import is asked again. */
export const IMPORT_POLL_MS = 1500;

/** An import as the progress display needs it: its status (either vocabulary) and progress. */
export interface ImportJob {
  status: string;
  progress?: number | null;
}

/** For `refetchInterval`: poll until the import is done or failed (and before its first answer). */
export function importPollInterval(job: ImportJob | undefined): number | false {
  return !job || isImportActive(job.status) ? IMPORT_POLL_MS : false;
}

/** The import's progress (0–1, null while unknown) as a whole percent: 100 once done. */
export function importPercent(job: ImportJob): number {
  if (importDisplayState(job.status) === 'done') return 100;
  if (job.progress == null) return 0;
  return Math.min(100, Math.max(0, Math.floor(job.progress * 100)));
}

/** antd `Progress` status of an import. */
export function importProgressStatus(
  status: string,
): 'success' | 'exception' | 'active' | 'normal' {
  const state = importDisplayState(status);
  if (state === 'done') return 'success';
  if (state === 'failed') return 'exception';
  return isImportActive(status) ? 'active' : 'normal';
}

/** antd `Tag` colour of an import's status. */
export const IMPORT_TAG_COLORS: Record<ImportDisplayState, string> = {
  waiting: 'default',
  running: 'processing',
  done: 'success',
  failed: 'error',
  unknown: 'default',
};
