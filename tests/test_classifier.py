"""Tests for the statistical event-type classifier (eventcoder.events._classifier)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest

from eventcoder.events._classifier import (
    PLOVER_LABELS,
    ROOT_LABELS,
    EventTypeClassifier,
    FitConfig,
    featurise,
    fit,
    hashed_features,
    span_features,
)

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "src" / "eventcoder" / "events" / "data"
TEAM = REPO / "training" / "sentences_team.jsonl"


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    from eventcoder.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="module")
def clf() -> EventTypeClassifier:
    return EventTypeClassifier.load()


def _span(nlp, text: str):  # type: ignore[no-untyped-def]
    return nlp(text)[:]


# ------------------------------------------------------------------------------------- shipped model

def test_shipped_model_loads_and_is_cached(clf: EventTypeClassifier) -> None:
    assert EventTypeClassifier.load() is clf
    assert clf.plover_labels == PLOVER_LABELS
    assert clf.root_labels == ROOT_LABELS
    assert clf.weights.shape == (len(clf.buckets), len(PLOVER_LABELS) + len(ROOT_LABELS))
    assert (DATA / "classifier.npz").stat().st_size < 5_000_000
    meta = json.loads((DATA / "classifier.json").read_text(encoding="utf-8"))
    assert meta["plover_labels"][-1] == "NONE" and meta["n_bits"] == clf.n_bits
    assert all(t > 0 for t in clf.temperature)


def test_probabilities_are_distributions(nlp, clf: EventTypeClassifier) -> None:
    span = _span(nlp, "Russia and Ukraine exchanged prisoners on Friday.")
    p, r = clf.predict(span)
    assert list(p) == list(PLOVER_LABELS) and list(r) == list(ROOT_LABELS)
    assert abs(sum(p.values()) - 1) < 1e-4 and abs(sum(r.values()) - 1) < 1e-4
    assert all(0 <= v <= 1 for v in [*p.values(), *r.values()])


@pytest.mark.parametrize("text", [
    "Gunmen attacked a police station in the north, killing five officers.",
    "Militants opened fire on a bus carrying pilgrims near the border.",
])
def test_attack_is_assault(nlp, clf: EventTypeClassifier, text: str) -> None:
    span = _span(nlp, text)
    top2 = [label for label, _ in clf.top(span, 2)]
    assert "ASSAULT" in top2
    roots = clf.predict_root(span)
    assert max(roots, key=roots.get) in {"18", "19", "20"}  # type: ignore[arg-type]


def test_protest(nlp, clf: EventTypeClassifier) -> None:
    span = _span(nlp, "Thousands of people protested in the capital against the new tax law.")
    assert clf.top(span, 1)[0][0] == "PROTEST"


@pytest.mark.parametrize("text", ["The weather was sunny.", "The home side won the cup final 2-1 on Sunday."])
def test_no_event_is_none(nlp, clf: EventTypeClassifier, text: str) -> None:
    span = _span(nlp, text)
    assert clf.top(span, 1)[0][0] == "NONE"
    roots = clf.predict_root(span)
    assert max(roots, key=roots.get) == "NONE"  # type: ignore[arg-type]


def test_sentence_spans_of_one_doc(nlp, clf: EventTypeClassifier) -> None:
    doc = nlp("Police arrested 40 protesters in the capital. The weather was sunny.")
    first, second = list(doc.sents)
    assert clf.top(first, 1)[0][0] == "COERCE"
    assert clf.top(second, 1)[0][0] == "NONE"
    # the per-span cache must not leak one sentence's answer into the other
    assert clf.predict_span(first) != clf.predict_span(second)


def test_deterministic(nlp, clf: EventTypeClassifier) -> None:
    text = "China accused the United States of interfering in its internal affairs."
    a = clf.predict(_span(nlp, text))
    b = clf.predict(_span(nlp, text))
    assert a == b
    other = EventTypeClassifier.load(DATA / "classifier")  # a second, uncached instance
    assert other is not clf
    assert other.predict(_span(nlp, text)) == a
    assert span_features(_span(nlp, text)) == span_features(_span(nlp, text))
    assert hashed_features(nlp(text), 20) == hashed_features(_span(nlp, text), 20)


def test_fast_enough(nlp, clf: EventTypeClassifier) -> None:
    texts = ["The foreign ministers of France and Germany met in Berlin on Monday to discuss the crisis.",
             "Police arrested 40 protesters after clashes outside the parliament building late on Tuesday."] * 50
    spans = [d[:] for d in nlp.pipe(texts)]
    t0 = time.process_time()
    for s in spans:
        clf._cache = None
        clf.predict(s)
    per_sentence = (time.process_time() - t0) / len(spans)
    assert per_sentence < 1e-3  # about 0.1-0.2 ms on one core; generous for busy machines


# ------------------------------------------------------------------------------------- training

_SYNTH = {
    "ASSAULT": ["{a} attacked {b}.", "{a} bombed {b}.", "{a} shelled {b} overnight.", "{a} raided and attacked {b}."],
    "CONSULT": ["{a} met {b}.", "{a} held talks with {b}.", "{a} visited {b}.", "{a} and {b} met for talks."],
    "NONE": ["The weather in {a} was {w}.", "It was {w} in {a} all week.", "{a} had a {w} weekend.",
             "Skies over {a} were {w}."],
}
_A = ["Russia", "France", "Kenya", "Brazil", "Japan", "Egypt"]
_B = ["Ukraine", "Germany", "Somalia", "Chile", "India", "Libya"]
_W = ["sunny", "rainy", "cold", "warm", "windy", "cloudy"]


def _synthetic(nlp, which: slice):  # type: ignore[no-untyped-def]
    texts, labels = [], []
    for label, templates in _SYNTH.items():
        for i, (a, b, w) in enumerate(list(zip(_A, _B, _W))[which]):
            for t in templates:
                texts.append(t.format(a=a, b=b, w=w))
                labels.append(label)
    return [d[:] for d in nlp.pipe(texts)], labels


def test_training_learns_a_tiny_set(nlp) -> None:
    spans, labels = _synthetic(nlp, slice(0, 4))
    buckets, dense = featurise(spans, n_bits=18, dense_width=0)
    assert dense is None
    pm = np.zeros((len(spans), len(PLOVER_LABELS)), bool)
    rm = np.zeros((len(spans), len(ROOT_LABELS)), bool)
    root_of = {"ASSAULT": "19", "CONSULT": "04", "NONE": "NONE"}
    for i, lab in enumerate(labels):
        pm[i, PLOVER_LABELS.index(lab)] = True
        rm[i, ROOT_LABELS.index(root_of[lab])] = True
    t0 = time.perf_counter()
    model = fit(buckets, None, pm, rm, config=FitConfig(n_bits=18, min_df=1, epochs=30, batch_size=8))
    assert time.perf_counter() - t0 < 30
    test_spans, test_labels = _synthetic(nlp, slice(4, 6))  # unseen names and weather words
    hits = sum(model.top(s, 1)[0][0] == lab for s, lab in zip(test_spans, test_labels))
    assert hits >= 0.9 * len(test_spans)
    root = model.predict_root(test_spans[0])
    assert max(root, key=root.get) == "19"  # type: ignore[arg-type]
    # the same data and seed give the same weights
    again = fit(buckets, None, pm, rm, config=FitConfig(n_bits=18, min_df=1, epochs=30, batch_size=8))
    assert np.array_equal(model.weights, again.weights)


def test_partial_labels_and_save_load(nlp, tmp_path: Path) -> None:
    spans, labels = _synthetic(nlp, slice(0, 4))
    buckets, _ = featurise(spans, n_bits=18, dense_width=0)
    pm = np.zeros((len(spans), len(PLOVER_LABELS)), bool)
    for i, lab in enumerate(labels):
        if lab == "CONSULT":  # a partial label, like plv_train's YIELD = CONCEDE or RETREAT
            pm[i, PLOVER_LABELS.index("CONCEDE")] = pm[i, PLOVER_LABELS.index("RETREAT")] = True
        else:
            pm[i, PLOVER_LABELS.index(lab)] = True
    rm = np.zeros((len(spans), len(ROOT_LABELS)), bool)  # no root labels: that head is left untrained
    model = fit(buckets, None, pm, rm, config=FitConfig(n_bits=18, min_df=1, epochs=30, batch_size=8))
    probe = nlp("Egypt held talks with Libya.")[:]
    p = model.predict_span(probe)
    assert p["CONCEDE"] + p["RETREAT"] > 0.8
    model.save(tmp_path / "tiny")
    loaded = EventTypeClassifier.load(tmp_path / "tiny")
    q = loaded.predict_span(probe)
    assert max(abs(p[k] - q[k]) for k in p) < 5e-3  # float16 storage


# ------------------------------------------------------------------------------------- team sentences

def test_team_sentences_file() -> None:
    lines = TEAM.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#")
    rows = [json.loads(line) for line in lines if line.strip() and not line.startswith("#")]
    assert len(rows) >= 300
    assert len({r["id"] for r in rows}) == len(rows)
    assert len({r["text"] for r in rows}) == len(rows)
    assert {r["plover"] for r in rows} - {None} == set(PLOVER_LABELS)
    assert all(r["cameo_root"] in ROOT_LABELS for r in rows)
    assert all((r["plover"] == "NONE") == (r["cameo_root"] == "NONE") for r in rows)


def test_a_model_that_sees_no_event_types_re_types_nothing(rules_coder) -> None:
    # any TypeModel may answer "no event" alone (the out-of-fold stand-in of benchmarks/model_cv.py does for a
    # record it has no row for): the rules' events stay as they are
    class NoEvents:
        def predict(self, span):  # type: ignore[no-untyped-def]
            return {"NONE": 1.0}, {}

    extractor = rules_coder.extractor
    saved = extractor.classifier
    try:
        extractor.classifier = NoEvents()
        events = rules_coder.code("Russia attacked Ukraine on Monday.", "2024-05-01")
    finally:
        extractor.classifier = saved
    assert [e.plover for e in events] == ["ASSAULT"]


class _SureOf:
    """A TypeModel sure of one PLOVER type, whatever the sentence."""

    def __init__(self, plover: str) -> None:
        self.plover = plover

    def predict(self, span):  # type: ignore[no-untyped-def]
        return {self.plover: 0.95, "NONE": 0.05}, {}


@pytest.mark.parametrize(
    ("text", "model_says", "expected"),
    [
        # the model re-types a type the trigger alone gave
        ("The rebels shelled the town on Monday.", "COERCE", "COERCE"),
        # ... but not one the rules read from the verb governing the trigger: a threat is not its act, an intent
        # to aid is not aid
        ("Iran threatened to shell Iraqi towns.", "ASSAULT", "THREATEN"),
        ("The United Nations will provide food aid to refugees in Liberia.", "AID", "AGREE"),
    ],
)
def test_the_model_does_not_re_type_what_the_structure_decided(rules_coder, text: str, model_says: str,
                                                              expected: str) -> None:
    extractor = rules_coder.extractor
    saved = extractor.classifier
    try:
        extractor.classifier = _SureOf(model_says)
        events = rules_coder.code(text, "2024-05-01")
    finally:
        extractor.classifier = saved
    main = max(events, key=lambda e: e.confidence)
    assert main.plover == expected, [e.to_dict() for e in events]


def test_how_a_riot_went_is_the_riot(rules_coder) -> None:
    # "setting fire to ... and smashing ..." tells how the riot went (CAMEO 145 covers the damage): one PROTEST,
    # even where the model reads the sentence as an assault
    extractor = rules_coder.extractor
    saved = extractor.classifier
    text = ("Palestinian prisoners rioted Monday at this jail in northern Israel, setting fire to their mattresses "
            "and smashing furniture.")
    try:
        extractor.classifier = _SureOf("ASSAULT")
        events = rules_coder.code(text, "2024-05-01")
    finally:
        extractor.classifier = saved
    assert [e.plover for e in events] == ["PROTEST"], [e.to_dict() for e in events]
