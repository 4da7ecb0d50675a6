"""Scoring coded events against gold records, following the protocol of the project's dev sets.

Gold records: ``{"id", "text", "date", "annotation", "events": [{"source": [{"text", "code"}], "target": [...],
"cameo_root", "plover", "quad", ...}]}``. Predictions: event dicts as written by ``eventcoder code -f jsonl``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["LEVELS", "SetScore", "actor_matches", "score_records", "type_of"]

LEVELS = ("cameo_root", "plover", "quad")
_YIELD = {"CONCEDE": "YIELD", "RETREAT": "YIELD"}
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset("""a an the of and or in on at to for from by with its their his her s de la le al el
    this that these those who which be is are was were has have had mr mrs ms""".split())

Record = Mapping[str, Any]
Pred = Mapping[str, Any]


@dataclass
class SetScore:
    """Scores of one gold set: a table of rows per level, plus counts."""

    name: str
    annotation: str
    records: int
    tables: dict[str, dict[str, float]] = field(default_factory=dict)  # level -> metric -> value
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"set": self.name, "annotation": self.annotation, "records": self.records,
                "scores": self.tables, "notes": self.notes}


_DOTTED = re.compile(r"\b(?:[a-z]\.){2,}")  # "u.s.", "u.n.": one word, written without its dots


def _content_words(text: str | None) -> set[str]:
    lowered = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), (text or "").lower())
    return {w for w in _WORD.findall(lowered) if w not in _STOP and len(w) > 1}


def actor_matches(gold: Sequence[Mapping[str, Any]], pred: Sequence[Mapping[str, Any]]) -> bool:
    """Protocol actor match: any gold actor matches any predicted one; an empty gold list matches anything."""
    if not gold:
        return True
    for g in gold:
        gcode = (g.get("code") or "")[:3]
        gwords = _content_words(g.get("text"))
        for p in pred:
            if gcode:
                pcode = (p.get("code") or "")[:3]
                pcountry = (p.get("country") or "")[:3]
                if gcode in (pcode, pcountry) and gcode != "":
                    return True
            elif gwords and gwords & _content_words(p.get("text")):
                return True
    return False


def type_of(event: Mapping[str, Any], level: str, uses_yield: bool) -> str | None:
    if level == "cameo_root":
        value = event.get("cameo_root")
    elif level == "plover":
        value = event.get("plover")
        if uses_yield and value in _YIELD:
            value = _YIELD[value]
    else:
        q = event.get("quad", event.get("quad_class"))
        value = None if q is None else str(q)
    return None if value in (None, "") else str(value)


def _dyad(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> bool:
    src_ok = actor_matches(gold.get("source") or [], pred.get("source") or [])
    tgt_ok = actor_matches(gold.get("target") or [], pred.get("target") or [])
    if src_ok and tgt_ok:
        return True
    if gold.get("reciprocal") or pred.get("reciprocal"):
        # a reciprocal event matches in either direction
        return actor_matches(gold.get("source") or [], pred.get("target") or []) and actor_matches(
            gold.get("target") or [], pred.get("source") or []
        )
    return False


def _counted(preds: Iterable[Pred]) -> list[Pred]:
    return [p for p in preds if not (p.get("modality") or {}).get("negated")]


def main_event(preds: Sequence[Pred]) -> Pred | None:
    best: Pred | None = None
    for p in preds:
        if best is None or float(p.get("confidence", 0)) > float(best.get("confidence", 0)):
            best = p
    return best


def score_records(name: str, records: Sequence[Record], predictions: Mapping[str, Sequence[Pred]]) -> SetScore:
    """Score one gold set. ``predictions`` maps a record id to its predicted event dicts."""
    records = [_without_slot_names(r) for r in records]
    annotation = str(records[0].get("annotation", "exhaustive")) if records else "exhaustive"
    uses_yield = any(e.get("plover") == "YIELD" for r in records for e in r.get("events", []))
    score = SetScore(name=name, annotation=annotation, records=len(records))
    if annotation == "exhaustive":
        _exhaustive(score, records, predictions, uses_yield)
    elif annotation in ("sentence_class", "main_event"):
        _main(score, records, predictions, uses_yield)
    elif annotation == "type_only":
        _type_only(score, records, predictions)
    else:
        score.notes.append(f"unknown annotation {annotation!r}: not scored")
    return score


_SLOT_NAMES = frozenset({"actor", "recipient", "source", "target"})


def _without_slot_names(rec: Record) -> Record:
    """A gold side left unfilled is sometimes written as the slot's name ("recipient" for an event with no
    recipient); where that word is not in the record's text it is no actor, and the side is empty."""
    text = str(rec.get("text") or "").lower()

    def filled(actors: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
        return [a for a in actors if a.get("code") or not (
            str(a.get("text") or "").strip().lower() in _SLOT_NAMES and str(a.get("text")).strip().lower() not in text)]

    events = rec.get("events") or []
    if not any(len(filled(e.get(side) or [])) != len(e.get(side) or []) for e in events for side in ("source", "target")):
        return rec
    return {**rec, "events": [{**e, "source": filled(e.get("source") or []), "target": filled(e.get("target") or [])}
                              for e in events]}


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "pred": n_pred, "gold": n_gold}


def _exhaustive(score: SetScore, records: Sequence[Record], predictions: Mapping[str, Sequence[Pred]],
                uses_yield: bool) -> None:
    for level in LEVELS:
        tp_type = tp_dyad = n_type = n_dyad = n_rows = n_gold = 0
        for rec in records:
            gold = [g for g in rec.get("events", []) if type_of(g, level, uses_yield)]
            preds = [p for p in _counted(predictions.get(str(rec["id"]), [])) if type_of(p, level, uses_yield)]
            n_gold += len(gold)
            n_rows += len(preds)
            same_type = _greedy(gold, preds, lambda g, p: type_of(g, level, uses_yield) == type_of(p, level, uses_yield))
            same_dyad = _greedy(gold, preds, lambda g, p: type_of(g, level, uses_yield) == type_of(p, level, uses_yield)
                                and _dyad(g, p))
            tp_type += len(same_type)
            tp_dyad += len(same_dyad)
            mentions = _mentions(preds, level, uses_yield)
            n_type += _predicted(mentions, same_type)
            n_dyad += _predicted(mentions, same_dyad)
        if n_gold == 0:
            continue
        t = _prf(tp_type, n_type, n_gold)
        d = _prf(tp_dyad, n_dyad, n_gold)
        score.tables[level] = {"type_precision": t["precision"], "type_recall": t["recall"], "type_f1": t["f1"],
                               "dyad_precision": d["precision"], "dyad_recall": d["recall"], "dyad_f1": d["f1"],
                               "gold": n_gold, "predicted": n_dyad, "predicted_rows": n_rows}


def _mentions(preds: Sequence[Pred], level: str, uses_yield: bool) -> list[list[int]]:
    """Group the rows of one event mention: same sentence, same trigger, same type. The coder writes one row
    per actor pair ("invited Japan, Australia and New Zealand": three rows, "A and B agreed": two), while a
    gold event lists all its actors in one record."""
    groups: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for i, p in enumerate(preds):
        span = p.get("trigger_span")
        key = (p.get("sentence_index"), tuple(span) if span else (p.get("trigger"), i),
               type_of(p, level, uses_yield))
        groups[key].append(i)
    return list(groups.values())


def _predicted(mentions: Sequence[Sequence[int]], matched: set[int]) -> int:
    """How many predictions the mentions count as: each of a mention's rows that matched a gold event (a set
    annotating one event per actor), and at least one per mention (a set grouping the actors, or a miss)."""
    return sum(max(1, sum(1 for i in rows if i in matched)) for rows in mentions)


def _greedy(gold: Sequence[Record], preds: Sequence[Pred], ok) -> set[int]:  # type: ignore[no-untyped-def]
    """One-to-one greedy matching; the indices of the predictions matched."""
    used: set[int] = set()
    for g in gold:
        for i, p in enumerate(preds):
            if i not in used and ok(g, p):
                used.add(i)
                break
    return used


def _main(score: SetScore, records: Sequence[Record], predictions: Mapping[str, Sequence[Pred]],
          uses_yield: bool) -> None:
    for level in LEVELS:
        n = correct = dyad_correct = any_type = any_dyad = 0
        pairs: list[tuple[str, str]] = []
        for rec in records:
            golds = [g for g in rec.get("events", []) if type_of(g, level, uses_yield)]
            if not golds:
                continue
            gold = golds[0]
            gtype = type_of(gold, level, uses_yield) or ""
            preds = _counted(predictions.get(str(rec["id"]), []))
            main = main_event(preds)
            ptype = (type_of(main, level, uses_yield) if main else None) or "NONE"
            n += 1
            pairs.append((gtype, ptype))
            if ptype == gtype:
                correct += 1
                if main is not None and _dyad(gold, main):
                    dyad_correct += 1
            typed = [p for p in preds if type_of(p, level, uses_yield) == gtype]
            any_type += bool(typed)
            any_dyad += any(_dyad(gold, p) for p in typed)
        if n == 0:
            continue
        score.tables[level] = {
            "main_accuracy": round(correct / n, 4),
            "main_macro_f1": round(_macro_f1(pairs), 4),
            "main_dyad_accuracy": round(dyad_correct / n, 4),
            "any_type": round(any_type / n, 4),
            "any_dyad": round(any_dyad / n, 4),
            "records": n,
        }


def _macro_f1(pairs: Sequence[tuple[str, str]]) -> float:
    labels = {g for g, _ in pairs}
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for g, p in pairs:
        if g == p:
            tp[g] += 1
        else:
            fn[g] += 1
            fp[p] += 1
    f1s = []
    for label in labels:
        p = tp[label] / (tp[label] + fp[label]) if tp[label] + fp[label] else 0.0
        r = tp[label] / (tp[label] + fn[label]) if tp[label] + fn[label] else 0.0
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    return sum(f1s) / len(f1s) if f1s else 0.0


def _has_sector(actors: Sequence[Mapping[str, Any]], sector: str) -> bool:
    return any(sector in (a.get("code") or "")[3:] for a in actors)


def _type_only(score: SetScore, records: Sequence[Record], predictions: Mapping[str, Sequence[Pred]]) -> None:
    candidates_of: dict[str, set[str]] = defaultdict(set)
    for rec in records:
        for e in rec.get("events", []):
            candidates_of[str(rec["id"])].update(e.get("plover_candidates") or [])
    target_types = set().union(*candidates_of.values()) if candidates_of else set()
    # A set about one kind of actor (every gold source is police, say) scores that actor's events only:
    # "police-action detection" counts events whose source is the police.
    sectors = {(a.get("code") or "")[3:6] for r in records for e in r.get("events", []) for a in e.get("source", [])}
    sector = sectors.pop() if len(sectors) == 1 and "" not in sectors else None
    if sector:
        score.notes.append(f"predictions counted only where a source actor has sector {sector}, as every gold source")
    tp = fp = positives = 0
    for rec in records:
        rid = str(rec["id"])
        cands = candidates_of.get(rid, set())
        preds = [p for p in _counted(predictions.get(rid, []))
                 if sector is None or _has_sector(p.get("source") or [], sector)]
        predicted = {p.get("plover") for p in preds} & target_types
        positives += bool(cands)
        if predicted & cands:
            tp += 1
        elif predicted:
            fp += 1
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / positives if positives else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    score.tables["plover"] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                              "records_with_candidates": positives, "records": len(records),
                              "types": len(target_types)}
