import { UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Progress,
  Select,
  Space,
  Table,
  Typography,
  Upload,
} from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ExportLinks } from '@/lib/ExportLinks';
import { formatCount } from '@/lib/format';
import { formatDateTime } from '@/lib/time';
import { errorMessage, PAGE_SIZE, useImportBatch, useImportBatches, useUploadOrders } from './api';
import { enumText, useSettlementT } from './i18n';
import {
  batchRejectedExportUrl,
  importPercent,
  inLanguage,
  isActive,
  progressStatus,
} from './logic';
import { IMPORT_PLATFORMS, type ImportBatch, type ImportPlatform } from './models';
import { StateTag } from './ui';

/** 订单导入: upload a platform's order file, watch its progress, read the rejected rows. */
export function ImportsPage() {
  const { t, language } = useSettlementT();
  const { message } = App.useApp();
  const [platform, setPlatform] = useState<ImportPlatform>('douyin');
  const [file, setFile] = useState<File | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [current, setCurrent] = useState<number | null>(null);
  const [page, setPage] = useState(1);
  const upload = useUploadOrders();
  const batches = useImportBatches(page);

  const onSubmit = async () => {
    if (!file) return;
    setUploadError(null);
    try {
      const { batch, reused } = await upload.mutateAsync({ platform, file });
      setCurrent(batch.id);
      setFile(null);
      message.success(t(reused ? 'imports.reused' : 'imports.queued', { id: batch.id }));
    } catch (error) {
      setUploadError(inLanguage(errorMessage(error), language));
    }
  };

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }} data-testid="imports-page">
      <Card size="small" title={t('imports.upload')}>
        <Form layout="inline" onFinish={() => void onSubmit()}>
          <Form.Item label={t('imports.platform')}>
            <Select
              style={{ width: 160 }}
              value={platform}
              onChange={setPlatform}
              options={IMPORT_PLATFORMS.map((p) => ({
                value: p,
                label: enumText(t, 'platform', p),
              }))}
              data-testid="import-platform"
            />
          </Form.Item>
          <Form.Item label={t('imports.file')}>
            <Upload
              maxCount={1}
              accept=".csv,.xlsx,.xls,.txt"
              fileList={file ? [{ uid: 'file', name: file.name, status: 'done' as const }] : []}
              onRemove={() => setFile(null)}
              beforeUpload={(chosen) => {
                setFile(chosen);
                return false;
              }}
            >
              <Button icon={<UploadOutlined />} data-testid="import-choose">
                {t('imports.choose')}
              </Button>
            </Upload>
          </Form.Item>
          <Form.Item>
            <Button
              type="primary"
              htmlType="submit"
              disabled={!file}
              loading={upload.isPending}
              data-testid="import-submit"
            >
              {t('imports.submit')}
            </Button>
          </Form.Item>
        </Form>
        {uploadError && (
          <Alert
            type="error"
            showIcon
            title={uploadError}
            style={{ marginTop: 12 }}
            data-testid="import-error"
          />
        )}
      </Card>
      {current !== null && <ImportProgress id={current} />}
      <Table<ImportBatch>
        rowKey="id"
        size="small"
        data-testid="imports-table"
        loading={batches.isPending}
        dataSource={batches.data?.results ?? []}
        scroll={{ x: 1000 }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: batches.data?.count ?? 0,
          showSizeChanger: false,
          showTotal: (count) => t('common.total', { count }),
          onChange: setPage,
        }}
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
              <Progress percent={importPercent(b)} size="small" status={progressStatus(b.state)} />
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
    </Space>
  );
}

/** One import, polled until it finishes: progress, counts, and the rejected rows with line numbers. */
function ImportProgress({ id }: { id: number }) {
  const { t, language } = useSettlementT();
  const batch = useImportBatch(id);
  const data = batch.data;
  const client = useQueryClient();
  const finished = data !== undefined && !isActive(data.state);
  // The list below polls slowly: refresh it as soon as this import has finished.
  useEffect(() => {
    if (finished) void client.invalidateQueries({ queryKey: ['settlement', 'imports'] });
  }, [finished, client]);
  if (batch.isError) return <Alert type="error" showIcon title={errorMessage(batch.error)} />;
  if (!data) return null;
  return (
    <Card
      size="small"
      title={`${t('imports.id')} #${data.id} · ${data.file_name}`}
      extra={<StateTag group="batchState" state={data.state} />}
      data-testid="import-progress"
      data-state={data.state}
    >
      <Progress percent={importPercent(data)} status={progressStatus(data.state)} />
      <Typography.Text type="secondary" data-testid="import-rows">
        {data.rows_total
          ? t('imports.rows', {
              done: formatCount(data.rows_done),
              total: formatCount(data.rows_total),
            })
          : t('imports.rowsUnknown', { done: formatCount(data.rows_done) })}
      </Typography.Text>
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
        <Table
          size="small"
          style={{ marginTop: 12 }}
          title={() => (
            <Space wrap>
              {t('imports.rejectedRows')}
              <ExportLinks
                testId={`import-rejected-export-${data.id}`}
                labels={{ csv: t('common.exportCsv'), xlsx: t('common.exportXlsx') }}
                hrefFor={(fmt) => batchRejectedExportUrl(data.id, fmt)}
              />
            </Space>
          )}
          data-testid="import-rejected-rows"
          rowKey={(row) => `${row.line}-${row.reason}`}
          dataSource={data.rejected_rows}
          pagination={{ pageSize: 10, showSizeChanger: false }}
          columns={[
            { title: t('imports.line'), dataIndex: 'line', width: 90 },
            {
              title: t('common.reason'),
              dataIndex: 'reason',
              render: (reason: string) => inLanguage(reason, language),
            },
          ]}
        />
      )}
    </Card>
  );
}
