"""The hand-over on the demo district's pages: the secretary of THPT Chu Văn An hands a
candidate over to Đồng Thúy, whose secretary accepts and names the mentor; the scope follows the
case (404 for the old cell's secretary, 200 for the new one); transfers of members."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.models import Case, CaseHandOver, Event, Member, Organisation
from db.read.history import verify
from tests.web.conftest import Browser

CVA = "Chi bộ trường THPT Chu Văn An"
DONG_THUY = "Chi bộ Công ty TNHH Đồng Thúy"


@pytest.fixture
def as_user(app):
    def _as(username: str) -> Browser:
        browser = Browser(app.test_client())
        assert browser.login(username).status_code == 302, username
        return browser

    return _as


def _cell(runtime, name: str) -> int:
    with runtime.sessions() as session:
        return session.scalar(select(Organisation.id).where(Organisation.name == name))


def _case_in(runtime, cell_id: int, state: str = "mentored") -> int:
    with runtime.sessions() as session:
        return session.scalar(
            select(Case.id).where(Case.cell_id == cell_id, Case.state == state).order_by(Case.id)
        )


def _official_of(runtime, cell_id: int) -> int:
    with runtime.sessions() as session:
        return session.scalar(
            select(Member.id).where(Member.cell_id == cell_id, Member.status == "official")
        )


def test_a_hand_over_from_request_to_acceptance(as_user, demo_runtime):
    cva, dong_thuy = _cell(demo_runtime, CVA), _cell(demo_runtime, DONG_THUY)
    case_id = _case_in(demo_runtime, cva)
    old = as_user("bithu.chuvanan")
    page = old.get(f"/candidates/{case_id}").get_data(as_text=True)
    assert 'id="moves"' in page
    with demo_runtime.sessions() as session:
        before = session.scalars(select(Event.id).where(Event.case_id == case_id)).all()
    sent = old.post(
        f"/candidates/{case_id}/hand-over",
        {"to_cell": dong_thuy, "reason": "Tốt nghiệp, về quê sinh sống"},
    )
    assert sent.status_code == 303
    new = as_user("bithu.dongthuy")
    listed = new.get("/candidates/hand-overs").get_data(as_text=True)
    assert "Tốt nghiệp, về quê sinh sống" in listed
    assert "Tốt nghiệp, về quê sinh sống" in old.get("/candidates/hand-overs").get_data(
        as_text=True
    )
    assert new.get(f"/candidates/{case_id}").status_code == 404  # not yet theirs
    with demo_runtime.sessions() as session:
        hand_over_id = session.scalar(
            select(CaseHandOver.id).where(CaseHandOver.case_id == case_id)
        )
    refused = new.post(f"/candidates/hand-overs/{hand_over_id}/accept", {"mentor": ""})
    assert refused.status_code == 422
    mentor = _official_of(demo_runtime, dong_thuy)
    done = new.post(f"/candidates/hand-overs/{hand_over_id}/accept", {"mentor": mentor})
    assert done.status_code == 303
    assert old.get(f"/candidates/{case_id}").status_code == 404
    page = new.get(f"/candidates/{case_id}").get_data(as_text=True)
    assert DONG_THUY in page
    with demo_runtime.sessions() as session:
        after = session.scalars(
            select(Event.action).where(Event.case_id == case_id).order_by(Event.id)
        ).all()
        assert session.get(Case, case_id).mentor_id == mentor
    assert len(after) == len(before) + 2 and after[-2:] == ["hand_over_case", "accept_hand_over"]
    assert verify(demo_runtime.engine).intact


def test_hand_over_refusals_show_on_the_case_page(as_user, demo_runtime):
    cva = _cell(demo_runtime, CVA)
    case_id = _case_in(demo_runtime, cva)
    old = as_user("bithu.chuvanan")
    same = old.post(f"/candidates/{case_id}/hand-over", {"to_cell": cva, "reason": "x"})
    assert same.status_code == 422
    none = old.post(f"/candidates/{case_id}/hand-over", {"to_cell": "", "reason": "x"})
    assert none.status_code == 422
    outsider = as_user("bithu.dongthuy")
    dong_thuy = _cell(demo_runtime, DONG_THUY)
    stranger = outsider.post(
        f"/candidates/{case_id}/hand-over", {"to_cell": dong_thuy, "reason": "x"}
    )
    assert stranger.status_code == 404


def test_the_committee_transfers_a_member(as_user, demo_runtime):
    cva, dong_thuy = _cell(demo_runtime, CVA), _cell(demo_runtime, DONG_THUY)
    member = _official_of(demo_runtime, cva)
    committee = as_user("bantochuc")
    assert committee.get("/candidates/transfers").status_code == 200
    form = {
        "member": member,
        "kind": "temporary",
        "to_cell": dong_thuy,
        "starts_on": "2026-01-05",
        "ends_on": "2026-06-30",
        "reason": "Đi học tập trung",
    }
    assert committee.post("/candidates/transfers", form).status_code == 303
    bad = committee.post("/candidates/transfers", {**form, "ends_on": ""})
    assert bad.status_code == 422
    page = committee.get("/candidates/transfers").get_data(as_text=True)
    assert "Đi học tập trung" in page
    secretary = as_user("bithu.chuvanan")
    assert secretary.post("/candidates/transfers", form).status_code == 403
    assert "Đi học tập trung" in secretary.get("/candidates/transfers").get_data(as_text=True)
