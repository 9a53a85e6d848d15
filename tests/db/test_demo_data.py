"""The demo's data files (`db/demo/data`): the loader refuses a malformed one before writing
anything, with a message that names the file and the entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from db.demo import DATA, DataError, load_demo
from db.demo.actions import ADMIN_STEP_KINDS, CASE_STEP_KINDS, STEP_KINDS
from db.demo.story import read_story
from db.migrate import upgrade
from db.runtime import Runtime
from db.session import make_engine, session_factory
from workflow.settings import DEFAULT_SETTINGS

HISTORY = "cases/1-history-2020-2023.toml"


@pytest.fixture
def data(tmp_path) -> Path:
    """A copy of the demo's data that a test may break."""
    return Path(shutil.copytree(DATA, tmp_path / "data"))


def _edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_shipped_data_reads():
    story = read_story()
    assert len(story.cases) == 38  # HO1 and RV1 (the 2025 reform) included
    assert [c.label for c in story.cases][:3] == ["H1", "H2", "H3"]
    assert sum(len(c.steps) for c in story.cases) > 400
    assert {s.kind for c in story.cases for s in c.steps} == CASE_STEP_KINDS
    assert {s.kind for s in story.later} == set(STEP_KINDS) - CASE_STEP_KINDS - ADMIN_STEP_KINDS
    assert {s.kind for s in story.dated} == ADMIN_STEP_KINDS
    assert len(story.members) == 64 and len(story.users) == 25


@pytest.mark.parametrize(
    ("name", "old", "new", "entry", "problem"),
    [
        (
            HISTORY,
            'on = 2020-09-15, by = "bithu.ductrong", fire = "identify"',
            'on = 2020-09-19, by = "bithu.ductrong", fire = "identify"',
            "case H1, step 1",
            "2020-09-19 falls on a weekend",
        ),
        (
            HISTORY,
            'fire = "assign_mentor", mentor = "@dt.3"',
            'fire = "assign_mentor", mentor = "@dt.99"',
            "case H1, step 2",
            "no member 'dt.99'",
        ),
        (
            HISTORY,
            'on = 2020-10-01, by = "bithu.ductrong"',
            'on = 2020-10-01, by = "nobody"',
            "case H1, step 2",
            "no user 'nobody'",
        ),
        (
            HISTORY,
            'fire = "assign_mentor"',
            'fyre = "assign_mentor"',
            "case H1, step 2",
            "a step names exactly one of accept, answer, approve, conclude, correct, fact, fire,",
        ),
        (
            "enterprises.toml",
            "workforce = 420",
            'workforce = "many"',
            "enterprise #1",
            "`workforce` must be a whole number",
        ),
        ("members.csv", ",1966-01-01,", ",01/01/1966,", "line 2", "`birth_date` must be a date"),
        ("users.csv", ",cva.2,mentor,", ",cva.42,mentor,", "line 6", "no member 'cva.42'"),
        (
            "organisations.csv",
            ",cell,district,school,",
            ",cell,distric,school,",
            "line 5",
            "parent",
        ),
        ("targets.toml", "years = [2020, 2024]", "years = 2020", "target #1", "`years`"),
        ("classes.toml", 'enrol = "M1"', "enrol = 1", "step #4", "`enrol` must be a text"),
        ("proposals.toml", 'case = "H6"', 'case = "H66"', "paper #1", "no case 'H66'"),
        ("district.toml", "last_day = 2026-11-27", "last_day = 27/11/2026", "syntax", ""),
        (
            "district.toml",
            'admin = "admin"',
            'admin = "bantochuc"',
            "frame",
            "must be an active admin of users.csv",
        ),
        (
            "district.toml",
            'setup_time = "07:00"',
            'setup_time = "09:00"',
            "frame",
            "`setup_time` must come before `first_step`",
        ),
        (
            "organisations.csv",
            # The admin's scope is the province (the reform of 2025 needs it): another root
            # lies outside it.
            "province,Tỉnh ủy Lâm Đồng,committee,,,,,,\n",
            "province,Tỉnh ủy Lâm Đồng,committee,,,,,,\nkh,Tỉnh ủy Khánh Hòa,committee,,,,,,\n",
            "organisation kh",
            "outside admin's scope",
        ),
    ],
)
def test_a_malformed_file_is_refused_with_its_entry(data, name, old, new, entry, problem):
    _edit(data, name, old, new)
    with pytest.raises(DataError) as refused:
        read_story(data)
    message = str(refused.value)
    assert message.startswith(f"demo data {name}, {entry}"), message
    assert problem in message


def test_nothing_is_written_from_a_malformed_folder(data, tmp_path):
    _edit(data, HISTORY, 'mentor = "@dt.3"', 'mentor = "@dt.99"')
    engine = make_engine(f"sqlite:///{tmp_path / 'hoso.sqlite3'}")
    runtime = Runtime(engine, session_factory(engine), DEFAULT_SETTINGS)
    try:
        upgrade(engine)
        with pytest.raises(DataError, match=f"{HISTORY}, case H1, step 2"):
            load_demo(runtime, data)
        assert runtime.is_empty()
    finally:
        engine.dispose()


def test_a_step_out_of_order_is_refused(data):
    _edit(data, "classes.toml", "at = 2026-11-27T09:02:00+07:00", "at = 2026-11-27T08:02:00+07:00")
    with pytest.raises(DataError, match=r"classes.toml, step #2: .* before the step before it"):
        read_story(data)
