"""The enterprise registry and its survey: who reads it, the admins' edits, and the figure of the
targets report (the enterprises without a party organisation and their workforce).

The committee and the auditors read the enterprises kept by the committees in the scope of their
grants; admins read them and create or edit them within theirs, each change an administrative
event of the history (``db.admin._log``). Refusals name the field (InvalidInput) with the texts
below, which the web words in the user's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.orm import Session, aliased, sessionmaker

from db.admin import _log, _unit
from db.models import Enterprise, Organisation
from db.text import fold
from workflow.errors import InvalidInput, NotAllowed, NotFound
from workflow.facts import Actor
from workflow.states import OrgType, Role

SURVEY_STATUSES = ("not_surveyed", "surveyed", "plan_agreed")
#: The roles that read the registry, each within its grant's scope; admins also edit it.
READERS: tuple[str, ...] = (Role.committee, Role.auditor, Role.admin)
TAX_CODE_RE = re.compile(r"\d{10}|\d{13}")
WORKFORCE_MAX = 1_000_000

# The refusals' texts (the web translates them).
REQUIRED = "required"
TOO_LONG = "too long"
TAX_CODE_FORM = "a tax code has 10 or 13 digits"
TAX_CODE_TAKEN = "an enterprise with this tax code is already registered"
WORKFORCE_RANGE = "a whole number from 0 to 1000000"
UNKNOWN_CHOICE = "not one of the choices"


# --- scope -------------------------------------------------------------------------------------


def reader_paths(actor: Actor) -> list[str]:
    """The scope paths the actor reads the registry under (empty: not at all)."""
    return sorted({g.scope_path for g in actor.grants if g.role in READERS})


def may_read(actor: Actor) -> bool:
    return bool(reader_paths(actor))


def _admin_paths(actor: Actor) -> list[str]:
    paths = sorted({g.scope_path for g in actor.grants_for(Role.admin)})
    if not paths:
        raise NotAllowed("only an admin edits the enterprise registry")
    return paths


def _under(column, paths: list[str] | None) -> ColumnElement[bool]:
    if paths is None:
        return true()
    if not paths:
        return false()
    return or_(*(column.startswith(p) for p in paths))


# --- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EnterpriseRow:
    id: int
    name: str
    tax_code: str | None
    address: str | None
    workforce: int
    cell_id: int | None
    cell_name: str | None
    has_doan: bool
    has_congdoan: bool
    committee_id: int
    committee_name: str
    survey_status: str
    surveyed_on: date | None
    plan: str | None


def _rows(session: Session, paths: list[str] | None, *where: Any) -> list[EnterpriseRow]:
    committee = aliased(Organisation)
    cell = aliased(Organisation)
    query = (
        select(Enterprise, committee.name, cell.name)
        .join(committee, committee.id == Enterprise.committee_id)
        .outerjoin(cell, cell.id == Enterprise.cell_id)
        .where(_under(committee.path, paths), *where)
    )
    rows = [
        EnterpriseRow(
            e.id,
            e.name,
            e.tax_code,
            e.address,
            e.workforce,
            e.cell_id,
            cell_name,
            e.has_doan,
            e.has_congdoan,
            e.committee_id,
            committee_name,
            e.survey_status,
            e.surveyed_on,
            e.plan,
        )
        for e, committee_name, cell_name in session.execute(query)
    ]
    return sorted(rows, key=lambda r: fold(r.name))


def enterprises(
    session: Session, actor: Actor, has_cell: bool | None = None, status: str | None = None
) -> list[EnterpriseRow]:
    """The enterprises in the reader's scope, by name; filtered on a party cell and the survey."""
    paths = reader_paths(actor)
    if not paths:
        raise NotAllowed("only the committee, auditors and admins read the enterprise registry")
    where = []
    if has_cell is not None:
        where.append(Enterprise.cell_id.is_not(None) if has_cell else Enterprise.cell_id.is_(None))
    if status is not None:
        where.append(Enterprise.survey_status == status)
    return _rows(session, paths, *where)


def enterprise(session: Session, actor: Actor, enterprise_id: int) -> EnterpriseRow:
    """One enterprise in the reader's scope (NotFound otherwise)."""
    paths = reader_paths(actor)
    if not paths:
        raise NotAllowed("only the committee, auditors and admins read the enterprise registry")
    rows = _rows(session, paths, Enterprise.id == enterprise_id)
    if not rows:
        raise NotFound(f"enterprise {enterprise_id}")
    return rows[0]


def choices(session: Session, actor: Actor, type: str) -> list[tuple[int, str]]:
    """The committees (``type`` committee) or cells in the admin's scope, as (id, name)."""
    paths = _admin_paths(actor)
    query = select(Organisation.id, Organisation.name).where(
        Organisation.type == type, _under(Organisation.path, paths)
    )
    return sorted(((i, n) for i, n in session.execute(query)), key=lambda r: fold(r[1]))


@dataclass(frozen=True)
class WithoutParty:
    """The enterprises without a party organisation: where the 2% target can grow."""

    rows: list[EnterpriseRow]

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def workforce(self) -> int:
        return sum(r.workforce for r in self.rows)


def without_party(session: Session, paths: list[str] | None) -> WithoutParty:
    """The enterprises with no party cell kept by committees under `paths` (``None``: all),
    the largest workforce first."""
    rows = _rows(session, paths, Enterprise.cell_id.is_(None))
    return WithoutParty(sorted(rows, key=lambda r: -r.workforce))


# --- the admins' edits -------------------------------------------------------------------------


def parse_tax_code(raw: str | None) -> str | None:
    """A tax code (mã số thuế): 10 digits, or 13 for a branch ("0101234567-001"); blank: none."""
    text = re.sub(r"[\s.-]", "", raw or "")
    if not text:
        return None
    if not TAX_CODE_RE.fullmatch(text):
        raise InvalidInput("tax_code", TAX_CODE_FORM)
    return text


def _text(field: str, raw: str | None, limit: int, required: bool = False) -> str | None:
    text = (raw or "").strip()
    if required and not text:
        raise InvalidInput(field, REQUIRED)
    if len(text) > limit:
        raise InvalidInput(field, TOO_LONG)
    return text or None


def _values(
    *,
    name: str,
    tax_code: str | None = None,
    address: str | None = None,
    workforce: int | None = 0,
    cell_id: int | None = None,
    has_doan: bool = False,
    has_congdoan: bool = False,
    committee_id: int | None = None,
    survey_status: str = "not_surveyed",
    surveyed_on: date | None = None,
    plan: str | None = None,
) -> dict[str, Any]:
    if workforce is None or not 0 <= workforce <= WORKFORCE_MAX:
        raise InvalidInput("workforce", WORKFORCE_RANGE)
    if survey_status not in SURVEY_STATUSES:
        raise InvalidInput("survey_status", UNKNOWN_CHOICE)
    if committee_id is None:
        raise InvalidInput("committee_id", REQUIRED)
    return {
        "name": _text("name", name, 200, required=True),
        "tax_code": parse_tax_code(tax_code),
        "address": _text("address", address, 300),
        "workforce": workforce,
        "cell_id": cell_id,
        "has_doan": bool(has_doan),
        "has_congdoan": bool(has_congdoan),
        "committee_id": committee_id,
        "survey_status": survey_status,
        "surveyed_on": surveyed_on,
        "plan": _text("plan", plan, 4000),
    }


def _check(session: Session, paths: list[str], values: dict[str, Any], but: int | None) -> None:
    """The committee and the cell are in the admin's scope and of their kind; the tax code is
    free."""
    for field, type in (("committee_id", OrgType.committee), ("cell_id", OrgType.cell)):
        org_id = values[field]
        if org_id is None:
            continue
        org = session.get(Organisation, org_id)
        if org is None or org.type != type or not any(org.path.startswith(p) for p in paths):
            raise InvalidInput(field, UNKNOWN_CHOICE)
    if values["tax_code"]:
        query = select(Enterprise.id).where(Enterprise.tax_code == values["tax_code"])
        if but is not None:
            query = query.where(Enterprise.id != but)
        if session.scalar(query.limit(1)) is not None:
            raise InvalidInput("tax_code", TAX_CODE_TAKEN)


def _logged(values: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v.isoformat() if isinstance(v, date) else v for k, v in values.items() if v is not None
    }


def create_enterprise(sessions: sessionmaker[Session], actor: Actor, **raw: Any) -> int:
    """Register an enterprise kept by a committee in the admin's scope; returns its id."""
    paths = _admin_paths(actor)
    values = _values(**raw)
    with _unit(sessions) as session:
        _check(session, paths, values, None)
        row = Enterprise(**values)
        session.add(row)
        session.flush()
        _log(
            session,
            actor,
            "create_enterprise",
            values["committee_id"],
            enterprise=row.id,
            **_logged(values),
        )
        session.commit()
        return row.id


def update_enterprise(
    sessions: sessionmaker[Session], actor: Actor, enterprise_id: int, **raw: Any
) -> None:
    """Change an enterprise in the admin's scope (NotFound otherwise)."""
    paths = _admin_paths(actor)
    values = _values(**raw)
    with _unit(sessions) as session:
        row = session.get(Enterprise, enterprise_id)
        keeper = session.get(Organisation, row.committee_id) if row is not None else None
        if keeper is None or not any(keeper.path.startswith(p) for p in paths):
            raise NotFound(f"enterprise {enterprise_id}")
        _check(session, paths, values, enterprise_id)
        for key, value in values.items():
            setattr(row, key, value)
        _log(
            session,
            actor,
            "update_enterprise",
            values["committee_id"],
            enterprise=enterprise_id,
            **_logged(values),
        )
        session.commit()
