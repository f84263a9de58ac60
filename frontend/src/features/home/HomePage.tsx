import {
  Button,
  Card,
  Col,
  Empty,
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
import type { Activity, CardValue, Home, HomeCard } from '@/api/models';
import { auditActionLabel, auditObjectText } from '@/i18n/auditActions';
import { enumLabel } from '@/i18n/labels';
import { formatCount } from '@/lib/format';
import { formatMoney, isMoney } from '@/lib/money';
import { formatDateTime } from '@/lib/time';
import { chartDataFrom, useHomeData } from './api';

const HomeChart = lazy(() => import('./HomeChart'));

function cardText(value: CardValue): string {
  if (value === null) return '—';
  if (typeof value === 'number') return formatCount(value);
  if (isMoney(value)) return formatMoney(value);
  return value;
}

function StatCard({ card, language }: { card: HomeCard; language: 'zh' | 'en' }) {
  return (
    <Card data-testid={`card-${card.key}`} size="small">
      <Statistic
        title={language === 'en' ? card.label_en : card.label_zh}
        value={cardText(card.value)}
      />
    </Card>
  );
}

/** One page for every home: title, organization, statistic cards, chart, recent activity. */
export function HomePage({ home }: { home: Home }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language === 'en' ? 'en' : 'zh';
  const query = useHomeData();
  const data = query.data;
  const rawChart = data ? chartDataFrom(data.series, data.cards, language) : null;
  // Series keyed by organization kind (brand, mcn…) get their localized names.
  const chart = rawChart && {
    ...rawChart,
    labels: rawChart.labels.map((l) => enumLabel(t, 'orgKind', l)),
  };

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
          <Row gutter={[16, 16]} data-testid="home-cards">
            {data.cards.map((card) => (
              <Col key={card.key} xs={24} sm={12} md={8} xl={6}>
                <StatCard card={card} language={language} />
              </Col>
            ))}
          </Row>
          {chart && (
            <Card
              title={t('home.overview')}
              size="small"
              style={{ marginTop: 16 }}
              data-testid="home-chart"
            >
              <Suspense fallback={<Skeleton active />}>
                <HomeChart data={chart} />
              </Suspense>
            </Card>
          )}
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
