"""Load times and memory of the actor knowledge base and the gazetteer, each in a fresh process.

    .venv/bin/python benchmarks/load_times.py

Each measurement runs in its own subprocess: the first builds the cached index if needed (reported as the
cold build), the next ones load from the cache, which is what every coding run does.
"""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = r"""
import json, resource, sys, time
import spacy  # imported before timing: the coder has spaCy loaded anyway
from eventcoder.nlp import load_nlp, tokenizer_words
nlp = load_nlp()
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
if sys.argv[1] == "kb":
    from eventcoder.actors import load_kb
    kb = load_kb(tokenizer_words(nlp), "bench")
    size = len(kb.index)
else:
    from eventcoder.where import load_gazetteer
    gz = load_gazetteer()
    size = len(gz)
secs = time.perf_counter() - t0
rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"what": sys.argv[1], "seconds": round(secs, 3), "added_mb": round((rss1 - rss0) / 1024, 1),
                  "entries": size}))
"""


def run(what: str) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, what], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    print(f"{'what':10} {'run':6} {'seconds':>8} {'added MB':>9} {'entries':>8}")
    for what in ("kb", "gazetteer"):
        for label in ("first", "cached", "cached"):
            r = run(what)
            print(f"{what:10} {label:6} {r['seconds']:8.3f} {r['added_mb']:9.1f} {r['entries']:8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
