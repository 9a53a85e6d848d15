"""The login throttle's storage and the session versions, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from werkzeug.security import generate_password_hash

from db.models import User
from workflow.logins import Failures

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
CHEAP = "pbkdf2:sha256:1000"


@pytest.fixture
def user_id(runtime) -> int:
    with runtime.sessions() as session:
        user = User(username="bithu.thu", password_hash=generate_password_hash("dung-roi-1", CHEAP))
        session.add(user)
        session.commit()
        return user.id


def test_failures_are_counted_per_key_and_forgotten_per_pair(runtime):
    with runtime.uow() as uow:
        for address, ago in [("10.0.0.1", 30), ("10.0.0.1", 20), ("10.0.0.2", 10)]:
            uow.logins.record_failure("bithu.thu", address, None, NOW - timedelta(seconds=ago))
        uow.logins.record_failure("khac", "10.0.0.1", None, NOW - timedelta(seconds=5))
        uow.logins.record_failure("bithu.thu", "10.0.0.9", "dev-1", NOW - timedelta(seconds=1))
        uow.commit()
    with runtime.uow() as uow:
        tally = uow.logins.tally("bithu.thu", "10.0.0.1", "dev-1", NOW - timedelta(hours=1))
    assert tally.pair == Failures(2, NOW - timedelta(seconds=20))
    assert tally.address == Failures(3, NOW - timedelta(seconds=5))
    assert tally.username == Failures(3, NOW - timedelta(seconds=10))  # not the device's
    assert tally.device == Failures(1, NOW - timedelta(seconds=1))
    with runtime.uow() as uow:
        assert uow.logins.tally(
            "bithu.thu", "10.0.0.1", None, NOW - timedelta(seconds=25)
        ).pair == (Failures(1, NOW - timedelta(seconds=20)))
        uow.logins.forget("bithu.thu", "10.0.0.1", "dev-1")
        uow.commit()
    with runtime.uow() as uow:
        tally = uow.logins.tally("bithu.thu", "10.0.0.1", "dev-1", NOW - timedelta(hours=1))
        assert tally.pair.count == 2 and tally.device.count == 0  # a device forgets its own only
        uow.logins.forget("bithu.thu", "10.0.0.1", None)
        tally = uow.logins.tally("bithu.thu", "10.0.0.1", None, NOW - timedelta(hours=1))
        assert tally.pair.count == 0 and tally.username.count == 1
        assert uow.logins.prune(NOW - timedelta(seconds=7)) == 1  # the other address's
        uow.commit()
    with runtime.uow() as uow:
        assert uow.logins.tally("khac", "10.0.0.1", None, NOW - timedelta(hours=1)).pair.count == 1


def test_credentials_and_session_versions(runtime, user_id):
    with runtime.uow() as uow:
        assert uow.logins.credentials("bithu.thu", "dung-roi-1") == (user_id, 1)
        assert uow.logins.credentials("bithu.thu", "sai") is None
        assert uow.logins.credentials("khong.co", "dung-roi-1") is None
        assert uow.logins.password_matches(user_id, "dung-roi-1")
        assert uow.logins.end_sessions(user_id) == 2
        assert uow.logins.end_sessions(user_id) == 3
        uow.commit()
    with runtime.uow() as uow:
        assert uow.logins.session_version(user_id) == 3
        assert uow.logins.credentials("bithu.thu", "dung-roi-1") == (user_id, 3)
        uow.users.set_active(user_id, False)
        assert uow.logins.session_version(user_id) is None
        assert uow.logins.credentials("bithu.thu", "dung-roi-1") is None
