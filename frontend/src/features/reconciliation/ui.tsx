import { DownloadOutlined } from '@ant-design/icons';
import { Result, Space, Tag, Typography } from 'antd';
import type { Money } from '@/lib/money';
import { MoneyText as SharedMoneyText } from '@/lib/MoneyText';
import { enumText, useReconT } from './i18n';
import { minorToAmount } from './logic';

export function MoneyText(props: {
  value: Money | null | undefined;
  testId?: string;
  strong?: boolean;
}) {
  return <SharedMoneyText {...props} negativeRed />;
}

/** An amount in fen (as `sides` and `detail` carry them). */
export function Fen({ minor, currency = 'CNY' }: { minor: number | undefined; currency?: string }) {
  if (minor === undefined || minor === null) return <span>—</span>;
  return <MoneyText value={{ amount: minorToAmount(minor), currency }} />;
}

const STATE_COLORS: Record<string, string> = {
  open: 'orange',
  pending_approval: 'gold',
  accepted: 'green',
  timing: 'blue',
  disputed: 'purple',
  written_off: 'default',
  cleared: 'green',
  closed: 'red',
  reopened: 'blue',
};

export function StateTag({
  state,
  group = 'state',
}: {
  state: string;
  group?: 'state' | 'closeState';
}) {
  const { t } = useReconT();
  return (
    <Tag color={STATE_COLORS[state] ?? 'default'} data-testid={`state-${state}`}>
      {enumText(t, group, state)}
    </Tag>
  );
}

export function ReasonTag({ reason }: { reason: string }) {
  const { t } = useReconT();
  const color =
    reason === 'matched' ? 'green' : reason.startsWith('missing') ? 'volcano' : 'orange';
  return <Tag color={color}>{enumText(t, 'reason', reason)}</Tag>;
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
  const { t } = useReconT();
  return (
    <div data-testid="forbidden">
      <Result status="403" title={t('common.notAllowed')} />
    </div>
  );
}
