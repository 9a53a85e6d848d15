"""The web's access tables (tests/web/access_matrix.py) repeated on the API: every account × the
named cases (200 or 404, never 403 for a case out of sight), the case list, and every transition
and fact on every case it could apply to (404, 403, 409, or judged by the rules: 422); a refused
call changes nothing."""

from __future__ import annotations

import pytest

from tests.api.support import ApiClient
from tests.web.access_matrix import ACCOUNTS, FACTS, PAGE_ROWS, TRANSITIONS, expected
from tests.web.access_site import Demo, no_problems

#: The case pages of the web's table, and what the API answers for each.
CASE_ROWS = [row for row in PAGE_ROWS if row[0].startswith("/candidates/{")]
LIST_ROWS = [row for row in PAGE_ROWS if row[0] == "/candidates/"]


@pytest.mark.parametrize(("page", "account", "status"), CASE_ROWS)
def test_a_case_as_the_web_shows_it(demo: Demo, api, page, account, status):
    case_id = demo.path(page).rsplit("/", 1)[1]
    client = api(account)
    for path in (f"/cases/{case_id}", f"/cases/{case_id}/events", f"/cases/{case_id}/documents"):
        response = client.get(path)
        assert response.status_code == status, (account, path, response.get_json())
        if status == 404:
            assert response.get_json()["code"] == "not_found"


@pytest.mark.parametrize(("page", "account", "status"), LIST_ROWS)
def test_the_case_list_as_the_web_gives_it(demo: Demo, api, page, account, status):
    response = api(account).get("/cases?limit=200")
    assert response.status_code == status, response.get_json()
    if status == 200:
        from tests.web.access_matrix import sees

        seen = {row["id"] for row in response.get_json()["items"]}
        wanted = {c.id for c in demo.cases if sees(account, c)}
        # The list is newest first and stops at 200: every case it shows is one the web shows.
        assert seen <= wanted and (len(seen) == 200 or seen == wanted)


def _refused(demo: Demo, client: ApiClient, path: str, version: int, status) -> str:
    """POST with an empty body: the answer expected and no change, else a problem's text."""
    before = demo.snapshot()
    response = client.post(path, {}, version=version)
    wanted = status if isinstance(status, tuple) else (status,)
    problems = []
    if response.status_code not in wanted:
        problems.append(f"got {response.status_code} {response.get_json()}, expected {wanted}")
    body = response.get_json() or {}
    if response.status_code == 422 and not (body.get("failures") or body.get("field")):
        problems.append("a 422 without failures or field")
    if demo.snapshot() != before:
        problems.append("changed the database")
    return f"POST {path}: {'; '.join(problems)}" if problems else ""


@pytest.mark.parametrize("trigger", TRANSITIONS)
@pytest.mark.parametrize("account", ACCOUNTS)
def test_transition(demo: Demo, api, account, trigger):
    """Every trigger on every case in a state it fires from, as on the web."""
    sources, roles = TRANSITIONS[trigger]
    client = api(account)
    cases = [c for c in demo.cases if c.state in sources]
    assert cases
    no_problems(
        [
            _refused(
                demo,
                client,
                f"/cases/{case.id}/transitions/{trigger}",
                case.version,
                expected(account, roles, case),
            )
            for case in cases
        ]
    )


@pytest.mark.parametrize("kind", FACTS)
@pytest.mark.parametrize("account", ACCOUNTS)
def test_fact(demo: Demo, api, account, kind):
    """Every fact on every case in a state it is recorded in, as on the web."""
    states, roles = FACTS[kind]
    client = api(account)
    cases = [c for c in demo.cases if c.state in states]
    no_problems(
        [
            _refused(
                demo,
                client,
                f"/cases/{case.id}/facts/{kind}",
                case.version,
                expected(account, roles, case),
            )
            for case in cases
        ]
    )


@pytest.mark.parametrize("account", ["kiemtra", "admin"])
def test_the_auditor_and_the_admin_change_nothing(demo: Demo, api, account):
    """Every trigger and fact on every case, whatever its state: the auditor sees every case and
    is refused (403, or 409 out of the state), the admin fires nothing (403)."""
    client = api(account)
    allowed = (403, 409) if account == "kiemtra" else (403,)
    problems = []
    for case in demo.cases[:: max(1, len(demo.cases) // 40)]:
        for trigger in TRANSITIONS:
            path = f"/cases/{case.id}/transitions/{trigger}"
            problems.append(_refused(demo, client, path, case.version, allowed))
        for kind in FACTS:
            path = f"/cases/{case.id}/facts/{kind}"
            problems.append(_refused(demo, client, path, case.version, allowed))
    no_problems(problems)
