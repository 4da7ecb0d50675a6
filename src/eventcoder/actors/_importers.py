"""Importers that turn other dictionaries into the eventcoder user actor and trigger files.

Three sources are understood:

* TABARI / PETRARCH actor and agent dictionaries (``import_petrarch``): the flat text format used by the
  Phoenix and PETRARCH projects (``NAME_ [CODE]``, ``+SYNONYM`` lines, dated codes on indented lines,
  agents as ``PRESIDENT [~GOV]``).
* TABARI / PETRARCH verb dictionaries (``import_petrarch_verbs``): verb blocks (``--- VERB [code] ---``),
  verb lines and ``- pattern [code]`` lines, turned into trigger patterns in the grammar of the built-in
  lexicon (``events/data/triggers.yaml``).
* A Wikidata SPARQL result in JSON (``import_wikidata``): one row per "position held" statement.

The actor importers return a mapping in the shape of the user file read by ``_IndexBuilder.add_user`` (keys
``countries``, ``actors``, ``people``, ``agents``); ``merge_user_file`` merges such a mapping into the user
actor file on disk. The verbs importer returns a mapping of event codes to patterns, which
``merge_triggers_file`` merges into the user trigger file (see ``events._triggers``).
``register_cli`` adds ``eventcoder actors import-petrarch`` (actors, agents and verbs files) and
``eventcoder actors import-wikidata``. The formats, the choices made and an example SPARQL query are
described in ``docs/actors_import.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import EventcoderError
from ._kb import norm, user_actors_path

__all__ = [
    "NULL_CODES",
    "TWO_DIGIT_YEAR_PIVOT",
    "import_petrarch",
    "import_petrarch_verbs",
    "import_wikidata",
    "merge_triggers_file",
    "merge_user_file",
    "register_cli",
]

log = logging.getLogger("eventcoder.actors.import")

#: Two-digit years ``YY`` in PETRARCH dates: 00..30 mean 2000..2030, 31..99 mean 1931..1999. This is the
#: KEDS/TABARI/PETRARCH convention; any pivot from 16 to 30 keeps every date range in the Phoenix
#: dictionaries running forwards, a lower or higher one reverses some.
TWO_DIGIT_YEAR_PIVOT = 30

#: Codes that mean "do not code this phrase" in TABARI/PETRARCH dictionaries.
NULL_CODES = frozenset({"---", "+++", "###"})

#: Three-letter prefixes that are actor types, not countries (CAMEO's international and non-state types).
_NON_COUNTRY = frozenset({"IGO", "NGO", "NGM", "IMG", "MNC", "UIS", "INT"})
#: CAMEO role codes, used when the packaged agents.yaml is not available.
_FALLBACK_SECTORS = {
    "GOV": "government", "MIL": "military", "REB": "rebels", "OPP": "opposition", "PTY": "political parties",
    "COP": "police", "JUD": "judiciary", "SPY": "intelligence services", "LEG": "legislature",
    "ELI": "elites", "CVL": "civilians", "BUS": "business", "MED": "media", "EDU": "education",
    "REF": "refugees", "LAB": "labor", "HLH": "health", "CRM": "criminals", "REL": "religion",
    "HRI": "human rights", "ENV": "environment", "AGR": "agriculture", "DEV": "development",
    "UAF": "armed forces of unclear alignment", "INS": "insurgents", "SEP": "separatists",
}
_USER_KEYS = ("countries", "organizations", "actors", "people", "agents")
_COUNTRY_META = ("name", "cameo", "wikidata", "region", "capital")
_DAY_MIN = dt.date.min.toordinal()
_DAY_MAX = dt.date.max.toordinal()

_BRACKET = re.compile(r"\[([^\]]*)\]")
_SPEC = re.compile(
    r"^(?P<code>[^\s<>]+)?\s*(?:(?P<op>[<>])\s*(?P<d>\d+)|(?P<a>\d+)\s*-\s*(?P<b>\d+))?\s*$"
)
_CODE = re.compile(r"^(?:~?[A-Z][A-Z0-9]*(?:/[A-Z][A-Z0-9]*)*~?|---|\+\+\+|###)$")
_MACRO_DEF = re.compile(r"^!([^!\s]+)!\s*=\s*(.*)$")
_MACRO_USE = re.compile(r"!([^!\s]+)!")
_PLURAL = re.compile(r"\{([^}]*)\}")
_PAREN = re.compile(r"\s*\(([^()]*)\)\s*")
_SMALL_WORDS = frozenset({
    "of", "the", "and", "for", "in", "on", "at", "to", "by", "de", "du", "des", "da", "di", "del", "la", "le",
    "el", "al", "van", "von", "der", "den", "bin", "ibn",
})


# ------------------------------------------------------------------------------------- package facts


@dataclass(frozen=True)
class _Facts:
    countries: dict[str, dict[str, Any]]  # ISO code -> the packaged entry
    by_cameo: dict[str, str]  # CAMEO or ISO code -> ISO code
    by_wikidata: dict[str, str]  # country item id -> ISO code
    by_name: dict[str, str]  # normalized country name -> ISO code
    sectors: dict[str, str]  # sector code -> name


def _safe_load(data: bytes | str) -> Any:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(data, Loader=loader)


@lru_cache(maxsize=1)
def _facts() -> _Facts:
    root = resources.files("eventcoder.actors") / "data"
    countries: dict[str, dict[str, Any]] = {}
    sectors = dict(_FALLBACK_SECTORS)
    try:
        for c in _safe_load((root / "countries.yaml").read_bytes()) or []:
            if isinstance(c, dict) and c.get("code"):
                countries[str(c["code"])] = c
    except (OSError, yaml.YAMLError):  # pragma: no cover - the package ships the file
        pass
    try:
        agents = _safe_load((root / "agents.yaml").read_bytes()) or {}
        for code, spec in (agents.get("sectors") or {}).items():
            sectors[str(code)] = str((spec or {}).get("name") or code)
    except (OSError, yaml.YAMLError, AttributeError):
        pass
    by_cameo: dict[str, str] = {}
    by_wikidata: dict[str, str] = {}
    by_name: dict[str, str] = {}
    for code, c in countries.items():
        by_cameo[code] = code
        if c.get("cameo"):
            by_cameo.setdefault(str(c["cameo"]), code)
        if c.get("wikidata"):
            by_wikidata[str(c["wikidata"])] = code
        for n in [c.get("name")] + list(c.get("names") or []):
            if n:
                by_name.setdefault(norm(str(n)), code)
    return _Facts(countries, by_cameo, by_wikidata, by_name, sectors)


def _country_like(prefix: str) -> bool:
    """Whether a three-letter code prefix names a country (or a country-like unit such as a region)."""
    if len(prefix) != 3 or not prefix.isalpha() or not prefix.isupper():
        return False
    facts = _facts()
    if prefix in facts.by_cameo:
        return True
    return prefix not in _NON_COUNTRY and prefix not in facts.sectors


def _iso(prefix: str) -> str:
    return _facts().by_cameo.get(prefix, prefix)


# ---------------------------------------------------------------------------------------- statistics


@dataclass
class _Stats:
    warnings: int = 0
    null_coded: int = 0
    messages: list[str] = field(default_factory=list)

    def warn(self, where: str, message: str) -> None:
        """A malformed line or row, skipped."""
        self.warnings += 1
        self._say(f"skipped {where}: {message}")

    def note(self, where: str, message: str) -> None:
        """A line read with a simplification."""
        self._say(f"note {where}: {message}")

    def _say(self, text: str) -> None:
        if len(self.messages) < 50:
            self.messages.append(text)
        log.debug("%s", text)

    def as_dict(self) -> dict[str, Any]:
        return {"warnings": self.warnings, "null_coded": self.null_coded, "messages": list(self.messages)}


# ------------------------------------------------------------------------------------ PETRARCH files


@dataclass
class _Spec:
    code: str
    kind: str  # default | lt | gt | range
    lo: int = _DAY_MIN  # ordinal day, inclusive
    hi: int = _DAY_MAX


@dataclass
class _Block:
    where: str
    names: list[str] = field(default_factory=list)
    plurals: list[str] = field(default_factory=list)
    specs: list[_Spec] = field(default_factory=list)
    bracketed: bool = False  # a code was written, even one that could not be read


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EventcoderError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # some dictionaries mix encodings line by line
        return "\n".join(_decode_line(b) for b in data.split(b"\n"))


def _decode_line(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Lines without comments (``#`` to the end of a line, ``<!-- ... -->`` over any number of lines)."""
    in_comment = False
    for lineno, line in enumerate(text.splitlines(), 1):
        if in_comment:
            end = line.find("-->")
            if end < 0:
                continue
            line = line[end + 3 :]
            in_comment = False
        while "<!" in line:
            start = line.index("<!")
            end = line.find("-->", start)
            if end < 0:
                line = line[:start]
                in_comment = True
                break
            line = line[:start] + line[end + 3 :]
        hash_at = line.find("#")
        if hash_at >= 0:
            line = line[:hash_at]
        line = line.strip()
        if not line:
            continue
        if line.startswith("---STOP---"):
            return
        yield lineno, line


def _parse_date(text: str) -> int | None:
    """YYMMDD (two-digit years pivot at ``TWO_DIGIT_YEAR_PIVOT``) or YYYYMMDD to an ordinal day."""
    if len(text) == 6:
        yy = int(text[:2])
        year = 2000 + yy if yy <= TWO_DIGIT_YEAR_PIVOT else 1900 + yy
        month, day = int(text[2:4]), int(text[4:6])
    elif len(text) == 8:
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:8])
    else:
        return None
    try:
        return dt.date(year, month, day).toordinal()
    except ValueError:
        return None


def _parse_spec(inner: str, where: str, stats: _Stats) -> _Spec | None:
    m = _SPEC.match(inner.strip())
    code = (m.group("code") or "").upper() if m else ""
    if m is None or not code or not _CODE.match(code):
        stats.warn(where, f"cannot read code [{inner.strip()}]")
        return None
    if m.group("op"):
        day = _parse_date(m.group("d"))
        if day is None:
            stats.warn(where, f"bad date in [{inner.strip()}]")
            return None
        return _Spec(code, "lt", hi=day) if m.group("op") == "<" else _Spec(code, "gt", lo=day)
    if m.group("a"):
        lo, hi = _parse_date(m.group("a")), _parse_date(m.group("b"))
        if lo is None or hi is None:
            stats.warn(where, f"bad date in [{inner.strip()}]")
            return None
        if hi < lo:
            stats.warn(where, f"date range ends before it starts in [{inner.strip()}]")
            return None
        return _Spec(code, "range", lo=lo, hi=hi)
    return _Spec(code, "default")


def _split_phrase(text: str) -> tuple[str, list[str]]:
    """Separate a phrase from its ``{plural}`` part (agents)."""
    plurals = [p.strip() for p in _PLURAL.findall(text) if p.strip()]
    return _PLURAL.sub(" ", text).strip(), plurals


def _parse_blocks(text: str, name: str, stats: _Stats, macros: dict[str, list[str]]) -> list[_Block]:
    """Group a dictionary's lines into entries: a primary phrase, its synonyms and its codes.

    As in PETRARCH, a primary phrase without a code shares the codes of the phrase that follows it.
    """
    blocks: list[_Block] = []
    current: _Block | None = None

    def codes_of(line: str, where: str) -> list[_Spec]:
        out = []
        for inner in _BRACKET.findall(line):
            spec = _parse_spec(inner, where, stats)
            if spec is not None:
                out.append(spec)
        return out

    for lineno, line in _logical_lines(text):
        where = f"{name}:{lineno}"
        if line.startswith("!") and "=" in line:
            m = _MACRO_DEF.match(line)
            if m:
                macros[m.group(1)] = [v.strip() for v in m.group(2).split(",") if v.strip()]
            else:
                stats.warn(where, "cannot read substitution set")
            continue
        if line.startswith("["):
            if current is None:
                stats.warn(where, "code line outside an entry")
                continue
            if "]" not in line:
                stats.warn(where, "missing ']'")
                continue
            current.specs.extend(codes_of(line, where))
            current.bracketed = True
            continue
        phrase_part = line.split("[", 1)[0]
        problem = None
        if line.count("[") != line.count("]"):
            problem = "unbalanced brackets"
        elif "{" in phrase_part and "}" not in phrase_part:
            problem = "missing '}'"
        if problem:
            stats.warn(where, problem)
            if not line.startswith("+"):
                # the synonyms and codes that follow belong to the skipped entry, not to the previous one
                current = _Block(where, bracketed=True)
            continue
        specs = codes_of(line, where) if "[" in line else []
        if line.startswith("+"):
            if current is None:
                stats.warn(where, "synonym outside an entry")
                continue
            phrases = [p for p in phrase_part[1:].split("+") if p.strip()]
            for p in phrases:
                phrase, plurals = _split_phrase(p)
                current.names.append(phrase)
                current.plurals.extend(plurals)
            current.specs.extend(specs)
            current.bracketed = current.bracketed or "[" in line
            continue
        phrase, plurals = _split_phrase(phrase_part)
        if not phrase:
            stats.warn(where, "entry without a phrase")
            continue
        if current is not None and not current.bracketed:
            current.names.append(phrase)  # chained to the codes that follow
        else:
            current = _Block(where)
            blocks.append(current)
            current.names.append(phrase)
        current.plurals.extend(plurals)
        current.specs.extend(specs)
        current.bracketed = current.bracketed or "[" in line
    return blocks


def _expand(phrase: str, macros: dict[str, list[str]], where: str, stats: _Stats) -> list[str]:
    m = _MACRO_USE.search(phrase)
    if m is None:
        return [phrase]
    values = macros.get(m.group(1))
    if values is None:
        stats.warn(where, f"unknown substitution set !{m.group(1)}!")
        return []
    out: list[str] = []
    for v in values:
        out.extend(_expand(phrase[: m.start()] + v + phrase[m.end() :], macros, where, stats))
    return out


def _clean(phrase: str) -> str:
    phrase = phrase.replace("_", " ").replace("+", " ")
    return " ".join(phrase.split())


def _word_case(word: str, single: bool) -> str:
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return word
    if "." in word and all(len(run) <= 2 for run in re.findall(r"[^\W\d_]+", word)):
        return word  # initials and dotted abbreviations: U.N., W., U.S.S.R.
    if single and len(letters) <= 3:
        return word  # short abbreviations (UN, USA, WHO) stay upper case, so they match case-sensitively
    if not single and (len(letters) <= 2 and word.lower() not in _SMALL_WORDS):
        return word
    if not single and len(letters) == 3 and not any(c in "AEIOUY" for c in letters):
        return word
    if word.lower() in _SMALL_WORDS:
        return word.lower()
    return "-".join(_capitalize(part) for part in word.split("-"))


def _capitalize(part: str) -> str:
    lower = part.lower()
    for i, c in enumerate(lower):
        if c.isalpha():
            return lower[:i] + c.upper() + lower[i + 1 :]
    return lower


def _display(phrase: str) -> str:
    """An upper-case dictionary phrase in the case a news text would use ("VLADIMIR_PUTIN_" -> "Vladimir Putin")."""
    phrase = _clean(phrase)
    if any(c.islower() for c in phrase):
        return phrase
    words = phrase.split(" ")
    single = len(words) == 1
    out = [_word_case(w, single) for w in words]
    if out and out[0] and out[0].islower():
        out[0] = out[0][:1].upper() + out[0][1:]
    return " ".join(out)


def _phrases(raw: str) -> list[str]:
    """A name and, when it ends in a parenthesized abbreviation, the abbreviation: "ALF (ALF)" -> both."""
    text = _clean(raw)
    m = _PAREN.search(text)
    if m is None:
        return [text] if text else []
    outer = _clean(_PAREN.sub(" ", text))
    inner = _clean(m.group(1))
    return [p for p in (outer, inner) if p]


def _carve(specs: list[_Spec], default: str | None) -> list[tuple[int, int, str, bool]]:
    """First-match-wins date restrictions (PETRARCH's rule) as non-overlapping periods.

    Returns (first day, last day, code, from_default) sorted by day; the default code fills the gaps.
    """
    taken: list[tuple[int, int]] = []
    out: list[tuple[int, int, str, bool]] = []

    def free(lo: int, hi: int) -> list[tuple[int, int]]:
        pieces = [(lo, hi)]
        for a, b in taken:
            nxt = []
            for x, y in pieces:
                if b < x or a > y:
                    nxt.append((x, y))
                    continue
                if x < a:
                    nxt.append((x, a - 1))
                if b < y:
                    nxt.append((b + 1, y))
            pieces = nxt
        return pieces

    for spec in specs:
        for lo, hi in free(spec.lo, spec.hi):
            out.append((lo, hi, spec.code, False))
            taken.append((lo, hi))
    if default is not None:
        for lo, hi in free(_DAY_MIN, _DAY_MAX):
            out.append((lo, hi, default, True))
    out.sort()
    merged: list[tuple[int, int, str, bool]] = []
    for seg in out:
        if merged and merged[-1][2] == seg[2] and merged[-1][1] + 1 == seg[0]:
            last = merged[-1]
            merged[-1] = (last[0], seg[1], last[2], last[3] and seg[3])
        else:
            merged.append(seg)
    return merged


def _day(ordinal: int, open_value: int) -> str | None:
    return None if ordinal == open_value else dt.date.fromordinal(ordinal).isoformat()


def _base_code(code: str, where: str, stats: _Stats) -> str:
    if "/" in code:
        stats.note(where, f"compound code {code} reduced to its first part")
        code = code.split("/", 1)[0]
    return code


class _Collector:
    """Accumulates imported entries, keyed the way ``merge_user_file`` replaces them."""

    def __init__(self, stats: _Stats) -> None:
        self.stats = stats
        self.countries: dict[str, dict[str, Any]] = {}
        self.actors: dict[str, dict[str, Any]] = {}
        self.people: dict[str, dict[str, Any]] = {}
        self.agents: dict[str, str] = {}  # term -> sector

    def add_country(self, code: str, names: list[str]) -> None:
        iso = _iso(code)
        entry = self.countries.get(iso)
        if entry is None:
            known = _facts().countries.get(iso)
            if known is not None:
                entry = {"code": iso, **{k: known[k] for k in _COUNTRY_META if known.get(k) is not None}}
            else:
                entry = {"code": iso, "name": names[0] if names else iso}
            entry["names"] = []
            self.countries[iso] = entry
        seen = {norm(n) for n in entry["names"]}
        for n in names:
            if norm(n) not in seen:
                seen.add(norm(n))
                entry["names"].append(n)

    def add_actor(self, code: str, names: list[str]) -> None:
        prefix = code[:3]
        entry: dict[str, Any] = {"name": names[0], "aliases": _aliases(names), "code": code}
        if _country_like(prefix):
            entry["country"] = _iso(prefix)
            sector = _sector_of(code[3:])
            if sector:
                entry["sector"] = sector
        self.actors[norm(names[0])] = entry

    def add_person(self, names: list[str], roles: list[dict[str, Any]], wikidata: str | None = None,
                   key: str | None = None) -> None:
        key = key or norm(names[0])
        entry = self.people.get(key)
        if entry is None:
            entry = {"name": names[0], "aliases": []}
            if wikidata:
                entry["wikidata"] = wikidata
            entry["roles"] = []
            self.people[key] = entry
        known = {norm(a) for a in entry["aliases"]} | {norm(entry["name"])}
        for alias in names[1:]:
            if norm(alias) not in known:
                known.add(norm(alias))
                entry["aliases"].append(alias)
        for role in roles:
            if role not in entry["roles"]:
                entry["roles"].append(role)

    def add_agent(self, sector: str, terms: Iterable[str]) -> None:
        for term in terms:
            self.agents[term] = sector

    def result(self) -> dict[str, Any]:
        sectors = _facts().sectors
        agents: dict[str, dict[str, Any]] = {}
        for term, sector in self.agents.items():
            agents.setdefault(sector, {"name": sectors.get(sector, sector), "terms": []})["terms"].append(term)
        out: dict[str, Any] = {
            "countries": list(self.countries.values()),
            "actors": list(self.actors.values()),
            "people": list(self.people.values()),
            "agents": agents,
        }
        out["_stats"] = {**self.stats.as_dict(), **_counts(out)}
        return out


def _aliases(names: list[str]) -> list[str]:
    seen = {norm(names[0])}
    out = []
    for n in names[1:]:
        if norm(n) not in seen:
            seen.add(norm(n))
            out.append(n)
    return out


def _counts(data: dict[str, Any]) -> dict[str, int]:
    return {
        "countries": len(data.get("countries") or []),
        "actors": len(data.get("actors") or []),
        "people": len(data.get("people") or []),
        "agents": sum(len((s or {}).get("terms") or []) for s in (data.get("agents") or {}).values()),
    }


def _sector_of(rest: str) -> str | None:
    """The first known sector among the three-letter parts after the country (PSEHMSGOV -> GOV)."""
    sectors = _facts().sectors
    for i in range(0, len(rest) - 2, 3):
        if rest[i : i + 3] in sectors:
            return rest[i : i + 3]
    return None


def _role_label(code: str) -> str:
    sector = code[3:6]
    return _facts().sectors.get(sector, sector.lower()) if sector else ""


def _add_block(block: _Block, macros: dict[str, list[str]], out: _Collector) -> None:
    stats = out.stats
    where = block.where
    if not block.specs:
        if not block.bracketed:  # an unreadable code was already counted
            stats.warn(where, f"no code for {_clean(block.names[0])!r}")
        return
    if any("~" in s.code for s in block.specs):
        code = block.specs[0].code.replace("~", "")
        if not code or code in NULL_CODES:
            stats.warn(where, f"empty agent code for {_clean(block.names[0])!r}")
            return
        sector = _base_code(code, where, stats)[:3]
        terms: list[str] = []
        for raw in block.names + block.plurals:
            for phrase in _expand(raw, macros, where, stats):
                term = _clean(phrase).lower()
                if term and term not in terms:
                    terms.append(term)
        out.add_agent(sector, terms)
        return

    names: list[str] = []
    for raw in block.names:
        for phrase in _expand(raw, macros, where, stats):
            for p in _phrases(phrase):
                shown = _display(p)
                if shown and norm(shown) not in {norm(n) for n in names}:
                    names.append(shown)
    if not names:
        return
    defaults = [s for s in block.specs if s.kind == "default"]
    dated = [s for s in block.specs if s.kind != "default"]
    default = _base_code(defaults[-1].code, where, stats) if defaults else None
    if not dated:
        if default is None or default in NULL_CODES:
            stats.null_coded += 1
            return
        if len(default) == 3 and _country_like(default):
            out.add_country(default, names)
        else:
            out.add_actor(default, names)
        return

    for s in dated:
        s.code = _base_code(s.code, where, stats)
    periods = [p for p in _carve(dated, default) if p[2] not in NULL_CODES]
    if not periods:
        stats.null_coded += 1
        return
    codes = {p[2] for p in periods}
    now = periods[-1]
    bare = all(len(c) == 3 and _country_like(c) for c in codes)
    if bare or (now[1] == _DAY_MAX and not now[3] and len(now[2]) == 3 and _country_like(now[2])):
        # a place whose code changed (a country before and after independence, an occupied
        # province): it is imported as a country name under the code in force now
        out.add_country(now[2], names)
        return
    # one country for all of a person's roles: the knowledge base keys a person by name and country, so
    # roles under two countries would split the person in two (SAM_GAMGEE is HOB... then ORCHOB, then HOB...)
    prefixes = [code[:3] for _, _, code, _ in periods]
    home = max(reversed(prefixes), key=prefixes.count)
    roles = [
        {
            "country": _iso(home),
            "role": _role_label(code),
            "start": _day(lo, _DAY_MIN),
            "end": _day(hi, _DAY_MAX),
            "code": code,
        }
        for lo, hi, code, _ in periods
    ]
    out.add_person(names, roles)


def import_petrarch(paths: list[Path]) -> dict[str, Any]:
    """Read TABARI/PETRARCH actor and agent dictionaries into a user-file mapping.

    Entries whose code carries ``~`` are agents (``PRESIDENT [~GOV]``); the others are actors. An actor
    with one plain code becomes a country name when the code is a bare country-like code (``[AFG]``),
    otherwise an ``actors`` entry (``[USAGOV]``, ``[IGOUNO]``). An actor with dated codes becomes a
    ``people`` entry whose roles are the periods of each code (PETRARCH's first-matching-restriction
    rule flattened into non-overlapping periods, the default code filling the gaps), except places whose
    code changed over time, which become country names under the code in force now. Null codes
    (``---``) are skipped. Malformed lines are skipped and counted; the counts are under ``_stats``
    (which ``merge_user_file`` does not write).
    """
    stats = _Stats()
    out = _Collector(stats)
    for path in paths:
        path = Path(path)
        text = _read_text(path)
        macros: dict[str, list[str]] = {}
        for block in _parse_blocks(text, path.name, stats, macros):
            _add_block(block, macros, out)
    result = out.result()
    result["_stats"]["files"] = [str(p) for p in paths]
    return result


# ------------------------------------------------------------------------------------- PETRARCH verbs

#: Words of a pattern that are not content words: articles and possessives are dropped from patterns.
_PATTERN_DETS = frozenset({"the", "a", "an", "its", "their", "his", "her", "our", "my", "your", "this", "these",
                           "those", "some", "any"})
#: Prepositions: before a target marker (or ending a pattern) they become the target prepositions.
_PREPOSITIONS = frozenset({
    "about", "above", "across", "after", "against", "along", "among", "amongst", "around", "at", "before",
    "behind", "below", "beneath", "beside", "between", "beyond", "by", "concerning", "despite", "during",
    "for", "from", "in", "inside", "into", "near", "of", "on", "onto", "outside", "over", "regarding",
    "since", "through", "throughout", "to", "toward", "towards", "under", "until", "unto", "upon", "versus",
    "via", "with", "within", "without",
})
#: Auxiliaries, modals and negation before the verb are its dependents: the lemma spaCy gives them.
_AUXILIARIES = {
    "has": "have", "have": "have", "had": "have", "having": "have", "is": "be", "are": "be", "was": "be",
    "were": "be", "be": "be", "been": "be", "being": "be", "am": "be", "do": "do", "does": "do", "did": "do",
    "will": "will", "wo": "will", "would": "would", "shall": "shall", "should": "should", "can": "can",
    "ca": "can", "could": "could", "may": "may", "might": "might", "must": "must", "n't": "not",
    "not": "not", "never": "never", "to": "to",
}
_ADVERBS = frozenset({"now", "ever", "even", "again", "also", "still", "already", "soon", "just", "once",
                      "then", "almost", "only", "very", "much", "most", "too", "yet", "really"})
#: Words before the verb that show it sits inside a phrase headed by another word ("refusal to *").
_PHRASE_WORDS = frozenset({"and", "or", "nor", "neither", "either", "if", "so", "but", "that", "no", "whether"})
_MARKERS = frozenset({"*", "$", "+", "%", "^"})
_MAX_EXPANSIONS = 64
_TRIGGER_KEY_NULL = "---"

_VERBS_HEADER = """\
# eventcoder user trigger file: event patterns layered over the built-in trigger lexicon.
#
# Written by "eventcoder actors import-petrarch" from PETRARCH verb dictionaries; it may also be edited
# by hand (comments are not kept when the importer rewrites it). The codes and words come from the
# dictionaries the user imported.
#
# Format: the grammar of the built-in lexicon (events/data/triggers.yaml), a YAML mapping
#   "CODE": ["head dep ... [prep|prep]", ...]
# A head listed here replaces every built-in pattern of that head. Patterns under "---" claim their
# head but code no event. See docs/actors_import.md.
"""


def _looks_like_verbs(text: str) -> bool:
    """Whether a dictionary is a PETRARCH/TABARI verbs dictionary: verb blocks and ``*`` patterns."""
    headers = patterns = 0
    for _, line in _logical_lines(text):
        if line.startswith("---") and not line.startswith("----") and "[" in line:
            headers += 1
        elif line.startswith("-") and "*" in line and "[" in line:
            patterns += 1
        if headers and patterns:
            return True
    return False


class _Lemmas:
    """Lemmas as the event engine sees them: the rule lemmatizer of the installed spaCy pipeline, or
    simple suffix rules when no pipeline can be loaded."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], str] = {}
        self._doc: Callable[[str], Any] | None = None
        self._rule: Callable[[Any], list[str]] | None = None
        self.verb_exc: set[str] = set()
        self.noun_index: set[str] = set()
        self.verb_index: set[str] = set()
        try:
            from spacy.tokens import Doc

            from ..nlp import load_nlp

            nlp = load_nlp()
            lemmatizer = nlp.get_pipe("lemmatizer")
            self._rule = lemmatizer.rule_lemmatize  # type: ignore[attr-defined]
            self._doc = lambda w: Doc(nlp.vocab, words=[w])
            lookups = lemmatizer.lookups  # type: ignore[attr-defined]
            if lookups.has_table("lemma_exc"):
                self.verb_exc = set(lookups.get_table("lemma_exc").get("verb", {}))
            if lookups.has_table("lemma_index"):
                index = lookups.get_table("lemma_index")
                self.noun_index = set(index.get("noun", []))
                self.verb_index = set(index.get("verb", []))
        except Exception as exc:  # noqa: BLE001 - any failure: fall back to suffix rules
            log.debug("no spaCy lemmatizer for the verbs importer (%s); using suffix rules", exc)
            self._rule = None

    def lemma(self, word: str, pos: str) -> str:
        word = word.lower()
        key = (word, pos)
        if key not in self._cache:
            self._cache[key] = self._lemma(word, pos)
        return self._cache[key]

    def _lemma(self, word: str, pos: str) -> str:
        # a known base form stays, as the tagger marks it in a sentence ("express", not "expres"); a noun
        # ending in -s may be a plural ("funds" -> "fund") unless the rules find no known singular ("press")
        index = self.verb_index if pos == "VERB" else self.noun_index
        if word in index and (pos == "VERB" or not word.endswith("s")):
            return word
        found: list[str] = []
        if self._rule is not None and self._doc is not None and word.isalpha():
            doc = self._doc(word)
            doc[0].pos_ = pos
            found = [str(f).lower() for f in self._rule(doc[0]) or []]
        if found and (found[0] in index or word not in index):
            return found[0]
        if word in index:
            return word
        return _suffix_lemma(word, pos)

    def is_verb_form(self, word: str) -> bool:
        """An inflected verb form ("said", "noted", "trying"), not a base form or a noun."""
        word = word.lower()
        if word in self.verb_exc:
            return True
        return len(word) > 4 and (word.endswith("ed") or word.endswith("ing"))

    def is_noun(self, word: str) -> bool:
        word = word.lower()
        base = self.lemma(word, "NOUN")
        if not self.noun_index:
            return True
        if base not in self.noun_index:
            return False
        return base not in self.verb_index or word != base  # "planes", "tanks": a plural is a noun


def _suffix_lemma(word: str, pos: str) -> str:
    if pos == "VERB":
        for suffix, repl in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                return word[: len(word) - len(suffix)] + repl
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _regular_forms(base: str) -> list[str]:
    """The regular forms PETRARCH generates for a verb: 3rd person singular, past and -ing."""
    b = base.lower()
    if b.endswith("y") and len(b) > 1 and b[-2] not in "aeiou":
        return [b[:-1] + "ies", b[:-1] + "ied", b + "ing"]
    if b.endswith("e"):
        return [b + "s", b + "d", b[:-1] + "ing"]
    if b.endswith(("s", "x", "z", "ch", "sh")):
        return [b + "es", b + "ed", b + "ing"]
    return [b + "s", b + "ed", b + "ing"]


@dataclass
class _Verb:
    heads: list[str]  # lemmas under which the engine sees the verb
    deps: list[str]  # the other words of a multi-word verb ("break down", "wire tap")
    code: str | None  # the verb's own code, else the block's
    where: str


@dataclass
class _VerbBlock:
    code: str | None
    where: str
    verbs: list[_Verb] = field(default_factory=list)
    patterns: list[tuple[str, str, str]] = field(default_factory=list)  # (pattern text, raw code, where)


@dataclass
class _VerbStats:
    files: list[str] = field(default_factory=list)
    blocks: int = 0
    verbs: int = 0
    pattern_lines: int = 0
    written: int = 0
    null_patterns: int = 0
    duplicates: int = 0
    overridden: int = 0
    paired_codes: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    warnings: int = 0
    messages: list[str] = field(default_factory=list)

    def skip(self, reason: str, where: str, text: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1
        self.say(f"skipped {where}: {reason}: {text}")

    def warn(self, where: str, message: str) -> None:
        self.warnings += 1
        self.say(f"skipped {where}: {message}")

    def say(self, text: str) -> None:
        if len(self.messages) < 50:
            self.messages.append(text)
        log.debug("%s", text)

    def as_dict(self) -> dict[str, Any]:
        return {"files": list(self.files), "blocks": self.blocks, "verbs": self.verbs,
                "pattern_lines": self.pattern_lines, "patterns": self.written,
                "null_patterns": self.null_patterns, "duplicates": self.duplicates,
                "overridden": self.overridden, "paired_codes": self.paired_codes,
                "skipped": dict(sorted(self.skipped.items())), "skipped_total": sum(self.skipped.values()),
                "warnings": self.warnings, "messages": list(self.messages)}


def _split_words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s_]+", text) if w]


def _parse_verb_line(line: str, where: str, lemmas: _Lemmas, stats: _VerbStats) -> _Verb | None:
    """``BREAK {BROKE BROKEN}``, ``+BREAK_DOWN {+BROKE_DOWN}``, ``WIRE_+TAP``, ``DOWNPLAY [014]``."""
    codes = _BRACKET.findall(line)
    text = _BRACKET.sub(" ", line)
    forms_text = " ".join(_PLURAL.findall(text))
    text = _PLURAL.sub(" ", text)
    if "{" in text or "}" in text:
        stats.warn(where, f"unbalanced braces in verb line {line!r}")
        return None
    words = _split_words(text)
    if not words:
        stats.warn(where, f"verb line without a verb {line!r}")
        return None
    marked = [i for i, w in enumerate(words) if w.startswith("+")]
    at = marked[0] if marked else 0
    words = [w.lstrip("+") for w in words]
    if not all(re.fullmatch(r"[A-Za-z][A-Za-z'\-]*", w) for w in words):
        stats.warn(where, f"cannot read verb {line!r}")
        return None
    base = words[at]
    heads: list[str] = []

    def add(form: str) -> None:
        lemma = lemmas.lemma(form, "VERB")
        if lemma and lemma not in heads:
            heads.append(lemma)

    add(base)
    if lemmas.lemma(base, "VERB") == base.lower() and base.lower() not in _AUXILIARIES:
        for form in _regular_forms(base):
            add(form)
    for form in forms_text.split():
        parts = [p for p in re.split(r"_", form) if p]
        plus = [p for p in parts if p.startswith("+")]
        verb_word = (plus[0] if plus else parts[at] if at < len(parts) else parts[0]).lstrip("+")
        if re.fullmatch(r"[A-Za-z][A-Za-z'\-]*", verb_word):
            add(verb_word)
    deps = [w.lower() for i, w in enumerate(words) if i != at]
    code = codes[0].strip() if codes else None
    return _Verb(heads=heads, deps=deps, code=code, where=where)


def _parse_verbs(text: str, name: str, stats: _VerbStats) -> tuple[list[_VerbBlock], dict[str, list[str]]]:
    """Verb blocks and synsets (``&NAME`` followed by ``+member`` lines) of a verbs dictionary."""
    lemmas = _lemmas()
    # "#" starts a comment, so TABARI's "[###]" code would be cut; it is read like "[+++]" (both skipped)
    text = re.sub(r"\[\s*###\s*\]", "[+++]", text)
    blocks: list[_VerbBlock] = []
    synsets: dict[str, list[str]] = {}
    block: _VerbBlock | None = None
    synset: str | None = None
    for lineno, line in _logical_lines(text):
        where = f"{name}:{lineno}"
        line = line.split(";", 1)[0].strip()  # the KEDS/TABARI comment mark
        if not line:
            continue
        if line.startswith("---") and not line.startswith("----"):
            codes = _BRACKET.findall(line)
            block = _VerbBlock(code=codes[0].strip() if codes else None, where=where)
            blocks.append(block)
            synset = None
            continue
        if line.startswith("&"):
            label = line.split()[0][1:].rstrip("_").upper()
            if not label:
                stats.warn(where, "synset without a name")
                synset = None
                continue
            synset = label
            synsets[synset] = []
            continue
        if line.startswith("+") and synset is not None:
            member = line[1:].strip()
            if member:
                synsets[synset].append(member)
            continue
        if line.startswith("~"):
            stats.skip("transformation rule", where, line)
            continue
        if line.startswith("-"):
            synset = None
            if block is None:
                stats.warn(where, "pattern outside a verb block")
                continue
            body = line[1:].strip()
            codes = _BRACKET.findall(body)
            if not codes:
                stats.warn(where, f"pattern without a code {line!r}")
                continue
            stats.pattern_lines += 1
            block.patterns.append((body.split("[", 1)[0].strip(), codes[-1].strip(), where))
            continue
        # a verb line
        synset = None
        if block is None or block.patterns:
            # TABARI layout: a verb line after a finished pattern list starts a block of its own
            block = _VerbBlock(code=None, where=where)
            blocks.append(block)
        verb = _parse_verb_line(line, where, lemmas, stats)
        if verb is not None:
            block.verbs.append(verb)
    return blocks, synsets


@lru_cache(maxsize=1)
def _lemmas() -> _Lemmas:
    return _Lemmas()


def _expand_synsets(items: list[str], synsets: dict[str, list[str]], depth: int = 0) -> list[list[str]] | None:
    """Every way of replacing the ``&SYNSET`` items by one of their members (words); None when a synset is
    not defined."""
    out: list[list[str]] = [[]]
    for item in items:
        if item.startswith("&") and len(item) > 1:
            members = synsets.get(item[1:].rstrip("_").upper())
            if members is None or depth > 4:
                return None
            choices: list[list[str]] = []
            for member in members:
                sub = _expand_synsets(_split_words(member), synsets, depth + 1)
                if sub is None:
                    return None
                choices.extend(sub)
            out = [o + c for o in out for c in choices][: _MAX_EXPANSIONS + 1]
        else:
            out = [o + [item] for o in out]
    return out


def _trigger_code(raw: str, stats: _VerbStats) -> str | None:
    """A dictionary code as the code the engine will emit: the longest known CAMEO prefix ("1717" ->
    "171", "075A" -> "075"), the null code for ``---`` and for codes outside CAMEO, None (skip the
    pattern) for TABARI's ``+++`` and ``###``."""
    from ..events._ontology import get_ontology

    code = raw.strip()
    if ":" in code:
        stats.paired_codes += 1
        code = code.split(":", 1)[0].strip()
    code = code.rstrip("?").strip()
    if code in ("+++", "###"):
        return None
    if not code or code == "---":
        return _TRIGGER_KEY_NULL
    known = get_ontology().codes
    for n in range(len(code), 1, -1):
        if code[:n].isdigit() and code[:n] in known:
            return code[:n]
    return _TRIGGER_KEY_NULL


def _convert_pattern(items: list[str], lemmas: _Lemmas) -> tuple[list[str], list[str]] | str:
    """(dependent lemmas, target prepositions) of one expanded pattern, or the reason it cannot be
    expressed in the trigger grammar."""
    items = ["*" if i == "**" else i for i in items]
    if items.count("*") != 1:
        return "no single verb marker"
    at = items.index("*")
    upper, lower = items[:at], items[at + 1 :]
    if "+" in upper:
        return "target before the verb"
    if "$" in lower:
        return "source after the verb"
    deps: list[str] = []
    preps: list[str] = []
    words = [w.lower() for w in upper if w not in _MARKERS]
    if "to" in words[1:] and words[words.index("to", 1) - 1] not in _AUXILIARIES:
        return "a governing word before the verb"  # "REFUSAL TO *", "PLAN_TO_*": the word governs the verb
    for w in upper:
        if w in _MARKERS:
            continue
        lw = w.lower()
        if lw in _AUXILIARIES:
            deps.append(_AUXILIARIES[lw])
        elif lw in _ADVERBS or (lw.endswith("ly") and len(lw) > 4):
            deps.append(lw)
        elif lw in _PREPOSITIONS or lw in _PHRASE_WORDS or lw in _PATTERN_DETS:
            return "the verb inside a phrase"
        elif not re.fullmatch(r"[a-z][a-z'\-]*", lw):
            return "unreadable word"
        elif lemmas.is_verb_form(lw) or not lemmas.is_noun(lw):
            return "a governing word before the verb"
        else:
            deps.append(lemmas.lemma(lw, "NOUN"))  # the subject noun ("planes *")
    words = [w for w in lower if w.lower() not in _PATTERN_DETS]
    for i, w in enumerate(words):
        if w in ("+", "%") and i > 0 and words[i - 1].lower() not in _PREPOSITIONS:
            return "target after a skipped phrase"  # "* AT ^ +": neither the object nor a prepositional one
        if w in _MARKERS:
            continue
        lw = w.lower()
        if not re.fullmatch(r"[a-z][a-z'\-]*", lw):
            return "unreadable word"
        rest = words[i + 1 :]
        if lw in _PREPOSITIONS and (not rest or rest[0] in ("+", "%")):
            preps.append(lw)  # "* WITH +", "*_ON": the target is the object of the preposition
            continue
        if lw in _AUXILIARIES:
            deps.append(_AUXILIARIES[lw])
        elif lw.endswith("ing") or lw.endswith("ed"):
            deps.append(lw)
        else:
            deps.append(lemmas.lemma(lw, "NOUN"))
    seen: list[str] = []
    for d in deps:
        if d not in seen:
            seen.append(d)
    return seen, preps


def _pattern_text(head: str, deps: list[str], preps: list[str]) -> str:
    text = " ".join([head, *[d for d in deps if d != head]])
    return f"{text} [{'|'.join(preps)}]" if preps else text


_Key = tuple[str, tuple[str, ...], tuple[str, ...]]  # (head, sorted dependents, sorted prepositions)
#: Prepositions that introduce the target of a verb without a direct object ("departed from X").
_DIRECTIONAL = ("to", "with", "from", "against", "toward", "towards", "into", "at")


def _builtin_verb_patterns() -> dict[str, list[Any]]:
    """The built-in lexicon's verb patterns by head."""
    from ..events._triggers import _builtin_data, load_patterns

    out: dict[str, list[Any]] = {}
    for p in load_patterns(_builtin_data()):
        if not p.noun:
            out.setdefault(p.head, []).append(p)
    return out


def _borrowed_preps(head: str, deps: tuple[str, ...], builtin: dict[str, list[Any]]) -> list[str]:
    """Target prepositions for an imported pattern that names none.

    PETRARCH's target is the first actor after the verb, the object of a preposition included, while the
    trigger grammar takes the direct object unless prepositions are named. So the importer names those the
    built-in lexicon gives the same verb with the same or fewer dependents ("restore tie [with]" for
    ``* TIES``); and for a verb alone that the built-in lexicon never uses with a direct object or without
    a target, also the directional prepositions (to, with, from, against, toward(s), into, at).
    """
    out: list[str] = []
    have = set(deps)
    pats = builtin.get(head, [])
    for p in pats:
        if p.preps and not p.no_target and set(p.deps) <= have:
            out.extend(x for x in p.preps if x not in out)
    if not deps and not any(not p.preps for p in pats):
        out.extend(x for x in _DIRECTIONAL if x not in out)
    return out


def _block_patterns(block: _VerbBlock, synsets: dict[str, list[str]], lemmas: _Lemmas,
                    stats: _VerbStats) -> dict[_Key, tuple[str, list[str], list[str]]]:
    """The patterns of one verb block: each pattern line for every verb of the block, then each verb alone;
    the first of two equal patterns wins, as in PETRARCH, which tries a block's patterns in order."""
    mine: dict[_Key, tuple[str, list[str], list[str]]] = {}

    def put(head: str, deps: list[str], preps: list[str], code: str) -> None:
        deps = list(dict.fromkeys(d for d in deps if d != head))
        key = (head, tuple(sorted(deps)), tuple(sorted(preps)))
        if key in mine:
            stats.duplicates += 1
        else:
            mine[key] = (code, deps, list(preps))

    converted: list[tuple[list[str], list[str], str]] = []
    for body, raw, where in block.patterns:
        code = _trigger_code(raw, stats)
        if code is None:
            stats.skip("code +++ or ###", where, body)
            continue
        expansions = _expand_synsets(_split_words(re.sub(r"[(){}]", " ", body)), synsets)
        if expansions is None:
            stats.skip("undefined synset", where, body)
            continue
        if len(expansions) > _MAX_EXPANSIONS:
            stats.skip("too many synset combinations", where, body)
            continue
        reasons: list[str] = []
        for items in expansions:
            result = _convert_pattern(items, lemmas)
            if isinstance(result, str):
                reasons.append(result)  # this member of a synset cannot stand there; the others may
            else:
                converted.append((result[0], result[1], code))
        if len(reasons) == len(expansions):
            stats.skip(reasons[0], where, body)
    for verb in block.verbs:
        raw = verb.code if verb.code is not None else block.code
        code = _trigger_code(raw, stats) if raw is not None else _TRIGGER_KEY_NULL
        for head in verb.heads:
            for deps, preps, pcode in converted:
                put(head, [*verb.deps, *deps], preps, pcode)
            if code is not None:
                put(head, verb.deps, [], code)
    return mine


def import_petrarch_verbs(paths: list[Path]) -> dict[str, Any]:
    """Read PETRARCH/TABARI verb dictionaries into a user trigger mapping (code -> list of patterns).

    Each verb of a block (``--- NAME [code] ---`` followed by verb lines) is imported under the lemmas the
    parser gives its forms (the regular ones and those listed in ``{...}``); a multi-word verb
    (``+BREAK_DOWN``, ``WIRE_+TAP``) keeps its other words as dependents. The verb alone gets its own or
    the block's code; each pattern line (``- * TIES [064]``) of the block gives every verb of the block
    the pattern's words as dependents, and the prepositions before the target marker (``+``, ``%``) or
    ending the pattern as target prepositions. Synsets (``&NAME``) are expanded. Codes become the
    longest CAMEO code they start with; ``---`` and codes outside CAMEO become the null code (the words
    are claimed but code no event); the second half of a paired code (``[032:033]``) is dropped;
    ``+++``/``###`` patterns are skipped. Patterns the grammar cannot express (a target before the verb,
    a source after it, a governing word or phrase before the verb) are skipped and counted under
    ``_stats``. A pattern that names no target preposition also gets a copy with the prepositions the
    built-in lexicon knows for the verb (see ``_borrowed_preps``). Within a block the first of two equal
    patterns wins (PETRARCH's order); a later block overrides an earlier one ("LEFT [032]" after
    "LEAVE [012]": both are the lemma "leave").
    """
    stats = _VerbStats()
    lemmas = _lemmas()
    builtin = _builtin_verb_patterns()
    chosen: dict[_Key, tuple[str, list[str], list[str]]] = {}  # key -> (code, dependents, prepositions)
    borrowed: dict[tuple[str, tuple[str, ...]], set[_Key]] = {}  # (head, dependents) -> borrowed variants
    for path in paths:
        path = Path(path)
        stats.files.append(str(path))
        blocks, synsets = _parse_verbs(_read_text(path), path.name, stats)
        for block in blocks:
            stats.blocks += 1
            stats.verbs += len(block.verbs)
            mine = _block_patterns(block, synsets, lemmas, stats)
            # the prepositions that introduce the target, as the built-in lexicon knows them for the verb
            # with the same or fewer words (PETRARCH's target is the first actor after the verb, a
            # prepositional object included), less those this dictionary gives patterns of their own
            taken: dict[tuple[str, tuple[str, ...]], set[str]] = {}
            added: set[_Key] = set()
            for head, deps, preps in mine:
                taken.setdefault((head, deps), set()).update(preps)
            for (head, deps, preps), (code, dep_list, _) in list(mine.items()):
                if preps or code == _TRIGGER_KEY_NULL:
                    continue
                extra = [p for p in _borrowed_preps(head, deps, builtin)
                         if p not in taken[(head, deps)] and p not in deps]  # "withdraw from border"
                if extra and (head, deps, tuple(sorted(extra))) not in mine:
                    mine[(head, deps, tuple(sorted(extra)))] = (code, dep_list, extra)
                    added.add((head, deps, tuple(sorted(extra))))
            for key, value in mine.items():
                if not key[2]:
                    # a later block decides these words: the prepositions an earlier one borrowed go too
                    for old in borrowed.pop(key[:2], set()) - set(mine):
                        chosen.pop(old, None)
                if key in chosen and chosen[key][0] != value[0]:
                    stats.overridden += 1
                    del chosen[key]  # a later block decides, and its pattern moves to the end
                chosen[key] = value
            for key in added:
                borrowed.setdefault(key[:2], set()).add(key)
    by_code: dict[str, list[str]] = {}
    # within a code, a pattern that names the target's prepositions comes before the same words without
    # them: the engine takes the first of equally good matches
    for (head, _, _), (code, deps, preps) in sorted(chosen.items(), key=lambda kv: not kv[1][2]):
        by_code.setdefault(code, []).append(_pattern_text(head, deps, preps))
    out: dict[str, Any] = {}
    for code in sorted(k for k in by_code if k != _TRIGGER_KEY_NULL):
        out[code] = by_code[code]
    if _TRIGGER_KEY_NULL in by_code:
        out[_TRIGGER_KEY_NULL] = by_code[_TRIGGER_KEY_NULL]  # last: a coded pattern wins an equal match
    stats.written = sum(len(v) for k, v in out.items() if k != _TRIGGER_KEY_NULL)
    stats.null_patterns = len(out.get(_TRIGGER_KEY_NULL, []))
    out["_stats"] = stats.as_dict()
    out["_stats"]["heads"] = len({key[0] for key in chosen})
    return out


# ------------------------------------------------------------------------------------- Wikidata JSON

_VARS: dict[str, tuple[str, ...]] = {
    "person": ("person", "item", "human", "officeholder", "holder", "politician"),
    "name": ("personLabel", "itemLabel", "humanLabel", "officeholderLabel", "holderLabel", "politicianLabel",
             "name", "label", "personName"),
    "position": ("position", "office", "role", "positionHeld"),
    "positionLabel": ("positionLabel", "officeLabel", "roleLabel", "positionHeldLabel", "positionName",
                      "title"),
    "countryCode": ("countryCode", "iso3", "countryIso", "countryISO", "iso", "countryIso3", "country_iso3",
                    "alpha3", "jurisdictionCode"),
    "country": ("country", "jurisdiction", "state"),
    "countryLabel": ("countryLabel", "jurisdictionLabel", "stateLabel", "countryName"),
    "start": ("start", "startTime", "start_time", "startDate", "start_date", "from", "begin"),
    "end": ("end", "endTime", "end_time", "endDate", "end_date", "to", "until"),
    "aliases": ("altLabels", "aliases", "altLabel", "alias", "personAltLabel", "itemAltLabel", "alsoKnownAs"),
}
_ENTITY = re.compile(r"(?:^|/)(Q\d+)$")
_ISO_DATE = re.compile(r"^([+-]?\d{4,})-(\d{2})-(\d{2})")


def _binding(row: dict[str, Any], key: str) -> tuple[str | None, str | None]:
    """The value and type of the first variable present for a logical key."""
    for var in _VARS[key]:
        cell = row.get(var)
        if isinstance(cell, dict) and cell.get("value") not in (None, ""):
            return str(cell["value"]), str(cell.get("type") or "literal")
        if isinstance(cell, str) and cell:
            return cell, "literal"
    return None, None


def _qid(value: str | None) -> str | None:
    if not value:
        return None
    m = _ENTITY.search(value.strip())
    return m.group(1) if m else None


def _wd_date(value: str | None, kind: str | None) -> str | None:
    if not value or kind == "bnode" or "/.well-known/genid/" in value:
        return None  # "unknown value"
    m = _ISO_DATE.match(value.strip())
    if not m:
        return None
    year = int(m.group(1))
    if year < 1 or year > 9999:
        return None
    month = max(1, int(m.group(2)))  # year-precision dates may carry month 00
    day = max(1, int(m.group(3)))
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _wd_country(row: dict[str, Any]) -> str | None:
    facts = _facts()
    code, _ = _binding(row, "countryCode")
    if code:
        code = code.strip().upper()
        if len(code) == 3 and code.isalpha():
            return facts.by_cameo.get(code, code)
    value, kind = _binding(row, "country")
    if value:
        qid = _qid(value) if kind == "uri" or value.startswith("http") else None
        if qid:
            if qid in facts.by_wikidata:
                return facts.by_wikidata[qid]
        else:
            text = value.strip()
            if len(text) == 3 and text.isalpha() and text.isupper():
                return facts.by_cameo.get(text, text)
            if norm(text) in facts.by_name:
                return facts.by_name[norm(text)]
    label, _ = _binding(row, "countryLabel")
    if label and norm(label) in facts.by_name:
        return facts.by_name[norm(label)]
    return None


_HEAD_OF_STATE = ("head of state", "president", "king", "queen", "monarch", "emperor", "empress", "emir",
                  "sultan", "grand duke", "supreme leader", "governor general", "sovereign")
_HEAD_OF_GOVERNMENT = ("head of government", "prime minister", "premier", "chancellor", "taoiseach",
                       "chief executive")
_ENVOY = ("ambassador*", "permanent representative", "envoy", "consul*", "high commissioner")
_MIL = ("military", "army", "armed forces", "navy", "naval", "air force", "general staff", "marine corps",
        "defence staff", "defense staff", "admiral", "commander in chief")
_JUD = ("judge*", "court", "justice", "tribunal", "prosecutor*", "magistrate*")
_LEG = ("parliament*", "senator", "senate", "deputy", "legislat*", "congress*", "assembly", "duma", "speaker",
        "mp", "lawmaker", "representative", "knesset", "bundestag", "majlis", "member of the house")


def _has(text: str, words: tuple[str, ...]) -> bool:
    """Whether ``text`` contains one of ``words`` as whole words (``stem*`` matches any ending)."""
    padded = f" {text} "
    return any((f" {w[:-1]}" in padded) if w.endswith("*") else (f" {w} " in padded) for w in words)


def _classify_position(label: str) -> tuple[str, str]:
    """(role, sector) for a position label: head of state/government and foreign/defence ministers -> GOV;
    other positions GOV too, unless the label names the military (MIL), a court (JUD) or a legislature (LEG).
    """
    text = " ".join(re.sub(r"[^a-z0-9]+", " ", norm(label)).split())
    slug = _slug(text)
    is_minister = _has(text, ("minister", "ministers", "secretary"))
    vice = _has(text, ("vice", "deputy", "acting", "first deputy", "assistant", "under", "junior"))
    if _has(text, _HEAD_OF_GOVERNMENT) and not vice and not _has(text, ("exchequer", "lord chancellor")):
        return "head_of_government", "GOV"
    if is_minister and not vice and (_has(text, ("foreign", "external affairs"))
                                     or (_has(text, ("secretary of state",)) and not _has(text, ("for",)))):
        return "foreign_minister", "GOV"
    if is_minister and not vice and _has(text, ("defence", "defense")):
        return "defence_minister", "GOV"
    if is_minister or _has(text, _ENVOY):
        return slug, "GOV"
    if _has(text, _HEAD_OF_STATE) and not vice and not _has(text, _JUD + _LEG):
        return "head_of_state", "GOV"
    if _has(text, _MIL):
        return slug, "MIL"
    if _has(text, _JUD):
        return slug, "JUD"
    if _has(text, _LEG):
        return slug, "LEG"
    return slug, "GOV"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "official"


def _split_aliases(value: str | None) -> list[str]:
    if not value:
        return []
    sep = "|" if "|" in value else (";" if ";" in value else ",")
    return [a.strip() for a in value.split(sep) if a.strip()]


def import_wikidata(path: Path) -> dict[str, Any]:
    """Read a Wikidata SPARQL JSON result of "position held" statements into a user-file mapping.

    Each row gives a person (URI, label, optional aliases), a position (URI and/or label), the
    position's country (an ISO 3166-1 alpha-3 code, or a country item or label matched against the
    packaged country list) and optional start/end times. Rows are grouped by person into ``people``
    entries with dated roles; the role code is the country code plus GOV, or MIL/JUD/LEG when the
    position label names the military, a court or a legislature.
    """
    path = Path(path)
    text = _read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise EventcoderError(f"{path}: not a JSON file ({exc.msg} at line {exc.lineno})") from None
    rows = None
    if isinstance(data, dict):
        results = data.get("results")
        rows = results.get("bindings") if isinstance(results, dict) else None
    elif isinstance(data, list):  # the "simple JSON" download of the query service
        rows = data
    if not isinstance(rows, list):
        raise EventcoderError(f"{path}: not a SPARQL JSON result (no results.bindings)")
    stats = _Stats()
    out = _Collector(stats)
    for i, row in enumerate(rows, 1):
        where = f"{path.name}:row {i}"
        if not isinstance(row, dict):
            stats.warn(where, "not an object")
            continue
        person_uri, _ = _binding(row, "person")
        qid = _qid(person_uri)
        name, _ = _binding(row, "name")
        if not name or (qid and name == qid):
            stats.warn(where, "no person label")
            continue
        country = _wd_country(row)
        if country is None:
            stats.warn(where, f"no country code for {name!r}")
            continue
        label, _ = _binding(row, "positionLabel")
        position, _ = _binding(row, "position")
        if not label and position and not _qid(position):
            label = position
        role, sector = _classify_position(label or "")
        start = _wd_date(*_binding(row, "start"))
        end = _wd_date(*_binding(row, "end"))
        if start and end and end < start:
            stats.warn(where, f"end before start for {name!r}")
            continue
        aliases = _split_aliases(_binding(row, "aliases")[0])
        out.add_person([name] + aliases, [{"country": country, "role": role, "start": start, "end": end,
                                           "code": country + sector}], wikidata=qid, key=qid or norm(name))
    result = out.result()
    for person in result["people"]:
        person["roles"].sort(key=lambda r: (r["start"] or "", r["end"] or "9999"))
    result["_stats"]["files"] = [str(path)]
    return result


# ----------------------------------------------------------------------------------------- merging

_HEADER = """\
# eventcoder user actor file: actors, people and agent terms layered over the built-in knowledge base.
#
# Written by "eventcoder actors import-petrarch" / "eventcoder actors import-wikidata"; it may also be
# edited by hand (comments are not kept when an importer rewrites it). The facts come from the
# dictionaries and query results the user imported.
#
# Format (YAML mapping; see docs/actors_import.md):
#   countries:  [{code, name, names: [...], ...}]          extra names for a country code
#   actors:     [{name, aliases, code, country?, sector?}]  named actors with one code
#   people:     [{name, aliases, wikidata?, roles: [{country, role, start, end, code}]}]
#   agents:     {SECTOR: {name, terms: [...]}}               nouns that give a sector code
"""


def _person_key(p: dict[str, Any]) -> tuple[str, str]:
    return (str(p.get("wikidata") or ""), norm(str(p.get("name", ""))))


def _merge_list(old: list[Any], new: list[Any], key: Callable[[dict[str, Any]], Any],
                combine: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]] | None = None) -> list[Any]:
    out = [e for e in old if isinstance(e, dict)]
    index = {key(e): i for i, e in enumerate(out)}
    for e in new:
        if not isinstance(e, dict):
            continue
        k = key(e)
        if k in index:
            i = index[k]
            out[i] = combine(out[i], e) if combine else e
        else:
            index[k] = len(out)
            out.append(e)
    return out


def _merge_people(old: list[Any], new: list[Any]) -> list[Any]:
    """Replace people with the same Wikidata id, or with the same name where either lacks an id."""
    out: list[Any] = [e for e in old if isinstance(e, dict)]
    by_id: dict[str, int] = {}
    by_name: dict[str, list[int]] = {}

    def remember(i: int, e: dict[str, Any]) -> None:
        qid, name = _person_key(e)
        if qid:
            by_id.setdefault(qid, i)
        by_name.setdefault(name, []).append(i)

    for i, e in enumerate(out):
        remember(i, e)
    for e in new:
        if not isinstance(e, dict):
            continue
        qid, name = _person_key(e)
        hit = by_id.get(qid) if qid else None
        if hit is None:
            for i in by_name.get(name, []):
                if not qid or not _person_key(out[i])[0]:
                    hit = i
                    break
        if hit is None:
            out.append(e)
            remember(len(out) - 1, e)
        else:
            out[hit] = e
            remember(hit, e)
    return out


def _merge_country(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    merged = {**old, **{k: v for k, v in new.items() if k != "names"}}
    names = list(old.get("names") or [])
    seen = {norm(str(n)) for n in names}
    for n in new.get("names") or []:
        if norm(str(n)) not in seen:
            seen.add(norm(str(n)))
            names.append(n)
    merged["names"] = names
    return merged


def _merge_agents(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Each term belongs to one sector; a newly imported term moves to its new sector."""
    new_terms = {str(t): str(s) for s, spec in new.items() for t in ((spec or {}).get("terms") or [])}
    out: dict[str, Any] = {}
    for sector, spec in old.items():
        spec = dict(spec or {})
        spec["terms"] = [t for t in (spec.get("terms") or []) if str(t) not in new_terms]
        out[str(sector)] = spec
    for sector, spec in new.items():
        spec = spec or {}
        target = out.setdefault(str(sector), {"terms": []})
        if spec.get("name"):
            target["name"] = spec["name"]
        terms = target.setdefault("terms", [])
        for t in spec.get("terms") or []:
            if t not in terms:
                terms.append(t)
    return {s: spec for s, spec in out.items() if spec.get("terms") or spec.get("name")}


def _load_mapping(path: Path, what: str) -> dict[str, Any]:
    """A YAML mapping from ``path`` ({} when absent); one-line errors for unreadable or wrong files."""
    if not path.exists():
        return {}
    try:
        data = _safe_load(path.read_bytes())
    except OSError as exc:
        raise EventcoderError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except yaml.YAMLError as exc:
        raise EventcoderError(f"{path}: not a valid YAML file ({str(exc).splitlines()[0]})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise EventcoderError(f"{path}: not {what}")
    return data


def _load_user(path: Path) -> dict[str, Any]:
    return _load_mapping(path, "an actor file (expected a mapping with actors, people, agents)")


def merge_user_file(new: dict[str, Any], path: Path | None = None) -> Path:
    """Merge imported entries into the user actor file and write it atomically; return its path.

    Entries replace existing ones with the same key: countries by code (their names are united),
    organizations by code and name, actors by name, people by Wikidata id or name, agent terms by term.
    Merging the same import twice therefore leaves the file unchanged. Keys starting with "_" (the
    importers' statistics) are not written.
    """
    path = Path(path) if path is not None else user_actors_path()
    old = _load_user(path)
    merged: dict[str, Any] = {k: v for k, v in old.items() if k not in _USER_KEYS}
    merged["countries"] = _merge_list(old.get("countries") or [], new.get("countries") or [],
                                      lambda e: str(e.get("code")), _merge_country)
    merged["organizations"] = _merge_list(old.get("organizations") or [], new.get("organizations") or [],
                                          lambda e: (str(e.get("code")), norm(str(e.get("name", "")))))
    merged["actors"] = _merge_list(old.get("actors") or [], new.get("actors") or [],
                                   lambda e: norm(str(e.get("name", ""))))
    merged["people"] = _merge_people(old.get("people") or [], new.get("people") or [])
    merged["agents"] = _merge_agents(old.get("agents") or {}, new.get("agents") or {})
    merged = {k: v for k, v in merged.items() if v and not str(k).startswith("_")}

    _write_yaml(path, _HEADER, merged)
    return path


def _write_yaml(path: Path, header: str, data: dict[str, Any]) -> None:
    """Write ``header`` and ``data`` as YAML atomically (a temporary file in the same folder, then a rename),
    keeping the mode of the file it replaces."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    body = yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
                     width=1000)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(header)
            fh.write(body)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            mode = path.stat().st_mode & 0o777
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _load_triggers(path: Path) -> dict[str, Any]:
    return _load_mapping(path, "a trigger file (expected a mapping of event codes to patterns)")


def merge_triggers_file(new: dict[str, Any], path: Path | None = None,
                        builtin_patterns: bool | None = None) -> Path:
    """Merge imported trigger patterns (code -> list of patterns) into the user trigger file; return its path.

    The heads (verb or noun lemmas) of the new patterns are decided by the import: every pattern of those
    heads already in the file is dropped, then the new patterns are added. Patterns of other heads,
    settings keys and patterns the grammar cannot read stay. Importing the same dictionary twice therefore
    leaves the file unchanged. Codes are written in order, the null code ``---`` last; ``_stats`` is not
    written. ``builtin_patterns=False`` marks the file as a complete dictionary (``_builtin_patterns:
    false``: the built-in patterns are not used while it is in place), ``True`` removes that mark, ``None``
    leaves the file's setting as it is.
    """
    from ..events._triggers import parse_pattern, user_triggers_path

    path = Path(path) if path is not None else user_triggers_path()
    old = _load_triggers(path)
    incoming = [(str(code), str(text)) for code, texts in new.items() if not str(code).startswith("_")
                for text in (texts or [])]
    claimed = set()
    for code, text in incoming:
        p = parse_pattern(code, text)
        if p is not None:
            claimed.add((p.noun, p.head))
    codes: dict[str, list[str]] = {}
    settings: dict[str, Any] = {}
    for code, texts in old.items():
        code = str(code)
        if code.startswith("_"):
            if code != "_stats":
                settings[code] = texts
            continue
        for text in texts if isinstance(texts, list) else []:
            p = parse_pattern(code, str(text))
            if p is None or (p.noun, p.head) not in claimed:
                codes.setdefault(code, []).append(str(text))
    for code, text in incoming:
        kept = codes.setdefault(code, [])
        if text not in kept:
            kept.append(text)
    merged: dict[str, Any] = {c: codes[c] for c in sorted(codes) if c != _TRIGGER_KEY_NULL and codes[c]}
    if codes.get(_TRIGGER_KEY_NULL):
        merged[_TRIGGER_KEY_NULL] = codes[_TRIGGER_KEY_NULL]
    if builtin_patterns is not None:
        settings.pop("_builtin_patterns", None)
        if not builtin_patterns:
            settings["_builtin_patterns"] = False
    merged.update(settings)
    _write_yaml(path, _VERBS_HEADER, merged)
    return path


# ---------------------------------------------------------------------------------------------- CLI


def _summary(data: dict[str, Any], path: Path) -> str:
    counts = _counts(data)
    stats = data.get("_stats") or {}
    text = (
        f"imported {counts['actors'] + counts['countries']} actors ({counts['countries']} country entries), "
        f"{counts['people']} people, {counts['agents']} agent terms; wrote {path}"
    )
    if stats.get("warnings"):
        text += f" ({stats['warnings']} malformed lines skipped)"
    return text


def _report(data: dict[str, Any], args: argparse.Namespace) -> int:
    path = merge_user_file(data, args.output)
    if getattr(args, "verbose", False):
        for message in (data.get("_stats") or {}).get("messages") or []:
            print(message, file=sys.stderr)
    print(_summary(data, path))
    return 0


def _verbs_summary(data: dict[str, Any], path: Path) -> str:
    stats = data.get("_stats") or {}
    text = (f"imported {stats.get('patterns', 0)} trigger patterns for {stats.get('heads', 0)} verb lemmas "
            f"from {stats.get('blocks', 0)} verb blocks, {stats.get('null_patterns', 0)} of them coding nothing")
    if stats.get("skipped_total"):
        text += f" ({stats['skipped_total']} dictionary patterns the trigger grammar cannot express skipped)"
    return text + f"; wrote {path}"


def _cmd_import_petrarch(args: argparse.Namespace) -> int:
    files = [Path(f) for f in args.files]
    verbs = [f for f in files if _looks_like_verbs(_read_text(f))]
    others = [f for f in files if f not in verbs]
    if others or not verbs:
        _report(import_petrarch(others), args)
    if verbs:
        data = import_petrarch_verbs(verbs)
        only = getattr(args, "only_imported_triggers", False)
        path = merge_triggers_file(data, getattr(args, "triggers_output", None), False if only else None)
        if getattr(args, "verbose", False):
            for message in (data.get("_stats") or {}).get("messages") or []:
                print(message, file=sys.stderr)
        print(_verbs_summary(data, path))
    return 0


def _cmd_import_wikidata(args: argparse.Namespace) -> int:
    return _report(import_wikidata(Path(args.file)), args)


def register_cli(sub: Any) -> None:
    """Add ``actors import-petrarch FILE...`` and ``actors import-wikidata FILE.json`` to the main parser."""
    p = sub.add_parser("actors", help="import actor and verb dictionaries into the user actor and trigger files",
                       description="Import actor dictionaries into the user actor file "
                                   "($EVENTCODER_ACTORS or ~/.local/share/eventcoder/actors.yaml) and verb "
                                   "dictionaries into the user trigger file ($EVENTCODER_TRIGGERS or "
                                   "~/.local/share/eventcoder/triggers.yaml).")
    actions = p.add_subparsers(dest="actors_command", required=True)

    q = actions.add_parser("import-petrarch",
                           help="import TABARI/PETRARCH .actors, .agents and .verbs dictionaries")
    q.add_argument("files", nargs="+", metavar="FILE",
                   help="dictionary files (actors, agents and verbs may be mixed; verbs files are recognised "
                        "by their content)")
    q.add_argument("-o", "--output", type=Path, default=None,
                   help="the user actor file to merge into (default: $EVENTCODER_ACTORS or the user data dir)")
    q.add_argument("--triggers-output", type=Path, default=None, metavar="FILE",
                   help="the user trigger file verbs dictionaries merge into (default: $EVENTCODER_TRIGGERS "
                        "or triggers.yaml in the user data dir)")
    q.add_argument("--only-imported-triggers", action="store_true",
                   help="mark the trigger file as a complete dictionary: while it is in place the built-in "
                        "trigger patterns are not used (PETRARCH-like coding with the imported verbs only)")
    q.add_argument("-v", "--verbose", action="store_true", help="list skipped and simplified lines (the first 50)")
    q.set_defaults(func=_cmd_import_petrarch)

    q = actions.add_parser("import-wikidata", help="import a Wikidata SPARQL JSON result of positions held")
    q.add_argument("file", metavar="FILE.json", help="the query result, as SPARQL JSON")
    q.add_argument("-o", "--output", type=Path, default=None,
                   help="the user actor file to merge into (default: $EVENTCODER_ACTORS or the user data dir)")
    q.add_argument("-v", "--verbose", action="store_true", help="list the skipped rows (the first 50)")
    q.set_defaults(func=_cmd_import_wikidata)
