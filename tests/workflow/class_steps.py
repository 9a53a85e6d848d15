"""Steps of an awareness class on the fakes: the fake district's cases, a class scheduled by
its centre, everyone enrolled and marked."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.workflow.fakes import ACTORS, FakeUnitOfWork, ready_case
from tests.workflow.fakes.classes import CENTRE_ID, TRAINER
from workflow.clock import Clock
from workflow.services import classes
from workflow.settings import Settings


def at(day: str, hour: int = 3) -> Clock:
    """`hour` UTC on `day` (03:00 UTC is 10:00 in Vietnam)."""
    return Clock(datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC))


SCHEDULED, HELD, ISSUED = at("2026-11-27"), at("2026-12-04", 14), at("2026-12-07")
ROWS = [(day, "18:30", "21:00") for day in ("2026-11-30", "2026-12-02", "2026-12-04")]
RAW = {"name": "Lớp khóa IV", "place": "Hội trường", "kind": "evening", "capacity": "5"}
SEC, MENTOR = ACTORS["sec"], ACTORS["mentor"]


def district(*names: str, settings: Settings | None = None) -> FakeUnitOfWork:
    """A unit of work holding a mentored case of our cell per name (ids 1, 2...)."""
    cases = [ready_case("mentored", i, full_name=n) for i, n in enumerate(names, start=1)]
    return FakeUnitOfWork(*cases, settings=settings)


def schedule(uow: FakeUnitOfWork, **raw) -> int:
    return classes.schedule_class(uow, TRAINER, CENTRE_ID, {**RAW, **raw}, ROWS, clock=SCHEDULED)


def enrolled_class(uow: FakeUnitOfWork, absent: dict[int, str] | None = None) -> int:
    """A class with every case enrolled and every session marked: present, but `absent` (case id
    → reason) at the second session."""
    class_id = schedule(uow)
    for case_id in uow.cases.items:
        classes.enrol_candidate(uow, SEC, class_id, case_id, clock=SCHEDULED)
    absent = absent or {}
    for number, (session_id, _day) in enumerate(uow.classes.sessions(class_id)):
        form = {}
        for e in uow.classes.enrolled(class_id):
            reason = absent.get(e.case_id) if number == 1 else None
            form[f"mark-{e.id}"] = reason or "present"
        classes.record_attendance(uow, TRAINER, class_id, session_id, form, clock=HELD)
    return class_id


def actions(uow: FakeUnitOfWork) -> list[str]:
    return [e.action for e in uow.history.events]


def issue(uow: FakeUnitOfWork, class_id: int, clock: Clock = ISSUED, who=TRAINER, **raw):
    """The centre issues the class's certificates."""
    return classes.issue_certificates(uow, who, class_id, raw, clock=clock)
