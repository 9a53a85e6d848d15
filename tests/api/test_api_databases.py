"""The API on both databases (SQLite and PostgreSQL): tokens stored and looked up by hash, the
keyset list, a change with If-Match and its ETag, revocation."""

from __future__ import annotations

import pytest

from tests.api.support import ApiClient, mint


@pytest.fixture
def app(district, tmp_path, monkeypatch):
    from web import create_app

    monkeypatch.setenv("HOSO_INSTANCE", str(tmp_path / "instance"))
    return create_app({"TESTING": True, "SECRET_KEY": "test"}, runtime=district.runtime)


def test_tokens_paging_and_a_change(district, app):
    made = [district.identify(full_name=f"Người Thứ {i}").id for i in range(7)]
    committee = ApiClient(app, mint(district.runtime, "com"))
    seen, after = [], None
    while True:
        body = committee.get("/cases?limit=3" + (f"&after={after}" if after else "")).get_json()
        seen += [row["id"] for row in body["items"]]
        if (after := body["next"]) is None:
            break
    assert seen == sorted(made, reverse=True)
    named = committee.get("/cases?q=Thứ 3").get_json()["items"]
    assert [row["id"] for row in named] == [made[3]]

    secretary = ApiClient(app, mint(district.runtime, "sec"))
    other = ApiClient(app, mint(district.runtime, "sec_other"))
    case_id = made[0]
    assert other.get(f"/cases/{case_id}").status_code == 404
    etag = secretary.get(f"/cases/{case_id}").headers["ETag"]
    mentor = district.members[1].id
    path = f"/cases/{case_id}/transitions/assign_mentor"
    answer = secretary.post(path, {"mentor": mentor}, headers={"If-Match": etag})
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["state"] == "mentored" and answer.headers["ETag"] != etag
    assert secretary.post(path, {"mentor": mentor}, headers={"If-Match": etag}).status_code == 412
    huge = secretary.post(
        f"/cases/{made[1]}/transitions/assign_mentor",
        {"mentor": "99999999999999999999"},
        headers={"If-Match": '"1"'},
    )
    assert huge.status_code == 422 and huge.get_json()["field"] == "mentor"


def test_a_revoked_token_is_refused(district, app):
    from workflow.services.tokens import list_tokens, revoke_token

    secret = mint(district.runtime, "aud")
    client = ApiClient(app, secret)
    assert client.get("/cases").status_code == 200
    actor = district.actor("aud")
    (token,) = list_tokens(district.runtime.uow(write=False), actor)
    revoke_token(district.runtime.uow(), actor, token.id)
    assert client.get("/cases").status_code == 401
