"""The contenders of ``benchmarks.transitions``: the use cases, bare Core, and the peer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, bindparam, select, update

from benchmarks import _peer_django as peer_django
from benchmarks._data import (
    CASES,
    EVENTS,
    MENTOR_ASSIGNMENTS,
    District,
)
from db.runtime import Runtime
from db.session import WRITE
from workflow import services
from workflow.history import CANONICAL_COLUMNS, GENESIS, canonical_data, chain_digest, utc_stamp
from workflow.settings import DEFAULT_SETTINGS

REASON = "chuyển trường theo gia đình"
#: Baseline events get ids far above the use cases' chain so the two never collide.
BARE_EVENT_IDS = 1_000_000_000


@dataclass(frozen=True)
class Scenario:
    """A pair of transitions fired alternately on every case of a set."""

    name: str
    start_state: str
    cases: int
    rounds: int


class UseCases:
    """Transitions through ``services.fire_transition``, one unit of work each."""

    def __init__(self, runtime: Runtime, district: District):
        self.runtime = runtime
        self.actor = district.secretary
        cell = district.cell_ids[0]
        self.mentors = district.members[cell][1:3]

    def fire(self, scenario: Scenario, case_id: int, round_no: int) -> None:
        trigger, raw = _step(scenario, round_no, self.mentors)
        services.fire_transition(self.runtime.uow(), self.actor, case_id, trigger, raw)


class Bare:
    """The same rows written with SQLAlchemy Core, one transaction per transition."""

    SET_STATE = (
        update(CASES)
        .where(CASES.c.id == bindparam("b_case"))
        .values(state=bindparam("b_state"), version=CASES.c.version + 1)
    )
    SET_MENTOR = (
        update(CASES)
        .where(CASES.c.id == bindparam("b_case"))
        .values(mentor_id=bindparam("b_mentor"), version=CASES.c.version + 1)
    )
    CLOSE_ASSIGNMENT = (
        update(MENTOR_ASSIGNMENTS)
        .where(
            MENTOR_ASSIGNMENTS.c.case_id == bindparam("b_case"),
            MENTOR_ASSIGNMENTS.c.until.is_(None),
        )
        .values(until=bindparam("b_today"))
    )
    ADD_ASSIGNMENT = MENTOR_ASSIGNMENTS.insert()
    ADD_EVENT = EVENTS.insert()

    def __init__(self, engine: Engine, district: District, mentor_names: dict[int, str]):
        self.engine = engine
        self.actor = district.secretary
        cell = district.cell_ids[0]
        self.mentors = district.members[cell][1:3]
        self.mentor_names = mentor_names
        # Carry on after the baseline's events of an earlier scenario in the same database.
        with engine.connect() as conn:
            last = conn.execute(
                select(EVENTS.c.id, EVENTS.c.digest)
                .where(EVENTS.c.id > BARE_EVENT_IDS)
                .order_by(EVENTS.c.id.desc())
                .limit(1)
            ).first()
        self.next_id, self.previous = tuple(last) if last else (BARE_EVENT_IDS, GENESIS)

    def fire(self, scenario: Scenario, case_id: int, round_no: int) -> None:
        trigger, raw = _step(scenario, round_no, self.mentors)
        now = datetime.now(UTC)
        if trigger == "reassign_mentor":
            from_state = to_state = "mentored"
            data = {"mentor_id": raw["mentor"], "mentor_name": self.mentor_names[raw["mentor"]]}
        else:
            from_state, to_state = _STATES[trigger]
            data = {}
        self.next_id += 1
        event = {
            "id": self.next_id,
            "case_id": case_id,
            "at": utc_stamp(now),
            "user_id": self.actor.user_id,
            "username": self.actor.username,
            "role": "secretary",
            "action": trigger,
            "from_state": from_state,
            "to_state": to_state,
            "reason": raw.get("reason"),
            "data": canonical_data(data),
            "ruleset": DEFAULT_SETTINGS.version,
            "prev_digest": self.previous,
        }
        # Columns a case event leaves empty (organisation_id...) hash as NULL, as in the chain.
        event["digest"] = chain_digest(self.previous, [event.get(c) for c in CANONICAL_COLUMNS])
        self.previous = event["digest"]
        with self.engine.connect() as conn:
            conn.execution_options(**WRITE)
            with conn.begin():
                if trigger == "reassign_mentor":
                    today = now.date()
                    conn.execute(self.CLOSE_ASSIGNMENT, {"b_case": case_id, "b_today": today})
                    conn.execute(
                        self.ADD_ASSIGNMENT,
                        {"case_id": case_id, "member_id": raw["mentor"], "since": today},
                    )
                    conn.execute(self.SET_MENTOR, {"b_case": case_id, "b_mentor": raw["mentor"]})
                else:
                    conn.execute(self.SET_STATE, {"b_case": case_id, "b_state": to_state})
                conn.execute(self.ADD_EVENT, event)


class Peer:
    """The peer: django-fsm-2 + django-fsm-log, one ``transaction.atomic`` per transition."""

    def __init__(self, peer: peer_django.Peer):
        self.peer = peer
        self.fired = 0

    def fire(self, scenario: Scenario, case_id: int, round_no: int) -> None:
        trigger, _raw = _step(scenario, round_no, [])
        self.peer.fire(trigger, case_id)
        self.fired += 1


_STATES = {"withdraw": ("identified", "withdrawn"), "reinstate": ("withdrawn", "identified")}


def _step(scenario: Scenario, round_no: int, mentors: list[int]) -> tuple[str, dict[str, Any]]:
    """The trigger and input of a scenario's `round_no`-th round."""
    if scenario.start_state == "mentored":
        return "reassign_mentor", {"mentor": mentors[(round_no + 1) % 2]}
    return ("withdraw", "reinstate")[round_no % 2], {"reason": REASON}
