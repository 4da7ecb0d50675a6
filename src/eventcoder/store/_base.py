"""The store interface and the table layouts every backend shares.

The store keeps three tables:

``documents``
    one row per coded document: where it came from, the hash of its text and which coder version coded it.
``mentions``
    one row per event mention (one :meth:`eventcoder.model.Event.to_dict` record): the record's scalar fields
    flattened into columns, the full record as JSON in ``record``, and the ``event_id`` of its cluster.
``events``
    deduplicated events: mentions of the same real-world event, across sentences and articles, merged into one
    row with mention, source and article counts (see :mod:`eventcoder.store._dedup`).

:func:`flatten_record` turns an event record into the flat mention columns; the exporters use it too, so the
CSV/Parquet files and the store agree on column names.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable
from urllib.parse import urlsplit

from ..model import Actor, Event, Evidence, Location, Modality

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

    from ..model import Document

__all__ = [
    "DOCUMENT_COLUMNS",
    "EVENT_COLUMNS",
    "MENTION_COLUMNS",
    "RECORD_COLUMNS",
    "TABLES",
    "Store",
    "clustering_date",
    "event_record",
    "flatten_record",
    "flatten_values",
    "iso_date",
    "outlet_of",
]

#: The tables a store holds, for :meth:`Store.count`.
TABLES = ("documents", "mentions", "events")

# (column, SQL type). The SQL types are DuckDB's; other backends map them.
DOCUMENT_COLUMNS: list[tuple[str, str]] = [
    ("id", "VARCHAR"),
    ("url", "VARCHAR"),
    ("title", "VARCHAR"),
    ("source", "VARCHAR"),
    ("outlet", "VARCHAR"),  # Document.source, else the URL's host, else the document id
    ("date", "DATE"),
    ("content_hash", "VARCHAR"),
    ("coded_at", "TIMESTAMP"),  # UTC
    ("coder_version", "VARCHAR"),
    ("n_events", "INTEGER"),
]

#: Columns produced by :func:`flatten_record`, in order.
RECORD_COLUMNS: list[tuple[str, str]] = [
    ("doc_id", "VARCHAR"),
    ("sentence_index", "INTEGER"),
    ("evidence_text", "VARCHAR"),
    ("evidence_start", "INTEGER"),
    ("evidence_end", "INTEGER"),
    ("trigger", "VARCHAR"),
    ("trigger_start", "INTEGER"),
    ("trigger_end", "INTEGER"),
    ("rule", "VARCHAR"),
    ("cameo", "VARCHAR"),
    ("cameo_root", "VARCHAR"),
    ("plover", "VARCHAR"),
    ("quad_class", "INTEGER"),
    ("goldstein", "DOUBLE"),
    ("confidence", "DOUBLE"),
    ("source_code", "VARCHAR"),
    ("source_text", "VARCHAR"),
    ("source_name", "VARCHAR"),
    ("source_country", "VARCHAR"),
    ("source_sector", "VARCHAR"),
    ("source_codes", "VARCHAR"),  # every source actor's code, ";"-separated
    ("target_code", "VARCHAR"),
    ("target_text", "VARCHAR"),
    ("target_name", "VARCHAR"),
    ("target_country", "VARCHAR"),
    ("target_sector", "VARCHAR"),
    ("target_codes", "VARCHAR"),
    ("reciprocal", "BOOLEAN"),
    ("attributed_to", "VARCHAR"),  # codes (else texts) of the actors a claim is attributed to, ";"-separated
    ("date", "DATE"),  # the event date; a month or year is stored as its first day (see date_precision)
    ("date_precision", "VARCHAR"),
    ("date_text", "VARCHAR"),
    ("date_source", "VARCHAR"),
    ("location_name", "VARCHAR"),
    ("location_text", "VARCHAR"),
    ("location_country", "VARCHAR"),
    ("location_admin1", "VARCHAR"),
    ("location_lat", "DOUBLE"),
    ("location_lon", "DOUBLE"),
    ("location_geonames_id", "BIGINT"),
    ("location_precision", "VARCHAR"),
    ("negated", "BOOLEAN"),
    ("future", "BOOLEAN"),
    ("hypothetical", "BOOLEAN"),
    ("question", "BOOLEAN"),
]

#: The ``mentions`` table: identifiers, the flat record columns, clustering columns and the JSON record.
MENTION_COLUMNS: list[tuple[str, str]] = [
    ("mention_id", "VARCHAR"),  # "<doc_id>#<position of the event in the document's list>"
    ("mention_index", "INTEGER"),
    *RECORD_COLUMNS,
    ("day", "DATE"),  # the event date, else the document's publication date: for filtering and sorting
    ("dedup_date", "DATE"),  # the day used for clustering, NULL when unknown (see _dedup.clustering_date)
    ("dedup_key", "VARCHAR"),  # source code | target code | type (CAMEO root or PLOVER type)
    ("event_id", "VARCHAR"),  # the cluster in ``events``; NULL for mentions kept out of clustering
    ("record", "JSON"),  # the full Event.to_dict() record
]

#: The ``events`` table: one deduplicated event per row.
EVENT_COLUMNS: list[tuple[str, str]] = [
    ("event_id", "VARCHAR"),
    ("dedup_key", "VARCHAR"),
    ("source_code", "VARCHAR"),
    ("source_name", "VARCHAR"),
    ("source_country", "VARCHAR"),
    ("source_sector", "VARCHAR"),
    ("target_code", "VARCHAR"),
    ("target_name", "VARCHAR"),
    ("target_country", "VARCHAR"),
    ("target_sector", "VARCHAR"),
    ("cameo", "VARCHAR"),
    ("cameo_root", "VARCHAR"),
    ("plover", "VARCHAR"),
    ("quad_class", "INTEGER"),
    ("goldstein", "DOUBLE"),
    ("date", "DATE"),  # the earliest clustering date of its mentions
    ("first_seen", "DATE"),  # earliest / latest publication date of the reporting documents
    ("last_seen", "DATE"),
    ("location_name", "VARCHAR"),
    ("location_country", "VARCHAR"),
    ("location_admin1", "VARCHAR"),
    ("location_lat", "DOUBLE"),
    ("location_lon", "DOUBLE"),
    ("location_geonames_id", "BIGINT"),
    ("location_precision", "VARCHAR"),
    ("num_mentions", "INTEGER"),
    ("num_sources", "INTEGER"),
    ("num_articles", "INTEGER"),
    ("confidence", "DOUBLE"),  # the highest mention confidence
    ("mention_id", "VARCHAR"),  # the representative mention
    ("doc_id", "VARCHAR"),
    ("sentence_index", "INTEGER"),
    ("evidence_text", "VARCHAR"),
    ("url", "VARCHAR"),  # the representative document's URL, title, outlet and coder version
    ("doc_title", "VARCHAR"),
    ("doc_outlet", "VARCHAR"),
    ("doc_coder_version", "VARCHAR"),
    ("added_at", "TIMESTAMP"),  # when the first of its documents was coded (UTC)
]


_RECORD_NAMES = tuple(n for n, _ in RECORD_COLUMNS)


def iso_date(value: Any) -> _dt.date | None:
    """Parse ``YYYY-MM-DD`` (or ``YYYY-MM`` / ``YYYY``, read as the first day) into a date; else None."""
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    s = str(value).strip()
    try:
        if len(s) >= 10:
            return _dt.date.fromisoformat(s[:10])
        if len(s) == 7:
            return _dt.date(int(s[:4]), int(s[5:7]), 1)
        if len(s) == 4:
            return _dt.date(int(s), 1, 1)
    except ValueError:
        return None
    return None


_DAY_PRECISIONS = frozenset({"day", "week", "unknown", "", None})


def clustering_date(record_date: Any, precision: str | None, doc_date: Any) -> _dt.date | None:
    """The day a mention is clustered on, or None.

    The event's own date when it is known to the day (or week); the document's publication date when the event
    has no date at all; None when the event's date is only known to the month, year or decade (such a mention
    could have happened on any day of the period, so it only joins mentions of its own article).
    """
    if record_date:
        if precision not in _DAY_PRECISIONS:
            return None
        s = str(record_date)
        return iso_date(s) if len(s) >= 10 else None
    return iso_date(doc_date)


def outlet_of(source: str | None, url: str | None, doc_id: str) -> str:
    """The outlet that published a document: its ``source``, else the URL's host (without ``www.``), else its id."""
    if source:
        return source
    if url:
        host = urlsplit(url).hostname or ""
        if host.startswith("www."):
            host = host[4:]
        if host:
            return host
    return doc_id


def _first(actors: Sequence[Mapping[str, Any]] | None) -> Mapping[str, Any]:
    return actors[0] if actors else {}


def _codes(actors: Sequence[Mapping[str, Any]] | None) -> str | None:
    if not actors:
        return None
    return ";".join(str(a.get("code") or a.get("text") or "") for a in actors)


def flatten_values(record: Mapping[str, Any]) -> tuple[Any, ...]:
    """:func:`flatten_record` as a tuple in :data:`RECORD_COLUMNS` order (the fast path for bulk inserts)."""
    evidence = record.get("evidence") or {}
    span = record.get("trigger_span") or (None, None)
    src = record.get("source") or []
    tgt = record.get("target") or []
    s = _first(src)
    t = _first(tgt)
    loc = record.get("location") or {}
    mod = record.get("modality") or {}
    return (
        record.get("doc_id"),  # doc_id
        record.get("sentence_index"),  # sentence_index
        evidence.get("text"),  # evidence_text
        evidence.get("start"),  # evidence_start
        evidence.get("end"),  # evidence_end
        record.get("trigger"),  # trigger
        span[0] if len(span) > 0 else None,  # trigger_start
        span[1] if len(span) > 1 else None,  # trigger_end
        record.get("rule"),  # rule
        record.get("cameo"),  # cameo
        record.get("cameo_root"),  # cameo_root
        record.get("plover"),  # plover
        record.get("quad_class"),  # quad_class
        record.get("goldstein"),  # goldstein
        record.get("confidence"),  # confidence
        s.get("code"),  # source_code
        s.get("text"),  # source_text
        s.get("name"),  # source_name
        s.get("country"),  # source_country
        s.get("sector"),  # source_sector
        _codes(src),  # source_codes
        t.get("code"),  # target_code
        t.get("text"),  # target_text
        t.get("name"),  # target_name
        t.get("country"),  # target_country
        t.get("sector"),  # target_sector
        _codes(tgt),  # target_codes
        bool(record.get("reciprocal", False)),  # reciprocal
        _codes(record.get("attributed_to")),  # attributed_to
        record.get("date"),  # date
        record.get("date_precision"),  # date_precision
        record.get("date_text"),  # date_text
        record.get("date_source"),  # date_source
        loc.get("name"),  # location_name
        loc.get("text"),  # location_text
        loc.get("country"),  # location_country
        loc.get("admin1"),  # location_admin1
        loc.get("lat"),  # location_lat
        loc.get("lon"),  # location_lon
        loc.get("geonames_id"),  # location_geonames_id
        loc.get("precision") if loc else None,  # location_precision
        bool(mod.get("negated", False)),  # negated
        bool(mod.get("future", False)),  # future
        bool(mod.get("hypothetical", False)),  # hypothetical
        bool(mod.get("question", False)),  # question
    )


def flatten_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """Flatten an event record (``Event.to_dict()``) into the scalar mention columns (:data:`RECORD_COLUMNS`).

    An event with several source or target actors keeps the first of each in the ``source_*``/``target_*``
    columns and lists every code in ``source_codes``/``target_codes``. Dates stay ISO strings here.
    """
    return dict(zip(_RECORD_NAMES, flatten_values(record)))


_LOCATION_FIELDS = tuple(f.name for f in dataclasses.fields(Location))
_MODALITY_FIELDS = tuple(f.name for f in dataclasses.fields(Modality))


def _fast_record(e: Event) -> dict[str, Any]:
    # Event.to_dict() without dataclasses.asdict (which deep-copies): same keys, same order, same values.
    loc = e.location
    mod = e.modality
    return {
        "doc_id": e.doc_id,
        "sentence_index": e.sentence_index,
        "evidence": e.evidence.to_dict(),
        "trigger": e.trigger,
        "trigger_span": [e.trigger_start, e.trigger_end],
        "rule": e.rule,
        "cameo": e.cameo,
        "cameo_root": e.cameo_root,
        "plover": e.plover,
        "quad_class": e.quad_class,
        "goldstein": e.goldstein,
        "confidence": round(e.confidence, 4),
        "source": [a.to_dict() for a in e.source],
        "target": [a.to_dict() for a in e.target],
        "reciprocal": e.reciprocal,
        "attributed_to": [a.to_dict() for a in e.attributed_to],
        "date": e.date,
        "date_precision": e.date_precision,
        "date_text": e.date_text,
        "date_source": e.date_source,
        "location": {f: getattr(loc, f) for f in _LOCATION_FIELDS} if loc else None,
        "modality": {f: getattr(mod, f) for f in _MODALITY_FIELDS},
    }


def _fast_path_matches() -> bool:
    person = Actor(text="the minister", code="FRAGOV", country="FRA", sector="GOV", name="A Name", role="minister",
                   wikidata="Q1", start=1, end=2)
    sample = Event(
        doc_id="d", sentence_index=1, evidence=Evidence("text", 0, 4), trigger="t", cameo="042", cameo_root="04",
        plover="CONSULT", quad_class=1, goldstein=1.9, confidence=0.123456, source=[person],
        target=[Actor(text="x", code="DEU")], trigger_start=0, trigger_end=1, rule="r", date="2020-01-01",
        date_precision="day", date_text="today", date_source="text",
        location=Location(name="Paris", country="FRA", admin1="IDF", lat=1.0, lon=2.0, geonames_id=3, text="P"),
        modality=Modality(negated=True), reciprocal=True, attributed_to=[person])
    try:
        fast = _fast_record(sample)
        return fast == sample.to_dict() and list(fast) == list(sample.to_dict())
    except Exception:  # noqa: BLE001 - any model change just disables the fast path
        return False


#: True when :func:`event_record` can skip ``Event.to_dict()`` (checked once against the model at import).
FAST_RECORDS = _fast_path_matches()


def event_record(event: Event | Mapping[str, Any]) -> dict[str, Any]:
    """The ``Event.to_dict()`` record of an event (a mapping is returned as a dict).

    For plain :class:`~eventcoder.model.Event` objects this builds the same dict about four times faster than
    ``to_dict()`` (which deep-copies the location and modality); the shortcut is verified against ``to_dict()``
    when the module loads and is only used if it gives an identical record.
    """
    if FAST_RECORDS and type(event) is Event:
        return _fast_record(event)
    if hasattr(event, "to_dict"):
        return event.to_dict()
    return dict(event)


@runtime_checkable
class Store(Protocol):
    """What the pipeline, the CLI, the web API and the exporters need from an event store.

    :class:`eventcoder.store.DuckDBStore` is the embedded default; another backend (a server database) only has
    to provide these methods. Stores are context managers that close on exit.
    """

    path: str

    def write(self, doc: Document, events: Sequence[Event | Mapping[str, Any]], coder_version: str,
              recode: bool = False) -> bool:
        """Store one coded document; False if the same id, content hash and coder version were already stored."""
        ...

    def write_many(self, pairs: Iterable[tuple[Document, Sequence[Event | Mapping[str, Any]]]], coder_version: str,
                   recode: bool = False, batch_size: int = 500) -> int:
        """Store many coded documents in batches; returns how many were written (the rest were skipped)."""
        ...

    def has(self, doc_id: str, content_hash: str, coder_version: str | None = None) -> bool:
        """Whether this document (same text; same coder version if given) is already stored."""
        ...

    def query(self, *, actor: str | None = None, source: str | None = None, target: str | None = None,
              country: str | None = None, type: str | None = None, cameo: str | None = None,
              quad: int | Iterable[int] | None = None, since: str | _dt.date | None = None,
              until: str | _dt.date | None = None, place: str | None = None, text: str | None = None,
              level: str = "event", limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """Events (or mentions) matching every given filter."""
        ...

    def stats(self, top: int = 10) -> dict[str, Any]:
        """Counts: totals, events by type and by month, the top dyads."""
        ...

    def get_event(self, event_id: str) -> dict[str, Any] | None:
        """One event with its ``mentions`` (each with its record and document), or None."""
        ...

    def count(self, table: str) -> int:
        """Number of rows in ``documents``, ``mentions`` or ``events``."""
        ...

    def rebuild_events(self) -> int:
        """Recompute every event cluster from the mentions; returns the number of events."""
        ...

    def iter_events(self, with_mentions: bool = True, batch_size: int = 2000) -> Iterator[dict[str, Any]]:
        """Every event (ordered by date, then id) with its representative document and, optionally, mentions."""
        ...

    def iter_mentions(self, in_events_only: bool = False, batch_size: int = 10000) -> Iterator[dict[str, Any]]:
        """Every mention (ordered by date, document, position) with its parsed record and document fields."""
        ...

    def to_arrow(self, level: str = "mention") -> pa.Table:
        """A whole table (``mention`` rows with document fields, or ``event`` rows) as an Arrow table."""
        ...

    def close(self) -> None:
        """Close the store (idempotent)."""
        ...

    def __enter__(self) -> Store: ...

    def __exit__(self, *exc: object) -> None: ...
