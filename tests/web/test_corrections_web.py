"""Corrections on the demo district's pages: a secretary proposes with evidence, the committee
approves (the admission decision is re-issued; its old code answers "superseded") or refuses
(nothing changes)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from db.models import Case, GeneratedDocument, Organisation, Person, PersonCorrection
from db.read.history import verify
from tests.web.conftest import Browser

SECRETARIES = {
    "Chi bộ trường THPT Chu Văn An": "bithu.chuvanan",
    "Chi bộ Công ty TNHH Đồng Thúy": "bithu.dongthuy",
}


@pytest.fixture
def as_user(app):
    def _as(username: str) -> Browser:
        browser = Browser(app.test_client())
        assert browser.login(username).status_code == 302, username
        return browser

    return _as


def _decided_case(runtime) -> tuple[int, str, str, str]:
    """A case of a demo secretary's cell with a generated 9-KNĐ: its id, the secretary, the
    document's verification code and number."""
    with runtime.sessions() as session:
        row = session.execute(
            select(
                Case.id, Organisation.name, GeneratedDocument.verify_code, GeneratedDocument.number
            )
            .join(GeneratedDocument, GeneratedDocument.case_id == Case.id)
            .join(Organisation, Organisation.id == Case.cell_id)
            .where(Organisation.name.in_(SECRETARIES), GeneratedDocument.code == "9-KNĐ")
            .order_by(Case.id)
        ).first()
    assert row is not None, "the demo has a generated 9-KNĐ in a secretary's cell"
    return row[0], SECRETARIES[row[1]], row[2], row[3]


def _name(runtime, case_id: int) -> str:
    with runtime.sessions() as session:
        return session.scalar(
            select(Person.full_name)
            .join(Case, Case.person_id == Person.id)
            .where(Case.id == case_id)
        )


def _correction_id(runtime, case_id: int) -> int:
    with runtime.sessions() as session:
        return session.scalar(
            select(PersonCorrection.id)
            .where(PersonCorrection.case_id == case_id)
            .order_by(PersonCorrection.id.desc())
        )


def test_a_correction_approved_reissues_and_supersedes(as_user, demo_runtime, app):
    case_id, secretary, code, number = _decided_case(demo_runtime)
    old_name = _name(demo_runtime, case_id)
    sec = as_user(secretary)
    assert sec.get(f"/candidates/{case_id}/corrections/new").status_code == 200
    form = {"full_name": old_name + " Thị", "reason": "Sai tên so với CCCD"}
    refused = sec.post(f"/candidates/{case_id}/corrections", form)
    assert refused.status_code == 422  # no evidence
    form["evidence"] = "CCCD số 068308000999 do Cục Cảnh sát QLHC cấp"
    assert sec.post(f"/candidates/{case_id}/corrections", form).status_code == 303
    assert _name(demo_runtime, case_id) == old_name  # not before the approval
    page = sec.get(f"/candidates/{case_id}").get_data(as_text=True)
    assert "Sai tên so với CCCD" in page
    committee = as_user("bantochuc")
    queue = committee.get("/candidates/corrections").get_data(as_text=True)
    assert "Sai tên so với CCCD" in queue
    correction = _correction_id(demo_runtime, case_id)
    version = re.search(r'name="version" value="(\d+)"', queue).group(1)
    done = committee.post(f"/candidates/corrections/{correction}/approve", {"version": version})
    assert done.status_code == 303
    assert _name(demo_runtime, case_id) == old_name + " Thị"
    answer = app.test_client().get(f"/verify/{code}").get_data(as_text=True)
    assert 'id="superseded-by"' in answer and "Đã được thay thế" in answer
    newer = re.search(r'id="superseded-by">([^<]+)<', answer).group(1)
    assert newer != number and newer.endswith("9-KNĐ")
    assert old_name + " Thị" not in answer  # names the newer document, not the person's data
    with demo_runtime.sessions() as session:
        fresh = session.scalar(
            select(GeneratedDocument.verify_code).where(GeneratedDocument.number == newer)
        )
    current = app.test_client().get(f"/verify/{fresh}").get_data(as_text=True)
    assert 'id="superseded-by"' not in current and old_name + " Thị" in current
    assert verify(demo_runtime.engine).intact


def test_a_refused_correction_changes_nothing(as_user, demo_runtime, app):
    case_id, secretary, code, _number = _decided_case(demo_runtime)
    old_name = _name(demo_runtime, case_id)
    sec = as_user(secretary)
    form = {"hometown": "Huế", "reason": "Ghi nhầm quê quán", "evidence": "Giấy khai sinh"}
    assert sec.post(f"/candidates/{case_id}/corrections", form).status_code == 303
    correction = _correction_id(demo_runtime, case_id)
    assert sec.post(f"/candidates/corrections/{correction}/approve", {}).status_code == 403
    committee = as_user("bantochuc")
    no_reason = committee.post(f"/candidates/corrections/{correction}/refuse", {"reason": ""})
    assert no_reason.status_code == 422
    refuse = {"reason": "Giấy tờ không khớp"}
    assert committee.post(f"/candidates/corrections/{correction}/refuse", refuse).status_code == 303
    with demo_runtime.sessions() as session:
        person = session.scalar(select(Person).join(Case).where(Case.id == case_id))
        assert (person.full_name, person.hometown) != (old_name, "Huế")
    answer = app.test_client().get(f"/verify/{code}").get_data(as_text=True)
    assert 'id="superseded-by"' not in answer


def test_a_correction_is_out_of_sight_elsewhere(as_user, demo_runtime):
    case_id, secretary, _code, _number = _decided_case(demo_runtime)
    other = next(u for u in SECRETARIES.values() if u != secretary)
    assert as_user(other).get(f"/candidates/{case_id}/corrections/new").status_code == 404
