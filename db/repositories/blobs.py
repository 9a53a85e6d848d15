"""The content-addressed store of uploaded scans, ``<root>/<sha[:2]>/<sha[2:4]>/<sha256>``: the
``workflow.uploads.BlobStore`` the upload use case puts accepted bytes in.

The bytes sit behind the one file store of the instance (``db.files``; docs/tasks.md). A blob's
key comes from its SHA-256 only, never from a name a user gave. Writing goes to a
temporary file in the blob's folder, flushed to disk, then renamed into place, so that a reader
never sees half a file; the same bytes stored twice are kept once.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from db.files import LocalFiles
from workflow.ports.files import Files

_SHA256 = re.compile(r"[0-9a-f]{64}")
#: Where uploads live among the instance's files.
PREFIX = "files"


class FileStore:
    """Blobs by SHA-256 in a file store (``workflow.ports.files.Files``): a ``BlobStore``. Given
    a folder, the store is that folder (``db.files.LocalFiles``)."""

    def __init__(self, root: Path | Files, prefix: str = ""):
        self.files: Files = LocalFiles(root) if isinstance(root, Path) else root
        self.prefix = prefix

    @property
    def root(self) -> Path:
        """The folder of a local store's blobs."""
        assert isinstance(self.files, LocalFiles), "a folder only for a local store"
        return self.files.root / self.prefix if self.prefix else self.files.root

    @classmethod
    def in_instance(cls, folder: Path | None = None) -> FileStore:
        """The store of the instance's files (``files/`` under `folder`, else under
        ``db.files.files_root()``)."""
        return cls(LocalFiles.default(folder), PREFIX)

    def key(self, sha256: str) -> str:
        """The file key of the blob of `sha256`."""
        if not _SHA256.fullmatch(sha256):
            raise ValueError(f"not a SHA-256 in hex: {sha256!r}")
        name = f"{sha256[:2]}/{sha256[2:4]}/{sha256}"
        return f"{self.prefix}/{name}" if self.prefix else name

    def path(self, sha256: str) -> Path:
        """Where the blob of `sha256` lives in a local store (whether or not it exists)."""
        assert isinstance(self.files, LocalFiles), "a path only in a local store"
        return self.files.path(self.key(sha256))

    def exists(self, sha256: str) -> bool:
        """Whether the blob of `sha256` is stored."""
        return self.files.exists(self.key(sha256))

    def put(self, sha256: str, content: bytes) -> None:
        """Store `content` under `sha256` (which must be its hash), unless it is there already."""
        if hashlib.sha256(content).hexdigest() != sha256:
            raise ValueError("the content does not match its SHA-256")
        if not self.exists(sha256):  # a concurrent twin writes the same bytes
            self.files.put(self.key(sha256), content)

    def read(self, sha256: str) -> bytes:
        """The bytes of the blob of `sha256` (``OSError`` if it is not stored)."""
        content = self.files.get(self.key(sha256))
        if content is None:
            raise FileNotFoundError(f"no blob {sha256}")
        return content
