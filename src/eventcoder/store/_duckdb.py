"""The embedded DuckDB store (the default backend).

Writes go through Arrow tables: each batch of documents becomes one Arrow table of documents and one of
mentions. One transaction deletes the documents' previous rows, inserts the new ones and recomputes the events
of every dedup key the batch touched (old and new), so a document is either fully stored, with its events, or
not at all. :meth:`DuckDBStore.rebuild_events` queues every key in ``pending_keys`` and works through them a
chunk per transaction; a writable open finishes any queue a dead process left behind.
"""

from __future__ import annotations

import datetime as _dt
import json
import threading
from contextlib import contextmanager
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from ._base import (
    DOCUMENT_COLUMNS,
    EVENT_COLUMNS,
    MENTION_COLUMNS,
    TABLES,
    RECORD_COLUMNS,
    clustering_date,
    event_record,
    flatten_values,
    iso_date,
    outlet_of,
)
from ._dedup import ROW_FIELDS, Cluster, DedupSettings, NeedsFullRecompute, event_id_of, recluster_key

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Document, Event

__all__ = ["DuckDBStore", "SCHEMA_VERSION"]

SCHEMA_VERSION = "1"
#: Write-ahead log size that triggers a checkpoint (DuckDB's default is 16 MB).
CHECKPOINT_THRESHOLD = "256MB"

_ARROW_TYPES = {
    "VARCHAR": pa.string(),
    "JSON": pa.string(),
    "INTEGER": pa.int32(),
    "BIGINT": pa.int64(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "DATE": pa.date32(),
    "TIMESTAMP": pa.timestamp("us"),
}


def _coerce(value: Any, sql_type: str) -> Any:
    if value is None:
        return None
    try:
        if sql_type in ("INTEGER", "BIGINT"):
            return int(value)
        if sql_type == "DOUBLE":
            return float(value)
        if sql_type == "BOOLEAN":
            return bool(value)
        if sql_type == "DATE":
            return iso_date(value)
    except (TypeError, ValueError):
        return None
    return value if isinstance(value, str) or sql_type not in ("VARCHAR", "JSON") else str(value)


def _arrow_table(columns: list[tuple[str, str]], data: Mapping[str, list[Any]]) -> pa.Table:
    arrays = []
    for name, sql_type in columns:
        values = data[name]
        typ = _ARROW_TYPES[sql_type]
        try:
            arrays.append(pa.array(values, type=typ))
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
            arrays.append(pa.array([_coerce(v, sql_type) for v in values], type=typ))
    return pa.Table.from_arrays(arrays, names=[n for n, _ in columns])


def _ddl(table: str, columns: list[tuple[str, str]]) -> str:
    cols = ",\n  ".join(f'"{name}" {sql_type}' for name, sql_type in columns)
    return f"CREATE TABLE IF NOT EXISTS {table} (\n  {cols}\n)"


_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False, default=str).encode

_EVENT_NAMES = [n for n, _ in EVENT_COLUMNS]
_DOC_NAMES = [n for n, _ in DOCUMENT_COLUMNS]
# Mention columns built in Python (dedup_key and event_id are filled in SQL).
_RECORD_NAMES = [n for n, _ in RECORD_COLUMNS]
_DATE_POS = _RECORD_NAMES.index("date")
_PRECISION_POS = _RECORD_NAMES.index("date_precision")
_STAGED_MENTIONS = [(n, t) for n, t in MENTION_COLUMNS if n not in ("dedup_key", "event_id")]

# Event columns computed over all of an event's mentions, in the order _insert_events builds them.
_COMPUTED_EVENT_FIELDS = ("date", "first_seen", "last_seen", "num_mentions", "num_sources", "num_articles",
                          "confidence", "added_at")

_MENTION_SELECT = (
    "SELECT m.*, d.url, d.title, d.outlet, d.date AS doc_date, d.coder_version "
    "FROM mentions m LEFT JOIN documents d ON d.id = m.doc_id"
)
_MENTION_ORDER = "m.day NULLS LAST, m.doc_id, m.mention_index"
# Events carry their representative document's fields, so reading them needs no join.
_EVENT_SELECT = (
    "SELECT e.* EXCLUDE (doc_title, doc_outlet, doc_coder_version), e.doc_title AS title, "
    "e.doc_outlet AS outlet, e.doc_coder_version AS coder_version FROM events e"
)
_EVENT_ORDER = "e.date NULLS LAST, e.event_id"


def _singleton(row: tuple, since: _dt.date | None) -> bool:
    """Whether a key's only loaded mention simply forms its own event (what recluster_key would return)."""
    day = row[4]
    return since is None or day is None or day >= since


def _plain(value: Any) -> Any:
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return value


def _rows(description: Sequence[Sequence[Any]], rows: Iterable[Sequence[Any]]) -> list[dict[str, Any]]:
    names = [d[0] for d in description]
    out = []
    for row in rows:
        item = {name: _plain(value) for name, value in zip(names, row)}
        if isinstance(item.get("record"), str):
            item["record"] = json.loads(item["record"])
        out.append(item)
    return out


def _actor_struct(side: str) -> str:
    return (f"CASE WHEN f.{side}_code IS NULL AND f.{side}_text IS NULL THEN [] ELSE [{{'text': f.{side}_text, "
            f"'code': f.{side}_code, 'country': f.{side}_country, 'sector': f.{side}_sector, "
            f"'name': f.{side}_name}}] END")


# A mention's record rebuilt from its flat columns (bulk_insert without a ``record`` column): the keys of
# Event.to_dict(), with the first source and target actor only and attributed_to as codes. The record is built
# as one nested STRUCT and serialised once with to_json (much cheaper than nested json_object calls); to_json
# returns the JSON type, so the record column takes it without re-parsing a string.
_RECORD_JSON_SQL = (
    "to_json({'doc_id': f.doc_id, 'sentence_index': f.sentence_index, 'evidence': {'text': "
    "f.evidence_text, 'start': f.evidence_start, 'end': f.evidence_end}, 'trigger': f.trigger, 'trigger_span': "
    "[f.trigger_start, f.trigger_end], 'rule': f.rule, 'cameo': f.cameo, 'cameo_root': f.cameo_root, "
    "'plover': f.plover, 'quad_class': f.quad_class, 'goldstein': f.goldstein, 'confidence': f.confidence, "
    f"'source': {_actor_struct('source')}, 'target': {_actor_struct('target')}, 'reciprocal': f.reciprocal, "
    "'attributed_to': CASE WHEN f.attributed_to IS NULL THEN [] ELSE list_transform("
    "string_split(f.attributed_to, ';'), lambda x: {'text': x, 'code': x}) END, "
    "'date': f.date_str, 'date_precision': f.date_precision, 'date_text': f.date_text, "
    "'date_source': f.date_source, 'location': CASE WHEN f.location_name IS NULL AND f.location_country IS NULL "
    "AND f.location_lat IS NULL AND f.location_geonames_id IS NULL THEN NULL ELSE {'name': "
    "f.location_name, 'country': f.location_country, 'admin1': f.location_admin1, 'lat': f.location_lat, 'lon': "
    "f.location_lon, 'geonames_id': f.location_geonames_id, 'precision': f.location_precision, 'text': "
    "f.location_text} END, 'modality': {'negated': f.negated, 'future': f.future, 'hypothetical': "
    "f.hypothetical, 'question': f.question}})"
)


def _bulk_documents(table: pa.Table, coder_version: str) -> pa.Table:
    """The documents of a bulk load as :data:`DOCUMENT_COLUMNS` (without ``n_events``), plus ``_row``."""
    n = table.num_rows
    cols = {c: table.column(c) for c in table.column_names}

    def col(name: str, typ: pa.DataType) -> pa.ChunkedArray | pa.Array:
        if name not in cols:
            return pa.nulls(n, type=typ)
        if name == "date" and (pa.types.is_string(cols[name].type) or pa.types.is_large_string(cols[name].type)):
            return pa.array([iso_date(v) for v in cols[name].to_pylist()], type=typ)
        return cols[name].cast(typ)

    ids = col("id", pa.string())
    source = col("source", pa.string())
    url = col("url", pa.string())
    if "outlet" in cols:
        outlet = col("outlet", pa.string())
    else:  # outlet_of(), in Python only for the documents without a source
        src_list = source.to_pylist()
        if all(src_list):
            outlet = source
        else:
            outlet = pa.array([outlet_of(s, u, i) for s, u, i in zip(src_list, url.to_pylist(), ids.to_pylist())],
                              type=pa.string())
    now = _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)
    return pa.table({
        "id": ids, "url": url, "title": col("title", pa.string()), "source": source, "outlet": outlet,
        "date": col("date", pa.date32()), "content_hash": col("content_hash", pa.string()),
        "coded_at": pa.array([now] * n, type=pa.timestamp("us")),
        "coder_version": pa.array([coder_version] * n, type=pa.string()),
        "_row": pa.array(range(n), type=pa.int64()),
    })


class DuckDBStore:
    """An event store in one DuckDB file (see :class:`eventcoder.store.Store` for the methods).

    One process may open a file for writing at a time (DuckDB locks it); several may open it read-only when no
    writer holds it. The object serialises its own calls with a lock, so threads may share it.
    """

    def __init__(self, path: str | Path, read_only: bool = False, dedup: DedupSettings | None = None) -> None:
        self.path = str(path)
        self.read_only = bool(read_only)
        in_memory = self.path == ":memory:"
        if not in_memory:
            p = Path(self.path)
            if read_only and not p.exists():
                raise FileNotFoundError(f"no event store at {self.path}")
            if not read_only:
                p.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._con: duckdb.DuckDBPyConnection | None = duckdb.connect(self.path, read_only=self.read_only)
        if not self.read_only:
            # Fewer, larger checkpoints: commits then only append to the write-ahead log.
            self.con.execute(f"SET checkpoint_threshold = '{CHECKPOINT_THRESHOLD}'")
            self._create_schema()
        stored = self._get_meta("dedup")
        stored_settings = DedupSettings.from_json(stored) if stored else None
        if self.read_only:
            self.settings = stored_settings or dedup or DedupSettings()
            return
        if dedup is None or dedup == stored_settings:
            self.settings = stored_settings or DedupSettings()
            if stored_settings is None:
                self._set_meta("dedup", self.settings.to_json())
            self._refresh_pending()
        else:
            self.settings = dedup
            self._set_meta("dedup", dedup.to_json())
            self.rebuild_events()

    # -- plumbing -----------------------------------------------------------------------------------------------

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The underlying DuckDB connection (for ad-hoc SQL; don't leave results unfetched)."""
        if self._con is None:
            raise RuntimeError("the event store is closed")
        return self._con

    def _all(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple]:
        return self.con.execute(sql, params).fetchall() if params else self.con.execute(sql).fetchall()

    def _tuples(self, sql: str) -> list[tuple]:
        """Rows as tuples, fetched through Arrow (faster than fetchall for large results)."""
        table = self.con.sql(sql).to_arrow_table()
        return list(zip(*(col.to_pylist() for col in table.columns)))

    def _dicts(self, sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, params) if params else self.con.execute(sql)
        return _rows(cur.description, cur.fetchall())

    def _create_schema(self) -> None:
        con = self.con
        con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR, value VARCHAR)")
        con.execute(_ddl("documents", DOCUMENT_COLUMNS))
        con.execute(_ddl("mentions", MENTION_COLUMNS))
        con.execute(_ddl("events", EVENT_COLUMNS))
        con.execute("CREATE TABLE IF NOT EXISTS pending_keys (dedup_key VARCHAR)")
        con.execute("CREATE INDEX IF NOT EXISTS documents_id ON documents (id)")
        if self._get_meta("schema_version") is None:
            self._set_meta("schema_version", SCHEMA_VERSION)

    def _get_meta(self, key: str) -> str | None:
        try:
            rows = self._all("SELECT value FROM meta WHERE key = ?", [key])
        except duckdb.CatalogException:
            return None
        return rows[0][0] if rows else None

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """BEGIN ... COMMIT, or ROLLBACK when anything fails (a killed process leaves nothing half-written)."""
        self.con.execute("BEGIN")
        try:
            yield
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    @contextmanager
    def _tables(self, **tables: Any) -> Iterator[None]:
        """Arrow tables visible to SQL under the given names for the duration of the block."""
        for name, table in tables.items():
            self.con.register(name, table)
        try:
            yield
        finally:
            for name in tables:
                self.con.unregister(name)

    def _set_meta(self, key: str, value: str) -> None:
        with self._transaction():
            self.con.execute("DELETE FROM meta WHERE key = ?", [key])
            self.con.execute("INSERT INTO meta VALUES (?, ?)", [key, value])

    def _check_writable(self) -> None:
        if self.read_only:
            raise PermissionError(f"the event store {self.path} is open read-only")

    # -- writing ------------------------------------------------------------------------------------------------

    def write(self, doc: Document, events: Sequence[Event | Mapping[str, Any]], coder_version: str,
              recode: bool = False) -> bool:
        """Store one coded document and its events, and update the events they touch, in one transaction.

        Returns False (and changes nothing) when a document with the same id, content hash and coder version is
        already stored, unless ``recode`` is true. A stored document with the same id but another text or coder
        version is replaced: its old mentions are deleted in the same transaction.
        """
        return self.write_many([(doc, events)], coder_version, recode=recode) == 1

    def write_many(self, pairs: Iterable[tuple[Document, Sequence[Event | Mapping[str, Any]]]], coder_version: str,
                   recode: bool = False, batch_size: int = 500) -> int:
        """Store ``(document, events)`` pairs, ``batch_size`` documents per transaction; returns how many were written.

        Each batch is inserted from Arrow tables in one transaction that also updates the events of every key
        the batch touched, so no document is ever half-written and ``events`` always matches ``mentions``.
        A document id given twice in one batch keeps the later pair. Events may be
        :class:`~eventcoder.model.Event` objects or their ``to_dict()`` records.
        """
        self._check_writable()
        written = 0
        batch: list[tuple[Document, Sequence[Any]]] = []
        for pair in pairs:
            batch.append(pair)
            if len(batch) >= max(1, batch_size):
                written += self._write_batch(batch, coder_version, recode)
                batch = []
        if batch:
            written += self._write_batch(batch, coder_version, recode)
        return written

    def _write_batch(self, batch: list[tuple[Document, Sequence[Any]]], coder_version: str, recode: bool) -> int:
        latest: dict[str, tuple[Document, Sequence[Any]]] = {}
        for doc, events in batch:  # the same id twice in one batch: the later one wins
            latest.pop(doc.id, None)
            latest[doc.id] = (doc, events)
        with self._lock:
            existing = {
                row[0]: (row[1], row[2])
                for row in self._all(
                    "SELECT id, content_hash, coder_version FROM documents WHERE id IN (SELECT unnest(?::VARCHAR[]))",
                    [list(latest)],
                )
            }
            todo = []
            for doc_id, (doc, events) in latest.items():
                content_hash = doc.content_hash
                if not recode and existing.get(doc_id) == (content_hash, coder_version):
                    continue
                todo.append((doc, content_hash, events))
            if not todo:
                return 0
            docs_tbl, mentions_tbl = self._build_tables(todo, coder_version)
            self._insert(docs_tbl, mentions_tbl)
            return len(todo)

    def _build_tables(self, todo: list[tuple[Document, str, Sequence[Any]]],
                      coder_version: str) -> tuple[pa.Table, pa.Table]:
        now = _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)
        docs: dict[str, list[Any]] = {n: [] for n in _DOC_NAMES}
        flat_rows: list[tuple[Any, ...]] = []
        extra: dict[str, list[Any]] = {"mention_id": [], "mention_index": [], "dedup_date": [], "record": [],
                                       "day": []}
        mention_ids, indexes, dedup_dates, records, days = (extra[k] for k in extra)
        doc_ids: list[str] = []
        for doc, content_hash, events in todo:
            outlet = outlet_of(doc.source, doc.url, doc.id)
            doc_date = iso_date(doc.date)
            docs["id"].append(doc.id)
            docs["url"].append(doc.url)
            docs["title"].append(doc.title)
            docs["source"].append(doc.source)
            docs["outlet"].append(outlet)
            docs["date"].append(doc_date)
            docs["content_hash"].append(content_hash)
            docs["coded_at"].append(now)
            docs["coder_version"].append(coder_version)
            docs["n_events"].append(len(events))
            for i, event in enumerate(events):
                record = event_record(event)
                flat = flatten_values(record)
                flat_rows.append(flat)
                mention_ids.append(f"{doc.id}#{i}")
                doc_ids.append(doc.id)
                indexes.append(i)
                dedup_dates.append(clustering_date(flat[_DATE_POS], flat[_PRECISION_POS], doc.date))
                records.append(_ENCODE(record))
                days.append(iso_date(flat[_DATE_POS]) or doc_date)
        columns = list(zip(*flat_rows)) if flat_rows else [() for _ in RECORD_COLUMNS]
        flat_cols = dict(zip(_RECORD_NAMES, columns))
        flat_cols["doc_id"] = doc_ids  # the document's id wins over the record's
        flat_cols["date"] = [iso_date(d) for d in flat_cols["date"]]
        mentions = {name: extra[name] if name in extra else flat_cols[name] for name, _ in _STAGED_MENTIONS}
        return _arrow_table(DOCUMENT_COLUMNS, docs), _arrow_table(_STAGED_MENTIONS, mentions)

    def _insert(self, docs_tbl: pa.Table, mentions_tbl: pa.Table) -> None:
        """One transaction: replace the documents' rows and update the events of every key they touch."""
        con = self.con
        staged = ", ".join(f'"{n}"' for n, _ in _STAGED_MENTIONS)
        key_sql = self.settings.key_sql()
        with self._tables(_new_docs=docs_tbl, _new_mentions=mentions_tbl), self._transaction():
            old = self._all(
                "SELECT dedup_key, dedup_date, event_id FROM mentions WHERE doc_id IN (SELECT id FROM _new_docs)")
            con.execute("DELETE FROM mentions WHERE doc_id IN (SELECT id FROM _new_docs)")
            con.execute("DELETE FROM documents WHERE id IN (SELECT id FROM _new_docs)")
            con.execute(f"INSERT INTO documents ({', '.join(_DOC_NAMES)}) SELECT * FROM _new_docs")
            con.execute(f"INSERT INTO mentions ({staged}, dedup_key) SELECT {staged}, {key_sql} FROM _new_mentions "
                        "ORDER BY day NULLS LAST, doc_id, mention_index")  # date order helps DuckDB's zone maps
            new = self._all(f"SELECT {key_sql}, dedup_date FROM _new_mentions")
            since: dict[str, _dt.date] = {}
            for key, day, *_ in [*old, *new]:
                since[key] = min(since.get(key, _dt.date.max), day or _dt.date.max)
            old_events = sorted({r[2] for r in old if r[2] is not None})
            self._recluster(since, old_events, batch_docs=True)

    # -- bulk loading -------------------------------------------------------------------------------------------

    def bulk_insert(self, documents: pa.Table | Sequence[Mapping[str, Any]], mentions: pa.Table,
                    coder_version: str, dedup: bool = True) -> int:
        """Load documents and their mentions given as columns (the fast path for large loads); returns the
        number of mentions inserted.

        ``documents`` has an ``id`` column and any of ``url``, ``title``, ``source``, ``outlet``, ``date`` and
        ``content_hash`` (an Arrow table or a list of dicts). ``mentions`` is an Arrow table in the flat layout
        of :data:`~eventcoder.store.RECORD_COLUMNS` (``doc_id`` required; missing columns are NULL, missing
        modality flags false) plus, optionally, ``mention_index`` (default: position within the document in
        table order), ``mention_id`` (default ``"<doc_id>#<mention_index>"``) and ``record`` (the JSON record;
        default: rebuilt in SQL from the flat columns, keeping the first source and target actor). Dates may be
        dates or ISO strings. No per-row Python runs: DuckDB reads the Arrow tables directly.

        One transaction replaces stored documents with the same ids (their old mentions are deleted) and queues
        the dedup keys touched; with ``dedup`` (the default) :meth:`dedup_pending` then recomputes those keys'
        events, giving the clusters :meth:`rebuild_events` would. With ``dedup=False`` the events of those keys
        stay stale until :meth:`dedup_pending` runs (or the next writable open finishes the queue).
        Unlike :meth:`write_many`, documents are always (re)written, whatever their content hash.
        """
        self._check_writable()
        docs_tbl = documents if isinstance(documents, pa.Table) else pa.Table.from_pylist(list(documents))
        if "id" not in docs_tbl.column_names or "doc_id" not in mentions.column_names:
            raise ValueError("documents need an 'id' column and mentions a 'doc_id' column")
        docs_tbl = _bulk_documents(docs_tbl, coder_version)
        mentions = mentions.append_column("_row", pa.array(range(mentions.num_rows), type=pa.int64()))
        con = self.con
        with self._lock:
            with self._tables(_bulk_docs_in=docs_tbl, _bulk_mentions_in=mentions), self._transaction():
                con.execute("CREATE OR REPLACE TEMP TABLE _bulk_docs AS SELECT * EXCLUDE (_row) "
                            "FROM _bulk_docs_in QUALIFY row_number() OVER (PARTITION BY id ORDER BY _row DESC) = 1")
                missing = self._all("SELECT count(*) FROM _bulk_mentions_in WHERE doc_id IS NULL OR doc_id NOT IN "
                                    "(SELECT id FROM _bulk_docs)")[0][0]
                if missing:
                    raise ValueError(f"{missing} mentions have no document in 'documents'")
                con.execute("INSERT INTO pending_keys SELECT DISTINCT dedup_key FROM mentions "
                            "WHERE doc_id IN (SELECT id FROM _bulk_docs)")
                con.execute("DELETE FROM mentions WHERE doc_id IN (SELECT id FROM _bulk_docs)")
                con.execute("DELETE FROM documents WHERE id IN (SELECT id FROM _bulk_docs)")
                con.execute(
                    f"INSERT INTO documents ({', '.join(_DOC_NAMES)}) "
                    f"SELECT {', '.join('b.' + n for n in _DOC_NAMES if n != 'n_events')}, "
                    "COALESCE(c.n, 0)::INTEGER FROM _bulk_docs b LEFT JOIN (SELECT doc_id, count(*) n "
                    "FROM _bulk_mentions_in GROUP BY 1) c ON c.doc_id = b.id")
                con.execute(self._bulk_mention_sql(mentions.schema))
                n = self._all("SELECT count(*) FROM _bulk_mentions_in")[0][0]
                con.execute("INSERT INTO pending_keys SELECT DISTINCT dedup_key FROM mentions "
                            "WHERE doc_id IN (SELECT id FROM _bulk_docs)")
                con.execute("DROP TABLE _bulk_docs")
            if dedup:
                self.dedup_pending()
            return int(n)

    def _bulk_mention_sql(self, schema: pa.Schema) -> str:
        """INSERT ... SELECT turning ``_bulk_mentions_in`` (flat columns) into ``mentions`` rows."""
        have = set(schema.names)
        cols = []
        for name, sql_type in RECORD_COLUMNS:
            if name == "date":
                continue
            if name in have:
                cols.append(f'CAST(i."{name}" AS {sql_type}) AS "{name}"')
            elif sql_type == "BOOLEAN":
                cols.append(f'FALSE AS "{name}"')
            else:
                cols.append(f'NULL::{sql_type} AS "{name}"')
        # The event date: a DATE column is taken as is; ISO strings as iso_date() reads them. ``full_day`` says
        # whether the date is known to the day (clustering_date ignores shorter strings).
        if "date" not in have:
            cols += ["NULL::DATE AS date", "FALSE AS has_date", "FALSE AS full_day", "NULL::VARCHAR AS date_str"]
        elif pa.types.is_string(schema.field("date").type) or pa.types.is_large_string(schema.field("date").type):
            s = 'trim(i."date")'
            cols += [f"TRY_CAST(CASE WHEN length({s}) >= 10 THEN left({s}, 10) WHEN length({s}) = 7 THEN {s} || '-01' "
                     f"WHEN length({s}) = 4 THEN {s} || '-01-01' END AS DATE) AS date",
                     'COALESCE(i."date" <> \'\', FALSE) AS has_date',
                     f"COALESCE(length({s}) >= 10, FALSE) AS full_day", 'i."date" AS date_str']
        else:
            cols += ['CAST(i."date" AS DATE) AS date', 'i."date" IS NOT NULL AS has_date', "TRUE AS full_day",
                     'strftime(CAST(i."date" AS DATE), \'%Y-%m-%d\') AS date_str']
        if "mention_index" in have:
            cols.append("CAST(i.mention_index AS INTEGER) AS mention_index")
        else:
            cols.append("(row_number() OVER (PARTITION BY i.doc_id ORDER BY i._row) - 1)::INTEGER AS mention_index")
        cols.append("CAST(i.mention_id AS VARCHAR) AS given_id" if "mention_id" in have else "NULL AS given_id")
        cols.append("CAST(i.record AS VARCHAR) AS given_record" if "record" in have else "NULL AS given_record")
        record = "f.given_record" if "record" in have else _RECORD_JSON_SQL
        derived = {
            "mention_id": "COALESCE(f.given_id, f.doc_id || '#' || f.mention_index)",
            "mention_index": "f.mention_index",
            "day": "COALESCE(f.date, f.doc_date)",
            "dedup_date": ("CASE WHEN f.has_date THEN (CASE WHEN f.full_day AND COALESCE(f.date_precision, '') IN "
                           "('day', 'week', 'unknown', '') THEN f.date END) ELSE f.doc_date END"),
            "dedup_key": self.settings.key_sql("f."),
            "event_id": "NULL::VARCHAR",
            "record": record,
        }
        names = [n for n, _ in MENTION_COLUMNS]
        select = ", ".join(derived.get(n, f'f."{n}"') for n in names)
        quoted = ", ".join(f'"{n}"' for n in names)
        # Rows are sorted by date (which helps DuckDB's zone maps) before the derived columns and the record are
        # computed, so the sort does not carry the record strings.
        return (f"INSERT INTO mentions ({quoted}) SELECT {select} FROM (SELECT m.*, d.date AS doc_date FROM "
                f"(SELECT {', '.join(cols)} FROM _bulk_mentions_in i) m JOIN _bulk_docs d ON d.id = m.doc_id "
                "ORDER BY COALESCE(m.date, d.date) NULLS LAST, m.doc_id, m.mention_index) f")

    def dedup_pending(self) -> int:
        """Recompute the events of every key queued in ``pending_keys``, set-wise, in one transaction; returns
        the number of keys processed.

        Gives the same events as :meth:`rebuild_events`. A window function finds the mentions that have no
        other clustered mention of their key within ``window_days`` (undated: in their article); each of them is
        an event of its own, so its event row and ``event_id`` are written in SQL. Only the remaining mentions
        (those that may merge) go through the clustering of :mod:`eventcoder.store._dedup`, which never needs
        the isolated ones: no mention can join them, and they can join no event.
        """
        self._check_writable()
        window = int(self.settings.window_days)
        con = self.con
        with self._lock:
            with self._transaction():
                con.execute("CREATE OR REPLACE TEMP TABLE _dk AS SELECT DISTINCT dedup_key FROM pending_keys")
                n_keys = self._all("SELECT count(*) FROM _dk")[0][0]
                con.execute("DELETE FROM events WHERE dedup_key IN (SELECT dedup_key FROM _dk)")
                con.execute("UPDATE mentions SET event_id = NULL "
                            "WHERE event_id IS NOT NULL AND dedup_key IN (SELECT dedup_key FROM _dk)")
                con.execute(
                    "CREATE OR REPLACE TEMP TABLE _dm AS SELECT mention_id, dedup_key, CASE WHEN dedup_date IS NULL "
                    "THEN count(*) OVER (PARTITION BY dedup_key, doc_id, dedup_date IS NULL) "
                    "ELSE count(*) OVER (PARTITION BY dedup_key, dedup_date IS NULL "
                    "ORDER BY date_diff('day', DATE '2000-01-01', dedup_date) "
                    f"RANGE BETWEEN {window} PRECEDING AND {window} FOLLOWING) END AS near "
                    f"FROM mentions WHERE dedup_key IN (SELECT dedup_key FROM _dk) AND {self.settings.asserted_sql()}"
                )
                # Mentions that may merge: the ordinary clustering, key by key.
                fields = ", ".join(f"m.{f}" for f in ROW_FIELDS[:-1])
                rows = self._tuples(
                    f"SELECT {fields}, NULL::DATE AS event_date, d.outlet, d.date, d.coded_at, d.url, d.title, "
                    "d.coder_version FROM _dm s JOIN mentions m ON m.mention_id = s.mention_id "
                    "JOIN documents d ON d.id = m.doc_id WHERE s.near > 1")
                groups: dict[str, list[tuple]] = defaultdict(list)
                for r in rows:
                    groups[r[1]].append(r)
                clusters: list[Cluster] = []
                for key in sorted(groups):
                    clusters.extend(recluster_key(key, groups[key], None, self.settings))
                if clusters:
                    self._insert_events(clusters, {r[0]: r for r in rows})
                # Isolated mentions: one event each, in SQL.
                eid = "substr(sha1(s.dedup_key || chr(31) || s.mention_id), 1, 16)"
                single = {
                    "event_id": eid, "dedup_key": "s.dedup_key", "date": "m.dedup_date",
                    "first_seen": "COALESCE(d.date, m.dedup_date)", "last_seen": "COALESCE(d.date, m.dedup_date)",
                    "num_mentions": "1", "num_sources": "1", "num_articles": "1", "url": "d.url",
                    "doc_title": "d.title", "doc_outlet": "d.outlet", "doc_coder_version": "d.coder_version",
                    "added_at": "d.coded_at",
                }
                con.execute(
                    f"INSERT INTO events ({', '.join(_EVENT_NAMES)}) "
                    f"SELECT {', '.join(single.get(n, 'm.' + n) for n in _EVENT_NAMES)} FROM _dm s "
                    "JOIN mentions m ON m.mention_id = s.mention_id JOIN documents d ON d.id = m.doc_id "
                    "WHERE s.near = 1 ORDER BY m.dedup_date NULLS LAST, 1")
                with self._tables(_assign=_assignments(clusters)):
                    con.execute(
                        "UPDATE mentions SET event_id = a.event_id FROM (SELECT s.mention_id, "
                        f"{eid} AS event_id FROM _dm s WHERE s.near = 1 UNION ALL SELECT * FROM _assign) a "
                        "WHERE mentions.mention_id = a.mention_id")
                con.execute("DELETE FROM pending_keys WHERE dedup_key IN (SELECT dedup_key FROM _dk)")
                con.execute("DROP TABLE _dm")
                con.execute("DROP TABLE _dk")
            return int(n_keys)

    # -- deduplication ------------------------------------------------------------------------------------------

    def _keys_table(self, keys: Mapping[str, _dt.date | None]) -> pa.Table:
        """``dedup_key``, ``full_key`` (recompute from scratch) and ``lower`` (first day to reload) per key."""
        window = _dt.timedelta(days=int(self.settings.window_days))
        names = sorted(keys)
        lower = []
        for k in names:
            since = keys[k]
            lower.append(None if since is None else (since if since == _dt.date.max else since - window))
        return pa.table({
            "dedup_key": pa.array(names, type=pa.string()),
            "full_key": pa.array([keys[k] is None for k in names], type=pa.bool_()),
            "lower": pa.array(lower, type=pa.date32()),
        })

    def _load_cluster_rows(self, keys: Mapping[str, _dt.date | None], batch_docs: bool) -> list[tuple]:
        """The mention rows :func:`recluster_key` needs for ``keys`` (ROW_FIELDS, then outlet, publication
        date, coded_at, url, title and coder version of their document)."""
        with self._tables(_keys=self._keys_table(keys)):
            undated = "m.doc_id IN (SELECT id FROM _new_docs)" if batch_docs else "FALSE"
            fields = ", ".join(f"m.{f}" for f in ROW_FIELDS[:-1])
            return self._tuples(
                f"SELECT {fields}, e.date AS event_date, d.outlet, d.date, d.coded_at, d.url, d.title, "
                "d.coder_version "
                "FROM mentions m JOIN _keys k ON k.dedup_key = m.dedup_key "
                "JOIN documents d ON d.id = m.doc_id LEFT JOIN events e ON e.event_id = m.event_id "
                f"WHERE {self.settings.asserted_sql('m.')} AND (k.full_key OR m.dedup_date >= k.lower "
                f"OR (m.dedup_date IS NULL AND {undated}))"
            )

    def _recluster(self, since: Mapping[str, _dt.date | None], old_events: Sequence[str] = (),
                   batch_docs: bool = False) -> None:
        """Update the events of the given keys, each from its ``since`` day on (None: from scratch), inside the
        caller's transaction. ``old_events`` are the events of mentions that were just deleted; ``batch_docs``
        says that ``_new_docs`` holds the documents just written (their undated mentions are regrouped)."""
        if not since:
            return
        con = self.con
        keys = dict(since)
        rows = self._load_cluster_rows(keys, batch_docs)
        groups: dict[str, list[tuple]] = defaultdict(list)
        for r in rows:
            groups[r[1]].append(r)
        clusters: list[Cluster] = []
        redo: dict[str, None] = {}
        for key in sorted(groups):
            group = groups[key]
            if len(group) == 1 and _singleton(group[0], keys[key]):  # the common case, without the machinery
                mid = group[0][0]
                clusters.append(Cluster(event_id=event_id_of(key, mid), key=key, founder=mid, members=[mid],
                                        representative=mid))
                continue
            try:
                clusters.extend(recluster_key(key, group, keys[key], self.settings))
            except NeedsFullRecompute:
                redo[key] = None
        if redo:  # stored assignments were incomplete: recompute those keys from scratch
            keys.update(redo)
            full_rows = self._load_cluster_rows(redo, batch_docs)
            rows = [r for r in rows if r[1] not in redo] + full_rows
            groups = defaultdict(list)
            for r in full_rows:
                groups[r[1]].append(r)
            for key in sorted(groups):
                clusters.extend(recluster_key(key, groups[key], None, self.settings))
        if old_events:
            con.execute("DELETE FROM events WHERE event_id IN (SELECT unnest(?::VARCHAR[]))", [list(old_events)])
        with self._tables(_keys=self._keys_table(keys)):
            con.execute("DELETE FROM events e USING _keys k "
                        "WHERE e.dedup_key = k.dedup_key AND (k.full_key OR e.date >= k.lower)")
        if not clusters:
            return
        self._insert_events(clusters, {r[0]: r for r in rows})
        with self._tables(_assign=_assignments(clusters)):
            con.execute(
                "UPDATE mentions SET event_id = a.event_id FROM _assign a "
                "WHERE mentions.mention_id = a.mention_id AND mentions.event_id IS DISTINCT FROM a.event_id"
            )

    def _insert_events(self, clusters: list[Cluster], rows: Mapping[str, tuple]) -> None:
        """Insert the events of ``clusters``: counts and dates computed here from the loaded mention ``rows``,
        the other columns joined in from the representative (and, for the place, the founding) mention."""
        n = len(ROW_FIELDS)  # row layout: ROW_FIELDS, then outlet, doc date, coded_at, url, title, coder version
        computed: dict[str, list[Any]] = {name: [] for name in _COMPUTED_EVENT_FIELDS}
        for c in clusters:
            if len(c.members) == 1:
                r = rows[c.members[0]]
                day = r[4]
                seen = r[n + 1] or day
                values = (day, seen, seen, 1, 1, 1, r[9], r[n + 2])
            else:
                members = [rows[m] for m in c.members]
                days = [r[4] for r in members if r[4] is not None]
                seen = [d for d in (r[n + 1] or r[4] for r in members) if d is not None]
                confidences = [r[9] for r in members if r[9] is not None]
                coded = [r[n + 2] for r in members if r[n + 2] is not None]
                values = (min(days, default=None), min(seen, default=None), max(seen, default=None), len(members),
                          len({r[n] for r in members}), len({r[2] for r in members}),
                          max(confidences, default=None), min(coded, default=None))
            for name, value in zip(_COMPUTED_EVENT_FIELDS, values):
                computed[name].append(value)
        heads = {
            "event_id": pa.array([c.event_id for c in clusters], type=pa.string()),
            "dedup_key": pa.array([c.key for c in clusters], type=pa.string()),
            "mention_id": pa.array([c.representative for c in clusters], type=pa.string()),
            "founder_id": pa.array([c.founder for c in clusters], type=pa.string()),
            "url": pa.array([rows[c.representative][n + 3] for c in clusters], type=pa.string()),
            "doc_title": pa.array([rows[c.representative][n + 4] for c in clusters], type=pa.string()),
            "doc_outlet": pa.array([rows[c.representative][n] for c in clusters], type=pa.string()),
            "doc_coder_version": pa.array([rows[c.representative][n + 5] for c in clusters], type=pa.string()),
        }
        types = dict(EVENT_COLUMNS)
        for name, values in computed.items():
            heads[name] = pa.array(values, type=_ARROW_TYPES[types[name]])
        select = []
        for name in _EVENT_NAMES:
            if name in heads:
                select.append(f"h.{name}")
            elif name.startswith("location_"):
                select.append(f"f.{name}")
            else:
                select.append(f"r.{name}")
        con = self.con
        with self._tables(_heads=pa.table(heads)):
            con.execute(
                f"INSERT INTO events ({', '.join(_EVENT_NAMES)}) SELECT {', '.join(select)} FROM _heads h "
                "JOIN mentions r ON r.mention_id = h.mention_id JOIN mentions f ON f.mention_id = h.founder_id "
                "ORDER BY h.date NULLS LAST, h.event_id"  # date order helps DuckDB's zone maps
            )

    def _refresh_pending(self, chunk_mentions: int = 200_000) -> int:
        """Recompute the events of the keys queued in ``pending_keys`` (left by :meth:`rebuild_events`, or by a
        process that died during one), a chunk of keys per transaction; returns how many keys were processed."""
        with self._lock:
            counts = self._all(
                "SELECT p.dedup_key, count(m.mention_id) FROM (SELECT DISTINCT dedup_key FROM pending_keys) p "
                "LEFT JOIN mentions m ON m.dedup_key = p.dedup_key GROUP BY 1 ORDER BY 1"
            )
            chunk: list[str] = []
            size = 0
            for i, (key, n) in enumerate(counts):
                chunk.append(key)
                size += n
                if size >= chunk_mentions or i == len(counts) - 1:
                    self._process_pending(chunk)
                    chunk, size = [], 0
            return len(counts)

    def _process_pending(self, keys: list[str]) -> None:
        with self._transaction():
            self._recluster(dict.fromkeys(keys))
            self.con.execute("DELETE FROM pending_keys WHERE dedup_key IN (SELECT unnest(?::VARCHAR[]))", [keys])

    def rebuild_events(self) -> int:
        """Recompute every event from the mentions (after changing the dedup settings); returns the event count.

        The work is queued first (every key into ``pending_keys``, in one transaction), then done a chunk of keys
        per transaction; if the process dies half-way, the next writable open finishes it.
        """
        self._check_writable()
        with self._lock:
            con = self.con
            with self._transaction():
                con.execute(f"UPDATE mentions SET dedup_key = {self.settings.key_sql()}, event_id = NULL")
                con.execute("DELETE FROM events")
                con.execute("DELETE FROM pending_keys")
                con.execute("INSERT INTO pending_keys SELECT DISTINCT dedup_key FROM mentions")
            self._refresh_pending()
            return self.count("events")

    # -- reading ------------------------------------------------------------------------------------------------

    def has(self, doc_id: str, content_hash: str, coder_version: str | None = None) -> bool:
        """Whether the document is stored with this content hash (and this coder version, if given)."""
        sql = "SELECT 1 FROM documents WHERE id = ? AND content_hash = ?"
        params: list[Any] = [doc_id, content_hash]
        if coder_version is not None:
            sql += " AND coder_version = ?"
            params.append(coder_version)
        with self._lock:
            return bool(self._all(sql + " LIMIT 1", params))

    def count(self, table: str) -> int:
        """Rows in ``documents``, ``mentions`` or ``events``."""
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}; expected one of {', '.join(TABLES)}")
        with self._lock:
            return int(self._all(f"SELECT count(*) FROM {table}")[0][0])

    def query(self, *, actor: str | None = None, source: str | None = None, target: str | None = None,
              country: str | None = None, type: str | None = None, cameo: str | None = None,
              quad: int | Iterable[int] | None = None, since: str | _dt.date | None = None,
              until: str | _dt.date | None = None, place: str | None = None, text: str | None = None,
              level: str = "event", limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """Events (``level="event"``) or mentions (``level="mention"``) matching every given filter.

        ``actor``, ``source``, ``target`` and ``cameo`` match code prefixes (``FRA`` matches ``FRAGOV``);
        ``country`` an ISO3 code of either actor or of the place; ``type`` a PLOVER type; ``quad`` one quad
        class or several; ``since``/``until`` an inclusive ISO date range; ``place`` part of the place name,
        its admin1 or its country code; ``text`` words that must all appear in the evidence (for events: in
        the evidence of one of its mentions). Rows are the table's columns plus their document's ``title``,
        ``outlet`` and ``coder_version`` (mentions also ``url`` and ``doc_date``, and the parsed ``record``),
        ordered by date (events: then id; mentions: then document and position).
        """
        if level not in ("event", "mention"):
            raise ValueError("level must be 'event' or 'mention'")
        t = "e." if level == "event" else "m."
        date_col = "e.date" if level == "event" else "m.day"
        where: list[str] = []
        params: list[Any] = []
        if actor:
            where.append(f"(starts_with({t}source_code, ?) OR starts_with({t}target_code, ?))")
            params += [actor.upper(), actor.upper()]
        if source:
            where.append(f"starts_with({t}source_code, ?)")
            params.append(source.upper())
        if target:
            where.append(f"starts_with({t}target_code, ?)")
            params.append(target.upper())
        if country:
            where.append(f"? IN ({t}source_country, {t}target_country, {t}location_country)")
            params.append(country.upper())
        if type:
            where.append(f"{t}plover = ?")
            params.append(type.upper())
        if cameo:
            where.append(f"starts_with({t}cameo, ?)")
            params.append(str(cameo))
        if quad is not None:
            quads = [int(quad)] if isinstance(quad, (int, str)) else [int(q) for q in quad]
            where.append(f"{t}quad_class IN ({', '.join('?' for _ in quads)})")
            params += quads
        for bound, op in ((since, ">="), (until, "<=")):
            if bound is not None:
                day = iso_date(bound)
                if day is None:
                    raise ValueError(f"not an ISO date: {bound!r}")
                where.append(f"{date_col} {op} ?")
                params.append(day)
        if place:
            where.append(
                f"(contains(lower({t}location_name), ?) OR contains(lower({t}location_admin1), ?) "
                f"OR {t}location_country = ?)"
            )
            params += [place.lower(), place.lower(), place.upper()]
        if text:
            words = [w.lower() for w in text.split()]
            conds = " AND ".join("contains(lower(x.evidence_text), ?)" for _ in words)
            if level == "event":
                where.append(f"e.event_id IN (SELECT x.event_id FROM mentions x WHERE {conds})")
            else:
                where.append(conds.replace("x.", "m."))
            params += words
        # Filter, sort and page the base table first (DuckDB skips row groups by their min/max dates and codes);
        # mentions then join only the documents of the rows kept.
        order = _EVENT_ORDER if level == "event" else _MENTION_ORDER
        inner = _EVENT_SELECT if level == "event" else "SELECT * FROM mentions m"
        if where:
            inner += " WHERE " + " AND ".join(where)
        inner += f" ORDER BY {order}"
        if limit is not None:
            inner += " LIMIT ?"
            params.append(int(limit))
        if offset:
            inner += " OFFSET ?"
            params.append(int(offset))
        if level == "event":
            sql = inner
        else:
            sql = (f"WITH _kept AS MATERIALIZED ({inner}) "
                   "SELECT m.*, d.url, d.title, d.outlet, d.date AS doc_date, d.coder_version FROM _kept m "
                   "LEFT JOIN (SELECT * FROM documents WHERE id IN (SELECT doc_id FROM _kept)) d ON d.id = m.doc_id "
                   f"ORDER BY {order}")
        with self._lock:
            return self._dicts(sql, params)

    def get_event(self, event_id: str) -> dict[str, Any] | None:
        """One event with its ``mentions`` (each with its parsed record and document fields), or None."""
        with self._lock:
            rows = self._dicts(f"{_EVENT_SELECT} WHERE e.event_id = ?", [event_id])
            if not rows:
                return None
            event = rows[0]
            event["mentions"] = self._dicts(f"{_MENTION_SELECT} WHERE m.event_id = ? ORDER BY {_MENTION_ORDER}",
                                            [event_id])
            return event

    def stats(self, top: int = 10) -> dict[str, Any]:
        """Totals, events by PLOVER type, CAMEO root, quad class and month, the top dyads and coder versions."""
        with self._lock:
            out: dict[str, Any] = {t: self.count(t) for t in TABLES}
            out["by_type"] = {k if k is not None else "(none)": n for k, n in self._all(
                "SELECT plover, count(*) n FROM events GROUP BY 1 ORDER BY n DESC, 1")}
            out["by_cameo_root"] = {k: n for k, n in self._all(
                "SELECT cameo_root, count(*) FROM events GROUP BY 1 ORDER BY 1")}
            out["by_quad"] = {str(k): n for k, n in self._all(
                "SELECT quad_class, count(*) FROM events GROUP BY 1 ORDER BY 1")}
            out["by_month"] = {k if k is not None else "unknown": n for k, n in self._all(
                "SELECT strftime(date, '%Y-%m') m, count(*) FROM events GROUP BY 1 ORDER BY 1 NULLS LAST")}
            out["top_dyads"] = [
                {"source": s, "target": t, "events": n, "mentions": int(m)}
                for s, t, n, m in self._all(
                    "SELECT source_code, target_code, count(*) n, sum(num_mentions) FROM events "
                    "GROUP BY 1, 2 ORDER BY n DESC, 1 NULLS LAST, 2 NULLS LAST LIMIT ?", [int(top)])
            ]
            out["coder_versions"] = {k: n for k, n in self._all(
                "SELECT coder_version, count(*) FROM documents GROUP BY 1 ORDER BY 1")}
            lo, hi = self._all("SELECT min(date), max(date) FROM events")[0]
            out["first_date"], out["last_date"] = _plain(lo), _plain(hi)
            return out

    def iter_events(self, with_mentions: bool = True, batch_size: int = 2000) -> Iterator[dict[str, Any]]:
        """Every event, ordered by date then id, with its representative document's title, outlet and coder
        version, and (``with_mentions``) a ``mentions`` list like :meth:`get_event`'s."""
        with self._lock:
            cur = self.con.cursor()
        try:
            res = cur.execute(f"{_EVENT_SELECT} ORDER BY {_EVENT_ORDER}")
            description = res.description
            while True:
                chunk = res.fetchmany(batch_size)
                if not chunk:
                    break
                events = _rows(description, chunk)
                if with_mentions:
                    ids = [e["event_id"] for e in events]
                    with self._lock:
                        mentions = self._dicts(
                            f"{_MENTION_SELECT} WHERE m.event_id IN (SELECT unnest(?::VARCHAR[])) "
                            f"ORDER BY {_MENTION_ORDER}", [ids])
                    by_event: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
                    for m in mentions:
                        by_event[m["event_id"]].append(m)
                    for e in events:
                        e["mentions"] = by_event[e["event_id"]]
                yield from events
        finally:
            cur.close()

    def iter_mentions(self, in_events_only: bool = False, batch_size: int = 10000) -> Iterator[dict[str, Any]]:
        """Every mention (only those in an event if ``in_events_only``), ordered by date, document and
        position, with its parsed ``record`` and its document's url, title, outlet, date and coder version."""
        where = " WHERE m.event_id IS NOT NULL" if in_events_only else ""
        with self._lock:
            cur = self.con.cursor()
        try:
            res = cur.execute(f"{_MENTION_SELECT}{where} ORDER BY {_MENTION_ORDER}")
            description = res.description
            while True:
                chunk = res.fetchmany(batch_size)
                if not chunk:
                    break
                yield from _rows(description, chunk)
        finally:
            cur.close()

    def to_arrow(self, level: str = "mention") -> pa.Table:
        """The ``mention`` rows (with their document's url, title, outlet, doc_date and coder_version; the record
        as a JSON string) or the ``event`` rows, as one Arrow table in the same order as the iterators."""
        if level not in ("event", "mention"):
            raise ValueError("level must be 'event' or 'mention'")
        sql = (f"{_EVENT_SELECT} ORDER BY {_EVENT_ORDER}" if level == "event"
               else f"{_MENTION_SELECT} ORDER BY {_MENTION_ORDER}")
        with self._lock:
            return self.con.sql(sql).to_arrow_table()

    # -- lifecycle ----------------------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None

    def __enter__(self) -> DuckDBStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        return f"DuckDBStore({self.path!r}, {mode})"


def _assignments(clusters: Sequence[Cluster]) -> pa.Table:
    """(mention_id, event_id) for every member of every cluster."""
    return pa.table({
        "mention_id": pa.array([m for c in clusters for m in c.members], type=pa.string()),
        "event_id": pa.array([c.event_id for c in clusters for _ in c.members], type=pa.string()),
    })
