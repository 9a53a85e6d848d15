"""The cell's roll as the case page shows it beside the vote form (before anyone submits)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from db.repositories.rule_facts import cell_roll
from workflow.facts import CellRoll


def cell_roll_on(session: Session, cell_id: int, on: date) -> CellRoll:
    """The cell's official members on `on` counted for votes, and the exempted among them: the
    same count the rules compare the typed numbers with (``rule_facts.cell_roll``)."""
    return cell_roll(session.connection(), cell_id, on)
