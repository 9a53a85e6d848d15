"""Calling the API in tests: tokens minted through the use case, a client that sends them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import text

from workflow.clock import Clock
from workflow.facts import Actor
from workflow.services.tokens import create_token

API = "/api/v1"


def user_grants(runtime, username: str) -> tuple[int, list[tuple[int, str]]]:
    """The user's id and grants as ``(grant id, role)``."""
    with runtime.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT u.id, g.id, g.role FROM users u LEFT JOIN role_grants g ON g.user_id = u.id"
                " WHERE u.username = :n ORDER BY g.id"
            ),
            {"n": username},
        ).all()
    assert rows, f"no user {username}"
    return rows[0][0], [(g, role) for _, g, role in rows if g is not None]


def mint(
    runtime,
    username: str,
    roles: Iterable[str] | None = None,
    *,
    grant_ids: Iterable[int] | None = None,
    days: int = 30,
    clock: Clock | None = None,
) -> str:
    """A token of `username` acting with their grants of `roles` (default: all), or `grant_ids`."""
    user_id, grants = user_grants(runtime, username)
    if grant_ids is None:
        grant_ids = [g for g, role in grants if roles is None or role in set(roles)]
    clock = clock or Clock.system()
    made = create_token(
        runtime.uow(),
        Actor(user_id, username),
        "test",
        clock.today + timedelta(days=days),
        list(grant_ids),
        clock=clock,
    )
    return made.secret


class ApiClient:
    """A test client sending a bearer token (or none) to /api/v1."""

    def __init__(self, app, secret: str | None):
        self.client = app.test_client()
        self.secret = secret

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.secret}"} if self.secret else {}
        headers.update(extra or {})
        return headers

    def get(self, path: str, **kw: Any):
        return self.client.get(API + path, headers=self.headers(kw.pop("headers", None)), **kw)

    def post(self, path: str, body: dict | None = None, version: int | str | None = None, **kw):
        extra = kw.pop("headers", None) or {}
        if version is not None:
            extra["If-Match"] = f'"{version}"'
        return self.client.post(API + path, json=body or {}, headers=self.headers(extra), **kw)


def case_version(runtime, case_id: int) -> int:
    with runtime.engine.connect() as conn:
        return conn.execute(text("SELECT version FROM cases WHERE id = :i"), {"i": case_id}).one()[
            0
        ]


def long_ago(days: int) -> Clock:
    """A clock `days` ago (tokens made then)."""
    return Clock.at(date.today() - timedelta(days=days))
