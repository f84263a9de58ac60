import { DownloadOutlined } from '@ant-design/icons';
import { Space, Typography } from 'antd';
import { formatMoney, type Money } from '@/lib/money';
import { EXPORT_FORMATS, type ExportFormat } from './exportUrls';
import { useLedgerT, type LedgerKey } from './i18n';

export function MoneyText({ value, testId }: { value: Money | null | undefined; testId?: string }) {
  return (
    <span data-testid={testId} style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
      {value ? formatMoney(value) : ''}
    </span>
  );
}

const EXPORT_LABELS: Record<ExportFormat, LedgerKey> = {
  csv: 'common.exportCsv',
  xlsx: 'common.exportXlsx',
};

/**
 * One plain download link per export format: the browser sends the session cookie and saves the
 * file. Each link's test id is `${testId}-${fmt}`.
 */
export function ExportLinks({
  hrefFor,
  testId,
}: {
  hrefFor: (fmt: ExportFormat) => string;
  testId: string;
}) {
  const { t } = useLedgerT();
  return (
    <Space size="small" wrap data-testid={testId}>
      {EXPORT_FORMATS.map((fmt) => (
        <Typography.Link key={fmt} href={hrefFor(fmt)} download data-testid={`${testId}-${fmt}`}>
          <DownloadOutlined /> {t(EXPORT_LABELS[fmt])}
        </Typography.Link>
      ))}
    </Space>
  );
}
