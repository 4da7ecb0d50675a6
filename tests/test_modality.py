"""Modality: negated, future or intended, hypothetical and questioned events (sentences written by the team).

A negated event is never output as its positive type: it is dropped, unless a verb like "refused" or a
negated future ("will not send") turns it into a rejection. With ``keep_negated`` it is kept and flagged.
"""

from __future__ import annotations

import pytest

from eventcoder import Coder

# (sentence, the word of the negated trigger)
NEGATED = [
    ("Russia did not attack the Ukrainian port of Odesa on Monday.", "attack"),
    ("Israeli troops never fired on the protesters, the army said.", "fired"),
    ("China has not imposed sanctions on Lithuania.", "imposed"),
    ("The Iranian foreign minister did not meet his Saudi counterpart in Baghdad.", "meet"),
    ("Turkey did not send troops to Libya, Ankara said.", "send"),
    ("Police did not arrest the opposition leader in Harare.", "arrest"),
    ("The European Union has not condemned the Israeli strike.", "condemned"),
    ("Japan did not criticize North Korea over the launch.", "criticize"),
    ("India never accused Pakistan of sheltering the militants.", "accused"),
    ("The United States did not sign the treaty with Iran.", "sign"),
    ("Syrian rebels failed to capture the town of Idlib.", "capture"),
    ("The rebels refrained from attacking the town.", "attacking"),
]

# a negated future is a refusal stated now: (sentence, the word of the refused event)
REFUSED = [
    ("Turkey will not send troops to Libya, Ankara said.", "send"),
    ("Iran will not negotiate with the United States, its foreign minister said.", "negotiate"),
    ("Russia won't withdraw its troops from the border.", "withdraw"),
    # failing to reach a deal is rejecting it; failing to attack is no event (NEGATED-like, below)
    ("British and EU negotiators failed to reach a deal on the border after hours of talks.", "reach"),
]

FUTURE = [
    "French President Emmanuel Macron will visit China next week.",
    "Germany plans to impose new sanctions on Iran.",
    "The Indian prime minister is expected to meet the Chinese president in Johannesburg.",
    "Russia intends to withdraw its troops from the Kherson region.",
    "Brazil will host the climate summit in Belem next year.",
    "Egypt is going to mediate talks between Israel and Hamas.",
    "The African Union plans to send peacekeepers to Somalia.",
    "Japan will provide aid to the Philippines after the typhoon.",
    "South Korea intends to expel the North Korean diplomat.",
    "The Kenyan police will deploy officers to Haiti in January.",
]

HYPOTHETICAL = [
    "If Iran attacks Israel, the United States would defend its ally.",
    "Poland could close its border with Belarus if the crisis worsens.",
    "Russia might retaliate against Finland, the Kremlin warned.",
    "Unless Serbia recognizes Kosovo, the EU may suspend talks with Belgrade.",
    "China would impose sanctions on Taiwan if it declares independence.",
    "The protesters could storm the parliament in Colombo.",
    "Hungary may veto the EU aid package for Ukraine.",
    "If the talks fail, Ethiopia could attack Eritrea.",
    "Venezuela might expel the American diplomats.",
    "Pakistan would respond if India launched air strikes on its territory.",
]

QUESTIONS = [
    "Will China invade Taiwan?",
    "Did Russia attack the Ukrainian power grid?",
]


@pytest.fixture(scope="module")
def keeping() -> Coder:
    return Coder(keep_negated=True)


def _events(coder: Coder, text: str) -> list:
    return coder.code(text, date="2024-03-04")


@pytest.mark.parametrize(("text", "word"), NEGATED)
def test_negated_events_are_not_output_as_positive(coder, keeping, text: str, word: str) -> None:
    assert not [e for e in _events(coder, text) if word in e.trigger]
    flagged = [e for e in _events(keeping, text) if word in e.trigger]
    assert flagged, "kept and flagged with keep_negated"
    assert all(e.modality.negated for e in flagged)


@pytest.mark.parametrize(("text", "word"), REFUSED)
def test_a_negated_future_is_a_refusal(coder, text: str, word: str) -> None:
    events = [e for e in _events(coder, text) if word in e.trigger]
    assert events and all(e.cameo_root == "12" and not e.modality.negated for e in events), [
        (e.cameo, e.trigger, e.rule) for e in events]


@pytest.mark.parametrize("text", FUTURE)
def test_future_and_intended(coder, text: str) -> None:
    events = _events(coder, text)
    assert events
    main = max(events, key=lambda e: e.confidence)
    assert main.modality.future, (main.cameo, main.trigger, main.rule)
    assert not main.modality.negated


@pytest.mark.parametrize("text", HYPOTHETICAL)
def test_hypothetical(coder, text: str) -> None:
    events = _events(coder, text)
    assert events
    assert any(e.modality.hypothetical for e in events), [(e.cameo, e.trigger, e.modality) for e in events]


@pytest.mark.parametrize("text", QUESTIONS)
def test_questions(coder, text: str) -> None:
    events = _events(coder, text)
    assert events and all(e.modality.question for e in events)


def test_refused_is_a_rejection_not_the_positive(coder) -> None:
    events = _events(coder, "Paris has refused to approve a scheme to open a NATO liaison office in Japan.")
    assert events and all(e.cameo_root == "12" for e in events)
    assert all(e.plover == "REJECT" for e in events)


# a refusal of what a verb commits to or takes part in is a refusal of that event, never the event itself
REFUSED_THROUGH = [
    ("Germany refused to commit to new military aid for Ukraine.", "DEU", "UKR"),
    ("The Turkish government refused to commit to any direct assistance to the war in Iraq.", "TUR", "IRQ"),
    ("The rebels refused to engage in talks with the junta in Naypyidaw.", "MMR", "MMR"),
]


@pytest.mark.parametrize(("text", "source", "target"), REFUSED_THROUGH)
def test_refused_commitment_is_a_rejection(coder, text: str, source: str, target: str) -> None:
    events = _events(coder, text)
    assert events and all(e.plover == "REJECT" for e in events), [(e.plover, e.trigger) for e in events]
    assert any(e.source[0].country == source and e.target and e.target[0].country == target for e in events)


@pytest.mark.parametrize(
    "text",
    [
        "The EU may impose sanctions on Belarus if it holds more political prisoners.",
        "Turkey could halt its mediation between the two sides if the shelling goes on.",
        "The army could attack the rebels if they refuse to disarm.",
    ],
)
def test_a_hostile_act_made_conditional_is_a_threat(coder, text: str) -> None:
    # "may impose sanctions if ...": a threat (PLOVER THREATEN), not a sanction; the act stays hypothetical
    events = _events(coder, text)
    main = max(events, key=lambda e: e.confidence)
    assert main.plover == "THREATEN" and main.modality.hypothetical, [e.to_dict() for e in events]


def test_what_waits_for_a_condition_is_not_yet_done(coder) -> None:
    events = _events(coder, "Bosnian Serbs demanded a truce before allowing UN aid convoys into the region.")
    assert [e.plover for e in events if e.modality.asserted] == ["REQUEST"], [e.to_dict() for e in events]
    allowed = [e for e in events if e.trigger.startswith("allowing")]
    assert allowed and all(e.modality.future for e in allowed)
    # (a clause of time alone is still done: "signed the accord before leaving")
    signed = _events(coder, "The rebels signed the accord before leaving Geneva.")
    assert signed and all(e.modality.asserted for e in signed)


def test_a_conditional_promise_stays_hypothetical(coder) -> None:
    events = _events(coder, "Japan would provide aid to Ukraine if the war ends.")
    assert events and all(e.plover != "THREATEN" for e in events)
    assert any(e.plover == "AID" and e.modality.hypothetical for e in events)


@pytest.mark.parametrize(
    ("text", "plover"),
    [
        # a vow to fight is a threat, also where the parser hangs "to fight" as a clause of its own
        ("Ethnic Albanians have sworn to fight the army until they gain control of the villages.", "THREATEN"),
        # a vow to refuse is the refusal, stated now (was AGREE, "intent to cooperate")
        ("Iran vowed to reject any deal.", "REJECT"),
        ("The rebels vowed to fight on.", "REJECT"),
    ],
)
def test_what_a_vow_is_to_do_decides_its_type(coder, text: str, plover: str) -> None:
    events = _events(coder, text)
    main = max(events, key=lambda e: e.confidence)
    assert main.plover == plover, [e.to_dict() for e in events]
