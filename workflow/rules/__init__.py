"""The eligibility rules: small predicates that explain, in Vietnamese and English, why they fail.

A rule takes an :class:`Attempt` and returns ``None`` when it holds, or a :class:`Failure` whose
``rule`` is the rule's name. Rules never raise and never touch storage. Each module holds one
family; this package names them all, so that ``from workflow import rules as r`` and
``r.age_in_range`` read as before (``workflow.definition`` lists them by transition).
"""

from __future__ import annotations

from workflow.rules.attempt import Attempt, Rule, evaluate, evaluate_all
from workflow.rules.certificates import (
    certificate_fresh,
    certificate_recorded,
    certificate_valid_on_vote,
    documents_fresh,
)
from workflow.rules.dossier import (
    ceremony_recorded,
    decision_recorded,
    dossier_forms_present,
    four_eyes,
    probation_complete,
    reason_given,
    recognition_forms_present,
)
from workflow.rules.introducers import (
    introducers,
    mentor_not_candidate,
    mentor_official_member_of_cell,
)
from workflow.rules.person import (
    age_in_range,
    education_floor,
    is_youth,
    person_valid,
    single_open_case,
    source_recorded,
)
from workflow.rules.verification import verification_favourable
from workflow.rules.votes import (
    cell_vote_counts,
    cell_vote_two_thirds,
    grassroots_vote_two_thirds,
    no_fourth_recognition_vote,
    recognition_vote_two_thirds,
    vote_date_not_future,
)

__all__ = [
    "Attempt",
    "Rule",
    "age_in_range",
    "cell_vote_counts",
    "cell_vote_two_thirds",
    "ceremony_recorded",
    "certificate_fresh",
    "certificate_recorded",
    "certificate_valid_on_vote",
    "decision_recorded",
    "documents_fresh",
    "education_floor",
    "dossier_forms_present",
    "evaluate",
    "evaluate_all",
    "four_eyes",
    "grassroots_vote_two_thirds",
    "introducers",
    "is_youth",
    "mentor_not_candidate",
    "mentor_official_member_of_cell",
    "no_fourth_recognition_vote",
    "person_valid",
    "probation_complete",
    "reason_given",
    "recognition_forms_present",
    "recognition_vote_two_thirds",
    "single_open_case",
    "source_recorded",
    "verification_favourable",
    "vote_date_not_future",
]
