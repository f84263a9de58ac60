import { Card, DatePicker, Skeleton, Space, Statistic, Table, Typography } from 'antd';
import { lazy, Suspense, useState } from 'react';
import { formatCount } from '@/lib/format';
import { formatMoney } from '@/lib/money';
import { useFulfilment, useSampleRoi } from './api';
import { useSelectionT } from './i18n';
import type { Fulfilment, RoiRow } from './models';
import { ApiErrorAlert, MoneyText } from './ui';
import { formatRoi, ratioPercent, roiRatio, roiSummary } from './workbench';

const RoiChart = lazy(() => import('./RoiChart'));

type Range = { since?: string; until?: string };

/** 寄样 ROI: what the brand's samples cost against the GMV the sampled anchors later sold. */
export function RoiTab() {
  const { t } = useSelectionT();
  const [range, setRange] = useState<Range>({});
  const roi = useSampleRoi(range);
  const fulfilment = useFulfilment();
  const rows = roi.data ?? [];
  const summary = roiSummary(rows);

  return (
    <div data-testid="roi-tab">
      <Space style={{ marginBottom: 12, display: 'flex' }} wrap>
        <Typography.Text type="secondary">{t('roi.range')}</Typography.Text>
        <DatePicker.RangePicker
          allowEmpty={[true, true]}
          onChange={(values) =>
            setRange({
              since: values?.[0]?.format('YYYY-MM-DD'),
              until: values?.[1]?.format('YYYY-MM-DD'),
            })
          }
        />
      </Space>
      {roi.isError && <ApiErrorAlert error={roi.error} />}
      <Space
        size="large"
        wrap
        style={{ marginBottom: 12, display: 'flex' }}
        data-testid="roi-summary"
      >
        <Statistic title={t('roi.samples')} value={formatCount(summary.samples)} />
        <Statistic title={t('roi.cost')} value={formatMoney(summary.cost)} />
        <Statistic title={t('roi.gmv')} value={formatMoney(summary.gmv)} />
        <Statistic title={t('roi.ratio')} value={formatRoi(summary.roi)} />
      </Space>
      {rows.length > 0 && (
        <Card
          size="small"
          title={t('roi.chart')}
          style={{ marginBottom: 12 }}
          data-testid="roi-chart"
        >
          <Suspense fallback={<Skeleton active />}>
            <RoiChart rows={rows} costLabel={t('roi.cost')} gmvLabel={t('roi.gmv')} />
          </Suspense>
        </Card>
      )}
      <Table<RoiRow>
        rowKey="product_id"
        size="small"
        data-testid="roi-table"
        loading={roi.isFetching}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: t('roi.empty') }}
        columns={[
          { title: t('common.product'), dataIndex: 'product_name' },
          { title: t('roi.samples'), dataIndex: 'samples', align: 'right' },
          { title: t('roi.anchors'), dataIndex: 'anchors', align: 'right' },
          {
            title: t('roi.cost'),
            key: 'cost',
            align: 'right',
            render: (_, r) => <MoneyText value={r.cost} />,
          },
          {
            title: t('roi.gmv'),
            key: 'gmv',
            align: 'right',
            render: (_, r) => <MoneyText value={r.gmv} />,
          },
          {
            title: t('roi.ratio'),
            key: 'roi',
            align: 'right',
            render: (_, r) => formatRoi(r.roi ?? roiRatio(r.cost, r.gmv)),
          },
        ]}
        summary={() =>
          rows.length > 1 ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>{t('roi.total')}</Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                {summary.samples}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} />
              <Table.Summary.Cell index={3} align="right">
                <MoneyText value={summary.cost} />
              </Table.Summary.Cell>
              <Table.Summary.Cell index={4} align="right">
                <MoneyText value={summary.gmv} />
              </Table.Summary.Cell>
              <Table.Summary.Cell index={5} align="right">
                {formatRoi(summary.roi)}
              </Table.Summary.Cell>
            </Table.Summary.Row>
          ) : null
        }
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t('roi.note')}
      </Typography.Paragraph>
      <Typography.Title level={5}>{t('roi.fulfilment')}</Typography.Title>
      <Table<Fulfilment>
        rowKey="anchor_id"
        size="small"
        data-testid="fulfilment-table"
        loading={fulfilment.isFetching}
        dataSource={fulfilment.data ?? []}
        pagination={false}
        locale={{ emptyText: t('roi.empty') }}
        columns={[
          { title: t('common.anchor'), dataIndex: 'anchor_name' },
          { title: t('roi.approved'), dataIndex: 'approved', align: 'right' },
          { title: t('roi.delivered'), dataIndex: 'delivered', align: 'right' },
          { title: t('roi.overdueCount'), dataIndex: 'overdue', align: 'right' },
          { title: t('roi.open'), dataIndex: 'open', align: 'right' },
          {
            title: t('roi.rate'),
            key: 'rate',
            align: 'right',
            render: (_, r) => ratioPercent(r.rate),
          },
        ]}
      />
    </div>
  );
}
