import { DownloadOutlined } from '@ant-design/icons';
import { Result, Space, Tag, Typography } from 'antd';
import type { Money } from '@/lib/money';
import { MoneyText as SharedMoneyText } from '@/lib/MoneyText';
import { enumText, useSettlementT, type EnumGroup } from './i18n';

export function MoneyText(props: {
  value: Money | null | undefined;
  testId?: string;
  strong?: boolean;
}) {
  return <SharedMoneyText {...props} negativeRed />;
}

const COLORS: Record<string, string> = {
  pending: 'default',
  running: 'processing',
  done: 'green',
  failed: 'red',
  draft: 'gold',
  approved: 'green',
  sent: 'blue',
  paid: 'green',
  open: 'orange',
  recovered: 'green',
  written_off: 'default',
};

export function StateTag({ group, state }: { group: EnumGroup; state: string }) {
  const { t } = useSettlementT();
  return (
    <Tag color={COLORS[state] ?? 'default'} data-testid={`state-${state}`}>
      {enumText(t, group, state)}
    </Tag>
  );
}

/** Plain links: the browser sends the session cookie and saves the file. */
export function DownloadLinks({
  links,
  testId,
}: {
  links: { label: string; href: string; key: string }[];
  testId?: string;
}) {
  return (
    <Space size="small" wrap data-testid={testId}>
      {links.map((link) => (
        <Typography.Link
          key={link.key}
          href={link.href}
          download
          data-testid={testId ? `${testId}-${link.key}` : undefined}
        >
          <DownloadOutlined /> {link.label}
        </Typography.Link>
      ))}
    </Space>
  );
}

export function NotAllowed() {
  const { t } = useSettlementT();
  return (
    <div data-testid="forbidden">
      <Result status="403" title={t('common.notAllowed')} />
    </div>
  );
}
