import { Space } from 'antd';
import type { ReactNode } from 'react';
import { UploadBox, type UploadBoxProps } from './UploadBox';

/**
 * An import page: the upload, what the latest upload gave (its progress or its report), and the
 * imports made so far. Orders, bills and products use it; what differs (the upload call, the poll,
 * the columns, the labels) comes in as props. The statuses' two vocabularies meet in `./state`.
 */
export function ImportPanel<K extends string>({
  testId,
  upload,
  current,
  history,
}: {
  testId: string;
  upload: UploadBoxProps<K>;
  current?: ReactNode;
  history?: ReactNode;
}) {
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }} data-testid={testId}>
      <UploadBox<K> {...upload} />
      {current}
      {history}
    </Space>
  );
}
