"""Creating and upgrading the database with Alembic (``hoso init``)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from db.models.people import NAME_SEARCH_FTS, NAME_SEARCH_TRGM

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic config pointing at hoso's migrations (and at `engine`, when given)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Whether autogenerate compares `name`: not the name-search index the models do not declare
    (the FTS5 table and its shadow tables on SQLite, the pg_trgm index on PostgreSQL), nor the
    task queue's own tables (``procrastinate_*``, from its schema: migration 0019)."""
    if (name or "").startswith("procrastinate_"):
        return False
    if type_ == "table":
        return name != NAME_SEARCH_FTS and not (name or "").startswith(f"{NAME_SEARCH_FTS}_")
    return not (type_ == "index" and name == NAME_SEARCH_TRGM)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to `revision`; running it again changes nothing."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def analyze(engine: Engine) -> None:
    """Refresh the planner's statistics (SQLite has none until asked; sorting needs them)."""
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (``None`` when empty)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The newest revision hoso ships."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
