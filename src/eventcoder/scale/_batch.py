"""Resumable batch coding (``eventcoder batch``) and loading its output into the store (``eventcoder ingest``)."""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import EventcoderError
from ..model import Document
from ._engines import ENGINES, run_local, run_ray
from ._inputs import Shard, iter_batch_documents, iter_shards
from ._parts import Manifest, ShardResult, file_sha256, lock_output, remove_temp_files

__all__ = ["BatchSummary", "IngestSummary", "ingest_parts", "iter_coded_documents", "run_batch"]

log = logging.getLogger("eventcoder.scale")

DEFAULT_SHARD_SIZE = 500
# Settings that change what the coder outputs: a directory coded with other values cannot be resumed.
_CODER_SETTINGS = ("coder_version", "model", "keep_negated", "shard_size", "date")


@dataclass
class BatchSummary:
    """What a :func:`run_batch` call did."""

    out: Path
    shards: int = 0
    skipped: int = 0  # finished by an earlier run
    coded: int = 0
    documents: int = 0  # in all shards of the input
    events: int = 0  # in the shards coded by this call
    failed_documents: int = 0
    input_errors: int = 0
    seconds: float = 0.0
    # "host:pid" -> shards, documents, seconds (wall) and cpu_seconds spent coding, peak RSS (max_rss_mb)
    workers: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["out"] = str(self.out)
        return data


def _settings(inputs: Sequence[str], shard_size: int, model: str | None, keep_negated: bool,
              date: str | None, engine: str, workers: int) -> dict[str, Any]:
    from .. import __version__
    from .._config import default_model

    return {
        "inputs": [str(Path(i).resolve()) if i != "-" else i for i in inputs],
        "shard_size": shard_size,
        "coder_version": __version__,
        "model": model or default_model(),
        "keep_negated": bool(keep_negated),
        "date": date,
        "engine": engine,
        "workers": workers,
    }


def _check_compatible(manifest: Manifest, settings: dict[str, Any], out: Path) -> None:
    for key in _CODER_SETTINGS:
        old, new = manifest.settings.get(key), settings.get(key)
        if old != new:
            flag = {"shard_size": "--shard-size", "keep_negated": "--keep-negated", "date": "--date",
                    "model": "--model"}.get(key, key)
            raise EventcoderError(
                f"{out} was coded with {flag}={old!r}, not {new!r}: rerun with the same settings, "
                f"or pass --recode to code every shard again")


def run_batch(inputs: Sequence[str], out: str | Path, *, engine: str = "local", workers: int = 1,
              shard_size: int = DEFAULT_SHARD_SIZE, ray_address: str | None = None, model: str | None = None,
              keep_negated: bool = False, date: str | None = None, recode: bool = False) -> BatchSummary:
    """Code ``inputs`` into Parquet parts under ``out``, skipping shards an earlier run finished.

    The input is cut into shards of ``shard_size`` documents by input order; each finished shard's parts and
    manifest entry are written atomically, so the call can be killed at any point and repeated to finish.
    """
    if engine not in ENGINES:
        raise EventcoderError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")
    if shard_size < 1:
        raise EventcoderError("--shard-size must be at least 1")
    if workers < 1:
        raise EventcoderError("--workers must be at least 1")
    if not inputs:
        raise EventcoderError("give at least one input")
    for item in inputs:
        if item != "-" and not Path(item).exists():
            raise EventcoderError(f"{item}: no such file or directory")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise EventcoderError(f"{out} exists and is not a directory")
    t0 = time.perf_counter()
    settings = _settings(inputs, shard_size, model, keep_negated, date, engine, workers)
    summary = BatchSummary(out=out)
    with lock_output(out):
        if remove_temp_files(out):
            log.info("removed temporary files left by an interrupted run")
        manifest = Manifest.load(out)
        if manifest is not None and not recode:
            _check_compatible(manifest, settings, out)
        if manifest is None or recode:
            manifest = Manifest(path=out / "manifest.json", settings=settings)
        else:
            manifest.settings.update(engine=engine, workers=workers, inputs=settings["inputs"])
        manifest.complete = False
        manifest.save()

        errors: list[str] = []
        seen: set[int] = set()

        def todo() -> Iterator[Shard]:
            for shard in iter_shards(iter_batch_documents(inputs, default_date=date), shard_size, errors):
                seen.add(shard.index)
                summary.shards += 1
                summary.documents += len(shard.documents)
                fingerprint = shard.fingerprint
                if manifest.done(shard.index, fingerprint, out):
                    summary.skipped += 1
                    continue
                manifest.record_pending(shard.index, shard.start, len(shard.documents), fingerprint)
                yield shard

        def on_result(result: ShardResult) -> None:
            manifest.record_done(result, out)
            manifest.save()
            summary.coded += 1
            summary.events += result.n_events
            summary.failed_documents += result.n_failed
            _account_worker(summary, result)
            log.info("shard %d: %d documents, %d events (%.1f s in worker %s)", result.index, result.n_docs,
                     result.n_events, result.worker.get("seconds", 0.0), result.worker.get("pid"))

        coder_kwargs = {"model": model, "keep_negated": keep_negated}
        if engine == "ray":
            run_ray(todo(), on_result, workers, coder_kwargs, address=ray_address)
        else:
            run_local(todo(), on_result, workers, coder_kwargs)

        _drop_stale_shards(manifest, seen, out)
        summary.input_errors = manifest.input_errors = len(errors)
        manifest.n_documents = summary.documents
        manifest.complete = all(manifest.shards[i].get("status") == "done" for i in seen)
        manifest.save()
    summary.seconds = round(time.perf_counter() - t0, 3)
    if summary.documents == 0:
        raise EventcoderError("no documents to code" + (f" ({len(errors)} input error(s))" if errors else ""))
    return summary


def _account_worker(summary: BatchSummary, result: ShardResult) -> None:
    w = result.worker
    key = f"{w.get('host')}:{w.get('pid')}"
    entry = summary.workers.setdefault(key, {"shards": 0, "documents": 0, "seconds": 0.0, "cpu_seconds": 0.0,
                                             "max_rss_mb": 0.0})
    entry["shards"] += 1
    entry["documents"] += result.n_docs
    entry["seconds"] = round(entry["seconds"] + float(w.get("seconds") or 0.0), 3)
    entry["cpu_seconds"] = round(entry["cpu_seconds"] + float(w.get("cpu_seconds") or 0.0), 3)
    entry["max_rss_mb"] = max(entry["max_rss_mb"], float(w.get("max_rss_mb") or 0.0))


def _drop_stale_shards(manifest: Manifest, seen: set[int], out: Path) -> None:
    """Forget shards past the end of an input that has shrunk since an earlier run, and delete their parts."""
    for index in [i for i in manifest.shards if i not in seen]:
        entry = manifest.shards.pop(index)
        for kind in ("documents", "events"):
            rel = (entry.get(kind) or {}).get("path")
            if rel:
                with contextlib.suppress(OSError):
                    (out / rel).unlink()
        log.info("shard %d is past the end of the input now: removed", index)


# --------------------------------------------------------------------------------------------- reading parts


class CodedDocument(Document):
    """A document read back from a batch part: its metadata and the hash of its text (the text is not kept)."""

    __slots__ = ("_content_hash",)

    def __init__(self, content_hash: str, **fields: Any) -> None:
        super().__init__(text="", **fields)
        self._content_hash = content_hash

    @property
    def content_hash(self) -> str:  # type: ignore[override]
        return self._content_hash


def iter_coded_documents(out: str | Path, verify: bool = True) -> Iterator[tuple[CodedDocument, list[dict[str, Any]]]]:
    """Every document of the finished shards under ``out`` with its event records, in input order.

    Documents the coder failed on are left out. ``verify`` checks each part against the manifest's checksum
    first and stops with an error on a mismatch.
    """
    import pyarrow.parquet as pq

    out = Path(out)
    manifest = Manifest.load(out)
    if manifest is None:
        raise EventcoderError(f"{out}: no manifest.json here (not an eventcoder batch output)")
    for index in sorted(manifest.shards):
        entry = manifest.shards[index]
        if entry.get("status") != "done":
            continue
        paths = {kind: out / entry[kind]["path"] for kind in ("documents", "events")}
        if verify:
            for kind, path in paths.items():
                if not path.is_file() or file_sha256(path) != entry[kind]["sha256"]:
                    raise EventcoderError(f"{path}: missing or does not match the manifest's checksum; "
                                          f"rerun the batch command to recode shard {index}")
        events: dict[int, list[dict[str, Any]]] = {}
        table = pq.read_table(paths["events"], columns=["doc_index", "event_index", "record"])
        for row in sorted(table.to_pylist(), key=lambda r: (r["doc_index"], r["event_index"])):
            events.setdefault(row["doc_index"], []).append(json.loads(row["record"]))
        for doc in pq.read_table(paths["documents"]).to_pylist():
            if doc.get("error"):
                continue
            document = CodedDocument(doc["content_hash"], id=doc["id"], date=doc.get("date"),
                                     title=doc.get("title"), url=doc.get("url"), source=doc.get("source"))
            yield document, events.get(doc["doc_index"], [])


@dataclass
class IngestSummary:
    """What an :func:`ingest_parts` call did."""

    db: str
    documents: int = 0  # read from the parts
    written: int = 0  # new or changed in the store
    events: int = 0  # event records read
    shards: int = 0
    shards_pending: int = 0  # not finished by the batch run (not loaded)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def ingest_parts(out: str | Path, db: str | Path | None = None, batch_size: int = 500) -> IngestSummary:
    """Load the finished shards under ``out`` into the store at ``db`` (the default store if None).

    Idempotent: the store skips a document it already holds with the same id, text hash and coder version,
    and replaces one whose text or coder version differ.
    """
    from ..store import open_store

    out = Path(out)
    manifest = Manifest.load(out)
    if manifest is None:
        raise EventcoderError(f"{out}: no manifest.json here (not an eventcoder batch output)")
    coder_version = str(manifest.settings.get("coder_version"))
    summary = IngestSummary(db=str(db) if db else "")
    summary.shards = sum(1 for e in manifest.shards.values() if e.get("status") == "done")
    summary.shards_pending = len(manifest.shards) - summary.shards

    def counted() -> Iterator[tuple[CodedDocument, list[dict[str, Any]]]]:
        for document, records in iter_coded_documents(out):
            summary.documents += 1
            summary.events += len(records)
            yield document, records

    with open_store(db) as store:
        summary.db = store.path
        summary.written = store.write_many(counted(), coder_version, recode=False, batch_size=batch_size)
    return summary
