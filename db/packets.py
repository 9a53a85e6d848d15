"""The dossier packet: what it binds (the case's forms, in order, with their meta), and a cache of
its PDFs keyed by the hash of everything the rendering depends on. What a case's packet binds
today is read by ``db.read.packets.plan_packet``.

A packet is made in one WeasyPrint pass with its scans bound in (``documents.render.render_packet``,
``documents.packet``), which takes seconds for a full dossier; it is made again only when its
inputs change. The key is the SHA-256 of the canonical JSON of the codes in order, the dossier's
data, each form's meta (date of printing, verification code and URL, draft or not, the SHA-256 of
the scan bound in its place, and the cover's list of what is missing) and the version of the
renderer (``renderer_version``: the templates, stylesheet, fonts and Python sources of
``documents/``, and WeasyPrint's version). A recorded note changes none of these and is served
from the cache; a vote, a document on file, a decision or a corrected name does, and so does a
new scan (its SHA-256) and a new day for the forms printed from the data (their ``issued_on``).

The files live in the instance's file store (``workflow.ports.files``, ``db.files.LocalFiles``:
``<instance>/cache/packets/<key>.pdf`` by default), written whole (a temporary file, then a
rename); the newest ``PacketCache.limit`` are kept (a hit refreshes a file's time: least recently
used go first). The cache is an optimisation only: a file that cannot be read or written is
rendered again, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import documents
from db.files import LocalFiles
from db.repositories.blobs import PREFIX as BLOB_PREFIX
from db.repositories.blobs import FileStore
from documents.errors import RenderError
from workflow.ports.files import Files

log = logging.getLogger(__name__)

#: Bump when the key's recipe changes (old files then simply stop being hits).
KEY_VERSION = 2  # 2: scans, drafts and the cover
#: The folders and files of ``documents/`` whose content the PDF depends on.
_RENDERER = Path(documents.__file__).resolve().parent
_RENDERER_PARTS = ("templates", "static", "fonts")
#: Where the packets live among the instance's files.
PREFIX = "cache/packets"
#: A temporary file older than this is left over from a crash (a write takes milliseconds).
_STALE_PART_SECONDS = 3600


# --- what a packet binds --------------------------------------------------------------------


@dataclass(frozen=True)
class Packet:
    """The inputs of one case's packet: its forms in order, its data and each form's meta."""

    case_id: int
    codes: tuple[str, ...]
    dossier: dict[str, Any]
    #: By form code, and ``"*"`` for all: ``issued_on``, optional ``verify_code``/``verify_url``,
    #: ``source``, ``draft``, ``scan`` (sha256, media_type, name); ``"cover"``: what is missing.
    meta: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The SHA-256 (hex) of everything the PDF is made from."""
        return packet_key(self.codes, self.dossier, self.meta)


# --- the key --------------------------------------------------------------------------------


def _hash_files(digest: Any, folder: Path) -> None:
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(_RENDERER).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())


@cache
def renderer_version() -> str:
    """The hash of what draws a packet besides its data, computed once per process: the files
    under ``documents/templates``, ``documents/static`` and ``documents/fonts``, the Python
    sources of ``documents/`` (dates, wording, headers) and WeasyPrint's version."""
    digest = hashlib.sha256()
    for part in _RENDERER_PARTS:
        _hash_files(digest, _RENDERER / part)
    for source in sorted(_RENDERER.glob("*.py")):
        digest.update(source.name.encode() + b"\0")
        digest.update(hashlib.sha256(source.read_bytes()).digest())
    digest.update(f"weasyprint {metadata.version('weasyprint')}".encode())
    return digest.hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not a plain value of a packet: {type(value).__name__}")


def packet_key(
    codes: tuple[str, ...] | list[str],
    dossier: Mapping[str, Any],
    meta: Mapping[str, Mapping[str, Any]],
) -> str:
    """SHA-256 over the canonical JSON of (codes in order, dossier, meta, renderer version)."""
    text = json.dumps(
        {
            "key": KEY_VERSION,
            "codes": list(codes),
            "dossier": dossier,
            "meta": meta,
            "renderer": renderer_version(),
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=_plain,
    )
    return hashlib.sha256(text.encode()).hexdigest()


# --- the cache ------------------------------------------------------------------------------


class PacketCache:
    """Packets' PDFs by key in a file store (``workflow.ports.files.Files``), the newest `limit`
    kept. Given a folder, the store is that folder (``db.files.LocalFiles``)."""

    def __init__(self, store: Path | Files, limit: int = 200, prefix: str = ""):
        self.store: Files = LocalFiles(store) if isinstance(store, Path) else store
        self.limit = limit
        self.prefix = prefix

    @classmethod
    def in_instance(cls, folder: Path | None = None, limit: int = 200) -> PacketCache:
        """The cache of the instance's files: ``cache/packets`` under `folder` (else the
        instance's file folder, ``db.files.files_root``)."""
        return cls(LocalFiles.default(folder), limit, PREFIX)

    def key_of(self, key: str) -> str:
        """The file key of packet `key`."""
        if len(key) != 64 or any(c not in "0123456789abcdef" for c in key):
            raise ValueError(f"not a packet key: {key!r}")
        return f"{self.prefix}/{key}.pdf" if self.prefix else f"{key}.pdf"

    def path(self, key: str) -> Path:
        """Where the PDF of `key` lives, for a cache in a local folder."""
        assert isinstance(self.store, LocalFiles), "a path only in a local folder"
        return self.store.path(self.key_of(key))

    def get(self, key: str) -> bytes | None:
        """The cached PDF of `key` (its use noted, for the pruning), else ``None``."""
        content = self.store.get(self.key_of(key))
        if content is None or not content.startswith(b"%PDF-"):
            return None
        return content

    def has(self, key: str) -> bool:
        """Whether the PDF of `key` is cached (its use not noted)."""
        return self.store.exists(self.key_of(key))

    def put(self, key: str, content: bytes) -> bool:
        """Keep `content` as the PDF of `key` (whole or not at all), then prune; ``False`` when
        it cannot be written (logged: the cache only saves time)."""
        try:
            self.store.put(self.key_of(key), content)
        except OSError as err:
            log.warning("packet cache: cannot write %s: %s", self.key_of(key), err)
            return False
        self.prune()
        return True

    def files(self) -> list[Path]:
        """The cached PDFs of a local cache, oldest use first."""
        assert isinstance(self.store, LocalFiles), "paths only in a local folder"
        return [self.store.path(key) for key in self._keys()]

    def _keys(self) -> list[str]:
        try:
            return [k for k in self.store.keys(self.prefix) if k.endswith(".pdf")]
        except OSError:
            return []

    def prune(self) -> int:
        """Remove the least recently used PDFs beyond `limit` (and, in a local folder, stale
        temporary files); returns how many PDFs went."""
        keys = self._keys()
        extra = keys[: max(0, len(keys) - self.limit)]
        for key in extra:
            self.store.delete(key)
        if isinstance(self.store, LocalFiles):
            with contextlib.suppress(OSError):
                self.store.sweep(self.prefix, _STALE_PART_SECONDS)
        return len(extra)


def _with_scans(meta: dict[str, dict[str, Any]], blobs: FileStore) -> dict[str, dict[str, Any]]:
    """`meta` with each bound scan's bytes (``scan["content"]``), read from the blob store."""
    out = {}
    for code, values in meta.items():
        scan = values.get("scan")
        if scan is not None:
            try:
                content = blobs.read(scan["sha256"])
            except (OSError, ValueError) as err:  # the packet cannot be whole: no silent gap
                raise RenderError(
                    [code], f"the scan {scan['sha256']} cannot be read: {err}"
                ) from err
            values = {**values, "scan": {**scan, "content": content}}
        out[code] = values
    return out


def packet_pdf(
    packet: Packet, store: PacketCache, blobs: FileStore | None = None
) -> tuple[bytes, bool]:
    """The packet's PDF and whether it came from the cache; rendered (in one pass, the scans
    bound in: read from `blobs`, else from the files the cache lives in) and kept when it is
    not there. Raises what ``render_packet`` raises (``MissingData``, ``RenderError``)."""
    key = packet.key
    cached = store.get(key)
    if cached is not None:
        return cached, True
    from documents import render  # WeasyPrint is slow to load: only when a packet is drawn

    blobs = blobs if blobs is not None else FileStore(store.store, BLOB_PREFIX)
    meta = _with_scans(packet.meta, blobs)
    content = render.render_packet(list(packet.codes), packet.dossier, meta)
    store.put(key, content)
    return content, False
