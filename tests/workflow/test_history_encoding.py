"""The canonical encoding is injective: a NULL, a "\\x00" and a moved separator hash apart, while
the chains made before the escape (no control character in any value) hash as they did."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from workflow.clock import Clock
from workflow.errors import InvalidInput
from workflow.events import new_event
from workflow.facts import Actor
from workflow.history import CANONICAL_COLUMNS, GENESIS, canonical_data, chain_digest, verify_chain


def row(**changes: object) -> list:
    values = {
        "id": 1,
        "case_id": 1,
        "organisation_id": None,
        "at": "2026-01-01T05:00:00.000000Z",
        "user_id": 10,
        "username": "sec",
        "role": "secretary",
        "action": "record_note",
        "from_state": None,
        "to_state": None,
        "reason": None,
        "data": canonical_data({"text": "ghi chú\ndòng hai\tcột"}),
        "ruleset": "2024.1",
        **changes,
    }
    return [values[c] for c in CANONICAL_COLUMNS]


def old_digest(previous: str, values: list) -> str:
    """The digest as the code before the escape computed it."""
    joined = "\x1f".join("\x00" if v is None else str(v) for v in values)
    return hashlib.sha256(previous.encode() + joined.encode()).hexdigest()


def test_null_and_nul_hash_differently() -> None:
    assert chain_digest(GENESIS, row(reason=None)) != chain_digest(GENESIS, row(reason="\x00"))


def test_a_moved_separator_hashes_differently() -> None:
    moved = row(username="sec\x1fsecretary", role="")
    assert chain_digest(GENESIS, row(username="sec", role="\x1fsecretary")) != chain_digest(
        GENESIS, moved
    )
    assert chain_digest(GENESIS, row(reason="a\x1b0")) != chain_digest(GENESIS, row(reason="a\x00"))


@pytest.mark.parametrize(
    "changes",
    [{}, {"reason": "lý do"}, {"from_state": "identified", "to_state": "mentored"}],
)
def test_chains_made_before_the_escape_still_verify(changes: dict) -> None:
    values = row(**changes)
    assert chain_digest(GENESIS, values) == old_digest(GENESIS, values)


def test_verify_catches_a_null_replaced_by_a_nul() -> None:
    values = row(reason=None)
    digest = old_digest(GENESIS, values)
    tampered = row(reason="\x00")
    report = verify_chain([(*tampered, GENESIS, digest)])
    assert not report.intact
    assert report.problem.event_id == 1


ACTOR = Actor(user_id=10, username="sec")
CLOCK = Clock(datetime(2026, 1, 1, 5, tzinfo=UTC))


@pytest.mark.parametrize(
    ("reason", "data", "field"),
    [
        ("lý\x00do", {}, "reason"),
        (None, {"text": "ghi\x00chú"}, "text"),
        (None, {"changes": {"full_name": {"after": "A\x1fB"}}}, "changes"),
        (None, {"items": ["ok", "\x07"]}, "items"),
    ],
)
def test_an_event_refuses_control_characters(reason, data, field) -> None:
    with pytest.raises(InvalidInput) as refused:
        new_event(
            ACTOR, "secretary", "record_note", CLOCK, "1", case_id=1, reason=reason, data=data
        )
    assert refused.value.field == field


def test_an_event_keeps_line_breaks_and_tabs() -> None:
    event = new_event(
        ACTOR, "secretary", "record_note", CLOCK, "1", case_id=1, reason="a\nb", data={"t": "x\ty"}
    )
    assert (event.reason, event.data) == ("a\nb", {"t": "x\ty"})
