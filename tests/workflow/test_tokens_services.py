"""Personal API tokens on the fakes: made with a subset of one's grants, shown once, hashed,
expiring, revocable by their owner only; every refusal names its field."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from tests.workflow.fakes import FakeUnitOfWork
from workflow.clock import Clock
from workflow.errors import InvalidInput, NotFound
from workflow.facts import Actor
from workflow.services import tokens as use_cases
from workflow.tokens import MAX_DAYS, PREFIX, SECRET_LENGTH, looks_like_secret, secret_hash

TODAY = date(2026, 3, 2)
CLOCK = Clock.at(TODAY)
#: "com" of the fakes: committee at /1/ (grant 4) and auditor at /1/2/3/ (grant 5).
COM = Actor(30, "com")
SEC = Actor(10, "sec")


def _make(uow, actor=COM, grants=(5,), days=30, name="báo cáo"):
    return use_cases.create_token(
        uow, actor, name, TODAY + timedelta(days=days), grants, clock=CLOCK
    )


def test_a_token_is_shown_once_and_stored_as_its_hash():
    uow = FakeUnitOfWork()
    made = _make(uow)
    assert made.secret.startswith(PREFIX) and len(made.secret) == SECRET_LENGTH
    assert looks_like_secret(made.secret)
    assert list(uow.tokens.hashes) == [secret_hash(made.secret)]
    assert made.secret not in repr(uow.tokens.items)
    (event,) = uow.history.events
    assert event.action == "create_api_token" and event.data["grant_ids"] == [5]
    assert made.secret not in repr(event)
    assert uow.committed


def test_the_token_acts_with_only_the_chosen_grants():
    uow = FakeUnitOfWork()
    made = _make(uow, grants=(5,))
    found = use_cases.authenticate(uow, made.secret, clock=CLOCK)
    assert found is not None and found.token_id == made.token.id
    assert found.actor.roles() == {"auditor"}
    assert [g.scope_path for g in found.actor.grants] == ["/1/2/3/"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "a\u200bb"}, "name"),
        ({"name": "a\u202eb"}, "name"),
        ({"days": -1}, "expires_on"),
        ({"days": MAX_DAYS + 1}, "expires_on"),
        ({"grants": ()}, "grants"),
        ({"grants": (2,)}, "grants"),  # the secretary's grant: not com's
    ],
)
def test_refusals_name_their_field(changes, field):
    uow = FakeUnitOfWork()
    with pytest.raises(InvalidInput) as refused:
        _make(uow, **changes)
    assert refused.value.field == field
    assert not uow.tokens.items and not uow.history.events


def test_a_year_is_the_longest_life():
    assert _make(FakeUnitOfWork(), days=MAX_DAYS).token.expires_on == TODAY + timedelta(MAX_DAYS)


def test_expired_revoked_and_deactivated_tokens_act_as_nobody():
    uow = FakeUnitOfWork()
    made = _make(uow, days=3)
    assert use_cases.authenticate(uow, made.secret, clock=Clock.at(TODAY + timedelta(3)))
    assert use_cases.authenticate(uow, made.secret, clock=Clock.at(TODAY + timedelta(4))) is None
    uow.users.items[30] = replace(uow.users.items[30], active=False)
    assert use_cases.authenticate(uow, made.secret, clock=CLOCK) is None
    uow.users.items[30] = replace(uow.users.items[30], active=True)
    use_cases.revoke_token(uow, COM, made.token.id, clock=CLOCK)
    assert use_cases.authenticate(uow, made.secret, clock=CLOCK) is None
    assert [e.action for e in uow.history.events] == ["create_api_token", "revoke_api_token"]


def test_a_grant_taken_from_the_user_is_taken_from_the_token():
    uow = FakeUnitOfWork()
    made = _make(uow, grants=(5,))
    user = uow.users.items[30]
    uow.users.items[30] = replace(user, grants=tuple(g for g in user.grants if g.id != 5))
    assert use_cases.authenticate(uow, made.secret, clock=CLOCK) is None


@pytest.mark.parametrize("secret", ["", "hoso_", "Bearer x", PREFIX + "a" * 42 + "!", "x" * 10_000])
def test_malformed_or_unknown_secrets_act_as_nobody(secret):
    uow = FakeUnitOfWork()
    _make(uow)
    assert use_cases.authenticate(uow, secret, clock=CLOCK) is None
    assert use_cases.authenticate(uow, PREFIX + "a" * 43, clock=CLOCK) is None


def test_only_the_owner_lists_and_revokes():
    uow = FakeUnitOfWork()
    made = _make(uow)
    assert use_cases.list_tokens(uow, SEC) == []
    assert [t.id for t in use_cases.list_tokens(uow, COM)] == [made.token.id]
    with pytest.raises(NotFound):
        use_cases.revoke_token(uow, SEC, made.token.id, clock=CLOCK)
    assert uow.tokens.items[made.token.id].revoked_at is None
    revoked = use_cases.revoke_token(uow, COM, made.token.id, clock=CLOCK)
    assert isinstance(revoked.revoked_at, datetime)
    use_cases.revoke_token(uow, COM, made.token.id, clock=CLOCK)  # twice: nothing more
    assert len(uow.history.events) == 2


def test_a_user_holds_a_bounded_number_of_live_tokens():
    uow = FakeUnitOfWork()
    for _ in range(20):
        _make(uow)
    with pytest.raises(InvalidInput):
        _make(uow)
