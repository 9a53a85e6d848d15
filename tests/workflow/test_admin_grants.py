"""An admin fires no transition and cannot make themselves able to (issue 11).

Granting is separate from holding: no admin grants any role to their own account (committee
and auditor included); the admin role never acts, whatever else the actor holds.
"""

from __future__ import annotations

import pytest

from tests.workflow.fakes import CLOCK, FakeUnitOfWork
from tests.workflow.test_admin_services import ADMIN, invalid
from workflow import admin as rules
from workflow import policy
from workflow.definition import FACTS, SPECS
from workflow.errors import NotAllowed
from workflow.facts import Actor, CaseFacts, Grant
from workflow.services import admin as s
from workflow.services import cases
from workflow.states import Role, UnitKind

#: An admin who also holds the committee of the same province: may act, as the committee.
ADMIN_AND_COMMITTEE = Actor(60, "adm_btc", (Grant("admin", 1, "/1/"), Grant("committee", 1, "/1/")))


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_no_admin_grants_a_role_to_their_own_account(uow, role):
    invalid(uow, "role", rules.OWN_GRANT, s.grant_role, ADMIN, ADMIN.user_id, role, 3)


def test_another_admin_grants_the_committee(uow):
    grant_id = s.grant_role(uow, ADMIN, 80, "committee", 1, clock=CLOCK)
    assert any(g.id == grant_id and g.role == "committee" for g in uow.users.get(80).grants)
    assert all(g.role == "admin" for g in uow.users.get(ADMIN.user_id).grants)


def test_the_admin_role_is_named_by_no_transition_nor_fact():
    for spec in (*SPECS.values(), *FACTS.values()):
        assert Role.admin not in spec.roles
    assert Role.admin not in policy.ACTING_ROLES


def _case(state: str) -> CaseFacts:
    return CaseFacts(
        case_id=1,
        state=state,
        version=1,
        person_id=1,
        person_name="Nguyễn Văn A",
        birth_date=None,
        is_doan_member=False,
        cell_id=3,
        cell_path="/1/2/3/",
        deciding_body_path="/1/",
        unit_kind=UnitKind.school,
        unit_has_doan=True,
    )


@pytest.mark.parametrize("trigger", [t for t in SPECS if t != "identify"])
def test_an_admin_alone_may_fire_nothing_even_in_scope(trigger):
    for state in SPECS[trigger].sources:
        assert policy.acting_role(ADMIN, _case(state), trigger) is None


@pytest.mark.parametrize("kind", list(FACTS))
def test_an_admin_alone_may_record_no_fact(kind):
    for state in FACTS[kind].states:
        assert policy.fact_role(ADMIN, _case(state), kind) is None


def test_an_admin_who_also_holds_the_committee_acts_as_the_committee():
    assert policy.administers_only(ADMIN)
    assert not policy.administers_only(ADMIN_AND_COMMITTEE)
    case = _case("dossier_submitted")
    assert policy.acting_role(ADMIN_AND_COMMITTEE, case, "admit") == Role.committee


def test_fire_and_record_refuse_an_admin_before_looking_at_the_case(uow):
    with pytest.raises(NotAllowed):
        cases.fire_transition(uow, ADMIN, 12345, "admit", {}, clock=CLOCK)
    with pytest.raises(NotAllowed):
        cases.record_fact(uow, ADMIN, 12345, "note", {"text": "x"}, clock=CLOCK)
    assert not uow.history.events and not uow.committed
