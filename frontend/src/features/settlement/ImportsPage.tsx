import { Alert, App, Descriptions, Typography } from 'antd';
import { useState } from 'react';
import {
  ImportHistory,
  ImportPanel,
  ImportProgress,
  ImportProgressBar,
  RejectedRows,
  RejectedRowsLink,
} from '@/lib/imports';
import { formatCount } from '@/lib/format';
import { formatDateTime } from '@/lib/time';
import { errorMessage, PAGE_SIZE, useImportBatch, useImportBatches, useUploadOrders } from './api';
import { enumText, useSettlementT } from './i18n';
import { batchRejectedExportUrl, inLanguage } from './logic';
import { IMPORT_PLATFORMS, type ImportBatch, type ImportPlatform } from './models';
import { StateTag } from './ui';

/** 订单导入: upload a platform's order file, watch its progress, read the rejected rows. */
export function ImportsPage() {
  const { t, language } = useSettlementT();
  const { message } = App.useApp();
  const [platform, setPlatform] = useState<ImportPlatform>('douyin');
  const [current, setCurrent] = useState<number | null>(null);
  const [page, setPage] = useState(1);
  const upload = useUploadOrders();
  const batches = useImportBatches(page);

  return (
    <ImportPanel<ImportPlatform>
      testId="imports-page"
      upload={{
        mode: 'choose',
        title: t('imports.upload'),
        accept: '.csv,.xlsx,.xls,.txt',
        pending: upload.isPending,
        choice: {
          label: t('imports.platform'),
          value: platform,
          onChange: setPlatform,
          options: IMPORT_PLATFORMS.map((p) => ({ value: p, label: enumText(t, 'platform', p) })),
          testId: 'import-platform',
          width: 160,
        },
        labels: {
          file: t('imports.file'),
          choose: t('imports.choose'),
          submit: t('imports.submit'),
        },
        testIds: { choose: 'import-choose', submit: 'import-submit', error: 'import-error' },
        describeError: (error) => inLanguage(errorMessage(error), language),
        upload: async (file) => {
          const { batch, reused } = await upload.mutateAsync({ platform, file });
          setCurrent(batch.id);
          message.success(t(reused ? 'imports.reused' : 'imports.queued', { id: batch.id }));
        },
      }}
      current={current !== null && <BatchProgress id={current} />}
      history={
        <ImportHistory<ImportBatch>
          query={batches}
          page={page}
          onPage={setPage}
          pageSize={PAGE_SIZE}
          totalText={(count) => t('common.total', { count })}
          testId="imports-table"
          scrollX={1000}
          columns={[
            {
              title: t('imports.id'),
              dataIndex: 'id',
              render: (id: number) => (
                <Typography.Link onClick={() => setCurrent(id)} data-testid={`import-open-${id}`}>
                  #{id}
                </Typography.Link>
              ),
            },
            {
              title: t('imports.platform'),
              dataIndex: 'source',
              render: (source: string) => enumText(t, 'platform', source),
            },
            { title: t('imports.fileName'), dataIndex: 'file_name', ellipsis: true },
            {
              title: t('common.state'),
              dataIndex: 'state',
              render: (state: string) => <StateTag group="batchState" state={state} />,
            },
            {
              title: t('imports.progress'),
              key: 'progress',
              width: 160,
              render: (_: unknown, b: ImportBatch) => (
                <ImportProgressBar status={b.state} progress={b.progress} small />
              ),
            },
            { title: t('imports.created'), dataIndex: 'created', align: 'right' },
            { title: t('imports.updated'), dataIndex: 'updated', align: 'right' },
            { title: t('imports.unchanged'), dataIndex: 'unchanged', align: 'right' },
            { title: t('imports.rejected'), dataIndex: 'rejected', align: 'right' },
            { title: t('imports.uploadedBy'), dataIndex: 'uploaded_by' },
            {
              title: t('common.createdAt'),
              dataIndex: 'created_at',
              render: (value: string) => formatDateTime(value),
            },
          ]}
        />
      }
    />
  );
}

const REFRESH = ['settlement', 'imports'];

/** One import, polled until it finishes: progress, counts, and the rejected rows with line numbers. */
function BatchProgress({ id }: { id: number }) {
  const { t, language } = useSettlementT();
  return (
    <ImportProgress<ImportBatch>
      query={useImportBatch(id)}
      statusOf={(batch) => batch.state}
      refreshKey={REFRESH}
      describeError={errorMessage}
      title={(batch) => `${t('imports.id')} #${batch.id} · ${batch.file_name}`}
      tag={(batch) => <StateTag group="batchState" state={batch.state} />}
      rowsText={(done, total) =>
        total ? t('imports.rows', { done, total }) : t('imports.rowsUnknown', { done })
      }
      testId="import-progress"
      statusAttribute="data-state"
      rowsTestId="import-rows"
    >
      {(data) => (
        <>
          <Descriptions
            size="small"
            column={5}
            style={{ marginTop: 12 }}
            items={(['created', 'updated', 'unchanged', 'rejected', 'unattributed'] as const).map(
              (key) => ({
                key,
                label: t(`imports.${key}`),
                children: <span data-testid={`import-${key}`}>{formatCount(data[key])}</span>,
              }),
            )}
          />
          {data.error && (
            <Alert
              type="error"
              showIcon
              title={inLanguage(data.error, language)}
              style={{ marginTop: 12 }}
            />
          )}
          {(data.rejected_rows?.length ?? 0) > 0 && (
            <RejectedRows
              rows={data.rejected_rows ?? []}
              title={t('imports.rejectedRows')}
              download={
                <RejectedRowsLink
                  testId={`import-rejected-export-${data.id}`}
                  labels={{ csv: t('common.exportCsv'), xlsx: t('common.exportXlsx') }}
                  hrefFor={(fmt) => batchRejectedExportUrl(data.id, fmt)}
                />
              }
              testId="import-rejected-rows"
              labels={{ line: t('imports.line'), reason: t('common.reason') }}
              reasonText={(reason) => inLanguage(reason, language)}
            />
          )}
        </>
      )}
    </ImportProgress>
  );
}
