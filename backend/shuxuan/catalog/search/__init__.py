"""The selection-center search.

The search reads one table, catalog_sku_search (one row per SKU; docs/decisions/0003-search-design.md):
text through the jieba/n-gram tsvector (GIN) or, for 3+ characters, pg_trgm substrings (GIN); filters
on plain columns; keyset pagination on (sort key, sku_id) with an opaque cursor.

Modules: `params` (what is asked and answered), `cursor` (keyset cursors), `planner` (which plan,
from the table's statistics), `sql` (the statements), `run` (executing a plan; facets).
"""

from __future__ import annotations

from shuxuan.catalog.search.params import MAX_PAGE_SIZE, SORTS, SearchPage, SearchParams
from shuxuan.catalog.search.run import selection_facets, selection_search
from shuxuan.catalog.search.sql import search_plan, search_settings, search_sql

__all__ = [
    "MAX_PAGE_SIZE",
    "SORTS",
    "SearchPage",
    "SearchParams",
    "search_plan",
    "search_settings",
    "search_sql",
    "selection_facets",
    "selection_search",
]
