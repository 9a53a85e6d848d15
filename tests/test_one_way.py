"""One way to do the things that must be done one way (issue 9): checked on the source itself.

- Only the history repository computes a chain digest or writes the chain head.
- db/ is storage: it never commits outside the unit of work, never checks a permission, never
  builds an event, never sends mail.
- No scope test by hand: ``startswith`` on a path lives in the policy and its SQL twin only.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("workflow", "db", "web", "documents")
SOURCES = sorted(
    p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py") if "migrations" not in p.parts
)

#: Where the chain is computed and walked: the definition, and the one repository that appends.
CHAIN_KEEPERS = {"workflow/history.py", "db/repositories/history.py"}
#: The only module of db/ that commits.
COMMITTER = "db/uow.py"
#: Where a materialised path is compared by prefix: the one scope rule and its SQL form.
SCOPE_KEEPERS = {"workflow/policy.py", "db/read/scope.py"}


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def names_used(tree: ast.AST) -> set[str]:
    """Every name and attribute the module mentions."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
        elif isinstance(node, ast.alias):
            found.add(node.asname or node.name.split(".")[-1])
    return found


def calls_of(tree: ast.AST, attribute: str) -> list[int]:
    """The lines where ``something.<attribute>(...)`` is called."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == attribute
    ]


def parsed(path: Path) -> ast.AST:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def chain_writes(tree: ast.AST) -> list[str]:
    """Digests of the chain computed, or the chain head written (statements or raw SQL)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name | ast.Attribute) and (
            getattr(node, "id", None) or getattr(node, "attr", None)
        ) in {"chain_digest", "_MOVE_HEAD"}:
            found.append(f"{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.Call):
            callee = ast.unparse(node.func)
            text = ast.unparse(node)
            if callee.split(".")[-1] in {"update", "insert", "delete", "ChainHead"} and (
                "ChainHead" in text or "chain_head" in text
            ):
                found.append(f"{node.lineno}: {text}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            sql = " ".join(node.value.lower().split())
            verbs = ("update chain_head", "into chain_head", "delete from chain_head")
            if any(verb in sql for verb in verbs):
                found.append(f"{node.lineno}: {node.value[:60]!r}")
    return found


@pytest.mark.parametrize("path", SOURCES, ids=rel)
def test_only_the_history_repository_computes_digests_or_moves_the_head(path: Path) -> None:
    if rel(path) in CHAIN_KEEPERS:
        return
    assert chain_writes(parsed(path)) == []


@pytest.mark.parametrize(
    "path", [p for p in SOURCES if rel(p).startswith("db/") and rel(p) != COMMITTER], ids=rel
)
def test_db_is_storage_only(path: Path) -> None:
    tree = parsed(path)
    assert calls_of(tree, "commit") == [], "commits outside the unit of work"
    used = names_used(tree)
    assert not used & {"NotAllowed", "acting_role", "can_see", "fact_role", "allowed_triggers"}, (
        "checks a permission"
    )
    if rel(path) not in CHAIN_KEEPERS:
        assert not used & {"NewEvent", "new_event"}, "builds a history event"
    assert not used & {"smtplib", "SMTP", "SMTP_SSL", "send_message"}, "sends mail"


@pytest.mark.parametrize("path", [p for p in SOURCES if rel(p) not in SCOPE_KEEPERS], ids=rel)
def test_no_scope_test_by_hand(path: Path) -> None:
    assert prefix_tests_on_paths(parsed(path)) == []


def _pathish(node: ast.AST) -> bool:
    return any(
        (isinstance(n, ast.Attribute) and "path" in n.attr)
        or (isinstance(n, ast.Name) and (n.id.endswith("_path") or n.id == "paths"))
        for n in ast.walk(node)
    )


def prefix_tests_on_paths(tree: ast.AST) -> list[str]:
    """``<path>.startswith(...)`` where a materialised path is the subject or the prefix."""
    return [
        f"{node.lineno}: {ast.unparse(node)}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "startswith"
        and (_pathish(node.func.value) or any(_pathish(a) for a in node.args))
    ]


@pytest.mark.parametrize(
    "source, broken",
    [
        ("from workflow.history import chain_digest\nchain_digest('a', [])", "digest"),
        ("session.execute(update(ChainHead).values(count=1))", "digest"),
        ("conn.execute(text('UPDATE chain_head SET count = 0'))", "digest"),
        ("session.commit()", "commit"),
        ("if not allowed:\n    raise NotAllowed('x')", "permission"),
        ("uow.history.append(NewEvent(**row))", "event"),
        ("import smtplib", "mail"),
        ("org.path.startswith(grant.scope_path)", "scope"),
    ],
)
def test_the_checks_catch_what_they_look_for(source: str, broken: str) -> None:
    tree = ast.parse(source)
    used = names_used(tree)
    caught = {
        "digest": bool(chain_writes(tree)),
        "commit": bool(calls_of(tree, "commit")),
        "permission": "NotAllowed" in used,
        "event": "NewEvent" in used,
        "mail": "smtplib" in used,
        "scope": bool(prefix_tests_on_paths(tree)),
    }
    assert caught[broken]


@pytest.mark.parametrize(
    "source",
    [
        "url.startswith('/static/')",
        "path.startswith(root + '/')",
        "select(ChainHead.id).with_for_update()",
        "trigger.startswith('record_')",
    ],
)
def test_the_checks_let_the_innocent_pass(source: str) -> None:
    tree = ast.parse(source)
    assert chain_writes(tree) == [] and prefix_tests_on_paths(tree) == []
