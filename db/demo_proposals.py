"""The demo district's proposals of mass organisations, loaded at the end of ``hoso demo``.

Two parts:

- **The register kept on paper.** Every demo case whose source is a mass organisation was opened
  from that organisation's introduction, years before hoso kept proposals. Each gets its proposal,
  accepted on the day the case was opened and linked to it, written directly as rows (like the
  demo's organisations and targets): the case's ``identify`` event already names the organisation.
  The officers of the organisations without a demo account exist as users, inactive and without a
  password (like the other cells' secretaries), so that every proposal has its introducer.
- **This week, through the use cases** (``workflow.proposals``), after the last demo event and on
  fixed dates, so that the history chain stays in order: Đoàn trường THPT Chu Văn An proposes two
  students (``bithu.chuvanan`` declines one with a reason, the other waits for a decision), and
  Công đoàn Công ty TNHH Đồng Thúy proposes a driver (waiting).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.actors import actor_of
from db.demo_people import id_number, place_of_birth, residence
from db.models import Case, Organisation, Person, RoleGrant, User
from db.models.proposals import Proposal
from db.runtime import Runtime
from workflow import proposals as p
from workflow.services.proposals import decline_proposal, propose_candidate
from workflow.services import Clock
from workflow.states import OrgType, Role, Source

#: The officers of the mass organisations without a demo account, by the cell's username suffix.
OFFICERS = {
    ("doan", "ductrong"): "Nguyễn Thị Thu Trang",
    ("doan", "nguyenbinhkhiem"): "Lê Văn Hậu",
    ("doan", "luongthevinh"): "Phạm Thị Mỹ Duyên",
    ("doan", "hoanghoatham"): "Trần Quốc Bảo",
    ("doan", "nguyentrai"): "Vũ Thị Hồng Nhung",
    ("doan", "phuhoi"): "Đặng Văn Tài",
    ("congdoan", "phuhoi"): "Bùi Thị Kim Oanh",
    ("congdoan", "hiepthanh"): "Huỳnh Văn Lộc",
}

# What the organisations wrote, by who the person is (varied by the case's number).
STUDENT = (
    "Đoàn viên ưu tú; học lực giỏi, hạnh kiểm tốt nhiều năm liền; gương mẫu, nhiệt tình trong "
    "các hoạt động của chi đoàn và nhà trường, được đoàn viên trong lớp tín nhiệm."
)
TEACHER = (
    "Đoàn viên giáo viên ưu tú; vững chuyên môn, tận tụy với học sinh; tích cực trong công tác "
    "Đoàn và phong trào thanh niên của nhà trường."
)
WORKER = (
    "Người lao động giỏi, chấp hành tốt nội quy và kỷ luật lao động; nhiệt tình giúp đỡ đồng "
    "nghiệp; tích cực trong các phong trào thi đua của tổ chức."
)
ACHIEVEMENTS = {
    "student": (
        "Học sinh giỏi ba năm liền; Giấy khen của Huyện đoàn Đức Trọng",
        "Giải Ba học sinh giỏi cấp tỉnh; Đoàn viên xuất sắc năm học",
        "Giải Nhất cuộc thi Tìm hiểu lịch sử Đảng bộ huyện Đức Trọng",
    ),
    "teacher": (
        "Giáo viên dạy giỏi cấp tỉnh",
        "Chiến sĩ thi đua cơ sở; Bí thư chi đoàn giáo viên",
    ),
    "worker": (
        "Lao động giỏi hai năm liền; Giấy khen của Liên đoàn Lao động huyện",
        "Sáng kiến cải tiến kỹ thuật được công ty công nhận",
        "Chiến sĩ thi đua cơ sở",
    ),
}
MOVEMENTS = {
    "doan": (
        "Câu lạc bộ Lý luận trẻ",
        "Phong trào Thanh niên tình nguyện",
        "Đội thanh niên xung kích của trường",
        "Chiến dịch Mùa hè xanh",
    ),
    "congdoan": (
        "Phong trào thi đua Lao động giỏi, lao động sáng tạo",
        "Câu lạc bộ Công nhân trẻ",
        "Phong trào Xanh - Sạch - Đẹp, bảo đảm an toàn vệ sinh lao động",
    ),
}


@dataclass(frozen=True)
class Mass:
    org: Organisation
    cell: Organisation
    introducer_id: int
    secretary_id: int | None


def _masses(session: Session) -> dict[str, Mass]:
    """Every mass organisation attached to a cell, by name, with its officer and the cell's
    secretary; creates the officers that are not demo accounts."""
    grants = session.execute(
        select(RoleGrant.organisation_id, RoleGrant.role, User.id, User.username)
        .join(User, User.id == RoleGrant.user_id)
        .order_by(User.id)
    ).all()
    introducer = {o: u for o, role, u, _ in grants if role == Role.introducer}
    secretary = {o: (u, name) for o, role, u, name in grants if role == Role.secretary}
    found: dict[str, Mass] = {}
    orgs = session.scalars(
        select(Organisation).where(Organisation.type == OrgType.mass).order_by(Organisation.id)
    )
    for org in orgs:
        cell = session.get(Organisation, org.parent_id)
        if cell is None or cell.type != OrgType.cell:
            continue
        sec_id, sec_name = secretary.get(cell.id, (None, ""))
        if org.id not in introducer:
            suffix = sec_name.removeprefix("bithu.")
            user = User(
                username=f"{org.mass_kind}.{suffix}",
                full_name=OFFICERS[(org.mass_kind, suffix)],
                password_hash="",
                active=False,
            )
            user.grants.append(RoleGrant(role=Role.introducer, organisation_id=org.id))
            session.add(user)
            session.flush()
            introducer[org.id] = user.id
        found[org.name] = Mass(org, cell, introducer[org.id], sec_id)
    return found


def _kind(occupation: str | None) -> str:
    """Student, teacher or worker, as the person's occupation says."""
    text = occupation or ""
    if text.startswith("Học sinh"):
        return "student"
    return "teacher" if "Giáo viên" in text else "worker"


def _of(case: Case, masses: dict[str, Mass]) -> Mass | None:
    """The organisation a case's recorded source names (its name, maybe with details after)."""
    detail = case.source_detail or ""
    for name, mass in masses.items():
        if mass.cell.id == case.cell_id and (detail == name or detail.startswith(name + " (")):
            return mass
    return None


def _paper_register(session: Session, masses: dict[str, Mass]) -> int:
    """An accepted proposal for every demo case a mass organisation introduced."""
    cases = session.scalars(
        select(Case).where(Case.source == Source.mass_organisation).order_by(Case.id)
    ).all()
    added = 0
    for case in cases:
        mass = _of(case, masses)
        if mass is None:
            continue
        person: Person = case.person
        kind = _kind(person.occupation)
        reasons = {"student": STUDENT, "teacher": TEACHER}.get(kind, WORKER)
        session.add(
            Proposal(
                organisation_id=mass.org.id,
                cell_id=mass.cell.id,
                introducer_id=mass.introducer_id,
                status=p.ProposalStatus.accepted.value,
                proposed_on=case.opened_on - timedelta(days=7 + case.id % 8),
                **{name: getattr(person, name) for name in p.PERSON_NAMES},
                reasons=reasons,
                achievements=ACHIEVEMENTS[kind][case.id % len(ACHIEVEMENTS[kind])],
                movement=MOVEMENTS[mass.org.mass_kind][
                    case.id % len(MOVEMENTS[mass.org.mass_kind])
                ],
                decided_on=case.opened_on,
                decided_by_id=mass.secretary_id,
                case_id=case.id,
            )
        )
        added += 1
    return added


# --- this week, through the use cases ------------------------------------------------------------

CVA_DOAN = "Đoàn trường THPT Chu Văn An"
DTT_CONGDOAN = "Công đoàn Công ty TNHH Đồng Thúy"


def _clock(day: str, minutes: int) -> Clock:
    """09:00 in Đà Lạt (02:00 UTC) on `day`, plus `minutes`."""
    start = datetime.fromisoformat(day).replace(hour=2, tzinfo=UTC)
    return Clock(start + timedelta(minutes=minutes))


def _person(name: str, born: str, sex: str, occupation: str, serial: int, **more) -> dict:
    birth = date.fromisoformat(born)
    return {
        "full_name": name,
        "birth_date": born,
        "sex": sex,
        "birth_place": place_of_birth(serial),
        "hometown": "Đức Trọng, Lâm Đồng",
        "ethnicity": "Kinh",
        "religion": "Không",
        "residence": residence(serial),
        "occupation": occupation,
        "id_number": id_number(birth, sex, 9000 + serial),
        **more,
    }


#: (organisation, clock, the proposal); then the decline of the second one.
THIS_WEEK = (
    (
        CVA_DOAN,
        _clock("2026-11-26", 0),
        {
            **_person(
                "Nguyễn Hoàng Minh Thư",
                "2009-02-14",
                "nữ",
                "Học sinh lớp 12A2, Trường THPT Chu Văn An",
                1,
                education="Đang học lớp 12 (THPT)",
                is_doan_member="1",
            ),
            "reasons": (
                "Đoàn viên ưu tú, Phó Bí thư chi đoàn lớp 12A2; học lực giỏi, hạnh kiểm tốt ba "
                "năm liền; gương mẫu, được đoàn viên trong lớp tín nhiệm."
            ),
            "achievements": (
                "Giải Nhì học sinh giỏi cấp tỉnh môn Ngữ văn (2026); Đoàn viên xuất sắc năm học "
                "2025–2026"
            ),
            "movement": "Câu lạc bộ Lý luận trẻ trường THPT Chu Văn An",
        },
    ),
    (
        CVA_DOAN,
        _clock("2026-11-26", 5),
        {
            **_person(
                "Lê Gia Hân",
                "2010-06-03",
                "nữ",
                "Học sinh lớp 11A1, Trường THPT Chu Văn An",
                2,
                education="Đang học lớp 11 (THPT)",
                is_doan_member="1",
            ),
            "reasons": "Đoàn viên tích cực trong các hoạt động tình nguyện của nhà trường.",
            "achievements": "Giấy khen của Đoàn trường (2026)",
            "movement": "Đội thanh niên xung kích của trường",
        },
    ),
    (
        DTT_CONGDOAN,
        _clock("2026-11-26", 10),
        {
            **_person(
                "Trịnh Văn Hải",
                "1996-08-19",
                "nam",
                "Lái xe, Công ty TNHH Đồng Thúy (Lado Taxi)",
                3,
                education="12/12",
            ),
            "reasons": (
                "Người lao động giỏi ba năm liền, Tổ trưởng tổ lái xe; chấp hành tốt nội quy, "
                "nhiệt tình giúp đỡ đồng nghiệp và khách hàng."
            ),
            "achievements": (
                "Lao động giỏi 2024, 2025; Giấy khen của Liên đoàn Lao động huyện Đức Trọng (2025)"
            ),
            "movement": "Phong trào thi đua Lao động giỏi, lao động sáng tạo",
        },
    ),
)
DECLINED = (
    "Em Hân mới học lớp 11 và mới được kết nạp Đoàn tháng 3/2026; chi bộ đề nghị Đoàn trường tiếp "
    "tục bồi dưỡng, giao nhiệm vụ và giới thiệu lại vào học kỳ II năm học 2026–2027."
)


def _this_week(runtime: Runtime, masses: dict[str, Mass]) -> None:
    with runtime.sessions() as session:
        users = {u.id: actor_of(u, session) for u in session.scalars(select(User))}
    made = []
    for name, clock, raw in THIS_WEEK:
        mass = masses[name]
        made.append(
            propose_candidate(
                runtime.uow(),
                users[mass.introducer_id],
                mass.org.id,
                raw,
                clock=clock,
            )
        )
    decline_proposal(
        runtime.uow(),
        users[masses[CVA_DOAN].secretary_id],
        made[1].id,
        {"reason": DECLINED},
        clock=_clock("2026-11-27", 0),
    )


def load_proposals(runtime: Runtime) -> int:
    """Add the demo's proposals (after its cases); returns how many."""
    with runtime.sessions() as session:
        masses = _masses(session)
        added = _paper_register(session, masses)
        session.commit()
    _this_week(runtime, masses)
    return added + len(THIS_WEEK)
