"""PostgreSQL write transactions in two messages: ``BEGIN; EXECUTE <load>`` and ``EXECUTE <write>;
COMMIT``.

psycopg sends BEGIN, the load, the write and COMMIT as four round trips, each a send and a wait
on the server. Most transitions need only the load (which locks the case and the chain head) and
the one statement that writes the case, its event and the head (``history._carrying``). On an
autocommit connection the unit of work sends BEGIN in the load's message and COMMIT in the
write's, as simple queries that ``EXECUTE`` statements prepared on the server once per
connection, so their plans are kept as psycopg's own prepared statements keep theirs
(docs/performance.md, "Met on PostgreSQL": two levers more).

Anything else the unit of work sends goes the usual way: ``before_statement`` (an engine
listener) sends an owed BEGIN first, and a held write before anything that could read it.

The values of an ``EXECUTE`` are written into the message as SQL literals. Only what the two
statements carry is written that way (None, booleans, whole numbers, dates, text without NUL), and
text is quoted as the server reads it with ``standard_conforming_strings`` on (checked per
connection): any other value sends the statement the usual way.
"""

from __future__ import annotations

import itertools
import re
import weakref
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, exc

from db.repositories.prepared import Prepared

#: Where a unit of work's ``Trips`` is kept on its connection, for ``before_statement``.
KEY = "hoso_round_trips"
_PARAM = re.compile(r"%\((\w+)\)s")
#: Per psycopg connection: the statements prepared on its server session (SQL → name, the
#: parameters' names in order). Emptied when the server says one is gone (psycopg's ROLLBACK sends
#: DEALLOCATE ALL when it had prepared statements of its own).
_PREPARED: weakref.WeakKeyDictionary[Any, dict[str, tuple[str, tuple[str, ...]]]] = (
    weakref.WeakKeyDictionary()
)
#: What a held write's sender is told: its row, or the error that refused it.
Answer = Callable[[list[Any] | None, Exception | None], None]
_NUMBERS = itertools.count(1)  # names never reused in a process: one is never prepared twice
_GONE = "26000"  # invalid_sql_statement_name: no such prepared statement


def _literal(value: Any) -> str | None:
    """`value` as an SQL literal, or None if it is not one of the kinds written this way."""
    if value is None:
        return "NULL"
    if value is True or value is False:
        return "true" if value else "false"
    if type(value) is int:
        return str(value)
    if type(value) is str:
        if "\x00" in value:
            return None
        return "'" + value.replace("'", "''") + "'"
    if type(value) is date:
        return f"'{value.isoformat()}'"
    if type(value) is datetime:
        return f"'{value.isoformat()}'"
    return None


class Trips:
    """One write unit of work's transaction on PostgreSQL, sent in as few messages as it can."""

    __slots__ = ("connection", "begun", "held", "sending")

    def __init__(self, connection: Connection):
        self.connection = connection
        #: BEGIN has been sent (the server is in this unit of work's transaction).
        self.begun = False
        #: The last write, waiting for COMMIT: (statement, its EXECUTE, what to do with its row
        #: or its error).
        self.held: tuple[Prepared, bytes, Answer] | None = None
        #: A message of its own is being sent (``before_statement`` lets it through).
        self.sending = False

    # --- the load: BEGIN in its message ---------------------------------------------------

    def first(self, statement: Prepared, params: Mapping[str, Any]) -> list[Any] | None:
        """The first row of `statement`: with BEGIN in the same message when nothing has been
        sent yet, else the usual way."""
        if self.begun:
            return statement.first(self.connection, params)
        message = self._execute(statement, params)
        if message is None:
            self.send_begin()
            return statement.first(self.connection, params)
        try:
            cursor = self._send(b"BEGIN; " + message)
        except exc.DBAPIError as err:
            if getattr(err.orig, "sqlstate", None) != _GONE:
                raise
            # Deallocated since it was prepared: nothing else was sent in this transaction,
            # so roll it back and send it again, prepared afresh.
            self.connection.connection.dbapi_connection.rollback()
            _PREPARED.pop(self.connection.connection.dbapi_connection, None)
            cursor = self._send(b"BEGIN; " + self._execute(statement, params))
        self.begun = True
        cursor.nextset()
        row = cursor.fetchone()
        cursor.close()
        return None if row is None else statement.convert(self.connection.dialect, row)

    def send_begin(self) -> None:
        """BEGIN on its own (something other than the load comes first)."""
        self._send(b"BEGIN").close()
        self.begun = True

    # --- the write: COMMIT in its message ---------------------------------------------------

    def hold(self, statement: Prepared, params: Mapping[str, Any], answer: Answer) -> bool:
        """Keep `statement` to send with COMMIT; `answer` gets its row (or the error that
        refused it, which it raises as it sees fit) when it is sent. False if
        it cannot be held (it must be sent now): no BEGIN yet (so no load has shown that what
        this session prepared is still there), or a value not written as a literal."""
        if not self.begun or self.held is not None:
            return False
        message = self._execute(statement, params)
        if message is None:
            return False
        self.held = (statement, message, answer)
        return True

    def flush(self) -> None:
        """Send the held write now (something else is about to be sent)."""
        held, self.held = self.held, None
        if held is not None:
            self._answered(held, held[1])

    def commit(self) -> bool:
        """Send the held write with COMMIT: True if that committed, False if none was held."""
        held, self.held = self.held, None
        if held is None:
            return False
        self._answered(held, held[1] + b"; COMMIT")
        self.begun = False
        return True

    def _answered(self, held: tuple[Prepared, bytes, Answer], message: bytes) -> None:
        statement, _, answer = held
        try:
            cursor = self._send(message)
        except exc.DBAPIError as err:
            answer(None, err)
            raise
        row = cursor.fetchone()
        cursor.close()
        answer(statement.convert(self.connection.dialect, row), None)

    def forget(self) -> None:
        """The transaction ended (committed or rolled back): BEGIN is owed again."""
        self.begun = False
        self.held = None

    # --- sending ----------------------------------------------------------------------------

    def _execute(self, statement: Prepared, params: Mapping[str, Any]) -> bytes | None:
        """``EXECUTE name(values)`` for `statement` (prepared on the session first if it is not
        yet), or None if a value cannot be written as a literal."""
        dbapi = self.connection.connection.dbapi_connection
        form = statement.form(self.connection.dialect)
        values = statement.bound(form, params)
        literals = []
        prepared = _PREPARED.setdefault(dbapi, {})
        entry = prepared.get(form.sql)
        names = entry[1] if entry is not None else tuple(dict.fromkeys(_PARAM.findall(form.sql)))
        for name in names:
            literal = _literal(values[name])
            if literal is None:
                return None
            literals.append(literal)
        if entry is None:
            if dbapi.info.parameter_status("standard_conforming_strings") != "on":
                return None
            entry = (f"hoso_{next(_NUMBERS)}", names)
            numbered = _PARAM.sub(lambda m: f"${names.index(m.group(1)) + 1}", form.sql)
            self._send(f"PREPARE {entry[0]} AS {numbered.replace('%%', '%')}".encode()).close()
            prepared[form.sql] = entry
        return f"EXECUTE {entry[0]}({', '.join(literals)})".encode()

    def _send(self, message: bytes) -> Any:
        """Send `message` as one simple query; the cursor, at its first result. The engine's
        ``before_cursor_execute`` listeners see it, as they see every statement."""
        connection = self.connection
        cursor = connection.connection.dbapi_connection.cursor()
        dialect = connection.dialect
        text = message.decode()
        self.sending = True
        try:
            for listener in connection.dispatch.before_cursor_execute:
                listener(connection, cursor, text, None, None, False)
            cursor.execute(message)
        except dialect.loaded_dbapi.Error as err:
            raise exc.DBAPIError.instance(
                text[:2000], None, err, dialect.loaded_dbapi.Error, dialect=dialect
            ) from err
        finally:
            self.sending = False
        return cursor


def before_statement(connection, _cursor, _statement, _params, _context, _many) -> None:
    """An engine listener (PostgreSQL): before any other statement of a write unit of work, the
    BEGIN it owes, or the write it holds."""
    trips = connection.info.get(KEY)
    if trips is None or trips.sending:
        return
    if not trips.begun:
        trips.send_begin()
    elif trips.held is not None:
        trips.flush()
