"""Tests for eventcoder.where._ranker: the learned choice of an event's place among the names of its sentence."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from eventcoder.where import Gazetteer, get_gazetteer, resolve_event_location
from eventcoder.where._ranker import (
    FEATURE_VERSION,
    LocationRanker,
    default_ranker,
    fit_ranker,
    none_features,
    place_options,
)
from eventcoder.where._resolve import rule_place

REPO = Path(__file__).resolve().parents[1]
DEV = REPO.parent / "shared" / "data" / "gold" / "event_location_dev.jsonl"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return get_gazetteer()


def _token(doc, word):  # type: ignore[no-untyped-def]
    return next(t for t in doc if t.text == word)


def test_shipped_weights_load() -> None:
    ranker = default_ranker()
    assert ranker is not None
    assert len(ranker.weights) > 1000
    # the parse rules' own pick is a strong clue, a name far up a reporting clause a weak one
    assert ranker.weights["rule_pick"] > 0


def test_options_cover_names_the_model_does_not_tag_as_places(nlp, gazetteer: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Twelve people were killed when a car bomb exploded in the Karrada district of Baghdad on Sunday.")
    trigger = _token(doc, "killed")
    span, seen = rule_place(trigger, gazetteer)
    options = place_options(trigger, gazetteer, span, seen)
    texts = [o.span.text for o in options]
    assert "Karrada" in texts and "Baghdad" in texts
    assert "Sunday" not in texts  # a DATE entity is never a place option
    karrada = next(o for o in options if o.span.text == "Karrada")
    assert "has_place_below" in karrada.features  # "Karrada district of Baghdad"
    assert any(f.startswith("path=") for f in karrada.features)
    assert none_features(trigger, options, span)[0] == "none"


def test_words_around_a_name_are_features_but_not_kept_as_text(nlp, gazetteer: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Gunmen attacked a checkpoint outside the town of Bama on Monday.")
    trigger = _token(doc, "attacked")
    bama = next(o for o in place_options(trigger, gazetteer) if o.span.text == "Bama")
    word_features = [f for f in bama.features if f.startswith(("prev_word", "next_word", "prep=outside&head_word"))]
    assert len(word_features) >= 4  # "of", "the town of", "on", "on Monday", and the noun "town"
    assert not any(w in f for f in bama.features for w in ("town of", "monday", "prev_word=of"))


def test_a_name_with_inner_particles_is_one_option(nlp, gazetteer: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("The Taliban overran the city of Mazar-e-Sharif last month.")
    texts = [o.span.text for o in place_options(_token(doc, "overran"), gazetteer)]
    assert "Mazar-e-Sharif" in texts


def test_a_relative_clause_of_a_date_keeps_the_places_of_its_own_clause(nlp, gazetteer: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("An office in Japan has been discussed since 2007, when Abe visited the alliance's headquarters.")
    texts = [o.span.text for o in place_options(_token(doc, "visited"), gazetteer)]
    assert "Japan" not in texts  # the office in Japan is another time's matter
    doc = nlp("Troops entered Kupres in 1995, when the army shelled Sarajevo.")
    texts = [o.span.text for o in place_options(_token(doc, "shelled"), gazetteer)]
    assert texts == ["Sarajevo"]


@pytest.mark.parametrize(
    ("sentence", "trigger", "expected"),
    [
        # places the parse rules alone miss
        ("Twelve people were killed when a car bomb exploded in the Karrada district of Baghdad on Sunday.",
         "killed", "Karrada"),
        ("Rebels captured Goma after a week of fighting.", "captured", "Goma"),
        ("The president visited Kyiv on Monday, his first trip since the war began.", "visited", "Kyiv"),
        # and the ones they find
        ("Police arrested three men at a checkpoint outside Jalalabad on Friday.", "arrested", "Jalalabad"),
        ("Two soldiers were shot dead in an ambush near the border town of Chaman.", "shot", "Chaman"),
        ("A suicide bomber killed 14 people at a market in Maiduguri, the capital of Borno State.", "killed",
         "Maiduguri"),
        ("Israeli aircraft struck targets in Khan Younis overnight.", "struck", "Khan Younis"),
        ("Protesters marched through central Nairobi demanding the resignation of the governor.", "marched",
         "Nairobi"),
    ],
)
def test_ranker_places(nlp, gazetteer: Gazetteer, sentence: str, trigger: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    location = resolve_event_location(_token(nlp(sentence), trigger), (), gazetteer)
    assert location is not None and location.text == expected


@pytest.mark.parametrize(
    ("sentence", "trigger"),
    [
        ("Paris has refused to back the plan, a French official said.", "refused"),
        ("The minister, who was born in Lagos, condemned the attack.", "condemned"),
        ("Turkey accused Greece of violating its airspace.", "accused"),
        ("Japan's office was closed.", "closed"),
    ],
)
def test_ranker_gives_no_place(nlp, gazetteer: Gazetteer, sentence: str, trigger: str) -> None:  # type: ignore[no-untyped-def]
    assert resolve_event_location(_token(nlp(sentence), trigger), (), gazetteer) is None


def test_rules_only_path(nlp, gazetteer: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Rebels captured Goma after a week of fighting.")
    trigger = _token(doc, "captured")
    assert resolve_event_location(trigger, (), gazetteer, ranker=False) == (
        None if rule_place(trigger, gazetteer)[0] is None else resolve_event_location(trigger, (), gazetteer, ranker=False)
    )
    assert resolve_event_location(trigger, (), gazetteer, ranker=LocationRanker({"none": 5.0})) is None


def test_fit_learns_which_option_is_right() -> None:
    # option features: the right one always has "in", the wrong one "subject"; "no place" is right when only
    # a subject is on offer
    groups = [[("bias", "prep=in"), ("bias", "subject"), ("none",)]] * 20 + [[("bias", "subject"), ("none",)]] * 20
    golds = [[0]] * 20 + [[1]] * 20
    model = fit_ranker(groups, golds, min_count=1)
    assert model.score(("bias", "prep=in")) > model.score(("none",)) > model.score(("bias", "subject"))


def test_weights_round_trip_and_version_check(tmp_path: Path) -> None:
    ranker = LocationRanker({"a": 1.5, "b": -0.25}, none_offset=0.1)
    path = tmp_path / "ranker.json"
    ranker.to_json(path, {"trained_on": "a test"})
    again = LocationRanker.from_json(path)
    assert again is not None and again.weights == {"a": 1.5, "b": -0.25} and again.none_offset == 0.1
    body = json.loads(path.read_text())
    body["feature_version"] = FEATURE_VERSION + 1
    path.write_text(json.dumps(body))
    assert LocationRanker.from_json(path) is None  # weights for other features are refused
    assert LocationRanker.from_json(tmp_path / "missing.json") is None


@pytest.mark.slow
def test_ranker_beats_the_rules_on_records_it_was_not_trained_on(nlp, gazetteer: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    """Train on dev records 400-4399 with the training script's code, score the first 400 held out."""
    if not DEV.exists():
        pytest.skip(f"shared data not found at {DEV}")
    sys.path.insert(0, str(REPO / "training"))
    sys.path.insert(0, str(REPO / "benchmarks"))
    import train_location as T  # type: ignore[import-not-found]

    with DEV.open(encoding="utf-8") as handle:
        records = [json.loads(line) for _, line in zip(range(4400), handle)]
    docs = list(nlp.pipe((r["text"] for r in records), batch_size=64))
    test, train = T.examples(records[:400], docs[:400], gazetteer), T.examples(records[400:], docs[400:], gazetteer)
    model = fit_ranker(*T.groups_of(train))
    held_out = T.rates(test, T.margins(model, test), 0.0, gazetteer)
    rules = T.rates(test, [(None, -1.0) if ex["options"] == [] else _rule_margin(ex) for ex in test], 0.0, gazetteer)
    assert held_out[0] >= rules[0] + 0.05  # more events placed right than by the rules alone
    assert held_out[1] >= 0.78  # and "no place" still given to most events that have none


def _rule_margin(example):  # type: ignore[no-untyped-def]
    """The rules' choice in the (option, margin) form of train_location.rates: their pick, or none."""
    pick = next((o for o in example["options"] if "rule_pick" in o.features), None)
    return (pick, 1.0) if pick is not None else (None, -1.0)
