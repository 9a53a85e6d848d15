"""How long a client waits after asking for codes that do not exist: the rule, as plain values.

The public check of a generated document (``/verify/<code>``) answers anyone. A verification
code is ten characters of a 32-letter alphabet, so guessing one is hopeless, but a scanner trying
codes by the thousand is slowed down all the same, without locking out an office whose staff
share one address and mistype a code now and then:

- each unknown (or malformed) code is a *miss*, counted per client address in the database
  (``uow.misses``), so that every worker and host judges a client alike;
- the first ``free`` misses within the window cost nothing (a generous budget); then each miss
  doubles the wait, from ``base`` seconds up to ``cap`` (``workflow.logins.Rule``, the login's
  own curve), counted from the last miss;
- a client that must wait is told how long (429 with ``Retry-After``) and no code is looked at;
  a genuine code found does not reset the count (a scanner would slip a known code in).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from workflow.errors import DomainError
from workflow.logins import Failures, Rule

#: The kind of miss the verification page counts (the table may hold others' later).
VERIFY = "verify"
#: An address as stored: IPv6 with a zone fits; anything longer is cut (it is only a key).
MAX_KEY = 64


@dataclass(frozen=True)
class MissLimit:
    """The misses a key may make for free, the growing wait after, and how long one counts."""

    rule: Rule = field(default_factory=lambda: Rule(free=30, base=2, cap=300))
    window: timedelta = timedelta(hours=1)


#: The verification page's limit: 30 unknown codes an hour per address, then 2 s, 4 s... 5 min.
VERIFY_LIMIT = MissLimit()


class Throttled(DomainError):
    """The client must wait `seconds` before asking again; nothing was looked at."""

    def __init__(self, seconds: int):
        super().__init__(f"too many unknown codes: wait {seconds} s")
        self.seconds = seconds


def wait(limit: MissLimit, failures: Failures, now: datetime) -> int:
    """The seconds still to wait after `failures` (0: none), rounded up."""
    if failures.last is None:
        return 0
    until = failures.last + timedelta(seconds=limit.rule.wait_after(failures.count))
    return max(0, math.ceil((until - now).total_seconds()))


def miss_key(address: str) -> str:
    """The key a client's misses are counted under: its address, trimmed to ``MAX_KEY``."""
    return (address.strip() or "unknown")[:MAX_KEY]
