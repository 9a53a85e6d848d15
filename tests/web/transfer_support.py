"""What the import and export tests share: the demo's names, files, and snapshots."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from db.models import Case, ChainHead, Event, Person
from workflow.importing.sheet import parse_sheet
from workflow.services.importing import import_candidates

CVA = "Chi bộ trường THPT Chu Văn An"
DONG_THUY = "Chi bộ Công ty TNHH Đồng Thúy"
SECRETARY = "bithu.chuvanan"


def run_import(runtime, actor, data: bytes, name: str, **options):
    """What ``hoso import`` does: read the file, then the use case, in one unit of work."""
    return import_candidates(runtime.uow(), actor, parse_sheet(data, name), **options)


def csv_file(*lines: str, header: str = "Họ và tên;Ngày sinh;Giới tính;Số CCCD") -> bytes:
    return ("\ufeff" + "\r\n".join((header, *lines)) + "\r\n").encode("utf-8")


GOOD = csv_file(
    "Nguyễn Thị Ánh Tuyết;14/01/2008;nữ;068308000001",
    "Đặng Văn Đức;01/12/2007;nam;068207000002",
)
MIXED = csv_file(
    "Nguyễn Thị Ánh Tuyết;14/01/2008;nữ;068308000001",
    "Sai Ngày Sinh;31/02/2007;nam;068207000003",
    "Trùng Số;01/01/2007;nam;068308000001",
)


def snapshot(runtime) -> tuple:
    with runtime.sessions() as session:
        return (
            session.scalar(select(func.count()).select_from(Case)),
            session.scalar(select(func.count()).select_from(Event)),
            session.scalar(select(ChainHead.digest)),
        )


def imported_people(runtime) -> list[tuple[str, str, str | None]]:
    with runtime.sessions() as session:
        rows = session.execute(
            select(Person.full_name, Case.source, Case.source_detail)
            .join(Case, Case.person_id == Person.id)
            .where(Case.source == "import_file")
            .order_by(Case.id)
        )
        return [tuple(row) for row in rows]


def upload(browser, data: bytes, name: str = "danh sách.csv"):
    token = browser.csrf("/candidates/import")
    return browser.client.post(
        "/candidates/import",
        data={"csrf_token": token, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def confirm_fields(page: str) -> dict[str, str]:
    form = re.search(
        r'<form method="post" action="/candidates/import/confirm".*?</form>', page, re.S
    )
    assert form, "no confirmation form"
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(0)))


def text_of(markup: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup))
