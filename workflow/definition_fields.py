"""The values an action asks for (``FieldSpec``) and the groups of them transitions share."""

from __future__ import annotations

from dataclasses import dataclass

from workflow.education import EducationLevel
from workflow.people import Category


@dataclass(frozen=True)
class FieldSpec:
    """A value an action asks for; ``kind`` says how it is parsed (see ``workflow.fields``)."""

    name: str
    kind: str  # str, text, date, int, bool, member, organisation, choice
    vi: str
    en: str
    required: bool = False
    choices: tuple[str, ...] = ()


REASON = FieldSpec("reason", "text", "Lý do", "Reason")
VOTE = (
    FieldSpec("vote_date", "date", "Ngày biểu quyết", "Vote date"),
    FieldSpec("votes_for", "int", "Số tán thành", "Votes for"),
    FieldSpec("votes_against", "int", "Số không tán thành", "Votes against"),
)
#: The cell's vote record (Hướng dẫn 12-HD/BTCTW): the 2/3 counts against the official members
#: on the vote date less the exempted (miễn sinh hoạt) who did not attend.
CELL_VOTE = (
    *VOTE,
    FieldSpec(
        "official_members",
        "int",
        "Số đảng viên chính thức của chi bộ vào ngày biểu quyết",
        "Official members of the cell on the vote date",
    ),
    FieldSpec(
        "excused_absent",
        "int",
        "Số đảng viên miễn sinh hoạt vắng mặt",
        "Exempted from activity and absent",
    ),
    FieldSpec("present", "int", "Số đảng viên có mặt", "Members present"),
)
DECISION = (
    FieldSpec("decision_number", "str", "Số quyết định", "Decision number"),
    FieldSpec("decision_date", "date", "Ngày quyết định", "Decision date"),
)
PERSON = (
    FieldSpec("full_name", "str", "Họ và tên", "Full name"),
    FieldSpec("birth_date", "date", "Ngày sinh", "Date of birth"),
    FieldSpec("sex", "choice", "Giới tính", "Sex", choices=("nam", "nữ")),
    FieldSpec("birth_place", "str", "Nơi sinh", "Place of birth"),
    FieldSpec("hometown", "str", "Quê quán", "Hometown"),
    FieldSpec("ethnicity", "str", "Dân tộc", "Ethnicity"),
    FieldSpec("religion", "str", "Tôn giáo", "Religion"),
    FieldSpec(
        "education",
        "education",
        "Trình độ học vấn",
        "Education",
        choices=tuple(level.value for level in EducationLevel),
    ),
    FieldSpec("residence", "str", "Nơi cư trú", "Residence"),
    FieldSpec("occupation", "str", "Nghề nghiệp", "Occupation"),
    FieldSpec("id_number", "str", "Số CCCD", "ID number"),
    FieldSpec("is_doan_member", "bool", "Là đoàn viên", "Đoàn member"),
)
#: Who the person is for the counts (``workflow.people``): asked when they are identified.
CATEGORY = FieldSpec(
    "category", "choice", "Đối tượng", "Category", choices=tuple(c.value for c in Category)
)
MENTOR = (
    FieldSpec("mentor", "member", "Đảng viên giúp đỡ", "Mentor", required=True),
    FieldSpec("since", "date", "Từ ngày", "Since"),
)
