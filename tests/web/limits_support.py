"""The forms of the site, found by following its links, and over-long values for them.

Used by test_limits_forms.py: every account's pages are walked from "/", every POST form found
is filled with a text far longer than any column in each of its text fields, and sent.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from sqlalchemy import inspect, text

#: Longer than every column and every domain limit, short enough for any request limit.
LONG = "Ẫ" * 5001
#: Links not followed: they leave, end the session or stream a file.
SKIP = re.compile(r"^/(logout|static/|login)|\.(pdf|csv|xlsx|zip|png|svg)(\?|$)|/download|/export")
#: Tables a POST may change without storing what was typed (throttling, the task queue's log).
NOT_STORED = ("login_attempts", "task_failures", "api_tokens")
NOT_STORED_PREFIX = ("procrastinate", "user_session", "security_")
TEXT_TYPES = {"text", "search", "email", "tel", "url", "password", ""}


@dataclass
class Form:
    """A POST form: where it goes and its fields as (name, type, value, options)."""

    action: str
    multipart: bool = False
    fields: list[tuple[str, str, str, list[str]]] = field(default_factory=list)

    def texts(self) -> list[str]:
        return [name for name, kind, _, _ in self.fields if kind in TEXT_TYPES | {"textarea"}]

    def kept(self, exceptions: tuple[str, ...] = ()) -> bool:
        """Whether a refusal should show the typed text again (never a password)."""
        if self.action.endswith(exceptions):
            return False
        return any(kind != "password" for name, kind, _, _ in self.fields if name in self.texts())

    def key(self) -> tuple[str, tuple[str, ...]]:
        """The same form on another record counts once."""
        return re.sub(r"\d+", "N", self.action), tuple(sorted(self.texts()))

    def over_long(self) -> dict[str, str]:
        """Every text field too long; the others given a plausible value."""
        data: dict[str, str] = {}
        for name, kind, value, options in self.fields:
            if kind in TEXT_TYPES or kind == "textarea":
                data[name] = LONG
            elif kind in ("hidden", "submit") and value:
                data.setdefault(name, value)
            elif kind in ("checkbox", "radio"):
                data.setdefault(name, value or "y")
            elif kind == "select":
                data[name] = next((o for o in options if o), "")
            elif kind == "date":
                data[name] = "2026-01-05"
            elif kind == "time":
                data[name] = "08:00"
            elif kind == "number":
                data[name] = "1"
        return data


class _Page(HTMLParser):
    """The links and POST forms of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: list | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href", "").startswith("/"):
            self.links.append(a["href"].split("#")[0])
        elif tag == "form":
            post = a.get("method", "get").lower() == "post"
            multipart = "multipart" in a.get("enctype", "")
            self._form = Form(a.get("action", ""), multipart) if post else None
            if self._form is not None:
                self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            self._form.fields.append((a["name"], kind, a.get("value", ""), []))
        elif tag == "textarea" and a.get("name"):
            self._form.fields.append((a["name"], "textarea", "", []))
        elif tag == "select" and a.get("name"):
            self._select = [a["name"], "select", "", []]
            self._form.fields.append(self._select)  # type: ignore[arg-type]
        elif tag == "option" and self._select is not None:
            self._select[3].append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def crawl(client, limit: int = 80) -> tuple[dict[str, int], list[tuple[str, Form]]]:
    """The pages reached from "/" (path → status) and the POST forms on them (page, form).

    Two pages of the same shape (``/candidates/7``, ``/candidates/9``) are enough: the walk
    stays short on a district of hundreds of cases.
    """
    seen: dict[str, int] = {}
    shapes: dict[str, int] = {}
    forms: list[tuple[str, Form]] = []
    queue = ["/"]
    while queue and len(seen) < limit:
        path = queue.pop(0)
        shape = re.sub(r"\d+", "N", path)
        if path in seen or SKIP.search(path) or shapes.get(shape, 0) >= 2:
            continue
        shapes[shape] = shapes.get(shape, 0) + 1
        response = client.get(path)
        seen[path] = response.status_code
        if response.status_code != 200 or "html" not in response.content_type:
            continue
        page = _Page()
        page.feed(response.get_data(as_text=True))
        queue.extend(link for link in page.links if link not in seen)
        forms.extend((path, f) for f in page.forms)
    return seen, forms


def fingerprint(engine) -> dict[str, str]:
    """Every stored table's rows, hashed: what a refused POST must leave alone."""
    names = [
        n
        for n in inspect(engine).get_table_names()
        if n not in NOT_STORED and not n.startswith(NOT_STORED_PREFIX) and n != "alembic_version"
    ]
    prints = {}
    with engine.connect() as conn:
        for name in names:
            rows = conn.execute(text(f'SELECT * FROM "{name}" ORDER BY 1')).all()
            prints[name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return prints
