"""Users racing on the real database: one winner, clean refusals, an intact contiguous chain.

On SQLite the racers are threads sharing one Runtime (write units of work queue on ``BEGIN
IMMEDIATE``); on PostgreSQL they are processes, each with its own Runtime, that lock the case row
and then the chain head ``FOR UPDATE``. A barrier before every attempt makes the attempts overlap.

What the design gives the losers of a race on one case:
- with ``expected_version`` (every racer read the same version before the barrier): ``Conflict``,
  whether it waited for the winner's lock or ran after it, since the version is checked first;
- without it: the loser runs strictly after the winner (the lock serialises them) and sees the new
  state, so a trigger that is no longer valid gives ``InvalidTransition``.
"""

from __future__ import annotations

import json
import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import func, select

from db.actors import actor_by_username
from db.models import Case, ChainHead, Event
from db.read.history import verify
from db.runtime import Runtime
from tests.factories import NOW
from workflow import services
from workflow.errors import DomainError, RuleViolation
from workflow.settings import Settings

THREADS = 8  # SQLite racers
PROCESSES = 4  # PostgreSQL racers (each process pays for its own imports)
ROUNDS = 4
WAIT = 60  # seconds a racer waits at a barrier before the test counts it as stuck

OK = "ok"


@dataclass(frozen=True)
class Step:
    """One attempt: fire `trigger` on `case_id`, or identify a candidate when it is ``None``."""

    trigger: str
    case_id: int | None
    raw: dict[str, Any]
    #: Pass the case's version as read by this racer just before the barrier.
    versioned: bool = False


@dataclass(frozen=True)
class Job:
    """What one racer does: its steps, each started together with the other racers' steps."""

    username: str
    steps: list[Step] = field(default_factory=list)


# --- the racers ---------------------------------------------------------------------------------


def _version(runtime: Runtime, case_id: int) -> int:
    with runtime.uow(write=False) as uow:
        return uow.cases.get(case_id).version


def _attempt(runtime: Runtime, actor, step: Step, version: int | None) -> str:
    """``ok``, or the refusal's class name; anything else (a deadlock...) with its message."""
    try:
        if step.case_id is None:
            services.identify_candidate(runtime.uow(), actor, step.raw, clock=NOW)
        else:
            services.fire_transition(
                runtime.uow(),
                actor,
                step.case_id,
                step.trigger,
                step.raw,
                expected_version=version,
                clock=NOW,
            )
    except RuleViolation as err:
        return "RuleViolation:" + ",".join(f.rule for f in err.failures)
    except DomainError as err:
        return type(err).__name__
    except Exception as err:  # noqa: BLE001 - reported, and the test fails on it
        return f"{type(err).__name__}: {err}"
    return OK


def _race(runtime: Runtime, job: Job, barrier) -> list[str]:
    """Run the job's steps, meeting the other racers at the barrier before each read and try."""
    with runtime.sessions() as session:
        actor = actor_by_username(session, job.username)
    outcomes = []
    for step in job.steps:
        barrier.wait(WAIT)
        version = _version(runtime, step.case_id) if step.versioned else None
        barrier.wait(WAIT)  # every racer has read the version before anyone fires
        outcomes.append(_attempt(runtime, actor, step, version))
    return outcomes


def _process_main(url: str, index: int, job: Job, barrier, results) -> None:
    """A PostgreSQL racer: its own Runtime, its outcomes sent back through the queue."""
    runtime = Runtime.from_url(url, settings=Settings())
    try:
        results.put((index, _race(runtime, job, barrier)))
    except BaseException as err:
        barrier.abort()
        results.put((index, [f"crashed: {err!r}"]))
    finally:
        runtime.engine.dispose()


def _in_threads(runtime: Runtime, jobs: list[Job]) -> list[list[str]]:
    barrier = threading.Barrier(len(jobs))
    with ThreadPoolExecutor(len(jobs)) as pool:
        futures = [pool.submit(_race, runtime, job, barrier) for job in jobs]
        return [f.result(timeout=WAIT * 2) for f in futures]


def _in_processes(url: str, jobs: list[Job]) -> list[list[str]]:
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(len(jobs)), ctx.Queue()
    processes = [
        ctx.Process(target=_process_main, args=(url, i, job, barrier, results), daemon=True)
        for i, job in enumerate(jobs)
    ]
    for process in processes:
        process.start()
    try:
        outcomes = dict(results.get(timeout=WAIT * 2) for _ in processes)
    finally:
        for process in processes:
            process.join(timeout=10)
            if process.is_alive():
                process.kill()
    return [outcomes[i] for i in range(len(jobs))]


def race(runtime: Runtime, url: str, jobs: list[Job]) -> list[list[str]]:
    """Each job's outcomes, in job order: threads on SQLite, processes on PostgreSQL."""
    if url.startswith("sqlite"):
        return _in_threads(runtime, jobs)
    return _in_processes(url, jobs)


def racers(url: str) -> int:
    return THREADS if url.startswith("sqlite") else PROCESSES


# --- what must hold after a race -----------------------------------------------------------------


def _events(runtime: Runtime) -> list[Event]:
    with runtime.sessions() as session:
        return list(session.scalars(select(Event).order_by(Event.id)))


def assert_chain_sound(runtime: Runtime, expected_count: int) -> list[Event]:
    """Ids contiguous from 1, the head agrees, the digests verify; returns the events."""
    events = _events(runtime)
    assert [e.id for e in events] == list(range(1, expected_count + 1))
    with runtime.sessions() as session:
        head = session.get(ChainHead, 1)
        assert (head.last_id, head.count) == (expected_count, expected_count)
        assert session.scalar(select(func.count()).select_from(Event)) == expected_count
    report = verify(runtime.engine)
    assert report.intact, report.problem
    assert report.checked == expected_count
    return events


def _case(runtime: Runtime, case_id: int) -> Case:
    with runtime.uow(write=False) as uow:
        return uow.cases.get(case_id)


def _person(n: int) -> dict[str, Any]:
    return {"full_name": f"Người thử {n}", "id_number": f"0790{n:08d}"}


def _flat(outcomes: list[list[str]]) -> list[str]:
    return [o for per_racer in outcomes for o in per_racer]


# --- one case, many users ------------------------------------------------------------------------


@pytest.mark.parametrize("versioned, loser", [(True, "Conflict"), (False, "InvalidTransition")])
def test_racing_withdrawals_have_one_winner(runtime, database_url, district, versioned, loser):
    """Everyone withdraws the same case at once: one event, the rest refused, nothing changed."""
    case = district.to_state("mentored", **_person(1))
    before = len(_events(runtime))
    n = racers(database_url)
    step = Step("withdraw", case.id, {"reason": "chuyển công tác"}, versioned=versioned)
    outcomes = _flat(race(runtime, database_url, [Job("sec", [step]) for _ in range(n)]))

    assert sorted(outcomes) == sorted([OK] + [loser] * (n - 1)), outcomes
    after = _case(runtime, case.id)
    assert (after.state, after.version) == ("withdrawn", case.version + 1)
    events = assert_chain_sound(runtime, before + 1)
    assert [(e.case_id, e.action, e.from_state, e.to_state) for e in events[before:]] == [
        (case.id, "withdraw", "mentored", "withdrawn")
    ]


def test_racing_reassignments_with_versions_have_one_winner_per_round(
    runtime, database_url, district
):
    """Rounds of everyone reassigning the mentor from the same version: one wins each round."""
    case = district.to_state("trained", **_person(2))
    before = len(_events(runtime))
    n = racers(database_url)
    mentors = [district.members[1].id, district.members[2].id]
    jobs = [
        Job(
            "sec",
            [
                Step("reassign_mentor", case.id, {"mentor": mentors[(r + i) % 2]}, versioned=True)
                for r in range(ROUNDS)
            ],
        )
        for i in range(n)
    ]
    outcomes = race(runtime, database_url, jobs)

    for r in range(ROUNDS):
        this_round = [per_racer[r] for per_racer in outcomes]
        assert sorted(this_round) == sorted([OK] + ["Conflict"] * (n - 1)), (r, this_round)
    after = _case(runtime, case.id)
    assert (after.state, after.version) == ("trained", case.version + ROUNDS)
    events = assert_chain_sound(runtime, before + ROUNDS)
    new = events[before:]
    assert {(e.case_id, e.action, e.from_state, e.to_state) for e in new} == {
        (case.id, "reassign_mentor", "trained", "trained")
    }
    # The stored mentor is the one the last winner named.
    assert after.mentor_id == json.loads(new[-1].data)["mentor_id"]


def test_racing_users_of_different_roles_on_one_case(runtime, database_url, district):
    """The committee returns while the other members of the committee reject and admit."""
    case = district.to_state("dossier_submitted", **_person(3))
    before = len(_events(runtime))
    decide = {
        "vote_date": "2026-10-10",
        "votes_for": 10,
        "decision_number": "9-QĐ/HU",
        "decision_date": "2026-10-15",
    }
    jobs = [
        Job("com", [Step("return_dossier", case.id, {"reason": "thiếu lý lịch"}, True)]),
        Job("com2", [Step("reject", case.id, {"reason": "không đủ tiêu chuẩn"}, True)]),
        Job("com", [Step("admit", case.id, decide, True)]),
        Job("com2", [Step("admit", case.id, decide, True)]),
    ]
    outcomes = _flat(race(runtime, database_url, jobs))

    assert sorted(outcomes) == sorted([OK, "Conflict", "Conflict", "Conflict"]), outcomes
    winner = jobs[outcomes.index(OK)].steps[0].trigger
    after = _case(runtime, case.id)
    expected_state = {"return_dossier": "returned", "reject": "rejected", "admit": "admitted"}
    assert (after.state, after.version) == (expected_state[winner], case.version + 1)
    events = assert_chain_sound(runtime, before + 1)
    assert [(e.case_id, e.action) for e in events[before:]] == [(case.id, winner)]


# --- many cases at once --------------------------------------------------------------------------


def test_parallel_actions_on_different_cases_all_succeed(runtime, database_url, district):
    """Each racer walks its own case; every action lands, the chain stays contiguous and sound."""
    n = racers(database_url)
    cases = [district.identify(**_person(10 + i)) for i in range(n)]
    before = len(_events(runtime))
    steps = [
        ("assign_mentor", {"mentor": district.members[1].id}),
        ("complete_training", {"certificate_number": "CN-9", "certificate_date": "2026-03-01"}),
        ("reassign_mentor", {"mentor": district.members[2].id}),
        ("withdraw", {"reason": "chuyển trường"}),
    ]
    jobs = [Job("sec", [Step(t, case.id, raw, True) for t, raw in steps]) for case in cases]
    # Meanwhile another secretary opens new cases (no case row to lock, the chain head first).
    newcomers = [
        {
            **_person(100 + k),
            "birth_date": "1991-01-01",
            "cell": district.cell.id,
            "source": "import_file",
        }
        for k in range(len(steps))
    ]
    jobs.append(Job("sec", [Step("identify", None, raw) for raw in newcomers]))
    outcomes = race(runtime, database_url, jobs)

    assert _flat(outcomes) == [OK] * ((n + 1) * len(steps)), outcomes
    events = assert_chain_sound(runtime, before + (n + 1) * len(steps))
    assert sum(e.action == "identify" for e in events[before:]) == len(steps)
    for case in cases:
        after = _case(runtime, case.id)
        assert (after.state, after.version) == ("withdrawn", case.version + len(steps))
        mine = [e.action for e in events[before:] if e.case_id == case.id]
        assert mine == [t for t, _ in steps]


def test_racing_identifications_of_one_person_open_one_case(runtime, database_url, district):
    """Secretaries putting the same person on the list at once: one case, one event."""
    n = racers(database_url)
    before = len(_events(runtime))
    raw = {
        "full_name": "Trần Thị Bình",
        "birth_date": "1995-02-03",
        "id_number": "079095000123",
        "cell": district.cell.id,
        "source": "cell_review",
    }
    outcomes = _flat(race(runtime, database_url, [Job("sec", [Step("identify", None, raw)])] * n))

    assert sorted(outcomes) == sorted([OK] + ["RuleViolation:single_open_case"] * (n - 1)), outcomes
    events = assert_chain_sound(runtime, before + 1)
    assert [e.action for e in events[before:]] == ["identify"]
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 1
