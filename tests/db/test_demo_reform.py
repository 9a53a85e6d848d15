"""The demo crosses the reform of 01/07/2025 (on SQLite and PostgreSQL): Huyện ủy Đức Trọng
decides until 30/06/2025, the commune committees from 01/07/2025; the admissions outside hoso
make the district's 2% share missed in 2020–2023; a verification in progress, a hand-over, an
approved correction and a case referred after three failed recognition votes; the chain verifies."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from db.demo import load_demo
from db.models import Case, Decision, DocumentRecord, Organisation, Person, RoleGrant, User, Vote
from db.models.corrections import DocumentSupersession, PersonCorrection
from db.models.moves import CaseHandOver
from db.models.verification import VerificationConclusion, VerificationRequest
from db.read.history import verify
from db.read.reports import targets_report
from db.read.tree import tree_at

DISTRICT = "Đảng bộ huyện Đức Trọng"
PROVINCE = "Tỉnh ủy Lâm Đồng"
ENTERPRISE_COMMITTEE = "Đảng ủy Công ty Cổ phần May mặc Phú Hội"
PHU_HOI = "Chi bộ Công ty Cổ phần May mặc Phú Hội"
COMMUNES = {
    "Đảng ủy xã Đức Trọng",
    "Đảng ủy xã Hiệp Thạnh",
    "Đảng ủy xã Tân Hội",
    "Đảng ủy xã Ninh Gia",
}


def _above(tree, cell_id: int, grassroots: int) -> int:
    """The committee above the cell on the tree's day, through the đảng ủy cơ sở `grassroots`."""
    parent = tree.nodes[cell_id].parent_id
    return tree.nodes[parent].parent_id if parent == grassroots else parent


def _grassroots_votes(session) -> None:
    """Phú Hội's admissions carry its đảng ủy cơ sở's vote (on its 9 members) and 8-KNĐ, its
    recognitions 15-KNĐ; no other cell's case has a grassroots vote. One of its cases is
    official, one waits for the committee's decision."""
    phu_hoi = session.scalar(select(Organisation.id).where(Organisation.name == PHU_HOI))
    admitted = set(
        session.scalars(
            select(Decision.case_id).where(
                Decision.kind == "admission", Decision.cell_id == phu_hoi
            )
        )
    )
    votes = session.execute(
        select(Vote.case_id, Vote.eligible, Case.cell_id)
        .join(Case, Case.id == Vote.case_id)
        .where(Vote.body == "grassroots")
    ).all()
    assert admitted and {case_id for case_id, _, _ in votes} == admitted
    assert {(eligible, cell) for _, eligible, cell in votes} == {(9, phu_hoi)}
    codes = set(session.execute(select(DocumentRecord.case_id, DocumentRecord.code)))
    assert all((case_id, "8-KNĐ") in codes for case_id in admitted)
    states = dict(session.execute(select(Case.id, Case.state).where(Case.cell_id == phu_hoi)).all())
    official = [case_id for case_id, state in states.items() if state == "official"]
    assert official and all((case_id, "15-KNĐ") in codes for case_id in official)
    assert "dossier_submitted" in states.values()


def _body_of(session, year: int) -> set[str]:
    """The bodies named by the admission decisions signed in `year`."""
    rows = session.execute(
        select(Organisation.name)
        .join(Decision, Decision.body_id == Organisation.id)
        .where(Decision.kind == "admission", func.extract("year", Decision.signed_on) == year)
    )
    return {name for (name,) in rows}


def test_the_demo_crosses_the_reform(runtime):
    load_demo(runtime)
    with runtime.sessions() as session:
        orgs = {o.name: o for o in session.scalars(select(Organisation))}
        district = orgs[DISTRICT]
        # The district decided until 30/06/2025 and was dissolved on 01/07/2025.
        assert district.dissolved_on == date(2025, 7, 1)
        before, after = tree_at(session, date(2025, 6, 30)), tree_at(session, date(2025, 7, 1))
        assert before.nodes[district.id].decides_admissions
        assert district.id not in after.nodes
        cells = [o for o in orgs.values() if o.type == "cell"]
        # Phú Hội's cell sits under its company's đảng ủy cơ sở, which the commune takes over.
        enterprise = orgs[ENTERPRISE_COMMITTEE].id
        assert all(_above(before, c.id, enterprise) == district.id for c in cells)
        communes = {_above(after, c.id, enterprise) for c in cells}
        assert {after.nodes[i].name for i in communes} == COMMUNES
        assert all(after.nodes[i].decides_admissions for i in communes)
        assert not after.nodes[enterprise].decides_admissions
        assert after.nodes[after.nodes[enterprise].parent_id].name == "Đảng ủy xã Đức Trọng"
        _grassroots_votes(session)
        # A 2022 decision names Huyện ủy Đức Trọng; a 2026 one a commune committee.
        assert _body_of(session, 2022) == {DISTRICT}
        assert _body_of(session, 2026) and _body_of(session, 2026) <= COMMUNES
        # The district's roles moved to the province: bantochuc and kiemtra keep their scope.
        grants = dict(
            session.execute(
                select(User.username, Organisation.name)
                .join(RoleGrant, RoleGrant.user_id == User.id)
                .join(Organisation, Organisation.id == RoleGrant.organisation_id)
                .where(User.username.in_(("admin", "bantochuc", "kiemtra")))
            ).all()
        )
        assert grants == {"admin": PROVINCE, "bantochuc": PROVINCE, "kiemtra": PROVINCE}
        # One verification in progress (requests unanswered, no conclusion): Nguyễn Văn Hòa's;
        # concluded ones for every dossier voted from the reform on (Lê Hoàng Nam's among them)
        # and for Lê Minh Triết, whom the walkthrough submits.
        unanswered = session.scalars(
            select(VerificationRequest.case_id).where(VerificationRequest.answered_on.is_(None))
        ).all()
        concluded = set(session.scalars(select(VerificationConclusion.case_id)))
        assert len(set(unanswered)) == 1 and not set(unanswered) & concluded
        case_of = {
            name: case_id
            for name, case_id in session.execute(
                select(Person.full_name, Case.id).join(Case, Case.person_id == Person.id)
            )
        }
        assert set(unanswered) == {case_of["Nguyễn Văn Hòa"]}
        assert {case_of["Lê Hoàng Nam"], case_of["Lê Minh Triết"]} <= concluded
        voted_since_reform = set(
            session.scalars(
                select(Vote.case_id).where(Vote.body == "cell", Vote.held_on >= date(2025, 7, 1))
            )
        )
        assert voted_since_reform and voted_since_reform <= concluded
        # One hand-over, accepted: the case now lives at the receiving cell.
        (hand_over,) = session.scalars(select(CaseHandOver)).all()
        assert hand_over.status == "accepted"
        moved = session.get(Case, hand_over.case_id)
        assert moved.cell_id == hand_over.to_cell_id != hand_over.from_cell_id
        # One correction approved; the old 9-KNĐ's code answers "superseded".
        (correction,) = session.scalars(select(PersonCorrection)).all()
        assert correction.status == "approved"
        assert session.scalar(
            select(func.count()).where(DocumentSupersession.correction_id == correction.id)
        )
        # One case referred to the higher committee after three failed recognition votes.
        (referred,) = session.scalars(
            select(Case).where(Case.recognition_referred_on.is_not(None))
        ).all()
        assert referred.recognition_referred_on == date(2026, 11, 11)
        assert referred.state == "admitted"
        assert session.get(Person, referred.person_id).full_name == "Phạm Thị Thu Sương"
        # The 2% share of the district, with the admissions outside hoso: missed 2020–2023.
        for year, workers, total in (
            (2020, 2, 200),
            (2021, 2, 200),
            (2022, 3, 210),
            (2023, 2, 200),
        ):
            report = targets_report(session, None, year, date(2026, 11, 27))
            (share,) = [s for s in report.shares if s.org.name == DISTRICT]
            assert (share.enterprise, share.total, share.status) == (workers, total, "missed")
    report = verify(runtime.engine)
    assert report.intact, report.problem
