"""``db.read.dossier.dossier_data``: every value the forms need, as plain JSON-safe values."""

from __future__ import annotations

import json
from datetime import date

import pytest

from db.read.dossier import dossier_data
from documents.registry import FORMS, forms_for_case, missing_data
from workflow.dates import add_months, full_years

PLAIN = (str, int, float, bool, type(None))


def _walk(value, path="dossier"):
    """Every leaf of `value` with its path; fails on anything but dicts, lists and scalars."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str), f"{path}: key {key!r} is not a string"
            yield from _walk(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")
    else:
        assert isinstance(value, PLAIN), f"{path} is a {type(value).__name__}, not a plain value"
        yield path, value


def test_every_dossier_is_plain_json(dossiers):
    for dossier in dossiers.values():
        leaves = list(_walk(dossier))
        assert leaves
        assert json.loads(json.dumps(dossier, ensure_ascii=False)) == dossier


def test_an_official_case_carries_every_fact(official):
    d = official
    assert d["schema"] == 1
    assert d["case"]["state"] == "official"
    person = d["person"]
    assert person["full_name"] and date.fromisoformat(person["birth_date"])
    for field in ("sex", "birth_place", "hometown", "residence", "ethnicity", "religion"):
        assert person[field], field
    # Fields of the biography that hoso does not record are there, and empty.
    assert person["birth_name"] is None and person["aliases"] is None
    assert d["cell"]["name"].startswith("Chi bộ ") and d["cell"]["unit_kind"] == "school"
    assert any(m["kind"] == "doan" for m in d["cell"]["mass_organisations"])
    # The demo tree: Tỉnh ủy Lâm Đồng > Đảng bộ huyện Đức Trọng (decides) > the cells, some of
    # them under a đảng ủy cơ sở (which votes: 8-KNĐ), the others chi bộ cơ sở.
    between = d["has_grassroots_committee"]
    assert (d["grassroots"]["name"] != d["deciding"]["name"]) == between
    assert d["deciding"]["name"] == "Đảng bộ huyện Đức Trọng"
    assert d["province"]["name"] == "Tỉnh ủy Lâm Đồng"
    assert d["mentor"]["name"] and d["mentors"]
    assert d["certificate"]["number"].endswith("/GCN-TTCT")
    assert d["certificate"]["issuer"] == "Trung tâm Chính trị huyện Đức Trọng"
    kinds = {i["kind"] for i in d["introductions"]}
    assert kinds == {"member", "doan"}
    member = next(i for i in d["introductions"] if i["kind"] == "member")
    assert member["member"]["official_since"] and member["known_since"]
    assert set(d["votes"]) == {"cell", "recognition"} | ({"grassroots"} if between else set())
    cell_vote = d["votes"]["cell"]
    assert 0 < cell_vote["votes_for"] <= cell_vote["eligible"]
    assert cell_vote["resolution_number"].endswith("-NQ/CB")
    assert set(d["decisions"]) == {"admission", "recognition"}
    assert d["decisions"]["admission"]["number"].endswith("-QĐ/HU")
    assert d["decisions"]["admission"]["body"] == "Đảng bộ huyện Đức Trọng"
    assert {"1-KNĐ", "2-KNĐ", "6-KNĐ", "8-KNĐ", "13-KNĐ", "15-KNĐ"} <= set(d["documents"])
    assert d["documents"]["8-KNĐ"]["number"].endswith("-NQ/HU")
    ceremony = date.fromisoformat(d["case"]["ceremony_on"])
    assert d["case"]["probation_ends_on"] == add_months(ceremony, 12).isoformat()
    assert d["rules"] == {"probation_months": 12, "ceremony_working_days": 30}


def test_an_early_case_has_empty_paperwork(dossiers):
    early = next(d for d in dossiers.values() if d["case"]["state"] == "identified")
    assert early["votes"] == {} and early["decisions"] == {}
    assert early["certificate"] is None and early["mentor"] is None
    assert early["case"]["probation_ends_on"] is None


def test_every_case_has_the_data_of_its_forms(dossiers):
    """What forms_for_case lists for a case's state, the demo case can print."""
    for d in dossiers.values():
        birth = date.fromisoformat(d["person"]["birth_date"])
        vote = d["case"]["cell_vote_date"]
        youth = full_years(birth, date.fromisoformat(vote) if vote else date(2026, 11, 27)) <= 30
        for code in forms_for_case(d["case"]["state"], d["cell"]["has_doan"], youth):
            assert missing_data(code, d) == [], (d["case"]["id"], code)


def test_official_case_has_every_form_data(official):
    assert [code for code in FORMS if missing_data(code, official)] == []


def test_unknown_case(demo):
    with demo.sessions() as session, pytest.raises(LookupError, match="no case 999999"):
        dossier_data(session, 999999)
