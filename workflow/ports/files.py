"""One storage for files: uploaded scans, the packet cache and other generated PDFs.

A key is a relative path of lower-case letters, digits, ``.``, ``_``, ``-`` and ``/`` (for
example ``files/ab/cd/<sha256>`` or ``cache/packets/<key>.pdf``); it never comes from a name a
user typed. ``db.files.LocalFiles`` keeps them in a folder (the instance folder by default),
which several hosts can share (an NFS mount: docs/tasks.md).
"""

from __future__ import annotations

from typing import Protocol


class Files(Protocol):
    """Bytes by key: put whole or not at all, read, delete, list."""

    def put(self, key: str, content: bytes) -> None:
        """Store `content` under `key`, replacing what was there (a reader sees old or new)."""
        ...

    def get(self, key: str) -> bytes | None:
        """The bytes under `key`, or ``None`` when there are none (or they cannot be read)."""
        ...

    def exists(self, key: str) -> bool:
        """Whether something is stored under `key`."""
        ...

    def delete(self, key: str) -> None:
        """Remove `key` (nothing happens when it is absent)."""
        ...

    def keys(self, prefix: str) -> list[str]:
        """The keys under the folder `prefix`, least recently used first."""
        ...
