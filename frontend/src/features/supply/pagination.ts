import type { TablePaginationConfig } from 'antd';
import { PAGE_SIZE } from './api';
import type { SupplyT } from './i18n';

/** The pagination every supply list uses: PAGE_SIZE rows a page, the total shown, no size changer. */
export function listPagination(
  t: SupplyT,
  page: number,
  onChange: (page: number) => void,
  total: number | undefined,
): TablePaginationConfig {
  return {
    current: page,
    pageSize: PAGE_SIZE,
    total: total ?? 0,
    showSizeChanger: false,
    showTotal: (count) => t('common.total', { count }),
    onChange,
  };
}
