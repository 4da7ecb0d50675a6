"""The coder: documents in, events out.

Stages, each in its own module: spaCy processing (``nlp``) -> actor phrases (``actors``) -> triggers,
arguments and modality (``events``) -> date (``when``) and place (``where``) of each event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from spacy.tokens import Doc, Token

from . import __version__
from .actors import ActorResolver, load_kb
from .events import EventExtractor, get_lexicon, get_ontology
from .events._classifier import EventTypeClassifier
from .model import Document, Event, Evidence, Location
from .nlp import load_nlp, mask_dateline, tokenizer_words
from .when import resolve_event_date
from .where import get_gazetteer, resolve_event_location

__all__ = ["Coder"]


class Coder:
    """Code news text into political events.

    >>> coder = Coder()
    >>> events = coder.code("Russian troops attacked Kharkiv on Monday.", date="2022-05-02")
    """

    def __init__(self, model: str | None = None, batch_size: int = 32, keep_negated: bool = False,
                 use_type_model: bool = True) -> None:
        self.nlp = load_nlp(model)
        self.model_name = model or self.nlp.meta.get("name", "")
        key = f"{self.nlp.meta.get('lang')}_{self.nlp.meta.get('name')}-{self.nlp.meta.get('version')}"
        self.kb = load_kb(tokenizer_words(self.nlp), key)
        self.gazetteer = get_gazetteer()
        self.resolver = ActorResolver(self.kb, self.gazetteer)
        # the sentence-level type model (training/MODEL_CARD.md) re-ranks and, where sure, re-types rule events
        classifier = EventTypeClassifier.load() if use_type_model else None
        self.extractor = EventExtractor(get_lexicon(), get_ontology(), keep_negated=keep_negated,
                                        classifier=classifier, model_weight=0.1, model_threshold=0.75)
        self.batch_size = batch_size
        self.version = __version__

    def code(self, text: str, date: str | None = None, doc_id: str = "doc") -> list[Event]:
        """Code one text; ``date`` (YYYY-MM-DD) is its publication date."""
        return next(self.code_documents([Document(id=doc_id, text=text, date=date)]))[1]

    def code_many(self, texts: Iterable[str], date: str | None = None) -> list[list[Event]]:
        """Code many texts sharing one publication date; one list of events per text, in order."""
        docs = (Document(id=str(i), text=t, date=date) for i, t in enumerate(texts))
        return [events for _, events in self.code_documents(docs)]

    def code_documents(self, documents: Iterable[Document]) -> Iterator[tuple[Document, list[Event]]]:
        """Code documents in batches (``nlp.pipe``), yielding each with its events, in input order."""
        # a wire dateline ("KABUL (AP) --") is blanked out (offsets unchanged) so it is not read as a subject
        pairs = ((mask_dateline(d.text), d) for d in documents)
        for doc, document in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.batch_size):
            yield document, self.code_parsed(doc, document)

    def code_parsed(self, doc: Doc, document: Document) -> list[Event]:
        """Code an already parsed spaCy ``Doc`` of ``document.text``."""
        actors = self.resolver.analyse(doc)
        doc_date = _parse_date(document.date)
        context = actors.context
        gazetteer = self.gazetteer

        def date_of(trigger: Token) -> tuple[str | None, str, str | None, str | None]:
            info = resolve_event_date(trigger, doc_date)
            return info.date, info.precision, info.text, info.source

        def place_of(trigger: Token) -> Location | None:
            return resolve_event_location(trigger, context, gazetteer)

        events = self.extractor.extract(doc, actors, document.id, date_of=date_of, place_of=place_of)
        if doc.text != document.text and len(doc.text) == len(document.text):
            # the parse saw a blanked dateline: evidence quotes the document as written
            for event in events:
                ev = event.evidence
                event.evidence = Evidence(document.text[ev.start:ev.end], ev.start, ev.end)
        return events


def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None

