"""spaCy loading: one cached pipeline per model name, chosen by a setting (``EVENTCODER_MODEL``)."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from ._config import default_model
from .errors import EventcoderError

__all__ = ["load_nlp", "tokenizer_words"]


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
