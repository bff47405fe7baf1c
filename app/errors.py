"""Errors a user can act on.

A :class:`UserError` carries a message meant for people; the CLI prints it as
one line on stderr and exits with 2, the GUI shows it in a dialog. Messages never
contain personal data (no case reference, name, note or answer).
"""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a situation the user can fix. Exit code 2 in the CLI."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationProblems(UserError):
    """Several problems in one input, each already formatted as one line."""

    def __init__(self, problems: list[str], summary: str) -> None:
        super().__init__(summary)
        self.problems = problems

    def lines(self) -> list[str]:
        return [*self.problems, self.message]
