"""The demo's story read from its data files into plain values, every reference checked.

Nothing here touches the database: a malformed file is refused before the first row is written,
with the file and the entry named (``DataError``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from db.demo.actions import ADMIN_STEP_KINDS
from db.demo.files import DataError, Entry, entries, read_csv, read_toml
from db.demo.steps import CaseStory, Step, read_cases, read_steps
from workflow.people import Category
from workflow.states import MemberStatus, OrgType, Role, UnitKind
from workflow.targets import ALL_CATEGORIES, Metric

#: The folder of the data files shipped with the package.
DATA = Path(__file__).parent / "data"

#: The person's fields of a member (members.csv) as the biography records them.
PERSON_COLUMNS = (
    "full_name", "sex", "birth_date", "birth_place", "hometown", "ethnicity", "religion",
    "education", "residence", "occupation", "id_number",
)  # fmt: skip


@dataclass(frozen=True)
class Frame:
    """The story's frame: its last day, the demo password, the time of the day's case steps, and
    the admin who sets the district up (a user of users.csv) from `setup_time` on the first day."""

    last_day: date
    password: str
    first_step: time
    step_minutes: int
    admin: str
    setup_time: time


@dataclass(frozen=True)
class OrgSpec:
    key: str
    name: str
    type: str
    parent: str | None
    values: dict[str, Any]  # the model's other columns (unit_kind, has_doan, mass_kind...)


@dataclass(frozen=True)
class MemberSpec:
    key: str
    cell: str
    person: dict[str, Any]
    status: str
    admitted_on: date
    official_since: date | None
    excused: bool


@dataclass(frozen=True)
class UserSpec:
    username: str
    full_name: str
    member: str | None
    role: str
    scope: str
    active: bool


@dataclass(frozen=True)
class TargetSpec:
    organisation: str
    year: int
    metric: str
    value: Decimal
    note: str
    category: str = ALL_CATEGORIES  # an admissions target may count one category of person


@dataclass(frozen=True)
class PaperProposal:
    """A mass organisation's introduction that opened a case before hoso kept proposals."""

    case: str
    organisation: str
    introducer: str
    decided_by: str
    proposed_on: date
    texts: dict[str, str]  # reasons, achievements, movement


@dataclass
class Story:
    frame: Frame
    organisations: list[OrgSpec]
    members: list[MemberSpec]
    users: list[UserSpec]
    targets: list[TargetSpec] = field(default_factory=list)
    enterprises: list[dict[str, Any]] = field(default_factory=list)
    papers: list[PaperProposal] = field(default_factory=list)
    cases: list[CaseStory] = field(default_factory=list)
    #: The steps after the cases' (proposals, then classes), each at its own time.
    later: list[Step] = field(default_factory=list)
    #: The admin's steps among the cases' (reform.toml: admissions outside hoso, the 2025
    #: reform of the tree), each at its own moment.
    dated: list[Step] = field(default_factory=list)

    @property
    def first_day(self) -> date:
        """The day of the story's first step: the district is set up that morning."""
        return min(step.day for case in self.cases for step in case.steps)

    def admin_chain(self) -> list[OrgSpec]:
        """The setting-up admin's scope and the organisations above it, root first."""
        by_key = {o.key: o for o in self.organisations}
        admin = next(u for u in self.users if u.username == self.frame.admin)
        chain, key = [], admin.scope
        while key is not None:
            chain.insert(0, by_key[key])
            key = by_key[key].parent
        return chain


def read_story(folder: Path = DATA) -> Story:
    """Read and check every data file of `folder`."""
    frame = _frame(folder)
    orgs = _organisations(folder)
    keys = {o.key for o in orgs}
    members = _members(folder, keys)
    users = _users(folder, keys, {m.key for m in members})
    story = Story(frame, orgs, members, users)
    story.targets = _targets(folder, keys)
    story.enterprises = _enterprises(folder, keys)
    usernames = {u.username for u in users}
    _check_admin(frame, story)
    story.cases = read_cases(folder, frame.last_day, usernames)
    labels = {c.label for c in story.cases}
    _check_references(story, keys, {m.key for m in members}, labels)
    proposals = read_toml(folder, "proposals.toml")
    story.papers = _papers(proposals, keys, usernames, labels)
    story.dated = read_steps("reform.toml", read_toml(folder, "reform.toml"), usernames)
    _check_dated(story.dated, keys)
    story.later = read_steps("proposals.toml", proposals, usernames) + read_steps(
        "classes.toml", read_toml(folder, "classes.toml"), usernames
    )
    return story


def _check_dated(steps: list[Step], orgs: set[str]) -> None:
    """The dated steps are the admin's kinds and name organisations that exist by then."""
    known = set(orgs)
    for step in steps:
        if step.kind not in ADMIN_STEP_KINDS:
            raise DataError(
                step.file, step.label, f"a dated step is one of {sorted(ADMIN_STEP_KINDS)}"
            )
        if step.kind == "split":
            known.add(step.name)
        names = [step.fields.get(k) for k in ("organisation", "parent_id", "organisation_id", "to")]
        names += list(step.fields.get("children", []))
        if step.kind not in ("split", "move_grant"):
            names.append(step.name)
        for name in names:
            if name is not None and name not in known:
                raise DataError(step.file, step.label, f"no organisation {name!r}")


def _check_references(story: Story, orgs: set[str], members: set[str], cases: set[str]) -> None:
    """Every case's cell and every ``@member`` / ``@case:label`` of a step names something."""

    def check(step: Step, value: Any) -> None:
        if isinstance(value, list | tuple):
            for item in value:
                check(step, item)
        elif isinstance(value, str) and value.startswith("@case:"):
            if value.removeprefix("@case:") not in cases:
                raise DataError(step.file, step.label, f"no case {value.removeprefix('@case:')!r}")
        elif isinstance(value, str) and value.startswith("@") and value[1:] not in members:
            raise DataError(step.file, step.label, f"no member {value[1:]!r} in members.csv")

    for case in story.cases:
        if case.cell not in orgs:
            raise DataError(case.file, f"case {case.label}", f"no organisation {case.cell!r}")
        for step in case.steps:
            check(step, list(step.fields.values()))


def _frame(folder: Path) -> Frame:
    entry = Entry("district.toml", "frame", read_toml(folder, "district.toml"))
    entry.only("last_day", "password", "first_step", "step_minutes", "admin", "setup_time")
    first, setup = (_time(entry, key) for key in ("first_step", "setup_time"))
    if setup >= first:
        raise entry.fail("`setup_time` must come before `first_step`")
    return Frame(
        entry.day("last_day"),
        entry.text("password"),
        first,
        entry.number("step_minutes"),
        entry.text("admin"),
        setup,
    )


def _time(entry: Entry, key: str) -> time:
    try:
        return time.fromisoformat(entry.text(key))
    except ValueError as err:
        raise entry.fail(f"`{key}` must be a time (HH:MM)") from err


def _check_admin(frame: Frame, story: Story) -> None:
    """The setting-up admin is an active admin of users.csv, not a member (created before any),
    and every organisation but those above their scope lies within it."""
    entry = Entry("district.toml", "frame", {})
    admin = next((u for u in story.users if u.username == frame.admin), None)
    if admin is None or admin.role != Role.admin or not admin.active or admin.member:
        raise entry.fail(f"`admin` {frame.admin!r} must be an active admin of users.csv, no member")
    above = {o.key for o in story.admin_chain()}  # written directly
    within = {admin.scope}  # organisations.csv lists parents first
    for org in story.organisations:
        if org.parent in within:
            within.add(org.key)
        if org.key not in within | above:
            raise DataError(
                "organisations.csv", f"organisation {org.key}", f"outside {frame.admin}'s scope"
            )


#: The columns of organisations.csv. Dated organisations (``valid_from``, ``valid_until``: the
#: 2025 reform) join this list, and ``values`` below, when the organisation model carries them.
_ORG_COLUMNS = (
    "key", "name", "type", "parent", "unit_kind", "has_doan", "mass_kind", "decides_admissions",
    "committee_size",
)  # fmt: skip


def _organisations(folder: Path) -> list[OrgSpec]:
    found: list[OrgSpec] = []
    for entry in read_csv(folder, "organisations.csv", _ORG_COLUMNS):
        values: dict[str, Any] = {
            "has_doan": entry.flag("has_doan", True),
            "decides_admissions": entry.flag("decides_admissions"),
        }
        values["committee_size"] = entry.number("committee_size", 0)
        values["unit_kind"] = entry.values.get("unit_kind", UnitKind.other.value)
        if values["unit_kind"] not in set(UnitKind):
            raise entry.fail(f"unknown unit_kind {values['unit_kind']!r}")
        values["mass_kind"] = entry.maybe_text("mass_kind")
        parent = entry.maybe_text("parent")
        if parent is not None and parent not in {o.key for o in found}:
            raise entry.fail(f"parent {parent!r} is not an organisation listed above it")
        key = entry.text("key")
        if key in {o.key for o in found}:
            raise entry.fail(f"two organisations have the key {key!r}")
        found.append(
            OrgSpec(key, entry.text("name"), entry.choice("type", set(OrgType)), parent, values)
        )
    return found


def _members(folder: Path, orgs: set[str]) -> list[MemberSpec]:
    columns = ("key", "cell", *PERSON_COLUMNS, "status", "admitted_on", "official_since", "excused")
    found: list[MemberSpec] = []
    for entry in read_csv(folder, "members.csv", columns):
        if entry.text("cell") not in orgs:
            raise entry.fail(f"no organisation {entry.values['cell']!r}")
        person = {name: entry.values.get(name) for name in PERSON_COLUMNS}
        person["full_name"] = entry.text("full_name")
        person["birth_date"] = entry.day("birth_date")
        found.append(
            MemberSpec(
                entry.text("key"),
                entry.text("cell"),
                person,
                entry.choice("status", set(MemberStatus)),
                entry.day("admitted_on"),
                entry.maybe_day("official_since"),
                entry.flag("excused"),
            )
        )
    if len({m.key for m in found}) != len(found):
        raise DataError("members.csv", "keys", "two members have the same key")
    return found


def _users(folder: Path, orgs: set[str], members: set[str]) -> list[UserSpec]:
    columns = ("username", "full_name", "member", "role", "scope", "active")
    found: list[UserSpec] = []
    for entry in read_csv(folder, "users.csv", columns):
        member = entry.maybe_text("member")
        if member is not None and member not in members:
            raise entry.fail(f"no member {member!r} in members.csv")
        if member is None and not entry.maybe_text("full_name"):
            raise entry.fail("a user who is not a member needs a full_name")
        if entry.text("scope") not in orgs:
            raise entry.fail(f"no organisation {entry.values['scope']!r}")
        found.append(
            UserSpec(
                entry.text("username"),
                entry.values.get("full_name", ""),
                member,
                entry.choice("role", set(Role)),
                entry.text("scope"),
                entry.flag("active"),
            )
        )
    return found


def _targets(folder: Path, orgs: set[str]) -> list[TargetSpec]:
    data = read_toml(folder, "targets.toml")
    frame = Entry("targets.toml", "plan", data)
    plan, plan_year = frame.text("plan"), frame.number("plan_year")
    found: list[TargetSpec] = []
    for entry in entries("targets.toml", data.get("target"), "target"):
        entry.only("organisations", "years", "metric", "value", "note", "category")
        years = entry.values.get("years")
        if not (isinstance(years, list) and len(years) == 2 and all(type(y) is int for y in years)):
            raise entry.fail("`years` must be [first, last]")
        try:
            value = Decimal(entry.text("value"))
        except InvalidOperation as err:
            raise entry.fail("`value` must be a number in quotes") from err
        metric, note = entry.choice("metric", set(Metric)), entry.text("note")
        category = ALL_CATEGORIES
        if entry.values.get("category") is not None:
            category = entry.choice("category", {c.value for c in Category})
        for key in entry.texts("organisations"):
            if key not in orgs:
                raise entry.fail(f"no organisation {key!r}")
            for year in range(years[0], years[1] + 1):
                # Before the plan existed, its targets are a yardstick for comparison only.
                when = f"{plan}; áp dụng để so sánh" if year < plan_year else plan
                found.append(TargetSpec(key, year, metric, value, f"{note} ({when})", category))
    return found


def _enterprises(folder: Path, orgs: set[str]) -> list[dict[str, Any]]:
    data = read_toml(folder, "enterprises.toml")
    found = []
    for entry in entries("enterprises.toml", data.get("enterprise"), "enterprise"):
        entry.only(
            "name", "tax_code", "address", "workforce", "cell", "has_doan", "has_congdoan",
            "committee", "survey_status", "surveyed_on", "plan",
        )  # fmt: skip
        for key in ("cell", "committee"):
            if entry.values.get(key) is not None and entry.values[key] not in orgs:
                raise entry.fail(f"no organisation {entry.values[key]!r}")
        values = {
            "name": entry.text("name"),
            "tax_code": entry.maybe_text("tax_code"),
            "address": entry.maybe_text("address"),
            "workforce": entry.number("workforce", 0),
            "has_doan": entry.flag("has_doan"),
            "has_congdoan": entry.flag("has_congdoan"),
            "survey_status": entry.text("survey_status"),
            "surveyed_on": entry.maybe_day("surveyed_on"),
            "plan": entry.maybe_text("plan"),
            "cell": entry.maybe_text("cell"),  # organisation keys, resolved when written
            "committee": entry.text("committee"),
        }
        found.append(values)
    return found


def _papers(
    data: dict[str, Any], orgs: set[str], users: set[str], cases: set[str]
) -> list[PaperProposal]:
    found: list[PaperProposal] = []
    for entry in entries("proposals.toml", data.get("paper"), "paper"):
        entry.only(
            "case", "organisation", "introducer", "decided_by", "proposed_on", "reasons",
            "achievements", "movement",
        )  # fmt: skip
        if entry.text("case") not in cases:
            raise entry.fail(f"no case {entry.values['case']!r}")
        if entry.text("organisation") not in orgs:
            raise entry.fail(f"no organisation {entry.values['organisation']!r}")
        for key in ("introducer", "decided_by"):
            if entry.text(key) not in users:
                raise entry.fail(f"no user {entry.values[key]!r}")
        texts = {key: entry.text(key) for key in ("reasons", "achievements", "movement")}
        found.append(
            PaperProposal(
                entry.values["case"],
                entry.values["organisation"],
                entry.values["introducer"],
                entry.values["decided_by"],
                entry.day("proposed_on"),
                texts,
            )
        )
    return found
