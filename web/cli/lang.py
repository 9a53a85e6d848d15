"""The language of the ``hoso`` command: Vietnamese by default, English with ``--lang en``.

The global option (or ``HOSO_LANG``) picks the language of refusals (web/cli/common.py) and of
click's own messages: click asks the standard library's ``gettext`` for them, which has no
Vietnamese catalogue, so this module hands click's modules a small table of its most common
messages instead (usage errors, missing or unknown options, wrong values, help headings).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from gettext import gettext as _stdlib_gettext
from gettext import ngettext as _stdlib_ngettext
from typing import Any

import click

LANGS = ("vi", "en")
ENV = "HOSO_LANG"
_state = {"lang": "vi"}

#: click's messages (8.x) in Vietnamese; a message not listed stays in English.
CLICK_VI: dict[str, str] = {
    "Error: {message}": "Lỗi: {message}",
    "Try '{command} {option}' for help.": "Xem '{command} {option}' để được hướng dẫn.",
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Positional arguments": "Tham số vị trí",
    "Show this message and exit.": "Hiện hướng dẫn này rồi thoát.",
    "Aborted!": "Đã hủy!",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "No such option {name!r}.": "Không có tùy chọn {name!r}.",
    "Missing command.": "Thiếu lệnh.",
    "Missing {param_type}": "Thiếu {param_type}",
    "Missing parameter: {param_name}": "Thiếu tham số: {param_name}",
    "argument": "tham số",
    "option": "tùy chọn",
    "parameter": "tham số",
    "Missing argument": "Thiếu tham số",
    "Missing option": "Thiếu tùy chọn",
    "Missing parameter": "Thiếu tham số",
    "Invalid value for {param_hint}: {message}": "Giá trị không hợp lệ cho {param_hint}: {message}",
    "Invalid value: {message}": "Giá trị không hợp lệ: {message}",
    "Option {name!r} does not take a value.": "Tùy chọn {name!r} không nhận giá trị.",
    "{value!r} is not a valid {number_type}.": "{value!r} không phải là {number_type} hợp lệ.",
    "integer": "số nguyên",
    "float": "số thực",
    "{value} is not in the range {range}.": "{value} nằm ngoài khoảng {range}.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} không tồn tại.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} là một thư mục.",
    "{name} {filename!r} is a file.": "{name} {filename!r} là một tệp.",
    "{name} {filename!r} is not readable.": "Không đọc được {name} {filename!r}.",
    "{name} {filename!r} is not writable.": "Không ghi được {name} {filename!r}.",
    "File": "Tệp",
    "Directory": "Thư mục",
    "Path": "Đường dẫn",
    "file": "tệp",
    "directory": "thư mục",
    "path": "đường dẫn",
    "Could not open file {filename!r}: {message}": "Không mở được tệp {filename!r}: {message}",
    "Do you want to continue?": "Đồng chí có muốn tiếp tục không?",
    "Repeat for confirmation": "Nhập lại để xác nhận",
    "Error: The two entered values do not match.": "Lỗi: hai giá trị đã nhập không khớp nhau.",
    "Confirm the action without prompting.": "Xác nhận mà không hỏi lại.",
    "default: {default}": "mặc định: {default}",
    "env var: {var}": "biến môi trường: {var}",
    "required": "bắt buộc",
    # ngettext's pairs: the singular is the key, both forms read the same in Vietnamese.
    "Got unexpected extra argument ({args})": "Thừa tham số ({args})",
    "Option {name!r} requires an argument.": "Tùy chọn {name!r} cần một giá trị.",
    "{value!r} is not {choice}.": "{value!r} không phải là {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} không phải là một trong {choices}.",
    "Did you mean {possibility}?": "Có phải ý đồng chí là {possibility}?",
    "(Did you mean one of: {possibilities}?)": (
        "(Có phải ý đồng chí là một trong: {possibilities}?)"
    ),
}
_PLURAL_VI = {
    "Option {name!r} requires {nargs} arguments.": "Tùy chọn {name!r} cần {nargs} giá trị.",
    "Got unexpected extra arguments ({args})": "Thừa tham số ({args})",
}


def lang() -> str:
    """The language of this command's messages: ``vi`` or ``en``."""
    return _state["lang"]


def set_lang(value: str | None) -> str:
    """Speak `value` (``vi``, ``en``; anything else is Vietnamese) from now on."""
    _state["lang"] = value if value in LANGS else "vi"
    return _state["lang"]


def pick(vi: str, en: str) -> str:
    """The text in the command's language."""
    return en if lang() == "en" else vi


def _gettext(message: str) -> str:
    if lang() == "en":
        return _stdlib_gettext(message)
    return CLICK_VI.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    if lang() == "en":
        return _stdlib_ngettext(singular, plural, n)
    if n == 1 or singular not in CLICK_VI:
        return CLICK_VI.get(singular, singular if n == 1 else plural)
    return _PLURAL_VI.get(plural, CLICK_VI[singular])


#: Each of click's messages by its Vietnamese (to say a message made earlier in the language now).
_SOURCE = {vi: en for en, vi in CLICK_VI.items()}


def _help_record(
    record: Callable[[click.Option, click.Context], tuple[str, str] | None],
) -> Callable[[click.Option, click.Context], tuple[str, str] | None]:
    def help_record(self: click.Option, ctx: click.Context) -> tuple[str, str] | None:
        # click makes a command's --help option once (and keeps it), its text in the language
        # of that moment: before --lang was read, or in an earlier run of the same process.
        source = _SOURCE.get(self.help or "", self.help)
        if source in CLICK_VI:
            self.help = _gettext(source)
        return record(self, ctx)

    return help_record


def _install() -> None:
    """Hand click's modules the two functions above in place of the standard library's."""
    from click import core, decorators, exceptions, formatting, parser, termui, types

    for module in (core, decorators, exceptions, formatting, parser, termui, types):
        module._ = _gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]
    core.Option.get_help_record = _help_record(core.Option.get_help_record)  # type: ignore[method-assign]


_install()


def _chosen(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    return set_lang(value)


def lang_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """The ``--lang vi|en`` option of the ``hoso`` group (eager: it applies to every message,
    the group's own usage errors included)."""
    return click.option(
        "--lang",
        type=click.Choice(LANGS),
        envvar=ENV,
        default="vi",
        show_default=True,
        is_eager=True,
        expose_value=False,
        callback=_chosen,
        help="Ngôn ngữ của thông báo: vi (mặc định) hoặc en. / Language of the messages.",
    )(command)


def from_environment() -> None:
    """Start each run in the language of ``HOSO_LANG`` (before the options are read)."""
    set_lang(os.environ.get(ENV, "vi"))
