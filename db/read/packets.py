"""What a case's dossier packet binds today: for each form that applies, in the order of the
procedure, its signed scan where one is on file, else the form printed from the case's data (a
draft before the fact that makes it final); and what the procedure needs that is missing. The
PDF itself comes from ``db.packets.packet_pdf``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from db.packets import Packet
from db.read.documents import FormRow, case_documents
from db.read.dossier import dossier_data
from documents.registry import FORMS, PACKET_ORDER, missing_data
from workflow.documents import (
    Applicability,
    FormOnCase,
    is_current,
    is_youth,
    packet_contents,
)
from workflow.settings import RuleSettings


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def applicability(dossier: dict[str, Any], settings: RuleSettings, today: date) -> Applicability:
    """The facts that decide whether the introducing organisations' forms apply (youth on the
    cell's vote, else `today`, as the case page judges)."""
    person, cell, case = dossier["person"], dossier["cell"], dossier["case"]
    on = _day(case.get("cell_vote_date")) or today
    return Applicability(
        youth=is_youth(_day(person.get("birth_date")), on, settings),
        unit_has_doan=bool(cell.get("has_doan")),
        is_doan_member=bool(person.get("is_doan_member")),
        introduced_by=frozenset(i["kind"] for i in dossier["introductions"]),
    )


def _issued(row: FormRow, dossier: dict[str, Any]):
    made = row.generated[-1] if row.generated else None
    if made is not None and is_current(made.text, made.data_hash, dossier):
        return made
    return None


def plan_packet(
    session: Session,
    case_id: int,
    settings: RuleSettings,
    today: date,
    verify_url: Callable[[str], str | None] | None = None,
) -> Packet:
    """What the case's packet binds today (``workflow.documents.packet_contents``), with the
    meta each form is bound with: a scan's hash, type and name; an issued copy's verification
    code (and `verify_url` of it); a printed form's day (`today`) and whether it is a draft;
    and, under ``"cover"``, what is missing. ``LookupError`` if there is no such case."""
    dossier = dossier_data(session, case_id, settings)
    rows = [r for r in case_documents(session, case_id, settings, today) if r.code in FORMS]
    issued = {row.code: _issued(row, dossier) for row in rows}
    forms = [
        FormOnCase(
            code=row.code,
            needed_for=row.needed_for,
            on_file=bool(row.on_file),
            has_scan=bool(row.scans),
            issued=issued[row.code] is not None,
            lacking=tuple(missing_data(row.code, dossier)),
        )
        for row in sorted(rows, key=lambda r: PACKET_ORDER.index(r.code))
    ]
    bound, lacking = packet_contents(forms, applicability(dossier, settings, today), dossier)
    by_code = {row.code: row for row in rows}
    meta: dict[str, dict[str, Any]] = {"*": {"issued_on": today}}
    for item in bound:
        row = by_code[item.code]
        if item.source == "scan":
            scan = row.scans[-1]  # the newest scan of the form stands for it
            meta[item.code] = {
                "source": "scan",
                "scan": {"sha256": scan.sha256, "media_type": scan.media_type, "name": scan.name},
            }
        elif item.source == "issued":
            made = issued[item.code]
            meta[item.code] = {
                "source": "issued",
                "issued_on": made.issued_on,
                "verify_code": made.verify_code,
                "verify_url": verify_url(made.verify_code) if verify_url else None,
            }
        else:
            meta[item.code] = {"source": item.source, "draft": item.source == "draft"}
    meta["cover"] = {
        "printed_on": today,
        "missing": [
            {"code": gap.code, "reason": gap.reason, "data": list(gap.data)} for gap in lacking
        ],
    }
    return Packet(case_id, tuple(item.code for item in bound), dossier, meta)
