"""The names of the domain: states, triggers, roles, kinds of organisation."""

from enum import StrEnum


class State(StrEnum):
    """Where a candidate stands on the path to full membership."""

    identified = "identified"
    mentored = "mentored"
    trained = "trained"
    dossier_submitted = "dossier_submitted"
    returned = "returned"
    admitted = "admitted"
    official = "official"
    rejected = "rejected"
    withdrawn = "withdrawn"
    removed = "removed"

    @property
    def label_vi(self) -> str:
        return STATE_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return STATE_LABELS[self][1]


STATE_LABELS: dict[State, tuple[str, str]] = {
    State.identified: ("Cảm tình Đảng", "Identified"),
    State.mentored: ("Được phân công giúp đỡ", "Mentored"),
    State.trained: ("Đã học lớp nhận thức về Đảng", "Trained"),
    State.dossier_submitted: ("Hồ sơ đã trình", "Dossier submitted"),
    State.returned: ("Hồ sơ trả lại", "Returned"),
    State.admitted: ("Đảng viên dự bị", "Admitted (probation)"),
    State.official: ("Đảng viên chính thức", "Official member"),
    State.rejected: ("Không kết nạp", "Rejected"),
    State.withdrawn: ("Rút khỏi danh sách", "Withdrawn"),
    State.removed: ("Xóa tên", "Removed"),
}

#: The pseudo-state a case is in before `identify` creates it; never stored.
NEW = "new"

#: States from which a case will not move again (``withdrawn`` can be reinstated).
FINAL_STATES = frozenset({State.official, State.rejected, State.removed})
#: Closed: nobody works on the case (final, or withdrawn until reinstated). One person has at most
#: one case outside these states.
CLOSED_STATES = frozenset({*FINAL_STATES, State.withdrawn})
#: Open: the case waits on somebody (a mentor, the cell, the committee, the probation's end).
OPEN_STATES = frozenset(State) - CLOSED_STATES
#: The probationary member's states: admitted, not yet recognised or removed.
PROBATION_STATES = frozenset({State.admitted})


class Trigger(StrEnum):
    """The only ways a case changes state."""

    identify = "identify"
    assign_mentor = "assign_mentor"
    reassign_mentor = "reassign_mentor"
    complete_training = "complete_training"
    submit_dossier = "submit_dossier"
    return_dossier = "return_dossier"
    reject = "reject"
    admit = "admit"
    recognize = "recognize"
    remove = "remove"
    withdraw = "withdraw"
    reinstate = "reinstate"


class Role(StrEnum):
    """What a user may do, always within the scope of one organisation."""

    mentor = "mentor"
    secretary = "secretary"
    committee = "committee"
    auditor = "auditor"
    admin = "admin"
    introducer = "introducer"
    trainer = "trainer"


class OrgType(StrEnum):
    """The place of an organisation in the tree."""

    committee = "committee"  # a party committee: province, district, grassroots (đảng ủy)
    cell = "cell"  # chi bộ
    mass = "mass"  # a mass organisation: Đoàn, Công đoàn, Mặt trận, Hội...
    centre = "centre"  # the political centre that runs awareness classes


class UnitKind(StrEnum):
    """The kind of unit a party cell belongs to."""

    school = "school"
    enterprise = "enterprise"
    other = "other"


class MemberStatus(StrEnum):
    """A party member is probationary (dự bị) until recognised as official (chính thức)."""

    official = "official"
    probationary = "probationary"


class IntroducerKind(StrEnum):
    """Who introduces a candidate: a party member, or the Đoàn or Công đoàn by resolution."""

    member = "member"
    doan = "doan"
    congdoan = "congdoan"


class Source(StrEnum):
    """How a candidate came onto the cell's list."""

    cell_review = "cell_review"
    mass_organisation = "mass_organisation"
    commune_application = "commune_application"
    import_file = "import_file"


class VoteBody(StrEnum):
    """Which vote a recorded vote is."""

    cell = "cell"  # chi bộ resolution proposing admission (6-KNĐ)
    grassroots = "grassroots"  # grassroots committee resolution (8-KNĐ)
    recognition = "recognition"  # chi bộ resolution proposing recognition (13-KNĐ)
    recognition_grassroots = "recognition_grassroots"  # 15-KNĐ
