"""The login throttle's rule: free tries, then a doubling wait up to a cap, per key; a known device
judged only by its own failures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from workflow.logins import Failures, Limits, Rule, Tally, normal_username, wait

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
LIMITS = Limits()


def test_a_few_failures_cost_nothing_then_the_wait_doubles_up_to_the_cap():
    rule = Rule(free=3, base=2, cap=300)
    waits = [rule.wait_after(n) for n in range(0, 14)]
    assert waits[:4] == [0, 0, 0, 0]
    assert waits[4:10] == [2, 4, 8, 16, 32, 64]
    assert waits[10:] == [128, 256, 300, 300]
    assert rule.wait_after(10**9) == 300  # no huge power computed


def _tally(**keys: tuple[int, int]) -> Tally:
    """Failures per key as (count, seconds ago of the last one)."""
    return Tally(**{k: Failures(n, NOW - timedelta(seconds=ago)) for k, (n, ago) in keys.items()})


def test_the_wait_counts_from_the_last_failure():
    assert wait(LIMITS, _tally(pair=(5, 0)), NOW, known_device=False) == 4
    assert wait(LIMITS, _tally(pair=(5, 1)), NOW, known_device=False) == 3
    assert wait(LIMITS, _tally(pair=(5, 4)), NOW, known_device=False) == 0
    assert wait(LIMITS, _tally(pair=(3, 0)), NOW, known_device=False) == 0


def test_a_fraction_of_a_second_left_is_rounded_up():
    tally = Tally(pair=Failures(4, NOW - timedelta(seconds=1.5)))
    assert wait(LIMITS, tally, NOW, known_device=False) == 1


@pytest.mark.parametrize("key", ["pair", "address", "username"])
def test_a_stranger_is_held_back_by_every_key(key):
    rule = getattr(LIMITS, key)
    tally = _tally(**{key: (rule.free + 3, 0)})
    assert wait(LIMITS, tally, NOW, known_device=False) == rule.wait_after(rule.free + 3) > 0


def test_the_address_and_the_username_allow_many_more_failures_than_the_pair():
    assert LIMITS.address.free >= 5 * LIMITS.pair.free
    assert LIMITS.username.free >= 5 * LIMITS.pair.free
    # Ten typos by colleagues behind one address: nobody waits for the address.
    assert wait(LIMITS, _tally(address=(10, 0)), NOW, known_device=False) == 0


def test_a_known_device_is_not_held_back_by_the_failures_of_others():
    others = _tally(pair=(50, 0), address=(500, 0), username=(500, 0))
    assert wait(LIMITS, others, NOW, known_device=True) == 0
    assert wait(LIMITS, others, NOW, known_device=False) == LIMITS.pair.cap


def test_a_known_device_is_held_back_by_its_own_failures():
    own = _tally(device=(LIMITS.device.free + 2, 0))
    assert wait(LIMITS, own, NOW, known_device=True) == LIMITS.device.wait_after(7) > 0
    assert wait(LIMITS, own, NOW, known_device=False) == 0


def test_usernames_are_counted_trimmed_and_in_lower_case():
    assert normal_username("  BiThu.ChuVanAn ") == "bithu.chuvanan"
    assert len(normal_username("x" * 500)) == 80
