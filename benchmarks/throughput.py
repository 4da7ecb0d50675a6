"""Throughput: eventcoder against the bare spaCy pipeline it runs on, same documents, same process.

    .venv/bin/python benchmarks/throughput.py --docs 300

Prints documents/s, sentences/s and words/s for both and the ratio eventcoder / spaCy alone.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpus" / "news.jsonl"


def load(n: int, path: Path) -> list[dict]:
    docs = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec.get("text"):
                docs.append(rec)
            if len(docs) >= n:
                break
    return docs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each, alternating; the best is kept")
    args = parser.parse_args()
    if not args.corpus.is_file():
        print(f"skip: corpus {args.corpus} not found (it lives in ../shared/data/corpus)", file=sys.stderr)
        return 0

    from eventcoder import Coder
    from eventcoder.model import Document

    records = load(args.docs, args.corpus)
    texts = [r["text"] for r in records]
    coder = Coder(batch_size=args.batch_size)
    nlp = coder.nlp
    coder.code("Warm-up: France criticised NATO on Monday.", date="2023-06-07")

    def bare() -> tuple[int, int]:
        sents = words = 0
        for doc in nlp.pipe(texts, batch_size=args.batch_size):
            sents += sum(1 for _ in doc.sents)
            words += sum(1 for t in doc if not t.is_punct and not t.is_space)
        return sents, words

    def full() -> int:
        docs = (Document(id=str(r.get("id", i)), text=r["text"], date=(r.get("date") or None) and str(r["date"])[:10])
                for i, r in enumerate(records))
        return sum(len(events) for _, events in coder.code_documents(docs))

    best_bare = best_full = float("inf")
    sents = words = n_events = 0
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        sents, words = bare()
        best_bare = min(best_bare, time.perf_counter() - t0)
        t0 = time.perf_counter()
        n_events = full()
        best_full = min(best_full, time.perf_counter() - t0)

    n = len(texts)
    print(f"documents: {n}  sentences: {sents}  words: {words}  events coded: {n_events}")
    print(f"{'':12} {'docs/s':>10} {'sents/s':>10} {'words/s':>10} {'seconds':>9}")
    for name, secs in (("spaCy alone", best_bare), ("eventcoder", best_full)):
        print(f"{name:12} {n / secs:10.1f} {sents / secs:10.1f} {words / secs:10.0f} {secs:9.2f}")
    print(f"ratio eventcoder / spaCy alone: {best_bare / best_full:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
