"""Tests for eventcoder.evaluate: the scoring protocol's actor match and main-event scoring."""

from __future__ import annotations

import json

from eventcoder.evaluate import load_gold, score_records
from eventcoder.evaluate._score import actor_matches


def test_text_actors_match_on_a_shared_content_word() -> None:
    assert actor_matches([{"text": "Indian military", "code": None}], [{"text": "the Indian army"}])
    assert actor_matches([{"text": "the government", "code": None}], [{"text": "The government's"}])
    assert not actor_matches([{"text": "Israeli military", "code": None}], [{"text": "it"}])


def test_dotted_acronyms_are_words() -> None:
    # "U.S." has no content word of two letters unless its dots are dropped
    assert actor_matches([{"text": "U.S.", "code": None}], [{"text": "The U.S."}])
    assert actor_matches([{"text": "U.N.", "code": None}], [{"text": "the UN"}])
    assert not actor_matches([{"text": "U.S.", "code": None}], [{"text": "the U.K."}])


def test_coded_actors_match_on_their_first_three_letters() -> None:
    assert actor_matches([{"text": None, "code": "FRAGOV"}], [{"text": "Paris", "code": "FRAGOV", "country": "FRA"}])
    assert actor_matches([{"text": None, "code": "FRA"}], [{"text": "Macron", "code": "---GOV", "country": "FRA"}])
    assert not actor_matches([{"text": None, "code": "FRA"}], [{"text": "Berlin", "code": "DEUGOV"}])
    assert actor_matches([], [{"text": "anyone"}])  # an empty gold side matches anything


def test_main_event_dyad_accuracy() -> None:
    records = [{"id": "r1", "annotation": "main_event", "events": [
        {"source": [{"text": "U.S.", "code": None}], "target": [{"text": "Iran", "code": None}],
         "plover": "SANCTION", "cameo_root": "16", "quad": 3}]}]
    good = {"r1": [{"plover": "SANCTION", "cameo_root": "16", "quad_class": 3, "confidence": 0.9,
                    "source": [{"text": "The U.S."}], "target": [{"text": "Iran"}]}]}
    wrong_side = {"r1": [{"plover": "SANCTION", "cameo_root": "16", "quad_class": 3, "confidence": 0.9,
                          "source": [{"text": "Iran"}], "target": [{"text": "The U.S."}]}]}
    assert score_records("t", records, good).tables["plover"]["main_dyad_accuracy"] == 1.0
    assert score_records("t", records, wrong_side).tables["plover"]["main_dyad_accuracy"] == 0.0


def _row(target: str, start: int = 10) -> dict:
    return {"plover": "CONSULT", "cameo_root": "04", "quad_class": 1, "confidence": 0.8, "sentence_index": 0,
            "trigger_span": [start, start + 7], "source": [{"text": "NATO", "code": "IGO"}],
            "target": [{"text": target, "code": target}]}


def test_the_rows_of_one_event_mention_count_as_one_prediction_against_grouped_gold() -> None:
    # "NATO invited Japan and Australia": the coder writes a row per target, the gold one event with both
    grouped = [{"id": "r1", "annotation": "exhaustive", "events": [
        {"source": [{"text": "NATO", "code": "IGO"}], "target": [{"text": "Japan", "code": "JPN"},
                                                                 {"text": "Australia", "code": "AUS"}],
         "plover": "CONSULT", "cameo_root": "04", "quad": 1}]}]
    rows = {"r1": [_row("JPN"), _row("AUS")]}
    table = score_records("t", grouped, rows).tables["plover"]
    assert (table["dyad_precision"], table["dyad_recall"], table["predicted"], table["predicted_rows"]) == (1.0, 1.0, 1, 2)
    # a gold set with one event per target matches each row
    per_actor = [{"id": "r1", "annotation": "exhaustive", "events": [
        {**grouped[0]["events"][0], "target": [{"text": "Japan", "code": "JPN"}]},
        {**grouped[0]["events"][0], "target": [{"text": "Australia", "code": "AUS"}]}]}]
    table = score_records("t", per_actor, rows).tables["plover"]
    assert (table["dyad_precision"], table["dyad_recall"]) == (1.0, 1.0)
    # two triggers are two predictions, even of one type
    table = score_records("t", grouped, {"r1": [_row("JPN"), _row("AUS", start=40)]}).tables["plover"]
    assert table["dyad_precision"] == 0.5


def test_records_sharing_an_id_are_coded_and_scored_apart(tmp_path) -> None:
    gold = tmp_path / "g.jsonl"
    event = {"source": [{"text": "Israel", "code": "ISR"}], "target": [], "plover": "COERCE"}
    gold.write_text("\n".join(json.dumps(r) for r in [
        {"id": "x", "text": "Rebels blew up power lines.", "annotation": "exhaustive", "events": [event]},
        {"id": "x", "text": "Israel reimposed a blockade.", "annotation": "exhaustive", "events": [event]},
    ]) + "\n", encoding="utf-8")
    assert [r["id"] for r in load_gold(gold)] == ["x", "x#2"]


def test_a_side_written_as_its_slot_name_is_empty() -> None:
    # "recipient" for an event with no recipient matches any target; the word in the text stays a real actor
    def record(text: str) -> dict:
        return {"id": "r1", "text": text, "annotation": "main_event", "events": [
            {"source": [{"text": "UN officials", "code": None}], "target": [{"text": "recipient", "code": None}],
             "plover": "ACCUSE", "quad": 3}]}

    pred = {"r1": [{"plover": "ACCUSE", "quad_class": 3, "confidence": 0.8, "source": [{"text": "UN officials"}],
                    "target": []}]}
    assert score_records("t", [record("UN officials complained.")], pred).tables["plover"]["main_dyad_accuracy"] == 1.0
    named = record("UN officials complained about the recipient of the funds.")
    assert score_records("t", [named], pred).tables["plover"]["main_dyad_accuracy"] == 0.0
