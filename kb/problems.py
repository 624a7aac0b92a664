"""A problem found in content: where it is, what is wrong, and how to fix it."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: {self.field}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text


class ContentError(Exception):
    """Raised by library code when content has problems; the CLI turns it into a message."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the content")


class BuildError(Exception):
    """The build could not be written (read-only folder, full disk ...). Its text is a sentence
    saying what happened and what to do; the CLI prints it without a traceback."""
