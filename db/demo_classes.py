"""The demo district's awareness classes, loaded at the end of ``hoso demo``.

Trung tâm Chính trị huyện Đức Trọng starts keeping its classes in hoso in the demo's last days
(everything goes through the use cases of ``db.classes``, after the last demo event, so that the
history chain stays in order):

- the **evening class** of November 2026, under way since 16/11 and opened for workers on shifts:
  the cells enter the registrations they had sent on paper (Võ Hoàng Phúc of THPT Chu Văn An by
  his mentor, Đặng Thị Thùy Dương of Công ty TNHH Đồng Thúy by her mentor), and the centre
  enters the register of its sessions. The switchboard's night shifts keep Dương from two of the
  six evenings; Phúc attends all. The last session is on Friday 27/11: the class is over and its
  certificates wait for the centre (``trungtam``) to issue them;
- a **weekend class** in December and a **daytime class** in January 2027, open for enrolment.

Lý Thị Thu Hiền (Công ty Cổ phần May mặc Phú Hội, mentored since 24/08/2026) is enrolled nowhere:
she is the one who waits. Dates are fixed; the clock is passed to every use case.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from db import classes
from db.actors import actor_by_username
from db.models import Case, Event, Organisation, Person
from db.runtime import Runtime
from workflow.history import utc_stamp
from workflow.services import Clock
from workflow.states import OrgType

CENTRE = "Trung tâm Chính trị huyện Đức Trọng"
PLACE = "Hội trường Trung tâm Chính trị huyện Đức Trọng, thị trấn Liên Nghĩa"
#: The demo's classes start being entered at 09:00 in Đà Lạt on this day (if nothing is later).
FIRST_ENTRY = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
#: The register of the last evening is entered that night, at 21:15 in Đà Lạt.
LAST_EVENING = datetime(2026, 11, 27, 14, 15, tzinfo=UTC)

EVENING = (
    {
        "name": "Lớp bồi dưỡng nhận thức về Đảng khóa IV năm 2026 (buổi tối)",
        "place": PLACE,
        "kind": "evening",
        "capacity": "40",
        "note": (
            "Lớp học buổi tối theo đề nghị của các chi bộ doanh nghiệp ngoài Nhà nước: công nhân, "
            "người lao động làm việc theo ca không sắp xếp được thời gian học lớp ban ngày."
        ),
    },
    [
        (day, "18:30", "21:00")
        for day in ("2026-11-16", "2026-11-18", "2026-11-20", "2026-11-23", "2026-11-25")
    ]
    + [("2026-11-27", "18:30", "21:00")],
)
WEEKEND = (
    {
        "name": "Lớp bồi dưỡng nhận thức về Đảng khóa V năm 2026 (cuối tuần)",
        "place": PLACE,
        "kind": "weekend",
        "capacity": "35",
        "note": "Học sáng thứ Bảy, Chủ nhật; dành cho công nhân, người lao động các doanh nghiệp.",
    },
    [
        (day, "07:30", "11:00")
        for day in ("2026-12-05", "2026-12-06", "2026-12-12", "2026-12-13", "2026-12-19")
    ],
)
DAYTIME = (
    {
        "name": "Lớp bồi dưỡng nhận thức về Đảng khóa I năm 2027",
        "place": PLACE,
        "kind": "daytime",
        "capacity": "60",
        "note": "Dành cho học sinh, giáo viên các trường THPT (học buổi chiều).",
    },
    [
        (day, "13:30", "16:30")
        for day in ("2027-01-11", "2027-01-12", "2027-01-13", "2027-01-14", "2027-01-15")
    ],
)

#: (candidate, who enrols, registered on paper on).
ENROLMENTS = (
    ("Võ Hoàng Phúc", "giupdo.chuvanan", "2026-11-06"),
    ("Đặng Thị Thùy Dương", "giupdo.dongthuy", "2026-11-09"),
)
#: The absences of the evening class: (candidate, session day, reason, note).
ABSENCES = (
    (
        "Đặng Thị Thùy Dương",
        "2026-11-18",
        "work_shift",
        "Trực ca đêm tại tổng đài điều hành Lado Taxi",
    ),
    (
        "Đặng Thị Thùy Dương",
        "2026-11-25",
        "work_shift",
        "Đổi ca đêm thay đồng nghiệp nghỉ ốm",
    ),
)


class _Clock:
    """One step a minute after the last event (or from FIRST_ENTRY), never before `at`."""

    def __init__(self, runtime: Runtime):
        with runtime.sessions() as session:
            last = session.scalar(select(func.max(Event.at)))
        start = FIRST_ENTRY
        if last is not None and last >= utc_stamp(FIRST_ENTRY):
            start = datetime.fromisoformat(last.replace("Z", "+00:00")) + timedelta(minutes=1)
        self.moment = start.replace(second=0, microsecond=0)

    def next(self, at: datetime | None = None) -> Clock:
        if at is not None and at > self.moment:
            self.moment = at
        clock = Clock(self.moment)
        self.moment += timedelta(minutes=1)
        return clock


def load_classes(runtime: Runtime) -> int:
    """Schedule the demo's classes, enrol and mark its candidates; returns how many classes."""
    with runtime.sessions() as session:
        centre = session.scalar(
            select(Organisation.id).where(
                Organisation.name == CENTRE, Organisation.type == OrgType.centre
            )
        )
        users = ("trungtam", *(who for _, who, _ in ENROLMENTS))
        actors = {name: actor_by_username(session, name) for name in users}
        cases = dict(
            session.execute(
                select(Person.full_name, Case.id)
                .join(Case, Case.person_id == Person.id)
                .where(Person.full_name.in_([name for name, _, _ in ENROLMENTS]))
            ).all()
        )
    clock = _Clock(runtime)
    trainer = actors["trungtam"]
    ids = [
        classes.schedule_class(runtime, trainer, centre, raw, rows, clock=clock.next())
        for raw, rows in (EVENING, WEEKEND, DAYTIME)
    ]
    evening = ids[0]
    for name, who, registered in ENROLMENTS:
        classes.enrol_candidate(
            runtime,
            actors[who],
            evening,
            cases[name],
            {"registered_on": registered},
            clock=clock.next(),
        )
    with runtime.sessions() as session:
        view = classes.class_view(session, trainer, evening, date(2026, 11, 27))
    for meeting in view.sessions:
        at = LAST_EVENING if meeting.held_on == date(2026, 11, 27) else None
        classes.record_attendance(
            runtime,
            trainer,
            evening,
            meeting.id,
            _marks(view, meeting.held_on),
            clock=clock.next(at),
        )
    return len(ids)


def _marks(view: classes.ClassView, day: date) -> dict[str, Any]:
    form: dict[str, Any] = {}
    for row in view.roster:
        absent = next(
            (a for a in ABSENCES if a[0] == row.name and date.fromisoformat(a[1]) == day), None
        )
        form[f"mark-{row.enrolment_id}"] = absent[2] if absent else "present"
        form[f"note-{row.enrolment_id}"] = absent[3] if absent else ""
    return form
