"""PostgreSQL test databases: copies of templates, reset for the next test instead of dropped.

``CREATE DATABASE`` copies a whole cluster catalogue (about 9 MB) and takes 0.3–1.5 s on a busy
2-core machine: more than most tests. So a database that a test used is given back to a pool of
its template: its rows are replaced by the template's, its sequences set back, and the next test
of that template gets it (30–100 ms). A database whose schema the test changed (a dropped or
disabled trigger, a new table...) or whose tables were analysed (statistics cannot be reset by
their owner) fails the fingerprint check and is dropped instead.
Fixtures are in tests/conftest.py; this module holds no state but the pools they make.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import Engine, NullPool, create_engine, text
from sqlalchemy.engine import make_url

# Everything in the database that is not rows: tables and their columns, defaults, constraints,
# indexes, triggers (and whether they are enabled), functions, views, rules, policies, schemas,
# extensions, ownership and grants, and the database's own settings.
FINGERPRINT = """
SELECT md5(string_agg(x, '|' ORDER BY x)) FROM (
  SELECT concat_ws(' ', 'c', c.oid::regclass::text, c.relkind::text, c.relacl::text,
                   c.relowner::text, c.relpersistence::text) AS x
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  UNION ALL
  SELECT concat_ws(' ', 'a', a.attrelid::regclass::text, a.attname::text,
                   format_type(a.atttypid, a.atttypmod), a.attnotnull::text,
                   a.attgenerated::text, a.attidentity::text, pg_get_expr(d.adbin, d.adrelid))
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
     AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT concat_ws(' ', 't', tgrelid::regclass::text, tgname::text, tgenabled::text,
                   pg_get_triggerdef(oid))
    FROM pg_trigger WHERE NOT tgisinternal
  UNION ALL
  SELECT concat_ws(' ', 'k', conrelid::regclass::text, conname::text, pg_get_constraintdef(oid))
    FROM pg_constraint
   WHERE connamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
  UNION ALL
  SELECT concat_ws(' ', 'i', pg_get_indexdef(i.indexrelid))
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  UNION ALL
  SELECT concat_ws(' ', 'f', p.oid::regprocedure::text, md5(p.prosrc), p.proacl::text)
    FROM pg_proc p
   WHERE p.pronamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
  UNION ALL
  SELECT concat_ws(' ', 'v', schemaname::text, viewname::text, md5(definition)) FROM pg_views
   WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
  UNION ALL
  SELECT concat_ws(' ', 'r', schemaname::text, tablename::text, rulename::text) FROM pg_rules
   WHERE schemaname NOT IN ('pg_catalog')
  UNION ALL SELECT concat_ws(' ', 'p', polrelid::regclass::text, polname::text) FROM pg_policy
  UNION ALL SELECT concat_ws(' ', 'n', nspname::text, nspacl::text) FROM pg_namespace
  UNION ALL SELECT concat_ws(' ', 'e', extname::text) FROM pg_extension
  UNION ALL SELECT concat_ws(' ', 'l', count(*)::text) FROM pg_largeobject_metadata
  UNION ALL
  SELECT concat_ws(' ', 'z', count(*)::text) FROM pg_stats
   WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
  UNION ALL
  SELECT concat_ws(' ', 'u', c.oid::regclass::text) FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND c.reltuples >= 0
     AND c.relkind IN ('r', 'p')
  UNION ALL
  SELECT concat_ws(' ', 's', setconfig::text) FROM pg_db_role_setting
   WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
) AS parts
"""

TABLES = """
SELECT c.oid::regclass::text AS name,
       array_agg(quote_ident(a.attname) ORDER BY a.attnum) AS columns,
       bool_or(a.attidentity <> '') AS has_identity
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                     AND a.attgenerated = ''
 WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
 GROUP BY c.oid
"""

FOREIGN_KEYS = """
SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint
 WHERE contype = 'f' AND conrelid <> confrelid
"""

SEQUENCES = """
SELECT quote_literal(schemaname || '.' || sequencename), last_value, increment_by
  FROM pg_sequences WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
"""

TRIGGERED = "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal"

SIZES = """
SELECT c.oid::regclass::text, pg_total_relation_size(c.oid) FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
"""


def url_of(admin: Engine, name: str) -> str:
    """The URL of database `name` on `admin`'s server."""
    return make_url(admin.url).set(database=name).render_as_string(hide_password=False)


def create_database(admin: Engine, name: str, template: str | None = None) -> str:
    """CREATE DATABASE `name` (from `template`); returns its URL."""
    clause = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"{clause}'))
    return url_of(admin, name)


def disconnect(admin: Engine, name: str) -> None:
    """End every other session on database `name` (a test may leave an engine open)."""
    with admin.connect() as conn:
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n "
                "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
            ),
            {"n": name},
        )


def drop_database(admin: Engine, name: str) -> None:
    disconnect(admin, name)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))


def _deletion_order(tables: list[str], references: list[tuple[str, str]]) -> list[str]:
    """Tables ordered so that each comes before every table it references."""
    pending = {t: {parent for child, parent in references if child == t} for t in tables}
    referenced_by = {t: {c for c, p in references if p == t} for t in tables}
    order: list[str] = []
    while pending:
        # a table no remaining table references can go now
        ready = sorted(t for t in pending if not (referenced_by[t] & pending.keys()))
        if not ready:  # a cycle of foreign keys: delete the rest in one go, as best we can
            ready = sorted(pending)
        for t in ready:
            order.append(t)
            del pending[t]
    return order


@dataclass
class Pool:
    """Databases copied from one template, each reset to the template's content after a test."""

    admin: Engine
    template: str
    prefix: str
    fingerprint: str = ""
    sizes: dict[str, int] = field(default_factory=dict)
    triggered: list[str] = field(default_factory=list)
    order: list[str] = field(default_factory=list)
    refill_sql: str = ""
    free: list[str] = field(default_factory=list)
    made: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        engine = create_engine(url_of(self.admin, self.template), poolclass=NullPool)
        try:
            with engine.connect() as conn:
                self.fingerprint = conn.execute(text(FINGERPRINT)).scalar_one()
                self.sizes = dict(conn.execute(text(SIZES)).all())
                self._plan(conn)
        finally:
            engine.dispose()

    def _plan(self, conn) -> None:
        """What a reset does: the tables in deletion order, and the script putting rows back."""
        tables = {name: (cols, ident) for name, cols, ident in conn.execute(text(TABLES))}
        self.order = _deletion_order(list(tables), list(conn.execute(text(FOREIGN_KEYS))))
        self.triggered = sorted(r[0] for r in conn.execute(text(TRIGGERED)) if r[0] in tables)
        script = []
        for name in reversed(self.order):  # parents first
            columns, identity = tables[name]
            rows = conn.execute(
                text(f"SELECT coalesce(json_agg(t), '[]')::text FROM {name} AS t")
            ).scalar_one()
            if rows == "[]":
                continue
            cols = ", ".join(columns)
            overriding = " OVERRIDING SYSTEM VALUE" if identity else ""
            literal = conn.execute(text("SELECT quote_literal(:r)"), {"r": rows}).scalar_one()
            script.append(
                f"INSERT INTO {name} ({cols}){overriding} SELECT {cols} "
                f"FROM json_populate_recordset(NULL::{name}, {literal});"
            )
        for seq, last, step in conn.execute(text(SEQUENCES)):
            value = f"{last}, true" if last is not None else f"{1 if step > 0 else -1}, false"
            script.append(f"SELECT setval({seq}, {value});")
        self.refill_sql = "\n".join(script)

    def _reset_sql(self, sizes: dict[str, int]) -> str:
        """Empty every table, then put the template's rows and sequences back.

        A table that grew is truncated (a new, empty file, as in the template: the planner
        estimates from a table's pages, so a big emptied table would change plans); the others
        are emptied with DELETE, which is much cheaper than TRUNCATE on a small table.
        """
        grown = [t for t in self.order if sizes.get(t) != self.sizes.get(t)]
        script = [f"ALTER TABLE {t} DISABLE TRIGGER USER;" for t in self.triggered]
        if grown:
            script.append(f"TRUNCATE {', '.join(grown)} CASCADE;")
        script += [f"DELETE FROM {t};" for t in self.order if t not in grown]
        script.append(self.refill_sql)
        script += [f"ALTER TABLE {t} ENABLE TRIGGER USER;" for t in self.triggered]
        return "\n".join(script)

    def take(self) -> tuple[str, str]:
        """A database in the template's state: (name, URL)."""
        if self.free:
            name = self.free.pop()
            return name, url_of(self.admin, name)
        name = f"{self.prefix}_{uuid.uuid4().hex[:10]}"
        self.made.add(name)
        return name, create_database(self.admin, name, self.template)

    def give_back(self, name: str) -> None:
        """Reset `name` for the next test, or drop it when its schema is not the template's."""
        disconnect(self.admin, name)
        engine = create_engine(url_of(self.admin, name), poolclass=NullPool)
        reset = False
        try:
            with engine.begin() as conn:
                if conn.execute(text(FINGERPRINT)).scalar_one() == self.fingerprint:
                    script = self._reset_sql(dict(conn.execute(text(SIZES)).all()))
                    # The raw cursor, without parameters: several statements in one round trip,
                    # and a % in the rows is no placeholder.
                    conn.connection.dbapi_connection.cursor().execute(script)
                    reset = True
        except Exception:  # whatever went wrong, that database is not used again
            reset = False
        finally:
            engine.dispose()
        if reset:
            self.free.append(name)
            return
        self.made.discard(name)
        drop_database(self.admin, name)

    def close(self) -> None:
        for name in sorted(self.made):
            drop_database(self.admin, name)
        self.made.clear()
        self.free.clear()
