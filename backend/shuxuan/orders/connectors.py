"""Scheduled pulls of orders from the platforms' APIs, imported by the same path as files.

A `PlatformConnector` yields pages of orders updated since a stored cursor and says which cursor
to store once every page has been imported. `connector_pull(platform=…)` runs one pull as one
`ImportBatch` (kind "connector"): the cursor advances only when the whole pull landed, so a failed
pull is simply repeated by the next beat, and what it had already imported is then unchanged.

Configuration (settings, from the environment at integration):

    SHUXUAN_ORDER_CONNECTORS = {
        "douyin": {"base_url": "https://openapi-fxg.jinritemai.com", "app_key": "…", "access_token": "…",
                   "page_size": 100, "overlap_minutes": 10, "initial_days": 1},
    }

Only Douyin's alliance order list has a documented shape (platform-formats.md §1a), so it is the
one HTTP connector: `GET {base_url}/buyin/instituteOrderMCN` with size, cursor ("0" first),
start_time, end_time (window ≤ 90 days) and time_type=update, answering
`{"code": 10000, "data": {"orders": [...], "cursor": "…"}}`.

Assumed (the reference does not say): success is `code` 10000 (the Doudian gateway's convention)
or `err_no` 0; the last page is the one with no orders, or whose next cursor is empty, "0" or the
cursor just used. Request signing (the gateway's `sign`, `timestamp`, `method` parameters) is not
implemented: `_request` is the place to add it; app_key and access_token are passed as parameters.
"""

from __future__ import annotations

import hashlib
import json
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from shuxuan.common.exceptions import DomainError
from shuxuan.orders.adapters.base import SHANGHAI, Parsed
from shuxuan.orders.adapters.douyin import parse_api_item
from shuxuan.orders.models import BatchKind, ConnectorState, ImportBatch
from shuxuan.orders.services import batch_fail, batch_report, import_items

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


class ConnectorError(DomainError):
    """The platform's API refused or answered something unreadable."""


@dataclass
class ConnectorPage:
    items: list[Parsed]
    body: bytes


class PlatformConnector(Protocol):
    platform: str

    def pages(self, cursor: dict[str, Any]) -> Iterator[ConnectorPage]:
        """Pages of orders updated since `cursor` (the stored state; {} the first time)."""
        ...

    def next_cursor(self) -> dict[str, Any]:
        """The cursor to store after every page of the pull was imported."""
        ...

    def describe(self) -> str:
        """A name for the pull's batch."""
        ...


@dataclass
class DouyinAllianceConnector:
    base_url: str
    app_key: str = ""
    access_token: str = ""
    page_size: int = 100
    overlap_minutes: int = 10
    initial_days: int = 1
    timeout: float = 30.0
    platform: str = "douyin"
    now: datetime | None = None
    _window: tuple[datetime, datetime] | None = field(default=None, init=False)

    def _bounds(self, cursor: dict[str, Any]) -> tuple[datetime, datetime]:
        now = (self.now or timezone.now()).astimezone(SHANGHAI).replace(microsecond=0)
        since = cursor.get("update_time")
        if since:
            start = datetime.strptime(since, TIME_FORMAT).replace(tzinfo=SHANGHAI) - timedelta(minutes=self.overlap_minutes)
        else:
            start = now - timedelta(days=self.initial_days)
        return start, min(now, start + timedelta(days=90))

    def pages(self, cursor: dict[str, Any]) -> Iterator[ConnectorPage]:
        start, end = self._window = self._bounds(cursor)
        page_cursor, number = "0", 0
        while True:
            body = self._request(
                {
                    "size": str(min(max(self.page_size, 1), 200)),
                    "cursor": page_cursor,
                    "start_time": start.strftime(TIME_FORMAT),
                    "end_time": end.strftime(TIME_FORMAT),
                    "time_type": "update",
                }
            )
            data = _douyin_data(body)
            orders = data.get("orders") or []
            items = []
            for order in orders:
                number += 1
                items.append(parse_api_item(order, number))
            yield ConnectorPage(items=items, body=body)
            next_cursor = str(data.get("cursor") or "")
            if not orders or next_cursor in ("", "0", page_cursor):
                return
            page_cursor = next_cursor

    def next_cursor(self) -> dict[str, Any]:
        assert self._window is not None, "pages() must run first"
        return {"update_time": self._window[1].strftime(TIME_FORMAT)}

    def describe(self) -> str:
        if self._window is None:
            return "buyin.instituteOrderMCN"
        start, end = self._window
        return f"buyin.instituteOrderMCN update {start:%Y-%m-%d %H:%M}..{end:%Y-%m-%d %H:%M}"

    def _request(self, params: dict[str, str]) -> bytes:
        query = dict(params)
        if self.app_key:
            query["app_key"] = self.app_key
        if self.access_token:
            query["access_token"] = self.access_token
        url = f"{self.base_url.rstrip('/')}/buyin/instituteOrderMCN?{urllib.parse.urlencode(query)}"
        if not url.startswith(("http://", "https://")):
            raise ConnectorError(f"connector base_url must be http(s): {self.base_url!r}")
        request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 - scheme checked above
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return bytes(response.read())
        except OSError as exc:
            raise ConnectorError(f"抖音接口请求失败 / Douyin API request failed: {exc}") from None


def _douyin_data(body: bytes) -> dict[str, Any]:
    try:
        document = json.loads(body)
    except ValueError:
        raise ConnectorError("抖音接口返回的不是 JSON / the Douyin API answered something that is not JSON") from None
    code = document.get("code", document.get("err_no"))
    if code not in (10000, "10000", 0, "0", None):
        raise ConnectorError(f"抖音接口错误 {code}: {document.get('msg') or document.get('message') or ''}")
    data = document.get("data")
    if not isinstance(data, dict):
        raise ConnectorError("抖音接口返回缺少 data / the Douyin API answer has no data")
    return data


CONNECTORS: dict[str, type[DouyinAllianceConnector]] = {"douyin": DouyinAllianceConnector}


def configured_platforms() -> list[str]:
    configured = getattr(settings, "SHUXUAN_ORDER_CONNECTORS", {}) or {}
    return sorted(p for p in configured if p in CONNECTORS)


def connector_for(platform: str) -> PlatformConnector:
    config = (getattr(settings, "SHUXUAN_ORDER_CONNECTORS", {}) or {}).get(platform)
    if platform not in CONNECTORS or not config:
        raise ConnectorError(f"未配置 {platform} 的接口拉取 / no connector configured for {platform}")
    return CONNECTORS[platform](**config)


def connector_pull(*, platform: str, connector: PlatformConnector | None = None) -> dict[str, Any]:
    """One pull: orders updated since the stored cursor, imported as one batch; then the cursor moves."""
    connector = connector or connector_for(platform)
    lock_key = f"orders.connector:{platform}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [lock_key])
        if not cursor.fetchone()[0]:
            return {"ok": False, "platform": platform, "skipped": "a pull of this platform is already running"}
    try:
        return _pull(platform, connector)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [lock_key])


def _pull(platform: str, connector: PlatformConnector) -> dict[str, Any]:
    state, _ = ConnectorState.objects.get_or_create(platform=platform)
    digest = hashlib.sha256()
    batch = ImportBatch.objects.create(
        source=platform, kind=BatchKind.CONNECTOR, file_name=connector.describe(), sha256="", state="running"
    )
    batch.started_at = timezone.now()

    def items() -> Iterator[Parsed]:
        for page in connector.pages(dict(state.cursor)):
            digest.update(page.body)
            if batch.file_name != connector.describe():
                batch.file_name = connector.describe()
                ImportBatch.objects.filter(pk=batch.pk).update(file_name=batch.file_name[:255])
            yield from page.items

    try:
        import_items(batch=batch, items=items())
    except DomainError as exc:
        report = batch_fail(batch=batch, error=exc.message)
        ConnectorState.objects.filter(pk=state.pk).update(last_error=exc.message[:2000], last_run_at=timezone.now())
        return report.as_json() | {"platform": platform}
    with transaction.atomic():
        ImportBatch.objects.filter(pk=batch.pk).update(sha256=digest.hexdigest(), started_at=batch.started_at)
        ConnectorState.objects.filter(pk=state.pk).update(
            cursor=connector.next_cursor(), last_batch=batch, last_run_at=timezone.now(), last_error=""
        )
    batch.refresh_from_db()
    return batch_report(batch).as_json() | {"platform": platform, "cursor": connector.next_cursor()}
