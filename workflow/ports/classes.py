"""What the classes' use cases need from storage: the class repository, in plain values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from workflow.classes import ClassFacts, ClassPlan, Mark
from workflow.errors import Failure


@dataclass(frozen=True)
class Centre:
    """A political centre: the catchment is the party committee's subtree it serves."""

    id: int
    name: str
    catchment_path: str


@dataclass(frozen=True)
class Meeting:
    """One session of a class."""

    id: int
    class_id: int
    held_on: date


@dataclass(frozen=True)
class Enrolled:
    """An enrolled candidate, their marks by session id, and what issuing made of them."""

    id: int
    case_id: int
    name: str
    cell: str
    outcome: str | None = None
    certificate_number: str | None = None
    marks: Mapping[int, Mark] = field(default_factory=dict)


class ClassRepository(Protocol):
    """The centres' classes, their sessions, enrolments, marks and certificate sequences."""

    def centre(self, centre_id: int) -> Centre | None:
        """The political centre with that id (``None`` for any other organisation)."""
        ...

    def add(self, centre_id: int, plan: ClassPlan, created_by: int) -> int:
        """Store a scheduled class and its sessions; its id."""
        ...

    def get(self, class_id: int, *, for_update: bool = False) -> ClassFacts | None:
        """The class as the rules judge it (locked when it will change)."""
        ...

    def sessions(self, class_id: int) -> list[tuple[int, date]]:
        """The class's sessions as ``(id, day)``, in order."""
        ...

    def meeting(self, session_id: int) -> Meeting | None: ...

    def open_class_of(self, case_id: int) -> tuple[int, str] | None:
        """The class (certificates not issued) the case is enrolled in, as ``(id, name)``."""
        ...

    def enrolled(self, class_id: int) -> list[Enrolled]:
        """The class's register with each candidate's marks, by name."""
        ...

    def enrol(
        self,
        class_id: int,
        case_id: int,
        *,
        registered_on: date,
        enrolled_by: int,
        role: str,
        case_version: int,
    ) -> int: ...

    def enrolment(self, class_id: int, case_id: int) -> int | None:
        """The id of the case's enrolment in the class, if any."""
        ...

    def unenrol(self, enrolment_id: int) -> None:
        """Take the candidate off the class (the enrolment goes; its history stays)."""
        ...

    def record_marks(self, session_id: int, marks: Mapping[int, Mark]) -> None:
        """Set the session's marks by enrolment id (replacing those recorded before)."""
        ...

    def last_certificate(self, centre_id: int, year: int) -> int:
        """The last number the centre gave in `year` (0: none yet)."""
        ...

    def claim_certificate(self, centre_id: int, year: int, seq: int) -> bool:
        """Make `seq` the centre's last number of `year` if `seq - 1` still is (compare-and-set)."""
        ...

    def certify(self, enrolment_id: int, number: str, day: date) -> bool:
        """Record the enrolment's certificate, unless it has one already."""
        ...

    def record_outcome(
        self, enrolment_id: int, outcome: str, reasons: Sequence[Failure] = ()
    ) -> None:
        """Record what issuing made of an enrolment that got no certificate, and why."""
        ...

    def close(self, class_id: int, day: date, user_id: int) -> None:
        """Mark the class's certificates issued (the first issuing's date and user stay)."""
        ...
