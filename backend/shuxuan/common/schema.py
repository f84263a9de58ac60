"""OpenAPI schema helpers: the project's schema class, which documents the error answers of every operation."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent

ERROR = "Error"
FIELD_ERRORS = "FieldErrors"
# shuxuan.common.exceptions.exception_handler: a domain error, a permission or a missing object.
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "The API's error: a message, a machine-readable code, and the fields at fault when there are.",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
}
# A serializer's validation error: each field at fault with its messages (a nested field: its own errors).
FIELD_ERRORS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": 'Validation errors: each field at fault with its messages, e.g. {"amount": ["..."]}.',
    "additionalProperties": {"anyOf": [{"type": "array"}, {"type": "object"}]},
}
# Answered by any operation: bad input (a field, a filter, a page), a role rule, and an object that is not
# there or is another organization's (docs/domain.md section 2). Writes can also break a state rule (409) or
# send a body in a content type the operation does not read (415).
ERROR_STATUS_CODES = ("400", "403", "404")
WRITE_ERROR_STATUS_CODES = ("409", "415")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def ref(component: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{component}"}


def body_or_error(component: str) -> dict[str, Any]:
    """A raw response schema for a 4xx that answers a report when the input was read (the named component),
    and an error when it could not be."""
    return {"anyOf": [ref(component), ref(ERROR), ref(FIELD_ERRORS)]}


class ShuxuanAutoSchema(AutoSchema):
    """The project's schema class: each operation also documents the error answers it can give."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        bodies: dict[str, Any] = super()._get_response_bodies(direction)
        if direction != "response":
            return bodies
        self._register_error_components()
        for code in self._error_status_codes():
            if code not in bodies:
                schema = {"anyOf": [ref(ERROR), ref(FIELD_ERRORS)]} if code == "400" else ref(ERROR)
                bodies[code] = {"content": {"application/json": {"schema": schema}}, "description": ""}
        return bodies

    def _error_status_codes(self) -> tuple[str, ...]:
        codes: tuple[str, ...] = ERROR_STATUS_CODES
        if self.method.upper() not in SAFE_METHODS:
            codes += WRITE_ERROR_STATUS_CODES
        if getattr(self.view, "throttle_classes", None):
            codes += ("429",)
        return codes

    def _register_error_components(self) -> None:
        for name, schema in ((ERROR, ERROR_SCHEMA), (FIELD_ERRORS, FIELD_ERRORS_SCHEMA)):
            component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
            self.registry.register_on_missing(component)


class SingleObjectSchema(ShuxuanAutoSchema):
    """For a viewset whose `list` answers one object (a report), not a page of rows."""

    def _is_list_view(self, serializer: Any | None = None) -> bool:
        return False
