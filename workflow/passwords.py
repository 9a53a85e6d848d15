"""How strong a new password must be: long enough, and not one of the passwords everybody tries.

The list is the 20,000 most common passwords (from Royce Williams's compilation of breached
passwords, as shipped by Django, BSD licence), bundled in ``workflow/data`` so that nothing is
fetched at run time. It is compared without regard to case, as an attacker's list would be tried.
"""

from __future__ import annotations

import gzip
from functools import cache
from importlib import resources

COMMON = "one of the most common passwords; choose another"
LIKE_NAME = "too close to the username or the name"


@cache
def common_passwords() -> frozenset[str]:
    """The bundled list, lower-cased (read once per process)."""
    data = resources.files("workflow").joinpath("data/common-passwords.txt.gz").read_bytes()
    return frozenset(gzip.decompress(data).decode().lower().split())


def weakness(password: str, *personal: str | None) -> str | None:
    """Why `password` is too weak (a refusal text), or ``None``; `personal`: username, name..."""
    lowered = password.strip().lower()
    if lowered in common_passwords():
        return COMMON
    for word in personal:
        word = (word or "").strip().lower()
        if len(word) >= 3 and (word in lowered or lowered in word):
            return LIKE_NAME
    return None
