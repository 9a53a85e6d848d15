"""My work (``/``): each role's list, next steps, deadlines in working days, one query per list."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest
from sqlalchemy import event, update
from werkzeug.security import generate_password_hash

from db.models import User
from tests.factories import District
from tests.web.conftest import Browser

# Web tests build their district with the factories, on SQLite only.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

TODAY = date(2026, 11, 27)


def make_app(district: District, tmp_path, monkeypatch, today: date = TODAY):
    """The app over the factories' district; every user's password is ``demo``."""
    from web import create_app

    fast = generate_password_hash("demo", method="pbkdf2:sha256:1000")
    with district.runtime.sessions() as session:
        session.execute(update(User).values(password_hash=fast))
        session.commit()
    monkeypatch.setenv("HOSO_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setattr("web.work.steps.today", lambda: today)
    return create_app(
        {"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": True},
        runtime=district.runtime,
    )


def signed_in(app, username: str) -> Browser:
    """A fresh client logged in as `username`, speaking English."""
    browser = Browser(app.test_client())
    assert browser.login(username).status_code == 302, f"login as {username} failed"
    browser.get("/?lang=en")
    return browser


def work_rows(html: str, role: str) -> dict[int, str]:
    """The rows of one section of the page, by case id, as their HTML (entities decoded)."""
    section = re.search(rf'<section[^>]*id="work-{role}".*?</section>', html, re.S)
    assert section, f"no {role} section"
    return {
        int(case): unescape(row)
        for case, row in re.findall(
            r'<tr data-case="(\d+)"[^>]*>(.*?)</tr>', section.group(0), re.S
        )
    }


def deadline_of(row: str) -> tuple[str, str]:
    """The class and the text of a row's deadline cell."""
    cell = re.search(r'<td class="deadline ([^"]*)"[^>]*>(.*?)</td>', row, re.S)
    assert cell, row
    return cell.group(1).strip(), " ".join(re.sub(r"<[^>]+>", " ", cell.group(2)).split())


@pytest.fixture
def app(district, tmp_path, monkeypatch):
    return make_app(district, tmp_path, monkeypatch)


def test_mentor_sees_own_mentees_with_their_next_step(app, district):
    mentored = district.to_mentored(full_name="Lê Thị Mai")
    trained = district.to_trained(full_name="Trần Văn Bình")
    returned = district.to_state("returned", full_name="Phạm Thu Hà")
    submitted = district.to_submitted(full_name="Đỗ Minh Tuấn")
    other = district.identify(full_name="Vũ Hoàng Nam")
    district.fire(other.id, "assign_mentor", mentor=district.members[2].id)  # mentor2's
    unassigned = district.identify(full_name="Hồ Văn Khoa")

    html = signed_in(app, "mentor").get("/").get_data(as_text=True)
    rows = work_rows(html, "mentor")

    assert set(rows) == {mentored.id, trained.id, returned.id, submitted.id}
    assert other.id not in rows and unassigned.id not in rows
    assert "Record the awareness-class certificate" in rows[mentored.id]
    assert "Prepare the dossier: introductions and forms" in rows[trained.id]
    assert "Correct the dossier" in rows[returned.id]
    assert "Awaiting the committee's decision" in rows[submitted.id]
    assert f'href="/candidates/{mentored.id}"' in rows[mentored.id]
    assert 'id="work-secretary"' not in html and 'id="work-committee"' not in html
    # The other mentor sees theirs only.
    html = signed_in(app, "mentor2").get("/").get_data(as_text=True)
    assert set(work_rows(html, "mentor")) == {other.id}


def test_secretary_lists_the_cells_work(app, district):
    identified = district.identify(full_name="Lê Thị Mai")
    mentored = district.to_mentored(full_name="Trần Văn Bình")
    trained = district.to_trained(full_name="Phạm Thu Hà")
    returned = district.to_state("returned", full_name="Đỗ Minh Tuấn")
    submitted = district.to_submitted(full_name="Vũ Hoàng Nam")
    admitted = district.to_admitted(full_name="Hồ Văn Khoa")  # decision 15/10/2026, no ceremony
    probation_over = district.to_state("admitted", full_name="Ngô Thị Lan")  # ceremony 01/06/2024

    html = signed_in(app, "sec").get("/").get_data(as_text=True)
    rows = work_rows(html, "secretary")

    assert set(rows) == {identified.id, trained.id, returned.id, admitted.id, probation_over.id}
    assert mentored.id not in rows and submitted.id not in rows  # they wait on others
    assert "Assign a mentor" in rows[identified.id]
    assert "Submit the dossier when ready" in rows[trained.id]
    assert "Correct the dossier and submit it again" in rows[returned.id]
    assert "Hold the admission ceremony and record it" in rows[admitted.id]
    assert "Hold the recognition vote" in rows[probation_over.id]
    # Ceremony: 30 working days after the decision of 15/10/2026 (24/11 is a holiday): 27/11.
    status, text = deadline_of(rows[admitted.id])
    assert "27/11/2026" in text and "due today" in text and status == "due_soon"
    # Probation ended 01/06/2025: the recognition vote was due 30 working days later.
    assert deadline_of(rows[probation_over.id])[0] == "overdue"
    # Most urgent first: the overdue recognition vote, then the ceremony due today.
    order = [int(i) for i in re.findall(r'<tr data-case="(\d+)"', html)]
    assert order[:2] == [probation_over.id, admitted.id]


@pytest.fixture
def elsewhere_case(district):
    """A case in the other cell, opened by that cell's secretary."""
    from workflow import services

    return services.identify_candidate(
        district.runtime.uow(),
        district.actor("sec_other"),
        {
            "full_name": "Bùi Văn Tú",
            "birth_date": "1991-02-03",
            "cell": district.other_cell.id,
            "source": "cell_review",
        },
    )


def test_secretary_does_not_see_another_cells_cases(app, district, elsewhere_case):
    html = signed_in(app, "sec").get("/").get_data(as_text=True)
    assert elsewhere_case.id not in work_rows(html, "secretary")
    html = signed_in(app, "sec_other").get("/").get_data(as_text=True)
    assert set(work_rows(html, "secretary")) == {elsewhere_case.id}


def submit_on(district: District, vote_date: str, name: str):
    case = district.to_trained(full_name=name)
    district.ready_dossier(case.id)
    return district.fire(
        case.id, "submit_dossier", vote_date=vote_date, votes_for=len(district.members)
    )


def test_committee_lists_dossiers_with_the_decision_deadline_in_working_days(app, district):
    case = submit_on(district, "2026-10-09", "Lê Thị Mai")

    html = signed_in(app, "com").get("/").get_data(as_text=True)
    rows = work_rows(html, "committee")

    assert set(rows) == {case.id}
    assert "Decide on admission" in rows[case.id]
    # By hand, 60 working days after Friday 09/10/2026: 5 a week from 12/10 gives 30 on 20/11;
    # 23, 25, 26, 27/11 (24/11, Vietnamese Culture Day, is off) make 34; four full weeks to
    # 25/12 make 54; 28–31/12 make 58; 01/01/2027 is New Year's Day and 02–03/01 a weekend;
    # 04/01 is the 59th and 05/01/2027 the 60th.
    status, text = deadline_of(rows[case.id])
    assert "05/01/2027" in text
    assert "Admission decision" in text
    # From Friday 27/11/2026: 4 weeks to 25/12 (20), 28–31/12 (24), 04/01 and 05/01 (26).
    assert "26 working days left" in text and status == "open"


def test_a_long_list_shows_its_most_urgent_rows_and_counts_them_all(app, district, monkeypatch):
    """Thousands of dossiers are counted, not rendered: the earliest deadlines come first."""
    later = submit_on(district, "2026-10-09", "Lê Thị Mai")
    sooner = submit_on(district, "2026-09-01", "Trần Văn Bình")
    monkeypatch.setattr("web.work.SHOWN", 1)

    html = unescape(signed_in(app, "com").get("/").get_data(as_text=True))

    assert set(work_rows(html, "committee")) == {sooner.id}
    assert later.id != sooner.id
    assert '<span class="count">2</span>' in html
    assert "The 1 most urgent of 2 are shown." in html


@pytest.mark.parametrize(
    ("today", "status", "left"),
    [
        (date(2027, 3, 1), "overdue", "working days overdue"),
        (date(2026, 12, 21), "due_soon", "4 working days left"),
        (date(2026, 12, 25), "due_soon", "due today"),
        (date(2026, 12, 26), "overdue", "1 working day overdue"),
    ],
)
def test_deadline_status_shows_as_a_class(district, tmp_path, monkeypatch, today, status, left):
    case = district.to_submitted(full_name="Lê Thị Mai")  # chi bộ vote 01/10/2026: due 25/12
    app = make_app(district, tmp_path, monkeypatch, today=today)

    html = signed_in(app, "com").get("/").get_data(as_text=True)
    row = work_rows(html, "committee")[case.id]

    got_status, text = deadline_of(row)
    assert got_status == status and "25/12/2026" in text and left in text
    if status == "overdue":
        assert 'class="row-overdue"' in html


def test_committee_sees_recognition_due_but_not_running_probations(app, district):
    over = district.to_state("admitted", full_name="Ngô Thị Lan")  # ceremony 01/06/2024
    running = district.to_admitted(full_name="Hồ Văn Khoa")
    district.record(running.id, "ceremony", ceremony_date="2026-11-02")

    html = signed_in(app, "com").get("/").get_data(as_text=True)
    rows = work_rows(html, "committee")

    assert over.id in rows and running.id not in rows
    assert "Recognition due" in rows[over.id]


@pytest.mark.parametrize(
    ("username", "role_text", "link"),
    [
        ("aud", "Read every case in your scope", 'href="/audit/"'),
        ("adm", "Manage users and their roles", 'href="/admin/"'),
        ("trainer", "issue the certificates of those who finished", 'href="/classes/"'),
        ("intro", "Propose outstanding members", 'href="/proposals/"'),
    ],
)
def test_roles_without_a_work_list_get_a_short_page(app, district, username, role_text, link):
    district.to_mentored(full_name="Lê Thị Mai")

    response = signed_in(app, username).get("/")
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert role_text in html
    assert "data-case" not in html and "<table" not in html
    if link:
        assert link in html


def count_queries(app, browser: Browser, path: str) -> int:
    engine = app.extensions["hoso"].engine
    seen: list[str] = []

    def _count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", _count)
    try:
        assert browser.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", _count)
    return len(seen)


def test_one_query_per_list_however_many_cases(app, district):
    district.to_trained(full_name="Lê Thị Mai")
    district.to_submitted(full_name="Trần Văn Bình")
    browsers = {name: signed_in(app, name) for name in ("mentor", "sec", "com")}
    before = {name: count_queries(app, b, "/") for name, b in browsers.items()}

    for i, state in enumerate(["trained", "dossier_submitted", "returned", "admitted"]):
        district.to_state(state, full_name=f"Ứng viên {i}")

    after = {name: count_queries(app, b, "/") for name, b in browsers.items()}
    assert after == before


def test_the_roles_and_the_state_column_are_named_as_elsewhere(app, district):
    from web.labels import ROLE_NAMES
    from workflow.states import Role

    district.identify(full_name="Lê Thị Mai")
    html = unescape(signed_in(app, "sec").get("/").get_data(as_text=True))
    grants = re.findall(r"<li><strong>([^<]+)</strong> · ([^<]+)</li>", html)
    assert grants == [(str(ROLE_NAMES[Role.secretary]), district.cell.name)]
    section = re.search(r'<section[^>]*id="work-secretary".*?</section>', html, re.S).group(0)
    headers = re.findall(r'<th scope="col">([^<]+)</th>', section)
    assert "State" in headers and "Stage" not in headers
