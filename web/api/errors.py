"""The API's errors: one JSON shape, the statuses of ``web.errors``, and the OpenAPI schema.

``{"code": "not_found", "message": "...", "field": "name"?, "failures": [{"rule", "vi", "en"}]?}``.
A case out of the caller's scope is 404 as one that does not exist (never 403); a stale
``If-Match`` is 412, a missing one 428; a missing, unknown, expired or revoked token 401.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from web.errors import status_of
from workflow.errors import Conflict, DomainError, InvalidInput, RuleViolation

PREFIX = "/api/v1"

#: The code each status answers with (the message says more).
CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "not_allowed",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    428: "precondition_required",
    429: "too_many_requests",
    500: "server_error",
}


class FailureSchema(ma.Schema):
    """One broken rule, explained in Vietnamese and English."""

    rule = ma.fields.String(required=True)
    vi = ma.fields.String(required=True)
    en = ma.fields.String(required=True)


class ErrorSchema(ma.Schema):
    """Every refusal of the API."""

    code = ma.fields.String(required=True, metadata={"example": "not_found"})
    message = ma.fields.String(required=True)
    field = ma.fields.String(metadata={"description": "The input refused, when one is."})
    failures = ma.fields.List(
        ma.fields.Nested(FailureSchema), metadata={"description": "The rules a change broke."}
    )


def error_response(
    status: int,
    message: str,
    *,
    code: str | None = None,
    field: str | None = None,
    failures: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """A JSON refusal with `status`."""
    body: dict[str, Any] = {"code": code or CODES.get(status, "error"), "message": message}
    if field is not None:
        body["field"] = field
    if failures is not None:
        body["failures"] = failures
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def domain_error(error: DomainError, conflict_status: int = 409) -> Response:
    """A domain refusal as the web maps it (a stale version: `conflict_status`)."""
    status = conflict_status if isinstance(error, Conflict) else status_of(error)
    if isinstance(error, RuleViolation):
        failures = [{"rule": f.rule, "vi": f.vi, "en": f.en} for f in error.failures]
        message = "; ".join(f.en for f in error.failures) or "refused by the rules"
        return error_response(422, message, code="rule_violation", failures=failures)
    if isinstance(error, InvalidInput):
        return error_response(422, error.message, code="invalid_input", field=error.field)
    return error_response(status, str(error) or CODES.get(status, "error"))


def _http_error(error: HTTPException) -> Response:
    """An HTTP error inside the API: its status, in the JSON shape (webargs' messages kept)."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    messages = data.get("messages") or data.get("errors")
    if messages and status == 422:
        field, problem = _first_problem(messages)
        return error_response(422, problem, code="invalid_input", field=field)
    headers = dict(data.get("headers") or {})
    allowed = getattr(error, "valid_methods", None)
    if status == 405 and allowed:
        headers["Allow"] = ", ".join(allowed)
    return error_response(status, error.description or CODES.get(status, "error"), headers=headers)


def _first_problem(messages: Any, path: str = "") -> tuple[str | None, str]:
    """The first field and message of webargs' nested messages ({location: {field: [msg]}})."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            if key in ("json", "query", "headers", "form", "path", "view_args"):
                return _first_problem(value, path)
            name = f"{path}.{key}" if path else str(key)
            return _first_problem(value, name)
    if isinstance(messages, list) and messages:
        return _first_problem(messages[0], path)
    return path or None, str(messages)


def in_api(url: str) -> bool:
    """Whether a request's URL path lies under /api/v1."""
    return url == PREFIX or url.startswith(PREFIX + "/")


def _in_api() -> bool:
    return in_api(request.path)


def init_app(app: Flask) -> None:
    """Answer in JSON under /api/v1, also for errors raised outside any API view (an unknown
    path, a wrong method, an id too large for the route, an unexpected error: Flask makes it a
    500 HTTPException); elsewhere the site's pages as before."""
    handlers = app.error_handler_spec.setdefault(None, {}).setdefault(None, {})
    site_http = handlers.get(HTTPException)
    site_domain = handlers.get(DomainError)

    def http(error: HTTPException):
        if _in_api():
            return _http_error(error)
        return site_http(error) if site_http else error

    def domain(error: DomainError):
        if _in_api():
            return domain_error(error)
        if site_domain is None:
            raise error
        return site_domain(error)

    app.register_error_handler(HTTPException, http)
    app.register_error_handler(DomainError, domain)
