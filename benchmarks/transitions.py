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
from datetime import date
from typing import Any

from sqlalchemy import Engine, func, select

from benchmarks import _peer_django as peer_django
from benchmarks import _support as s
from benchmarks._data import (
    CHAIN_HEAD,
    EVENTS,
    MEMBERS,
    PEOPLE,
    District,
    build_district,
    insert_cases,
    open_assignments,
)
from benchmarks._transitions_contenders import (
    BARE_EVENT_IDS,
    Bare,
    Peer,
    Scenario,
    UseCases,
)
from db.runtime import Runtime
from db.session import session_factory
from workflow.settings import Settings

NAME = "transitions"
TITLE = (
    "Persisted transitions per second: use cases vs. bare Core UPDATE + INSERT vs. django-fsm-log"
)
GOAL = 0.5  # use-case throughput / bare throughput, at least
PEER_GOAL = 1.5  # use-case throughput / the peer's (django-fsm-2 + django-fsm-log), at least
WARMUP_CASES = 10


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
