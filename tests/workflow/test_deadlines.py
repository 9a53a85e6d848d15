"""Working days and the legal deadlines of a case, against hand-counted Vietnamese calendars."""

from datetime import date

import pytest

from workflow import deadlines
from workflow.deadlines import Deadline, DeadlineStatus, WorkingCalendar, case_deadlines
from workflow.settings import RuleSettings
from workflow.states import State

CAL = WorkingCalendar()
SETTINGS = RuleSettings()


# --- the calendar -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day",
    [
        # Tết Ất Tỵ 2025: Monday 27/1 to Friday 31/1 (mùng 1 = 29/1).
        *(date(2025, 1, d) for d in range(27, 32)),
        # Tết Bính Ngọ 2026: Monday 16/2 to Friday 20/2 (mùng 1 = 17/2).
        *(date(2026, 2, d) for d in range(16, 21)),
        date(2025, 4, 7),  # Giỗ Tổ Hùng Vương
        date(2025, 4, 30),
        date(2025, 5, 1),
        date(2025, 5, 2),  # swapped with Saturday 26/4/2025
        date(2025, 9, 1),
        date(2025, 9, 2),
        date(2026, 4, 27),  # Giỗ Tổ fell on Sunday 26/4/2026: observed on Monday
        date(2026, 8, 31),  # swapped with Saturday 22/8/2026
        date(2025, 3, 8),  # an ordinary Saturday
        date(2025, 3, 9),  # an ordinary Sunday
    ],
)
def test_closed_days(day: date) -> None:
    assert not CAL.is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2025, 1, 24),  # the Friday before Tết
        date(2025, 2, 3),  # the Monday after Tết
        date(2025, 4, 26),  # make-up Saturday for 2/5/2025
        date(2026, 8, 22),  # make-up Saturday for 31/8/2026
        date(2025, 3, 10),  # an ordinary Monday
    ],
)
def test_working_days(day: date) -> None:
    assert CAL.is_working_day(day)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2025, 3, 10), 0, date(2025, 3, 10)),
        # A weekend: Fri 7/3 + 1 skips Sat 8 and Sun 9.
        (date(2025, 3, 7), 1, date(2025, 3, 10)),
        (date(2025, 3, 6), 2, date(2025, 3, 10)),
        # Starting on a Saturday or a Sunday: the start never counts, Monday is day 1.
        (date(2025, 3, 8), 1, date(2025, 3, 10)),
        (date(2025, 3, 8), 5, date(2025, 3, 14)),
        (date(2025, 3, 9), 1, date(2025, 3, 10)),
        # Tết 2025: Fri 24/1 + 5 skips 27–31/1 and the weekend: 3, 4, 5, 6, 7/2.
        (date(2025, 1, 24), 5, date(2025, 2, 7)),
        # Tết 2026: Fri 13/2 + 1 skips 16–20/2 and two weekends.
        (date(2026, 2, 13), 1, date(2026, 2, 23)),
        (date(2026, 2, 13), 3, date(2026, 2, 25)),
        # 30/4–1/5 2025: Tue 29/4 + 1 skips 30/4, 1/5, 2/5 (swap) and the weekend.
        (date(2025, 4, 29), 1, date(2025, 5, 5)),
        # Starting on a holiday counts from the next working day too.
        (date(2025, 4, 30), 1, date(2025, 5, 5)),
        # The make-up Saturday 26/4/2025 is a working day.
        (date(2025, 4, 25), 1, date(2025, 4, 26)),
        # 30/4–1/5 2026 fall on Thursday and Friday.
        (date(2026, 4, 29), 1, date(2026, 5, 4)),
        # 2/9 2025: Fri 29/8 + 1 skips the weekend, Mon 1/9 and Tue 2/9.
        (date(2025, 8, 29), 1, date(2025, 9, 3)),
        # 2/9 2026: Fri 28/8 + 1 skips the weekend, 31/8 (swap), 1/9 and 2/9.
        (date(2026, 8, 28), 1, date(2026, 9, 3)),
    ],
)
def test_add_working_days(start: date, n: int, expected: date) -> None:
    assert CAL.add_working_days(start, n) == expected
    assert CAL.working_days_between(start, expected) == n


def test_add_working_days_refuses_going_back() -> None:
    with pytest.raises(ValueError, match="forward"):
        CAL.add_working_days(date(2025, 3, 10), -1)


def test_working_days_between() -> None:
    # Mon 10/3 to Fri 14/3: 11, 12, 13, 14 (the start does not count).
    assert CAL.working_days_between(date(2025, 3, 10), date(2025, 3, 14)) == 4
    assert CAL.working_days_between(date(2025, 3, 14), date(2025, 3, 10)) == -4
    assert CAL.working_days_between(date(2025, 3, 10), date(2025, 3, 10)) == 0
    # Fri 24/1/2025 to Sun 2/2/2025: all of Tết and two weekends.
    assert CAL.working_days_between(date(2025, 1, 24), date(2025, 2, 2)) == 0


def test_extra_closed_days_win_over_the_package() -> None:
    cal = WorkingCalendar(extra_closed_days=[date(2025, 3, 10), date(2025, 4, 26)])
    assert cal.add_working_days(date(2025, 3, 7), 1) == date(2025, 3, 11)
    # The make-up Saturday cancelled: Fri 25/4 + 1 is Monday 28/4.
    assert cal.add_working_days(date(2025, 4, 25), 1) == date(2025, 4, 28)
    assert CAL.add_working_days(date(2025, 3, 7), 1) == date(2025, 3, 10)  # others unaffected


def test_extra_working_days_win_over_the_package() -> None:
    cal = WorkingCalendar(extra_working_days=[date(2025, 3, 8), date(2025, 5, 2)])
    assert cal.add_working_days(date(2025, 3, 7), 1) == date(2025, 3, 8)
    assert cal.add_working_days(date(2025, 4, 29), 1) == date(2025, 5, 2)


def test_a_day_both_closed_and_working_is_refused() -> None:
    with pytest.raises(ValueError, match="2025-03-10"):
        WorkingCalendar(
            extra_closed_days=[date(2025, 3, 10)], extra_working_days=[date(2025, 3, 10)]
        )


def test_holidays_are_built_once_per_year(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = deadlines.holidays.country_holidays

    def counting(country: str, years: int):
        calls.append(years)
        return real(country, years=years)

    deadlines._public_calendar.cache_clear()
    monkeypatch.setattr(deadlines.holidays, "country_holidays", counting)
    try:
        for cal in (WorkingCalendar(), WorkingCalendar()):
            for month in range(1, 13):
                cal.add_working_days(date(2025, month, 1), 60)
    finally:
        deadlines._public_calendar.cache_clear()
    assert sorted(calls) == [2025, 2026]


# --- the deadlines of a case --------------------------------------------------------------------


def _by_name(found: list[Deadline]) -> dict[str, Deadline]:
    return {d.name: d for d in found}


def test_decision_within_60_working_days_across_tet_2025() -> None:
    # Chi bộ vote Thu 2/1/2025. Hand count: Fri 3/1 (1); 6–24/1 (2–16); Tết 27–31/1 closed;
    # 3/2–28/3 (17–56); 31/3, 1/4, 2/4 (57–59); Thu 3/4 (60).
    found = case_deadlines(
        CAL, SETTINGS, state="dossier_submitted", cell_vote_date=date(2025, 1, 2)
    )
    assert found == [
        Deadline("decision", date(2025, 4, 3), "Quyết định kết nạp", "Admission decision",
                 date(2025, 1, 2)),
    ]  # fmt: skip


def test_decision_extended_by_30_working_days() -> None:
    # From day 60 (Thu 3/4/2025): Fri 4/4 (61); Giỗ Tổ Mon 7/4 closed; 8–11/4 (62–65);
    # 14–25/4 (66–75); make-up Sat 26/4 (76); 28, 29/4 (77, 78); 30/4–2/5 closed;
    # 5–16/5 (79–88); Mon 19/5 (89); Tue 20/5 (90).
    found = case_deadlines(
        CAL, SETTINGS, state=State.dossier_submitted, cell_vote_date=date(2025, 1, 2),
        extension_days=30,
    )  # fmt: skip
    assert [d.due for d in found] == [date(2025, 5, 20)]


@pytest.mark.parametrize("extension", [31, -1])
def test_extension_beyond_the_limit_is_refused(extension: int) -> None:
    with pytest.raises(ValueError, match="0 to 30 working days"):
        case_deadlines(
            CAL, SETTINGS, state="dossier_submitted", cell_vote_date=date(2025, 1, 2),
            extension_days=extension,
        )  # fmt: skip


def test_extension_limit_follows_the_settings() -> None:
    settings = RuleSettings.from_mapping({"deadlines": {"decision_extension": 10}})
    with pytest.raises(ValueError, match="0 to 10 working days, not 11"):
        case_deadlines(CAL, settings, state="dossier_submitted", extension_days=11)


def test_ceremony_within_30_working_days_across_tet_2026() -> None:
    # Decision received Mon 5/1/2026. Hand count: 6–9/1 (1–4); 12/1–13/2 (5–29);
    # Tết 16–20/2 closed; Mon 23/2 (30).
    found = case_deadlines(CAL, SETTINGS, state="admitted", decision_received=date(2026, 1, 5))
    assert found == [
        Deadline("ceremony", date(2026, 2, 23), "Tổ chức lễ kết nạp", "Admission ceremony",
                 date(2026, 1, 5)),
    ]  # fmt: skip


def test_probation_and_recognition_vote() -> None:
    # Ceremony 29/2/2024: probation ends 28/2/2025 (no 29/2 in 2025). The vote: March 3–28
    # (1–20); 31/3–4/4 (21–25); Giỗ Tổ Mon 7/4 closed; 8–11/4 (26–29); Mon 14/4 (30).
    found = case_deadlines(
        CAL, SETTINGS, state="admitted", decision_received=date(2024, 1, 15),
        ceremony_on=date(2024, 2, 29),
    )  # fmt: skip
    assert [(d.name, d.due, d.basis) for d in found] == [
        ("probation_end", date(2025, 2, 28), date(2024, 2, 29)),
        ("recognition_vote", date(2025, 4, 14), date(2025, 2, 28)),
    ]
    assert [d.vi for d in found] == ["Hết thời gian dự bị", "Chi bộ xét công nhận chính thức"]


def test_recognition_decision_after_the_vote() -> None:
    # Vote Mon 14/4/2025: 15–25/4 (1–9); make-up Sat 26/4 (10); 28, 29/4 (11, 12);
    # 30/4–2/5 closed; 5–23/5 (13–27); 26, 27, 28/5 (28–30).
    found = case_deadlines(
        CAL, SETTINGS, state="admitted", ceremony_on=date(2024, 2, 29),
        recognition_vote_date=date(2025, 4, 14),
    )  # fmt: skip
    assert found == [
        Deadline("recognition_decision", date(2025, 5, 28), "Quyết định công nhận chính thức",
                 "Decision on full membership", date(2025, 4, 14)),
    ]  # fmt: skip


def test_no_deadline_without_its_starting_date() -> None:
    assert case_deadlines(CAL, SETTINGS, state="dossier_submitted") == []
    assert case_deadlines(CAL, SETTINGS, state="admitted") == []


BEFORE_CEREMONY = {
    "cell_vote_date": date(2025, 1, 2),
    "extension_days": 10,
    "decision_received": date(2025, 5, 5),
}
EVERYTHING = {
    **BEFORE_CEREMONY,
    "ceremony_on": date(2025, 6, 2),
    "recognition_vote_date": date(2026, 6, 15),
}


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize(
    ("dates", "admitted"),
    [
        (BEFORE_CEREMONY, ["ceremony"]),
        (
            {**BEFORE_CEREMONY, "ceremony_on": date(2025, 6, 2)},
            ["probation_end", "recognition_vote"],
        ),
        (EVERYTHING, ["recognition_decision"]),
    ],
)
def test_each_state_gets_only_its_deadlines(state: State, dates: dict, admitted: list[str]) -> None:
    expected = {State.dossier_submitted: ["decision"], State.admitted: admitted}.get(state, [])
    found = case_deadlines(CAL, SETTINGS, state=str(state), **dates)
    assert [d.name for d in found] == expected


# --- status -------------------------------------------------------------------------------------

# Due Friday 14/3/2025.
DUE = Deadline("decision", date(2025, 3, 14), "Quyết định kết nạp", "Admission decision",
               date(2024, 12, 16))  # fmt: skip


@pytest.mark.parametrize(
    ("today", "left", "status"),
    [
        (date(2025, 3, 6), 6, "open"),  # Thu: 7, 10, 11, 12, 13, 14
        (date(2025, 3, 7), 5, "due_soon"),
        (date(2025, 3, 8), 5, "due_soon"),  # Saturday: still Mon–Fri ahead
        (date(2025, 3, 14), 0, "due_soon"),  # the day itself
        (date(2025, 3, 15), -1, "overdue"),  # Saturday after: missed, though no working day passed
        (date(2025, 3, 17), -1, "overdue"),
        (date(2025, 3, 18), -2, "overdue"),
    ],
)
def test_status_boundaries(today: date, left: int, status: str) -> None:
    assert DUE.days_left(CAL, today) == left
    assert DUE.status(CAL, today) == status


def test_status_window_is_a_parameter() -> None:
    assert DUE.status(CAL, date(2025, 3, 6), soon=6) == DeadlineStatus.due_soon
    assert DUE.status(CAL, date(2025, 3, 13), soon=0) == DeadlineStatus.open
    assert DUE.status(CAL, date(2025, 3, 14), soon=0) == DeadlineStatus.due_soon


def test_the_calendar_follows_the_instances_corrections():
    """Days decreed off or made up late come from the settings ([calendar] in hoso.toml)."""
    from workflow.deadlines import calendar_for
    from workflow.settings import RuleSettings

    friday, saturday = date(2026, 1, 2), date(2026, 1, 3)
    plain = calendar_for(RuleSettings())
    corrected = calendar_for(
        RuleSettings.from_mapping({"extra_closed_days": [friday], "extra_working_days": [saturday]})
    )
    assert plain.is_working_day(friday) and not plain.is_working_day(saturday)
    assert not corrected.is_working_day(friday) and corrected.is_working_day(saturday)
    assert calendar_for(RuleSettings()) is plain  # built once per set of corrections
    with pytest.raises(ValueError, match="list of dates"):
        RuleSettings.from_mapping({"extra_closed_days": ["2026-01-02"]})
