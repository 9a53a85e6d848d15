"""The enterprise registry: the targets report's figure against a hand-made fixture, the tax code,
who reads and edits, and the administrative event of an edit in the chain."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.models import Enterprise, Event
from db.read import enterprises as store
from db.read.history import verify
from web.cli.reports import spare_json
from workflow import enterprises as rules
from workflow.errors import InvalidInput, NotAllowed
from workflow.services.enterprises import create_enterprise, registry_scope, update_enterprise
from workflow.services.targets import report_scope


def _add(district, name, workforce, cell=None, status="not_surveyed"):
    with district.runtime.sessions() as session:
        session.add(
            Enterprise(
                name=name,
                workforce=workforce,
                cell_id=cell,
                committee_id=district.committee.id,
                survey_status=status,
            )
        )
        session.commit()


@pytest.fixture
def registry(district):
    _add(district, "Công ty A", 120, status="surveyed")
    _add(district, "Công ty B", 80)
    _add(district, "Công ty Thử", 300, cell=district.other_cell.id, status="plan_agreed")
    return district


def test_report_lists_enterprises_without_a_cell(registry):
    with registry.runtime.sessions() as session:
        spare = store.without_party(session, None)
        as_committee = store.without_party(session, report_scope(registry.actor("com")))
        as_secretary = store.without_party(session, report_scope(registry.actor("sec")))
    assert [(r.name, r.workforce) for r in spare.rows] == [("Công ty A", 120), ("Công ty B", 80)]
    assert (spare.count, spare.workforce) == (2, 200)
    assert as_committee.workforce == 200
    assert as_secretary.rows == []  # the survey is kept above the cell
    assert spare_json(spare) == {
        "enterprises": [
            {"name": "Công ty A", "workforce": 120, "survey_status": "surveyed"},
            {"name": "Công ty B", "workforce": 80, "survey_status": "not_surveyed"},
        ],
        "count": 2,
        "workforce": 200,
    }


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [("0101234567", "0101234567"), ("0101234567-001", "0101234567001"), ("  ", None), (None, None)],
)
def test_tax_code_accepts_10_or_13_digits(raw, parsed):
    assert rules.parse_tax_code(raw) == parsed


@pytest.mark.parametrize("raw", ["123", "01012345678", "010123456A", "01012345670012"])
def test_tax_code_refuses_other_forms(raw):
    with pytest.raises(InvalidInput) as err:
        rules.parse_tax_code(raw)
    assert (err.value.field, err.value.message) == ("tax_code", rules.TAX_CODE_FORM)


def _values(district, **more):
    values = {"name": "Công ty C", "workforce": 50, "committee_id": district.committee.id}
    values.update(more)
    return values


def test_admin_creates_and_edits_with_events_in_the_chain(registry):
    rt = registry.runtime
    adm = registry.actor("adm")
    new_id = create_enterprise(rt.uow(), adm, **_values(registry, tax_code="5800000999"))
    update_enterprise(
        rt.uow(),
        adm,
        new_id,
        **_values(registry, tax_code="5800000999", workforce=70, survey_status="surveyed"),
    )
    with pytest.raises(InvalidInput) as err:
        create_enterprise(rt.uow(), adm, **_values(registry, tax_code="5800000999"))
    assert err.value.field == "tax_code"
    with rt.sessions() as session:
        actions = session.scalars(select(Event.action).order_by(Event.id)).all()
        assert actions[-2:] == ["admin_create_enterprise", "admin_update_enterprise"]
        row = session.get(Enterprise, new_id)
        assert (row.workforce, row.survey_status) == (70, "surveyed")
        assert session.scalar(select(Enterprise.id).where(Enterprise.name == "Công ty C")) == new_id
    assert verify(rt.engine).intact


def test_only_admins_edit_and_readers_are_scoped(registry):
    rt = registry.runtime
    with pytest.raises(NotAllowed):
        create_enterprise(rt.uow(), registry.actor("com"), **_values(registry))
    with rt.sessions() as session:
        with pytest.raises(NotAllowed):
            store.enterprises(session, registry_scope(registry.actor("sec")))
        rows = store.enterprises(session, registry_scope(registry.actor("aud")), has_cell=False)
        assert {r.name for r in rows} == {"Công ty A", "Công ty B"}
        rows = store.enterprises(
            session, registry_scope(registry.actor("com")), status="plan_agreed"
        )
        assert [r.cell_name for r in rows] == ["Chi bộ Công ty Thử"]
