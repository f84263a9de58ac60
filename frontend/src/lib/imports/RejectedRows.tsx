import { Space, Table } from 'antd';
import type { ReactNode } from 'react';
import { ExportLinks } from '@/lib/ExportLinks';
import type { ExportFormat } from '@/lib/exports';

export interface RejectedRow {
  line: number;
  reason: string;
}

/** The download of an import's rejected rows, one link per format. */
export function RejectedRowsLink({
  testId,
  labels,
  hrefFor,
}: {
  testId: string;
  labels: Record<ExportFormat, string>;
  hrefFor: (fmt: ExportFormat) => string;
}) {
  return <ExportLinks testId={testId} labels={labels} hrefFor={hrefFor} />;
}

/** The rows an import refused, by line, with their download when the import is known. */
export function RejectedRows({
  rows,
  title,
  download,
  testId,
  labels,
  reasonText,
}: {
  rows: readonly RejectedRow[];
  title: ReactNode;
  download?: ReactNode;
  testId: string;
  labels: { line: string; reason: string };
  /** The backend's reason ("中文 / English") in the reader's language. */
  reasonText: (reason: string) => string;
}) {
  return (
    <Table<RejectedRow>
      size="small"
      style={{ marginTop: 12 }}
      title={() => (
        <Space wrap>
          {title}
          {download}
        </Space>
      )}
      data-testid={testId}
      rowKey={(row) => `${row.line}-${row.reason}`}
      dataSource={[...rows]}
      pagination={{ pageSize: 10, showSizeChanger: false }}
      columns={[
        { title: labels.line, dataIndex: 'line', width: 90 },
        {
          title: labels.reason,
          dataIndex: 'reason',
          render: (reason: string) => reasonText(reason),
        },
      ]}
    />
  );
}
