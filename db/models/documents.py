"""Uploaded scans (kept as content-addressed blobs) and the documents hoso generates."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base
from db.models.cases import DocumentRecord


class StoredFile(Base):
    """A blob of the file store (``db.repositories.blobs``): its bytes live outside the database,
    under their SHA-256. The same bytes uploaded again are the same row; the uploader is the
    first."""

    __tablename__ = "stored_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    #: The type found in the content (``workflow.uploads``), never the one declared.
    media_type: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))


class DocumentScan(Base):
    """The signed scan that put a form on file: which blob, under which name it was sent."""

    __tablename__ = "document_scans"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), unique=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_files.id"), index=True)
    #: The name the uploader's computer gave it, sanitised: display text only, never a path.
    name: Mapped[str] = mapped_column(String(200))

    document: Mapped[DocumentRecord] = relationship()
    file: Mapped[StoredFile] = relationship(lazy="joined")


class GeneratedDocument(Base):
    """A form hoso made: its register number, the exact data the PDF is rendered from (canonical
    JSON) and that data's SHA-256, and the code that ``/verify/<code>`` checks.

    ``number`` is ``<seq>/<year>/<code>`` (``12/2026/9-KNĐ``): ``seq`` counts from 1 for each form
    code and calendar year of issue. It is hoso's register number of the document, not the number
    of a decision (which the committee gives, and the form prints).
    """

    __tablename__ = "generated_documents"
    __table_args__ = (UniqueConstraint("code", "year", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    year: Mapped[int]
    seq: Mapped[int]
    number: Mapped[str] = mapped_column(String(50), unique=True)
    issued_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    data: Mapped[str] = mapped_column(Text)
    data_hash: Mapped[str] = mapped_column(String(64))
    verify_code: Mapped[str] = mapped_column(String(16), unique=True)
