import { Alert, Col, Row, Statistic, Table } from 'antd';
import type { CatalogT } from './i18n';
import { rejectionRows, type FinishedOutcome } from './importFile';

/** The answer to an import: the counts, or for a refused file every problem by line. */
export function ImportResult({
  t,
  outcome,
  filename,
}: {
  t: CatalogT;
  outcome: FinishedOutcome;
  filename: string;
}) {
  if (outcome.kind === 'unreadable') {
    return (
      <Alert
        type="error"
        showIcon
        data-testid="import-unreadable"
        title={t('import.unreadable', { file: filename })}
        description={outcome.message}
      />
    );
  }
  const { report } = outcome;
  const refused = outcome.kind === 'refused';
  return (
    <div data-testid={refused ? 'import-refused' : 'import-imported'}>
      <Alert
        type={refused ? 'error' : 'success'}
        showIcon
        style={{ marginBottom: 16 }}
        title={
          refused
            ? t('import.refused', { file: filename })
            : t('import.success', { file: filename })
        }
        description={refused ? t('import.refusedHint') : undefined}
      />
      {!refused && (
        <Row gutter={16} data-testid="import-counts">
          <Col span={8}>
            <Statistic
              title={t('import.created')}
              value={report.created}
              data-testid="import-created"
            />
          </Col>
          <Col span={8}>
            <Statistic
              title={t('import.updated')}
              value={report.updated}
              data-testid="import-updated"
            />
          </Col>
          <Col span={8}>
            <Statistic
              title={t('import.unchanged')}
              value={report.unchanged}
              data-testid="import-unchanged"
            />
          </Col>
        </Row>
      )}
      {refused && (
        <Table
          data-testid="import-rejections"
          size="small"
          rowKey="key"
          pagination={
            report.rejected.length > 50 ? { pageSize: 50, showSizeChanger: false } : false
          }
          dataSource={rejectionRows(report.rejected)}
          columns={[
            { title: t('import.line'), dataIndex: 'line', width: 80, align: 'right' },
            { title: t('import.field'), dataIndex: 'field', width: 200 },
            { title: t('import.reason'), dataIndex: 'reason' },
          ]}
        />
      )}
    </div>
  );
}
