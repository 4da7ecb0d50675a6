"""Shard parts and the manifest of a batch output directory.

Layout of ``--out DIR``::

    DIR/manifest.json               what was asked, and every shard: status, counts, part checksums
    DIR/events/part-00000.parquet   one row per event: flat columns plus the full JSON record
    DIR/documents/part-00000.parquet one row per coded document, with or without events

Every file is written to a temporary file in its own directory, flushed to disk and renamed over the target,
so a killed run never leaves a half-written part or manifest behind; a shard counts as finished only once the
manifest lists it as ``done`` with the checksums of both parts.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import fcntl
import hashlib
import json
import logging
import os
import resource
import socket
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import EventcoderError

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

    from ..model import Document
    from ._inputs import Shard

__all__ = [
    "DOCUMENT_PART_COLUMNS",
    "EVENT_PART_COLUMNS",
    "MANIFEST_FORMAT",
    "Manifest",
    "ShardResult",
    "atomic_write",
    "code_shard",
    "file_sha256",
    "lock_output",
    "part_path",
]

log = logging.getLogger("eventcoder.scale")

MANIFEST_FORMAT = "eventcoder-batch/1"
MANIFEST_NAME = "manifest.json"

_INT32 = {"sentence_index", "evidence_start", "evidence_end", "quad_class", "event_index", "n_events"}
_INT64 = {"doc_index", "n_chars"}
_FLOAT = {"goldstein", "confidence", "location_lat", "location_lon"}
_BOOL = {"reciprocal", "negated", "future", "hypothetical", "question"}


def _event_columns() -> list[str]:
    from ..export import FLAT_COLUMNS

    return ["doc_index", "event_index", *FLAT_COLUMNS, "record"]


#: Columns of an events part (``record`` is ``Event.to_dict()`` as JSON); the flat ones are the exporters'.
EVENT_PART_COLUMNS: list[str] = _event_columns()
#: Columns of a documents part: every document of the shard, in input order, with its event count (``error``
#: says why the coder failed on a document; such a document has no events and is not loaded by ``ingest``).
DOCUMENT_PART_COLUMNS: list[str] = ["doc_index", "id", "title", "url", "source", "date", "content_hash", "n_chars",
                                    "n_events", "error"]


def _arrow_type(column: str) -> pa.DataType:
    import pyarrow as pa

    if column in _INT32:
        return pa.int32()
    if column in _INT64:
        return pa.int64()
    if column in _FLOAT:
        return pa.float64()
    if column in _BOOL:
        return pa.bool_()
    return pa.string()


def _schema(columns: list[str]) -> pa.Schema:
    import pyarrow as pa

    return pa.schema([(c, _arrow_type(c)) for c in columns])


def _parquet_bytes(rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(rows, schema=_schema(columns))
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


# --------------------------------------------------------------------------------------------- coding a shard


@dataclass(slots=True)
class ShardResult:
    """A coded shard: both parts as Parquet bytes, and what the worker saw."""

    index: int
    start: int
    fingerprint: str
    n_docs: int
    n_events: int
    n_failed: int
    documents: bytes
    events: bytes
    worker: dict[str, Any] = field(default_factory=dict)


def code_shard(coder: Any, shard: Shard) -> ShardResult:
    """Code one shard with ``coder`` and build its two parts.

    Rows follow input order (documents) and the coder's order within a document (events), so the parts are the
    same whichever worker or engine coded the shard.
    """
    from ..export import flat_event

    t0 = time.perf_counter()
    cpu0 = time.process_time()
    coded = _code_all(coder, shard.documents)
    doc_rows: list[dict[str, Any]] = []
    event_rows: list[dict[str, Any]] = []
    for offset, (document, outcome) in enumerate(zip(shard.documents, coded)):
        doc_index = shard.start + offset
        events = outcome if isinstance(outcome, list) else []
        error = None if isinstance(outcome, list) else outcome
        doc_rows.append(_document_row(document, doc_index, len(events), error))
        for i, event in enumerate(events):
            record = event.to_dict()
            row = flat_event(record)
            row.update(doc_index=doc_index, event_index=i,
                       record=json.dumps(record, ensure_ascii=False, separators=(",", ":")))
            event_rows.append(row)
    return ShardResult(
        index=shard.index,
        start=shard.start,
        fingerprint=shard.fingerprint,
        n_docs=len(doc_rows),
        n_events=len(event_rows),
        n_failed=sum(1 for row in doc_rows if row["error"]),
        documents=_parquet_bytes(doc_rows, DOCUMENT_PART_COLUMNS),
        events=_parquet_bytes(event_rows, EVENT_PART_COLUMNS),
        worker={
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "seconds": round(time.perf_counter() - t0, 3),
            "cpu_seconds": round(time.process_time() - cpu0, 3),  # this process's CPU time (all its threads)
            "chars": sum(len(d.text) for d in shard.documents),
            # ru_maxrss is the process's resident-set high-water mark, in KiB on Linux
            "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        },
    )


#: Most characters handed to the coder in one call: long articles are parsed in smaller batches (or alone), which
#: keeps a worker's peak memory near what its longest document needs instead of a whole batch of long ones.
CHUNK_CHARS = 50_000


def chunks(documents: list[Document], max_chars: int = CHUNK_CHARS) -> list[list[Document]]:
    """Consecutive runs of ``documents`` of at most ``max_chars`` characters (a longer document goes alone)."""
    out: list[list[Document]] = []
    size = 0
    for document in documents:
        n = len(document.text)
        if not out or size + n > max_chars:
            out.append([])
            size = 0
        out[-1].append(document)
        size += n
    return out


def _code_all(coder: Any, documents: list[Document]) -> list[list[Any] | str]:
    """The events of each document, in input order; a document the coder fails on gets the error message.

    Documents are coded in chunks of :data:`CHUNK_CHARS` (batched parsing); should a chunk raise, its documents
    are coded one at a time so that one bad document costs only itself.
    """
    out: list[list[Any] | str] = []
    for chunk in chunks(documents):
        out.extend(_code_chunk(coder, chunk))
    return out


def _code_chunk(coder: Any, documents: list[Document]) -> list[list[Any] | str]:
    try:
        pairs = list(coder.code_documents(documents))
        if len(pairs) == len(documents) and all(d.id == p[0].id for d, p in zip(documents, pairs)):
            return [list(events) for _, events in pairs]
        log.warning("the coder returned %d documents for %d, or out of order: coding one by one",
                    len(pairs), len(documents))
    except Exception as exc:  # the coder's own bugs: isolate the document that triggers them
        log.warning("coding %d documents failed (%s: %s): coding them one by one", len(documents),
                    exc.__class__.__name__, (str(exc).splitlines() or [""])[0])
    out: list[list[Any] | str] = []
    for document in documents:
        try:
            out.append([events for _, events in coder.code_documents([document])][0])
        except Exception as exc:
            message = f"{exc.__class__.__name__}: {exc}".splitlines()[0][:500]
            log.warning("document %s could not be coded (%s)", document.id, message)
            out.append(message)
    return out


def _document_row(document: Document, doc_index: int, n_events: int, error: str | None) -> dict[str, Any]:
    return {
        "doc_index": doc_index,
        "id": document.id,
        "title": document.title,
        "url": document.url,
        "source": document.source,
        "date": document.date,
        "content_hash": document.content_hash,
        "n_chars": len(document.text),
        "n_events": n_events,
        "error": error,
    }


# --------------------------------------------------------------------------------------------- files


def part_path(kind: str, index: int) -> str:
    """The path of a part, relative to the output directory (``kind`` is ``events`` or ``documents``)."""
    return f"{kind}/part-{index:05d}.parquet"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` all or nothing: a temporary file beside it, fsync, then rename over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    _fsync_dir(path.parent)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def remove_temp_files(out: Path) -> int:
    """Delete temporary files a killed run left behind (call only while holding the output lock)."""
    removed = 0
    for folder in (out, out / "events", out / "documents"):
        if folder.is_dir():
            for tmp in folder.glob(".*.tmp-*"):
                with contextlib.suppress(OSError):
                    tmp.unlink()
                    removed += 1
    return removed


@contextlib.contextmanager
def lock_output(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``out`` (released by the OS even if the process is killed)."""
    out.mkdir(parents=True, exist_ok=True)
    fh = open(out / ".lock", "a+")
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise EventcoderError(f"{out}: another eventcoder batch or ingest is using this directory") from None
        yield
    finally:
        fh.close()


# --------------------------------------------------------------------------------------------- manifest


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class Manifest:
    """``manifest.json``: the settings of the run and one entry per shard."""

    path: Path
    settings: dict[str, Any]
    shards: dict[int, dict[str, Any]] = field(default_factory=dict)
    complete: bool = False
    n_documents: int | None = None
    input_errors: int = 0
    created_at: str = field(default_factory=_now)
    updated_at: str = field(default_factory=_now)

    @classmethod
    def load(cls, out: Path) -> Manifest | None:
        path = out / MANIFEST_NAME
        if not path.exists():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != MANIFEST_FORMAT:
                raise ValueError(f"format {data.get('format')!r}")
            return cls(
                path=path,
                settings=dict(data["settings"]),
                shards={int(s["shard"]): dict(s) for s in data.get("shards", [])},
                complete=bool(data.get("complete")),
                n_documents=data.get("n_documents"),
                input_errors=int(data.get("input_errors") or 0),
                created_at=data.get("created_at") or _now(),
                updated_at=data.get("updated_at") or _now(),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise EventcoderError(f"{path}: not an eventcoder batch manifest ({exc})") from None

    def to_dict(self) -> dict[str, Any]:
        shards = [self.shards[k] for k in sorted(self.shards)]
        return {
            "format": MANIFEST_FORMAT,
            "settings": self.settings,
            "complete": self.complete,
            "n_shards": len(shards),
            "n_shards_done": sum(1 for s in shards if s.get("status") == "done"),
            "n_documents": self.n_documents,
            "n_events": sum(int(s.get("n_events") or 0) for s in shards if s.get("status") == "done"),
            "input_errors": self.input_errors,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "shards": shards,
        }

    def save(self) -> None:
        self.updated_at = _now()
        data = json.dumps(self.to_dict(), indent=1, ensure_ascii=False).encode("utf-8") + b"\n"
        atomic_write(self.path, data)

    def done(self, index: int, fingerprint: str, out: Path, verify: bool = True) -> bool:
        """Whether shard ``index`` of the same input is finished and its parts are intact."""
        entry = self.shards.get(index)
        if not entry or entry.get("status") != "done" or entry.get("fingerprint") != fingerprint:
            return False
        return self.parts_intact(entry, out) if verify else True

    @staticmethod
    def parts_intact(entry: Mapping[str, Any], out: Path) -> bool:
        for kind in ("documents", "events"):
            part = entry.get(kind) or {}
            path = out / str(part.get("path", ""))
            if not part.get("path") or not path.is_file() or path.stat().st_size != part.get("bytes"):
                return False
            if file_sha256(path) != part.get("sha256"):
                return False
        return True

    def record_pending(self, index: int, start: int, n_docs: int, fingerprint: str) -> None:
        entry = self.shards.get(index)
        if entry and entry.get("status") == "done" and entry.get("fingerprint") == fingerprint:
            return
        self.shards[index] = {"shard": index, "status": "pending", "first_doc": start, "n_docs": n_docs,
                              "fingerprint": fingerprint}

    def record_done(self, result: ShardResult, out: Path) -> None:
        """Write the shard's parts (atomically) and mark it done; the caller saves the manifest."""
        entry: dict[str, Any] = {"shard": result.index, "status": "done", "first_doc": result.start,
                                 "n_docs": result.n_docs, "n_events": result.n_events, "n_failed": result.n_failed,
                                 "fingerprint": result.fingerprint}
        for kind, data, rows in (("documents", result.documents, result.n_docs),
                                 ("events", result.events, result.n_events)):
            rel = part_path(kind, result.index)
            atomic_write(out / rel, data)
            entry[kind] = {"path": rel, "rows": rows, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        entry["coded_at"] = _now()
        entry["worker"] = result.worker
        self.shards[result.index] = entry


def describe(manifest: Manifest) -> dict[str, Any]:
    """A short summary of a manifest (for logs and tests)."""
    data = manifest.to_dict()
    return {k: data[k] for k in ("complete", "n_shards", "n_shards_done", "n_documents", "n_events")}

