import { Card, DatePicker, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useMe } from '@/api/session';
import { ExportLinks } from '@/lib/ExportLinks';
import { formatCount } from '@/lib/format';
import { dayjs } from '@/lib/time';
import { useStockItems, useStockReport } from './api';
import { enumText, useSupplyT, type SupplyKey } from './i18n';
import { REPORT_FLOWS, type ReportFlow, type ReportRow } from './models';
import { reportExportUrl, reportTotals } from './report';
import { MoneyText } from './ui';

const FLOW_LABEL: Record<ReportFlow, SupplyKey> = {
  opening: 'report.opening',
  purchased: 'report.purchased',
  sold: 'report.sold',
  sampled: 'report.sampled',
  returned: 'report.returned',
  adjusted: 'report.adjusted',
  closing: 'report.closing',
};

/** 进销存报表: per SKU and owner, opening + in − out = closing for a period, in units and value. */
export function ReportPage() {
  const { t } = useSupplyT();
  const { data: me } = useMe();
  const isOperator = me?.organization?.kind === 'operator';
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => {
    const today = dayjs().tz();
    return [today.startOf('month'), today];
  });
  const [owner, setOwner] = useState<number | undefined>();
  const dateFrom = range[0].format('YYYY-MM-DD');
  const dateTo = range[1].format('YYYY-MM-DD');
  const query = useStockReport(dateFrom, dateTo, owner);
  const items = useStockItems();
  const rows = useMemo(() => query.data ?? [], [query.data]);
  const totals = useMemo(() => reportTotals(rows), [rows]);

  const owners = useMemo(() => {
    const seen = new Map<number, string>();
    if (me?.organization) seen.set(me.organization.id, me.organization.name);
    for (const item of items.data ?? []) seen.set(item.brand.id, item.brand.name);
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [me, items.data]);

  const columns: ColumnsType<ReportRow> = [
    {
      title: t('common.sku'),
      dataIndex: 'sku_code',
      fixed: 'left',
      width: 150,
      render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
    },
    { title: t('common.item'), dataIndex: 'name', width: 220 },
    { title: t('common.owner'), dataIndex: 'owner_name', width: 200 },
    {
      title: t('report.ownership'),
      dataIndex: 'ownership',
      width: 110,
      render: (v: string) => <Tag>{enumText(t, 'ownership', v)}</Tag>,
    },
    ...REPORT_FLOWS.map((flow) => ({
      title: t(FLOW_LABEL[flow]),
      children: [
        {
          title: t('report.qty'),
          key: `${flow}-q`,
          align: 'right' as const,
          width: 80,
          render: (_: unknown, row: ReportRow) => formatCount(row[flow].quantity),
        },
        {
          title: t('report.value'),
          key: `${flow}-v`,
          align: 'right' as const,
          width: 130,
          render: (_: unknown, row: ReportRow) => <MoneyText value={row[flow].value} />,
        },
      ],
    })),
  ];

  return (
    <Card size="small" data-testid="report-page">
      <Space wrap style={{ marginBottom: 12 }}>
        <Typography.Text>{t('report.period')}</Typography.Text>
        <DatePicker.RangePicker
          value={range}
          allowClear={false}
          onChange={(value) => {
            if (value?.[0] && value[1]) setRange([value[0], value[1]]);
          }}
          data-testid="report-range"
        />
        {isOperator && (
          <Select
            allowClear
            placeholder={t('common.owner')}
            style={{ width: 240 }}
            value={owner}
            onChange={setOwner}
            showSearch={{ optionFilterProp: 'label' }}
            options={owners}
          />
        )}
        <ExportLinks
          testId="report-export"
          labels={{ csv: t('report.exportCsv'), xlsx: t('report.exportXlsx') }}
          hrefFor={(fmt) => reportExportUrl(fmt, { dateFrom, dateTo, owner })}
        />
      </Space>
      <Table<ReportRow>
        data-testid="report-table"
        rowKey={(row) => `${row.stock_item_id}-${row.owner_id}`}
        size="small"
        bordered
        loading={query.isFetching}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={columns}
        summary={() =>
          rows.length > 0 ? (
            <Table.Summary fixed>
              <Table.Summary.Row>
                <Table.Summary.Cell index={0} colSpan={4}>
                  <Typography.Text strong>{t('report.totals')}</Typography.Text>
                </Table.Summary.Cell>
                {REPORT_FLOWS.flatMap((flow, i) => [
                  <Table.Summary.Cell key={`${flow}-q`} index={4 + i * 2} align="right">
                    {formatCount(totals[flow].quantity)}
                  </Table.Summary.Cell>,
                  <Table.Summary.Cell key={`${flow}-v`} index={5 + i * 2} align="right">
                    <MoneyText value={totals[flow].value} testId={`report-total-${flow}`} />
                  </Table.Summary.Cell>,
                ])}
              </Table.Summary.Row>
            </Table.Summary>
          ) : null
        }
      />
    </Card>
  );
}
