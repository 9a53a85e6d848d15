"""The worklist as the pages show it: each step's words, and the day deadlines count from.

What a case waits for, from whom, and by when is ``workflow.worklist``; here only its wording.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from workflow.clock import Clock
from workflow.states import Role

#: The words of each step code of ``workflow.worklist.STEP_CODES``, by role.
STEP_LABELS: dict[str, dict[str, object]] = {
    Role.mentor: {
        "await_assignment": _l("Awaiting the cell's assignment"),
        "record_certificate": _l("Record the awareness-class certificate"),
        "prepare_dossier": _l("Prepare the dossier: introductions and forms"),
        "correct_dossier": _l("Correct the dossier"),
        "await_decision": _l("Awaiting the committee's decision"),
        "await_ceremony": _l("Awaiting the admission ceremony"),
        "await_recognition_decision": _l("Awaiting the recognition decision"),
        "write_assessment": _l("Write your assessment for recognition (11-KNĐ)"),
        "help_probationer": _l("Help the probationary member"),
    },
    Role.secretary: {
        "assign_mentor": _l("Assign a mentor"),
        "submit_dossier": _l("Submit the dossier when ready"),
        "resubmit_dossier": _l("Correct the dossier and submit it again"),
        "hold_ceremony": _l("Hold the admission ceremony and record it"),
        "hold_recognition_vote": _l("Hold the recognition vote"),
        "await_verification": _l("Awaiting the biography verification"),
    },
    Role.committee: {
        "decide_admission": _l("Decide on admission"),
        "decide_recognition": _l("Decide on recognition"),
        "recognition_due": _l("Recognition due: awaiting the cell's vote"),
        "await_verification_answers": _l("Biography verification: chase the unanswered requests"),
        "conclude_verification": _l("Biography verification: conclude and certify 2-KNĐ"),
        "decide_referred_recognition": _l(
            "Decide on recognition: three cell votes short of 2/3 (no fourth vote)"
        ),
    },
}


def today() -> date:
    """The local date the deadlines are counted against (tests replace it)."""
    return Clock.system().today
