"""Train the event-type classifier (eventcoder.events._classifier) and write its model card.

    python training/train_classifier.py                      # 5-fold CV report, then the shipped model
    python training/train_classifier.py --exclude plv_train  # without the set that has no stated licence
    python training/train_classifier.py --no-cv              # just the final model

Reads the labelled development sets in ../shared/data/gold (or --gold) and training/sentences_team.jsonl,
parses every text once with the coder's spaCy pipeline (nlp.pipe, batch_size=64), and

1. cross-validates: every record gets one of --folds folds (stratified by label; near-duplicate texts, such as
   the CAMEO codebook examples that reappear in conflibert_manual, share a fold); the model for fold k is
   trained on all records outside fold k and scores those inside it. The out-of-fold probabilities of the
   gold records go to --oof (default /tmp/classifier_oof.jsonl, one {"id", "set", "probs", "root_probs"} line
   per record) and the scores to a table printed here and written into training/MODEL_CARD.md;
2. trains the shipped model on everything and saves src/eventcoder/events/data/classifier.{npz,json}.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import hashlib
import json
import pickle
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from eventcoder.evaluate import load_gold  # noqa: E402
from eventcoder.events import get_ontology  # noqa: E402
from eventcoder.events._classifier import (  # noqa: E402
    PLOVER_LABELS,
    ROOT_LABELS,
    EventTypeClassifier,
    FitConfig,
    featurise,
    fit,
)

DEFAULT_GOLD = REPO.parent / "shared" / "data" / "gold"
TEAM = REPO / "training" / "sentences_team.jsonl"
CARD = REPO / "training" / "MODEL_CARD.md"
OUT = REPO / "src" / "eventcoder" / "events" / "data" / "classifier"
GOLD_SETS = ("plv_train", "plover_gsr", "cameo_manual", "conflibert_manual", "petrarch_unittests", "ipe_dev")
# per-set sample weights: the codebook-style and fictional-country sets count less than real news
SET_WEIGHTS = {"plv_train": 1.0, "plover_gsr": 1.0, "cameo_manual": 0.7, "conflibert_manual": 0.7,
               "petrarch_unittests": 0.5, "ipe_dev": 1.0, "ipe_neg": 0.5, "team": 1.0}
P_INDEX = {lab: i for i, lab in enumerate(PLOVER_LABELS)}
R_INDEX = {lab: i for i, lab in enumerate(ROOT_LABELS)}
TYPES16 = PLOVER_LABELS[:-1]
QUAD_ROOTS = {0: ["01", "02"], 1: ["03", "04", "05"], 2: ["06", "07", "08"],
              3: ["09", "10", "11", "12", "13", "16"], 4: ["14", "15", "17", "18", "19", "20"]}
ROOT_QUAD = {r: q for q, rs in QUAD_ROOTS.items() for r in rs}


@dataclass
class Example:
    id: str
    set: str
    text: str
    plover: set[str]          # allowed PLOVER labels (empty: not used by that head)
    roots: set[str]           # allowed root labels (empty: not used)
    weight: float
    gold_plover: str | None = None     # for scoring: a single label (YIELD allowed)
    gold_root: str | None = None
    gold_quad: int | None = None
    extra: dict = field(default_factory=dict)


# ------------------------------------------------------------------------------------------- data

def crosswalk() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """PLOVER type -> its main CAMEO roots (>= 20% of its codes) and root -> PLOVER types, from cameo.csv."""
    onto = get_ontology()
    by_type: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    by_root: dict[str, set[str]] = collections.defaultdict(set)
    for code in onto.codes.values():
        if code.plover:
            by_type[code.plover][code.root] += 1
            by_root[code.root].add(code.plover)
    type_roots = {t: {r for r, n in c.items() if n >= 0.2 * sum(c.values())} for t, c in by_type.items()}
    return type_roots, dict(by_root)


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip() and not line.startswith("#")]


def load_examples(gold: Path, exclude: set[str], ipe_negatives: int, seed: int) -> list[Example]:
    type_roots, root_types = crosswalk()

    def roots_of(types: set[str]) -> set[str]:
        return set().union(*(type_roots.get(t, set()) for t in types)) if types else set()

    def types_of(roots: set[str]) -> set[str]:
        return set().union(*(root_types.get(r, set()) for r in roots)) if roots else set()

    out: list[Example] = []
    for name in GOLD_SETS:
        if name in exclude:
            continue
        path = gold / f"{name}.jsonl"
        if not path.exists():
            print(f"warning: {path} is missing; skipped", file=sys.stderr)
            continue
        recs = load_gold(path)  # (as the scorer reads them: a repeated id gets "#2", so out-of-fold rows stay apart)
        w = SET_WEIGHTS[name]
        if name == "plv_train":
            for r in recs:
                p = r["events"][0]["plover"]
                types = {"CONCEDE", "RETREAT"} if p == "YIELD" else {p}
                out.append(Example(r["id"], name, r["text"], types, roots_of(types), w, gold_plover=p,
                                   gold_quad=r["events"][0].get("quad")))
        elif name == "ipe_dev":
            negs = []
            for r in recs:
                if not r["events"]:
                    if len(r["text"].split()) >= 6:
                        negs.append(r)
                    continue
                cands = {c for e in r["events"] for c in e.get("plover_candidates") or []}
                if cands:  # ANY_ACTION / FAIL only: a police action of no PLOVER type we can name
                    out.append(Example(r["id"], name, r["text"], cands, roots_of(cands), w,
                                       extra={"candidates": sorted(cands)}))
            random.Random(seed).shuffle(negs)
            for r in negs[:ipe_negatives]:
                out.append(Example(r["id"], name, r["text"], {"NONE"}, {"NONE"}, SET_WEIGHTS["ipe_neg"],
                                   extra={"negative": True}))
        elif name == "petrarch_unittests":
            for r in recs:
                if not r["events"]:
                    out.append(Example(r["id"], name, r["text"], {"NONE"}, {"NONE"}, w, gold_plover="NONE"))
                    continue
                types = {e["plover"] for e in r["events"] if e.get("plover")}
                roots = {e["cameo_root"] for e in r["events"] if e.get("cameo_root")}
                out.append(Example(r["id"], name, r["text"], types, roots, w,
                                   extra={"gold_types": sorted(types)}))
        else:  # plover_gsr, cameo_manual, conflibert_manual: one labelled event per record
            for r in recs:
                e = r["events"][0]
                p, root, quad = e.get("plover"), e.get("cameo_root"), e.get("quad")
                roots = {root} if root else (set(QUAD_ROOTS[quad]) if quad is not None else set())
                if p:
                    types = {p}
                elif root:
                    types = set()  # CAMEO 01/02: no PLOVER type; the PLOVER head skips it
                else:
                    types = types_of(roots)
                if not root and p and quad is None:
                    roots = roots_of({p})
                if not root and p and quad is not None:
                    roots = roots_of({p}) & set(QUAD_ROOTS[quad]) or roots_of({p})
                out.append(Example(r["id"], name, r["text"], types, roots, w, gold_plover=p, gold_root=root,
                                   gold_quad=quad))
    if "team" not in exclude and TEAM.exists():
        for r in read_jsonl(TEAM):
            p, root = r.get("plover"), r.get("cameo_root")
            out.append(Example(r["id"], "team", r["text"], {p} if p else set(), {root} if root else set(),
                               SET_WEIGHTS["team"], gold_plover=p, gold_root=root))
    return out


# ------------------------------------------------------------------------------------------- folds

def near_duplicate_groups(examples: list[Example], threshold: float = 0.5) -> list[int]:
    """Union-find over word-trigram Jaccard similarity (ipe sentences are left alone)."""
    parent = list(range(len(examples)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    shingles: dict[int, set[tuple[str, ...]]] = {}
    index: dict[tuple[str, ...], list[int]] = collections.defaultdict(list)
    for i, ex in enumerate(examples):
        if ex.set == "ipe_dev":
            continue
        words = [w.strip(".,;:'\"()").lower() for w in ex.text.split()]
        sh = {tuple(words[k:k + 3]) for k in range(max(1, len(words) - 2))}
        shingles[i] = sh
        for s in sh:
            index[s].append(i)
    for i, sh in shingles.items():
        counts: collections.Counter = collections.Counter()
        for s in sh:
            if len(index[s]) < 50:
                counts.update(j for j in index[s] if j > i)
        for j, c in counts.items():
            if c / (len(sh) + len(shingles[j]) - c) >= threshold:
                parent[find(j)] = find(i)
    return [find(i) for i in range(len(examples))]


def assign_folds(examples: list[Example], k: int, seed: int) -> np.ndarray:
    """Stratified folds by (set, label); near-duplicates share their group's fold."""
    groups = near_duplicate_groups(examples)
    rng = random.Random(seed)
    first: dict[int, int] = {}
    for i, g in enumerate(groups):
        first.setdefault(g, i)
    strata: dict[tuple[str, str], list[int]] = collections.defaultdict(list)
    for g, i in first.items():
        ex = examples[i]
        strata[(ex.set, "|".join(sorted(ex.plover)))].append(g)
    fold_of_group: dict[int, int] = {}
    offset = 0
    for key in sorted(strata):
        gs = strata[key]
        rng.shuffle(gs)
        for n, g in enumerate(gs):
            fold_of_group[g] = (n + offset) % k
        offset += len(gs)
    return np.array([fold_of_group[g] for g in groups])


# ------------------------------------------------------------------------------------------- features

def parse_and_featurise(examples: list[Example], n_bits: int, dense_width: int, cache: Path | None
                        ) -> tuple[list[list[int]], np.ndarray | None, dict]:
    from eventcoder.nlp import load_nlp

    nlp = load_nlp()
    info = {"pipeline": f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}"}
    texts = [ex.text for ex in examples]
    key = hashlib.sha1(("\n".join(texts) + info["pipeline"] + f"{n_bits}/{dense_width}").encode()).hexdigest()[:16]
    src_key = hashlib.sha1((REPO / "src" / "eventcoder" / "events" / "_classifier.py").read_bytes()).hexdigest()[:8]
    cpath = cache / f"features-{key}-{src_key}.pkl" if cache else None
    if cpath is not None and cpath.exists():
        with open(cpath, "rb") as fh:
            buckets, dense = pickle.load(fh)
        print(f"features from cache {cpath}")
        return buckets, dense, info
    t0 = time.perf_counter()
    docs = nlp.pipe(texts, batch_size=64)
    buckets, dense = featurise((d[:] for d in docs), n_bits, dense_width=dense_width)
    print(f"parsed and featurised {len(texts)} texts in {time.perf_counter() - t0:.0f} s")
    if cpath is not None:
        cpath.parent.mkdir(parents=True, exist_ok=True)
        with open(cpath, "wb") as fh:
            pickle.dump((buckets, dense), fh)
    return buckets, dense, info


def masks(examples: list[Example]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    pm = np.zeros((len(examples), len(PLOVER_LABELS)), bool)
    rm = np.zeros((len(examples), len(ROOT_LABELS)), bool)
    for i, ex in enumerate(examples):
        for t in ex.plover:
            pm[i, P_INDEX[t]] = True
        for r in ex.roots:
            rm[i, R_INDEX[r]] = True
    w = np.array([ex.weight for ex in examples])
    return pm, rm, w


# ------------------------------------------------------------------------------------------- scoring

def macro_f1(gold: list[str], pred: list[str]) -> float:
    labels = sorted(set(gold))
    f1s = []
    for lab in labels:
        tp = sum(g == lab and p == lab for g, p in zip(gold, pred))
        fp = sum(g != lab and p == lab for g, p in zip(gold, pred))
        fn = sum(g == lab and p != lab for g, p in zip(gold, pred))
        f1s.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return float(np.mean(f1s)) if f1s else float("nan")


def argmax_type(p: np.ndarray, merge_yield: bool, allow_none: bool) -> str:
    probs = dict(zip(PLOVER_LABELS, p.tolist()))
    if not allow_none:
        probs.pop("NONE")
    if merge_yield:
        probs["YIELD"] = probs.pop("CONCEDE") + probs.pop("RETREAT")
    return max(probs, key=probs.get)  # type: ignore[arg-type]


def argmax_root(r: np.ndarray) -> str:
    return ROOT_LABELS[int(np.argmax(r[:-1]))]


def score(examples: list[Example], P: np.ndarray, R: np.ndarray) -> list[dict]:
    """One row per set: sizes and the classifier's main-event scores."""
    rows = []
    by_set: dict[str, list[int]] = collections.defaultdict(list)
    for i, ex in enumerate(examples):
        by_set[ex.set].append(i)
    for name in [*GOLD_SETS, "team"]:
        idx = by_set.get(name)
        if not idx:
            continue
        row: dict = {"set": name, "n": len(idx)}
        if name in ("plv_train", "plover_gsr", "cameo_manual", "conflibert_manual"):
            typed = [i for i in idx if examples[i].gold_plover]
            merge = name == "plv_train"
            gold = [examples[i].gold_plover for i in typed]
            pred = [argmax_type(P[i], merge, False) for i in typed]
            pred_n = [argmax_type(P[i], merge, True) for i in typed]
            row["n_type"] = len(typed)
            row["acc"] = np.mean([g == p for g, p in zip(gold, pred)])
            row["macro_f1"] = macro_f1(gold, pred)
            PER_TYPE[name] = per_type_scores(gold, pred)
            row["acc_none"] = np.mean([g == p for g, p in zip(gold, pred_n)])
            row["none_rate"] = np.mean([p == "NONE" for p in pred_n])
            top2 = []
            for i, g in zip(typed, gold):
                pr = dict(zip(PLOVER_LABELS, P[i].tolist()))
                pr.pop("NONE")
                if merge:
                    pr["YIELD"] = pr.pop("CONCEDE") + pr.pop("RETREAT")
                top2.append(g in sorted(pr, key=pr.get, reverse=True)[:2])
            row["top2"] = np.mean(top2)
            rooted = [i for i in idx if examples[i].gold_root]
            if rooted:
                row["n_root"] = len(rooted)
                row["root_acc"] = np.mean([argmax_root(R[i]) == examples[i].gold_root for i in rooted])
            quads = [i for i in idx if examples[i].gold_quad is not None]
            if quads:
                row["quad_acc"] = np.mean([ROOT_QUAD[argmax_root(R[i])] == examples[i].gold_quad for i in quads])
        elif name == "petrarch_unittests":
            ev = [i for i in idx if examples[i].extra.get("gold_types")]
            row["n_type"] = len(ev)
            row["acc"] = np.mean([argmax_type(P[i], False, False) in examples[i].extra["gold_types"] for i in ev])
            empty = [i for i in idx if examples[i].gold_plover == "NONE"]
            row["none_recall"] = np.mean([argmax_type(P[i], False, True) == "NONE" for i in empty])
        elif name == "ipe_dev":
            pos = [i for i in idx if examples[i].extra.get("candidates")]
            neg = [i for i in idx if examples[i].extra.get("negative")]
            row["n_type"] = len(pos)
            row["acc"] = np.mean([argmax_type(P[i], False, False) in examples[i].extra["candidates"] for i in pos])
            row["none_recall"] = np.mean([argmax_type(P[i], False, True) == "NONE" for i in neg])
            row["none_on_pos"] = np.mean([argmax_type(P[i], False, True) == "NONE" for i in pos])
        elif name == "team":
            typed = [i for i in idx if examples[i].gold_plover]
            gold = [examples[i].gold_plover for i in typed]
            pred = [argmax_type(P[i], False, True) for i in typed]
            row["n_type"] = len(typed)
            row["acc_none"] = np.mean([g == p for g, p in zip(gold, pred)])
            row["macro_f1"] = macro_f1(gold, pred)
            tp = sum(g == "NONE" and p == "NONE" for g, p in zip(gold, pred))
            row["none_recall"] = tp / max(1, gold.count("NONE"))
            row["none_precision"] = tp / max(1, pred.count("NONE"))
            rooted = [i for i in idx if examples[i].gold_root and examples[i].gold_root != "NONE"]
            row["root_acc"] = np.mean([argmax_root(R[i]) == examples[i].gold_root for i in rooted])
        rows.append(row)
    return rows


def rescale(P: np.ndarray, temperature: float) -> np.ndarray:
    """Probabilities recomputed at another softmax temperature."""
    z = np.log(np.maximum(P, 1e-12)) / temperature
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def fit_temperature(P: np.ndarray, mask: np.ndarray) -> tuple[float, float, float]:
    """The softmax temperature that minimises the out-of-fold negative log-likelihood of the (partial)
    labels: (temperature, NLL at 1, NLL at the temperature)."""
    keep = mask.any(axis=1)
    logp = np.log(np.maximum(P[keep], 1e-12)).astype(np.float64)
    m = mask[keep]

    def nll(t: float) -> float:
        z = logp / t
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return float(-np.log((e * m).sum(axis=1) / e.sum(axis=1)).mean())

    grid = np.exp(np.linspace(np.log(0.5), np.log(6.0), 61))
    best = min(grid, key=nll)
    return float(best), nll(1.0), nll(float(best))


PER_TYPE: dict[str, list[tuple[str, int, float, float, float]]] = {}
COVERAGE: list[tuple[float, int, float, float]] = []


def coverage(examples: list[Example], P: np.ndarray, temperature: float) -> list[tuple[float, int, float, float]]:
    """plv_train: share of records whose top type reaches a probability, and the accuracy on those."""
    idx = [i for i, ex in enumerate(examples) if ex.set == "plv_train"]
    if not idx:
        return []
    q = rescale(P[idx], temperature)
    top, hit = [], []
    for row, i in zip(q, idx):
        probs = dict(zip(PLOVER_LABELS, row.tolist()))
        probs["YIELD"] = probs.pop("CONCEDE") + probs.pop("RETREAT")
        probs.pop("NONE")
        best = max(probs, key=probs.get)  # type: ignore[arg-type]
        top.append(probs[best])
        hit.append(best == examples[i].gold_plover)
    top_a, hit_a = np.array(top), np.array(hit)
    out = []
    for t in (0.0, 0.3, 0.5, 0.7, 0.9):
        sel = top_a >= t
        out.append((t, int(sel.sum()), float(sel.mean()), float(hit_a[sel].mean()) if sel.any() else float("nan")))
    return out


def per_type_scores(gold: list[str], pred: list[str]) -> list[tuple[str, int, float, float, float]]:
    out = []
    for lab in sorted(set(gold)):
        tp = sum(g == lab and p == lab for g, p in zip(gold, pred))
        n_pred = pred.count(lab)
        n_gold = gold.count(lab)
        prec = tp / n_pred if n_pred else float("nan")
        rec = tp / n_gold
        f1 = 2 * tp / (n_pred + n_gold) if n_pred + n_gold else float("nan")
        out.append((lab, n_gold, prec, rec, f1))
    return out


def fmt(x: object) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "-"
    if isinstance(x, (float, np.floating)):
        return f"{100 * x:.1f}"
    return str(x)


COLUMNS = [("set", "set"), ("n", "records"), ("n_type", "typed"), ("acc", "PLOVER acc"),
           ("macro_f1", "PLOVER macro-F1"), ("top2", "top-2"), ("acc_none", "acc (NONE allowed)"),
           ("none_rate", "NONE rate"), ("root_acc", "root acc"), ("quad_acc", "quad acc"),
           ("none_recall", "NONE recall"), ("none_precision", "NONE precision")]


def table(rows: list[dict]) -> str:
    lines = ["| " + " | ".join(h for _, h in COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for r in rows:
        lines.append("| " + " | ".join(fmt(r.get(k)) for k, _ in COLUMNS) + " |")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------- card

def model_card(examples: list[Example], rows: list[dict] | None, meta: dict, args: argparse.Namespace,
               size_bytes: int, seconds: float, baseline: dict, temps: dict) -> str:
    counts = collections.Counter(ex.set for ex in examples)
    neg = sum(1 for ex in examples if ex.extra.get("negative"))
    label_counts = collections.Counter(t for ex in examples for t in ex.plover if len(ex.plover) == 1)
    sets = "\n".join(
        f"| {name} | {counts[name]} | {DESCR[name]} | {LICENCE[name]} |"
        for name in [*GOLD_SETS, "team"] if counts.get(name))
    cv = (f"{args.folds}-fold cross-validation (seed {args.seed}); every figure is out-of-fold: the model that "
          "scores a record never saw it or a near-duplicate of it. Folds are stratified by set and label. "
          "plv_train: each fold is scored by a model trained on its other four folds and on all the other "
          "records. The other sets: each fold of them (near-duplicates together: 298 plover_gsr sentences "
          "reappear in both cameo_manual and conflibert_manual) is scored by a model trained on all other "
          f"records, plv_train included.\n\n{table(rows)}\n") if rows else \
        "Cross-validation was not run for this build (`--no-cv`).\n"
    base = ""
    if baseline:
        base = ("\nFor scale: always answering the most frequent type scores "
                + ", ".join(f"{k} {100 * v:.1f}%" for k, v in baseline.items()) + " accuracy.\n")
    excluded = ", ".join(sorted(args.exclude)) or "none"
    if "plv_train" in args.exclude:
        plv_note = ("This build leaves out plv_train (which has no licence stated), so the weights carry only "
                    "the terms of the sets listed above.")
    else:
        plv_note = ("**plv_train has no licence stated**, so the shipped weights are for research use. To build "
                    "weights without it, run `python training/train_classifier.py --exclude plv_train` (other "
                    "sets can be left out the same way).")
    per_type = ""
    if rows and any(r["set"] == "plv_train" for r in rows):
        per_type = "plv_train per type (out of fold, NONE set aside, CONCEDE+RETREAT = YIELD):\n\n" + \
            "| type | gold | precision | recall | F1 |\n|---|---|---|---|---|\n" + "\n".join(
                f"| {t} | {g} | {fmt(p)} | {fmt(r)} | {fmt(f)} |" for t, g, p, r, f in PER_TYPE.get("plv_train", []))
    if COVERAGE:
        per_type += ("\n\nplv_train by confidence (out of fold; the top type's probability, YIELD merged, "
                     "after the temperature):\n\n| top probability at least | records | share | accuracy |\n"
                     "|---|---|---|---|\n" + "\n".join(
                         f"| {t:.1f} | {n} | {fmt(sh)} | {fmt(acc)} |" for t, n, sh, acc in COVERAGE))
    if temps:
        calib = ("Probabilities: each head's softmax temperature was fitted on the out-of-fold predictions "
                 "(all sets but ipe_dev) to minimise their negative log-likelihood: "
                 + "; ".join(f"{h} head T = {t:.2f} (NLL {a:.3f} -> {b:.3f})" for h, (t, a, b) in temps.items())
                 + ". Accuracy does not change; the probabilities become less extreme.")
    else:
        calib = "Probabilities: no cross-validation in this build, so no temperature was fitted (T = 1)."
    if meta.get("dense_width"):
        dense_text = (f"Plus the mean of the sentence's `doc.tensor` rows ({meta['dense_width']}-dim tok2vec "
                      f"vectors), standardised and scaled by {meta['dense_scale']}; a pipeline with another "
                      "tensor width gets the sparse features only.")
    else:
        dense_text = ("The mean of the sentence's `doc.tensor` rows (tok2vec vectors) is supported "
                      "(`--dense-scale`) but left out of the shipped model: in cross-validation it lowered "
                      "plv_train accuracy (by about 8 points at scale 0.5, 4 at 0.1, none gained at 0.02). "
                      "Without it the model works with any spaCy pipeline that tags, parses and lemmatises.")
    return f"""# Model card: eventcoder event-type classifier

*Generated by `training/train_classifier.py` on {dt.date.today().isoformat()}; rebuild with `make model`.*

## What it is

`eventcoder.events._classifier.EventTypeClassifier` gives, for one parsed sentence, a probability for each
PLOVER event type (the 16 types and `NONE`, "no political event") and for each CAMEO root (`01`-`20` and
`NONE`). The coder's trigger rules stay in charge; the classifier is meant for sentences the rules do not
cover and as a second opinion on the rules' type.

- **Model**: multinomial logistic regression, two softmax heads over one feature vector, trained jointly
  by mini-batch Adam ({meta['fit']['epochs']} epochs, batches of {meta['fit']['batch_size']}, peak step
  {meta['fit']['lr']} with cosine decay, decoupled weight decay {meta['fit']['weight_decay']}, class
  weights (uniform share / class share)^{meta['fit']['class_power']}, seed {meta['fit']['seed']}).
- **Features**: hashed (CRC-32, 2^{meta['n_bits']} buckets, kept when seen in at least
  {meta['fit']['min_df']} training sentences: {meta['n_features']:,} kept) from the spaCy parse: the root
  lemma and part of speech,
  the root's dependents (label, label:lemma), the clause under the root (what a "said" reports), verbs with
  their objects, particles and prepositions, nouns, content lemmas, lemma bigrams, negation, modal verbs and
  entity types (a proper noun inside a named entity counts as its entity type, so "Iran released" and
  "Libya released" share features); each sentence's binary vector is scaled to unit length.
  {dense_text}
- **Pipeline**: `{meta['pipeline']}` (the coder's own parse; no second model).
- **Runtime**: numpy only. Weights in `src/eventcoder/events/data/classifier.npz` (float16,
  {size_bytes / 1e6:.1f} MB) with labels and hashing settings in `classifier.json`.
- **Training time**: {seconds:.0f} s for this build (parsing, cross-validation and the final fit) on 2 CPU cores.

## Training data

The shipped model is trained on every record below (excluded sets: {excluded}).

| set | records used | what | licence |
|---|---|---|---|
{sets}

Labels: single PLOVER labels where a set gives one. A `YIELD` record of plv_train is trained as the partial
label CONCEDE-or-RETREAT (the loss is the log of their summed probability), so the model keeps the two apart
where other sets label them. CAMEO roots come from the records where given; otherwise they are the partial
label of the roots whose codes mainly map to the PLOVER type (from `events/data/cameo.csv`), or of the roots
in the record's quad class. CAMEO 01/02 statements and appeals have no PLOVER type and train the root head
only. petrarch_unittests records with several events take the set of their types; those with none are
`NONE`. ipe_dev: police actions with candidate types (ARREST -> COERCE, KILL -> ASSAULT, FORCE ->
ASSAULT-or-COERCE) and {neg} sentences of six or more words drawn at random from those with no police action,
as `NONE` at half weight (they are not always free of other political events). Records whose only label is
ANY_ACTION or FAIL are left out. Per-set sample weights: {json.dumps(SET_WEIGHTS)}.

Single-label counts in the training data: {', '.join(f'{k} {v}' for k, v in sorted(label_counts.items()))}.

`training/sentences_team.jsonl` holds short news-style sentences the team wrote for every PLOVER type and
for `NONE` (sports, weather, business results, accidents, background facts) plus a few CAMEO 01/02 ones.

## Cross-validated scores (classifier alone)

{cv}
Columns: *PLOVER acc* / *macro-F1* / *top-2*: the most probable of the 16 types (NONE set aside, since every
scored record has an event) against the record's main-event type; on plv_train CONCEDE and RETREAT merge
into YIELD. *acc (NONE allowed)*: the same with NONE competing; *NONE rate*: how often NONE wins on records
that do have an event. *root acc*: most probable root (NONE set aside) against the gold root; *quad acc*:
the quad class of that root. petrarch_unittests: *PLOVER acc* counts a hit when the top type is among the
record's event types, *NONE recall* is over its event-free records. ipe_dev: *PLOVER acc* counts a hit when
the top type is among the candidates; *NONE recall* is over the sampled negatives. team: accuracy with NONE
competing, and NONE precision/recall.
{base}
{per_type}

Hyperparameters (feature set, weight decay, set weights, tok2vec scale) were chosen on these cross-validated scores,
so they are somewhat optimistic. The codebook sets (plover_gsr, cameo_manual, conflibert_manual) are short
and clean; plv_train (real news) is the figure to watch.

{calib}

## Intended use and limits

- English news sentences, parsed by the coder. One label per sentence: the main event. The classifier does
  not find actors; the rules do.
- The probabilities are calibrated only roughly (one temperature per head); use them to rank and
  threshold, and tune thresholds out of fold: the build writes the out-of-fold probabilities of every
  gold record but ipe_dev's to `/tmp/classifier_oof.jsonl` (`{{"id", "set", "fold", "probs", "root_probs"}}`).
- ipe_dev's figures are easy ones: its sentences are lower-case Times of India text and all its positives
  are COERCE or ASSAULT, so the model tells them apart from the rest by style as much as by content.
- `NONE` was learnt mostly from the team's sentences and from Times of India sentences without police
  action; it is weaker on other kinds of text without events.
- Trained on a few thousand sentences: rare types (COOPERATE, MOBILIZE, PROTEST in plv_train) are scored on
  few examples.
- In the coder (`_with_model` in `events/_extract.py`) the probability weighs 0.1 in an event's confidence,
  and the model re-types a sentence's main event only when it gives another type at least 0.75 and the
  rule's type below 0.1, and only where that type rests on a single trigger word (not on a trigger phrase or
  on a verb governing the trigger, which a model of the sentence's words cannot see).

## Licence notes

The weights are derived from the development sets listed above, under the terms their origins give
(see `../shared/data/README.md`): PLOVER gold standard records CC BY-SA 4.0, ConfliBERT's codebook set
GPL-3.0, PETRARCH's tests MIT, IndiaPoliceEvents a research release, the CAMEO codebook examples as
published with the codebook. {plv_note} The team sentences are the project's own (Apache-2.0). No text
from these sets is stored in the weights file: features are hashed to bucket numbers.

## Rebuild

```
make model          # = .venv/bin/python training/train_classifier.py
```

Options: `--exclude SET ...`, `--folds N`, `--ipe-negatives N`, `--no-cv`, `--seed N`, `--gold DIR`,
`--oof PATH`, `--cache DIR` (reuse parsed features between runs).
"""


DESCR = {
    "plv_train": "real news (2017+), main event PLOVER type (YIELD for CONCEDE/RETREAT)",
    "plover_gsr": "PLOVER gold standard records: PLOVER type and CAMEO code",
    "cameo_manual": "CAMEO 1.1b3 codebook example sentences, CAMEO code",
    "conflibert_manual": "codebook sentences, CAMEO code or quad class",
    "petrarch_unittests": "PETRARCH functional tests (fictional countries)",
    "ipe_dev": "Times of India sentences, police actions (subsample)",
    "team": "sentences written by the eventcoder team",
}
LICENCE = {
    "plv_train": "no licence stated",
    "plover_gsr": "CC BY-SA 4.0",
    "cameo_manual": "CAMEO codebook examples",
    "conflibert_manual": "GPL-3.0",
    "petrarch_unittests": "MIT",
    "ipe_dev": "research release",
    "team": "Apache-2.0 (this repository)",
}


# ------------------------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--exclude", nargs="*", default=[], choices=[*GOLD_SETS, "team"])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--ipe-negatives", type=int, default=3000)
    ap.add_argument("--no-cv", action="store_true")
    ap.add_argument("--no-save", action="store_true", help="do not write the model or the card")
    ap.add_argument("--out", type=Path, default=OUT, help="model path without suffix")
    ap.add_argument("--card", type=Path, default=CARD)
    ap.add_argument("--oof", type=Path, default=Path("/tmp/classifier_oof.jsonl"))
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--weight-decay", type=float, default=None)
    ap.add_argument("--epochs", type=int, default=None)
    ap.add_argument("--lr", type=float, default=None)
    ap.add_argument("--dense-scale", type=float, default=None)
    ap.add_argument("--min-df", type=int, default=None)
    ap.add_argument("--class-power", type=float, default=None)
    args = ap.parse_args(argv)
    args.exclude = set(args.exclude)
    t_start = time.perf_counter()
    cfg = FitConfig(seed=args.seed)
    for name in ("weight_decay", "epochs", "lr", "dense_scale", "min_df", "class_power"):
        if getattr(args, name) is not None:
            setattr(cfg, name, getattr(args, name))

    examples = load_examples(args.gold, args.exclude, args.ipe_negatives, args.seed)
    print("examples:", dict(collections.Counter(ex.set for ex in examples)), "total", len(examples))
    buckets, dense, info = parse_and_featurise(examples, cfg.n_bits, 96 if cfg.dense_scale > 0 else 0,
                                               args.cache)
    pm, rm, w = masks(examples)

    rows = None
    baseline: dict[str, float] = {}
    temps: dict[str, tuple[float, float, float]] = {}
    if not args.no_cv:
        folds = assign_folds(examples, args.folds, args.seed)
        P = np.zeros((len(examples), len(PLOVER_LABELS)), np.float32)
        R = np.zeros((len(examples), len(ROOT_LABELS)), np.float32)
        # two passes: plv_train (each fold scored by a model trained on its other folds and on all other
        # records), then the other records (each fold scored by a model trained on everything else,
        # plv_train included); near-duplicates share a fold, so no text is scored by a model that saw it
        is_plv = np.array([ex.set == "plv_train" for ex in examples])
        for block, in_block in (("plv_train", is_plv), ("other sets", ~is_plv)):
            if not in_block.any():
                continue
            for k in range(args.folds):
                t0 = time.perf_counter()
                te = np.flatnonzero(in_block & (folds == k))
                tr = np.flatnonzero(~(in_block & (folds == k)))
                model = fit([buckets[i] for i in tr], None if dense is None else dense[tr], pm[tr], rm[tr],
                            w[tr], cfg)
                P[te], R[te] = model.predict_arrays([buckets[i] for i in te],
                                                    None if dense is None else dense[te])
                print(f"{block}, fold {k + 1}/{args.folds}: trained on {len(tr)}, scored {len(te)} "
                      f"({time.perf_counter() - t0:.0f} s)")
        rows = score(examples, P, R)
        print(table(rows))
        calib = np.array([ex.set not in ("ipe_dev",) for ex in examples])
        temps["plover"] = fit_temperature(P[calib], pm[calib])
        temps["root"] = fit_temperature(R[calib], rm[calib])
        COVERAGE[:] = coverage(examples, P, temps["plover"][0])
        for head, (t, before, after) in temps.items():
            print(f"temperature {head}: {t:.2f} (out-of-fold NLL {before:.3f} -> {after:.3f})")
        for name in ("plv_train", "plover_gsr"):
            gold = [ex.gold_plover for ex in examples if ex.set == name and ex.gold_plover]
            if gold:
                baseline[name] = collections.Counter(gold).most_common(1)[0][1] / len(gold)
        if args.oof:
            # the probabilities the shipped model would give: with the fitted temperatures
            P = rescale(P, temps["plover"][0])
            R = rescale(R, temps["root"][0])
            args.oof.parent.mkdir(parents=True, exist_ok=True)
            with open(args.oof, "w", encoding="utf-8") as fh:
                for i, ex in enumerate(examples):
                    if ex.set in ("team", "ipe_dev"):
                        continue
                    fh.write(json.dumps({
                        "id": ex.id, "set": ex.set, "fold": int(folds[i]),
                        "probs": {lab: round(float(v), 5) for lab, v in zip(PLOVER_LABELS, P[i])},
                        "root_probs": {lab: round(float(v), 5) for lab, v in zip(ROOT_LABELS, R[i])},
                    }) + "\n")
            print(f"out-of-fold probabilities -> {args.oof}")

    t0 = time.perf_counter()
    cfg.extra = {"trained_on": sorted(collections.Counter(ex.set for ex in examples).items()),
                 "excluded": sorted(args.exclude)}
    model = fit(buckets, dense, pm, rm, w, cfg)
    if temps:
        model.temperature = (temps["plover"][0], temps["root"][0])
    print(f"final model: {len(model.buckets)} features, trained in {time.perf_counter() - t0:.0f} s")
    if args.no_save:
        return 0
    meta = {**info, "built": dt.date.today().isoformat(), "n_examples": len(examples),
            "cv": [{k: (float(v) if isinstance(v, (float, np.floating)) else v) for k, v in r.items()}
                   for r in rows] if rows else None}
    npz, js = model.save(args.out, meta)
    reloaded = EventTypeClassifier.load(args.out)
    assert np.allclose(reloaded.bias, model.bias, atol=1e-3)
    size = npz.stat().st_size
    print(f"saved {npz} ({size / 1e6:.2f} MB) and {js}")
    card = model_card(examples, rows, reloaded.meta, args, size, time.perf_counter() - t_start, baseline, temps)
    args.card.parent.mkdir(parents=True, exist_ok=True)
    args.card.write_text(card, encoding="utf-8")
    print(f"model card -> {args.card}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
