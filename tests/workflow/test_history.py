"""The hash chain catches every kind of tampering; replay rebuilds a case on a past day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from workflow.history import (
    CANONICAL_COLUMNS,
    GENESIS,
    EventView,
    canonical_data,
    chain_digest,
    replay,
    utc_stamp,
    verify_chain,
)


def event_row(event_id: int, action: str = "record_note", **changes: object) -> tuple:
    """An event's canonical columns, in CANONICAL_COLUMNS order."""
    values = {
        "id": event_id,
        "case_id": 1,
        "organisation_id": None,
        "at": f"2026-01-{event_id:02d}T05:00:00.000000Z",
        "user_id": 10,
        "username": "sec",
        "role": "secretary",
        "action": action,
        "from_state": None,
        "to_state": None,
        "reason": None,
        "data": canonical_data({"text": f"ghi chú {event_id}"}),
        "ruleset": "2024.1",
        **changes,
    }
    return tuple(values[c] for c in CANONICAL_COLUMNS)


def link(rows: list[tuple], previous: str = GENESIS) -> list[tuple]:
    """Chain canonical rows: each gets ``(prev_digest, digest)`` appended."""
    chained = []
    for row in rows:
        digest = chain_digest(previous, row)
        chained.append((*row, previous, digest))
        previous = digest
    return chained


CHAIN = link([event_row(i) for i in range(1, 6)])
HEAD = CHAIN[-1][-1]


def test_an_intact_chain() -> None:
    report = verify_chain(CHAIN, expected_head=HEAD, expected_count=5)
    assert report.intact
    assert (report.checked, report.head) == (5, HEAD)


def test_an_empty_chain_is_intact_at_genesis() -> None:
    report = verify_chain([], expected_head=GENESIS, expected_count=0)
    assert report.intact and report.head == GENESIS


def test_an_edited_row() -> None:
    rows = list(CHAIN)
    rows[2] = (*event_row(3, username="kiemtra"), *CHAIN[2][-2:])
    report = verify_chain(rows)
    assert not report.intact
    assert report.problem.event_id == 3
    assert "edited" in report.problem.reason
    assert report.checked == 2


def test_an_edited_row_with_its_digest_recomputed() -> None:
    rows = list(CHAIN)
    forged = event_row(3, reason="sửa")
    rows[2] = (*forged, CHAIN[1][-1], chain_digest(CHAIN[1][-1], forged))
    report = verify_chain(rows)
    assert report.problem.event_id == 4  # the next event no longer links to it


def test_a_deleted_row() -> None:
    report = verify_chain(CHAIN[:2] + CHAIN[3:])
    assert report.problem.event_id == 4
    assert "deleted" in report.problem.reason


def test_an_inserted_row() -> None:
    # A forger links a new event 3 correctly to event 2 and renumbers the rest.
    forged = link([event_row(3, reason="chèn")], previous=CHAIN[1][-1])
    shifted = [(row[0] + 1, *row[1:]) for row in CHAIN[2:]]
    report = verify_chain(CHAIN[:2] + forged + shifted)
    assert not report.intact
    assert report.problem.event_id == 4
    assert report.checked == 3


def test_an_inserted_row_reusing_an_id() -> None:
    forged = link([event_row(2, reason="chèn")], previous=CHAIN[1][-1])
    report = verify_chain(CHAIN[:2] + forged + CHAIN[2:])
    assert report.problem.event_id == 2
    assert "out of order" in report.problem.reason


def test_two_swapped_rows() -> None:
    rows = list(CHAIN)
    rows[1], rows[2] = rows[2], rows[1]
    report = verify_chain(rows)
    assert not report.intact
    assert report.problem.event_id == 3


def test_two_swapped_contents_keeping_the_ids() -> None:
    rows = list(CHAIN)
    rows[1] = (2, *CHAIN[2][1:])
    rows[2] = (3, *CHAIN[1][1:])
    assert verify_chain(rows).problem.event_id == 2


def test_a_truncated_tail_shows_only_against_the_head() -> None:
    truncated = CHAIN[:-1]
    assert verify_chain(truncated).intact  # nothing inside the chain can tell
    by_head = verify_chain(truncated, expected_head=HEAD)
    assert by_head.problem.event_id is None
    assert "removed from the end" in by_head.problem.reason
    by_count = verify_chain(truncated, expected_count=5)
    assert not by_count.intact and "4" in by_count.problem.reason


def test_the_digest_covers_the_previous_one() -> None:
    row = event_row(1)
    assert chain_digest(GENESIS, row) != chain_digest("1" * 64, row)
    # The same value in another column is another event.
    assert chain_digest(GENESIS, event_row(1, reason="a")) != chain_digest(
        GENESIS, event_row(1, role="a", reason=None)
    )


def test_canonical_data() -> None:
    text = canonical_data({"b": 1, "a": date(2026, 3, 1), "name": "Nguyễn"})
    assert text == '{"a":"2026-03-01","b":1,"name":"Nguyễn"}'
    with pytest.raises(TypeError):
        canonical_data({"x": object()})


def test_utc_stamp() -> None:
    ict = timezone(timedelta(hours=7))
    assert utc_stamp(datetime(2026, 3, 1, 12, 0, tzinfo=ict)) == "2026-03-01T05:00:00.000000Z"
    assert utc_stamp(datetime(2026, 3, 1, 5, 0, tzinfo=UTC)) == "2026-03-01T05:00:00.000000Z"


# --- replay ---------------------------------------------------------------------------------


def view(
    event_id: int, at: str, action: str, to_state: str | None, reason: str | None = None, **data
) -> EventView:
    return EventView(event_id, at, action, None, to_state, "sec", "secretary", reason, data, "1")


# Stamps at 05:00 UTC are noon in Việt Nam: the same day whichever calendar counts.
EVENTS = [
    view(1, "2026-01-05T05:00:00.000000Z", "identify", "identified", source="cell_review"),
    view(2, "2026-01-20T05:00:00.000000Z", "record_note", None, text="gặp gỡ"),
    view(3, "2026-02-01T05:00:00.000000Z", "assign_mentor", "mentored", mentor_id=100),
    view(4, "2026-03-01T05:00:00.000000Z", "complete_training", "trained", certificate="CN-1"),
    view(5, "2026-03-02T05:00:00.000000Z", "withdraw", "withdrawn", reason="chuyển trường"),
]


@pytest.mark.parametrize(
    ("until", "state", "count"),
    [
        (date(2026, 1, 4), None, 0),  # before the case existed
        (date(2026, 1, 5), "identified", 1),
        (date(2026, 1, 31), "identified", 2),
        (date(2026, 2, 1), "mentored", 3),
        (date(2026, 2, 28), "mentored", 3),
        (date(2026, 3, 1), "trained", 4),
        (date(2026, 3, 2), "withdrawn", 5),
        (None, "withdrawn", 5),
    ],
)
def test_the_state_at_the_end_of_a_day(until: date | None, state: str | None, count: int) -> None:
    snapshot = replay(EVENTS, until)
    assert (snapshot.state, snapshot.events) == (state, count)


def test_replay_keeps_data_facts_and_the_last_reason() -> None:
    snapshot = replay(EVENTS, date(2026, 3, 1))
    assert snapshot.data["assign_mentor"] == {"mentor_id": 100}
    assert snapshot.facts == {"note": [{"text": "gặp gỡ"}]}
    assert snapshot.last_reason is None
    assert replay(EVENTS).last_reason == "chuyển trường"


def test_the_day_ends_at_local_midnight() -> None:
    # The rules count days in Asia/Ho_Chi_Minh (UTC+7): 17:00 UTC is the next local day.
    late = [
        view(1, "2026-02-01T16:59:59.999999Z", "identify", "identified"),
        view(2, "2026-02-01T17:00:00.000000Z", "withdraw", "withdrawn", reason="x"),
    ]
    assert replay(late, date(2026, 2, 1)).state == "identified"
    assert replay(late, date(2026, 2, 2)).state == "withdrawn"
