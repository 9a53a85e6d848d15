"""My work (``/``): what waits on the logged-in user, most urgent first."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from db.worklist import cell_cases, decisions_due, mentee_cases, organisation_names
from web.context import actor, db_session, runtime
from web.labels import role_label
from web.work import items
from web.work.items import WorkItem
from workflow.states import Role

bp = Blueprint("work", __name__)

#: Roles that act on cases from this page, in the order their sections appear.
CASE_ROLES = (Role.mentor, Role.secretary, Role.committee)
#: Roles without a work list: the page says what they can do, with links.
OTHER_ROLES = (Role.auditor, Role.admin, Role.trainer, Role.introducer)


@dataclass(frozen=True)
class Section:
    """One work list of the page."""

    role: str
    title: object
    intro: object
    items: list[WorkItem]
    show_cell: bool
    show_mentor: bool


@bp.get("/")
@login_required
def index():
    """What waits on the logged-in user: one list per role that acts on cases."""
    who = actor()
    settings = runtime().settings
    on = items.today()
    session = db_session()
    roles = who.roles()
    sections = []
    if Role.mentor in roles:
        rows = mentee_cases(session, who)
        sections.append(
            Section(
                Role.mentor,
                _l("My candidates"),
                _l("The candidates you mentor and the next step of each."),
                items.work_items(rows, items.mentor_step, settings, on),
                show_cell=False,
                show_mentor=False,
            )
        )
    if Role.secretary in roles:
        cutoff = items.ceremony_cutoff(on + items.RECOGNITION_NOTICE, settings)
        cell_items = items.work_items(
            cell_cases(session, who, cutoff), items.secretary_step, settings, on
        )
        sections.append(
            Section(
                Role.secretary,
                _l("My cell's work"),
                _l("Cases that wait for the cell to act."),
                cell_items,
                # The cell is worth a column only for a secretary of several.
                show_cell=len({i.case.cell for i in cell_items}) > 1,
                show_mentor=True,
            )
        )
    if Role.committee in roles:
        rows = decisions_due(session, who, items.ceremony_cutoff(on, settings))
        sections.append(
            Section(
                Role.committee,
                _l("Decisions due"),
                _l("Dossiers to decide, and probationary members whose recognition is due."),
                items.work_items(rows, items.committee_step, settings, on),
                show_cell=True,
                show_mentor=False,
            )
        )
    names = organisation_names(session, (g.organisation_id for g in who.grants))
    grants = sorted({(role_label(g.role), names.get(g.organisation_id, "")) for g in who.grants})
    return render_template(
        "work/index.html",
        sections=sections,
        other_roles=[r for r in OTHER_ROLES if r in roles],
        grants=grants,
        today=on,
    )
