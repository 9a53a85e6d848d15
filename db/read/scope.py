"""The one scope rule in SQL: ``workflow.policy.Scope`` as a WHERE clause."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, false, or_, true
from sqlalchemy.orm import aliased

from db.models import Organisation
from workflow.policy import Scope


def under(
    column: ColumnElement[str], paths: tuple[str, ...] | list[str] | None
) -> ColumnElement[bool]:
    """`column` (a materialised path) lies under one of `paths`; ``None`` means everywhere."""
    if paths is None:
        return true()
    if not paths:
        return false()
    return or_(*(column.startswith(p, autoescape=True) for p in paths))


def scope_clause(
    scope: Scope | None,
    path_column: ColumnElement[str],
    mentor_column: ColumnElement[int] | None = None,
) -> ColumnElement[bool]:
    """Rows in `scope`: their organisation's path under the scope's subtrees, or (with
    `mentor_column`, for cases) the actor's own mentees. ``None`` means no limit (the CLI)."""
    if scope is None:
        return true()
    clauses = [under(path_column, scope.paths)] if scope.paths else []
    if mentor_column is not None and scope.member_id is not None and scope.mentor_paths:
        clauses.append(
            and_(mentor_column == scope.member_id, under(path_column, scope.mentor_paths))
        )
    return or_(*clauses) if clauses else false()


def deciding_clause(scope: Scope, cell_path: ColumnElement[str]) -> ColumnElement[bool]:
    """Cases whose deciding body lies in `scope` (``Purpose.decide``), given their cell's path.

    Mirrors ``workflow.policy.acting_role`` for decision triggers. The deciding body is the cell's
    nearest ancestor (itself included) that decides admissions, else the root of its tree. That
    body lies under a scope path exactly when some deciding ancestor of the cell does (ancestors
    form one chain), or, with no deciding ancestor at all, when the path is a root.
    """
    deciding = aliased(Organisation)
    ancestor = cell_path.startswith(deciding.path)
    clauses = []
    for path in scope.paths:
        in_scope = exists().where(
            deciding.decides_admissions.is_(True), under(deciding.path, (path,)), ancestor
        )
        if path.count("/") == 2:  # a root, such as "/1/"
            none = ~exists().where(deciding.decides_admissions.is_(True), ancestor)
            in_scope = or_(in_scope, none)
        clauses.append(and_(under(cell_path, (path,)), in_scope))
    return or_(*clauses) if clauses else false()
