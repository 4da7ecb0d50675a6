"""A learned choice of the event's place among the place names of its sentence.

The parse rules of :mod:`eventcoder.where._resolve` find the place attached to a trigger when the parse is
right. When it is not (a place phrase hung on the wrong word, a name the small model does not tag as a
place), the rules find nothing or the wrong name. The ranker looks at every name in the trigger's sentence
that could be a place (GPE, LOC, FAC and other named entities, runs of proper nouns, the rules' own pick)
and at a "no place" option, and scores each from features of how the name is attached to the trigger: the
dependency path between them, the preposition that governs the name, its entity label and gazetteer kind,
its distance and side, and whether the rules picked it. The highest score wins; "no place" wins when
nothing is attached closely enough.

The model is a softmax over each event's options (conditional logit), a weight per feature, trained on the
``event_location_dev`` set (``training/train_location.py``, ``make location-model``; model card in
``training/LOCATION_MODEL_CARD.md``). The weights ship as readable JSON in ``where/data/location_ranker.json``.
Inference is a sum of a few dozen weights per option.
"""

from __future__ import annotations

import json
import math
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Span, Token

from eventcoder.nlp import entities_in, sentence_of
from eventcoder.where._gazetteer import Gazetteer
from eventcoder.where._words import FACILITY_NOUNS, NAME_PARTICLES, PLACE_NOUNS, PLACE_OBJECT_VERBS, clean_name

__all__ = ["LocationRanker", "PlaceOption", "fit_ranker", "place_options"]

FEATURE_VERSION = 2  # bump when the features change: weights built for other features refuse to load
_MODEL_PATH = Path(__file__).resolve().parent / "data" / "location_ranker.json"

# Entity labels whose words may name the event's place (the small model tags many villages as PERSON or ORG).
CANDIDATE_LABELS = frozenset({"GPE", "LOC", "FAC", "ORG", "PERSON", "NORP"})
_RUN_PARTICLES = NAME_PARTICLES | {"of"}  # inside a run of names: "Gulf of Aden"


@dataclass(frozen=True, slots=True)
class PlaceOption:
    """One name of the sentence that may be the event's place, with its features."""

    span: Span
    features: tuple[str, ...]


def _proper_runs(sent: Span, covered: set[int]) -> list[Span]:
    """Runs of capitalised proper nouns (with name particles inside) outside any entity."""
    runs: list[Span] = []
    doc = sent.doc
    i = sent.start
    while i < sent.end:
        tok = doc[i]
        if tok.pos_ == "PROPN" and tok.i not in covered and tok.text[:1].isupper():
            j = i + 1
            while j < sent.end and doc[j].i not in covered:
                if doc[j].pos_ == "PROPN" and doc[j].dep_ != "poss" and doc[j - 1].tag_ != "POS":
                    j += 1
                    continue
                k = j  # particles inside a name, several in a row too: "Mazar-e-Sharif", "Ain el-Helweh"
                while k < min(j + 3, sent.end) and doc[k].lower_ in _RUN_PARTICLES and doc[k].i not in covered:
                    k += 1
                if k == j or k >= sent.end or doc[k].pos_ != "PROPN" or doc[k].i in covered:
                    break
                j = k
            runs.append(clean_name(doc[i:j]))
            i = j
        else:
            i += 1
    return runs


def _ancestors(token: Token) -> list[Token]:
    chain = [token]
    while chain[-1].head.i != chain[-1].i and len(chain) < 40:
        chain.append(chain[-1].head)
    return chain


def _path(trigger: Token, target: Token) -> tuple[int, int, list[str], list[Token]]:
    """Steps up from the trigger, steps down to the target, the labels on the way, the tokens passed."""
    up = _ancestors(trigger)
    down = _ancestors(target)
    down_index = {t.i: k for k, t in enumerate(down)}
    for k, tok in enumerate(up):
        if tok.i in down_index:
            d = down_index[tok.i]
            labels = ["^" + _step(t) for t in up[:k]] + ["v" + _step(t) for t in reversed(down[:d])]
            return k, d, labels, up[1:k] + list(reversed(down[1:d]))
    return len(up), len(down), ["far"], []


def _step(token: Token) -> str:
    """A path step: the relation, with the word itself for prepositions ("prep:in")."""
    return f"{token.dep_}:{token.lower_}" if token.dep_ in ("prep", "agent") else token.dep_


def _words(name: str, words: str) -> str:
    """A feature on the words around a name, hashed: the weights file keeps numbers, not the training text."""
    return f"{name}#{zlib.crc32(words.encode('utf-8')) & 0xFFFFF:05x}"


def _bucket(n: int) -> str:
    for limit in (1, 2, 4, 8, 16):
        if n <= limit:
            return str(limit)
    return "more"


def _governing_prep(token: Token) -> Token | None:
    """The preposition above a name ("in" for "in Vilnius", "in" for "in the town of X" at X)."""
    tok = token
    for _ in range(4):
        if tok.dep_ == "pobj" and tok.head.dep_ in ("prep", "agent", "dative"):
            if tok.head.lower_ == "of" and tok.head.head.dep_ == "pobj":
                tok = tok.head.head  # "the town of X": the preposition of "town"
                continue
            return tok.head
        if tok.dep_ in ("compound", "appos", "conj", "poss", "nmod", "amod"):
            tok = tok.head
            continue
        return None
    return None


def _option_features(trigger: Token, span: Span, label: str, gazetteer: Gazetteer | None,
                     rule_span: Span | None, found: set[tuple[int, int]], rank: int) -> tuple[str, ...]:
    root = span.root
    ups, downs, labels, passed = _path(trigger, root)
    feats = ["bias", f"label={label}", f"ups={min(ups, 4)}", f"downs={min(downs, 5)}",
             f"updown={min(ups, 4)}.{min(downs, 5)}", f"dep={root.dep_}", f"rank={min(rank, 4)}"]
    path = "".join(labels[:5])
    up_path = "".join(x for x in labels[:ups][:3])
    down_path = "".join(x for x in labels[ups:][-3:])
    feats += [f"path={path}", f"up={up_path}", f"down={down_path}", f"up={up_path}&label={label}",
              f"down={down_path}&label={label}"]
    verbs_between = sum(1 for t in passed if t.pos_ in ("VERB", "AUX"))
    feats.append(f"verbs_between={min(verbs_between, 3)}")
    side = "before" if span.end <= trigger.i else "after"
    dist = trigger.i - span.end + 1 if side == "before" else span.start - trigger.i
    feats += [f"side={side}", f"dist={side}{_bucket(dist)}"]
    prep = _governing_prep(root)
    prep_word = prep.lower_ if prep is not None else "none"
    feats += [f"prep={prep_word}", f"prep={prep_word}&label={label}", f"prep={prep_word}&side={side}",
              f"prep={prep_word}&ups={min(ups, 3)}", f"path={path}&label={label}"]
    if prep is not None:
        head = prep.head
        feats.append(f"prep_head={'trigger' if head.i == trigger.i else head.pos_}")
        feats.append(f"prep={prep_word}&head={'trigger' if head.i == trigger.i else head.pos_}")
        if head.lemma_.lower() in PLACE_NOUNS:
            feats.append("prep_head_placenoun")
        if head.i != trigger.i:
            feats.append(_words(f"prep={prep_word}&head_word", head.lemma_.lower()))
    last = span[-1].lower_
    if last in FACILITY_NOUNS:
        feats.append("facility_word")
    elif last in PLACE_NOUNS:
        feats.append("place_word")
    if root.head.lower_ in PLACE_NOUNS and root.dep_ in ("compound", "pobj"):
        feats.append(f"names_placenoun={root.dep_}")
    kind = "unknown"
    if gazetteer is not None:
        place = gazetteer.lookup_place(span.text)
        if place is not None:
            kind = place.kind
            if kind == "city":
                feats.append(f"population={'large' if place.population >= 1_000_000 else 'small'}")
    feats.append(f"words={min(len(span), 3)}&label={label}")
    doc = span.doc
    feats.append(_words("prev_word", doc[span.start - 1].lower_ if span.start > 0 else "<s>"))
    feats.append(_words("next_word", doc[span.end].lower_ if span.end < len(doc) else "</s>"))
    if span.start > 1:
        feats.append(_words("prev_words", f"{doc[span.start - 2].lower_} {doc[span.start - 1].lower_}"))
    if span.end + 1 < len(doc):
        feats.append(_words("next_words", f"{doc[span.end].lower_} {doc[span.end + 1].lower_}"))
    feats += [f"kind={kind}", f"kind={kind}&label={label}", f"kind={kind}&prep={prep_word}"]
    if rule_span is not None and (span.start, span.end) == (rule_span.start, rule_span.end):
        feats.append("rule_pick")
    elif rule_span is not None and span.start < rule_span.end and rule_span.start < span.end:
        feats.append("rule_overlap")
    if (span.start, span.end) in found:
        feats.append("rule_found")
    if root.dep_ in ("nsubj", "nsubjpass") and root.head.i == trigger.i:
        feats.append("subject_of_trigger")
    anchor = _anchor(root)
    if anchor.head.i != trigger.i and anchor.head.i != anchor.i:
        feats.append(_words(f"attach={anchor.dep_}", anchor.head.lemma_.lower()))
    if anchor.dep_ in ("dobj", "nsubjpass") and anchor.head.i == trigger.i and trigger.lemma_ in PLACE_OBJECT_VERBS:
        feats += ["object_of_place_verb", f"object_of_place_verb&kind={kind}"]
    if root.dep_ == "poss" or (len(span) and span.doc[span.end - 1].tag_ == "POS") or (
            span.end < len(span.doc) and span.doc[span.end].tag_ == "POS"):
        feats.append("possessive")
    if span.text.isupper() and len(span.text) <= 5:
        feats.append("acronym")
    feats += [f"prep={prep_word}&kind={kind}&updown={min(ups, 2)}.{min(downs, 3)}",
              f"label={label}&kind={kind}&side={side}&dist={_bucket(dist)}"]
    lemma = trigger.lemma_.lower()
    feats += [f"lemma={lemma}&prep={prep_word}", f"lemma={lemma}&dep={root.dep_}",
              f"lemma={lemma}&updown={min(ups, 2)}.{min(downs, 3)}", f"tag={trigger.tag_}&prep={prep_word}"]
    if any(t.i == root.i for t in trigger.subtree):
        feats += ["in_subtree", f"in_subtree&label={label}"]
    elif trigger.head.i != trigger.i and any(t.i == root.i for t in trigger.head.subtree):
        feats.append("in_head_subtree")
    return tuple(feats)


def place_options(trigger: Token, gazetteer: Gazetteer | None = None,
                  rule_span: Span | None = None, found: Iterable[Span] = ()) -> list[PlaceOption]:
    """Every name of the trigger's sentence that may be its place, nearest first, with features.

    ``rule_span`` is the place the parse rules chose (or None), ``found`` every place they saw.
    """
    sent = sentence_of(trigger)
    spans: dict[tuple[int, int], tuple[Span, str]] = {}
    covered: set[int] = set()
    clause = _time_clause(trigger)
    lo, hi = (clause.left_edge.i, clause.right_edge.i + 1) if clause is not None else (sent.start, sent.end)

    def add(span: Span, label: str) -> None:
        if not (span.start <= trigger.i < span.end) and lo <= span.start and span.end <= hi:
            spans.setdefault((span.start, span.end), (span, label))

    for ent in entities_in(sent):
        whole = _hyphen_joined(ent, sent)
        covered.update(range(whole.start, whole.end))
        if ent.label_ in CANDIDATE_LABELS:
            add(clean_name(whole), ent.label_)
    for span in _proper_runs(sent, covered):
        add(span, "PROPN")
    for span in (rule_span, *found):
        if span is not None:
            add(span, "RULE")
    found_keys = {(s.start, s.end) for s in found}
    ordered = sorted(spans.values(), key=lambda item: (abs(item[0].root.i - trigger.i), item[0].start))
    options = []
    for rank, (span, label) in enumerate(ordered):
        feats = _option_features(trigger, span, label, gazetteer, rule_span, found_keys, rank)
        options.append(PlaceOption(span, feats + _relations(span, [s for s, _ in ordered], feats)))
    return options


def _hyphen_joined(span: Span, sent: Span) -> Span:
    """The span grown over hyphens written without spaces: the tagger's "Mazar" in "Mazar-e-Sharif"."""
    doc = span.doc
    start, end = span.start, span.end
    while (end + 1 < sent.end and doc[end].text == "-" and not doc[end - 1].whitespace_
           and not doc[end].whitespace_ and doc[end + 1].is_alpha):
        end += 2
    while (start - 2 >= sent.start and doc[start - 1].text == "-" and not doc[start - 2].whitespace_
           and not doc[start - 1].whitespace_ and doc[start - 2].is_alpha):
        start -= 2
    return doc[start:end]


def _time_clause(trigger: Token) -> Token | None:
    """The relative clause of a date the trigger is in ("since 2007, when Abe visited NATO"), if any.

    Such a clause tells of another time, and so of another event: the places of the sentence around it
    are not its places.
    """
    for tok in _ancestors(trigger)[:4]:
        if tok.dep_ in ("relcl", "advcl") and tok.head.ent_type_ in ("DATE", "TIME") and tok.head.i < tok.i:
            return tok
    return None


def _anchor(token: Token) -> Token:
    """The noun a name modifies, if any: "Wase" in "Wase local government area" stands for "area"."""
    while token.dep_ in ("compound", "nmod", "amod") and token.head.pos_ in ("NOUN", "PROPN") and token.head.i > token.i:
        token = token.head
    return token


def _relations(span: Span, spans: Sequence[Span], feats: tuple[str, ...]) -> tuple[str, ...]:
    """How a name sits among the others: "the Karrada district of Baghdad" puts Baghdad below Karrada."""
    root = _anchor(span.root)
    below = above = False
    for other in spans:
        if other is span or (other.start < span.end and span.start < other.end):
            continue
        other_root = _anchor(other.root)
        if root.is_ancestor(other_root):
            below = True
        elif other_root.is_ancestor(root):
            above = True
    out = []
    if below:
        out += ["has_place_below", *(f"has_place_below&{f}" for f in feats if f.startswith(("kind=", "prep=")) and "&" not in f)]
    if above:
        out += ["has_place_above", *(f"has_place_above&{f}" for f in feats if f.startswith(("kind=", "prep=")) and "&" not in f)]
    return tuple(out)


def none_features(trigger: Token, options: Sequence[PlaceOption], rule_span: Span | None) -> tuple[str, ...]:
    """Features of the "no place" option."""
    feats = ["none", f"none&options={min(len(options), 4)}", f"none&tag={trigger.tag_}",
             f"none&dep={trigger.dep_}"]
    if rule_span is None:
        feats.append("none&rule_none")
    places = sum(1 for o in options if "label=GPE" in o.features or "label=LOC" in o.features
                 or "label=FAC" in o.features)
    feats += [f"none&places={min(places, 3)}", f"none&lemma={trigger.lemma_.lower()}",
              f"none&has_in={any(c.dep_ == 'prep' and c.lower_ in ('in', 'at', 'near') for c in trigger.children)}",
              _words("none&head", trigger.head.lemma_.lower() if trigger.head.i != trigger.i else "<root>"),
              _words("none&prev_word", trigger.nbor(-1).lower_ if trigger.i > 0 else "<s>")]
    return tuple(feats)


class LocationRanker:
    """Scores an event's place options; the best one, or None when "no place" scores higher."""

    def __init__(self, weights: dict[str, float], none_offset: float = 0.0) -> None:
        self.weights = weights
        self.none_offset = none_offset

    def score(self, features: Iterable[str]) -> float:
        w = self.weights
        return sum(w.get(f, 0.0) for f in features)

    def choose(self, trigger: Token, options: Sequence[PlaceOption], rule_span: Span | None) -> Span | None:
        if not options:
            return None
        best = max(options, key=lambda o: self.score(o.features))
        none = self.score(none_features(trigger, options, rule_span)) + self.none_offset
        return best.span if self.score(best.features) > none else None

    # -- persistence -------------------------------------------------------------------------------
    def to_json(self, path: Path, metadata: dict[str, Any]) -> None:
        body = {"_doc": "Weights of eventcoder's event-location ranker (eventcoder.where._ranker); "
                        "see training/LOCATION_MODEL_CARD.md for what it was trained on.",
                "feature_version": FEATURE_VERSION, "none_offset": self.none_offset, **metadata,
                "weights": {k: round(v, 5) for k, v in sorted(self.weights.items()) if abs(v) >= 1e-5}}
        path.write_text(json.dumps(body, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def from_json(cls, path: Path) -> LocationRanker | None:
        try:
            body = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if body.get("feature_version") != FEATURE_VERSION:
            return None
        return cls({k: float(v) for k, v in body["weights"].items()}, float(body.get("none_offset", 0.0)))


@lru_cache(maxsize=1)
def default_ranker() -> LocationRanker | None:
    """The shipped ranker, or None when its weights are missing (the parse rules then decide alone)."""
    return LocationRanker.from_json(_MODEL_PATH)


def fit_ranker(groups: Sequence[Sequence[tuple[str, ...]]], golds: Sequence[Sequence[int]],
               l2: float = 1e-3, steps: int = 300, lr: float = 0.1, min_count: int = 2) -> LocationRanker:
    """Train the conditional logit on groups of options.

    ``groups[i]`` is the feature tuples of example i's options, the "no place" option LAST; ``golds[i]`` the
    indexes of its right options (several when several names are right). Full-batch Adam on the mean
    negative log of the right options' summed probability, with an L2 penalty.
    """
    counts: dict[str, int] = {}
    for group in groups:
        for feats in group:
            for f in set(feats):
                counts[f] = counts.get(f, 0) + 1
    vocab = {f: k for k, f in enumerate(sorted(f for f, c in counts.items() if c >= min_count))}
    rows: list[int] = []
    cols: list[int] = []
    group_of: list[int] = []
    gold_rows: list[int] = []
    row = 0
    for g, (group, gold) in enumerate(zip(groups, golds)):
        right = set(gold)
        for k, feats in enumerate(group):
            for f in set(feats):
                if f in vocab:
                    rows.append(row)
                    cols.append(vocab[f])
            group_of.append(g)
            if k in right:
                gold_rows.append(row)
            row += 1
    r = np.asarray(rows, np.int64)
    c = np.asarray(cols, np.int64)
    grp = np.asarray(group_of, np.int64)
    is_gold = np.zeros(row, bool)
    is_gold[gold_rows] = True
    n_groups = len(groups)
    w = np.zeros(len(vocab))
    m1 = np.zeros_like(w)
    m2 = np.zeros_like(w)
    for step in range(1, steps + 1):
        s = np.zeros(row)
        np.add.at(s, r, w[c])
        gmax = np.full(n_groups, -np.inf)
        np.maximum.at(gmax, grp, s)
        e = np.exp(s - gmax[grp])
        z = np.zeros(n_groups)
        np.add.at(z, grp, e)
        zg = np.zeros(n_groups)
        np.add.at(zg, grp, np.where(is_gold, e, 0.0))
        p = e / z[grp]
        q = np.where(is_gold, e / np.maximum(zg[grp], 1e-300), 0.0)
        d_row = (p - q) / n_groups  # gradient of the mean loss with respect to each option's score
        grad = np.zeros_like(w)
        np.add.at(grad, c, d_row[r])
        grad += l2 * w
        m1 = 0.9 * m1 + 0.1 * grad
        m2 = 0.999 * m2 + 0.001 * grad * grad
        w -= lr * (m1 / (1 - 0.9**step)) / (np.sqrt(m2 / (1 - 0.999**step)) + 1e-8)
    names = sorted(vocab, key=vocab.get)
    return LocationRanker({f: float(w[k]) for k, f in enumerate(names) if math.isfinite(w[k])})
