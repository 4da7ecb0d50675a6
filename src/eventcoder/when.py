"""When: the date of each event.

Two layers:

* :func:`parse_time_expression` turns a time expression ("in 2018", "the 1930s", "last month",
  "two days ago", "on Wednesday", "June 7-9, 2023") into an ISO date at its precision, resolving relative
  expressions against a reference date (the document's date).
* :func:`resolve_event_date` finds the time expression that governs an event in the dependency parse
  (a DATE entity, or a time word the tagger missed, in the trigger's own clause first; then the clause it
  hangs from; then the sentence when the sentence holds a single event clause) and falls back to the
  document date for past events with no date of their own.

Dates are ISO strings at their precision: ``"2023-06-07"`` (day), ``"2023-06-05"`` (week: its Monday),
``"2023-06"`` (month), ``"2007"`` (year), ``"1930"`` (decade: its first year).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from spacy.tokens import Span, Token
from .nlp import entities_in, sentence_of

__all__ = [
    "DateInfo",
    "date_in_range",
    "date_interval",
    "event_tense",
    "parse_time_expression",
    "parse_time_range",
    "resolve_event_date",
]


@dataclass(frozen=True, slots=True)
class DateInfo:
    """The date of an event."""

    date: str | None  # ISO at its precision (see the module docstring)
    precision: str  # day | week | month | year | decade | unknown
    text: str | None  # the words it came from
    source: str | None  # "text" | "document" | None
    end: str | None = None  # for a range ("from 2010 to 2012"): its last date, at the same precision

    def to_dict(self) -> dict[str, str | None]:
        return {"date": self.date, "precision": self.precision, "text": self.text, "source": self.source,
                "end": self.end}


UNKNOWN = DateInfo(None, "unknown", None, None)

# ------------------------------------------------------------------------------------------- vocabulary

MONTHS: dict[str, int] = {}
for _number in range(1, 13):
    MONTHS[calendar.month_name[_number].lower()] = _number
    MONTHS[calendar.month_abbr[_number].lower()] = _number
MONTHS["sept"] = 9

WEEKDAYS: dict[str, int] = {}
for _number in range(7):
    WEEKDAYS[calendar.day_name[_number].lower()] = _number
    WEEKDAYS[calendar.day_abbr[_number].lower()] = _number
WEEKDAYS.update({"tues": 1, "wed": 2, "thur": 3, "thurs": 3})

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
    "a couple of": 2, "couple of": 2,
}
DECADE_WORDS = {
    "twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60, "seventies": 70,
    "eighties": 80, "nineties": 90,
}
SEASONS = ("spring", "summer", "autumn", "fall", "winter")
PARTS_OF_DAY = ("morning", "afternoon", "evening", "night", "noon", "midday", "dawn", "dusk", "overnight")

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_RE = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_NUM_RE = r"\d+|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_UNIT_RE = r"days?|weeks?|months?|years?|decades?"

# Words stripped from the front of an expression ("in 2018", "since last week").
_LEADING = re.compile(
    r"^(?:(?:in|on|at|since|by|during|from|until|till|through|throughout|as of|around|about|circa|"
    r"before|after|of|the|this past|past)\s+)+"
)
_ORDINAL = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(1[0-9]{3}|20[0-9]{2}|2100)"
_TIME_OF_DAY = re.compile(
    r"\b(?:at\s+)?(?:\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)|\d{1,2}:\d{2}|noon|midnight)"
    r"(?:\s*\((?:local time|gmt)\))?(?:\s+(?:local time|gmt|utc))?\b"
)

# --------------------------------------------------------------------------------------------- helpers


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _number(word: str) -> int | None:
    word = word.strip()
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


def _iso(value: dt.date | tuple[int, int] | int, precision: str) -> str:
    if precision in ("day", "week"):
        assert isinstance(value, dt.date)
        return value.isoformat()
    if precision == "month":
        assert isinstance(value, tuple)
        return f"{value[0]:04d}-{value[1]:02d}"
    assert isinstance(value, int)
    return f"{value:04d}"


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _pick_year(month: int, day: int | None, ref: dt.date, tense: str | None) -> int:
    """The year of a month (and day) written without one: past events look back, future ones forward."""
    probe_day = day or 1
    this_year = _safe_date(ref.year, month, min(probe_day, 28)) or dt.date(ref.year, month, 1)
    if day is None:
        this_year = dt.date(ref.year, month, 1)
        ref_key = dt.date(ref.year, ref.month, 1)
    else:
        ref_key = ref
    if tense == "future":
        return ref.year if this_year >= ref_key else ref.year + 1
    if tense == "past":
        return ref.year if this_year <= ref_key else ref.year - 1
    # No tense: the nearest occurrence.
    gap = (this_year - ref_key).days
    if gap > 183:
        return ref.year - 1
    if gap < -183:
        return ref.year + 1
    return ref.year


def _weekday_date(weekday: int, ref: dt.date, tense: str | None, modifier: str | None) -> dt.date:
    """'(last|next|this) Wednesday' relative to ``ref``."""
    back = (ref.weekday() - weekday) % 7  # days since the most recent such day (0: today)
    ahead = (weekday - ref.weekday()) % 7  # days to the next such day (0: today)
    if modifier == "last" or modifier == "previous":
        return ref - dt.timedelta(days=back or 7)
    if modifier in ("next", "coming"):
        return ref + dt.timedelta(days=ahead or 7)
    if modifier == "this":
        return _monday(ref) + dt.timedelta(days=weekday)
    if tense == "future":
        return ref + dt.timedelta(days=ahead)
    return ref - dt.timedelta(days=back)


def _clean(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    text = re.sub(r"[,;]", " ", text)
    text = re.sub(r"\.(?=\s|$)", "", text)  # "Sept. 11" -> "sept 11"
    text = _TIME_OF_DAY.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text


# ------------------------------------------------------------------------------------------- parsing


def _parse_absolute(text: str, ref: dt.date | None, tense: str | None) -> tuple[str, str] | None:
    # 2023-06-07, 2023-06
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        day = _safe_date(int(m[1]), int(m[2]), int(m[3]))
        return (day.isoformat(), "day") if day else None
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        if 1 <= int(m[2]) <= 12:
            return f"{m[1]}-{m[2]}", "month"
    # 7/6/2023 is ambiguous between day-first and month-first: accept it only when unambiguous.
    if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        if a > 12 and b <= 12:
            a, b = b, a
        if b > 12 and a <= 12 or a == b:
            day = _safe_date(year, a, b)
            return (day.isoformat(), "day") if day else None
        return None
    # June 7, 2023 / June 7th 2023 / June 7
    if m := re.fullmatch(rf"({_MONTH_RE}) {_ORDINAL}(?: {_YEAR})?", text):
        month, day_number = MONTHS[m[1]], int(m[2])
        if m[3]:
            year = int(m[3])
        elif ref is not None:
            year = _pick_year(month, day_number, ref, tense)
        else:
            return None
        day = _safe_date(year, month, day_number)
        return (day.isoformat(), "day") if day else None
    # 7 June 2023 / 7th of June / 7 June
    if m := re.fullmatch(rf"{_ORDINAL} (?:of )?({_MONTH_RE})(?: {_YEAR})?", text):
        month, day_number = MONTHS[m[2]], int(m[1])
        if m[3]:
            year = int(m[3])
        elif ref is not None:
            year = _pick_year(month, day_number, ref, tense)
        else:
            return None
        day = _safe_date(year, month, day_number)
        return (day.isoformat(), "day") if day else None
    # (early|mid|late|the end of|...) June 2023 / June of 2023 / June
    if m := re.fullmatch(
        rf"(?:(?:early|mid|late|the end of|end of|the beginning of|beginning of|the start of|start of|"
        rf"the middle of|middle of|the first half of|the second half of)[ -]?)?({_MONTH_RE})(?: (?:of )?{_YEAR})?",
        text,
    ):
        month = MONTHS[m[1]]
        if m[2]:
            return _iso((int(m[2]), month), "month"), "month"
        if ref is None:
            return None
        return _iso((_pick_year(month, None, ref, tense), month), "month"), "month"
    # the 1930s / 1930s / the '90s / the 90s / the late 1990s / the nineties
    if m := re.fullmatch(r"(?:(?:early|mid|late)[ -])?(1[0-9]{2}0|20[0-9]0)'?s", text):
        return m[1], "decade"
    if m := re.fullmatch(r"(?:(?:early|mid|late)[ -])?'?([0-9]0)'?s", text):
        decade = int(m[1])
        century = 1900 if ref is None or decade > ref.year % 100 else 2000
        return str(century + decade), "decade"
    if m := re.fullmatch(r"(?:(?:early|mid|late)[ -])?(" + "|".join(DECADE_WORDS) + ")", text):
        return str(1900 + DECADE_WORDS[m[1]]), "decade"
    # 2018 / the year 2018 / mid-2018 / early 2018 / the end of 2018 / spring 2018 / fiscal 2018
    if m := re.fullmatch(
        rf"(?:(?:the )?(?:year|early|mid|late|end of|beginning of|start of|middle of|first half of|"
        rf"second half of|fiscal|calendar|first quarter of|second quarter of|third quarter of|"
        rf"fourth quarter of|{'|'.join(SEASONS)})(?: of)?[ -]?)?{_YEAR}",
        text,
    ):
        return m[1], "year"
    return None


def _parse_relative(text: str, ref: dt.date, tense: str | None) -> tuple[str, str] | None:
    parts_of_day = "|".join(PARTS_OF_DAY)
    # today / tonight / this morning / earlier today / yesterday evening / last night / tomorrow
    if re.fullmatch(rf"(?:earlier |later )?(?:today|tonight|this (?:{parts_of_day}))(?: \w+)?", text):
        return ref.isoformat(), "day"
    if re.fullmatch(rf"(?:yesterday(?: (?:{parts_of_day}))?|last night|overnight)", text):
        return (ref - dt.timedelta(days=1)).isoformat(), "day"
    if text == "the day before yesterday":
        return (ref - dt.timedelta(days=2)).isoformat(), "day"
    if re.fullmatch(rf"tomorrow(?: (?:{parts_of_day}))?", text):
        return (ref + dt.timedelta(days=1)).isoformat(), "day"
    if text == "the day after tomorrow":
        return (ref + dt.timedelta(days=2)).isoformat(), "day"
    # (last|next|this|coming) Wednesday (night)
    if m := re.fullmatch(
        rf"(?:(last|next|this|coming|previous) )?({_WEEKDAY_RE})(?: (?:{parts_of_day}))?", text
    ):
        day = _weekday_date(WEEKDAYS[m[2]], ref, tense, m[1])
        return day.isoformat(), "day"
    # weekends
    if m := re.fullmatch(r"(?:(last|next|this|coming) )?weekend", text):
        modifier = m[1]
        if modifier in ("next", "coming") or (modifier is None and tense == "future"):
            saturday = _weekday_date(5, ref, "future", "next" if ref.weekday() >= 5 else None)
        elif modifier == "this":
            saturday = _monday(ref) + dt.timedelta(days=5)
        else:
            saturday = _weekday_date(5, ref, "past", "last" if modifier == "last" else None)
        return _monday(saturday).isoformat(), "week"
    # (earlier|later) (this|last|next) (week|month|year)
    if m := re.fullmatch(r"(?:(?:earlier|later|early|late|the end of|end of|the start of|start of)(?: in)? )?"
                         r"(this|last|next|the coming|the previous|the following|coming|previous|current) "
                         r"(week|month|year)", text):
        shift = {"this": 0, "current": 0, "last": -1, "previous": -1, "the previous": -1, "next": 1,
                 "coming": 1, "the coming": 1, "the following": 1}[m[1]]
        return _shifted(ref, m[2], shift)
    # (last|this|next) summer
    if m := re.fullmatch(rf"(this|last|next) ({'|'.join(SEASONS)})", text):
        shift = {"this": 0, "last": -1, "next": 1}[m[1]]
        return str(ref.year + shift), "year"
    # two days ago / a year ago / three weeks earlier than now
    if m := re.fullmatch(rf"(?:about |some |nearly |almost |just |more than |over )?({_NUM_RE}) ({_UNIT_RE}) ago", text):
        count = _number(m[1])
        if count is None:
            return None
        return _shifted(ref, m[2].rstrip("s"), -count)
    # two weeks from now (for "in two weeks" see _parse_single)
    if m := re.fullmatch(rf"({_NUM_RE}) ({_UNIT_RE}) from (?:now|today)", text):
        count = _number(m[1])
        if count is None:
            return None
        return _shifted(ref, m[2].rstrip("s"), count)
    return None


def _shifted(ref: dt.date, unit: str, shift: int) -> tuple[str, str] | None:
    if unit == "day":
        return (ref + dt.timedelta(days=shift)).isoformat(), "day"
    if unit == "week":
        return _monday(ref + dt.timedelta(weeks=shift)).isoformat(), "week"
    if unit == "month":
        return _iso(_add_months(ref.year, ref.month, shift), "month"), "month"
    if unit == "year":
        return str(ref.year + shift), "year"
    if unit == "decade":
        return str(ref.year + 10 * shift), "year"
    return None


def parse_time_expression(
    text: str, ref: dt.date | None = None, tense: str | None = None
) -> tuple[str, str] | None:
    """Parse a time expression into ``(iso, precision)``, or None when it names no datable time.

    ``ref`` is the document date that relative expressions count from (without it they give None);
    ``tense`` ("past", "present" or "future") decides which way a bare weekday or month points.
    A range gives its start. Durations ("15 years", "the past week") and ages give None.
    """
    found = parse_time_range(text, ref, tense)
    return (found[0], found[2]) if found else None


def parse_time_range(
    text: str, ref: dt.date | None = None, tense: str | None = None
) -> tuple[str, str | None, str] | None:
    """Like :func:`parse_time_expression`, with the range's end: ``(start, end or None, precision)``."""
    cleaned = _clean(text)
    if not cleaned or re.search(r"\d+-(?:year|month|week|day)-old\b|\bold\b", cleaned):
        return None
    single = _parse_single(cleaned, ref, tense)
    if single is not None:
        return single[0], None, single[1]
    return _parse_range(cleaned, ref, tense)


def _parse_single(text: str, ref: dt.date | None, tense: str | None) -> tuple[str, str] | None:
    if ref is not None and (m := re.fullmatch(rf"(?:in|within) ({_NUM_RE}) ({_UNIT_RE})(?:'? time)?", text)):
        count = _number(m[1])
        return _shifted(ref, m[2].rstrip("s"), count) if count is not None else None
    text = _LEADING.sub("", text).strip()
    if not text:
        return None
    found = _parse_absolute(text, ref, tense)
    if found is None and ref is not None:
        found = _parse_relative(text, ref, tense)
    if found is None:
        # "Wednesday, June 7, 2023" / "Saturday 3 June": the longest datable tail wins.
        words = text.split(" ")
        if len(words) > 1 and words[0] in WEEKDAYS:
            return _parse_single(" ".join(words[1:]), ref, tense)
    return found


_RANGE_SPLIT = re.compile(r"^(?:from |between )?(.+?)\s*(?:-|to|and|until|till|through)\s*(.+)$")


def _parse_range(text: str, ref: dt.date | None, tense: str | None) -> tuple[str, str | None, str] | None:
    text = _LEADING.sub("", text)
    m = _RANGE_SPLIT.match(text)
    if not m:
        return None
    left, right = m[1].strip(), m[2].strip()
    # "June 3-5, 2023": the end is a bare day that borrows its month and year.
    if d := re.fullmatch(rf"({_MONTH_RE}) {_ORDINAL}", left):
        if e := re.fullmatch(rf"{_ORDINAL}(?: {_YEAR})?", right):
            year = f" {e[2]}" if e[2] else ""
            start = _parse_single(f"{d[1]} {d[2]}{year}", ref, tense)
            end = _parse_single(f"{d[1]} {e[1]}{year}", ref, tense)
            if start and end:
                return start[0], end[0], "day"
    # "2010-12" / "2010-2012"
    if re.fullmatch(_YEAR, left) and re.fullmatch(r"\d{2}", right):
        return left, left[:2] + right, "year"
    # "March to May 2020": the start borrows the end's year.
    end = _parse_single(right, ref, tense)
    start = None
    year = re.search(_YEAR + r"$", right)
    if year and not re.search(_YEAR, left):
        start = _parse_single(f"{left} {year[1]}", ref, tense)
    if start is None:
        start = _parse_single(left, ref, tense)
    if start is None or end is None:
        return None
    return start[0], end[0], start[1]


# ------------------------------------------------------------------------------------------- intervals


def date_interval(iso: str, precision: str | None = None) -> tuple[dt.date, dt.date]:
    """First and last day covered by an ISO date at its precision."""
    if precision == "decade":
        start = int(iso[:4])
        return dt.date(start, 1, 1), dt.date(start + 9, 12, 31)
    if precision == "week":
        first = dt.date.fromisoformat(iso)
        return first, first + dt.timedelta(days=6)
    if len(iso) == 4:
        year = int(iso)
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if len(iso) == 7:
        year, month = int(iso[:4]), int(iso[5:7])
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    day = dt.date.fromisoformat(iso[:10])
    return day, day


def date_in_range(iso: str | None, start: str | None, end: str | None, precision: str | None = None) -> bool:
    """Whether a date (at its precision) can fall within ``[start, end]`` (ISO dates; None is open).

    For actor roles: was "then-Prime Minister" Abe in office in 2007? An unknown date is in every range.
    """
    if not iso:
        return True
    first, last = date_interval(iso, precision)
    if start and last < date_interval(start)[0]:
        return False
    if end and first > date_interval(end)[1]:
        return False
    return True


# --------------------------------------------------------------------------------------- in the parse

_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo", "ll"})
_FUTURE_GOVERNORS = frozenset(
    {"plan", "expect", "intend", "schedule", "set", "due", "agree", "prepare", "aim", "hope", "vow",
     "threaten", "promise", "pledge", "seek", "want", "decide", "invite", "go"}
)
_FUTURE_WORDS = frozenset({"upcoming", "next", "coming", "forthcoming", "tomorrow", "future"})
_CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "ccomp", "csubj", "xcomp", "conj", "parataxis", "pcomp"})
_TIME_LABELS = frozenset({"DATE", "TIME"})
_TIME_WORDS = frozenset({"yesterday", "today", "tomorrow", "tonight"}) | set(calendar.day_name[i].lower() for i in range(7))
_YEAR_TOKEN = re.compile(r"^(?:19|20)\d\d$")


def event_tense(trigger: Token) -> str:
    """'past', 'present' or 'future' for the event's verb (climbing from infinitives and nouns)."""
    token = trigger
    for _ in range(4):
        children = list(token.children)
        auxes = [c for c in children if c.dep_ in ("aux", "auxpass")]
        if any(a.lower_ in _FUTURE_AUX for a in auxes):
            return "future"
        if any(a.lower_ == "going" for a in auxes) and any(a.lower_ == "to" for a in auxes):
            return "future"
        if token.pos_ in ("VERB", "AUX"):
            if token.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
                return "past"
            if token.tag_ == "VBN" and any(a.lemma_ == "have" for a in auxes):
                return "past"
            if token.tag_ == "VBN" and token.dep_ in ("ROOT", "conj", "ccomp", "relcl", "advcl") and not auxes:
                return "past"
            if token.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in auxes):
                return "present"
            if token.tag_ == "VB" and any(a.lower_ == "to" for a in auxes):
                head = token.head
                if head.lemma_ in _FUTURE_GOVERNORS and head.i != token.i:
                    # "is set to attend" -> future; "was invited to attend" -> past of the invitation,
                    # but the attending itself lies ahead of it.
                    return "future"
        if token.head.i == token.i:
            break
        token = token.head
    return "present" if trigger.tag_ in ("VBZ", "VBP") else "unknown"


def _time_spans(sent: Span) -> list[Span]:
    """DATE / TIME entities of the sentence, plus year numbers and time words the tagger missed."""
    spans: list[Span] = [ent for ent in entities_in(sent) if ent.label_ in _TIME_LABELS]
    covered = {i for ent in spans for i in range(ent.start, ent.end)}
    doc = sent.doc
    for token in sent:
        if token.i in covered:
            continue
        if token.ent_type_ in ("MONEY", "QUANTITY", "PERCENT"):
            continue
        if _YEAR_TOKEN.match(token.text) and token.dep_ in ("nummod", "compound", "pobj", "npadvmod", "amod", "appos"):
            spans.append(doc[token.i : token.i + 1])
        elif token.lower_ in _TIME_WORDS:
            spans.append(doc[token.i : token.i + 1])
    return spans


def _has_own_subject(token: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") for c in token.children)


def _clause_tokens(head: Token, skip: Token | None = None) -> dict[int, int]:
    """Token index -> depth for the clause of ``head``, leaving out embedded clauses with a verb."""
    depths = {head.i: 0}
    stack = [(head, 0)]
    while stack:
        token, depth = stack.pop()
        for child in token.children:
            if skip is not None and child.i == skip.i:
                continue
            if child.dep_ in _CLAUSE_DEPS and child.pos_ in ("VERB", "AUX") and child.i not in depths:
                continue
            depths[child.i] = depth + 1
            stack.append((child, depth + 1))
    return depths


def _best_in(depths: dict[int, int], spans: list[Span]) -> list[Span]:
    """Time spans inside a clause, nearest to its head first."""
    inside = []
    for span in spans:
        span_depths = [depths[i] for i in range(span.start, span.end) if i in depths]
        if span_depths:
            inside.append((min(span_depths), span.start, span))
    return [span for _, _, span in sorted(inside)]


def _event_clause_count(sent: Span) -> int:
    """How many clauses (verbs heading a clause, and the root) the sentence has."""
    return sum(1 for t in sent if t.dep_ == "ROOT" or (t.pos_ == "VERB" and t.dep_ in _CLAUSE_DEPS))


def _candidates(trigger: Token, spans: list[Span]) -> list[Span]:
    """Time expressions in order of how closely they govern the event."""
    ordered: list[Span] = []
    # 1. The trigger's own clause.
    ordered += _best_in(_clause_tokens(trigger), spans)
    # 2. A clause attached to a date: "since 2007 when Abe first visited NATO headquarters".
    head = trigger.head
    if trigger.dep_ in ("relcl", "advcl", "acl") and head.i != trigger.i:
        for span in spans:
            if span.start <= head.i < span.end:
                ordered.append(span)
    # 3. Up through clauses that share the event's time (infinitives, participles, coordinated verbs).
    token = trigger
    for _ in range(3):
        if token.dep_ not in ("xcomp", "advcl", "acl", "conj", "pcomp", "prep", "pobj") or token.head.i == token.i:
            break
        if token.dep_ in ("advcl", "conj") and _has_own_subject(token):
            break
        parent = token.head
        ordered += _best_in(_clause_tokens(parent, skip=token), spans)
        token = parent
    # 4. The whole sentence, when it holds this event's clause only.
    if _event_clause_count(sentence_of(trigger)) <= 1:
        ordered += sorted(spans, key=lambda span: abs(span.start - trigger.i))
    seen: set[tuple[int, int]] = set()
    unique = []
    for span in ordered:
        if (span.start, span.end) not in seen:
            seen.add((span.start, span.end))
            unique.append(span)
    return unique


def _future_context(span: Span) -> bool:
    head = span.root.head
    words = {t.lower_ for t in span} | {c.lower_ for c in head.children} | {head.lower_}
    return bool(words & _FUTURE_WORDS)


def resolve_event_date(trigger: Token, doc_date: dt.date | None) -> DateInfo:
    """The date of the event whose trigger is ``trigger``.

    A time expression attached to the event gives the date (source "text"); otherwise a past event is
    dated to the document (source "document", precision day); otherwise the date is unknown.
    """
    tense = event_tense(trigger)
    spans = _time_spans(sentence_of(trigger))
    for span in _candidates(trigger, spans):
        span_tense = "future" if _future_context(span) else tense
        found = parse_time_range(span.text, doc_date, span_tense if span_tense != "unknown" else None)
        if found is not None:
            start, end, precision = found
            return DateInfo(start, precision, span.text, "text", end)
    if tense == "past" and doc_date is not None:
        return DateInfo(doc_date.isoformat(), "day", None, "document")
    return UNKNOWN
