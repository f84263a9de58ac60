import { Table, type TableProps } from 'antd';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { Paginated } from '@/api/models';

/** The imports made so far, a page at a time; the columns and row expansion are the page's. */
export function ImportHistory<Row extends { id: number }>({
  query,
  page,
  onPage,
  pageSize,
  totalText,
  testId,
  title,
  scrollX,
  columns,
  expandable,
}: {
  query: UseQueryResult<Paginated<Row>>;
  page: number;
  onPage: (page: number) => void;
  pageSize: number;
  totalText: (count: number) => string;
  testId: string;
  title?: ReactNode;
  scrollX: number;
  columns: NonNullable<TableProps<Row>['columns']>;
  expandable?: TableProps<Row>['expandable'];
}) {
  return (
    <Table<Row>
      rowKey="id"
      size="small"
      title={title === undefined ? undefined : () => title}
      data-testid={testId}
      loading={query.isPending}
      dataSource={query.data?.results ?? []}
      scroll={{ x: scrollX }}
      pagination={{
        current: page,
        pageSize,
        total: query.data?.count ?? 0,
        showSizeChanger: false,
        showTotal: (count) => totalText(count),
        onChange: onPage,
      }}
      expandable={expandable}
      columns={columns}
    />
  );
}
