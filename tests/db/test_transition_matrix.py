"""Every state × trigger × demo role through the real database, against product.md.

``GRID`` below is the expected outcome of each combination, written from product.md (Transitions;
Roles and what they see), and checked against those rules by the first test:
- a user who may not see the case gets ``NotFound`` (404), whatever the trigger;
- a user who sees it but whose role may never fire the trigger gets ``NotAllowed`` (403);
- a role that may fire the trigger, from a state it does not leave, gets ``InvalidTransition``;
- otherwise, with valid fields, the transition happens.
Each refusal must leave the case's state and version and the event count as they were. Each
allowed combination fires on a fresh case built for it, so that the cases do not interfere.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from sqlalchemy import func, select

from db.models import Event
from db.read.history import verify
from tests.factories import District
from workflow.errors import DomainError, InvalidTransition, NotAllowed, NotFound
from workflow.states import State

OK = "ok"

STATES = [s.value for s in State]

#: product.md, Transitions: trigger → (the states it fires from, the state it leads to (None:
#: stays), the demo users whose role may fire it).
TRANSITIONS: dict[str, tuple[set[str], str | None, set[str]]] = {
    "assign_mentor": ({"identified"}, "mentored", {"sec"}),
    "reassign_mentor": ({"mentored", "trained", "returned"}, None, {"sec"}),
    "complete_training": ({"mentored"}, "trained", {"mentor", "sec", "trainer"}),
    "submit_dossier": ({"trained", "returned"}, "dossier_submitted", {"mentor", "sec"}),
    "return_dossier": ({"dossier_submitted"}, "returned", {"com"}),
    "reject": ({"dossier_submitted"}, "rejected", {"com"}),
    "admit": ({"dossier_submitted"}, "admitted", {"com"}),
    "recognize": ({"admitted"}, "official", {"com"}),
    "remove": ({"admitted"}, "removed", {"com"}),
    "withdraw": ({"identified", "mentored", "trained", "returned"}, "withdrawn", {"sec"}),
    "reinstate": ({"withdrawn"}, "identified", {"sec"}),
}
TRIGGERS = list(TRANSITIONS)

#: The role each demo user acts in (tests/factories.py), as events record it.
ROLE = {
    "sec": "secretary",
    "mentor": "mentor",
    "mentor2": "mentor",
    "com": "committee",
    "aud": "auditor",
    "adm": "admin",
    "trainer": "trainer",
    "intro": "introducer",
    "sec_other": "secretary",
}
USERS = list(ROLE)

#: Users who see no case of the district's cell, so get NotFound for everything: ``mentor2`` is
#: not this candidate's mentor, the introducer sees only their own proposals (none here),
#: ``sec_other`` runs another cell. The admin manages users and organisations and fires nothing:
#: refused as not allowed before any case is looked up (so nothing about the case is told).
SEE_NOTHING = ("mentor2", "adm", "intro", "sec_other")
ADMINISTERS_ONLY = ("adm",)

#: A allowed · F NotFound · N NotAllowed · I InvalidTransition. The case ``District.to_state``
#: builds has a mentor (members[1], user ``mentor``) in every state reached through
#: ``assign_mentor`` (``withdrawn`` is built from ``identified``). The trainer sees the cases
#: waiting for the awareness class, which it certifies (product.md is silent on the rest).
#: Its columns are the triggers in the order of ``TRANSITIONS`` (asg: assign_mentor, rea:
#: reassign_mentor, trn: complete_training, sub: submit_dossier, ret: return_dossier...).
CODES = {"A": OK, "F": "NotFound", "N": "NotAllowed", "I": "InvalidTransition"}
GRID_TEXT = """
#                           asg rea trn sub ret rej adm rec rem wdr rei
identified         sec        A   I   I   I   N   N   N   N   N   A   I
identified         mentor     F   F   F   F   F   F   F   F   F   F   F
identified         trainer    F   F   F   F   F   F   F   F   F   F   F
identified         com        N   N   N   N   I   I   I   I   I   N   N
identified         aud        N   N   N   N   N   N   N   N   N   N   N
mentored           sec        I   A   A   I   N   N   N   N   N   A   I
mentored           mentor     N   N   A   I   N   N   N   N   N   N   N
mentored           trainer    N   N   A   N   N   N   N   N   N   N   N
mentored           com        N   N   N   N   I   I   I   I   I   N   N
mentored           aud        N   N   N   N   N   N   N   N   N   N   N
trained            sec        I   A   I   A   N   N   N   N   N   A   I
trained            mentor     N   N   I   A   N   N   N   N   N   N   N
trained            trainer    F   F   F   F   F   F   F   F   F   F   F
trained            com        N   N   N   N   I   I   I   I   I   N   N
trained            aud        N   N   N   N   N   N   N   N   N   N   N
dossier_submitted  sec        I   I   I   I   N   N   N   N   N   I   I
dossier_submitted  mentor     N   N   I   I   N   N   N   N   N   N   N
dossier_submitted  trainer    F   F   F   F   F   F   F   F   F   F   F
dossier_submitted  com        N   N   N   N   A   A   A   I   I   N   N
dossier_submitted  aud        N   N   N   N   N   N   N   N   N   N   N
returned           sec        I   A   I   A   N   N   N   N   N   A   I
returned           mentor     N   N   I   A   N   N   N   N   N   N   N
returned           trainer    F   F   F   F   F   F   F   F   F   F   F
returned           com        N   N   N   N   I   I   I   I   I   N   N
returned           aud        N   N   N   N   N   N   N   N   N   N   N
admitted           sec        I   I   I   I   N   N   N   N   N   I   I
admitted           mentor     N   N   I   I   N   N   N   N   N   N   N
admitted           trainer    F   F   F   F   F   F   F   F   F   F   F
admitted           com        N   N   N   N   I   I   I   A   A   N   N
admitted           aud        N   N   N   N   N   N   N   N   N   N   N
official           sec        I   I   I   I   N   N   N   N   N   I   I
official           mentor     N   N   I   I   N   N   N   N   N   N   N
official           trainer    F   F   F   F   F   F   F   F   F   F   F
official           com        N   N   N   N   I   I   I   I   I   N   N
official           aud        N   N   N   N   N   N   N   N   N   N   N
rejected           sec        I   I   I   I   N   N   N   N   N   I   I
rejected           mentor     N   N   I   I   N   N   N   N   N   N   N
rejected           trainer    F   F   F   F   F   F   F   F   F   F   F
rejected           com        N   N   N   N   I   I   I   I   I   N   N
rejected           aud        N   N   N   N   N   N   N   N   N   N   N
withdrawn          sec        I   I   I   I   N   N   N   N   N   I   A
withdrawn          mentor     F   F   F   F   F   F   F   F   F   F   F
withdrawn          trainer    F   F   F   F   F   F   F   F   F   F   F
withdrawn          com        N   N   N   N   I   I   I   I   I   N   N
withdrawn          aud        N   N   N   N   N   N   N   N   N   N   N
removed            sec        I   I   I   I   N   N   N   N   N   I   I
removed            mentor     N   N   I   I   N   N   N   N   N   N   N
removed            trainer    F   F   F   F   F   F   F   F   F   F   F
removed            com        N   N   N   N   I   I   I   I   I   N   N
removed            aud        N   N   N   N   N   N   N   N   N   N   N
"""


def _grid() -> dict[tuple[str, str], dict[str, str]]:
    grid = {}
    for line in GRID_TEXT.strip().splitlines():
        if line.startswith("#"):
            continue
        state, user, *codes = line.split()
        assert len(codes) == len(TRIGGERS), line
        grid[state, user] = {t: CODES[c] for t, c in zip(TRIGGERS, codes, strict=True)}
    return grid


GRID = _grid()


def expected(state: str, trigger: str, user: str) -> str:
    """The outcome the grid gives: ``ok`` or the refusal's class name."""
    if user in ADMINISTERS_ONLY:
        return NotAllowed.__name__
    if user in SEE_NOTHING:
        return NotFound.__name__
    return GRID[state, user][trigger]


ALLOWED = [
    (state, trigger, user)
    for state, trigger, user in itertools.product(STATES, TRIGGERS, USERS)
    if expected(state, trigger, user) == OK
]


def by_the_rules(state: str, trigger: str, user: str) -> str:
    """The outcome derived from the rules of the module's docstring, to check the grid."""
    sources, _, users = TRANSITIONS[trigger]
    if user in ADMINISTERS_ONLY:  # policy.administers_only: before the case is looked up
        return NotAllowed.__name__
    sees = {
        "sec": True,  # their cell
        "com": True,  # everything in scope
        "aud": True,  # reads everything in scope
        "mentor": state not in ("identified", "withdrawn"),  # only their own candidates
        "trainer": state in TRANSITIONS["complete_training"][0],  # those awaiting the class
    }.get(user, False)
    if not sees:
        return NotFound.__name__
    if user not in users:
        return NotAllowed.__name__
    if state not in sources:
        return InvalidTransition.__name__
    return OK


# --- helpers -------------------------------------------------------------------------------------

_people = itertools.count(1)


def new_case(district: District, state: str):
    """A fresh case in `state`, for a person of its own (a person has one open case at a time)."""
    n = next(_people)
    return district.to_state(state, full_name=f"Quần chúng {n}", id_number=f"0680{n:08d}")


def valid_fields(district: District, trigger: str) -> dict[str, Any]:
    """Fields under which the trigger's rules pass where the state and role allow it."""
    decision = {"decision_number": "123-QĐ/HU", "decision_date": "2026-10-15"}
    return {
        "assign_mentor": {"mentor": district.members[1].id},
        "reassign_mentor": {"mentor": district.members[2].id},
        "complete_training": {"certificate_number": "CN-77", "certificate_date": "2026-03-01"},
        "submit_dossier": {"vote_date": "2026-10-01", "votes_for": len(district.members)},
        "return_dossier": {"reason": "thiếu bản tự kiểm điểm"},
        "reject": {"reason": "không đủ tiêu chuẩn"},
        "admit": {"vote_date": "2026-10-10", "votes_for": 10, **decision},
        "recognize": {
            "vote_date": "2025-06-10",
            "votes_for": len(district.members),
            "decision_number": "77-QĐ/HU",
            "decision_date": "2025-06-20",
        },
        "remove": {"reason": "vi phạm tư cách đảng viên"},
        "withdraw": {"reason": "chuyển trường"},
        "reinstate": {"reason": "đã trở lại địa phương"},
    }[trigger]


def prepare(district: District, case_id: int, state: str, trigger: str) -> None:
    """The paperwork a trigger's rules read, recorded before it fires."""
    if trigger == "submit_dossier" and state == "trained":
        district.ready_dossier(case_id)  # a returned dossier has it from its first submission
    if trigger == "recognize":  # the ceremony is on file (2024-06-01); the recognition forms
        for code in ("10-KNĐ", "11-KNĐ", "12-KNĐ", "13-KNĐ", "15-KNĐ"):
            district.record(case_id, "document", "com", code=code, dated="2025-06-10")


def outcome(district: District, case_id: int, trigger: str, user: str, raw: dict) -> str:
    try:
        district.fire(case_id, trigger, user, **raw)
    except DomainError as err:
        return type(err).__name__
    return OK


def event_count(district: District) -> int:
    with district.runtime.sessions() as session:
        return session.scalar(select(func.count()).select_from(Event))


def snapshot(district: District, case_id: int) -> tuple[str, int, int]:
    """What a refusal must not change: the case's state and version, and the event count."""
    case = district.runtime_case(case_id)
    return case.state, case.version, event_count(district)


# --- the table itself ----------------------------------------------------------------------------


def test_the_grid_follows_the_rules_of_product_md():
    """The grid covers everyone, agrees with the rules, lets each trigger fire from its sources."""
    assert set(GRID) | {(s, u) for s in STATES for u in SEE_NOTHING} == set(
        itertools.product(STATES, USERS)
    )
    for state, trigger, user in itertools.product(STATES, TRIGGERS, USERS):
        assert expected(state, trigger, user) == by_the_rules(state, trigger, user), (
            state,
            trigger,
            user,
        )
    for trigger, (sources, _, _) in TRANSITIONS.items():
        assert {s for s, t, _ in ALLOWED if t == trigger} == sources
    assert len(ALLOWED) == 21


# --- refusals: one case per state, every refused combination on it --------------------------------


@pytest.mark.parametrize("state", STATES)
def test_refusals_in_state_change_nothing(district, state):
    """Every refused trigger × user on a case in `state`: the right error, nothing changed."""
    case = new_case(district, state)
    before = snapshot(district, case.id)
    assert before[0] == state
    wrong = []
    for trigger, user in itertools.product(TRIGGERS, USERS):
        want = expected(state, trigger, user)
        if want == OK:
            continue  # see test_allowed_transition
        got = outcome(district, case.id, trigger, user, valid_fields(district, trigger))
        if got != want:
            wrong.append(f"{user:>9} {trigger:<17} expected {want}, got {got}")
        after = snapshot(district, case.id)
        if after != before:
            pytest.fail(
                f"{user} {trigger} on a {state} case changed (state, version, events) "
                f"{before} → {after}\n" + "\n".join(wrong)
            )
    assert not wrong, f"on a {state} case:\n" + "\n".join(wrong)
    assert verify(district.runtime.engine).intact


# --- allowed: each on a fresh case --------------------------------------------------------------


@pytest.mark.parametrize("state, trigger, user", ALLOWED, ids=["-".join(c) for c in ALLOWED])
def test_allowed_transition(district, state, trigger, user):
    """The transition happens, steps the version once and leaves exactly one event."""
    case = new_case(district, state)
    prepare(district, case.id, state, trigger)
    case = district.runtime_case(case.id)
    events_before = event_count(district)

    fired = district.fire(case.id, trigger, user, **valid_fields(district, trigger))

    dest = TRANSITIONS[trigger][1] or state
    stored = district.runtime_case(case.id)
    assert (fired.state, stored.state) == (dest, dest)
    assert stored.version == case.version + 1
    assert event_count(district) == events_before + 1
    with district.runtime.sessions() as session:
        event = session.scalars(select(Event).order_by(Event.id.desc()).limit(1)).one()
        assert (event.case_id, event.action, event.from_state, event.to_state) == (
            case.id,
            trigger,
            state,
            dest,
        )
        assert (event.username, event.role) == (user, ROLE[user])
    assert verify(district.runtime.engine).intact
