"""Highlight offsets for an event's evidence sentence: where its trigger and its actors are.

The event record gives the trigger as document offsets (``trigger_span``) and the actors as their words
(``source[].text``, ``target[].text``); the dashboard needs spans relative to ``evidence.text``. Each actor's
words are looked up in the sentence, taking the occurrence nearest the trigger that overlaps nothing already
marked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["highlights"]

Span = tuple[int, int]


def _overlaps(span: Span, taken: list[Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def _occurrences(sentence: str, words: str) -> list[Span]:
    words = words.strip()
    if not words:
        return []
    found = [(m.start(), m.end()) for m in re.finditer(re.escape(words), sentence)]
    if not found:
        found = [(m.start(), m.end()) for m in re.finditer(re.escape(words), sentence, flags=re.IGNORECASE)]
    return found


def _trigger_span(record: Mapping[str, Any], sentence: str, base: int) -> Span | None:
    span = record.get("trigger_span") or (None, None)
    start, end = (list(span) + [None, None])[:2]
    if isinstance(start, int) and isinstance(end, int) and base <= start < end <= base + len(sentence):
        return start - base, end - base
    found = _occurrences(sentence, str(record.get("trigger") or ""))
    return found[0] if found else None


def highlights(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """``[{start, end, kind, code}]`` in ``record["evidence"]["text"]``, sorted; kind is trigger, source or target."""
    evidence = record.get("evidence") or {}
    sentence = str(evidence.get("text") or "")
    start = evidence.get("start")
    base = start if isinstance(start, int) else 0
    taken: list[Span] = []
    out: list[dict[str, Any]] = []
    trigger = _trigger_span(record, sentence, base)
    if trigger is not None:
        taken.append(trigger)
        out.append({"start": trigger[0], "end": trigger[1], "kind": "trigger", "code": record.get("cameo")})
    anchor = trigger[0] if trigger else 0
    for kind in ("source", "target"):
        for actor in record.get(kind) or []:
            candidates = [s for s in _occurrences(sentence, str(actor.get("text") or "")) if not _overlaps(s, taken)]
            if not candidates:
                continue
            best = min(candidates, key=lambda s: abs(s[0] - anchor))
            taken.append(best)
            out.append({"start": best[0], "end": best[1], "kind": kind, "code": actor.get("code")})
    out.sort(key=lambda h: h["start"])
    return out
