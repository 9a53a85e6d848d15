"""Playing the story's steps through the use cases, each with a clock at its moment.

The cases' steps come first, in date order (on one day, in the order of the case files, two
minutes apart from the frame's first step), then the later steps (proposals, classes) each at
its own moment. A step's fields are resolved here: the story's keys become ids (``"@dt.3"`` is
the member ``dt.3``, ``"@case:H4"`` the member case H4's candidate became), dates become
``dd/mm/yyyy`` and votes ``{ of = "cell", against = 0, absent = 1 }`` become the counts of the
body's eligible members on that day.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

from db.demo.actions import (
    STEP_KINDS,
    Call,
    actors,
    cell_roll,
    grant_on_dissolved,
    organisation,
    voting_committee,
)
from db.demo.district import Ids
from db.demo.files import DataError
from db.demo.steps import CaseStory, Step
from db.demo.story import Story
from db.runtime import Runtime
from workflow.clock import Clock
from workflow.dates import LOCAL_ZONE
from workflow.errors import DomainError
from workflow.facts import Actor


class Timeline:
    """Runs the steps; `ids` grows with what they create (cases, members, proposals, classes)."""

    def __init__(self, runtime: Runtime, story: Story, ids: Ids, by_name: dict[str, Actor]):
        self.runtime = runtime
        self.story = story
        self.ids = ids
        self.actors = by_name
        self.last: datetime | None = None
        #: The cell a case was accepted by, by case label, after a hand-over.
        self.moved: dict[str, str] = {}

    def run_cases(self) -> None:
        """Every case's steps, in date order, and among them the admin's dated steps (the
        admissions outside hoso, the 2025 reform) at their moments."""
        frame = self.story.frame
        order = sorted(
            (
                (step.day, s, k, case, step)
                for s, case in enumerate(self.story.cases)
                for k, step in enumerate(case.steps)
            ),
            key=lambda item: item[:3],
        )
        per_day: Counter[date] = Counter()
        played: list[tuple[datetime, int, Step, CaseStory | None]] = []
        for n, (day, _, _, case, step) in enumerate(order):
            start = datetime.combine(day, frame.first_step, tzinfo=LOCAL_ZONE)
            moment = start + timedelta(minutes=frame.step_minutes * per_day[day])
            per_day[day] += 1
            played.append((moment, n, step, case))
        for n, step in enumerate(self.story.dated, len(played)):
            played.append((step.at, n, step, None))  # type: ignore[arg-type]
        for moment, _, step, case in sorted(played, key=lambda item: item[:2]):
            self._play(step, moment, case)

    def run_later(self) -> None:
        """The steps after the cases', each at its moment."""
        for step in self.story.later:
            self._play(step, step.at, None)  # type: ignore[arg-type]

    def _play(self, step: Step, moment: datetime, case: CaseStory | None) -> None:
        if self.last is not None and moment < self.last:
            raise DataError(step.file, step.label, f"{moment} is before the step played before it")
        self.last = moment
        target, fields = self.resolve(step, case)
        call = Call(self.actors[step.by], Clock(moment.astimezone(UTC)), step.name, target, fields)
        try:
            made = STEP_KINDS[step.kind](self.runtime, call)
        except DomainError as err:
            who = f" ({case.person['full_name']})" if case else ""
            raise RuntimeError(
                f"demo data {step.file}, {step.label}{who}: {step.name} by {step.by} on "
                f"{step.day} was refused: {err}"
            ) from err
        self._remember(step, case, made)
        if step.kind in _RESHAPES:
            # The actors' scopes are paths of the tree: read them again after it changed.
            with self.runtime.sessions() as session:
                self.actors = actors(session)

    def _remember(self, step: Step, case: CaseStory | None, made: int | None) -> None:
        if case is not None and step.kind == "accept":
            self.moved[case.label] = step.name
        if made is None:
            return
        if case is not None and step.kind in _CASE_MADE:
            self.ids.made[(case.label, step.kind, step.name)] = made
        elif step.kind == "split":
            self.ids.orgs[step.name] = organisation(self.runtime, made)
        elif case is not None and step.name == "identify":
            self.ids.cases[case.label] = made
        elif case is not None and step.name == "admit":
            self.ids.case_members[case.label] = made
        elif step.kind == "propose":
            self.ids.proposals[step.name] = made
        elif step.kind == "schedule":
            self.ids.classes[step.name] = made

    # --- resolving a step's fields ----------------------------------------------------------

    def resolve(self, step: Step, case: CaseStory | None) -> tuple[int | None, dict[str, Any]]:
        """The id the step acts on and its fields as the use case reads them."""
        fields = dict(step.fields)
        if case is None:
            resolvers = {
                "propose": self._propose,
                "decline": self._decline,
                "schedule": self._schedule,
                "enrol": self._enrol,
                "attend": self._attend,
                "move_grant": self._grant,
            }
            if step.kind in _ADMIN_RESOLVED:
                return self._admin(step, fields)
            if step.kind not in resolvers:
                raise DataError(step.file, step.label, f"a {step.kind} step needs a case")
            return resolvers[step.kind](step, fields)
        # A case handed over and accepted continues at the accepting cell (its votes count there).
        cell = self._key(step, self.ids.orgs, self.moved.get(case.label, case.cell), "organisation")
        if step.name == "identify":
            person = self._values(step, case.person, cell.id)
            return None, {**person, "cell": str(cell.id), **self._values(step, fields, cell.id)}
        if step.kind in _CASE_REFERS:
            # An answer names its request, an acceptance its hand-over, an approval its
            # correction: by the key the earlier step of the same case was given.
            kind, field = _CASE_REFERS[step.kind]
            made = (case.label, kind, step.name)
            fields[field] = self._key(step, self.ids.made, made, f"earlier {kind} step")
        if step.kind == "hand_over":
            fields["to"] = self._key(step, self.ids.orgs, step.name, "organisation").id
        return self.ids.cases[case.label], self._values(step, fields, cell.id)

    def _admin(self, step: Step, fields: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """An admin's restructuring, target or outside total: organisation keys become ids."""
        name = fields.pop("organisation", None) if step.kind == "split" else step.name
        org = self._key(step, self.ids.orgs, name, "organisation")
        for key in ("parent_id", "organisation_id"):
            if key in fields:
                fields[key] = self._key(step, self.ids.orgs, fields[key], "organisation").id
        if "children" in fields:
            fields["children"] = [
                self._key(step, self.ids.orgs, key, "organisation").id for key in fields["children"]
            ]
        return org.id, fields

    def _grant(self, step: Step, fields: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """The grant the user ``name`` holds on a dissolved organisation."""
        grant = grant_on_dissolved(self.runtime, step.name)
        if grant is None:
            raise DataError(step.file, step.label, f"{step.name} holds no role to move")
        org = self._key(step, self.ids.orgs, fields.pop("to", None), "organisation")
        return grant, {"organisation_id": org.id}

    # What a step outside a case acts on, by kind (a new kind adds its method, and its line in
    # `resolve`).

    def _propose(self, step: Step, fields: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        org = self._key(step, self.ids.orgs, fields.pop("organisation", None), "organisation")
        return org.id, self._values(step, fields, None)

    def _decline(self, step: Step, fields: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        target = self._key(step, self.ids.proposals, step.name, "proposal")
        return target, self._values(step, fields, None)

    def _schedule(self, step: Step, fields: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        centre = self._key(step, self.ids.orgs, fields.pop("centre", None), "organisation")
        return centre.id, self._values(step, fields, None)

    def _enrol(self, step: Step, fields: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        target = self._key(step, self.ids.classes, fields.pop("class", None), "class")
        case_id = self._key(step, self.ids.cases, step.name, "case")
        return target, {**self._values(step, fields, None), "case": case_id}

    def _attend(self, step: Step, fields: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        target = self._key(step, self.ids.classes, fields.pop("class", None), "class")
        absent = {}
        for row in fields.pop("absent", []):
            case_id = self._key(step, self.ids.cases, row.get("case"), "case")
            absent[case_id] = (row.get("reason"), row.get("note"))
        if fields:
            raise DataError(step.file, step.label, f"unknown key(s) {', '.join(sorted(fields))}")
        return target, {"absent": absent}

    def _key(self, step: Step, table: dict[str, Any], key: Any, what: str) -> Any:
        if key not in table:
            raise DataError(step.file, step.label, f"no {what} {key!r} (yet)")
        return table[key]

    def _values(self, step: Step, fields: dict[str, Any], cell_id: int | None) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for key, value in fields.items():
            if key == "votes":
                held = fields.get("vote_date", step.day)
                values.update(self._votes(step, value, cell_id, held))
            else:
                values[key] = self._value(step, value)
        return values

    def _value(self, step: Step, value: Any) -> Any:
        if isinstance(value, dict):
            return {key: self._value(step, item) for key, item in value.items()}
        if isinstance(value, str) and value.startswith("@case:"):
            label = value.removeprefix("@case:")
            return str(self._key(step, self.ids.case_members, label, "member from case"))
        if isinstance(value, str) and value.startswith("@"):
            return str(self._key(step, self.ids.members, value[1:], "member"))
        if isinstance(value, bool):
            return "có" if value else "không"
        if isinstance(value, date):
            return value.strftime("%d/%m/%Y")
        if isinstance(value, int):
            return str(value)
        if isinstance(value, list):
            return [self._value(step, item) for item in value]
        return value

    def _votes(self, step: Step, votes: Any, cell_id: int | None, held: date) -> dict[str, str]:
        """All eligible members of the body on the vote date `held` voting, less the absent and
        those against; a cell's vote also names its official members that day, the exempted
        among the absent and those present (the vote record of Hướng dẫn 12-HD/BTCTW)."""
        if not isinstance(votes, dict) or set(votes) != {"of", "against", "absent"}:
            raise DataError(step.file, step.label, "`votes` is { of, against, absent }")
        against, absent = int(votes["against"]), int(votes["absent"])
        if votes["of"] == "committee" and cell_id is not None:
            eligible = voting_committee(self.runtime, cell_id, held)
            return {
                "votes_for": str(eligible - absent - against),
                "votes_against": str(against),
            }
        if votes["of"] != "cell" or cell_id is None:
            raise DataError(step.file, step.label, "`votes.of` is cell or committee")
        roll = cell_roll(self.runtime, cell_id, held)
        # The absent are first the members exempted from activity (miễn sinh hoạt).
        excused = min(absent, roll.excused)
        return {
            "votes_for": str(roll.official - absent - against),
            "votes_against": str(against),
            "official_members": str(roll.official),
            "excused_absent": str(excused),
            "present": str(roll.official - absent),
        }


#: The case steps whose id a later step names: (case label, kind, key) → id.
_CASE_MADE = frozenset({"verify", "hand_over", "correct"})
#: A case step naming an earlier one's id: its kind → (the earlier kind, the field).
_CASE_REFERS = {
    "answer": ("verify", "request"),
    "accept": ("hand_over", "hand_over"),
    "approve": ("correct", "correction"),
}
#: The admin's steps that change the tree or a grant (the actors' scopes).
_RESHAPES = frozenset({"split", "move", "dissolve", "move_grant"})
#: The admin's steps whose ``name`` (or ``organisation``, for a split) is an organisation key.
_ADMIN_RESOLVED = frozenset({"outside", "split", "move", "dissolve", "target"})
