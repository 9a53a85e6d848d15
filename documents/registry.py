"""The forms of the dossier (Hướng dẫn 12-HD/BTCTW, 2022): what each is, when it belongs, what it
needs, which template draws it, and which transitions require or produce it.

The forms that the rules require are read from ``workflow.settings`` (the rules judge with them);
this module only arranges them.
"""

from __future__ import annotations

from dataclasses import dataclass

from documents.errors import MissingData, UnknownForm
from documents.keys import missing_keys
from workflow.documents import PRODUCES as DOMAIN_PRODUCES
from workflow.rules.dossier import GRASSROOTS_FORMS
from workflow.settings import DEFAULT_SETTINGS, RuleSettings
from workflow.states import State, Trigger

STAGES = ("trained", "dossier", "vote", "review", "decision", "recognition", "official")

#: Who issues a form: draws its header (see ``documents.context``).
ISSUERS = (
    "centre",
    "person",
    "member",
    "doan",
    "congdoan",
    "cell",
    "partial",
    "grassroots",
    "deciding",
    "helper",
)


@dataclass(frozen=True)
class Form:
    """One form of Hướng dẫn 12-HD/BTCTW."""

    code: str
    title: str  # the official Vietnamese title
    title_en: str
    stage: str  # one of STAGES
    template: str  # file name under documents/templates
    needs: tuple[str, ...]  # dotted keys of the dossier (documents.keys) the form cannot do without
    generated_by: str | None = None  # the trigger whose firing produces it
    issuer: str = "cell"  # one of ISSUERS

    @property
    def slug(self) -> str:
        """The code in ASCII (``9-KND``), for file names."""
        return self.code.replace("Đ", "D")


_NAME = ("person.full_name",)
_CELL = (*_NAME, "cell.name")


_FORMS = (
    Form(
        "CN-NTVĐ",
        "Giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng",
        "Certificate of the awareness class on the Party",
        "trained",
        "CN-NTVD.html",
        (*_NAME, "certificate.number", "certificate.issued_on", "certificate.issuer"),
        issuer="centre",
    ),
    Form(
        "1-KNĐ",
        "Đơn xin vào Đảng",
        "Application to join the Party",
        "dossier",
        "1-KND.html",
        _CELL,
        issuer="person",
    ),
    Form(
        "2-KNĐ",
        "Lý lịch của người xin vào Đảng",
        "Biography of the applicant",
        "dossier",
        "2-KND.html",
        _CELL,
        issuer="person",
    ),
    Form(
        "3-KNĐ",
        "Giấy giới thiệu người vào Đảng",
        "Introduction by a party member",
        "dossier",
        "3-KND.html",
        _CELL,
        issuer="member",
    ),
    Form(
        "4-KNĐ",
        "Nghị quyết giới thiệu đoàn viên ưu tú vào Đảng",
        "Resolution of the Youth Union introducing an outstanding member",
        "dossier",
        "4-KND.html",
        _CELL,
        issuer="doan",
    ),
    Form(
        "4A-KNĐ",
        "Nghị quyết giới thiệu đoàn viên công đoàn ưu tú vào Đảng",
        "Resolution of the trade union introducing an outstanding member",
        "dossier",
        "4A-KND.html",
        _CELL,
        issuer="congdoan",
    ),
    Form(
        "5-KNĐ",
        "Tổng hợp ý kiến nhận xét của tổ chức đoàn thể nơi làm việc và chi ủy nơi cư trú "
        "đối với người xin vào Đảng",
        "Summary of the opinions of the workplace organisations and the residence cell",
        "dossier",
        "5-KND.html",
        _CELL,
    ),
    Form(
        "6-KNĐ",
        "Nghị quyết đề nghị kết nạp đảng viên",
        "Resolution of the party cell proposing admission",
        "vote",
        "6-KND.html",
        _CELL,
    ),
    Form(
        "7-KNĐ",
        "Báo cáo thẩm định của đảng ủy bộ phận về việc đề nghị kết nạp đảng viên",
        "Appraisal report of the section party committee",
        "review",
        "7-KND.html",
        _CELL,
        issuer="partial",
    ),
    Form(
        "8-KNĐ",
        "Nghị quyết đề nghị kết nạp đảng viên",
        "Resolution of the grassroots party committee proposing admission",
        "review",
        "8-KND.html",
        (*_CELL, "grassroots.name"),
        issuer="grassroots",
    ),
    Form(
        "9-KNĐ",
        "Quyết định kết nạp đảng viên",
        "Decision to admit a party member",
        "decision",
        "9-KND.html",
        (*_CELL, "deciding.name", "decisions.admission.number", "decisions.admission.signed_on"),
        generated_by=Trigger.admit.value,
        issuer="deciding",
    ),
    Form(
        "10-KNĐ",
        "Bản tự kiểm điểm của đảng viên dự bị",
        "Self-review of the probationary member",
        "recognition",
        "10-KND.html",
        (*_CELL, "decisions.admission.signed_on"),
        issuer="person",
    ),
    Form(
        "11-KNĐ",
        "Bản nhận xét đảng viên dự bị",
        "Assessment of the probationary member by the helping member",
        "recognition",
        "11-KND.html",
        (*_CELL, "decisions.admission.signed_on", "mentor.name"),
        issuer="helper",
    ),
    Form(
        "12-KNĐ",
        "Tổng hợp ý kiến nhận xét của tổ chức đoàn thể nơi làm việc và chi ủy nơi cư trú "
        "đối với đảng viên dự bị",
        "Summary of the opinions on the probationary member",
        "recognition",
        "12-KND.html",
        (*_CELL, "decisions.admission.signed_on"),
    ),
    Form(
        "13-KNĐ",
        "Nghị quyết đề nghị công nhận đảng viên chính thức",
        "Resolution of the party cell proposing recognition as official member",
        "recognition",
        "13-KND.html",
        (*_CELL, "decisions.admission.signed_on"),
    ),
    Form(
        "14-KNĐ",
        "Báo cáo thẩm định của đảng ủy bộ phận về việc đề nghị công nhận đảng viên chính thức",
        "Appraisal report of the section party committee on recognition",
        "recognition",
        "14-KND.html",
        (*_CELL, "decisions.admission.signed_on"),
        issuer="partial",
    ),
    Form(
        "15-KNĐ",
        "Nghị quyết đề nghị công nhận đảng viên chính thức",
        "Resolution of the grassroots party committee proposing recognition",
        "recognition",
        "15-KND.html",
        (*_CELL, "grassroots.name", "decisions.admission.signed_on"),
        issuer="grassroots",
    ),
    Form(
        "16-KNĐ",
        "Quyết định công nhận đảng viên chính thức",
        "Decision recognising an official party member",
        "official",
        "16-KND.html",
        (
            *_CELL,
            "deciding.name",
            "decisions.admission.signed_on",
            "decisions.recognition.number",
            "decisions.recognition.signed_on",
        ),
        generated_by=Trigger.recognize.value,
        issuer="deciding",
    ),
)

#: Every form, in the order of the dossier.
FORMS: dict[str, Form] = {form.code: form for form in _FORMS}
#: The order in which a packet binds the forms.
PACKET_ORDER: tuple[str, ...] = tuple(FORMS)

#: The trigger that makes each generated form (the domain's table: ``workflow.documents``).
PRODUCES: dict[str, str] = DOMAIN_PRODUCES


def _requires(settings: RuleSettings) -> dict[str, tuple[str, ...]]:
    return {
        Trigger.submit_dossier.value: settings.dossier_forms,
        Trigger.recognize.value: settings.recognition_forms,
    }


#: The forms each guarded transition requires on file, always (from workflow.settings).
REQUIRES: dict[str, tuple[str, ...]] = _requires(DEFAULT_SETTINGS)
#: Required besides, of a candidate of Đoàn age: the Đoàn's resolution, or the Công đoàn's where
#: the unit has no Đoàn (``settings.youth_forms`` = (Đoàn form, Công đoàn form)).
YOUTH_REQUIRES: dict[str, tuple[str, ...]] = {
    Trigger.submit_dossier.value: DEFAULT_SETTINGS.youth_forms
}


def form(code: str) -> Form:
    """The form `code`; ``UnknownForm`` if there is none."""
    try:
        return FORMS[code]
    except (KeyError, TypeError):
        raise UnknownForm(str(code)) from None


def youth_form(has_doan: bool, settings: RuleSettings = DEFAULT_SETTINGS) -> str:
    """4-KNĐ where the unit has a Đoàn, else 4A-KNĐ (the rule ``dossier_forms_present``)."""
    doan_form, union_form = settings.youth_forms
    return doan_form if has_doan else union_form


def required_forms(
    trigger: str,
    *,
    has_doan: bool,
    is_youth: bool,
    settings: RuleSettings = DEFAULT_SETTINGS,
    has_grassroots_committee: bool = True,
) -> tuple[str, ...]:
    """The forms `trigger` requires on file for this case, in dossier order (the grassroots
    committee's resolutions only where one sits between the cell and the deciding body, as
    ``dossier_forms_present`` and ``recognition_forms_present`` judge)."""
    codes = set(_requires(settings).get(trigger, ()))
    if is_youth and trigger == Trigger.submit_dossier:
        codes.add(youth_form(has_doan, settings))
    if not has_grassroots_committee:
        codes -= set(GRASSROOTS_FORMS)
    return tuple(code for code in PACKET_ORDER if code in codes) + tuple(
        sorted(codes - set(PACKET_ORDER))
    )


_PREPARING = (State.trained, State.returned)
_REVIEWED = (State.dossier_submitted, State.rejected)
_ADMITTED = (State.admitted, State.removed)


def forms_for_case(
    state: str,
    has_doan: bool,
    is_youth: bool,
    *,
    has_partial_committee: bool = False,
    has_grassroots_committee: bool = True,
) -> tuple[str, ...]:
    """The forms that belong to a case in `state`, in dossier order.

    Trained (or returned): the certificate and the dossier up to the cell's resolution. Submitted:
    also the grassroots committee's resolution (and 7-KNĐ where a đảng ủy bộ phận sits above the
    cell: ``Organisation.has_branch_committee``; 14-KNĐ likewise on recognition; 8-KNĐ and 15-KNĐ
    only where a đảng ủy cơ sở sits between the cell and the deciding body). Admitted: also
    the decision and the recognition forms being prepared. Official: everything. Before
    training, and once withdrawn, none.
    """
    if state in _PREPARING:
        reached = ("trained", "dossier", "vote")
    elif state in _REVIEWED:
        reached = ("trained", "dossier", "vote", "review")
    elif state in _ADMITTED:
        reached = ("trained", "dossier", "vote", "review", "decision", "recognition")
    elif state == State.official:
        reached = STAGES
    else:
        return ()
    youth = youth_form(has_doan)
    skipped = {"4-KNĐ", "4A-KNĐ"} - ({youth} if is_youth else set())
    if not has_partial_committee:
        # The đảng ủy bộ phận's appraisals: on admission (7-KNĐ) and on recognition (14-KNĐ).
        skipped |= {"7-KNĐ", "14-KNĐ"}
    if not has_grassroots_committee:
        # A chi bộ cơ sở sends its resolution straight to the deciding body.
        skipped |= set(GRASSROOTS_FORMS)
    return tuple(code for code, f in FORMS.items() if f.stage in reached and code not in skipped)


def missing_data(code: str, dossier: dict) -> list[str]:
    """The keys of the dossier that form `code` needs and lacks."""
    return missing_keys(dossier, form(code).needs)


def check_data(code: str, dossier: dict) -> Form:
    """The form `code`, once its data are known present; else ``MissingData`` naming them."""
    spec = form(code)
    missing = missing_keys(dossier, spec.needs)
    if missing:
        raise MissingData(code, missing)
    return spec
