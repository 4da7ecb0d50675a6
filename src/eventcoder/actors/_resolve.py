"""Resolve noun phrases in a parsed document to coded actors.

``ActorResolver.analyse(doc)`` finds every knowledge-base phrase in the document once (greedy longest
match over normalised tokens). ``DocActors.resolve(head, when)`` then codes the noun phrase headed by a
token: a person (by the role held on the date ``when``), an organisation, a country with a sector
("Chinese government" -> CHNGOV), a seat of power ("the Elysee" -> FRAGOV), or, for definite descriptions
and pronouns ("the bloc", "the official", "its"), the actor they refer back to.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span, Token

from ..model import Actor
from ._kb import Entry, KnowledgeBase, Person, norm
from ..nlp import entities_in, sentence_of

__all__ = ["ActorResolver", "DocActors", "Match", "date_bounds"]

# "pro-Russian", "anti-Syria": the side a group takes, not its own country.  ("US-backed forces" keep their
# sponsor's code, as coders of this field usually do: the sponsor is often the only country the text names.)
_SIDE_TAKEN = frozenset({"pro", "anti"})
# "the Israeli-occupied West Bank", "Russian-controlled Donetsk": who holds a place, not whose people live there
_HELD_BY = frozenset({"occupied", "held", "controlled", "administered", "annexed", "ruled", "run"})

# "vice-president", "ex-minister": prefixes that keep a title a title
_TITLE_PREFIXES = frozenset({"vice", "ex", "co", "deputy", "acting", "under", "sub", "chief", "prime"})


def _stance(doc: Doc, m: Match) -> bool:
    """Whether a match of "opposition" is owned and opposes something ("its opposition to the plan")."""
    tok = doc[m.end - 1]
    return m.end - m.start == 1 and tok.lower_ == "opposition" and any(c.dep_ == "poss" for c in tok.children) \
        and any(c.dep_ == "prep" and c.lower_ == "to" for c in tok.children)


def _word_part(doc: Doc, start: int) -> bool:
    """Whether the word at ``start`` ends a hyphenated word ("multi-party", "anti-war", "one-party"), so that
    it names no actor of its own."""
    return (start >= 2 and doc[start - 1].text == "-" and not doc[start - 2].whitespace_
            and not doc[start - 1].whitespace_ and doc[start - 2].lower_ not in _TITLE_PREFIXES)


# Dependents that belong to a noun phrase when we collect its words.
_NP_DEPS = frozenset({"det", "amod", "compound", "poss", "nummod", "nmod", "case", "predet", "quantmod",
                      "appos", "npadvmod", "punct", "prep", "pobj", "advmod", "nn", "cc", "conj", "acomp"})
_NP_PREPS = frozenset({"of", "from"})  # "government of Japan", "an official from the Elysee"
_PRONOUNS = {
    "he": "person", "him": "person", "his": "person", "she": "person", "her": "person",
    "it": "thing", "its": "thing", "they": "group", "them": "group", "their": "group",
}
_HOW_GOV = frozenset({"capital", "seat"})
# sectors of a state's own forces and offices, which act at home: they take the country of those they act on
_STATE_SECTORS = frozenset({"GOV", "COP", "MIL", "JUD", "LEG", "SPY", "ELI"})
# the people of a place, who act where they live: civilians, protesters, workers, students, farmers, the police
_LOCAL_SECTORS = frozenset({"CVL", "OPP", "LAB", "EDU", "AGR", "COP"})
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
_HISTORY_SENTENCES = 4


@dataclass(slots=True)
class Match:
    start: int
    end: int  # exclusive token index
    entries: list[Entry]

    def kinds(self) -> set[str]:
        return {e.kind for e in self.entries}

    def first(self, kind: str) -> Entry | None:
        for e in self.entries:
            if e.kind == kind:
                return e
        return None


def date_bounds(iso: str | None) -> tuple[str, str] | None:
    """The first and last day an ISO date of any precision covers ("2007" -> 2007-01-01..2007-12-31)."""
    if not iso:
        return None
    if len(iso) == 4:
        return f"{iso}-01-01", f"{iso}-12-31"
    if len(iso) == 7:
        return f"{iso}-01", f"{iso}-31"
    return iso[:10], iso[:10]


# Country names at least this long are also recognised with one letter missing or one letter too many.
_TYPO_MIN = 7


def _misspellings(kb: KnowledgeBase) -> dict[str, Entry]:
    """One-word country names with one letter dropped ("ethopia") or added ("afghanisstan"), where that spelling
    is no other indexed word and names one country only."""
    names: dict[str, Entry] = {}
    for key, entries in kb.index.items():
        entry = next((e for e in entries if e.kind == "country" and e.how == "name"), None)
        if len(key) == 1 and entry is not None and len(key[0]) >= _TYPO_MIN and key[0].isalpha():
            names[key[0]] = entry
    out: dict[str, Entry] = {}
    clash: set[str] = set()
    for name, entry in names.items():
        variants = {name[:k] + name[k + 1:] for k in range(len(name))}
        variants |= {name[:k] + c + name[k:] for k in range(1, len(name) + 1) for c in "abcdefghijklmnopqrstuvwxyz"}
        for v in variants - {name}:
            if (v,) in kb.index or (v in out and out[v].ref != entry.ref):
                clash.add(v)
            out[v] = entry
    return {v: e for v, e in out.items() if v not in clash and len(v) >= _TYPO_MIN}


class ActorResolver:
    """Holds the knowledge base; one ``DocActors`` per document does the work."""

    def __init__(self, kb: KnowledgeBase, gazetteer: Any = None) -> None:
        self.kb = kb
        self.gazetteer = gazetteer  # places the knowledge base lacks ("Mongwalu" -> COD), see eventcoder.where
        self.misspelt = _misspellings(kb)

    def analyse(self, doc: Doc) -> DocActors:
        return DocActors(self.kb, doc, list(self._scan(doc)), self.gazetteer)

    def _scan(self, doc: Doc) -> Iterator[Match]:
        kb = self.kb
        texts = [norm(t.text) for t in doc]
        n = len(texts)
        lower_doc = not any(t.is_upper or t.is_title for t in doc if t.is_alpha and len(t) > 1)
        i = 0
        while i < n:
            if texts[i] not in kb.first_tokens:
                entry = self.misspelt.get(texts[i]) if len(texts[i]) >= _TYPO_MIN and doc[i].is_title \
                    and doc[i].ent_type_ != "PERSON" else None  # ("Dominic", "Georgina" are names)
                if entry is not None and not lower_doc:
                    yield Match(i, i + 1, [entry])  # "Ethopia", "Afganistan": a country name missing a letter
                i += 1
                continue
            found = None
            for length in range(min(kb.max_phrase, n - i), 0, -1):
                entries = kb.index.get(tuple(texts[i : i + length]))
                if not entries:
                    continue
                ok = [e for e in entries if self._case_ok(e, doc[i : i + length], lower_doc)]
                if ok:
                    found = Match(i, i + length, ok)
                    break
            if found is None:
                i += 1
            else:
                yield found
                i = found.end

    @staticmethod
    def _case_ok(entry: Entry, span: object, lower_doc: bool) -> bool:
        tokens = list(span)  # type: ignore[call-overload]
        if entry.kind == "agent":
            return True
        first = tokens[0]
        if entry.case_sensitive:
            return all(t.text.replace(".", "").isupper() or not t.is_alpha for t in tokens)
        if lower_doc:
            return True
        return first.text[:1].isupper() or first.text[:1].isdigit()


# words for a group of states that a region's adjective makes an actor: "Western powers", "European nations"
_BLOC_NOUNS = frozenset({"country", "nation", "state", "power", "ally", "partner", "government", "neighbour",
                         "neighbor", "capital", "member", "bloc", "people", "public"})
_ARTICLE_REGIONS = frozenset({"west"})  # region names that are one only with "the": "the West"
_ALLY_NOUNS = frozenset({"ally", "proxy", "partner", "client", "surrogate"})


def someone_elses(noun: Token) -> bool:
    """Whether a noun names another party than its owner: "Washington's allies", "Iran's proxies"."""
    return noun.lemma_.lower() in _ALLY_NOUNS
# countries whose halves the news calls "the North" and "the South": (north, south)
_DIVIDED = (("PRK", "KOR"), ("SDN", "SSD"))


class DocActors:
    """The actor phrases of one document, and resolution of the noun phrases that name actors."""

    def __init__(self, kb: KnowledgeBase, doc: Doc, matches: list[Match], gazetteer: Any = None) -> None:
        self.kb = kb
        self.gazetteer = gazetteer
        self.doc = doc
        matches = [m for m in matches if not self._inside_other_place(m)]
        self.matches = matches
        self.by_token: dict[int, Match] = {}
        for m in matches:
            for i in range(m.start, m.end):
                self.by_token[i] = m
        self.history: list[tuple[int, Actor]] = []  # (token index of the mention, actor)
        self.surnames: dict[str, Actor] = {}
        self.countries: dict[str, int] = {}
        for m in matches:
            for e in m.entries:
                if e.kind == "country":
                    self.countries[e.ref] = self.countries.get(e.ref, 0) + 1
                    break
        ranked = sorted(self.countries, key=lambda c: -self.countries[c])
        self.context: tuple[str, ...] = tuple(ranked[:3])  # the countries the document is about
        self._elsewhere: dict[tuple[int, str], tuple[Match, Entry] | None] = {}  # see _city_elsewhere

    # -------------------------------------------------------------------------------------- public

    def _inside_other_place(self, m: Match) -> bool:
        """A country name inside a longer place name of another country: "Mexico" in "New Mexico"."""
        entry = m.first("country")
        if entry is None or entry.how != "name" or self.gazetteer is None:
            return False
        tok = self.doc[m.start]
        ent = next((e for e in entities_in(sentence_of(tok)) if e.start <= m.start and m.end <= e.end),
                   None) if tok.ent_type_ else None
        if ent is None or (ent.start, ent.end) == (m.start, m.end) or ent.label_ not in ("GPE", "LOC"):
            return False
        end = ent.end
        while end > ent.start + 1 and self.doc[end - 1].tag_ == "POS":
            end -= 1  # "New Mexico's"
        place = self.gazetteer.lookup_place(self.doc[ent.start:end].text)
        return place is not None and bool(place.country) and place.country != entry.ref

    def is_actor_token(self, token: Token) -> bool:
        """True when the token is part of a knowledge-base name (not a bare agent noun)."""
        m = self.by_token.get(token.i)
        return m is not None and bool(m.kinds() - {"agent"})

    def resolve(self, head: Token, when: str | None = None) -> Actor | None:
        """Code the noun phrase headed by ``head`` on the date ``when`` (ISO, any precision)."""
        tokens = self._np_tokens(head)
        actor = self._half_of_divided(head, tokens) or self._from_tokens(head, tokens, when)
        if actor is None:
            actor = self._corefer(head, tokens)
        if actor is not None:
            self._remember(head, actor)
        return actor

    def _region(self, head: Token, region: tuple[Match, Entry], agent: tuple[Match, Entry] | None) -> str | None:
        """How a region names the phrase's actor, if it does: by its name at the head ("Europe", "the West"),
        or in front of an agent noun or a word for states ("European leaders", "Western powers")."""
        r_m, r_e = region
        if r_m.start <= head.i < r_m.end:
            if r_e.how != "name" or head.ent_type_ == "PERSON" or head.dep_ == "compound" or (
                    head.lower_ in _ARTICLE_REGIONS and not self._definite(head)):
                return None  # "Kanye West", "the Europe Bridge"; "the West" needs its article
            return "name"
        if agent is not None and agent[0].start <= head.i < agent[0].end:
            return "agent"
        return "bloc" if head.lemma_.lower() in _BLOC_NOUNS else None

    def _half_of_divided(self, head: Token, tokens: list[int]) -> Actor | None:
        """"The North" and "the South" of a divided country the document names: "Seoul said the North fired
        a missile" -> PRK (the gazetteer would find a town called North)."""
        if head.lower_ not in ("north", "south") or len(tokens) > 2 or not self._definite(head):
            return None
        for north, south in _DIVIDED:
            if north in self.countries or south in self.countries:
                code = north if head.lower_ == "north" else south
                info = self.kb.countries.get(code, {})
                text, start, end = self._span(tokens)
                return Actor(text=text, code=str(info.get("cameo") or code), country=code, name=info.get("name"),
                             wikidata=info.get("wikidata"), start=start, end=end)
        return None

    def _owner_country(self, head: Token) -> str | None:
        """The country of the one a possessive pronoun refers to: in "Bosnian Serbs said their forces had
        withdrawn", "their forces" are Bosnia's military (not those of a country named nearby)."""
        for c in head.children:
            if c.dep_ == "poss" and c.pos_ == "PRON":
                owner = self._corefer(c, [c.i])
                if owner is not None and owner.country in self.kb.countries:
                    return owner.country
        return None

    def prime(self, sent: Span) -> None:
        """Resolve the named actors of a sentence in reading order, so that later pronouns and
        descriptions ("it", "the bloc") can refer back to them."""
        done: set[int] = set()
        for m in self.matches:
            if m.start < sent.start or m.start >= sent.end or not (m.kinds() - {"agent"}):
                continue
            head = self.doc[m.end - 1]
            while head.dep_ in ("compound", "amod", "nmod") and head.head.i != head.i and head.head.i < sent.end:
                head = head.head
            if head.i not in done:
                done.add(head.i)
                self.resolve(head)

    def np_text(self, head: Token) -> tuple[str, int, int]:
        tokens = self._np_tokens(head)
        start = min(tokens)
        end = max(tokens)
        span = self.doc[start : end + 1]
        return span.text, span.start_char, span.end_char

    # ------------------------------------------------------------------------------------ internals

    def _np_tokens(self, head: Token) -> list[int]:
        out: list[int] = []

        def visit(tok: Token, depth: int) -> None:
            out.append(tok.i)
            for child in tok.children:
                dep = child.dep_
                if dep in ("conj", "cc") or dep in ("relcl", "acl", "advcl", "ccomp", "xcomp"):
                    continue
                if dep == "prep" and (child.lower_ not in _NP_PREPS or depth > 1):
                    continue
                if dep == "punct" and child.i > tok.i:
                    continue
                if dep == "appos" and depth > 0:
                    continue
                if dep in _NP_DEPS or dep == "appos":
                    visit(child, depth + 1)

        visit(head, 0)
        # a match that starts inside the phrase extends to its end ("Elysee Palace")
        extra = [i for i in out if i in self.by_token for i in range(self.by_token[i].start, self.by_token[i].end)]
        return sorted(set(out) | set(extra))

    def _from_tokens(self, head: Token, tokens: list[int], when: str | None) -> Actor | None:
        doc = self.doc
        seen: list[Match] = []
        for i in tokens:
            m = self.by_token.get(i)
            if m is not None and m not in seen:
                seen.append(m)
        text, start, end = self._span(tokens)
        former = any(norm(doc[i].text).strip("-") in self.kb.former_words for i in tokens)

        person = org = country = agent = common = region = None
        country_how = ""
        for m in seen:
            for e in m.entries:
                if e.kind == "person" and e.how == "surname" and self._first_of_longer_name(m):
                    continue  # "Gul Rahman, a suspected militant" is not (Abdullah) Gul
                if e.kind == "person" and (person is None or self._in_office_instead(person[1], e, when)):
                    person = (m, e)  # ("George Bush" in 1990 is the father: who held office on the date)
                elif e.kind == "org" and org is None:
                    org = (m, e)
                elif e.kind == "country" and country is None and not self._side_taken(m) \
                        and not self._ally_of(m, head):
                    country, country_how = (m, e), e.how
                elif e.kind == "region" and region is None:
                    region = (m, e)
                elif e.kind == "agent" and _stance(doc, m):
                    continue  # "expressed its opposition to deploying missiles": a stance, not the opposition
                elif e.kind == "agent" and not m.start <= head.i < m.end and _word_part(doc, m.start):
                    continue  # "multi-party elections", "anti-war rally": part of a modifier word, no actor
                elif e.kind == "agent" and e.how == "ambiguous" and not m.start <= head.i < m.end:
                    # "a general strike", "tank trucks": a word that is also a rank or a weapon names an
                    # agent in a modifier only with a country or organisation beside it ("Syrian tank units")
                    common = common or (m, e)
                elif e.kind == "agent":
                    # the agent noun at the head wins over one in a modifier
                    if agent is None or m.start <= head.i < m.end:
                        agent = (m, e)
        if agent is None and common is not None and (org is not None or country is not None):
            agent = common
        if person is None:
            person = self._surname(head, tokens)
        sector = agent[1].ref if agent else None

        if person is not None:
            if isinstance(person, Actor):
                actor = Actor(**{**_fields(person), "text": text, "start": start, "end": end})
                return actor
            p = self.kb.people[int(person[1].ref)]
            return self._person_actor(p, text, start, end, when, former, sector)
        if org is not None and self.kb.orgs.get(org[1].ref, {}).get("kind") == "region" and country is None:
            # "Rakhine rebels": a region stands for its country, and the rest of the phrase gives the sector
            region = self.kb.orgs[org[1].ref]
            if region.get("country"):
                country, country_how, org = (org[0], Entry("country", str(region["country"]), "city")), "city", None
        if org is not None:
            org_m, org_e = org
            info = self.kb.orgs.get(org_e.ref, {})
            head_is_org = org_m.start <= head.i < org_m.end
            # "NATO officials" keep the organisation; "Chinese NATO critics" would not reach here
            if country is not None and not head_is_org and country[0].start > org_m.start:
                pass
            else:
                code = org_e.ref
                # an international body's "country" is its CAMEO group code: IGOUNO -> UNO, IGOEUREEC -> EUR
                org_country = info.get("country") or (code[3:6] if code[:3] in ("IGO", "NGO") and len(code) >= 6
                                                       else None)
                org_sector = info.get("sector")
                if org_country and org_sector and not code.startswith(str(org_country)):
                    code = f"{org_country}{org_sector}{code}" if len(code) <= 3 else code
                return Actor(text=text, code=code, country=org_country, sector=org_sector,
                             name=info.get("name"), wikidata=info.get("wikidata"), start=start, end=end)
        if country is not None and country_how in ("capital", "city"):
            country = self._city_elsewhere(country) or country
        if country is not None:
            settled = self._settled_in(head, tokens, country)
            if settled is not None:
                # a people living in another country is its population, not its state: "ethnic Albanians in
                # Serbia" are SRBCVL, as "Serbian people" are
                country, sector = settled, sector or "CVL"
            c_m, c_e = country
            info = self.kb.countries.get(c_e.ref, {})
            if sector is None:
                if country_how in _HOW_GOV and c_m.start <= head.i < c_m.end:
                    sector = "GOV"
                elif country_how == "milseat":
                    sector = "MIL"
            if former and sector == "GOV":
                sector = "ELI"
            code = str(info.get("cameo") or c_e.ref) + (sector or "")
            return Actor(text=text, code=code, country=c_e.ref, sector=sector, name=info.get("name"),
                         wikidata=info.get("wikidata"), start=start, end=end)
        if region is not None and (named := self._region(head, region, agent)) is not None:
            sector = agent[1].ref if agent is not None and named != "name" else None
            return Actor(text=text, code=region[1].ref + (sector or ""), country=None, sector=sector,
                         name=self.kb.regions.get(region[1].ref), start=start, end=end)
        if agent is None and head.ent_type_ in ("GPE", "LOC") and self.gazetteer is not None:
            # a town the knowledge base does not list: its country, from the gazetteer
            place = self.gazetteer.lookup(head.text, self.context)
            if place is not None and place.country:
                info = self.kb.countries.get(place.country, {})
                return Actor(text=text, code=str(info.get("cameo") or place.country), country=place.country,
                             name=info.get("name"), start=start, end=end)
        if agent is not None:
            place = self._owner_country(head) or self._country_nearby(head, leader=sector == "GOV",
                                                                       state=sector in _STATE_SECTORS,
                                                                       local=sector in _LOCAL_SECTORS)
            if place is not None:
                # "Opposition groups in Zimbabwe", "President X" in a sentence about one country only
                info = self.kb.countries.get(place, {})
                return Actor(text=text, code=str(info.get("cameo") or place) + str(sector), country=place,
                             sector=sector, name=info.get("name"), start=start, end=end)
            if not self._definite(head):
                return Actor(text=text, code=f"---{sector}", country=None, sector=sector, start=start, end=end)
        return None

    def _city_elsewhere(self, country: tuple[Match, Entry]) -> tuple[Match, Entry] | None:
        """A capital's name that is also a city of another country the document names, when the capital's own
        country is named no other way: "Tripoli" in a story about Lebanon is Lebanon's Tripoli."""
        m, e = country
        key = (m.start, e.ref)
        if key not in self._elsewhere:
            self._elsewhere[key] = self._find_city_elsewhere(m, e)
        return self._elsewhere[key]

    def _find_city_elsewhere(self, m: Match, e: Entry) -> tuple[Match, Entry] | None:
        name = self.doc[m.start:m.end].text
        others = [c for c in self.context if c != e.ref]
        if self.gazetteer is None or not others or any(
                x is not m and any(f.kind == "country" and f.ref == e.ref for f in x.entries)
                and self.doc[x.start:x.end].text != name for x in self.matches):
            return None
        cities = [p for p, main in self.gazetteer.candidates(name) if p.kind == "city" and main]
        own = max((p.population for p in cities if p.country == e.ref), default=0)
        for place in cities:
            # a city big enough to be the one meant ("Washington" in a story about Britain is not the English town)
            if place.country in others and place.population >= max(100_000, own * 0.15):
                return m, Entry("country", place.country, "city")
        return None

    def _settled_in(self, head: Token, tokens: list[int], country: tuple[Match, Entry]) -> tuple[Match, Entry] | None:
        """The country an ethnic group lives in, where its phrase says so: "ethnic Albanians in south Serbia" and
        "the Albanians of southern Serbia" are coded as actors of Serbia, the country they act in; so are ethnic
        Albanians who demonstrate or are killed "in Serbia" (the clause's own place). A nationality
        stays: "Russian troops in Syria", "Kenyan refugees in Uganda"."""
        c_m, c_e = country
        if c_e.how not in ("adjective", "demonym"):
            return None
        if any(self.doc[i].lower_ == "ethnic" for i in tokens):
            preps: tuple[str, ...] = ("in", "of")
        elif c_m.start <= head.i < c_m.end:
            preps = ("of",)  # the people of a country named by the demonym itself
        else:
            return None
        holders = [head]
        if "in" in preps and head.dep_ in ("nsubj", "nsubjpass", "dobj"):
            holders.append(head.head)  # where they act: "ethnic Albanians demonstrated in Serbia", "killed ... in"
        for holder in holders:
            for c in holder.children:
                if c.dep_ == "prep" and c.lower_ in (preps if holder is head else ("in", "at", "near")):
                    for _, m, entry in self._countries_in(c):
                        if entry.ref != c_e.ref and not self._side_taken(m):
                            return m, entry
        return None

    def _ally_of(self, m: Match, head: Token) -> bool:
        """Whether a country names whose ally or proxy the phrase is, not its own: "Israel's militia ally in
        southern Lebanon" is a Lebanese militia."""
        root = self.doc[m.end - 1]
        return root.dep_ == "poss" and someone_elses(root.head) and not m.start <= head.i < m.end

    def _side_taken(self, m: Match) -> bool:
        """Whether a country named in a phrase is a side it takes, not its own: "pro-Russian separatists",
        "an anti-Syria journalist"."""
        doc = self.doc
        return (m.start >= 2 and doc[m.start - 1].text == "-" and doc[m.start - 2].lower_ in _SIDE_TAKEN) or (
            m.end + 1 < len(doc) and doc[m.end].text == "-" and doc[m.end + 1].lower_ in _HELD_BY)

    def _in_office_instead(self, chosen: Entry, other: Entry, when: str | None) -> bool:
        """Whether ``other``, a person sharing a name with the ``chosen`` one, held a role on the date and the
        chosen one did not."""
        if date_bounds(when) is None:
            return False
        return (_role_on(self.kb.people[int(chosen.ref)], when) is None
                and _role_on(self.kb.people[int(other.ref)], when) is not None)

    def _country_nearby(self, head: Token, leader: bool = False, state: bool = True,
                        local: bool = False) -> str | None:
        """The country of an agent: from "in X" after it, for the people of a place (``local``) from where
        their clause says they act ("thousands of people blocked streets in Hong Kong"), else the only country
        its sentence names.

        A leader does not take the country of another leader of the sentence: in "President Mitterand
        welcomed South African leader de Klerk" the president is not South Africa's. An agent of no state
        (``state`` false: rebels, gunmen) does not take the nationality of those it acts on."""
        for c in head.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "throughout", "across", "inside"):
                for _, m, entry in self._countries_in(c):
                    elsewhere = self._city_elsewhere((m, entry)) if entry.how in ("capital", "city") else None
                    return (elsewhere or (m, entry))[1].ref
                for tok in c.children:  # "authorities in Wyoming": a place the knowledge base does not list
                    if tok.dep_ == "pobj" and tok.ent_type_ in ("GPE", "LOC") and self.gazetteer is not None:
                        place = self.gazetteer.lookup_place(self.doc[tok.left_edge.i:tok.i + 1].text, self.context)
                        if place is not None and place.country:
                            return str(place.country)
        if local and (verb := _verb_of_subject(head)) is not None and (acted := self._acted_in(verb)) is not None:
            return acted
        sent = sentence_of(head)
        # (whom rebels or gunmen act on says nothing of their own country: "rebels kidnapped 16 Russian
        # advisers"; the police and the army of "police arrested Kenyan protesters" are that country's)
        acted_on = set() if state or head.dep_ != "nsubj" else {
            t.i for c in head.head.children if c.dep_ in ("dobj", "dative") for t in c.children
            if t.dep_ in ("amod", "compound", "nmod", "poss")}
        found = {e.ref for i in range(sent.start, sent.end) if (m := self.by_token.get(i)) is not None
                 for e in m.entries[:1] if e.kind == "country" and not (leader and self._of_a_leader(i, head))
                 and not self._party_of_its_own(m, e) and not self._side_taken(m) and i not in acted_on}
        if len(found) == 1:
            return found.pop()
        if not found and self.countries:
            # "police fired tear gas" in an article about Hong Kong: the country the article is about
            top = self.context[0]
            total = sum(self.countries.values())
            if self.countries[top] >= 2 and self.countries[top] * 2 > total:
                return top
        return None

    def _countries_in(self, phrase: Token) -> Iterator[tuple[Token, Match, Entry]]:
        """The country names in a phrase, in reading order, each with its token and match."""
        for tok in phrase.subtree:
            m = self.by_token.get(tok.i)
            entry = m.first("country") if m is not None else None
            if entry is not None:
                yield tok, m, entry

    def _acted_in(self, verb: Token) -> str | None:
        """The country of the place a clause says it happened in: "blocked streets in Hong Kong", "rioted at
        a jail in Dili" (a place named as such, not "in defiance of Chinese authorities")."""
        for holder in (verb, *(c for c in verb.children if c.dep_ == "dobj")):
            for c in holder.children:
                if c.dep_ == "prep" and c.lower_ in ("in", "at", "across", "throughout"):
                    for tok, _, entry in self._countries_in(c):
                        if tok.ent_type_ in ("GPE", "LOC", "FAC") and entry.how in ("name", "capital", "city", "seat"):
                            return entry.ref
        return None

    def _party_of_its_own(self, m: Match, entry: Entry) -> bool:
        """A country named as an actor of its own ("warned Iran", "attacked Syria"), not as the modifier of
        another noun ("Kenyan protesters"): the unnamed agents of the sentence are not its people."""
        last = self.doc[m.end - 1]
        if last.dep_ == "pobj" and last.head.lower_ in ("in", "at", "near", "across", "throughout", "inside"):
            return False  # where the sentence happens: "police arrested 20 people in Kenya"
        return entry.how == "name" and last.dep_ not in ("amod", "compound", "nmod", "poss")

    def _of_a_leader(self, i: int, head: Token) -> bool:
        """Whether the country word at token i names the country of a government title other than head's."""
        tok = self.doc[i]
        for _ in range(3):
            if tok.dep_ not in ("amod", "compound", "poss", "nmod") or tok.head.i == tok.i:
                return False
            tok = tok.head
            if tok.i == head.i:
                return False
            m = self.by_token.get(tok.i)
            if m is not None and any(e.kind == "agent" and e.ref == "GOV" for e in m.entries):
                return True
        return False

    def _person_actor(self, p: Person, text: str, start: int, end: int, when: str | None,
                      former: bool, sector_hint: str | None) -> Actor:
        role = _role_on(p, when)
        if role is not None and not former:
            body = role.country[:3] in ("IGO", "NGO")  # the head of an international body is coded as the body
            code = role.code or (role.country if body else role.country + "GOV")
            sector = None if body else (code[3:6] or None)
            country = role.country[3:6] if body else role.country
            return Actor(text=text, code=code, country=country, sector=sector, name=p.name,
                          role=role.role, wikidata=p.wikidata, start=start, end=end)
        last = max(p.roles, key=lambda r: r.start or "")
        return Actor(text=text, code=last.country + "ELI", country=last.country, sector="ELI", name=p.name,
                     role=f"former {last.role}".strip(), wikidata=p.wikidata, start=start, end=end)

    def _first_of_longer_name(self, m: Match) -> bool:
        """Whether the match is followed by more of the same person's name (a surname is a name's last word), or
        sits inside a longer name that is no person's ("a Vehicle Borne Improvised Explosive Device")."""
        doc = self.doc
        after = doc[m.end] if m.end < len(doc) else None
        before = doc[m.start - 1] if m.start > 0 else None
        if after is not None and after.pos_ == "PROPN" and after.ent_iob_ == "I" and after.ent_type_ == "PERSON":
            return True
        if before is not None and before.text in ("El", "La", "Los", "Las"):
            return True  # a nickname: "El Chapo" Guzman is not Mozambique's president Daniel Chapo
        return doc[m.start].ent_type_ != "PERSON" and all(
            t is not None and t.pos_ == "PROPN" and t.is_title and t.ent_type_ != "PERSON" for t in (before, after))

    def _surname(self, head: Token, tokens: list[int]) -> Actor | None:
        if head.ent_type_ != "PERSON":
            return None
        return self.surnames.get(norm(head.text))

    def _corefer(self, head: Token, tokens: list[int]) -> Actor | None:
        lower = head.lower_
        if lower in _PRONOUNS and head.pos_ == "PRON":
            want = _PRONOUNS[lower]
            bound = self._clause_subject(head) if head.dep_ == "poss" else self._speaker_of(head)
            if bound is not None:
                return _pronoun(bound, head)
            earliest = sentence_of(head).start - 200
            # an object pronoun is not its own clause's subject: in "Kiir pardoned him", "him" is someone else
            own = {t.i for c in head.head.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree} \
                if head.dep_ in ("dobj", "dative") else set()
            for pos, actor in reversed(self.history):
                if pos >= head.i or pos < earliest or pos in own:
                    continue  # only what was said before the pronoun, and not too long before
                if want == "person" and (actor.role or actor.sector in ("GOV", "ELI") and actor.name):
                    return _pronoun(actor, head)
                if want == "thing" and not actor.role and actor.sector in (None, "GOV", "MIL") :
                    return _pronoun(actor, head)
                if want == "group" and not actor.role:
                    return _pronoun(actor, head)
            if want == "person" and own:
                # a person the knowledge base does not know, named before: "Ajak was released after the
                # president pardoned him"
                named = [e for e in self.doc.ents if e.label_ == "PERSON" and earliest <= e.start and e.end <= head.i
                         and e.root.i not in own]
                if named:
                    e = named[-1]
                    return _pronoun(Actor(text=e.text, code=None, start=e.start_char, end=e.end_char), head)
            return None
        if not self._definite(head):
            return None
        key = norm(head.lemma_)
        before = [a for pos, a in self.history if pos < head.i]
        codes = self.kb.descriptions.get(key) or self.kb.descriptions.get(norm(head.text))
        if codes:
            for actor in reversed(before):
                if actor.code in codes:
                    return _copy(actor, head, self._span(tokens))
            for actor in reversed(before):
                if actor.code and actor.code.startswith(("IGO", "NGO")):
                    return _copy(actor, head, self._span(tokens))
        m = self.by_token.get(head.i)
        if m is not None and m.first("agent"):
            sector = m.first("agent").ref  # type: ignore[union-attr]
            for actor in reversed(before):
                if actor.sector == sector and actor.country:
                    return _copy(actor, head, self._span(tokens))
        return None

    def _speaker_of(self, pron: Token) -> Actor | None:
        """A subject pronoun in reported speech is the speaker: "Syria says it is willing ..." -> Syria."""
        if pron.dep_ not in ("nsubj", "nsubjpass"):
            return None
        clause = pron.head
        if clause.dep_ != "ccomp":
            return None
        speaker = [c for c in clause.head.children if c.dep_ == "nsubj" and c.pos_ != "PRON"]
        if not speaker:
            return None
        return self._from_tokens(speaker[0], self._np_tokens(speaker[0]), None)

    def _clause_subject(self, pron: Token) -> Actor | None:
        """A possessive pronoun binds to the subject of its clause: "China expressed its opposition"."""
        tok = pron.head
        for _ in range(6):
            if tok.pos_ in ("VERB", "AUX"):
                break
            if tok.head.i == tok.i:
                return None
            tok = tok.head
        for _ in range(3):
            subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and c.i != pron.i]
            if subj and subj[0].left_edge.i <= pron.i <= subj[0].right_edge.i:
                # the pronoun is in the subject itself ("they said their forces had withdrawn"): the speaker's
                subj, up = [], tok.dep_ == "ccomp"
            else:
                up = tok.dep_ in ("conj", "xcomp")
            if subj:
                if subj[0].pos_ == "PRON":
                    return None
                return self._from_tokens(subj[0], self._np_tokens(subj[0]), None)
            if not up or tok.head.i == tok.i:
                return None
            tok = tok.head
        return None

    def _remember(self, head: Token, actor: Actor) -> None:
        if actor.code is None or actor.code.startswith("---"):
            return
        self.history.append((head.i, actor))
        if head.ent_type_ == "PERSON" or actor.role:
            # "French President Emmanuel Macron" -> later "Macron"
            self.surnames.setdefault(norm(head.text), actor)

    def _definite(self, head: Token) -> bool:
        return any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in head.children)

    def _span(self, tokens: list[int]) -> tuple[str, int, int]:
        doc = self.doc
        lo, hi = min(tokens), max(tokens)
        while lo < hi and doc[lo].is_punct:
            lo += 1
        while hi > lo and doc[hi].is_punct:
            hi -= 1
        span = doc[lo : hi + 1]
        return span.text, span.start_char, span.end_char


def _verb_of_subject(head: Token) -> Token | None:
    """The verb whose subject the phrase of ``head`` is ("thousands of people blocked": blocked)."""
    tok = head
    while tok.dep_ in ("pobj", "prep") and tok.head.i != tok.i:
        tok = tok.head  # "people" in "thousands of people"
    return tok.head if tok.dep_ == "nsubj" and tok.head.pos_ in ("VERB", "AUX") else None


def _role_on(p: Person, when: str | None):  # type: ignore[no-untyped-def]
    bounds = date_bounds(when)
    if bounds is None:
        # no date to go by: the person's current role, else the latest one they held
        current = [r for r in p.roles if not r.end]
        return current[0] if current else max(p.roles, key=lambda r: r.start or "", default=None)
    lo, hi = bounds
    for r in sorted(p.roles, key=lambda r: r.start or ""):
        if (r.start or "0000") <= hi and (r.end or "9999") >= lo:
            return r
    return None


def _fields(actor: Actor) -> dict[str, object]:
    return {f: getattr(actor, f) for f in actor.__slots__}  # type: ignore[attr-defined]


def _pronoun(actor: Actor, pron: Token) -> Actor:
    """A pronoun's actor: its antecedent's words ("it" -> "the Indian military"), at the pronoun's offsets."""
    return Actor(**{**_fields(actor), "start": pron.idx, "end": pron.idx + len(pron.text)})


def _copy(actor: Actor, head: Token, span: tuple[str, int, int] | None = None) -> Actor:
    text, start, end = span if span else (head.text, head.idx, head.idx + len(head.text))
    return Actor(**{**_fields(actor), "text": text, "start": start, "end": end})
