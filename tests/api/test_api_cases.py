"""The case endpoints: keyset pages, If-Match (428, 412, the new ETag), the rules' refusals with
their failures, the history, documents, organisations, reports, and the log line of each call."""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import text

from tests.api.support import case_version
from tests.web.access_matrix import CHU_VAN_AN
from tests.web.access_site import Demo


def _count(demo: Demo, query: str) -> int:
    with demo.runtime.engine.connect() as conn:
        return conn.execute(text(query)).scalar_one()


def test_keyset_pages_cover_every_case_once(demo: Demo, api):
    client = api("bantochuc")
    seen: list[int] = []
    after, pages = None, 0
    while True:
        query = "/cases?limit=7" + (f"&after={after}" if after else "")
        answer = client.get(query)
        assert answer.status_code == 200
        body = answer.get_json()
        seen += [row["id"] for row in body["items"]]
        pages += 1
        after = body["next"]
        if after is None:
            break
        assert len(body["items"]) == 7
    assert pages > 2
    assert seen == sorted(seen, reverse=True) and len(seen) == len(set(seen))
    assert len(seen) == _count(demo, "SELECT count(*) FROM cases")


def test_the_list_filters_by_state_organisation_and_name(demo: Demo, api):
    client = api("bantochuc")
    (cell,) = demo.sql("SELECT id FROM organisations WHERE name = :n", n=CHU_VAN_AN)[0]
    rows = client.get(f"/cases?organisation={cell}&state=mentored&limit=200").get_json()["items"]
    wanted = [c.id for c in demo.cases if c.cell == CHU_VAN_AN and c.state == "mentored"]
    assert sorted(r["id"] for r in rows) == sorted(wanted) and wanted
    name = rows[0]["name"]
    named = client.get("/cases", query_string={"q": name.split()[-1], "limit": 200}).get_json()
    assert rows[0]["id"] in {r["id"] for r in named["items"]}


@pytest.mark.parametrize(
    "query", ["limit=0", "limit=201", "after=abc", "state=nope", "organisation=0", "q=" + "x" * 101]
)
def test_bad_list_queries_are_422_naming_the_parameter(api, query):
    answer = api("bantochuc").get(f"/cases?{query}")
    assert answer.status_code == 422
    assert answer.get_json()["field"] == query.split("=")[0]


def _cva_case(demo: Demo, state: str) -> int:
    return demo.pick(CHU_VAN_AN, state)


def test_if_match_is_required_and_must_be_current(demo: Demo, api):
    client = api("bithu.chuvanan")
    case_id = _cva_case(demo, "trained")
    path = f"/cases/{case_id}/facts/note"
    version = case_version(demo.runtime, case_id)
    got = client.get(f"/cases/{case_id}")
    assert got.headers["ETag"] == f'"{version}"'
    missing = client.post(path, {"text": "Ghi chú"})
    assert missing.status_code == 428 and missing.get_json()["code"] == "precondition_required"
    stale = client.post(path, {"text": "Ghi chú"}, version=version + 5)
    assert stale.status_code == 412 and stale.get_json()["code"] == "precondition_failed"
    for junk in ("*", "abc", 'W/"x"'):
        answer = client.post(path, {"text": "x"}, headers={"If-Match": junk})
        assert answer.status_code == 412, junk
    assert case_version(demo.runtime, case_id) == version
    done = client.post(path, {"text": "Ghi chú qua API"}, version=version)
    assert done.status_code == 200, done.get_json()
    assert done.headers["ETag"] == f'"{version + 1}"' == f'"{done.get_json()["version"]}"'
    again = client.post(path, {"text": "lần nữa"}, version=version)  # the old version
    assert again.status_code == 412
    events = client.get(f"/cases/{case_id}/events").get_json()
    assert events[-1]["action"] == "record_note"
    assert events[-1]["username"] == "bithu.chuvanan"
    assert events[-1]["data"]["text"] == "Ghi chú qua API"


def test_a_rule_refusal_is_422_with_its_failures(demo: Demo, api):
    client = api("bithu.chuvanan")
    case_id = _cva_case(demo, "trained")
    version = case_version(demo.runtime, case_id)
    answer = client.post(f"/cases/{case_id}/transitions/submit_dossier", {}, version=version)
    assert answer.status_code == 422
    body = answer.get_json()
    assert body["code"] == "rule_violation" and body["failures"]
    assert all(set(f) == {"rule", "vi", "en"} and f["vi"] and f["en"] for f in body["failures"])
    assert case_version(demo.runtime, case_id) == version


@pytest.mark.parametrize(
    ("body", "field"),
    [({"nope": "1"}, "nope"), ({"text": ["a"]}, "text"), ({"text": 1.5}, "text")],
)
def test_bad_fields_are_422_naming_the_field(demo: Demo, api, body, field):
    client = api("bithu.chuvanan")
    case_id = _cva_case(demo, "trained")
    version = case_version(demo.runtime, case_id)
    answer = client.post(f"/cases/{case_id}/facts/note", body, version=version)
    assert answer.status_code == 422 and answer.get_json()["field"] == field


def test_an_id_too_large_is_404_and_an_unknown_trigger_404(api):
    client = api("bantochuc")
    assert client.get("/cases/99999999999999999999").status_code == 404
    assert client.get("/cases/2147483648").status_code == 404
    assert client.post("/cases/1/transitions/set_state", {}, version=1).status_code == 404


def test_the_case_says_what_the_token_may_do(demo: Demo, api):
    case_id = _cva_case(demo, "identified")
    body = api("bithu.chuvanan").get(f"/cases/{case_id}").get_json()
    assert "assign_mentor" in {t["name"] for t in body["transitions"]}
    assert body["cell"] == CHU_VAN_AN
    assert api("kiemtra").get(f"/cases/{case_id}").get_json()["transitions"] == []


def test_documents_list_and_a_pdf(demo: Demo, api):
    client = api("bantochuc")
    case_id = demo.pick(CHU_VAN_AN, "dossier_submitted")
    forms = client.get(f"/cases/{case_id}/documents").get_json()
    assert forms and {"code", "title", "status", "pdf"} <= set(forms[0])
    pdf = demo.app.test_client().get(forms[0]["pdf"], headers=client.headers())
    assert pdf.status_code in (200, 409)
    if pdf.status_code == 200:
        assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")


def test_organisations_and_reports_follow_the_scope(demo: Demo, api):
    mine = api("bithu.chuvanan").get("/organisations").get_json()
    assert CHU_VAN_AN in {o["name"] for o in mine}
    everything = api("bantochuc").get("/organisations").get_json()
    assert len(everything) > len(mine)
    targets = api("bantochuc").get("/reports/targets?year=2025")
    assert targets.status_code == 200 and targets.get_json()["year"] == 2025
    statistics = api("bantochuc").get("/reports/statistics?year=2025")
    assert statistics.status_code == 200 and "breakdowns" in statistics.get_json()
    assert api("giupdo.chuvanan").get("/reports/targets").status_code == 403
    assert api("bantochuc").get("/reports/targets?year=1800").status_code == 422
    admin = api("admin").get("/reports/targets?year=2025").get_json()
    assert all(row["name"] is None for row in admin["stuck"])


def test_each_call_is_logged_without_the_secret(demo: Demo, api, caplog):
    client = api("bantochuc")
    with caplog.at_level(logging.INFO, logger="hoso.api"):
        client.get("/cases?limit=1")
    (line,) = [json.loads(r.getMessage()) for r in caplog.records if r.name == "hoso.api"]
    assert line["user"] == "bantochuc" and line["status"] == 200 and line["method"] == "GET"
    assert line["path"] == "/api/v1/cases" and line["token_id"] and line["duration_ms"] >= 0
    assert client.secret not in caplog.text


def test_the_openapi_document_and_its_page(demo: Demo):
    client = demo.app.test_client()
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            statuses = set(operation["responses"])
            assert {"401", "429"} <= statuses and "default" not in statuses, (method, path)
            if method == "post":
                assert {"403", "404", "409", "412", "422", "428"} <= statuses
    page = client.get("/api/v1/docs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<script>" not in html and "cdn" not in html.lower()
    for src in ("swagger-ui-bundle.js", "docs.js", "swagger-ui.css"):
        url = next(part.split('"')[0] for part in html.split('="') if src in part.split('"')[0])
        assert client.get(url).status_code == 200, url
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
