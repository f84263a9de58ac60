import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Collapse, Space, Spin, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ImportPanel, ImportProgress, ImportStatusTag, isImportActive } from '@/lib/imports';
import { errorText, useImportProducts, useProductImport } from './api';
import { useCatalogT, type CatalogT } from './i18n';
import {
  downloadTemplate,
  IMPORT_COLUMNS,
  jobOutcome,
  type ImportColumn,
  type ImportOutcome,
} from './importFile';
import type { ProductImport } from './models';
import { ImportResult } from './ImportResult';

/** CSV/XLSX import of the brand's products: upload, then the counts or the rows at fault. */
export function ImportPage() {
  const { t, language } = useCatalogT();
  const { message } = App.useApp();
  const upload = useImportProducts();
  const [result, setResult] = useState<{ outcome: ImportOutcome; filename: string } | null>(null);

  return (
    <ImportPanel
      testId="import-page"
      upload={{
        mode: 'drop',
        title: t('import.title'),
        accept:
          '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        pending: upload.isPending,
        labels: { drop: t('import.drop'), hint: t('import.dropHint') },
        testId: 'import-upload',
        upload: async (file) => {
          setResult(null);
          try {
            const outcome = await upload.mutateAsync(file);
            setResult({ outcome, filename: file.name });
          } catch (error) {
            message.error(errorText(t, error));
            throw error;
          }
        },
        children: (
          <>
            <Typography.Paragraph type="secondary">{t('import.intro')}</Typography.Paragraph>
            <Space style={{ marginBottom: 16 }}>
              <Button
                icon={<DownloadOutlined />}
                onClick={() => downloadTemplate()}
                data-testid="download-template"
              >
                {t('import.template')}
              </Button>
            </Space>
            <ColumnsHelp t={t} language={language} />
          </>
        ),
      }}
      current={
        (upload.isPending || result) && (
          <div>
            {upload.isPending && <Spin description={t('import.uploading')} />}
            {result && result.outcome.kind === 'queued' && (
              <ProductImportProgress t={t} id={result.outcome.job.id} filename={result.filename} />
            )}
            {result && result.outcome.kind !== 'queued' && (
              <ImportResult t={t} outcome={result.outcome} filename={result.filename} />
            )}
          </div>
        )
      }
    />
  );
}

/** The template's columns, what each means and whether it is required. */
function ColumnsHelp({ t, language }: { t: CatalogT; language: 'zh' | 'en' }) {
  return (
    <Collapse
      size="small"
      style={{ marginBottom: 16 }}
      items={[
        {
          key: 'columns',
          label: t('import.columns'),
          children: (
            <Table<ImportColumn>
              size="small"
              rowKey="name"
              pagination={false}
              dataSource={IMPORT_COLUMNS}
              columns={[
                {
                  title: t('import.column'),
                  dataIndex: 'name',
                  render: (v: string) => <code>{v}</code>,
                },
                { title: t('import.columnZh'), dataIndex: 'zh' },
                {
                  title: '',
                  dataIndex: 'required',
                  render: (required: boolean) =>
                    required ? (
                      <Tag color="red">{t('import.requiredCol')}</Tag>
                    ) : (
                      <Tag>{t('import.optionalCol')}</Tag>
                    ),
                },
                {
                  title: t('import.meaning'),
                  key: 'hint',
                  render: (_: unknown, column) => column.hint[language],
                },
              ]}
            />
          ),
        },
      ]}
    />
  );
}

// The products it wrote show in the lists once it has finished.
const REFRESH = ['catalog', 'products'];

/** A big file imported in the background: its progress, polled until it finishes, then the result. */
function ProductImportProgress({ t, id, filename }: { t: CatalogT; id: number; filename: string }) {
  return (
    <ImportProgress<ProductImport>
      query={useProductImport(id)}
      statusOf={(job) => job.status}
      refreshKey={REFRESH}
      describeError={(error) => errorText(t, error)}
      title={() => t('import.queued', { file: filename })}
      tag={(job) => (
        <ImportStatusTag
          status={job.status}
          label={t(`import.status.${job.status}`)}
          testId="import-status"
        />
      )}
      rowsText={(done, total) =>
        total ? t('import.rows', { done, total }) : t('import.rowsUnknown', { done })
      }
      testId="import-progress"
      statusAttribute="data-status"
      rowsTestId="import-rows"
      placeholder={<Spin />}
    >
      {(job) =>
        !isImportActive(job.status) && (
          <ImportResult t={t} outcome={jobOutcome(job)} filename={filename} />
        )
      }
    </ImportProgress>
  );
}
