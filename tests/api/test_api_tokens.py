"""Personal tokens through the API and the /account/tokens page: shown once, stored hashed,
limited to the roles chosen, and refused (401) once expired, revoked or the user deactivated;
no cookie opens the API."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

from sqlalchemy import text

from tests.api.support import ApiClient, long_ago, mint, user_grants
from tests.web.access_matrix import DONG_THUY
from tests.web.access_site import Demo
from tests.web.conftest import Browser
from workflow.tokens import MAX_DAYS


def _sql(demo: Demo, query: str, **params):
    with demo.runtime.engine.begin() as conn:
        result = conn.execute(text(query), params)
        return result.all() if result.returns_rows else []


def _cell_case(demo: Demo, cell: str) -> int:
    return next(c.id for c in demo.cases if c.cell == cell)


def test_the_page_shows_the_secret_once_and_stores_its_hash(demo: Demo):
    browser = Browser(demo.app.test_client())
    assert browser.login("bithu.chuvanan").status_code == 302
    page = browser.get("/account/tokens")
    assert page.status_code == 200 and "no-store" in page.headers["Cache-Control"]
    (grant,) = re.findall(r'name="grants" value="(\d+)"', page.get_data(as_text=True))
    made = browser.post(
        "/account/tokens",
        {"name": "Bảng tính của chi bộ", "expires_on": "", "grants": grant},
        token_from="/account/tokens",
    )
    assert made.status_code == 422  # no expiry: refused, and said so in Vietnamese
    assert "Chọn ngày hết hạn" in made.get_data(as_text=True)
    # The last day a token may work, typed as every date is (dd/mm/yyyy).
    expires = (date.today() + timedelta(MAX_DAYS)).strftime("%d/%m/%Y")
    made = browser.post(
        "/account/tokens",
        {"name": "Bảng tính của chi bộ", "expires_on": expires, "grants": grant},
        token_from="/account/tokens",
    )
    body = made.get_data(as_text=True)
    assert made.status_code == 200 and "no-store" in made.headers["Cache-Control"]
    (secret,) = re.findall(r"data-secret>(hoso_[A-Za-z0-9_-]{43})<", body)
    stored = _sql(demo, "SELECT secret_hash, name FROM api_tokens ORDER BY id DESC LIMIT 1")[0]
    assert stored == (hashlib.sha256(secret.encode()).hexdigest(), "Bảng tính của chi bộ")
    assert secret not in browser.get("/account/tokens").get_data(as_text=True)
    (event,) = _sql(demo, "SELECT data FROM events WHERE action = 'create_api_token' "
                    "ORDER BY id DESC LIMIT 1")  # fmt: skip
    assert secret not in event[0] and stored[0] not in event[0]
    client = ApiClient(demo.app, secret)
    assert client.get("/cases?limit=1").status_code == 200
    # Revoked on the page: the API refuses it at once.
    token_id = re.search(r'data-token="(\d+)"', browser.get("/account/tokens").get_data(True))[1]
    revoked = browser.post(f"/account/tokens/{token_id}/revoke", {}, token_from="/account/tokens")
    assert revoked.status_code == 303
    refused = client.get("/cases?limit=1")
    assert refused.status_code == 401 and refused.get_json()["code"] == "unauthorized"
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")


def test_another_users_token_cannot_be_revoked(demo: Demo):
    secret = mint(demo.runtime, "bithu.dongthuy")
    (token_id,) = _sql(demo, "SELECT max(id) FROM api_tokens")[0]
    browser = Browser(demo.app.test_client())
    browser.login("bithu.chuvanan")
    answer = browser.post(f"/account/tokens/{token_id}/revoke", {}, token_from="/account/tokens")
    assert answer.status_code == 404
    assert ApiClient(demo.app, secret).get("/cases?limit=1").status_code == 200


def test_a_token_acts_with_only_the_roles_chosen(demo: Demo):
    """bithu.chuvanan given a second grant (Đồng Thúy's secretary): a token with only the first
    sees no Đồng Thúy case (404), one with both sees it."""
    user_id, grants = user_grants(demo.runtime, "bithu.chuvanan")
    (cell,) = _sql(demo, "SELECT id FROM organisations WHERE name = :n", n=DONG_THUY)[0]
    insert = "INSERT INTO role_grants (user_id, role, organisation_id) VALUES (:u, :r, :o)"
    _sql(demo, insert, u=user_id, r="secretary", o=cell)
    try:
        first = [grants[0][0]]
        narrow = ApiClient(demo.app, mint(demo.runtime, "bithu.chuvanan", grant_ids=first))
        wide = ApiClient(demo.app, mint(demo.runtime, "bithu.chuvanan"))
        case = _cell_case(demo, DONG_THUY)
        assert narrow.get(f"/cases/{case}").status_code == 404
        assert wide.get(f"/cases/{case}").status_code == 200
        organisations = {o["id"] for o in narrow.get("/organisations").get_json()}
        assert cell not in organisations
        assert cell in {o["id"] for o in wide.get("/organisations").get_json()}
    finally:
        _sql(demo, "DELETE FROM role_grants WHERE user_id = :u AND organisation_id = :o",
             u=user_id, o=cell)  # fmt: skip
    # The grant taken back: the wide token lost it too.
    assert wide.get(f"/cases/{case}").status_code == 404


def test_expired_and_deactivated_tokens_are_refused(demo: Demo):
    expired = ApiClient(demo.app, mint(demo.runtime, "bantochuc", days=3, clock=long_ago(10)))
    assert expired.get("/cases").status_code == 401
    live = ApiClient(demo.app, mint(demo.runtime, "kiemtra"))
    assert live.get("/cases?limit=1").status_code == 200
    _sql(demo, "UPDATE users SET active = false WHERE username = 'kiemtra'")
    try:
        assert live.get("/cases?limit=1").status_code == 401
    finally:
        _sql(demo, "UPDATE users SET active = true WHERE username = 'kiemtra'")


def test_no_cookie_opens_the_api_and_the_api_sets_none(demo: Demo):
    browser = Browser(demo.app.test_client())
    browser.login("bantochuc")
    assert browser.get("/candidates/").status_code == 200
    refused = browser.get("/api/v1/cases")
    assert refused.status_code == 401
    answer = ApiClient(demo.app, mint(demo.runtime, "bantochuc")).get("/cases?limit=1")
    assert answer.status_code == 200 and "Set-Cookie" not in answer.headers


def test_malformed_authorization_headers_are_401(demo: Demo):
    client = demo.app.test_client()
    for header in ("", "Bearer", "Bearer ", "Basic abc", "Bearer hoso_" + "x" * 5000, "hoso_x"):
        answer = client.get("/api/v1/cases", headers={"Authorization": header})
        assert answer.status_code in (401, 429), header
        assert answer.get_json()["code"] in ("unauthorized", "too_many_requests")


def test_failed_attempts_from_one_address_are_throttled(demo: Demo):
    client = demo.app.test_client()
    env = {"REMOTE_ADDR": "203.0.113.9"}
    codes = [
        client.get(
            "/api/v1/cases", headers={"Authorization": "Bearer nope"}, environ_base=env
        ).status_code
        for _ in range(31)
    ]
    assert codes[:30] == [401] * 30 and codes[30] == 429
