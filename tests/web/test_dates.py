"""Issue 12: one date entry everywhere, dd/mm/yyyy, whatever the browser's locale.

No page asks for a date with <input type="date"> (its display follows the browser's locale) nor
with WTForms' DateField (which reads only yyyy-mm-dd); the text box the pages use instead is read
by the server as dd/mm/yyyy, and a date the page fills in is shown as dd/mm/yyyy.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from db.models import Enterprise, Organisation

WEB = Path(__file__).resolve().parents[2] / "web"


def test_no_page_asks_for_a_date_in_the_browsers_locale():
    found = [
        str(path.relative_to(WEB))
        for path in WEB.rglob("*.html")
        if re.search(r"""type=["']?date\b""", path.read_text(encoding="utf-8"))
    ]
    assert found == [], f"<input type=date> in {found}: use date_input (web/templates/_date.html)"
    wtforms = [
        str(path.relative_to(WEB))
        for path in WEB.rglob("*.py")
        if re.search(r"\bDate(Field|Input)\b", path.read_text(encoding="utf-8"))
    ]
    assert wtforms == [], f"WTForms' DateField/DateInput in {wtforms}: use web.forms_dates"


@pytest.mark.parametrize(
    ("shown", "value"),
    [
        ("", None),
        ("05/12/2026", date(2026, 12, 5)),
        ("05/12/2026", "2026-12-05"),
        ("5/12/2026", "5/12/2026"),  # typed: shown back as it was
        ("31/02/2026", "31/02/2026"),
    ],
)
def test_day_value_shows_dates_as_dd_mm_yyyy(shown, value):
    from web.forms_dates import day_value

    assert day_value(value) == shown


def test_the_date_field_reads_dd_mm_yyyy_and_refuses_the_rest(app):
    from flask_wtf import FlaskForm

    from web.forms_dates import DayField

    class Form(FlaskForm):
        on = DayField("On")

    with app.test_request_context("/?lang=en"):
        for typed, read in [("05/12/2026", date(2026, 12, 5)), ("2026-12-05", date(2026, 12, 5))]:
            form = Form(formdata=MultiDict({"on": typed}), meta={"csrf": False})
            assert form.validate() and form.on.data == read, typed
        form = Form(formdata=MultiDict({"on": "12/31/2026"}), meta={"csrf": False})
        assert not form.validate()
        assert form.on.errors == ["Enter the date as dd/mm/yyyy."]
        html = str(form.on())
        assert 'type="text"' in html and 'placeholder="dd/mm/yyyy"' in html
        assert 'value="12/31/2026"' in html  # kept as typed, with the refusal


def _admin(demo_runtime) -> str:
    from db.models import RoleGrant, User

    with demo_runtime.sessions() as session:
        return session.scalar(
            select(User.username).join(RoleGrant).where(RoleGrant.role == "admin").limit(1)
        )


def test_a_survey_date_typed_dd_mm_yyyy_is_saved_and_shown_so(login, demo_runtime):
    browser = login(_admin(demo_runtime))
    with demo_runtime.sessions() as session:
        district = session.scalar(
            select(Organisation.id).where(Organisation.name == "Đảng bộ huyện Đức Trọng")
        )
    data = {
        "name": "Công ty TNHH Ngày Tháng",
        "tax_code": "5800001234",
        "workforce": "40",
        "committee_id": str(district),
        "cell_id": "0",
        "survey_status": "surveyed",
        "surveyed_on": "12/31/2026",  # month first: refused, not read as another day
    }
    refused = browser.post("/enterprises/new", data, token_from="/enterprises/new")
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "dd/mm/yyyy" in page and 'value="12/31/2026"' in page
    data["surveyed_on"] = "05/11/2026"
    assert browser.post("/enterprises/new", data, token_from="/enterprises/new").status_code == 302
    with demo_runtime.sessions() as session:
        row = session.scalar(select(Enterprise).where(Enterprise.name == data["name"]))
        assert row.surveyed_on == date(2026, 11, 5)
    edit = browser.get(f"/enterprises/{row.id}").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="surveyed_on"[^>]*value="05/11/2026"', edit)
