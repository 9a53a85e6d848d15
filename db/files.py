"""Files in a local folder by key: the ``workflow.ports.files.Files`` of an instance.

The folder is the instance folder by default (``HOSO_FILES_DIR`` moves it, for instance to an NFS
mount that several hosts share: docs/tasks.md). Uploaded scans live under ``files/``, the packet
cache under ``cache/packets/``, generated PDFs under ``cache/generated/`` (the same places as
before the port, so an instance keeps its files).

A write goes to a temporary file beside its target, flushed to disk, then renamed into place: a
reader, on this host or another, never sees half a file. A read notes the file's use (its time),
so that caches can drop the least recently used first.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from pathlib import Path

from db.session import instance_path

#: A key: folders and a name of safe characters, no empty part, no ``.``/``..`` part.
_KEY = re.compile(r"[a-z0-9_][a-z0-9._-]*(/[a-z0-9_][a-z0-9._-]*)*")
#: A temporary file older than this is left over from a crash (a write takes milliseconds).
STALE_PART_SECONDS = 3600
_PART_PREFIX = ".part-"


def files_root(instance: Path | None = None) -> Path:
    """``HOSO_FILES_DIR``, else the instance folder (`instance`, else ``HOSO_INSTANCE``'s)."""
    configured = os.environ.get("HOSO_FILES_DIR")
    if configured:
        return Path(configured).resolve()
    return instance if instance is not None else instance_path()


def check_key(key: str) -> str:
    """`key` if it is a valid key, else ``ValueError``."""
    if not _KEY.fullmatch(key) or ".." in key.split("/"):
        raise ValueError(f"not a file key: {key!r}")
    return key


class LocalFiles:
    """Bytes by key under `root`: a ``Files``."""

    def __init__(self, root: Path):
        self.root = Path(root)

    @classmethod
    def default(cls, instance: Path | None = None) -> LocalFiles:
        """The files of the instance (`instance` folder, else ``HOSO_INSTANCE``'s), unless
        ``HOSO_FILES_DIR`` puts them elsewhere."""
        return cls(files_root(instance))

    def path(self, key: str) -> Path:
        """Where `key` lives on this host (whether or not it exists)."""
        return self.root / check_key(key)

    def _folder(self, prefix: str) -> Path:
        return self.root / check_key(prefix) if prefix else self.root

    def put(self, key: str, content: bytes) -> None:
        """Store `content` under `key`, whole or not at all."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=_PART_PREFIX)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(content)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)  # atomic: a concurrent twin writes the same bytes
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes | None:
        """The bytes under `key` (their use noted), else ``None``."""
        path = self.path(key)
        try:
            content = path.read_bytes()
        except OSError:
            return None
        with contextlib.suppress(OSError):  # removed meanwhile, or read-only: still a hit
            os.utime(path)
        return content

    def exists(self, key: str) -> bool:
        """Whether `key` is stored."""
        return self.path(key).is_file()

    def delete(self, key: str) -> None:
        """Remove `key` if it is there."""
        self.path(key).unlink(missing_ok=True)

    def keys(self, prefix: str) -> list[str]:
        """The keys under `prefix`, least recently used first (temporary files left out)."""
        folder = self._folder(prefix)
        found = []
        for path in folder.rglob("*"):
            if path.name.startswith(_PART_PREFIX) or path.name.startswith("."):
                continue
            try:
                if path.is_file():
                    found.append((path.stat().st_mtime, path.relative_to(self.root).as_posix()))
            except OSError:
                continue
        return [key for _mtime, key in sorted(found)]

    def sweep(self, prefix: str, older_than: float = STALE_PART_SECONDS) -> int:
        """Remove temporary files under `prefix` left by a crash; returns how many went."""
        gone = 0
        now = time.time()
        for part in self._folder(prefix).rglob(f"{_PART_PREFIX}*"):
            try:
                if now - part.stat().st_mtime > older_than:
                    part.unlink(missing_ok=True)
                    gone += 1
            except OSError:
                continue
        return gone
