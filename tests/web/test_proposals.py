"""The proposals pages on the demo district: the Đoàn of THPT Chu Văn An proposes, the cell's
secretary accepts (the case opens) or declines (nothing opens); who sees what (404 otherwise)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from db.models import Case, Event, Person
from db.models.proposals import Proposal
from db.read.history import verify
from tests.web.conftest import Browser

PERSON = {
    "full_name": "Phan Thị Bích Ngọc",
    "birth_date": "12/05/2009",
    "sex": "nữ",
    "birth_place": "Hiệp An, Đức Trọng, Lâm Đồng",
    "hometown": "Đức Trọng, Lâm Đồng",
    "ethnicity": "Kinh",
    "religion": "Không",
    "education": "Đang học lớp 12 (THPT)",
    "residence": "Thôn 3, xã Hiệp An, Đức Trọng",
    "occupation": "Học sinh lớp 12A3, Trường THPT Chu Văn An",
    "id_number": "068309001234",
    "is_doan_member": "1",
    "reasons": "Bí thư chi đoàn lớp 12A3; học lực giỏi, hạnh kiểm tốt ba năm liền.",
    "achievements": "Giải Ba học sinh giỏi cấp tỉnh môn Lịch sử",
    "movement": "Câu lạc bộ Lý luận trẻ",
}


@pytest.fixture
def as_user(app):
    """``as_user("doan.chuvanan")``: a new client logged in as that demo account."""

    def _as(username: str) -> Browser:
        browser = Browser(app.test_client())
        assert browser.login(username).status_code == 302, username
        return browser

    return _as


def _proposal_id(runtime, full_name: str) -> int:
    with runtime.sessions() as session:
        return session.scalar(select(Proposal.id).where(Proposal.full_name == full_name))


def _counts(runtime) -> tuple[int, int, int]:
    with runtime.sessions() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model))
            for model in (Case, Event, Proposal)
        )


def _text(response) -> str:
    page = response.get_data(as_text=True)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def _version(browser: Browser, proposal_id: int) -> str:
    page = browser.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    return re.search(r'name="version" value="(\d+)"', page).group(1)


def _propose(browser: Browser, **changes):
    return browser.post("/proposals/new", {**PERSON, **changes}, token_from="/proposals/new")


# --- the whole path ------------------------------------------------------------------------------


def test_an_introducer_proposes_and_the_secretary_accepts(as_user, demo_runtime):
    doan = as_user("doan.chuvanan")
    form = doan.get("/proposals/new")
    assert form.status_code == 200
    assert "Chi bộ trường THPT Chu Văn An" in _text(form)
    sent = _propose(doan)
    assert sent.status_code == 303
    proposal_id = _proposal_id(demo_runtime, "Phan Thị Bích Ngọc")
    assert sent.headers["Location"].endswith(f"/proposals/{proposal_id}")
    pending = doan.get(f"/proposals/{proposal_id}")
    assert "Chờ chi bộ xem xét" in _text(pending) and "Câu lạc bộ Lý luận trẻ" in _text(pending)
    assert "/accept" not in pending.get_data(as_text=True)  # no decision offered

    secretary = as_user("bithu.chuvanan")
    assert "Phan Thị Bích Ngọc" in _text(secretary.get("/proposals/"))
    accepted = secretary.post(
        f"/proposals/{proposal_id}/accept",
        {"version": _version(secretary, proposal_id)},
        token_from=f"/proposals/{proposal_id}",
    )
    assert accepted.status_code == 303
    with demo_runtime.sessions() as session:
        row = session.get(Proposal, proposal_id)
        case = session.get(Case, row.case_id)
        assert (row.status, case.state, case.source) == (
            "accepted",
            "identified",
            "mass_organisation",
        )
        assert case.source_detail.startswith(
            f"Đoàn trường THPT Chu Văn An (đề xuất số {proposal_id}"
        )
        assert session.get(Person, case.person_id).full_name == "Phan Thị Bích Ngọc"
    assert accepted.headers["Location"].endswith(f"/candidates/{case.id}")
    case_page = _text(secretary.get(f"/candidates/{case.id}"))
    assert "Cảm tình Đảng" in case_page and "đề xuất số" in case_page

    # The introducer sees the outcome, and that the case exists, but not the case itself.
    outcome = doan.get(f"/proposals/{proposal_id}")
    assert "Chi bộ đã tiếp nhận" in _text(outcome)
    assert f"/candidates/{case.id}" not in outcome.get_data(as_text=True)
    assert doan.get(f"/candidates/{case.id}").status_code == 404

    # Accepting again is refused: the proposal is decided.
    again = secretary.post(
        f"/proposals/{proposal_id}/accept", {}, token_from=f"/proposals/{proposal_id}"
    )
    assert again.status_code == 409
    with demo_runtime.sessions() as session:
        assert session.scalar(select(func.count()).where(Case.person_id == case.person_id)) == 1
    report = verify(demo_runtime.engine)
    assert report.intact, report.problem


def test_the_secretary_declines_with_a_reason_and_nothing_opens(as_user, demo_runtime):
    proposal_id = _proposal_id(demo_runtime, "Nguyễn Hoàng Minh Thư")  # the demo's pending one
    secretary = as_user("bithu.chuvanan")
    before = _counts(demo_runtime)
    empty = secretary.post(
        f"/proposals/{proposal_id}/decline",
        {"reason": "  "},
        token_from=f"/proposals/{proposal_id}",
    )
    assert empty.status_code == 422 and 'class="refusal"' in empty.get_data(as_text=True)
    assert _counts(demo_runtime) == before
    reason = "Chi bộ đề nghị Đoàn trường tiếp tục bồi dưỡng thêm một học kỳ."
    declined = secretary.post(
        f"/proposals/{proposal_id}/decline",
        {"reason": reason, "version": _version(secretary, proposal_id)},
        token_from=f"/proposals/{proposal_id}",
    )
    assert declined.status_code == 303
    cases, events, proposals = _counts(demo_runtime)
    assert (cases, events, proposals) == (before[0], before[1] + 1, before[2])
    with demo_runtime.sessions() as session:
        event = session.scalars(select(Event).order_by(Event.id.desc()).limit(1)).one()
        assert (event.action, event.case_id, event.reason) == ("decline_proposal", None, reason)
    page = _text(as_user("doan.chuvanan").get(f"/proposals/{proposal_id}"))
    assert "Chi bộ không tiếp nhận" in page and reason in page


def test_a_refused_proposal_shows_what_is_missing_and_saves_nothing(as_user, demo_runtime):
    doan = as_user("doan.chuvanan")
    before = _counts(demo_runtime)
    refused = _propose(doan, full_name="", reasons="")
    assert refused.status_code == 422
    page = _text(refused)
    assert "Chưa ghi họ và tên" in page and "Chưa ghi lý do giới thiệu" in page
    bad_date = _propose(doan, birth_date="31/02/2009")
    assert bad_date.status_code == 422 and "dd/mm/yyyy" in _text(bad_date)
    assert _counts(demo_runtime) == before


# --- who sees what ----------------------------------------------------------------------------


def test_an_introducer_sees_nothing_but_their_own_proposals(as_user, demo_runtime):
    mine = _proposal_id(demo_runtime, "Nguyễn Hoàng Minh Thư")
    declined = _proposal_id(demo_runtime, "Lê Gia Hân")
    theirs = _proposal_id(demo_runtime, "Trịnh Văn Hải")  # the Công đoàn of Đồng Thúy's
    doan = as_user("doan.chuvanan")
    listing = _text(doan.get("/proposals/"))
    assert "Nguyễn Hoàng Minh Thư" in listing and "Lê Gia Hân" in listing
    assert "Trịnh Văn Hải" not in listing
    assert doan.get(f"/proposals/{mine}").status_code == 200
    page = _text(doan.get(f"/proposals/{declined}"))
    assert "Chi bộ không tiếp nhận" in page and "học kỳ II năm học 2026–2027" in page
    assert doan.get(f"/proposals/{theirs}").status_code == 404
    assert doan.get("/proposals/999999").status_code == 404

    congdoan = as_user("congdoan.dongthuy")
    assert "Nguyễn Hoàng Minh Thư" not in _text(congdoan.get("/proposals/"))
    assert congdoan.get(f"/proposals/{mine}").status_code == 404
    assert congdoan.get(f"/proposals/{theirs}").status_code == 200


def test_an_introducer_does_not_decide(as_user, demo_runtime):
    mine = _proposal_id(demo_runtime, "Nguyễn Hoàng Minh Thư")
    doan = as_user("doan.chuvanan")
    token = f"/proposals/{mine}"
    assert doan.post(f"/proposals/{mine}/accept", {}, token_from=token).status_code == 403
    decline = doan.post(f"/proposals/{mine}/decline", {"reason": "x"}, token_from=token)
    assert decline.status_code == 403


def test_a_secretary_of_another_cell_cannot_see_or_decide(as_user, demo_runtime):
    before = _counts(demo_runtime)
    cva = _proposal_id(demo_runtime, "Nguyễn Hoàng Minh Thư")
    dongthuy = as_user("bithu.dongthuy")
    listing = _text(dongthuy.get("/proposals/"))
    assert "Trịnh Văn Hải" in listing and "Nguyễn Hoàng Minh Thư" not in listing
    assert dongthuy.get(f"/proposals/{cva}").status_code == 404
    assert (
        dongthuy.post(f"/proposals/{cva}/accept", {}, token_from="/proposals/").status_code == 404
    )
    decline = dongthuy.post(f"/proposals/{cva}/decline", {"reason": "x"}, token_from="/proposals/")
    assert decline.status_code == 404
    assert _counts(demo_runtime) == before


@pytest.mark.parametrize(
    "username", ["giupdo.chuvanan", "bantochuc", "kiemtra", "admin", "trungtam"]
)
def test_other_roles_have_no_proposals(as_user, demo_runtime, username):
    browser = as_user(username)
    pending = _proposal_id(demo_runtime, "Nguyễn Hoàng Minh Thư")
    assert browser.get("/proposals/").status_code == 403
    assert browser.get("/proposals/new").status_code == 403
    assert browser.get(f"/proposals/{pending}").status_code == 404
    # The menu (on the refusal's page too) does not lead there.
    assert 'href="/proposals/"' not in browser.get("/proposals/").get_data(as_text=True)


def test_a_secretary_does_not_propose(as_user):
    assert as_user("bithu.chuvanan").get("/proposals/new").status_code == 403


@pytest.mark.parametrize("username", ["doan.chuvanan", "bithu.chuvanan"])
def test_the_menu_leads_introducers_and_secretaries_to_their_proposals(as_user, username):
    page = as_user(username).get("/proposals/?lang=en").get_data(as_text=True)
    assert '<a href="/proposals/" aria-current="page">Proposals</a>' in page


def test_the_pages_speak_english_on_request(as_user, demo_runtime):
    doan = as_user("doan.chuvanan")
    declined = _proposal_id(demo_runtime, "Lê Gia Hân")
    page = _text(doan.get(f"/proposals/{declined}?lang=en"))
    assert "Declined by the cell" in page and "Reasons for the proposal" in page
    assert "Propose a person" in _text(doan.get("/proposals/?lang=en"))


# --- the demo -------------------------------------------------------------------------------------


def test_the_demo_has_proposals_in_every_outcome(demo_runtime):
    with demo_runtime.sessions() as session:
        rows = session.execute(select(Proposal.status, func.count()).group_by(Proposal.status))
        by_status = dict(rows.all())
        assert by_status["proposed"] == 2 and by_status["declined"] == 1
        assert by_status["accepted"] >= 3
        # Every accepted proposal of the demo is linked to a case from a mass organisation.
        linked = session.execute(
            select(Case.source).join(Proposal, Proposal.case_id == Case.id)
        ).scalars()
        assert set(linked) == {"mass_organisation"}
