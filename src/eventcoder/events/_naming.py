"""Naming someone: "Erdogan called Netanyahu a terrorist", "Modi called Japan a trusted partner".

"Call" with an object and a noun describing it labels the object; it is no phone call (CAMEO 041). An insult
is criticism (CAMEO 111, PLOVER ACCUSE), a compliment praise (CAMEO 051, PLOVER SUPPORT); a label that is
neither is a statement about them (CAMEO 010). The word lists are the team's own.
"""

from __future__ import annotations

from spacy.tokens import Token

__all__ = ["naming_code"]

_INSULTS = frozenset({
    "terrorist", "liar", "criminal", "traitor", "dictator", "murderer", "thug", "killer", "butcher", "tyrant",
    "fascist", "racist", "coward", "idiot", "fool", "clown", "puppet", "threat", "menace", "enemy", "disgrace",
    "failure", "fraud", "hypocrite", "extremist", "nazi", "bully", "gangster", "crook", "thief", "joke", "sham",
    "farce", "travesty", "lie", "hoax", "psychopath", "maniac", "lunatic", "warmonger", "aggressor", "occupier",
    "invader", "mafia", "regime", "cancer", "virus", "disaster", "catastrophe", "provocation", "insult", "scandal",
    "embarrassment", "shame", "outrage", "crime", "genocide", "atrocity", "terrorism", "spy", "agent", "stooge",
    "lackey", "pariah", "rogue", "villain", "monster", "demon", "devil", "loser", "moron", "fabrication",
    "propaganda", "slander", "smear", "fiction", "nonsense", "fake",
})
_INSULTING = frozenset({
    "stupid", "dangerous", "corrupt", "criminal", "illegal", "illegitimate", "evil", "brutal", "cruel", "lying",
    "incompetent", "irresponsible", "reckless", "hostile", "racist", "fascist", "shameful", "disgraceful",
    "unacceptable", "absurd", "ridiculous", "dishonest", "treacherous", "barbaric", "murderous", "terrorist",
    "bloodthirsty", "failed", "total", "complete",
})
_COMPLIMENTS = frozenset({
    "friend", "partner", "ally", "hero", "model", "champion", "brother", "visionary", "statesman", "success",
    "breakthrough", "milestone", "achievement", "triumph", "victory", "inspiration", "example", "pillar",
    "cornerstone", "asset", "blessing", "gift", "genius", "patriot", "peacemaker", "legend",
})


def naming_code(verb: Token) -> str | None:
    """The CAMEO code of "called X a Y" at ``verb`` ("call" with an object and a describing noun), else None."""
    if verb.lemma_.lower() != "call":
        return None
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    labels = [c for c in verb.children if c.dep_ == "oprd" and c.pos_ == "NOUN"]
    if not objects and labels:
        # "called Britain's ambassador a very stupid guy", read as an object predicate with the label beside it
        labels = [a for c in labels for a in c.children if _label_beside(a)]
    elif objects and not labels:
        # ... or as an object with the label in apposition (not "called the minister, an ally, on Monday")
        labels = [a for c in objects for a in c.children if _label_beside(a)]
    if not labels:
        return None
    words = {t.lemma_.lower() for label in labels for t in (label, *label.children, *label.conjuncts)
             if t.dep_ in ("oprd", "appos", "amod", "compound", "conj")}
    if words & _INSULTS or words & _INSULTING:
        return "111"
    if words & _COMPLIMENTS:
        return "051"
    return "010"


def _label_beside(tok: Token) -> bool:
    """An indefinite noun set beside the one named, with no comma between: "X a very stupid guy"."""
    return (tok.dep_ == "appos" and tok.pos_ == "NOUN" and tok.left_edge.lower_ in ("a", "an")
            and not tok.doc[tok.left_edge.i - 1].is_punct)
