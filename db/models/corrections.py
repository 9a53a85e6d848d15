"""Corrections of a person's data: proposed with a reason and evidence, approved or refused; the
generated documents an approval re-issued, and the ones they replace."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class PersonCorrection(Base):
    """A proposed correction of a person's particulars, with what it changes (before and after).

    The person's row changes only when the committee approves; the history event of each step
    keeps the same before and after.
    """

    __tablename__ = "person_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    #: The case it was proposed on: whose cell proposes, whose scope sees it.
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)  # workflow.corrections.Status
    #: ``{"field": [before, after], ...}`` as canonical JSON (dates in ISO form).
    changes: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(500))
    #: A reference to the paper evidence (a birth certificate's number and issuer...).
    evidence_text: Mapped[str | None] = mapped_column(String(500))
    #: An uploaded scan of the evidence (through ``workflow.uploads``' checks).
    evidence_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    evidence_name: Mapped[str | None] = mapped_column(String(200))
    proposed_on: Mapped[date]
    proposed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_on: Mapped[date | None]
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The committee's reason for refusing (or a note on approving).
    answer: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[int] = mapped_column(default=1)


class DocumentSupersession(Base):
    """A generated document replaced by a newer one re-issued with corrected data: its
    verification code then answers "superseded", naming the newer document's number."""

    __tablename__ = "document_supersessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("generated_documents.id"), unique=True)
    superseded_by_id: Mapped[int] = mapped_column(ForeignKey("generated_documents.id"))
    correction_id: Mapped[int | None] = mapped_column(ForeignKey("person_corrections.id"))
    superseded_on: Mapped[date]
