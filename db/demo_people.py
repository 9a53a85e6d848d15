"""The people of the demo district: name lists and the deterministic making of party members.

Nothing here is random: every name, date and number follows from an index, so that two loads of
the demo produce the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

FAMILY = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Trịnh",
    "Lâm",
    "Mai",
    "Cao",
    "Hà",
    "Lương",
    "Tạ",
)
MIDDLE_MALE = (
    "Văn",
    "Hữu",
    "Đức",
    "Minh",
    "Quốc",
    "Thanh",
    "Công",
    "Xuân",
    "Đình",
    "Ngọc",
    "Trọng",
    "Quang",
)
MIDDLE_FEMALE = (
    "Thị",
    "Thị Thu",
    "Ngọc",
    "Thị Hồng",
    "Thị Kim",
    "Thanh",
    "Phương",
    "Thị Mỹ",
    "Hoài",
    "Thị Minh",
    "Bảo",
    "Thị Thanh",
)
GIVEN_MALE = (
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hải",
    "Hùng",
    "Khánh",
    "Long",
    "Nam",
    "Phong",
    "Quang",
    "Sơn",
    "Tâm",
    "Thắng",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
    "Hiếu",
    "Đạt",
    "Huy",
    "Lộc",
    "Phúc",
    "Tài",
    "Thịnh",
    "Toàn",
    "Kiên",
    "Nghĩa",
)
GIVEN_FEMALE = (
    "Anh",
    "Chi",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hoa",
    "Hương",
    "Lan",
    "Linh",
    "Mai",
    "Ngân",
    "Nhung",
    "Oanh",
    "Phương",
    "Quyên",
    "Thảo",
    "Trang",
    "Tuyết",
    "Vân",
    "Yến",
    "Thủy",
    "Loan",
    "Hiền",
    "Huyền",
)

#: Communes and the town of huyện Đức Trọng (before the 2025 reorganisation).
COMMUNES = (
    "thị trấn Liên Nghĩa",
    "xã Hiệp An",
    "xã Hiệp Thạnh",
    "xã Liên Hiệp",
    "xã Phú Hội",
    "xã N'Thol Hạ",
    "xã Ninh Gia",
    "xã Ninh Loan",
    "xã Tân Hội",
    "xã Tân Thành",
    "xã Bình Thạnh",
    "xã Đà Loan",
    "xã Tà Năng",
    "xã Tà Hine",
    "xã Đa Quyn",
)
#: Where many families of the district came from.
HOMETOWNS = (
    "Đức Trọng, Lâm Đồng",
    "Hải Hậu, Nam Định",
    "Thọ Xuân, Thanh Hóa",
    "Can Lộc, Hà Tĩnh",
    "Điện Bàn, Quảng Nam",
    "Quỳnh Lưu, Nghệ An",
    "Bố Trạch, Quảng Bình",
    "Tuy Phước, Bình Định",
    "Kiến Xương, Thái Bình",
    "Đức Phổ, Quảng Ngãi",
)
DISTRICT = "huyện Đức Trọng, tỉnh Lâm Đồng"


def residence(index: int, hamlet: int | None = None) -> str:
    """An address in the district: a hamlet (thôn) or residential group (tổ dân phố)."""
    commune = COMMUNES[index % len(COMMUNES)]
    number = hamlet if hamlet is not None else 1 + (index * 5) % 9
    unit = "Tổ dân phố" if commune.startswith("thị trấn") else "Thôn"
    return f"{unit} {number}, {commune}, {DISTRICT}"


def place_of_birth(index: int) -> str:
    commune = COMMUNES[index % len(COMMUNES)].removeprefix("thị trấn ").removeprefix("xã ")
    return f"{commune}, Đức Trọng, Lâm Đồng"


def id_number(born: date, sex: str, serial: int) -> str:
    """A 12-digit citizen ID (CCCD): Lâm Đồng's code 068, century and sex, year, serial."""
    century = 0 if born.year < 2000 else 2
    digit = century + (1 if sex == "nữ" else 0)
    return f"068{digit}{born.year % 100:02d}{(serial * 7919 + 104729) % 1_000_000:06d}"


def member_name(index: int, sex: str) -> str:
    """The index-th generated name of the given sex (distinct for distinct indexes < 1000)."""
    family = FAMILY[(index * 7) % len(FAMILY)]
    if sex == "nữ":
        middle = MIDDLE_FEMALE[(index * 5 + index // len(MIDDLE_FEMALE)) % len(MIDDLE_FEMALE)]
        given = GIVEN_FEMALE[(index * 11 + 3) % len(GIVEN_FEMALE)]
    else:
        middle = MIDDLE_MALE[(index * 5 + index // len(MIDDLE_MALE)) % len(MIDDLE_MALE)]
        given = GIVEN_MALE[(index * 11 + 3) % len(GIVEN_MALE)]
    return f"{family} {middle} {given}"


@dataclass(frozen=True)
class MemberSeed:
    """A party member of a cell before the demo's history starts (or transferred in)."""

    key: str
    full_name: str
    sex: str
    birth_date: date
    occupation: str
    status: str  # official | probationary
    admitted_on: date
    official_since: date | None
    excused: bool = False
    note: str = ""


@dataclass(frozen=True)
class CellRoster:
    """How a cell's membership is made: how many official members, who is transferred in."""

    key: str
    officials: int
    #: Job titles, in order: the secretary first, then the deputy, then everyone else.
    jobs: tuple[str, ...]
    #: (name, sex, birth date, job, admitted on, where) of probationary members transferred in.
    transfers: tuple[tuple[str, str, date, str, date, str], ...] = ()
    #: Named members (the demo accounts' people): position -> (name, sex).
    named: tuple[tuple[int, str, str], ...] = ()


def roster_members(roster: CellRoster, start: int) -> list[MemberSeed]:
    """The roster's members, official ones first; the last official one is excused."""
    named = {position: (name, sex) for position, name, sex in roster.named}
    people: list[MemberSeed] = []
    for position in range(roster.officials):
        index = start + position
        sex = "nữ" if (index * 3) % 5 in (0, 2) else "nam"
        name = member_name(index, sex)
        if position in named:
            name, sex = named[position]
        excused = position == roster.officials - 1
        if excused:
            born = date(1968 + index % 6, 1 + (index * 5) % 12, 1 + (index * 7) % 27)
        else:
            born = date(1966 + (index * 7) % 27, 1 + (index * 5) % 12, 1 + (index * 11) % 27)
        admitted_year = min(born.year + 23 + (index * 3) % 8, 2018)
        admitted = date(admitted_year, 1 + (index * 7) % 12, 2 + (index * 13) % 26)
        official = date(admitted.year + 1, admitted.month, admitted.day)
        job = roster.jobs[min(position, len(roster.jobs) - 1)]
        if excused:
            job = roster.jobs[-1]
        people.append(
            MemberSeed(
                key=f"{roster.key}.{position}",
                full_name=name,
                sex=sex,
                birth_date=born,
                occupation=job,
                status="official",
                admitted_on=admitted,
                official_since=official,
                excused=excused,
                note="miễn sinh hoạt do điều trị bệnh dài ngày" if excused else "",
            )
        )
    for offset, (name, sex, born, job, admitted, where) in enumerate(roster.transfers):
        people.append(
            MemberSeed(
                key=f"{roster.key}.p{offset}",
                full_name=name,
                sex=sex,
                birth_date=born,
                occupation=job,
                status="probationary",
                admitted_on=admitted,
                official_since=None,
                note=f"kết nạp tại {where}, chuyển sinh hoạt đảng về chi bộ",
            )
        )
    return people


_SCHOOL_JOBS = (
    "Hiệu trưởng",
    "Phó Hiệu trưởng",
    "Giáo viên môn Ngữ văn",
    "Giáo viên môn Toán",
    "Giáo viên môn Lịch sử",
    "Giáo viên môn Vật lý",
    "Giáo viên môn Hóa học",
    "Giáo viên môn Tiếng Anh",
    "Giáo viên môn Giáo dục kinh tế và pháp luật",
    "Giáo viên môn Sinh học",
    "Nhân viên văn phòng",
    "Giáo viên (miễn sinh hoạt)",
)

ROSTERS: tuple[CellRoster, ...] = (
    CellRoster(
        "cva",
        9,
        _SCHOOL_JOBS,
        named=((0, "Nguyễn Thị Thanh Hà", "nữ"), (2, "Trần Văn Hùng", "nam")),
    ),
    CellRoster(
        "dt",
        7,
        _SCHOOL_JOBS,
        transfers=(
            (
                "Phạm Thị Ngọc Ánh",
                "nữ",
                date(2002, 6, 14),
                "Giáo viên môn Tiếng Anh",
                date(2026, 3, 26),
                "Đảng bộ Trường Đại học Đà Lạt",
            ),
        ),
    ),
    CellRoster("nbk", 6, _SCHOOL_JOBS),
    CellRoster(
        "ltv",
        6,
        _SCHOOL_JOBS,
        transfers=(
            (
                "Lê Hoàng Phúc",
                "nam",
                date(2001, 11, 2),
                "Giáo viên môn Tin học",
                date(2026, 1, 15),
                "Đảng bộ Trường Đại học Sư phạm TP. Hồ Chí Minh",
            ),
        ),
    ),
    CellRoster(
        "hht",
        5,
        _SCHOOL_JOBS,
        transfers=(
            (
                "Đinh Thị Mỹ Duyên",
                "nữ",
                date(2002, 2, 20),
                "Giáo viên môn Địa lý",
                date(2026, 4, 9),
                "Đảng bộ Trường Đại học Đà Lạt",
            ),
        ),
    ),
    CellRoster("ntr", 6, _SCHOOL_JOBS),
    CellRoster(
        "dtt",
        8,
        (
            "Giám đốc",
            "Phó Giám đốc điều hành",
            "Trưởng phòng điều hành xe",
            "Kế toán trưởng",
            "Đội trưởng đội xe",
            "Nhân viên kỹ thuật",
            "Lái xe taxi",
            "Nhân viên (miễn sinh hoạt)",
        ),
        named=((2, "Phạm Minh Đức", "nam"),),
    ),
    CellRoster(
        "ph",
        7,
        (
            "Phó Giám đốc",
            "Trưởng phòng nhân sự",
            "Quản đốc phân xưởng may",
            "Tổ trưởng tổ cắt",
            "Nhân viên kiểm hàng (KCS)",
            "Tổ trưởng tổ may",
            "Nhân viên (miễn sinh hoạt)",
        ),
        transfers=(
            (
                "Ngô Văn Thành",
                "nam",
                date(2003, 9, 8),
                "Nhân viên bảo vệ",
                date(2025, 12, 18),
                "Đảng bộ Trung đoàn 994, Bộ Chỉ huy Quân sự tỉnh",
            ),
        ),
    ),
    CellRoster(
        "ht",
        5,
        (
            "Giám đốc",
            "Trưởng trại rau",
            "Kỹ sư nông nghiệp",
            "Nhân viên kho vận",
            "Nhân viên (miễn sinh hoạt)",
        ),
        transfers=(
            (
                "Bùi Quang Vinh",
                "nam",
                date(2004, 4, 27),
                "Công nhân kho lạnh",
                date(2026, 2, 5),
                "Đảng bộ Sư đoàn 7, Quân đoàn 4",
            ),
        ),
    ),
)
