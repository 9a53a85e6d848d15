"""Issue 12: the words of the site. "Đồng chí", never "bạn"; "Ô được tô đậm"; Audit is not
"Kiểm tra" (the inspection commission's word); the source chosen is the source shown; a link to a
document says what the document is; a time says its zone."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "web" / "translations" / "vi" / "LC_MESSAGES" / "messages.po"


def _catalog() -> dict[str, str]:
    with CATALOG.open("rb") as file:
        catalog = read_po(file)
    texts = {}
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        value = message.string if isinstance(message.string, str) else message.string[0]
        texts[key] = value
    return texts


def test_the_user_is_called_dong_chi_never_ban():
    said = [text for text in _catalog().values() if re.search(r"\b[Bb]ạn\b", text)]
    assert said == []
    sources = [*ROOT.glob("web/templates/**/*.html"), *ROOT.glob("workflow/**/*.py")]
    assert [p.name for p in sources if re.search(r"\b[Bb]ạn\b", p.read_text("utf-8"))] == []


def test_the_words_of_the_catalog():
    vi = _catalog()
    assert vi[
        "The filled box is the case's current state; the arrows are the steps that move a case."
    ].startswith("Ô được tô đậm")  # noqa: E501
    assert "kiểm tra" not in vi["Audit"].lower() and "kiểm tra" not in vi["Auditor"].lower()
    assert vi["Audit"] == "Lịch sử hồ sơ"
    # The chain is verified ("xác minh"): "kiểm tra" is the inspection commission's.
    for msgid in ("Verify the whole chain", "Verify the whole chain now", "Chain verification"):
        assert "Xác minh" in vi[msgid], msgid


def test_the_source_chosen_is_the_source_shown(app):
    from web.candidates.forms import choice_label
    from web.candidates.new import SOURCES, source_label

    with app.test_request_context("/"):
        assert [choice_label(s.value) for s in SOURCES] == [source_label(s) for s in SOURCES]


def test_links_to_documents_say_what_they_are(login, demo_runtime):
    from sqlalchemy import select

    from db.models import Case

    with demo_runtime.sessions() as session:
        case_id = session.scalar(select(Case.id).where(Case.state == "official").limit(1))
    page = login("bantochuc").get(f"/candidates/{case_id}").get_data(as_text=True)
    section = page[page.index('id="documents"') :]
    links = re.findall(r'<a href="[^"]*/(?:generated|scans|documents)/[^"]*">([^<]*)</a>', section)
    assert links, "the documents section links no document"
    for text in links:
        assert not re.search(r"\.(pdf|png|jpe?g)$", text, re.I), text  # not a file name
        assert text.endswith(")") and "(" in text, text  # its kind: (PDF), (PNG)...
    assert any(text.startswith("Quyết định kết nạp") for text in links), links


def test_a_time_says_its_zone(app):
    from web.i18n import format_moment_zoned

    moment = datetime(2026, 12, 5, 0, 30, tzinfo=UTC)
    with app.test_request_context("/"):
        assert format_moment_zoned(moment) == "05/12/2026 07:30 (giờ Việt Nam)"
    with app.test_request_context("/?lang=en"):
        assert format_moment_zoned(moment) == "05/12/2026 07:30 (Vietnam time)"
