"""A whole number beyond 32 bits in a form: refused by name (422), never a 500, nothing stored.

On PostgreSQL a number larger than its integer column is a database error (a 500) when the
domain lets it through; both backends run, on the demo district. Each form is found on its page
as a user would reach it, filled plausibly, and sent with one number too large.
"""

from __future__ import annotations

import pytest

from tests.web.conftest import DEMO_PASSWORD, Browser
from tests.web.limits_support import Form, _Page, fingerprint

HUGE = "99999999999999999999"
#: (account, the page the form is on, what its action ends with, the number field).
FORMS = (
    ("bantochuc", "/candidates/{dossier}", "/facts/decision_extension", "days"),
    ("admin", "/admin/organisations/new", "/admin/organisations/new", "committee_size"),
    ("admin", "/enterprises/new", "/enterprises/new", "workforce"),
    ("trungtam", "/classes/new", "/classes/new", "capacity"),
    ("admin", "/reports/targets/edit?year=2026", "/reports/targets/edit?year=2026", "year"),
    # Ids chosen in a list: a forged one is a number too.
    ("bithu.chuvanan", "/candidates/{mentored}", "/actions/reassign_mentor", "mentor"),
    ("bithu.chuvanan", "/candidates/{mentored}", "/facts/introduction", "member"),
    ("bithu.chuvanan", "/candidates/{mentored}", "/hand-over", "to_cell"),
    ("bithu.chuvanan", "/candidates/new", "/candidates/new", "cell"),
    ("admin", "/admin/organisations/new", "/admin/organisations/new", "parent"),
)
#: The fields the domain refuses (``workflow.fields.INT_MAX``, named in the refusal); the others
#: are refused by their form's own range (a number from 0 to 999, a year in a list).
NAMED = ("mentor", "member", "to_cell")


class _Dates(_Page):
    """A page's forms, the dd/mm/yyyy text boxes (``class="date"``) known as dates."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "input" and "date" in (a.get("class") or "").split():
            attrs = [(k, "date" if k == "type" else v) for k, v in attrs]
        super().handle_starttag(tag, attrs)


def _form(browser: Browser, page: str, action: str) -> Form:
    response = browser.client.get(page)
    assert response.status_code == 200, page
    parsed = _Dates()
    parsed.feed(response.get_data(as_text=True))
    found = [f for f in parsed.forms if (f.action or page).endswith(action)]
    assert found, f"no form {action} on {page}"
    return found[0]


def _filled(form: Form, huge: str) -> dict[str, str]:
    """Every field given a plausible value (what it holds, else one of its kind), `huge` too
    large."""
    data: dict[str, str] = {}
    for name, kind, value, options in form.fields:
        if kind == "select":
            data[name] = next((o for o in options if o), "")
        elif kind == "date":
            data[name] = "2026-01-05"
        elif kind == "time":
            data[name] = "08:00"
        elif kind == "number":
            data[name] = value or "1"
        elif kind in ("checkbox", "radio"):
            data.setdefault(name, value or "y")
        elif kind == "submit":
            continue
        else:
            data.setdefault(name, value or "Một hai ba")
    data[huge] = HUGE
    return data


@pytest.fixture
def demo_site(runtime, tmp_path, monkeypatch):
    """The demo district on this backend, and one app on it."""
    from db.demo import load_demo
    from web import create_app

    load_demo(runtime)
    monkeypatch.setenv("HOSO_INSTANCE", str(tmp_path / "instance"))
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "WTF_CSRF_ENABLED": True,
            # A database error is a 500 to note, not an exception that stops the test.
            "PROPAGATE_EXCEPTIONS": False,
        },
        runtime=runtime,
    )
    return app, runtime


def _a_case(runtime, state: str) -> int:
    from sqlalchemy import text

    with runtime.engine.connect() as conn:
        return conn.execute(
            text("SELECT min(id) FROM cases WHERE state = :s"), {"s": state}
        ).scalar_one()


def _a_cva_case(runtime, state: str) -> int:
    from sqlalchemy import text

    with runtime.engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT min(c.id) FROM cases c JOIN organisations o ON o.id = c.cell_id"
                " WHERE c.state = :s AND o.name = 'Chi bộ trường THPT Chu Văn An'"
            ),
            {"s": state},
        ).scalar_one()


def test_numbers_beyond_32_bits_are_refused_by_name(demo_site):
    app, runtime = demo_site
    dossier = _a_case(runtime, "dossier_submitted")
    mentored = _a_cva_case(runtime, "mentored")
    problems: list[str] = []
    for account, page, action, field in FORMS:
        browser = Browser(app.test_client())
        assert browser.login(account, DEMO_PASSWORD).status_code == 302
        page = page.format(dossier=dossier, mentored=mentored)
        form = _form(browser, page, action)
        before = fingerprint(runtime.engine)
        response = browser.client.post(form.action or page, data=_filled(form, field))
        changed = sorted(n for n, h in fingerprint(runtime.engine).items() if before[n] != h)
        where = f"{account} POST {form.action or page} {field}={HUGE}"
        if response.status_code != 422:
            problems.append(f"{where}: {response.status_code}")
        elif changed:
            problems.append(f"{where}: stored ({', '.join(changed)})")
        elif field in NAMED and "2147483647" not in response.text:
            problems.append(f"{where}: 422 without the largest number taken")
    assert not problems, "\n".join(problems)
