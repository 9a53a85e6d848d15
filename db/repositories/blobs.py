"""The content-addressed store of uploaded scans, ``<root>/<sha[:2]>/<sha[2:4]>/<sha256>``: the
``workflow.uploads.BlobStore`` the upload use case puts accepted bytes in.

A blob's path comes from its SHA-256 only, never from a name a user gave. Writing goes to a
temporary file in the blob's folder, flushed to disk, then renamed into place, so that a reader
never sees half a file; the same bytes stored twice are kept once.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from db.session import instance_path

_SHA256 = re.compile(r"[0-9a-f]{64}")


class FileStore:
    """Blobs under `root` (by default ``instance_path()/files``): a ``BlobStore``."""

    def __init__(self, root: Path):
        self.root = Path(root)

    @classmethod
    def in_instance(cls, folder: Path | None = None) -> FileStore:
        """The store of the instance folder."""
        return cls((folder or instance_path()) / "files")

    def path(self, sha256: str) -> Path:
        """Where the blob of `sha256` lives (whether or not it exists)."""
        if not _SHA256.fullmatch(sha256):
            raise ValueError(f"not a SHA-256 in hex: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        """Whether the blob of `sha256` is stored."""
        return self.path(sha256).is_file()

    def put(self, sha256: str, content: bytes) -> None:
        """Store `content` under `sha256` (which must be its hash), unless it is there already."""
        if hashlib.sha256(content).hexdigest() != sha256:
            raise ValueError("the content does not match its SHA-256")
        target = self.path(sha256)
        if target.is_file():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(content)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)  # atomic; a concurrent twin writes the same bytes
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def read(self, sha256: str) -> bytes:
        """The bytes of the blob of `sha256` (``OSError`` if it is not stored)."""
        return self.path(sha256).read_bytes()
