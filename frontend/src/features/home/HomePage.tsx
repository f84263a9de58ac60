import {
  CheckCircleTwoTone,
  CloseCircleTwoTone,
  ExclamationCircleTwoTone,
} from '@ant-design/icons';
import {
  Button,
  Card,
  Col,
  Empty,
  List,
  Result,
  Row,
  Skeleton,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type {
  Activity,
  CloseStatus,
  Home,
  HomeCard,
  HomeChartData,
  HomeSession,
} from '@/api/models';
import { auditActionLabel, auditObjectText } from '@/i18n/auditActions';
import { enumLabel } from '@/i18n/labels';
import { formatDateTime } from '@/lib/time';
import { cardText, chartSeries, groupCards, useHomeData } from './api';
import { fill, useHomeStrings } from './i18n';

const HomeChart = lazy(() => import('./HomeChart'));

function StatCard({ card, language }: { card: HomeCard; language: 'zh' | 'en' }) {
  const { s } = useHomeStrings();
  const text = cardText(card);
  return (
    <Card data-testid={`card-${card.key}`} size="small">
      <Statistic
        title={language === 'en' ? card.label_en : card.label_zh}
        value={text}
        valueRender={() => <span data-testid={`card-value-${card.key}`}>{text}</span>}
      />
      {card.link && (
        <Link to={card.link} data-testid={`card-link-${card.key}`}>
          {s.open}
        </Link>
      )}
    </Card>
  );
}

function ChartCard({ chart }: { chart: HomeChartData }) {
  const { t } = useTranslation();
  const { s, language } = useHomeStrings();
  const label = (raw: string) => {
    if (chart.label_kind === 'platform') return enumLabel(t, 'platform', raw);
    if (chart.label_kind === 'org_kind') return enumLabel(t, 'orgKind', raw);
    if (chart.label_kind === 'age') return s.age[raw] ?? raw;
    return raw.slice(5); // YYYY-MM-DD → MM-DD
  };
  return (
    <Card
      size="small"
      title={language === 'en' ? chart.label_en : chart.label_zh}
      data-testid={`chart-${chart.key}`}
    >
      <Suspense fallback={<Skeleton active />}>
        <HomeChart data={chartSeries(chart, label)} money={chart.unit === 'money'} />
      </Suspense>
    </Card>
  );
}

function Sessions({ sessions }: { sessions: HomeSession[] }) {
  const { t } = useTranslation();
  const { s } = useHomeStrings();
  return (
    <Card size="small" title={s.sessions} style={{ marginTop: 16 }}>
      <Table<HomeSession>
        data-testid="home-sessions"
        size="small"
        rowKey="id"
        dataSource={sessions}
        pagination={false}
        locale={{ emptyText: <Empty description={s.noSessions} /> }}
        columns={[
          { title: s.session.title, dataIndex: 'title' },
          { title: s.session.anchor, dataIndex: 'anchor_name' },
          {
            title: s.session.platform,
            dataIndex: 'platform',
            render: (v: string) => enumLabel(t, 'platform', v),
          },
          {
            title: s.session.startsAt,
            dataIndex: 'starts_at',
            render: (v: string) => formatDateTime(v),
          },
          { title: s.session.items, dataIndex: 'items', align: 'right' },
        ]}
      />
    </Card>
  );
}

function CloseCard({ close }: { close: CloseStatus }) {
  const { t } = useTranslation();
  const { s } = useHomeStrings();
  const detail = (item: CloseStatus['items'][number]) => {
    if (item.key === 'reconciled')
      return fill(s.close.reconciled, { count: item.count, total: item.total });
    if (item.key === 'bills')
      return item.sources.length
        ? fill(s.close.bills, {
            sources: item.sources.map((x) => enumLabel(t, 'platform', x)).join('、'),
          })
        : s.close.billsOk;
    return fill(item.key === 'blocking' ? s.close.blocking : s.close.pending, {
      count: item.count,
    });
  };
  return (
    <Card
      size="small"
      style={{ marginTop: 16 }}
      data-testid="home-close"
      title={
        <>
          {s.close.title} {close.period}{' '}
          <Tag color={close.closed ? 'green' : 'orange'} data-testid="home-close-state">
            {close.closed ? s.close.closed : s.close.open}
          </Tag>
        </>
      }
      extra={<Link to={`/reconciliation/close?period=${close.period}`}>{s.close.goTo}</Link>}
    >
      <List
        size="small"
        dataSource={close.items}
        renderItem={(item) => (
          <List.Item data-testid={`home-check-${item.key}`} data-ok={item.ok}>
            <List.Item.Meta
              avatar={
                item.ok === 'ok' ? (
                  <CheckCircleTwoTone twoToneColor="#52c41a" />
                ) : item.ok === 'warn' ? (
                  <ExclamationCircleTwoTone twoToneColor="#faad14" />
                ) : (
                  <CloseCircleTwoTone twoToneColor="#cf1322" />
                )
              }
              title={detail(item)}
            />
          </List.Item>
        )}
      />
    </Card>
  );
}

/** Every role's home: what it acts on, figure by figure, each linking to the page showing it. */
export function HomePage({ home }: { home: Home }) {
  const { t } = useTranslation();
  const { s, language } = useHomeStrings();
  const query = useHomeData();
  const data = query.data;

  return (
    <div data-testid={`home-${home}`}>
      <Typography.Title level={2} data-testid="page-title" style={{ marginTop: 0 }}>
        {t(`home.title.${home}`)}
      </Typography.Title>
      {query.isPending && <Skeleton active />}
      {query.isError && (
        <Result
          status="error"
          title={t('app.loadFailed')}
          extra={<Button onClick={() => void query.refetch()}>{t('app.retry')}</Button>}
        />
      )}
      {data && (
        <>
          {data.organization && (
            <Typography.Paragraph data-testid="home-organization">
              <Typography.Text type="secondary">{t('home.organization')}</Typography.Text>
              <Typography.Text strong>{data.organization.name}</Typography.Text>{' '}
              <Tag>{enumLabel(t, 'orgKind', data.organization.kind)}</Tag>
            </Typography.Paragraph>
          )}
          <div data-testid="home-cards">
            {groupCards(data.cards).map(({ group, cards }) => (
              <div key={group} data-testid={`home-group-${group}`} style={{ marginBottom: 16 }}>
                <Typography.Title level={5}>{s.groups[group] ?? group}</Typography.Title>
                <Row gutter={[16, 16]}>
                  {cards.map((card) => (
                    <Col key={card.key} xs={24} sm={12} md={8} xl={6}>
                      <StatCard card={card} language={language} />
                    </Col>
                  ))}
                </Row>
              </div>
            ))}
          </div>
          {data.close && <CloseCard close={data.close} />}
          {data.charts.length > 0 && (
            <Row gutter={[16, 16]} style={{ marginTop: 16 }} data-testid="home-charts">
              {data.charts.map((chart) => (
                <Col key={chart.key} xs={24} lg={data.charts.length > 1 ? 12 : 24}>
                  <ChartCard chart={chart} />
                </Col>
              ))}
            </Row>
          )}
          {(home === 'mcn' || home === 'service_provider') && <Sessions sessions={data.sessions} />}
          <Card title={t('home.recentActivity')} size="small" style={{ marginTop: 16 }}>
            <Table<Activity & { _key: number }>
              data-testid="recent-activity"
              size="small"
              rowKey="_key"
              dataSource={data.recent_activity.map((row, index) => ({ ...row, _key: index }))}
              pagination={false}
              locale={{ emptyText: <Empty description={t('home.noActivity')} /> }}
              columns={[
                {
                  title: t('home.at'),
                  dataIndex: 'at',
                  width: 160,
                  render: (v: string) => formatDateTime(v),
                },
                {
                  title: t('home.actor'),
                  dataIndex: 'actor',
                  width: 160,
                  render: (v: string | null | undefined) => v || '—',
                },
                {
                  title: t('home.action'),
                  dataIndex: 'action',
                  width: 200,
                  render: (v: string) => auditActionLabel(language, v),
                },
                {
                  title: t('home.object'),
                  key: 'object',
                  render: (_: unknown, row: Activity) => auditObjectText(language, row),
                },
              ]}
            />
          </Card>
        </>
      )}
    </div>
  );
}
