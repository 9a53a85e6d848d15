"""The admins' entry of admissions outside hoso on fakes (workflow.services.statistics): every
refusal names its field or is NotFound/NotAllowed and leaves nothing; each entry is an event."""

from __future__ import annotations

import pytest

from tests.workflow.fakes import CLOCK, FakeUnitOfWork
from workflow import outside as rules
from workflow.errors import InvalidInput, NotAllowed, NotFound
from workflow.facts import Actor, Grant
from workflow.services import statistics as s
from workflow.targets import OutsideTotal

ADMIN = Actor(50, "adm", (Grant("admin", 1, "/1/"),))
CELL_ADMIN = Actor(51, "adm_firm", (Grant("admin", 4, "/1/2/4/"),))
COMMITTEE = Actor(30, "com", (Grant("committee", 1, "/1/"),))


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


def refused(uow: FakeUnitOfWork, error: type[Exception], call, *args, **kw) -> Exception:
    before = dict(uow.outside.items)
    with pytest.raises(error) as caught:
        call(uow, *args, clock=CLOCK, **kw)
    assert uow.outside.items == before
    assert uow.history.events == [] and not uow.committed
    return caught.value


def test_enter_a_committees_total(uow):
    new_id = s.set_outside_admissions(
        uow, ADMIN, organisation_id=2, year="2025", total="240", enterprise_workers="2",
        note="  Báo cáo năm  ", clock=CLOCK,
    )  # fmt: skip
    assert uow.outside.get(new_id) == OutsideTotal(new_id, 2, 2025, 240, 2, None, "Báo cáo năm")
    [event] = uow.history.events
    assert uow.committed and (event.action, event.organisation_id) == (
        "admin_set_outside_admissions", 2
    )  # fmt: skip
    assert event.data == {
        "outside_id": new_id, "organisation": "Đảng ủy xã Thử", "year": 2025, "total": 240,
        "enterprise_workers": 2, "by_category": None, "note": "Báo cáo năm",
    }  # fmt: skip


def test_entering_again_replaces_the_years_total_and_both_are_in_the_history(uow):
    first = s.set_outside_admissions(
        uow, ADMIN, organisation_id=2, year=2025, total=10, enterprise_workers=0, clock=CLOCK
    )
    again = s.set_outside_admissions(
        uow, ADMIN, organisation_id=2, year=2025, total=12,
        by_category={"farmer": "9", "enterprise_worker": "3", "teacher": ""}, clock=CLOCK,
    )  # fmt: skip
    assert again == first and len(uow.outside.items) == 1
    entry = uow.outside.get(first)
    assert (entry.total, entry.enterprise_workers) == (12, 3)  # the breakdown's workers
    assert entry.by_category["farmer"] == 9 and entry.by_category["teacher"] == 0
    assert [e.data["total"] for e in uow.history.events] == [10, 12]


def test_delete_an_entry(uow):
    entry = s.set_outside_admissions(
        uow, ADMIN, organisation_id=1, year=2025, total=5, enterprise_workers=1, clock=CLOCK
    )
    s.delete_outside_admissions(uow, ADMIN, entry, clock=CLOCK)
    assert uow.outside.items == {}
    assert uow.history.events[-1].action == "admin_delete_outside_admissions"
    assert uow.history.events[-1].data["total"] == 5


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"total": "-1"}, "total", rules.BAD_COUNT),
        ({"total": "2.5"}, "total", rules.BAD_COUNT),
        ({"total": "100000"}, "total", rules.BAD_COUNT),
        ({"enterprise_workers": "11"}, "enterprise_workers", rules.MORE_WORKERS_THAN_TOTAL),
        ({"enterprise_workers": ""}, "enterprise_workers", rules.BAD_COUNT),
        ({"by_category": {"farmer": "9"}}, "by_category", rules.BREAKDOWN_SUM),
        ({"by_category": {"farmer": "8", "enterprise_worker": "2"}, "enterprise_workers": "1"},
         "enterprise_workers", rules.BREAKDOWN_WORKERS),
        ({"by_category": {"pilot": "10"}}, "category_pilot", rules.UNKNOWN_CATEGORY),
        ({"note": "x" * 501}, "note", rules.TOO_LONG),
        ({"year": "1999"}, "year", "a year from 2000 to 2100"),
        ({"organisation_id": 3}, "organisation", rules.NOT_A_COMMITTEE),
    ],
)  # fmt: skip
def test_refusals_name_their_field(uow, change, field, message):
    values = {"organisation_id": 2, "year": 2025, "total": "10", "enterprise_workers": "1"}
    values.update(change)
    err = refused(uow, InvalidInput, s.set_outside_admissions, ADMIN, **values)
    assert (err.field, err.message) == (field, message)


def test_the_boundaries_of_the_counts_are_allowed(uow):
    s.set_outside_admissions(
        uow, ADMIN, organisation_id=2, year=2025, total="99999", enterprise_workers="99999",
        clock=CLOCK,
    )  # fmt: skip
    s.set_outside_admissions(
        uow, ADMIN, organisation_id=1, year=2025, total="0", enterprise_workers="0", clock=CLOCK
    )
    assert sorted(e.total for e in uow.outside.items.values()) == [0, 99999]


def test_outside_the_admins_scope_does_not_exist_and_others_may_not(uow):
    refused(uow, NotFound, s.set_outside_admissions, CELL_ADMIN, organisation_id=2, year=2025,
            total=1, enterprise_workers=0)  # fmt: skip
    refused(uow, NotAllowed, s.set_outside_admissions, COMMITTEE, organisation_id=2, year=2025,
            total=1, enterprise_workers=0)  # fmt: skip
    uow.outside.items[7] = OutsideTotal(7, 2, 2025, 3, 0)
    refused(uow, NotFound, s.delete_outside_admissions, CELL_ADMIN, 7)
    refused(uow, NotFound, s.delete_outside_admissions, ADMIN, 8)


def test_who_reads_the_statistics():
    assert s.statistics_scope(COMMITTEE).covers("/1/2/3/")
    with pytest.raises(NotAllowed):
        s.statistics_scope(Actor(9, "mentor", (Grant("mentor", 3, "/1/2/3/"),)))
