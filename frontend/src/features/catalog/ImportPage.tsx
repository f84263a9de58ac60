import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { App, Button, Card, Collapse, Space, Spin, Table, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { errorText, useImportProducts } from './api';
import { useCatalogT } from './i18n';
import {
  downloadTemplate,
  IMPORT_COLUMNS,
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
        {result && <ImportResult t={t} outcome={result.outcome} filename={result.filename} />}
      </div>
    </Card>
  );
}
