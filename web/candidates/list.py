"""The case list (``/candidates``): search by name, filters, sorting and pages."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from db.read.search import (
    DEFAULT_SORT,
    SORTS,
    CaseFilters,
    cells_in_scope,
    opening_years,
    search_cases,
)
from web.candidates import bp
from web.context import actor, db_session
from web.labels import state_choices
from workflow import policy
from workflow.errors import NotAllowed
from workflow.states import State, UnitKind

#: The query-string keys of the list; links to other pages keep them (and only them).
FILTER_KEYS = ("q", "state", "cell", "kind", "year", "sort")
_MAX_QUERY = 100


def _int(value: str | None) -> int | None:
    """A small non-negative integer, else ``None`` ("²".isdigit() holds, hence isascii)."""
    ok = value and value.isascii() and value.isdigit() and len(value) < 10
    return int(value) if ok else None


def filters_from(args: Mapping[str, str]) -> CaseFilters:
    """The filters in a query string; a value that is not one of the choices is ignored."""
    state = args.get("state", "")
    kind = args.get("kind", "")
    year = _int(args.get("year"))
    sort = args.get("sort", "")
    return CaseFilters(
        q=args.get("q", "").strip()[:_MAX_QUERY],
        state=state if state in State.__members__ else None,
        cell_id=_int(args.get("cell")),
        unit_kind=kind if kind in UnitKind.__members__ else None,
        year=year if year is not None and 1900 <= year <= 9999 else None,
        sort=sort if sort in SORTS else DEFAULT_SORT,
    )


def kept_args(args: Mapping[str, str], **changes: object) -> dict[str, object]:
    """The list's non-empty query-string values, with `changes` applied (for links)."""
    kept: dict[str, object] = {k: args[k] for k in FILTER_KEYS if args.get(k)}
    kept.update(changes)
    return {k: v for k, v in kept.items() if v not in (None, "")}


def kind_labels() -> dict[str, str]:
    return {
        UnitKind.school: _("School"),
        UnitKind.enterprise: _("Enterprise"),
        UnitKind.other: _("Other"),
    }


@bp.get("", strict_slashes=False)
@login_required
def index():
    """The cases the user may see, filtered, one page at a time (403 without a case list)."""
    if not policy.has_case_list(actor()):
        raise NotAllowed("no role with a case list")
    filters = filters_from(request.args)
    session = db_session()
    page = search_cases(
        session,
        actor(),
        filters,
        page=_int(request.args.get("page")) or 1,
        page_size=current_app.config["PAGE_SIZE"],
    )
    states = state_choices()
    return render_template(
        "candidates/index.html",
        filters=filters,
        page=page,
        states=states,
        state_labels=dict(states),
        cells=cells_in_scope(session, actor()),
        kinds=kind_labels(),
        years=opening_years(session, date.today()),
        filtered=any(request.args.get(k) for k in FILTER_KEYS if k != "sort"),
        # The case page's URL without its id: one url_for per page, not one per row (~6 µs each).
        case_url=url_for("candidates.case", case_id=0).removesuffix("0"),
        link=lambda **changes: kept_args(request.args, **changes),
    )
