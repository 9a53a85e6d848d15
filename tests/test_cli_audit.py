"""``hoso audit anchor`` and ``hoso audit verify [--anchor]`` on the demo: an anchor printed,
written and mailed; a chain that extends it passes; a rewritten past fails naming the event; a
case row changed in SQL is named."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, text

import web.cli.audit as audit_cli
from tests.db.history_support import events
from tests.db.test_history_tampering import drop_guard, execute, rewrite
from web.cli import cli
from web.mail import RecordingSender
from workflow.history import CANONICAL_COLUMNS, chain_digest


@pytest.fixture
def folder(demo_template, tmp_path) -> Path:
    """An instance folder holding a copy of the demo."""
    folder = tmp_path / "instance"
    folder.mkdir()
    shutil.copyfile(demo_template, folder / "hoso.sqlite3")
    return folder


def hoso(folder: Path, *args: object) -> Result:
    env = {"HOSO_INSTANCE": str(folder), "HOSO_DATABASE_URL": None}
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


def engine_of(folder: Path):
    return create_engine(f"sqlite:///{folder / 'hoso.sqlite3'}")


def test_anchor_printed_and_written_then_verified(folder, tmp_path) -> None:
    out = tmp_path / "anchor.json"
    result = hoso(folder, "audit", "anchor", "--out", out)
    assert result.exit_code == 0, result.output
    anchor = json.loads(out.read_text())
    assert anchor["digest"] in result.output
    with engine_of(folder).connect() as conn:
        last_id, digest, count = conn.execute(
            text("SELECT last_id, digest, count FROM chain_head")
        ).one()
        at = conn.execute(text("SELECT at FROM events WHERE id = :i"), {"i": last_id}).scalar()
    assert (anchor["count"], anchor["digest"], anchor["last_event_id"]) == (count, digest, last_id)
    assert anchor["last_event_at"] == at
    verified = hoso(folder, "audit", "verify", "--anchor", out)
    assert verified.exit_code == 0, verified.output
    assert f"anchor extended: event {count} has the anchor's digest" in verified.output
    assert "cases consistent" in verified.output


def test_anchor_mailed_through_the_sender(folder, monkeypatch) -> None:
    (folder / "hoso.toml").write_text('[smtp]\nhost = "mail.example.vn"\nsender = "hoso@x.vn"\n')
    sent = RecordingSender()
    monkeypatch.setattr(audit_cli, "SmtpSender", lambda smtp: sent)
    result = hoso(folder, "audit", "anchor", "--mail", "kiemtra@example.vn")
    assert result.exit_code == 0, result.output
    ((mail, rendered),) = sent.sent
    assert mail.to_address == "kiemtra@example.vn"
    assert mail.context["anchor"]["digest"] in rendered.text
    assert "đồng chí" in rendered.text and "bạn" not in rendered.text


def test_anchor_not_mailed_without_a_server(folder) -> None:
    result = hoso(folder, "audit", "anchor", "--mail", "kiemtra@example.vn")
    assert result.exit_code == 1 and "no SMTP server" in result.output


def test_a_rewritten_past_fails_the_anchor_naming_the_event(folder, tmp_path) -> None:
    out = tmp_path / "anchor.json"
    assert hoso(folder, "audit", "anchor", "--out", out).exit_code == 0
    anchor = json.loads(out.read_text())
    engine = engine_of(folder)
    rows = events(engine)
    # An attacker edits event 10 and recomputes every digest after it, and the head: the chain
    # is consistent again, only the anchor kept elsewhere tells.
    rows[9]["reason"] = "lý do viết lại"
    previous = rows[8]["digest"]
    for row in rows[9:]:
        row["prev_digest"] = previous
        row["digest"] = previous = chain_digest(previous, [row[c] for c in CANONICAL_COLUMNS])
    drop_guard(engine)
    rewrite(engine, rows)
    execute(engine, f"UPDATE chain_head SET digest = '{previous}'")
    plain = hoso(folder, "audit", "verify")
    assert plain.exit_code == 0, plain.output
    result = hoso(folder, "audit", "verify", "--anchor", out)
    assert result.exit_code == 1
    assert f"anchor NOT extended: event {anchor['count']} has digest {previous}" in result.output
    assert "was rewritten" in result.output


@pytest.mark.parametrize(
    "content", ["not json", '{"kind": "other", "count": 1, "digest": "x"}', '{"count": -1}']
)
def test_a_bad_anchor_file_is_refused(folder, tmp_path, content) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    result = hoso(folder, "audit", "verify", "--anchor", bad)
    assert result.exit_code == 1 and "anchor" in result.output and "Traceback" not in result.output


def test_verify_names_a_case_row_changed_in_sql(folder) -> None:
    engine = engine_of(folder)
    with engine.connect() as conn:
        case_id, state = conn.execute(
            text("SELECT id, state FROM cases WHERE state = 'admitted' ORDER BY id")
        ).first()
    execute(engine, f"UPDATE cases SET state = 'official' WHERE id = {case_id}")
    result = hoso(folder, "audit", "verify")
    assert result.exit_code == 1
    assert "history intact" in result.output
    assert (
        f"case {case_id}: state is 'official' in the row but '{state}' by its events"
        in result.output
    )
