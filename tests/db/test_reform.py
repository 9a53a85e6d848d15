"""The tree over time on SQLite and PostgreSQL: a case crosses the 01/07/2025 reform; decisions,
their forms and the targets report use the tree of their date; scopes the current one."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from db.models import Decision, Event, Organisation
from db.read import tree as read_tree
from db.read.dossier import dossier_data
from db.read.reports import targets_report
from db.repositories.case_rows import deciding_body_on, has_grassroots_committee
from documents.render import render_form
from tests.db.reform_support import COMMUNE, REFORM, build_reform
from tests.documents.conftest import pdf_text
from workflow import tree as rules
from workflow.errors import InvalidInput
from workflow.services import restructure


@pytest.fixture
def reform(district):
    return build_reform(district)


def test_the_tree_of_a_day_before_and_after_the_reform(reform):
    commune = reform.cross()
    with reform.walker.runtime.sessions() as session:
        before = read_tree.tree_at(session, date(2025, 6, 30))
        after = read_tree.tree_at(session, REFORM)
        now = read_tree.tree_at(session, None)
        cell_path = session.get(Organisation, reform.cell).path
        versions = read_tree.versions_of(session, reform.cell)
    assert before.path(reform.cell) == f"/{reform.province}/{reform.huyen}/{reform.cell}/"
    assert after.path(reform.cell) == f"/{reform.province}/{commune}/{reform.cell}/"
    assert cell_path == after.path(reform.cell)  # scopes read the current tree
    assert reform.huyen in before.nodes and reform.huyen not in after.nodes | now.nodes
    assert commune not in before.nodes
    assert [(v.valid_from, v.valid_until, v.parent_id) for v in versions] == [
        (date(1900, 1, 1), REFORM, reform.huyen),
        (REFORM, None, commune),
    ]


def test_the_deciding_body_of_a_day_and_the_grassroots_committee_between(reform):
    commune = reform.cross()
    with reform.walker.runtime.sessions() as session:
        conn = session.connection()
        assert deciding_body_on(conn, reform.cell, date(2025, 6, 30)) == reform.huyen
        assert deciding_body_on(conn, reform.cell, REFORM) == commune
        assert deciding_body_on(conn, commune, date(2025, 6, 30)) is None
        assert not has_grassroots_committee(conn, reform.cell)
    # The commune stops deciding: the province does, and the commune sits between.
    restructure.set_decides_admissions(
        reform.walker.runtime.uow(), reform.admin, commune, False, date(2026, 1, 1)
    )
    with reform.walker.runtime.sessions() as session:
        conn = session.connection()
        assert has_grassroots_committee(conn, reform.cell)
        assert deciding_body_on(conn, reform.cell, date(2026, 1, 1)) == reform.province
        place = read_tree.placement_on(conn, reform.cell, date(2026, 1, 1))
        assert place.names["grassroots"] == COMMUNE


def test_a_case_open_on_the_reform_crosses_it_with_its_history(reform):
    """Opened in 2024 under the district, admitted in 2026 by the commune committee: 9-KNĐ names
    the commune committee and cites Quy định 294-QĐ/TW. One admitted in 2022 still names Huyện
    ủy Đức Trọng and cites 24-QĐ/TW and 12-HD/BTCTW."""
    old = reform.admitted(date(2022, 1, 10), date(2022, 6, 20), "Trần Văn Cũ")
    new = reform.admitted(date(2024, 3, 1), date(2026, 3, 16), "Lê Thị Mới", cross_before=True)
    with reform.walker.runtime.sessions() as session:
        bodies = dict(session.execute(select(Decision.case_id, Decision.body_id)).all())
        old_data, new_data = dossier_data(session, old), dossier_data(session, new)
        actions = session.scalars(
            select(Event.action).where(Event.case_id == new).order_by(Event.id)
        ).all()
    assert (bodies[old], bodies[new]) == (reform.huyen, reform.commune)
    # Every step before and after the reform is still the case's history.
    assert actions[:3] == ["identify", "assign_mentor", "complete_training"]
    # Four typed forms and the two introducers' letters (3-KNĐ) their introductions put on file.
    assert actions.count("record_document") == 6 and "admit" in actions

    old_pdf = pdf_text(render_form("9-KNĐ", old_data, issued_on=date(2026, 11, 27)))
    assert "BAN THƯỜNG VỤ HUYỆN ỦY ĐỨC TRỌNG" in old_pdf
    assert "24-QĐ/TW" in old_pdf and "12-HD/BTCTW" in old_pdf and "294-QĐ/TW" not in old_pdf
    new_pdf = pdf_text(render_form("9-KNĐ", new_data, issued_on=date(2026, 11, 27)))
    assert "ĐẢNG ỦY XÃ HIỆP THẠNH" in new_pdf and "Huyện ủy" not in new_pdf
    assert "294-QĐ/TW" in new_pdf and "24-QĐ/TW" not in new_pdf


def _report_orgs(reform, year: int) -> dict[str, int]:
    with reform.walker.runtime.sessions() as session:
        report = targets_report(session, None, year, date(2026, 11, 27))
    mine = {reform.province, reform.huyen, reform.cell, reform.other, reform.commune}
    return {row.org.name: row.admitted for row in report.rows if row.org.id in mine}


def test_the_targets_report_counts_the_organisations_of_its_year(reform):
    reform.admitted(date(2024, 1, 8), date(2024, 6, 17), "Phạm Văn Năm Hai Bốn")
    reform.admitted(date(2024, 3, 1), date(2026, 3, 16), "Lê Thị Mới", cross_before=True)
    assert _report_orgs(reform, 2024) == {
        "Tỉnh ủy Lâm Đồng": 1,
        "Đảng bộ huyện Đức Trọng": 1,
        "Chi bộ trường THPT Đức Trọng": 1,
        "Chi bộ Công ty TNHH Đồng Thúy": 0,
    }
    assert _report_orgs(reform, 2026) == {
        "Tỉnh ủy Lâm Đồng": 1,
        COMMUNE: 1,
        "Chi bộ trường THPT Đức Trọng": 1,
        "Chi bộ Công ty TNHH Đồng Thúy": 0,
    }
    # The year of the reform: both, each as it stood on its last day that year.
    assert set(_report_orgs(reform, 2025)) == {
        "Tỉnh ủy Lâm Đồng",
        "Đảng bộ huyện Đức Trọng",
        COMMUNE,
        "Chi bộ trường THPT Đức Trọng",
        "Chi bộ Công ty TNHH Đồng Thúy",
    }


def test_a_grant_on_a_dissolved_committee_is_listed_and_moved(reform):
    runtime = reform.walker.runtime
    with runtime.uow() as uow:  # another user's grant: an admin moves none of their own
        user_id = uow.users.add(
            username="uyvien.huyen",
            full_name="Ủy viên Ban Thường vụ",
            email=None,
            password="",
            active=True,
            member_id=None,
        )
        grant_id = uow.users.add_grant(user_id, "committee", reform.huyen)
        uow.commit()
    commune = reform.cross()
    with runtime.sessions() as session:
        [listed] = read_tree.grants_on_dissolved(session, None)
    assert (listed.grant_id, listed.organisation, listed.dissolved_on) == (
        grant_id,
        "Đảng bộ huyện Đức Trọng",
        REFORM,
    )
    restructure.move_grant(runtime.uow(), reform.admin, grant_id, commune)
    with runtime.sessions() as session:
        assert read_tree.grants_on_dissolved(session, None) == []
        rows = read_tree.tree_rows(session, None, date(2025, 6, 30))
    assert [r.name for r in rows if r.id in (reform.huyen, commune)] == ["Đảng bộ huyện Đức Trọng"]
    cell_row = next(r for r in rows if r.id == reform.cell)
    assert (cell_row.deciding, cell_row.grassroots) == ("Đảng bộ huyện Đức Trọng", None)


def test_dissolving_a_cell_with_an_open_case_is_refused(reform):
    reform.walker.identify(full_name="Ngô Văn Mở", birth_date="1985-01-01")
    with pytest.raises(InvalidInput) as caught:
        restructure.dissolve_organisation(
            reform.walker.runtime.uow(), reform.admin, reform.cell, date(2026, 1, 1)
        )
    # Its open case first (its members would be refused next).
    assert (caught.value.field, caught.value.message) == ("organisation", rules.OPEN_CASES)
