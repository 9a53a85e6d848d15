"""What the verification use cases need from storage: a case's requests and its conclusion."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from workflow.facts import Actor
from workflow.verification import Conclusion, Verification, VerificationRequest


class VerificationRepository(Protocol):
    """Where verifications are kept (``db.repositories.verification.SqlVerifications``)."""

    def of_case(self, case_id: int) -> Verification:
        """The case's requests, in the order sent, and its conclusion (if any)."""
        ...

    def add_request(
        self, case_id: int, values: dict[str, Any], actor: Actor, today: date
    ) -> VerificationRequest: ...

    def record_answer(
        self, request: VerificationRequest, values: dict[str, Any], actor: Actor
    ) -> VerificationRequest: ...

    def conclude(
        self, case_id: int, values: dict[str, Any], actor: Actor, today: date
    ) -> Conclusion:
        """Record the conclusion; a second one for the case raises (Conflict)."""
        ...
