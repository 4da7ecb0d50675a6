"""The shared data model: every pipeline stage reads and writes these types.

A :class:`Document` is split into :class:`Sentence` objects; actor :class:`Mention` objects are found in
them and resolved to :class:`Actor` codes; each coded :class:`Event` links a trigger, source and target
actors, a date, a place and the :class:`Evidence` (the sentence, with offsets into the document text).
``Event.to_dict()`` is the JSON record every exporter and scorer reads.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "Actor",
    "Document",
    "Event",
    "Evidence",
    "Location",
    "Mention",
    "Modality",
    "Sentence",
    "DatePrecision",
]

DatePrecision = str  # one of: day, week, month, year, decade, unknown


@dataclass(slots=True)
class Document:
    """One input article (or sentence) to code."""

    id: str
    text: str
    date: str | None = None  # ISO publication date, YYYY-MM-DD
    title: str | None = None
    url: str | None = None
    source: str | None = None  # the outlet, e.g. a domain name

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class Sentence:
    index: int
    text: str
    start: int
    end: int


@dataclass(slots=True)
class Actor:
    """A coded actor: CAMEO-style code plus what it was resolved from."""

    text: str  # the words naming the actor; for a pronoun, the words of the actor it refers to
    code: str | None
    country: str | None = None  # ISO3 (or an IGO code's three-letter prefix for organisations)
    sector: str | None = None  # CAMEO sector code (GOV, MIL, ...) or None
    name: str | None = None  # canonical name from the knowledge base
    role: str | None = None  # for people: the office held on the event date
    wikidata: str | None = None
    start: int | None = None  # character offsets of the mention in the document
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {
            "text": self.text,
            "code": self.code,
            "country": self.country,
            "sector": self.sector,
            "name": self.name,
        }
        if self.role:
            out["role"] = self.role
        if self.wikidata:
            out["wikidata"] = self.wikidata
        return out


@dataclass(slots=True)
class Mention:
    """An actor mention in a sentence: token span plus its resolved actor(s)."""

    start_token: int  # token indices in the spaCy doc, end exclusive
    end_token: int
    head_token: int
    actors: list[Actor]
    kind: str = "name"  # name | agent | pronoun | description | metonym


@dataclass(slots=True)
class Evidence:
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(slots=True)
class Location:
    name: str
    country: str | None = None  # ISO3
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    precision: str = "city"  # city | admin1 | country
    text: str | None = None  # the words in the sentence that named it

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        return out


@dataclass(slots=True)
class Modality:
    negated: bool = False
    future: bool = False
    hypothetical: bool = False
    question: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def asserted(self) -> bool:
        return not (self.negated or self.future or self.hypothetical or self.question)


@dataclass(slots=True)
class Event:
    """One coded event mention."""

    doc_id: str
    sentence_index: int
    evidence: Evidence
    trigger: str
    cameo: str
    cameo_root: str
    plover: str | None
    quad_class: int
    goldstein: float
    confidence: float
    source: list[Actor]
    target: list[Actor]
    trigger_start: int | None = None  # character offsets of the trigger in the document
    trigger_end: int | None = None
    rule: str = ""
    date: str | None = None
    date_precision: DatePrecision = "unknown"
    date_text: str | None = None
    date_source: str | None = None  # text | document | None
    location: Location | None = None
    modality: Modality = field(default_factory=Modality)
    reciprocal: bool = False
    attributed_to: list[Actor] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "sentence_index": self.sentence_index,
            "evidence": self.evidence.to_dict(),
            "trigger": self.trigger,
            "trigger_span": [self.trigger_start, self.trigger_end],
            "rule": self.rule,
            "cameo": self.cameo,
            "cameo_root": self.cameo_root,
            "plover": self.plover,
            "quad_class": self.quad_class,
            "goldstein": self.goldstein,
            "confidence": round(self.confidence, 4),
            "source": [a.to_dict() for a in self.source],
            "target": [a.to_dict() for a in self.target],
            "reciprocal": self.reciprocal,
            "attributed_to": [a.to_dict() for a in self.attributed_to],
            "date": self.date,
            "date_precision": self.date_precision,
            "date_text": self.date_text,
            "date_source": self.date_source,
            "location": self.location.to_dict() if self.location else None,
            "modality": self.modality.to_dict(),
        }
