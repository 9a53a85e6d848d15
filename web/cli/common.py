"""What the commands share: the runtime, and turning domain errors into messages and exit codes."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any

import click
from sqlalchemy.exc import OperationalError, ProgrammingError

from db.runtime import Runtime
from web.cli.lang import lang, pick
from web.cli.words import invalid_input, refusal
from web.tasks import CommandTasks
from workflow.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    InvalidTransition,
    NotAllowed,
    NotFound,
    RuleViolation,
)

#: Exit codes, so that scripts can tell refusals apart.
EXIT_CODES: dict[type[DomainError], int] = {
    NotFound: 4,
    NotAllowed: 3,
    InvalidTransition: 5,
    Conflict: 6,
    RuleViolation: 7,
    InvalidInput: 2,
}

#: How a refusal's kind reads in Vietnamese (the CLI speaks Vietnamese unless ``--lang en``).
KINDS_VI: dict[type[DomainError], str] = {
    NotFound: "không tìm thấy",
    NotAllowed: "không được phép",
    InvalidTransition: "không thực hiện được ở trạng thái hiện tại",
    Conflict: "hồ sơ vừa được người khác thay đổi",
    InvalidInput: "giá trị không hợp lệ",
}


def runtime() -> Runtime:
    """The runtime for this command, made once, with the tasks of a command (``web.tasks``)."""
    ctx = click.get_current_context()
    root = ctx.find_root()
    if "runtime" not in root.meta:
        try:
            rt = Runtime.from_url()
        except ValueError as err:  # a setting of hoso.toml or the environment: exit 2
            error = click.ClickException(str(err))
            error.exit_code = 2
            raise error from err
        # The tasks the command's use cases defer (a document re-issued...) are queued on
        # PostgreSQL and run at once on SQLite, as from the web; not dropped.
        rt.tasks = tasks = CommandTasks(rt)
        root.call_on_close(tasks.close)
        root.meta["runtime"] = rt
    return root.meta["runtime"]


def domain_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Report a refusal in words, with its own exit code, and no traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except RuleViolation as err:
            for failure in err.failures:
                said = pick("bị từ chối theo quy tắc", "refused by rule")
                click.echo(f"{said} {failure.rule}: {failure.text(lang())}", err=True)
            sys.exit(EXIT_CODES[RuleViolation])
        except DomainError as err:
            kind = type(err).__name__
            if lang() == "en":
                click.echo(f"error ({kind}): {err}", err=True)
            else:  # the domain speaks English: its text said as the web says it (web/cli/words.py)
                click.echo(f"lỗi ({KINDS_VI.get(type(err), kind)}): {_said(err)}", err=True)
            sys.exit(EXIT_CODES.get(type(err), 1))
        except (OperationalError, ProgrammingError) as err:
            raise click.ClickException(
                pick(
                    f"cơ sở dữ liệu chưa sẵn sàng ({err.orig}); hãy chạy `hoso init` trước",
                    f"the database is not ready ({err.orig}); run `hoso init` first",
                )
            ) from err

    return wrapper


def _said(err: DomainError) -> str:
    """A refusal's text in Vietnamese: the field's label and the reason, where they are known."""
    if isinstance(err, InvalidInput):
        return invalid_input(err.field, err.message)
    return refusal(str(err))


def echo_json(value: Any) -> None:
    """Print `value` as JSON (UTF-8, readable)."""
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))
