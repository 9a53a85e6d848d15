"""Thay bản quét on the case page: the new file is on file, the old one stays in the history
and the auditor still downloads it."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from db.models import DocumentScan, Event
from tests.web.case_page_support import small_runtime, town_in
from tests.web.conftest import Browser

WRONG = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
RIGHT = b"%PDF-1.4\n1 0 obj << /Title (dung) >> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def demo_runtime(tmp_path):
    """The web fixtures' database: here the small test district, not the demo (sqlite only)."""
    yield from small_runtime(tmp_path)


@pytest.fixture
def town(demo_runtime):
    return town_in(demo_runtime)


def _upload(browser, case, content, path, **form):
    from io import BytesIO

    data = {"version": str(case.version), "code": "2-KNĐ", "dated": "2026-11-02", **form}
    data["file"] = (BytesIO(content), "ly-lich.pdf", "application/pdf")
    return browser.post(path, data, content_type="multipart/form-data")


def test_a_replaced_scan_stays_in_the_history_for_the_auditor(town, login, app):
    case = town.to_trained()
    sec = login("sec")
    response = _upload(sec, case, WRONG, f"/candidates/{case.id}/uploads")
    assert response.status_code == 303
    with town.runtime.sessions() as session:
        scan_id = session.scalar(select(DocumentScan.id))
    page = sec.get(f"/candidates/{case.id}").get_data(as_text=True)
    replace = f"/candidates/{case.id}/scans/{scan_id}/replace"
    assert f'action="{replace}"' in page

    response = _upload(sec, case, RIGHT, replace)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    current = sec.get(f"/candidates/{case.id}/scans/{scan_id}")
    assert current.data == RIGHT
    with town.runtime.sessions() as session:
        event = session.scalar(select(Event).where(Event.action == "replace_scan"))
        assert event is not None and event.case_id == case.id
    old = hashlib.sha256(WRONG).hexdigest()
    link = f"/candidates/{case.id}/scans/{scan_id}/replaced/{old}"
    page = sec.get(f"/candidates/{case.id}").get_data(as_text=True)
    assert f'href="{link}"' in page

    auditor = Browser(app.test_client())
    assert auditor.login("aud").status_code == 302
    assert auditor.get(link).data == WRONG
    # Only a hash the history names is served, and nothing of a case out of sight.
    assert auditor.get(link.replace(old, hashlib.sha256(RIGHT).hexdigest())).status_code == 404
    again = _upload(sec, case, RIGHT, replace)
    assert again.status_code == 422  # the very file on file already
