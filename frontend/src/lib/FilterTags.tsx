import { Space, Tag } from 'antd';

export interface ActiveFilter {
  /** The URL parameter the filter comes from: `filter-tag-<key>` is its test hook. */
  key: string;
  /** What the user sees, e.g. "到期早于 2026-04-15". */
  label: string;
}

/**
 * Filters that came with the URL (a home card's link) and have no field of their own on the page:
 * one removable tag each, so the user sees why the list is short and can widen it.
 */
export function FilterTags({
  filters,
  onRemove,
}: {
  filters: ActiveFilter[];
  onRemove: (key: string) => void;
}) {
  if (filters.length === 0) return null;
  return (
    <Space wrap size={4} style={{ marginBottom: 12 }} data-testid="filter-tags">
      {filters.map((filter) => (
        <Tag
          key={filter.key}
          color="blue"
          closable
          onClose={(event) => {
            event.preventDefault();
            onRemove(filter.key);
          }}
          data-testid={`filter-tag-${filter.key}`}
        >
          {filter.label}
        </Tag>
      ))}
    </Space>
  );
}
