"""Scaling: `eventcoder batch` on the local process pool (1 and 2 workers) and on Ray (2 actors).

    .venv/bin/python benchmarks/scaling.py --docs 2000

Codes the first N documents of ../shared/data/corpus/news.jsonl once per configuration (a fresh output directory
each time) and prints documents/s and sentences/s (wall clock, model loading included), the steady rate of one
worker (documents per second of coding time), the scaling efficiency against one local worker, and the peak
resident memory (RSS high-water mark) of each worker process. It also checks that every configuration wrote the
same parts. `--json FILE` saves the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "data" / "corpus" / "news.jsonl"
try:
    import eventcoder  # noqa: F401 (installed, or on PYTHONPATH)
except ImportError:
    sys.path.insert(0, str(REPO / "src"))


def write_corpus(src: Path, n: int, dst: Path) -> list[str]:
    texts = []
    with src.open(encoding="utf-8") as fh, dst.open("w", encoding="utf-8") as out:
        for line in fh:
            rec = json.loads(line)
            if not rec.get("text"):
                continue
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            texts.append(rec["text"])
            if len(texts) >= n:
                break
    return texts


def count_sentences(texts: list[str]) -> int:
    """Sentences as the coder's own parser splits them (parsed here once, outside the timed runs)."""
    from eventcoder.nlp import load_nlp

    nlp = load_nlp()
    keep = [name for name in ("tok2vec", "parser", "senter") if name in nlp.pipe_names]
    with nlp.select_pipes(enable=keep):
        return sum(sum(1 for _ in doc.sents) for doc in nlp.pipe(texts, batch_size=8))


def parts_digest(out: Path) -> list[str]:
    import pyarrow.parquet as pq

    rows = []
    for kind in ("documents", "events"):
        for path in sorted((out / kind).glob("part-*.parquet")):
            rows.append(json.dumps(pq.read_table(path).to_pylist(), sort_keys=True, default=str))
    return rows


def run(config: str, corpus: Path, shard_size: int, workdir: Path) -> dict[str, Any]:
    from eventcoder.scale import run_batch

    engine, workers = config.split(":")
    out = workdir / config.replace(":", "-")
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    summary = run_batch([str(corpus)], out, engine=engine, workers=int(workers), shard_size=shard_size)
    wall = time.perf_counter() - t0
    busy = sum(w["seconds"] for w in summary.workers.values())
    cpu = sum(w["cpu_seconds"] for w in summary.workers.values())
    return {
        "config": config,
        "engine": engine,
        "workers": int(workers),
        "documents": summary.documents,
        "events": summary.events,
        "wall_s": round(wall, 1),
        "docs_per_s": summary.documents / wall,
        "worker_busy_s": round(busy, 1),
        "docs_per_worker_s": summary.documents / busy if busy else None,  # steady rate of one worker
        "worker_cpu_s": round(cpu, 1),
        "docs_per_cpu_s": summary.documents / cpu if cpu else None,  # what one fully used vCPU codes
        "worker_peak_rss_mb": sorted(w["max_rss_mb"] for w in summary.workers.values()),
        "worker_processes": len(summary.workers),
        "out": out,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--shard-size", type=int, default=100)
    parser.add_argument("--configs", default="local:1,local:2,ray:2",
                        help="comma-separated engine:workers (default local:1,local:2,ray:2)")
    parser.add_argument("--workdir", type=Path, help="where the outputs go (default: a temporary directory)")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args()
    if not args.corpus.is_file():
        print(f"skip: corpus {args.corpus} not found (it lives in ../shared/data/corpus)", file=sys.stderr)
        return 0
    configs = [c.strip() for c in args.configs.split(",") if c.strip()]
    from eventcoder.scale import ray_available

    if any(c.startswith("ray:") for c in configs) and not ray_available():
        print("note: Ray is not installed (pip install 'eventcoder[ray]'); skipping the ray configurations",
              file=sys.stderr)
        configs = [c for c in configs if not c.startswith("ray:")]

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="eventcoder-scaling-"))
    workdir.mkdir(parents=True, exist_ok=True)
    corpus = workdir / "corpus.jsonl"
    texts = write_corpus(args.corpus, args.docs, corpus)
    chars = sum(len(t) for t in texts)
    words = sum(len(t.split()) for t in texts)
    print(f"{len(texts)} documents, {words:,} words, {chars:,} characters; shards of {args.shard_size}",
          file=sys.stderr)

    results = []
    load = [os.getloadavg()[0]]
    for config in configs:
        print(f"running {config} ...", file=sys.stderr)
        results.append(run(config, corpus, args.shard_size, workdir))
        r = results[-1]
        load.append(os.getloadavg()[0])
        print(f"  {r['wall_s']} s, {r['docs_per_s']:.2f} docs/s, peak RSS per worker {r['worker_peak_rss_mb']} MB "
              f"(load average {load[-1]:.1f})", file=sys.stderr)
    driver_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before the sentence count below
    print("counting sentences ...", file=sys.stderr)
    sentences = count_sentences(texts)

    base = next((r for r in results if r["config"] == "local:1"), None)
    digests = {r["config"]: parts_digest(r["out"]) for r in results}
    same = len({json.dumps(d) for d in digests.values()}) == 1
    for r in results:
        r["sentences_per_s"] = sentences / r["wall_s"]
        r["efficiency"] = (r["docs_per_s"] / (r["workers"] * base["docs_per_s"])) if base else None
        r["out"] = str(r["out"])

    print()
    print("| engine | workers | wall s | docs/s | sentences/s | docs/s per worker (busy) | docs per worker "
          "CPU-second | efficiency | peak RSS per worker (MB) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        eff = f"{r['efficiency']:.2f}" if r["efficiency"] is not None else "-"
        per = f"{r['docs_per_worker_s']:.2f}" if r["docs_per_worker_s"] else "-"
        cpu = f"{r['docs_per_cpu_s']:.2f}" if r["docs_per_cpu_s"] else "-"
        rss = ", ".join(f"{m:.0f}" for m in r["worker_peak_rss_mb"])
        print(f"| {r['engine']} | {r['workers']} | {r['wall_s']:.1f} | {r['docs_per_s']:.2f} | "
              f"{r['sentences_per_s']:.1f} | {per} | {cpu} | {eff} | {rss} |")
    print()
    print(f"documents: {len(texts)}, sentences: {sentences}, words: {words}; identical parts across "
          f"configurations: {'yes' if same else 'NO'}")
    print("load average (1 min) before and after each configuration: " + ", ".join(f"{x:.1f}" for x in load)
          + f" on {os.cpu_count()} CPUs")
    print(f"driver peak RSS during the runs: {driver_rss:.0f} MB; "
          f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}")
    if args.json:
        args.json.write_text(json.dumps({"documents": len(texts), "sentences": sentences, "words": words,
                                         "characters": chars, "shard_size": args.shard_size,
                                         "identical_parts": same, "load_average": load,
                                         "driver_peak_rss_mb": driver_rss,
                                         "results": results}, indent=2) + "\n")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
