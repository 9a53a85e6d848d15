"""The total of a cell's vote, shown with the vote form before anyone submits it.

The denominator is the official members on the vote date less those exempted from activity (miễn
sinh hoạt) who did not attend; the votes needed are 2/3 of it, rounded up. The page computes it
for the register's count of today (``db.read.votes``), and ``static/vote-total.js`` recomputes it
as the numbers are typed; the rules judge the numbers on submission all the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from db.read.votes import cell_roll_on
from web.candidates.forms import ActionForm
from web.context import db_session, runtime
from workflow.clock import Clock

#: The fields of a cell's vote record (``workflow.definition.CELL_VOTE``).
ROLL_FIELDS = ("official_members", "excused_absent")


@dataclass(frozen=True)
class VoteTotal:
    """What the page shows beside a cell's vote form."""

    official: int
    excused: int
    denominator: int
    needed: int
    threshold: Fraction


def needed_votes(denominator: int, threshold: Fraction) -> int:
    """The fewest votes for that reach `threshold` of `denominator` (rounded up)."""
    return -(-denominator * threshold.numerator // threshold.denominator)


def _number(form: ActionForm, name: str, default: int) -> int:
    try:
        return max(int(str(form[name].data or "").strip()), 0)
    except ValueError:
        return default


def vote_total(cell_id: int, form: ActionForm, refill: bool) -> VoteTotal:
    """The total for the form: the register's count of today, typed over by the user's numbers
    when the form is re-shown (`refill`), else put in the form as its starting value."""
    roll = cell_roll_on(db_session(), cell_id, Clock.system().today)
    threshold = runtime().settings.rules.vote_threshold
    if not refill:
        form["official_members"].data = str(roll.official)
    official = _number(form, "official_members", roll.official)
    excused = _number(form, "excused_absent", 0)
    denominator = max(official - excused, 0)
    return VoteTotal(
        roll.official, roll.excused, denominator, needed_votes(denominator, threshold), threshold
    )
