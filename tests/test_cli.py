"""The ``hoso`` command on an instance folder's SQLite database: cases listed, shown, fired."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import text

from db.migrate import upgrade
from db.runtime import Runtime
from tests.factories import District, build_district
from web.cli import cli
from workflow.clock import Clock
from workflow.settings import Settings

CELL = "Chi bộ trường THPT Thử"


def at(moment: str) -> Clock:
    return Clock(datetime.fromisoformat(moment).replace(tzinfo=UTC))


@dataclass
class Instance:
    """An instance folder whose database the command finds on its own (no HOSO_DATABASE_URL)."""

    folder: Path

    @property
    def url(self) -> str:
        return f"sqlite:///{self.folder / 'hoso.sqlite3'}"

    def run(self, *args: Any) -> Result:
        # English: these tests read the refusals' English words (tests/cli/test_language.py: vi).
        env = {"HOSO_INSTANCE": str(self.folder), "HOSO_DATABASE_URL": None, "HOSO_LANG": "en"}
        return CliRunner().invoke(cli, [str(a) for a in args], env=env)


@pytest.fixture
def instance(tmp_path) -> Instance:
    folder = tmp_path / "instance"
    folder.mkdir()
    return Instance(folder)


@dataclass
class World:
    instance: Instance
    district: District
    ids: dict[str, int]

    def run(self, *args: Any) -> Result:
        return self.instance.run(*args)

    def snapshot(self) -> tuple:
        """Everything a refused command must leave alone."""
        with self.district.runtime.engine.connect() as conn:
            cases = conn.execute(
                text("SELECT id, state, version, mentor_id FROM cases ORDER BY id")
            )
            events = conn.execute(text("SELECT id, digest FROM events ORDER BY id"))
            return cases.all(), events.all()


@pytest.fixture
def world(instance):
    """Three cases: An (identified), Bình (mentored by `mentor`, dated steps), Chi (trained)."""
    runtime = Runtime.from_url(instance.url, settings=Settings())
    upgrade(runtime.engine)
    district = build_district(runtime)
    an = district.identify()
    binh = district.identify(
        clock=at("2026-01-10T03:00"), full_name="Trần Thị Bình", birth_date="1995-02-02"
    )
    district.fire(
        binh.id, "assign_mentor", clock=at("2026-02-10T03:00"), mentor=district.members[1].id
    )
    chi = district.to_trained(full_name="Lê Văn Chi", birth_date="1998-03-03")
    ids = {
        "an": an.id,
        "binh": binh.id,
        "chi": chi.id,
        "mentor": district.members[1].id,
        "stranger": district.other_members[1].id,
    }
    yield World(instance, district, ids)
    runtime.engine.dispose()


def test_case_list_json(world):
    result = world.run("case", "list", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    keys = ("id", "name", "state", "organisation", "mentor")
    assert [{k: row[k] for k in keys} for row in rows] == [
        {"id": world.ids["an"], "name": "Nguyễn Văn An", "state": "identified"}
        | {"organisation": CELL, "mentor": None},
        {"id": world.ids["binh"], "name": "Trần Thị Bình", "state": "mentored"}
        | {"organisation": CELL, "mentor": "mentor"},
        {"id": world.ids["chi"], "name": "Lê Văn Chi", "state": "trained"}
        | {"organisation": CELL, "mentor": "mentor"},
    ]

    plain = world.run("case", "list")
    assert plain.exit_code == 0, plain.output
    assert "Trần Thị Bình" in plain.output and "3 case(s)" in plain.output


def test_case_list_state_filter(world):
    result = world.run("case", "list", "--state", "mentored", "--json")
    assert result.exit_code == 0, result.output
    assert [row["id"] for row in json.loads(result.stdout)] == [world.ids["binh"]]

    none = world.run("case", "list", "--state", "official", "--json")
    assert none.exit_code == 0 and json.loads(none.stdout) == []

    bad = world.run("case", "list", "--state", "asleep")
    assert bad.exit_code != 0
    assert "asleep" in bad.output


def test_case_show_now_and_on_a_past_date(world):
    binh = world.ids["binh"]
    now = world.run("case", "show", binh, "--json")
    assert now.exit_code == 0, now.output
    detail = json.loads(now.stdout)
    assert (detail["id"], detail["state"], detail["mentor"]) == (binh, "mentored", "mentor")
    assert [e["action"] for e in detail["events"]] == ["identify", "assign_mentor"]

    then = json.loads(world.run("case", "show", binh, "--at", "2026-01-20", "--json").stdout)
    assert (then["state"], then["at"], then["mentor"]) == ("identified", "2026-01-20", None)
    assert [e["action"] for e in then["events"]] == ["identify"]

    before = json.loads(world.run("case", "show", binh, "--at", "2026-01-09", "--json").stdout)
    assert (before["exists"], before["state"], before["events"]) == (False, None, [])

    plain = world.run("case", "show", binh, "--at", "2026-01-20")
    assert plain.exit_code == 0, plain.output
    assert "state on 2026-01-20: identified" in plain.output
    assert (
        "did not exist yet on 2026-01-09"
        in world.run("case", "show", binh, "--at", "2026-01-09").output
    )


def test_case_fire_moves_the_case_and_refuses_the_same_move_twice(world):
    an, mentor = world.ids["an"], world.ids["mentor"]
    fire = ("case", "fire", an, "assign_mentor", "--as", "sec", f"mentor={mentor}")

    first = world.run(*fire)
    assert first.exit_code == 0, first.output
    assert "state mentored" in first.output
    shown = json.loads(world.run("case", "show", an, "--json").stdout)
    assert (shown["state"], shown["mentor"]) == ("mentored", "mentor")
    assert shown["events"][-1] | {"at": None} == shown["events"][-1] | {
        "action": "assign_mentor",
        "from": "identified",
        "to": "mentored",
        "user": "sec",
        "role": "secretary",
        "at": None,
    }

    before = world.snapshot()
    again = world.run(*fire)
    assert again.exit_code != 0
    assert "assign_mentor cannot fire from state 'mentored'" in again.output
    assert world.snapshot() == before

    withdrawn = world.run(
        "case", "fire", an, "withdraw", "--as", "sec", "--reason", "chuyển trường"
    )
    assert withdrawn.exit_code == 0, withdrawn.output
    noted = world.run("case", "fire", an, "record_note", "--as", "sec", "text=đã liên hệ")
    assert noted.exit_code == 0, noted.output
    events = json.loads(world.run("case", "show", an, "--json").stdout)["events"]
    assert [(e["action"], e["reason"]) for e in events[-2:]] == [
        ("withdraw", "chuyển trường"),
        ("record_note", None),
    ]
    assert world.run("audit", "verify").exit_code == 0


BAD_INPUT = {
    "unknown case": (
        ["case", "fire", 99999, "withdraw", "--as", "sec", "--reason", "x"],
        "no case 99999",
    ),
    "case id not a number": (["case", "fire", "abc", "withdraw", "--as", "sec"], "abc"),
    "unknown user": (
        ["case", "fire", "{an}", "withdraw", "--as", "ghost", "--reason", "x"],
        "no active user 'ghost'",
    ),
    "no user": (["case", "fire", "{an}", "withdraw", "--reason", "x"], "--as"),
    "unknown trigger": (["case", "fire", "{an}", "fly", "--as", "sec"], "unknown trigger 'fly'"),
    "unknown fact": (
        ["case", "fire", "{an}", "record_rumour", "--as", "sec", "text=x"],
        "unknown trigger 'record_rumour'",
    ),
    "field without =": (
        ["case", "fire", "{an}", "assign_mentor", "--as", "sec", "mentor"],
        "mentor: expected field=value",
    ),
    "unknown field": (
        ["case", "fire", "{an}", "assign_mentor", "--as", "sec", "mentor={mentor}", "colour=red"],
        "colour: unknown field",
    ),
    "bad date": (
        ["case", "fire", "{chi}", "submit_dossier", "--as", "sec"]
        + ["vote_date=31/02/2026", "votes_for=6"],
        "vote_date: '31/02/2026' is not a date",
    ),
    "bad number": (
        ["case", "fire", "{an}", "assign_mentor", "--as", "sec", "mentor=Bình"],
        "mentor: 'Bình' is not a whole number",
    ),
    "unknown member": (
        ["case", "fire", "{an}", "assign_mentor", "--as", "sec", "mentor=99999"],
        "no party member with id 99999",
    ),
    "rule violation": (
        ["case", "fire", "{an}", "assign_mentor", "--as", "sec", "mentor={stranger}"],
        "mentor_official_member_of_cell",
    ),
    "no reason": (["case", "fire", "{an}", "withdraw", "--as", "sec"], "reason_given"),
    "auditor": (
        ["case", "fire", "{an}", "withdraw", "--as", "aud", "--reason", "x"],
        "aud may not withdraw",
    ),
    "secretary of another cell": (
        ["case", "fire", "{an}", "withdraw", "--as", "sec_other", "--reason", "x"],
        "no case",
    ),
    "stale version": (
        ["case", "fire", "{an}", "withdraw", "--as", "sec", "--reason", "x"]
        + ["--expect-version", 99],
        "changed since it was loaded",
    ),
    "wrong state": (
        ["case", "fire", "{chi}", "assign_mentor", "--as", "sec", "mentor={mentor}"],
        "cannot fire from state 'trained'",
    ),
    "show unknown case": (["case", "show", 99999], "no case 99999"),
    "show on a bad date": (
        ["case", "show", "{an}", "--at", "not-a-date"],
        "'not-a-date' is not a date",
    ),
}


@pytest.mark.parametrize(("args", "message"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_named_refused_and_changes_nothing(world, args, message):
    before = world.snapshot()
    result = world.run(*(str(a).format(**world.ids) for a in args))
    assert result.exit_code != 0, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert world.snapshot() == before


@pytest.mark.parametrize(
    "args",
    [
        ["case", "list"],
        ["case", "show", 1],
        ["case", "fire", 1, "withdraw", "--as", "sec", "--reason", "x"],
        ["audit", "verify"],
    ],
    ids=lambda args: " ".join(map(str, args[:2])),
)
def test_an_uninitialised_database_says_to_run_init(instance, args):
    result = instance.run(*args)
    assert result.exit_code != 0
    assert "hoso init" in result.output
    assert "Traceback" not in result.output


def test_case_new_puts_a_person_on_the_list_as_the_secretary(world):
    cell = world.district.cell.id
    result = world.run(
        "case",
        "new",
        "--as",
        "sec",
        "full_name=Phạm Thị Dung",
        "birth_date=20/07/2005",
        f"cell={cell}",
        "source=mass_organisation",
        "source_detail=Đoàn trường THPT Thử",
        "id_number=068305000123",
    )
    assert result.exit_code == 0, result.output
    printed, _, done = result.stdout.partition(": ")
    assert done == "identify done; state identified, version 1\n", result.stdout
    new_id = int(printed.removeprefix("case "))
    rows = json.loads(world.run("case", "list", "--json").stdout)
    assert {"id": new_id, "name": "Phạm Thị Dung", "state": "identified"} | {
        "organisation": CELL,
        "mentor": None,
    } in [{k: row[k] for k in ("id", "name", "state", "organisation", "mentor")} for row in rows]
    events = json.loads(world.run("case", "show", new_id, "--json").stdout)["events"]
    assert [(e["action"], e["user"], e["role"], e["to"]) for e in events] == [
        ("identify", "sec", "secretary", "identified")
    ]
    assert world.run("audit", "verify").exit_code == 0


NEW_PERSON = ("full_name=Phạm Thị Dung", "birth_date=2005-07-20", "source=cell_review")

NEW_BAD_INPUT = {
    "unknown user": (["--as", "ghost", "cell={cell}"], 2, "no active user 'ghost'"),
    "no user": (["cell={cell}"], 2, "--as"),
    "missing cell": (["--as", "sec"], 2, "cell: is required; cells where sec may add"),
    "unknown cell": (["--as", "sec", "cell=99999"], 2, "no party cell with id 99999"),
    "cell not a number": (["--as", "sec", "cell=Thử"], 2, "cell: 'Thử' is not a whole number"),
    "bad date": (
        ["--as", "sec", "cell={cell}", "birth_date=31/02/2005"],
        2,
        "birth_date: '31/02/2005' is not a date",
    ),
    "field without =": (["--as", "sec", "cell={cell}", "full_name"], 2, "expected field=value"),
    "unknown field": (["--as", "sec", "cell={cell}", "colour=red"], 2, "colour: unknown field"),
    "unknown source": (
        ["--as", "sec", "cell={cell}", "source=rumour"],
        2,
        "source: 'rumour' is not one of",
    ),
    "the same person again": (
        ["--as", "sec", "cell={cell}", "full_name=Nguyễn Văn An", "birth_date=1990-05-15"],
        7,
        "refused by rule single_open_case: This person already has an open case.",
    ),
    "mass organisation unnamed": (
        ["--as", "sec", "cell={cell}", "source=mass_organisation"],
        7,
        "refused by rule source_recorded",
    ),
    "a future birth date": (
        ["--as", "sec", "cell={cell}", "birth_date=2099-01-01"],
        7,
        "refused by rule person_valid",
    ),
    "another cell's secretary": (
        ["--as", "sec_other", "cell={cell}"],
        3,
        "sec_other may not add candidates to cell",
    ),
    "an auditor": (["--as", "aud", "cell={cell}"], 3, "aud is no cell's secretary"),
}


@pytest.mark.parametrize(
    ("args", "code", "message"), NEW_BAD_INPUT.values(), ids=NEW_BAD_INPUT.keys()
)
def test_case_new_refuses_bad_input_by_name_and_creates_nothing(world, args, code, message):
    before = world.snapshot()
    cell = world.district.cell.id
    # What a test gives last wins: the person's usual fields, then the case's own.
    result = world.run("case", "new", *NEW_PERSON, *(str(a).format(cell=cell) for a in args))
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert world.snapshot() == before
