"""What the registry's edits need from storage: the enterprises (their committees and cells are
``uow.organisations``)."""

from __future__ import annotations

from typing import Any, Protocol


class EnterpriseRepository(Protocol):
    def committee_of(self, enterprise_id: int) -> int | None:
        """The id of the committee keeping the enterprise; ``None`` when there is none."""
        ...

    def tax_code_taken(self, tax_code: str, but: int | None = None) -> bool:
        """Whether another enterprise (other than `but`) has `tax_code`."""
        ...

    def add(self, values: dict[str, Any]) -> int: ...

    def update(self, enterprise_id: int, values: dict[str, Any]) -> None: ...
