"""``hoso org import`` and ``hoso user import``: rows in any order, a row report, --dry-run, and
all or nothing."""

from __future__ import annotations

import json

from tests.cli.office import ADMIN, EXAMPLES, Office

HEADER = "code,name,parent,type,mass_kind,decides_admissions,valid_from,valid_until\n"


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_organisations_in_any_order(runtime, database_url, tmp_path):
    office = Office(database_url, tmp_path)
    office.set_up()
    lines = (EXAMPLES / "organisations.csv").read_text(encoding="utf-8").splitlines()
    reversed_file = _write(tmp_path, "reversed.csv", "\n".join([lines[0], *lines[:0:-1]]) + "\n")
    report = json.loads(office.ok("org", "import", reversed_file, "--as", ADMIN, "--json").output)
    assert (report["committed"], report["imported"], report["refused"]) == (True, 7, 0)
    assert len({row["id"] for row in report["results"]}) == 6
    assert len(office.json("org", "list", "--as", ADMIN)) == 7


def test_refused_rows_are_listed_and_nothing_is_stored(office, tmp_path):
    before = office.ok("audit", "verify").output
    bad = _write(
        tmp_path,
        "bad.csv",
        HEADER
        + "A,Chi bộ A,Không có,cell,,,,\n"  # unknown parent
        + "B,Chi bộ B,Đảng ủy xã Đức Trọng,nhóm,,,,\n"  # unknown kind
        + f"C,{'x' * 300},Đảng ủy xã Đức Trọng,cell,,,,\n"  # too long
        + "D,Chi bộ D,E,cell,,,,\n"  # a cycle: D under E under D
        + "E,Đảng ủy E,D,committee,,,,\n"
        + "F,Chi bộ F,Đảng ủy xã Đức Trọng,cell,,,32/13/2025,\n"  # not a date
        + "G,Đoàn G,Trung tâm Chính trị tỉnh Lâm Đồng,mass,doan,,,\n"  # not under a centre
        + "H,Chi bộ thôn Hiệp An,Đảng ủy xã Đức Trọng,cell,,,,\n"  # the name is taken
        + "I,Chi bộ I,Đảng ủy xã Đức Trọng,cell,,có,,\n"  # a cell does not decide
        + "J,Chi bộ J,Đảng ủy xã Đức Trọng,cell,,,01/01/2020,\n"  # before the commune existed
        + "K,Chi bộ K,Đảng ủy xã Đức Trọng,cell,,,,01/01/2099\n"  # dissolved in the future
        + "L,Chi bộ L,Đảng ủy xã Đức Trọng,cell,,,,\n",  # good
    )
    for extra in ((), ("--dry-run",)):
        result = office.run("org", "import", bad, "--as", ADMIN, *extra)
        assert result.exit_code == 7, result.output
        assert "Traceback" not in result.output
    report = json.loads(office.run("org", "import", bad, "--as", ADMIN, "--json").output)
    problems = {
        row["row"]: row["problems"][0]["field"] for row in report["results"] if row["problems"]
    }
    assert problems == {
        2: "parent",
        3: "type",
        4: "name",
        5: "parent",
        6: "parent",
        7: "valid_from",
        8: "parent",
        9: "name",
        10: "decides_admissions",
        11: "parent",
        12: "valid_until",
    }
    assert report["committed"] is False and report["results"][-1]["status"] == "ok"
    assert office.ok("audit", "verify").output == before
    assert len(office.json("org", "list", "--as", ADMIN)) == 7


def test_an_unreadable_file_exits_2(office, tmp_path):
    empty = _write(tmp_path, "empty.csv", "")
    no_header = _write(tmp_path, "x.csv", "a,b\n1,2\n")
    for path in (empty, no_header):
        result = office.run("org", "import", path, "--as", ADMIN)
        assert result.exit_code == 2 and str(path) in result.output


def test_users_import_refusals(office, tmp_path):
    before = office.ok("audit", "verify").output
    bad = _write(
        tmp_path,
        "users.csv",
        "username,full_name,role,organisation\n"
        + "tranthib,Trần Thị Bích,mentor,Chi bộ thôn Hiệp An\n"  # taken
        + "moi1,Người Mới,boss,Chi bộ thôn Hiệp An\n"  # unknown role
        + "moi2,Người Mới,mentor,Chi bộ không có\n"  # unknown organisation
        + f"moi3,{'x' * 300},,\n"  # too long
        + "moi4,Người Bốn,mentor,\n"  # a role needs its organisation
        + "moi5,Người Năm,mentor,Huyện ủy Đức Trọng\n"  # dissolved
        + "moi6,Người Sáu,,\n"
        + "moi6,Người Khác,,\n",  # differs from the row before
    )
    report = json.loads(office.run("user", "import", bad, "--as", ADMIN, "--json").output)
    problems = {
        row["row"]: row["problems"][0]["field"] for row in report["results"] if row["problems"]
    }
    assert problems == {
        2: "username",
        3: "role",
        4: "organisation",
        5: "full_name",
        6: "organisation",
        7: "organisation",
        9: "full_name",
    }
    assert office.ok("audit", "verify").output == before
    with_password = _write(
        tmp_path, "pw.csv", "username,full_name,password\nmoi7,Bảy,Secret-1234\n"
    )
    result = office.run("user", "import", with_password, "--as", ADMIN)
    assert result.exit_code == 2 and "password column" in result.output


def test_a_users_dry_run_stores_nothing(office, tmp_path):
    good = _write(tmp_path, "u.csv", "username,full_name,role,organisation\nmoi8,Tám,mentor,#6\n")
    dry = office.ok("user", "import", good, "--as", ADMIN, "--dry-run")
    assert "nothing was stored" in dry.output
    assert "moi8" not in {row["username"] for row in office.json("user", "list", "--as", ADMIN)}
