"""Persisted transitions per second: the use cases against a bare Core UPDATE + INSERT and a peer.

The use case (``workflow.services.fire_transition`` with a ``Runtime``) loads the case and what
the rules judge, checks the policy and the rules, fires the one machine, stores the change, appends
a hash-chained event under the chain head's lock and commits. The baseline does what must reach the
database for the same transition, with SQLAlchemy Core on the same engine, one transaction each:
``UPDATE cases SET state=..., version=version+1 WHERE id=...`` and ``INSERT INTO events`` of the
same row (its digest computed in memory). Both run in the same process on the same database, in
interleaved rounds over their own cases, so that they see the same table sizes and cache warmth.

The peer (``benchmarks._peer_django``, with the ``bench`` extra) is django-fsm-2 with
django-fsm-log: a Django ``Case`` with an ``FSMField`` whose ``withdraw`` and ``reinstate`` write a
``StateLog`` row, loaded, fired and saved in one ``transaction.atomic()``, on its own fresh
database of the same backend. It takes part in ``withdraw ⇄ reinstate`` (it has no mentors), in
the same interleaved rounds. Without the extra it is skipped, with a message.

Scenarios: ``withdraw ⇄ reinstate`` (cheap rules: a reason) and ``reassign_mentor`` (a member to
resolve, the open assignment closed and a new one added: two more statements in the baseline too).
Goals recorded in docs/performance.md: the use cases reach at least half the bare throughput and
1.5 times the peer's.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, bindparam, func, select, update

from benchmarks import _peer_django as peer_django
from benchmarks import _support as s
from benchmarks._data import (
    CASES,
    CHAIN_HEAD,
    EVENTS,
    MEMBERS,
    MENTOR_ASSIGNMENTS,
    PEOPLE,
    District,
    build_district,
    insert_cases,
    open_assignments,
)
from db.runtime import Runtime
from db.session import WRITE, session_factory
from workflow import services
from workflow.history import CANONICAL_COLUMNS, GENESIS, canonical_data, chain_digest, utc_stamp
from workflow.settings import DEFAULT_SETTINGS, Settings

NAME = "transitions"
TITLE = (
    "Persisted transitions per second: use cases vs. bare Core UPDATE + INSERT vs. django-fsm-log"
)
GOAL = 0.5  # use-case throughput / bare throughput, at least
PEER_GOAL = 1.5  # use-case throughput / the peer's (django-fsm-2 + django-fsm-log), at least
REASON = "chuyển trường theo gia đình"
#: Baseline events get ids far above the use cases' chain so the two never collide.
BARE_EVENT_IDS = 1_000_000_000
WARMUP_CASES = 10


@dataclass(frozen=True)
class Scenario:
    """A pair of transitions fired alternately on every case of a set."""

    name: str
    start_state: str
    cases: int
    rounds: int


def scenarios(quick: bool) -> list[Scenario]:
    if quick:
        return [
            Scenario("withdraw ⇄ reinstate", "identified", 40, 2),
            Scenario("reassign_mentor", "mentored", 20, 2),
        ]
    return [
        Scenario("withdraw ⇄ reinstate", "identified", 500, 6),
        Scenario("reassign_mentor", "mentored", 250, 4),
    ]


# --- the two contenders ---------------------------------------------------------------------


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


# --- running --------------------------------------------------------------------------------


def _pass(fire: Callable, scenario: Scenario, cases: list[int], round_no: int) -> list[float]:
    """One round over `cases`; each transition's latency in seconds."""
    latencies = []
    for case_id in cases:
        _, seconds = s.timed(lambda c=case_id: fire(scenario, c, round_no))
        latencies.append(seconds)
    return latencies


def _prepare(
    engine: Engine, district: District, scenario: Scenario, peer: peer_django.Peer | None
) -> dict[str, list[int]]:
    """Cases in the scenario's start state: one set per contender, and a few for warming up."""
    cell = district.cell_ids[0]
    mentor = district.members[cell][1] if scenario.start_state == "mentored" else None
    sets = {}
    for key in ("use_cases", "bare"):
        for name, size in ((key, scenario.cases), (f"warm_{key}", WARMUP_CASES)):
            sets[name] = insert_cases(engine, [(cell, scenario.start_state, mentor)] * size)
            if mentor is not None:
                open_assignments(engine, [(c, mentor) for c in sets[name]], date(2026, 1, 6))
    if peer is not None:
        sets["peer"] = peer.insert_cases(scenario.cases)
        sets["warm_peer"] = peer.insert_cases(WARMUP_CASES)
    return sets


def _run_scenario(
    engine: Engine,
    district: District,
    runtime: Runtime,
    scenario: Scenario,
    profile: bool,
    peer: peer_django.Peer | None,
) -> dict[str, Any]:
    if scenario.start_state != "identified":
        peer = None  # the peer's Case has withdraw and reinstate only
    sets = _prepare(engine, district, scenario, peer)
    with engine.connect() as conn:
        names = dict(
            conn.execute(
                select(MEMBERS.c.id, PEOPLE.c.full_name).join(
                    PEOPLE, PEOPLE.c.id == MEMBERS.c.person_id
                )
            ).all()
        )
    contenders: dict[str, Any] = {
        "use_cases": UseCases(runtime, district),
        "bare": Bare(engine, district, names),
    }
    if peer is not None:
        contenders["peer"] = Peer(peer)
    # Warm up: compiled-statement caches, mapper configuration, the connection pool.
    for round_no in range(2):
        for key, contender in contenders.items():
            _pass(contender.fire, scenario, sets[f"warm_{key}"], round_no)
    # They take turns transition by transition, so that all meet the same machine load.
    latencies: dict[str, list[float]] = {key: [] for key in contenders}
    with s.count_machines() as machines:
        for round_no in range(2, 2 + scenario.rounds):
            order = list(contenders) if round_no % 2 == 0 else list(reversed(contenders))
            for i in range(scenario.cases):
                for key in order:
                    case_id = sets[key][i]
                    latencies[key] += _pass(contenders[key].fire, scenario, [case_id], round_no)
    # Two more rounds on a warm-up case, counting the statements a transition sends (mean).
    statements = {}
    for key, contender in contenders.items():
        counting = peer.statements() if key == "peer" else s.count_statements(engine)
        with counting as seen:
            for round_no in (2, 3):
                _pass(contender.fire, scenario, sets[f"warm_{key}"][:1], round_no)
        statements[key] = len(seen) / 2
    if profile:
        s.profile(
            lambda: _pass(contenders["use_cases"].fire, scenario, sets["use_cases"], 2),
            f"{NAME} / {scenario.name} / use cases ({engine.dialect.name})",
        )
    _check(engine, contenders["bare"].next_id - BARE_EVENT_IDS)
    if peer is not None and peer.count()[1] != contenders["peer"].fired:
        raise RuntimeError(f"peer: {peer.count()} StateLog rows, {contenders['peer'].fired} fired")
    result: dict[str, Any] = {"scenario": scenario.name, "machines_built": machines["machines"]}
    for key, values in latencies.items():
        total = sum(values)
        result[key] = {
            "transitions": len(values),
            "seconds": total,
            "per_second": len(values) / total,
            "p50_ms": s.percentile(values, 0.5) * 1000,
            "p95_ms": s.percentile(values, 0.95) * 1000,
            "statements": statements[key],
        }
    result["ratio"] = result["use_cases"]["per_second"] / result["bare"]["per_second"]
    result["ratio_p50"] = result["bare"]["p50_ms"] / result["use_cases"]["p50_ms"]
    result["goal_met"] = result["ratio"] >= GOAL
    if peer is not None:
        result["peer_ratio"] = result["use_cases"]["per_second"] / result["peer"]["per_second"]
        result["peer_ratio_p50"] = result["peer"]["p50_ms"] / result["use_cases"]["p50_ms"]
        result["peer_goal_met"] = result["peer_ratio"] >= PEER_GOAL
    return result


def _check(engine: Engine, bare_events: int) -> None:
    """Every transition left its event: the chain head counts the use cases', the rest are bare."""
    with engine.connect() as conn:
        head = conn.execute(select(CHAIN_HEAD.c.count, CHAIN_HEAD.c.last_id)).one()
        chained = conn.scalar(
            select(func.count()).select_from(EVENTS).where(EVENTS.c.id < BARE_EVENT_IDS)
        )
        bare = conn.scalar(
            select(func.count()).select_from(EVENTS).where(EVENTS.c.id > BARE_EVENT_IDS)
        )
    if head.count != chained or head.last_id != chained or bare != bare_events:
        raise RuntimeError(f"events missing: head {tuple(head)}, {chained} chained, {bare} bare")


def run(quick: bool = False, profile: bool = False) -> dict[str, Any]:
    """Both scenarios on every backend; prints a table and returns the numbers."""
    results: dict[str, Any] = {}
    skipped = peer_django.missing()
    if skipped:
        print(f"  {skipped}")
    with ExitStack() as stack:
        peers = {} if skipped else stack.enter_context(peer_django.peers(s.backends()))
        for backend in s.backends():
            with s.fresh_database(backend, NAME) as engine:
                district = build_district(engine, cells=1, members_per_cell=3)
                runtime = Runtime(engine, session_factory(engine), Settings())
                results[backend] = {
                    "server": s.server_version(engine),
                    "peer_server": peers[backend].server() if peers else None,
                    "scenarios": [
                        _run_scenario(
                            engine, district, runtime, scenario, profile, peers.get(backend)
                        )
                        for scenario in scenarios(quick)
                    ],
                }
    results["peer"] = skipped or peer_django.versions()
    _print(results)
    return results


def _ratio(sc: dict[str, Any], prefix: str) -> str:
    """ "0.42× MISSED (0.30×)": use cases / a contender, throughput and at p50, and the verdict."""
    met = s.goal(sc[f"{prefix}goal_met"])
    return f"{sc[f'{prefix}ratio']:.2f}× {met} ({sc[f'{prefix}ratio_p50']:.2f}×)"


_LABELS = (("use_cases", "use cases"), ("bare", "bare Core"), ("peer", "django-fsm-log"))


def _print(results: dict[str, Any]) -> None:
    rows = []
    for backend, result in results.items():
        if backend == "peer":
            continue
        for sc in result["scenarios"]:
            for key, label in _LABELS:
                if key not in sc:
                    continue
                r = sc[key]
                ratio = _ratio(sc, "" if key == "bare" else "peer_") if key != "use_cases" else ""
                rows.append(
                    [
                        result["server"],
                        sc["scenario"],
                        label,
                        r["transitions"],
                        f"{r['per_second']:.0f}",
                        f"{r['p50_ms']:.2f}",
                        f"{r['p95_ms']:.2f}",
                        f"{r['statements']:g}",
                        ratio,
                    ]
                )
    s.table(
        f"{TITLE} (goals: use cases ≥ {GOAL}× bare, ≥ {PEER_GOAL}× the peer)",
        [
            "database",
            "scenario",
            "contender",
            "transitions",
            "per s",
            "p50 ms",
            "p95 ms",
            "SQL/transition",
            "use cases / this: throughput (at p50)",
        ],
        rows,
    )
    built = sum(
        sc["machines_built"] for k, r in results.items() if k != "peer" for sc in r["scenarios"]
    )
    print(f"  transitions.Machine objects built while firing: {built}")
    peer = results["peer"]
    print(f"  {peer}" if peer.startswith("peer skipped") else f"  peer: {peer}")
