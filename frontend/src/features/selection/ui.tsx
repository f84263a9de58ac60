import { Alert, Tag } from 'antd';
import type { Money } from '@/lib/money';
import { MoneyText as SharedMoneyText } from '@/lib/MoneyText';
import { SelectionApiError } from './api';
import { labelOf, useSelectionT } from './i18n';
import { errorLines } from './formErrors';
import { STATE_COLORS } from './workbench';

export function MoneyText(props: { value: Money | null | undefined; testId?: string }) {
  return <SharedMoneyText {...props} />;
}

type StateGroup =
  | 'sampleState'
  | 'pickState'
  | 'applicationState'
  | 'sessionState'
  | 'planValidity'
  | 'versionStatus';

export function StateTag({ group, state }: { group: StateGroup; state: string }) {
  const { t } = useSelectionT();
  const color =
    STATE_COLORS[state === 'scheduled' && group === 'versionStatus' ? 'scheduled_version' : state];
  return (
    <Tag color={color ?? 'default'} data-testid={`state-${state}`}>
      {labelOf(t, group, state)}
    </Tag>
  );
}

/** An API error shown above a form: one line per field at fault. */
export function ApiErrorAlert({
  error,
  title,
  testId = 'api-error',
}: {
  error: unknown;
  title?: string;
  testId?: string;
}) {
  const { t, language } = useSelectionT();
  if (!error) return null;
  const lines = errorLines(error, t, language);
  const isConflict = error instanceof SelectionApiError && error.status === 409;
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 12 }}
      data-testid={testId}
      title={title ?? (isConflict ? t('errors.conflict') : t('errors.invalid'))}
      description={
        <ul style={{ margin: 0, paddingInlineStart: 16 }}>
          {lines.map((line) => (
            <li key={line.text} data-testid={line.path ? `error-${line.path}` : undefined}>
              {line.text}
            </li>
          ))}
        </ul>
      }
    />
  );
}
