import { Tag } from 'antd';
import { enumText, type CatalogT } from './i18n';

const STATUS_COLORS: Record<string, string> = {
  draft: 'default',
  submitted: 'processing',
  approved: 'success',
  rejected: 'error',
};

export function StatusTag({ t, status }: { t: CatalogT; status: string }) {
  return (
    <Tag color={STATUS_COLORS[status]} data-testid={`status-${status}`}>
      {enumText(t, 'status', status)}
    </Tag>
  );
}
