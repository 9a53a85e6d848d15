"""Every text typed with an action has a maximum length and no invisible characters (issue 11)."""

from __future__ import annotations

import pytest

from workflow import admin, text, tree
from workflow.classes.refusals import clean_text as class_text
from workflow.corrections import check_text as correction_text
from workflow.definition import FACTS, SPECS, FieldSpec
from workflow.definition_fields import FIELD_LIMITS
from workflow.errors import InvalidInput
from workflow.fields import parse_fields
from workflow.importing.values import row_values
from workflow.moves import check_reason
from workflow.proposals import DECLINE_FIELDS, DETAILS
from workflow.verification import ANSWER_FIELDS, CONCLUSION_FIELDS, REQUEST_FIELDS


def _text_fields() -> list[tuple[str, tuple[FieldSpec, ...], FieldSpec]]:
    groups = [(f"transition {name}", spec.fields) for name, spec in SPECS.items()]
    groups += [(f"fact {name}", spec.fields) for name, spec in FACTS.items()]
    groups += [
        ("verification request", REQUEST_FIELDS),
        ("verification answer", ANSWER_FIELDS),
        ("verification conclusion", CONCLUSION_FIELDS),
        ("proposal", DETAILS),
        ("proposal decline", DECLINE_FIELDS),
    ]
    return [
        (where, fields, spec)
        for where, fields in groups
        for spec in fields
        if spec.kind in ("str", "text")
    ]


TEXT_FIELDS = _text_fields()


def _only(fields: tuple[FieldSpec, ...], name: str) -> tuple[FieldSpec, ...]:
    """The field `name` of `fields`, alone (the others may be required)."""
    return tuple(spec for spec in fields if spec.name == name)


INVISIBLE = ["\u202e", "\u2066", "\u200e", "\u061c", "\u200b", "\u200d", "\u2060", "\ufeff"]


@pytest.mark.parametrize(
    ("where", "fields", "spec"), TEXT_FIELDS, ids=[f"{w}:{s.name}" for w, _, s in TEXT_FIELDS]
)
def test_every_text_field_has_a_limit_checked_by_parse_fields(where, fields, spec):
    limit = spec.max_length
    assert 0 < limit <= text.NOTE_MAX, f"{where}: {spec.name} has no sensible limit"
    assert parse_fields((spec,), {spec.name: "a" * limit})[spec.name] == "a" * limit
    with pytest.raises(InvalidInput) as refused:
        parse_fields((spec,), {spec.name: "a" * (limit + 1)})
    assert refused.value.field == spec.name


def test_the_historic_attack_values_are_refused():
    """A 201-character name, a 60-character certificate number, a 9 MB note."""
    identify = _only(SPECS["identify"].fields, "full_name")
    with pytest.raises(InvalidInput, match="full_name"):
        parse_fields(identify, {"full_name": "A" * 201})
    training = _only(SPECS["complete_training"].fields, "certificate_number")
    with pytest.raises(InvalidInput, match="certificate_number"):
        parse_fields(training, {"certificate_number": "9" * 60})
    with pytest.raises(InvalidInput, match="text"):
        parse_fields(FACTS["note"].fields, {"text": "x" * 9_000_000})
    with pytest.raises(InvalidInput, match="reason"):
        parse_fields(training, {"reason": "x" * 9_000_000})


@pytest.mark.parametrize("char", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_invisible_characters_are_refused_in_names(char):
    name = f"Nguyễn{char} Văn A"
    with pytest.raises(InvalidInput, match="invisible"):
        parse_fields(_only(SPECS["identify"].fields, "full_name"), {"full_name": name})
    with pytest.raises(InvalidInput, match="invisible"):
        text.clean_name("full_name", name)
    with pytest.raises(InvalidInput):
        admin.check_text("full_name", name, admin.NAME_MAX)
    with pytest.raises(InvalidInput):
        admin.check_username(f"bithu{char}")
    with pytest.raises(InvalidInput):
        tree.check_name(f"Chi bộ{char} A")
    with pytest.raises(InvalidInput):
        class_text("name", f"Lớp{char} 1", 200)


@pytest.mark.parametrize("char", ["\u202e", "\u200b", "\x00", "\x1b"])
def test_invisible_and_control_characters_are_refused_in_reasons_and_notes(char):
    with pytest.raises(InvalidInput):
        parse_fields(FACTS["note"].fields, {"text": f"ghi{char}chú"})
    with pytest.raises(InvalidInput):
        check_reason(f"lý{char}do")
    with pytest.raises(InvalidInput):
        correction_text(f"lý{char}do", "reason", required=True)


def test_names_are_one_line_and_lines_stay_in_notes():
    with pytest.raises(InvalidInput, match="one line"):
        parse_fields(_only(SPECS["identify"].fields, "full_name"), {"full_name": "Nguyễn\nVăn A"})
    note = parse_fields(FACTS["note"].fields, {"text": "dòng 1\ndòng 2"})
    assert note["text"] == "dòng 1\ndòng 2"
    assert text.clean_name("full_name", "  Nguyễn   Văn  A ") == "Nguyễn Văn A"


def test_vietnamese_text_is_accepted_and_normalised():
    decomposed = "Nguye\u0302\u0303n Thi\u0323"  # "Nguyễn Thị" typed with combining marks
    assert parse_fields(_only(SPECS["identify"].fields, "full_name"), {"full_name": decomposed})[
        "full_name"
    ] == ("Nguyễn Thị")


def test_an_imported_row_with_an_invisible_name_is_a_problem():
    values, problems = row_values({"full_name": "Lê\u202eVăn"}, mac_1904=False)
    assert "full_name" not in values
    assert [p.field for p in problems] == ["full_name"]


def test_field_limits_name_only_known_fields():
    names = {spec.name for _, _, spec in TEXT_FIELDS}
    assert set(FIELD_LIMITS) - names - {"reason"} == set()
