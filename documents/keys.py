"""The dotted keys that name a datum of the dossier (``votes.cell.held_on``), and their labels.

A key walks the dicts of ``db.read.dossier.dossier_data``; on a list, a segment selects the items
of that ``kind`` (``introductions.member``: the introductions by party members).
"""

from __future__ import annotations

from typing import Any

#: What each key means, in the words of the forms (for the message of ``MissingData``).
LABELS: dict[str, str] = {
    "person.full_name": "họ và tên người vào Đảng",
    "person.birth_date": "ngày sinh",
    "cell.name": "tên chi bộ",
    "grassroots.name": "tên đảng bộ cơ sở (cấp ủy trên chi bộ)",
    "deciding.name": "tên cấp ủy có thẩm quyền quyết định kết nạp",
    "certificate.number": "số giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng",
    "certificate.issued_on": "ngày cấp giấy chứng nhận",
    "certificate.issuer": "nơi cấp giấy chứng nhận",
    "introductions.member": "đảng viên giới thiệu (3-KNĐ)",
    "introductions.doan": "nghị quyết giới thiệu của Đoàn",
    "introductions.congdoan": "nghị quyết giới thiệu của Công đoàn",
    "mentor.name": "đảng viên được phân công giúp đỡ",
    "votes.cell.held_on": "ngày chi bộ biểu quyết đề nghị kết nạp",
    "votes.cell.votes_for": "số đảng viên tán thành kết nạp",
    "votes.cell.eligible": "tổng số đảng viên chính thức của chi bộ",
    "votes.grassroots.held_on": "ngày đảng ủy biểu quyết đề nghị kết nạp",
    "votes.grassroots.votes_for": "số cấp ủy viên tán thành kết nạp",
    "votes.grassroots.eligible": "tổng số cấp ủy viên",
    "votes.recognition.held_on": "ngày chi bộ biểu quyết đề nghị công nhận chính thức",
    "votes.recognition.votes_for": "số đảng viên tán thành công nhận chính thức",
    "votes.recognition.eligible": "tổng số đảng viên chính thức của chi bộ (công nhận)",
    "decisions.admission.number": "số quyết định kết nạp",
    "decisions.admission.signed_on": "ngày quyết định kết nạp",
    "decisions.recognition.number": "số quyết định công nhận đảng viên chính thức",
    "decisions.recognition.signed_on": "ngày quyết định công nhận đảng viên chính thức",
    "case.ceremony_on": "ngày lễ kết nạp",
}

_MISSING = object()


def describe_key(key: str) -> str:
    """The label of `key` and the key itself: ``ngày sinh (person.birth_date)``."""
    label = LABELS.get(key)
    return f"{label} ({key})" if label else key


def lookup(data: dict[str, Any], key: str) -> Any:
    """The value at `key`, or ``None`` when it (or anything on the way) is absent or empty."""
    value: Any = data
    for segment in key.split("."):
        if isinstance(value, dict):
            value = value.get(segment, _MISSING)
        elif isinstance(value, list):
            value = [
                item for item in value if isinstance(item, dict) and item.get("kind") == segment
            ]
        else:
            return None
        if value is _MISSING or value is None or value == "" or value == []:
            return None
    return value


def missing_keys(data: dict[str, Any], keys: tuple[str, ...]) -> list[str]:
    """The keys among `keys` that `data` lacks, in the order given."""
    return [key for key in keys if lookup(data, key) is None]
