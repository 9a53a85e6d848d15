"""The values an action asks for (``FieldSpec``) and the groups of them transitions share."""

from __future__ import annotations

from dataclasses import dataclass

from workflow import text
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
    limit: int = 0  # the longest text (str, text); 0: FIELD_LIMITS's, else the kind's default

    @property
    def max_length(self) -> int:
        """The most characters a text of this field may hold (checked by ``parse_fields``)."""
        if self.limit:
            return self.limit
        default = text.NOTE_MAX if self.kind == "text" else text.NAME_MAX
        return FIELD_LIMITS.get(self.name, default)


#: The longest text of each field that names a column (db.models: the column is no shorter;
#: tests/workflow/test_limits_columns.py compares). Other one-line fields take
#: ``text.NAME_MAX``, other multi-line ones (notes, findings) ``text.NOTE_MAX``.
FIELD_LIMITS: dict[str, int] = {
    "full_name": 200,
    "birth_place": 200,
    "hometown": 200,
    "ethnicity": 50,
    "religion": 50,
    "residence": 300,
    "occupation": 200,
    "id_number": 20,
    "source_detail": 300,
    "decision_number": text.NUMBER_MAX,
    "resolution_number": text.NUMBER_MAX,
    "certificate_number": text.NUMBER_MAX,
    "number": text.NUMBER_MAX,
    "code": 20,
    "issuer": 200,
    "issued_by": 200,
    "name": 200,
    "addressee": 300,
    "subject_name": 200,
    "movement": 300,
    # A reason may be kept in a column of 500 (an exception's, a replacement's, a move's).
    "reason": 500,
    "replacement_reason": 500,
}


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
