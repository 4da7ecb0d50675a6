"""Tests for eventcoder.evaluate: the scoring protocol's actor match and main-event scoring."""

from __future__ import annotations

from eventcoder.evaluate import score_records
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
