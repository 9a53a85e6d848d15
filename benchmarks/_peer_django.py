"""The peer contender of ``benchmarks.transitions``: django-fsm-2 with django-fsm-log.

A minimal Django project configured in code (``settings.configure``: no settings file, no
``manage.py``). One model, ``Case``, with an ``FSMField`` and two transitions, ``withdraw`` and
``reinstate``, each decorated with ``fsm_log_by`` so that django-fsm-log's default backend writes a
``StateLog`` row (who, when, from, to, which transition) when it fires. A transition is what a
Django view would do: load the case, fire, ``save()``, all in one ``transaction.atomic()``.

Each backend gets its own fresh database, made and migrated here (``migrate --run-syncdb``): a
SQLite file with the connection settings hoso uses (WAL, ``synchronous=NORMAL``, foreign keys,
``BEGIN IMMEDIATE`` for transactions), and a PostgreSQL database created on the benchmark's
server and dropped afterwards. Django is configured once per process, so the databases are
aliases of one project and a router sends every query to the active one.

Needs the ``bench`` extra: ``.venv/bin/pip install -e '.[dev,bench]'``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url

from benchmarks._support import POSTGRES_ENV
from db.session import make_engine

INSTALL = ".venv/bin/pip install -e '.[dev,bench]'"
_ACTIVE = {"alias": "sqlite"}  # the database the router sends every query to
_MODELS: dict[str, Any] = {}


def missing() -> str | None:
    """Why the peer cannot run (the bench extra is not installed), or None."""
    try:
        import django  # noqa: F401
        import django_fsm  # noqa: F401
        import django_fsm_log  # noqa: F401
    except ImportError as err:
        return f"peer skipped: {err.name} is not installed (the bench extra: {INSTALL})"
    return None


def versions() -> str:
    """The peer's library versions, for the report."""
    from importlib.metadata import version

    return ", ".join(
        f"{name} {version(name)}" for name in ("django", "django-fsm-2", "django-fsm-log")
    )


class ActiveDatabase:
    """Django database router: every model reads and writes the active backend's database."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        return _ACTIVE["alias"]

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return _ACTIVE["alias"]

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return True


def _postgres_settings(url: str) -> dict[str, Any]:
    parsed = make_url(url)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parsed.database,
        "USER": parsed.username or "",
        "PASSWORD": parsed.password or "",
        "HOST": parsed.host or "",
        "PORT": str(parsed.port or ""),
    }


def _sqlite_settings(path: Path) -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {
            # The pragmas of db.session.make_engine, and BEGIN IMMEDIATE as hoso's writes.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;",
            "transaction_mode": "IMMEDIATE",
        },
    }


def _configure(databases: dict[str, dict[str, Any]]) -> None:
    """Configure Django once per process, with `databases` as its aliases, and define Case."""
    import django
    from django.apps import AppConfig
    from django.conf import settings

    if settings.configured:
        raise RuntimeError("the Django peer is configured once per process")

    class PeerConfig(AppConfig):
        name = __name__
        label = "peer"
        default_auto_field = "django.db.models.AutoField"

    globals()["PeerConfig"] = PeerConfig
    settings.configure(
        DEBUG=False,
        USE_TZ=True,
        SECRET_KEY="bench",
        DATABASES={"default": databases["sqlite"], **databases},
        DATABASE_ROUTERS=[f"{__name__}.ActiveDatabase"],
        INSTALLED_APPS=[
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "django_fsm_log",
            f"{__name__}.PeerConfig",
        ],
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    )
    django.setup()
    _define_case()


def _define_case() -> None:
    """The peer's one model: a case with a state field and two logged transitions."""
    from django.db import models
    from django_fsm import FSMField, transition
    from django_fsm_log.decorators import fsm_log_by

    class Case(models.Model):
        state = FSMField(default="identified", max_length=30)

        class Meta:
            app_label = "peer"

        @fsm_log_by
        @transition(field=state, source="identified", target="withdrawn")
        def withdraw(self, by: Any = None) -> None:
            """Drop the case from the list."""

        @fsm_log_by
        @transition(field=state, source="withdrawn", target="identified")
        def reinstate(self, by: Any = None) -> None:
            """Put the case back on the list."""

    _MODELS["Case"] = Case
    # migrate --run-syncdb creates the tables of apps that have a models module; this one's
    # model lives here.
    from django.apps import apps

    apps.get_app_config("peer").models_module = sys.modules[__name__]


@contextmanager
def _postgres_database(label: str) -> Iterator[str]:
    """A fresh database on the benchmark's PostgreSQL server, dropped afterwards."""
    base = os.environ[POSTGRES_ENV]
    name = f"hoso_bench_{label}_{uuid.uuid4().hex[:8]}"
    admin = make_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin.url).set(database=name).render_as_string(hide_password=False)
    finally:
        from django.db import connections

        if "postgresql" in connections:
            connections["postgresql"].close()
        with admin.connect() as conn:
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@contextmanager
def peers(backends: list[str]) -> Iterator[dict[str, Peer]]:
    """A `Peer` on a fresh, migrated database of each backend (SQLite, PostgreSQL)."""
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="hoso-bench-peer-")))
        databases = {"sqlite": _sqlite_settings(folder / "peer.sqlite3")}
        if "postgresql" in backends:
            url = stack.enter_context(_postgres_database("peer"))
            databases["postgresql"] = _postgres_settings(url)
        _configure(databases)
        from django.db import connections

        try:
            yield {alias: Peer(alias) for alias in databases}
        finally:
            connections.close_all()


class Peer:
    """Transitions of the peer's ``Case`` on one database, one ``transaction.atomic`` each."""

    def __init__(self, alias: str):
        from django.contrib.auth.models import User
        from django.core.management import call_command

        self.alias = alias
        with self.active():
            call_command("migrate", run_syncdb=True, database=alias, verbosity=0)
            self.user = User.objects.create(username="sec")

    @contextmanager
    def active(self) -> Iterator[None]:
        """Send the ORM's queries to this peer's database while the block runs."""
        saved, _ACTIVE["alias"] = _ACTIVE["alias"], self.alias
        try:
            yield
        finally:
            _ACTIVE["alias"] = saved

    def server(self) -> str:
        """The database's version, as ``_support.server_version`` writes it."""
        from django.db import connections

        connection = connections[self.alias]
        connection.ensure_connection()
        if self.alias == "sqlite":
            import sqlite3

            return f"SQLite {sqlite3.sqlite_version}"
        major, rest = divmod(connection.pg_version, 10000)
        return f"PostgreSQL {major}.{rest}"

    def insert_cases(self, count: int) -> list[int]:
        """`count` new cases in the start state, their ids."""
        case = _MODELS["Case"]
        with self.active():
            made = case.objects.bulk_create([case() for _ in range(count)])
            if made and made[0].pk is None:  # SQLite before 3.35 returns no ids
                return list(case.objects.order_by("-id").values_list("id", flat=True)[:count])[::-1]
            return [c.pk for c in made]

    def fire(self, trigger: str, case_id: int) -> None:
        """Load the case, fire `trigger` by the secretary, save; one transaction."""
        from django.db import transaction

        _ACTIVE["alias"] = self.alias  # no context manager: its cost is not the peer's
        with transaction.atomic(using=self.alias):
            case = _MODELS["Case"].objects.get(pk=case_id)
            getattr(case, trigger)(by=self.user)
            case.save()

    def count(self) -> tuple[int, int]:
        """(cases, StateLog rows) in this peer's database."""
        from django_fsm_log.models import StateLog

        with self.active():
            return _MODELS["Case"].objects.count(), StateLog.objects.count()

    @contextmanager
    def statements(self) -> Iterator[list[str]]:
        """Every SQL statement this peer sends while the block runs (BEGIN/COMMIT not included)."""
        from django.db import connections

        seen: list[str] = []

        def _count(execute, sql, params, many, context):
            seen.append(sql)
            return execute(sql, params, many, context)

        with connections[self.alias].execute_wrapper(_count):
            yield seen
