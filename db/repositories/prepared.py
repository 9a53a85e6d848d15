"""The write path's few hot statements, sent straight to the driver's cursor.

``Connection.execute`` costs 20–55 µs per statement on top of the driver (parameters built from
the compiled form, an execution context, a result object), several times what SQLite itself needs
for a primary-key UPDATE. A transition sends four or five statements, so that overhead was a third
of it. A ``Prepared`` statement is still SQLAlchemy's: compiled once per dialect (and per set of
columns of an INSERT or UPDATE), its values bound as parameters (never written into the SQL) and
converted by SQLAlchemy's own type processors, both ways; the driver's errors come back as
SQLAlchemy's (``IntegrityError``, ``OperationalError``), and ``before_cursor_execute`` listeners
still see every statement. Not for statements with expanding (``IN``) parameters.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, exc
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement

Processor = Callable[[Any], Any] | None


class _Form:
    """A statement compiled for one dialect: its SQL, parameter order and type processors."""

    __slots__ = ("sql", "order", "defaults", "binds", "results")

    def __init__(self, statement: ClauseElement, dialect: Dialect, keys: Sequence[str] | None):
        compiled = statement.compile(dialect=dialect, column_keys=keys)
        if any(bind.expanding for bind in compiled.binds.values()):
            raise ValueError("a prepared statement takes no list (expanding IN) parameter")
        self.sql = compiled.string
        #: Positional drivers (SQLite's ``?``): the parameters' names in order; else None.
        self.order: tuple[str, ...] | None = (
            tuple(compiled.positiontup) if compiled.positional else None
        )
        # The values written into the statement (constants of its WHERE, a LIMIT); a required
        # parameter has none, and a call that omits it fails on its name.
        self.defaults = {
            name: value
            for name, value in compiled.construct_params(_check=False).items()
            if not compiled.binds[name].required
        }
        processors = compiled._bind_processors
        self.binds = {name: p for name, p in processors.items() if p is not None}
        self.results = [
            (i, p)
            for i, column in enumerate(compiled._result_columns)
            if (p := column.type._cached_result_processor(dialect, None)) is not None
        ]


class Prepared:
    """A Core statement executed on the DBAPI cursor of a SQLAlchemy connection."""

    __slots__ = ("statement", "_forms")

    def __init__(self, statement: ClauseElement):
        self.statement = statement
        self._forms: dict[tuple[str, tuple[str, ...] | None], _Form] = {}

    def _form(self, dialect: Dialect, keys: tuple[str, ...] | None) -> _Form:
        form = self._forms.get((dialect.name, keys))
        if form is None:
            form = self._forms[(dialect.name, keys)] = _Form(self.statement, dialect, keys)
        return form

    def form(self, dialect: Dialect, keys: tuple[str, ...] | None = None) -> _Form:
        """The statement compiled for `dialect` (once)."""
        return self._form(dialect, keys)

    @staticmethod
    def bound(form: _Form, params: Mapping[str, Any]) -> dict[str, Any]:
        """`params` with the statement's constants, converted by SQLAlchemy's type processors."""
        values = {**form.defaults, **params}
        for name, process in form.binds.items():
            values[name] = process(values[name])
        return values

    def execute(
        self, connection: Connection, params: Mapping[str, Any], keys: tuple[str, ...] | None = None
    ) -> Any:
        """Run the statement with `params` (the columns `keys` set, for an INSERT or UPDATE
        whose values come from the parameters); the DBAPI cursor, for its rowcount or rows."""
        dialect = connection.dialect
        form = self._form(dialect, keys)
        values = self.bound(form, params)
        bound: Any = values if form.order is None else tuple(values[n] for n in form.order)
        dbapi_connection = connection.connection
        cursor = dbapi_connection.cursor()
        dispatch = connection.dispatch
        if dispatch.before_cursor_execute:
            for listener in dispatch.before_cursor_execute:
                listener(connection, cursor, form.sql, bound, None, False)
        try:
            cursor.execute(form.sql, bound)
        except dialect.loaded_dbapi.Error as err:
            raise exc.DBAPIError.instance(
                form.sql, bound, err, dialect.loaded_dbapi.Error, dialect=dialect
            ) from err
        return cursor

    def convert(self, dialect: Dialect, row: Sequence[Any]) -> list[Any]:
        """A row of the statement's, its values converted as SQLAlchemy would."""
        converted = list(row)
        for i, process in self._forms[(dialect.name, None)].results:
            converted[i] = process(converted[i])
        return converted

    def first(self, connection: Connection, params: Mapping[str, Any]) -> list[Any] | None:
        """The first row (values converted as SQLAlchemy would), or None."""
        cursor = self.execute(connection, params)
        row = cursor.fetchone()
        cursor.close()
        return None if row is None else self.convert(connection.dialect, row)

    def rowcount(
        self, connection: Connection, params: Mapping[str, Any], keys: tuple[str, ...] | None = None
    ) -> int:
        """The number of rows the statement changed."""
        cursor = self.execute(connection, params, keys)
        count = cursor.rowcount
        cursor.close()
        return count
