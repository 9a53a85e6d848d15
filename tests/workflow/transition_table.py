"""The use cases' table on the fakes: outcome per role × state × trigger, and valid inputs."""

from __future__ import annotations

from tests.workflow.fakes import (
    CELL_ID,
    MENTOR,
    MENTOR2,
    FakeUnitOfWork,
)
from workflow.errors import (
    InvalidTransition,
    NotAllowed,
    NotFound,
)

STATES = (
    "identified",
    "mentored",
    "trained",
    "dossier_submitted",
    "returned",
    "admitted",
    "official",
    "rejected",
    "withdrawn",
    "removed",
)
# Outcomes: ok = the state moves; NA = NotAllowed; IT = InvalidTransition; NF = NotFound.
# Columns follow STATES: identified mentored trained dossier_submitted returned admitted official
# rejected withdrawn removed.
SECRETARY = {  # of the case's cell
    "assign_mentor": "ok IT IT IT IT IT IT IT IT IT",
    "reassign_mentor": "IT ok ok IT ok IT IT IT IT IT",
    "complete_training": "IT ok IT IT IT IT IT IT IT IT",
    "submit_dossier": "IT IT ok IT ok IT IT IT IT IT",
    "return_dossier": "NA NA NA NA NA NA NA NA NA NA",
    "reject": "NA NA NA NA NA NA NA NA NA NA",
    "admit": "NA NA NA NA NA NA NA NA NA NA",
    "recognize": "NA NA NA NA NA NA NA NA NA NA",
    "remove": "NA NA NA NA NA NA NA NA NA NA",
    "withdraw": "ok ok ok IT ok IT IT IT IT IT",
    "reinstate": "IT IT IT IT IT IT IT IT ok IT",
}
MENTOR_OWN = {  # an identified case has no mentor yet, so its would-be mentor does not see it
    "assign_mentor": "NF NA NA NA NA NA NA NA NA NA",
    "reassign_mentor": "NF NA NA NA NA NA NA NA NA NA",
    "complete_training": "NF ok IT IT IT IT IT IT IT IT",
    "submit_dossier": "NF IT ok IT ok IT IT IT IT IT",
    "return_dossier": "NF NA NA NA NA NA NA NA NA NA",
    "reject": "NF NA NA NA NA NA NA NA NA NA",
    "admit": "NF NA NA NA NA NA NA NA NA NA",
    "recognize": "NF NA NA NA NA NA NA NA NA NA",
    "remove": "NF NA NA NA NA NA NA NA NA NA",
    "withdraw": "NF NA NA NA NA NA NA NA NA NA",
    "reinstate": "NF NA NA NA NA NA NA NA NA NA",
}
COMMITTEE = {  # its grant covers the deciding body
    "assign_mentor": "NA NA NA NA NA NA NA NA NA NA",
    "reassign_mentor": "NA NA NA NA NA NA NA NA NA NA",
    "complete_training": "NA NA NA NA NA NA NA NA NA NA",
    "submit_dossier": "NA NA NA NA NA NA NA NA NA NA",
    "return_dossier": "IT IT IT ok IT IT IT IT IT IT",
    "reject": "IT IT IT ok IT IT IT IT IT IT",
    "admit": "IT IT IT ok IT IT IT IT IT IT",
    "recognize": "IT IT IT IT IT ok IT IT IT IT",
    "remove": "IT IT IT IT IT ok IT IT IT IT",
    "withdraw": "NA NA NA NA NA NA NA NA NA NA",
    "reinstate": "NA NA NA NA NA NA NA NA NA NA",
}
TRAINER = {  # sees the cases waiting for the awareness class, and only records its certificate
    "assign_mentor": "NF NA NF NF NF NF NF NF NF NF",
    "reassign_mentor": "NF NA NF NF NF NF NF NF NF NF",
    "complete_training": "NF ok NF NF NF NF NF NF NF NF",
    "submit_dossier": "NF NA NF NF NF NF NF NF NF NF",
    "return_dossier": "NF NA NF NF NF NF NF NF NF NF",
    "reject": "NF NA NF NF NF NF NF NF NF NF",
    "admit": "NF NA NF NF NF NF NF NF NF NF",
    "recognize": "NF NA NF NF NF NF NF NF NF NF",
    "remove": "NF NA NF NF NF NF NF NF NF NF",
    "withdraw": "NF NA NF NF NF NF NF NF NF NF",
    "reinstate": "NF NA NF NF NF NF NF NF NF NF",
}
EVERYWHERE_NA = {trigger: " ".join(["NA"] * len(STATES)) for trigger in SECRETARY}
EVERYWHERE_NF = {trigger: " ".join(["NF"] * len(STATES)) for trigger in SECRETARY}
EXPECTED = {
    "sec": SECRETARY,
    "sec_other": EVERYWHERE_NF,  # another cell's secretary
    "mentor": MENTOR_OWN,
    "mentor2": EVERYWHERE_NF,  # a mentor of the same cell, but not of this case
    "com": COMMITTEE,
    "com_grassroots": EVERYWHERE_NA,  # sees the case, is not the deciding body
    "aud": EVERYWHERE_NA,
    # An admin manages users and organisations and fires nothing: refused before the case is
    # looked up (issue 11), so NotAllowed whatever the case.
    "adm": EVERYWHERE_NA,
    "trainer": TRAINER,
    "intro": EVERYWHERE_NF,  # introducers see their proposals, not cases
}
ERRORS = {"NA": NotAllowed, "IT": InvalidTransition, "NF": NotFound}

# Inputs under which every rule holds for the ready case of fakes.py (today: 27/11/2026).
VALID_INPUT: dict[str, dict] = {
    "assign_mentor": {"mentor": str(MENTOR.id), "since": "2026-11-01"},
    "reassign_mentor": {"mentor": str(MENTOR2.id)},
    "complete_training": {"certificate_number": "CN-01", "certificate_date": "01/03/2026"},
    "submit_dossier": {"vote_date": "2026-10-01", "votes_for": "6", "votes_against": "0"},
    "return_dossier": {"reason": "thiếu lý lịch"},
    "reject": {"reason": "không đủ tiêu chuẩn"},
    "admit": {
        "vote_date": "2026-10-10",
        "votes_for": "10",
        "decision_number": "123-QĐ/HU",
        "decision_date": "2026-10-15",
    },
    "recognize": {
        "vote_date": "2026-11-01",
        "votes_for": "5",
        "votes_against": "1",
        "decision_number": "9-QĐ/HU",
        "decision_date": "2026-11-10",
    },
    "remove": {"reason": "vi phạm tư cách"},
    "withdraw": {"reason": "chuyển trường"},
    "reinstate": {"reason": "đã trở lại"},
}
DEST = {
    "assign_mentor": "mentored",
    "complete_training": "trained",
    "submit_dossier": "dossier_submitted",
    "return_dossier": "returned",
    "reject": "rejected",
    "admit": "admitted",
    "recognize": "official",
    "remove": "removed",
    "withdraw": "withdrawn",
    "reinstate": "identified",
}


# A person whose identification every rule accepts (the cell of fakes.py).
PERSON = {
    "full_name": "Trần Thị Bình",
    "birth_date": "12/04/2001",
    "cell": str(CELL_ID),
    "source": "mass_organisation",
    "source_detail": "Đoàn trường",
    "id_number": "068301000111",
}

GRID = [
    (username, state, trigger, row.split()[column])
    for username, table in EXPECTED.items()
    for trigger, row in table.items()
    for column, state in enumerate(STATES)
]


def assert_unchanged(uow: FakeUnitOfWork, state: str, version: int = 1) -> None:
    case = uow.cases.items[1]
    assert (case.state, case.version, case.recorded) == (state, version, [])
    assert uow.history.events == []
    assert not uow.committed
