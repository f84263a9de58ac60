import { Badge, Card, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ORG_KINDS, type Invitation, type Organization } from '@/api/models';
import { useMe } from '@/api/session';
import { enumLabel } from '@/i18n/labels';
import { formatDate, formatDateTime } from '@/lib/time';
import { PAGE_SIZE, useInvitations, useOrganizations, type OrganizationKind } from './api';

function region(org: { city?: string | null; county?: string | null }): string {
  return [org.city, org.county].filter(Boolean).join(' ') || '—';
}

function OrganizationsTable() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [kind, setKind] = useState<OrganizationKind | undefined>();
  const query = useOrganizations(page, kind);
  return (
    <Table<Organization>
      onChange={(_pagination, filters) => {
        const next = (filters.kind?.[0] as OrganizationKind | undefined) ?? undefined;
        if (next !== kind) {
          setKind(next);
          setPage(1);
        }
      }}
      data-testid="organizations-table"
      rowKey="id"
      size="middle"
      loading={query.isFetching}
      dataSource={query.data?.results ?? []}
      pagination={{
        current: page,
        pageSize: PAGE_SIZE,
        total: query.data?.count ?? 0,
        showSizeChanger: false,
        showTotal: (count) => t('parties.total', { count }),
        onChange: setPage,
      }}
      columns={[
        { title: t('parties.name'), dataIndex: 'name' },
        {
          title: t('parties.kind'),
          dataIndex: 'kind',
          width: 140,
          filters: ORG_KINDS.map((value) => ({ text: enumLabel(t, 'orgKind', value), value })),
          filterMultiple: false,
          filteredValue: kind ? [kind] : null,
          render: (value: string) => <Tag>{enumLabel(t, 'orgKind', value)}</Tag>,
        },
        {
          title: t('parties.creditCode'),
          dataIndex: 'credit_code',
          width: 200,
          render: (v: string | null | undefined) => (
            <Typography.Text code>{v ?? '—'}</Typography.Text>
          ),
        },
        {
          title: t('parties.region'),
          key: 'region',
          width: 160,
          render: (_: unknown, org) => region(org),
        },
        {
          title: t('parties.status'),
          dataIndex: 'is_active',
          width: 100,
          render: (active: boolean | null | undefined) =>
            active === false ? (
              <Badge status="default" text={t('parties.inactive')} />
            ) : (
              <Badge status="success" text={t('parties.active')} />
            ),
        },
        {
          title: t('parties.createdAt'),
          dataIndex: 'created_at',
          width: 140,
          render: (v: string | null | undefined) => formatDate(v),
        },
      ]}
    />
  );
}

function InvitationsTable() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const query = useInvitations(page, true);
  return (
    <Table<Invitation>
      data-testid="invitations-table"
      rowKey="id"
      size="middle"
      loading={query.isFetching}
      dataSource={query.data?.results ?? []}
      pagination={{
        current: page,
        pageSize: PAGE_SIZE,
        total: query.data?.count ?? 0,
        showSizeChanger: false,
        onChange: setPage,
      }}
      columns={[
        { title: t('parties.name'), dataIndex: 'organization_name' },
        {
          title: t('parties.kind'),
          dataIndex: 'kind',
          width: 140,
          render: (kind: string) => <Tag>{enumLabel(t, 'orgKind', kind)}</Tag>,
        },
        { title: t('parties.email'), dataIndex: 'email', width: 220 },
        {
          title: t('parties.expiresAt'),
          dataIndex: 'expires_at',
          width: 160,
          render: (v: string | null | undefined) => formatDateTime(v),
        },
        {
          title: t('parties.status'),
          dataIndex: 'accepted_at',
          width: 180,
          render: (v: string | null | undefined) =>
            v ? (
              <Badge status="success" text={`${t('parties.accepted')} ${formatDate(v)}`} />
            ) : (
              <Badge status="processing" text={t('parties.pending')} />
            ),
        },
      ]}
    />
  );
}

export function OrganizationsPage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const canSeeInvitations = me?.home === 'operator';
  return (
    <div data-testid="organizations-page">
      <Typography.Title level={2} style={{ marginTop: 0 }}>
        {t('parties.organizations')}
      </Typography.Title>
      <Card size="small">
        {canSeeInvitations ? (
          <Tabs
            items={[
              {
                key: 'organizations',
                label: t('parties.organizations'),
                children: <OrganizationsTable />,
              },
              {
                key: 'invitations',
                label: t('parties.invitations'),
                children: <InvitationsTable />,
              },
            ]}
          />
        ) : (
          <OrganizationsTable />
        )}
      </Card>
    </div>
  );
}
