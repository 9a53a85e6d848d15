"""The district set up through the admin use cases, as an admin would enter it.

After ``direct.first_admin``, the setting-up admin (``admin`` in district.toml) creates every
other organisation, enters the party members on their cells' rolls, creates the users and grants
their roles, sets the yearly targets and registers the enterprises: each an administrative use
case with its history event, on the story's first day from ``setup_time``, one second apart, so
that all of it precedes the first case step.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from db.actors import actor_by_username
from db.demo.actions import (  # the one module naming the use cases
    add_member,
    create_enterprise,
    create_organisation,
    create_target,
    create_user,
    grant_role,
    set_deciding_body,
)
from db.demo.files import DataError
from db.demo.story import Story
from db.runtime import Runtime
from workflow.admin import OrgRecord
from workflow.clock import Clock
from workflow.dates import LOCAL_ZONE
from workflow.errors import DomainError
from workflow.facts import Actor
from workflow.targets import ALL_UNITS

T = TypeVar("T")


@dataclass
class Ids:
    """What the loader created, by the story's keys."""

    orgs: dict[str, OrgRecord] = field(default_factory=dict)
    members: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    cases: dict[str, int] = field(default_factory=dict)
    #: The member each admitted case's candidate became, by the case's label.
    case_members: dict[str, int] = field(default_factory=dict)
    proposals: dict[str, int] = field(default_factory=dict)
    classes: dict[str, int] = field(default_factory=dict)
    #: What a case's step made that a later one names: (case label, kind, key) → id.
    made: dict[tuple[str, str, str], int] = field(default_factory=dict)


class Setup:
    """The setting-up admin's use cases, each at the next second of the setup."""

    def __init__(self, runtime: Runtime, story: Story, ids: Ids) -> None:
        self.runtime, self.story, self.ids = runtime, story, ids
        frame = story.frame
        self.start = datetime.combine(story.first_day, frame.setup_time, tzinfo=LOCAL_ZONE)
        self.end = datetime.combine(story.first_day, frame.first_step, tzinfo=LOCAL_ZONE)
        self.done = 0
        with runtime.sessions() as session:
            admin = actor_by_username(session, frame.admin)
        assert admin is not None, "first_admin creates the setting-up admin"
        self.admin: Actor = admin

    def run(self) -> list[tuple[str, str, str]]:
        """Every change; returns the demo accounts ``(username, role, scope name)``."""
        self.organisations()
        self.members()
        accounts = self.users()
        self.targets()
        self.enterprises()
        return accounts

    def _do(self, what: str, use_case: Callable[..., T], *args: Any, **kw: Any) -> T:
        """Call `use_case` as the admin at the next moment; a refusal names what was set up."""
        moment = self.start + timedelta(seconds=self.done)
        if moment >= self.end:
            raise DataError("district.toml", "frame", "`setup_time` leaves too little time")
        self.done += 1
        try:
            return use_case(
                self.runtime.uow(), self.admin, *args, clock=Clock(moment.astimezone(UTC)), **kw
            )
        except DomainError as err:
            raise RuntimeError(f"demo data, setting up {what}: refused: {err}") from err

    def organisations(self) -> None:
        """Every organisation below the admin's scope, parents first."""
        made: dict[str, int] = {}
        for spec in self.story.organisations:
            if spec.key in self.ids.orgs:
                continue  # written by first_admin
            values = dict(spec.values)
            decides = values.pop("decides_admissions")
            parent = made.get(spec.parent) or self.ids.orgs[spec.parent].id  # type: ignore[index]
            what = f"organisation {spec.key}"
            made[spec.key] = self._do(
                what, create_organisation, parent, name=spec.name, type=spec.type, **values
            )
            if decides:
                self._do(what, set_deciding_body, made[spec.key], True)
        with self.runtime.uow(write=False) as uow:
            for key, org_id in made.items():
                self.ids.orgs[key] = uow.organisations.get(org_id)  # type: ignore[assignment]

    def members(self) -> None:
        """The party members on their cells' rolls."""
        for seed in self.story.members:
            self.ids.members[seed.key] = self._do(
                f"member {seed.key}",
                add_member,
                self.ids.orgs[seed.cell].id,
                person=seed.person,
                status=seed.status,
                admitted_on=seed.admitted_on,
                official_since=seed.official_since,
                excused=seed.excused,
            )

    def users(self) -> list[tuple[str, str, str]]:
        """The users and their one grant each; returns the demo accounts."""
        names = {m.key: m.person["full_name"] for m in self.story.members}
        accounts: list[tuple[str, str, str]] = []
        for spec in self.story.users:
            scope = self.ids.orgs[spec.scope]
            if spec.active:
                accounts.append((spec.username, spec.role, scope.name))
            if spec.username == self.story.frame.admin:
                continue  # written by first_admin
            what = f"user {spec.username}"
            user_id = self._do(
                what,
                create_user,
                username=spec.username,
                full_name=names[spec.member] if spec.member else spec.full_name,
                password=secrets.token_urlsafe(24),  # unusable: see direct.demo_passwords
                active=spec.active,
                member_id=self.ids.members[spec.member] if spec.member else None,
            )
            self._do(what, grant_role, user_id, spec.role, scope.id)
            self.ids.users[spec.username] = user_id
        return accounts

    def targets(self) -> None:
        """The yearly targets, year by year down the tree."""
        orgs = self.ids.orgs
        for t in sorted(self.story.targets, key=lambda t: (t.year, orgs[t.organisation].path)):
            self._do(
                f"target {t.metric} {t.year} of {t.organisation}",
                create_target,
                organisation_id=orgs[t.organisation].id,
                year=t.year,
                metric=t.metric,
                value=t.value,
                unit_kind=ALL_UNITS,
                note=t.note,
                category=t.category,
            )

    def enterprises(self) -> None:
        """The district's enterprises, with or without a party cell."""
        for values in self.story.enterprises:
            values = dict(values)
            cell, committee = values.pop("cell"), values.pop("committee")
            self._do(
                f"enterprise {values['name']}",
                create_enterprise,
                **values,
                cell_id=self.ids.orgs[cell].id if cell else None,
                committee_id=self.ids.orgs[committee].id,
            )
