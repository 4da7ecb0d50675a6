"""API latency: POST /v1/code on a 1,000-word news article against a server on 127.0.0.1 started here.

    .venv/bin/python benchmarks/api_latency.py                       # 30 sequential + 20 clients for 30 s
    .venv/bin/python benchmarks/api_latency.py --clients 20 --duration 30 --requests 30 --json

Measures (1) the latency of single requests after warm-up (p50, p95, max) and (2) 20 concurrent clients
posting the same article for 30 s: requests served, errors (any non-200 answer or transport failure),
throughput and latency under load, and the latency of a read (``GET /v1/events?limit=25``, twice a second)
meanwhile. The server runs in its own process with the coder loaded once; it codes one document at a time,
first come first served, so under load a request waits for the ones ahead of it. Exits 1 on any error.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpus" / "news.jsonl"

SERVER = """
import sys, uvicorn
from eventcoder import Coder
from eventcoder.api import create_app
app = create_app(db_path=sys.argv[1], coder=Coder())
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def build_article(corpus: Path, words: int) -> str:
    """About ``words`` words of consecutive news texts from the corpus, cut at a sentence end."""
    parts: list[str] = []
    count = 0
    with corpus.open(encoding="utf-8") as fh:
        for line in fh:
            text = (json.loads(line).get("text") or "").strip()
            if not text:
                continue
            parts.append(text)
            count += len(text.split())
            if count >= words:
                break
    joined = "\n\n".join(parts)
    cut = len(joined)
    for i, match in enumerate(re.finditer(r"\S+", joined), start=1):
        if i == words:
            cut = match.end()
            break
    article = joined[:cut]
    end = article.rfind(". ")
    return article[: end + 1] if end > len(article) // 2 else article


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(db), str(port)], env={**os.environ})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with status {proc.returncode}")
        try:
            if httpx.get(url + "/v1/info", timeout=2).status_code == 200:
                return proc, url
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    proc.terminate()
    raise SystemExit("the server did not start within 180 s")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def summary(latencies: list[float]) -> dict[str, float]:
    return {"n": len(latencies), "mean_ms": round(1000 * statistics.fmean(latencies), 1),
            "p50_ms": round(1000 * percentile(latencies, 50), 1), "p95_ms": round(1000 * percentile(latencies, 95), 1),
            "max_ms": round(1000 * max(latencies), 1)}


def sequential(url: str, body: dict[str, Any], warmup: int, requests: int) -> tuple[dict[str, float], int]:
    latencies: list[float] = []
    n_events = 0
    with httpx.Client(base_url=url, timeout=300) as client:
        for i in range(warmup + requests):
            t0 = time.perf_counter()
            response = client.post("/v1/code", json=body)
            elapsed = time.perf_counter() - t0
            response.raise_for_status()
            n_events = len(response.json()["events"])
            if i >= warmup:
                latencies.append(elapsed)
    return summary(latencies), n_events


def concurrent(url: str, body: dict[str, Any], clients: int, duration: float) -> dict[str, Any]:
    latencies: list[float] = []
    reads: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    def reader() -> None:  # the dashboard's table query, twice a second, while the coder is busy
        with httpx.Client(base_url=url, timeout=60) as client:
            while time.monotonic() < stop_at:
                t0 = time.perf_counter()
                try:
                    response = client.get("/v1/events", params={"limit": 25})
                    problem = None if response.status_code == 200 else f"GET HTTP {response.status_code}"
                except httpx.HTTPError as exc:
                    problem = f"GET {type(exc).__name__}: {exc}"
                with lock:
                    if problem:
                        errors.append(problem)
                    else:
                        reads.append(time.perf_counter() - t0)
                time.sleep(0.5)

    def worker() -> None:
        with httpx.Client(base_url=url, timeout=300) as client:
            while time.monotonic() < stop_at:
                t0 = time.perf_counter()
                try:
                    response = client.post("/v1/code", json=body)
                    ok = response.status_code == 200 and "events" in response.json()
                    problem = None if ok else f"HTTP {response.status_code}: {response.text[:200]}"
                except (httpx.HTTPError, ValueError) as exc:
                    problem = f"{type(exc).__name__}: {exc}"
                elapsed = time.perf_counter() - t0
                with lock:
                    if problem:
                        errors.append(problem)
                    else:
                        latencies.append(elapsed)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)] + [threading.Thread(target=reader)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    out: dict[str, Any] = {"clients": clients, "duration_s": round(wall, 1), "ok": len(latencies),
                           "errors": len(errors), "requests_per_s": round(len(latencies) / wall, 2)}
    if latencies:
        out.update(summary(latencies))
    if reads:
        out["reads_meanwhile"] = summary(reads)
    if errors:
        out["first_errors"] = errors[:5]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--words", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--requests", type=int, default=30, help="sequential requests timed after warm-up")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of concurrent load")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    if not args.corpus.is_file():
        print(f"skip: corpus {args.corpus} not found (it lives in ../shared/data/corpus)", file=sys.stderr)
        return 0
    article = build_article(args.corpus, args.words)
    body = {"text": article, "date": "2019-01-04", "title": "benchmark article"}
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start_server(Path(tmp) / "bench.duckdb")
        try:
            single, n_events = sequential(url, body, args.warmup, args.requests)
            load = concurrent(url, body, args.clients, args.duration)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    result = {"article_words": len(article.split()), "article_chars": len(article), "events": n_events,
              "sequential": single, "concurrent": load, "cpus": os.cpu_count()}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"article: {result['article_words']} words, {n_events} events")
        print(f"sequential ({single['n']} after {args.warmup} warm-up): p50 {single['p50_ms']} ms, "
              f"p95 {single['p95_ms']} ms, max {single['max_ms']} ms")
        print(f"{load['clients']} clients for {load['duration_s']} s: {load['ok']} ok, {load['errors']} errors, "
              f"{load['requests_per_s']} req/s" + (f", p50 {load['p50_ms']} ms, p95 {load['p95_ms']} ms"
                                                  if load["ok"] else ""))
        if "reads_meanwhile" in load:
            reads = load["reads_meanwhile"]
            print(f"GET /v1/events meanwhile ({reads['n']}): p50 {reads['p50_ms']} ms, p95 {reads['p95_ms']} ms")
    return 1 if load["errors"] or not load["ok"] else 0


if __name__ == "__main__":
    sys.exit(main())
