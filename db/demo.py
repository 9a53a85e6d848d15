"""The demo district (``hoso demo``): Đảng bộ huyện Đức Trọng, its cells, people and history.

The seed (Kế hoạch 159-KH/HU of Huyện ủy Đức Trọng) describes 6 high-school and 3 non-state
enterprise party organisations; 3 students and 5 workers admitted in 2020–2023; in Q1 2024 one
employee admitted at Công ty TNHH Đồng Thúy and one student's dossier completed at THPT Đức Trọng;
and cells or mass organisations that do little. The demo builds that district into an empty
database, then plays every case's history through the same use cases as the web and the CLI
(``identify_candidate``, ``fire_transition``, ``record_fact``), in chronological order and on fixed
dates, so that the rules judge every step and the history chain is real.

Everything is deterministic: no randomness, no dependence on today's date. Two loads produce the
same rows and the same event digests (password hashes aside: they are salted).

Accounts: the ten of product.md, password ``demo``. The secretaries of the other seven cells exist
as users too (their names are in the history), but inactive and without a password: they are not
demo accounts and cannot log in until an admin enables them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from db.actors import actor_by_username, actor_of
from db.demo_classes import load_classes
from db.demo_enterprises import load_enterprises
from db.demo_people import (
    HOMETOWNS,
    ROSTERS,
    CellRoster,
    id_number,
    place_of_birth,
    residence,
    roster_members,
)
from db.demo_proposals import load_proposals
from db.demo_targets import load_targets
from db.models import Case, Event, Member, Organisation, Person, RoleGrant, User
from db.organisations import add_organisation
from db.repositories.cases import SqlCases
from db.runtime import Runtime
from db.text import fold
from workflow.errors import DomainError
from workflow.facts import Actor
from workflow.services import Clock, fire_transition, identify_candidate, record_fact
from workflow.states import OrgType, Role, State, UnitKind

#: No demo date lies after this day.
LAST_DAY = date(2026, 11, 27)
PASSWORD = "demo"
ISSUER = "Trung tâm Chính trị huyện Đức Trọng"
COMMITTEE = "bantochuc"
TRAINER = "trungtam"


# --- the summary --------------------------------------------------------------------------------


@dataclass
class DemoSummary:
    """What was loaded, for the command to print."""

    organisations: int
    members: int  # party members still on the rolls (not removed)
    users: int
    cases: dict[str, int]  # by state, every state listed
    events: int
    accounts: list[tuple[str, str, str]]  # (username, role, scope name): the demo accounts

    @property
    def total_cases(self) -> int:
        return sum(self.cases.values())

    def describe(self) -> str:
        states = ", ".join(f"{state} {count}" for state, count in self.cases.items())
        return (
            f"{self.organisations} organisations, {self.members} party members, {self.users} "
            f"users, {self.total_cases} cases ({states}), {self.events} history events"
        )


# --- organisations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellSpec:
    key: str
    name: str
    unit_kind: UnitKind
    has_doan: bool
    secretary: str  # username
    #: (key, name, mass_kind) of the mass organisations attached to the cell.
    mass: tuple[tuple[str, str, str], ...]


def _school(key: str, school: str, secretary: str) -> CellSpec:
    return CellSpec(
        key,
        f"Chi bộ trường THPT {school}",
        UnitKind.school,
        True,
        secretary,
        ((f"doan.{key}", f"Đoàn trường THPT {school}", "doan"),),
    )


CELLS: tuple[CellSpec, ...] = (
    _school("cva", "Chu Văn An", "bithu.chuvanan"),
    _school("dt", "Đức Trọng", "bithu.ductrong"),
    _school("nbk", "Nguyễn Bỉnh Khiêm", "bithu.nguyenbinhkhiem"),
    _school("ltv", "Lương Thế Vinh", "bithu.luongthevinh"),
    _school("hht", "Hoàng Hoa Thám", "bithu.hoanghoatham"),
    _school("ntr", "Nguyễn Trãi", "bithu.nguyentrai"),
    CellSpec(
        "dtt",
        "Chi bộ Công ty TNHH Đồng Thúy",
        UnitKind.enterprise,
        False,
        "bithu.dongthuy",
        (("congdoan.dtt", "Công đoàn Công ty TNHH Đồng Thúy", "congdoan"),),
    ),
    CellSpec(
        "ph",
        "Chi bộ Công ty Cổ phần May mặc Phú Hội",
        UnitKind.enterprise,
        True,
        "bithu.phuhoi",
        (
            ("doan.ph", "Đoàn Thanh niên Công ty Cổ phần May mặc Phú Hội", "doan"),
            ("congdoan.ph", "Công đoàn Công ty Cổ phần May mặc Phú Hội", "congdoan"),
        ),
    ),
    CellSpec(
        "ht",
        "Chi bộ Công ty TNHH Nông sản Hiệp Thạnh",
        UnitKind.enterprise,
        False,
        "bithu.hiepthanh",
        (("congdoan.ht", "Công đoàn Công ty TNHH Nông sản Hiệp Thạnh", "congdoan"),),
    ),
)
CELL_BY_KEY = {cell.key: cell for cell in CELLS}

#: The demo accounts of product.md: (username, full name, role, scope key, member key).
ACCOUNTS: tuple[tuple[str, str, Role, str, str | None], ...] = (
    ("admin", "Phạm Minh Tuấn", Role.admin, "district", None),
    ("bantochuc", "Trần Thị Thanh Hương", Role.committee, "district", None),
    ("kiemtra", "Lê Quang Vinh", Role.auditor, "district", None),
    ("bithu.chuvanan", "", Role.secretary, "cva", "cva.0"),
    ("giupdo.chuvanan", "", Role.mentor, "cva", "cva.2"),
    ("bithu.dongthuy", "", Role.secretary, "dtt", "dtt.0"),
    ("giupdo.dongthuy", "", Role.mentor, "dtt", "dtt.2"),
    ("doan.chuvanan", "Đỗ Thị Ngọc Ánh", Role.introducer, "doan.cva", None),
    ("congdoan.dongthuy", "Vũ Đình Khoa", Role.introducer, "congdoan.dtt", None),
    ("trungtam", "Hoàng Văn Thịnh", Role.trainer, "centre", None),
)


@dataclass
class World:
    """The ids of what the set-up created, by key."""

    orgs: dict[str, Organisation] = field(default_factory=dict)
    members: dict[str, int] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)
    committee_size: int = 15


def _organisations(session: Session, world: World) -> None:
    province = add_organisation(session, "Tỉnh ủy Lâm Đồng", OrgType.committee)
    district = add_organisation(
        session,
        "Đảng bộ huyện Đức Trọng",
        OrgType.committee,
        province,
        decides_admissions=True,
        committee_size=world.committee_size,
    )
    world.orgs.update(province=province, district=district)
    world.orgs["centre"] = add_organisation(session, ISSUER, OrgType.centre, district)
    for spec in CELLS:
        cell = add_organisation(
            session,
            spec.name,
            OrgType.cell,
            district,
            unit_kind=spec.unit_kind,
            has_doan=spec.has_doan,
        )
        world.orgs[spec.key] = cell
        for key, name, kind in spec.mass:
            world.orgs[key] = add_organisation(session, name, OrgType.mass, cell, mass_kind=kind)


def _members(session: Session, world: World) -> None:
    start = 0
    rosters: dict[str, CellRoster] = {r.key: r for r in ROSTERS}
    for spec in CELLS:
        cell = world.orgs[spec.key]
        for offset, seed in enumerate(roster_members(rosters[spec.key], start)):
            serial = start + offset
            person = Person(
                full_name=seed.full_name,
                search_name=fold(seed.full_name),
                birth_date=seed.birth_date,
                sex=seed.sex,
                birth_place=place_of_birth(serial),
                hometown=HOMETOWNS[serial % len(HOMETOWNS)],
                ethnicity="Kinh",
                religion="Không",
                education="Đại học" if spec.unit_kind == UnitKind.school else "12/12",
                residence=residence(serial),
                occupation=f"{seed.occupation}, {_unit(spec)}",
                id_number=id_number(seed.birth_date, seed.sex, 5000 + serial),
            )
            session.add(person)
            session.flush()
            member = Member(
                person_id=person.id,
                cell_id=cell.id,
                status=seed.status,
                admitted_on=seed.admitted_on,
                official_since=seed.official_since,
                excused=seed.excused,
            )
            session.add(member)
            session.flush()
            world.members[seed.key] = member.id
        start += 20


def _unit(spec: CellSpec) -> str:
    return spec.name.removeprefix("Chi bộ ").replace("trường THPT", "Trường THPT")


def _users(session: Session, world: World) -> list[tuple[str, str, str]]:
    accounts: list[tuple[str, str, str]] = []
    password = generate_password_hash(PASSWORD)
    for username, full_name, role, scope, member_key in ACCOUNTS:
        member_id = world.members[member_key] if member_key else None
        if member_id is not None:
            full_name = session.get(Member, member_id).person.full_name
        user = User(
            username=username,
            full_name=full_name,
            password_hash=password,
            member_id=member_id,
            active=True,
        )
        user.grants.append(RoleGrant(role=role, organisation_id=world.orgs[scope].id))
        session.add(user)
        accounts.append((username, str(role), world.orgs[scope].name))
    demo = {username for username, *_ in ACCOUNTS}
    for spec in CELLS:
        if spec.secretary in demo:
            continue
        member_id = world.members[f"{spec.key}.0"]
        user = User(
            username=spec.secretary,
            full_name=session.get(Member, member_id).person.full_name,
            password_hash="",
            member_id=member_id,
            active=False,
        )
        user.grants.append(RoleGrant(role=Role.secretary, organisation_id=world.orgs[spec.key].id))
        session.add(user)
    session.flush()
    return accounts


def _actors(session: Session, world: World) -> None:
    for user in session.scalars(select(User).order_by(User.id)):
        actor = actor_by_username(session, user.username) if user.active else None
        world.actors[user.username] = actor or actor_of(user, session)


# --- the cases: stories of steps ----------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    day: date
    user: str
    op: str  # identify | fire | fact
    name: str  # the trigger or the fact's kind
    raw: dict[str, Any]


@dataclass(frozen=True)
class CaseMember:
    """The party member a story's candidate became: resolved once the case is admitted."""

    label: str


@dataclass(frozen=True)
class Votes:
    """A vote resolved when it is held: all eligible minus the absent and those against."""

    body: str  # cell | committee
    against: int = 0
    absent: int = 0


@dataclass(frozen=True)
class Later:
    """A value computed when the step runs (from the runner)."""

    make: Callable[[Runner], str]


def _d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def d(text: str) -> date:
    return date.fromisoformat(text)


@dataclass
class Candidate:
    full_name: str
    birth_date: date
    sex: str
    kind: str  # student | teacher | worker
    occupation: str
    commune: int
    hometown: int = 0
    ethnicity: str = "Kinh"
    religion: str = "Không"
    education: str = ""
    is_doan_member: bool = False


class Story:
    """One candidate's case, as the steps that the users take, each on its day."""

    def __init__(self, scenario: Scenario, label: str, cell: str, person: Candidate):
        self.scenario = scenario
        self.label = label
        self.cell = CELL_BY_KEY[cell]
        self.person = person
        self.steps: list[Step] = []
        self.case_id: int | None = None
        self.member_id: int | None = None

    # --- plumbing -------------------------------------------------------------------------------

    @property
    def secretary(self) -> str:
        return self.cell.secretary

    def _add(self, day: date, user: str | None, op: str, name: str, raw: dict[str, Any]) -> Story:
        if day > LAST_DAY:
            raise ValueError(f"{self.label}: {name} on {day} is after {LAST_DAY}")
        if day.weekday() >= 5:
            raise ValueError(f"{self.label}: {name} on {day} falls on a weekend")
        if self.steps and day < self.steps[-1].day:
            raise ValueError(f"{self.label}: {name} on {day} is before the step before it")
        self.steps.append(Step(day, user or self.secretary, op, name, raw))
        return self

    def _fire(self, day: date, trigger: str, raw: dict[str, Any], by: str | None = None) -> Story:
        return self._add(day, by, "fire", trigger, raw)

    def _fact(self, day: date, kind: str, raw: dict[str, Any], by: str | None = None) -> Story:
        return self._add(day, by, "fact", kind, raw)

    def _member(self, member: str) -> Any:
        if member.startswith("case:"):
            return CaseMember(member.removeprefix("case:"))
        return str(self.scenario.world.members[member])

    def _mass(self, kind: str) -> str:
        return next(name for key, name, k in self.cell.mass if k == kind)

    # --- the path -------------------------------------------------------------------------------

    def identify(self, day: date, source: str, detail: str | None = None) -> Story:
        p = self.person
        raw = {
            "full_name": p.full_name,
            "birth_date": _d(p.birth_date),
            "sex": p.sex,
            "birth_place": place_of_birth(p.commune),
            "hometown": HOMETOWNS[p.hometown],
            "ethnicity": p.ethnicity,
            "religion": p.religion,
            "education": p.education,
            "residence": residence(p.commune),
            "occupation": p.occupation,
            "id_number": id_number(p.birth_date, p.sex, self.scenario.serial()),
            "is_doan_member": "có" if p.is_doan_member else "không",
            "cell": str(self.scenario.world.orgs[self.cell.key].id),
            "source": source,
        }
        if source == "mass_organisation" and detail is None:
            detail = self._mass("doan" if self.cell.has_doan else "congdoan")
        if detail is not None:
            raw["source_detail"] = detail
        return self._add(day, None, "identify", "identify", raw)

    def assign(self, day: date, mentor: str, by: str | None = None) -> Story:
        return self._fire(
            day, "assign_mentor", {"mentor": self._member(mentor), "since": _d(day)}, by
        )

    def reassign(self, day: date, mentor: str, reason: str, by: str | None = None) -> Story:
        return self._fire(
            day,
            "reassign_mentor",
            {"mentor": self._member(mentor), "since": _d(day), "reason": reason},
            by,
        )

    def train(self, day: date, issued: date, by: str = TRAINER) -> Story:
        """The centre (or the mentor) records the awareness-class certificate."""
        number = self.scenario.number("gcn", issued, "{n}/GCN-TTCT", issued.month * 40)
        return self._fire(
            day,
            "complete_training",
            {
                "certificate_number": number,
                "certificate_date": _d(issued),
                "issuer": ISSUER,
            },
            by,
        )

    def doc(self, day: date, code: str, number: str | None = None, by: str | None = None) -> Story:
        raw = {"code": code, "dated": _d(day)}
        if number:
            raw["number"] = number
        return self._fact(day, "document", raw, by)

    def note(self, day: date, text: str | Later, by: str | None = None) -> Story:
        return self._fact(day, "note", {"text": text}, by)

    def papers(self, day: date, by: str | None = None) -> Story:
        """The application (1-KNĐ) and the biography (2-KNĐ)."""
        return self.doc(day, "1-KNĐ", by=by).doc(day, "2-KNĐ", by=by)

    def introduced(
        self, day: date, members: list[tuple[str, date]], org: bool = False, by: str | None = None
    ) -> Story:
        """Introductions by members (3-KNĐ each) and, for youth, the Đoàn or Công đoàn."""
        for member, known_since in members:
            self._fact(
                day,
                "introduction",
                {
                    "kind": "member",
                    "member": self._member(member),
                    "known_since": _d(known_since),
                    "dated": _d(day),
                },
                by,
            )
            self.doc(day, "3-KNĐ", by=by)
        if org:
            self.organisation_introduces(day, by)
        return self

    def organisation_introduces(self, day: date, by: str | None = None) -> Story:
        kind = "doan" if self.cell.has_doan else "congdoan"
        name = self._mass(kind)
        self._fact(
            day,
            "introduction",
            {"kind": kind, "name": f"Ban Chấp hành {name}", "dated": _d(day)},
            by,
        )
        if kind == "doan":
            number = self.scenario.number(f"doan.{self.cell.key}", day, "{n:02d}-NQ/ĐTN", day.month)
            return self.doc(day, "4-KNĐ", number, by)
        number = self.scenario.number(f"cd.{self.cell.key}", day, "{n:02d}-NQ/CĐ", day.month)
        return self.doc(day, "4A-KNĐ", number, by)

    def opinions(self, day: date, by: str | None = None) -> Story:
        """The summary of opinions of the workplace and the residence (5-KNĐ)."""
        return self.doc(day, "5-KNĐ", by=by)

    def dossier(
        self,
        papers: date,
        introduced: date,
        opinions: date,
        members: list[tuple[str, date]],
        org: bool = False,
        by: str | None = None,
    ) -> Story:
        return (
            self.papers(papers, by).introduced(introduced, members, org, by).opinions(opinions, by)
        )

    def _resolution(self, day: date) -> str:
        return self.scenario.number(f"nq.{self.cell.key}", day, "{n:02d}-NQ/CB", 2 * day.month - 1)

    def cell_resolution(self, day: date, by: str | None = None) -> str:
        """The chi bộ's resolution proposing admission (6-KNĐ); returns its number."""
        number = self._resolution(day)
        self.doc(day, "6-KNĐ", number, by)
        return number

    def submit(self, day: date, by: str | None = None, against: int = 0, absent: int = 1) -> Story:
        number = self.cell_resolution(day, by)
        return self._fire(
            day,
            "submit_dossier",
            {
                "vote_date": _d(day),
                "votes": Votes("cell", against, absent),
                "resolution_number": number,
            },
            by,
        )

    def returned(self, day: date, reason: str) -> Story:
        return self._fire(day, "return_dossier", {"reason": reason}, COMMITTEE)

    def reject(self, day: date, reason: str) -> Story:
        return self._fire(day, "reject", {"reason": reason}, COMMITTEE)

    def admit(self, vote: date, decision: date, against: int = 0, absent: int = 2) -> Story:
        self.doc(
            vote, "8-KNĐ", self.scenario.number("hu", vote, "{n}-NQ/HU", vote.month * 9), COMMITTEE
        )
        number = self.scenario.number("qd", decision, "{n}-QĐ/HU", decision.timetuple().tm_yday * 3)
        return self._fire(
            decision,
            "admit",
            {
                "vote_date": _d(vote),
                "votes": Votes("committee", against, absent),
                "decision_number": number,
                "decision_date": _d(decision),
            },
            COMMITTEE,
        )

    def ceremony(self, day: date, by: str | None = None) -> Story:
        return self._fact(day, "ceremony", {"ceremony_date": _d(day)}, by)

    def recognize(
        self,
        papers: date,
        vote: date,
        decision: date,
        by: str | None = None,
        against: int = 0,
        absent: int = 1,
    ) -> Story:
        """Forms 10–12 on `papers`; the chi bộ votes (13-KNĐ) on `vote`; 15-KNĐ and the
        decision (16-KNĐ) on `decision`."""
        for code in ("10-KNĐ", "11-KNĐ", "12-KNĐ"):
            self.doc(papers, code, by=by)
        self.doc(vote, "13-KNĐ", self._resolution(vote), by)
        self.doc(
            decision,
            "15-KNĐ",
            self.scenario.number("hu", decision, "{n}-NQ/HU", decision.month * 9),
            COMMITTEE,
        )
        number = self.scenario.number("qd", decision, "{n}-QĐ/HU", decision.timetuple().tm_yday * 3)
        return self._fire(
            decision,
            "recognize",
            {
                "vote_date": _d(vote),
                "votes": Votes("cell", against, absent),
                "decision_number": number,
                "decision_date": _d(decision),
            },
            COMMITTEE,
        )

    def admitted_path(
        self,
        *,
        identified: date,
        source: str,
        mentor: str,
        assigned: date,
        issued: date,
        trained: date,
        papers: date,
        introduced: date,
        members: list[tuple[str, date]],
        org: bool,
        opinions: date,
        vote: date,
        committee_vote: date,
        decision: date,
        ceremony: date,
        detail: str | None = None,
    ) -> Story:
        """From the list to the admission ceremony, by the cell's secretary."""
        return (
            self.identify(identified, source, detail)
            .assign(assigned, mentor)
            .train(trained, issued)
            .dossier(papers, introduced, opinions, members, org)
            .submit(vote)
            .admit(committee_vote, decision)
            .ceremony(ceremony)
        )

    def remove(self, day: date, reason: str) -> Story:
        return self._fire(day, "remove", {"reason": reason}, COMMITTEE)

    def withdraw(self, day: date, reason: str, by: str | None = None) -> Story:
        return self._fire(day, "withdraw", {"reason": reason}, by)

    def reinstate(self, day: date, reason: str, by: str | None = None) -> Story:
        return self._fire(day, "reinstate", {"reason": reason}, by)


class Scenario:
    """Every story of the district, and the numbering of the paperwork."""

    def __init__(self, world: World):
        self.world = world
        self.stories: list[Story] = []
        self._serial = 0
        self._used: set[tuple[str, int, str]] = set()

    def story(self, label: str, cell: str, person: Candidate) -> Story:
        if any(s.label == label for s in self.stories):
            raise ValueError(f"two stories are labelled {label}")
        story = Story(self, label, cell, person)
        self.stories.append(story)
        return story

    def serial(self) -> int:
        self._serial += 1
        return self._serial

    def number(self, series: str, day: date, fmt: str, start: int) -> str:
        """A document number of `series`, unique within its year, growing with the date."""
        n = max(start, 1)
        while (series, day.year, fmt.format(n=n)) in self._used:
            n += 1
        self._used.add((series, day.year, fmt.format(n=n)))
        return fmt.format(n=n)


# --- running the stories ------------------------------------------------------------------------


class Runner:
    """Plays every story's steps in date order through the use cases."""

    def __init__(self, runtime: Runtime, world: World, scenario: Scenario):
        self.runtime = runtime
        self.world = world
        self.by_label = {story.label: story for story in scenario.stories}
        self.scenario = scenario

    def official_members(self, cell_key: str) -> int:
        with self.runtime.sessions() as session:
            cases = SqlCases(session, self.runtime.settings.rules)
            return cases.official_members(self.world.orgs[cell_key].id)

    def _resolve(self, story: Story, raw: dict[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for key, value in raw.items():
            if isinstance(value, Votes):
                eligible = (
                    self.world.committee_size
                    if value.body == "committee"
                    else self.official_members(story.cell.key)
                )
                values["votes_for"] = str(eligible - value.absent - value.against)
                values["votes_against"] = str(value.against)
            elif isinstance(value, CaseMember):
                member_id = self.by_label[value.label].member_id
                if member_id is None:
                    raise RuntimeError(f"{story.label}: {value.label} has no member yet")
                values[key] = str(member_id)
            elif isinstance(value, Later):
                values[key] = value.make(self)
            else:
                values[key] = value
        return values

    def run(self) -> None:
        order = sorted(
            (
                (step.day, s, k, story, step)
                for s, story in enumerate(self.scenario.stories)
                for k, step in enumerate(story.steps)
            ),
            key=lambda item: item[:3],
        )
        per_day: Counter[date] = Counter()
        settings = self.runtime.settings.rules
        for day, _, _, story, step in order:
            # 08:30 in Đà Lạt (UTC+7), one step every two minutes: the local date is `day`.
            moment = datetime(day.year, day.month, day.day, 1, 30, tzinfo=UTC)
            clock = Clock(moment + timedelta(minutes=2 * per_day[day]))
            per_day[day] += 1
            actor = self.world.actors[step.user]
            raw = self._resolve(story, step.raw)
            try:
                if step.op == "identify":
                    case = identify_candidate(
                        self.runtime.uow(), actor, raw, clock=clock, settings=settings
                    )
                    story.case_id = case.id
                elif step.op == "fire":
                    case = fire_transition(
                        self.runtime.uow(),
                        actor,
                        story.case_id,
                        step.name,
                        raw,
                        clock=clock,
                        settings=settings,
                    )
                    if step.name == "admit":
                        story.member_id = case.member_id
                else:
                    record_fact(
                        self.runtime.uow(),
                        actor,
                        story.case_id,
                        step.name,
                        raw,
                        clock=clock,
                        settings=settings,
                    )
            except DomainError as err:
                raise RuntimeError(
                    f"demo case {story.label} ({story.person.full_name}): {step.name} by "
                    f"{step.user} on {day} was refused: {err}"
                ) from err


# --- loading ------------------------------------------------------------------------------------


def load_demo(runtime: Runtime) -> DemoSummary:
    """Build the demo district into an empty (migrated) database.

    Every step is its own committed use case, as in real use; a step the rules refuse is a bug in
    the demo's data and stops the load with the case, the step and the rule named (the database,
    then partly loaded, is to be recreated: its history cannot be deleted).
    """
    if not runtime.is_empty():
        raise ValueError("the database is not empty; the demo loads only into an empty one")
    world = World()
    with runtime.sessions() as session:
        _organisations(session, world)
        _members(session, world)
        accounts = _users(session, world)
        session.commit()
        _actors(session, world)
    scenario = Scenario(world)
    build_stories(scenario)
    Runner(runtime, world, scenario).run()
    load_targets(runtime)
    load_proposals(runtime)
    load_classes(runtime)
    load_enterprises(runtime)
    return summarise(runtime, accounts)


def summarise(runtime: Runtime, accounts: list[tuple[str, str, str]]) -> DemoSummary:
    with runtime.sessions() as session:

        def count(model: type, *where: Any) -> int:
            return session.scalar(select(func.count()).select_from(model).where(*where)) or 0

        by_state = dict(
            session.execute(select(Case.state, func.count()).group_by(Case.state)).all()
        )
        return DemoSummary(
            organisations=count(Organisation),
            members=count(Member, Member.left_on.is_(None)),
            users=count(User),
            cases={state.value: by_state.get(state.value, 0) for state in State},
            events=count(Event),
            accounts=accounts,
        )


# --- the district's cases -----------------------------------------------------------------------


def student(name: str, born: str, sex: str, school: str, commune: int, **more: Any) -> Candidate:
    return Candidate(
        name,
        d(born),
        sex,
        "student",
        f"Học sinh, Trường THPT {school}",
        commune,
        education="Đang học lớp 12 (THPT)",
        is_doan_member=True,
        **more,
    )


def teacher(
    name: str, born: str, sex: str, subject: str, school: str, commune: int, **more: Any
) -> Candidate:
    return Candidate(
        name,
        d(born),
        sex,
        "teacher",
        f"Giáo viên môn {subject}, Trường THPT {school}",
        commune,
        education="Đại học sư phạm",
        is_doan_member=True,
        **more,
    )


def worker(
    name: str,
    born: str,
    sex: str,
    job: str,
    company: str,
    commune: int,
    doan: bool = False,
    **more: Any,
) -> Candidate:
    more.setdefault("education", "12/12")
    return Candidate(
        name, d(born), sex, "worker", f"{job}, {company}", commune, is_doan_member=doan, **more
    )


DONG_THUY = "Công ty TNHH Đồng Thúy (Lado Taxi)"
CVA, NBK, LTV, NTR = "Chu Văn An", "Nguyễn Bỉnh Khiêm", "Lương Thế Vinh", "Nguyễn Trãi"
PHU_HOI = "Công ty Cổ phần May mặc Phú Hội"
HIEP_THANH = "Công ty TNHH Nông sản Hiệp Thạnh"


def build_stories(sc: Scenario) -> None:
    """Every case of the demo: the 2020–2023 history, Q1 2024, and the 2024–2026 pipeline."""
    _history(sc)
    _first_quarter_2024(sc)
    _recent_admissions(sc)
    _pipeline_schools(sc)
    _pipeline_enterprises(sc)


def _history(sc: Scenario) -> None:
    """2020–2023: 3 students (1 at THPT Đức Trọng, 2 at Chu Văn An) and 5 workers admitted."""
    (
        sc.story("H1", "dt", student("Hoàng Minh Khôi", "2002-11-03", "nam", "Đức Trọng", 0))
        .admitted_path(
            identified=d("2020-09-15"),
            source="cell_review",
            mentor="dt.3",
            assigned=d("2020-10-01"),
            issued=d("2020-12-04"),
            trained=d("2020-12-07"),
            papers=d("2021-01-11"),
            introduced=d("2021-02-22"),
            members=[("dt.3", d("2018-09-05"))],
            org=True,
            opinions=d("2021-03-03"),
            vote=d("2021-03-17"),
            committee_vote=d("2021-03-30"),
            decision=d("2021-04-08"),
            ceremony=d("2021-04-23"),
        )
        .recognize(d("2022-04-12"), d("2022-04-26"), d("2022-05-12"))
    )

    # Chi bộ trường THPT Chu Văn An: two students admitted in 2023 (the seed's photograph).
    for label, person, mentor in (
        ("H2", student("Nguyễn Ngọc Bảo Trâm", "2005-01-12", "nữ", CVA, 4, hometown=1), "cva.3"),
        (
            "H3",
            student("Trần Đức Minh", "2005-03-28", "nam", CVA, 5, hometown=3, religion="Công giáo"),
            "cva.4",
        ),
    ):
        (
            sc.story(label, "cva", person)
            .admitted_path(
                identified=d("2022-09-20"),
                source="mass_organisation",
                mentor=mentor,
                assigned=d("2022-10-04"),
                issued=d("2022-12-09"),
                trained=d("2022-12-12"),
                papers=d("2023-01-10"),
                introduced=d("2023-03-01"),
                members=[(mentor, d("2020-09-07"))],
                org=True,
                opinions=d("2023-03-10"),
                vote=d("2023-04-05"),
                committee_vote=d("2023-04-18"),
                decision=d("2023-04-20"),
                ceremony=d("2023-05-05"),
            )
            .recognize(d("2024-04-24"), d("2024-05-08"), d("2024-05-24"))
        )

    (
        sc.story(
            "H4",
            "dtt",
            worker("Võ Thanh Tùng", "1986-04-02", "nam", "Lái xe taxi", DONG_THUY, 0, hometown=4),
        )
        .admitted_path(
            identified=d("2020-02-10"),
            source="cell_review",
            mentor="dtt.4",
            assigned=d("2020-02-24"),
            issued=d("2020-06-12"),
            trained=d("2020-06-15"),
            papers=d("2020-07-06"),
            introduced=d("2020-07-20"),
            members=[("dtt.4", d("2015-03-02")), ("dtt.1", d("2016-01-04"))],
            org=False,
            opinions=d("2020-07-29"),
            vote=d("2020-08-12"),
            committee_vote=d("2020-08-25"),
            decision=d("2020-09-03"),
            ceremony=d("2020-09-18"),
        )
        .recognize(d("2021-09-08"), d("2021-09-22"), d("2021-10-07"))
    )

    (
        sc.story(
            "H5",
            "dtt",
            worker("Lê Thị Kim Ngân", "1996-08-20", "nữ", "Nhân viên tổng đài", DONG_THUY, 1),
        )
        .admitted_path(
            identified=d("2021-11-15"),
            source="mass_organisation",
            mentor="dtt.3",
            assigned=d("2021-12-01"),
            issued=d("2022-06-10"),
            trained=d("2022-06-13"),
            papers=d("2022-08-15"),
            introduced=d("2022-09-14"),
            members=[("dtt.3", d("2019-05-06"))],
            org=True,
            opinions=d("2022-09-28"),
            vote=d("2022-10-19"),
            committee_vote=d("2022-11-08"),
            decision=d("2022-11-17"),
            ceremony=d("2022-12-02"),
        )
        .recognize(d("2023-11-22"), d("2023-12-06"), d("2023-12-21"))
    )

    (
        sc.story(
            "H6",
            "ph",
            worker(
                "Huỳnh Tấn Lộc",
                "1994-03-10",
                "nam",
                "Tổ phó tổ may",
                PHU_HOI,
                4,
                doan=True,
                hometown=7,
            ),
        )
        .admitted_path(
            identified=d("2020-10-12"),
            source="mass_organisation",
            mentor="ph.3",
            assigned=d("2020-10-26"),
            issued=d("2021-03-12"),
            trained=d("2021-03-15"),
            papers=d("2021-04-05"),
            introduced=d("2021-04-21"),
            members=[("ph.3", d("2017-07-03"))],
            org=True,
            opinions=d("2021-04-28"),
            vote=d("2021-05-12"),
            committee_vote=d("2021-06-08"),
            decision=d("2021-06-17"),
            ceremony=d("2021-07-02"),
        )
        .recognize(d("2022-06-22"), d("2022-07-06"), d("2022-07-21"))
    )

    (
        sc.story(
            "H7",
            "ph",
            worker(
                "Phan Thị Hồng Nhung",
                "1985-11-23",
                "nữ",
                "Tổ trưởng tổ hoàn thiện",
                PHU_HOI,
                8,
                hometown=2,
            ),
        )
        .admitted_path(
            identified=d("2022-10-10"),
            source="cell_review",
            mentor="ph.2",
            assigned=d("2022-10-24"),
            issued=d("2023-03-10"),
            trained=d("2023-03-13"),
            papers=d("2023-05-08"),
            introduced=d("2023-06-14"),
            members=[("ph.2", d("2014-08-04")), ("ph.1", d("2016-02-15"))],
            org=False,
            opinions=d("2023-06-28"),
            vote=d("2023-07-19"),
            committee_vote=d("2023-08-15"),
            decision=d("2023-08-24"),
            ceremony=d("2023-09-08"),
        )
        .recognize(d("2024-08-28"), d("2024-09-11"), d("2024-09-26"))
    )

    (
        sc.story(
            "H8",
            "ht",
            worker(
                "Trịnh Quốc Bảo",
                "1992-07-15",
                "nam",
                "Kỹ thuật viên nhà kính",
                HIEP_THANH,
                2,
                education="Trung cấp nông nghiệp",
            ),
        )
        .admitted_path(
            identified=d("2021-08-09"),
            source="mass_organisation",
            mentor="ht.2",
            assigned=d("2021-08-23"),
            issued=d("2021-12-10"),
            trained=d("2021-12-13"),
            papers=d("2022-02-14"),
            introduced=d("2022-03-09"),
            members=[("ht.2", d("2018-03-01"))],
            org=True,
            opinions=d("2022-03-23"),
            vote=d("2022-04-13"),
            committee_vote=d("2022-05-10"),
            decision=d("2022-05-19"),
            ceremony=d("2022-06-03"),
        )
        .recognize(d("2023-05-24"), d("2023-06-07"), d("2023-06-22"))
    )


def _first_quarter_2024(sc: Scenario) -> None:
    """Q1 2024 (Kế hoạch 159-KH/HU at work): Đồng Thúy admits an employee; THPT Đức Trọng's
    student's dossier goes up (admitted in May, recognised in 2025)."""
    (
        sc.story(
            "Q1",
            "dtt",
            worker(
                "Nguyễn Thị Thu Thảo",
                "1997-02-11",
                "nữ",
                "Nhân viên điều hành",
                DONG_THUY,
                0,
                education="Cao đẳng",
            ),
        )
        .admitted_path(
            identified=d("2023-03-06"),
            source="mass_organisation",
            mentor="dtt.2",
            assigned=d("2023-03-20"),
            issued=d("2023-09-15"),
            trained=d("2023-09-18"),
            papers=d("2023-11-06"),
            introduced=d("2023-11-22"),
            members=[("dtt.2", d("2020-06-01"))],
            org=True,
            opinions=d("2023-12-13"),
            vote=d("2024-01-10"),
            committee_vote=d("2024-02-06"),
            decision=d("2024-02-22"),
            ceremony=d("2024-03-08"),
        )
        .recognize(d("2025-02-26"), d("2025-03-12"), d("2025-03-27"))
    )

    (
        sc.story("Q2", "dt", student("Lương Gia Huy", "2006-01-09", "nam", "Đức Trọng", 6))
        .admitted_path(
            identified=d("2023-09-18"),
            source="mass_organisation",
            mentor="dt.2",
            assigned=d("2023-10-02"),
            issued=d("2023-12-08"),
            trained=d("2023-12-11"),
            papers=d("2024-01-15"),
            introduced=d("2024-02-28"),
            members=[("dt.2", d("2021-09-06"))],
            org=True,
            opinions=d("2024-03-06"),
            vote=d("2024-03-20"),
            committee_vote=d("2024-04-23"),
            decision=d("2024-05-09"),
            ceremony=d("2024-05-17"),
        )
        .recognize(d("2025-05-07"), d("2025-05-21"), d("2025-06-05"))
    )


def _recent_admissions(sc: Scenario) -> None:
    """2024–2025 candidates: two recognised in 2026, two probationary members removed."""
    (
        sc.story(
            "P1",
            "ph",
            worker(
                "Hồ Minh Nhật",
                "1998-05-19",
                "nam",
                "Nhân viên kỹ thuật chuyền may",
                PHU_HOI,
                9,
                doan=True,
                hometown=5,
            ),
        )
        .admitted_path(
            identified=d("2024-06-10"),
            source="mass_organisation",
            mentor="ph.4",
            assigned=d("2024-06-24"),
            issued=d("2024-10-11"),
            trained=d("2024-10-14"),
            papers=d("2024-12-02"),
            introduced=d("2025-01-08"),
            members=[("ph.4", d("2020-02-03"))],
            org=True,
            opinions=d("2025-02-19"),
            vote=d("2025-03-05"),
            committee_vote=d("2025-03-11"),
            decision=d("2025-03-20"),
            ceremony=d("2025-04-04"),
        )
        .recognize(d("2026-03-25"), d("2026-04-08"), d("2026-04-23"))
    )

    (
        sc.story(
            "P2",
            "nbk",
            student("Kơ Să Ha Linh", "2007-01-25", "nữ", NBK, 6, ethnicity="Chu Ru"),
        )
        .admitted_path(
            identified=d("2024-09-16"),
            source="mass_organisation",
            mentor="nbk.2",
            assigned=d("2024-09-30"),
            issued=d("2024-12-06"),
            trained=d("2024-12-09"),
            papers=d("2025-01-13"),
            introduced=d("2025-02-19"),
            members=[("nbk.2", d("2022-09-05"))],
            org=True,
            opinions=d("2025-03-05"),
            vote=d("2025-03-19"),
            committee_vote=d("2025-04-08"),
            decision=d("2025-04-17"),
            ceremony=d("2025-05-09"),
        )
        .recognize(d("2026-04-29"), d("2026-05-13"), d("2026-05-28"))
    )

    (
        sc.story(
            "R1",
            "ph",
            worker("Vũ Đức Thắng", "1993-09-27", "nam", "Công nhân cắt", PHU_HOI, 4, hometown=8),
        )
        .admitted_path(
            identified=d("2024-08-12"),
            source="cell_review",
            mentor="ph.5",
            assigned=d("2024-08-26"),
            issued=d("2024-10-11"),
            trained=d("2024-10-14"),
            papers=d("2025-03-03"),
            introduced=d("2025-04-09"),
            members=[("ph.5", d("2019-10-07")), ("ph.3", d("2019-10-07"))],
            org=False,
            opinions=d("2025-04-23"),
            vote=d("2025-05-14"),
            committee_vote=d("2025-06-10"),
            decision=d("2025-06-19"),
            ceremony=d("2025-07-04"),
        )
        .note(
            d("2026-02-11"),
            "Đảng viên dự bị không dự sinh hoạt chi bộ các tháng 11, 12/2025 và 01/2026, không "
            "báo lý do; chi ủy đã gặp, nhắc nhở nhưng không có chuyển biến.",
        )
        .remove(
            d("2026-03-12"),
            "Bỏ sinh hoạt chi bộ 3 tháng trong năm không có lý do chính đáng (tháng 11, 12/2025 "
            "và 01/2026); chi bộ và Ban Thường vụ thống nhất xóa tên trong danh sách đảng viên.",
        )
    )

    (
        sc.story("R2", "dt", student("Đặng Thị Khánh Vy", "2007-02-14", "nữ", "Đức Trọng", 7))
        .admitted_path(
            identified=d("2024-09-23"),
            source="mass_organisation",
            mentor="dt.4",
            assigned=d("2024-10-07"),
            issued=d("2024-12-06"),
            trained=d("2024-12-09"),
            papers=d("2025-01-13"),
            introduced=d("2025-02-26"),
            members=[("dt.4", d("2022-09-05"))],
            org=True,
            opinions=d("2025-03-12"),
            vote=d("2025-03-26"),
            committee_vote=d("2025-04-15"),
            decision=d("2025-04-24"),
            ceremony=d("2025-05-09"),
        )
        .note(
            d("2026-05-20"),
            "Sau khi tốt nghiệp THPT (06/2025), đảng viên dự bị không làm thủ tục chuyển sinh hoạt "
            "đảng và không liên hệ với chi bộ; chi bộ đã gửi thư về gia đình hai lần.",
        )
        .remove(
            d("2026-06-18"),
            "Tự ý bỏ sinh hoạt đảng quá 3 tháng không có lý do chính đáng và không làm thủ tục "
            "chuyển sinh hoạt đảng sau khi tốt nghiệp.",
        )
    )


def _pipeline_schools(sc: Scenario) -> None:
    """The schools' candidates in 2025–2026. THPT Hoàng Hoa Thám has none at all."""
    # Admitted in April 2026, probation running.
    sc.story("A1", "cva", student("Ngô Quang Khải", "2008-01-15", "nam", CVA, 2)).admitted_path(
        identified=d("2025-09-22"),
        source="mass_organisation",
        mentor="cva.5",
        assigned=d("2025-10-06"),
        issued=d("2025-12-12"),
        trained=d("2025-12-15"),
        papers=d("2026-01-19"),
        introduced=d("2026-02-25"),
        members=[("cva.5", d("2023-09-05"))],
        org=True,
        opinions=d("2026-03-04"),
        vote=d("2026-03-11"),
        committee_vote=d("2026-04-07"),
        decision=d("2026-04-16"),
        ceremony=d("2026-05-08"),
    )

    # Returned once (the Đoàn resolution was signed without authority), then admitted.
    (
        sc.story("A2", "nbk", student("Trịnh Ngọc Bảo Anh", "2008-02-20", "nữ", NBK, 12))
        .identify(d("2025-09-15"), "mass_organisation")
        .assign(d("2025-09-29"), "nbk.3")
        .train(d("2025-12-15"), d("2025-12-12"))
        .dossier(
            d("2026-01-12"),
            d("2026-02-11"),
            d("2026-02-25"),
            [("nbk.3", d("2023-09-05"))],
            org=True,
        )
        .submit(d("2026-03-04"))
        .returned(
            d("2026-03-19"),
            "Nghị quyết giới thiệu đoàn viên ưu tú (4-KNĐ) do Phó Bí thư Đoàn trường ký khi chưa "
            "được Ban Chấp hành ủy quyền; đề nghị ban hành lại đúng thẩm quyền.",
        )
        .organisation_introduces(d("2026-03-25"))
        .submit(d("2026-04-01"))
        .admit(d("2026-04-21"), d("2026-04-23"))
        .ceremony(d("2026-05-15"))
    )

    # A young teacher admitted in November 2026: the ceremony is still to be held.
    (
        sc.story(
            "A4",
            "ntr",
            teacher("Lâm Ngọc Thảo Vy", "1998-09-12", "nữ", "Ngữ văn", NTR, 8, hometown=6),
        )
        .identify(d("2025-10-13"), "mass_organisation")
        .assign(d("2025-10-27"), "ntr.2")
        .train(d("2026-03-16"), d("2026-03-13"))
        .dossier(
            d("2026-06-08"),
            d("2026-09-09"),
            d("2026-09-23"),
            [("ntr.2", d("2022-08-15"))],
            org=True,
        )
        .submit(d("2026-10-07"))
        .admit(d("2026-10-27"), d("2026-11-05"))
    )

    # With the committee: THPT Đức Trọng's teacher, submitted in September (deadline near).
    (
        sc.story(
            "D2",
            "dt",
            teacher("Cao Minh Trí", "1996-12-03", "nam", "Vật lý", "Đức Trọng", 3, hometown=9),
        )
        .identify(d("2025-10-06"), "cell_review")
        .assign(d("2025-10-20"), "dt.3")
        .train(d("2026-03-16"), d("2026-03-13"))
        .dossier(
            d("2026-06-01"),
            d("2026-08-26"),
            d("2026-09-02"),
            [("dt.3", d("2021-08-16"))],
            org=True,
        )
        .submit(d("2026-09-16"))
    )

    # Chu Văn An's teacher, followed and submitted by the mentor (giupdo.chuvanan).
    mentor = "giupdo.chuvanan"
    (
        sc.story(
            "D3",
            "cva",
            teacher("Hà Thị Ngọc Diệp", "1997-05-27", "nữ", "Hóa học", CVA, 1, hometown=2),
        )
        .identify(d("2025-11-03"), "cell_review")
        .assign(d("2025-11-17"), "cva.2")
        .train(d("2026-06-15"), d("2026-06-12"), by=mentor)
        .dossier(
            d("2026-08-17"),
            d("2026-09-30"),
            d("2026-10-14"),
            [("cva.2", d("2021-08-16"))],
            org=True,
            by=mentor,
        )
        .submit(d("2026-10-28"), by=mentor)
    )

    # Rejected: a disciplinary measure after the chi bộ's vote.
    (
        sc.story("J2", "ltv", student("Nguyễn Hoàng Bảo Ngọc", "2008-01-08", "nữ", LTV, 10))
        .identify(d("2025-09-15"), "mass_organisation")
        .assign(d("2025-09-29"), "ltv.2")
        .train(d("2025-12-15"), d("2025-12-12"))
        .dossier(
            d("2026-01-19"),
            d("2026-02-25"),
            d("2026-03-04"),
            [("ltv.2", d("2023-09-05"))],
            org=True,
        )
        .submit(d("2026-03-18"))
        .reject(
            d("2026-04-23"),
            "Sau khi chi bộ biểu quyết, quần chúng vi phạm quy chế kiểm tra giữa học kỳ II (sử "
            "dụng điện thoại trong phòng thi), bị nhà trường kỷ luật khiển trách; chưa đủ tiêu "
            "chuẩn kết nạp.",
        )
    )

    # Returned: the biography is incomplete; the verification is under way.
    (
        sc.story(
            "T2",
            "ltv",
            teacher("Dương Quốc Hưng", "1995-06-21", "nam", "Toán", LTV, 11, hometown=5),
        )
        .identify(d("2025-09-08"), "cell_review")
        .assign(d("2025-09-22"), "ltv.3")
        .train(d("2026-03-16"), d("2026-03-13"))
        .dossier(
            d("2026-05-11"),
            d("2026-07-22"),
            d("2026-08-05"),
            [("ltv.3", d("2020-08-17")), ("ltv.1", d("2020-08-17"))],
        )
        .submit(d("2026-08-19"))
        .returned(
            d("2026-09-17"),
            "Lý lịch (2-KNĐ) khai chưa đầy đủ quan hệ gia đình (ông bà nội, ông bà ngoại); kết "
            "quả thẩm tra lý lịch chưa có xác nhận của Đảng ủy xã nơi gia đình cư trú.",
        )
        .note(
            d("2026-10-05"),
            "Chi bộ đã gửi công văn đề nghị thẩm tra lý lịch về Đảng ủy xã Quỳnh Hưng, huyện "
            "Quỳnh Lưu, tỉnh Nghệ An (quê quán của cha); đang chờ kết quả.",
        )
    )

    # Withdrawn: graduated before turning 18, handed over to the commune.
    (
        sc.story("W2", "cva", student("Đỗ Minh Quân", "2008-10-30", "nam", CVA, 13))
        .identify(d("2025-10-20"), "mass_organisation")
        .assign(d("2025-11-03"), "cva.3")
        .train(d("2026-03-16"), d("2026-03-13"))
        .withdraw(
            d("2026-06-15"),
            "Học sinh tốt nghiệp THPT (06/2026) khi chưa đủ 18 tuổi (sinh ngày 30/10/2008); chi "
            "bộ chuyển hồ sơ, nhận xét về Đảng ủy xã nơi cư trú để tiếp tục theo dõi, bồi dưỡng.",
        )
    )

    # Trained, every form on file and the chi bộ has voted: the secretary can submit it now.
    tr1 = (
        sc.story(
            "TR1",
            "cva",
            teacher("Lê Minh Triết", "1999-03-08", "nam", "Lịch sử", CVA, 0, hometown=8),
        )
        .identify(d("2025-11-10"), "cell_review")
        .assign(d("2025-11-24"), "cva.4")
        .train(d("2026-06-15"), d("2026-06-12"))
        .dossier(
            d("2026-09-07"),
            d("2026-10-21"),
            d("2026-11-09"),
            [("cva.4", d("2023-08-14"))],
            org=True,
        )
    )
    number = tr1.cell_resolution(d("2026-11-25"))

    def vote_note(runner: Runner) -> str:
        eligible = runner.official_members("cva")
        return (
            f"Chi bộ họp ngày 25/11/2026, biểu quyết đề nghị kết nạp: {eligible - 1}/{eligible} "
            f"đảng viên chính thức tán thành, 0 không tán thành (Nghị quyết số {number}). Hồ sơ "
            f"đủ, chờ trình."
        )

    tr1.note(d("2026-11-25"), Later(vote_note))

    # Trained, waiting for the 18th birthday (20/01/2027).
    (
        sc.story("TR2", "cva", student("Trần Ngọc Hân", "2009-01-20", "nữ", CVA, 14))
        .identify(d("2026-05-11"), "mass_organisation")
        .assign(d("2026-05-25"), "cva.3")
        .train(d("2026-10-19"), d("2026-10-16"))
        .papers(d("2026-11-16"))
        .note(
            d("2026-11-16"),
            "Quần chúng đủ 18 tuổi ngày 20/01/2027; chi bộ dự kiến xem xét đề nghị kết nạp trong "
            "tháng 02/2027.",
        )
    )

    # Mentored by giupdo.chuvanan.
    (
        sc.story("M1", "cva", student("Võ Hoàng Phúc", "2009-03-02", "nam", CVA, 9))
        .identify(d("2026-09-16"), "mass_organisation")
        .assign(d("2026-09-30"), "cva.2")
        .note(
            d("2026-10-21"),
            "Đã đăng ký cho quần chúng học lớp bồi dưỡng nhận thức về Đảng khóa tháng 12/2026 tại "
            "Trung tâm Chính trị huyện.",
            by=mentor,
        )
    )

    # Just identified.
    sc.story("I1", "cva", student("Phạm Ngọc Khánh Linh", "2009-05-21", "nữ", CVA, 0)).identify(
        d("2026-10-14"),
        "mass_organisation",
        "Đoàn trường THPT Chu Văn An (Nghị quyết giới thiệu đoàn viên ưu tú, học kỳ I năm học "
        "2026–2027)",
    )
    sc.story("I3", "ntr", student("Hoàng Gia Bảo", "2009-08-08", "nam", NTR, 8)).identify(
        d("2026-11-18"), "cell_review"
    )


def _pipeline_enterprises(sc: Scenario) -> None:
    """The enterprises' candidates in 2024–2026. Công ty TNHH Nông sản Hiệp Thạnh has none."""
    mentor = "giupdo.dongthuy"
    # Admitted in December 2025 (30 full years at the vote: still introduced by the Công đoàn).
    sc.story(
        "A3",
        "dtt",
        worker("Đinh Công Tuấn", "1995-10-05", "nam", "Lái xe taxi", DONG_THUY, 2, hometown=1),
    ).admitted_path(
        identified=d("2024-11-11"),
        source="mass_organisation",
        mentor="dtt.4",
        assigned=d("2024-11-25"),
        issued=d("2025-06-13"),
        trained=d("2025-06-16"),
        papers=d("2025-08-11"),
        introduced=d("2025-10-08"),
        members=[("dtt.4", d("2021-04-05"))],
        org=True,
        opinions=d("2025-10-22"),
        vote=d("2025-11-12"),
        committee_vote=d("2025-12-09"),
        decision=d("2025-12-18"),
        ceremony=d("2026-01-09"),
    )

    # With the committee, ready to be admitted; followed by giupdo.dongthuy.
    (
        sc.story(
            "D1",
            "dtt",
            worker("Lê Hoàng Nam", "1999-04-18", "nam", "Lái xe taxi", DONG_THUY, 3, hometown=3),
        )
        .identify(d("2025-07-14"), "mass_organisation")
        .assign(d("2025-08-04"), "dtt.2")
        .note(
            d("2026-03-09"),
            "Quần chúng hai lần phải hoãn lớp bồi dưỡng nhận thức về Đảng (09/2025, 03/2026) vì "
            "lịch chạy xe theo ca; đã đăng ký khóa tháng 6/2026.",
            by=mentor,
        )
        .train(d("2026-06-15"), d("2026-06-12"), by=mentor)
        .dossier(
            d("2026-08-10"),
            d("2026-09-16"),
            d("2026-10-14"),
            [("dtt.2", d("2022-03-01"))],
            org=True,
            by=mentor,
        )
        .submit(d("2026-11-12"))
    )

    # Returned: the residence cell's opinion is missing from 5-KNĐ. Introduced, among others, by
    # the driver admitted in 2020 (H4).
    (
        sc.story(
            "T1",
            "dtt",
            worker("Trương Văn Sang", "1991-03-07", "nam", "Lái xe taxi", DONG_THUY, 1, hometown=6),
        )
        .identify(
            d("2025-04-07"),
            "commune_application",
            "Đơn xin vào Đảng gửi Đảng ủy xã Hiệp An, chuyển về chi bộ nơi làm việc",
        )
        .assign(d("2025-04-21"), "dtt.5")
        .train(d("2025-09-15"), d("2025-09-12"))
        .dossier(
            d("2026-06-08"),
            d("2026-08-12"),
            d("2026-08-26"),
            [("dtt.5", d("2018-05-02")), ("case:H4", d("2018-05-02"))],
        )
        .submit(d("2026-09-09"))
        .returned(
            d("2026-10-08"),
            "Bản tổng hợp ý kiến (5-KNĐ) chưa có nhận xét của chi ủy chi bộ thôn nơi quần chúng "
            "cư trú; đề nghị bổ sung trước khi trình lại.",
        )
        .note(
            d("2026-10-21"),
            "Đã đề nghị chi ủy chi bộ thôn nơi cư trú (xã Hiệp An) cho ý kiến nhận xét; dự kiến "
            "hoàn thiện 5-KNĐ trong tháng 12/2026.",
        )
    )

    # Trained; the mentor was reassigned; one introduction of two so far.
    (
        sc.story(
            "TR3",
            "dtt",
            worker(
                "Nguyễn Văn Hòa",
                "1984-06-30",
                "nam",
                "Nhân viên kỹ thuật",
                DONG_THUY,
                10,
                hometown=2,
                education="Trung cấp",
            ),
        )
        .identify(d("2025-12-08"), "cell_review")
        .assign(d("2025-12-22"), "dtt.6")
        .train(d("2026-05-18"), d("2026-05-15"))
        .reassign(
            d("2026-09-14"),
            "dtt.2",
            "Đảng viên giúp đỡ trước đây được phân công phụ trách đội xe tuyến Đà Lạt, không còn "
            "làm việc cùng ca với quần chúng.",
        )
        .papers(d("2026-10-12"), by=mentor)
        .introduced(d("2026-11-11"), [("dtt.2", d("2019-03-04"))], by=mentor)
    )

    # Mentored by giupdo.dongthuy; the night shifts keep her from the class.
    (
        sc.story(
            "M2",
            "dtt",
            worker("Đặng Thị Thùy Dương", "2000-12-09", "nữ", "Nhân viên tổng đài", DONG_THUY, 5),
        )
        .identify(d("2026-07-06"), "mass_organisation")
        .assign(d("2026-07-20"), "dtt.2")
        .note(
            d("2026-09-14"),
            "Quần chúng chưa học được lớp bồi dưỡng tháng 9/2026 do làm ca đêm ở tổng đài; đăng "
            "ký lại khóa tháng 12/2026.",
            by=mentor,
        )
    )

    # Withdrawn: the seed's difficulty, in one case.
    (
        sc.story(
            "W1",
            "dtt",
            worker("Phan Văn Hậu", "1990-01-22", "nam", "Lái xe taxi", DONG_THUY, 11, hometown=9),
        )
        .identify(d("2025-03-10"), "cell_review")
        .assign(d("2025-03-24"), "dtt.6")
        .note(
            d("2025-08-20"),
            "Quần chúng đã hai lần đăng ký nhưng không tham gia được lớp bồi dưỡng nhận thức về "
            "Đảng (tháng 5 và tháng 8/2025) do lịch chạy xe theo ca.",
        )
        .withdraw(
            d("2025-09-15"),
            "Quần chúng có đơn xin rút khỏi danh sách: không sắp xếp được thời gian học lớp bồi "
            "dưỡng nhận thức về Đảng vì lịch chạy xe theo ca và áp lực doanh thu khoán.",
        )
    )

    # Identified from the Công đoàn's proposal.
    sc.story(
        "I2",
        "dtt",
        worker("Trần Quốc Việt", "2001-02-14", "nam", "Lái xe taxi", DONG_THUY, 7),
    ).identify(
        d("2026-11-04"),
        "mass_organisation",
        "Công đoàn Công ty TNHH Đồng Thúy (đề xuất của Ban Chấp hành Công đoàn, quý IV/2026)",
    )

    # Rejected: the biography hid a dismissal. Introduced, among others, by H7.
    (
        sc.story(
            "J1",
            "ph",
            worker("Tạ Văn Lâm", "1988-12-01", "nam", "Thợ máy chuyền may", PHU_HOI, 4, hometown=4),
        )
        .identify(d("2024-12-09"), "cell_review")
        .assign(d("2024-12-23"), "ph.2")
        .train(d("2025-05-19"), d("2025-05-16"))
        .dossier(
            d("2025-07-07"),
            d("2025-08-20"),
            d("2025-09-03"),
            [("ph.2", d("2022-01-10")), ("case:H7", d("2022-01-10"))],
        )
        .submit(d("2025-10-15"))
        .reject(
            d("2025-11-20"),
            "Kết quả thẩm tra lý lịch: quần chúng không khai việc bị kỷ luật buộc thôi việc năm "
            "2015 tại đơn vị cũ; chưa trung thực trong kê khai lý lịch.",
        )
    )

    # Applied through the commune, withdrew for maternity leave, reinstated, mentored again.
    (
        sc.story(
            "W3",
            "ph",
            worker(
                "Lý Thị Thu Hiền",
                "1994-07-03",
                "nữ",
                "Công nhân may",
                PHU_HOI,
                4,
                doan=True,
                hometown=7,
            ),
        )
        .identify(
            d("2024-10-14"),
            "commune_application",
            "Đơn xin vào Đảng gửi Đảng ủy xã Phú Hội, chuyển về chi bộ công ty nơi làm việc",
        )
        .assign(d("2024-10-28"), "ph.3")
        .withdraw(
            d("2025-04-14"),
            "Quần chúng nghỉ chế độ thai sản, có đơn xin tạm dừng; chi bộ đưa ra khỏi danh sách, "
            "sẽ xem xét lại khi quần chúng trở lại làm việc.",
        )
        .reinstate(
            d("2026-08-10"),
            "Quần chúng đã trở lại làm việc từ tháng 11/2025, có đơn đề nghị tiếp tục được bồi "
            "dưỡng; chi bộ thống nhất đưa lại vào danh sách.",
        )
        .assign(d("2026-08-24"), "ph.5")
    )
