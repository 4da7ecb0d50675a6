"""The trigger lexicon and its matcher.

Patterns (``events/data/triggers.yaml``) are written as ``["N "] head (" " dep)* (" [" prep ("|" prep)* "]" | " [-]")``:
a head lemma (a verb, or a noun after ``N``), the lemmas of words that must depend on it ("hold talk",
"open fire"), and the prepositions that introduce the target ("[with]"); without brackets the target is
the direct object, and ``[-]`` means the event has no target.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml
from spacy.tokens import Token

__all__ = ["Lexicon", "Pattern", "TriggerMatch", "get_lexicon", "parse_pattern"]

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

    @property
    def rule(self) -> str:
        return f"lexicon:{self.code}:{self.text}"


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
                return entry.get(kind) or default
        return default

    def match(self, token: Token) -> TriggerMatch | None:
        """The most specific pattern headed by ``token``, if any."""
        if token.pos_ in _VERB_POS or token.tag_.startswith("VB"):
            candidates = self.by_head.get((False, token.lemma_.lower()))
        elif token.pos_ in _NOUN_POS:
            candidates = self.by_head.get((True, token.lemma_.lower())) or self.by_head.get((True, token.lower_))
        else:
            return None
        if not candidates:
            return None
        best: TriggerMatch | None = None
        children = list(token.children)
        for p in candidates:
            deps: list[Token] = []
            for want in p.deps:
                hit = next((c for c in children if c.lemma_.lower() == want or c.lower_ == want), None)
                if hit is None:
                    # "carry out an attack": the dependent may sit one level down ("open fire on")
                    hit = next((g for c in children if c.dep_ in ("dobj", "prt", "xcomp", "acomp", "prep")
                                for g in c.children if g.lemma_.lower() == want), None)
                if hit is None:
                    break
                deps.append(hit)
            else:
                score = 1.0 + len(deps)
                if p.preps and not p.noun:
                    has_prep = any(c.dep_ == "prep" and c.lower_ in p.preps for c in children + deps)
                    other_prep = any(c.dep_ == "prep" for c in children)
                    has_obj = any(c.dep_ in ("dobj", "dative") for c in children)
                    if has_prep:
                        score += 0.5
                    elif other_prep and not has_obj:
                        continue  # "NATO stands for ..." is not "stand by/with"
                
                if best is None or score > best.score:
                    best = TriggerMatch(p, token, tuple(deps), score)
        return best


@lru_cache(maxsize=1)
def get_lexicon() -> Lexicon:
    text = (resources.files("eventcoder.events") / "data" / "triggers.yaml").read_text("utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}  # noqa: S506
    patterns: list[Pattern] = []
    for key, value in data.items():
        key = str(key)
        if key.startswith("_"):
            continue
        for text in value or []:
            p = parse_pattern(key, str(text))
            if p is not None:
                patterns.append(p)
    return Lexicon(
        patterns,
        negators=_code_map(data.get("_negators")),
        intent=_code_map(data.get("_intent")),
        appeal={str(v) for v in data.get("_appeal") or []},
        demand={str(v) for v in data.get("_demand") or []},
        complement_codes={str(k): dict(v or {}) for k, v in (data.get("_complement_codes") or {}).items()},
    )


def _code_map(value: object) -> dict[str, str | None]:
    if isinstance(value, dict):
        return {str(k): (str(v) if v is not None else None) for k, v in value.items()}
    return {str(v): None for v in value or []}  # type: ignore[attr-defined]
