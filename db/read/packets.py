"""What a case's dossier packet binds today: the forms its data can fill, in the dossier's order,
with the meta each is printed with. The PDF itself comes from ``db.packets.packet_pdf``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from db.packets import Packet
from db.read.documents import case_documents
from db.read.dossier import dossier_data
from documents.registry import FORMS, PACKET_ORDER, missing_data
from workflow.documents import is_current
from workflow.settings import RuleSettings


def plan_packet(
    session: Session,
    case_id: int,
    settings: RuleSettings,
    today: date,
    verify_url: Callable[[str], str | None] | None = None,
) -> Packet:
    """What the case's packet binds today: the forms that belong to the case or are on file and
    that its data can fill, in the dossier's order; a generated one with its verification code
    (and `verify_url` of it) while what it says is still true of the case, the others as drafts
    printed `today`. ``LookupError`` if there is no such case."""
    dossier = dossier_data(session, case_id, settings)
    rows = case_documents(session, case_id, settings, today)
    codes = [r.code for r in rows if r.code in FORMS and not missing_data(r.code, dossier)]
    meta: dict[str, dict[str, Any]] = {"*": {"issued_on": today}}
    for row in rows:
        made = row.generated[-1] if row.generated else None
        if made is not None and is_current(made.text, made.data_hash, dossier):
            meta[made.code] = {
                "issued_on": made.issued_on,
                "verify_code": made.verify_code,
                "verify_url": verify_url(made.verify_code) if verify_url else None,
            }
    ordered = tuple(sorted(codes, key=PACKET_ORDER.index))
    return Packet(case_id, ordered, dossier, meta)
