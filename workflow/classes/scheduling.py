"""Scheduling a class: its kind of sessions, the sessions of the form, the class as judged."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum
from typing import Any

from workflow.classes.refusals import (
    CAPACITY_RANGE,
    CLASS_NOTE_MAX,
    ENDED,
    ENDS_BEFORE_START,
    NAME_MAX,
    NO_SESSION,
    NOT_A_CHOICE,
    NOT_DAYTIME,
    NOT_EVENING,
    NOT_WEEKEND,
    PLACE_MAX,
    REQUIRED,
    SAME_SESSION,
    clean_text,
    parse_time,
)
from workflow.classes.settings import DEFAULT_CLASS_SETTINGS, ClassSettings
from workflow.errors import InvalidInput
from workflow.fields import parse_date


class SessionKind(StrEnum):
    """When a class meets: the plan's difficulty is that workers cannot come in the daytime."""

    daytime = "daytime"
    evening = "evening"
    weekend = "weekend"


#: Evening sessions start at or after this local time; daytime ones before it.
EVENING_FROM = time(17, 0)


@dataclass(frozen=True)
class SessionPlan:
    """One session: its day and local hours."""

    held_on: date
    starts_at: time
    ends_at: time


@dataclass(frozen=True)
class ClassPlan:
    """A class as the centre schedules it; its dates are those of its first and last sessions."""

    name: str
    place: str
    kind: SessionKind
    capacity: int
    sessions: tuple[SessionPlan, ...]
    note: str | None = None

    @property
    def starts_on(self) -> date:
        return self.sessions[0].held_on

    @property
    def ends_on(self) -> date:
        return self.sessions[-1].held_on


@dataclass(frozen=True)
class ClassFacts:
    """A class as the rules judge it; `catchment_path` is the area its centre serves."""

    id: int
    centre_id: int
    catchment_path: str
    name: str
    kind: str
    capacity: int
    starts_on: date
    ends_on: date
    issued_on: date | None = None
    enrolled: int = 0


def parse_sessions(rows: Sequence[tuple[Any, Any, Any]]) -> tuple[SessionPlan, ...]:
    """The sessions of the form's rows (date, start, end), by date; empty rows are skipped.

    A bad row names its field as ``session_date-N`` (``_start``, ``_end``), N counting from 1.
    """
    sessions = []
    for number, (day, start, end) in enumerate(rows, start=1):
        if not any(str(v or "").strip() for v in (day, start, end)):
            continue
        held_on = parse_date(f"session_date-{number}", day)
        starts_at = parse_time(f"session_start-{number}", start)
        ends_at = parse_time(f"session_end-{number}", end)
        for name, value in (("date", held_on), ("start", starts_at), ("end", ends_at)):
            if value is None:
                raise InvalidInput(f"session_{name}-{number}", REQUIRED)
        if ends_at <= starts_at:
            raise InvalidInput(f"session_end-{number}", ENDS_BEFORE_START)
        sessions.append(SessionPlan(held_on, starts_at, ends_at))
    sessions.sort(key=lambda s: (s.held_on, s.starts_at))
    for before, after in zip(sessions, sessions[1:], strict=False):
        if (before.held_on, before.starts_at) == (after.held_on, after.starts_at):
            raise InvalidInput("sessions", SAME_SESSION)
    return tuple(sessions)


def _kind_holds(kind: SessionKind, session: SessionPlan) -> bool:
    weekend = session.held_on.weekday() >= 5
    if kind == SessionKind.weekend:
        return weekend
    if kind == SessionKind.evening:
        return session.starts_at >= EVENING_FROM
    return not weekend and session.starts_at < EVENING_FROM


def parse_class(
    raw: Mapping[str, Any],
    rows: Sequence[tuple[Any, Any, Any]],
    today: date,
    settings: ClassSettings = DEFAULT_CLASS_SETTINGS,
) -> ClassPlan:
    """The class the form describes, or InvalidInput naming the first field that is wrong."""
    name = clean_text("name", raw.get("name"), NAME_MAX)
    place = clean_text("place", raw.get("place"), PLACE_MAX)
    kind = str(raw.get("kind") or "").strip()
    if not kind:
        raise InvalidInput("kind", REQUIRED)
    if kind not in set(SessionKind):
        raise InvalidInput("kind", NOT_A_CHOICE)
    text = str(raw.get("capacity") or "").strip()
    if not text:
        raise InvalidInput("capacity", REQUIRED)
    if not text.isdigit() or not 1 <= int(text) <= settings.max_capacity:
        raise InvalidInput("capacity", CAPACITY_RANGE)
    note = clean_text("note", raw.get("note"), CLASS_NOTE_MAX, required=False)
    sessions = parse_sessions(rows)
    if not sessions:
        raise InvalidInput("sessions", NO_SESSION)
    plan = ClassPlan(name, place, SessionKind(kind), int(text), sessions, note)
    problem = {
        SessionKind.weekend: NOT_WEEKEND,
        SessionKind.evening: NOT_EVENING,
        SessionKind.daytime: NOT_DAYTIME,
    }[plan.kind]
    if not all(_kind_holds(plan.kind, session) for session in sessions):
        raise InvalidInput("kind", problem)
    if plan.ends_on < today:
        raise InvalidInput("sessions", ENDED)
    return plan


def class_status(facts: ClassFacts, today: date) -> str:
    """``issued``, ``over`` (certificates due), ``running`` or ``upcoming``."""
    if facts.issued_on is not None:
        return "issued"
    if today > facts.ends_on:
        return "over"
    return "running" if today >= facts.starts_on else "upcoming"
