"""2-KNĐ prints the committee's certification date once the verification is concluded favourably."""

from __future__ import annotations

from documents import render
from documents.context import form_context
from tests.documents.conftest import ISSUED_ON


def _certified(official: dict, verification: dict | None) -> tuple[dict, str]:
    dossier = {**official, "verification": verification}
    context = form_context("2-KNĐ", dossier, issued_on=ISSUED_ON)
    return context, render.render_html("2-KNĐ", context)


def test_a_favourable_conclusion_dates_the_certification(official):
    context, html = _certified(official, {"concluded_on": "2026-03-02", "favourable": True})
    assert context["certified"]["iso"] == "2026-03-02"
    assert "ngày 02 tháng 3 năm 2026" in html or "ngày 2 tháng 3 năm 2026" in html


def test_without_a_favourable_conclusion_the_date_is_left_blank(official):
    for verification in (None, {"concluded_on": "2026-03-02", "favourable": False}):
        context, html = _certified(official, verification)
        assert context["certified"] is None
        block = html[html.index("CHỨNG NHẬN CỦA CẤP ỦY CƠ SỞ") :]
        assert "ngày …… tháng …… năm ………" in block
