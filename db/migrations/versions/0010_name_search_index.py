"""A trigram index for the name search (issue 9, "Speed").

A substring match (``search_name LIKE '%key%'``) cannot use a B-tree, so the search scanned every
person. SQLite gets an FTS5 table with the trigram tokenizer over ``people.search_name`` (external
content: it stores only the index), kept in sync by triggers; PostgreSQL gets a GIN index with
pg_trgm's operator class, which serves ``LIKE`` itself. Neither is declared in the models:
``db.migrate.include_name`` keeps them out of autogenerate's comparison.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 21:40:00
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# Written out here rather than imported: a migration is a snapshot of the schema it makes.
SQLITE_UP = [
    "CREATE VIRTUAL TABLE people_search USING fts5("
    "search_name, content='people', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER people_search_ai AFTER INSERT ON people BEGIN "
    "INSERT INTO people_search(rowid, search_name) VALUES (new.id, new.search_name); END",
    "CREATE TRIGGER people_search_ad AFTER DELETE ON people BEGIN "
    "INSERT INTO people_search(people_search, rowid, search_name) "
    "VALUES ('delete', old.id, old.search_name); END",
    "CREATE TRIGGER people_search_au AFTER UPDATE OF id, search_name ON people BEGIN "
    "INSERT INTO people_search(people_search, rowid, search_name) "
    "VALUES ('delete', old.id, old.search_name); "
    "INSERT INTO people_search(rowid, search_name) VALUES (new.id, new.search_name); END",
    # The people already there.
    "INSERT INTO people_search(people_search) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS people_search_au",
    "DROP TRIGGER IF EXISTS people_search_ad",
    "DROP TRIGGER IF EXISTS people_search_ai",
    "DROP TABLE IF EXISTS people_search",
]
# pg_trgm is a "trusted" extension (PostgreSQL ≥ 13): a database owner may create it.
POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS ix_people_search_name_trgm ON people "
    "USING gin (search_name gin_trgm_ops)",
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS ix_people_search_name_trgm"]


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_UP)
    elif dialect == "postgresql":
        _run(POSTGRES_UP)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_DOWN)
    elif dialect == "postgresql":
        _run(POSTGRES_DOWN)
