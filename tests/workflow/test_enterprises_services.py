"""The registry's edits and readers on fakes: every refusal names its field or is
NotFound/NotAllowed, and leaves nothing (no change, no event, no commit)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.workflow.fakes import CLOCK, FakeUnitOfWork
from workflow import enterprises as rules
from workflow.errors import InvalidInput, NotAllowed, NotFound
from workflow.facts import Actor, Grant
from workflow.services import enterprises as s

ADMIN = Actor(50, "adm", (Grant("admin", 1, "/1/"),))
GRASSROOTS_ADMIN = Actor(52, "adm_xa", (Grant("admin", 2, "/1/2/"),))
COMMITTEE = Actor(30, "com", (Grant("committee", 1, "/1/"),))
VALUES = {"name": " Công ty Mới ", "workforce": 50, "committee_id": 2}


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.enterprises.items[9] = rules.enterprise_values(
        name="Công ty Cũ", tax_code="5800000999", workforce=300, committee_id=1
    )
    return fake


def refused(uow: FakeUnitOfWork, error: type[Exception], call, *args, **kw) -> Exception:
    """`call` is refused with `error`, and nothing is stored, logged or committed."""
    before = {k: dict(v) for k, v in uow.enterprises.items.items()}
    with pytest.raises(error) as caught:
        call(uow, *args, clock=CLOCK, **kw)
    assert uow.enterprises.items == before
    assert uow.history.events == [] and not uow.committed
    return caught.value


def test_create_enterprise(uow):
    new_id = s.create_enterprise(
        uow, ADMIN, **VALUES, tax_code="0101234567-001", cell_id=4, surveyed_on=date(2026, 3, 1),
        survey_status="surveyed", clock=CLOCK,
    )  # fmt: skip
    stored = uow.enterprises.items[new_id]
    assert (stored["name"], stored["tax_code"], stored["cell_id"]) == (
        "Công ty Mới", "0101234567001", 4
    )  # fmt: skip
    [event] = uow.history.events
    assert uow.committed and (event.action, event.organisation_id) == ("admin_create_enterprise", 2)
    assert event.data["enterprise"] == new_id and event.data["surveyed_on"] == "2026-03-01"
    assert "address" not in event.data  # what was not given is not logged


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", rules.REQUIRED),
        ({"name": "x" * 201}, "name", rules.TOO_LONG),
        ({"address": "x" * 301}, "address", rules.TOO_LONG),
        ({"plan": "x" * 4001}, "plan", rules.TOO_LONG),
        ({"tax_code": "123"}, "tax_code", rules.TAX_CODE_FORM),
        ({"tax_code": "580-000-0999"}, "tax_code", rules.TAX_CODE_TAKEN),
        ({"workforce": -1}, "workforce", rules.WORKFORCE_RANGE),
        ({"workforce": None}, "workforce", rules.WORKFORCE_RANGE),
        ({"survey_status": "maybe"}, "survey_status", rules.UNKNOWN_CHOICE),
        ({"committee_id": None}, "committee_id", rules.REQUIRED),
        ({"committee_id": 3}, "committee_id", rules.UNKNOWN_CHOICE),  # a cell keeps no survey
        ({"cell_id": 2}, "cell_id", rules.UNKNOWN_CHOICE),  # a committee is no cell
        ({"cell_id": 999}, "cell_id", rules.UNKNOWN_CHOICE),
    ],
)
def test_create_enterprise_refusals_name_the_field(uow, changes, field, message):
    err = refused(uow, InvalidInput, s.create_enterprise, ADMIN, **{**VALUES, **changes})
    assert (err.field, err.message) == (field, message)


def test_only_admins_register_and_only_in_their_scope(uow):
    refused(uow, NotAllowed, s.create_enterprise, COMMITTEE, **VALUES)
    outside = {**VALUES, "committee_id": 1}
    err = refused(uow, InvalidInput, s.create_enterprise, GRASSROOTS_ADMIN, **outside)
    assert (err.field, err.message) == ("committee_id", rules.UNKNOWN_CHOICE)


def test_update_enterprise(uow):
    s.update_enterprise(
        uow, ADMIN, 9, name="Công ty Cũ", tax_code="5800000999", workforce=320, committee_id=1,
        survey_status="plan_agreed", plan="Gặp giám đốc", clock=CLOCK,
    )  # fmt: skip
    assert uow.enterprises.items[9]["workforce"] == 320  # its own tax code is no clash
    [event] = uow.history.events
    assert (event.action, event.data["enterprise"], event.organisation_id) == (
        "admin_update_enterprise", 9, 1
    )  # fmt: skip


def test_update_enterprise_refusals(uow):
    refused(uow, NotFound, s.update_enterprise, GRASSROOTS_ADMIN, 9, **VALUES)  # kept above
    refused(uow, NotFound, s.update_enterprise, ADMIN, 999, **VALUES)
    refused(uow, NotAllowed, s.update_enterprise, COMMITTEE, 9, **VALUES)
    err = refused(uow, InvalidInput, s.update_enterprise, ADMIN, 9, **{**VALUES, "name": "x" * 201})
    assert (err.field, err.message) == ("name", rules.TOO_LONG)


def test_who_reads_the_registry():
    assert s.registry_scope(COMMITTEE).paths == ("/1/",)
    assert s.registry_scope(Actor(40, "aud", (Grant("auditor", 2, "/1/2/"),))).paths == ("/1/2/",)
    for role in ("secretary", "mentor", "introducer", "trainer"):
        with pytest.raises(NotAllowed):
            s.registry_scope(Actor(60, "x", (Grant(role, 3, "/1/2/3/"),)))
