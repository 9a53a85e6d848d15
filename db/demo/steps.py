"""The steps of the story: each case's history (cases/*.toml) and the later dated steps.

A step is one table: its day (``on``, for a case) or moment (``at``), who acts (``by``), one key
naming its kind (a key of ``actions.STEP_KINDS``: ``fire = "admit"``, ``fact = "document"``,
``propose = "..."``...) and the fields the use case reads. The kinds are a table, so that a new
kind of step (a hand-over, a correction, a biography verification) is one entry there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from db.demo.actions import CASE_STEP_KINDS, STEP_KINDS
from db.demo.files import DataError, Entry, entries, read_toml
from workflow.people import PERSON_FIELDS as PERSON_FIELDS_STORED

#: What a case's ``person`` may hold, in the order of the identify form.
PERSON_FIELDS = (*PERSON_FIELDS_STORED, "is_doan_member")


@dataclass(frozen=True)
class Step:
    file: str
    label: str  # "case H1, step 3": what a refusal names
    kind: str  # a key of actions.STEP_KINDS
    name: str  # its value: a trigger, a fact's kind, a key, a day
    by: str  # username
    day: date
    at: datetime | None  # the moment, for steps that are not a case's
    fields: dict[str, Any]
    case: str | None = None  # the label of the case the step belongs to


@dataclass
class CaseStory:
    label: str
    cell: str
    person: dict[str, Any]
    file: str
    steps: list[Step] = field(default_factory=list)


def _step(entry: Entry, users: set[str], kinds: set[str], case: str | None) -> Step:
    found = [key for key in entry.values if key in STEP_KINDS]
    if len(found) != 1 or found[0] not in kinds:
        raise entry.fail(f"a step names exactly one of {', '.join(sorted(kinds))}")
    kind = found[0]
    name = entry.values[kind]
    if isinstance(name, date) and not isinstance(name, datetime):
        name = name.isoformat()
    if not isinstance(name, str):
        raise entry.fail(f"`{kind}` must be a text or a date")
    by = entry.text("by")
    if by not in users:
        raise entry.fail(f"no user {by!r} in users.csv")
    if case is None:
        at = entry.moment("at")
        day = at.date()
    else:
        at, day = None, entry.day("on")
    reserved = {"on", "at", "by", kind}
    fields = {k: v for k, v in entry.values.items() if k not in reserved}
    return Step(entry.file, entry.label, kind, name, by, day, at, fields, case)


def read_cases(folder: Path, last_day: date, users: set[str]) -> list[CaseStory]:
    """Every case of cases/*.toml, in the order of the file names, then of the files."""
    cases: list[CaseStory] = []
    for path in sorted((folder / "cases").glob("*.toml")):
        name = f"cases/{path.name}"
        data = read_toml(folder, name)
        for entry in entries(name, data.get("case"), "case"):
            entry.only("label", "cell", "person", "steps")
            label = entry.text("label")
            entry = entry.named(f"case {label}")
            if any(c.label == label for c in cases):
                raise entry.fail("two cases have this label")
            story = CaseStory(label, entry.text("cell"), _person(entry), name)
            for n, raw in enumerate(entry.values.get("steps") or [], 1):
                step = _step(
                    Entry(name, f"case {label}, step {n}", raw), users, CASE_STEP_KINDS, label
                )
                _check_day(Entry(name, step.label, raw), step, story, last_day)
                story.steps.append(step)
            if not story.steps or story.steps[0].name != "identify":
                raise entry.fail('a case\'s first step is `fire = "identify"`')
            cases.append(story)
    return cases


def _person(entry: Entry) -> dict[str, Any]:
    person = entry.values.get("person")
    if not isinstance(person, dict):
        raise entry.fail("`person` must be a table")
    Entry(entry.file, entry.label, person).only(*PERSON_FIELDS)
    for key in ("full_name", "birth_date"):
        if key not in person:
            raise entry.fail(f"`person.{key}` is missing")
    return {key: person[key] for key in PERSON_FIELDS if key in person}


def _check_day(entry: Entry, step: Step, story: CaseStory, last_day: date) -> None:
    if step.day > last_day:
        raise entry.fail(f"{step.day} is after the story's last day {last_day}")
    if step.day.weekday() >= 5:
        raise entry.fail(f"{step.day} falls on a weekend")
    if story.steps and step.day < story.steps[-1].day:
        raise entry.fail(f"{step.day} is before the step before it")


def read_steps(name: str, data: dict[str, Any], users: set[str]) -> list[Step]:
    """The ``[[step]]`` tables of a file, each at its moment, in order."""
    steps: list[Step] = []
    kinds = set(STEP_KINDS) - CASE_STEP_KINDS
    for entry in entries(name, data.get("step"), "step"):
        step = _step(entry, users, kinds, None)
        if steps and step.at < steps[-1].at:  # type: ignore[operator]
            raise entry.fail(f"{step.at} is before the step before it")
        steps.append(step)
    if not steps and "step" in data:
        raise DataError(name, "step", "no step")
    return steps
