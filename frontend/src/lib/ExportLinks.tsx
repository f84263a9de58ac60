import { DownloadOutlined } from '@ant-design/icons';
import { Space, Typography } from 'antd';
import { EXPORT_FORMATS, type ExportFormat } from './exports';

/**
 * One plain download link per export format: the browser sends the session cookie and saves the
 * file. Each link's test id is `${testId}-${fmt}`.
 */
export function ExportLinks({
  hrefFor,
  labels,
  testId,
}: {
  hrefFor: (fmt: ExportFormat) => string;
  labels: Record<ExportFormat, string>;
  testId: string;
}) {
  return (
    <Space size="small" wrap data-testid={testId}>
      {EXPORT_FORMATS.map((fmt) => (
        <Typography.Link key={fmt} href={hrefFor(fmt)} download data-testid={`${testId}-${fmt}`}>
          <DownloadOutlined /> {labels[fmt]}
        </Typography.Link>
      ))}
    </Space>
  );
}
