import {
  ClearOutlined,
  EnvironmentOutlined,
  FireOutlined,
  PictureOutlined,
} from '@ant-design/icons';
import {
  Button,
  Card,
  Checkbox,
  Col,
  Divider,
  Empty,
  Input,
  Result,
  Row,
  Select,
  Skeleton,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useMe } from '@/api/session';
import { formatCount } from '@/lib/format';
import { formatBps, formatMoney } from '@/lib/money';
import { useFacets, useSearch } from './api';
import { labelOf, useSelectionT, type SelectionT } from './i18n';
import type { FacetCount, SearchRow } from './models';
import {
  apiQuery,
  COMMISSION_BANDS,
  effectiveSort,
  filtersFromSearch,
  hasFilters,
  PLAN_TYPES,
  searchFromFilters,
  SORTS,
  STATUSES,
  type SelectionFilters,
} from './query';
import { ProductDrawer } from './ProductDrawer';
import { useInView } from './useInView';

/** 选品中心: text search, facet filters with counts, sorts, infinite scroll, product drawer. */
export function SelectionPage() {
  const { t } = useSelectionT();
  const { data: me } = useMe();
  const isOperator = me?.organization?.kind === 'operator';
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFromSearch(params), [params]);
  const query = useMemo(() => apiQuery(filters, isOperator), [filters, isOperator]);
  const openSku = /^\d+$/.test(params.get('sku') ?? '') ? Number(params.get('sku')) : null;

  const search = useSearch(query);
  const facets = useFacets(query);
  const rows = useMemo(
    () => search.data?.pages.flatMap((page) => page.results) ?? [],
    [search.data],
  );

  // The sentinel exists only below results, so a first page never triggers the second by itself.
  const [sentinel, setSentinel] = useState<HTMLDivElement | null>(null);
  const inView = useInView(sentinel);
  const { hasNextPage, isFetchingNextPage, fetchNextPage, isError } = search;
  useEffect(() => {
    if (inView && hasNextPage && !isFetchingNextPage && !isError) void fetchNextPage();
  }, [inView, hasNextPage, isFetchingNextPage, isError, fetchNextPage]);

  /** Change some filters (the open drawer is kept). */
  const update = (change: Partial<SelectionFilters>) => {
    const next = searchFromFilters({ ...filters, ...change });
    if (openSku !== null) next.set('sku', String(openSku));
    setParams(next);
  };
  const openDetail = (skuId: number | null) => {
    const next = searchFromFilters(filters);
    if (skuId !== null) next.set('sku', String(skuId));
    setParams(next);
  };

  return (
    <div data-testid="selection-page">
      <Typography.Title level={2} style={{ marginTop: 0 }} data-testid="page-title">
        {t('title')}
      </Typography.Title>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space wrap style={{ width: '100%' }}>
          <SearchBox key={filters.q} t={t} initial={filters.q} onSearch={(q) => update({ q })} />
          <Space>
            <Typography.Text type="secondary">{t('sort.label')}</Typography.Text>
            <Select
              data-testid="selection-sort"
              style={{ width: 170 }}
              value={effectiveSort(filters)}
              onChange={(sort) => update({ sort })}
              options={SORTS.map((sort) => ({
                value: sort,
                label: labelOf(t, 'sort', sort),
                disabled: sort === 'relevance' && !filters.q,
              }))}
            />
          </Space>
        </Space>
      </Card>
      <Row gutter={16}>
        <Col xs={24} md={7} lg={6}>
          <FilterPanel
            t={t}
            filters={filters}
            facets={facets.data}
            loading={facets.isFetching}
            isOperator={isOperator}
            onChange={update}
            onClear={() => setParams(searchFromFilters({ q: filters.q, sort: filters.sort }))}
          />
        </Col>
        <Col xs={24} md={17} lg={18}>
          {facets.data && (
            <Typography.Paragraph type="secondary" data-testid="result-total">
              {t('results.total', { total: formatCount(facets.data.total) })}
            </Typography.Paragraph>
          )}
          {search.isPending && <Skeleton active />}
          {search.isError && rows.length === 0 && (
            <Result
              status="error"
              title={t('results.failed')}
              extra={<Button onClick={() => void search.refetch()}>{t('results.retry')}</Button>}
            />
          )}
          {search.isSuccess && rows.length === 0 && (
            <Empty description={t('results.empty')} data-testid="selection-empty" />
          )}
          <Row gutter={[12, 12]} data-testid="selection-results">
            {rows.map((row) => (
              <Col key={row.id} xs={24} sm={12} xl={8}>
                <ResultCard t={t} row={row} onOpen={() => openDetail(row.id)} />
              </Col>
            ))}
          </Row>
          {rows.length > 0 && <div ref={setSentinel} style={{ height: 1 }} />}
          <div style={{ textAlign: 'center', padding: 16 }}>
            {isFetchingNextPage && (
              <Spin
                size="small"
                description={t('results.loadingMore')}
                data-testid="loading-more"
              />
            )}
            {!isFetchingNextPage && hasNextPage && (
              <Button onClick={() => void fetchNextPage()} data-testid="load-more">
                {t('results.loadMore')}
              </Button>
            )}
            {search.isSuccess && !hasNextPage && rows.length > 0 && (
              <Typography.Text type="secondary" data-testid="no-more">
                {t('results.noMore')} · {t('results.shown', { count: rows.length })}
              </Typography.Text>
            )}
          </div>
        </Col>
      </Row>
      <ProductDrawer
        skuId={openSku}
        row={rows.find((row) => row.id === openSku)}
        onClose={() => openDetail(null)}
      />
    </div>
  );
}

/** The text box; keyed by the URL's text so that back/forward shows the text searched. */
function SearchBox({
  t,
  initial,
  onSearch,
}: {
  t: SelectionT;
  initial: string;
  onSearch: (q: string) => void;
}) {
  const [text, setText] = useState(initial);
  return (
    <Input.Search
      data-testid="selection-search"
      allowClear
      enterButton={t('search')}
      placeholder={t('searchPlaceholder')}
      maxLength={50}
      style={{ width: 480, maxWidth: '100%' }}
      value={text}
      onChange={(event) => setText(event.target.value)}
      onSearch={(value) => onSearch(value)}
    />
  );
}

function ResultCard({ t, row, onOpen }: { t: SelectionT; row: SearchRow; onOpen: () => void }) {
  return (
    <Card
      hoverable
      size="small"
      onClick={onOpen}
      data-testid={`result-${row.id}`}
      className="selection-result"
      cover={
        row.cover_image ? (
          <img src={row.cover_image} alt="" style={{ height: 140, objectFit: 'cover' }} />
        ) : (
          <div
            style={{
              height: 80,
              display: 'flex',
              alignItems: 'center',
              justifyContent: 'center',
              background: '#fafafa',
              color: '#bbb',
              fontSize: 28,
            }}
          >
            <PictureOutlined />
          </div>
        )
      }
    >
      <Typography.Paragraph
        strong
        ellipsis={{ rows: 2 }}
        style={{ marginBottom: 4 }}
        data-testid="result-name"
      >
        {row.name}
      </Typography.Paragraph>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {row.spec} · {row.brand.name}
      </Typography.Text>
      <div style={{ margin: '6px 0' }}>
        <Space size={4} wrap>
          <Tag icon={<EnvironmentOutlined />} data-testid="result-origin">
            {[row.origin_city, row.origin_county].filter(Boolean).join(' ')}
          </Tag>
          {row.is_geographic_indication && <Tag color="gold">{t('row.gi')}</Tag>}
          <Tag color={row.in_stock ? 'green' : 'default'}>
            {row.in_stock ? t('row.inStock') : t('row.outOfStock')}
          </Tag>
          {row.plan_type !== 'open' && (
            <Tag color="purple">{labelOf(t, 'planType', row.plan_type)}</Tag>
          )}
          {row.status !== 'approved' && (
            <Tag color="orange">{labelOf(t, 'status', row.status)}</Tag>
          )}
        </Space>
      </div>
      <Row gutter={8}>
        <Col span={12}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('row.retailPrice')}
          </Typography.Text>
          <div style={{ color: '#c8102e', fontWeight: 600 }}>{formatMoney(row.retail_price)}</div>
        </Col>
        <Col span={12}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('row.commission')}
          </Typography.Text>
          <div style={{ fontWeight: 600 }} data-testid="result-commission">
            {formatBps(row.commission_bps)}
          </div>
        </Col>
        <Col span={12}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('row.earnings')}
          </Typography.Text>
          <div>{formatMoney(row.estimated_earnings)}</div>
        </Col>
        <Col span={12}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            <FireOutlined /> {t('row.sales30d')}
          </Typography.Text>
          <div>{formatCount(row.sales_30d)}</div>
        </Col>
      </Row>
    </Card>
  );
}

interface FacetOption {
  key: string;
  label: string;
  count?: number;
  selected: boolean;
  onToggle: () => void;
}

function FacetGroup({
  t,
  name,
  title,
  options,
}: {
  t: SelectionT;
  name: string;
  title: string;
  options: FacetOption[];
}) {
  return (
    <div data-testid={`facet-${name}`} style={{ marginBottom: 12 }}>
      <Typography.Text strong>{title}</Typography.Text>
      <div style={{ marginTop: 6 }}>
        {options.length === 0 && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('filters.noOptions')}
          </Typography.Text>
        )}
        <Space size={[4, 6]} wrap>
          {options.map((option) => (
            <Tag.CheckableTag
              key={option.key}
              checked={option.selected}
              onChange={option.onToggle}
              data-testid={`facet-${name}-${option.key}`}
              style={{ border: '1px solid #eee' }}
            >
              {option.label}
              {option.count !== undefined && (
                <span
                  className="facet-count"
                  data-testid="facet-count"
                  style={{ marginLeft: 4, opacity: 0.65 }}
                >
                  {formatCount(option.count)}
                </span>
              )}
            </Tag.CheckableTag>
          ))}
        </Space>
      </div>
    </div>
  );
}

function FilterPanel({
  t,
  filters,
  facets,
  loading,
  isOperator,
  onChange,
  onClear,
}: {
  t: SelectionT;
  filters: SelectionFilters;
  facets:
    | {
        category: FacetCount[];
        origin_city: FacetCount[];
        brand: FacetCount[];
        price_band: FacetCount[];
      }
    | undefined;
  loading: boolean;
  isOperator: boolean;
  onChange: (change: Partial<SelectionFilters>) => void;
  onClear: () => void;
}) {
  const categories = facets?.category ?? [];
  const cities = facets?.origin_city ?? [];
  const brands = facets?.brand ?? [];
  const bands = facets?.price_band ?? [];
  // A chosen filter stays listed (to be un-chosen) even when the facet has no row for it.
  const withSelected = (options: FacetOption[], selected: FacetOption | null) =>
    selected && !options.some((o) => o.key === selected.key) ? [selected, ...options] : options;

  return (
    <Card
      size="small"
      title={t('filters.title')}
      data-testid="selection-filters"
      extra={
        <Space>
          {loading && <Spin size="small" />}
          {hasFilters(filters) && (
            <Button
              size="small"
              type="link"
              icon={<ClearOutlined />}
              onClick={onClear}
              data-testid="clear-filters"
            >
              {t('filters.clear')}
            </Button>
          )}
        </Space>
      }
    >
      <FacetGroup
        t={t}
        name="category"
        title={t('filters.category')}
        options={withSelected(
          categories.map((c) => ({
            key: String(c.id),
            label: c.name ?? String(c.id),
            count: c.count,
            selected: filters.category === c.id,
            onToggle: () =>
              onChange({ category: filters.category === c.id ? undefined : (c.id ?? undefined) }),
          })),
          filters.category
            ? {
                key: String(filters.category),
                label: `#${filters.category}`,
                selected: true,
                onToggle: () => onChange({ category: undefined }),
              }
            : null,
        )}
      />
      <FacetGroup
        t={t}
        name="origin"
        title={t('filters.origin')}
        options={withSelected(
          cities.map((c) => ({
            key: c.value ?? '',
            label: c.value ?? '',
            count: c.count,
            selected: filters.origin_city === c.value,
            onToggle: () =>
              onChange({
                origin_city: filters.origin_city === c.value ? undefined : (c.value ?? undefined),
                origin_county: undefined,
              }),
          })),
          filters.origin_city
            ? {
                key: filters.origin_city,
                label: filters.origin_city,
                selected: true,
                onToggle: () => onChange({ origin_city: undefined, origin_county: undefined }),
              }
            : null,
        )}
      />
      <FacetGroup
        t={t}
        name="price"
        title={t('filters.price')}
        options={withSelected(
          bands.map((b) => ({
            key: b.value ?? '',
            label: labelOf(t, 'priceBand', b.value ?? ''),
            count: b.count,
            selected: filters.price === b.value,
            onToggle: () =>
              onChange({ price: filters.price === b.value ? undefined : (b.value ?? undefined) }),
          })),
          filters.price
            ? {
                key: filters.price,
                label: labelOf(t, 'priceBand', filters.price),
                selected: true,
                onToggle: () => onChange({ price: undefined }),
              }
            : null,
        )}
      />
      <FacetGroup
        t={t}
        name="brand"
        title={t('filters.brand')}
        options={withSelected(
          brands.map((b) => ({
            key: String(b.id),
            label: b.name ?? String(b.id),
            count: b.count,
            selected: filters.brand === b.id,
            onToggle: () =>
              onChange({ brand: filters.brand === b.id ? undefined : (b.id ?? undefined) }),
          })),
          filters.brand
            ? {
                key: String(filters.brand),
                label: `#${filters.brand}`,
                selected: true,
                onToggle: () => onChange({ brand: undefined }),
              }
            : null,
        )}
      />
      <Divider style={{ margin: '8px 0 12px' }} />
      <Space orientation="vertical" style={{ width: '100%' }}>
        <div>
          <Typography.Text strong>{t('filters.commission')}</Typography.Text>
          <Select
            data-testid="filter-commission"
            allowClear
            placeholder={t('filters.any')}
            style={{ width: '100%', marginTop: 6 }}
            value={filters.commission}
            onChange={(commission?: string) => onChange({ commission })}
            options={COMMISSION_BANDS.map((band) => ({
              value: band,
              label: labelOf(t, 'commissionBand', band),
            }))}
          />
        </div>
        <div>
          <Typography.Text strong>{t('filters.planType')}</Typography.Text>
          <Select
            data-testid="filter-plan-type"
            allowClear
            placeholder={t('filters.any')}
            style={{ width: '100%', marginTop: 6 }}
            value={filters.plan_type}
            onChange={(plan_type?: SelectionFilters['plan_type']) => onChange({ plan_type })}
            options={PLAN_TYPES.map((plan) => ({
              value: plan,
              label: labelOf(t, 'planType', plan),
            }))}
          />
        </div>
        {isOperator && (
          <div>
            <Typography.Text strong>{t('filters.status')}</Typography.Text>
            <Select
              data-testid="filter-status"
              style={{ width: '100%', marginTop: 6 }}
              value={filters.status ?? 'approved'}
              onChange={(status: SelectionFilters['status']) =>
                onChange({ status: status === 'approved' ? undefined : status })
              }
              options={STATUSES.map((status) => ({
                value: status,
                label: labelOf(t, 'status', status),
              }))}
            />
          </div>
        )}
        <Checkbox
          data-testid="filter-in-stock"
          checked={Boolean(filters.in_stock)}
          onChange={(event) => onChange({ in_stock: event.target.checked || undefined })}
        >
          {t('filters.inStock')}
        </Checkbox>
        <Checkbox
          data-testid="filter-gi"
          checked={Boolean(filters.gi)}
          onChange={(event) => onChange({ gi: event.target.checked || undefined })}
        >
          {t('filters.gi')}
        </Checkbox>
      </Space>
    </Card>
  );
}
