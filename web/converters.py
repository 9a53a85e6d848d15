"""Ids in paths, query strings and the CLI's arguments: whole numbers a database can hold.

Werkzeug's ``int`` converter accepts any run of digits; ``99999999999999999999`` then reaches
the database (a 500 on PostgreSQL, an OverflowError on SQLite). Every id is a 64-bit signed
integer at most: a larger one is "no such thing" (404 on the web, a clear error on the CLI).
"""

from __future__ import annotations

from typing import Any

import click
from flask import Flask
from werkzeug.routing import IntegerConverter, Map

#: The largest id any table can hold (BIGINT; SQLite's INTEGER).
ID_MAX = 2**63 - 1


class BoundedInt(IntegerConverter):
    """``<int:...>`` that matches only 0 to ``ID_MAX`` (a larger number: the route's 404)."""

    regex = r"\d{1,19}"  # ID_MAX has 19 digits: a longer run matches no route at all

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = None,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits, min, _cap(max), signed)


def _cap(limit: int | None) -> int:
    """A route's own maximum, never above ``ID_MAX``."""
    return ID_MAX if limit is None else min(limit, ID_MAX)


def init_app(app: Flask) -> None:
    """Make every ``<int:...>`` of the app bounded (before any blueprint registers a rule)."""
    app.url_map.converters["int"] = BoundedInt


def id_arg(value: Any) -> int | None:
    """An id from a query string or a form: ``None`` unless 0 to ``ID_MAX`` in digits."""
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if number <= ID_MAX else None


class IdType(click.ParamType):
    """A CLI argument that is an id: refused with a clear message beyond ``ID_MAX``."""

    name = "id"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and 0 <= value <= ID_MAX:
            return value
        number = id_arg(value)
        if number is None:
            self.fail(f"{value!r} is not an id (a whole number from 0 to {ID_MAX})", param, ctx)
        return number


#: ``type=ID`` on a click argument or option that names a record.
ID = IdType()
