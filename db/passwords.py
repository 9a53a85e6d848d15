"""How a password is stored: Argon2id, checked against the stored hash, upgraded on login.

The one place that makes and checks password hashes (storage side: ``workflow/`` never sees a
hash). New hashes are Argon2id; the hashes werkzeug made before (``scrypt:``, ``pbkdf2:``) are still
checked, so no user is locked out, and ``needs_rehash`` tells the login to store the new kind.
"""

from __future__ import annotations

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import Parameters
from werkzeug.security import check_password_hash

# OWASP Password Storage Cheat Sheet: Argon2id first, at least m = 19 MiB, t = 2, p = 1. Measured
# here: about 16-20 ms per check alone, against werkzeug's scrypt (N = 32,768, r = 8) at 65 ms
# alone and 107 ms under load, which made POST /login the slowest request of the load run. The
# minimum is taken on purpose: it is the cheapest setting OWASP calls safe, and a login is the only
# page that hashes; raising a constant makes every older hash "need rehash" and upgrade on login.
TIME_COST = 2
MEMORY_COST = 19_456  # KiB: 19 MiB
PARALLELISM = 1
HASH_LEN = 32
SALT_LEN = 16

#: The prefix of every hash this module makes.
PREFIX = "$argon2id$"
#: werkzeug's hashes from before Argon2: still accepted, upgraded on the next login.
LEGACY_PREFIXES = ("scrypt:", "pbkdf2:")

_HASHER = PasswordHasher(
    time_cost=TIME_COST,
    memory_cost=MEMORY_COST,
    parallelism=PARALLELISM,
    hash_len=HASH_LEN,
    salt_len=SALT_LEN,
    type=Type.ID,
)


def parameters() -> Parameters:
    """The parameters new hashes are made with."""
    return Parameters(
        type=Type.ID,
        version=19,
        salt_len=SALT_LEN,
        hash_len=HASH_LEN,
        time_cost=TIME_COST,
        memory_cost=MEMORY_COST,
        parallelism=PARALLELISM,
    )


def hash_password(password: str) -> str:
    """The Argon2id hash of `password` (salted: two calls give two different strings)."""
    return _HASHER.hash(password)


def verify(stored: str, password: str) -> bool:
    """Whether `password` is the one `stored` was made from (an Argon2 or an older werkzeug hash);
    an empty or unknown stored value matches nothing."""
    if stored.startswith("$argon2"):
        try:
            return _HASHER.verify(stored, password)
        except (VerificationError, InvalidHashError):
            # VerifyMismatchError (a wrong password) is a VerificationError.
            return False
    if stored.startswith(LEGACY_PREFIXES):
        return check_password_hash(stored, password)
    return False


def needs_rehash(stored: str) -> bool:
    """Whether a password that matched `stored` should be hashed again: a werkzeug hash, or an
    Argon2 hash made with other parameters (or another variant) than today's."""
    if not stored.startswith("$argon2"):
        return True
    try:
        return _HASHER.check_needs_rehash(stored)
    except InvalidHashError:
        return True
