"""The committee's review queue: who may use it, and a meeting deciding several dossiers at once."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from html import unescape

import pytest
from sqlalchemy import func, select, update
from werkzeug.security import generate_password_hash

from db.actors import actor_by_username
from db.models import Case, Event, Person, RoleGrant, User, Vote
from db.read.worklist import dossiers_to_decide
from db.repositories.organisations import add_organisation
from tests.factories import District
from tests.grassroots_support import under_grassroots_committee
from tests.web.test_work import make_app, signed_in, submit_on
from workflow import policy

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

MEETING = {"vote_date": "20/11/2026", "votes_for": "12", "votes_against": "1"}


@pytest.fixture
def app(district, tmp_path, monkeypatch):
    return make_app(district, tmp_path, monkeypatch)


def snapshot(district: District, case_id: int) -> tuple:
    """What a refused decision must leave untouched: state, version, events, votes."""
    with district.runtime.sessions() as session:
        case = session.get(Case, case_id)
        events = session.scalar(select(func.count()).where(Event.case_id == case_id))
        votes = session.scalar(select(func.count()).where(Vote.case_id == case_id))
        return case.state, case.version, case.decision_number, events, votes


def state_of(district: District, case_id: int) -> str:
    return snapshot(district, case_id)[0]


def outcomes(html: str) -> dict[int, tuple[str, list[tuple[str, str]]]]:
    """The result page: per case, ``done`` or ``refused`` and the (rule, text) reasons."""
    found = {}
    for verdict, case, body in re.findall(
        r'<li class="(done|refused)" data-case="(\d+)">(.*?)</li>\s*(?=<li class|</ul>\s*<p>)',
        html,
        re.S,
    ):
        reasons = re.findall(r'<li data-rule="([^"]+)">(.*?)</li>', body + "</li>", re.S)
        found[int(case)] = (verdict, [(r, unescape(t)) for r, t in reasons])
    return found


def admit_form(*cases, **extra) -> dict[str, str]:
    data = dict(MEETING, decision_date="21/11/2026")
    for case in cases:
        data[f"action-{case.id}"] = "admit"
        data[f"version-{case.id}"] = str(case.version)
    data.update(extra)
    return data


def test_queue_lists_dossiers_oldest_first_with_vote_and_deadline(app, district):
    newer = submit_on(district, "2026-10-09", "Lê Thị Mai")
    older = submit_on(district, "2026-10-01", "Trần Văn Bình")
    district.to_trained(full_name="Phạm Thu Hà")  # not submitted: not in the queue

    html = unescape(signed_in(app, "com").get("/reviews/").get_data(as_text=True))

    order = [int(i) for i in re.findall(r'<tr data-case="(\d+)"', html)]
    assert order == [older.id, newer.id]
    row = re.search(rf'<tr data-case="{newer.id}".*?</tr>', html, re.S).group(0)
    assert "09/10/2026" in row  # the chi bộ vote
    assert "05/01/2027" in row  # 60 working days later (see test_work)
    assert f'name="version-{newer.id}" value="{newer.version}"' in row
    assert 'action="/reviews/decide"' in html


def test_a_meeting_decides_each_dossier_by_its_own_rules(app, district):
    under_grassroots_committee(district)  # the meeting's vote is the đảng ủy cơ sở's
    first = district.to_submitted(full_name="Lê Thị Mai")
    second = district.to_submitted(full_name="Trần Văn Bình")
    third = district.to_submitted(full_name="Phạm Thu Hà")
    untouched = snapshot(district, second.id)
    form = admit_form(
        first,
        second,
        third,
        **{f"decision_number-{first.id}": "101-QĐ/HU", f"decision_number-{third.id}": "103"},
    )  # the second has no decision number

    browser = signed_in(app, "com")
    response = browser.post("/reviews/decide", form)

    assert response.status_code == 422  # one refused: said so, though two were decided
    result = outcomes(response.get_data(as_text=True))
    assert result[first.id] == ("done", [])
    assert result[third.id] == ("done", [])
    verdict, reasons = result[second.id]
    assert verdict == "refused"
    assert [rule for rule, _ in reasons] == ["decision_recorded"]
    assert "The decision number is missing." in reasons[0][1]
    assert state_of(district, first.id) == state_of(district, third.id) == "admitted"
    assert snapshot(district, second.id) == untouched
    with district.runtime.sessions() as session:
        admits = session.execute(
            select(Event.case_id, Event.username, Event.data).where(Event.action == "admit")
        ).all()
        numbers = dict(session.execute(select(Case.id, Case.decision_number)).all())
    assert sorted(e.case_id for e in admits) == sorted([first.id, third.id])
    assert {e.username for e in admits} == {"com"}
    assert numbers[first.id] == "101-QĐ/HU" and numbers[third.id] == "103"
    assert all('"vote_date":"2026-11-20"' in e.data for e in admits)


def test_a_case_may_override_the_meetings_vote(app, district):
    under_grassroots_committee(district)
    case = district.to_submitted(full_name="Lê Thị Mai")
    form = admit_form(
        case,
        **{f"decision_number-{case.id}": "7", f"votes_for-{case.id}": "9"},  # 9/15 < 2/3
    )

    response = signed_in(app, "com").post("/reviews/decide", form)

    assert response.status_code == 422
    verdict, reasons = outcomes(response.get_data(as_text=True))[case.id]
    assert verdict == "refused"
    assert [rule for rule, _ in reasons] == ["grassroots_vote_two_thirds"]
    assert "9 of 15" in reasons[0][1]


@pytest.mark.parametrize("action", ["return", "reject"])
def test_return_and_reject_need_a_reason(app, district, action):
    case = district.to_submitted(full_name="Lê Thị Mai")
    before = snapshot(district, case.id)
    form = {f"action-{case.id}": action, f"version-{case.id}": str(case.version)}

    response = signed_in(app, "com").post("/reviews/decide", {**form, f"reason-{case.id}": "  "})

    assert response.status_code == 422
    verdict, reasons = outcomes(response.get_data(as_text=True))[case.id]
    assert verdict == "refused" and [r for r, _ in reasons] == ["reason_given"]
    assert snapshot(district, case.id) == before


def test_return_with_a_reason(app, district):
    case = district.to_submitted(full_name="Lê Thị Mai")
    form = {
        f"action-{case.id}": "return",
        f"version-{case.id}": str(case.version),
        f"reason-{case.id}": "Thiếu lý lịch",
    }

    response = signed_in(app, "com").post("/reviews/decide", form)

    assert response.status_code == 200
    assert outcomes(response.get_data(as_text=True))[case.id] == ("done", [])
    assert state_of(district, case.id) == "returned"
    with district.runtime.sessions() as session:
        reason = session.scalar(
            select(Event.reason).where(Event.case_id == case.id, Event.action == "return_dossier")
        )
    assert reason == "Thiếu lý lịch"


def test_a_stale_page_is_refused(app, district):
    case = district.to_submitted(full_name="Lê Thị Mai")
    stale = case.version
    district.record(case.id, "note", "com", text="xem lại")
    before = snapshot(district, case.id)
    form = admit_form(case, **{f"decision_number-{case.id}": "9", f"version-{case.id}": str(stale)})

    response = signed_in(app, "com").post("/reviews/decide", form)

    assert outcomes(response.get_data(as_text=True))[case.id][1][0][0] == "conflict"
    assert snapshot(district, case.id) == before


@pytest.mark.parametrize("username", ["mentor", "sec", "aud", "adm", "trainer", "intro"])
def test_only_the_committee_may_use_the_queue(app, district, username):
    case = district.to_submitted(full_name="Lê Thị Mai")
    before = snapshot(district, case.id)
    browser = signed_in(app, username)

    assert browser.get("/reviews/").status_code == 403
    response = browser.post(
        "/reviews/decide", admit_form(case, **{f"decision_number-{case.id}": "1"})
    )

    assert response.status_code == 403
    assert snapshot(district, case.id) == before


def test_the_queue_needs_a_login(app):
    response = app.test_client().get("/reviews/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_post_without_the_csrf_token_is_refused(app, district):
    case = district.to_submitted(full_name="Lê Thị Mai")
    before = snapshot(district, case.id)
    browser = signed_in(app, "com")

    form = admit_form(case, **{f"decision_number-{case.id}": "1"})
    response = browser.client.post("/reviews/decide", data=form)

    assert response.status_code == 400
    assert snapshot(district, case.id) == before


def test_nothing_chosen_shows_the_queue_again(app, district):
    case = district.to_submitted(full_name="Lê Thị Mai")
    form = {f"action-{case.id}": "", f"version-{case.id}": str(case.version), "votes_for": "12"}

    response = signed_in(app, "com").post("/reviews/decide", form)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Choose a decision for at least one dossier." in page
    assert 'name="votes_for" class="count-input" inputmode="numeric" value="12"' in page


def add_user(district: District, username: str, grants: list[tuple[str, int]], member_id=None):
    """A user with these (role, organisation id) grants and the password ``demo``."""
    with district.runtime.sessions() as session:
        user = User(
            username=username,
            full_name=username,
            member_id=member_id,
            password_hash=generate_password_hash("demo", method="pbkdf2:sha256:1000"),
        )
        user.grants = [RoleGrant(role=r, organisation_id=o) for r, o in grants]
        session.add(user)
        session.commit()
    with district.runtime.sessions() as session:
        district.actors[username] = actor_by_username(session, username)
    return district.actors[username]


def test_four_eyes_holds_in_a_batch(app, district):
    """A committee member who submitted a dossier (as the cell's secretary) cannot admit it."""
    add_user(
        district,
        "both",
        [("secretary", district.cell.id), ("committee", district.committee.id)],
        member_id=district.members[3].id,
    )
    own = district.to_trained(full_name="Lê Thị Mai")
    district.ready_dossier(own.id)
    own = district.fire(
        own.id, "submit_dossier", "both", vote_date="2026-10-01", votes_for=len(district.members)
    )
    other = district.to_submitted(full_name="Trần Văn Bình")  # submitted by "sec"
    before = snapshot(district, own.id)
    browser = signed_in(app, "both")
    queue = unescape(browser.get("/reviews/").get_data(as_text=True))
    own_row = re.search(rf'<tr data-case="{own.id}".*?</tr>', queue, re.S).group(0)
    assert "You submitted this dossier" in own_row

    form = admit_form(
        own, other, **{f"decision_number-{own.id}": "1", f"decision_number-{other.id}": "2"}
    )
    result = outcomes(browser.post("/reviews/decide", form).get_data(as_text=True))

    assert result[other.id] == ("done", [])
    verdict, reasons = result[own.id]
    assert verdict == "refused" and [r for r, _ in reasons] == ["four_eyes"]
    assert snapshot(district, own.id) == before


def test_explanations_follow_the_language(app, district):
    case = district.to_submitted(full_name="Lê Thị Mai")
    browser = signed_in(app, "com")
    browser.get("/?lang=vi")
    form = {f"action-{case.id}": "reject", f"version-{case.id}": str(case.version)}

    html = browser.post("/reviews/decide", form).get_data(as_text=True)

    assert outcomes(html)[case.id][1] == [("reason_given", "Phải ghi rõ lý do.")]


def test_the_queue_mirrors_the_policy_on_the_deciding_body(app, district):
    """Only a grant covering the deciding body puts a dossier in the queue, as for firing."""
    rt = district.runtime
    with rt.sessions() as session:
        root = session.merge(district.committee)
        grassroots = add_organisation(
            session, "Đảng ủy cơ sở Thử", "committee", root, decides_admissions=True
        )
        branch = add_organisation(session, "Đảng ủy bộ phận Thử", "committee", grassroots)
        cell = add_organisation(session, "Chi bộ Thôn Thử", "cell", branch)
        person = Person(full_name="Đinh Văn Cường", search_name="dinh van cuong")
        session.add(person)
        session.flush()
        deep = Case(
            person_id=person.id,
            cell_id=cell.id,
            state="dossier_submitted",
            source="cell_review",
            opened_on=date(2026, 1, 5),
            cell_vote_date=date(2026, 10, 2),
        )
        session.add(deep)
        session.commit()
        ids = {"grassroots": grassroots.id, "branch": branch.id, "cell": cell.id}
        deep_id = deep.id
    shallow = district.to_submitted(full_name="Lê Thị Mai")  # the root decides for it
    actors = {
        "com": district.actor("com"),
        "at_grassroots": add_user(district, "at_grassroots", [("committee", ids["grassroots"])]),
        "at_branch": add_user(district, "at_branch", [("committee", ids["branch"])]),
        "at_cell": add_user(district, "at_cell", [("committee", district.cell.id)]),
    }
    expected = {
        "com": {shallow.id, deep_id},
        "at_grassroots": {deep_id},
        "at_branch": set(),
        "at_cell": set(),
    }

    with rt.uow(write=False) as uow:
        for name, who in actors.items():
            queued = {row.id for row in dossiers_to_decide(uow.session, who)}
            assert queued == expected[name], name
            for case_id in (shallow.id, deep_id):
                facts = uow.cases.facts(uow.cases.get(case_id))
                allowed = policy.acting_role(who, facts, "admit") is not None
                assert allowed == (case_id in queued), (name, case_id)

    # And the page: a committee member whose grant does not cover the deciding body is refused.
    browser = signed_in(app, "at_cell")
    assert "data-case" not in browser.get("/reviews/").get_data(as_text=True)
    form = admit_form(shallow, **{f"decision_number-{shallow.id}": "1"})
    verdict, reasons = outcomes(browser.post("/reviews/decide", form).get_data(as_text=True))[
        shallow.id
    ]
    assert verdict == "refused" and reasons[0][0] == "not_allowed"
    assert state_of(district, shallow.id) == "dossier_submitted"


def test_the_queue_names_the_submitter_by_full_name(app, district):
    with district.runtime.sessions() as session:
        session.execute(update(User).where(User.username == "sec").values(full_name="Bùi Thị Hoa"))
        session.commit()
    case = district.to_submitted(full_name="Lê Thị Mai")
    browser = signed_in(app, "com")
    browser.get("/?lang=vi")
    html = unescape(browser.get("/reviews/").get_data(as_text=True))
    row = re.search(rf'<tr data-case="{case.id}".*?</tr>', html, re.S).group(0)
    assert "Người trình: Bùi Thị Hoa" in row
    assert "Người trình: sec" not in row


def test_the_queue_states_the_configured_decision_deadline(app, district):
    district.to_submitted(full_name="Lê Thị Mai")
    settings = district.runtime.settings
    rules = dataclasses.replace(
        settings.rules, deadlines={**settings.rules.deadlines, "decision": 45}
    )
    district.runtime.settings = dataclasses.replace(settings, rules=rules)
    try:
        html = unescape(signed_in(app, "com").get("/reviews/").get_data(as_text=True))
    finally:
        district.runtime.settings = settings
    intro = re.search(r"<h1>.*?</h1>\s*<p[^>]*>(.*?)</p>", html, re.S).group(1)
    assert "45 working days after the party cell's vote" in intro
    assert "60" not in intro and "chi bộ" not in intro


def test_after_a_refused_meeting_the_language_switch_reloads_the_queue(app, district):
    case = district.to_submitted(full_name="Lê Thị Mai")
    browser = signed_in(app, "com")
    form = {f"action-{case.id}": "", f"version-{case.id}": str(case.version)}
    response = browser.post(
        "/reviews/decide", form, headers={"Referer": "http://localhost/reviews/"}
    )
    assert response.status_code == 400
    link = unescape(
        re.search(r'<a href="([^"]*)" class="lang">', response.get_data(as_text=True)).group(1)
    )
    assert link == "/reviews/?lang=vi"  # signed_in speaks English
    assert browser.get(link).status_code == 200


def test_the_return_choice_says_what_it_is_for(app, district):
    district.to_submitted(full_name="Lê Thị Mai")
    html = signed_in(app, "com").get("/reviews/").get_data(as_text=True)
    assert '<option value="return">Return for correction</option>' in html
