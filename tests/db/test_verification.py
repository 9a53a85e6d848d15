"""The biography verification on a real database (SQLite and PostgreSQL): the repository, the
rule on ``submit_dossier`` through the case load, the panel and the waiting cases, the worklist
and the reminder digest.

The factories' cells sit directly under the deciding body (chi bộ cơ sở): the committee ``com``
and the cell's secretary ``sec`` both run the verification.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from db.models import Event
from db.read.history import verify
from db.read.verification import verification_of, waiting_cases
from db.read.worklist import work_rows
from db.reminders import SqlReminderSource
from tests.factories import NOW, TODAY
from workflow.clock import Clock
from workflow.errors import Conflict, InvalidTransition, RuleViolation
from workflow.policy import Purpose, scope
from workflow.services.reminders import gather_digests
from workflow.services.verification import (
    conclude_verification,
    record_verification_answer,
    request_verification,
)
from workflow.worklist import work_items

REQUEST = {"addressee": "Đảng ủy xã Hiệp Thạnh", "subject": "father", "sent_on": "2026-10-01"}
ANSWER = {"answered_on": "2026-11-02", "finding": "Gia đình chấp hành tốt.", "favourable": "1"}
CONCLUSION = {"conclusion": "Lý lịch rõ ràng.", "favourable": "1", "concluded_on": "2026-11-20"}
VOTE = {"vote_date": "2026-11-25", "votes_for": 6}


def _request(district, case_id: int, who: str = "com", **fields):
    raw = {**REQUEST, **fields}
    return request_verification(
        district.runtime.uow(), district.actor(who), case_id, raw, clock=NOW
    )


def _answer(district, case_id: int, request_id: int, who: str = "com", **fields):
    raw = {**ANSWER, **fields}
    uow = district.runtime.uow()
    return record_verification_answer(uow, district.actor(who), case_id, request_id, raw, clock=NOW)


def _conclude(district, case_id: int, who: str = "com", **fields):
    raw = {**CONCLUSION, **fields}
    uow = district.runtime.uow()
    return conclude_verification(uow, district.actor(who), case_id, raw, clock=NOW)


def _refusing(district, case_id: int) -> set[str]:
    """The rules refusing ``submit_dossier`` now (none: the dossier went up)."""
    try:
        district.fire(case_id, "submit_dossier", **VOTE)
    except RuleViolation as refused:
        return {f.rule for f in refused.failures}
    return set()


def _ready(district) -> int:
    case = district.to_trained()
    district.ready_dossier(case.id, verified=False)
    return case.id


def test_from_request_to_conclusion_then_the_dossier(district):
    case_id = _ready(district)
    first = _request(district, case_id)
    second = _request(district, case_id, "sec", subject="candidate", addressee="Công an xã")
    assert "verification_favourable" in _refusing(district, case_id)
    _answer(district, case_id, first.id)
    _answer(district, case_id, second.id, "sec", favourable="")
    done = _conclude(district, case_id)
    assert done.concluded_on == date(2026, 11, 20) and done.favourable
    with district.runtime.sessions() as session:
        seen = verification_of(session, case_id)
        actions = session.scalars(
            select(Event.action).where(Event.case_id == case_id).order_by(Event.id)
        ).all()
    assert [r.addressee for r in seen.requests] == ["Đảng ủy xã Hiệp Thạnh", "Công an xã"]
    assert [r.favourable for r in seen.requests] == [True, False]
    assert seen.conclusion.concluded_by == "com" and seen.conclusion.text == "Lý lịch rõ ràng."
    assert actions[-5:] == [
        "request_verification",
        "request_verification",
        "record_verification_answer",
        "record_verification_answer",
        "conclude_verification",
    ]
    # (Other helpers' rules may still refuse the factories' case meanwhile: not this one.)
    assert "verification_favourable" not in _refusing(district, case_id)
    assert verify(district.runtime.engine).intact


def test_an_unfavourable_conclusion_stops_the_dossier(district):
    case_id = _ready(district)
    request = _request(district, case_id)
    _answer(district, case_id, request.id, favourable="")
    _conclude(district, case_id, favourable="")
    assert "verification_favourable" in _refusing(district, case_id)


def test_concluding_twice(district):
    case_id = _ready(district)
    request = _request(district, case_id)
    _answer(district, case_id, request.id)
    _conclude(district, case_id)
    with pytest.raises(InvalidTransition):
        _conclude(district, case_id)
    # Two conclusions racing past the check: the second store is a conflict, not a second row.
    with district.runtime.uow() as uow:
        values = {"concluded_on": TODAY, "favourable": True, "conclusion": "x"}
        with pytest.raises(Conflict):
            uow.verifications.conclude(case_id, values, district.actor("com"), TODAY)


def test_the_committee_waits_on_unanswered_requests(district):
    case_id = _ready(district)
    _request(district, case_id)
    rt = district.runtime
    rules = rt.settings.rules
    com = district.actor("com")
    with rt.sessions() as session:
        items = work_items(
            work_rows(session, com, "committee", TODAY, rules), "committee", rules, TODAY
        )
        waiting = waiting_cases(session, scope(com, Purpose.cases))
        elsewhere = waiting_cases(session, scope(district.actor("sec_other"), Purpose.cases))
        sec_items = work_items(
            work_rows(session, district.actor("sec"), "secretary", TODAY, rules),
            "secretary",
            rules,
            TODAY,
        )
        digests = gather_digests(SqlReminderSource(session), rules, TODAY)
    mine = [i for i in items if i.case.id == case_id]
    assert [i.step.code for i in mine] == ["await_verification_answers"]
    # Sent Thu 1/10/2026: 15 working days end Thu 22/10/2026; overdue on 27/11.
    assert mine[0].deadline.due == date(2026, 10, 22) and mine[0].days_left < 0
    assert [(w.case_id, w.waiting_since, w.unanswered) for w in waiting] == [
        (case_id, date(2026, 10, 1), 1)
    ]
    assert elsewhere == []
    assert [i.step.code for i in sec_items if i.case.id == case_id] == ["await_verification"]
    by_user = {d.recipient.username: d for d in digests}
    due = [e.item for e in by_user["com"].items if e.item.case_id == case_id]
    assert [d.deadline.name for d in due] == ["verification_answer"] and due[0].overdue


def test_answered_requests_leave_the_conclusion_to_do(district):
    case_id = _ready(district)
    request = _request(district, case_id)
    _answer(district, case_id, request.id)
    rt = district.runtime
    rules = rt.settings.rules
    com = district.actor("com")
    with rt.sessions() as session:
        rows = work_rows(session, com, "committee", TODAY, rules)
        items = work_items(rows, "committee", rules, TODAY)
        digests = gather_digests(SqlReminderSource(session), rules, TODAY)
    assert [i.step.code for i in items if i.case.id == case_id] == ["conclude_verification"]
    assert all(e.item.case_id != case_id for d in digests for e in d.items)
    _conclude(district, case_id)
    with rt.sessions() as session:
        rows = work_rows(session, com, "committee", TODAY, rules)
        assert case_id not in {r.id for r in rows}
        assert waiting_cases(session, scope(com, Purpose.cases)) == []


def test_the_history_keeps_each_step(district):
    case_id = _ready(district)
    later = Clock(datetime(2026, 11, 28, 3, 0, tzinfo=UTC))
    raw = {**REQUEST, "subject_name": "Nguyễn Văn Ba"}
    request_verification(district.runtime.uow(), district.actor("com"), case_id, raw, clock=later)
    with district.runtime.sessions() as session:
        event = session.scalars(
            select(Event).where(Event.case_id == case_id).order_by(Event.id.desc())
        ).first()
    assert event.action == "request_verification" and event.role == "committee"
    assert event.to_state is None
