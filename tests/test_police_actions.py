"""Police actions (issue 4): arrests, crowd control and police gunfire, including agentless reports
("50 persons were arrested") whose implied source is the police, Indian-English police verbs ("nabbed",
"booked", "lathicharged", "taken into custody"), lower-case text, and the words that only look like custody
("held a rally", "booked a flight", "cardiac arrest", "caught in the crossfire").

The sentences are written by the team for these tests. They run through the real spaCy model with the rules
alone (the sentence-level type model could re-type an event and hide what the rules do).
"""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def rules(rules_coder):
    return rules_coder


def _police(events, plover: str | None = None):
    """The events whose source is a police actor (sector COP), optionally of one PLOVER type."""
    return [e for e in events
            if any("COP" in (a.code or "")[3:] for a in e.source) and (plover is None or e.plover == plover)]


def _code(rules, text: str):
    return rules.code(text, date="2021-03-05")


# ------------------------------------------------------------------------------------------------ positives


@pytest.mark.parametrize("text, plover", [
    ("Police lathicharged the protesters outside the collectorate.", "ASSAULT"),
    ("The cops rounded up twelve suspects after the robbery.", "COERCE"),
    ("The police booked the shopkeeper under the Arms Act.", "COERCE"),
    ("the police arrested two men near the temple.", "COERCE"),
    ("The station house officer picked up two suspects from the railway station.", "COERCE"),
    ("Police fired five rounds in the air and lobbed tear gas shells to disperse the crowd.", "ASSAULT"),
    ("the police had to resort to a lathi charge to control the mob.", "ASSAULT"),
    ("A teenager was killed in police firing in the market area.", "ASSAULT"),
])
def test_police_as_named_source(rules, text: str, plover: str) -> None:
    events = _code(rules, text)
    assert _police(events, plover), [(e.cameo, e.plover, e.rule, [a.code for a in e.source]) for e in events]


@pytest.mark.parametrize("text", [
    "Three men were arrested for smuggling liquor, police said.",
    "The accused was nabbed near the bus stand on Friday.",
    "Over forty workers were taken into custody during the sit-in.",
    "More than 200 arrests have been made since the riots began.",
])
def test_agentless_arrest_implies_the_police(rules, text: str) -> None:
    events = _police(_code(rules, text), "COERCE")
    assert events, text
    implied = [e for e in events if e.rule.endswith("+implied:police")]
    assert implied, [e.rule for e in events]
    # no country in the sentence: the police of no known country, coded the way agent nouns are
    assert implied[0].source[0].code == "---COP"
    assert implied[0].cameo.startswith("173")


def test_implied_police_take_the_country_of_the_place(rules) -> None:
    events = _police(_code(rules, "Protesters were detained in Moscow on Saturday."), "COERCE")
    assert events and events[0].source[0].code == "RUSCOP"
    events = _police(_code(rules, "The opposition leader was placed under house arrest in Dhaka."), "COERCE")
    assert events and events[0].source[0].code == "BGDCOP"


def test_nationality_of_the_arrested_is_not_the_police_country(rules) -> None:
    events = _police(_code(rules, "Two Pakistani nationals were arrested on Sunday."), "COERCE")
    assert events and events[0].source[0].code == "---COP"


def test_named_agent_is_not_replaced(rules) -> None:
    events = _code(rules, "The journalist was detained by soldiers at the checkpoint.")
    assert not any(e.rule.endswith("+implied:police") for e in events)


# ------------------------------------------------------------------------------------------------ negatives


@pytest.mark.parametrize("text", [
    "The party held a rally in the town square.",
    "The conference was held in Delhi last year.",
    "She booked a flight to Mumbai.",
    "Nobody was arrested during the peaceful march.",
    "The patient suffered a cardiac arrest last week.",
    "Two farmers were caught in the crossfire.",
    "The measures helped arrest the decline in sales.",
])
def test_no_police_action(rules, text: str) -> None:
    events = _code(rules, text)
    assert not [e for e in events if e.cameo.startswith("173")], [(e.cameo, e.rule) for e in events]
    assert not _police(events)


def test_a_dismissal_is_not_gunfire(rules) -> None:
    events = _code(rules, "The club's firing of its coach surprised the fans.")
    assert not [e for e in events if e.plover == "ASSAULT"]


@pytest.mark.parametrize("text", [
    "The leaders demanded the arrest of the culprits.",
    "The looters should be arrested, the minister said.",
])
def test_wanted_arrests_imply_no_police(rules, text: str) -> None:
    events = _code(rules, text)
    assert not any(e.rule.endswith("+implied:police") for e in events)
    assert not _police(events, "COERCE")
