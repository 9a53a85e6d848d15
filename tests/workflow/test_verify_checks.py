"""The public check of a generated document on the fakes: when a document no longer applies
(member removed, generated again), and the rationing of unknown codes per address
(``workflow.throttle``): a generous budget, then a wait that doubles, never a lock-out."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest

from tests.workflow.fakes import ACTORS, CLOCK, FakeUnitOfWork, ready_case
from workflow.clock import Clock
from workflow.logins import Failures, Rule
from workflow.services.documents import generate_document, verify_document
from workflow.states import State
from workflow.throttle import VERIFY, VERIFY_LIMIT, MissLimit, Throttled, miss_key, wait

DOSSIER = {
    "case": {"id": 1, "state": "admitted", "closed_on": None},
    "person": {"full_name": "Nguyễn Văn An", "birth_date": "1990-05-15"},
    "decisions": {"admission": {"number": "12-QĐ/HU"}},
}
OFFICE = "203.0.113.7"
SMALL = MissLimit(Rule(free=3, base=2, cap=60), timedelta(hours=1))


def admitted() -> FakeUnitOfWork:
    uow = FakeUnitOfWork(ready_case(State.admitted))
    uow.documents.dossiers[1] = dict(DOSSIER)
    return uow


def at(seconds: float) -> Clock:
    return Clock(CLOCK.now + timedelta(seconds=seconds))


# --- when a document no longer applies ----------------------------------------------------------


def test_a_decision_of_a_member_since_removed_no_longer_applies():
    uow = admitted()
    made = generate_document(uow, ACTORS["com"], 1, "9-KNĐ", clock=CLOCK)
    found = verify_document(uow, made.verify_code)
    assert found.applies and not found.member_removed
    uow.cases.items[1].state = State.removed
    gone = verify_document(uow, made.verify_code)
    assert gone.member_removed and not gone.applies
    assert gone.current  # what it says is still what the case says: only its force is gone


def test_a_form_generated_again_points_to_the_copy_in_force():
    uow = admitted()
    first = generate_document(uow, ACTORS["com"], 1, "9-KNĐ", clock=CLOCK)
    second = generate_document(uow, ACTORS["com"], 1, "9-KNĐ", clock=CLOCK)
    third = generate_document(uow, ACTORS["com"], 1, "9-KNĐ", clock=CLOCK)
    old = verify_document(uow, first.verify_code)
    assert old.replaced_by == third.number and not old.applies
    assert verify_document(uow, second.verify_code).replaced_by == third.number
    newest = verify_document(uow, third.verify_code)
    assert newest.replaced_by is None and newest.applies


def test_another_form_of_the_case_does_not_replace_it():
    uow = admitted()
    decision = generate_document(uow, ACTORS["com"], 1, "9-KNĐ", clock=CLOCK)
    generate_document(uow, ACTORS["com"], 1, "6-KNĐ", clock=CLOCK)
    assert verify_document(uow, decision.verify_code).applies


# --- the rule ------------------------------------------------------------------------------------


def test_the_wait_doubles_past_the_free_misses_up_to_the_cap():
    rule = VERIFY_LIMIT.rule
    last = CLOCK.now
    waits = [wait(VERIFY_LIMIT, Failures(n, last), last) for n in range(rule.free + 10)]
    assert waits[: rule.free + 1] == [0] * (rule.free + 1)  # a generous budget, all free
    assert waits[rule.free + 1 : rule.free + 4] == [2, 4, 8]
    assert max(waits) == rule.cap == 300  # never a lock-out: five minutes at most
    assert wait(VERIFY_LIMIT, Failures(rule.free + 1, last), last + timedelta(seconds=1.5)) == 1


def test_an_address_is_a_bounded_key():
    assert miss_key(" 2001:db8::1 ") == "2001:db8::1"
    assert len(miss_key("x" * 500)) == 64 and miss_key("") == "unknown"


# --- rationing unknown codes per address ----------------------------------------------------


def _miss(uow: FakeUnitOfWork, seconds: float, address: str = OFFICE) -> None:
    assert verify_document(uow, "AAAAAAAAAA", address, SMALL, at(seconds)) is None


def test_unknown_codes_are_free_then_each_waits_longer():
    uow = admitted()
    for second in range(4):  # 3 free misses, then the fourth: 2 s to wait
        _miss(uow, second)
    assert uow.committed  # a miss is kept (every worker sees it)
    with pytest.raises(Throttled) as waiting:
        _miss(uow, 4)
    assert waiting.value.seconds == 1  # 2 s after the miss at 3 s
    _miss(uow, 5.1)  # waited: asks again, misses: now 4 s
    with pytest.raises(Throttled) as longer:
        _miss(uow, 6)
    assert longer.value.seconds == 4  # 4 s from the miss at 5.1 s, asked at 6 s: 3.1, rounded up
    assert [row[0] for row in uow.misses.rows] == [VERIFY] * 5  # waiting counts nothing


def test_a_waiting_address_is_told_so_even_for_a_genuine_code():
    uow = admitted()
    made = generate_document(uow, ACTORS["com"], 1, "9-KNĐ", clock=CLOCK)
    for second in range(4):
        _miss(uow, second)
    with pytest.raises(Throttled):  # nothing is looked at while it waits
        verify_document(uow, made.verify_code, OFFICE, SMALL, at(4))
    found = verify_document(uow, made.verify_code, OFFICE, SMALL, at(10))
    assert found is not None and found.number == made.number
    assert len(uow.misses.rows) == 4  # a genuine code does not wipe the slate (nor add to it)


def test_other_addresses_and_the_staff_pages_are_not_slowed():
    uow = admitted()
    made = generate_document(uow, ACTORS["com"], 1, "9-KNĐ", clock=CLOCK)
    for second in range(6):
        with contextlib.suppress(Throttled):
            _miss(uow, second)
    assert verify_document(uow, made.verify_code, "198.51.100.9", SMALL, at(6)) is not None
    assert verify_document(uow, made.verify_code) is not None  # no address: nothing counted


@pytest.mark.parametrize("code", ["", "not a code", "A" * 50, "ABCDEFGHI1"])
def test_malformed_codes_are_misses_too(code):
    uow = admitted()
    assert verify_document(uow, code, OFFICE, SMALL, CLOCK) is None
    assert uow.misses.tally(VERIFY, OFFICE, CLOCK.now - timedelta(hours=1)).count == 1


def test_misses_older_than_the_window_are_forgotten_and_pruned():
    uow = admitted()
    for second in range(5):
        with contextlib.suppress(Throttled):
            _miss(uow, second)
    hour = SMALL.window.total_seconds()
    _miss(uow, hour + 10)  # the old misses are out of the window: free again, and pruned
    assert len(uow.misses.rows) == 1
