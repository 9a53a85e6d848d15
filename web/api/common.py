"""What every API blueprint shares: the documented refusals, If-Match, a body's fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import request
from flask_smorest import Blueprint

from web.api.errors import ErrorSchema
from web.api.schemas import MAX_ID
from workflow.definition import FieldSpec
from workflow.errors import InvalidInput

_WHY = {
    401: "No token, or an unknown, expired or revoked one (or its user is deactivated).",
    403: "The token's roles do not allow this.",
    404: "No such thing, or outside what the token's roles may see.",
    409: "Not possible in the case's current state.",
    412: "If-Match does not name the case's current version: it changed meanwhile.",
    422: "Refused: bad input (`field`) or a broken rule (`failures`).",
    428: "If-Match is required: send the version (ETag) the change was made from.",
    429: "Too many failed attempts from this address.",
}

IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "schema": {"type": "string", "maxLength": 40},
    "description": "The case's version (its ETag) the change is made from.",
}
ETAG = {"ETag": {"description": "The case's version after the call.", "schema": {"type": "string"}}}


def refusals(bp: Blueprint, *statuses: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Document `statuses` (and 401, 429, which any call may get) with the error schema."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        for status in sorted({401, 429, *statuses}, reverse=True):
            view = bp.alt_response(status, schema=ErrorSchema, description=_WHY[status])(view)
        return view

    return decorate


def expected_version() -> int | None:
    """The version If-Match names (``"7"``, ``7`` or ``W/"7"``); ``None`` when it is missing,
    -1 when it names no version (so that it matches none, after the case's scope is checked)."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    text = header.strip().removeprefix("W/").strip('"')
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else -1


def body_fields(specs: tuple[FieldSpec, ...]) -> dict[str, Any]:
    """The JSON object sent as the action's fields: strings, whole numbers, booleans or null
    (what the domain parses), ids and counts within 32 bits."""
    if not request.get_data():
        return {}
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise InvalidInput("body", "send a JSON object of the action's fields")
    numbers = {s.name for s in specs if s.kind in ("int", "member", "organisation")}
    raw: dict[str, Any] = {}
    for name, value in data.items():
        if value is None:
            continue
        if isinstance(value, float) or not isinstance(value, str | int | bool):
            raise InvalidInput(str(name), "must be a string, a whole number or a boolean")
        if name in numbers and _too_large(value):
            raise InvalidInput(str(name), f"at most {MAX_ID}")
        raw[str(name)] = value
    return raw


def _too_large(value: str | int | bool) -> bool:
    """A number beyond what storage holds (it would otherwise fail in the database)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value > MAX_ID
    text = value.strip()
    digits = text.lstrip("0")
    return text.isascii() and text.isdigit() and int(digits[:12] or "0") > MAX_ID
