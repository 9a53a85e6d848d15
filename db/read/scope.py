"""The one scope rule in SQL: ``workflow.policy.Scope`` as a WHERE clause."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_, true

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
