"""Find the place of an event in the dependency parse and resolve it with the gazetteer.

The event's place is a GPE / LOC / FAC entity attached to the event: in a locative prepositional phrase of
the trigger ("clashed in Vilnius", "attacks on Kharkiv"), or of a noun that is the trigger's object or
passive subject ("the summit in Vilnius"), reached through a chain of such phrases ("in a refugee camp in
Nablus", "near the town of Khan Yunis"), a place that is itself the object of the trigger ("shelled Homs"),
or a place compounded into the trigger noun ("the Kabul attack"). A participle or a coordinated verb that
has no place of its own shares the place of the verb it hangs from ("... hit a bus in Donetsk, killing
eight"). A place merely named elsewhere in the sentence (an actor such as "Paris has refused", a possessive
"Japan's office") is not the event's place.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from eventcoder.model import Location
from eventcoder.where._gazetteer import Gazetteer, get_gazetteer
from eventcoder.where._words import (
    FACILITY_NOUNS,
    LOCATIVE_PREPS,
    MOTION_PREPS,
    NAME_PARTICLES,
    NON_PLACE_LABELS,
    PLACE_LABELS,
    PLACE_NOUNS,
    PLACE_OBJECT_VERBS,
    SETTLEMENT_NOUNS,
    clean_name,
)
from eventcoder.where._ranker import LocationRanker, default_ranker, place_options
from eventcoder.nlp import entities_in, sentence_of

__all__ = [
    "document_countries",
    "document_country_counts",
    "event_place_span",
    "locate_span",
    "resolve_event_location",
    "rule_place",
]

# Relations of the trigger whose noun may carry the place in its own phrases ("the summit in Vilnius").
ARGUMENT_DEPS = frozenset({"dobj", "nsubjpass", "nsubj", "agent", "attr", "oprd"})
# Clauses that share the place of the verb they hang from when they have none of their own.
SHARING_DEPS = frozenset({"advcl", "conj", "xcomp", "acl", "pcomp"})
MAX_DEPTH = 6
# How specific a place is: an unknown name (a neighbourhood, a village) or a facility beats a city,
# which beats a region, which beats a country.
_SPECIFICITY = {None: 0, "city": 1, "facility": 2, "admin1": 3, "country": 4, "continent": 5}


def _entity_map(sent: Span) -> dict[int, Span]:
    return {t: ent for ent in entities_in(sent) for t in range(ent.start, ent.end)}


def _name_chain(token: Token) -> Span:
    """The proper-name words ending at (or compounded into) ``token``: "Tsatsan-Yurt", "Deir ez-Zor"."""
    doc = token.doc
    start = token.i
    j = token.i - 1
    while j >= 0:
        prev = doc[j]
        if prev.pos_ == "PROPN" and prev.dep_ != "poss":
            start = j
        elif not (prev.lower_ in NAME_PARTICLES or prev.tag_ == "HYPH"):
            break
        j -= 1
    return doc[start : token.i + 1]


class _Finder:
    """Looks for the event's place around one trigger."""

    def __init__(self, trigger: Token, gazetteer: Gazetteer | None) -> None:
        self.trigger = trigger
        self.gazetteer = gazetteer
        self.entities = _entity_map(sentence_of(trigger))

    # -- what counts as a place --------------------------------------------------------------------
    def place_at(self, token: Token, slot: str) -> Span | None:
        """The place named by ``token``, if it names one.

        ``slot`` says how the token is attached: "named" after a place noun ("the town of X", "X
        district"), "loc" after a locative preposition ("in X"), "object" as the object of a verb such as
        "shelled", "weak" anywhere else.
        """
        ent = self.entities.get(token.i)
        if ent is not None:
            if ent.label_ in NON_PLACE_LABELS:
                return None
            span = clean_name(ent)
            if ent.label_ in PLACE_LABELS or slot == "named":
                return span
            if ent.label_ == "PERSON":
                return span if slot == "loc" and self._known(span) else None
            if self._known(span) or (slot != "weak" and self._placey(span)):
                return span
            return None
        if token.pos_ != "PROPN":
            return None
        span = _name_chain(token)
        if not span.text[:1].isupper():
            return None
        if slot in ("named", "loc") or self._known(span):
            return span
        return None

    def _known(self, span: Span) -> bool:
        return self.gazetteer is not None and bool(self.gazetteer.candidates(span.text))

    def _country(self, span: Span) -> bool:
        if self.gazetteer is None:
            return False
        place = self.gazetteer.lookup_place(span.text)
        return place is not None and place.kind in ("country", "continent")

    @staticmethod
    def _placey(span: Span) -> bool:
        last = span[-1].lower_
        return last in PLACE_NOUNS and last != "state"

    # -- search ------------------------------------------------------------------------------------
    def search(self, start: Token) -> list[tuple[int, Span]]:
        """Places attached to ``start``, with their depth, breadth first through locative phrases."""
        found: list[tuple[int, Span]] = []
        frontier: list[tuple[Token, str]] = [(start, "trigger")]
        seen = {start.i}
        place_verb = start.pos_ in ("VERB", "AUX") and start.lemma_ in PLACE_OBJECT_VERBS
        for depth in range(1, MAX_DEPTH + 1):
            following: list[tuple[Token, str]] = []
            for token, role in frontier:
                lemma = token.lemma_.lower()
                placey_noun = lemma in PLACE_NOUNS or token.lower_ in PLACE_NOUNS
                for child in token.children:
                    if child.i in seen:
                        continue
                    seen.add(child.i)
                    dep = child.dep_
                    if dep == "prep":
                        self._prep(child, role, placey_noun, depth, found, following)
                    elif dep in ARGUMENT_DEPS and role == "trigger":
                        if place_verb and dep in ("dobj", "nsubjpass"):
                            span = self.place_at(child, "object")
                            if span is not None:
                                found.append((depth, span))
                                continue
                        if dep == "agent":
                            following.extend((obj, "argument") for obj in child.children if obj.dep_ == "pobj")
                        elif child.pos_ in ("NOUN", "PROPN") and child.i not in self.entities:
                            following.append((child, "argument"))
                    elif dep == "compound" and (role != "argument" or placey_noun):
                        # "Sontyo village" names the place; "the Kabul attack" places the event; but in
                        # "NATO headquarters" or "a US drone strike" the modifier is an owner or an actor.
                        slot = "named" if lemma in SETTLEMENT_NOUNS else "weak"
                        span = self.place_at(child, slot)
                        if span is not None and span.end <= token.i and (placey_noun or not self._country(span)):
                            found.append((depth, span))
                    elif dep == "poss" and placey_noun:
                        span = self.place_at(child, "weak")
                        if span is not None:
                            found.append((depth, span))
                    elif dep in ("conj", "appos") and role == "noun" and child.pos_ in ("NOUN", "PROPN"):
                        if child.i not in self.entities:
                            following.append((child, "noun"))
            if not following:
                break
            frontier = following
        return found

    def _prep(
        self,
        prep: Token,
        role: str,
        placey_noun: bool,
        depth: int,
        found: list[tuple[int, Span]],
        following: list[tuple[Token, str]],
    ) -> None:
        """A prepositional phrase below a token of the place chain."""
        word = prep.lower_
        if word == "of":
            if role == "trigger":
                return
            slot = "named" if placey_noun else ("weak" if role == "noun" else "none")
        elif word in LOCATIVE_PREPS:
            if word == "between" and role == "argument":
                return
            slot = "loc"
        elif word in MOTION_PREPS:
            slot = "none"  # "marched to UN offices in Beirut": follow the noun, but "to Moscow" is a goal
        else:
            return
        for obj in prep.children:
            if obj.dep_ == "pobj":
                span = self.place_at(obj, slot) if slot != "none" else None
                if span is not None:
                    found.append((depth, span))
                else:
                    following.append((obj, "noun"))
            elif obj.dep_ == "prep":  # "outside of X"
                following.append((prep, "noun"))

    def specificity(self, span: Span) -> int:
        ent = self.entities.get(span.root.i)
        if span[-1].lower_ in FACILITY_NOUNS or (ent is not None and ent.label_ == "FAC"):
            return _SPECIFICITY["facility"]
        place = self.gazetteer.lookup_place(span.text) if self.gazetteer is not None else None
        return _SPECIFICITY[place.kind if place is not None else None]

    def choose(self, found: list[tuple[int, Span]]) -> Span | None:
        """The most specific place found ("near the Kissufim crossing" over "in Gaza"), then the nearest."""
        if not found:
            return None
        return min(found, key=lambda item: (self.specificity(item[1]), item[0], item[1].start))[1]


def rule_place(trigger: Token, gazetteer: Gazetteer | None = None) -> tuple[Span | None, list[Span]]:
    """The place the parse rules attach to the event (or None), and every place they saw on the way."""
    finder = _Finder(trigger, gazetteer)
    ent = finder.entities.get(trigger.i)
    if ent is not None and ent.label_ in PLACE_LABELS:
        return None, []
    seen: list[Span] = []

    def look(start: Token) -> Span | None:
        found = finder.search(start)
        seen.extend(span for _, span in found)
        return finder.choose(found)

    token = trigger
    for _level in range(3):
        span = look(token)
        if span is not None:
            return span, seen
        # A participle or coordinated verb below that elaborates the event: "... targeting X in Y",
        # "was shot and killed in X".
        for child in token.children:
            if child.dep_ in ("conj", "advcl", "xcomp") and child.pos_ == "VERB" and child.tag_ in ("VBG", "VBN", "VBD", "VB"):
                if any(c.dep_ in ("nsubj", "nsubjpass") for c in child.children) and child.dep_ != "conj":
                    continue
                span = look(child)
                if span is not None:
                    return span, seen
        if token.dep_ not in SHARING_DEPS or token.head.i == token.i:
            break
        token = token.head
    return None, seen


def event_place_span(trigger: Token, gazetteer: Gazetteer | None = None,
                     ranker: LocationRanker | None | bool = True) -> Span | None:
    """The words naming the event's place, or None when nothing in the sentence is attached to the event.

    The parse rules (:func:`rule_place`) propose; the shipped ranker (:mod:`eventcoder.where._ranker`)
    chooses among every name of the sentence with the rules' pick as one of its clues. ``ranker=False`` (or
    a missing weights file) leaves the choice to the rules alone.
    """
    span, seen = rule_place(trigger, gazetteer)
    model = default_ranker() if ranker is True else (ranker or None)
    if model is None:
        return span
    ent = next((e for e in entities_in(sentence_of(trigger)) if e.start <= trigger.i < e.end), None)
    if ent is not None and ent.label_ in PLACE_LABELS:
        return None
    return model.choose(trigger, place_options(trigger, gazetteer, span, seen), span)


def _context_with_appositive(span: Span, context: frozenset[str], gazetteer: Gazetteer) -> frozenset[str]:
    """'Paris, Texas' / 'Vilnius, Lithuania': the appositive names the country to prefer."""
    for child in span.root.children:
        if child.dep_ in ("appos", "npadvmod", "conj") and child.i > span.root.i:
            place = gazetteer.lookup_place(child.text, context)
            if place is not None and place.country:
                return context | {place.country}
    return context


def resolve_event_location(
    trigger: Token,
    context_countries: Iterable[str] = (),
    gazetteer: Gazetteer | None = None,
    ranker: LocationRanker | None | bool = True,
) -> Location | None:
    """The event's :class:`Location`, or None.

    A place the parse finds but the gazetteer does not know (a neighbourhood, a village) is returned by
    name, with no coordinates.
    """
    gazetteer = gazetteer or get_gazetteer()
    span = event_place_span(trigger, gazetteer, ranker)
    return None if span is None else locate_span(span, context_countries, gazetteer)


def locate_span(span: Span, context_countries: Iterable[str] = (), gazetteer: Gazetteer | None = None) -> Location:
    """The :class:`Location` of a place name: its gazetteer entry, or the name alone when it has none."""
    gazetteer = gazetteer or get_gazetteer()
    context = _context_with_appositive(span, frozenset(context_countries), gazetteer)
    location = gazetteer.lookup(span.text, context)
    if location is None:
        return Location(name=span.text, precision="city", text=span.text)
    return location


def document_country_counts(doc: Doc, gazetteer: Gazetteer | None = None) -> Counter[str]:
    """How often each country (ISO3) is named in the document, directly or through its places."""
    gazetteer = gazetteer or get_gazetteer()
    counts: Counter[str] = Counter()
    ambiguous: list[str] = []
    for ent in doc.ents:
        if ent.label_ != "GPE":
            continue
        cands = gazetteer.candidates(clean_name(ent).text)
        found = {place.country for place, _ in cands if place.country}
        if len(found) == 1:
            counts[found.pop()] += 1
        elif found:
            ambiguous.append(clean_name(ent).text)
    context = frozenset(counts)
    for name in ambiguous:
        place = gazetteer.lookup_place(name, context)
        if place is not None and place.country:
            counts[place.country] += 1
    return counts


def document_countries(doc: Doc, gazetteer: Gazetteer | None = None, top: int | None = None) -> set[str]:
    """ISO3 codes of the countries the document is about: named, or holding a place named (GPE entities).

    With ``top``, only the ``top`` most frequent (see :func:`document_country_counts`); otherwise every
    country named at least once. Pass the result to :func:`resolve_event_location` as its context.
    """
    counts = document_country_counts(doc, gazetteer)
    return {iso3 for iso3, _ in counts.most_common(top)}
