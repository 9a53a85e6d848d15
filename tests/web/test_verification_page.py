"""The verification on the case page: the panel, its three forms, refusals in the panel, who may
act; and the case waiting on it on the work list and the deadlines page.

The factories' cells sit directly under the deciding body: ``com`` and ``sec`` both verify.
"""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.web.test_work import make_app, signed_in, work_rows

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

REQUEST = {"addressee": "Đảng ủy xã Hiệp Thạnh", "subject": "father", "sent_on": "2026-10-01"}


@pytest.fixture
def app(district, tmp_path, monkeypatch):
    return make_app(district, tmp_path, monkeypatch)


def panel(html: str) -> str:
    found = re.search(r'<section class="card" id="verification">.*?</section>', html, re.S)
    assert found, "no verification panel"
    return unescape(found.group(0))


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _case(district) -> int:
    case = district.to_trained()
    district.ready_dossier(case.id, verified=False)
    return case.id


def test_from_request_to_conclusion_on_the_page(app, district):
    case_id = _case(district)
    com = signed_in(app, "com")
    page = panel(com.get(f"/candidates/{case_id}").get_data(as_text=True))
    assert "No verification request sent yet" in page
    assert 'id="action-verification-request"' in page
    assert 'id="action-verification-conclude"' not in page  # nothing to conclude yet
    url = f"/candidates/{case_id}/verification/requests"
    sent = com.post(url, REQUEST, token_from=f"/candidates/{case_id}")
    assert sent.status_code == 303 and sent.location.endswith(f"/candidates/{case_id}#verification")
    page = panel(com.get(f"/candidates/{case_id}").get_data(as_text=True))
    assert "Đảng ủy xã Hiệp Thạnh" in page and "Father" in page and "01/10/2026" in page
    assert "1 request unanswered, the oldest sent on 01/10/2026" in text(page)
    request_id = re.search(r'id="verification-request-(\d+)"', page).group(1)

    # An answer dated before the request was sent: refused in the panel, the form kept.
    answer_url = f"{url}/{request_id}"
    early = {"answered_on": "30/09/2026", "finding": "Tốt.", "favourable": "1"}
    refused = com.post(answer_url, early, token_from=f"/candidates/{case_id}")
    assert refused.status_code == 422
    page = panel(refused.get_data(as_text=True))
    assert "Answered on: 30/09/2026 is before the request was sent" in text(page)
    assert f'id="action-verification-answer-{request_id}" open' in page
    assert 'value="30/09/2026"' in page  # kept as typed: dd/mm/yyyy (issue 12)

    fine = {**early, "answered_on": "2026-10-20", "finding": "Gia đình chấp hành tốt."}
    assert com.post(answer_url, fine, token_from=f"/candidates/{case_id}").status_code == 303
    page = panel(com.get(f"/candidates/{case_id}").get_data(as_text=True))
    assert "favourable · Gia đình chấp hành tốt." in text(page)
    assert "Every request is answered" in page

    conclusion = {"conclusion": "Lý lịch rõ ràng.", "favourable": "1", "concluded_on": "2026-10-21"}
    done = com.post(
        f"/candidates/{case_id}/verification/conclusion",
        conclusion,
        token_from=f"/candidates/{case_id}",
    )
    assert done.status_code == 303
    page = panel(com.get(f"/candidates/{case_id}").get_data(as_text=True))
    assert "Concluded favourable on 21/10/2026." in page
    assert "Biography (2-KNĐ) certified on" in page
    assert "<form" not in page  # nothing changes after the conclusion
    # The timeline names the steps.
    html = com.get(f"/candidates/{case_id}").get_data(as_text=True)
    for label in (
        "Send a verification request",
        "Record a verification answer",
        "Conclude the biography verification",
    ):
        assert label in html


def test_concluding_with_an_unanswered_request_asks_why(app, district):
    case_id = _case(district)
    com = signed_in(app, "com")
    base = f"/candidates/{case_id}"
    com.post(f"{base}/verification/requests", REQUEST, token_from=base)
    refused = com.post(
        f"{base}/verification/conclusion",
        {"conclusion": "Tốt.", "favourable": "1"},
        token_from=base,
    )
    assert refused.status_code == 422
    page = panel(refused.get_data(as_text=True))
    assert 'id="verification-conclude-unanswered_reason"' in page
    assert 'aria-invalid="true"' in page


def test_the_secretary_of_this_chi_bo_co_so_may_and_others_may_not(app, district):
    case_id = _case(district)
    base = f"/candidates/{case_id}"
    assert (
        signed_in(app, "sec")
        .post(f"{base}/verification/requests", REQUEST, token_from=base)
        .status_code
        == 303
    )
    mentor = signed_in(app, "mentor")
    page = panel(mentor.get(base).get_data(as_text=True))
    assert "Đảng ủy xã Hiệp Thạnh" in page and "<form" not in page  # reads, no forms
    assert mentor.post(f"{base}/verification/requests", REQUEST, token_from=base).status_code == 403
    other = signed_in(app, "sec_other")
    assert other.post(f"{base}/verification/requests", REQUEST).status_code == 404


def test_the_panel_speaks_vietnamese_by_default(app, district):
    case_id = _case(district)
    browser = signed_in(app, "com")
    html = browser.get(f"/candidates/{case_id}?lang=vi").get_data(as_text=True)
    assert "Thẩm tra lý lịch" in panel(html)


def test_the_committee_sees_the_case_waiting_on_answers(app, district):
    case_id = _case(district)
    com = signed_in(app, "com")
    com.post(f"/candidates/{case_id}/verification/requests", REQUEST, token_from="/")
    rows = work_rows(com.get("/").get_data(as_text=True), "committee")
    assert case_id in rows
    assert "chase the unanswered requests" in rows[case_id]
    assert "overdue" in rows[case_id]  # 15 working days from 01/10/2026 ended 22/10/2026
    sec_rows = work_rows(signed_in(app, "sec").get("/").get_data(as_text=True), "secretary")
    assert "Awaiting the biography verification" in sec_rows[case_id]
    deadlines = com.get("/deadlines/?lang=en").get_data(as_text=True)
    assert "Answer to the biography verification" in deadlines


def test_the_targets_report_lists_the_cases_waiting_on_verification(app, district):
    case_id = _case(district)
    com = signed_in(app, "com")
    com.post(f"/candidates/{case_id}/verification/requests", REQUEST, token_from="/")
    html = unescape(com.get("/reports/targets?lang=en").get_data(as_text=True))
    part = re.search(r'id="waiting-verification".*?</table>', html, re.S)
    assert part, "no waiting verification table"
    row = re.search(rf'<tr data-case="{case_id}">(.*?)</tr>', part.group(0), re.S)
    assert row and "01/10/2026" in row.group(1) and "1 request unanswered" in text(row.group(1))
    days = re.findall(r'<td class="num">(\d+)</td>', row.group(1))
    assert days and int(days[0]) > 15
    # An admin reads counts, not names.
    admin = unescape(signed_in(app, "adm").get("/reports/targets?lang=en").get_data(as_text=True))
    assert "1 case waits on its biography verification." in admin
    assert "Nguyễn Văn An" not in admin
