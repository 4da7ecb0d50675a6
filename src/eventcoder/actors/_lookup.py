"""Look up how a phrase is coded, alone or inside a context sentence (``eventcoder actor``)."""

from __future__ import annotations

from typing import Any

from ..model import Actor

__all__ = ["lookup_phrase"]


def lookup_phrase(coder: Any, text: str, date: str | None = None, context: str | None = None) -> list[Actor]:
    """The actors a phrase names, best first. ``coder`` is an :class:`eventcoder.Coder`."""
    sentence = context if context and text in context else text
    doc = coder.nlp(sentence)
    start = sentence.find(text)
    span = doc.char_span(start, start + len(text), alignment_mode="expand") if start >= 0 else doc[:]
    if span is None or len(span) == 0:
        return []
    actors = coder.resolver.analyse(doc)
    # resolve what comes before the phrase first, so that references back ("the bloc") can be followed
    for tok in doc[: span.start]:
        if tok.pos_ in ("PROPN", "NOUN") and tok.dep_ != "compound":
            actors.resolve(tok, date)
    found: list[Actor] = []
    heads = [span.root] + [t for t in span if t.i != span.root.i and t.pos_ in ("PROPN", "NOUN", "ADJ")]
    for head in heads:
        actor = actors.resolve(head, date)
        # skip what an earlier actor already says ("French" inside "French President Macron")
        if actor is not None and actor.code and not any(a.code.startswith(actor.code) for a in found if a.code):
            found.append(actor)
    # best first: actors with a known country before sector-only ones ("gunmen" in "Boko Haram gunmen")
    return sorted(found, key=lambda a: (a.code or "").startswith("---"))
