"""Test data: a small district built in one call, and helpers to walk a case along its path."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.actors import actor_by_username
from db.models import Member, Organisation, Person, RoleGrant, User
from db.repositories.organisations import add_organisation
from db.runtime import Runtime
from workflow import services
from workflow.clock import Clock
from workflow.facts import Actor
from workflow.services import verification

TODAY = date(2026, 11, 27)
NOW = Clock(datetime(2026, 11, 27, 3, 0, tzinfo=UTC))


@dataclass
class District:
    """Handles on a small district: one deciding committee, two cells, users of every role."""

    runtime: Runtime
    committee: Organisation
    cell: Organisation
    other_cell: Organisation
    members: list[Member] = field(default_factory=list)
    other_members: list[Member] = field(default_factory=list)
    actors: dict[str, Actor] = field(default_factory=dict)

    def actor(self, username: str) -> Actor:
        return self.actors[username]

    def identify(self, *, clock: Clock = NOW, **overrides: Any):
        raw = {
            "full_name": "Nguyễn Văn An",
            "birth_date": "1990-05-15",
            "cell": self.cell.id,
            "source": "cell_review",
            "sex": "nam",
            "education": "12/12",
        }
        raw.update(overrides)
        return services.identify_candidate(self.runtime.uow(), self.actor("sec"), raw, clock=clock)

    def fire(
        self, case_id: int, trigger: str, username: str = "sec", clock: Clock = NOW, **raw: Any
    ):
        return services.fire_transition(
            self.runtime.uow(),
            self.actor(username),
            case_id,
            trigger,
            raw,
            clock=clock,
        )

    def record(
        self, case_id: int, fact: str, username: str = "sec", clock: Clock = NOW, **raw: Any
    ):
        return services.record_fact(
            self.runtime.uow(),
            self.actor(username),
            case_id,
            fact,
            raw,
            clock=clock,
        )

    # --- walking a case to a state ----------------------------------------------------------

    def to_mentored(self, **person: Any):
        case = self.identify(**person)
        return self.fire(case.id, "assign_mentor", mentor=self.members[1].id)

    def to_trained(self, **person: Any):
        case = self.to_mentored(**person)
        return self.fire(
            case.id, "complete_training", certificate_number="CN-01", certificate_date="2026-03-01"
        )

    def ready_dossier(self, case_id: int, dated: str = "2026-09-01", verified: bool = True) -> None:
        """Introductions by two official members, every dossier form on file and, unless told
        otherwise, the biography verification concluded favourably."""
        for member in self.members[1:3]:
            self.record(
                case_id,
                "introduction",
                kind="member",
                member=member.id,
                known_since="2020-01-01",
                dated=dated,
            )
        for code in ("1-KNĐ", "2-KNĐ", "5-KNĐ", "6-KNĐ"):  # 3-KNĐ: the introductions
            self.record(case_id, "document", code=code, dated=dated)
        if verified:
            self.verify(case_id, dated)

    def verify(self, case_id: int, dated: str, clock: Clock = NOW) -> None:
        """The committee's biography verification, concluded favourably on `dated`: one request
        sent and answered that day (required for cell votes from the reform, 01/07/2025)."""
        com, uow = self.actor("com"), self.runtime.uow
        sent = {"addressee": "UBND xã Hiệp Thạnh", "subject": "candidate", "sent_on": dated}
        request = verification.request_verification(uow(), com, case_id, sent, clock=clock)
        answer = {"answered_on": dated, "finding": "Lý lịch rõ ràng", "favourable": True}
        verification.record_verification_answer(
            uow(), com, case_id, request.id, answer, clock=clock
        )
        concluded = {"concluded_on": dated, "favourable": True, "conclusion": "Lý lịch rõ ràng"}
        verification.conclude_verification(uow(), com, case_id, concluded, clock=clock)

    def to_submitted(self, **person: Any):
        case = self.to_trained(**person)
        self.ready_dossier(case.id)
        return self.fire(
            case.id, "submit_dossier", vote_date="2026-10-01", votes_for=len(self.members)
        )

    def to_admitted(self, **person: Any):
        case = self.to_submitted(**person)
        return self.fire(
            case.id,
            "admit",
            "com",
            vote_date="2026-10-10",
            votes_for=10,
            decision_number="123-QĐ/HU",
            decision_date="2026-10-15",
        )

    def to_state(self, state: str, **person: Any):
        """A fresh case in `state`, reached through the use cases."""
        if state == "identified":
            return self.identify(**person)
        if state == "mentored":
            return self.to_mentored(**person)
        if state == "trained":
            return self.to_trained(**person)
        if state == "dossier_submitted":
            return self.to_submitted(**person)
        if state == "returned":
            case = self.to_submitted(**person)
            return self.fire(case.id, "return_dossier", "com", reason="thiếu lý lịch")
        if state == "rejected":
            case = self.to_submitted(**person)
            return self.fire(case.id, "reject", "com", reason="không đủ tiêu chuẩn")
        if state == "withdrawn":
            case = self.identify(**person)
            return self.fire(case.id, "withdraw", reason="chuyển trường")
        if state in ("admitted", "official", "removed"):
            return self._historic(state, **person)
        raise ValueError(state)

    def _historic(self, state: str, **person: Any):
        """Admitted long enough ago for probation to have ended, then official or removed."""
        at = lambda d: Clock(datetime.fromisoformat(d).replace(tzinfo=UTC))  # noqa: E731
        case = self.identify(clock=at("2024-01-05"), **person)
        case = self.fire(
            case.id, "assign_mentor", clock=at("2024-01-06"), mentor=self.members[1].id
        )
        case = self.fire(
            case.id,
            "complete_training",
            clock=at("2024-03-01"),
            certificate_number="CN-02",
            certificate_date="2024-03-01",
        )
        for member in self.members[1:3]:
            self.record(
                case.id,
                "introduction",
                clock=at("2024-04-01"),
                kind="member",
                member=member.id,
                known_since="2020-01-01",
                dated="2024-04-01",
            )
        for code in ("1-KNĐ", "2-KNĐ", "5-KNĐ", "6-KNĐ"):  # 3-KNĐ: the introductions
            self.record(case.id, "document", clock=at("2024-04-01"), code=code, dated="2024-04-01")
        case = self.fire(
            case.id,
            "submit_dossier",
            clock=at("2024-04-10"),
            vote_date="2024-04-10",
            votes_for=len(self.members),
        )
        case = self.fire(
            case.id,
            "admit",
            "com",
            clock=at("2024-05-20"),
            vote_date="2024-05-10",
            votes_for=10,
            decision_number="45-QĐ/HU",
            decision_date="2024-05-20",
        )
        self.record(case.id, "ceremony", clock=at("2024-06-01"), ceremony_date="2024-06-01")
        if state == "admitted":
            return self.runtime_case(case.id)
        if state == "removed":
            return self.fire(case.id, "remove", "com", reason="vi phạm tư cách")
        for code in ("10-KNĐ", "11-KNĐ", "12-KNĐ", "13-KNĐ", "15-KNĐ"):
            self.record(case.id, "document", code=code, dated="2025-06-10")
        return self.fire(
            case.id,
            "recognize",
            "com",
            vote_date="2025-06-10",
            votes_for=len(self.members),
            decision_number="77-QĐ/HU",
            decision_date="2025-06-20",
        )

    def runtime_case(self, case_id: int):
        with self.runtime.uow(write=False) as uow:
            return uow.cases.get(case_id)


def _member(
    session: Session,
    cell: Organisation,
    name: str,
    status: str = "official",
    since: date = date(2010, 1, 1),
) -> Member:
    person = Person(full_name=name, search_name=name.lower(), birth_date=date(1980, 1, 1))
    session.add(person)
    session.flush()
    member = Member(
        person_id=person.id,
        cell_id=cell.id,
        status=status,
        admitted_on=since,
        official_since=since + timedelta(days=365) if status == "official" else None,
    )
    session.add(member)
    session.flush()
    return member


def _user(
    session: Session,
    username: str,
    grants: list[tuple[str, Organisation]],
    member: Member | None = None,
) -> User:
    user = User(
        username=username,
        full_name=username,
        member_id=member.id if member else None,
        password_hash="",
    )
    for role, org in grants:
        user.grants.append(RoleGrant(role=role, organisation_id=org.id))
    session.add(user)
    session.flush()
    return user


def build_district(runtime: Runtime) -> District:
    """A deciding committee (size 15) with two school cells of six official members each.

    Users: ``sec`` (secretary of the cell, member 0), ``mentor`` (member 1), ``mentor2``
    (member 2), ``com`` and ``com2`` (committee), ``aud`` (auditor), ``adm`` (admin), ``trainer``
    (centre), ``intro`` (introducer in the cell's Đoàn), ``sec_other`` and ``mentor_other`` (the
    other cell).
    """
    with runtime.sessions() as session:
        root = add_organisation(
            session, "Huyện ủy Thử", "committee", decides_admissions=True, committee_size=15
        )
        cell = add_organisation(session, "Chi bộ trường THPT Thử", "cell", root, unit_kind="school")
        other = add_organisation(
            session, "Chi bộ Công ty Thử", "cell", root, unit_kind="enterprise", has_doan=False
        )
        centre = add_organisation(session, "Trung tâm Chính trị", "centre", root)
        doan = add_organisation(session, "Đoàn trường THPT Thử", "mass", cell, mass_kind="doan")
        members = [_member(session, cell, f"Đảng viên {i}") for i in range(6)]
        others = [_member(session, other, f"Đảng viên khác {i}") for i in range(3)]
        _member(session, cell, "Đảng viên dự bị", status="probationary", since=date(2026, 1, 1))
        _user(session, "sec", [("secretary", cell)], members[0])
        _user(session, "mentor", [("mentor", cell)], members[1])
        _user(session, "mentor2", [("mentor", cell)], members[2])
        _user(session, "com", [("committee", root)])
        _user(session, "com2", [("committee", root)])
        _user(session, "aud", [("auditor", root)])
        _user(session, "adm", [("admin", root)])
        _user(session, "trainer", [("trainer", centre)])
        _user(session, "intro", [("introducer", doan)])
        _user(session, "sec_other", [("secretary", other)], others[0])
        _user(session, "mentor_other", [("mentor", other)], others[1])
        session.commit()
        names = [
            "sec",
            "mentor",
            "mentor2",
            "com",
            "com2",
            "aud",
            "adm",
            "trainer",
            "intro",
            "sec_other",
            "mentor_other",
        ]
        actors = {n: actor_by_username(session, n) for n in names}
        district = District(runtime, root, cell, other, members, others, actors)
    return district


# --- fixture plumbing: the district built once per process, reopened on a copy of its database ---


@dataclass(frozen=True)
class _Row:
    """A mapped row, by class and primary key (what survives copying the database)."""

    model: type
    id: int


def _freeze(value: Any) -> Any:
    if isinstance(value, list):
        return [_freeze(v) for v in value]
    if hasattr(value, "__mapper__"):
        return _Row(type(value), value.id)
    return value  # plain values (Actor is a frozen dataclass) are shared as they are


@dataclass(frozen=True)
class DistrictSnapshot:
    """A District's handles as ids, to reopen it on a copy of the database it was built in."""

    values: dict[str, Any]

    @classmethod
    def of(cls, district: District) -> DistrictSnapshot:
        return cls(
            {
                f.name: _freeze(getattr(district, f.name))
                for f in fields(district)
                if f.name != "runtime"
            }
        )

    def reopen(self, runtime: Runtime) -> District:
        """The same District on `runtime`, its rows loaded afresh from that database."""
        wanted: dict[type, set[int]] = {}
        for value in self.values.values():
            for row in value if isinstance(value, list) else [value]:
                if isinstance(row, _Row):
                    wanted.setdefault(row.model, set()).add(row.id)
        with runtime.sessions() as session:
            loaded = {
                (model, obj.id): obj
                for model, ids in wanted.items()
                for obj in session.scalars(select(model).where(model.id.in_(ids)))
            }

        def thaw(value: Any) -> Any:
            if isinstance(value, list):
                return [thaw(v) for v in value]
            if isinstance(value, _Row):
                return loaded[(value.model, value.id)]
            return dict(value) if isinstance(value, dict) else value

        return District(runtime, **{name: thaw(v) for name, v in self.values.items()})
