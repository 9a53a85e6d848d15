"""/audit/verify resumes from the stored check: a second check replays only what changed, and a
case row changed in SQL meanwhile (no event) is still named on the page."""

from __future__ import annotations

import re

from sqlalchemy import text

import db.read.replay as replaying
from db.read.history import last_check


def _replay(page: str) -> dict[str, str]:
    tag = re.search(r'<div class="replay-result[^>]*>', page)
    assert tag, "no replay result on the page"
    return dict(re.findall(r'data-([\w-]+)="([^"]*)"', tag.group(0)))


def test_a_resumed_check_replays_what_changed_and_names_a_row_changed_in_sql(
    app, login, demo_runtime, monkeypatch
) -> None:
    monkeypatch.setattr(replaying, "BUCKET", 8)  # the demo's few dozen cases in several buckets
    app.config["AUDIT_VERIFY_MIN_INTERVAL"] = 0  # every request checks again
    auditor = login("kiemtra")
    first = _replay(auditor.get("/audit/verify").get_data(as_text=True))
    assert first["consistent"] == "true"
    assert last_check(demo_runtime.engine).result["replay"]["replayed"] == int(first["cases"])
    with demo_runtime.engine.begin() as conn:
        case_id = conn.execute(text("SELECT min(id) FROM cases WHERE state = 'official'")).scalar()
        conn.execute(text("UPDATE cases SET state = 'admitted' WHERE id = :i"), {"i": case_id})
    page = auditor.get("/audit/verify?lang=vi").get_data(as_text=True)
    assert _replay(page)["consistent"] == "false"
    assert re.search(rf'<tr data-case="{case_id}" data-column="state">', page)
    replayed = last_check(demo_runtime.engine).result["replay"]["replayed"]
    assert 0 < replayed <= 8
