"""The seed article (France blocks a NATO office in Tokyo) coded end to end, as issue 2 asks."""

from __future__ import annotations

from typing import Any

import pytest

DATE = "2023-06-07"


@pytest.fixture(scope="module")
def events(coder, seed_text) -> list[dict[str, Any]]:
    return [e.to_dict() for e in coder.code(seed_text, date=DATE, doc_id="seed")]


def _find(events: list[dict[str, Any]], source: str, target: str, roots: set[str]) -> list[dict[str, Any]]:
    return [
        e for e in events
        if any((a["code"] or "").startswith(source) for a in e["source"])
        and any((a["code"] or "").startswith(target) for a in e["target"])
        and e["cameo_root"] in roots
    ]


def test_france_rejects_nato_plan(events) -> None:
    hits = _find(events, "FRA", "IGOWSTNAT", {"11", "12"})
    assert hits, "France rejecting or opposing NATO's plan"
    assert all(e["plover"] in ("REJECT", "ACCUSE") for e in hits)


def test_japan_visits_and_attends_nato(events) -> None:
    visits = [e for e in _find(events, "JPN", "IGOWSTNAT", {"04"}) if e["plover"] == "CONSULT"]
    triggers = {e["trigger"].lower() for e in visits}
    assert any("visit" in t for t in triggers), triggers
    assert any("attend" in t for t in triggers), triggers


def test_nato_invites_four_countries_one_event_each(events) -> None:
    invited = [e for e in events if "invit" in e["trigger"].lower()
               and any(a["code"] == "IGOWSTNAT" for a in e["source"])]
    targets = sorted(a["country"] for e in invited for a in e["target"])
    assert targets == ["AUS", "JPN", "KOR", "NZL"]
    assert all(len(e["target"]) == 1 for e in invited)


def test_japans_office_in_brussels_is_dated_and_placed(events) -> None:
    # issue 5: "In 2018, Japan opened its first NATO branch office in Brussels"
    [opened] = [e for e in _find(events, "JPN", "IGOWSTNAT", {"05"}) if "opened" in e["trigger"]]
    assert (opened["date"], opened["date_precision"]) == ("2018", "year")
    place = opened["location"]
    assert (place["name"], place["country"], place["precision"]) == ("Brussels", "BEL", "city")
    assert place["lat"] is not None and place["lon"] is not None


def test_dates_and_places_of_the_other_seed_events(events) -> None:
    visit = next(e for e in _find(events, "JPN", "IGOWSTNAT", {"04"}) if "visit" in e["trigger"])
    assert (visit["date"], visit["date_precision"]) == ("2007", "year")
    summit = next(e for e in _find(events, "JPN", "IGOWSTNAT", {"04"}) if "attend" in e["trigger"])
    assert (summit["date"], summit["date_precision"]) == ("2022", "year")
    invited = [e for e in events if "invit" in e["trigger"].lower()]
    assert invited and all(e["date"] == "2023" and e["location"]["name"] == "Vilnius"
                           and e["location"]["country"] == "LTU" and e["location"]["lat"] for e in invited)


def test_china_and_russia_object(events) -> None:
    assert _find(events, "CHN", "IGOWSTNAT", {"11", "12"}), "China objecting to NATO in Asia"
    assert _find(events, "RUS", "IGOWSTNAT", {"11", "12"}), "Russia criticising NATO"


def test_putin_accuses_the_us(events) -> None:
    hits = _find(events, "RUS", "USA", {"11", "12"})
    assert hits, "Putin accusing the US and its allies"
    assert any(a.get("name") == "Vladimir Putin" for e in hits for a in e["source"])


def test_evidence_is_the_sentence(coder, seed_text, events) -> None:
    doc = coder.nlp(seed_text)
    sentences = [(s.start_char, s.end_char) for s in doc.sents]
    for e in events:
        ev = e["evidence"]
        assert seed_text[ev["start"]:ev["end"]] == ev["text"]
        assert (ev["start"], ev["end"]) == sentences[e["sentence_index"]]
        t0, t1 = e["trigger_span"]
        assert ev["start"] <= t0 < t1 <= ev["end"]
