"""The domain imports no framework and no other layer (product.md, "Layout")."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

WORKFLOW = Path(__file__).resolve().parent.parent / "workflow"
FORBIDDEN = {"flask", "sqlalchemy", "weasyprint", "alembic", "db", "web", "documents"}


#: Calls that import a module named by a string: ``importlib.import_module("flask")``.
IMPORTERS = {"import_module", "__import__"}


def imported(node: ast.AST) -> list[str]:
    """The modules `node` imports; relative imports within workflow count as none."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if node.level == 0:
            return [node.module or ""]
        # ``from .. import web`` climbs out of the package; ``from . import rules`` stays in.
        return [alias.name for alias in node.names] if node.level > 1 else []
    if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
        callee = node.func
        name = callee.attr if isinstance(callee, ast.Attribute) else getattr(callee, "id", "")
        if name in IMPORTERS and isinstance(node.args[0].value, str):
            return [node.args[0].value]
    return []


def forbidden_imports(source: str, filename: str = "<source>") -> list[str]:
    """Every import in `source` of a forbidden top-level package, as ``line: module``."""
    return [
        f"{node.lineno}: {module}"
        for node in ast.walk(ast.parse(source, filename))
        for module in imported(node)
        if module.split(".")[0] in FORBIDDEN
    ]


MODULES = sorted(WORKFLOW.rglob("*.py"))


def test_the_workflow_package_is_where_we_look() -> None:
    names = {path.relative_to(WORKFLOW).as_posix() for path in MODULES}
    core = {"states.py", "rules/__init__.py", "machine.py", "effects.py", "policy.py"}
    assert core | {"services/cases.py"} <= names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(WORKFLOW)))
def test_no_framework_or_layer_import(path: Path) -> None:
    assert forbidden_imports(path.read_text(encoding="utf-8"), str(path)) == []


@pytest.mark.parametrize(
    "source",
    [
        "import flask",
        "import sqlalchemy.orm as orm",
        "from flask import current_app",
        "from sqlalchemy.orm import Session",
        "from db import models",
        "from db.models import Case",
        "import web.cli",
        "from documents.render import render_pdf",
        "import weasyprint",
        "from alembic import command",
        "def f():\n    from flask import g\n    return g",
        "try:\n    import flask\nexcept ImportError:\n    flask = None",
        "import importlib\nimportlib.import_module('sqlalchemy')",
        "__import__('flask')",
        "from .. import web",
    ],
)
def test_the_check_flags_a_forbidden_import(source: str) -> None:
    assert forbidden_imports(source) != []


@pytest.mark.parametrize(
    "source",
    [
        "import dbm",
        "import webbrowser",
        "from workflow.dates import add_months",
        "from . import rules",
        "from .rules import Attempt",
        "import transitions",
        "from typing import TYPE_CHECKING",
        "x = 'import flask'",
    ],
)
def test_the_check_lets_allowed_imports_through(source: str) -> None:
    assert forbidden_imports(source) == []
