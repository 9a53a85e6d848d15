"""My work (``/``): what waits on the logged-in user, most urgent first."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from db.read.worklist import organisation_names, work_rows
from web.context import actor, db_session, runtime
from web.labels import role_label
from web.work import steps
from workflow.states import Role
from workflow.worklist import WorkItem, work_items

bp = Blueprint("work", __name__)

#: Rows a list shows, the most urgent first: a committee's list holds thousands of dossiers, and
#: rendering every one cost seconds of CPU under load (docs/performance.md, "load").
SHOWN = 100

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
    #: How many cases wait on the role in all (``items`` holds the SHOWN most urgent).
    total: int

    def step_label(self, item: WorkItem) -> object:
        """The words of the item's step."""
        return steps.STEP_LABELS[self.role][item.step.code]


#: Each role that acts on cases from this page, in the order their sections appear: its title
#: and introduction, and whether its rows show the cell and the mentor.
SECTIONS = (
    (Role.mentor, _l("My candidates"),
     _l("The candidates you mentor and the next step of each."), False, False),
    (Role.secretary, _l("My cell's work"), _l("Cases that wait for the cell to act."), None, True),
    (Role.committee, _l("Decisions due"),
     _l("Dossiers to decide, and probationary members whose recognition is due."), True, False),
)  # fmt: skip


@bp.get("/")
@login_required
def index():
    """What waits on the logged-in user: one list per role that acts on cases."""
    who = actor()
    rules = runtime().settings.rules
    on = steps.today()
    session = db_session()
    roles = who.roles()
    sections = []
    for role, title, intro, show_cell, show_mentor in SECTIONS:
        if role not in roles:
            continue
        items = work_items(work_rows(session, who, role, on, rules), role, rules, on)
        if show_cell is None:
            # The cell is worth a column only for a secretary of several.
            show_cell = len({i.case.cell for i in items}) > 1
        sections.append(
            Section(role, title, intro, items[:SHOWN], show_cell, show_mentor, len(items))
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
