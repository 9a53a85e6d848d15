"""Deadlines read from the database, the digests gathered per user, the reminders' settings.

The cases are hand-made rows (dates set directly) in the factories' district; "today" is
Wednesday 11/2/2026, the week before Tết Bính Ngọ (closed Monday 16/2 to Friday 20/2/2026).
Sending them (SMTP, the command): tests/web/test_remind.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest
from sqlalchemy import update

from db.models import Case, Person, User, Vote
from db.read.worklist import (
    case_rows,
    cells_in_scope,
    deadline_rows,
    readable,
    readable_deadline_rows,
)
from db.reminders import (
    SqlReminderSource,
)
from tests.factories import District
from workflow.deadlines import WorkingCalendar
from workflow.facts import Actor
from workflow.services.reminders import gather_digests
from workflow.states import OPEN_STATES
from workflow.worklist import DueItem, due_items, horizon

CAL = WorkingCalendar()
TODAY = date(2026, 2, 11)


# --- the hand-made district ---------------------------------------------------------------------


def add_case(session, district: District, name: str, *, other: bool = False, **values) -> int:
    """A case row with its dates set by hand (no use case runs: the rows are the fixture)."""
    person = Person(full_name=name, search_name=name.lower(), birth_date=date(2000, 1, 1))
    session.add(person)
    session.flush()
    cell = district.other_cell if other else district.cell
    mentor = (district.other_members if other else district.members)[1]
    vote_on = values.pop("recognition_vote_date", None)
    case = Case(
        person_id=person.id,
        cell_id=cell.id,
        source="cell_review",
        opened_on=date(2024, 1, 1),
        mentor_id=mentor.id,
        **values,
    )
    session.add(case)
    session.flush()
    if vote_on is not None:
        session.add(
            Vote(case_id=case.id, body="recognition", held_on=vote_on, votes_for=5,
                 votes_against=0, eligible=6)
        )  # fmt: skip
    return case.id


@dataclass
class Fixture:
    district: District
    ids: dict[str, int] = field(default_factory=dict)


def build(district: District) -> Fixture:
    """Cases with every kind of deadline, missed, near and far, in both cells; e-mail addresses.

    On Wed 11/2/2026, within 10 working days:
    - Lê Thị Mai (cell): decision due Wed 24/12/2025, 34 working days late: the committee;
    - Trần Văn Bình (cell): ceremony due Mon 23/2/2026, 3 left: the cell's secretary;
    - Phạm Thu Hà (cell): probation ends Thu 12/2/2026, 1 left: the secretary and her mentor;
    - Đỗ Minh Tuấn (other cell): recognition vote due Wed 14/1/2026, 20 late: its secretary
      and mentor;
    - Vũ Hoàng Nam (other cell): recognition decision due Mon 23/2/2026, 3 left: the committee;
    - Hồ Văn Khoa (cell): recognition decision due Tue 10/3/2026, 14 left: beyond 10;
    - Ngô Thị Lan (cell): decision due in May; Bùi Văn Sơn (cell): trained, no deadline;
    - Đặng Văn Lực (cell): official, whose old dates carry no deadline any more.
    """
    fixture = Fixture(district)
    with district.runtime.sessions() as session:
        add = lambda name, **v: add_case(session, district, name, **v)  # noqa: E731
        fixture.ids = {
            "mai": add("Lê Thị Mai", state="dossier_submitted", cell_vote_date=date(2025, 10, 1)),
            "binh": add("Trần Văn Bình", state="admitted", decision_date=date(2026, 1, 5)),
            "ha": add(
                "Phạm Thu Hà", state="admitted", decision_date=date(2025, 2, 3),
                ceremony_on=date(2025, 2, 12),
            ),
            "tuan": add(
                "Đỗ Minh Tuấn", other=True, state="admitted", decision_date=date(2024, 11, 1),
                ceremony_on=date(2024, 12, 2),
            ),
            "nam": add(
                "Vũ Hoàng Nam", other=True, state="admitted", decision_date=date(2024, 12, 2),
                ceremony_on=date(2024, 12, 20), recognition_vote_date=date(2026, 1, 5),
            ),
            "khoa": add(
                "Hồ Văn Khoa", state="admitted", decision_date=date(2024, 12, 2),
                ceremony_on=date(2024, 12, 20), recognition_vote_date=date(2026, 1, 20),
            ),
            "lan": add("Ngô Thị Lan", state="dossier_submitted", cell_vote_date=date(2026, 2, 2)),
            "son": add("Bùi Văn Sơn", state="trained"),
            "luc": add(
                "Đặng Văn Lực", state="official", cell_vote_date=date(2024, 1, 2),
                decision_date=date(2024, 2, 1), ceremony_on=date(2024, 2, 20),
            ),
        }  # fmt: skip
        emails = {
            "sec": "sec@example.org",
            "mentor": "mentor@example.org",
            "mentor2": "mentor2@example.org",
            "com": "com@example.org",
            "aud": "aud@example.org",
            "sec_other": "sec.other@example.org",
            "mentor_other": "mentor.other@example.org",
            # com2 has none.
        }
        for username, address in emails.items():
            session.execute(update(User).where(User.username == username).values(email=address))
        session.execute(
            update(User).where(User.username == "com").values(full_name="Trần Thị Bích")
        )
        session.commit()
    return fixture


@pytest.fixture
def fixture(district) -> Fixture:
    return build(district)


def digests_by_user(fixture: Fixture, today: date = TODAY, within: int = 10, base_url=None):
    rt = fixture.district.runtime
    with rt.sessions() as session:
        found = gather_digests(
            SqlReminderSource(session), rt.settings.rules, today, within, base_url
        )
    return {d.recipient.username: d for d in found}


def overview(session, actor: Actor, rules, today: date, within: int) -> list[DueItem]:
    """The deadlines page's items: the readable rows, counted in working days."""
    rows = readable_deadline_rows(session, actor, horizon(CAL, today, within), rules)
    return due_items(rows, CAL, rules, today, within)


def listed(digest) -> list[tuple[str, str, date, int]]:
    return [
        (e.item.name, e.item.deadline.name, e.item.deadline.due, e.item.days_left)
        for e in digest.items
    ]


def counts(digest) -> tuple[int, int]:
    """What the subject says (tests/web/test_mail.py): how many overdue, how many due soon."""
    return len(digest.overdue), len(digest.due_soon)


# --- deadlines from the rows --------------------------------------------------------------------


def test_a_case_across_tet_and_a_weekend_read_from_the_database(fixture):
    # Trần Văn Bình received the decision on Mon 5/1/2026: 30 working days end Mon 23/2/2026,
    # Tết (16–20/2) and the weekends skipped.
    rt = fixture.district.runtime
    com = fixture.district.actor("com")
    expected = {
        date(2026, 2, 13): 1,  # the Friday before Tết: only Monday 23/2 is left
        date(2026, 2, 21): 1,  # the Saturday after Tết
        date(2026, 2, 23): 0,
        date(2026, 2, 24): -1,
        date(2026, 3, 2): -5,  # 24–27/2 and Monday 2/3: the weekend does not count
    }
    with rt.sessions() as session:
        for today, left in expected.items():
            found = overview(session, com, rt.settings.rules, today, 10)
            (ceremony,) = [i for i in found if i.case_id == fixture.ids["binh"]]
            assert (ceremony.deadline.name, ceremony.deadline.due, ceremony.days_left) == (
                "ceremony",
                date(2026, 2, 23),
                left,
            )


def test_the_overview_per_scope(fixture):
    rt = fixture.district.runtime
    d = fixture.district
    with rt.sessions() as session:
        seen = {
            name: [(i.name, i.deadline.name) for i in overview(
                session, d.actor(name), rt.settings.rules, TODAY, 10
            )]
            for name in ("com", "aud", "sec", "sec_other", "mentor", "adm")
        }  # fmt: skip
        cells = {name: cells_in_scope(session, d.actor(name)) for name in ("com", "sec", "mentor")}
    everything = [
        ("Lê Thị Mai", "decision"),
        ("Đỗ Minh Tuấn", "recognition_vote"),
        ("Phạm Thu Hà", "probation_end"),
        ("Trần Văn Bình", "ceremony"),
        ("Vũ Hoàng Nam", "recognition_decision"),
    ]
    assert seen["com"] == everything
    assert seen["aud"] == everything
    assert seen["sec"] == [e for e in everything if e[0] not in ("Đỗ Minh Tuấn", "Vũ Hoàng Nam")]
    assert seen["sec_other"] == [("Đỗ Minh Tuấn", "recognition_vote"),
                                 ("Vũ Hoàng Nam", "recognition_decision")]  # fmt: skip
    assert seen["mentor"] == [] and seen["adm"] == []  # the page is for readers only
    assert [name for _, name in cells["com"]] == ["Chi bộ Công ty Thử", "Chi bộ trường THPT Thử"]
    assert [name for _, name in cells["sec"]] == ["Chi bộ trường THPT Thử"]
    assert cells["mentor"] == []


@pytest.mark.parametrize(
    "today",
    [date(2025, 12, 1), date(2026, 1, 14), TODAY, date(2026, 2, 23), date(2026, 6, 1),
     date(2027, 1, 1)],
)  # fmt: skip
@pytest.mark.parametrize("within", [0, 3, 10, 40])
def test_the_sql_prefilter_never_drops_a_deadline(fixture, today, within):
    """The pre-filtered rows give the same deadlines as every open case would."""
    rt = fixture.district.runtime
    com = fixture.district.actor("com")
    with rt.sessions() as session:
        every = case_rows(session, Case.state.in_(OPEN_STATES))
        rules = rt.settings.rules
        kept = deadline_rows(session, readable(com), horizon(CAL, today, within), rules)
    assert len(kept) <= len(every)
    assert due_items(kept, CAL, rules, today, within) == due_items(every, CAL, rules, today, within)


# --- the digests --------------------------------------------------------------------------------


def test_each_user_gets_what_they_must_act_on(fixture):
    digests = digests_by_user(fixture)
    # The auditor and the admin act on nothing; mentor2 mentors nobody here; trainers and
    # introducers get no digest.
    assert sorted(digests) == ["com", "com2", "mentor", "mentor_other", "sec", "sec_other"]
    assert listed(digests["com"]) == [
        ("Lê Thị Mai", "decision", date(2025, 12, 24), -34),
        ("Vũ Hoàng Nam", "recognition_decision", date(2026, 2, 23), 3),
    ]
    assert counts(digests["com"]) == (1, 1)  # "[hồ sơ] 1 việc quá hạn, 1 việc sắp đến hạn"
    assert listed(digests["sec"]) == [
        ("Phạm Thu Hà", "probation_end", date(2026, 2, 12), 1),
        ("Trần Văn Bình", "ceremony", date(2026, 2, 23), 3),
    ]
    assert counts(digests["sec"]) == (0, 2)
    # The mentor's candidates include Lê Thị Mai and Trần Văn Bình, but those acts are not theirs.
    assert listed(digests["mentor"]) == [("Phạm Thu Hà", "probation_end", date(2026, 2, 12), 1)]
    assert listed(digests["sec_other"]) == [
        ("Đỗ Minh Tuấn", "recognition_vote", date(2026, 1, 14), -20)
    ]
    assert listed(digests["mentor_other"]) == listed(digests["sec_other"])
    assert counts(digests["sec_other"]) == (1, 0)
    # com2 has no address: gathered, so that the command can say who is missed.
    assert digests["com2"].recipient.email == ""
    assert digests["com"].recipient.email == "com@example.org"


def test_the_look_ahead_and_the_day_change_the_digest(fixture):
    wider = digests_by_user(fixture, within=14)
    assert ("Hồ Văn Khoa", "recognition_decision", date(2026, 3, 10), 14) in listed(wider["com"])
    # On Tue 24/2 the ceremony is a day late; the end of probation has passed and the vote
    # (Thu 2/4/2026) is 26 working days away: nothing for the mentor.
    later = digests_by_user(fixture, today=date(2026, 2, 24))
    assert ("Trần Văn Bình", "ceremony", date(2026, 2, 23), -1) in listed(later["sec"])
    assert "mentor" not in later


def test_an_inactive_user_gets_nothing(fixture):
    with fixture.district.runtime.sessions() as session:
        session.execute(update(User).where(User.username == "sec").values(active=False))
        session.commit()
    assert "sec" not in digests_by_user(fixture)


# --- configuration ------------------------------------------------------------------------------
