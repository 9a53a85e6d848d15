"""No column is shorter than the longest text the domain lets through to it (issue 11).

PostgreSQL refuses an over-long value with an error (a 500 on the web); SQLite stores it whole.
The domain checks every length first, so each limit must fit its column: the table below pairs
every String(n) column fed by a typed field with the domain's limit for it.
"""

from __future__ import annotations

import pytest

from db import models as m
from db.models.cases import CaseException, Certificate, DocumentRecord, Introduction
from db.models.classes import AttendanceMark, AwarenessClass
from workflow import admin, corrections, enterprises, moves, proposals, text, tree, uploads
from workflow.classes import refusals as classes
from workflow.definition_fields import FIELD_LIMITS
from workflow.importing.fields import MAX_LENGTHS, SOURCE_DETAIL_MAX

PERSON = ("full_name", "birth_place", "hometown", "ethnicity", "religion", "residence")
PERSON += ("occupation", "id_number")

#: (column, the domain's limit for what is stored there, where the limit is).
PAIRS: list[tuple[object, int, str]] = [
    *((getattr(m.Person, n), FIELD_LIMITS[n], f"FIELD_LIMITS[{n}]") for n in PERSON),
    *((getattr(m.Person, n), MAX_LENGTHS[n], f"import {n}") for n in MAX_LENGTHS),
    *((getattr(m.Person, n), admin.PERSON_LIMITS[n], f"admin {n}") for n in admin.PERSON_LIMITS),
    *((getattr(m.Person, n), corrections.LIMITS[n], f"corrections {n}") for n in PERSON),
    *((getattr(m.Proposal, n), proposals.LIMITS[n], f"proposals {n}") for n in proposals.LIMITS),
    *((getattr(m.Proposal, n), FIELD_LIMITS[n], f"FIELD_LIMITS[{n}]") for n in PERSON),
    (m.Proposal.movement, FIELD_LIMITS["movement"], "FIELD_LIMITS[movement]"),
    (m.Case.source_detail, FIELD_LIMITS["source_detail"], "FIELD_LIMITS[source_detail]"),
    (m.Case.source_detail, SOURCE_DETAIL_MAX, "import SOURCE_DETAIL_MAX"),
    (m.Case.certificate_number, FIELD_LIMITS["certificate_number"], "certificate_number"),
    (m.Case.decision_number, FIELD_LIMITS["decision_number"], "decision_number"),
    (Certificate.number, FIELD_LIMITS["certificate_number"], "certificate_number"),
    (Certificate.issuer, FIELD_LIMITS["issuer"], "issuer"),
    (Introduction.name, FIELD_LIMITS["name"], "introduction name"),
    (Introduction.replacement_reason, FIELD_LIMITS["replacement_reason"], "replacement"),
    (CaseException.number, FIELD_LIMITS["number"], "exception number"),
    (CaseException.issued_by, FIELD_LIMITS["issued_by"], "issued_by"),
    (CaseException.reason, FIELD_LIMITS["reason"], "exception reason"),
    (m.Vote.resolution_number, FIELD_LIMITS["resolution_number"], "resolution_number"),
    (m.Decision.number, FIELD_LIMITS["decision_number"], "decision_number"),
    (DocumentRecord.code, FIELD_LIMITS["code"], "document code"),
    (DocumentRecord.number, FIELD_LIMITS["number"], "document number"),
    (m.VerificationRequest.addressee, FIELD_LIMITS["addressee"], "addressee"),
    (m.VerificationRequest.subject_name, FIELD_LIMITS["subject_name"], "subject_name"),
    (m.DocumentScan.name, uploads.NAME_LIMIT, "uploads.NAME_LIMIT"),
    (m.User.full_name, admin.NAME_MAX, "admin.NAME_MAX"),
    (m.User.email, admin.EMAIL_MAX, "admin.EMAIL_MAX"),
    (m.User.username, 80, "admin.USERNAME_RE"),
    (m.Organisation.name, admin.NAME_MAX, "admin.NAME_MAX"),
    (m.Organisation.name, tree.NAME_MAX, "tree.NAME_MAX"),
    (m.OrganisationVersion.name, tree.NAME_MAX, "tree.NAME_MAX"),
    (AwarenessClass.name, classes.NAME_MAX, "classes.NAME_MAX"),
    (AwarenessClass.place, classes.PLACE_MAX, "classes.PLACE_MAX"),
    (AttendanceMark.note, classes.NOTE_MAX, "classes.NOTE_MAX"),
    (m.CaseHandOver.reason, moves.REASON_LIMIT, "moves.REASON_LIMIT"),
    (m.CaseHandOver.answer, moves.REASON_LIMIT, "moves.REASON_LIMIT"),
    (m.MemberTransfer.reason, moves.REASON_LIMIT, "moves.REASON_LIMIT"),
    (m.PersonCorrection.reason, corrections.TEXT_LIMIT, "corrections.TEXT_LIMIT"),
    (m.PersonCorrection.evidence_text, corrections.TEXT_LIMIT, "corrections.TEXT_LIMIT"),
    (m.PersonCorrection.answer, corrections.TEXT_LIMIT, "corrections.TEXT_LIMIT"),
    (m.Enterprise.name, enterprises.NAME_MAX, "enterprises.NAME_MAX"),
    (m.Enterprise.address, enterprises.ADDRESS_MAX, "enterprises.ADDRESS_MAX"),
]


@pytest.mark.parametrize(("column", "limit", "where"), PAIRS, ids=[p[2] for p in PAIRS])
def test_the_domain_limit_fits_the_column(column, limit, where):
    length = column.property.columns[0].type.length
    assert length is not None, f"{column} has no length"
    assert 0 < limit <= length, f"{where} lets {limit} characters through to {column} ({length})"


def test_the_usual_limits_are_a_few_thousand_characters_at_most():
    assert text.NAME_MAX <= text.LINE_MAX < text.NOTE_MAX <= 5000
