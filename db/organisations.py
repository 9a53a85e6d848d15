"""Building the organisation tree: each node's materialised path follows its parent's."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from db.models import Organisation


def add_organisation(
    session: Session, name: str, type: str, parent: Organisation | None = None, **values: Any
) -> Organisation:
    """Add an organisation under `parent` and give it its path."""
    org = Organisation(name=name, type=type, parent_id=parent.id if parent else None, **values)
    session.add(org)
    session.flush()
    org.path = f"{parent.path if parent else '/'}{org.id}/"
    session.flush()
    return org
