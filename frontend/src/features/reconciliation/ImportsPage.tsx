import { Alert, App, Card, Descriptions, Typography } from 'antd';
import { useState, type CSSProperties } from 'react';
import { formatCount } from '@/lib/format';
import {
  ImportHistory,
  ImportPanel,
  ImportProgress,
  ImportProgressBar,
  ImportStatusTag,
  RejectedRows,
  RejectedRowsLink,
} from '@/lib/imports';
import { formatDateTime } from '@/lib/time';
import { errorMessage, PAGE_SIZE, useBillImport, useImports, useUploadBill } from './api';
import { enumText, useReconT } from './i18n';
import { billRejectedExportUrl, inLanguage } from './logic';
import { rejectedLines, SOURCES, type BillImport, type ImportReport, type Source } from './models';

/** 账单导入: upload a platform, bank or Stripe statement and read what it created and refused. */
export function ImportsPage() {
  const { t, language } = useReconT();
  const { message } = App.useApp();
  const [source, setSource] = useState<Source>('douyin');
  const [report, setReport] = useState<ImportReport | null>(null);
  const [queued, setQueued] = useState<number | null>(null);
  const [page, setPage] = useState(1);
  const upload = useUploadBill();
  const imports = useImports(page);

  return (
    <ImportPanel<Source>
      testId="recon-imports-page"
      upload={{
        mode: 'choose',
        title: t('imports.upload'),
        accept: '.csv,.xlsx,.xls,.json,.txt',
        pending: upload.isPending,
        choice: {
          label: t('imports.source'),
          value: source,
          onChange: setSource,
          options: SOURCES.map((s) => ({ value: s, label: enumText(t, 'source', s) })),
          testId: 'bill-source',
          width: 200,
        },
        labels: {
          file: t('imports.file'),
          choose: t('imports.choose'),
          submit: t('imports.submit'),
        },
        testIds: { choose: 'bill-choose', submit: 'bill-submit', error: 'bill-error' },
        describeError: (error) => inLanguage(errorMessage(error), language),
        upload: async (file) => {
          setReport(null);
          setQueued(null);
          const result = await upload.mutateAsync({ source, file });
          if (result.kind === 'queued') {
            setQueued(result.record.id);
            message.info(t('imports.queued', { id: result.record.id }));
            return;
          }
          setReport(result.report);
          const id = result.report.import ?? result.report.import_id;
          message.success(
            result.report.already_imported ? t('imports.again') : t('imports.done', { id }),
          );
        },
      }}
      current={
        <>
          {report && <ImportReportCard report={report} />}
          {queued !== null && <BillImportProgress id={queued} />}
        </>
      }
      history={
        <ImportHistory<BillImport>
          query={imports}
          page={page}
          onPage={setPage}
          pageSize={PAGE_SIZE}
          totalText={(count) => t('common.total', { count })}
          title={t('imports.list')}
          testId="bill-imports-table"
          scrollX={900}
          expandable={{
            rowExpandable: (row) => rejectedLines(row.rejected).length > 0,
            expandedRowRender: (row) => <RejectedTable value={row.rejected} importId={row.id} />,
          }}
          columns={[
            { title: t('imports.id'), dataIndex: 'id', render: (id: number) => `#${id}` },
            {
              title: t('common.source'),
              dataIndex: 'source',
              render: (s: string) => enumText(t, 'source', s),
            },
            { title: t('imports.fileName'), dataIndex: 'filename', ellipsis: true },
            {
              title: t('imports.status'),
              dataIndex: 'status',
              render: (value: string) => <StatusTag status={value} />,
            },
            {
              title: t('imports.progress'),
              key: 'progress',
              width: 140,
              render: (_: unknown, row: BillImport) => (
                <ImportProgressBar status={row.status} progress={row.progress} small />
              ),
            },
            { title: t('imports.created'), dataIndex: 'created', align: 'right' },
            { title: t('imports.updated'), dataIndex: 'updated', align: 'right' },
            { title: t('imports.unchanged'), dataIndex: 'unchanged', align: 'right' },
            {
              title: t('imports.rejected'),
              dataIndex: 'rejected',
              align: 'right',
              render: (value: unknown) => rejectedLines(value).length,
            },
            {
              title: t('common.createdAt'),
              dataIndex: 'created_at',
              render: (v: string) => formatDateTime(v),
            },
          ]}
        />
      }
    />
  );
}

function StatusTag({ status }: { status: string }) {
  const { t } = useReconT();
  return (
    <ImportStatusTag
      status={status}
      label={enumText(t, 'importStatus', status)}
      testId="bill-import-status"
    />
  );
}

const REFRESH = ['reconciliation', 'imports'];

/** A bill import running in the background, polled until it finishes; then its counts or its error. */
function BillImportProgress({ id }: { id: number }) {
  const { t, language } = useReconT();
  return (
    <ImportProgress<BillImport>
      query={useBillImport(id)}
      statusOf={(record) => record.status}
      refreshKey={REFRESH}
      describeError={(error) => inLanguage(errorMessage(error), language)}
      title={(record) => `${t('imports.id')} #${record.id} · ${record.filename}`}
      tag={(record) => <StatusTag status={record.status} />}
      rowsText={(done, total) =>
        total ? t('imports.rows', { done, total }) : t('imports.rowsUnknown', { done })
      }
      testId="bill-import-progress"
      statusAttribute="data-status"
      rowsTestId="bill-import-rows"
    >
      {(data) => (
        <>
          {data.status === 'done' && (
            <Counts
              created={data.created ?? 0}
              updated={data.updated ?? 0}
              unchanged={data.unchanged ?? 0}
              rejected={rejectedLines(data.rejected).length}
              style={{ marginTop: 12 }}
            />
          )}
          {data.status === 'failed' && (
            <Alert
              type="error"
              showIcon
              style={{ marginTop: 12 }}
              title={t('imports.failed')}
              description={inLanguage(data.error, language)}
              data-testid="bill-import-error"
            />
          )}
          {rejectedLines(data.rejected).length > 0 && (
            <RejectedTable value={data.rejected} importId={data.id} />
          )}
        </>
      )}
    </ImportProgress>
  );
}

/** Created, updated, unchanged and rejected, as the report and the finished import show them. */
function Counts({
  created,
  updated,
  unchanged,
  rejected,
  style,
}: {
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  style?: CSSProperties;
}) {
  const { t } = useReconT();
  const counts = { created, updated, unchanged, rejected };
  return (
    <Descriptions
      size="small"
      column={4}
      style={style}
      items={(['created', 'updated', 'unchanged', 'rejected'] as const).map((key) => ({
        key,
        label: t(`imports.${key}`),
        children: <span data-testid={`bill-${key}`}>{formatCount(counts[key])}</span>,
      }))}
    />
  );
}

function ImportReportCard({ report }: { report: ImportReport }) {
  const { t } = useReconT();
  const id = report.import ?? report.import_id;
  const rejected = rejectedLines(report.rejected);
  return (
    <Card
      size="small"
      title={`${t('imports.id')} #${id ?? '—'} · ${report.file}`}
      data-testid="bill-report"
    >
      {report.already_imported && (
        <Alert type="info" showIcon title={t('imports.again')} style={{ marginBottom: 12 }} />
      )}
      <Counts
        created={report.created}
        updated={report.updated}
        unchanged={report.unchanged}
        rejected={rejected.length}
      />
      {rejected.length > 0 && <RejectedTable value={report.rejected} importId={id ?? null} />}
    </Card>
  );
}

function RejectedTable({ value, importId }: { value: unknown; importId: number | null }) {
  const { t, language } = useReconT();
  return (
    <RejectedRows
      rows={rejectedLines(value)}
      title={<Typography.Text strong>{t('imports.rejectedLines')}</Typography.Text>}
      download={
        importId !== null && (
          <RejectedRowsLink
            testId={`bill-rejected-export-${importId}`}
            labels={{ csv: t('common.exportCsv'), xlsx: t('common.exportXlsx') }}
            hrefFor={(fmt) => billRejectedExportUrl(importId, fmt)}
          />
        )
      }
      testId="bill-rejected-lines"
      labels={{ line: t('imports.line'), reason: t('common.reason') }}
      reasonText={(reason) => inLanguage(reason, language)}
    />
  );
}
