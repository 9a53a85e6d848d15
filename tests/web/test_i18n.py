"""The interface's translations: every msgid in the code has Vietnamese, the shipped .mo is the
compiled .po, placeholders survive translation, and the app speaks Vietnamese unless asked.

A failure of the first tests means a string was added or changed: run ``scripts/i18n extract``,
translate what it lists in web/translations/vi/LC_MESSAGES/messages.po, ``scripts/i18n compile``.
"""

from __future__ import annotations

import ast
import io
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po
from babel.util import pathmatch

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "web" / "translations" / "vi" / "LC_MESSAGES"
FIX = "run scripts/i18n extract, translate in messages.po, then scripts/i18n compile"

#: A printf-style conversion as Python's ``%`` operator reads it (``%%`` included).
PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]"
)
#: The gettext functions flask_babel offers; whatever name the code imports them as must be a
#: keyword of the extraction, or its strings are silently left out of the catalog.
FLASK_BABEL_GETTEXTS = {
    "gettext",
    "ngettext",
    "pgettext",
    "npgettext",
    "lazy_gettext",
    "lazy_ngettext",
    "lazy_pgettext",
    "lazy_npgettext",
}


def _mapping():
    with open(ROOT / "babel.cfg", encoding="utf-8") as f:
        return parse_mapping_cfg(f, "babel.cfg")


def _first(value):
    """The msgid (singular) or the only string of a message."""
    return value[0] if isinstance(value, tuple | list) else value


def _strings(message: Message) -> list[str]:
    value = message.string
    return list(value) if isinstance(value, tuple | list) else [value or ""]


def _where(message: Message) -> str:
    return ", ".join(f"{path}:{line}" for path, line in message.locations) or "?"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Catalog:
    """The msgids in the code now, extracted as ``scripts/i18n extract`` does (via a .pot)."""
    method_map, options_map = _mapping()
    catalog = Catalog(project="hoso")
    for filename, lineno, msgid, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=DEFAULT_KEYWORDS
    ):
        catalog.add(msgid, None, [(filename, lineno)], auto_comments=comments, context=context)
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    with open(pot, "wb") as f:
        write_po(f, catalog, width=0)
    with open(pot, "rb") as f:
        return read_po(f)


@pytest.fixture(scope="module")
def vi() -> Catalog:
    with open(CATALOG / "messages.po", "rb") as f:
        return read_po(f, locale="vi")


def test_the_extraction_finds_the_interface(template):
    """A sanity check of the extraction itself: it reads both the templates and the Python."""
    files = {path for message in template for path, _ in message.locations}
    assert any(path.startswith("web/templates/") for path in files)
    assert any(path.endswith(".py") for path in files)
    assert template.get("Log out") is not None  # base.html's navigation


def _python_files():
    """The repository's Python files, skipping hidden and private folders as the extraction does."""
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith((".", "_")))
        yield from (Path(folder) / name for name in sorted(files) if name.endswith(".py"))


def test_every_gettext_alias_is_an_extraction_keyword():
    """``from flask_babel import lazy_gettext as _l`` needs ``_l`` in babel.cfg's keywords."""
    method_map, options_map = _mapping()
    unseen = []
    for path in _python_files():
        relative = path.relative_to(ROOT).as_posix()
        pattern = next((p for p, method in method_map if pathmatch(p, relative)), None)
        if pattern is None or dict(method_map)[pattern] != "python":
            continue
        keywords = {**DEFAULT_KEYWORDS, **options_map.get(pattern, {}).get("keywords", {})}
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "flask_babel":
                for alias in node.names:
                    name = alias.asname or alias.name
                    if alias.name in FLASK_BABEL_GETTEXTS and name not in keywords:
                        unseen.append(f"{relative}:{node.lineno}: {alias.name} as {name}")
    assert not unseen, "add these names to the keywords of babel.cfg:\n" + "\n".join(unseen)


def test_every_msgid_has_a_vietnamese_translation(template, vi):
    problems = []
    for message in template:
        if not message.id:
            continue
        found = vi.get(message.id, message.context)
        if found is None:
            reason = "not in the catalog"
        elif found.fuzzy:
            reason = "fuzzy"
        elif not all(s.strip() for s in _strings(found)):
            reason = "untranslated"
        else:
            continue
        problems.append(f"{_first(message.id)!r} ({reason}; {_where(message)})")
    listing = "\n".join(problems)
    assert not problems, f"{len(problems)} msgid(s) without Vietnamese ({FIX}):\n{listing}"


def test_vietnamese_has_one_plural_form(vi):
    assert vi.num_plurals == 1
    assert vi.plural_expr == "0"
    wrong = [_first(m.id) for m in vi if m.pluralizable and len(_strings(m)) != 1]
    assert not wrong, f"plural messages need exactly one msgstr[0]: {wrong}"


def test_the_shipped_mo_is_the_compiled_po(vi):
    def contents(catalog: Catalog) -> dict:
        def key(value):
            return value if isinstance(value, str) else tuple(value)

        return {(key(m.id), m.context): key(m.string) for m in catalog if m.id}

    compiled = io.BytesIO()
    write_mo(compiled, vi)
    compiled.seek(0)
    expected = read_mo(compiled)
    with open(CATALOG / "messages.mo", "rb") as f:
        shipped = read_mo(f)
    assert shipped.plural_forms == expected.plural_forms, f"messages.mo is stale: {FIX}"
    old, new = contents(shipped), contents(expected)
    changed = {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}
    stale = sorted(repr(_first(msgid)) for msgid, _context in changed)
    assert not stale, f"messages.mo is stale ({FIX}); it differs on:\n" + "\n".join(stale)


def _placeholders(text: str) -> tuple[Counter, int]:
    """The conversions of `text` (named ones by name and type) and its stray ``%`` signs."""
    found = Counter(match.group(0).replace(" ", "") for match in PLACEHOLDER.finditer(text))
    return found, PLACEHOLDER.sub("", text).count("%")


def test_translations_keep_the_placeholders(vi):
    """Same conversions as the msgid (the plural msgid for Vietnamese's one form), no stray %:
    Jinja's gettext always applies ``%``, so one more or one less breaks the page."""
    broken = []
    for message in vi:
        if not message.id:
            continue
        source = message.id[1] if isinstance(message.id, tuple) else message.id
        expected = _placeholders(source)
        for text in _strings(message):
            if text and _placeholders(text) != expected:
                broken.append(f"{source!r} -> {text!r} ({_where(message)})")
    assert not broken, "placeholders changed in translation:\n" + "\n".join(broken)


def _nav(page: str) -> str:
    match = re.search(r'<nav class="main">(.*?)</nav>', page, re.S)
    assert match, "no main navigation on the page"
    return match.group(1)


def test_login_page_is_vietnamese_by_default(app):
    page = app.test_client().get("/login").get_data(as_text=True)
    assert '<html lang="vi">' in page
    assert "Đăng nhập" in page
    assert "Log in" not in page


def test_lang_en_switches_to_english_and_sticks(app):
    client = app.test_client()
    asked = client.get("/login?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in asked and "Log in" in asked and "Đăng nhập" not in asked
    again = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in again and "Log in" in again, "the choice was not remembered"
    back = client.get("/login?lang=vi").get_data(as_text=True)
    assert '<html lang="vi">' in back and "Đăng nhập" in back


def test_main_navigation_is_vietnamese_after_login(login, vi):
    browser = login("bithu.chuvanan")
    nav = _nav(browser.get("/").get_data(as_text=True))
    for english in ("My work", "Candidates"):
        assert vi.get(english).string in nav, f"{english!r} not shown in Vietnamese"
        assert english not in nav
    assert "Việc cần làm" in nav


def test_english_survives_logging_in(app, browser):
    browser.get("/login?lang=en")
    assert browser.login("bithu.chuvanan").status_code == 302
    nav = _nav(browser.get("/").get_data(as_text=True))
    assert "My work" in nav and "Candidates" in nav
