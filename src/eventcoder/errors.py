"""Errors that are the user's to fix: reported as one line, never as a traceback."""

from __future__ import annotations

__all__ = ["EventcoderError", "InputError"]


class EventcoderError(Exception):
    """Base class for errors reported to the user as a single line."""


class InputError(EventcoderError):
    """An input (file, line, URL) that cannot be read as a document."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason
