import { Tooltip } from 'antd';
import { Link } from 'react-router-dom';
import { ExportLinks as SharedExportLinks } from '@/lib/ExportLinks';
import type { ExportFormat } from '@/lib/exports';
import type { Money } from '@/lib/money';
import { MoneyText as SharedMoneyText } from '@/lib/MoneyText';
import { type AccountOwner, accountLabel, useLedgerT } from './i18n';

export function MoneyText(props: { value: Money | null | undefined; testId?: string }) {
  return <SharedMoneyText {...props} empty="" />;
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

/**
 * An account as a person reads it (owner · type · currency), linking to its ledger. The raw code
 * (`org2:payable_to_party:CNY`) is finance's: it shows on hover, and on the account's own page.
 */
export function AccountName({
  account,
  id,
  code,
  testId,
}: {
  account: AccountOwner;
  id: number;
  code: string;
  testId?: string;
}) {
  const { t } = useLedgerT();
  return (
    <Tooltip title={<span data-testid="account-code">{code}</span>}>
      <Link to={`/ledger/accounts/${id}`} data-testid={testId}>
        {accountLabel(t, account)}
      </Link>
    </Tooltip>
  );
}
