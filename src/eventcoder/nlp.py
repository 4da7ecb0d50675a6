"""spaCy loading: one cached pipeline per model name, chosen by a setting (``EVENTCODER_MODEL``)."""

from __future__ import annotations

import re

import bisect
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Span, Token

from ._config import default_model
from .errors import EventcoderError

__all__ = ["entities_in", "load_nlp", "mask_dateline", "sentence_of", "tokenizer_words"]


@lru_cache(maxsize=4)
def load_nlp(model: str | None = None) -> Language:
    """Load an installed spaCy pipeline (package name or path). Never downloads anything."""
    name = model or default_model()
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise EventcoderError(
            f"spaCy model {name!r} is not installed; install its package or set EVENTCODER_MODEL "
            f"to an installed pipeline ({exc.__class__.__name__})"
        ) from None
    missing = {"parser", "ner"} - set(nlp.pipe_names)
    if missing:
        raise EventcoderError(f"spaCy model {name!r} lacks the components eventcoder needs: {sorted(missing)}")
    return nlp


def tokenizer_words(nlp: Language):  # type: ignore[no-untyped-def]
    """A function that splits a phrase the way the pipeline's tokenizer does."""
    tokenizer = nlp.tokenizer

    def words(text: str) -> list[str]:
        return [t.text for t in tokenizer(text)]

    return words


def sentence_of(token: Token) -> Span:
    """``token.sent``, from a per-document index: spaCy's ``Token.sent`` scans the document on every call."""
    doc = token.doc
    index = doc.user_data.get("eventcoder_sents")
    if index is None:
        sents = list(doc.sents)
        owner = [0] * len(doc)
        for k, sent in enumerate(sents):
            for i in range(sent.start, sent.end):
                owner[i] = k
        index = doc.user_data["eventcoder_sents"] = (sents, owner)
    sents, owner = index
    return sents[owner[token.i]]


def entities_in(span: Span) -> list[Span]:
    """``span.ents``, from a per-document list: spaCy rebuilds every entity of the document on each call."""
    doc = span.doc
    ents = doc.user_data.get("eventcoder_ents")
    if ents is None:
        ents = doc.user_data["eventcoder_ents"] = list(doc.ents)
    lo = bisect.bisect_left([e.start for e in ents], span.start)
    out = []
    for ent in ents[lo:]:
        if ent.start >= span.end:
            break
        if ent.end <= span.end:
            out.append(ent)
    return out


# A wire-story dateline at the start of a text: "KABUL (Pajhwok):", "TIRANA, Albania (AP) --",
# "ADDIS ABABA, May 15 (Xinhua) --", "Cebu City--". The parser reads it as the subject of the first sentence.
_DATELINE = re.compile(
    r"""^(\s*)
    (?:[A-Z][A-Z.'\-]+(?:\ [A-Z][A-Z.'\-]+){0,3}            # KABUL, ADDIS ABABA, GAZA CITY
     |[A-Z][a-z]+(?:\ [A-Z][a-z]+){0,2}(?=\s*(?:--|—|:)))    # Cebu City-- / Kolkata: (title case: -- or : only)
    (?:,\ [A-Z][A-Za-z.]+(?:\ [A-Z][A-Za-z.]+){0,2})?         # , Albania / , Gaza Strip
    (?:,?\ (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\ \d{1,2})?  # , May 15
    (?:\s*\([A-Za-z][A-Za-z .&-]{0,30}\))?                  # (AP), (Xinhua)
    \s*(?:--|—|–|-|:)\s*(?=[A-Z"“‘'])      # and a sentence starts after it""",
    re.VERBOSE,
)


# accents and modifier letters typed for an apostrophe ("Colombia´s"), which the tokenizer does not split off
_APOSTROPHES = str.maketrans({"\u00b4": "'", "\u02bc": "'"})


def mask_dateline(text: str) -> str:
    """``text`` with a leading dateline replaced by spaces and stray apostrophe look-alikes made apostrophes
    (same length, so every offset stays valid)."""
    text = text.translate(_APOSTROPHES)
    m = _DATELINE.match(text)
    if m is None or m.end() > 80:
        return text
    return text[: m.start(1)] + " " * (m.end() - m.start(1)) + text[m.end():]
