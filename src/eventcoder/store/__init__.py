"""The event store: coded documents, event mentions and deduplicated events in an embedded DuckDB file.

>>> from eventcoder.store import open_store
>>> with open_store("events.duckdb") as store:          # doctest: +SKIP
...     store.write(doc, events, coder_version="0.1.0")
...     store.query(actor="FRA", since="2020-01-01")

See ``docs/store.md`` for the tables, the deduplication rules and the query filters.
"""

from __future__ import annotations

from pathlib import Path

from ._base import (
    DOCUMENT_COLUMNS,
    EVENT_COLUMNS,
    MENTION_COLUMNS,
    RECORD_COLUMNS,
    TABLES,
    Store,
    clustering_date,
    event_record,
    flatten_record,
    outlet_of,
)
from ._dedup import Cluster, DedupSettings, cluster_mentions
from ._duckdb import DuckDBStore

__all__ = [
    "DOCUMENT_COLUMNS",
    "EVENT_COLUMNS",
    "MENTION_COLUMNS",
    "RECORD_COLUMNS",
    "TABLES",
    "Cluster",
    "DedupSettings",
    "DuckDBStore",
    "Store",
    "cluster_mentions",
    "clustering_date",
    "event_record",
    "flatten_record",
    "open_store",
    "outlet_of",
]


def open_store(path: str | Path | None = None, read_only: bool = False,
               dedup: DedupSettings | None = None) -> Store:
    """Open (creating it if needed, unless ``read_only``) the event store at ``path``.

    ``path`` defaults to :func:`eventcoder._config.default_db_path` (``EVENTCODER_DB``, else ``events.duckdb`` in
    the user data directory); ``":memory:"`` gives a throw-away store. ``dedup`` changes the deduplication
    settings stored with the database; the events are rebuilt when they differ from the stored ones.
    """
    if path is None:
        from .._config import default_db_path

        path = default_db_path()
    return DuckDBStore(path, read_only=read_only, dedup=dedup)
