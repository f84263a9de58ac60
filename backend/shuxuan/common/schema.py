"""OpenAPI schema helpers."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema


class SingleObjectSchema(AutoSchema):
    """For a viewset whose `list` answers one object (a report), not a page of rows."""

    def _is_list_view(self, serializer: Any | None = None) -> bool:
        return False
