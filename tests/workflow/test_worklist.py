"""Who acts next: the step of each state for each role, its deadline, the lists' order, the
missed and near deadlines. Plain rows, hand counts; no database."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pytest

from workflow.deadlines import LABELS, DeadlineStatus, WorkingCalendar
from workflow.facts import Actor, Grant
from workflow.policy import Purpose
from workflow.settings import RuleSettings
from workflow.states import CLOSED_STATES, Role, State
from workflow.worklist import (
    ACTING_ROLES,
    ROLE_STATES,
    STEP_CODES,
    WORKING_ROLES,
    DueItem,
    Step,
    ceremony_cutoff,
    due_items,
    next_step,
    role_scope,
    work_items,
)

CAL = WorkingCalendar()
SETTINGS = RuleSettings()
#: Wednesday before Tết Bính Ngọ (closed Monday 16/2 to Friday 20/2/2026).
TODAY = date(2026, 2, 11)


@dataclass(frozen=True)
class Row:
    """A case's dates, as ``db.read.worklist.CaseRow`` carries them."""

    id: int
    name: str
    cell: str
    state: str
    cell_vote_date: date | None = None
    decision_date: date | None = None
    decision_extension_days: int | None = None
    ceremony_on: date | None = None
    recognition_vote_date: date | None = None
    last_change: str | None = None
    verification_pending: bool = False
    verification_sent_on: date | None = None
    recognition_referred_on: date | None = None


CELL = "Chi bộ trường THPT Thử"
OTHER = "Chi bộ Công ty Thử"


# --- whose turn it is ---------------------------------------------------------------------------

ON = date(2026, 11, 27)
#: The situations of a case, on 27/11/2026 (probation is 12 months; the cell sees the recognition
#: vote coming 30 days before its end).
SITUATIONS: dict[str, Row] = {
    "identified": Row(1, "A", CELL, State.identified),
    "mentored": Row(1, "A", CELL, State.mentored),
    "trained": Row(1, "A", CELL, State.trained),
    "returned": Row(1, "A", CELL, State.returned),
    "submitted": Row(1, "A", CELL, State.dossier_submitted, cell_vote_date=date(2026, 10, 9)),
    "no ceremony": Row(1, "A", CELL, State.admitted, decision_date=date(2026, 10, 15)),
    "probation running": Row(1, "A", CELL, State.admitted, ceremony_on=date(2026, 3, 1)),
    "probation ends soon": Row(1, "A", CELL, State.admitted, ceremony_on=date(2025, 12, 20)),
    "probation over": Row(1, "A", CELL, State.admitted, ceremony_on=date(2025, 11, 27)),
    "recognition voted": Row(
        1, "A", CELL, State.admitted, ceremony_on=date(2025, 6, 1),
        recognition_vote_date=date(2026, 11, 20),
    ),
    "three recognition votes failed": Row(
        1, "A", CELL, State.admitted, ceremony_on=date(2025, 6, 1),
        recognition_vote_date=date(2026, 11, 20), recognition_referred_on=date(2026, 11, 20),
    ),
    "verification waiting": Row(
        1, "A", CELL, State.trained, verification_pending=True,
        verification_sent_on=date(2026, 11, 2),
    ),
    "verification answered": Row(1, "A", CELL, State.returned, verification_pending=True),
}  # fmt: skip

#: Situation → (mentor, secretary, committee): the step code and its deadline, or None.
STEPS: dict[str, tuple[Step | None, Step | None, Step | None]] = {
    "identified": (Step("await_assignment"), Step("assign_mentor"), None),
    "mentored": (Step("record_certificate"), None, None),
    "trained": (Step("prepare_dossier"), Step("submit_dossier"), None),
    "returned": (Step("correct_dossier"), Step("resubmit_dossier"), None),
    "submitted": (
        Step("await_decision", "decision"), None, Step("decide_admission", "decision"),
    ),
    "no ceremony": (
        Step("await_ceremony", "ceremony"), Step("hold_ceremony", "ceremony"), None,
    ),
    "probation running": (Step("help_probationer", "probation_end"), None, None),
    "verification waiting": (
        Step("prepare_dossier"), Step("await_verification"),
        Step("await_verification_answers", "verification_answer"),
    ),
    "verification answered": (
        Step("correct_dossier"), Step("await_verification"), Step("conclude_verification"),
    ),
    "probation ends soon": (
        Step("help_probationer", "probation_end"),
        Step("hold_recognition_vote", "recognition_vote"),
        None,
    ),
    "probation over": (
        Step("write_assessment", "recognition_vote"),
        Step("hold_recognition_vote", "recognition_vote"),
        Step("recognition_due", "recognition_vote"),
    ),
    "recognition voted": (
        Step("await_recognition_decision", "recognition_decision"),
        None,
        Step("decide_recognition", "recognition_decision"),
    ),
    "three recognition votes failed": (
        Step("await_recognition_decision", "recognition_decision"),
        None,
        Step("decide_referred_recognition", "recognition_decision"),
    ),
}  # fmt: skip


@pytest.mark.parametrize("situation", list(SITUATIONS))
@pytest.mark.parametrize("index", range(3), ids=[str(r) for r in WORKING_ROLES])
def test_the_step_by_role_and_state(situation: str, index: int) -> None:
    role = WORKING_ROLES[index]
    step = next_step(role, SITUATIONS[situation], ON, SETTINGS)
    assert step == STEPS[situation][index]
    if step is not None:
        assert step.code in STEP_CODES[role]
        # The list's query reads it: by its state, or (the committee) by its verification.
        row = SITUATIONS[situation]
        assert row.state in ROLE_STATES[role] or (
            role == Role.committee and row.verification_pending
        )


@pytest.mark.parametrize("state", sorted(CLOSED_STATES))
@pytest.mark.parametrize("role", [*WORKING_ROLES, Role.auditor, Role.admin])
def test_closed_cases_wait_on_nobody(state: State, role: Role) -> None:
    row = Row(1, "A", CELL, state, cell_vote_date=date(2025, 1, 2), ceremony_on=date(2024, 1, 1))
    assert next_step(role, row, ON, SETTINGS) is None
    assert state not in ROLE_STATES.get(role, frozenset())


def test_every_step_code_is_reachable() -> None:
    seen = {
        (role, step.code)
        for steps in STEPS.values()
        for role, step in zip(WORKING_ROLES, steps, strict=True)
        if step
    }
    assert seen == {(role, code) for role, codes in STEP_CODES.items() for code in codes}


def test_the_ceremony_cutoffs_of_the_pre_filters() -> None:
    # The committee: probation over by today; the cell: by 30 days from now; both with slack.
    assert ceremony_cutoff(Role.committee, ON, SETTINGS) == date(2025, 11, 30)
    assert ceremony_cutoff(Role.secretary, ON, SETTINGS) == date(2025, 12, 30)
    assert ceremony_cutoff(Role.mentor, ON, SETTINGS) is None


def test_the_scope_of_each_list() -> None:
    both = Actor(
        1, "sec",
        (Grant(Role.secretary, 4, "/1/4/"), Grant(Role.mentor, 4, "/1/4/"),
         Grant(Role.committee, 1, "/1/"), Grant(Role.auditor, 9, "/1/9/")),
        member_id=7,
    )  # fmt: skip
    secretary = role_scope(both, Role.secretary)
    assert (secretary.purpose, secretary.paths, secretary.member_id) == (
        Purpose.identify, ("/1/4/",), None,
    )  # fmt: skip
    assert role_scope(both, Role.committee).paths == ("/1/",)
    # The mentor's list holds their own candidates only, not every case they read.
    mentor = role_scope(both, Role.mentor)
    assert (mentor.paths, mentor.mentor_paths, mentor.member_id) == ((), ("/1/4/",), 7)
    assert mentor.has_case("/1/4/", 7) and not mentor.has_case("/1/4/", 8)
    assert not role_scope(Actor(2, "x", both.grants), Role.mentor)  # no member: nobody's mentor
    assert not role_scope(both, Role.auditor)


# --- the work lists -----------------------------------------------------------------------------


def test_a_list_most_urgent_first_with_deadlines_in_working_days() -> None:
    rows = [
        Row(1, "Lê Thị Mai", CELL, State.trained, last_change="2026-11-01T03:00:00Z"),
        Row(2, "Trần Văn Bình", CELL, State.identified, last_change="2026-10-01T03:00:00Z"),
        Row(3, "Phạm Thu Hà", CELL, State.admitted, decision_date=date(2026, 10, 15)),
        Row(4, "Đỗ Minh Tuấn", CELL, State.admitted, ceremony_on=date(2024, 6, 1)),
        Row(5, "Vũ Hoàng Nam", CELL, State.mentored),  # waits on the mentor
    ]
    items = work_items(rows, Role.secretary, SETTINGS, ON)
    # The overdue recognition vote, the ceremony due today, then the longest waiting.
    assert [i.case.id for i in items] == [4, 3, 2, 1]
    ceremony = items[1]
    # Ceremony: 30 working days after the decision of 15/10/2026 (24/11 is a holiday): 27/11.
    assert (ceremony.deadline.name, ceremony.deadline.due) == ("ceremony", date(2026, 11, 27))
    assert (ceremony.days_left, ceremony.status) == (0, DeadlineStatus.due_soon)
    assert items[0].status == DeadlineStatus.overdue and items[0].days_left < 0
    assert items[2].deadline is None and items[2].status is None
    assert items[2].step == Step("assign_mentor")


def test_the_decision_deadline_on_the_committees_list() -> None:
    row = Row(1, "A", CELL, State.dossier_submitted, cell_vote_date=date(2026, 10, 9),
              last_change="2026-11-26T18:30:00Z")  # fmt: skip
    (item,) = work_items([row], Role.committee, SETTINGS, ON)
    # 60 working days after Fri 09/10/2026 (24/11 and 01/01 off): Tue 05/01/2027, 26 left.
    assert (item.deadline.due, item.days_left, item.status) == (
        date(2027, 1, 5), 26, DeadlineStatus.open,
    )  # fmt: skip
    assert item.waiting_since == date(2026, 11, 27)  # 01:30 in Việt Nam
    assert work_items([row], Role.secretary, SETTINGS, ON) == []


# --- which deadlines are missed or near ---------------------------------------------------------

ROWS = [
    # The decision: 60 working days from Wed 1/10/2025 end Wed 24/12/2025.
    Row(1, "Lê Thị Mai", CELL, "dossier_submitted", cell_vote_date=date(2025, 10, 1)),
    # The ceremony: 30 working days from Mon 5/1/2026 end Mon 23/2/2026 (across Tết).
    Row(2, "Trần Văn Bình", CELL, "admitted", decision_date=date(2026, 1, 5)),
    # Probation from Thu 12/2/2025 ends Thu 12/2/2026; the vote is due Thu 2/4/2026.
    Row(
        3, "Phạm Thu Hà", CELL, "admitted",
        decision_date=date(2025, 2, 3), ceremony_on=date(2025, 2, 12),
    ),
    # Probation ended Tue 2/12/2025: the vote was due Wed 14/1/2026.
    Row(
        4, "Đỗ Minh Tuấn", OTHER, "admitted",
        decision_date=date(2024, 11, 1), ceremony_on=date(2024, 12, 2),
    ),
    # The recognition vote of Mon 5/1/2026: the decision is due Mon 23/2/2026.
    Row(
        5, "Vũ Hoàng Nam", OTHER, "admitted", decision_date=date(2024, 12, 2),
        ceremony_on=date(2024, 12, 20), recognition_vote_date=date(2026, 1, 5),
    ),
    # The recognition vote of Tue 20/1/2026: the decision is due Tue 10/3/2026 (14 days left).
    Row(
        6, "Hồ Văn Khoa", CELL, "admitted", decision_date=date(2024, 12, 2),
        ceremony_on=date(2024, 12, 20), recognition_vote_date=date(2026, 1, 20),
    ),
    # Voted on 2/2/2026: the decision is months away.
    Row(7, "Ngô Thị Lan", CELL, "dossier_submitted", cell_vote_date=date(2026, 2, 2)),
    # No deadline before the chi bộ has voted.
    Row(8, "Bùi Văn Sơn", CELL, "trained"),
]  # fmt: skip


def summary(found: list[DueItem]) -> list[tuple]:
    return [(i.case_id, i.deadline.name, i.deadline.due, i.days_left, str(i.status)) for i in found]


def test_overdue_and_due_soon_on_a_day_before_tet() -> None:
    # Days left from Wed 11/2/2026: Thu 12 (1), Fri 13 (2), Tết 16–20 closed, Mon 23/2 (3).
    # Late: Wed 24/12/2025 to Wed 11/2/2026 is 25, 26, 29–31/12, 2/1, 5/1–30/1, 2–6/2, 9–11/2:
    # 2 + 3 + 1 + 20 + 5 + 3 = 34 working days. Wed 14/1 to Wed 11/2: 20.
    assert summary(due_items(ROWS, CAL, SETTINGS, TODAY)) == [
        (1, "decision", date(2025, 12, 24), -34, "overdue"),
        (4, "recognition_vote", date(2026, 1, 14), -20, "overdue"),
        (3, "probation_end", date(2026, 2, 12), 1, "due_soon"),
        (2, "ceremony", date(2026, 2, 23), 3, "due_soon"),
        (5, "recognition_decision", date(2026, 2, 23), 3, "due_soon"),
    ]


def test_the_look_ahead_is_a_parameter() -> None:
    # 10/3/2026 is 14 working days away: 12, 13/2; 23–27/2; 2–6/3; 9, 10/3.
    wide = summary(due_items(ROWS, CAL, SETTINGS, TODAY, within=14))
    assert (6, "recognition_decision", date(2026, 3, 10), 14, "due_soon") in wide
    assert (6, "recognition_decision", date(2026, 3, 10), 14, "due_soon") not in summary(
        due_items(ROWS, CAL, SETTINGS, TODAY, within=13)
    )
    # 0: only what is missed or due today.
    assert [i.status for i in due_items(ROWS, CAL, SETTINGS, TODAY, within=0)] == [
        DeadlineStatus.overdue,
        DeadlineStatus.overdue,
    ]
    with pytest.raises(ValueError, match="negative"):
        due_items(ROWS, CAL, SETTINGS, TODAY, within=-1)


@pytest.mark.parametrize(
    ("today", "left"),
    [
        (date(2026, 2, 13), 1),  # Friday before Tết: only Monday 23/2 is left
        (date(2026, 2, 14), 1),  # the weekend before Tết
        (date(2026, 2, 18), 1),  # mùng 2 Tết
        (date(2026, 2, 22), 1),  # the Sunday after Tết
        (date(2026, 2, 23), 0),  # the day itself
        (date(2026, 2, 24), -1),
        (date(2026, 2, 28), -4),  # Saturday: 24, 25, 26, 27/2; the Saturday is no working day
    ],
)
def test_a_case_across_tet_and_a_weekend(today: date, left: int) -> None:
    (item,) = due_items([ROWS[1]], CAL, SETTINGS, today, within=60)
    assert (item.deadline.name, item.deadline.due, item.days_left) == (
        "ceremony",
        date(2026, 2, 23),
        left,
    )
    assert item.overdue is (left < 0)


def test_a_decision_across_tet_2025_and_its_extension() -> None:
    # The cell voted Thu 2/1/2025: 60 working days end Thu 3/4/2025 (Tết 27–31/1 closed);
    # with the 30-day extension, Tue 20/5/2025 (Giỗ Tổ, 30/4–2/5 closed; Sat 26/4 worked).
    row = Row(9, "Lý Thị Hoa", CELL, "dossier_submitted", cell_vote_date=date(2025, 1, 2))
    (item,) = due_items([row], CAL, SETTINGS, date(2025, 3, 31), within=5)
    assert (item.deadline.due, item.days_left) == (date(2025, 4, 3), 3)
    extended = replace(row, decision_extension_days=30)
    assert due_items([extended], CAL, SETTINGS, date(2025, 3, 31), within=5) == []
    (item,) = due_items([extended], CAL, SETTINGS, date(2025, 5, 19), within=5)
    assert (item.deadline.due, item.days_left) == (date(2025, 5, 20), 1)


def test_a_passed_end_of_probation_gives_way_to_the_vote() -> None:
    names = [i.deadline.name for i in due_items([ROWS[2]], CAL, SETTINGS, date(2026, 2, 13))]
    assert names == []  # ended yesterday; the vote (2/4/2026) is far
    names = [i.deadline.name for i in due_items([ROWS[2]], CAL, SETTINGS, date(2026, 3, 31))]
    assert names == ["recognition_vote"]


def test_every_deadline_has_someone_to_act() -> None:
    assert set(ACTING_ROLES) == set(LABELS)
    assert ACTING_ROLES["decision"] == (Role.committee,)
    assert ACTING_ROLES["ceremony"] == (Role.secretary,)
    assert ACTING_ROLES["recognition_vote"][0] == Role.secretary
    assert ACTING_ROLES["recognition_decision"] == (Role.committee,)
