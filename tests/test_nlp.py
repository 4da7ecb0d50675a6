"""Tests for eventcoder.nlp: text preparation before parsing."""

from __future__ import annotations

import pytest

from eventcoder.nlp import mask_dateline


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("KABUL (Pajhwok): President Ashraf Ghani met the delegation.", "President Ashraf Ghani met"),
        ("TIRANA, Albania (AP) -- Albania's parliament passed a resolution.", "Albania's parliament"),
        ("BERLIN -- A court in Bavaria convicted four men.", "A court in Bavaria"),
        ("ADDIS ABABA, May 15 (Xinhua) -- Ethiopia's foreign minister spoke.", "Ethiopia's foreign minister"),
        ("Cebu City--Police have started an investigation.", "Police have started"),
        ("Kolkata: The state government denied permission.", "The state government"),
    ],
)
def test_datelines_are_blanked_with_offsets_kept(text: str, kept: str) -> None:
    masked = mask_dateline(text)
    assert len(masked) == len(text)
    assert masked.lstrip().startswith(kept)
    assert masked.index(kept) == text.index(kept)


@pytest.mark.parametrize(
    "text",
    [
        "Russia said on Monday that it would attack.",
        "Police: two men were arrested near the market.",
        "NATO - the alliance said - will meet in July.",
        "Guinea-Bissau said it would hold elections.",
        "US President Joe Biden said: we will respond.",
    ],
)
def test_ordinary_sentences_are_untouched(text: str) -> None:
    assert mask_dateline(text) == text


def test_a_dateline_is_not_the_subject(coder) -> None:
    text = "JERUSALEM -- An Israeli court on Friday rejected the appeal of an American student."
    events = coder.code(text, "2024-05-01")
    main = max(events, key=lambda e: e.confidence)
    assert main.source and "court" in main.source[0].text
    assert main.evidence.text == text[main.evidence.start:main.evidence.end]  # quoted as written
    assert main.evidence.text.startswith("JERUSALEM --")


def test_an_accent_typed_for_an_apostrophe_is_read_as_one(coder) -> None:
    text = "Uribe defended Colombia\u00b4s actions against the rebels."
    assert mask_dateline(text) == "Uribe defended Colombia's actions against the rebels."
    events = coder.code(text, "2024-05-01")
    assert any(a.code == "COL" for e in events for a in e.target), [e.to_dict() for e in events]
