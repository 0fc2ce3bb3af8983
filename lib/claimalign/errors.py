"""Exceptions and warnings that name the file and the problem."""
from __future__ import annotations

from pathlib import Path

__all__ = ["ClaimalignError", "CorpusError", "LimitError", "CorpusWarning", "ReviewWarning"]


class ClaimalignError(Exception):
    """Base class: a problem the user can fix, reported without a traceback."""


class CorpusError(ClaimalignError):
    """A corpus that cannot be loaded: one line per problem, each naming its file."""

    def __init__(self, problems: list[tuple[Path | str, str]]):
        self.problems = [(str(path), problem) for path, problem in problems]
        super().__init__("\n".join(f"{path}: {problem}" for path, problem in self.problems))


class LimitError(ClaimalignError):
    """An input over a documented, settable size limit."""


class CorpusWarning(UserWarning):
    """Something loaded but deserves the user's eye (e.g. a non-UTF-8 file)."""


class ReviewWarning(UserWarning):
    """A line of reviews.yaml that was skipped."""
