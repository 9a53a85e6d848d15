"""The target edits and the report's readers on fakes: every refusal names its field or is
NotFound/NotAllowed, and leaves nothing (no change, no event, no commit)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.workflow.fakes import CLOCK, FakeUnitOfWork
from workflow.errors import InvalidInput, NotAllowed, NotFound
from workflow.facts import Actor, Grant
from workflow.services import targets as s
from workflow.targets import Target
from workflow.targets import edits as rules

ADMIN = Actor(50, "adm", (Grant("admin", 1, "/1/"),))
CELL_ADMIN = Actor(51, "adm_firm", (Grant("admin", 4, "/1/2/4/"),))
COMMITTEE = Actor(30, "com", (Grant("committee", 1, "/1/"),))
#: The school cell's admissions target of 2026 (id 7).
SCHOOL_2026 = Target(7, 3, 2026, "admissions", "count", Decimal(2), "all", "giao đầu năm")


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.targets.items[SCHOOL_2026.id] = SCHOOL_2026
    return fake


def refused(uow: FakeUnitOfWork, error: type[Exception], call, *args, **kw) -> Exception:
    """`call` is refused with `error`, and nothing is stored, logged or committed."""
    before = dict(uow.targets.items)
    with pytest.raises(error) as caught:
        call(uow, *args, clock=CLOCK, **kw)
    assert uow.targets.items == before
    assert uow.history.events == [] and not uow.committed
    return caught.value


def _event(uow: FakeUnitOfWork):
    [event] = uow.history.events
    assert (
        uow.committed and event.role == "admin" and event.case_id is None and event.ruleset == "-"
    )
    return event


def test_create_target(uow):
    target_id = s.create_target(
        uow, ADMIN, organisation_id=1, year=2027, metric="enterprise_share", value="2,5",
        note="  Nghị quyết  ", clock=CLOCK,
    )  # fmt: skip
    assert uow.targets.get(target_id) == Target(
        target_id, 1, 2027, "enterprise_share", "percentage", Decimal("2.50"), "all", "Nghị quyết"
    )
    event = _event(uow)
    assert (event.action, event.organisation_id) == ("admin_create_target", 1)
    assert event.data == {
        "target_id": target_id, "organisation": "Huyện ủy Thử", "year": 2027,
        "metric": "enterprise_share", "unit_kind": "all", "value": "2.50", "note": "Nghị quyết",
        "category": "all",
    }  # fmt: skip


def test_an_admissions_target_may_count_one_kind_of_unit(uow):
    target_id = s.create_target(
        uow, ADMIN, organisation_id=2, year=2026, metric="admissions", value=3,
        unit_kind="enterprise", clock=CLOCK,
    )  # fmt: skip
    assert uow.targets.get(target_id).unit_kind == "enterprise"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"value": "1.5"}, "value", rules.BAD_VALUE),
        ({"value": "-1"}, "value", rules.BAD_VALUE),
        ({"value": "abc"}, "value", rules.BAD_VALUE),
        ({"value": "10000"}, "value", rules.BAD_VALUE),
        ({"metric": "enterprise_share", "organisation_id": 1, "value": "101"}, "value",
         rules.BAD_PERCENT),
        ({"metric": "enterprise_share", "organisation_id": 1, "value": "2.005"}, "value",
         rules.BAD_PERCENT),
        ({"metric": "speed"}, "metric", rules.UNKNOWN_CHOICE),
        ({"metric": "introductions"}, "organisation", rules.WRONG_ORGANISATION),
        ({"metric": "enterprise_share"}, "organisation", rules.WRONG_ORGANISATION),
        ({"metric": "admissions", "organisation_id": 5}, "organisation", rules.WRONG_ORGANISATION),
        ({"unit_kind": "farm"}, "unit_kind", rules.UNKNOWN_CHOICE),
        ({"metric": "introductions", "unit_kind": "school"}, "unit_kind", rules.UNKNOWN_CHOICE),
        ({"year": 2026}, "metric", rules.TARGET_EXISTS),
        ({"year": 1999}, "year", rules.BAD_YEAR),
        ({"note": "x" * 501}, "note", rules.TOO_LONG),
    ],
)  # fmt: skip
def test_create_target_refusals_name_the_field(uow, changes, field, message):
    values = {"organisation_id": 3, "year": 2027, "metric": "admissions", "value": "1", **changes}
    err = refused(uow, InvalidInput, s.create_target, ADMIN, **values)
    assert (err.field, err.message) == (field, message)


def test_create_target_scope_and_role(uow):
    values = {"organisation_id": 3, "year": 2027, "metric": "admissions", "value": "1"}
    refused(uow, NotAllowed, s.create_target, COMMITTEE, **values)
    refused(uow, NotFound, s.create_target, CELL_ADMIN, **values)
    refused(uow, NotFound, s.create_target, ADMIN, **{**values, "organisation_id": 999})


def test_update_target(uow):
    s.update_target(uow, ADMIN, 7, value="3", note="  nâng mức  ", clock=CLOCK)
    assert (uow.targets.get(7).value, uow.targets.get(7).note) == (Decimal(3), "nâng mức")
    event = _event(uow)
    assert (event.action, event.organisation_id) == ("admin_update_target", 3)
    assert (event.data["value"], event.data["note"], event.data["year"]) == ("3", "nâng mức", 2026)


def test_update_target_refusals(uow):
    err = refused(uow, InvalidInput, s.update_target, ADMIN, 7, value="1.5")
    assert (err.field, err.message) == ("value", rules.BAD_VALUE)
    err = refused(uow, InvalidInput, s.update_target, ADMIN, 7, value="1", note="x" * 501)
    assert (err.field, err.message) == ("note", rules.TOO_LONG)
    refused(uow, NotFound, s.update_target, CELL_ADMIN, 7, value="3")
    refused(uow, NotFound, s.update_target, ADMIN, 999, value="3")
    refused(uow, NotAllowed, s.update_target, COMMITTEE, 7, value="3")


def test_delete_target_keeps_what_it_was_in_the_history(uow):
    s.delete_target(uow, ADMIN, 7, clock=CLOCK)
    assert uow.targets.get(7) is None
    event = _event(uow)
    assert event.action == "admin_delete_target"
    assert event.data == {
        "target_id": 7, "organisation": "Chi bộ trường THPT Thử", "year": 2026,
        "metric": "admissions", "unit_kind": "all", "value": "2", "note": "giao đầu năm",
        "category": "all",
    }  # fmt: skip


def test_delete_target_refusals(uow):
    refused(uow, NotFound, s.delete_target, CELL_ADMIN, 7)
    refused(uow, NotFound, s.delete_target, ADMIN, 999)
    refused(uow, NotAllowed, s.delete_target, COMMITTEE, 7)


def test_who_reads_the_report():
    assert s.report_scope(Actor(10, "sec", (Grant("secretary", 3, "/1/2/3/"),))).paths == (
        "/1/2/3/",
    )
    assert s.report_scope(ADMIN).paths == ("/1/",)
    for role in ("mentor", "introducer", "trainer"):
        with pytest.raises(NotAllowed):
            s.report_scope(Actor(60, "x", (Grant(role, 3, "/1/2/3/"),)))
