"""Steps of an awareness class on the test district, through the use cases and the read models:
schedule, enrol, mark, issue; and what the database then holds."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from sqlalchemy import select

from db.models import Case, Event, Organisation
from db.read import classes as pages
from db.uow import SqlUnitOfWork
from workflow.classes import ClassSettings, IssueResult
from workflow.clock import Clock
from workflow.services import classes

#: Sessions on three evenings; the class is scheduled on 27/11 and issued on 07/12/2026.
ROWS = [(day, "18:30", "21:00") for day in ("2026-11-30", "2026-12-02", "2026-12-04")]
RAW = {"name": "Lớp khóa IV (buổi tối)", "place": "Hội trường", "kind": "evening", "capacity": 5}


def at(day: str, hour: int = 3) -> Clock:
    """`hour` UTC on `day` (03:00 UTC is 10:00 in Vietnam)."""
    return Clock(datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC))


SCHEDULED, HELD, ISSUED = at("2026-11-27"), at("2026-12-04", 14), at("2026-12-07")


def centre_of(district) -> int:
    """The district's political centre."""
    with district.runtime.sessions() as session:
        return session.scalar(select(Organisation.id).where(Organisation.type == "centre"))


def uow(district, settings: ClassSettings | None = None) -> SqlUnitOfWork:
    """A unit of work on the district's database, with other class settings if given."""
    if settings is None:
        return district.runtime.uow()
    instance = replace(district.runtime.settings, classes=settings)
    return SqlUnitOfWork(district.runtime.sessions, instance)


def schedule(district, centre_id, **raw) -> int:
    return classes.schedule_class(
        uow(district), district.actor("trainer"), centre_id, {**RAW, **raw}, ROWS, clock=SCHEDULED
    )


def enrol(district, class_id, case_id, who="sec", clock=SCHEDULED, **raw):
    classes.enrol_candidate(uow(district), district.actor(who), class_id, case_id, raw, clock=clock)


def cancel(district, class_id, case_id, reason, who="sec", clock=SCHEDULED):
    classes.cancel_enrolment(
        uow(district), district.actor(who), class_id, case_id, reason, clock=clock
    )


def record(district, class_id, session_id, form, who="trainer", clock=HELD):
    classes.record_attendance(
        uow(district), district.actor(who), class_id, session_id, form, clock=clock
    )


def view(district, class_id, who="trainer", today=date(2026, 12, 7)) -> pages.ClassView | None:
    with district.runtime.sessions() as session:
        return pages.class_view(session, district.actor(who), class_id, today)


def mark_all(district, class_id, absent: dict[int, str] | None = None) -> None:
    """Record every session: present, but `absent` (case id → reason) at the second one."""
    absent = absent or {}
    v = view(district, class_id, today=date(2026, 12, 4))
    for number, meeting in enumerate(v.sessions):
        form = {}
        for row in v.roster:
            reason = absent.get(row.case_id) if number == 1 else None
            form[f"mark-{row.enrolment_id}"] = reason or "present"
            form[f"note-{row.enrolment_id}"] = "ca đêm" if reason else ""
        record(district, class_id, meeting.id, form)


def issue(
    district,
    class_id,
    clock=ISSUED,
    who="trainer",
    settings: ClassSettings | None = None,
    **raw,
) -> IssueResult:
    return classes.issue_certificates(
        uow(district, settings), district.actor(who), class_id, raw, clock=clock
    )


def state_of(district, case_id) -> str:
    with district.runtime.sessions() as session:
        return session.get(Case, case_id).state


def events(district, *actions: str) -> list[Event]:
    with district.runtime.sessions() as session:
        query = select(Event).order_by(Event.id)
        if actions:
            query = query.where(Event.action.in_(actions))
        return list(session.scalars(query))
