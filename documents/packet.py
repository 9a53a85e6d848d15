"""The dossier packet as one PDF: a cover, then each form in the order given (its signed scan
where one is bound, else the form drawn from the data, marked "BẢN DỰ THẢO" when it is a draft),
with one bookmark per form, named by its title, at its first page.

The forms and the image scans are laid out in ONE WeasyPrint pass (an image scan is a page of
its own); the cover is laid out after it, once the page of every part is known. pypdf then binds
the pages in order with the pages of the PDF scans (which WeasyPrint cannot draw) and writes the
outline. A PDF scan's pages are copied without their actions, annotations or JavaScript.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject
from weasyprint import CSS

from documents import render
from documents.context import form_context
from documents.errors import RenderError
from documents.keys import describe_key
from documents.registry import FORMS
from documents.wording import numeric, parse_day

STYLESHEET = "static/packet.css"
DRAFT_MARK = "BẢN DỰ THẢO"
#: What the cover says of each source (``workflow.documents.SOURCES``).
SOURCE_LABELS = {
    "scan": "Bản quét có chữ ký",
    "issued": "Bản đã cấp, có mã xác minh {code}",
    "printed": "Bản in từ dữ liệu hồ sơ",
    "draft": "Bản dự thảo (in từ dữ liệu, chưa có {fact})",
}
#: The fact a draft waits for, by form (as the cover says it).
WAITS_FOR = {
    "CN-NTVĐ": "giấy chứng nhận",
    "3-KNĐ": "đảng viên giới thiệu",
    "4-KNĐ": "nghị quyết của Đoàn",
    "4A-KNĐ": "nghị quyết của Công đoàn",
    "6-KNĐ": "kết quả biểu quyết của chi bộ",
    "8-KNĐ": "kết quả biểu quyết của đảng ủy cơ sở",
    "9-KNĐ": "quyết định kết nạp",
    "13-KNĐ": "kết quả biểu quyết của chi bộ",
    "15-KNĐ": "kết quả biểu quyết của đảng ủy cơ sở",
    "16-KNĐ": "quyết định công nhận",
}
_ADMITTED = ("admitted", "removed", "official")
_PACKET_KEYS = ("source", "draft", "scan")
_IMAGE_TYPES = ("image/jpeg", "image/png")


@dataclass
class _Part:
    """One form of the packet: its HTML part (drawn by WeasyPrint) or a PDF scan's reader."""

    code: str
    source: str
    html: str | None = None
    scan: PdfReader | None = None
    context: dict[str, Any] | None = None  # a form's, until every form's data have passed
    first: int = 0  # its first page among the WeasyPrint pages (for an HTML part)
    pages: int = 0


def _css() -> CSS:
    css, fonts = render._stylesheet()
    cached = getattr(render._LOCAL, "packet_css", None)
    if cached is None:
        cached = render._LOCAL.packet_css = CSS(
            url=render.BASE_URL + STYLESHEET, url_fetcher=render.FETCHER, font_config=fonts
        )
    return cached


def _layout(parts: list[str]) -> Any:
    """The WeasyPrint document of the HTML parts (laid out, not written)."""
    css, fonts = render._stylesheet()
    html = render.HTML(  # looked up there: one place to count the passes
        string=render.document_html(parts, link_css=False),
        base_url=render.BASE_URL,
        url_fetcher=render.FETCHER,
    )
    return html.render(stylesheets=[css, _css()], font_config=fonts)


def _wrap(index: int, html: str, css_class: str = "") -> str:
    return f'<div class="part {css_class}" data-part="p{index}">{html}</div>'


def _scan_part(code: str, scan: Mapping[str, Any]) -> tuple[str | None, PdfReader | None]:
    content = scan.get("content")
    if not isinstance(content, bytes):
        raise RenderError([code], "the scan's bytes were not given")
    media_type = scan.get("media_type")
    if media_type in _IMAGE_TYPES:
        data = base64.b64encode(content).decode("ascii")
        return f'<img src="data:{media_type};base64,{data}" alt="{code}">', None
    if media_type == "application/pdf":
        try:
            reader = PdfReader(BytesIO(content))
            readable = not reader.is_encrypted and len(reader.pages) > 0
        except Exception as err:  # a damaged upload: pypdf raises many kinds
            raise RenderError([code], f"the PDF scan cannot be read: {err}") from err
        if not readable:
            raise RenderError([code], "the PDF scan is encrypted or has no page")
        return None, reader
    raise RenderError([code], f"a scan of type {media_type!r} cannot be bound")


def _parts(codes: list[str], dossier: dict[str, Any], meta_by_code: Mapping[str, Any]):
    """Each form's part, in order (every form's data checked before anything is drawn)."""
    default = {k: v for k, v in dict(meta_by_code.get("*", {})).items() if k not in _PACKET_KEYS}
    parts: list[_Part] = []
    for code in codes:
        given = dict(meta_by_code.get(code, {}))
        scan = given.get("scan")
        if scan is not None:
            html, reader = _scan_part(code, scan)
            parts.append(_Part(code, "scan", html, reader))
            continue
        meta = {**default, **{k: v for k, v in given.items() if k not in _PACKET_KEYS}}
        meta.setdefault("issued_on", date.today())
        source = given.get("source") or ("issued" if meta.get("verify_code") else "printed")
        if given.get("draft"):
            source = "draft"
        parts.append(_Part(code, source, context=form_context(code, dossier, **meta)))
    for index, part in enumerate(parts):
        if part.context is not None:
            form = render.render_html(part.code, part.context)
            if part.source == "draft":
                mark = f'<div class="draft-head"><span>{DRAFT_MARK}</span></div>'
                mark += f'<div class="draft-mark">{DRAFT_MARK}</div>'
                part.html = _wrap(index, mark + form, "draft")
            else:
                part.html = _wrap(index, form)
        elif part.html is not None:
            part.html = _wrap(index, part.html, "scan")
    return parts


def _page_ranges(parts: list[_Part], document: Any) -> None:
    """Set each HTML part's first page and page count from the layout's bookmarks."""
    tree = document.make_bookmark_tree() if document is not None else []
    starts = {label: place[0] for label, place, _children, _state in tree}
    drawn = [(i, p) for i, p in enumerate(parts) if p.html is not None]
    for n, (index, part) in enumerate(drawn):
        part.first = starts[f"p{index}"]
        following = starts[f"p{drawn[n + 1][0]}"] if n + 1 < len(drawn) else len(document.pages)
        part.pages = following - part.first
    for part in parts:
        if part.scan is not None:
            part.pages = len(part.scan.pages)


def _source_label(part: _Part, meta: Mapping[str, Any]) -> str:
    label = SOURCE_LABELS[part.source]
    return label.format(
        code=meta.get("verify_code") or "", fact=WAITS_FOR.get(part.code, "dữ liệu cuối cùng")
    )


def _missing_reason(gap: Mapping[str, Any], bound: set[str]) -> str:
    if gap.get("reason") == "no_data":
        lacking = ", ".join(describe_key(key) for key in gap.get("data") or ())
        return f"Chưa có bản ký; chưa lập được vì thiếu: {lacking}."
    if gap["code"] in bound:
        return "Chưa có bản ký lưu hồ sơ (trong tập là bản in từ dữ liệu, để ký)."
    return "Chưa có bản ký lưu hồ sơ."


def cover_context(
    dossier: dict[str, Any], parts: list[_Part], meta_by_code: Mapping[str, Any], cover_pages: int
) -> dict[str, Any]:
    """The cover's plain values: who, what the packet holds (with its pages), what is missing."""
    cover = meta_by_code.get("cover") or {}
    entries, page = [], cover_pages + 1
    for part in parts:
        last = page + part.pages - 1
        entries.append(
            {
                "code": part.code,
                "title": FORMS[part.code].title,
                "source": _source_label(part, meta_by_code.get(part.code, {})),
                "pages": str(page) if last == page else f"{page}–{last}",
            }
        )
        page = last + 1
    bound = {part.code for part in parts}
    person, case = dossier.get("person") or {}, dossier.get("case") or {}
    printed = parse_day(cover.get("printed_on")) or date.today()
    return {
        "heading": "HỒ SƠ ĐẢNG VIÊN" if case.get("state") in _ADMITTED else "HỒ SƠ XIN VÀO ĐẢNG",
        "name": person.get("full_name") or "",
        "born": numeric(parse_day(person.get("birth_date"))),
        "cell": (dossier.get("cell") or {}).get("name") or "",
        "entries": entries,
        "total_pages": page - 1,
        "missing": [
            {
                "code": gap["code"],
                "title": FORMS[gap["code"]].title if gap["code"] in FORMS else gap["code"],
                "reason": _missing_reason(gap, bound),
            }
            for gap in cover.get("missing") or ()
        ],
        "printed_on": numeric(printed),
    }


def _cover(dossier, parts, meta_by_code) -> Any:
    """The cover laid out, numbered for its own length (laid out again if it grows a page)."""
    template = render.environment().get_template("packet_cover.html")
    pages = 1
    for _attempt in range(3):
        context = cover_context(dossier, parts, meta_by_code, pages)
        document = _layout([template.render(context)])
        if len(document.pages) == pages:
            break
        pages = len(document.pages)
    return document


def _bind(parts: list[_Part], drawn: bytes | None, cover_pages: int) -> bytes:
    """The cover, then every part's pages in order, with a bookmark per form."""
    weasy = PdfReader(BytesIO(drawn)) if drawn is not None else None
    writer = PdfWriter()
    for index in range(cover_pages):
        writer.add_page(weasy.pages[index])
    for part in parts:
        start = len(writer.pages)
        if part.scan is not None:
            for page in part.scan.pages:
                added = writer.add_page(page)
                for key in ("/Annots", "/AA"):  # a scan needs no links, forms or actions
                    if key in added:
                        del added[NameObject(key)]
        else:
            for offset in range(part.pages):
                writer.add_page(weasy.pages[cover_pages + part.first + offset])  # type: ignore[union-attr]
        writer.add_outline_item(title=f"{part.code} {FORMS[part.code].title}", page_number=start)
    writer.page_mode = "/UseOutlines"
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def bind_packet(
    codes: list[str] | tuple[str, ...],
    dossier: dict[str, Any],
    meta_by_code: Mapping[str, Mapping[str, Any]],
) -> bytes:
    """The packet of forms `codes` as one PDF (see the module); ``meta_by_code`` as
    ``render.render_packet`` takes it, plus by code ``scan`` (media_type and ``content``: the
    scan bound in the form's place) and ``draft``, and ``"cover"`` (``printed_on``, ``missing``)
    for a cover. ``MissingData`` or ``RenderError`` as the forms raise them."""
    if not codes:
        raise RenderError([], "nothing to render")
    parts = _parts(list(codes), dossier, meta_by_code)
    try:
        html = [part.html for part in parts if part.html is not None]
        body = _layout(html) if html else None
        _page_ranges(parts, body)
        pages = list(body.pages) if body is not None else []
        first, cover_pages = body, 0
        if "cover" in meta_by_code:
            first = _cover(dossier, parts, meta_by_code)
            cover_pages = len(first.pages)
            pages = [*first.pages, *pages]
        drawn = first.copy(pages).write_pdf() if first is not None else None
        return _bind(parts, drawn, cover_pages)
    except RenderError:
        raise
    except Exception as err:  # WeasyPrint and pypdf raise many kinds; the caller needs one
        raise RenderError(list(codes), f"{type(err).__name__}: {err}") from err
