"""The statistics' use cases: who reads them, and the admins' entry of the admissions decided
outside hoso (a committee's yearly total), each entry an administrative event.

The statistics themselves are computed by ``workflow.statistics`` over the rows of
``db.read.statistics``; the totals entered here also count in the targets' 2% share.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from workflow import outside as rules
from workflow.clock import Clock
from workflow.errors import InvalidInput, NotFound
from workflow.facts import Actor
from workflow.policy import Scope
from workflow.ports import NewEvent, UnitOfWork
from workflow.services.admin_scope import admin_event, manage_scope, organisation_in_scope
from workflow.services.targets import report_scope
from workflow.states import OrgType
from workflow.targets import OutsideTotal
from workflow.targets.edits import check_year

_TASK = "enter admissions outside hoso"


def statistics_scope(actor: Actor) -> Scope:
    """Where the actor reads the yearly statistics: where they read the targets (NotAllowed
    when nowhere). The statistics are counts, never names."""
    return report_scope(actor)


def _event(
    actor: Actor, action: str, clock: Clock | None, total: OutsideTotal, org_name: str
) -> NewEvent:
    """What the history keeps of an entry: the total as it stands (or stood)."""
    return admin_event(
        actor,
        action,
        clock or Clock.system(),
        total.organisation_id,
        outside_id=total.id,
        organisation=org_name,
        year=total.year,
        total=total.total,
        enterprise_workers=total.enterprise_workers,
        by_category=dict(total.by_category) if total.by_category is not None else None,
        note=total.note,
    )


def set_outside_admissions(
    uow: UnitOfWork,
    actor: Actor,
    *,
    organisation_id: int,
    year: Any,
    total: Any,
    enterprise_workers: Any = None,
    by_category: Mapping[str, Any] | None = None,
    note: str | None = None,
    clock: Clock | None = None,
) -> int:
    """Enter (or correct) a committee's admissions outside hoso in `year`: the total, how many
    are workers of non-state enterprises, and optionally the whole total by category. Returns
    the entry's id; an earlier entry of the same committee and year is replaced (the history
    keeps both)."""
    within = manage_scope(actor, _TASK)
    when = check_year(year)
    whole, workers, split = rules.check_totals(total, enterprise_workers, by_category)
    text = rules.check_note(note)
    with uow:
        org = organisation_in_scope(uow, within, organisation_id)
        if org.type != OrgType.committee:
            raise InvalidInput("organisation", rules.NOT_A_COMMITTEE)
        entry = OutsideTotal(0, org.id, when, whole, workers, split, text)
        earlier = uow.outside.of(org.id, when)
        if earlier is None:
            entry = replace(entry, id=uow.outside.add(entry))
        else:
            entry = replace(entry, id=earlier.id)
            uow.outside.update(entry)
        uow.history.append(_event(actor, "set_outside_admissions", clock, entry, org.name))
        uow.commit()
        return entry.id


def delete_outside_admissions(
    uow: UnitOfWork, actor: Actor, outside_id: int, clock: Clock | None = None
) -> None:
    """Remove an entry (the history keeps what it was)."""
    within = manage_scope(actor, _TASK)
    with uow:
        entry = uow.outside.get(outside_id)
        org = uow.organisations.get(entry.organisation_id) if entry is not None else None
        if entry is None or org is None or not within.covers(org.path):
            raise NotFound(f"outside admissions {outside_id}")
        uow.outside.delete(entry.id)
        uow.history.append(_event(actor, "delete_outside_admissions", clock, entry, org.name))
        uow.commit()
