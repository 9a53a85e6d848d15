"""The targets' use cases: who reads the report, and the admins' edits of the targets.

An admin creates, changes and removes the targets of the organisations in their scope; each
change is an administrative event naming the target's organisation. The rules of the values are
in ``workflow.targets.edits``; the report itself is computed by ``workflow.targets`` over the rows
of ``db.read.reports``.
"""

from __future__ import annotations

from dataclasses import replace

from workflow.clock import Clock
from workflow.errors import InvalidInput, NotAllowed, NotFound
from workflow.facts import Actor
from workflow.policy import Purpose, Scope, scope
from workflow.ports import NewEvent, UnitOfWork
from workflow.services.admin_scope import admin_event, manage_scope, organisation_in_scope
from workflow.targets import ALL_CATEGORIES, ALL_UNITS, METRIC_KIND, Target
from workflow.targets import edits as rules

_TASK = "edit targets"


def report_scope(actor: Actor) -> Scope:
    """Where the actor reads the targets report; NotAllowed when nowhere."""
    found = scope(actor, Purpose.reports)
    if not found:
        raise NotAllowed("only the committee, secretaries, auditors and admins read the targets")
    return found


def _event(
    actor: Actor, action: str, clock: Clock | None, target: Target, org_name: str
) -> NewEvent:
    """What the history keeps of a target's edit: the target as it stands (or stood)."""
    return admin_event(
        actor,
        action,
        clock or Clock.system(),
        target.organisation_id,
        target_id=target.id,
        organisation=org_name,
        year=target.year,
        metric=target.metric,
        unit_kind=target.unit_kind,
        category=target.category,
        value=str(target.value),
        note=target.note,
    )


def _target_in_scope(uow: UnitOfWork, within: Scope, target_id: int) -> tuple[Target, str]:
    """The target and its organisation's name, if that organisation is in scope (NotFound)."""
    target = uow.targets.get(target_id)
    org = uow.organisations.get(target.organisation_id) if target is not None else None
    if target is None or org is None or not within.covers(org.path):
        raise NotFound(f"target {target_id}")
    return target, org.name


def create_target(
    uow: UnitOfWork,
    actor: Actor,
    *,
    organisation_id: int,
    year: int,
    metric: str,
    value: object,
    unit_kind: str = ALL_UNITS,
    note: str | None = None,
    category: str = ALL_CATEGORIES,
    clock: Clock | None = None,
) -> int:
    """A new target of an organisation in the admin's scope; returns its id. An admissions
    target may count one `category` of person only ("≥ 1 student": a teacher does not count)."""
    within = manage_scope(actor, _TASK)
    unit = rules.check_metric(metric, unit_kind)
    who = rules.check_category(metric, category)
    when = rules.check_year(year)
    amount = rules.parse_value(metric, value)
    text = rules.check_note(note)
    with uow:
        org = organisation_in_scope(uow, within, organisation_id)
        rules.check_holder(metric, org.type)
        if uow.targets.exists(org.id, when, metric, unit):
            raise InvalidInput("metric", rules.TARGET_EXISTS)
        target = Target(0, org.id, when, metric, METRIC_KIND[metric], amount, unit, text, who)
        target = replace(target, id=uow.targets.add(target))
        uow.history.append(_event(actor, "create_target", clock, target, org.name))
        uow.commit()
        return target.id


def update_target(
    uow: UnitOfWork,
    actor: Actor,
    target_id: int,
    *,
    value: object,
    note: str | None = None,
    clock: Clock | None = None,
) -> None:
    """Change a target's value and note (its organisation, year and metric stay)."""
    within = manage_scope(actor, _TASK)
    text = rules.check_note(note)
    with uow:
        target, org_name = _target_in_scope(uow, within, target_id)
        target = replace(target, value=rules.parse_value(target.metric, value), note=text)
        uow.targets.update(target.id, target.value, target.note)
        uow.history.append(_event(actor, "update_target", clock, target, org_name))
        uow.commit()


def delete_target(
    uow: UnitOfWork, actor: Actor, target_id: int, clock: Clock | None = None
) -> None:
    """Remove a target (the history keeps what it was)."""
    within = manage_scope(actor, _TASK)
    with uow:
        target, org_name = _target_in_scope(uow, within, target_id)
        uow.targets.delete(target.id)
        uow.history.append(_event(actor, "delete_target", clock, target, org_name))
        uow.commit()
