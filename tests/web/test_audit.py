"""The audit pages: the scope's history, filters, CSV, one case's chain, the verification."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from markupsafe import escape
from sqlalchemy import func, select, text
from werkzeug.security import generate_password_hash

from db.actors import actor_by_username
from db.models import Case, Event, Organisation, RoleGrant, User
from workflow import services
from workflow.clock import Clock


@pytest.fixture(autouse=True)
def _english(browser):
    """These tests read the English wording (the Vietnamese is checked in test_i18n)."""
    browser.get("/login?lang=en")


LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
CHU_VAN_AN = "Chi bộ trường THPT Chu Văn An"


def _events(runtime) -> list[dict]:
    """Every event with its case's cell, straight from the database, newest first."""
    with runtime.engine.connect() as conn:
        rows = conn.execute(
            select(
                Event.id,
                Event.case_id,
                Event.at,
                Event.username,
                Event.action,
                Organisation.name.label("cell"),
                Organisation.path.label("path"),
            )
            .outerjoin(Case, Case.id == Event.case_id)
            # An administrative event has no case: its organisation stands in for the cell.
            .join(
                Organisation, Organisation.id == func.coalesce(Case.cell_id, Event.organisation_id)
            )
            .order_by(Event.id.desc())
        )
        return [dict(r._mapping) for r in rows]


def _local_day(stamp: str) -> date:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(LOCAL).date()


def _total(page: str) -> int:
    match = re.search(r'data-total="(\d+)"', page)
    assert match, "no total on the page"
    return int(match.group(1))


def _shown(page: str, attribute: str = "event") -> list[str]:
    return re.findall(rf'<tr data-{attribute}="([^"]+)"', page)


def _rows(page: str) -> list[dict[str, str]]:
    """The events table's rows as their data attributes."""
    return [
        dict(re.findall(r'data-(\w+)="([^"]*)"', tag))
        for tag in re.findall(r"<tr data-event=[^>]*>", page)
    ]


def _csv(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode()), "no BOM: Excel would garble Vietnamese"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _add_auditor(runtime, username: str, org_name: str) -> None:
    """An auditor scoped to one organisation, password ``demo``."""
    with runtime.sessions() as session:
        org = session.scalar(select(Organisation).where(Organisation.name == org_name))
        user = User(
            username=username, full_name=username, password_hash=generate_password_hash("demo")
        )
        user.grants.append(RoleGrant(role="auditor", organisation_id=org.id))
        session.add(user)
        session.commit()


# --- who may read -----------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["bithu.chuvanan", "giupdo.chuvanan", "admin", "trungtam"])
@pytest.mark.parametrize(
    "path", ["/audit/", "/audit/verify", "/audit/cases/1", "/audit/export.csv"]
)
def test_only_auditors_and_the_committee_read_the_history(login, username, path):
    assert login(username).get(path).status_code == 403


@pytest.mark.parametrize("username", ["kiemtra", "bantochuc"])
def test_auditor_and_committee_read_the_history(login, username):
    assert login(username).get("/audit/").status_code == 200


def test_anonymous_is_sent_to_login(browser):
    response = browser.get("/audit/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_audit_pages_have_no_form_that_posts_a_change(login, demo_runtime):
    browser = login("kiemtra")
    case_id = _events(demo_runtime)[0]["case_id"]
    for path in ("/audit/", "/audit/verify", f"/audit/cases/{case_id}", "/audit/?case=1"):
        page = browser.get(path).get_data(as_text=True)
        forms = re.findall(r"<form\b[^>]*>", page)
        assert forms, path
        posting = [f for f in forms if re.search(r'method="post"', f, re.I)]
        assert all('action="/logout"' in f for f in posting), (path, posting)


# --- the list and its filters ---------------------------------------------------------------


def test_the_auditor_sees_the_district_newest_first(login, demo_runtime):
    events = _events(demo_runtime)
    page = login("kiemtra").get("/audit/").get_data(as_text=True)
    assert _total(page) == len(events)
    assert _shown(page) == [str(e["id"]) for e in events[:50]]


def test_second_page_continues_where_the_first_ends(login, demo_runtime):
    events = _events(demo_runtime)
    page = login("kiemtra").get("/audit/?page=2").get_data(as_text=True)
    assert _shown(page) == [str(e["id"]) for e in events[50:100]]


def test_a_long_history_is_counted_up_to_a_cap(login, demo_runtime, monkeypatch):
    """Past COUNT_CAP events the page says "more than" and still pages on, newest first."""
    events = _events(demo_runtime)
    monkeypatch.setattr("db.read.audit_log.COUNT_CAP", 60)
    assert len(events) > 150
    browser = login("kiemtra")
    first = browser.get("/audit/").get_data(as_text=True)
    assert _total(first) == 60 and "data-more" in first
    assert "more than 60 events · Page 1" in unescape(first)
    third = browser.get("/audit/?page=3").get_data(as_text=True)
    assert _total(third) == 150 and "data-more" in third
    assert _shown(third) == [str(e["id"]) for e in events[100:150]]
    assert 'rel="next"' in third


def test_filter_by_case(login, demo_runtime):
    events = _events(demo_runtime)
    case_id = next(e["case_id"] for e in events if e["case_id"] is not None)
    expected = [str(e["id"]) for e in events if e["case_id"] == case_id]
    page = login("kiemtra").get(f"/audit/?case={case_id}").get_data(as_text=True)
    assert _total(page) == len(expected) < len(events)
    assert _shown(page) == expected[:50]
    assert {r["case"] for r in _rows(page)} == {str(case_id)}


def test_filter_by_user(login, demo_runtime):
    events = _events(demo_runtime)
    expected = [str(e["id"]) for e in events if e["username"] == "bithu.dongthuy"]
    page = login("kiemtra").get("/audit/?user=bithu.dongthuy").get_data(as_text=True)
    assert 0 < _total(page) == len(expected) < len(events)
    assert {r["user"] for r in _rows(page)} == {"bithu.dongthuy"}


def test_filter_by_action(login, demo_runtime):
    events = _events(demo_runtime)
    expected = [str(e["id"]) for e in events if e["action"] == "admit"]
    page = login("kiemtra").get("/audit/?action=admit").get_data(as_text=True)
    assert 0 < _total(page) == len(expected)
    assert _shown(page) == expected[:50]


def test_filters_combine(login, demo_runtime):
    events = _events(demo_runtime)
    expected = [
        e for e in events if e["username"] == "bantochuc" and e["action"] == "return_dossier"
    ]
    page = login("kiemtra").get("/audit/?user=bantochuc&action=return_dossier")
    assert _total(page.get_data(as_text=True)) == len(expected) > 0


@pytest.mark.parametrize(
    ("since", "until"), [("01/06/2024", "31/12/2024"), ("2024-06-01", "2024-12-31")]
)
def test_filter_by_local_dates(login, demo_runtime, since, until):
    events = _events(demo_runtime)
    expected = [
        str(e["id"])
        for e in events
        if date(2024, 6, 1) <= _local_day(e["at"]) <= date(2024, 12, 31)
    ]
    page = login("kiemtra").get(f"/audit/?since={since}&until={until}").get_data(as_text=True)
    assert 0 < _total(page) == len(expected) < len(events)
    assert _shown(page) == expected[:50]


def test_a_day_is_a_local_day(login, demo_runtime):
    """An event at 18:00 UTC on the 26th happened on the 27th in Vietnam."""
    with demo_runtime.sessions() as session:
        secretary = actor_by_username(session, "bithu.chuvanan")
        case_id = session.scalar(
            select(Case.id)
            .join(Organisation, Organisation.id == Case.cell_id)
            .where(Organisation.name == CHU_VAN_AN, Case.state == "trained")
            .limit(1)
        )
    event_at = Clock(datetime(2026, 11, 26, 18, 0, tzinfo=UTC))
    services.record_fact(
        demo_runtime.uow(),
        secretary,
        case_id,
        "note",
        {"text": "late-night note"},
        clock=event_at,
    )
    newest = str(_events(demo_runtime)[0]["id"])
    browser = login("kiemtra")
    on_27 = browser.get("/audit/?since=27/11/2026&until=27/11/2026").get_data(as_text=True)
    on_26 = browser.get("/audit/?since=26/11/2026&until=26/11/2026").get_data(as_text=True)
    assert newest in _shown(on_27)
    assert newest not in _shown(on_26)
    assert "27/11/2026 01:00" in on_27  # shown in local time


@pytest.mark.parametrize(
    "query",
    ["since=31/02/2024", "until=yesterday", "case=abc", "since=02/01/2025&until=01/01/2025"],
)
def test_bad_filters_are_named_not_ignored(login, query):
    response = login("kiemtra").get(f"/audit/?{query}")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'role="alert"' in page and "data-total" not in page


# --- the CSV export ---------------------------------------------------------------------------


def test_csv_has_a_header_and_one_row_per_filtered_event(login, demo_runtime):
    events = _events(demo_runtime)
    expected = [str(e["id"]) for e in events if e["action"] == "identify"]
    response = login("kiemtra").get("/audit/export.csv?action=identify")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _csv(response)
    header, body = rows[0], rows[1:]
    assert header[:4] == ["id", "at_utc", "local_time", "case_id"]
    assert "digest" in header and "reason" in header
    assert [row[0] for row in body] == expected
    assert {row[header.index("action")] for row in body} == {"identify"}


def test_csv_keeps_vietnamese_text(login, demo_runtime):
    rows = _csv(login("kiemtra").get("/audit/export.csv?case=1"))
    cells = {row[rows[0].index("cell")] for row in rows[1:]}
    assert all("Chi bộ" in cell for cell in cells)


def test_csv_is_streamed(login):
    response = login("kiemtra").get("/audit/export.csv")
    assert response.is_streamed


def test_csv_and_pages_stay_in_the_readers_scope(app, login, demo_runtime):
    _add_auditor(demo_runtime, "kiemtra.cva", CHU_VAN_AN)
    events = _events(demo_runtime)
    cell_path = next(e["path"] for e in events if e["cell"] == CHU_VAN_AN)
    # The cell's cases, and the administrative events of what hangs below it (its Đoàn...).
    own = [str(e["id"]) for e in events if e["path"].startswith(cell_path)]
    other = next(e for e in events if e["case_id"] and not e["path"].startswith(cell_path))
    browser = login("kiemtra.cva")
    rows = _csv(browser.get("/audit/export.csv"))
    assert [row[0] for row in rows[1:]] == own
    case_column, cell_column = rows[0].index("case_id"), rows[0].index("cell")
    assert {row[cell_column] for row in rows[1:] if row[case_column]} == {CHU_VAN_AN}
    assert _total(browser.get("/audit/").get_data(as_text=True)) == len(own)
    # Another cell's case: not found, and filtering on it finds nothing.
    assert browser.get(f"/audit/cases/{other['case_id']}").status_code == 404
    assert _total(browser.get(f"/audit/?case={other['case_id']}").get_data(as_text=True)) == 0
    assert len(_csv(browser.get(f"/audit/export.csv?case={other['case_id']}"))) == 1


# --- one case ---------------------------------------------------------------------------------


def test_one_cases_timeline_shows_every_event_with_its_digests(login, demo_runtime):
    case_id = next(e["case_id"] for e in _events(demo_runtime) if e["case_id"])
    with demo_runtime.sessions() as session:
        stored = list(
            session.scalars(select(Event).where(Event.case_id == case_id).order_by(Event.id))
        )
    page = login("kiemtra").get(f"/audit/cases/{case_id}").get_data(as_text=True)
    shown = re.findall(r'<li class="card event[^"]*" id="event-(\d+)"', page)
    assert shown == [str(e.id) for e in stored]  # oldest first, all of them
    for event in stored:
        assert event.digest in page and event.prev_digest in page
    assert 'data-digest-ok="false"' not in page
    assert stored[0].action == "identify"
    assert all(str(escape(e.data)) in page for e in stored)  # the data exactly as hashed


def test_unknown_case_is_not_found(login):
    assert login("kiemtra").get("/audit/cases/999999").status_code == 404


# --- the chain --------------------------------------------------------------------------------


def _verdict(page: str) -> dict[str, str]:
    tag = re.search(r'<div class="chain-result[^>]*>', page)
    assert tag, "no verification result on the page"
    return dict(re.findall(r'data-([\w-]+)="([^"]*)"', tag.group(0)))


def test_verification_shows_an_intact_chain_with_its_head(login, demo_runtime):
    with demo_runtime.engine.connect() as conn:
        digest, count = conn.execute(text("SELECT digest, count FROM chain_head")).one()
    browser = login("kiemtra")
    page = browser.get("/audit/verify").get_data(as_text=True)
    assert _verdict(page)["intact"] == "true"
    assert f'data-head="{digest}"' in page
    assert _verdict(page)["count"] == str(count)
    assert "anchor" in page
    # The index shows the result just computed, without walking again.
    assert _verdict(browser.get("/audit/").get_data(as_text=True))["intact"] == "true"


def test_index_does_not_walk_the_chain_by_itself(login):
    page = login("kiemtra").get("/audit/").get_data(as_text=True)
    assert 'data-intact="unknown"' in page
    # A link, not a GET form: the address has no stray "?".
    assert 'href="/audit/verify"' in page and 'action="/audit/verify"' not in page


def test_verification_names_the_edited_event(login, demo_runtime):
    victim = _events(demo_runtime)[40]
    with demo_runtime.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER events_no_update")
        conn.execute(
            text("UPDATE events SET reason = 'nothing to see' WHERE id = :id"),
            {"id": victim["id"]},
        )
    browser = login("kiemtra")
    page = browser.get("/audit/verify").get_data(as_text=True)
    verdict = _verdict(page)
    assert verdict["intact"] == "false"
    assert verdict["bad-event"] == str(victim["id"])
    assert f"#{victim['id']}" in page and "edited" in page
    assert f"/audit/cases/{victim['case_id']}#event-{victim['id']}" in page
    timeline = browser.get(f"/audit/cases/{victim['case_id']}").get_data(as_text=True)
    flagged = re.findall(r'data-event="(\d+)" data-digest-ok="false"', timeline)
    assert flagged == [str(victim["id"])]


def test_the_walks_duration_is_written_as_the_language_writes_numbers(login, monkeypatch):
    from web.audit.chain import ChainCheck, ChainChecks
    from workflow.history import ChainReport

    walked = ChainCheck(ChainReport(1234, "ab" * 32), datetime.now(UTC), 1.5)
    monkeypatch.setattr(ChainChecks, "run", lambda self: walked)
    browser = login("kiemtra")
    assert "(1.50 s)" in browser.get("/audit/verify").get_data(as_text=True)
    vietnamese = browser.get("/audit/verify?lang=vi").get_data(as_text=True)
    assert "(1,50 giây)" in vietnamese and "1.234" in vietnamese


def test_verifying_again_is_a_plain_link(login):
    page = login("kiemtra").get("/audit/verify").get_data(as_text=True)
    assert '<a class="button" href="/audit/verify"' in page
    assert "<form" not in page.split("<main>", 1)[1]  # no GET form: no stray "?" in the address
