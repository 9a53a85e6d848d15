"""``hoso docs render CASE_ID CODE -o FILE`` and ``hoso docs packet CASE_ID -o FILE``: the PDFs
the case page serves, for the operator (who reads every case, as with ``hoso case show``).

A form is its newest generated copy, drawn again from the data it keeps with its verification
code, else a printable draft filled from the case now; the packet is every form of the case in
one PDF (``db.read.packets``), from the packet cache (``db.packets``) when nothing it is made
from has changed. The verification URLs printed (and their QR codes) start with
``HOSO_BASE_URL`` (or ``base_url`` in ``[reminders]`` of ``hoso.toml``: ``settings.reminders``),
the address people reach the web app at; without it the code is printed alone. The file is
written whole or not at all.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path
from typing import NoReturn

import click

from db.packets import PacketCache, packet_pdf
from db.read.documents import case_generated
from db.read.dossier import dossier_data
from db.read.packets import plan_packet
from documents.errors import DocumentError, MissingData
from documents.registry import FORMS
from web.cli.common import domain_errors, runtime
from web.converters import ID
from workflow.clock import Clock
from workflow.errors import InvalidInput, NotFound

#: A form whose data are missing, and an unusable output path, are bad input.
EXIT_BAD_INPUT = 2
#: WeasyPrint or a template failed.
EXIT_RENDER = 1


@click.group()
def docs() -> None:
    """The forms of a case as PDFs, as the case page serves them."""


# --- what both commands share ---------------------------------------------------------------


def _output(path: str) -> Path:
    """The file to write, once its folder is known to exist (checked before rendering)."""
    target = Path(path).expanduser()
    folder = target.parent
    if not folder.is_dir():
        raise InvalidInput("-o", f"no folder {str(folder)!r} to write {target.name!r} in")
    if target.is_dir():
        raise InvalidInput("-o", f"{str(target)!r} is a folder; name a file")
    return target


def _verify_url(base: str | None, code: str) -> str | None:
    """The web's ``/verify/<code>`` page at `base`, as the case page's downloads print it."""
    return f"{base.rstrip('/')}/verify/{code}" if base else None


def _fail(err: DocumentError) -> NoReturn:
    click.echo(f"error ({type(err).__name__}): {err}", err=True)
    raise SystemExit(EXIT_BAD_INPUT if isinstance(err, MissingData) else EXIT_RENDER)


def _write(content: bytes, target: Path) -> Path:
    from documents.render import write_pdf  # WeasyPrint is slow to load

    try:
        return write_pdf(content, target)
    except OSError as err:
        raise InvalidInput("-o", f"cannot write {str(target)!r}: {err.strerror or err}") from err


_DICT_STREAM = re.compile(rb"<<((?:[^<>]|<<[^<>]*>>)*)>>\s*stream\r?\n")
_LENGTH = re.compile(rb"/Length\s+(\d+)\b")
_PAGE = re.compile(rb"/Type\s*/Page\b(?!s)")


def page_count(pdf: bytes) -> int:
    """The number of pages of a PDF, its object streams (as WeasyPrint writes them) included."""
    count = len(_PAGE.findall(pdf))
    for match in _DICT_STREAM.finditer(pdf):
        head = match.group(1)
        length = _LENGTH.search(head)
        if b"/ObjStm" not in head or b"/FlateDecode" not in head or length is None:
            continue
        start = match.end()
        try:
            body = zlib.decompress(pdf[start : start + int(length.group(1))])
        except zlib.error:
            continue
        count += len(_PAGE.findall(body))
    return count


def _report(target: Path, content: bytes, what: str) -> None:
    pages = page_count(content)
    size = f"{len(content) / 1024:.1f} kB"
    click.echo(f"{target}: {what}, {pages} page{'s' if pages != 1 else ''}, {size}")


def _no_case(case_id: int) -> NotFound:
    return NotFound(f"no case {case_id}")


# --- the commands ---------------------------------------------------------------------------


@docs.command("render")
@click.argument("case_id", type=ID)
@click.argument("code")
@click.option("-o", "--output", "output", required=True, metavar="FILE", help="The PDF to write.")
@domain_errors
def render_command(case_id: int, code: str, output: str) -> None:
    """Write form CODE of a case (1-KNĐ, 9-KNĐ...): its newest generated copy, else a draft
    filled from the case now."""
    if code not in FORMS:
        raise InvalidInput("CODE", f"unknown form {code!r} (known: {', '.join(FORMS)})")
    target = _output(output)
    rt = runtime()
    base = rt.settings.reminders.base_url
    from documents.render import render_form  # WeasyPrint is slow to load

    with rt.sessions() as session:
        made = case_generated(session, case_id, code=code)
        try:
            dossier = made.data if made else dossier_data(session, case_id, rt.settings.rules)
        except LookupError:
            raise _no_case(case_id) from None
    try:
        if made is not None:
            content = render_form(
                code,
                dossier,
                issued_on=made.issued_on,
                verify_code=made.verify_code,
                verify_url=_verify_url(base, made.verify_code),
            )
            what = f"{code}, generated copy {made.number}, verification code {made.verify_code}"
        else:
            content = render_form(code, dossier, issued_on=Clock.system().today)
            what = f"{code}, draft"
    except DocumentError as err:
        _fail(err)
    _report(_write(content, target), content, what)
    if made is not None and base is None:
        _no_base_warning()


@docs.command("packet")
@click.argument("case_id", type=ID)
@click.option("-o", "--output", "output", required=True, metavar="FILE", help="The PDF to write.")
@domain_errors
def packet_command(case_id: int, output: str) -> None:
    """Write every form of a case, in the dossier's order, as one PDF (cached until what it is
    made from changes)."""
    target = _output(output)
    rt = runtime()
    base = rt.settings.reminders.base_url
    with rt.sessions() as session:
        try:
            plan = plan_packet(
                session,
                case_id,
                rt.settings.rules,
                Clock.system().today,
                lambda code: _verify_url(base, code),
            )
        except LookupError:
            raise _no_case(case_id) from None
    if not plan.codes:
        raise InvalidInput("CASE_ID", f"no form of case {case_id} can be filled yet")
    try:
        content, cached = packet_pdf(plan, PacketCache.in_instance())
    except DocumentError as err:
        _fail(err)
    forms = f"{len(plan.codes)} forms ({', '.join(plan.codes)})"
    _report(_write(content, target), content, forms + (", from the cache" if cached else ""))
    if base is None and any(meta.get("verify_code") for meta in plan.meta.values()):
        _no_base_warning()


def _no_base_warning() -> None:
    click.echo(
        "note: the verification code is printed without its URL and QR code; set HOSO_BASE_URL"
        " (or base_url in [reminders] of hoso.toml) to the web app's address to print them",
        err=True,
    )
