"""Plan choice from estimated match counts (docs/decisions/0003-search-design.md, "Plans" and
"Key bands"): table statistics, selectivities, probe caps and key bands."""

from __future__ import annotations

import bisect
import itertools
import math
import time
from dataclasses import dataclass
from typing import Any

from django.db import connection

from shuxuan.catalog.models import (
    SEARCH_KEY_BUCKETS,
)

# ---------------------------------------------------------------------------------------------
# Plan choice from an estimated match count (docs/decisions/0003-search-design.md, "Plans").
#
# A page costs, roughly, the heap rows it reads (each one a random page: ~3 µs from the OS cache,
# shared_buffers being far smaller than the table). Two ways to read a page of N matches, sorted:
# - walk the sort key's btree and filter: about need × rows / N heap rows if the match is spread
#   evenly along the key, but up to the whole table when it is not (cheap goods sorted by earnings);
# - bitmap: read every row that the most selective indexed predicate matches (GIN for text, btree for
#   category, origin, brand, price, commission) and keep the top `need` in a heap sort.
# The walk is therefore always run as a *probe* capped at a number of rows; if the cap runs out
# before a full page is found, the bitmap runs instead. Worst case: probe cap + bitmap, both bounded.

# Below this many rows in the table, every plan is cheap: the bitmap is used.
SMALL_TABLE_ROWS = 20_000
# The first probe walks PROBE_FACTOR × the expected rows (at least PROBE_MIN_ROWS), at most
# FIRST_PROBE_BUDGET × the bitmap's heap rows; each further probe walks PROBE_GROWTH times more,
# restarting from the top (its first rows are then in shared buffers), while the probes together stay
# within PROBE_BUDGET × the bitmap's heap rows and each within PROBE_MAX_ROWS. Then the bitmap runs.
# Worst case: (1 + max(FIRST_PROBE_BUDGET, PROBE_BUDGET)) × the bitmap.
PROBE_FACTOR = 4
PROBE_GROWTH = 4
FIRST_PROBE_BUDGET = 0.5
PROBE_BUDGET = 0.15
PROBE_MIN_ROWS = 200
PROBE_MAX_ROWS = 40_000
# A probe is worth trying only if its cap is at least this many times its expected walk.
PROBE_MARGIN = 1.5
STATS_TTL_SECONDS = 600.0
# Planner settings for the search statements (SET LOCAL, in the search's own transaction):
# no sequential scan of the search table (every statement has an index path), and no JIT, which
# costs 10–40 ms of compilation on the bitmap plans whose estimated cost passes jit_above_cost.
SEARCH_SETTINGS = {"enable_seqscan": "off", "jit": "off"}


@dataclass(frozen=True)
class _Estimate:
    """How a predicate is estimated: ("eq", column, value), ("in", column, values),
    ("range", column, low, high) or ("text", terms)."""

    kind: str
    column: str
    value: Any = None
    high: Any = None
    indexed: bool = True
    # The probe's walk applies this predicate through a composite (predicate, sort key) index.
    scope: bool = False


@dataclass
class _ColumnStats:
    null_frac: float
    n_distinct: float
    mcv: dict[str, float]
    histogram: list[str]
    mce: dict[str, float]


@dataclass
class TableStats:
    """pg_class.reltuples and pg_stats of catalog_sku_search, cached per process for STATS_TTL_SECONDS."""

    rows: float
    columns: dict[str, _ColumnStats]

    def column(self, name: str) -> _ColumnStats | None:
        return self.columns.get(name)


_stats_cache: dict[str, tuple[float, TableStats]] = {}


def _pg_array(text: str | None) -> list[str]:
    if not text:
        return []
    # Values of these columns contain no commas or quotes except the tsvector lexemes, which pg_stats
    # gives as text[] directly (see table_stats).
    return [item.strip('"') for item in text.strip("{}").split(",")] if text != "{}" else []


def table_stats(*, refresh: bool = False) -> TableStats:
    """The search table's planner statistics (rows and per-column MCVs, histograms, lexeme frequencies)."""
    key = connection.alias
    now = time.monotonic()
    cached = _stats_cache.get(key)
    if cached and not refresh and now - cached[0] < STATS_TTL_SECONDS:
        return cached[1]
    with connection.cursor() as cursor:
        # One statement: the search's query budget allows one extra query per process and TTL.
        cursor.execute(
            "SELECT c.reltuples, s.attname, s.null_frac, s.n_distinct, s.most_common_vals::text, s.most_common_freqs,"
            " s.histogram_bounds::text, s.most_common_elems::text::text[], s.most_common_elem_freqs"
            " FROM pg_class c LEFT JOIN pg_stats s ON s.schemaname = current_schema() AND s.tablename = c.relname"
            " WHERE c.oid = 'catalog_sku_search'::regclass"
        )
        rows = 0.0
        columns = {}
        for reltuples, name, null_frac, n_distinct, mcv, mcv_freqs, histogram, mce, mce_freqs in cursor.fetchall():
            rows = float(reltuples)
            if name is None:
                continue
            values = _pg_array(mcv)
            columns[name] = _ColumnStats(
                null_frac=null_frac or 0.0,
                n_distinct=n_distinct or 0.0,
                mcv=dict(zip(values, mcv_freqs or [], strict=False)),
                histogram=_pg_array(histogram),
                mce=dict(zip(mce or [], mce_freqs or [], strict=False)),
            )
    stats = TableStats(rows=rows, columns=columns)
    _stats_cache[key] = (now, stats)
    return stats


def _as_stat_text(value: Any) -> str:
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value)


def _eq_selectivity(stats: _ColumnStats, value: Any, rows: float) -> float:
    key = _as_stat_text(value)
    if key in stats.mcv:
        return stats.mcv[key]
    rest = max(0.0, 1.0 - stats.null_frac - sum(stats.mcv.values()))
    distinct = stats.n_distinct if stats.n_distinct > 0 else -stats.n_distinct * rows
    others = distinct - len(stats.mcv)
    return rest / others if others >= 1 else rest


def _range_selectivity(stats: _ColumnStats, low: int | None, high: int | None) -> float:
    def inside(v: float) -> bool:
        return (low is None or v >= low) and (high is None or v <= high)

    selectivity = sum(freq for value, freq in stats.mcv.items() if inside(float(value)))
    bounds = [float(b) for b in stats.histogram]
    if len(bounds) >= 2:
        rest = max(0.0, 1.0 - stats.null_frac - sum(stats.mcv.values()))
        lo = bounds[0] if low is None else max(float(low), bounds[0])
        hi = bounds[-1] if high is None else min(float(high), bounds[-1])
        covered = 0.0
        for left, right in itertools.pairwise(bounds):
            if right <= left:
                covered += 1.0 if lo <= left <= hi else 0.0
                continue
            overlap = min(hi, right) - max(lo, left)
            if overlap > 0:
                covered += overlap / (right - left)
        selectivity += rest * covered / (len(bounds) - 1)
    return min(1.0, selectivity)


def _selectivity(estimate: _Estimate, stats: TableStats) -> float | None:
    column = stats.column(estimate.column)
    if column is None:
        return None
    if estimate.kind == "eq":
        return _eq_selectivity(column, estimate.value, stats.rows)
    if estimate.kind == "in":
        return min(1.0, sum(_eq_selectivity(column, v, stats.rows) for v in estimate.value))
    if estimate.kind == "range":
        return _range_selectivity(column, estimate.value, estimate.high)
    if estimate.kind == "text":
        if not column.mce:
            return None
        floor = min(column.mce.values()) / 2  # a lexeme outside the list is rarer than the rarest listed
        # All terms must match: the rarest one bounds the count.
        return min(column.mce.get(term, floor) for term in estimate.value)
    return None


@dataclass(frozen=True)
class SearchPlanChoice:
    strategy: str  # "probe" (capped walk, then bitmap), "band" (key bands, then bitmap), "bitmap", or "walk"
    probe_rows: tuple[int, ...] = ()  # the probes' caps, in order
    estimated_matches: float | None = None  # upper bound: the most selective predicate's count
    bitmap_rows: float | None = None  # heap rows the bitmap reads (most selective indexed predicate)
    expected_walk_rows: float | None = None
    band_buckets: tuple[int, ...] = ()  # the key bands' lowest buckets, in order


def choose_plan(estimates: list[_Estimate], need: int, stats: TableStats) -> SearchPlanChoice:
    """Choose how to read the first `need` matches; see the comment above SMALL_TABLE_ROWS."""
    has_index = any(e.indexed for e in estimates)
    if stats.rows < SMALL_TABLE_ROWS:
        return SearchPlanChoice("bitmap" if has_index else "walk")
    rows = stats.rows
    selectivities = [(e, _selectivity(e, stats)) for e in estimates]
    known = [s for _, s in selectivities if s is not None]
    indexed = [1.0 if s is None else s for e, s in selectivities if e.indexed]
    upper = min(known, default=1.0) * rows
    # The walk reads the scope's rows only (a category, through its composite index).
    unscoped = 1.0
    for estimate, selectivity in selectivities:
        if selectivity is not None and not estimate.scope:
            unscoped *= selectivity
    walk = need / max(unscoped, 1.0 / rows)
    if not indexed:
        return SearchPlanChoice("walk", estimated_matches=upper, expected_walk_rows=walk)
    bitmap = min(indexed) * rows
    budget = max(bitmap * PROBE_BUDGET, PROBE_MIN_ROWS)
    probes: list[int] = []
    probe = int(min(max(walk * PROBE_FACTOR, PROBE_MIN_ROWS, need), bitmap * FIRST_PROBE_BUDGET, PROBE_MAX_ROWS))
    if probe >= walk * PROBE_MARGIN and probe >= need:
        probes.append(probe)
        probe *= PROBE_GROWTH
        while probe <= PROBE_MAX_ROWS and sum(probes) + probe <= budget:
            probes.append(probe)
            probe *= PROBE_GROWTH
    if not probes:
        return SearchPlanChoice("bitmap", estimated_matches=upper, bitmap_rows=bitmap, expected_walk_rows=walk)
    return SearchPlanChoice("probe", tuple(probes), upper, bitmap, walk)


# Key bands (docs/decisions/0003-search-design.md, "Key bands"). search_keys holds, per row, the bucket
# of each sort key as a lexeme, in the same GIN index as search_vector: "the term's matches whose
# earnings are in buckets b and above" is an intersection of posting lists inside the index, and the heap
# reads only those rows, however the term's matches lie along the key (cheap goods sorted by earnings).
# Buckets are monotone in the key, so the band is exactly `key >= lower bound of b`: if it holds `need`
# matches, they are the first `need` of all matches. A band that holds fewer proves nothing.
#
# Where the band starts comes from the matches themselves, not from the table's key distribution (the
# two differ exactly when the term is sorted against the grain): a first statement reads the key of
# SAMPLE_ROWS matches (one GIN bitmap, SAMPLE_ROWS heap rows); with N matches estimated, the k-th largest
# sampled key, k = margin × need × (SAMPLE_ROWS + 1) / N, has about margin × need matches above it.
# The sample also says how far a walk of the key's btree would go (the table's rows above that key): a
# short walk runs as the capped probe instead.
SAMPLE_ROWS = 200
# The band is expected to hold BAND_MARGIN times `need` matches (a page), or BAND_MARGIN_LARGE times
# (relevance's 1,000 candidates: the count varies less, and the band's rows cost more).
BAND_MARGIN = 4
BAND_MARGIN_LARGE = 1.5
# A band that falls short is retried BAND_GROWTH times wider (once), then the bitmap runs.
BAND_GROWTH = 4
# Below this many estimated text matches the bitmap reads them all quickly; above this share of the
# table the term's own posting list is long and a walk finds a page sooner: no bands.
BAND_MIN_MATCHES = 3_000
BAND_MAX_TEXT = 0.15
# With an expected walk this short, the probe (a walk of the key's btree) is cheaper than a band.
BAND_PROBE_WALK = 2_000


def key_bucket(column: str, value: int) -> int:
    """The bucket of a sort-key value, as PostgreSQL's width_bucket(value, bounds) computes it."""
    return bisect.bisect_right(SEARCH_KEY_BUCKETS[column][1], value)


def band_query(column: str, lowest: int, highest: int | None = None) -> str:
    """The tsquery on search_keys for the buckets lowest..highest (default: the top one) of `column`."""
    prefix, bounds, _ = SEARCH_KEY_BUCKETS[column]
    top = len(bounds) if highest is None else min(highest, len(bounds))
    return " | ".join(f"'{prefix}{bucket}'" for bucket in range(lowest, top + 1))


def bands_worth_sampling(estimates: list[_Estimate], stats: TableStats) -> bool:
    """Whether the text's matches are many enough (and no filter's index few enough) for key bands."""
    if stats.rows < SMALL_TABLE_ROWS:
        return False
    text = [e for e in estimates if e.kind == "text"]
    selectivity = _selectivity(text[0], stats) if text else None
    if selectivity is None or not BAND_MIN_MATCHES <= selectivity * stats.rows <= BAND_MAX_TEXT * stats.rows:
        return False
    indexed = [s for e in estimates if e.indexed and e.kind != "text" and (s := _selectivity(e, stats)) is not None]
    return not (indexed and min(indexed) * stats.rows < BAND_MIN_MATCHES)


def choose_after_sample(
    keys: list[Any], *, column: str, need: int, estimated_matches: float, stats: TableStats, margin: float | None = None
) -> SearchPlanChoice:
    """The plan once the keys of (up to) SAMPLE_ROWS matches are known: "band" with its lowest buckets,
    "probe" with its cap when the walk to the sampled threshold is short, or "bitmap"."""
    if len(keys) < SAMPLE_ROWS and margin is None:
        return SearchPlanChoice("bitmap")  # the sample holds every match: there are few
    ordered = sorted(keys, reverse=True)
    margin = margin if margin is not None else (BAND_MARGIN if need < 100 else BAND_MARGIN_LARGE)
    matches = max(estimated_matches, float(len(ordered)))
    k = math.ceil(margin * need * (len(ordered) + 1) / matches)
    if not ordered or k > len(ordered):
        return SearchPlanChoice("bitmap")
    threshold = ordered[k - 1]
    key_stats = stats.column(column)
    if key_stats is not None and stats.rows >= SMALL_TABLE_ROWS:
        walk = _range_selectivity(key_stats, threshold, None) * stats.rows
        if walk <= BAND_PROBE_WALK:
            return SearchPlanChoice("probe", (int(max(walk * PROBE_FACTOR, PROBE_MIN_ROWS, need)),), matches)
    buckets = [key_bucket(column, threshold)]
    if k * BAND_GROWTH <= len(ordered):
        wider = key_bucket(column, ordered[k * BAND_GROWTH - 1])
        if wider < buckets[0]:
            buckets.append(wider)
    return SearchPlanChoice("band", estimated_matches=matches, band_buckets=tuple(buckets))
