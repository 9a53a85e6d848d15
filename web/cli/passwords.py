"""Reading a new password on the command line: a hidden prompt (asked twice), or one line of
standard input for scripts; never an option (it would show in the process list and the shell's
history)."""

from __future__ import annotations

import sys

import click


def read_password(from_stdin: bool, label: str = "Password") -> str:
    """The password typed at a hidden prompt twice, or the first line of standard input."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt(label, hide_input=True, confirmation_prompt=True)
