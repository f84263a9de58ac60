import {
  CheckCircleTwoTone,
  CloseCircleTwoTone,
  ExclamationCircleTwoTone,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  List,
  Modal,
  Space,
  Table,
  Typography,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useMe } from '@/api/session';
import { formatMoney } from '@/lib/money';
import { formatDateTime } from '@/lib/time';
import {
  errorMessage,
  ReconApiError,
  useBoard,
  useCloses,
  useClosePeriod,
  useExceptionCount,
  useReopen,
} from './api';
import { enumText, useReconT } from './i18n';
import { closeReportHref, CLOSE_REPORT_FORMATS, inLanguage, isOwner } from './logic';
import type { PeriodClose } from './models';
import { usePeriod } from './period';
import { PeriodSelect } from './PeriodSelect';
import { DownloadLinks, StateTag } from './ui';

type Check = {
  key: string;
  ok: boolean | 'warn';
  title: string;
  detail: string;
  link?: string;
  linkLabel?: string;
};

/** 月结关账: what blocks the close, close (an owner may override with a reason), reopen, report. */
export function ClosePage() {
  const { t, language } = useReconT();
  const { message, modal } = App.useApp();
  const { data: me } = useMe();
  const owner = isOwner(me?.roles ?? []);
  const [period, setPeriod] = usePeriod();
  const board = useBoard(period);
  const closes = useCloses();
  const pending = useExceptionCount({ state: 'pending_approval' });
  const closePeriod = useClosePeriod();
  const reopen = useReopen();
  const [form] = Form.useForm<{ override_reason: string }>();
  const [error, setError] = useState<string | null>(null);
  const [reopening, setReopening] = useState<PeriodClose | null>(null);
  const [reopenForm] = Form.useForm<{ reason: string }>();

  const data = board.data;
  const sources = data?.sources ?? [];
  const withLines = sources.filter((s) => s.lines > 0);
  const reconciled = withLines.filter((s) => s.reconciled_at);
  const unresolved = sources.reduce((sum, s) => sum + s.unresolved, 0);
  const settled = sources.filter((s) => s.settled);
  const missingBills = sources.filter((s) => s.bill_missing);
  const record = closes.data?.results.find((c) => c.period === period);
  const checks: Check[] = [
    {
      key: 'reconciled',
      ok: reconciled.length === withLines.length,
      title: t('close.stepBoard'),
      detail: t('close.stepBoardDetail', { done: reconciled.length, total: withLines.length }),
      link: `/reconciliation/board?period=${period}`,
      linkLabel: t('close.viewBoard'),
    },
    {
      key: 'bills',
      ok: missingBills.length === 0,
      title: t('close.stepBills'),
      detail:
        missingBills.length > 0
          ? t('close.stepBillsMissing', {
              sources: missingBills.map((s) => enumText(t, 'source', s.source)).join('、'),
            })
          : t('close.stepBillsDetail', { count: settled.length }),
      link: '/reconciliation/imports',
      linkLabel: t('close.importBill'),
    },
    {
      key: 'blocking',
      ok: unresolved === 0,
      title: t('close.stepBlocking'),
      detail: t('close.stepBlockingDetail', {
        count: unresolved,
        threshold: data ? formatMoney(data.close_threshold) : '—',
      }),
      link: `/reconciliation/exceptions?period=${period}&state=open`,
    },
    {
      key: 'pending',
      ok: (pending.data ?? 0) === 0 ? true : 'warn',
      title: t('close.stepPending'),
      detail: t('close.stepPendingDetail', { count: pending.data ?? 0 }),
      link: '/reconciliation/exceptions?state=pending_approval',
    },
  ];
  const blocked = unresolved > 0 || missingBills.length > 0;

  const doClose = async (overrideReason: string) => {
    setError(null);
    try {
      await closePeriod.mutateAsync({ period, overrideReason });
      message.success(t('close.closed', { period }));
      form.resetFields();
    } catch (err) {
      const text = inLanguage(errorMessage(err), language);
      if (err instanceof ReconApiError && err.fields.override_reason && owner) {
        form.setFields([
          {
            name: 'override_reason',
            errors: [inLanguage(err.fields.override_reason[0], language)],
          },
        ]);
      }
      setError(text);
    }
  };

  const onClose = async () => {
    const values =
      owner && blocked ? await form.validateFields().catch(() => null) : { override_reason: '' };
    if (!values) return; // the form shows what is missing
    const reason = values.override_reason ?? '';
    modal.confirm({
      title: t('close.close'),
      content: t('close.closeConfirm', { period }),
      okText: t('common.confirm'),
      cancelText: t('common.cancel'),
      okButtonProps: { 'data-testid': 'close-confirm' } as Record<string, string>,
      onOk: () => doClose(reason),
    });
  };

  const onReopen = async () => {
    if (!reopening) return;
    const values = await reopenForm.validateFields().catch(() => null);
    if (!values) return;
    const { reason } = values;
    try {
      await reopen.mutateAsync({ id: reopening.id, reason });
      message.success(t('close.reopened', { period: reopening.period }));
      setReopening(null);
    } catch (err) {
      reopenForm.setFields([{ name: 'reason', errors: [inLanguage(errorMessage(err), language)] }]);
    }
  };

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }} data-testid="close-page">
      <Card
        size="small"
        title={
          <Space>
            {t('close.checklist')}
            <PeriodSelect
              value={period}
              onChange={(p) => p && setPeriod(p)}
              testId="close-period"
            />
            {data && (
              <span data-testid="close-state" data-closed={data.closed ? 'yes' : 'no'}>
                {data.closed ? <StateTag group="closeState" state="closed" /> : null}
              </span>
            )}
          </Space>
        }
        extra={
          <DownloadLinks
            testId="close-report"
            links={CLOSE_REPORT_FORMATS.map((format) => ({
              key: format,
              label: `${t('close.report')} ${format.toUpperCase()}`,
              href: closeReportHref(period, format),
            }))}
          />
        }
      >
        <List
          dataSource={checks}
          data-testid="close-checklist"
          renderItem={(check) => (
            <List.Item
              data-testid={`check-${check.key}`}
              data-ok={String(check.ok)}
              extra={
                check.link ? (
                  <Link to={check.link}>{check.linkLabel ?? t('close.viewExceptions')}</Link>
                ) : undefined
              }
            >
              <List.Item.Meta
                avatar={
                  check.ok === true ? (
                    <CheckCircleTwoTone twoToneColor="#52c41a" />
                  ) : check.ok === 'warn' ? (
                    <ExclamationCircleTwoTone twoToneColor="#faad14" />
                  ) : (
                    <CloseCircleTwoTone twoToneColor="#cf1322" />
                  )
                }
                title={check.title}
                description={check.detail}
              />
            </List.Item>
          )}
        />
        {!data?.closed && (
          <Space orientation="vertical" style={{ width: '100%', marginTop: 12 }}>
            {blocked && (
              <Alert
                type="warning"
                showIcon
                title={t('close.blocked')}
                description={t('close.overrideHint')}
                data-testid="close-blocked"
              />
            )}
            <Form form={form} layout="vertical">
              {blocked && owner && (
                <Form.Item
                  name="override_reason"
                  label={t('close.overrideReason')}
                  rules={[{ required: true, whitespace: true, message: t('close.overrideHint') }]}
                >
                  <Input.TextArea rows={2} data-testid="close-override-reason" />
                </Form.Item>
              )}
              <Button
                type="primary"
                danger={blocked}
                loading={closePeriod.isPending}
                onClick={() => void onClose()}
                data-testid="close-submit"
              >
                {t('close.close')}
              </Button>
            </Form>
            {error && <Alert type="error" showIcon title={error} data-testid="close-error" />}
          </Space>
        )}
        {record && (
          <Descriptions
            size="small"
            style={{ marginTop: 12 }}
            column={3}
            data-testid="close-record"
            items={[
              {
                key: 'state',
                label: t('common.state'),
                children: <StateTag group="closeState" state={record.state ?? 'closed'} />,
              },
              { key: 'at', label: t('close.closedAt'), children: formatDateTime(record.closed_at) },
              {
                key: 'open',
                label: t('close.openExceptions'),
                children: record.open_exceptions ?? 0,
              },
              {
                key: 'override',
                label: t('close.overrideReason'),
                children: record.override_reason || '—',
              },
              {
                key: 'reopenedAt',
                label: t('close.reopenedAt'),
                children: formatDateTime(record.reopened_at),
              },
              {
                key: 'reopenReason',
                label: t('close.reopenReason'),
                children: record.reopen_reason || '—',
              },
            ]}
          />
        )}
      </Card>

      <Table<PeriodClose>
        rowKey="id"
        size="small"
        title={() => t('close.history')}
        dataSource={closes.data?.results ?? []}
        loading={closes.isPending}
        pagination={false}
        data-testid="closes-table"
        columns={[
          { title: t('common.period'), dataIndex: 'period' },
          {
            title: t('common.state'),
            dataIndex: 'state',
            render: (s: string) => <StateTag group="closeState" state={s} />,
          },
          {
            title: t('close.closedAt'),
            dataIndex: 'closed_at',
            render: (v: string) => formatDateTime(v),
          },
          { title: t('close.openExceptions'), dataIndex: 'open_exceptions', align: 'right' },
          {
            title: t('close.overrideReason'),
            dataIndex: 'override_reason',
            render: (v: string) => v || '—',
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, row) =>
              row.state === 'closed' ? (
                owner ? (
                  <Button
                    size="small"
                    onClick={() => setReopening(row)}
                    data-testid={`reopen-${row.period}`}
                  >
                    {t('close.reopen')}
                  </Button>
                ) : (
                  <Typography.Text type="secondary">{t('close.reopenOwners')}</Typography.Text>
                )
              ) : null,
          },
        ]}
      />

      <Modal
        open={reopening !== null}
        title={`${t('close.reopen')} ${reopening?.period ?? ''}`}
        onCancel={() => setReopening(null)}
        onOk={() => void onReopen()}
        okText={t('common.confirm')}
        cancelText={t('common.cancel')}
        confirmLoading={reopen.isPending}
        destroyOnHidden
      >
        <Form form={reopenForm} layout="vertical" preserve={false}>
          <Form.Item
            name="reason"
            label={t('close.reopenReason')}
            rules={[{ required: true, whitespace: true, message: t('close.reopenReason') }]}
          >
            <Input.TextArea rows={3} data-testid="reopen-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
