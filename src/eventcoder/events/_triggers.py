"""The trigger lexicon and its matcher.

Patterns (``events/data/triggers.yaml``) are written as ``["N "] head (" " dep)* (" [" prep ("|" prep)* "]" | " [-]")``:
a head lemma (a verb, or a noun after ``N``), the lemmas of words that must depend on it ("hold talk",
"open fire"), and the prepositions that introduce the target ("[with]"); without brackets the target is
the direct object, and ``[-]`` means the event has no target.

A **user trigger file** (``$EVENTCODER_TRIGGERS``, else ``triggers.yaml`` in the user data directory) in
the same format is layered over the built-in lexicon: its patterns for a head (verb or noun lemma)
replace every built-in pattern of that head, so an imported dictionary decides the codes of its own
words; the other built-in patterns stay. Patterns listed under the null code ``"---"`` claim their head
in the same way but code nothing (a match there yields no event). Settings keys (``_negators``,
``_intent``, ``_appeal``, ``_demand``, ``_complement_codes``) in the user file extend the built-in ones.
"""

from __future__ import annotations

import dataclasses

import logging
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from spacy.tokens import Token

from .._config import user_data_dir

__all__ = ["NULL_CODE", "Lexicon", "Pattern", "TriggerMatch", "get_lexicon", "load_patterns", "parse_pattern",
           "reload_lexicon", "user_triggers_path"]

log = logging.getLogger("eventcoder.events.triggers")

#: The code of user patterns that claim a head but code no event (PETRARCH's null code).
NULL_CODE = "---"

_PATTERN = re.compile(r"^(N\s+)?([^\s\[\]]+(?:\s+[^\s\[\]]+)*)(?:\s+\[([^\]]*)\])?$")
_VERB_POS = frozenset({"VERB", "AUX"})
_NOUN_POS = frozenset({"NOUN", "PROPN"})


@dataclass(frozen=True, slots=True)
class Pattern:
    code: str
    noun: bool
    head: str
    deps: tuple[str, ...]
    preps: tuple[str, ...]  # prepositions that introduce the target; empty = direct object
    no_target: bool
    text: str
    source: str = "lexicon"  # "lexicon" (built in) or "user" (the user trigger file)

    @property
    def rule(self) -> str:
        return f"{self.source}:{self.code}:{self.text}"


@dataclass(frozen=True, slots=True)
class TriggerMatch:
    pattern: Pattern
    head: Token
    dep_tokens: tuple[Token, ...]
    score: float


def parse_pattern(code: str, text: str) -> Pattern | None:
    m = _PATTERN.match(text.strip())
    if not m:
        return None
    words = m.group(2).lower().split()
    bracket = m.group(3)
    no_target = bracket is not None and bracket.strip() == "-"
    preps = tuple(p.strip().lower() for p in bracket.split("|") if p.strip()) if bracket and not no_target else ()
    return Pattern(code=code, noun=bool(m.group(1)), head=words[0], deps=tuple(words[1:]), preps=preps,
                   no_target=no_target, text=text.strip())


class Lexicon:
    """Patterns indexed by (part of speech, head lemma), plus the verbs that change a governed event."""

    def __init__(self, patterns: list[Pattern], negators: dict[str, str | None] | None = None,
                 intent: dict[str, str | None] | None = None, appeal: set[str] | None = None,
                 demand: set[str] | None = None, complement_codes: dict[str, dict[str, str | None]] | None = None) -> None:
        self.patterns = patterns
        self.by_head: dict[tuple[bool, str], list[Pattern]] = defaultdict(list)
        for p in patterns:
            self.by_head[(p.noun, p.head)].append(p)
        self.negators = negators or {}
        self.intent = intent or {}
        self.appeal = appeal or set()
        self.demand = demand or set()
        self.complement_codes = complement_codes or {}

    def governed_code(self, kind: str, complement: str, default: str | None) -> str | None:
        """The code of an event governed by a verb of ``kind`` (intent, refuse, appeal, demand):
        the longest prefix of the complement's code listed in the lexicon decides."""
        for n in range(len(complement), 1, -1):
            entry = self.complement_codes.get(complement[:n])
            if entry is not None:
                value = entry.get(kind) or default
                return complement if value == "=" else value  # "=": the complement's own code
        return default

    def match(self, token: Token) -> TriggerMatch | None:
        """The most specific pattern headed by ``token``, if any."""
        if (token.pos_ in _VERB_POS or token.tag_.startswith("VB")) and not _misread_noun(token):
            candidates = self.by_head.get((False, token.lemma_.lower()))
        elif token.pos_ in _VERB_POS:  # a noun the parser read as a verb: its noun patterns
            candidates = self.by_head.get((True, token.lemma_.lower()))
        elif token.pos_ in _NOUN_POS:
            candidates = self.by_head.get((True, token.lemma_.lower())) or self.by_head.get((True, token.lower_))
        else:
            return None
        if not candidates:
            return None
        best: TriggerMatch | None = None
        children = list(token.children)
        nearby: dict[str, Token] | None = None  # built on the first pattern word not found among the children
        for p in candidates:
            deps: list[Token] = []
            for want in p.deps:
                # (a particle takes no object: "fought on the border" is no "fight on")
                hit = next((c for c in children if (c.lemma_.lower() == want or c.lower_ == want)
                            and c.dep_ not in _NOT_PATTERN_DEPS), None)
                if hit is None:
                    if nearby is None:
                        nearby = _nearby_words(children)
                    hit = nearby.get(want)
                if hit is None or (want in _PARTICLES and any(g.dep_ == "pobj" for g in hit.children)):
                    break
                deps.append(hit)
            else:
                score = 1.0 + len(deps)
                has_obj = any(c.dep_ in ("dobj", "dative") or named_object(c) for c in children)
                # (a passive's subject is its object: "soldiers were deployed along the corridor")
                passive = any(c.dep_ == "nsubjpass" for c in children)
                if p.preps:
                    # ("launched air strikes against X": the preposition may hang from a pattern word)
                    has_prep = any(c.dep_ == "prep" and c.lower_ in p.preps and not _when(c)
                                   for c in (*children, *deps, *(g for d in deps for g in d.children)))
                    other_prep = any(c.dep_ == "prep" and c.lower_ not in _SETTING_PREPS and not _when(c)
                                     and not _on_ground(c)
                                     for c in children)
                    if has_prep and has_obj and p.preps == ("at",) and not p.deps and not p.noun:
                        score -= 0.25  # "shot two protesters at a checkpoint": with an object, "at" is the place
                    elif has_prep:
                        score += 0.5
                    elif other_prep and not has_obj and not passive and not p.noun:
                        continue  # "NATO stands for ..." is not "stand by/with"
                    elif has_obj and not p.noun:
                        score -= 0.25  # "called Morrison on Wednesday": the transitive "call" beats "call [on]"
                elif p.no_target and not p.noun and any(c.dep_ == "dobj" and c not in deps for c in children):
                    score -= 0.25  # "strike [-]" is intransitive: "missiles struck a depot" is no labour strike
                if best is None or score > best.score:
                    best = TriggerMatch(p, token, tuple(deps), score)
        if best is not None and best.pattern.code == NULL_CODE:
            return None  # a user pattern that claims the words but codes nothing
        return best


def _misread_noun(token: Token) -> bool:
    """A base-form verb the parser made a clause of its own, with nothing a clause has, right after a noun:
    "ending its fisheries dispute with its partners" ("dispute" read as a verb)."""
    return token.tag_ == "VB" and token.dep_ in ("advcl", "conj", "dep") and token.i > 0 \
        and token.doc[token.i - 1].pos_ in ("NOUN", "PROPN") \
        and not any(c.dep_ in ("aux", "auxpass", "mark", "nsubj", "nsubjpass", "dobj", "neg") for c in token.children)


def _nearby_words(children: list[Token]) -> dict[str, Token]:
    """Pattern words found below the trigger's children, by lemma, the first place searched winning."""
    found: dict[str, Token] = {}

    def add(tokens: Iterable[Token]) -> None:
        for g in tokens:
            found.setdefault(g.lemma_.lower(), g)

    # "carry out an attack": the dependent may sit one level down ("open fire on"), but not in a phrase that
    # sets the scene or the place ("held elections despite calls for ...", "seized cocaine in the port")
    add(g for c in children if c.dep_ in ("dobj", "prt", "xcomp", "acomp", "prep")
        and c.lower_ not in SCENE_PREPS and c.lower_ not in _PLACE_PREPS for g in c.children)
    # "accept refugees fleeing the war", parsed as a clause with the object as its subject
    add(g for c in children if c.dep_ in ("ccomp", "advcl") and c.tag_ == "VBG"
        for g in c.children if g.dep_ == "nsubj")
    # "launched artillery, mortar and rocket fire": a conjunct of the object
    add(g for c in children if c.dep_ == "dobj" for g in c.subtree if g.dep_ == "conj")
    # "returned dozens of artifacts", "freed hundreds of prisoners", "hundreds of troops were sent": through a
    # quantity
    add(g for c in children if c.dep_ in ("dobj", "nsubjpass") and _quantity(c)
        for p in c.children if p.dep_ == "prep" and p.lower_ == "of"
        for g in p.children if g.dep_ == "pobj")
    return found


def named_object(tok: Token) -> bool:
    """A name the parser made an object predicate ("Biden called Erdogan on Monday" read as "called him
    Erdogan"): with no direct object beside it, the object."""
    return tok.dep_ == "oprd" and tok.pos_ == "PROPN" and not any(c.dep_ == "dobj" for c in tok.head.children)


# ------------------------------------------------------------------------------------------ loading


# Relations that join another clause or another actor, not a word of the same phrase: "denied entry to X,
# claiming ..." does not match "deny claim", nor "the army and the police fired" "police fire".
_NOT_PATTERN_DEPS = frozenset({"advcl", "conj", "parataxis", "relcl", "nsubj", "csubj", "appos", "cc", "punct",
                               "mark"})


# Prepositions whose phrase sets the scene of a clause, when or despite what something happened ("After the
# attacks, the government said ..."): never a word of a pattern, nor what the clause's subject does
SCENE_PREPS = frozenset({"despite", "after", "before", "since", "following", "during", "amid", "amidst", "until",
                          "notwithstanding"})


# Prepositions of place: "in the port" is where something was seized, not what
_PLACE_PREPS = frozenset({"in", "at", "near", "inside", "outside", "across"})


# Words that count or gather what a pattern names ("dozens of artifacts", "a team of doctors")
_QUANTITY = frozenset({"dozen", "dozens", "hundred", "hundreds", "thousand", "thousands", "score", "scores",
                       "number", "group", "batch", "handful", "some", "several", "all", "most", "many", "team",
                       "contingent", "convoy", "shipment", "consignment", "cargo", "planeload", "truckload",
                       # measures: "handed over 700 kg of medicine", "$50,000 worth of goods"
                       "kg", "kilogram", "ton", "tonne", "tons", "tonnes", "litre", "liter", "worth", "load"})


# Prepositions that place or time an event rather than take its target: "surrendered last week in Soroti"
# still matches "surrender [to]".
_SETTING_PREPS = frozenset({"in", "at", "during", "near", "inside", "outside", "throughout", "amid", "amidst",
                            "despite", "since", "after", "before", "following", "across", "within"})


_PARTICLES = frozenset({"on", "off", "up", "down", "out", "back", "over", "in", "away"})
# ground an event happens on ("clashed on the border")
_GROUND = frozenset({"border", "frontier", "front", "frontline", "street", "ground", "coast", "island", "island",
                     "outskirts", "line", "road", "highway", "bank", "side", "edge", "territory", "soil"})


def _on_ground(prep: Token) -> bool:
    """An "on" phrase that places the event: "on the border", "on the streets of Nairobi"."""
    return prep.lower_ == "on" and any(o.dep_ == "pobj" and (o.lemma_.lower() in _GROUND or o.ent_type_ in (
        "GPE", "LOC", "FAC")) for o in prep.children)


def _when(prep: Token) -> bool:
    """A preposition that only dates the event: "on Wednesday", "at noon"."""
    objs = [c for c in prep.children if c.dep_ == "pobj"]
    return bool(objs) and all(o.ent_type_ in ("DATE", "TIME") for o in objs)


def _quantity(tok: Token) -> bool:
    return tok.like_num or tok.ent_type_ == "CARDINAL" or tok.lower_ in _QUANTITY or tok.lemma_.lower() in _QUANTITY


def user_triggers_path() -> Path:
    """The user trigger file: ``$EVENTCODER_TRIGGERS``, else ``triggers.yaml`` in the user data directory
    (``$XDG_DATA_HOME/eventcoder``, by default ``~/.local/share/eventcoder``)."""
    env = os.environ.get("EVENTCODER_TRIGGERS")
    return Path(env) if env else user_data_dir() / "triggers.yaml"


def get_lexicon() -> Lexicon:
    """The built-in lexicon with the user trigger file, when there is one, layered on top.

    The result is cached per user file (its resolved path, inode, modification time and size), so a
    changed or switched file is picked up by the next call; ``reload_lexicon`` empties the cache.
    """
    path = user_triggers_path()
    try:
        st = path.stat()
    except OSError:
        return _layered(None)
    if not path.is_file():
        return _layered(None)
    return _layered((str(path.resolve()), st.st_ino, st.st_mtime_ns, st.st_size))


def reload_lexicon() -> Lexicon:
    """Forget the cached lexicons (the built-in one included) and load again."""
    _layered.cache_clear()
    _builtin_data.cache_clear()
    return get_lexicon()


def load_patterns(data: dict[Any, Any], where: str = "") -> list[Pattern]:
    """The patterns of a trigger mapping (code -> list of pattern strings); settings keys are skipped."""
    patterns: list[Pattern] = []
    for key, value in data.items():
        key = str(key)
        if key.startswith("_"):
            continue
        if not isinstance(value, list):
            log.warning("%s: the value of %r is not a list of patterns; skipped", where or "trigger file", key)
            continue
        for text in value:
            p = parse_pattern(key, str(text))
            if p is not None:
                patterns.append(p)
            elif where:
                log.warning("%s: cannot read pattern %r under %r; skipped", where, text, key)
    return patterns


@lru_cache(maxsize=1)
def _builtin_data() -> dict[Any, Any]:
    text = (resources.files("eventcoder.events") / "data" / "triggers.yaml").read_text("utf-8")
    return _load_yaml(text) or {}


def _load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506


@lru_cache(maxsize=4)
def _layered(user_key: tuple[str, int, int, int] | None) -> Lexicon:
    data = _builtin_data()
    patterns = load_patterns(data)
    negators = _code_map(data.get("_negators"))
    intent = _code_map(data.get("_intent"))
    appeal = {str(v) for v in data.get("_appeal") or []}
    demand = {str(v) for v in data.get("_demand") or []}
    complement_codes = {str(k): dict(v or {}) for k, v in (data.get("_complement_codes") or {}).items()}
    if user_key is not None:
        user = _read_user(Path(user_key[0]))
        if user:
            codes = {k: v for k, v in user.items() if str(k).startswith("_") or _known_code(str(k), user_key[0])}
            mine = [dataclasses.replace(p, source="user") for p in load_patterns(codes, user_key[0])]
            claimed = {(p.noun, p.head) for p in mine}
            if user.get("_builtin_patterns", True) is False:
                patterns = []  # the user file is a complete dictionary: no built-in pattern stays
            patterns = [p for p in patterns if (p.noun, p.head) not in claimed] + mine
            negators.update(_code_map(user.get("_negators")))
            intent.update(_code_map(user.get("_intent")))
            appeal |= {str(v) for v in user.get("_appeal") or []}
            demand |= {str(v) for v in user.get("_demand") or []}
            for k, v in (user.get("_complement_codes") or {}).items():
                complement_codes[str(k)] = {**complement_codes.get(str(k), {}), **dict(v or {})}
    return Lexicon(patterns, negators=negators, intent=intent, appeal=appeal, demand=demand,
                   complement_codes=complement_codes)


def _read_user(path: Path) -> dict[Any, Any]:
    """The user trigger file as a mapping; an unreadable or malformed file is reported and ignored."""
    try:
        data = _load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        log.warning("%s: cannot read the user trigger file (%s); using the built-in lexicon only", path,
                    str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__)
        return {}
    if data is None:
        return {}
    if not isinstance(data, dict):
        log.warning("%s: not a trigger file (expected a mapping of codes to patterns); ignored", path)
        return {}
    return data


def _known_code(code: str, where: str) -> bool:
    """Whether the engine can code ``code``: the null code, or a code whose own or a parent code
    (at least the two-digit root) is in the ontology."""
    if code == NULL_CODE:
        return True
    from ._ontology import get_ontology

    codes = get_ontology().codes
    if any(code[:n] in codes for n in range(len(code), 1, -1)):
        return True
    log.warning("%s: %r is not a CAMEO event code; its patterns are skipped", where, code)
    return False


def _code_map(value: object) -> dict[str, str | None]:
    if isinstance(value, dict):
        return {str(k): (str(v) if v is not None else None) for k, v in value.items()}
    return {str(v): None for v in value or []}  # type: ignore[attr-defined]
