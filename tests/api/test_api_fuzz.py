"""Schemathesis over every operation of the OpenAPI document, with a valid token (the
committee's): no answer is a server error, every status is one the operation documents, every
answer's type is the documented one. Path ids are drawn among the demo's cases half of the time,
and most changes on them carry the case's current version, so that the calls reach the use
cases and their rules, not only the 404 of a missing case or the 412 of a stale version."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, status_code_conformance

from tests.api.support import case_version, mint

#: Examples per operation: the whole run stays under a minute or two.
EXAMPLES = 40
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]


@pytest.fixture(scope="module")
def api_schema(demo):
    """The API's own document, served by the demo's app (calls go to it through WSGI)."""
    loaded = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", demo.app)
    ids = [c.id for c in demo.cases]

    @loaded.hook
    def map_path_parameters(context, path_parameters):
        # A generated id is an existing case half of the time (by its parity: deterministic).
        case_id = (path_parameters or {}).get("case_id")
        if isinstance(case_id, int) and case_id % 2 == 0:
            path_parameters["case_id"] = ids[case_id // 2 % len(ids)]
        return path_parameters

    @loaded.hook
    def map_case(context, case):
        # Most changes on an existing case name its current version: they reach the rules.
        case_id = (case.path_parameters or {}).get("case_id")
        if case.headers and "If-Match" in case.headers and case_id in ids and case_id % 3:
            case.headers["If-Match"] = f'"{case_version(demo.runtime, case_id)}"'
        return case

    return loaded


@pytest.fixture(scope="module")
def token(demo) -> str:
    return mint(demo.runtime, "bantochuc")


@pytest.mark.slow
def test_no_server_error_and_every_status_documented(api_schema, token):
    """Each operation in turn (schemathesis' pytest plugin does not load under pytest 9: the
    operations are walked here, each with its own bounded Hypothesis run)."""
    headers = {"Authorization": f"Bearer {token}"}
    problems = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 11
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except Exception as failure:  # noqa: BLE001 - every operation's failure is reported
            problems.append(f"{operation.label}: {failure}")
    assert not problems, "\n\n".join(problems)
