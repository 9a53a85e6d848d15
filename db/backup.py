"""Backups: the database and the instance folder's files and settings in one ``tar.gz``.

The archive holds ``manifest.json`` (hoso's version, the Alembic revision, the chain head's digest
and count, when), the database (``database.sqlite3``, made with SQLite's online backup API, so
consistent while the app runs; or ``database.pgdump``, ``pg_dump -Fc``), and ``instance/``: the
uploaded scans (``files/``, ``uploads/``) and ``hoso.toml``. The secret key only on request: the
archive travels (to a disk, another office) and whoever holds the key can sign a session cookie
for any user; without it a restored server makes a new key, which only logs everyone out.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from db.migrate import alembic_config, current_revision

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
INSTANCE = "instance"
#: What of the instance folder a backup holds: the uploads' folders and the settings.
FOLDERS = ("files", "uploads")
SETTINGS = "hoso.toml"
SECRET = "secret_key"
#: Where pg_dump and pg_restore are looked for after PATH.
PG_BIN = Path("/usr/lib/postgresql/15/bin")
#: The tables whose rows make a database "not empty" for a restore.
_DATA_TABLES = ("organisations", "users", "cases", "events")


class BackupError(Exception):
    """A backup or a restore that cannot be done, in words for the operator."""


@dataclass(frozen=True)
class Manifest:
    """What a backup holds and the state it was taken in."""

    hoso_version: str
    revision: str | None
    head_count: int
    head_digest: str
    made_at: str
    backend: str
    with_secrets: bool


def _version() -> str:
    try:
        return metadata.version("hoso")
    except metadata.PackageNotFoundError:
        return "unknown"


def _tool(name: str) -> str:
    """The path of a PostgreSQL client tool, or ``BackupError`` saying where it was looked for."""
    found = shutil.which(name) or (str(PG_BIN / name) if (PG_BIN / name).is_file() else None)
    if found is None:
        raise BackupError(
            f"{name} was not found on PATH nor in {PG_BIN}: install postgresql-client"
        )
    return found


def _libpq_url(engine: Engine) -> str:
    """The engine's URL as libpq reads it (no ``+psycopg`` driver name)."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str], what: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip() or result.returncode}")


def chain_state(engine: Engine) -> tuple[int, str]:
    """The recorded chain head: count and digest (an empty chain when there is none)."""
    if not inspect(engine).has_table("chain_head"):
        return 0, ""
    with engine.connect() as connection:
        row = connection.execute(text("SELECT count, digest FROM chain_head WHERE id = 1")).first()
    return (row[0], row[1]) if row is not None else (0, "")


def holds_data(engine: Engine) -> bool:
    """Whether the database holds any organisation, user, case or event."""
    tables = set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        for table in _DATA_TABLES:
            if (
                table in tables
                and connection.execute(text(f"SELECT 1 FROM {table} LIMIT 1")).first()
            ):
                return True
    return False


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(content), int(datetime.now(UTC).timestamp()), 0o600
    archive.addfile(info, io.BytesIO(content))


def backup(engine: Engine, instance: Path, target: Path, with_secrets: bool = False) -> Manifest:
    """Write the database and the instance's files and settings to `target` (a ``tar.gz``)."""
    count, digest = chain_state(engine)
    manifest = Manifest(
        hoso_version=_version(),
        revision=current_revision(engine),
        head_count=count,
        head_digest=digest,
        made_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        backend=engine.dialect.name,
        with_secrets=with_secrets,
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hoso-backup-") as scratch:
        dump = Path(scratch) / (SQLITE_FILE if manifest.backend == "sqlite" else PG_FILE)
        if manifest.backend == "sqlite":
            source = sqlite3.connect(engine.url.database)
            copy = sqlite3.connect(dump)
            try:
                source.backup(copy)  # page by page, consistent although writers go on
            finally:
                copy.close()
                source.close()
        else:
            pg_dump = _tool("pg_dump")
            _run([pg_dump, "-Fc", "--no-owner", "-f", str(dump), _libpq_url(engine)], "pg_dump")
        partial = target.with_name(f".{target.name}.partial")
        with tarfile.open(partial, "w:gz") as archive:
            _add_bytes(archive, MANIFEST, json.dumps(asdict(manifest), indent=2).encode())
            archive.add(dump, dump.name)
            for folder in FOLDERS:
                if (instance / folder).is_dir():
                    archive.add(instance / folder, f"{INSTANCE}/{folder}")
            if (instance / SETTINGS).is_file():
                archive.add(instance / SETTINGS, f"{INSTANCE}/{SETTINGS}")
            if with_secrets and (instance / SECRET).is_file():
                archive.add(instance / SECRET, f"{INSTANCE}/{SECRET}")
        os.replace(partial, target)  # a half-written archive never has the final name
    return manifest


def read_manifest(path: Path) -> Manifest:
    """The manifest of the backup at `path`; ``BackupError`` if it is missing or not a backup."""
    if not path.is_file():
        raise BackupError(f"no backup at {path}")
    try:
        with tarfile.open(path, "r:gz") as archive:
            member = archive.extractfile(MANIFEST)
            data = json.loads(member.read()) if member is not None else None
            return Manifest(**data)
    except (tarfile.TarError, KeyError, OSError, EOFError) as err:
        raise BackupError(f"{path} is not a readable hoso backup ({err})") from err
    except (ValueError, TypeError) as err:
        raise BackupError(f"{path} has no valid manifest ({err})") from err


def known_revisions() -> set[str]:
    """Every database revision this hoso ships."""
    return {r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def check_revision(manifest: Manifest) -> None:
    """Refuse a backup made by a newer hoso (a revision this code does not know)."""
    if manifest.revision is not None and manifest.revision not in known_revisions():
        raise BackupError(
            f"the backup is at database revision {manifest.revision}, which this hoso "
            f"({_version()}) does not know: restore it with the version that made it "
            f"({manifest.hoso_version}) or a newer one"
        )


def restore(engine: Engine, instance: Path, source: Path, force: bool = False) -> Manifest:
    """Put the backup at `source` in place of the (empty) database and the instance's files."""
    manifest = read_manifest(source)
    check_revision(manifest)
    if manifest.backend != engine.dialect.name:
        raise BackupError(
            f"the backup is of a {manifest.backend} database, this one is {engine.dialect.name}"
        )
    if holds_data(engine) and not force:
        raise BackupError("the database is not empty; restore with --force to replace it")
    with tempfile.TemporaryDirectory(prefix="hoso-restore-") as scratch:
        try:
            with tarfile.open(source, "r:gz") as archive:
                # The "data" filter refuses absolute paths, "..", links out and devices.
                archive.extractall(scratch, filter="data")
        except (tarfile.TarError, OSError, EOFError) as err:
            raise BackupError(f"{source} is damaged ({err})") from err
        dump = Path(scratch) / (SQLITE_FILE if manifest.backend == "sqlite" else PG_FILE)
        if not dump.is_file():
            raise BackupError(f"{source} holds no database ({dump.name})")
        if manifest.backend == "sqlite":
            _restore_sqlite(engine, dump)
        else:
            pg_restore = _tool("pg_restore")
            engine.dispose()
            _run(
                [pg_restore, "--no-owner", "--clean", "--if-exists", "-d", _libpq_url(engine)]
                + [str(dump)],
                "pg_restore",
            )
        _restore_instance(Path(scratch) / INSTANCE, instance, force)
    return manifest


def _restore_sqlite(engine: Engine, dump: Path) -> None:
    """Replace the database file (and its write-ahead log) by the backup's copy."""
    path = Path(engine.url.database)
    engine.dispose()
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(f".{path.name}.restoring")
    shutil.copyfile(dump, staged)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(staged, path)


def _restore_instance(unpacked: Path, instance: Path, force: bool) -> None:
    """Copy the backup's uploads in; its settings and key too, unless ones exist (or `force`)."""
    if not unpacked.is_dir():
        return
    instance.mkdir(parents=True, exist_ok=True)
    for folder in FOLDERS:
        if (unpacked / folder).is_dir():
            shutil.copytree(unpacked / folder, instance / folder, dirs_exist_ok=True)
    for name in (SETTINGS, SECRET):
        if (unpacked / name).is_file() and (force or not (instance / name).exists()):
            shutil.copy2(unpacked / name, instance / name)
