import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { ExportLinks } from '@/lib/ExportLinks';
import {
  errorMessage,
  PAGE_SIZE,
  useAssign,
  useBulkResolve,
  useExceptions,
  useFinanceUsers,
} from './api';
import { FilterTags } from '@/lib/FilterTags';
import { ExceptionDrawer } from './ExceptionDrawer';
import { enumText, useReconT } from './i18n';
import {
  AGE_FILTERS,
  type AgeFilter,
  BULK_RESOLUTIONS,
  exceptionsExportUrl,
  filtersFromSearch,
  filtersToSearch,
  inLanguage,
  type ExceptionFilters,
} from './logic';
import { EXCEPTION_STATES, REASONS, SOURCES, type ReconException, type Resolution } from './models';
import { PeriodSelect } from './PeriodSelect';
import { MoneyText, ReasonTag, StateTag } from './ui';

/** 差异队列: filter, select, assign and resolve in bulk; open one for the side-by-side view. */
export function ExceptionsPage() {
  const { t, language } = useReconT();
  const { message } = App.useApp();
  const [search, setSearch] = useSearchParams();
  const filters = filtersFromSearch(search);
  const openId = Number(search.get('open')) || null;
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<number[]>([]);
  const [bulk, setBulk] = useState<Resolution | null>(null);
  const [owner, setOwner] = useState<number | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const exceptions = useExceptions(filters, page);
  const users = useFinanceUsers();
  const assign = useAssign();
  const bulkResolve = useBulkResolve();
  const [noteForm] = Form.useForm<{ note: string }>();

  const setFilters = (next: ExceptionFilters) => {
    const params = filtersToSearch(next);
    setSearch(params, { replace: true });
    setPage(1);
    setSelected([]);
  };
  const setFilter = <K extends keyof ExceptionFilters>(key: K, value: ExceptionFilters[K]) =>
    setFilters({ ...filters, [key]: value });
  const open = (id: number | null) => {
    const copy = new URLSearchParams(search);
    if (id === null) copy.delete('open');
    else copy.set('open', String(id));
    setSearch(copy, { replace: true });
  };

  const rows = exceptions.data?.results ?? [];

  const onAssign = async () => {
    setError(null);
    try {
      const count = await assign.mutateAsync({ ids: selected, owner: owner ?? null });
      message.success(t('exceptions.assigned', { count }));
      setSelected([]);
    } catch (err) {
      setError(inLanguage(errorMessage(err), language));
    }
  };

  const onBulk = async () => {
    if (!bulk) return;
    const values = await noteForm.validateFields().catch(() => null);
    if (!values) return; // the form shows what is missing
    const { note } = values;
    setError(null);
    try {
      await bulkResolve.mutateAsync({ ids: selected, resolution: bulk, note });
      message.success(t('exceptions.bulkDone', { count: selected.length }));
      setSelected([]);
      setBulk(null);
      noteForm.resetFields();
    } catch (err) {
      setBulk(null);
      setError(inLanguage(errorMessage(err), language));
    }
  };

  const userOptions = (users.data ?? []).map((u) => ({
    value: u.id,
    label: u.display_name || u.username,
  }));

  return (
    <Space
      orientation="vertical"
      size="middle"
      style={{ width: '100%' }}
      data-testid="exceptions-page"
    >
      <Card size="small">
        <Space wrap>
          <PeriodSelect
            value={filters.period}
            onChange={(p) => setFilter('period', p)}
            allowClear
            placeholder={t('common.period')}
            testId="filter-period"
          />
          <Select
            style={{ width: 170 }}
            allowClear
            placeholder={t('common.source')}
            value={filters.source}
            onChange={(v?: string) => setFilter('source', v)}
            options={SOURCES.map((s) => ({ value: s, label: enumText(t, 'source', s) }))}
            data-testid="filter-source"
          />
          <Select
            style={{ width: 150 }}
            allowClear
            placeholder={t('common.reason')}
            value={filters.reason}
            onChange={(v?: string) => setFilter('reason', v)}
            options={REASONS.map((r) => ({ value: r, label: enumText(t, 'reason', r) }))}
            data-testid="filter-reason"
          />
          <Select
            style={{ width: 150 }}
            allowClear
            placeholder={t('common.state')}
            value={filters.state}
            onChange={(v?: string) => setFilter('state', v)}
            options={EXCEPTION_STATES.map((s) => ({ value: s, label: enumText(t, 'state', s) }))}
            data-testid="filter-state"
          />
          <Select
            style={{ width: 150 }}
            allowClear
            placeholder={t('common.owner')}
            value={filters.owner}
            onChange={(v?: number) => setFilter('owner', v)}
            options={userOptions}
            data-testid="filter-owner"
          />
          <Select
            style={{ width: 120 }}
            allowClear
            placeholder={t('common.age')}
            value={filters.age}
            onChange={(v?: AgeFilter) => setFilter('age', v)}
            options={AGE_FILTERS.map((b) => ({
              value: b,
              label: t('common.ageDays', { days: b }),
            }))}
            data-testid="filter-age"
          />
          <ExportLinks
            testId="exceptions-export"
            labels={{ csv: t('common.exportCsv'), xlsx: t('common.exportXlsx') }}
            hrefFor={(fmt) => exceptionsExportUrl(filters, fmt)}
          />
        </Space>
        <FilterTags
          filters={
            filters.unresolved_through
              ? [
                  {
                    key: 'unresolved_through',
                    label: t('exceptions.unresolvedThrough', {
                      period: filters.unresolved_through,
                    }),
                  },
                ]
              : []
          }
          onRemove={() => setFilter('unresolved_through', undefined)}
        />
      </Card>

      <Card size="small" data-testid="bulk-bar">
        <Space wrap>
          <Typography.Text data-testid="bulk-count">
            {t('exceptions.selected', { count: selected.length })}
          </Typography.Text>
          <Select
            style={{ width: 170 }}
            allowClear
            placeholder={t('exceptions.assignTo')}
            value={owner}
            onChange={(v?: number) => setOwner(v)}
            options={userOptions}
            data-testid="bulk-owner"
          />
          <Button
            disabled={selected.length === 0}
            loading={assign.isPending}
            onClick={() => void onAssign()}
            data-testid="bulk-assign"
          >
            {owner === undefined ? t('exceptions.unassign') : t('exceptions.assign')}
          </Button>
          {BULK_RESOLUTIONS.map((resolution) => (
            <Button
              key={resolution}
              disabled={selected.length === 0}
              onClick={() => setBulk(resolution)}
              data-testid={`bulk-${resolution}`}
            >
              {resolution === 'timing' ? t('exceptions.bulkTiming') : t('exceptions.bulkDispute')}
            </Button>
          ))}
        </Space>
        {error && (
          <Alert
            type="error"
            showIcon
            title={error}
            style={{ marginTop: 12 }}
            data-testid="bulk-error"
          />
        )}
      </Card>

      <Table<ReconException>
        rowKey="id"
        size="small"
        data-testid="exceptions-table"
        loading={exceptions.isPending}
        dataSource={rows}
        scroll={{ x: 1300 }}
        rowSelection={{
          selectedRowKeys: selected,
          onChange: (keys) => setSelected(keys as number[]),
          getCheckboxProps: (row) => ({ disabled: row.state !== 'open' }),
        }}
        onRow={(row) =>
          ({ 'data-testid': `exception-row-${row.id}` }) as React.HTMLAttributes<HTMLElement>
        }
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: exceptions.data?.count ?? 0,
          showSizeChanger: false,
          showTotal: (count) => t('common.total', { count }),
          onChange: setPage,
        }}
        columns={[
          {
            title: '#',
            dataIndex: 'id',
            width: 70,
            render: (id: number) => (
              <Typography.Link onClick={() => open(id)} data-testid={`exception-open-${id}`}>
                #{id}
              </Typography.Link>
            ),
          },
          {
            title: t('common.source'),
            dataIndex: 'source',
            render: (s: string) => enumText(t, 'source', s),
          },
          { title: t('exceptions.matchKey'), dataIndex: 'match_key', ellipsis: true },
          {
            title: t('common.reason'),
            dataIndex: 'reason',
            render: (r: string) => <ReasonTag reason={r} />,
          },
          { title: t('common.period'), dataIndex: 'period' },
          {
            title: t('exceptions.difference'),
            dataIndex: 'difference',
            align: 'right',
            render: (_: unknown, row) => <MoneyText value={row.difference} />,
          },
          {
            title: t('exceptions.billNet'),
            dataIndex: 'bill_net',
            align: 'right',
            render: (_: unknown, row) => <MoneyText value={row.bill_net} />,
          },
          {
            title: t('exceptions.ledgerNet'),
            dataIndex: 'ledger_net',
            align: 'right',
            render: (_: unknown, row) => <MoneyText value={row.ledger_net} />,
          },
          {
            title: t('common.state'),
            dataIndex: 'state',
            render: (s: string) => <StateTag state={s} />,
          },
          { title: t('common.owner'), dataIndex: 'owner_name', render: (n: string) => n || '—' },
          {
            title: t('common.age'),
            dataIndex: 'age_days',
            align: 'right',
            render: (days: number) => t('common.ageDays', { days }),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, row) => (
              <Button size="small" onClick={() => open(row.id)}>
                {t('exceptions.open')}
              </Button>
            ),
          },
        ]}
      />

      <Modal
        open={bulk !== null}
        title={bulk === 'timing' ? t('exceptions.bulkTiming') : t('exceptions.bulkDispute')}
        onCancel={() => setBulk(null)}
        onOk={() => void onBulk()}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
        confirmLoading={bulkResolve.isPending}
        okButtonProps={{ 'data-testid': 'bulk-confirm' } as Record<string, string>}
        destroyOnHidden
      >
        <Typography.Paragraph>
          {t('exceptions.selected', { count: selected.length })}
        </Typography.Paragraph>
        <Form form={noteForm} layout="vertical" preserve={false}>
          <Form.Item
            name="note"
            label={t('exceptions.bulkNote')}
            rules={[{ required: true, whitespace: true, message: t('exceptions.noteRequired') }]}
          >
            <Input.TextArea rows={3} data-testid="bulk-note" />
          </Form.Item>
        </Form>
      </Modal>

      <ExceptionDrawer id={openId} onClose={() => open(null)} />
    </Space>
  );
}
