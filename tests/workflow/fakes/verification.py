"""The verification repository in memory; it keeps the case's ``verification`` facts current."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date
from typing import Any

from tests.workflow.fakes.cases import FakeCases
from workflow.errors import Conflict
from workflow.facts import Actor
from workflow.verification import Conclusion, Verification, VerificationRequest


class FakeVerifications:
    """The VerificationRepository port in memory."""

    def __init__(self, cases: FakeCases) -> None:
        self.cases = cases
        self.requests: dict[int, VerificationRequest] = {}
        self.conclusions: dict[int, Conclusion] = {}

    def snapshot(self) -> Any:
        return copy.deepcopy((self.requests, self.conclusions))

    def restore(self, saved: Any) -> None:
        self.requests, self.conclusions = saved

    def of_case(self, case_id: int) -> Verification:
        requests = tuple(r for _, r in sorted(self.requests.items()) if r.case_id == case_id)
        return Verification(case_id, requests, self.conclusions.get(case_id))

    def _sync(self, case_id: int) -> None:
        case = self.cases.items.get(case_id)
        if case is not None:
            case.verification = self.of_case(case_id).facts()

    def add_request(
        self, case_id: int, values: dict[str, Any], actor: Actor, today: date
    ) -> VerificationRequest:
        request_id = max(self.requests, default=0) + 1
        request = VerificationRequest(request_id, case_id, **values)
        self.requests[request_id] = request
        self._sync(case_id)
        return request

    def record_answer(
        self, request: VerificationRequest, values: dict[str, Any], actor: Actor
    ) -> VerificationRequest:
        answered = replace(request, **values)
        self.requests[request.id] = answered
        self._sync(request.case_id)
        return answered

    def conclude(
        self, case_id: int, values: dict[str, Any], actor: Actor, today: date
    ) -> Conclusion:
        if case_id in self.conclusions:
            raise Conflict(f"case {case_id} has a conclusion already")
        conclusion = Conclusion(
            case_id,
            values["concluded_on"],
            values["favourable"],
            values["conclusion"],
            values.get("unanswered_reason"),
            actor.username,
        )
        self.conclusions[case_id] = conclusion
        self._sync(case_id)
        return conclusion
