import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Collapse,
  Progress,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { formatCount } from '@/lib/format';
import { importPercent, importProgressStatus, isImportActive } from '@/lib/importJob';
import { errorText, useImportProducts, useProductImport } from './api';
import { useCatalogT, type CatalogT } from './i18n';
import {
  downloadTemplate,
  IMPORT_COLUMNS,
  jobOutcome,
  type ImportColumn,
  type ImportOutcome,
} from './importFile';
import { ImportResult } from './ImportResult';

/** CSV/XLSX import of the brand's products: upload, then the counts or the rows at fault. */
export function ImportPage() {
  const { t, language } = useCatalogT();
  const { message } = App.useApp();
  const upload = useImportProducts();
  const [result, setResult] = useState<{ outcome: ImportOutcome; filename: string } | null>(null);

  return (
    <Card size="small" data-testid="import-page">
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('import.title')}
      </Typography.Title>
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
      <Upload.Dragger
        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        multiple={false}
        showUploadList={false}
        disabled={upload.isPending}
        data-testid="import-upload"
        customRequest={async ({ file, onSuccess, onError }) => {
          const named = file as File;
          setResult(null);
          try {
            const outcome = await upload.mutateAsync(named);
            setResult({ outcome, filename: named.name });
            onSuccess?.(outcome);
          } catch (error) {
            onError?.(error as Error);
            message.error(errorText(t, error));
          }
        }}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{t('import.drop')}</p>
        <p className="ant-upload-hint">{t('import.dropHint')}</p>
      </Upload.Dragger>
      <div style={{ marginTop: 16 }}>
        {upload.isPending && <Spin description={t('import.uploading')} />}
        {result && result.outcome.kind === 'queued' && (
          <ImportProgress t={t} id={result.outcome.job.id} filename={result.filename} />
        )}
        {result && result.outcome.kind !== 'queued' && (
          <ImportResult t={t} outcome={result.outcome} filename={result.filename} />
        )}
      </div>
    </Card>
  );
}

const STATUS_COLORS: Record<string, string> = {
  queued: 'default',
  running: 'processing',
  done: 'success',
  failed: 'error',
};

/** A big file imported in the background: its progress, polled until it finishes, then the result. */
function ImportProgress({ t, id, filename }: { t: CatalogT; id: number; filename: string }) {
  const job = useProductImport(id);
  const data = job.data;
  const client = useQueryClient();
  const done = data?.status === 'done';
  // The products it wrote show in the lists once it is done.
  useEffect(() => {
    if (done) void client.invalidateQueries({ queryKey: ['catalog', 'products'] });
  }, [done, client]);
  if (job.isError) return <Alert type="error" showIcon title={errorText(t, job.error)} />;
  if (!data) return <Spin />;
  return (
    <div data-testid="import-progress" data-status={data.status}>
      <Space style={{ marginBottom: 8 }}>
        <Typography.Text>{t('import.queued', { file: filename })}</Typography.Text>
        <Tag color={STATUS_COLORS[data.status]} data-testid="import-status">
          {t(`import.status.${data.status}`)}
        </Tag>
      </Space>
      <Progress percent={importPercent(data)} status={importProgressStatus(data.status)} />
      <Typography.Paragraph type="secondary" data-testid="import-rows">
        {data.rows_total
          ? t('import.rows', {
              done: formatCount(data.rows_done),
              total: formatCount(data.rows_total),
            })
          : t('import.rowsUnknown', { done: formatCount(data.rows_done) })}
      </Typography.Paragraph>
      {!isImportActive(data.status) && (
        <ImportResult t={t} outcome={jobOutcome(data)} filename={filename} />
      )}
    </div>
  );
}
