"""/audit/verify shows the replay of every case row, and the check is shared by every process:
one app's check is what another app (another worker) shows, and a row changed is named."""

from __future__ import annotations

import re

from sqlalchemy import text

from web import create_app


def _replay(page: str) -> dict[str, str]:
    tag = re.search(r'<div class="replay-result[^>]*>', page)
    assert tag, "no replay result on the page"
    return dict(re.findall(r'data-([\w-]+)="([^"]*)"', tag.group(0)))


def test_an_intact_demo_replays_without_difference(login, demo_runtime) -> None:
    page = login("kiemtra").get("/audit/verify").get_data(as_text=True)
    replay = _replay(page)
    with demo_runtime.engine.connect() as conn:
        cases = conn.execute(text("SELECT count(*) FROM cases")).scalar()
    assert replay == {"consistent": "true", "cases": str(cases), "differences": "0"}


def test_a_row_changed_in_sql_is_named_on_the_page(login, demo_runtime) -> None:
    with demo_runtime.engine.begin() as conn:
        case_id = conn.execute(text("SELECT min(id) FROM cases WHERE state = 'official'")).scalar()
        conn.execute(text("UPDATE cases SET state = 'admitted' WHERE id = :i"), {"i": case_id})
    page = login("kiemtra").get("/audit/verify?lang=vi").get_data(as_text=True)
    assert _replay(page)["consistent"] == "false"
    row = re.search(rf'<tr data-case="{case_id}" data-column="state">(.*?)</tr>', page, re.S)
    assert row and "admitted" in row.group(1) and "official" in row.group(1)
    assert "chỗ sai khác" in page


def test_another_worker_shows_the_stored_check(login, demo_runtime, tmp_path) -> None:
    login("kiemtra").get("/audit/verify")
    other = create_app({"TESTING": True, "SECRET_KEY": "test"}, runtime=demo_runtime)
    with other.test_request_context():
        from web.audit.chain import checks

        recent = checks().recent()
    assert recent is not None and recent.report.intact and recent.replay.consistent
    with demo_runtime.engine.connect() as conn:
        assert conn.execute(text("SELECT count FROM chain_checks")).scalar() == (
            recent.report.checked
        )
