import { UploadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Drawer,
  Form,
  Input,
  List,
  Radio,
  Row,
  Select,
  Space,
  Spin,
  Table,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useMe } from '@/api/session';
import { useConfirmMoney } from '@/lib/confirmMoney';
import { formatDate, formatDateTime } from '@/lib/time';
import {
  errorMessage,
  ReconApiError,
  useAddNote,
  useApprove,
  useAssign,
  useException,
  useFinanceUsers,
  useResolve,
} from './api';
import { enumText, useReconT } from './i18n';
import { canApprove, inLanguage, isUnresolved, POSTING_RESOLUTIONS } from './logic';
import {
  comparedOf,
  RESOLUTIONS,
  sidesOf,
  type ExceptionDetail,
  type Resolution,
  type SideBillLine,
  type SideLedgerLeg,
} from './models';
import { userName } from './names';
import { Fen, MoneyText, ReasonTag, StateTag } from './ui';

const FIGURES = ['gross', 'fee', 'commission', 'net'] as const;

/** One exception: the bill beside the ledger's expectation, notes and evidence, resolution. */
export function ExceptionDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t } = useReconT();
  const detail = useException(id);
  const data = detail.data;
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size={1200}
      destroyOnHidden
      title={data ? t('exceptions.drawerTitle', { id: data.id, key: data.match_key }) : ''}
      data-testid="exception-drawer"
    >
      {detail.isPending && id !== null && <Spin />}
      {detail.isError && <Alert type="error" showIcon title={errorMessage(detail.error)} />}
      {data && <ExceptionBody data={data} />}
    </Drawer>
  );
}

function ExceptionBody({ data }: { data: ExceptionDetail }) {
  const { t, language } = useReconT();
  const { data: me } = useMe();
  const users = useFinanceUsers();
  const assign = useAssign();
  const { message } = App.useApp();
  const sides = sidesOf(data);
  const compared = comparedOf(data);
  const name = (id: number | null | undefined) => userName(t, id, users.data, me?.id);

  return (
    <Space
      orientation="vertical"
      size="middle"
      style={{ width: '100%' }}
      data-state={data.state}
      data-testid="exception-body"
    >
      <Descriptions
        size="small"
        bordered
        column={3}
        items={[
          {
            key: 'source',
            label: t('common.source'),
            children: enumText(t, 'source', data.source),
          },
          {
            key: 'reason',
            label: t('common.reason'),
            children: <ReasonTag reason={data.reason} />,
          },
          {
            key: 'state',
            label: t('common.state'),
            children: <StateTag state={data.state ?? 'open'} />,
          },
          { key: 'period', label: t('common.period'), children: data.period },
          {
            key: 'difference',
            label: t('exceptions.difference'),
            children: <MoneyText value={data.difference} testId="exception-difference" />,
          },
          {
            key: 'age',
            label: t('common.age'),
            children: t('common.ageDays', { days: data.age_days }),
          },
          {
            key: 'owner',
            label: t('common.owner'),
            children: (
              <Select
                style={{ width: 200 }}
                size="small"
                allowClear
                placeholder={t('exceptions.assignTo')}
                value={data.owner ?? undefined}
                loading={assign.isPending}
                onChange={(owner?: number) =>
                  assign.mutate(
                    { ids: [data.id], owner: owner ?? null },
                    {
                      onError: (error) => message.error(inLanguage(errorMessage(error), language)),
                    },
                  )
                }
                options={(users.data ?? []).map((u) => ({
                  value: u.id,
                  label: u.display_name || u.username,
                }))}
                labelRender={() => data.owner_name || name(data.owner)}
                data-testid="exception-owner"
              />
            ),
          },
          {
            key: 'entry',
            label: t('exceptions.entry'),
            children: data.entry_id ? (
              <Link to={`/ledger/entries/${data.entry_id}`} data-testid="exception-entry">
                {t('exceptions.postedEntry', { id: data.entry_id })}
              </Link>
            ) : (
              '—'
            ),
          },
          {
            key: 'expected',
            label: t('exceptions.expectedPeriod'),
            children: data.expected_period || '—',
          },
        ]}
      />

      <Table
        size="small"
        title={() => t('exceptions.compared')}
        pagination={false}
        rowKey="figure"
        data-testid="exception-compared"
        dataSource={FIGURES.map((figure) => ({
          figure,
          bill: compared.bill[figure],
          ledger: compared.ledger[figure],
        }))}
        columns={[
          {
            title: t('exceptions.figure'),
            dataIndex: 'figure',
            render: (f: (typeof FIGURES)[number]) => t(`exceptions.${f}`),
          },
          {
            title: t('exceptions.billSide'),
            dataIndex: 'bill',
            align: 'right',
            render: (v?: number) => <Fen minor={v} />,
          },
          {
            title: t('exceptions.ledgerSide'),
            dataIndex: 'ledger',
            align: 'right',
            render: (v?: number) => <Fen minor={v} />,
          },
          {
            title: t('exceptions.diff'),
            key: 'diff',
            align: 'right',
            render: (_: unknown, row: { bill?: number; ledger?: number }) =>
              row.bill === undefined && row.ledger === undefined ? (
                '—'
              ) : (
                <Fen minor={(row.bill ?? 0) - (row.ledger ?? 0)} />
              ),
          },
        ]}
      />

      <Row gutter={12}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('exceptions.billSide')} data-testid="exception-bill-side">
            <BillSide rows={sides.bill} matchKey={data.match_key} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('exceptions.ledgerSide')} data-testid="exception-ledger-side">
            <LedgerSide rows={sides.ledger} matchKey={data.match_key} />
          </Card>
        </Col>
      </Row>

      <ResolveCard data={data} name={name} meId={me?.id} />
      <NotesCard data={data} />
    </Space>
  );
}

function BillSide({ rows, matchKey }: { rows: SideBillLine[]; matchKey: string }) {
  const { t } = useReconT();
  // The title names the order; a column only when lines of several orders are compared.
  const showOrder = rows.some((row) => row.order_id !== matchKey);
  return (
    <Table<SideBillLine>
      size="small"
      rowKey="id"
      pagination={false}
      scroll={{ x: 560 }}
      locale={{ emptyText: t('exceptions.noSides') }}
      dataSource={rows}
      columns={[
        { title: t('exceptions.lineNo'), dataIndex: 'line_no', width: 60 },
        ...(showOrder ? [{ title: t('exceptions.orderId'), dataIndex: 'order_id' }] : []),
        {
          title: t('exceptions.occurredOn'),
          dataIndex: 'occurred_on',
          render: (v: string) => formatDate(v),
        },
        { title: t('exceptions.requestNo'), dataIndex: 'request_no' },
        {
          title: t('exceptions.gross'),
          dataIndex: 'gross_minor',
          align: 'right',
          render: (v: number, r) => <Fen minor={v} currency={r.currency} />,
        },
        {
          title: t('exceptions.fee'),
          dataIndex: 'fee_minor',
          align: 'right',
          render: (v: number, r) => <Fen minor={v} currency={r.currency} />,
        },
        {
          title: t('exceptions.commission'),
          dataIndex: 'commission_minor',
          align: 'right',
          render: (v: number, r) => <Fen minor={v} currency={r.currency} />,
        },
        {
          title: t('exceptions.net'),
          dataIndex: 'net_minor',
          align: 'right',
          render: (v: number, r) => <Fen minor={v} currency={r.currency} />,
        },
      ]}
    />
  );
}

function LedgerSide({ rows, matchKey }: { rows: SideLedgerLeg[]; matchKey: string }) {
  const { t } = useReconT();
  const showOrder = rows.some((row) => row.order_id !== matchKey);
  if (rows.length > 0 && rows.every((row) => row.payout_id !== undefined)) {
    return (
      <List
        size="small"
        dataSource={rows}
        renderItem={(row) => <List.Item>{t('exceptions.payout', { id: row.payout_id })}</List.Item>}
      />
    );
  }
  return (
    <Table<SideLedgerLeg>
      size="small"
      rowKey={(row) =>
        `${row.line_id}-${row.run}-${row.kind}-${row.settled_by}-${row.amount_minor}-${row.payout_id}`
      }
      pagination={false}
      scroll={{ x: 520 }}
      locale={{ emptyText: t('exceptions.noSides') }}
      dataSource={rows}
      columns={[
        ...(showOrder ? [{ title: t('exceptions.orderId'), dataIndex: 'order_id' }] : []),
        {
          title: t('exceptions.leg'),
          dataIndex: 'kind',
          render: (k: string) => enumText(t, 'legKind', k),
        },
        {
          title: t('exceptions.settledBy'),
          dataIndex: 'settled_by',
          render: (k: string) => enumText(t, 'settledBy', k),
        },
        {
          title: t('exceptions.amount'),
          dataIndex: 'amount_minor',
          align: 'right',
          render: (v: number, r) => <Fen minor={v} currency={r.currency} />,
        },
        {
          title: t('exceptions.entry'),
          dataIndex: 'entry_id',
          render: (id: number | null) =>
            id ? (
              <Link to={`/ledger/entries/${id}`} data-testid={`ledger-entry-link-${id}`}>
                #{id}
              </Link>
            ) : (
              '—'
            ),
        },
      ]}
    />
  );
}

function ResolveCard({
  data,
  name,
  meId,
}: {
  data: ExceptionDetail;
  name: (id: number | null | undefined) => string;
  meId: number | undefined;
}) {
  const { t, language } = useReconT();
  const { message } = App.useApp();
  const resolve = useResolve();
  const approve = useApprove();
  const confirmMoney = useConfirmMoney();
  const [form] = Form.useForm<{ resolution: Resolution; note: string }>();
  const [error, setError] = useState<string | null>(null);

  const absDifference = {
    amount: data.difference.amount.replace(/^-/, ''),
    currency: data.difference.currency,
  };
  const confirmPosting = (kind: 'accept' | 'writeOff' | 'approve') =>
    confirmMoney({
      title: t(`confirm.${kind}Title`),
      action: t(`confirm.${kind}Action`, { id: data.id, key: data.match_key }),
      count: 1,
      total: absDifference,
      testId: 'resolve-confirm',
    });

  const onResolve = async (values: { resolution: Resolution; note: string }) => {
    setError(null);
    // Accepting and writing off post to the ledger: ask first, with the amount.
    if (values.resolution === 'accept' || values.resolution === 'write_off') {
      const kind = values.resolution === 'accept' ? 'accept' : 'writeOff';
      if (!(await confirmPosting(kind))) return;
    }
    try {
      const result = await resolve.mutateAsync({ id: data.id, ...values });
      message.success(
        t('exceptions.resolved', { state: enumText(t, 'state', result.state ?? '') }),
      );
      form.resetFields();
    } catch (err) {
      const text = inLanguage(errorMessage(err), language);
      if (err instanceof ReconApiError && (err.fields.note || err.fields.resolution)) {
        form.setFields(
          (['note', 'resolution'] as const)
            .filter((f) => err.fields[f])
            .map((f) => ({ name: f, errors: err.fields[f].map((m) => inLanguage(m, language)) })),
        );
      } else {
        setError(text);
      }
    }
  };

  const onApprove = async (ok: boolean) => {
    setError(null);
    if (ok && !(await confirmPosting('approve'))) return;
    try {
      await approve.mutateAsync({ id: data.id, approve: ok });
      message.success(ok ? t('exceptions.approved') : t('exceptions.rejectedMsg'));
    } catch (err) {
      setError(inLanguage(errorMessage(err), language));
    }
  };

  const resolution = Form.useWatch('resolution', form);
  return (
    <Card size="small" title={t('exceptions.resolve')} data-testid="exception-resolve">
      {data.resolution && (
        <Descriptions
          size="small"
          column={2}
          style={{ marginBottom: 12 }}
          items={[
            {
              key: 'res',
              label: t('exceptions.resolution'),
              children: enumText(t, 'resolution', data.resolution),
            },
            {
              key: 'note',
              label: t('exceptions.resolutionNote'),
              children: data.resolution_note || '—',
            },
            {
              key: 'req',
              label: t('exceptions.requestedBy'),
              children: <span data-testid="exception-requested-by">{name(data.requested_by)}</span>,
            },
            {
              key: 'appr',
              label: t('exceptions.approvedBy'),
              children: <span data-testid="exception-approved-by">{name(data.approved_by)}</span>,
            },
          ]}
        />
      )}
      {data.state === 'pending_approval' && (
        <Space orientation="vertical" style={{ width: '100%' }} data-testid="exception-approval">
          <Alert type="warning" showIcon title={t('exceptions.approvalNeeded')} />
          {canApprove(data, meId) ? (
            <Space>
              <Button
                type="primary"
                loading={approve.isPending}
                onClick={() => void onApprove(true)}
                data-testid="exception-approve"
              >
                {t('exceptions.approve')}
              </Button>
              <Button
                danger
                loading={approve.isPending}
                onClick={() => void onApprove(false)}
                data-testid="exception-reject"
              >
                {t('exceptions.reject')}
              </Button>
            </Space>
          ) : (
            <Typography.Text type="secondary" data-testid="exception-approve-own">
              {t('exceptions.approveOwn')}
            </Typography.Text>
          )}
        </Space>
      )}
      {data.state === 'open' && (
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) => void onResolve(v)}
          data-testid="resolve-form"
        >
          <Form.Item
            name="resolution"
            label={t('exceptions.resolution')}
            rules={[{ required: true }]}
          >
            <Radio.Group
              options={RESOLUTIONS.map((r) => ({ value: r, label: enumText(t, 'resolution', r) }))}
              data-testid="resolve-resolution"
            />
          </Form.Item>
          <Form.Item
            name="note"
            label={t('common.note')}
            rules={[{ required: true, whitespace: true, message: t('exceptions.noteRequired') }]}
          >
            <Input.TextArea rows={2} data-testid="resolve-note" />
          </Form.Item>
          {resolution && POSTING_RESOLUTIONS.includes(resolution) && (
            <Typography.Paragraph type="secondary">
              {t('exceptions.approvalNeeded')}
            </Typography.Paragraph>
          )}
          <Button
            type="primary"
            htmlType="submit"
            loading={resolve.isPending}
            data-testid="resolve-submit"
          >
            {t('exceptions.resolve')}
          </Button>
        </Form>
      )}
      {!isUnresolved(data) && !data.resolution && (
        <Typography.Text type="secondary">—</Typography.Text>
      )}
      {error && (
        <Alert
          type="error"
          showIcon
          title={error}
          style={{ marginTop: 12 }}
          data-testid="resolve-error"
        />
      )}
    </Card>
  );
}

function NotesCard({ data }: { data: ExceptionDetail }) {
  const { t, language } = useReconT();
  const { message } = App.useApp();
  const addNote = useAddNote();
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);

  const onAdd = async () => {
    setError(null);
    try {
      await addNote.mutateAsync({ id: data.id, text, file });
      setText('');
      setFile(null);
      message.success(t('exceptions.noteAdded'));
    } catch (err) {
      setError(inLanguage(errorMessage(err), language));
    }
  };

  return (
    <Card size="small" title={t('exceptions.notes')} data-testid="exception-notes">
      <List
        size="small"
        dataSource={data.notes}
        locale={{ emptyText: '—' }}
        renderItem={(note) => (
          <List.Item data-testid={`note-${note.id}`}>
            <Space orientation="vertical" size={0}>
              <Typography.Text type="secondary">
                {note.author} · {formatDateTime(note.created_at)}
              </Typography.Text>
              {note.text && <Typography.Text>{note.text}</Typography.Text>}
              {note.attachment && (
                <Typography.Link href={note.attachment} download data-testid="note-attachment">
                  {note.attachment_name ?? t('exceptions.attach')}
                </Typography.Link>
              )}
            </Space>
          </List.Item>
        )}
      />
      <Space orientation="vertical" style={{ width: '100%', marginTop: 8 }}>
        <Input.TextArea
          rows={2}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('common.note')}
          data-testid="note-text"
        />
        <Space>
          <Upload
            maxCount={1}
            fileList={file ? [{ uid: 'f', name: file.name, status: 'done' as const }] : []}
            onRemove={() => setFile(null)}
            beforeUpload={(chosen) => {
              setFile(chosen);
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} data-testid="note-attach">
              {t('exceptions.attach')}
            </Button>
          </Upload>
          <Button
            onClick={() => void onAdd()}
            disabled={!text.trim() && !file}
            loading={addNote.isPending}
            data-testid="note-submit"
          >
            {t('exceptions.addNote')}
          </Button>
        </Space>
        {error && <Alert type="error" showIcon title={error} />}
      </Space>
    </Card>
  );
}
