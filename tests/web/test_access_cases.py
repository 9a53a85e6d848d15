"""Who may act on a case (TRANSITIONS, FACTS of access_matrix.py): every refusal changes nothing."""

from __future__ import annotations

import pytest

from tests.web.access_matrix import (
    ACCOUNTS,
    CHU_VAN_AN,
    DONG_THUY,
    FACTS,
    NOT_TRIGGERS,
    SEEING,
    TRANSITIONS,
    expected,
    sees,
)
from tests.web.access_site import (
    Demo,
    decision_form,
    identify_form,
    no_problems,
    start_demo,
    version_field,
)


@pytest.fixture(scope="module")
def demo(demo_template, tmp_path_factory):
    """The demo district, copied once for the module, with one app."""
    yield from start_demo(demo_template, tmp_path_factory)


@pytest.mark.parametrize("trigger", TRANSITIONS)
@pytest.mark.parametrize("account", ACCOUNTS)
def test_transition(demo, account, trigger):
    """Every trigger on every case in a state it fires from: 404, 403, or judged by the rules."""
    sources, roles = TRANSITIONS[trigger]
    cases = [c for c in demo.cases if c.state in sources]
    assert cases, f"the demo has no case {trigger} could fire on"
    no_problems(
        [
            demo.refused(
                account,
                f"/candidates/{case.id}/actions/{trigger}",
                version_field(case),
                expected(account, roles, case),
            )
            for case in cases
        ]
    )


@pytest.mark.parametrize("kind", FACTS)
@pytest.mark.parametrize("account", ACCOUNTS)
def test_fact(demo, account, kind):
    """Every fact on every case in a state it is recorded in: 404, 403, or judged (422)."""
    states, roles = FACTS[kind]
    cases = [c for c in demo.cases if c.state in states]
    assert cases
    no_problems(
        [
            demo.refused(
                account,
                f"/candidates/{case.id}/facts/{kind}",
                version_field(case),
                expected(account, roles, case),
            )
            for case in cases
        ]
    )


@pytest.mark.parametrize("account", ["kiemtra", "admin"])
def test_the_auditor_and_the_admin_fire_nothing(demo, account):
    """Every trigger and fact on every case is refused, whatever the state."""
    problems = []
    for case in demo.cases:
        # The auditor sees every case: refused by role (403), or 409 for a fact out of its
        # states; the admin sees none and fires nothing: refused before the case is looked
        # up (403, issue 11).
        for trigger in TRANSITIONS:
            path = f"/candidates/{case.id}/actions/{trigger}"
            status = 403
            problems.append(demo.refused(account, path, version_field(case), status))
        for kind in FACTS:
            path = f"/candidates/{case.id}/facts/{kind}"
            status = (403, 409) if account == "kiemtra" else 403
            problems.append(demo.refused(account, path, version_field(case), status))
    no_problems(problems)


@pytest.mark.parametrize("account", ACCOUNTS)
def test_no_other_way_changes_a_state(demo, account):
    """Unknown triggers, `identify` on an existing case and unknown facts: refused."""
    problems = []
    for case in demo.named():
        for trigger in NOT_TRIGGERS:
            path = f"/candidates/{case.id}/actions/{trigger}"
            status = 409 if sees(account, case) else 404
            problems.append(demo.refused(account, path, version_field(case), status))
        path = f"/candidates/{case.id}/facts/unknown"
        problems.append(demo.refused(account, path, version_field(case), 404))
    no_problems(problems)


@pytest.mark.parametrize("account", [a for a, (role, _) in ACCOUNTS.items() if role in SEEING])
def test_a_trigger_from_another_state_is_refused(demo, account):
    """On a case in sight, a trigger the account may fire but not from the case's state: 409;
    a trigger it may not fire: 403. (Out of sight it is 404, whatever the state: tested above.)"""
    problems = []
    for case in demo.sample():
        if not sees(account, case):
            continue
        for trigger, (sources, roles) in TRANSITIONS.items():
            if case.state in sources:
                continue
            status = 409 if ACCOUNTS[account][0] in roles else 403
            path = f"/candidates/{case.id}/actions/{trigger}"
            problems.append(demo.refused(account, path, version_field(case), status))
    no_problems(problems)


def test_a_stale_or_missing_version_is_refused(demo):
    """A POST made from an old page (409) or with no version (400) changes nothing."""
    case = demo.case(demo.ids["cva_identified"])
    path = f"/candidates/{case.id}/actions/withdraw"
    reason = {"reason": "Chuyển trường"}
    no_problems(
        [
            demo.refused("bithu.chuvanan", path, {**reason, "version": str(case.version - 1)}, 409),
            demo.refused("bithu.chuvanan", path, {**reason, "version": str(case.version + 5)}, 409),
            demo.refused("bithu.chuvanan", path, reason, 400),
            demo.refused("bithu.chuvanan", path, {**reason, "version": "x"}, 400),
        ]
    )


def test_a_case_out_of_scope_is_not_found_even_with_a_valid_form(demo):
    """A form that would pass every rule is still 404 for a case the account does not see."""
    case = demo.case(demo.ids["dt_other"])
    data = {"reason": "Chuyển công tác", "version": str(case.version)}
    path = f"/candidates/{case.id}/actions/withdraw"
    no_problems(
        [
            demo.refused("bithu.chuvanan", path, data, 404),
            demo.refused("giupdo.dongthuy", path, data, 404),  # in the cell, not theirs: hidden
        ]
    )


@pytest.mark.parametrize("account", ACCOUNTS)
def test_only_a_secretary_identifies_in_their_cell(demo, account):
    """`identify` (/candidates/new): a secretary's, for their own cell. An empty form is judged
    (422); a valid one for another cell, or by anyone else, is refused (403)."""
    secretary, scope = ACCOUNTS[account][0] == "secretary", ACCOUNTS[account][1]
    problems = [demo.refused(account, "/candidates/new", {}, 422 if secretary else 403)]
    for cell in (CHU_VAN_AN, DONG_THUY):
        if not (secretary and scope == cell):
            problems.append(
                demo.refused(account, "/candidates/new", identify_form(demo, cell), 403)
            )
    no_problems(problems)


def test_a_secretary_identifies_in_their_cell(demo_runtime, login):
    """The form above is valid: saved for the secretary of the cell (on a copy of its own)."""
    site = Demo(None, demo_runtime)
    browser = login("bithu.chuvanan")
    response = browser.post("/candidates/new", identify_form(site, CHU_VAN_AN))
    assert response.status_code == 303


@pytest.mark.parametrize("account", [a for a in ACCOUNTS if a != "bantochuc"])
def test_only_the_committee_decides(demo, account):
    """A decision that would pass is refused (403) to everyone but the committee."""
    sent = demo.ids["cva_mentee_sent"]
    data = decision_form(demo, sent, "return", reason="Thiếu bản tự kiểm điểm")
    no_problems([demo.refused(account, "/reviews/decide", data, 403)])


def test_the_committee_refused_decisions_change_nothing(demo):
    sent = demo.ids["cva_mentee_sent"]
    stale = {**decision_form(demo, sent, "reject", reason="Lý do"), f"version-{sent}": "1"}
    identified = demo.ids["cva_identified"]
    cases = [
        ({}, 400),  # nothing chosen
        ({f"action-{sent}": "admit"}, 400),  # no version
        (decision_form(demo, sent, "promote"), 400),  # not a decision
        ({"action-x1": "reject", "version-x1": "1"}, 400),
        (decision_form(demo, sent, "admit"), 422),  # the rules refuse an empty admission
        (decision_form(demo, sent, "reject"), 422),  # no reason
        (decision_form(demo, sent, "return", reason="  "), 422),
        (stale, 422),
        (decision_form(demo, identified, "reject", reason="Lý do"), 422),  # not submitted
        (
            {"action-99999": "reject", "version-99999": "1", "reason-99999": "Lý do"},
            422,
        ),
    ]
    no_problems(
        [demo.refused("bantochuc", "/reviews/decide", data, status) for data, status in cases]
    )
