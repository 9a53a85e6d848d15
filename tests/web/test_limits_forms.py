"""Over-long values in every form of the site: refused, never a 500, nothing stored (issue 11).

On PostgreSQL an over-long value the domain let through is a database error (a 500); on SQLite
it would be stored whole. Both backends run: the demo district is loaded on each.
"""

from __future__ import annotations

import pytest

from tests.web.conftest import DEMO_PASSWORD, Browser
from tests.web.limits_support import LONG, crawl, fingerprint

#: The accounts whose forms are tried (the auditor reads only).
ACCOUNTS = (
    "admin",
    "bantochuc",
    "bithu.chuvanan",
    "giupdo.chuvanan",
    "doan.chuvanan",
    "trungtam",
)
#: Forms tried elsewhere or that take no text: login, logout, file uploads (test_uploads).
NOT_TRIED = ("/login", "/logout")
#: Forms whose refusal is shown on the case page without the typed text (a batch of decisions,
#: a hand-over's reason): refused and unsaved all the same; keeping the text is left to them.
NOT_KEPT = ("/hand-over", "/reviews/decide")


@pytest.fixture
def demo_site(runtime, tmp_path, monkeypatch):
    """The demo district on this backend, and one app on it."""
    from db.demo import load_demo
    from web import create_app

    load_demo(runtime)
    monkeypatch.setenv("HOSO_INSTANCE", str(tmp_path / "instance"))
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": True}, runtime=runtime
    )
    return app, runtime


def test_over_long_values_in_every_form_are_refused(demo_site):
    app, runtime = demo_site
    problems: list[str] = []
    tried: set[tuple] = set()
    for account in ACCOUNTS:
        browser = Browser(app.test_client())
        assert browser.login(account, DEMO_PASSWORD).status_code == 302
        pages, forms = crawl(browser.client)
        problems += [f"{account} GET {p}: {s}" for p, s in pages.items() if s >= 500]
        for page, form in forms:
            key = (account, *form.key())
            if form.multipart or not form.texts() or key in tried:
                continue
            if form.action.startswith(NOT_TRIED):
                continue
            tried.add(key)
            before = fingerprint(runtime.engine)
            response = browser.client.post(form.action or page, data=form.over_long())
            changed = sorted(n for n, h in fingerprint(runtime.engine).items() if before[n] != h)
            where = f"{account} POST {form.action or page} (from {page}, {form.texts()})"
            if response.status_code >= 500:
                problems.append(f"{where}: {response.status_code}")
            elif changed:
                problems.append(f"{where}: stored ({', '.join(changed)})")
            elif (
                response.status_code == 422
                and form.kept(NOT_KEPT)
                and LONG[:50] not in (response.text)
            ):
                problems.append(f"{where}: 422 without the typed value kept")
    print(f"{len(tried)} forms tried:", *sorted(tried), sep="\n")
    assert len(tried) >= 20, f"only {len(tried)} forms found"
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
