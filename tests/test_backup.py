"""``hoso backup`` and ``hoso restore``: a district with cases and an upload, backed up, restored
into an empty database and instance folder, verifies with the same head; bad archives refused."""

from __future__ import annotations

import io
import json
import re
import tarfile
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import text

from db.repositories.blobs import FileStore
from tests import databases
from tests.factories import NOW
from web.cli import cli
from workflow import services
from workflow.uploads import Upload

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def hoso(url: str, folder: Path, *args: object) -> Result:
    env = {"HOSO_INSTANCE": str(folder), "HOSO_DATABASE_URL": url}
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


@pytest.fixture
def source(district, database_url, tmp_path):
    """The district with an admitted case, a mentored one and a scan uploaded, in a folder."""
    folder = tmp_path / "source"
    folder.mkdir()
    (folder / "hoso.toml").write_text("[rules]\n")
    (folder / "secret_key").write_text("s3cret")
    district.to_admitted(full_name="Nguyễn Văn Sao")
    case = district.to_mentored(full_name="Trần Thị Lưu")
    services.upload_document(
        district.runtime.uow(),
        FileStore.in_instance(folder),
        district.actor("sec"),
        case.id,
        {"code": "1-KNĐ", "dated": "2026-09-01"},
        Upload("scan.pdf", PDF),
        clock=NOW,
    )
    return folder


@pytest.fixture
def empty_url(request, database_url, tmp_path):
    """Another database of the same backend, with no table at all."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    admin = request.getfixturevalue("postgres_admin")
    name = f"hoso_r_{uuid.uuid4().hex[:12]}"
    try:
        yield databases.create_database(admin, name)
    finally:
        databases.drop_database(admin, name)


def head_line(result: Result) -> str:
    return re.search(r"history intact: \d+ events, head [0-9a-f]{64}", result.output).group(0)


def test_backup_then_restore_into_an_empty_database(
    database_url, source, empty_url, tmp_path
) -> None:
    archive = tmp_path / "out" / "hoso.tar.gz"
    before = hoso(database_url, source, "audit", "verify")
    assert before.exit_code == 0, before.output
    made = hoso(database_url, source, "backup", archive)
    assert made.exit_code == 0, made.output
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert "instance/hoso.toml" in names and "instance/secret_key" not in names
    assert manifest["revision"] and manifest["head_count"] > 0
    assert manifest["backend"] == ("sqlite" if database_url.startswith("sqlite") else "postgresql")

    target = tmp_path / "target"
    restored = hoso(empty_url, target, "restore", archive)
    assert restored.exit_code == 0, restored.output
    assert "(as backed up)" in restored.output
    after = hoso(empty_url, target, "audit", "verify")
    assert after.exit_code == 0, after.output
    assert head_line(after) == head_line(before)
    assert f"{manifest['head_count']} events" in head_line(after)
    assert "cases consistent" in after.output
    sha = next(p.name for p in (source / "files").rglob("*") if p.is_file())
    assert FileStore.in_instance(target).path(sha).read_bytes() == PDF
    assert not (target / "secret_key").exists()

    again = hoso(empty_url, target, "restore", archive)
    assert again.exit_code != 0 and "not empty" in again.output


def test_a_tampered_restore_exits_non_zero(database_url, source, empty_url, tmp_path) -> None:
    archive = tmp_path / "hoso.tar.gz"
    assert hoso(database_url, source, "backup", archive, "--with-secrets").exit_code == 0
    with tarfile.open(archive) as tar:
        assert "instance/secret_key" in tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
        members = [(m, tar.extractfile(m).read() if m.isfile() else None) for m in tar]
    # The same database under a manifest that recorded another head: the restore says so.
    manifest["head_digest"] = "f" * 64
    forged = tmp_path / "forged.tar.gz"
    with tarfile.open(forged, "w:gz") as tar:
        for member, content in members:
            if member.name == "manifest.json":
                content = json.dumps(manifest).encode()
                member.size = len(content)
            tar.addfile(member, io.BytesIO(content) if content is not None else None)
    result = hoso(empty_url, tmp_path / "target", "restore", forged)
    assert result.exit_code == 1
    assert "differs from the backup's" in result.output


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_bad_archives_are_refused_in_words(database_url, tmp_path) -> None:
    folder = tmp_path / "i"
    missing = hoso(database_url, folder, "restore", tmp_path / "none.tar.gz")
    assert missing.exit_code == 1 and "no backup at" in missing.output
    corrupt = tmp_path / "corrupt.tar.gz"
    corrupt.write_bytes(b"\x1f\x8b not really gzip")
    result = hoso(database_url, folder, "restore", corrupt)
    assert result.exit_code == 1 and "not a readable hoso backup" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_backup_of_a_newer_revision_is_refused(runtime, database_url, tmp_path) -> None:
    archive = tmp_path / "hoso.tar.gz"
    assert hoso(database_url, tmp_path / "i", "backup", archive).exit_code == 0
    with tarfile.open(archive) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar if m.isfile()]
    newer = tmp_path / "newer.tar.gz"
    with tarfile.open(newer, "w:gz") as tar:
        for member, content in members:
            if member.name == "manifest.json":
                data = json.loads(content)
                content = json.dumps({**data, "revision": "9999"}).encode()
                member.size = len(content)
            tar.addfile(member, io.BytesIO(content))
    result = hoso(f"sqlite:///{tmp_path / 'new.sqlite3'}", tmp_path / "j", "restore", newer)
    assert result.exit_code == 1 and "9999" in result.output and "does not know" in result.output


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_missing_pg_dump_is_named(runtime, database_url, tmp_path, monkeypatch) -> None:
    import db.backup

    monkeypatch.setattr(db.backup, "PG_BIN", tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))
    result = hoso(database_url, tmp_path / "i", "backup", tmp_path / "x.tar.gz")
    assert result.exit_code == 1 and "pg_dump was not found" in result.output
    with runtime.engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1
