"""Password hashes (`db.passwords`): Argon2id at OWASP's minimum, the older werkzeug hashes still
accepted and upgraded on a successful login, in the login's own unit of work; one check per login
whether or not the user exists. Timing is never asserted: the number of checks is."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, Type, extract_parameters
from werkzeug.security import generate_password_hash

from db import passwords
from db.models import User
from db.repositories import logins
from workflow.services.accounts import log_in

SECRET = "dung-roi-1"
SCRYPT = generate_password_hash(SECRET, method="scrypt")
PBKDF2 = generate_password_hash(SECRET, method="pbkdf2:sha256:1000")


# --- the hashes --------------------------------------------------------------------------------


def test_a_new_hash_is_argon2id_at_owasps_minimum_and_salted():
    stored = passwords.hash_password(SECRET)
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    found = extract_parameters(stored)
    assert (found.type, found.time_cost, found.memory_cost, found.parallelism) == (
        Type.ID,
        2,
        19_456,
        1,
    )
    assert found == passwords.parameters()
    assert SECRET not in stored
    assert passwords.hash_password(SECRET) != stored  # salted


# Ids by name: a hash made at collection differs between xdist's workers, which must collect
# the same test ids.
@pytest.mark.parametrize(
    "stored",
    [SCRYPT, PBKDF2, passwords.hash_password(SECRET)],
    ids=["scrypt", "pbkdf2", "argon2id"],
)
def test_the_right_password_matches_and_no_other(stored):
    assert passwords.verify(stored, SECRET)
    assert not passwords.verify(stored, SECRET + "x")
    assert not passwords.verify(stored, "")


@pytest.mark.parametrize(
    "stored",
    ["", SECRET, "$argon2id$v=19$m=19456,t=2,p=1$bad", "md5$x$y", "sha256:" + SECRET],
    ids=["empty", "plain", "broken-argon2", "md5", "sha256"],
)
def test_an_empty_or_unknown_stored_value_matches_nothing(stored):
    assert not passwords.verify(stored, SECRET)


def test_what_needs_rehash():
    assert not passwords.needs_rehash(passwords.hash_password(SECRET))
    assert passwords.needs_rehash(SCRYPT) and passwords.needs_rehash(PBKDF2)
    cheaper = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID)
    argon2i = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1, type=Type.I)
    for other in (cheaper.hash(SECRET), argon2i.hash(SECRET)):
        assert passwords.verify(other, SECRET)  # still checked ...
        assert passwords.needs_rehash(other)  # ... and replaced on the next login
    assert passwords.needs_rehash("$argon2id$garbage")


def test_the_dummy_hash_costs_what_a_real_one_costs():
    assert logins.DUMMY_HASH.startswith(passwords.PREFIX)
    assert not passwords.needs_rehash(logins.DUMMY_HASH)


# --- the login's upgrade, on SQLite and PostgreSQL ----------------------------------------------


def _user(runtime, stored: str, username: str = "bithu.thu") -> int:
    with runtime.sessions() as session:
        user = User(username=username, full_name=username, password_hash=stored)
        session.add(user)
        session.commit()
        return user.id


def _stored(runtime, user_id: int) -> tuple[str, int]:
    with runtime.sessions() as session:
        user = session.get(User, user_id)
        return user.password_hash, user.session_version


@pytest.mark.parametrize("old", [SCRYPT, PBKDF2], ids=["scrypt", "pbkdf2"])
def test_an_old_hash_is_upgraded_by_its_login_and_the_password_still_works(runtime, old):
    user_id = _user(runtime, old)
    outcome = log_in(runtime.uow(), "bithu.thu", SECRET, "10.0.0.1")
    assert outcome.user_id == user_id and outcome.session_version == 1
    new, version = _stored(runtime, user_id)
    assert new != old and new.startswith(passwords.PREFIX) and not passwords.needs_rehash(new)
    assert version == 1  # no session anywhere ends
    assert log_in(runtime.uow(), "bithu.thu", SECRET, "10.0.0.1").ok
    assert _stored(runtime, user_id) == (new, 1)  # today's hash stays as it is


def test_the_upgrade_is_part_of_the_logins_unit_of_work(runtime):
    user_id = _user(runtime, PBKDF2)
    with runtime.uow() as uow:
        assert uow.logins.credentials("bithu.thu", SECRET) == (user_id, 1)
        # not committed: rolled back with the rest
    assert _stored(runtime, user_id) == (PBKDF2, 1)
    with runtime.uow() as uow:
        uow.logins.credentials("bithu.thu", SECRET)
        uow.commit()
    assert _stored(runtime, user_id)[0].startswith(passwords.PREFIX)


def test_a_wrong_password_or_an_inactive_user_never_upgrades(runtime):
    user_id = _user(runtime, SCRYPT)
    assert not log_in(runtime.uow(), "bithu.thu", "sai", "10.0.0.1").ok
    assert _stored(runtime, user_id) == (SCRYPT, 1)
    with runtime.uow() as uow:
        uow.users.set_active(user_id, False)
        uow.commit()
    assert not log_in(runtime.uow(), "bithu.thu", SECRET, "10.0.0.2").ok
    assert _stored(runtime, user_id) == (SCRYPT, 1)


@pytest.fixture
def checks(monkeypatch) -> list[str]:
    """The stored values every password check of the login repository was made against."""
    made: list[str] = []
    real = passwords.verify

    def counted(stored: str, password: str) -> bool:
        made.append(stored)
        return real(stored, password)

    monkeypatch.setattr(logins.passwords, "verify", counted)
    return made


def test_one_check_per_attempt_whether_or_not_the_user_exists(runtime, checks):
    user_id = _user(runtime, passwords.hash_password(SECRET))
    nobody = _user(runtime, "", "khong.mat.khau")  # a user without a password
    with runtime.uow() as uow:
        assert uow.logins.credentials("khong.co", SECRET) is None
        assert checks == [logins.DUMMY_HASH]
        assert uow.logins.credentials("khong.mat.khau", SECRET) is None
        assert checks[1:] == [logins.DUMMY_HASH]
        assert uow.logins.credentials("bithu.thu", "sai") is None
        assert uow.logins.credentials("bithu.thu", SECRET) == (user_id, 1)
        assert len(checks) == 4 and logins.DUMMY_HASH not in checks[2:]
        assert not uow.logins.password_matches(nobody, "")
        assert uow.logins.password_matches(user_id, SECRET)
        assert checks[4:] == [logins.DUMMY_HASH, _stored(runtime, user_id)[0]]
