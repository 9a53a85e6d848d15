"""Uploaded scans judged by their bytes: which kinds are accepted, how large, which name is shown.

The type of a scan is decided by its content alone (its magic bytes). The type the browser declares
(``Content-Type``) and the extension of the file's name are ignored: browsers derive both from the
name, so they prove nothing. A PNG named ``scan.pdf`` is accepted and kept as a PNG; an HTML page
named ``scan.pdf`` is refused. The original name is kept only as display text, sanitised, and never
touches a file system: scans are stored under the SHA-256 of their bytes.

Pure: no I/O. Storing the bytes is the job of a :class:`BlobStore` that the storage layer provides.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Protocol

from workflow.errors import InvalidInput

#: The largest scan accepted, unless configured otherwise.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
#: How long a displayed name may be.
NAME_LIMIT = 120


@dataclass(frozen=True)
class Kind:
    """An accepted kind of file: its media type, its extension and the bytes it starts with."""

    media_type: str
    extension: str
    magic: bytes


KINDS = (
    Kind("application/pdf", ".pdf", b"%PDF-"),
    Kind("image/jpeg", ".jpg", b"\xff\xd8\xff"),
    Kind("image/png", ".png", b"\x89PNG\r\n\x1a\n"),
)
EXTENSIONS = {kind.media_type: kind.extension for kind in KINDS}


@dataclass(frozen=True)
class Upload:
    """What a user sent: the name their computer gave the file, its bytes, the declared type."""

    name: str | None
    content: bytes
    declared_type: str | None = None


@dataclass(frozen=True)
class Scan:
    """An accepted upload: its hash, size, type by content, and the name to show."""

    sha256: str
    size: int
    media_type: str
    name: str

    def fields(self) -> dict[str, Any]:
        """What the upload adds to the recorded document (and to its event): plain values."""
        return {
            "file_sha256": self.sha256,
            "file_size": self.size,
            "file_type": self.media_type,
            "file_name": self.name,
        }


class UploadRefused(InvalidInput):
    """An upload that is not accepted, explained in both languages (422)."""

    def __init__(self, vi: str, en: str):
        super().__init__("file", en)
        self.vi = vi
        self.en = en

    def text(self, locale: str = "vi") -> str:
        return self.en if locale == "en" else self.vi


class BlobStore(Protocol):
    """Where accepted bytes go, under their SHA-256 (storing the same bytes twice keeps one)."""

    def put(self, sha256: str, content: bytes) -> None: ...


def sniff(content: bytes) -> Kind | None:
    """The accepted kind the bytes are, by their first bytes; ``None`` for anything else."""
    return next((kind for kind in KINDS if content.startswith(kind.magic)), None)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.3g} MB"


def check_upload(upload: Upload, max_bytes: int = DEFAULT_MAX_BYTES) -> Scan:
    """The upload as a :class:`Scan`, or :class:`UploadRefused` saying what is wrong with it."""
    content = upload.content
    if not content:
        raise UploadRefused(
            "Tệp trống (0 byte): hãy chọn tệp bản quét.",
            "The file is empty (0 bytes): choose the scan's file.",
        )
    if len(content) > max_bytes:
        raise UploadRefused(
            f"Tệp quá lớn: {_megabytes(len(content))}, tối đa {_megabytes(max_bytes)}.",
            f"The file is too large: {_megabytes(len(content))}, at most {_megabytes(max_bytes)}.",
        )
    kind = sniff(content)
    if kind is None:
        raise UploadRefused(
            "Chỉ nhận bản quét PDF, JPEG hoặc PNG; nội dung tệp này không phải loại nào trong số "
            "đó (tên tệp không quyết định loại tệp).",
            "Only PDF, JPEG or PNG scans are accepted; this file's content is none of them (its "
            "name does not decide its type).",
        )
    return Scan(
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        media_type=kind.media_type,
        name=display_name(upload.name),
    )


_UNSAFE = re.compile(r"[^\w .,()+\-]")


def display_name(raw: str | None) -> str:
    """The name to show for an upload: its last path part, without control characters or
    characters that mean something to shells and headers; "scan" when nothing is left."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = _UNSAFE.sub("_", " ".join(name.split())).strip(" .")
    return name[:NAME_LIMIT].strip(" .") or "scan"


def download_name(name: str, media_type: str) -> str:
    """The name a scan is downloaded as: its displayed name with the extension of its real type."""
    stem = display_name(name)
    if "." in stem:
        stem = stem.rsplit(".", 1)[0] or "scan"
    return stem + EXTENSIONS.get(media_type, "")
