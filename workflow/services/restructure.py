"""The admins' use cases that restructure the organisation tree as of a date: rename, move,
merge, split, dissolve, the deciding flag; and moving a grant off a dissolved organisation.

Each works within the actor's admin scope (the current tree: ``policy.scope(actor,
Purpose.manage)``), is refused with a named reason when impossible (``workflow.tree``), and is an
administrative event of the history. The change takes effect on ``as_of``: the values held until
then stay valid for every earlier day (decisions, forms and reports of that time read them).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from workflow import admin as admin_rules
from workflow import tree as rules
from workflow.admin import OrgRecord
from workflow.clock import Clock
from workflow.errors import InvalidInput, NotFound
from workflow.facts import Actor
from workflow.policy import Scope
from workflow.ports import UnitOfWork
from workflow.services.admin_scope import admin_event, manage_scope, organisation_in_scope
from workflow.states import OrgType
from workflow.tree import OrgVersion


def _current(uow: UnitOfWork, within: Scope, org_id: int, field: str = "organisation"):
    """The organisation in scope (NotFound) with its current version."""
    try:
        org = organisation_in_scope(uow, within, org_id)
    except NotFound:
        if field == "organisation":
            raise
        raise InvalidInput(field, admin_rules.UNKNOWN_CHOICE) from None
    version = uow.tree.version(org.id)
    assert version is not None
    return org, version


def _start(
    uow: UnitOfWork, actor: Actor, org_id: int, as_of: object, clock: Clock | None
) -> tuple[Scope, OrgRecord, OrgVersion, date, Clock]:
    """What every restructuring checks first: an admin, an organisation in scope, a date."""
    within = manage_scope(actor, "restructure the organisation tree")
    clock = clock or Clock.system()
    org, version = _current(uow, within, org_id)
    day = rules.check_as_of(version, as_of, clock.today)
    return within, org, version, day, clock


def _place_under(
    uow: UnitOfWork, org: OrgRecord, parent: OrgRecord, parent_version: OrgVersion, day: date
) -> None:
    """`org` may sit under `parent` from `day`: the kinds fit, the parent exists then, no cycle,
    no sibling of the same name."""
    rules.check_exists_on(parent_version, day, "parent")
    admin_rules.check_parent(parent.type, org.type)
    rules.check_no_cycle((uow.tree.tree_on(day), uow.tree.tree_on(None)), org.id, parent.id)
    if uow.organisations.sibling_named(parent.id, org.name, but=org.id):
        raise InvalidInput("parent", admin_rules.NAME_TAKEN)


def rename_organisation(
    uow: UnitOfWork, actor: Actor, org_id: int, name: str, as_of: date, clock: Clock | None = None
) -> None:
    """The organisation bears `name` from `as_of` (its old name stays on earlier papers)."""
    with uow:
        _, org, version, day, clock = _start(uow, actor, org_id, as_of, clock)
        title = rules.check_name(name)
        if title == org.name:
            raise InvalidInput("name", rules.UNCHANGED)
        if uow.organisations.sibling_named(org.parent_id, title, but=org.id):
            raise InvalidInput("name", admin_rules.NAME_TAKEN)
        uow.tree.change(org.id, day, name=title)
        uow.history.append(
            admin_event(
                actor,
                "rename_organisation",
                clock,
                org.id,
                organisation=org.name,
                name=title,
                as_of=day.isoformat(),
            )
        )
        uow.commit()


def move_organisation(
    uow: UnitOfWork,
    actor: Actor,
    org_id: int,
    parent_id: int,
    as_of: date,
    clock: Clock | None = None,
) -> None:
    """The organisation (a cell, a committee, with all below it) sits under `parent_id` from
    `as_of`."""
    with uow:
        within, org, version, day, clock = _start(uow, actor, org_id, as_of, clock)
        rules.check_not_root(version)
        parent, parent_version = _current(uow, within, parent_id, "parent")
        if parent.id == org.parent_id:
            raise InvalidInput("parent", rules.UNCHANGED)
        _place_under(uow, org, parent, parent_version, day)
        uow.tree.change(org.id, day, parent_id=parent.id)
        uow.history.append(
            admin_event(
                actor,
                "move_organisation",
                clock,
                org.id,
                organisation=org.name,
                parent=parent.name,
                as_of=day.isoformat(),
            )
        )
        uow.commit()


def merge_organisations(
    uow: UnitOfWork,
    actor: Actor,
    org_id: int,
    into_id: int,
    as_of: date,
    clock: Clock | None = None,
) -> None:
    """Organisation `org_id` merges into `into_id` on `as_of`: everything under it moves under
    `into_id`, and it is dissolved (refused while open cases or members remain in it)."""
    with uow:
        within, org, version, day, clock = _start(uow, actor, org_id, as_of, clock)
        rules.check_not_root(version)
        into, into_version = _current(uow, within, into_id, "into")
        if into.id == org.id:
            raise InvalidInput("into", rules.SAME_ORGANISATION)
        if into.type != org.type:
            raise InvalidInput("into", rules.KIND_DIFFERS)
        rules.check_exists_on(into_version, day, "into")
        rules.check_no_cycle((uow.tree.tree_on(day), uow.tree.tree_on(None)), org.id, into.id)
        moved = _move_children(uow, org, into, day)
        contents = uow.tree.contents(org.id)
        rules.check_may_dissolve(contents.children, contents.open_cases, contents.active_members)
        uow.tree.dissolve(org.id, day)
        uow.history.append(
            admin_event(
                actor,
                "merge_organisations",
                clock,
                into.id,
                organisation=org.name,
                into=into.name,
                moved=moved,
                as_of=day.isoformat(),
            )
        )
        uow.commit()


def _move_children(
    uow: UnitOfWork, org: OrgRecord, into: OrgRecord, day: date, only: Sequence[int] | None = None
) -> list[str]:
    """Move the current children of `org` (or those in `only`) under `into` from `day`; their
    names."""
    children = uow.tree.tree_on(None).children(org.id)
    if only is not None:
        wanted = set(only)
        unknown = wanted - {c.org_id for c in children}
        if unknown:
            raise InvalidInput("children", rules.NOT_A_CHILD)
        children = [c for c in children if c.org_id in wanted]
    names = []
    for child in children:
        record = uow.organisations.get(child.org_id)
        assert record is not None
        if child.valid_from > day:
            raise InvalidInput("as_of", rules.BEFORE_CURRENT)
        admin_rules.check_parent(into.type, record.type)
        if uow.organisations.sibling_named(into.id, record.name, but=record.id):
            raise InvalidInput("children", admin_rules.NAME_TAKEN)
        uow.tree.change(child.org_id, day, parent_id=into.id)
        names.append(record.name)
    return names


def split_organisation(
    uow: UnitOfWork,
    actor: Actor,
    org_id: int,
    *,
    name: str,
    children: Sequence[int],
    as_of: date,
    parent_id: int | None = None,
    decides_admissions: bool = False,
    committee_size: int = 0,
    clock: Clock | None = None,
) -> int:
    """A new organisation of the same kind, under `parent_id` (by default the same parent),
    takes over `children` of `org_id` from `as_of`; returns its id."""
    with uow:
        within, org, version, day, clock = _start(uow, actor, org_id, as_of, clock)
        title = rules.check_name(name)
        if not children:
            raise InvalidInput("children", rules.NO_CHILDREN)
        if decides_admissions and org.type != OrgType.committee:
            raise InvalidInput("decides_admissions", admin_rules.NOT_A_COMMITTEE)
        values = admin_rules.org_values(org.type, org.unit_kind, committee_size, org.mass_kind)
        parent, parent_version = _current(uow, within, parent_id or org.parent_id, "parent")
        rules.check_exists_on(parent_version, day, "parent")
        admin_rules.check_parent(parent.type, org.type)
        if uow.organisations.sibling_named(parent.id, title):
            raise InvalidInput("name", admin_rules.NAME_TAKEN)
        new_id = uow.tree.found(
            parent.id,
            day,
            title,
            org.type,
            decides_admissions=decides_admissions,
            has_doan=org.has_doan,
            **values,
        )
        new = uow.organisations.get(new_id)
        assert new is not None
        moved = _move_children(uow, org, new, day, only=children)
        uow.history.append(
            admin_event(
                actor,
                "split_organisation",
                clock,
                new_id,
                organisation=org.name,
                name=title,
                parent=parent.name,
                moved=moved,
                decides_admissions=decides_admissions,
                as_of=day.isoformat(),
            )
        )
        uow.commit()
        return new_id


def dissolve_organisation(
    uow: UnitOfWork, actor: Actor, org_id: int, as_of: date, clock: Clock | None = None
) -> None:
    """The organisation ceases to exist on `as_of` (refused while anything is left in it)."""
    with uow:
        _, org, version, day, clock = _start(uow, actor, org_id, as_of, clock)
        rules.check_not_root(version)
        contents = uow.tree.contents(org.id)
        rules.check_may_dissolve(contents.children, contents.open_cases, contents.active_members)
        uow.tree.dissolve(org.id, day)
        uow.history.append(
            admin_event(
                actor,
                "dissolve_organisation",
                clock,
                org.id,
                organisation=org.name,
                as_of=day.isoformat(),
            )
        )
        uow.commit()


def set_decides_admissions(
    uow: UnitOfWork,
    actor: Actor,
    org_id: int,
    decides: bool,
    as_of: date,
    clock: Clock | None = None,
) -> None:
    """The committee decides admissions for everything below it from `as_of` (or stops)."""
    with uow:
        _, org, version, day, clock = _start(uow, actor, org_id, as_of, clock)
        if decides and org.type != OrgType.committee:
            raise InvalidInput("decides_admissions", admin_rules.NOT_A_COMMITTEE)
        if decides == version.decides_admissions:
            raise InvalidInput("decides_admissions", rules.UNCHANGED)
        uow.tree.change(org.id, day, decides_admissions=decides)
        uow.history.append(
            admin_event(
                actor,
                "set_decides_admissions",
                clock,
                org.id,
                organisation=org.name,
                decides=decides,
                as_of=day.isoformat(),
            )
        )
        uow.commit()


def move_grant(
    uow: UnitOfWork, actor: Actor, grant_id: int, organisation_id: int, clock: Clock | None = None
) -> None:
    """Move a user's role from its organisation (typically a dissolved one) to another of the
    admin's scope that exists now."""
    within = manage_scope(actor, "move a role")
    with uow:
        grant = uow.tree.grant(grant_id)
        if grant is None or not within.covers(grant.path):
            raise NotFound(f"grant {grant_id}")
        # Moving one's own grant is granting it to oneself elsewhere: another admin does it.
        admin_rules.check_grant_to(actor.user_id, grant.user_id)
        target, version = _current(uow, within, organisation_id, "organisation_id")
        if version.valid_until is not None:
            raise InvalidInput("organisation_id", rules.GRANT_DISSOLVED)
        if target.id == grant.organisation_id or not uow.tree.move_grant(grant.id, target.id):
            raise InvalidInput("organisation_id", admin_rules.GRANT_HELD)
        uow.history.append(
            admin_event(
                actor,
                "move_grant",
                clock or Clock.system(),
                target.id,
                user=grant.username,
                role=grant.role,
                organisation=grant.organisation,
                to=target.name,
            )
        )
        uow.commit()
