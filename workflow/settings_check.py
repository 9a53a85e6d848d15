"""Checking a settings table against its dataclass: every key known, every value of its type."""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

T = TypeVar("T")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class SettingsError(ValueError):
    """A setting that cannot be used: names where it came from, the key and what it expects."""


def _name(hint: Any) -> str:
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        return " or ".join(_name(a) for a in get_args(hint) if a is not type(None))
    if origin is tuple:
        item = get_args(hint)[0]
        plural = {str: "texts", int: "whole numbers", date: "dates (e.g. [2026-01-02])"}
        return f"a list of {plural.get(item, _name(item))}"
    if origin in (dict, Mapping):
        return f"a table of {_name(get_args(hint)[1])}"
    return {
        bool: "true or false",
        int: "a whole number",
        float: "a number",
        str: "a text",
        Fraction: "a fraction (2/3) or a decimal",
        date: "a date (2026-01-02)",
    }.get(hint, getattr(hint, "__name__", str(hint)))


def convert(hint: Any, value: Any, from_text: bool = False) -> Any:
    """`value` as `hint`, or ``TypeError``; `from_text` accepts an environment variable's text."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        if value is None and type(None) in get_args(hint):
            return None
        for arg in get_args(hint):
            if arg is type(None):
                continue
            try:
                return convert(arg, value, from_text)
            except TypeError:
                continue
        raise TypeError
    if origin is tuple:
        if not isinstance(value, list | tuple):
            raise TypeError
        return tuple(convert(get_args(hint)[0], v) for v in value)
    if origin in (dict, Mapping):
        if not isinstance(value, Mapping):
            raise TypeError
        return {str(k): convert(get_args(hint)[1], v) for k, v in value.items()}
    if from_text and isinstance(value, str):
        return _from_text(hint, value.strip())
    if hint is bool:
        if isinstance(value, bool):
            return value
    elif hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif hint is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    elif hint is str:
        if isinstance(value, str):
            return value
    elif hint is Fraction:
        if isinstance(value, int | float | str) and not isinstance(value, bool):
            try:
                return Fraction(str(value))
            except (ValueError, ZeroDivisionError):
                raise TypeError from None
    elif hint is date and isinstance(value, date):
        return value
    raise TypeError


def _from_text(hint: Any, text: str) -> Any:
    if hint is bool:
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise TypeError
    if hint in (int, float):
        try:
            return hint(text)
        except ValueError:
            raise TypeError from None
    return convert(hint, text)


def section(
    cls: type[T],
    values: Mapping[str, Any],
    name: str,
    where: str = "hoso.toml",
    from_text: Mapping[str, str] | None = None,
) -> T:
    """An instance of `cls` from the table `[name]`: defaults, overridden by `values`.

    Keys in `from_text` came from the environment variables it names (text to convert). A
    dict-valued setting is merged over its default, key by key.
    """
    if not isinstance(values, Mapping):
        raise SettingsError(f"{where}: [{name}] must be a table")
    hints = get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(values) - known)
    if unknown:
        raise SettingsError(
            f"{where}: [{name}] has no setting {', '.join(map(repr, unknown))} "
            f"(known: {', '.join(sorted(known))})"
        )
    from_text = from_text or {}
    base = cls()
    changes: dict[str, Any] = {}
    for key, value in values.items():
        try:
            converted = convert(hints[key], value, key in from_text)
        except TypeError:
            origin = (
                f"{from_text[key]} (for [{name}] {key})" if key in from_text else f"[{name}] {key}"
            )
            raise SettingsError(
                f"{where}: {origin} must be {_name(hints[key])}, not {value!r}"
            ) from None
        default = getattr(base, key)
        if isinstance(default, Mapping) and isinstance(converted, Mapping):
            converted = {**default, **converted}
        changes[key] = converted
    try:
        return dataclasses.replace(base, **changes)  # type: ignore[type-var]
    except (TypeError, ValueError) as err:
        raise SettingsError(f"{where}: [{name}] {err}") from None
