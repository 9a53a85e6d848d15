"""The organisations' import (``hoso org import``): a file's tree, in ONE unit of work.

Rows may come in any order: an organisation is created after the one it names as parent, found
among the file's codes (or names) first, then among the organisations of the admin's scope (by
name, or ``#id``). Each organisation is created as of its first row's ``valid_from`` (the admin
use case's checks: kinds that may sit under the parent, no sibling of the same name); its later
rows change it as of their dates, oldest first, as the restructuring use cases do (rename, move,
the deciding flag, the committee's size), and a last row's ``valid_until`` dissolves it. Every
change is the administrative event the admin's own action would record.

All or nothing: the unit of work commits only when no row is refused, and never on a dry run;
the row report says, for every row, what is wrong with it (a row after a refused row of the same
organisation is not checked).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from workflow import admin as admin_rules
from workflow import tree as tree_rules
from workflow.admin import OrgRecord
from workflow.clock import Clock
from workflow.errors import InvalidInput, NotFound
from workflow.facts import Actor
from workflow.importing.fields import fold
from workflow.importing.org_rows import OrgPlan, OrgValues, plans
from workflow.importing.records import RecordResult, RecordRow, RecordSheet
from workflow.policy import Scope
from workflow.ports import UnitOfWork
from workflow.services.admin_scope import admin_event, manage_scope, organisation_in_scope

NO_PARENT = "required: the root exists already (hoso setup); every row names its parent"
UNKNOWN_ORGANISATION = "no organisation of this code or name in the file, nor in your scope"
PARENT_REFUSED = "its parent's row is refused"
CYCLE = "the file places this organisation under itself (a cycle of parents)"
NOT_VERSIONED = "only the name, parent, deciding flag and committee size change from row to row"


def names_in_scope(uow: UnitOfWork, within: Scope) -> dict[str, list[int]]:
    """The current organisations of the scope by folded name (names repeat: "Chi bộ 1")."""
    known: dict[str, list[int]] = {}
    tree = uow.tree.tree_on(None)
    for org in tree.nodes.values():
        if within.covers(tree.path(org.org_id)):
            known.setdefault(fold(org.name), []).append(org.org_id)
    return known


def find_organisation(
    uow: UnitOfWork, within: Scope, known: dict[str, list[int]], text: str, field: str
) -> OrgRecord:
    """The organisation of the scope a file names, by ``#id`` or by name (refused naming
    `field` when there is none, or several of that name)."""
    if text.startswith("#") and text[1:].isdigit() and len(text) < 12:
        ids = [int(text[1:])]
    else:
        ids = known.get(fold(text), [])
    if len(ids) > 1:
        listed = ", ".join(f"#{i}" for i in sorted(ids))
        raise InvalidInput(field, f"several organisations bear this name ({listed}): write #id")
    try:
        return organisation_in_scope(uow, within, ids[0] if ids else None)
    except NotFound:
        raise InvalidInput(field, UNKNOWN_ORGANISATION) from None


class _Import:
    """One file's import inside the open unit of work."""

    def __init__(self, uow: UnitOfWork, actor: Actor, within: Scope, clock: Clock, file: str):
        self.uow, self.actor, self.within, self.clock = uow, actor, within, clock
        self.file = file
        self.made: dict[str, int] = {}
        self.keys: set[str] = set()
        self.known = names_in_scope(uow, within)

    def parent(self, text: str | None) -> OrgRecord:
        """The organisation a row names as parent: a code of the file, ``#id``, or a name."""
        if not text:
            raise InvalidInput("parent", NO_PARENT)
        key = fold(text)
        if key in self.keys:
            if key not in self.made:
                raise InvalidInput("parent", PARENT_REFUSED)
            return self.uow.organisations.get(self.made[key])
        return find_organisation(self.uow, self.within, self.known, text, "parent")

    def check_day(self, field: str, day: date) -> None:
        if day > self.clock.today:
            raise InvalidInput(field, tree_rules.IN_FUTURE)

    def create(self, plan: OrgPlan) -> None:
        """The organisation as its first row says, from that row's ``valid_from``."""
        values = plan.first
        parent = self.parent(values.parent)
        version = self.uow.tree.version(parent.id)
        start = values.valid_from
        if not values.dated and version is not None:  # no date: as long as its parent
            start = max(start, version.valid_from)
        self.check_day("valid_from", start)
        tree_rules.check_exists_on(version, start, "parent")
        admin_rules.check_parent(parent.type, values.type)
        if self.uow.organisations.sibling_named(parent.id, values.name):
            raise InvalidInput("name", admin_rules.NAME_TAKEN)
        flags = {
            "unit_kind": values.unit_kind,
            "committee_size": values.committee_size,
            "mass_kind": values.mass_kind,
            "has_doan": values.has_doan,
            "decides_admissions": values.decides,
        }
        org_id = self.uow.tree.found(parent.id, start, values.name, values.type, **flags)
        self.made[plan.key] = org_id
        self.event(
            "create_organisation",
            org_id,
            name=values.name,
            type=values.type,
            parent=parent.name,
            valid_from=start.isoformat(),
            **flags,
        )

    def change(self, org_id: int, before: OrgValues, after: OrgValues) -> None:
        """The organisation's values from ``after.valid_from`` on (a later row of its code)."""
        day = after.valid_from
        self.check_day("valid_from", day)
        for name in ("unit_kind", "mass_kind", "has_doan"):
            if getattr(after, name) != getattr(before, name):
                raise InvalidInput(name, NOT_VERSIONED)
        current = self.uow.tree.version(org_id)
        assert current is not None
        as_of = {"organisation": current.name, "as_of": day.isoformat()}
        changes: dict[str, object] = {}
        if after.name != current.name:
            if self.uow.organisations.sibling_named(current.parent_id, after.name, but=org_id):
                raise InvalidInput("name", admin_rules.NAME_TAKEN)
            changes["name"] = after.name
        parent = self.parent(after.parent)
        if parent.id != current.parent_id:
            tree_rules.check_exists_on(self.uow.tree.version(parent.id), day, "parent")
            admin_rules.check_parent(parent.type, after.type)
            trees = (self.uow.tree.tree_on(day), self.uow.tree.tree_on(None))
            tree_rules.check_no_cycle(trees, org_id, parent.id)
            changes["parent_id"] = parent.id
        if after.decides != current.decides_admissions:
            changes["decides_admissions"] = after.decides
        if after.committee_size != current.committee_size:
            changes["committee_size"] = after.committee_size
        if not changes:
            raise InvalidInput("valid_from", tree_rules.UNCHANGED)
        self.uow.tree.change(org_id, day, **changes)
        if "name" in changes:
            self.event("rename_organisation", org_id, **as_of, name=after.name)
        if "parent_id" in changes:
            self.event("move_organisation", org_id, **as_of, parent=parent.name)
        if "decides_admissions" in changes:
            self.event("set_decides_admissions", org_id, **as_of, decides=after.decides)
        if "committee_size" in changes:
            self.event("update_organisation", org_id, **as_of, committee_size=after.committee_size)

    def dissolve(self, org_id: int, day: date) -> None:
        """The organisation ceases to exist on `day` (its last row's ``valid_until``)."""
        self.check_day("valid_until", day)
        contents = self.uow.tree.contents(org_id)
        try:
            tree_rules.check_may_dissolve(
                contents.children, contents.open_cases, contents.active_members
            )
        except InvalidInput as err:
            raise InvalidInput("valid_until", err.message) from None
        current = self.uow.tree.version(org_id)
        self.uow.tree.dissolve(org_id, day)
        as_of = day.isoformat()
        self.event("dissolve_organisation", org_id, organisation=current.name, as_of=as_of)

    def event(self, action: str, org_id: int, **data: object) -> None:
        data.update(source="import_file", file=self.file)
        self.uow.history.append(admin_event(self.actor, action, self.clock, org_id, **data))


def import_organisations(
    uow: UnitOfWork,
    actor: Actor,
    sheet: RecordSheet,
    *,
    dry_run: bool = False,
    clock: Clock | None = None,
) -> RecordResult:
    """Create the organisations of `sheet` under the admin's scope, in ONE transaction."""
    within = manage_scope(actor, "import organisations")
    found = plans(sheet)
    committed = False
    with uow:
        work = _Import(uow, actor, within, clock or Clock.system(), sheet.filename[:200])
        work.keys = {fold(row.text("code") or row.text("name")) for row in sheet.rows}
        for plan in _parents_first(found):
            _try(plan.rows[0][0], work.create, plan)
        for step in _steps(found):
            plan, index = step
            if plan.key not in work.made or any(row.refused for row, _ in plan.rows[:index]):
                continue
            row, values = plan.rows[min(index, len(plan.rows) - 1)]
            org_id = work.made[plan.key]
            if index < len(plan.rows):
                before = plan.rows[index - 1][1]
                _try(row, work.change, org_id, before, values)
            else:
                _try(row, work.dissolve, org_id, values.valid_until)
        if not dry_run and not any(row.refused for row in sheet.rows):
            uow.commit()
            committed = True
    for plan in found:
        for row, _ in plan.rows:
            row.made_id = work.made.get(plan.key) if committed else None
    return RecordResult(sheet, committed, dry_run)


def _try(row: RecordRow, step: Callable[..., None], *args: Any) -> None:
    """Run one step of the import; a refusal becomes the row's problem."""
    try:
        step(*args)
    except InvalidInput as err:
        row.refuse_input(err)


def _parents_first(found: list[OrgPlan]) -> Iterator[OrgPlan]:
    """The organisations, each after the one of the file its first row names as parent; those
    in a cycle of parents are refused."""
    by_key = {plan.key: plan for plan in found}
    done: set[str] = set()
    pending = list(found)
    while pending:
        ready = [
            p
            for p in pending
            if fold(p.first.parent or "") not in by_key or fold(p.first.parent or "") in done
        ]
        if not ready:
            for plan in pending:
                plan.rows[0][0].refuse("parent", CYCLE)
            return
        for plan in ready:
            done.add(plan.key)
            pending.remove(plan)
            yield plan


def _steps(found: list[OrgPlan]) -> list[tuple[OrgPlan, int]]:
    """The later rows (index ≥ 1) and the dissolutions (index = number of rows), by date; on
    one day the changes come before the dissolutions (a cell moves out, then its old parent
    goes)."""
    steps: list[tuple[date, int, int, OrgPlan, int]] = []
    for order, plan in enumerate(found):
        for index in range(1, len(plan.rows)):
            steps.append((plan.rows[index][1].valid_from, 0, order, plan, index))
        last = plan.rows[-1][1]
        if last.valid_until is not None:
            steps.append((last.valid_until, 1, order, plan, len(plan.rows)))
    steps.sort(key=lambda s: s[:3])
    return [(plan, index) for *_, plan, index in steps]
