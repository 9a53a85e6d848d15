"""Logging in, logging out and changing one's own password, on fakes: the throttle judged before
the password; every session ended by logout, a new password, a reset or a deactivation."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from tests.workflow.fakes import CLOCK, FakeUnitOfWork
from workflow import passwords
from workflow.clock import Clock
from workflow.errors import InvalidInput
from workflow.facts import Actor, Grant
from workflow.logins import SAME_PASSWORD, WRONG_PASSWORD, Limits
from workflow.services import accounts
from workflow.services import admin as admin_cases

ADMIN = Actor(50, "adm", (Grant("admin", 1, "/1/"),))
SECRETARY = Actor(10, "sec", (Grant("secretary", 3, "/1/2/3/"),))
RIGHT = "mat-khau-bi-thu-7"


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    uow.users.passwords[10] = RIGHT
    return uow


def _at(seconds: float) -> Clock:
    return Clock(CLOCK.now + timedelta(seconds=seconds))


def _try(uow, password, address="10.0.0.1", device=None, at=0.0, username="sec"):
    return accounts.log_in(uow, username, password, address, device, clock=_at(at))


def test_the_right_password_logs_in_with_the_session_version(uow):
    outcome = _try(uow, RIGHT)
    assert outcome.ok and outcome.user_id == 10 and outcome.session_version == 1
    assert uow.committed


def test_failures_are_recorded_and_then_the_client_waits_whatever_it_sends(uow):
    free = Limits().pair.free
    for i in range(free + 1):
        assert not _try(uow, "sai", at=i).ok
    assert len(uow.logins.failures) == free + 1
    # The right password now: refused unseen, the wait named; nothing more recorded.
    outcome = _try(uow, RIGHT, at=free + 0.5)
    assert outcome.throttled and not outcome.ok and outcome.wait == 2
    assert len(uow.logins.failures) == free + 1
    # After the wait, the right password works and the pair's failures are forgotten.
    assert _try(uow, RIGHT, at=free + 3).ok
    assert uow.logins.failures == []


def test_failures_from_one_address_do_not_hold_back_another(uow):
    for i in range(10):
        _try(uow, "sai", address="203.0.113.9", at=i)
    assert _try(uow, "sai", address="203.0.113.9", at=10).throttled
    assert _try(uow, RIGHT, address="10.0.0.1", at=10).ok


def test_a_known_device_logs_in_while_strangers_are_held_back(uow):
    for i in range(Limits().username.free + 1):  # guesses from many addresses: past its limit
        assert not _try(uow, "sai", address=f"203.0.113.{i}", at=i * 0.01).throttled
    assert _try(uow, RIGHT, address="10.0.0.2", at=1).throttled  # a stranger elsewhere waits
    assert _try(uow, RIGHT, address="203.0.113.9", device="dev-1", at=1).ok


def test_a_known_devices_own_failures_hold_it_back(uow):
    for i in range(Limits().device.free + 1):
        _try(uow, "sai", device="dev-1", at=i)
    assert _try(uow, RIGHT, device="dev-1", at=6.5).throttled
    assert _try(uow, RIGHT, address="10.0.0.3", at=6.5).ok  # its failures hold nobody else


def test_old_failures_are_forgotten_and_pruned(uow):
    for i in range(8):
        _try(uow, "sai", at=i)
    later = Limits().window.total_seconds() + 10
    assert _try(uow, "sai", address="10.9.9.9", at=later).user_id is None
    assert [f.address for f in uow.logins.failures] == ["10.9.9.9"]


def test_logout_ends_every_session(uow):
    accounts.log_out(uow, SECRETARY)
    assert uow.logins.session_version(10) == 2 and uow.committed
    assert _try(uow, RIGHT).session_version == 2


def test_changing_ones_password_ends_the_other_sessions_and_is_in_the_history(uow):
    version = accounts.change_own_password(uow, SECRETARY, RIGHT, "mot-cau-rat-dai-9", CLOCK)
    assert version == 2 == uow.logins.session_version(10)
    assert uow.users.passwords[10] == "mot-cau-rat-dai-9" and uow.committed
    (event,) = uow.history.events
    assert (event.action, event.role, event.user_id) == ("change_own_password", "self", 10)
    assert event.organisation_id == 3 and event.data == {"user": "sec"}
    assert RIGHT not in repr(event) and "mot-cau-rat-dai-9" not in repr(event)


@pytest.mark.parametrize(
    ("current", "new", "field", "message"),
    [
        ("sai", "mot-cau-rat-dai-9", "current", WRONG_PASSWORD),
        ("", "mot-cau-rat-dai-9", "current", WRONG_PASSWORD),
        (RIGHT, "ngan", "password", "at least 8 characters"),
        (RIGHT, "password123", "password", passwords.COMMON),
        (RIGHT, "sec-Bí thư-2026", "password", passwords.LIKE_NAME),
        (RIGHT, RIGHT, "password", SAME_PASSWORD),
        (RIGHT, "x" * 201, "password", "too long"),
    ],
)
def test_a_refused_change_names_the_field_and_changes_nothing(uow, current, new, field, message):
    with pytest.raises(InvalidInput) as caught:
        accounts.change_own_password(uow, SECRETARY, current, new, CLOCK)
    assert (caught.value.field, caught.value.message) == (field, message)
    assert uow.users.passwords[10] == RIGHT and uow.logins.session_version(10) == 1
    assert uow.history.events == [] and not uow.committed


def test_an_admins_reset_ends_every_session_of_the_user(uow):
    admin_cases.reset_password(uow, ADMIN, 10, "mot-cau-moi-dai-4", clock=CLOCK)
    assert uow.logins.session_version(10) == 2


def test_a_deactivation_ends_every_session_and_a_reactivation_revives_none(uow):
    admin_cases.set_user_active(uow, ADMIN, 10, False, clock=CLOCK)
    assert uow.logins.session_version(10) is None
    admin_cases.set_user_active(uow, ADMIN, 10, True, clock=CLOCK)
    assert uow.logins.session_version(10) == 3


def test_a_deactivated_user_does_not_log_in(uow):
    uow.users.items[10] = replace(uow.users.items[10], active=False)
    assert not _try(uow, RIGHT).ok
