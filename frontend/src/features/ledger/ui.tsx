import { ExportLinks as SharedExportLinks } from '@/lib/ExportLinks';
import type { ExportFormat } from '@/lib/exports';
import { formatMoney, type Money } from '@/lib/money';
import { useLedgerT } from './i18n';

export function MoneyText({ value, testId }: { value: Money | null | undefined; testId?: string }) {
  return (
    <span data-testid={testId} style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
      {value ? formatMoney(value) : ''}
    </span>
  );
}

/** The shared export links, labelled in the ledger's words. */
export function ExportLinks({
  hrefFor,
  testId,
}: {
  hrefFor: (fmt: ExportFormat) => string;
  testId: string;
}) {
  const { t } = useLedgerT();
  return (
    <SharedExportLinks
      hrefFor={hrefFor}
      testId={testId}
      labels={{ csv: t('common.exportCsv'), xlsx: t('common.exportXlsx') }}
    />
  );
}
