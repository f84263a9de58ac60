import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Result, Tag, Typography } from 'antd';
import type { Money } from '@/lib/money';
import { MoneyText as SharedMoneyText } from '@/lib/MoneyText';
import { useSupplyT } from './i18n';
import { isExpired } from './lots';
import type { ItemBrief, Lot } from './models';

export function MoneyText(props: { value: Money | null | undefined; testId?: string }) {
  return <SharedMoneyText {...props} />;
}

export function ItemText({ item }: { item: ItemBrief }) {
  return (
    <span>
      <Typography.Text code>{item.sku_code}</Typography.Text> {item.name}
    </span>
  );
}

export function LotText({ lot }: { lot: Lot | null | undefined }) {
  const { t } = useSupplyT();
  if (!lot) return <>—</>;
  const expired = isExpired(lot);
  return (
    <span>
      {lot.batch_number}
      {lot.expiry_date && (
        <Typography.Text type={expired ? 'danger' : 'secondary'}>
          {' '}
          · {lot.expiry_date}
        </Typography.Text>
      )}
      {expired && (
        <Tag
          color="red"
          style={{ marginInlineStart: 6 }}
          data-testid={`lot-expired-${lot.batch_number}`}
        >
          {t('stock.expired')}
        </Tag>
      )}
    </span>
  );
}

const STATE_COLORS: Record<string, string> = {
  draft: 'default',
  confirmed: 'blue',
  partially_received: 'gold',
  received: 'green',
  cancelled: 'red',
  in_transit: 'blue',
  posted: 'green',
};

export function StateTag({ state, label }: { state: string; label: string }) {
  return (
    <Tag color={STATE_COLORS[state] ?? 'default'} data-testid={`state-${state}`}>
      {label}
    </Tag>
  );
}

export function NotAllowed() {
  const { t } = useSupplyT();
  return (
    <div data-testid="forbidden">
      <Result status="403" title={t('common.notAllowed')} />
    </div>
  );
}

export function ReadOnlyNote() {
  const { t } = useSupplyT();
  return (
    <Alert
      type="info"
      showIcon
      title={t('common.readOnly')}
      style={{ marginBottom: 12 }}
      data-testid="supply-read-only"
    />
  );
}

export function ErrorList({ messages, testId }: { messages: string[]; testId?: string }) {
  if (messages.length === 0) return null;
  return (
    <Alert
      type="error"
      showIcon
      data-testid={testId}
      style={{ marginBottom: 12 }}
      title={messages.length === 1 ? messages[0] : undefined}
      description={
        messages.length > 1 ? (
          <ul style={{ margin: 0, paddingInlineStart: 16 }}>
            {messages.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        ) : undefined
      }
    />
  );
}

/** A list's create button for who may write; a read-only note for who may not. */
export function CreateBar(props: {
  writable: boolean;
  label: string;
  onCreate: () => void;
  testId: string;
}) {
  if (!props.writable) return <ReadOnlyNote />;
  return (
    <Button
      type="primary"
      icon={<PlusOutlined />}
      style={{ marginBottom: 12 }}
      onClick={props.onCreate}
      data-testid={props.testId}
    >
      {props.label}
    </Button>
  );
}
