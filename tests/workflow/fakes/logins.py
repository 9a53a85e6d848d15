"""An in-memory fake of the LoginRepository port: failures as a list, passwords in clear."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tests.workflow.fakes.admin import FakeUsers
from workflow.logins import API_KEY, Failures, Tally


@dataclass(frozen=True)
class Failure:
    username: str
    address: str
    device: str | None
    at: datetime


def _failures(rows: list[Failure]) -> Failures:
    return Failures(len(rows), max((r.at for r in rows), default=None))


class FakeLogins:
    """The failures recorded, and the users' passwords (`users.passwords`) and versions."""

    def __init__(self, users: FakeUsers) -> None:
        self.users = users
        self.failures: list[Failure] = []
        self.versions: dict[int, int] = {}

    def snapshot(self) -> Any:
        return list(self.failures), dict(self.versions)

    def restore(self, saved: Any) -> None:
        self.failures, self.versions = copy.copy(saved[0]), dict(saved[1])

    def tally(self, username: str, address: str, device: str | None, since: datetime) -> Tally:
        recent = [f for f in self.failures if f.at >= since]
        strangers = [f for f in recent if f.device is None]
        return Tally(
            pair=_failures(
                [f for f in strangers if (f.username, f.address) == (username, address)]
            ),
            address=_failures([f for f in strangers if f.address == address]),
            username=_failures([f for f in strangers if f.username == username]),
            device=_failures([f for f in recent if device and f.device == device]),
        )

    def record_failure(self, username: str, address: str, device: str | None, at) -> None:
        self.failures.append(Failure(username, address, device, at))

    def forget(self, username: str, address: str, device: str | None) -> None:
        if device:
            self.failures = [f for f in self.failures if f.device != device]
        else:
            self.failures = [
                f
                for f in self.failures
                if f.device is not None or (f.username, f.address) != (username, address)
            ]

    def prune(self, before: datetime) -> int:
        kept = [f for f in self.failures if f.at >= before]
        pruned, self.failures = len(self.failures) - len(kept), kept
        return pruned

    def api_failures(self, address: str, since: datetime) -> Failures:
        return _failures(
            [
                f
                for f in self.failures
                if f.at >= since
                and (f.username, f.device, f.address) == (API_KEY, API_KEY, address)
            ]
        )

    def record_api_failure(self, address: str, at: datetime, prune_before: datetime) -> None:
        self.failures = [
            f
            for f in self.failures
            if f.at >= prune_before or (f.username, f.device) != (API_KEY, API_KEY)
        ]
        self.failures.append(Failure(API_KEY, address, API_KEY, at))

    def credentials(self, username: str, password: str) -> tuple[int, int] | None:
        for user in self.users.items.values():
            known = user.username == username and user.active
            if known and self.users.passwords.get(user.id) == password:
                return user.id, self.versions.get(user.id, 1)
        return None

    def password_matches(self, user_id: int, password: str) -> bool:
        return self.users.passwords.get(user_id) == password

    def session_version(self, user_id: int) -> int | None:
        user = self.users.items.get(user_id)
        return self.versions.get(user_id, 1) if user is not None and user.active else None

    def end_sessions(self, user_id: int) -> int:
        self.versions[user_id] = self.versions.get(user_id, 1) + 1
        return self.versions[user_id]
