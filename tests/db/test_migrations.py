"""Migrations: from empty to head, idempotent, and exactly the schema the models describe."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import inspect, text

import db.models  # noqa: F401  (registers every table)
from db.base import Base
from db.migrate import current_revision, head_revision, include_name, upgrade
from db.session import make_engine
from web.cli import cli


def test_upgrade_from_empty_reaches_head_and_again_changes_nothing(database_url):
    engine = make_engine(database_url)
    try:
        assert current_revision(engine) is None
        upgrade(engine)
        assert current_revision(engine) == head_revision() is not None
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables

        upgrade(engine)
        assert current_revision(engine) == head_revision()
        assert set(inspect(engine).get_table_names()) == tables
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM chain_head")).scalar() == 1
    finally:
        engine.dispose()


def test_the_migrated_schema_is_the_models_schema(database_url):
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        with engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(
                    conn, opts={"compare_type": True, "include_name": include_name}
                ),
                Base.metadata,
            )
        assert diff == []
    finally:
        engine.dispose()


def test_hoso_init_twice_on_a_fresh_instance(tmp_path):
    instance = tmp_path / "instance"
    env = {"HOSO_INSTANCE": str(instance), "HOSO_DATABASE_URL": None}
    runner = CliRunner()

    first = runner.invoke(cli, ["init"], env=env)
    assert first.exit_code == 0, first.output
    assert f"upgraded from empty to {head_revision()}" in first.output
    database = instance / "hoso.sqlite3"
    assert database.is_file()

    second = runner.invoke(cli, ["init"], env=env)
    assert second.exit_code == 0, second.output
    assert "up to date" in second.output

    # WAL is a property of the file: a plain connection, with none of hoso's settings, sees it.
    with closing(sqlite3.connect(database)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (head_revision(),)
        ]
