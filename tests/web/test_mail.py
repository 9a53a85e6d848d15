"""The reminder mail's wording: rendered from web/templates/mail/ on plain data (no app, no
database): Vietnamese then English, the subject, the HTML escaped, the recording sender."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from tests.workflow.test_worklist import CAL, CELL, ROWS, SETTINGS, TODAY, Row
from web.mail import RecordingSender, Rendered, message, render
from workflow.reminders import Digest, Recipient, build_digest
from workflow.services.reminders import digest_mail, send_reminders
from workflow.states import Role
from workflow.worklist import due_items

ITEMS = due_items(ROWS, CAL, SETTINGS, TODAY)
ANH = Recipient(1, "sec", "Nguyễn Văn Anh", "anh@example.org")


def committee_digest(base_url: str | None = "https://hoso.example.vn") -> Digest:
    recipient = Recipient(2, "com", "Trần Thị Bích", "bich@example.org")
    digest = build_digest(recipient, [(Role.committee, ITEMS)], TODAY, 10, base_url)
    assert digest is not None
    return digest


def rendered(digest: Digest) -> Rendered:
    return render(digest_mail(digest))


def test_the_subject_counts_overdue_and_due_soon() -> None:
    assert rendered(committee_digest()).subject == "[hồ sơ] 1 việc quá hạn, 1 việc sắp đến hạn"
    secretary = build_digest(ANH, [(Role.secretary, ITEMS)], TODAY)
    assert rendered(secretary).subject == "[hồ sơ] 1 việc quá hạn, 2 việc sắp đến hạn"
    only_soon = build_digest(ANH, [(Role.secretary, ITEMS[2:])], TODAY)
    assert rendered(only_soon).subject == "[hồ sơ] 2 việc sắp đến hạn"
    only_late = build_digest(ANH, [(Role.committee, ITEMS[:1])], TODAY)
    assert rendered(only_late).subject == "[hồ sơ] 1 việc quá hạn"


def test_the_text_in_vietnamese_then_english() -> None:
    text = rendered(committee_digest()).text
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
    assert text.endswith("Sent automatically every day by hồ sơ (hoso remind).\n")


def test_an_item_under_two_roles_names_both() -> None:
    cell_items = [i for i in ITEMS if i.cell == CELL]
    digest = build_digest(ANH, [(Role.mentor, cell_items), (Role.secretary, cell_items)], TODAY)
    text = rendered(digest).text
    assert "Người thực hiện: Bí thư chi bộ, Đảng viên giúp đỡ" in text
    assert "Who acts: Cell secretary, Mentor" in text


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
        text = rendered(build_digest(recipient, [(Role.secretary, items)], today)).text
        assert vi in text and en in text
        assert "Kính gửi đồng chí sec," in text  # no full name: the username


def test_without_an_address_the_digest_has_no_links() -> None:
    mail = rendered(committee_digest(base_url=None))
    assert "http" not in mail.text and "/deadlines/" not in mail.text
    assert "href" not in mail.html


def test_the_html_is_escaped_and_marks_overdue_in_red() -> None:
    row = Row(1, "Lê <b>Mai</b> & co", CELL, "dossier_submitted", cell_vote_date=date(2025, 10, 1))
    items = due_items([row, ROWS[1]], CAL, SETTINGS, TODAY)
    digest = build_digest(
        ANH, [(Role.committee, items), (Role.secretary, items)], TODAY, 10, "https://x.vn/"
    )
    digest = replace(digest, recipient=replace(ANH, full_name="Anh <i>"))
    mail = rendered(digest)
    html = mail.html
    assert "<b>Mai</b>" not in html and "Lê &lt;b&gt;Mai&lt;/b&gt; &amp; co" in html
    assert "Kính gửi đồng chí Anh &lt;i&gt;," in html and "<i>" not in html
    assert '<div lang="vi">' in html and '<div lang="en">' in html
    assert html.index('<div lang="vi">') < html.index('<div lang="en">')
    assert 'color:#b3261e;font-weight:bold">quá hạn 34 ngày làm việc' in html
    assert 'color:#a15c00;font-weight:bold">còn 3 ngày làm việc' in html
    assert "24/12/2025" in html and "23/02/2026" in html
    assert '<a href="https://x.vn/candidates/2">Trần Văn Bình</a>' in html
    assert "<title>[hồ sơ] 1 việc quá hạn, 1 việc sắp đến hạn</title>" in html
    # The plain text is no markup: nothing escaped there.
    assert "Lê <b>Mai</b> & co" in mail.text and "Anh <i>," in mail.text


def test_the_message_carries_both_bodies_and_the_headers() -> None:
    msg = message(digest_mail(committee_digest()), "hồ sơ <hoso@example.vn>")
    assert msg["Subject"] == "[hồ sơ] 1 việc quá hạn, 1 việc sắp đến hạn"
    assert msg["To"] == "Trần Thị Bích <bich@example.org>"
    assert msg["Auto-Submitted"] == "auto-generated"
    assert "@example.vn>" in msg["Message-ID"]
    assert "Kính gửi" in msg.get_body(preferencelist=("plain",)).get_content()
    assert "<table" in msg.get_body(preferencelist=("html",)).get_content()


def test_the_recording_sender_renders_and_keeps() -> None:
    nobody = build_digest(Recipient(3, "com2", "", ""), [(Role.committee, ITEMS)], TODAY)
    sender = RecordingSender(refuse=("anh@example.org",))
    secretary = build_digest(ANH, [(Role.secretary, ITEMS)], TODAY)
    results = send_reminders(sender, [committee_digest(), secretary, nobody])
    assert [r.error for r in results] == [None, "refused: anh@example.org", "no e-mail address"]
    ((mail, shown),) = sender.sent
    assert mail.to_address == "bich@example.org"
    assert shown.subject == "[hồ sơ] 1 việc quá hạn, 1 việc sắp đến hạn"
