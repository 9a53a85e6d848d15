"""The failed logins and the users' credentials and session versions (the LoginRepository port).

The failures live in ``login_attempts`` so that every worker and host judges a client alike; a
password is compared with its stored hash here (a user who does not exist costs the same time), and
a matching password whose hash is of an older kind is hashed again (``db.passwords``).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.orm import Session

from db import passwords
from db.models import User
from db.models.security import LoginAttempt
from workflow.logins import API_KEY, Failures, Tally

#: A fixed hash to compare against when the user does not exist or has no password, so timing
#: does not tell: made the way every new hash is, it costs what a real check costs.
DUMMY_HASH = passwords.hash_password("not a password")


def _utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes: they were stored in UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


class SqlLogins:
    """The LoginRepository port on a session."""

    def __init__(self, session: Session):
        self.session = session

    def _failures(self, *where: ColumnElement[bool]) -> Failures:
        count, last = self.session.execute(
            select(func.count(LoginAttempt.id), func.max(LoginAttempt.at)).where(*where)
        ).one()
        return Failures(count, _utc(last))

    def tally(self, username: str, address: str, device: str | None, since: datetime) -> Tally:
        recent = LoginAttempt.at >= since
        # Failures made with a known device count against that device only.
        stranger = LoginAttempt.device.is_(None)
        return Tally(
            pair=self._failures(
                recent, stranger, LoginAttempt.username == username, LoginAttempt.address == address
            ),
            address=self._failures(recent, stranger, LoginAttempt.address == address),
            username=self._failures(recent, stranger, LoginAttempt.username == username),
            device=(
                self._failures(recent, LoginAttempt.device == device)
                if device is not None
                else Failures()
            ),
        )

    def record_failure(self, username: str, address: str, device: str | None, at: datetime) -> None:
        self.session.add(LoginAttempt(username=username, address=address, device=device, at=at))
        self.session.flush()

    def forget(self, username: str, address: str, device: str | None) -> None:
        if device is not None:
            self.session.execute(delete(LoginAttempt).where(LoginAttempt.device == device))
            return
        self.session.execute(
            delete(LoginAttempt).where(
                LoginAttempt.username == username,
                LoginAttempt.address == address,
                LoginAttempt.device.is_(None),
            )
        )

    def prune(self, before: datetime) -> int:
        return self.session.execute(delete(LoginAttempt).where(LoginAttempt.at < before)).rowcount

    def api_failures(self, address: str, since: datetime) -> Failures:
        return self._failures(
            LoginAttempt.at >= since,
            LoginAttempt.device == API_KEY,
            LoginAttempt.username == API_KEY,
            LoginAttempt.address == address,
        )

    def record_api_failure(self, address: str, at: datetime, prune_before: datetime) -> None:
        # Under a device that is no device: every login tally leaves these rows out.
        self.session.add(LoginAttempt(username=API_KEY, address=address, device=API_KEY, at=at))
        self.session.execute(
            delete(LoginAttempt).where(
                LoginAttempt.device == API_KEY,
                LoginAttempt.username == API_KEY,
                LoginAttempt.at < prune_before,
            )
        )
        self.session.flush()

    def credentials(self, username: str, password: str) -> tuple[int, int] | None:
        user = self.session.scalar(select(User).where(User.username == username))
        stored = user.password_hash if user is not None else ""
        # Exactly one check whatever the case: no user and no password check the dummy.
        valid = passwords.verify(stored or DUMMY_HASH, password)
        if user is None or not valid or not user.active or not stored:
            return None
        if passwords.needs_rehash(stored):
            # Upgraded in the login's own unit of work; the session version stays (no device is
            # logged out by it). Only here is the password known in clear.
            user.password_hash = passwords.hash_password(password)
            self.session.flush()
        return user.id, user.session_version

    def password_matches(self, user_id: int, password: str) -> bool:
        stored = self.session.scalar(select(User.password_hash).where(User.id == user_id))
        return passwords.verify(stored or DUMMY_HASH, password) and bool(stored)

    def session_version(self, user_id: int) -> int | None:
        return self.session.scalar(
            select(User.session_version).where(User.id == user_id, User.active)
        )

    def end_sessions(self, user_id: int) -> int:
        # One UPDATE, so that two workers ending sessions at once both move the version on.
        self.session.flush()
        return self.session.execute(
            update(User)
            .where(User.id == user_id)
            .values(session_version=User.session_version + 1)
            .returning(User.session_version)
            .execution_options(synchronize_session=False)
        ).scalar_one()
