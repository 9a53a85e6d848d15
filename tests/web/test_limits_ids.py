"""Ids beyond 64 bits are "no such thing" (404), never a 500 (issue 11)."""

from __future__ import annotations

import re

import pytest

from web.converters import ID_MAX, id_arg

HUGE = "99999999999999999999"  # > 2**64: SQLite raises OverflowError, PostgreSQL a DataError


_VARIABLE = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def _paths(app, method: str) -> list[str]:
    """Every rule of `method` with an int in it, filled with HUGE (other parts with a word)."""
    paths = []
    for rule in app.url_map.iter_rules():
        kinds = [m.group(1) for m in _VARIABLE.finditer(rule.rule)]
        if method in rule.methods and "int" in kinds and not rule.rule.startswith("/api/"):
            fill = lambda m: HUGE if m.group(1) == "int" else "x"  # noqa: E731
            paths.append(_VARIABLE.sub(fill, rule.rule))
    return paths


@pytest.mark.parametrize("account", ["admin", "bantochuc", "bithu.chuvanan"])
def test_a_huge_id_in_a_path_is_not_found(app, login, account):
    browser = login(account)
    gets = _paths(app, "GET")
    assert len(gets) >= 10
    problems = []
    for path in gets:
        status = browser.get(path).status_code
        if status != 404:
            problems.append(f"GET {path}: {status}")
    for path in _paths(app, "POST"):
        status = browser.post(path, {}, token_from="/").status_code
        if status not in (404, 405):  # 405: another rule of the path takes GET only
            problems.append(f"POST {path}: {status}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "path",
    [
        "/candidates/?cell=" + HUGE,
        "/candidates/?page=" + HUGE,
        "/candidates/?mentor=" + HUGE,
        "/deadlines/?cell=" + HUGE,
        "/enterprises/?cell=" + HUGE,
        "/reports/?year=" + HUGE,
        "/reports/statistics?year=" + HUGE,
        "/audit/?page=" + HUGE,
        "/audit/?case=" + HUGE,
        "/candidates/transfers?cell=" + HUGE,
    ],
)
@pytest.mark.parametrize("account", ["bantochuc", "bithu.chuvanan"])
def test_a_huge_id_in_a_query_string_is_no_server_error(login, path, account):
    status = login(account).get(path).status_code
    assert status < 500, f"{account} GET {path}: {status}"


def test_a_huge_parent_is_ignored_on_the_new_organisation_page(login):
    assert login("admin").get("/admin/organisations/new?parent=" + HUGE).status_code == 200


def test_id_arg_takes_only_ids_a_database_holds():
    assert id_arg(str(ID_MAX)) == ID_MAX
    assert id_arg(str(ID_MAX + 1)) is None
    assert id_arg(HUGE) is None
    assert id_arg("١٢") is None  # Arabic-Indic digits: str.isdigit, not an id
    assert id_arg(" 42 ") == 42
    assert id_arg("") is None
