"""Batch inputs: JSONL (also gzipped), Parquet, text/HTML files and directories, cut into shards.

Shards are cut by input order, ``shard_size`` documents each, so the same inputs always give the same shards;
each shard carries a fingerprint of its documents (ids and text hashes) so that a rerun can tell a finished shard
of the same input from one of an input that has changed since.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..model import Document

__all__ = ["PARQUET_SUFFIXES", "Shard", "iter_batch_documents", "iter_shards", "read_parquet_documents"]

log = logging.getLogger("eventcoder.scale")

PARQUET_SUFFIXES = (".parquet", ".pq")
_PARQUET_FIELDS = ("id", "text", "date", "title", "url", "source")


@dataclass(slots=True)
class Shard:
    """Documents ``start .. start + len(documents) - 1`` of the input (positions count readable documents only)."""

    index: int
    start: int
    documents: list[Document]

    @property
    def fingerprint(self) -> str:
        return shard_fingerprint(self.documents)


def shard_fingerprint(documents: Iterable[Document]) -> str:
    """A hash of the ids, texts and dates of ``documents``, in order."""
    h = hashlib.sha256()
    for doc in documents:
        h.update(f"{doc.id}\x1f{doc.content_hash}\x1f{doc.date or ''}\x1e".encode())
    return h.hexdigest()


def _is_parquet(path: Path) -> bool:
    return path.suffix.lower() in PARQUET_SUFFIXES


def _readable(path: Path) -> bool:
    from ..ingest import SUPPORTED_SUFFIXES

    name = path.name.lower().removesuffix(".gz")
    return name.endswith(SUPPORTED_SUFFIXES)


def iter_batch_documents(inputs: Sequence[str], default_date: str | None = None) -> Iterator[Document | InputError]:
    """Every document of ``inputs``, in order: what ``eventcoder code`` reads, plus Parquet files.

    A directory yields its text, HTML and JSONL files (as :func:`eventcoder.ingest.iter_documents` reads them),
    then its Parquet files, each group in path order.
    """
    from ..ingest import iter_documents

    for raw in inputs:
        path = Path(raw)
        if raw != "-" and path.is_file() and _is_parquet(path):
            yield from read_parquet_documents(path, default_date)
        elif raw != "-" and path.is_dir():
            files = [p for p in path.rglob("*") if p.is_file()]
            parquet = sorted(p for p in files if _is_parquet(p))
            if not parquet or any(_readable(p) for p in files):  # not a directory of Parquet files only
                yield from iter_documents([raw], default_date=default_date)
            for file in parquet:
                yield from read_parquet_documents(file, default_date)
        else:
            yield from iter_documents([raw], default_date=default_date)


def read_parquet_documents(path: Path, default_date: str | None = None,
                           batch_rows: int = 2048) -> Iterator[Document | InputError]:
    """Documents from a Parquet file with a ``text`` column (and optionally id, date, title, url, source)."""
    import pyarrow.parquet as pq

    name = str(path)
    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError, ...
        yield InputError(name, f"cannot read as Parquet ({exc.__class__.__name__}: {exc})")
        return
    present = set(pf.schema_arrow.names)
    if "text" not in present:
        yield InputError(name, "Parquet file has no 'text' column")
        return
    columns = [c for c in _PARQUET_FIELDS if c in present]
    row = 0
    try:
        for batch in pf.iter_batches(batch_size=batch_rows, columns=columns):
            for rec in batch.to_pylist():
                row += 1
                yield _parquet_document(name, row, rec, default_date)
    except Exception as exc:
        yield InputError(f"{name}:{row + 1}", f"cannot read row ({exc.__class__.__name__}: {exc})")


def _parquet_document(name: str, row: int, rec: dict, default_date: str | None) -> Document | InputError:
    from ..ingest import MAX_CHARS

    where = f"{name}:{row}"
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        return InputError(where, "no text to code")
    if len(text) > MAX_CHARS:
        return InputError(where, f"document too long ({len(text):,} characters; the limit is {MAX_CHARS:,})")
    date = rec.get("date")
    if date is not None and not isinstance(date, str):
        date = date.isoformat() if hasattr(date, "isoformat") else str(date)
    date = (date or "")[:10] or default_date
    doc_id = rec.get("id")
    return Document(
        id=str(doc_id) if doc_id is not None else f"{Path(name).name}:{row}",
        text=text,
        date=date,
        title=rec.get("title"),
        url=rec.get("url"),
        source=rec.get("source"),
    )


def iter_shards(items: Iterable[Document | InputError], shard_size: int,
                errors: list[str] | None = None) -> Iterator[Shard]:
    """Cut documents into shards of ``shard_size``; input errors are logged (and appended to ``errors``)."""
    if shard_size < 1:
        raise ValueError("shard_size must be at least 1")
    batch: list[Document] = []
    index = start = 0
    for item in items:
        if isinstance(item, InputError):
            log.warning("%s", item)
            if errors is not None:
                errors.append(str(item))
            continue
        batch.append(item)
        if len(batch) == shard_size:
            yield Shard(index, start, batch)
            index, start, batch = index + 1, start + shard_size, []
    if batch:
        yield Shard(index, start, batch)
