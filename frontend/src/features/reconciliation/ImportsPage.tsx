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
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ExportLinks } from '@/lib/ExportLinks';
import { formatCount } from '@/lib/format';
import { importPercent, importProgressStatus, isImportActive } from '@/lib/importJob';
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
  const [file, setFile] = useState<File | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [queued, setQueued] = useState<number | null>(null);
  const [page, setPage] = useState(1);
  const upload = useUploadBill();
  const imports = useImports(page);

  const onSubmit = async () => {
    if (!file) return;
    setUploadError(null);
    setReport(null);
    setQueued(null);
    try {
      const result = await upload.mutateAsync({ source, file });
      setFile(null);
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
    } catch (error) {
      setUploadError(inLanguage(errorMessage(error), language));
    }
  };

  return (
    <Space
      orientation="vertical"
      size="large"
      style={{ width: '100%' }}
      data-testid="recon-imports-page"
    >
      <Card size="small" title={t('imports.upload')}>
        <Form layout="inline" onFinish={() => void onSubmit()}>
          <Form.Item label={t('imports.source')}>
            <Select
              style={{ width: 200 }}
              value={source}
              onChange={setSource}
              options={SOURCES.map((s) => ({ value: s, label: enumText(t, 'source', s) }))}
              data-testid="bill-source"
            />
          </Form.Item>
          <Form.Item label={t('imports.file')}>
            <Upload
              maxCount={1}
              accept=".csv,.xlsx,.xls,.json,.txt"
              fileList={file ? [{ uid: 'file', name: file.name, status: 'done' as const }] : []}
              onRemove={() => setFile(null)}
              beforeUpload={(chosen) => {
                setFile(chosen);
                return false;
              }}
            >
              <Button icon={<UploadOutlined />} data-testid="bill-choose">
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
              data-testid="bill-submit"
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
            data-testid="bill-error"
          />
        )}
      </Card>
      {report && <ImportReportCard report={report} />}
      {queued !== null && <BillImportProgress id={queued} />}
      <Table<BillImport>
        rowKey="id"
        size="small"
        title={() => t('imports.list')}
        data-testid="bill-imports-table"
        loading={imports.isPending}
        dataSource={imports.data?.results ?? []}
        scroll={{ x: 900 }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: imports.data?.count ?? 0,
          showSizeChanger: false,
          showTotal: (count) => t('common.total', { count }),
          onChange: setPage,
        }}
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
              <Progress
                percent={importPercent(row)}
                size="small"
                status={importProgressStatus(row.status)}
              />
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
    </Space>
  );
}

const STATUS_COLORS: Record<string, string> = {
  queued: 'default',
  running: 'processing',
  done: 'success',
  failed: 'error',
};

function StatusTag({ status }: { status: string }) {
  const { t } = useReconT();
  return (
    <Tag color={STATUS_COLORS[status] ?? 'default'} data-testid="bill-import-status">
      {enumText(t, 'importStatus', status)}
    </Tag>
  );
}

/** A bill import running in the background, polled until it finishes; then its counts or its error. */
function BillImportProgress({ id }: { id: number }) {
  const { t, language } = useReconT();
  const record = useBillImport(id);
  const data = record.data;
  const client = useQueryClient();
  const finished = data !== undefined && !isImportActive(data.status);
  // The list polls not at all: refresh it once this import has finished.
  useEffect(() => {
    if (finished) void client.invalidateQueries({ queryKey: ['reconciliation', 'imports'] });
  }, [finished, client]);
  if (record.isError) {
    return <Alert type="error" showIcon title={inLanguage(errorMessage(record.error), language)} />;
  }
  if (!data) return null;
  const rejected = rejectedLines(data.rejected);
  return (
    <Card
      size="small"
      title={`${t('imports.id')} #${data.id} · ${data.filename}`}
      extra={<StatusTag status={data.status} />}
      data-testid="bill-import-progress"
      data-status={data.status}
    >
      <Progress percent={importPercent(data)} status={importProgressStatus(data.status)} />
      <Typography.Text type="secondary" data-testid="bill-import-rows">
        {data.rows_total
          ? t('imports.rows', {
              done: formatCount(data.rows_done),
              total: formatCount(data.rows_total),
            })
          : t('imports.rowsUnknown', { done: formatCount(data.rows_done) })}
      </Typography.Text>
      {data.status === 'done' && (
        <Descriptions
          size="small"
          column={4}
          style={{ marginTop: 12 }}
          items={(['created', 'updated', 'unchanged'] as const)
            .map((key) => ({
              key: key as string,
              label: t(`imports.${key}`),
              children: <span data-testid={`bill-${key}`}>{formatCount(data[key] ?? 0)}</span>,
            }))
            .concat({
              key: 'rejected',
              label: t('imports.rejected'),
              children: <span data-testid="bill-rejected">{formatCount(rejected.length)}</span>,
            })}
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
      {rejected.length > 0 && <RejectedTable value={data.rejected} importId={data.id} />}
    </Card>
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
      <Descriptions
        size="small"
        column={4}
        items={(['created', 'updated', 'unchanged'] as const)
          .map((key) => ({
            key: key as string,
            label: t(`imports.${key}`),
            children: <span data-testid={`bill-${key}`}>{formatCount(report[key])}</span>,
          }))
          .concat({
            key: 'rejected',
            label: t('imports.rejected'),
            children: <span data-testid="bill-rejected">{formatCount(rejected.length)}</span>,
          })}
      />
      {rejected.length > 0 && <RejectedTable value={report.rejected} importId={id ?? null} />}
    </Card>
  );
}

function RejectedTable({ value, importId }: { value: unknown; importId: number | null }) {
  const { t, language } = useReconT();
  return (
    <Table
      size="small"
      style={{ marginTop: 12 }}
      title={() => (
        <Space wrap>
          <Typography.Text strong>{t('imports.rejectedLines')}</Typography.Text>
          {importId !== null && (
            <ExportLinks
              testId={`bill-rejected-export-${importId}`}
              labels={{ csv: t('common.exportCsv'), xlsx: t('common.exportXlsx') }}
              hrefFor={(fmt) => billRejectedExportUrl(importId, fmt)}
            />
          )}
        </Space>
      )}
      data-testid="bill-rejected-lines"
      rowKey={(row) => `${row.line}-${row.reason}`}
      dataSource={rejectedLines(value)}
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
  );
}
