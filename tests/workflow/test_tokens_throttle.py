"""The API's failed token checks, rationed per address through the login store (fakes)."""

from __future__ import annotations

from datetime import date, timedelta

from tests.workflow.fakes import FakeUnitOfWork
from workflow.clock import Clock
from workflow.facts import Actor
from workflow.logins import ApiLimit
from workflow.services import tokens as use_cases

TODAY = date(2026, 3, 2)
CLOCK = Clock.at(TODAY)
LIMIT = ApiLimit(failures=3, window=timedelta(minutes=5))
COM = Actor(30, "com")


def _later(minutes: float) -> Clock:
    return Clock(CLOCK.now + timedelta(minutes=minutes))


def test_an_address_is_refused_after_its_failures_until_they_age_out():
    uow = FakeUnitOfWork()
    secret = use_cases.create_token(uow, COM, "x", TODAY + timedelta(9), (5,), clock=CLOCK).secret
    for _ in range(3):
        access = use_cases.authenticate_from(
            uow, "hoso_wrong", "10.0.0.1", limit=LIMIT, clock=CLOCK
        )
        assert access.caller is None and not access.throttled
        use_cases.record_api_failure(uow, "10.0.0.1", limit=LIMIT, clock=CLOCK)
    # Refused before the token is looked at: the right one too, from that address only.
    assert use_cases.authenticate_from(uow, secret, "10.0.0.1", limit=LIMIT, clock=CLOCK).throttled
    other = use_cases.authenticate_from(uow, secret, "10.0.0.2", limit=LIMIT, clock=CLOCK)
    assert other.caller is not None and other.caller.actor.user_id == COM.user_id
    back = use_cases.authenticate_from(uow, secret, "10.0.0.1", limit=LIMIT, clock=_later(5.1))
    assert not back.throttled and back.caller is not None


def test_api_failures_count_in_no_login_tally_and_are_pruned_alone():
    uow = FakeUnitOfWork()
    uow.logins.record_failure("com", "10.0.0.1", None, CLOCK.now)
    for _ in range(5):
        use_cases.record_api_failure(uow, "10.0.0.1", limit=LIMIT, clock=CLOCK)
    tally = uow.logins.tally("com", "10.0.0.1", None, CLOCK.now - timedelta(hours=1))
    assert (tally.pair.count, tally.address.count, tally.username.count) == (1, 1, 1)
    # Ten minutes later one more API failure drops the old API ones, not the login's.
    use_cases.record_api_failure(uow, "10.0.0.1", limit=LIMIT, clock=_later(10))
    assert uow.logins.api_failures("10.0.0.1", CLOCK.now - timedelta(hours=1)).count == 1
    assert len(uow.logins.failures) == 2
