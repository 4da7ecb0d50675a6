"""`eventcoder batch` and `eventcoder ingest`: shards, parts, manifest, engines, resuming after a kill.

The coding tests use the same 200 short news documents (the first 200 of ../shared/data/corpus/news.jsonl, cut
to about 1,500 characters) and check that every engine and worker count gives the same parts.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
NEWS = SHARED / "data" / "corpus" / "news.jsonl"
N_DOCS = 200
SHARD_SIZE = 20
MAX_CHARS = 1500


# --------------------------------------------------------------------------------------------- helpers


def _cli_module() -> str:
    """The module whose command line has `batch`: the main CLI once it is wired in, else eventcoder.scale."""
    from eventcoder import cli

    parser = cli.build_parser()
    for action in parser._actions:  # noqa: SLF001 (argparse keeps sub-commands here)
        if isinstance(action, argparse._SubParsersAction) and "batch" in action.choices:  # noqa: SLF001
            return "eventcoder.cli"
    return "eventcoder.scale"


def run_cli(*argv: str) -> int:
    """Run the command line in this process; returns its exit code."""
    if _cli_module() == "eventcoder.cli":
        from eventcoder.cli import main
    else:
        from eventcoder.scale import _main as main
    return main(list(argv))


def _short(text: str) -> str:
    if len(text) <= MAX_CHARS:
        return text
    cut = text[:MAX_CHARS]
    end = cut.rfind(". ")
    return cut[: end + 1] if end > MAX_CHARS // 3 else cut.rsplit(" ", 1)[0]


def read_parts(out: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """All document rows and event rows of a batch output, in input order."""
    import pyarrow.parquet as pq

    docs: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for path in sorted((out / "documents").glob("part-*.parquet")):
        docs.extend(pq.read_table(path).to_pylist())
    for path in sorted((out / "events").glob("part-*.parquet")):
        events.extend(pq.read_table(path).to_pylist())
    docs.sort(key=lambda r: r["doc_index"])
    events.sort(key=lambda r: (r["doc_index"], r["event_index"]))
    return docs, events


def manifest(out: Path) -> dict[str, Any]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 200 news documents, shortened, as a JSONL file."""
    if not NEWS.exists():
        pytest.skip(f"{NEWS} is absent: the shared data folder sits beside the repository (../shared)")
    path = tmp_path_factory.mktemp("corpus") / "news200.jsonl"
    with NEWS.open(encoding="utf-8") as src, path.open("w", encoding="utf-8") as dst:
        for n, line in enumerate(src):
            if n >= N_DOCS:
                break
            obj = json.loads(line)
            obj["text"] = _short(obj["text"])
            dst.write(json.dumps(obj, ensure_ascii=False) + "\n")
    return path


@pytest.fixture(scope="session")
def clean_run(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference: one local worker, run to the end without interruption."""
    out = tmp_path_factory.mktemp("clean") / "out"
    code = run_cli("batch", str(corpus), "--out", str(out), "--engine", "local", "--workers", "1",
                   "--shard-size", str(SHARD_SIZE), "-q")
    assert code == 0
    return out


# --------------------------------------------------------------------------------------------- fast tests


def test_parquet_and_jsonl_inputs_give_the_same_shards(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from eventcoder.scale import iter_batch_documents, iter_shards

    rows = [{"id": f"d{i}", "text": f"Story number {i}. Police arrested {i} people.", "date": "2024-03-0" + str(1 + i % 9),
             "title": f"T{i}", "url": f"https://example.org/{i}"} for i in range(7)]
    jsonl = tmp_path / "docs.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    folder = tmp_path / "pq"
    folder.mkdir()
    pq.write_table(pa.Table.from_pylist(rows), folder / "docs.parquet")

    a = list(iter_shards(iter_batch_documents([str(jsonl)]), 3))
    b = list(iter_shards(iter_batch_documents([str(folder)]), 3))
    assert [len(s.documents) for s in a] == [3, 3, 1]
    assert [s.start for s in a] == [0, 3, 6]
    assert [s.fingerprint for s in a] == [s.fingerprint for s in b]
    assert [(d.id, d.text, d.date, d.title, d.url) for s in b for d in s.documents] == [
        (r["id"], r["text"], r["date"], r["title"], r["url"]) for r in rows]


def test_parquet_input_errors_are_reported_not_fatal(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from eventcoder.errors import InputError
    from eventcoder.scale import iter_batch_documents

    pq.write_table(pa.table({"id": ["a", "b"], "body": ["x", "y"]}), tmp_path / "notext.parquet")
    pq.write_table(pa.table({"id": ["a", "b"], "text": ["Some text.", "  "]}), tmp_path / "blank.parquet")
    (tmp_path / "broken.parquet").write_bytes(b"not parquet at all")
    items = list(iter_batch_documents([str(tmp_path / n) for n in ("notext.parquet", "blank.parquet",
                                                                    "broken.parquet")]))
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["InputError", "Document", "InputError", "InputError"]
    assert "no 'text' column" in str(items[0])
    assert all("\n" not in str(i) for i in items if isinstance(i, InputError))


def test_atomic_write_replaces_whole_files_and_leaves_no_temp(tmp_path: Path) -> None:
    from eventcoder.scale._parts import atomic_write

    target = tmp_path / "events" / "part-00000.parquet"
    atomic_write(target, b"first")
    atomic_write(target, b"second version")
    assert target.read_bytes() == b"second version"
    assert [p.name for p in target.parent.iterdir()] == ["part-00000.parquet"]


def test_settings_must_match_to_resume(tmp_path: Path) -> None:
    from eventcoder.errors import EventcoderError
    from eventcoder.scale import run_batch
    from eventcoder.scale._parts import Manifest

    (tmp_path / "in.jsonl").write_text('{"id": "a", "text": "France and Germany signed a treaty."}\n')
    out = tmp_path / "out"
    out.mkdir()
    from eventcoder.scale._batch import _settings

    old = Manifest(path=out / "manifest.json",
                   settings=_settings([str(tmp_path / "in.jsonl")], 50, None, False, None, "local", 1))
    old.save()
    with pytest.raises(EventcoderError, match="--shard-size"):
        run_batch([str(tmp_path / "in.jsonl")], out, shard_size=10)


def test_unknown_engine_and_missing_manifest_are_user_errors(tmp_path: Path) -> None:
    from eventcoder.errors import EventcoderError
    from eventcoder.scale import ingest_parts, run_batch

    with pytest.raises(EventcoderError, match="engine"):
        run_batch(["x.jsonl"], tmp_path / "o", engine="spark")
    with pytest.raises(EventcoderError, match="no such file"):
        run_batch([str(tmp_path / "missing.jsonl")], tmp_path / "o")
    assert not (tmp_path / "o").exists()
    with pytest.raises(EventcoderError, match="manifest"):
        ingest_parts(tmp_path, ":memory:")


# --------------------------------------------------------------------------------------------- coding tests


@pytest.mark.slow
def test_clean_run_writes_parts_and_manifest(clean_run: Path) -> None:
    m = manifest(clean_run)
    assert m["complete"] is True
    assert m["n_documents"] == N_DOCS
    assert m["n_shards"] == m["n_shards_done"] == N_DOCS // SHARD_SIZE
    docs, events = read_parts(clean_run)
    assert [d["doc_index"] for d in docs] == list(range(N_DOCS))
    assert sum(d["n_events"] for d in docs) == len(events) == m["n_events"] > 0
    assert any(d["n_events"] == 0 for d in docs)  # documents without events are recorded too
    from eventcoder.scale._parts import file_sha256

    for shard in m["shards"]:
        assert shard["status"] == "done"
        assert shard["documents"]["rows"] == shard["n_docs"] == SHARD_SIZE
        for kind in ("documents", "events"):
            assert file_sha256(clean_run / shard[kind]["path"]) == shard[kind]["sha256"]
    record = json.loads(events[0]["record"])
    assert record["doc_id"] == events[0]["doc_id"] and record["cameo"] == events[0]["cameo"]


@pytest.mark.slow
def test_rerun_skips_finished_shards_and_recodes_a_damaged_one(clean_run: Path, corpus: Path, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    out = tmp_path / "copy"
    shutil.copytree(clean_run, out)
    damaged = out / "events" / "part-00003.parquet"
    damaged.write_bytes(damaged.read_bytes()[:-10])
    capsys.readouterr()
    assert run_cli("batch", str(corpus), "--out", str(out), "--workers", "1", "--shard-size", str(SHARD_SIZE),
                   "--json", "-q") == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["skipped"] == N_DOCS // SHARD_SIZE - 1
    assert summary["coded"] == 1
    assert read_parts(out) == read_parts(clean_run)


@pytest.mark.slow
def test_two_local_workers_give_the_same_parts(clean_run: Path, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "w2"
    assert run_cli("batch", str(corpus), "--out", str(out), "--engine", "local", "--workers", "2",
                   "--shard-size", str(SHARD_SIZE), "-q") == 0
    workers = {s["worker"]["pid"] for s in manifest(out)["shards"]}
    assert len(workers) == 2
    assert read_parts(out) == read_parts(clean_run)


@pytest.fixture()
def ray_local():
    ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'eventcoder[ray]')")
    pytest.importorskip("ray.data", reason="Ray Data is not installed (pip install 'ray[data]')")
    ray.init(num_cpus=2, include_dashboard=False)
    try:
        yield ray
    finally:
        ray.shutdown()


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # Ray Data's own, about its context settings
def test_ray_engine_gives_the_same_parts(ray_local: Any, clean_run: Path, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "ray"
    assert run_cli("batch", str(corpus), "--out", str(out), "--engine", "ray", "--workers", "2",
                   "--shard-size", str(SHARD_SIZE), "-q") == 0
    m = manifest(out)
    assert m["complete"] is True and m["settings"]["engine"] == "ray"
    assert read_parts(out) == read_parts(clean_run)


@pytest.mark.slow
def test_killed_run_resumes_to_the_same_parts(clean_run: Path, corpus: Path, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "killed"
    argv = [sys.executable, "-m", _cli_module(), "batch", str(corpus), "--out", str(out), "--engine", "local",
            "--workers", "2", "--shard-size", str(SHARD_SIZE), "-q"]
    import eventcoder

    src = str(Path(eventcoder.__file__).resolve().parents[1])  # the same code as this process
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")]))}
    log = (tmp_path / "stderr.log").open("wb")
    proc = subprocess.Popen(argv, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=log)
    done = 0
    give_up = time.monotonic() + 1800  # a safety net against a hung run, not a performance check
    try:
        while proc.poll() is None:  # kill as soon as a few shards are finished, the rest in flight
            assert time.monotonic() < give_up, "the batch run made no progress"
            path = out / "manifest.json"
            if path.exists():
                done = json.loads(path.read_text(encoding="utf-8"))["n_shards_done"]
                if done >= 2:
                    break
            time.sleep(0.02)
        assert proc.poll() is None, "the run ended before it could be killed: " + (
            tmp_path / "stderr.log").read_text(errors="replace")
        os.killpg(proc.pid, signal.SIGKILL)  # the CLI and its worker processes, without warning
    finally:
        proc.wait()
        log.close()

    m = manifest(out)  # the manifest on disk is whole, and lists only intact parts
    assert m["complete"] is False
    finished = [s for s in m["shards"] if s["status"] == "done"]
    assert 2 <= len(finished) < N_DOCS // SHARD_SIZE
    for part in (out / "events").glob("part-*.parquet"):
        pq.read_table(part)  # every part that exists is a complete Parquet file

    assert run_cli("batch", str(corpus), "--out", str(out), "--engine", "local", "--workers", "2",
                   "--shard-size", str(SHARD_SIZE), "-q") == 0
    m = manifest(out)
    assert m["complete"] is True
    assert not list(out.rglob(".*.tmp-*"))
    assert read_parts(out) == read_parts(clean_run)
    # the finished shards were not coded again
    kept = {s["shard"]: s["coded_at"] for s in finished}
    assert all(s["coded_at"] == kept[s["shard"]] for s in m["shards"] if s["shard"] in kept)


@pytest.mark.slow
def test_ingest_loads_every_document_once(clean_run: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    from eventcoder.store import open_store

    db = tmp_path / "events.duckdb"
    capsys.readouterr()
    assert run_cli("ingest", str(clean_run), "--db", str(db), "--json") == 0
    first = json.loads(capsys.readouterr().out)
    docs, events = read_parts(clean_run)
    assert first["documents"] == first["written"] == N_DOCS
    with open_store(db) as store:
        assert store.count("documents") == N_DOCS
        assert store.count("mentions") == len(events)
        stored = {r[0]: r[1] for r in store.con.execute("SELECT id, content_hash FROM documents").fetchall()}
    assert stored == {d["id"]: d["content_hash"] for d in docs}

    assert run_cli("ingest", str(clean_run), "--db", str(db), "--json") == 0
    second = json.loads(capsys.readouterr().out)
    assert second["written"] == 0
    with open_store(db) as store:
        assert store.count("documents") == N_DOCS
        assert store.count("mentions") == len(events)


def test_long_documents_are_coded_in_small_chunks() -> None:
    from eventcoder.model import Document
    from eventcoder.scale._parts import chunks

    docs = [Document(id=str(i), text="x" * n) for i, n in enumerate([10, 20, 100, 5, 5, 30, 200])]
    assert [[d.id for d in c] for c in chunks(docs, max_chars=40)] == [["0", "1"], ["2"], ["3", "4", "5"], ["6"]]
    assert [d for c in chunks(docs) for d in c] == docs
