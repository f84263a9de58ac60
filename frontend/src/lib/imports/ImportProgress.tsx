import { Alert, Card, Progress, Tag, Typography } from 'antd';
import { useQueryClient, type QueryKey, type UseQueryResult } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';
import { formatCount } from '@/lib/format';
import {
  IMPORT_TAG_COLORS,
  importDisplayState,
  importPercent,
  importProgressStatus,
  isImportFinished,
} from './state';

/** What the progress of any import shows: its rows so far, of how many, and a progress ratio. */
export interface ProgressFields {
  rows_done?: number | null;
  rows_total?: number | null;
  progress?: number | null;
}

/** An import's progress bar, for its card and for a row of the history. */
export function ImportProgressBar({
  status,
  progress,
  small = false,
}: {
  status: string;
  progress?: number | null;
  small?: boolean;
}) {
  return (
    <Progress
      percent={importPercent({ status, progress })}
      size={small ? 'small' : undefined}
      status={importProgressStatus(status)}
    />
  );
}

/** An import's status as a tag, coloured by its display state. */
export function ImportStatusTag({
  status,
  label,
  testId,
}: {
  status: string;
  label: string;
  testId: string;
}) {
  return (
    <Tag color={IMPORT_TAG_COLORS[importDisplayState(status)]} data-testid={testId}>
      {label}
    </Tag>
  );
}

interface ImportProgressProps<T extends ProgressFields> {
  /** The import, polled until it has finished (its hook sets `refetchInterval`). */
  query: UseQueryResult<T>;
  /** The import's status, in whichever vocabulary its backend speaks (`./state`). */
  statusOf: (job: T) => string;
  /** The list to refresh once the import has finished: it polls slowly or not at all. */
  refreshKey: QueryKey;
  describeError: (error: unknown) => string;
  title: (job: T) => ReactNode;
  tag: (job: T) => ReactNode;
  /** "done / total rows", or "done rows" while the total is unknown (numbers formatted). */
  rowsText: (done: string, total: string | null) => string;
  testId: string;
  /** The attribute the status is written to for the browser tests. */
  statusAttribute: 'data-state' | 'data-status';
  rowsTestId: string;
  /** Shown before the first answer. */
  placeholder?: ReactNode;
  /** The counts, the error or the rejected rows, under the bar. */
  children?: (job: T) => ReactNode;
}

/** One import running in the background: a card with its status, progress and rows so far. */
export function ImportProgress<T extends ProgressFields>({
  query,
  statusOf,
  refreshKey,
  describeError,
  title,
  tag,
  rowsText,
  testId,
  statusAttribute,
  rowsTestId,
  placeholder = null,
  children,
}: ImportProgressProps<T>) {
  const data = query.data;
  const client = useQueryClient();
  const finished = data !== undefined && isImportFinished(statusOf(data));
  const key = JSON.stringify(refreshKey);
  useEffect(() => {
    if (finished) void client.invalidateQueries({ queryKey: JSON.parse(key) as QueryKey });
  }, [finished, client, key]);
  if (query.isError) return <Alert type="error" showIcon title={describeError(query.error)} />;
  if (!data) return placeholder;
  const status = statusOf(data);
  const done = formatCount(data.rows_done ?? 0);
  return (
    <Card
      size="small"
      title={title(data)}
      extra={tag(data)}
      data-testid={testId}
      {...{ [statusAttribute]: status }}
    >
      <ImportProgressBar status={status} progress={data.progress} />
      <Typography.Text type="secondary" data-testid={rowsTestId}>
        {rowsText(done, data.rows_total ? formatCount(data.rows_total) : null)}
      </Typography.Text>
      {children?.(data)}
    </Card>
  );
}
