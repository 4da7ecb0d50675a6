"""Modality of an event trigger: negated, future or intended, hypothetical, question."""

from __future__ import annotations

from spacy.tokens import Token

from ..model import Modality
from ..nlp import sentence_of

__all__ = ["PERMIT_VERBS", "governing_verbs", "modality_of", "permitted"]

_NEG = frozenset({"not", "n't", "never", "no", "neither", "nor", "without"})
_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
_HYPO_AUX = frozenset({"would", "could", "might", "may", "should", "'d", "can"})
_FUTURE_ADJ = frozenset({"upcoming", "planned", "proposed", "forthcoming", "next", "future", "expected", "scheduled"})
_FUTURE_VERBS = frozenset({"plan", "intend", "want", "seek", "aim", "hope", "expect", "prepare", "propose",
                           "schedule", "wish", "consider", "mull", "vow", "pledge", "promise", "threaten", "set"})
PERMIT_VERBS = frozenset({"allow", "permit", "authorize", "authorise", "enable"})
_PERFORM = frozenset({"undertake", "commit"})  # intent verbs that perform an event noun they take as object
# contacts whose purpose is done in them: "called Bashir to express his support" expresses it on the call
CALLS = frozenset({"call", "phone", "telephone", "ring"})
_HYPO_MARKS = frozenset({"if", "unless", "whether"})
_CLAUSE_UP = frozenset({"xcomp", "ccomp", "advcl", "conj", "relcl", "acl", "pcomp"})


def governing_verbs(token: Token, limit: int = 3) -> list[Token]:
    """Verbs that govern ``token`` through open complements ("refused to approve" -> refused)."""
    out: list[Token] = []
    tok = token
    while (tok.dep_ == "xcomp" or (tok.dep_ == "pcomp" and tok.head.lower_ not in _WHEN_PREPS)
           or (tok.dep_ == "acl" and tok.head.pos_ == "NOUN") or _for_to(tok)
           or _taken_through(tok) or _sworn(tok)) and tok.head.i != tok.i and len(out) < limit:
        tok = tok.head
        if tok.pos_ == "ADP":  # "refrained from attacking": prep -> verb
            tok = tok.head
        out.append(tok)
    return out


# a clause in these phrases tells when, not what the verb is about: "called off the strike after reaching
# agreement" does not call for the agreement ("refrained from attacking" does govern the attack)
_WHEN_PREPS = frozenset({"after", "before", "since", "until", "till", "following", "despite"})

# verbs that do the event noun they take through a preposition: "refused to commit to any assistance" refuses
# the assistance, "declined to participate in the talks" the talks
_THROUGH = frozenset({("commit", "to"), ("participate", "in"), ("engage", "in"), ("partake", "in")})


def _taken_through(tok: Token) -> bool:
    return tok.dep_ == "pobj" and tok.head.dep_ == "prep" \
        and (tok.head.head.lemma_.lower(), tok.head.lower_) in _THROUGH


_SWEAR = frozenset({"swear", "vow", "pledge", "promise", "threaten"})


def _sworn(tok: Token) -> bool:
    """What a vow is to do, parsed as a clause of its own: "have sworn to fight until ..." (an advcl)."""
    return tok.dep_ == "advcl" and tok.head.lemma_.lower() in _SWEAR \
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) \
        and not any(c.dep_ == "dobj" for c in tok.head.children)  # ("pledged support for a plan to form ...")


def _for_to(tok: Token) -> bool:
    """A "for X to do" clause ("called for the president to resign"): an open complement with its own subject."""
    return tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "for" for c in tok.children) \
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


_SPEECH = frozenset({"say", "tell", "announce", "state", "report", "add", "declare", "indicate", "confirm",
                     "promise", "pledge", "vow", "insist", "quote"})


def _reported(tok: Token) -> bool:
    """Is this clause what someone said ("X said they would meet")?"""
    return tok.dep_ in ("ccomp", "xcomp", "advcl") and tok.head.lemma_.lower() in _SPEECH


def permitted(trigger: Token) -> bool:
    """Whether the trigger is what someone allows ("allowed the WFP to deliver food")."""
    return trigger.dep_ in ("ccomp", "xcomp") and trigger.head.lemma_.lower() in PERMIT_VERBS


# verbs that set a condition: what their "before" or "until" clause names waits for it
_CONDITIONING = frozenset({"demand", "insist", "require", "refuse", "wait"})


def _awaited(tok: Token) -> bool:
    """Whether ``tok`` heads a "before ..." or "until ..." clause of a verb that sets a condition or vows."""
    if tok.dep_ == "pcomp" and tok.head.lower_ in ("before", "until"):
        verb = tok.head.head
    elif tok.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ("before", "until") for c in tok.children):
        verb = tok.head
    else:
        return False
    return verb.lemma_.lower() in _CONDITIONING | _SWEAR | _FUTURE_VERBS


def modality_of(trigger: Token, intent_verbs: frozenset[str] | set[str] = _FUTURE_VERBS) -> Modality:
    m = Modality()
    chain = [trigger, *governing_verbs(trigger)]
    if trigger.pos_ in ("NOUN", "PROPN") and trigger.dep_ in ("dobj", "nsubjpass", "attr") \
            and trigger.head.pos_ in ("VERB", "AUX"):
        # an event noun shares the modality of its verb: "will host the summit", "did not hold talks"
        chain += [trigger.head, *governing_verbs(trigger.head)]
    # "was not attacked", "did not attack", "no talks", "never visited"
    for tok in chain:
        for c in tok.children:
            low = c.lower_
            if c.dep_ == "neg" or (c.dep_ == "det" and low == "no") or (c.dep_ == "advmod" and low == "never"):
                m.negated = True
            if c.dep_ in ("aux", "auxpass") and low in _FUTURE_AUX:
                m.future = True
            if c.dep_ in ("aux", "auxpass") and low in _HYPO_AUX:
                if low in ("would", "'d") and _reported(tok):
                    m.future = True  # "said they would meet": future in the past
                else:
                    m.hypothetical = True
            if c.dep_ == "aux" and low == "going" :
                m.future = True
            if c.dep_ == "amod" and low in _FUTURE_ADJ:
                m.future = True
    for gov in chain[1:]:
        lemma = gov.lemma_.lower()
        if lemma in _PERFORM and gov.i == trigger.head.i and trigger.pos_ in ("NOUN", "PROPN"):
            continue  # "undertook a mediation mission" is done, unlike "undertook to mediate"
        if lemma in intent_verbs or lemma in _FUTURE_VERBS or (lemma == "go" and gov.tag_ == "VBG"):
            m.future = True  # "plans to impose", "is going to mediate"
    if trigger.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in trigger.children) \
            and trigger.head.lemma_.lower() not in CALLS:
        m.hypothetical = True  # a purpose, not yet done: "sent material to help defend Saudi Arabia"
    if permitted(trigger):
        m.hypothetical = True  # what is allowed is not said to be done: "allowed the WFP to deliver food"
    # conditional clauses: "if they attack", "unless Russia withdraws"
    tok = trigger
    for _ in range(4):
        if any(c.dep_ == "mark" and c.lower_ in _HYPO_MARKS for c in tok.children):
            m.hypothetical = True
            break
        if tok.dep_ == "advcl" and tok.head.lemma_.lower() in _SWEAR | _FUTURE_VERBS \
                and any(c.dep_ == "mark" and c.lower_ == "until" for c in tok.children):
            m.future = True  # "have sworn to fight until they gain control": what is vowed is not yet done
            break
        if _awaited(tok):
            m.future = True  # "demanded a truce before allowing aid convoys": the convoys are not yet allowed
            break
        if tok.dep_ not in _CLAUSE_UP or tok.head.i == tok.i:
            break
        tok = tok.head
    sent = sentence_of(trigger)
    if sent.text.rstrip().endswith("?"):
        m.question = True
    return m
