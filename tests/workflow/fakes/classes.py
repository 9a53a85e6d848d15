"""The class repository in memory, with the fake district's political centre.

The centre (id 9) is attached to the district committee: it serves everything under ``/1/``.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from tests.workflow.fakes.cases import DISTRICT, FakeCases
from workflow.classes import CERTIFIED, ClassFacts, ClassPlan, Mark
from workflow.errors import Failure
from workflow.facts import Actor, Grant
from workflow.ports.classes import Centre, Enrolled, Meeting

CENTRE_ID, OTHER_CENTRE_ID = 9, 8
CENTRES = {
    CENTRE_ID: Centre(CENTRE_ID, "Trung tâm Chính trị", DISTRICT),
    OTHER_CENTRE_ID: Centre(OTHER_CENTRE_ID, "Trung tâm khác", "/7/"),
}
#: The centre's trainer (a grant in the centre covers the committee it is attached to).
TRAINER = Actor(60, "trainer", (Grant("trainer", CENTRE_ID, DISTRICT),))


@dataclass
class FakeClass:
    """A stored class: its facts (without the count of enrolled), place and note."""

    facts: ClassFacts
    place: str
    note: str | None
    created_by: int
    issued_by: int | None = None


@dataclass
class FakeEnrolment:
    """A stored enrolment and what issuing made of it."""

    id: int
    class_id: int
    case_id: int
    registered_on: date
    enrolled_by: int
    role: str
    case_version: int
    outcome: str | None = None
    reasons: list[Failure] = field(default_factory=list)
    certificate_number: str | None = None
    certificate_date: date | None = None


class FakeClasses:
    """The ClassRepository port in memory; ``snapshot``/``restore`` serve the rollback."""

    def __init__(self, cases: FakeCases, centres: Mapping[int, Centre] = CENTRES) -> None:
        self.cases = cases  # the names of the enrolled, as storage joins them
        self.centres = dict(centres)
        self.classes: dict[int, FakeClass] = {}
        self.meetings: dict[int, Meeting] = {}
        self.enrolments: dict[int, FakeEnrolment] = {}
        self.marks: dict[tuple[int, int], Mark] = {}  # (session id, enrolment id) → mark
        self.sequences: dict[tuple[int, int], int] = {}  # (centre id, year) → last number

    _STATE = ("classes", "meetings", "enrolments", "marks", "sequences")

    def snapshot(self) -> Any:
        return copy.deepcopy({name: getattr(self, name) for name in self._STATE})

    def restore(self, saved: Any) -> None:
        for name, value in saved.items():
            setattr(self, name, value)

    def centre(self, centre_id: int) -> Centre | None:
        return self.centres.get(centre_id)

    def add(self, centre_id: int, plan: ClassPlan, created_by: int) -> int:
        class_id = max(self.classes, default=0) + 1
        facts = ClassFacts(
            class_id,
            centre_id,
            self.centres[centre_id].catchment_path,
            plan.name,
            str(plan.kind),
            plan.capacity,
            plan.starts_on,
            plan.ends_on,
        )
        self.classes[class_id] = FakeClass(facts, plan.place, plan.note, created_by)
        for s in plan.sessions:
            session_id = max(self.meetings, default=0) + 1
            self.meetings[session_id] = Meeting(session_id, class_id, s.held_on)
        return class_id

    def get(self, class_id: int, *, for_update: bool = False) -> ClassFacts | None:
        stored = self.classes.get(class_id)
        if stored is None:
            return None
        count = sum(1 for e in self.enrolments.values() if e.class_id == class_id)
        return replace(stored.facts, enrolled=count)

    def sessions(self, class_id: int) -> list[tuple[int, date]]:
        return sorted(
            ((m.id, m.held_on) for m in self.meetings.values() if m.class_id == class_id),
            key=lambda s: (s[1], s[0]),
        )

    def meeting(self, session_id: int) -> Meeting | None:
        return self.meetings.get(session_id)

    def open_class_of(self, case_id: int) -> tuple[int, str] | None:
        for e in self.enrolments.values():
            facts = self.classes[e.class_id].facts
            if e.case_id == case_id and facts.issued_on is None:
                return facts.id, facts.name
        return None

    def enrolled(self, class_id: int) -> list[Enrolled]:
        rows = []
        for e in self.enrolments.values():
            if e.class_id != class_id:
                continue
            case = self.cases.items[e.case_id]
            marks = {s: m for (s, en), m in self.marks.items() if en == e.id}
            rows.append(
                Enrolled(
                    e.id,
                    e.case_id,
                    case.full_name,
                    f"Chi bộ {case.cell_id}",
                    e.outcome,
                    e.certificate_number,
                    marks,
                )
            )
        return sorted(rows, key=lambda r: (r.name, r.id))

    def enrolment(self, class_id: int, case_id: int) -> int | None:
        return next(
            (
                e.id
                for e in self.enrolments.values()
                if e.class_id == class_id and e.case_id == case_id
            ),
            None,
        )

    def enrol(
        self,
        class_id: int,
        case_id: int,
        *,
        registered_on: date,
        enrolled_by: int,
        role: str,
        case_version: int,
    ) -> int:
        enrolment_id = max(self.enrolments, default=0) + 1
        self.enrolments[enrolment_id] = FakeEnrolment(
            enrolment_id, class_id, case_id, registered_on, enrolled_by, role, case_version
        )
        return enrolment_id

    def unenrol(self, enrolment_id: int) -> None:
        del self.enrolments[enrolment_id]
        self.marks = {k: m for k, m in self.marks.items() if k[1] != enrolment_id}

    def record_marks(self, session_id: int, marks: Mapping[int, Mark]) -> None:
        for enrolment_id, mark in marks.items():
            self.marks[(session_id, enrolment_id)] = mark

    def last_certificate(self, centre_id: int, year: int) -> int:
        return self.sequences.get((centre_id, year), 0)

    def claim_certificate(self, centre_id: int, year: int, seq: int) -> bool:
        if self.sequences.get((centre_id, year), 0) != seq - 1:
            return False
        self.sequences[(centre_id, year)] = seq
        return True

    def certify(self, enrolment_id: int, number: str, day: date) -> bool:
        enrolment = self.enrolments[enrolment_id]
        if enrolment.certificate_number is not None:
            return False
        enrolment.outcome, enrolment.certificate_number = CERTIFIED, number
        enrolment.certificate_date = day
        return True

    def record_outcome(
        self, enrolment_id: int, outcome: str, reasons: Sequence[Failure] = ()
    ) -> None:
        enrolment = self.enrolments[enrolment_id]
        if enrolment.certificate_number is None:
            enrolment.outcome, enrolment.reasons = outcome, list(reasons)

    def close(self, class_id: int, day: date, user_id: int) -> None:
        stored = self.classes[class_id]
        if stored.facts.issued_on is None:
            stored.facts = replace(stored.facts, issued_on=day)
            stored.issued_by = user_id
