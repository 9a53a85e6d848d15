"""The users' import (``hoso user import``): a file's users and their roles, in ONE unit of work.

Each username of the file becomes a new user (a username already taken is refused: the import
makes users, ``hoso user grant`` adds roles to existing ones) with no usable password; each row
with a role grants it in an organisation of the admin's scope (by name or ``#id``), with the
checks and the events of ``create_user`` and ``grant_role``. The import grants only to the
users it creates, never to the admin who runs it.

All or nothing: the unit of work commits only when no row is refused, and never on a dry run.
"""

from __future__ import annotations

from workflow import admin as rules
from workflow import tree as tree_rules
from workflow.clock import Clock
from workflow.errors import InvalidInput
from workflow.facts import Actor
from workflow.importing.records import RecordResult, RecordRow, RecordSheet
from workflow.importing.user_rows import UserValues, check_columns, user_values
from workflow.policy import Scope
from workflow.ports import UnitOfWork
from workflow.services.admin_scope import admin_event, check_not_dissolved, manage_scope
from workflow.services.org_import import find_organisation, names_in_scope

DIFFERENT = "differs from an earlier row of the same username"


class _Import:
    """One file's import inside the open unit of work."""

    def __init__(self, uow: UnitOfWork, actor: Actor, within: Scope, clock: Clock, file: str):
        self.uow, self.actor, self.within, self.clock = uow, actor, within, clock
        self.file = file
        self.known = names_in_scope(uow, within)
        self.users: dict[str, tuple[int, UserValues]] = {}

    def row(self, row: RecordRow, values: UserValues) -> None:
        """The row's user (made by their first row) and its role."""
        first = self.users.get(values.username)
        if first is None:
            user_id = self.create(values)
            row.made_id = user_id
        else:
            user_id, earlier = first
            row.made_id = user_id
            for name in ("full_name", "email", "member_id"):
                value = getattr(values, name)
                if value is not None and value != getattr(earlier, name):
                    raise InvalidInput(name, DIFFERENT)
        if values.role is not None and values.organisation is not None:
            self.grant(user_id, values)

    def create(self, values: UserValues) -> int:
        if values.full_name is None:
            raise InvalidInput("full_name", rules.REQUIRED)
        if self.uow.users.username_taken(values.username):
            raise InvalidInput("username", rules.USERNAME_TAKEN)
        if values.member_id is not None:
            rules.check_member(self.uow.users.member_link(values.member_id), self.within, None)
        user_id = self.uow.setup.add_user_without_password(
            username=values.username,
            full_name=values.full_name,
            email=values.email,
            member_id=values.member_id,
        )
        if user_id is None:  # another admin took the name meanwhile
            raise InvalidInput("username", rules.USERNAME_TAKEN)
        self.users[values.username] = (user_id, values)
        self.event(
            "create_user",
            None,
            user=values.username,
            full_name=values.full_name,
            active=True,
            member_id=values.member_id,
        )
        return user_id

    def grant(self, user_id: int, values: UserValues) -> None:
        org = find_organisation(
            self.uow, self.within, self.known, values.organisation or "", "organisation"
        )
        check_not_dissolved(self.uow, org, "organisation", tree_rules.GRANT_DISSOLVED)
        if self.uow.users.add_grant(user_id, values.role or "", org.id) is None:
            raise InvalidInput("role", rules.GRANT_HELD)
        self.event(
            "grant_role", org.id, user=values.username, role=values.role, organisation=org.name
        )

    def event(self, action: str, org_id: int | None, **data: object) -> None:
        data.update(source="import_file", file=self.file)
        self.uow.history.append(admin_event(self.actor, action, self.clock, org_id, **data))


def import_users(
    uow: UnitOfWork,
    actor: Actor,
    sheet: RecordSheet,
    *,
    dry_run: bool = False,
    clock: Clock | None = None,
) -> RecordResult:
    """Create the users of `sheet` and grant their roles within the admin's scope, in ONE
    transaction."""
    within = manage_scope(actor, "import users")
    check_columns(sheet.ignored)
    parsed = [(row, user_values(row)) for row in sheet.rows]
    committed = False
    with uow:
        work = _Import(uow, actor, within, clock or Clock.system(), sheet.filename[:200])
        for row, values in parsed:
            if values is None:
                continue
            try:
                work.row(row, values)
            except InvalidInput as err:
                row.refuse_input(err)
        if not dry_run and not any(row.refused for row in sheet.rows):
            uow.commit()
            committed = True
    return RecordResult(sheet, committed, dry_run)
