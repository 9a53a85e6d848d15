"""The transitions of product.md as data: who fires what, from where, under which rules."""

from __future__ import annotations

from dataclasses import dataclass

from workflow import rules as r
from workflow.definition_fields import (
    CATEGORY,
    CELL_VOTE,
    DECISION,
    MENTOR,
    PERSON,
    REASON,
    VOTE,
    FieldSpec,
)
from workflow.education import HARDSHIP_AREAS
from workflow.states import NEW, Role, State, Trigger

S = State

# The field specs live in workflow.definition_fields; named here too, where callers look for them.
__all__ = [
    "CATEGORY",
    "CELL_VOTE",
    "DECISION",
    "FACTS",
    "MENTOR",
    "NOT_FINAL",
    "OPEN_BEFORE_SUBMIT",
    "PERSON",
    "REASON",
    "SPECS",
    "TRANSITIONS",
    "VOTE",
    "FactSpec",
    "FieldSpec",
    "TransitionSpec",
]


@dataclass(frozen=True)
class TransitionSpec:
    """One trigger: its sources, destination (``None`` stays in place), roles, rules, fields."""

    trigger: Trigger
    sources: tuple[str, ...]
    dest: State | None
    roles: tuple[Role, ...]
    rules: tuple[r.Rule, ...]
    fields: tuple[FieldSpec, ...] = ()
    vi: str = ""
    en: str = ""
    #: Fired by the deciding body: the committee's grant must cover the deciding organisation.
    decision: bool = False
    #: The mentor role may fire it only on their own candidates.
    mentor_own: bool = True


OPEN_BEFORE_SUBMIT = (S.identified, S.mentored, S.trained, S.returned)

TRANSITIONS: tuple[TransitionSpec, ...] = (
    TransitionSpec(
        Trigger.identify,
        (NEW,),
        S.identified,
        (Role.secretary,),
        (r.person_valid, r.single_open_case, r.source_recorded),
        (
            *PERSON,
            CATEGORY,
            FieldSpec("cell", "organisation", "Chi bộ", "Party cell", required=True),
            FieldSpec(
                "source",
                "choice",
                "Nguồn giới thiệu",
                "Source",
                choices=("cell_review", "mass_organisation", "commune_application", "import_file"),
            ),
            FieldSpec("source_detail", "str", "Chi tiết nguồn", "Source detail"),
        ),
        "Đưa vào danh sách cảm tình Đảng",
        "Identify a candidate",
    ),
    TransitionSpec(
        Trigger.assign_mentor,
        (S.identified,),
        S.mentored,
        (Role.secretary,),
        (r.mentor_official_member_of_cell, r.mentor_not_candidate),
        MENTOR,
        "Phân công đảng viên giúp đỡ",
        "Assign a mentor",
    ),
    TransitionSpec(
        Trigger.reassign_mentor,
        (S.mentored, S.trained, S.returned),
        None,
        (Role.secretary,),
        (r.mentor_official_member_of_cell, r.mentor_not_candidate),
        MENTOR,
        "Phân công lại đảng viên giúp đỡ",
        "Reassign the mentor",
    ),
    TransitionSpec(
        Trigger.complete_training,
        (S.mentored,),
        S.trained,
        (Role.mentor, Role.secretary, Role.trainer),
        (r.certificate_recorded, r.certificate_fresh),
        (
            FieldSpec("certificate_number", "str", "Số giấy chứng nhận", "Certificate number"),
            FieldSpec("certificate_date", "date", "Ngày cấp", "Date issued"),
            FieldSpec("issuer", "str", "Nơi cấp", "Issued by"),
        ),
        "Ghi nhận hoàn thành lớp nhận thức về Đảng",
        "Record the awareness class",
    ),
    TransitionSpec(
        Trigger.submit_dossier,
        (S.trained, S.returned),
        S.dossier_submitted,
        (Role.mentor, Role.secretary),
        (
            r.vote_date_not_future,
            r.age_in_range,
            r.education_floor,
            r.introducers,
            r.cell_vote_counts,
            r.cell_vote_two_thirds,
            r.dossier_forms_present,
            r.certificate_valid_on_vote,
            r.documents_fresh,
            r.verification_favourable,
        ),
        (
            *CELL_VOTE,
            FieldSpec("resolution_number", "str", "Số nghị quyết chi bộ", "Resolution number"),
        ),
        "Trình hồ sơ đề nghị kết nạp",
        "Submit the dossier",
    ),
    TransitionSpec(
        Trigger.return_dossier,
        (S.dossier_submitted,),
        S.returned,
        (Role.committee,),
        (r.reason_given,),
        (REASON,),
        "Trả lại hồ sơ",
        "Return the dossier",
        decision=True,
    ),
    TransitionSpec(
        Trigger.reject,
        (S.dossier_submitted,),
        S.rejected,
        (Role.committee,),
        (r.reason_given,),
        (REASON,),
        "Không kết nạp",
        "Reject",
        decision=True,
    ),
    TransitionSpec(
        Trigger.admit,
        (S.dossier_submitted,),
        S.admitted,
        (Role.committee,),
        (r.vote_date_not_future, r.grassroots_vote_two_thirds, r.decision_recorded, r.four_eyes),
        (*VOTE, *DECISION),
        "Quyết định kết nạp",
        "Admit",
        decision=True,
    ),
    TransitionSpec(
        Trigger.recognize,
        (S.admitted,),
        S.official,
        (Role.committee,),
        (
            r.ceremony_recorded,
            r.vote_date_not_future,
            r.probation_complete,
            r.no_fourth_recognition_vote,
            r.cell_vote_counts,
            r.recognition_vote_two_thirds,
            r.recognition_forms_present,
            r.decision_recorded,
        ),
        (*CELL_VOTE, *DECISION),
        "Công nhận đảng viên chính thức",
        "Recognise as official member",
        decision=True,
    ),
    TransitionSpec(
        Trigger.remove,
        (S.admitted,),
        S.removed,
        (Role.committee,),
        (r.reason_given,),
        (REASON,),
        "Xóa tên trong danh sách đảng viên",
        "Remove",
        decision=True,
    ),
    TransitionSpec(
        Trigger.withdraw,
        OPEN_BEFORE_SUBMIT,
        S.withdrawn,
        (Role.secretary,),
        (r.reason_given,),
        (REASON,),
        "Rút khỏi danh sách",
        "Withdraw",
    ),
    TransitionSpec(
        Trigger.reinstate,
        (S.withdrawn,),
        S.identified,
        (Role.secretary,),
        (r.reason_given, r.single_open_case),
        (REASON,),
        "Đưa lại vào danh sách",
        "Reinstate",
    ),
)

SPECS: dict[str, TransitionSpec] = {spec.trigger.value: spec for spec in TRANSITIONS}


@dataclass(frozen=True)
class FactSpec:
    """A fact recorded on a case without changing its state; logged like a transition."""

    kind: str
    states: tuple[str, ...]
    roles: tuple[Role, ...]
    fields: tuple[FieldSpec, ...]
    vi: str
    en: str
    #: Rules judged before the fact is recorded (a refusal names its rule, like a transition's).
    rules: tuple[r.Rule, ...] = ()


NOT_FINAL = (*OPEN_BEFORE_SUBMIT, S.dossier_submitted, S.admitted)

FACTS: dict[str, FactSpec] = {
    spec.kind: spec
    for spec in (
        FactSpec(
            "introduction",
            OPEN_BEFORE_SUBMIT,
            (Role.mentor, Role.secretary),
            (
                FieldSpec(
                    "kind",
                    "choice",
                    "Hình thức",
                    "Kind",
                    required=True,
                    choices=("member", "doan", "congdoan"),
                ),
                FieldSpec("member", "member", "Đảng viên giới thiệu", "Introducing member"),
                FieldSpec("name", "str", "Tổ chức giới thiệu", "Introducing organisation"),
                FieldSpec("known_since", "date", "Biết quần chúng từ", "Known since"),
                FieldSpec("dated", "date", "Ngày giới thiệu", "Dated", required=True),
                # Typed once: the number of the letter or resolution put on file with it.
                FieldSpec("number", "str", "Số văn bản giới thiệu", "Number of the letter"),
                FieldSpec(
                    "replacement",
                    "bool",
                    "Người giới thiệu thay thế do chi bộ phân công",
                    "Replacement introducer named by the cell",
                ),
                FieldSpec(
                    "replacement_reason", "text", "Lý do thay thế", "Why the introducer is replaced"
                ),
            ),
            "Ghi nhận người giới thiệu",
            "Record an introduction",
        ),
        FactSpec(
            "document",
            NOT_FINAL,
            (Role.mentor, Role.secretary, Role.committee),
            (
                FieldSpec("code", "str", "Mẫu", "Form", required=True),
                FieldSpec("dated", "date", "Ngày", "Dated", required=True),
                FieldSpec("number", "str", "Số", "Number"),
            ),
            "Ghi nhận tài liệu trong hồ sơ",
            "Record a document on file",
        ),
        FactSpec(
            "ceremony",
            (S.admitted,),
            (Role.secretary, Role.committee),
            (
                FieldSpec(
                    "ceremony_date", "date", "Ngày lễ kết nạp", "Ceremony date", required=True
                ),
            ),
            "Ghi nhận lễ kết nạp",
            "Record the admission ceremony",
        ),
        FactSpec(
            "recognition_vote",
            (S.admitted,),
            (Role.secretary,),
            (
                *CELL_VOTE,
                FieldSpec("resolution_number", "str", "Số nghị quyết chi bộ", "Resolution number"),
            ),
            "Ghi nhận chi bộ biểu quyết công nhận chính thức",
            "Record the cell's recognition vote",
            (r.no_fourth_recognition_vote, r.cell_vote_counts),
        ),
        FactSpec(
            "over_age_approval",
            OPEN_BEFORE_SUBMIT,
            (Role.secretary, Role.committee),
            (
                FieldSpec("number", "str", "Số văn bản", "Number", required=True),
                FieldSpec("dated", "date", "Ngày", "Dated", required=True),
                FieldSpec("issued_by", "str", "Cơ quan đồng ý", "Approved by", required=True),
            ),
            "Ghi nhận ý kiến đồng ý của tỉnh ủy kết nạp người trên 60 tuổi",
            "Record the provincial committee's approval (over 60)",
        ),
        FactSpec(
            "education_exception",
            OPEN_BEFORE_SUBMIT,
            (Role.secretary, Role.committee),
            (
                FieldSpec(
                    "area",
                    "choice",
                    "Vùng khó khăn",
                    "Hardship area",
                    required=True,
                    choices=tuple(HARDSHIP_AREAS),
                ),
                FieldSpec("dated", "date", "Ngày", "Dated", required=True),
                FieldSpec("reason", "text", "Lý do", "Reason"),
            ),
            "Ghi nhận trường hợp ngoại lệ về trình độ học vấn",
            "Record a hardship exception to the education floor",
        ),
        FactSpec(
            "decision_extension",
            (S.dossier_submitted,),
            (Role.committee,),
            (
                FieldSpec(
                    "days", "int", "Số ngày làm việc gia hạn", "Working days added", required=True
                ),
                REASON,
            ),
            "Gia hạn thời hạn quyết định kết nạp",
            "Extend the decision deadline",
        ),
        FactSpec(
            "note",
            (*NOT_FINAL, S.withdrawn),
            (Role.mentor, Role.secretary, Role.committee),
            (FieldSpec("text", "text", "Ghi chú", "Note", required=True),),
            "Ghi chú",
            "Add a note",
        ),
    )
}
