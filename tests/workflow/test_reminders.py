"""Who must act on which deadline, and the digest each person gets: hand-made rows, hand counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from workflow.deadlines import LABELS, DeadlineStatus, WorkingCalendar
from workflow.reminders import (
    ACTING_ROLES,
    Digest,
    DueItem,
    Recipient,
    build_digest,
    due_items,
)
from workflow.settings import RuleSettings
from workflow.states import Role

CAL = WorkingCalendar()
SETTINGS = RuleSettings()
#: Wednesday before Tết Bính Ngọ (closed Monday 16/2 to Friday 20/2/2026).
TODAY = date(2026, 2, 11)


@dataclass(frozen=True)
class Row:
    """A case's dates, as ``db.worklist.CaseRow`` carries them."""

    id: int
    name: str
    cell: str
    state: str
    cell_vote_date: date | None = None
    decision_date: date | None = None
    decision_extension_days: int | None = None
    ceremony_on: date | None = None
    recognition_vote_date: date | None = None


CELL = "Chi bộ trường THPT Thử"
OTHER = "Chi bộ Công ty Thử"

ROWS = [
    # The decision: 60 working days from Wed 1/10/2025 end Wed 24/12/2025.
    Row(1, "Lê Thị Mai", CELL, "dossier_submitted", cell_vote_date=date(2025, 10, 1)),
    # The ceremony: 30 working days from Mon 5/1/2026 end Mon 23/2/2026 (across Tết).
    Row(2, "Trần Văn Bình", CELL, "admitted", decision_date=date(2026, 1, 5)),
    # Probation from Thu 12/2/2025 ends Thu 12/2/2026; the vote is due Thu 2/4/2026.
    Row(
        3, "Phạm Thu Hà", CELL, "admitted",
        decision_date=date(2025, 2, 3), ceremony_on=date(2025, 2, 12),
    ),
    # Probation ended Tue 2/12/2025: the vote was due Wed 14/1/2026.
    Row(
        4, "Đỗ Minh Tuấn", OTHER, "admitted",
        decision_date=date(2024, 11, 1), ceremony_on=date(2024, 12, 2),
    ),
    # The recognition vote of Mon 5/1/2026: the decision is due Mon 23/2/2026.
    Row(
        5, "Vũ Hoàng Nam", OTHER, "admitted", decision_date=date(2024, 12, 2),
        ceremony_on=date(2024, 12, 20), recognition_vote_date=date(2026, 1, 5),
    ),
    # The recognition vote of Tue 20/1/2026: the decision is due Tue 10/3/2026 (14 days left).
    Row(
        6, "Hồ Văn Khoa", CELL, "admitted", decision_date=date(2024, 12, 2),
        ceremony_on=date(2024, 12, 20), recognition_vote_date=date(2026, 1, 20),
    ),
    # Voted on 2/2/2026: the decision is months away.
    Row(7, "Ngô Thị Lan", CELL, "dossier_submitted", cell_vote_date=date(2026, 2, 2)),
    # No deadline before the chi bộ has voted.
    Row(8, "Bùi Văn Sơn", CELL, "trained"),
]  # fmt: skip


def summary(found: list[DueItem]) -> list[tuple]:
    return [(i.case_id, i.deadline.name, i.deadline.due, i.days_left, str(i.status)) for i in found]


# --- which deadlines are missed or near ---------------------------------------------------------


def test_overdue_and_due_soon_on_a_day_before_tet() -> None:
    # Days left from Wed 11/2/2026: Thu 12 (1), Fri 13 (2), Tết 16–20 closed, Mon 23/2 (3).
    # Late: Wed 24/12/2025 to Wed 11/2/2026 is 25, 26, 29–31/12, 2/1, 5/1–30/1, 2–6/2, 9–11/2:
    # 2 + 3 + 1 + 20 + 5 + 3 = 34 working days. Wed 14/1 to Wed 11/2: 20.
    assert summary(due_items(ROWS, CAL, SETTINGS, TODAY)) == [
        (1, "decision", date(2025, 12, 24), -34, "overdue"),
        (4, "recognition_vote", date(2026, 1, 14), -20, "overdue"),
        (3, "probation_end", date(2026, 2, 12), 1, "due_soon"),
        (2, "ceremony", date(2026, 2, 23), 3, "due_soon"),
        (5, "recognition_decision", date(2026, 2, 23), 3, "due_soon"),
    ]


def test_the_look_ahead_is_a_parameter() -> None:
    # 10/3/2026 is 14 working days away: 12, 13/2; 23–27/2; 2–6/3; 9, 10/3.
    wide = summary(due_items(ROWS, CAL, SETTINGS, TODAY, within=14))
    assert (6, "recognition_decision", date(2026, 3, 10), 14, "due_soon") in wide
    assert (6, "recognition_decision", date(2026, 3, 10), 14, "due_soon") not in summary(
        due_items(ROWS, CAL, SETTINGS, TODAY, within=13)
    )
    # 0: only what is missed or due today.
    assert [i.status for i in due_items(ROWS, CAL, SETTINGS, TODAY, within=0)] == [
        DeadlineStatus.overdue,
        DeadlineStatus.overdue,
    ]
    with pytest.raises(ValueError, match="negative"):
        due_items(ROWS, CAL, SETTINGS, TODAY, within=-1)


@pytest.mark.parametrize(
    ("today", "left"),
    [
        (date(2026, 2, 13), 1),  # Friday before Tết: only Monday 23/2 is left
        (date(2026, 2, 14), 1),  # the weekend before Tết
        (date(2026, 2, 18), 1),  # mùng 2 Tết
        (date(2026, 2, 22), 1),  # the Sunday after Tết
        (date(2026, 2, 23), 0),  # the day itself
        (date(2026, 2, 24), -1),
        (date(2026, 2, 28), -4),  # Saturday: 24, 25, 26, 27/2; the Saturday is no working day
    ],
)
def test_a_case_across_tet_and_a_weekend(today: date, left: int) -> None:
    (item,) = due_items([ROWS[1]], CAL, SETTINGS, today, within=60)
    assert (item.deadline.name, item.deadline.due, item.days_left) == (
        "ceremony",
        date(2026, 2, 23),
        left,
    )
    assert item.overdue is (left < 0)


def test_a_decision_across_tet_2025_and_its_extension() -> None:
    # The cell voted Thu 2/1/2025: 60 working days end Thu 3/4/2025 (Tết 27–31/1 closed);
    # with the 30-day extension, Tue 20/5/2025 (Giỗ Tổ, 30/4–2/5 closed; Sat 26/4 worked).
    row = Row(9, "Lý Thị Hoa", CELL, "dossier_submitted", cell_vote_date=date(2025, 1, 2))
    (item,) = due_items([row], CAL, SETTINGS, date(2025, 3, 31), within=5)
    assert (item.deadline.due, item.days_left) == (date(2025, 4, 3), 3)
    extended = Row(**{**row.__dict__, "decision_extension_days": 30})
    assert due_items([extended], CAL, SETTINGS, date(2025, 3, 31), within=5) == []
    (item,) = due_items([extended], CAL, SETTINGS, date(2025, 5, 19), within=5)
    assert (item.deadline.due, item.days_left) == (date(2025, 5, 20), 1)


def test_a_passed_end_of_probation_gives_way_to_the_vote() -> None:
    names = [i.deadline.name for i in due_items([ROWS[2]], CAL, SETTINGS, date(2026, 2, 13))]
    assert names == []  # ended yesterday; the vote (2/4/2026) is far
    names = [i.deadline.name for i in due_items([ROWS[2]], CAL, SETTINGS, date(2026, 3, 31))]
    assert names == ["recognition_vote"]


def test_every_deadline_has_someone_to_act() -> None:
    assert set(ACTING_ROLES) == set(LABELS)
    assert ACTING_ROLES["decision"] == (Role.committee,)
    assert ACTING_ROLES["ceremony"] == (Role.secretary,)
    assert ACTING_ROLES["recognition_vote"][0] == Role.secretary
    assert ACTING_ROLES["recognition_decision"] == (Role.committee,)


# --- the digest ---------------------------------------------------------------------------------

ITEMS = due_items(ROWS, CAL, SETTINGS, TODAY)
ANH = Recipient(1, "sec", "Nguyễn Văn Anh", "anh@example.org")


def test_only_what_the_recipient_must_act_on() -> None:
    as_secretary = [i for i in ITEMS if i.cell == CELL]
    digest = build_digest(ANH, [(Role.secretary, as_secretary)], TODAY)
    assert digest is not None
    # Not the decision on case 1: that is the committee's.
    assert [(e.item.case_id, e.item.deadline.name, e.roles) for e in digest.items] == [
        (3, "probation_end", (Role.secretary,)),
        (2, "ceremony", (Role.secretary,)),
    ]
    assert build_digest(ANH, [(Role.mentor, [ITEMS[0]])], TODAY) is None
    assert build_digest(ANH, [], TODAY) is None


def test_an_item_under_two_roles_is_listed_once() -> None:
    cell_items = [i for i in ITEMS if i.cell == CELL]
    digest = build_digest(ANH, [(Role.mentor, cell_items), (Role.secretary, cell_items)], TODAY)
    assert [(e.item.case_id, e.roles) for e in digest.items] == [
        (3, (Role.secretary, Role.mentor)),  # the answerable role first
        (2, (Role.secretary,)),
    ]


def committee_digest(base_url: str | None = "https://hoso.example.vn") -> Digest:
    recipient = Recipient(2, "com", "Trần Thị Bích", "bich@example.org")
    digest = build_digest(recipient, [(Role.committee, ITEMS)], TODAY, 10, base_url)
    assert digest is not None
    return digest


def test_the_subject_counts_overdue_and_due_soon() -> None:
    assert committee_digest().subject == "[hồ sơ] 1 việc quá hạn, 1 việc sắp đến hạn"
    secretary = build_digest(ANH, [(Role.secretary, ITEMS)], TODAY)
    assert secretary.subject == "[hồ sơ] 1 việc quá hạn, 2 việc sắp đến hạn"
    only_soon = build_digest(ANH, [(Role.secretary, ITEMS[2:])], TODAY)
    assert only_soon.subject == "[hồ sơ] 2 việc sắp đến hạn"
    only_late = build_digest(ANH, [(Role.committee, ITEMS[:1])], TODAY)
    assert only_late.subject == "[hồ sơ] 1 việc quá hạn"


def test_the_text_in_vietnamese_then_english() -> None:
    text = committee_digest().text()
    vi, _, en = text.partition("-" * 60)
    assert vi.splitlines()[:3] == [
        "Kính gửi đồng chí Trần Thị Bích,",
        "",
        "Đến ngày 11/02/2026, các hồ sơ sau cần đồng chí xử lý: 1 việc quá hạn,"
        " 1 việc sắp đến hạn (trong 10 ngày làm việc tới).",
    ]
    assert (
        "QUÁ HẠN (1)\n"
        "1. Lê Thị Mai — Chi bộ trường THPT Thử\n"
        "   Quyết định kết nạp: hạn 24/12/2025, quá hạn 34 ngày làm việc\n"
        "   Người thực hiện: Cấp ủy\n"
        "   https://hoso.example.vn/candidates/1\n"
    ) in vi
    assert (
        "SẮP ĐẾN HẠN (1)\n"
        "1. Vũ Hoàng Nam — Chi bộ Công ty Thử\n"
        "   Quyết định công nhận chính thức: hạn 23/02/2026, còn 3 ngày làm việc\n"
    ) in vi
    assert "Xem tất cả các thời hạn: https://hoso.example.vn/deadlines/" in vi
    assert "trừ ngày lễ, Tết" in vi
    assert "Dear Trần Thị Bích," in en
    assert "As of 11/02/2026, these cases wait on you: 1 overdue, 1 due within the next 10" in en
    assert (
        "OVERDUE (1)\n"
        "1. Lê Thị Mai — Chi bộ trường THPT Thử\n"
        "   Admission decision: due 24/12/2025, 34 working days overdue\n"
        "   Who acts: Committee\n"
    ) in en
    assert "Decision on full membership: due 23/02/2026, 3 working days left" in en
    assert "See every deadline: https://hoso.example.vn/deadlines/" in en
    assert "OVERDUE" not in vi and "QUÁ HẠN" not in en


def test_days_in_words() -> None:
    row = Row(2, "Trần Văn Bình", CELL, "admitted", decision_date=date(2026, 1, 5))
    recipient = Recipient(1, "sec", "", "sec@example.org")
    cases = {
        date(2026, 2, 13): ("còn 1 ngày làm việc", "1 working day left"),
        date(2026, 2, 23): ("đến hạn hôm nay", "due today"),
        date(2026, 2, 24): ("quá hạn 1 ngày làm việc", "1 working day overdue"),
    }
    for today, (vi, en) in cases.items():
        items = due_items([row], CAL, SETTINGS, today)
        text = build_digest(recipient, [(Role.secretary, items)], today).text()
        assert vi in text and en in text
        assert "Kính gửi đồng chí sec," in text  # no full name: the username


def test_without_an_address_the_digest_has_no_links() -> None:
    text = committee_digest(base_url=None).text()
    assert "http" not in text and "/deadlines/" not in text


def test_the_html_is_escaped_and_marks_overdue_in_red() -> None:
    row = Row(1, "Lê <b>Mai</b> & co", CELL, "dossier_submitted", cell_vote_date=date(2025, 10, 1))
    items = due_items([row, ROWS[1]], CAL, SETTINGS, TODAY)
    digest = build_digest(
        ANH, [(Role.committee, items), (Role.secretary, items)], TODAY, 10, "https://x.vn/"
    )
    html = digest.html()
    assert "<b>Mai</b>" not in html and "Lê &lt;b&gt;Mai&lt;/b&gt; &amp; co" in html
    assert '<div lang="vi">' in html and '<div lang="en">' in html
    assert html.index('<div lang="vi">') < html.index('<div lang="en">')
    assert 'color:#b3261e;font-weight:bold">quá hạn 34 ngày làm việc' in html
    assert 'color:#a15c00;font-weight:bold">còn 3 ngày làm việc' in html
    assert "24/12/2025" in html and "23/02/2026" in html
    assert '<a href="https://x.vn/candidates/2">Trần Văn Bình</a>' in html
    assert "<title>[hồ sơ] 1 việc quá hạn, 1 việc sắp đến hạn</title>" in html
