"""``add_member`` on fakes: an admin enters a party member on a cell's rolls in their scope; every
refusal names its field or is NotFound/NotAllowed, and leaves nothing (no member, no event)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.workflow.fakes import CLOCK, FakeUnitOfWork
from workflow import admin as rules
from workflow.errors import InvalidInput, NotAllowed, NotFound
from workflow.facts import Actor, Grant
from workflow.services import admin as s

ADMIN = Actor(50, "adm", (Grant("admin", 1, "/1/"),))
#: An admin of the enterprise cell only.
CELL_ADMIN = Actor(51, "adm_firm", (Grant("admin", 4, "/1/2/4/"),))
SECRETARY = Actor(10, "sec", (Grant("secretary", 3, "/1/2/3/"),))

PERSON = {
    "full_name": " Nguyễn Văn Đảng ",
    "sex": "nam",
    "birth_date": date(1975, 5, 19),
    "occupation": "Giáo viên",
    "id_number": "068075000001",
}
OFFICIAL = {
    "status": "official",
    "admitted_on": date(2001, 3, 3),
    "official_since": date(2002, 3, 3),
}


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


def _add(uow: FakeUnitOfWork, actor: Actor = ADMIN, cell_id: int = 3, **changes) -> int:
    values = {"person": PERSON, **OFFICIAL, **changes}
    return s.add_member(uow, actor, cell_id, clock=CLOCK, **values)


def _refused(uow: FakeUnitOfWork, error: type[Exception], **changes) -> Exception:
    with pytest.raises(error) as caught:
        _add(uow, **changes)
    assert uow.users.members == {} and uow.history.events == [] and not uow.committed
    return caught.value


def test_add_member_stores_and_logs(uow):
    member_id = _add(uow, excused=True)
    stored = uow.users.members[member_id]
    assert stored["cell_id"] == 3 and stored["full_name"] == "Nguyễn Văn Đảng"
    assert stored["birth_date"] == date(1975, 5, 19) and stored["religion"] is None
    assert (stored["status"], stored["excused"]) == ("official", True)
    assert stored["official_since"] == date(2002, 3, 3)
    [event] = uow.history.events
    assert uow.committed and (event.action, event.role) == ("admin_add_member", "admin")
    assert event.organisation_id == 3 and event.at == CLOCK.now and event.case_id is None
    assert event.data["member_id"] == member_id
    assert event.data["full_name"] == "Nguyễn Văn Đảng"
    assert (event.data["admitted_on"], event.data["official_since"]) == ("2001-03-03", "2002-03-03")
    # The biography's identifying fields stay out of the append-only history.
    assert "id_number" not in event.data and "birth_date" not in event.data


def test_a_probationary_member_has_no_recognition_date(uow):
    member_id = _add(uow, status="probationary", official_since=None)
    assert uow.users.members[member_id]["status"] == "probationary"
    assert uow.history.events[0].data["official_since"] is None


def test_the_new_member_may_then_be_a_user(uow):
    member_id = _add(uow)
    user_id = s.create_user(
        uow,
        ADMIN,
        username="bithu.moi",
        full_name="Nguyễn Văn Đảng",
        password="mat-khau-8",
        member_id=member_id,
        clock=CLOCK,
    )
    assert uow.users.get(user_id).member_id == member_id


def test_only_an_admin_in_scope_adds_members(uow):
    with pytest.raises(NotAllowed):
        s.add_member(uow, SECRETARY, 3, person=PERSON, **OFFICIAL, clock=CLOCK)
    with pytest.raises(NotFound):
        s.add_member(uow, CELL_ADMIN, 3, person=PERSON, **OFFICIAL, clock=CLOCK)
    assert uow.users.members == {} and uow.history.events == []
    _refused(uow, NotFound, cell_id=999)


def test_members_belong_to_a_party_cell(uow):
    err = _refused(uow, InvalidInput, cell_id=2)  # a committee
    assert (err.field, err.message) == ("cell", rules.NOT_A_CELL)
    err = _refused(uow, InvalidInput, cell_id=5)  # the school's Đoàn
    assert err.field == "cell"


@pytest.mark.parametrize(
    ("person", "field", "message"),
    [
        ({**PERSON, "full_name": "  "}, "full_name", rules.REQUIRED),
        ({**PERSON, "full_name": "x" * 201}, "full_name", rules.TOO_LONG),
        ({**PERSON, "sex": "x" * 11}, "sex", rules.TOO_LONG),
        ({**PERSON, "birth_place": "x" * 201}, "birth_place", rules.TOO_LONG),
        ({**PERSON, "hometown": "x" * 201}, "hometown", rules.TOO_LONG),
        ({**PERSON, "ethnicity": "x" * 51}, "ethnicity", rules.TOO_LONG),
        ({**PERSON, "religion": "x" * 51}, "religion", rules.TOO_LONG),
        ({**PERSON, "education": "x" * 101}, "education", rules.TOO_LONG),
        ({**PERSON, "residence": "x" * 301}, "residence", rules.TOO_LONG),
        ({**PERSON, "occupation": "x" * 201}, "occupation", rules.TOO_LONG),
        ({**PERSON, "id_number": "0" * 21}, "id_number", rules.TOO_LONG),
        ({**PERSON, "birth_date": "19/05/1975"}, "birth_date", rules.NOT_A_DATE),
        ({**PERSON, "password": "x"}, "password", rules.UNKNOWN_CHOICE),
    ],
)
def test_every_text_is_checked(uow, person, field, message):
    err = _refused(uow, InvalidInput, person=person)
    assert (err.field, err.message) == (field, message)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"status": "honorary"}, "status", rules.UNKNOWN_CHOICE),
        ({"admitted_on": "2001-03-03"}, "admitted_on", rules.NOT_A_DATE),
        ({"official_since": None}, "official_since", rules.OFFICIAL_DATES),
        ({"official_since": date(2000, 1, 1)}, "official_since", rules.OFFICIAL_DATES),
        ({"status": "probationary"}, "official_since", rules.OFFICIAL_DATES),
    ],
)
def test_status_and_dates_are_checked(uow, changes, field, message):
    err = _refused(uow, InvalidInput, **changes)
    assert (err.field, err.message) == (field, message)
