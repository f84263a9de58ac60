"""How the selection-center search chooses its plan (planner.choose_plan) and that every plan returns
the same rows in the same order, page after page (docs/decisions/0003-search-design.md, "Plans")."""

from __future__ import annotations

import pytest
from django.db import connection

from shuxuan.catalog import search, services
from shuxuan.catalog.models import SEARCH_KEY_BUCKETS, Category, SkuSearchRow
from shuxuan.catalog.search import planner, search_plan, search_settings, selection_search
from shuxuan.catalog.search.params import RELEVANCE_CANDIDATES, SearchParams
from shuxuan.catalog.search.planner import (
    FIRST_PROBE_BUDGET,
    PROBE_BUDGET,
    SAMPLE_ROWS,
    SMALL_TABLE_ROWS,
    TableStats,
    _ColumnStats,
    _Estimate,
    band_query,
    choose_after_sample,
    choose_plan,
    key_bucket,
    table_stats,
)
from shuxuan.catalog.tests.conftest import make_product, sku_data

ROWS = 1_000_000.0


def column(mcv: dict[str, float] | None = None, histogram: list[str] | None = None, n_distinct: float = 10.0, mce=None):
    return _ColumnStats(null_frac=0.0, n_distinct=n_distinct, mcv=mcv or {}, histogram=histogram or [], mce=mce or {})


STATS = TableStats(
    rows=ROWS,
    columns={
        "status": column({"approved": 0.92, "draft": 0.03, "submitted": 0.03, "rejected": 0.02}),
        "in_stock": column({"t": 0.85, "f": 0.15}),
        "plan_type": column({"open": 0.8, "targeted": 0.15, "exclusive": 0.05}),
        "top_category_id": column({"1": 0.15, "2": 0.1}, n_distinct=11),
        "brand_id": column({}, n_distinct=2000),
        "retail_price_minor": column({}, histogram=["0", "10000", "20000", "40000", "100000"], n_distinct=-0.05),
        "search_vector": column(mce={"成都": 0.44, "酒": 0.04, "柠檬": 0.025, "梨": 0.004, "1": 0.01}),
        # 30-day sales: half the rows sold under 8, a tenth 100 or more, a hundredth 1,000 or more.
        "sales_30d": column({}, histogram=["0"] * 25 + ["8"] * 25 + ["20"] * 40 + ["100"] * 9 + ["1000", "5000"]),
    },
)


def text(*terms: str) -> _Estimate:
    return _Estimate("text", "search_vector", list(terms))


APPROVED = _Estimate("eq", "status", "approved", indexed=False)


def test_selectivities_come_from_the_statistics():
    assert planner._selectivity(APPROVED, STATS) == pytest.approx(0.92)
    # A value outside the MCV list shares what the list leaves over with the other distinct values.
    assert planner._selectivity(_Estimate("eq", "brand_id", 7), STATS) == pytest.approx(1 / 2000)
    # Ranges interpolate the histogram: 100.00–200.00 yuan is one of four equal-depth buckets.
    price = _Estimate("range", "retail_price_minor", 10_000, 20_000)
    assert planner._selectivity(price, STATS) == pytest.approx(0.25)
    # All terms must match: the rarest bounds the count; a lexeme outside the list is rarer than any in it.
    assert planner._selectivity(text("成都", "酒"), STATS) == pytest.approx(0.04)
    assert planner._selectivity(text("稀有词"), STATS) == pytest.approx(0.002)
    assert planner._selectivity(_Estimate("eq", "origin_city", "成都市"), STATS) is None  # no statistics


def test_small_or_unanalysed_tables_use_the_bitmap():
    small = TableStats(rows=SMALL_TABLE_ROWS - 1, columns=STATS.columns)
    assert choose_plan([text("成都"), APPROVED], 21, small).strategy == "bitmap"
    assert choose_plan([APPROVED], 21, TableStats(rows=-1, columns={})).strategy == "walk"


def test_a_broad_match_is_walked_by_a_capped_probe_within_the_bitmap_budget():
    choice = choose_plan([text("成都"), APPROVED], 21, STATS)
    assert choice.strategy == "probe"
    assert choice.probe_rows[0] >= 21
    assert choice.bitmap_rows is not None
    assert choice.probe_rows[0] <= choice.bitmap_rows * FIRST_PROBE_BUDGET
    assert sum(choice.probe_rows) <= choice.bitmap_rows * max(PROBE_BUDGET, FIRST_PROBE_BUDGET)
    assert list(choice.probe_rows) == sorted(choice.probe_rows)  # each probe walks further than the last


def test_a_selective_match_is_read_through_the_bitmap():
    assert choose_plan([text("梨"), APPROVED], 21, STATS).strategy == "bitmap"
    # Relevance needs 1,000 candidates: a 4% term is cheaper to read whole than to walk 25,000 rows for.
    assert choose_plan([text("酒"), APPROVED], RELEVANCE_CANDIDATES, STATS).strategy == "bitmap"
    # A brand (1/2000 of the table) is read through its index whatever the text.
    assert choose_plan([text("成都"), _Estimate("eq", "brand_id", 7), APPROVED], 21, STATS).strategy == "bitmap"


def test_filters_without_an_index_are_walked_without_a_cap():
    choice = choose_plan([_Estimate("eq", "in_stock", True, indexed=False), APPROVED], 21, STATS)
    assert choice.strategy == "walk" and choice.probe_rows == ()


def test_a_category_scopes_the_walk():
    scoped = _Estimate("eq", "top_category_id", 2, scope=True)
    unscoped = _Estimate("eq", "top_category_id", 2)
    with_scope = choose_plan([scoped, APPROVED], 21, STATS)
    without = choose_plan([unscoped, APPROVED], 21, STATS)
    # The walk reads the category's rows only: its expected length ignores the category's selectivity.
    assert with_scope.expected_walk_rows == pytest.approx(21 / 0.92)
    assert without.expected_walk_rows == pytest.approx(21 / (0.92 * 0.1))


# ---------------------------------------------------------------------------------------------
# Every plan returns the same pages.


@pytest.fixture
def shelf(cast):
    for n in range(8):
        product = make_product(
            cast.owner if n % 2 else cast.other_owner,
            name=f"郫县豆瓣 {n}号" if n % 4 else f"冷吃兔 {n}号",
            category_code="condiment.doubanjiang" if n % 4 else "snack.rabbit",
            skus=[sku_data(f"S{n}-{i}", spec=f"{i + 1}kg", retail=1990 + (n % 3) * 700) for i in range(3)],
            reviewer=cast.reviewer,
            state="approved" if n != 7 else "submitted",
        )
        for i, sku in enumerate(product.skus.all()):
            services.search_row_set_signals(
                sku_id=sku.pk, commission_bps=1000 * (i % 3), sales_30d=(n * 7) % 5, in_stock=(n + i) % 2 == 0
            )


def all_pages(params: SearchParams, strategy: str | None) -> tuple[list[int], list[list[str]]]:
    seen: list[int] = []
    strategies: list[list[str]] = []
    cursor = ""
    while True:
        page = selection_search(SearchParams(**{**params.__dict__, "cursor": cursor}), strategy=strategy)
        seen += [row["sku_id"] for row in page.rows]
        strategies.append([s.strategy for s in page.statements])
        if not page.next_cursor:
            return seen, strategies
        cursor = page.next_cursor


QUERIES = [
    {"q": "豆瓣"},
    {"q": "县豆瓣"},
    {"in_stock": True},
    {"q": "豆瓣", "commission_min_bps": 1000},
    {"category": "condiment"},
    {"category": "condiment.doubanjiang", "in_stock": True},
    {"statuses": []},
]


@pytest.mark.parametrize("sort", ["relevance", "commission", "earnings", "sales", "newest"])
@pytest.mark.parametrize("query", QUERIES, ids=[str(q) for q in QUERIES])
def test_every_strategy_returns_the_same_complete_pages(shelf, sort, query):
    query = dict(query)
    if "category" in query:
        query["category_id"] = Category.objects.get(code=query.pop("category")).pk
    params = SearchParams(sort=sort, page_size=4, **query)
    expected = [row["sku_id"] for row in selection_search(SearchParams(**{**params.__dict__, "page_size": 500})).rows]
    assert expected, "the fixture must match something"
    for strategy in ("bitmap", "walk", "probe", "band"):
        seen, _ = all_pages(params, strategy)
        assert seen == expected, strategy
        assert len(set(seen)) == len(seen)


def test_a_probe_that_runs_out_falls_back_to_the_bitmap(shelf):
    # 200 rows of probe cover the whole shelf: a page of 4 is found by the probe alone ...
    page = selection_search(SearchParams(q="豆瓣", sort="sales", page_size=4), strategy="probe")
    assert [s.strategy for s in page.statements] == ["probe"]
    # ... but a probe that ends with fewer rows than asked for proves nothing: the bitmap runs.
    page = selection_search(SearchParams(q="豆瓣", sort="sales", page_size=100), strategy="probe")
    assert [s.strategy for s in page.statements] == ["probe", "bitmap"]
    assert len(page.rows) == 15 and page.next_cursor is None


def test_a_relevance_probe_succeeds_once_it_holds_every_candidate(shelf, monkeypatch):
    monkeypatch.setattr(search.sql, "RELEVANCE_CANDIDATES", 6)  # the plan's need
    monkeypatch.setattr(search.run, "RELEVANCE_CANDIDATES", 6)  # and the run's
    page = selection_search(SearchParams(q="豆瓣", sort="relevance", page_size=4), strategy="probe")
    assert [s.strategy for s in page.statements] == ["probe"]
    assert "candidates_found" not in page.rows[0]
    bitmap = selection_search(SearchParams(q="豆瓣", sort="relevance", page_size=4), strategy="bitmap")
    assert [r["sku_id"] for r in page.rows] == [r["sku_id"] for r in bitmap.rows]


def test_the_chosen_plan_is_the_probe_on_a_large_table(shelf):
    stats = TableStats(rows=ROWS, columns=STATS.columns)
    plan = search_plan(SearchParams(q="成都", sort="sales"), stats=stats)
    assert [s.strategy for s in plan.statements] == ["probe"] * len(plan.choice.probe_rows) + ["bitmap"]
    assert all(not s.complete for s in plan.statements[:-1]) and plan.statements[-1].complete
    assert plan.settings
    assert not search_plan(SearchParams(q="成都"), stats=TableStats(rows=10, columns={})).settings


def test_search_settings_are_local_and_restored(db):
    def current() -> tuple[str, str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('enable_seqscan'), current_setting('jit')")
            return cursor.fetchone()

    before = current()
    with search_settings():
        assert current() == ("off", "off")
    assert current() == before


def test_table_stats_read_pg_stats(shelf):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalog_sku_search")
    stats = table_stats(refresh=True)
    assert stats.rows > 0
    assert "approved" in stats.column("status").mcv
    assert stats.column("search_vector").mce  # lexeme frequencies
    planner._stats_cache.clear()


# ---------------------------------------------------------------------------------------------
# Key bands: the sort key's bucket is in the GIN index beside the text.


def test_key_buckets_are_postgresqls_width_buckets(shelf):
    """The generated column search_keys names each sort key's bucket exactly as key_bucket computes it,
    and follows the keys when they change."""
    row = SkuSearchRow.objects.filter(status="approved").order_by("sku_id").first()
    services.search_row_set_signals(sku_id=row.pk, commission_bps=2_600, sales_30d=1_199)
    row.refresh_from_db()
    expected = {f"{prefix}{key_bucket(column, getattr(row, column))}" for column, (prefix, _, _) in SEARCH_KEY_BUCKETS.items()}
    with connection.cursor() as cursor:
        cursor.execute("SELECT tsvector_to_array(search_keys) FROM catalog_sku_search WHERE sku_id = %s", [row.pk])
        assert set(cursor.fetchone()[0]) == expected
    assert "s28" in expected and "c10" in expected  # 1,199 is in [1,000, 1,200); 2,600 bp in [2,500, 2,750)
    assert key_bucket("sales_30d", 0) == 0 and key_bucket("sales_30d", 1) == 1 and key_bucket("sales_30d", 1_200) == 29
    assert band_query("commission_bps", 39) == "'c39' | 'c40'"
    assert band_query("sales_30d", 3, 5) == "'s3' | 's4' | 's5'"


def test_the_band_starts_at_a_sampled_key():
    descending = list(range(2_000, 0, -10))  # the keys of SAMPLE_ROWS matches
    assert len(descending) == SAMPLE_ROWS
    # 10,000 matches: 4 × 21 of them lie above about the 2nd largest of 200 sampled keys (1,990); a walk
    # of the sales btree down to 1,990 would read ~0.75% of the table: the band, from 1,990's bucket.
    choice = choose_after_sample(descending, column="sales_30d", need=21, estimated_matches=10_000, stats=STATS)
    assert (choice.strategy, choice.band_buckets) == ("band", (key_bucket("sales_30d", 1_990),))
    # Relevance's 1,000 candidates with a margin of 1.5: the 31st key; and a wider band from the 124th.
    choice = choose_after_sample(descending, column="sales_30d", need=1_000, estimated_matches=10_000, stats=STATS)
    assert choice.band_buckets == (key_bucket("sales_30d", 1_700), key_bucket("sales_30d", 770))
    # Sampled keys above the table's histogram (over 5,000 a month): the walk is short, the probe runs.
    high = [key + 9_000 for key in descending]
    choice = choose_after_sample(high, column="sales_30d", need=21, estimated_matches=10_000, stats=STATS)
    assert choice.strategy == "probe" and choice.probe_rows[0] >= 21
    # More candidates needed than the sample can place, or a sample that holds every match: the bitmap.
    assert choose_after_sample(descending, column="sales_30d", need=1_000, estimated_matches=200, stats=STATS).strategy == (
        "bitmap"
    )
    assert choose_after_sample(descending[:50], column="sales_30d", need=21, estimated_matches=9e5, stats=STATS).strategy == (
        "bitmap"
    )


def test_a_broad_term_is_sampled_first(shelf):
    stats = TableStats(rows=ROWS, columns=STATS.columns)
    substring = TableStats(rows=ROWS, columns=STATS.columns | {"search_vector": column(mce={"郫县": 0.02, "豆瓣": 0.04})})
    for params, with_stats in (
        (SearchParams(q="酒", sort="sales"), stats),
        (SearchParams(q="酒"), stats),
        (SearchParams(q="郫县豆瓣", sort="earnings"), substring),  # 3+ characters: the trigram arm is banded too
    ):
        plan = search_plan(params, stats=with_stats)
        assert plan.sample is not None and plan.statements == [], params
        assert f"LIMIT {SAMPLE_ROWS}" in plan.sample.sql
    # Not for a term in half the table (the walk is short), nor under a brand's few rows, nor for newest.
    assert search_plan(SearchParams(q="成都", sort="sales"), stats=stats).sample is None
    assert search_plan(SearchParams(q="酒", brand_id=7, sort="sales"), stats=stats).sample is None
    assert search_plan(SearchParams(q="酒", sort="newest"), stats=stats).sample is None


@pytest.mark.parametrize("sort", ["relevance", "commission", "earnings", "sales"])
def test_a_sample_that_holds_every_match_is_the_page(shelf, monkeypatch, sort):
    """On a large table a sample that comes back short holds every match: the page is made from it,
    page after page, exactly as the bitmap makes it."""
    big = TableStats(rows=ROWS, columns=STATS.columns | {"search_vector": column(mce={"豆瓣": 0.04})})
    params = SearchParams(q="豆瓣", sort=sort, page_size=4)
    expected, _ = all_pages(params, "bitmap")
    monkeypatch.setattr(search.sql, "table_stats", lambda **_: big)
    seen, strategies = all_pages(params, None)
    assert seen == expected and len(expected) == 15
    assert all(s == ["sample"] for s in strategies)


def test_a_forced_band_that_holds_too_few_matches_falls_back(shelf):
    # Forced, the band is sized by the sample itself: a page of 2 is found in the band ...
    page = selection_search(SearchParams(q="豆瓣", sort="sales", page_size=2), strategy="band")
    assert [s.strategy for s in page.statements] == ["sample", "band"]
    assert "search_keys @@" in page.statements[1].sql
    # ... 101 rows cannot be: the bitmap runs.
    page = selection_search(SearchParams(q="豆瓣", sort="sales", page_size=100), strategy="band")
    assert [s.strategy for s in page.statements] == ["sample", "bitmap"]
    assert len(page.rows) == 15 and page.next_cursor is None
