"""The actor knowledge base: countries, organisations, agents (sectors) and people with dated roles.

The facts live in readable package data (``actors/data``); a user file written by the importers
(``actors.yaml`` in the user data directory, or ``EVENTCODER_ACTORS``) is layered on top. The phrase index
that the matcher needs is built once and cached as a pickle keyed by the data's content and the tokenizer.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import pickle
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .._config import user_cache_dir, user_data_dir

__all__ = [
    "Entry",
    "KnowledgeBase",
    "Person",
    "Role",
    "load_kb",
    "norm",
    "user_actors_path",
]

INDEX_VERSION = 6
MAX_PHRASE = 8


def norm(text: str) -> str:
    """Lowercase, strip accents and unify apostrophes, so "Élysée" matches "Elysee"."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@dataclass(frozen=True, slots=True)
class Role:
    country: str
    role: str  # head_of_state, head_of_government, foreign_minister, ...
    start: str | None  # ISO date
    end: str | None  # ISO date, None = still in office
    code: str | None = None  # the actor code while in the role (default: country + GOV)


@dataclass(slots=True)
class Person:
    name: str
    roles: list[Role] = field(default_factory=list)
    wikidata: str | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """What a phrase in the index means.

    kind: country | org | person | agent | region. ``ref`` is the country, organisation or region code, the
    person's index, or the sector code. ``how`` says how the phrase names it: name, adjective, demonym, capital,
    seat, milseat, city, alias, description, surname, term, ambiguous (an agent term that is also a
    common word).
    """

    kind: str
    ref: str
    how: str
    case_sensitive: bool = False


@dataclass(slots=True)
class KnowledgeBase:
    countries: dict[str, dict[str, Any]] = field(default_factory=dict)
    orgs: dict[str, dict[str, Any]] = field(default_factory=dict)
    regions: dict[str, str] = field(default_factory=dict)  # region code -> name
    sectors: dict[str, str] = field(default_factory=dict)  # sector code -> name
    people: list[Person] = field(default_factory=list)
    index: dict[tuple[str, ...], list[Entry]] = field(default_factory=dict)
    descriptions: dict[str, list[str]] = field(default_factory=dict)  # "bloc" -> org codes
    first_tokens: set[str] = field(default_factory=set)  # first tokens of indexed phrases, for a fast scan
    former_words: frozenset[str] = frozenset({"former", "ex", "ex-", "late", "retired"})
    max_phrase: int = MAX_PHRASE

    def lookup(self, tokens: Sequence[str]) -> list[Entry]:
        return self.index.get(tuple(tokens), [])

    def country_name(self, code: str) -> str | None:
        entry = self.countries.get(code)
        return entry.get("name") if entry else None

    def org(self, code: str) -> dict[str, Any] | None:
        return self.orgs.get(code)


def user_actors_path() -> Path:
    env = os.environ.get("EVENTCODER_ACTORS")
    return Path(env) if env else user_data_dir() / "actors.yaml"


# ---------------------------------------------------------------------------------------------- loading


def _data_files() -> list[tuple[str, bytes]]:
    root = resources.files("eventcoder.actors") / "data"
    out: list[tuple[str, bytes]] = []
    for name in ("countries.yaml", "organizations.yaml", "institutions.yaml", "organizations_1979_2010.yaml",
                 "institutions_1979_2010.yaml", "regions.yaml", "agents.yaml"):
        f = root / name
        if f.is_file():
            out.append((name, f.read_bytes()))
    people = root / "people"
    if people.is_dir():
        for f in sorted(people.iterdir(), key=lambda p: p.name):
            if f.name.endswith(".csv"):
                out.append(("people/" + f.name, f.read_bytes()))
    user = user_actors_path()
    if user.is_file():
        out.append(("user:" + str(user), user.read_bytes()))
    return out


def load_kb(tokenize: Callable[[str], list[str]], tokenizer_key: str) -> KnowledgeBase:
    """Load the knowledge base, from the pickle cache when the data and tokenizer are unchanged."""
    files = _data_files()
    digest = hashlib.sha256(f"{INDEX_VERSION}|{tokenizer_key}".encode())
    for name, data in files:
        digest.update(name.encode())
        digest.update(data)
    key = digest.hexdigest()[:20]
    return _load_cached(key, tuple(files), tokenize)


@lru_cache(maxsize=4)
def _load_cached(key: str, files: tuple[tuple[str, bytes], ...], tokenize: Callable[[str], list[str]]) -> KnowledgeBase:
    cache = user_cache_dir() / f"kb-{key}.pickle"
    if cache.is_file():
        try:
            with cache.open("rb") as fh:
                kb = pickle.load(fh)
            if isinstance(kb, KnowledgeBase):
                return kb
        except Exception:  # a stale or broken cache is rebuilt
            pass
    kb = _build(files, tokenize)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(kb, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(cache)
    except OSError:
        pass
    return kb


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml(data: bytes) -> Any:
    return yaml.load(data, Loader=_Loader)  # noqa: S506 - a safe loader, the C one where available


def _build(files: Iterable[tuple[str, bytes]], tokenize: Callable[[str], list[str]]) -> KnowledgeBase:
    kb = KnowledgeBase()
    builder = _IndexBuilder(kb, tokenize)
    for name, data in files:
        if name == "countries.yaml":
            for c in _yaml(data) or []:
                builder.add_country(c)
        elif name.startswith(("organizations", "institutions")):
            for o in _yaml(data) or []:
                builder.add_org(o)
        elif name == "regions.yaml":
            for r in _yaml(data) or []:
                builder.add_region(r)
        elif name == "agents.yaml":
            builder.add_agents(_yaml(data) or {})
        elif name.startswith("people/"):
            builder.add_people(_read_csv(data))
        elif name.startswith("user:"):
            builder.add_user(_yaml(data) or {})
    return kb


def _read_csv(data: bytes) -> list[dict[str, str]]:
    lines = [ln for ln in data.decode("utf-8").splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value if v]


class _IndexBuilder:
    def __init__(self, kb: KnowledgeBase, tokenize: Callable[[str], list[str]]) -> None:
        self.kb = kb
        self.tokenize = tokenize
        self.person_keys: dict[str, int] = {}

    def add(self, phrase: str, entry: Entry) -> None:
        phrase = phrase.strip()
        if phrase.lower().startswith("the "):
            phrase = phrase[4:]
        if not phrase:
            return
        tokens = tuple(norm(t) for t in self.tokenize(phrase))
        if not tokens or len(tokens) > MAX_PHRASE:
            return
        bare = phrase.replace(".", "").replace("-", "")
        if entry.kind != "agent" and bare.isupper() and len(bare) <= 6 and not entry.case_sensitive:
            entry = Entry(entry.kind, entry.ref, entry.how, case_sensitive=True)
        self.kb.first_tokens.add(tokens[0])
        bucket = self.kb.index.setdefault(tokens, [])
        if entry not in bucket:
            bucket.append(entry)

    def add_country(self, c: dict[str, Any]) -> None:
        code = str(c["code"])
        self.kb.countries[code] = {
            "code": code,
            "cameo": c.get("cameo") or code,
            "name": c.get("name", code),
            "wikidata": c.get("wikidata"),
            "region": c.get("region"),
            "capital": c.get("capital"),
        }
        ambiguous = {norm(a) for a in _as_list(c.get("ambiguous"))}
        for how, key in (
            ("name", "names"),
            ("adjective", "adjectives"),
            ("demonym", "demonyms"),
            ("seat", "seats"),
            ("milseat", "military_seats"),
            ("city", "cities"),
        ):
            for phrase in _as_list(c.get(key)):
                self.add(phrase, Entry("country", code, self._how(phrase, how, ambiguous)))
        self.add(str(c.get("name", "")), Entry("country", code, "name"))
        if c.get("capital"):
            capital = str(c["capital"])
            self.add(capital, Entry("country", code, self._how(capital, "capital", ambiguous)))

    @staticmethod
    def _how(phrase: str, how: str, ambiguous: set[str]) -> str:
        # an ambiguous capital ("Brussels" is also the EU) names the place, not the government
        if how in ("capital", "seat") and norm(phrase) in ambiguous:
            return "city"
        return how

    def add_org(self, o: dict[str, Any]) -> None:
        code = str(o["code"])
        if code in self.kb.orgs:
            # a second body under the same code (a NATO mission coded as NATO) keeps the first's name
            for phrase in [str(o.get("name", ""))] + _as_list(o.get("aliases")):
                self.add(phrase, Entry("org", code, "alias"))
            for desc in _as_list(o.get("descriptions")):
                self.kb.descriptions.setdefault(norm(desc), []).append(code)
            return
        self.kb.orgs[code] = {
            "code": code,
            "name": o.get("name", code),
            "kind": o.get("kind", "igo"),
            "country": o.get("country"),
            "sector": o.get("sector"),
            "wikidata": o.get("wikidata"),
        }
        for phrase in [str(o.get("name", ""))] + _as_list(o.get("aliases")):
            self.add(phrase, Entry("org", code, "alias"))
        for desc in _as_list(o.get("descriptions")):
            self.kb.descriptions.setdefault(norm(desc), []).append(code)

    def add_region(self, r: dict[str, Any]) -> None:
        code = str(r["code"])
        self.kb.regions[code] = str(r.get("name", code))
        for how, key in (("name", "names"), ("adjective", "adjectives")):
            for phrase in _as_list(r.get(key)):
                self.add(phrase, Entry("region", code, how))

    def add_agents(self, data: dict[str, Any]) -> None:
        for sector, spec in (data.get("sectors") or {}).items():
            spec = spec or {}
            self.kb.sectors[str(sector)] = str(spec.get("name", sector))
            # a term that is also a common word ("a general strike") is marked, see Resolver._from_tokens
            ambiguous = {norm(a) for a in _as_list(spec.get("ambiguous"))}
            for term in _as_list(spec.get("terms")):
                how = "ambiguous" if norm(term) in ambiguous else "term"
                for form in _plurals(term):
                    self.add(form, Entry("agent", str(sector), how))
        # phrases that carry two sector codes ("defence minister" -> GOVMIL)
        for codes, terms in (data.get("compounds") or {}).items():
            for term in _as_list(terms):
                for form in _plurals(term):
                    self.add(form, Entry("agent", str(codes), "term"))
        quals = data.get("qualifiers") or {}
        former = {norm(w) for w in _as_list(quals.get("former"))}
        if former:
            self.kb.former_words = frozenset(former)

    def add_people(self, rows: list[dict[str, str]]) -> None:
        for row in rows:
            name = (row.get("name") or "").strip()
            country = (row.get("country") or "").strip()
            if not name or not country:
                continue
            role = Role(
                country=country,
                role=(row.get("role") or "").strip(),
                start=(row.get("start") or "").strip() or None,
                end=(row.get("end") or "").strip() or None,
                code=(row.get("code") or "").strip() or None,
            )
            self.add_person(name, _as_list((row.get("aliases") or "").split("|")), role, row.get("wikidata"))

    def add_person(self, name: str, aliases: list[str], role: Role, wikidata: str | None = None) -> None:
        # one person across countries and bodies: Stoltenberg was Norway's prime minister, then NATO's head
        key = norm(name)
        idx = self.person_keys.get(key)
        if idx is None:
            idx = len(self.kb.people)
            self.person_keys[key] = idx
            self.kb.people.append(Person(name=name, wikidata=(wikidata or "").strip() or None))
        person = self.kb.people[idx]
        if role not in person.roles:
            person.roles.append(role)
        self.add(name, Entry("person", str(idx), "name"))
        for alias in aliases:
            alias = alias.strip()
            if alias:
                how = "surname" if " " not in alias else "name"
                self.add(alias, Entry("person", str(idx), how))

    def add_user(self, data: dict[str, Any]) -> None:
        """Layer a user file (written by the importers) over the built-in knowledge."""
        for c in data.get("countries") or []:
            self.add_country(c)
        for o in data.get("organizations") or []:
            self.add_org(o)
        for a in data.get("actors") or []:
            # free-form actors: {name, aliases, code, country, sector, start?, end?}
            code = str(a["code"])
            self.kb.orgs.setdefault(
                code,
                {"code": code, "name": a.get("name", code), "kind": "user", "country": a.get("country"),
                 "sector": a.get("sector"), "wikidata": a.get("wikidata")},
            )
            for phrase in [str(a.get("name", ""))] + _as_list(a.get("aliases")):
                self.add(phrase, Entry("org", code, "alias"))
        for p in data.get("people") or []:
            for r in p.get("roles") or []:
                role = Role(str(r.get("country") or str(r.get("code", ""))[:3]), str(r.get("role", "")),
                            _iso(r.get("start")), _iso(r.get("end")), r.get("code"))
                self.add_person(str(p["name"]), _as_list(p.get("aliases")), role, p.get("wikidata"))
        if data.get("agents"):
            self.add_agents({"sectors": data["agents"]})


def _iso(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _plurals(term: str) -> list[str]:
    words = term.split()
    if not words:
        return []
    last = words[-1]
    forms = {last}
    if last.endswith("y") and len(last) > 2 and last[-2] not in "aeiou":
        forms.add(last[:-1] + "ies")
    elif last.endswith(("s", "x", "ch", "sh")):
        forms.add(last + "es")
    elif last.endswith("man"):
        forms.add(last[:-3] + "men")
    else:
        forms.add(last + "s")
    return [" ".join(words[:-1] + [f]) for f in sorted(forms)]
