"""Names in the API's reports follow the case scope, as on the web (``policy.names_in_reports``):
the demo admin's token names no candidate, even when the admin is also one cell's secretary (a
case list of one cell is no reason to name the province's candidates); a secretary's token
names only their own cell's."""

from __future__ import annotations

import json

from sqlalchemy import text

from tests.api.support import ApiClient, mint

CHU_VAN_AN = "Chi bộ trường THPT Chu Văn An"


def _names(demo, inside: bool | None = None) -> set[str]:
    """The candidates' names (of Chu Văn An's cell only, of the others only, or all)."""
    query = """
        SELECT p.full_name, o.name FROM cases c
        JOIN people p ON p.id = c.person_id JOIN organisations o ON o.id = c.cell_id
    """
    with demo.runtime.engine.connect() as conn:
        rows = conn.execute(text(query)).all()
    return {n for n, cell in rows if inside is None or (cell == CHU_VAN_AN) == inside}


def _shown(api, account: str, path: str) -> tuple[str, dict]:
    answer = api(account).get(path)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return json.dumps(answer.get_json(), ensure_ascii=False), answer.get_json()


def test_the_admins_token_gets_counts_not_names(demo, api):
    for path in ("/reports/targets", "/reports/statistics"):
        shown, _ = _shown(api, "admin", path)
        named = sorted(n for n in _names(demo) if n in shown)
        assert not named, f"{path} names {named[:5]}"
    _, body = _shown(api, "admin", "/reports/targets")
    assert body["stuck"] and all(s["name"] is None for s in body["stuck"])


def test_a_secretarys_token_names_their_own_cells_candidates_only(demo, api):
    shown, _ = _shown(api, "bithu.chuvanan", "/reports/targets")
    outside = sorted(n for n in _names(demo, inside=False) if n in shown)
    assert not outside, f"names {outside[:5]} of other cells"


def test_the_committees_token_names_the_stuck_cases(demo, api):
    _, body = _shown(api, "bantochuc", "/reports/targets")
    assert any(s["name"] in _names(demo) for s in body["stuck"])


def test_an_admin_who_is_one_cells_secretary_gets_no_names_of_the_province(demo):
    # The demo copy is this module's own (and this test its last user of "admin").
    with demo.runtime.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO role_grants (user_id, role, organisation_id) SELECT u.id,"
                " 'secretary', o.id FROM users u, organisations o"
                " WHERE u.username = 'admin' AND o.name = :cell"
            ),
            {"cell": CHU_VAN_AN},
        )
    both = ApiClient(demo.app, mint(demo.runtime, "admin"))
    answer = both.get("/reports/targets")
    assert answer.status_code == 200
    shown = json.dumps(answer.get_json(), ensure_ascii=False)
    named = sorted(n for n in _names(demo) if n in shown)
    assert not named, f"names {named[:5]}"
