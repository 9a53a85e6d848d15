"""Values only some forms print: the introducing mass organisation, the workplace's organisations.

4-KNĐ and 4A-KNĐ are the Đoàn's and the Công đoàn's resolutions; 5-KNĐ and 12-KNĐ list the
organisations of the workplace.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from documents.context import header as h
from documents.context.values import Context, date_values


def _mass(kind: str) -> Callable[[Context, dict[str, Any]], Context]:
    def extra(ctx: Context, dossier: dict[str, Any]) -> Context:
        intro = h.mass_introducer(ctx, dossier, kind)
        if not ctx["paper"]["date"]["iso"]:
            ctx["paper"]["date"] = ctx["header"]["date"] = intro["dated"]
            ctx["header"]["place_date"] = f"{ctx['header']['place']}, {intro['dated']['words']}"
        return {"organisation": intro}

    return extra


def _workplace(ctx: Context, dossier: dict[str, Any]) -> Context:
    names = [m["name"] for m in dossier["cell"].get("mass_organisations") or []]
    return {"workplace_organisations": names}


def _certification(ctx: Context, dossier: dict[str, Any]) -> Context:
    """2-KNĐ: the committee certifies the biography on the day it concluded its verification,
    favourably (a dossier stored before the verification was kept has no such key)."""
    concluded = dossier.get("verification") or {}
    day = concluded.get("concluded_on") if concluded.get("favourable") else None
    return {"certified": date_values(day) if day else None}


#: The builder of the values a form prints besides the common ones, by form code.
EXTRA: dict[str, Callable[[Context, dict[str, Any]], Context]] = {
    "4-KNĐ": _mass("doan"),
    "4A-KNĐ": _mass("congdoan"),
    "5-KNĐ": _workplace,
    "12-KNĐ": _workplace,
    "2-KNĐ": _certification,
}
