"""eventcoder: turn news articles into political event data (CAMEO, PLOVER), offline, with evidence."""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import EventcoderError, InputError  # noqa: E402
from .model import Actor, Document, Event, Evidence, Location, Mention, Modality, Sentence  # noqa: E402


def __getattr__(name: str) -> object:
    # the coder pulls in spaCy; import it on first use so that `eventcoder --help` stays fast
    if name == "Coder":
        from .pipeline import Coder

        return Coder
    raise AttributeError(f"module 'eventcoder' has no attribute {name!r}")

__all__ = [
    "Actor",
    "Coder",
    "Document",
    "Event",
    "EventcoderError",
    "Evidence",
    "InputError",
    "Location",
    "Mention",
    "Modality",
    "Sentence",
    "__version__",
]
