"""The party cells of a scope: the one query behind every "which cell?" list."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Organisation
from db.read.scope import under
from workflow import policy
from workflow.facts import Actor
from workflow.policy import Purpose
from workflow.states import OrgType


def cells_of(session: Session, actor: Actor, purpose: Purpose | str) -> list[tuple[int, str]]:
    """The party cells in the actor's scope for `purpose`, as ``(id, name)`` by name.

    ``Purpose.identify``: the cells where the actor may add candidates (a secretary's cells);
    ``Purpose.cases``: the cells of the actor's case list (a mentor's cells included).
    """
    scope = policy.scope(actor, purpose)
    paths = (*scope.paths, *scope.mentor_paths)
    query = (
        select(Organisation.id, Organisation.name)
        .where(Organisation.type == OrgType.cell)
        .where(under(Organisation.path, paths))
        .order_by(Organisation.name, Organisation.id)
    )
    return [(row.id, row.name) for row in session.execute(query)]
