"""How long a client waits after failed logins: the throttling rule, as plain values.

Failures slow a client down; they never lock an account. Each failure is counted under several
keys, each with its own rule (``Limits``):

- the username *and* the client's address: a few free tries, then a wait that doubles with every
  further failure, from a few seconds up to a few minutes;
- the address alone, with a much higher threshold: an office behind one address must not lock
  itself out with a few typos, but one address guessing many usernames is slowed down;
- the username alone (from every address without a known device), higher again: guessing one
  password from many addresses is slowed down too;
- a *known device* (a browser that has logged in as this user before and carries a signed cookie
  saying so; OWASP's device cookie) is judged only by the failures made with that device, so
  that nobody else's failures keep the right password out (OWASP "Slow down online guessing
  attacks with device cookies").

The wait is counted from the last failure under a key; failures older than ``Limits.window``
are forgotten (and pruned).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

#: Account actions of the history (a user acting on their own account).
ACCOUNT_ACTIONS = ("change_own_password",)
#: The history's role of a user acting on their own account (they need no grant for it).
ACCOUNT_ROLE = "self"

# The refusals' texts (the web translates them).
WRONG_PASSWORD = "not your current password"
SAME_PASSWORD = "the same as the current one"


@dataclass(frozen=True)
class Rule:
    """`free` failures cost nothing; then ``base * 2**(n - free - 1)`` seconds, at most `cap`."""

    free: int
    base: int = 2
    cap: int = 300

    def wait_after(self, failures: int) -> int:
        """The seconds to wait after `failures` failures (0: none)."""
        over = failures - self.free
        if over <= 0:
            return 0
        # 2**k grows fast: compare before it becomes a huge integer.
        if over > 32:
            return self.cap
        return min(self.cap, self.base * 2 ** (over - 1))


@dataclass(frozen=True)
class Limits:
    """The rules per key, and how long a failure is remembered."""

    pair: Rule = field(default_factory=lambda: Rule(free=3))
    address: Rule = field(default_factory=lambda: Rule(free=30))
    username: Rule = field(default_factory=lambda: Rule(free=20))
    device: Rule = field(default_factory=lambda: Rule(free=5))
    window: timedelta = timedelta(hours=1)


@dataclass(frozen=True)
class Failures:
    """How many failures (within the window) and the last one's moment, under one key."""

    count: int = 0
    last: datetime | None = None


@dataclass(frozen=True)
class Tally:
    """The failures that concern one attempt, under each key."""

    pair: Failures = Failures()
    address: Failures = Failures()
    username: Failures = Failures()
    device: Failures = Failures()


def _remaining(rule: Rule, failures: Failures, now: datetime) -> int:
    if failures.last is None:
        return 0
    until = failures.last + timedelta(seconds=rule.wait_after(failures.count))
    # Rounded up: "wait 0 seconds" would be a lie while a fraction remains.
    return max(0, math.ceil((until - now).total_seconds()))


def wait(limits: Limits, tally: Tally, now: datetime, known_device: bool) -> int:
    """The seconds this client must still wait before its password is even checked (0: none)."""
    if known_device:
        judged: Iterable[tuple[Rule, Failures]] = [(limits.device, tally.device)]
    else:
        judged = [
            (limits.pair, tally.pair),
            (limits.address, tally.address),
            (limits.username, tally.username),
        ]
    return max((_remaining(rule, failures, now) for rule, failures in judged), default=0)


#: The key the API's failed token checks are kept under in the store of failed logins (as their
#: username and their device): no login counts them, since a login's tallies read only failures
#: without a device or with its own random device id, and they count no login's failures.
API_KEY = "api-token"


@dataclass(frozen=True)
class ApiLimit:
    """At most `failures` failed token checks from one address within `window`; then 429 until
    the oldest of them is older than the window (nothing is counted while refused)."""

    failures: int = 30
    window: timedelta = timedelta(minutes=5)

    def refused(self, recent: Failures) -> bool:
        """Whether an address with these failures (within the window) is refused for now."""
        return recent.count >= self.failures


def normal_username(username: str) -> str:
    """The username as the throttle counts it: trimmed, lower-case, at most 80 characters."""
    return username.strip().lower()[:80]
