import { Select } from 'antd';
import { currentPeriod, recentPeriods } from './logic';

export function PeriodSelect({
  value,
  onChange,
  allowClear,
  testId = 'period-select',
  placeholder,
}: {
  value: string | undefined;
  onChange: (period: string | undefined) => void;
  allowClear?: boolean;
  testId?: string;
  placeholder?: string;
}) {
  const periods = recentPeriods(currentPeriod(), 24);
  if (value && !periods.includes(value)) periods.unshift(value);
  return (
    <Select
      style={{ width: 130 }}
      value={value}
      allowClear={allowClear}
      placeholder={placeholder}
      onChange={(next?: string) => onChange(next ?? undefined)}
      options={periods.map((p) => ({ value: p, label: p }))}
      data-testid={testId}
    />
  );
}
