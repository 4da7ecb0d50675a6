"""Event extraction: triggers, their source and target from the dependency parse, modality and confidence."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from spacy.tokens import Doc, Span, Token

from ..actors import DocActors, someone_elses
from ..model import Actor, Event, Evidence, Location, Modality
from ..nlp import sentence_of
from ._modality import CALLS, governing_verbs, modality_of, permitted
from ._naming import naming_code
from ._ontology import CameoCode, Ontology
from ._triggers import NULL_CODE, SCENE_PREPS, Lexicon, Pattern, TriggerMatch, named_object

__all__ = ["EventExtractor", "DateResolver", "PlaceResolver"]

class TypeModel(Protocol):
    def predict(self, span: Span) -> tuple[dict[str, float], dict[str, float]]: ...


DateResolver = Callable[[Token], tuple[str | None, str, str | None, str | None]]
PlaceResolver = Callable[[Token], Location | None]

_SUBJ = frozenset({"nsubj", "csubj", "expl"})
_SPEECH = frozenset({"say", "tell", "announce", "state", "report", "claim", "add", "insist", "argue", "declare",
                     "warn", "note", "stress", "emphasize", "emphasise", "caution", "highlight", "indicate",
                     "believe", "think", "assert", "allege", "confirm", "deny", "write", "explain", "suggest"})
# Speech verbs that make what they report an allegation: claiming that Y attacked is accusing Y.
_ALLEGE = frozenset({"claim", "allege", "charge", "contend", "accuse"})
_REPORTING = frozenset({"say", "tell", "announce", "state", "report", "add", "declare", "note", "write"})
_COORD = frozenset({"along", "together", "alongside"})
_RELPRON = frozenset({"which", "who", "that", "whom"})
# nouns of intention: who owns one does what it is to ("the U.N.'s commitment to supporting Lebanon")
_INTENT_NOUNS = frozenset({"commitment", "pledge", "promise", "plan", "decision", "readiness", "willingness", "offer",
                           "bid", "attempt", "effort", "intention", "determination", "resolve", "vow", "aim"})
# nouns that, governing an event ("Paris's refusal to approve"), make it a rejection
_NOUN_NEGATORS: dict[str, str | None] = {"refusal": "120", "rejection": "120", "failure": None}
_WEAK_HEADS = frozenset({"one", "some", "many", "all", "both", "each", "number", "part", "group"})

# ---- police actions with an unstated agent ("50 persons were arrested", "the arrests followed", "tear gas
# shells were lobbed"): the police are the implied source. Heads of arrest/detention events (CAMEO 173) ...
_CUSTODY_HEADS = frozenset({"arrest", "detain", "nab", "apprehend", "round", "pick", "take", "book", "hold",
                            "catch", "lock", "handcuff", "detention", "roundup", "custody", "place", "put"})
# ... and the words of crowd-control force (CAMEO 175) that only the police use
_CROWD_CONTROL = frozenset({"lathicharge", "lathi", "teargas", "gas", "baton", "cannon"})
# Heads that mean custody only with a person as the one held ("held 50 persons", not "held a rally"; "booked
# him", not "booked a flight"; "caught two thieves", not "caught fire"); the engine checks the patient.
_PERSON_ONLY = frozenset({"hold", "catch", "pick", "book", "lock"})
_PERSON_NOUNS = frozenset({
    "person", "people", "man", "woman", "youth", "boy", "girl", "child", "teenager", "student", "activist",
    "worker", "member", "leader", "supporter", "suspect", "accused", "culprit", "criminal", "offender", "thief",
    "robber", "smuggler", "militant", "terrorist", "extremist", "rioter", "protester", "protestor", "demonstrator",
    "agitator", "miscreant", "goon", "gangster", "trafficker", "dealer", "peddler", "volunteer", "cadre", "official",
    "officer", "employee", "driver", "owner", "resident", "villager", "farmer", "trader", "shopkeeper",
    "businessman", "journalist", "reporter", "politician", "legislator", "lawmaker", "councillor", "corporator",
    "candidate", "minister", "president", "secretary", "chief", "head", "convenor", "chairman", "priest", "cleric",
    "pilgrim", "devotee", "follower", "brother", "sister", "son", "daughter", "father", "mother", "husband", "wife",
    "relative", "associate", "accomplice", "aide", "individual", "absconder", "fugitive", "mla", "mp", "other",
    "prisoner", "detainee", "hostage", "captive", "inmate", "dissident"})
_PERSON_PRONOUNS = frozenset({"he", "him", "she", "her", "they", "them", "who", "whom", "those", "these", "some",
                              "many", "all", "others", "several", "few", "both", "one", "two", "three", "four"})
# a person "caught" in these was not arrested ("caught in the crossfire")
_CAUGHT_IN = frozenset({"crossfire", "fire", "cross", "middle", "rain", "storm", "traffic", "jam", "stampede",
                        "violence", "clash", "blast", "explosion", "riot", "flood", "cross-fire", "web", "trap"})
# "arrest the decline": objects that make "arrest" mean "stop"
_NOT_ARRESTED = frozenset({"situation", "decline", "slide", "trend", "spread", "fall", "deterioration", "drop",
                           "growth", "erosion", "rot", "slump", "loss", "momentum", "inflation", "process"})
# Prepositions whose object may be an event's target when no other is found ("curfew in Bangkok").
_TARGET_PREPS = frozenset({"against", "on", "with", "to", "from", "at", "in", "into", "over", "toward", "towards",
                           "for", "upon", "inside", "across", "near"})
# Of those, the ones that name where the event happens: a place there is its location (and, failing any
# other target, its place target), not a government standing for its capital ("met in Vilnius").
_LOCATIVE_PREPS = frozenset({"at", "in", "inside", "across", "near"})
# Weapons and blasts that news names as the doer of an attack when no one claims it
_INSTRUMENTS = frozenset({"bomb", "bombing", "explosion", "blast", "device", "ied", "mine", "minefield", "landmine",
                          "rocket", "missile", "shell", "grenade", "explosive", "car-bomb", "detonation"})
_VIOLENT_ROOTS = frozenset({"18", "19", "20"})
# Who strikes with weapons, and who stops work
_ARMED_SECTORS = frozenset({"MIL", "REB", "INS", "UAF", "SEP", "SPY"})
_CIVIL_SECTORS = frozenset({"LAB", "EDU", "CVL", "OPP", "BUS", "HLH", "MED", "AGR", "REF", "JUD", "LEG"})
# Penalties and inquiries that a call can be for, with the prepositions that name who would undergo them
_PENALTY_NOUNS = {
    **dict.fromkeys(("sanction", "embargo", "boycott", "punishment", "prosecution", "action", "measure"),
                    ("against", "on", "upon")),
    **dict.fromkeys(("investigation", "probe", "inquiry"), ("into", "against")),
}
# Conjunctions of a clause that names what a threat or a refusal waits for
_CONDITIONS = frozenset({"if", "unless", "until"})
# What a complaint or accusation is about ("complained to the UN over Israeli raids")
_GRIEVANCE_PREPS = frozenset({"over", "about", "against"})
_OBJECT_TARGET = "+object-target"
# Verbs of command by an authority: what they order, named as an event noun, is the event.
_ORDER = frozenset({"order", "authorize", "authorise", "approve"})
# Verbs of command: what they order of someone is done to them when it is coercive
_COMMAND = frozenset({"order", "instruct", "compel", "direct", "command"})
# Entity types that never name an actor ("agreed on 18 September": no target).
_NOT_ACTOR_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
# amounts of money the parser does not tag as such ("gave 352.5 million euros"): what is given, not to whom
_CURRENCIES = frozenset({"euro", "dollar", "pound", "yen", "yuan", "renminbi", "rupee", "franc", "ruble", "rouble",
                         "shekel", "riyal", "rial", "dirham", "dinar", "naira", "rand", "peso", "lira", "won", "real",
                         "krona", "krone", "zloty", "hryvnia", "taka", "shilling", "cedi", "kwacha", "birr"})
# Prepositions whose object is the other side of the event even when it is no known actor ("against X").
# Nouns that count or group events: "a round of talks", "a series of attacks", "a wave of arrests"
_MEASURE_NOUNS = frozenset({"round", "series", "wave", "spate", "string", "number", "set", "flurry", "volley",
                            "campaign", "cycle", "week", "day", "month"})
# Verbs of helping: their object is whom an event is meant for ("sent troops to help the Philippine army")
_HELP_VERBS = frozenset({"help", "assist", "support", "aid", "protect", "bolster", "strengthen", "defend"})
# Verbs that lend a hand in the event their complement names: "helped broker a ceasefire" is the mediation
_HELPING = frozenset({"help", "assist"})
# Verbs whose passive with "to" is a stance of the subject ("is opposed to", "is committed to")
_STATE_TO = frozenset({"oppose", "commit", "dedicate", "devote", "attach", "wed"})
# Patterns that are an event only with a known actor on the receiving end: a host receives a visitor, not
# "192 votes" or "an award".
_VISITOR_PATTERNS = frozenset({"receive"})
_VENUES = frozenset({"court", "tribunal", "chamber"})  # where a case is brought, not against whom
_STATE_IN = frozenset({"engage", "involve"})  # "were engaged in", "was involved in": what the subject does
_OPPOSITE_PREPS = frozenset({"against", "with", "from", "on", "upon", "to"})
# Event nouns whose possessor is the one who undergoes the event unless an "of" phrase names them ("his arrest",
# but "Russia's arrest of the reporter")
_PATIENT_NOUNS = frozenset({"arrest", "detention", "imprisonment", "incarceration", "deportation", "extradition",
                            "abduction", "kidnapping", "custody", "release"})
# verbs whose subject carries out the arrest named by their object ("police made 40 arrests")
_LIGHT_VERBS = frozenset({"make", "carry", "effect", "conduct", "order", "begin", "start", "continue", "step",
                          "intensify", "announce", "confirm", "do", "complete"})
# "cardiac arrest" is no detention
_MEDICAL = frozenset({"cardiac", "heart", "respiratory", "cardio", "cardiopulmonary", "cardiorespiratory"})
# nouns and verbs under which an arrest is wanted or feared, not reported ("demanded the arrest of", "the
# possibility of his arrest", "court arrest"): the police are not implied there
_UNREAL_GOVERNORS = frozenset({"demand", "call", "seek", "urge", "want", "favour", "favor", "recommend", "consider",
                               "warn", "threaten", "court", "fear", "risk", "avoid", "evade", "escape", "resist",
                               "possibility", "case", "threat", "need", "plea", "chance", "likelihood", "prospect",
                               "apprehension", "danger", "order", "warrant", "fit"})
# subjects that deny the event: "nobody was arrested", "no one was hurt", "none were detained"
_NOBODY = frozenset({"nobody", "none", "noone", "no-one"})
# nouns for a body of people that take their members' sector ("a joint team of the police")
_GROUP_HEADS = frozenset({"team", "force", "unit", "squad", "contingent", "detachment", "party", "posse", "wing",
                          "cell", "branch", "batch", "company", "platoon", "band", "personnel", "column"})
_IMPLIED = "+implied:police"
# ---- end police actions


@dataclass(slots=True)
class _Candidate:
    match: TriggerMatch
    code: str
    trigger_tokens: list[Token]
    modality: Modality
    rule: str
    governor: Token | None = None  # "refused" in "refused to approve"
    kind: str = ""  # how the governor changes the event: refuse, intent, appeal, demand, other


class EventExtractor:
    """Codes the events of one parsed document."""

    def __init__(self, lexicon: Lexicon, ontology: Ontology, keep_negated: bool = False,
                 classifier: TypeModel | None = None, model_weight: float = 0.5, model_threshold: float = 0.6) -> None:
        self.lexicon = lexicon
        self.ontology = ontology
        self.keep_negated = keep_negated
        self.classifier = classifier  # sentence-level event-type model, combined with the rules
        self.model_weight = model_weight
        self.model_threshold = model_threshold
        self.model_keep = 0.1

    def extract(self, doc: Doc, actors: DocActors, doc_id: str, text_offset: int = 0,
                date_of: DateResolver | None = None, place_of: PlaceResolver | None = None) -> list[Event]:
        events: list[Event] = []
        for s_index, sent in enumerate(doc.sents):
            events.extend(self._sentence(sent, s_index, actors, doc_id, text_offset, date_of, place_of))
        return events

    # ---------------------------------------------------------------------------------- sentence

    def _sentence(self, sent: Span, s_index: int, actors: DocActors, doc_id: str, offset: int,
                  date_of: DateResolver | None, place_of: PlaceResolver | None) -> list[Event]:
        events = list(self._sentence_events(sent, s_index, actors, doc_id, offset, date_of, place_of))
        if self.classifier is not None:
            events = self._with_model(sent, events)
        if len(events) > 1:
            # "rioted, setting fire to their mattresses and smashing furniture": how a protest went is the protest
            events = [e for e in events if not any(_protest_manner(e, f, sent.doc, offset) for f in events)]
            main = max(events, key=lambda e: e.confidence)
            # The main event of a sentence always stays, with the other actors of its trigger ("invited Japan,
            # Australia and New Zealand"); other events must name known actors on both sides.
            events = [e for e in events if e is main
                      or (e.trigger_start == main.trigger_start and (_coded(e.source) or _coded(e.target)))
                      or (_coded(e.source) and _coded([a for a in e.target if not _own_people(a, e.source)]))
                      or _police_action(e, main)]
            # (a purpose may outrank what it was for: "telephoned X to discuss ..." is still one call)
            how = [e for e in events if any(f is not e and _elaborates(e, f, sent, offset) for f in events)]
            if how:
                events = [e for e in events if not any(e is h for h in how)]
                main = max(events, key=lambda e: e.confidence)
                lent = next((h for h in how if _elaborates(h, main, sent, offset) and h.target), None)
                if not main.target and lent is not None:
                    # "police opened fire to disperse the demonstrators": whom the fire was aimed at
                    events = [dataclasses.replace(e, target=lent.target, rule=f"{e.rule}+purpose-target")
                              if e is main else e for e in events]
        return [_place_target(e) for e in events]

    def _sentence_events(self, sent: Span, s_index: int, actors: DocActors, doc_id: str, offset: int,
                         date_of: DateResolver | None, place_of: PlaceResolver | None) -> Iterator[Event]:
        actors.prime(sent)
        candidates = list(self._candidates(sent, actors))
        heads = {c.match.head.i for c in candidates}

        def reporting(c: _Candidate) -> bool:
            # (a verb of saying with words of its own is an event: "declared a state of siege"; a statement
            # whose complement holds another event states that event: "agreed to undertake joint exercises")
            return c.code[:3] == "010" or (c.governor is None and c.match.head.lemma_.lower() in _REPORTING
                                           and not c.match.dep_tokens) or (
                c.code[:2] == "01" and any(t.i in heads for x in c.match.head.children if x.dep_ == "xcomp"
                                           for t in x.subtree))

        if any(not reporting(c) for c in candidates):
            # "X said Y attacked Z": the attack is the event; X is its attributed speaker
            candidates = [c for c in candidates if not reporting(c)]
        trigger_ids = {t.i for c in candidates for t in c.trigger_tokens}
        candidates = [c for c in candidates if not _embedded_noun(c, trigger_ids) and not _protest_topic(c, candidates)]
        evidence = Evidence(sent.text, sent.start_char + offset, sent.end_char + offset)
        root = sent.root
        for cand in candidates:
            trig = cand.match.head
            date, precision, date_text, date_source = (date_of(trig) if date_of else (None, "unknown", None, None))
            when = date
            sources, targets = self._arguments(cand, actors, when)
            if not sources and not targets:
                continue
            if cand.match.pattern.text in _VISITOR_PATTERNS and not _coded(targets):
                continue
            if cand.code[:2] in ("14", "19") and any(t.lemma_.lower() == "strike" for t in cand.trigger_tokens):
                _strike_sense(cand, sources)
            if trig.lemma_.lower() == "clash" and cand.code[:2] == "19" and _in_words_only(sources + targets):
                # "the top judge has clashed with ministers about how inquiries are chosen": officials, judges
                # or parties clash in words (a physical clash has forces, police, crowds or fighters in it)
                cand.code, cand.rule = "111", f"{cand.rule}+in-words"
            if cand.code in _BY_MEANS:
                means = _military_means(trig, sources)
                if means is not None:
                    cand.code, cand.rule = means[0], f"{cand.rule}+means:{means[1]}"
            if cand.code in ("042", "043") and any(_peacekeeping(a) for a in sources):
                # "NATO peacekeeping troops arrived in Bosnia": a deployment of peacekeepers, not a visit
                cand.code, cand.rule = "074", f"{cand.rule}+by:peacekeepers"
            if cand.code[:2] == "15" and _as_peacekeepers(trig):
                # "the deployment of 300 troops to Mali on a peacekeeping mission": peacekeeping provided
                cand.code, cand.rule = "074", f"{cand.rule}+as:peacekeepers"
            location = place_of(trig) if place_of else None
            units = any(t.lemma_.lower() in _UNITS for t in cand.trigger_tokens)
            abroad = location is not None and bool(location.country) and not any(
                (a.code or "")[:3] == location.country for a in sources)
            if cand.code == "072" and units and not _coded(targets) and not abroad:
                # "India sent hundreds of troops to the border": troops sent to no one named, and not abroad, are
                # deployed, not given as aid
                cand.code, cand.rule = "154", f"{cand.rule}+no-recipient"
            code = self.ontology.get(cand.code)
            if code.root in _VIOLENT_ROOTS and location is not None and location.country:
                # "a roadside bomb near Samarra killed ...": no one named, the attack is placed in Iraq
                # ("a journalist was killed in a car bomb explosion in Beirut": the weapon named in a phrase)
                placed = [_unattributed(a, location.country, actors) for a in sources or _weapon_phrase(trig)]
                if placed != sources:
                    sources, cand.rule = placed, f"{cand.rule}+source:place"
            # (a coded actor first: the first row of a mention is the one read as its main event)
            targets = sorted(targets, key=lambda a: not _coded([a]))
            reciprocal = False
            pairs: list[tuple[Actor | None, Actor | None]]
            coded = [a for a in sources if a.code]
            joint = code.root in ("03", "04", "06") or code.code == "057"
            mutual = not targets or (not _coded(targets) and (joint or "+refuse:fail" in cand.rule)) or (
                joint and _topics_only(targets, trig.doc))
            if len(coded) >= 2 and mutual:
                # "A and B agreed": A -> B and B -> A
                reciprocal = True
                pairs = [(a, b) for a in coded for b in coded if a is not b]
            elif coded and len(sources) >= 2 and joint and not targets:
                # "Kuwait and its gulf war allies agreed to stage a joint exercise": with partners not coded too
                reciprocal = True
                pairs = [(a, b) for a in sources for b in sources if a is not b and (a.code or b.code)]
                pairs.sort(key=lambda ab: not ab[0].code)
            else:
                pairs = [(s, t) for s in (sources or [None]) for t in (targets or [None])]
            speakers = self._speakers(trig, actors, when)
            confidence = self._confidence(cand, sources, targets, root, code.root)
            t_start = min(t.idx for t in cand.trigger_tokens)
            t_end = max(t.idx + len(t.text) for t in cand.trigger_tokens)
            trigger_text = sent.text[t_start - sent.start_char:t_end - sent.start_char] if len(cand.trigger_tokens) <= 4 else trig.text
            for src, tgt in pairs:
                yield Event(
                    doc_id=doc_id,
                    sentence_index=s_index,
                    evidence=evidence,
                    trigger=trigger_text,
                    trigger_start=t_start + offset,
                    trigger_end=t_end + offset,
                    rule=cand.rule,
                    cameo=code.code,
                    cameo_root=code.root,
                    plover=code.plover,
                    quad_class=code.quad,
                    goldstein=code.goldstein,
                    confidence=confidence,
                    source=[src] if src else [],
                    target=[tgt] if tgt else [],
                    date=date,
                    date_precision=precision,
                    date_text=date_text,
                    date_source=date_source,
                    location=location,
                    modality=cand.modality,
                    reciprocal=reciprocal,
                    attributed_to=speakers,
                )

    def _candidates(self, sent: Span, actors: DocActors) -> Iterator[_Candidate]:
        consumed: set[int] = set()
        matches: list[TriggerMatch] = []
        for tok in sent:
            if tok.i in consumed or actors.is_actor_token(tok) or tok.ent_type_ in ("DATE", "TIME"):
                continue  # (nor a date: "on March 4")
            m = self.lexicon.match(tok) or self._gerund_match(tok)
            if m is None:
                continue
            matches.append(m)
            consumed.update(t.i for t in m.dep_tokens)
            # "lobbed tear gas shells": the word between the head and a pattern word is part of the event too
            consumed.update(t.head.i for t in m.dep_tokens if t.head.i != m.head.i and t.head.head.i == m.head.i
                            and t.head.pos_ in ("NOUN", "PROPN"))
        # "the court ordered the release of X", "ordered sanctions on Y": what is ordered is the event
        ordered = {m.head.head.i for m in matches if m.pattern.noun and m.head.dep_ == "dobj"
                   and m.head.head.lemma_.lower() in _ORDER}
        matches = [m for m in matches if m.head.i not in ordered]
        matched = {m.head.i for m in matches} | consumed
        for tok in sent:
            # "X said Y must drop its barriers" with no pattern for "drop barriers": still X's demand on Y
            if tok.pos_ == "VERB" and tok.i not in matched and (said := _obligation(tok)) is not None \
                    and any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
                kind = said[1]
                code = "100" if kind == "demand" else "020"
                pattern = Pattern(code, False, tok.lemma_.lower(), (), (), False, f"{kind}:{tok.lemma_.lower()}",
                                  source="clause")
                matches.append(TriggerMatch(pattern, tok, (), 0.5))
            elif tok.i not in matched and _said_responsible(tok):
                # "the Afghan government said Taliban militants were responsible": an accusation (CAMEO 112)
                pattern = Pattern("112", False, "responsible", (), (), False, _BLAME, source="clause")
                said = tuple(c for c in tok.children if c.dep_ == "acomp")
                matches.append(TriggerMatch(pattern, tok, said, 0.5))
            elif tok.pos_ == "VERB" and tok.i not in matched and _will_not_tolerate(tok):
                # "police will no longer tolerate rallies by Kifaya": a warning of what is coming (CAMEO 130)
                pattern = Pattern("130", False, tok.lemma_.lower(), (), (), False, "threat:will-not-tolerate",
                                  source="clause")
                matches.append(TriggerMatch(pattern, tok, (), 0.5))
        matches = [m for m in matches if not (m.head.dep_ == "pcomp" and _attributive(m.head.head))]
        cands = [c for m in matches if m.head.i not in consumed  # "held talks": "talks" is part of the verb
                 and _custody_sense(m, actors) and _object_sense(m, actors) for c in self._candidate(m)]
        # "refused to approve X" is one rejection: drop the governor's own (target-less) event
        # ("demanded that they refuse to recognize X": the refusal too)
        governors = {t.i for c in cands for t in c.trigger_tokens
                     if t.i != c.match.head.i and all(t.i != d.i for d in c.match.dep_tokens)}
        yield from (c for c in cands if c.match.head.i not in governors)

    def _gerund_match(self, tok: Token) -> TriggerMatch | None:
        """An -ing form the parser made a verb but used as a noun ("died in police firing in X"): the event
        noun's own patterns (those without further words)."""
        if tok.tag_ != "VBG" or tok.dep_ not in ("pobj", "acl", "pcomp", "nsubj", "nsubjpass", "dobj", "conj"):
            return None
        if any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "dobj", "mark") for c in tok.children):
            return None
        patterns = [p for p in self.lexicon.by_head.get((True, tok.lower_), []) if not p.deps]
        if not patterns or patterns[0].code == NULL_CODE:
            return None
        return TriggerMatch(patterns[0], tok, (), 1.0)

    def _candidate(self, m: TriggerMatch) -> Iterator[_Candidate]:
        code = m.pattern.code
        tokens = [m.head, *m.dep_tokens]
        alleging = code[:2] in ("01", "11") and m.head.lemma_.lower() in _ALLEGE and self._alleged_violence(m.head)
        modality = modality_of(m.head, self.lexicon.intent)
        rule = m.pattern.rule
        lex = self.lexicon
        governor: Token | None = None
        kind = ""
        govs = governing_verbs(m.head)
        for k, gov in enumerate(govs):
            lemma = gov.lemma_.lower()
            if lemma in lex.intent and any(g.lemma_.lower() in lex.negators for g in govs[k + 1:]):
                continue  # "refused to commit to any assistance", "declined to promise aid": the aid is refused
            if lemma in lex.negators or lemma in _NOUN_NEGATORS:
                value = lex.negators.get(lemma, _NOUN_NEGATORS.get(lemma))
                if value is None and lemma == "fail" and code[:2] in ("03", "04", "05"):
                    value = "120"  # "failed to reach agreement", "failed to agree": a rejection of the deal
                if value is None:
                    modality.negated = True  # "failed to attack"
                    break
                kind = "refuse" if value.startswith("12") else "other"
                code = lex.governed_code("refuse", code, value) if kind == "refuse" else value
            elif lemma in lex.intent and (obliged := _obligation(gov.head if gov.dep_ == "acomp" else gov)) \
                    and obliged[1] in ("demand", "appeal"):
                # "Mubarak said the US must be ready to mediate": a demand that the US mediate
                kind, gov = obliged[1], obliged[0]
                code = lex.governed_code(kind, code, "100" if kind == "demand" else "020") or code
            elif lemma in lex.intent:
                kind = "intent"
                code = lex.governed_code("intent", code, lex.intent[lemma] or "030") or code
            elif lemma in CALLS and _said_on_the_call(gov, m.head):
                break  # "called Kishida to convey India's condolences": the caller conveys them, on the call
            elif lemma in lex.appeal:
                kind = "appeal"
                code = lex.governed_code("appeal", code, "020") or code
            elif lemma in lex.demand and (_orders_coercion(lemma, code) or _instrument(gov)):
                kind = "order"
            elif lemma in lex.demand:
                kind = "demand"
                code = lex.governed_code("demand", code, "100") or code
            else:
                if lemma in _HELPING and k == 0 and m.head.dep_ in ("xcomp", "ccomp"):
                    tokens.append(gov)  # "Qatar helped broker a ceasefire": one event, the mediation
                continue
            governor = gov
            break
        if kind == "refuse" and governor is not None and (asked := _asked_of(governor, lex)) is not None:
            # "Greece demanded that its partners refuse to recognize Macedonia": the refusal is only asked for;
            # the event is the demand, made of those asked to refuse
            tokens.append(governor)
            governor, kind = asked
            code = lex.governed_code(kind, code, "100" if kind == "demand" else "020") or code
        if governor is None and (said := _reported_demand(m.head, lex)) is not None:
            # "demanded that Israel ease ...", "its demand that Israel ease ...", "Britain said Libya must hand
            # over the suspects": a demand on Israel or Libya ("urged that", "should": an appeal)
            speaker, kind = said
            if kind == "demand" and _orders_coercion(speaker.lemma_.lower(), code):
                kind = "order"  # "ordered them jailed"
            else:
                code = lex.governed_code(kind, code, "100" if kind == "demand" else "020") or code
            governor = speaker
        if governor is not None:
            tokens.insert(0, governor)
            rule = f"{rule}+{kind}:{governor.lemma_.lower()}"
            # the governing verb's own modality is the event's ("did not refuse" stays negated)
            gov_mod = modality_of(governor, lex.intent)
            modality = Modality(negated=gov_mod.negated, future=gov_mod.future or kind == "intent",
                                hypothetical=gov_mod.hypothetical, question=gov_mod.question)
        if m.pattern.text == "threat:will-not-tolerate":
            modality = dataclasses.replace(modality, negated=False, future=False)  # the warning is given now
        elif (modality.negated and modality.future and governor is None and m.pattern.source == "lexicon"
                and _refused_future(m.head)):
            # "Iran will not negotiate", "they won't end the strike": a refusal (CAMEO 12), asserted now
            code, kind, rule = lex.governed_code("refuse", code, "120") or "120", "refuse", f"{rule}+refuse:will-not"
            modality = dataclasses.replace(modality, negated=False, future=False)
        if governor is None and modality.future and m.pattern.source != "user":
            # (an imported dictionary codes its verbs as written)
            # "will visit", "would meet" in reported speech: an intention (CAMEO 03x, or a threat 13x)
            intended = lex.governed_code("intent", code, None)
            if intended:
                code = intended
                rule = f"{rule}+intent:future"
        if governor is None and modality.hypothetical and not modality.negated and m.pattern.source != "user" \
                and _unless(m.head, marks=("if",)) and (threat := lex.governed_code("intent", code, None)) \
                and threat[:2] == "13":
            # "the EC may halt mediation if cooperation founders", "could impose sanctions if Russia invades": a
            # hostile act made conditional is a threat (the act itself stays flagged hypothetical, as a threat's
            # act is flagged future)
            code, rule = threat, f"{rule}+threat:if"
        if (modality.future or modality.hypothetical) and not modality.negated and m.pattern.code[:2] in _WITHHELD \
                and _unless(m.head, governor):
            # "will withdraw its troops from Chad unless Oueddei arranges a ceasefire": an ultimatum, given now
            code, rule = "139", f"{rule}+ultimatum:unless"
            modality = dataclasses.replace(modality, future=False, hypothetical=False)
        if not modality.negated and (_negative_subject(m.head) or _negated_above(m.head)):
            modality = dataclasses.replace(modality, negated=True)
        if m.pattern.noun and m.head.dep_ in ("nsubj", "nsubjpass") and m.head.head.pos_ in ("VERB", "AUX"):
            # an event noun as subject shares its clause's mood (not its negation: "the raid did not succeed"
            # still reports a raid): "my arrest would help no one"
            modality = _with_mood(modality, modality_of(m.head.head, self.lexicon.intent), negation=False)
        if (held := _held_responsible(m.head)) is not None:
            # "the rebels were not responsible for the massacre": the clause's mood, negation included
            modality = _with_mood(modality, modality_of(held, self.lexicon.intent), negation=True)
        if not m.dep_tokens and (named := naming_code(m.head)) is not None:
            # "called Netanyahu a terrorist", "called Japan a trusted partner": naming someone, no phone call
            code, rule = named, f"{rule}+naming"
        if code[:2] == "05" and governor is None and _backs_penalty(m.head, m.dep_tokens):
            # "reaffirmed its support for sanctions against Russia", "backed new sanctions on Iran": backing a
            # penalty is no support for whom it punishes, but disapproval of them (as a call for it is)
            code, rule = "111", f"{rule}+backs-penalty"
        if code[:2] == "02" and governor is None and _calls_for_penalty(m.head):
            # "called for sanctions against Moscow": a call to punish someone disapproves of them (PLOVER ACCUSE)
            code, rule = "111", f"{rule}+calls-for-penalty"
        if alleging and governor is None:
            # "the US claimed that ISIL had attacked Iraq": an accusation of aggression against ISIL
            code, kind, rule = "1123", "allege", f"{rule}+alleges:violence"
        if modality.negated and not self.keep_negated:
            return
        yield _Candidate(m, code, tokens, modality, rule, governor, kind)

    def _alleged_violence(self, verb: Token) -> bool:
        """Whether a clause under ``verb`` reports a material-conflict event (CAMEO 14, 15, 17-20)."""
        for clause in verb.children:
            if clause.dep_ == "ccomp":
                m = self.lexicon.match(clause)
                if m is not None and m.pattern.code[:2] in ("14", "15", "17", "18", "19", "20"):
                    return True
        return False

    # ---------------------------------------------------------------------------------- arguments

    def _arguments(self, cand: _Candidate, actors: DocActors, when: str | None) -> tuple[list[Actor], list[Actor]]:
        trig = cand.match.head
        pattern = cand.match.pattern
        if pattern.noun or _nominal(trig):
            # a gerund or verb form standing as a noun ("killed in police firing", "resorted to lathi charge")
            src_heads, tgt_heads = self._noun_arguments(trig, pattern.preps, actors, cand.match.dep_tokens)
        else:
            src_heads, tgt_heads = self._verb_arguments(trig, pattern.preps, pattern.no_target, cand.match.dep_tokens)
            sent = (cand.code[:2] == "15" or cand.code[:3] == "074") and trig.lemma_.lower() in _SENT
            if (cand.code[:3] == "087" or (cand.code[:3] == "166" and trig.lemma_.lower() in _PULL_OUT) or sent) \
                    and not src_heads and all(c.dep_ != "agent" for c in trig.children):
                # "a third of the guerrillas have been demobilized", "troops were withdrawn", "UN peacekeepers
                # were shipped out of Gorazde", "US troops were deployed to Syria": with no one named who did it,
                # the force itself stands down or goes (from or to the place named, when it leaves or is sent)
                src_heads = [c for c in trig.children if c.dep_ == "nsubjpass"]
                tgt_heads = [o for c in trig.children if c.dep_ == "prep" and c.lower_ in pattern.preps
                             for o in _pobjs(c)] if cand.code[:3] == "166" or sent else []
            if pattern.text == _BLAME:
                # the one who says so blames the subject of the clause
                src_heads = self._subjects(trig.head)
                tgt_heads = [c for c in trig.children if c.dep_ == "nsubj"]
            if pattern.code[:2] in ("07", "15"):
                # "sending troops to the UN peacekeeping force in South Sudan": troops go to where the force is
                tgt_heads = [_where_stationed(h) or h for h in tgt_heads]
            if not tgt_heads and "for" in pattern.preps:
                # "gave approval for the UN to deliver aid": "for" opens a clause whose subject is the target
                tgt_heads = [g for c in trig.children if c.dep_ in ("advcl", "ccomp")
                             and any(m.dep_ == "mark" and m.lower_ == "for" for m in c.children)
                             for g in c.children if g.dep_ == "nsubj"]
        if cand.governor is not None and cand.kind in ("appeal", "demand", "order"):
            # "urged Russia to withdraw": the appeal is addressed to Russia
            addressees = [c for c in cand.governor.children if c.dep_ in ("dobj", "dative")]
            addressees += [g for c in cand.governor.children if c.dep_ == "prep" and c.lower_ in ("on", "upon", "to")
                           for g in c.children if g.dep_ == "pobj" and g.ent_type_ not in ("DATE", "TIME")]
            clause = trig
            while clause.head.i != cand.governor.i and clause.head.i != clause.i and clause.dep_ in ("xcomp", "acomp"):
                clause = clause.head  # ("said the US must be ready to mediate": the clause under the speech verb)
            if not addressees:
                # "demanded that Israel ease ...", "said Libya must hand over ...": the clause's own subject
                addressees = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
            if addressees:
                tgt_heads = addressees
            src_heads = self._governor_subjects(cand.governor) or src_heads
        if cand.kind == "refuse" and cand.governor is not None:
            # "SADC refused the Lesotho government to extend the mandate": refused to whom the refusal names
            refused = [c for c in cand.governor.children if c.dep_ in ("dobj", "dative") and c.i < trig.i]
            if refused:
                tgt_heads = refused
        if cand.kind == "intent" and cand.governor is not None and trig.dep_ in ("ccomp", "parataxis"):
            src_heads = self._subjects(cand.governor) or src_heads  # "A and B agreed that they should ..."
        if cand.kind == "allege":
            tgt_heads = _clause_subjects(trig) or tgt_heads  # the accused: who is said to have attacked
        sources = self._resolve_all(src_heads, actors, when)
        if pattern.no_target and not (cand.governor is not None and cand.kind in ("appeal", "demand", "order")):
            # "demand end [-]": still, "demanded that the government end ..." is addressed to the government
            tgt_heads = _clause_subjects(trig)
        # (an actor is not its own target: "rejected a call from Bush for his movement to disarm" looks further)
        targets = [t for t in self._resolve_all(tgt_heads, actors, when) if not any(_same(s, t) for s in sources)]
        in_object = False  # the target is named inside the pattern's object phrase ("blocked streets in Hong Kong")
        if not targets and not pattern.noun:
            # "attended a NATO summit": the actor that owns the event noun in the pattern
            for dep in cand.match.dep_tokens:
                # ("outlawed opposition parties": an actor word, a sector such as "opposition" too)
                if dep.pos_ in ("NOUN", "PROPN") and any(actors.is_actor_token(t) for t in dep.subtree):
                    targets = self._resolve_all([dep], actors, when)
                    in_object = True
                    break
        if not targets and not pattern.noun and not pattern.no_target:
            # "freed 37 prisoners": the pattern's own object names who undergoes the event, named or not
            people = [d for d in cand.match.dep_tokens if d.dep_ == "dobj" and _is_person(d, actors, names=False)]
            targets = self._resolve_all(people[:1], actors, when)
            if targets:
                cand.rule += _OBJECT_TARGET
        if not targets and pattern.no_target and not pattern.noun:
            # "outlawed opposition parties", "banned an opposition member": the pattern's own object names
            # who undergoes the event (a sector word such as "opposition")
            for dep in cand.match.dep_tokens:
                if dep.pos_ in ("NOUN", "PROPN") and any(_actor_word(t, actors) for t in _phrase(dep)):
                    targets = self._resolve_all([dep], actors, when)
                    if targets:
                        cand.rule += _OBJECT_TARGET
                    break
        named = any(h.dep_ == "pobj" and h.head.lower_ in pattern.preps and (
            h.pos_ == "PROPN" or h.ent_type_ in ("PERSON", "ORG")) for h in tgt_heads)
        if targets and not _coded(targets) and not pattern.no_target and not named:
            # the object is a thing, not an actor ("send material to help defend X", "extend the curfew
            # in response to ..."): an actor in a phrase of the event is the better target (but a name in the
            # pattern's own phrase is the target, known or not: "filed a lawsuit in a Texas court against Thom")
            objects = [c for c in trig.children if c.dep_ in ("dobj", "dative") and c not in cand.match.dep_tokens]
            phrase = [a for a in self._resolve_all(objects, actors, when) if _coded([a])] or \
                self._phrase_targets(trig, cand.match.dep_tokens, actors, when, sources,  # "warned Iran against escalation"
                                     things=[t for h in tgt_heads if not _is_person(h, actors)
                                             for t in (h, *_of_objects(h))])  # ("part of a program for Bosnia")
            if _coded(phrase):
                targets = phrase
                cand.rule += "+phrase-target"
        complement = any(d.dep_ == "xcomp" or (d.head.dep_ == "xcomp" and d.head.head == trig)
                         for d in cand.match.dep_tokens)
        if complement and targets and not _coded(targets):
            # "threatened to halt unity government talks with Mugabe": a coded actor of the complement's
            # phrases is a better target than the uncoded object
            phrase = self._phrase_targets(trig, cand.match.dep_tokens, actors, when, sources)
            if _coded(phrase):
                targets = phrase
                cand.rule += "+phrase-target"
        if not targets and (not pattern.no_target or complement):
            # "extend the curfew in Bangkok", "an attack against the army in Idlib": the first coded actor
            # in a prepositional phrase of the event or of its object; a pattern with a complement verb
            # ("threaten break [-]", or "threaten blow [-]" with its word in the complement) takes none of its
            # own, but the complement's ("to break relations with Russia") names who is threatened
            targets = self._phrase_targets(trig, cand.match.dep_tokens, actors, when, sources)
            if targets:
                cand.rule += "+phrase-target"
        if not targets and cand.rule.endswith("+naming"):
            # "called Britain's ambassador a very stupid guy", parsed with the one named as object predicate
            targets = self._resolve_all([c for c in trig.children if c.dep_ == "oprd"], actors, when)
        if cand.code[:2] == "12" and cand.governor is None:
            # "rejected an appeal filed by Todoric's lawyers", "rejected U.S. calls for a ceasefire in Tigray",
            # "dismissed a proposal by the government": a rejection is aimed at whom the proposal came from
            proposers = [a for a in self._resolve_all(_proposers(trig, cand.match.dep_tokens, actors), actors, when)
                         if not any(_same(a, x) for x in sources)]
            if proposers:
                targets = proposers
                cand.rule += "+proposer-target"
        if (cand.code[:2] == "15" or trig.lemma_.lower() in _DEPLOY) and any(_own_force(t, sources) for t in targets):
            # "Israel mobilized the army for a ground assault against Gaza": the army is Israel's own, not a
            # target; whom the force is mobilized against, if named, is
            targets = [t for t in targets if not _own_force(t, sources)] or [
                a for a in self._phrase_targets(trig, cand.match.dep_tokens, actors, when, sources)
                if not _own_force(a, sources)]
            cand.rule = cand.rule.replace(_OBJECT_TARGET, "") + "+own-force"
        if cand.code[:2] == "14" and (not _coded(targets) or (in_object and all(not t.sector for t in targets))):
            # "staged demonstrations to demand reforms by Suharto's government", "a hunger strike in protest
            # of the government's refusal": a protest is aimed at whom its demand or grievance names, also
            # when the place it blocked was found first ("blocked streets in Hong Kong in defiance of Chinese
            # authorities")
            aim = self._aim_of_protest(trig, actors, when)
            if aim:
                targets = aim
                cand.rule += "+protest-aim"
        # the body complained to: "complained to the UN", "filed a complaint with the UN Security Council"
        addressed = ("to", "with") if cand.match.dep_tokens else ("to",)
        bodies = [o for c in trig.children if c.dep_ == "prep" and c.lower_ in addressed for o in _pobjs(c)]
        if cand.code[:2] == "11" and not pattern.noun and (not _coded(targets) or any(o in tgt_heads for o in bodies)):
            # "complained to the UN over Israeli air raids": the accused, not the one complained to (also when
            # the parser hangs the grievance from the body: "a complaint with the Council against Israel")
            grievance = [o for h in (trig, *cand.match.dep_tokens, *bodies) for c in h.children
                         if c.dep_ == "prep" and c.lower_ in _GRIEVANCE_PREPS for o in _pobjs(c)]
            accused = [a for a in self._resolve_all(grievance, actors, when)
                       if _coded([a]) and not any(_same(a, x) for x in sources)]
            if accused:
                targets = accused
                cand.rule += "+grievance-target"
        if not _coded(targets) and cand.code[:2] in ("12", "13"):
            # "threatened to strike unless Israel rescinded ...", "will stop talks if the US goes ahead", "will
            # not end the strike until the authorities meet our demands": a threat or a refusal is aimed at
            # whom its condition names
            condition = self._resolve_all(_condition_subjects((trig, cand.governor, *cand.match.dep_tokens)),
                                          actors, when)
            if _coded(condition) or (condition and not targets):
                targets = condition
                cand.rule += "+condition-target"
        if not _coded(targets) and cand.code[:2] == "08":
            # "called off the strike after deliberations with the government", "... after reaching agreement
            # with the government": a concession is made to whom the talks it followed were held with
            partners = [a for a in self._resolve_all(_talks_before((trig, *cand.match.dep_tokens)), actors, when)
                        if a.code and not any(_same(a, x) for x in sources)]
            if partners:
                targets = partners
                cand.rule += "+talks-target"
        if not _coded(targets) and cand.code[:2] == "12":
            # "declined to resign despite pressure from the anti-corruption commission", "despite US calls for
            # talks": a refusal is aimed at whom the pressure it withstands comes from
            verbs = (trig, cand.governor, *cand.match.dep_tokens, *(c for c in trig.children if c.dep_ == "xcomp"))
            pressers = [a for a in self._resolve_all(_pressure_from(verbs), actors, when)
                        if a.code and not any(_same(a, x) for x in sources)]
            if pressers:
                targets = pressers
                cand.rule += "+pressure-target"
        if not sources and not pattern.noun and trig.dep_ == "acl" and trig.tag_ == "VBG" and (
                trig.head.i in actors.by_token) and 0 < trig.i - trig.head.i <= 2 and not any(
                t.is_punct for t in trig.doc[trig.head.i:trig.i]):
            # "police firing on the mob", "troops guarding the border": the noun right before the -ing form
            sources = self._resolve_all([trig.head], actors, when)
        if not sources and not pattern.noun:
            sources = self._implicit_source(trig, targets, actors, when)
        if not sources and _police_implied(cand) and not self._has_agent(trig):
            # "50 persons were arrested", "the arrests followed": the police, implied (the rule says so)
            sources = [_implied_police(trig, actors)]
            cand.rule += _IMPLIED
        # an actor is not its own target
        targets = [t for t in targets if not any(_same(s, t) for s in sources)]
        return sources, targets

    def _governor_subjects(self, governor: Token) -> list[Token]:
        """Who demands or appeals: the verb's subject, or for a noun ("its demand that ...") its owner, else the
        subject of the verb it is the object of ("the ILO reiterated its demand")."""
        if governor.pos_ != "NOUN":
            return self._subjects(governor)
        # ("a U.S. request", "Russian demands": a name or nationality in front of the noun is its owner too)
        owners = [c for c in governor.children if c.dep_ == "poss" or (
            c.dep_ in ("compound", "amod") and c.i < governor.i and c.ent_type_ in ("GPE", "NORP", "ORG", "PERSON"))]
        if owners:
            return owners
        if governor.dep_ in ("dobj", "nsubjpass", "attr") and governor.head.pos_ in ("VERB", "AUX"):
            return self._subjects(governor.head)
        return []

    def _phrase_targets(self, trig: Token, deps: tuple[Token, ...], actors: DocActors,
                        when: str | None, sources: Sequence[Actor] = (), things: Sequence[Token] = ()) -> list[Actor]:
        """The first coded actor named in a prepositional phrase of the trigger, its pattern words, its object or
        the ``things`` it is done to, one phrase deep ("in Bangkok", "against 28 officials", "from Afghanistan",
        "a suspension of air links with Iran")."""
        # ("pledged to work with China", "agreed to provide Sri Lanka with ...": the complement verb's phrases
        # and objects too)
        complements = [c for c in (*deps, *trig.children) if c.dep_ == "xcomp" and c.pos_ == "VERB"]
        # ("donated ventilators to assist Ethiopia": whom the event is meant to help)
        complements += [c for c in (*deps, *trig.children) if c.dep_ in ("advcl", "xcomp") and c not in complements
                        and c.lemma_.lower() in _HELP_VERBS]
        # ("send material to help defend Saudi Arabia": whom the help is for, a verb further down)
        complements += [g for c in complements if c.lemma_.lower() in _HELP_VERBS for g in c.children
                        if g.dep_ == "xcomp" and g.pos_ == "VERB" and g not in complements]
        holders = [trig, *deps, *(c for c in trig.children if c.dep_ in ("dobj", "nsubjpass") and c not in deps),
                   *(t for t in things if t not in deps),
                   *complements,  # ("agreed to open its borders to Somali refugees": the complement's object)
                   *(o for c in complements for o in c.children if o.dep_ == "dobj" and o not in deps)]
        for verb in complements:
            # ("refused to allow UN planes to land": the subject of the small clause is who is allowed)
            small = [g for c in verb.children if c.dep_ == "ccomp" for g in c.children if g.dep_ == "nsubj"]
            for obj in [*verb.children, *small]:
                if (obj.dep_ in ("dobj", "dative") or obj in small) and obj not in deps:
                    found = [a for a in self._resolve_all([obj], actors, when)
                             if a.code and not _placed(a, obj, actors) and not any(_same(a, x) for x in sources)]
                    if found:
                        return found
        for holder in holders:
            for prep in holder.children:
                if prep.dep_ != "prep" or prep.lower_ not in _TARGET_PREPS:
                    continue
                for obj in _pobjs(prep):
                    if prep.lower_ in _LOCATIVE_PREPS and _is_place(obj, actors):
                        continue
                    found = [a for a in self._resolve_all([obj], actors, when)
                             if a.code and not any(_same(a, x) for x in sources)]
                    if found:
                        return found
        # no coded actor: a name (a person, a company, a group the knowledge base lacks) opposite the source
        for holder in holders:
            for prep in holder.children:
                if prep.dep_ == "prep" and prep.lower_ in _OPPOSITE_PREPS:
                    names = [o for o in prep.children if o.dep_ == "pobj" and (
                        o.pos_ == "PROPN" or o.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"))]
                    if names:
                        return self._resolve_all(names, actors, when)
        return []

    def _aim_of_protest(self, trig: Token, actors: DocActors, when: str | None) -> list[Actor]:
        """The first coded actor in the purpose clause or grievance phrase of a protest, two levels deep."""
        carrier = trig.head if trig.pos_ == "NOUN" and trig.dep_ in ("dobj", "nsubj") else None
        clauses = [c for c in carrier.children if c.dep_ == "advcl"] if carrier is not None else []
        # ("continued their hunger strike to demand ...": the purpose clause of the verb carrying the noun)
        reasons = clauses + [c for c in trig.children if c.dep_ in ("advcl", "xcomp", "acl", "relcl")
                   or (c.dep_ == "prep" and c.lower_ in ("against", "over", "for", "at"))
                   or (c.dep_ == "prep" and c.lower_ == "in" and any(  # "in protest of", "in defiance of"
                       g.lemma_.lower() in ("protest", "defiance", "response", "opposition") for g in c.children))
                   or (c.dep_ == "prep" and c.lower_ in ("during", "at", "in") and any(  # "during a rally against"
                       g.lemma_.lower() in _PROTEST_NOUNS for g in c.children))]
        for reason in reasons:
            for tok in reason.subtree:
                if tok.i == trig.i or abs(tok.i - reason.i) > 12 or tok.dep_ in ("nsubj", "nsubjpass"):
                    continue
                if tok.i in actors.by_token and not (
                        tok.dep_ == "pobj" and tok.head.lower_ in _LOCATIVE_PREPS and _is_place(tok, actors)):
                    head = _modified_noun(tok)  # "the Peruvian president": the phrase, not its adjective
                    found = [a for a in self._resolve_all([head], actors, when) if _coded([a])]
                    if found:
                        return found
        return []

    def _verb_arguments(self, verb: Token, preps: tuple[str, ...], no_target: bool,
                        deps: tuple[Token, ...]) -> tuple[list[Token], list[Token]]:
        subj = self._subjects(verb)
        passive = [c for c in verb.children if c.dep_ in ("nsubjpass", "csubjpass")]
        sources: list[Token] = []
        targets: list[Token] = []
        if passive and verb.lemma_.lower() in _STATE_TO and not any(c.dep_ == "agent" for c in verb.children):
            # "Israel is opposed to French mediation": a state of the subject, not something done to it
            stance = [g for c in verb.children if c.dep_ == "prep" and c.lower_ == "to" for g in _pobjs(c)]
            if stance:
                return passive, stance
        if passive and verb.lemma_.lower() in _STATE_IN and not any(c.dep_ == "agent" for c in verb.children):
            subj, passive = passive, []  # "Serb forces were engaged in ethnic cleansing": they did it
        if passive:
            targets.extend(passive)
            for c in verb.children:
                if c.dep_ == "agent":
                    sources.extend(g for g in c.children if g.dep_ == "pobj")
        else:
            sources.extend(subj)
        if not no_target and not passive:
            # ("filed a lawsuit in a Texas court against X": the pattern's phrase may hang from the venue)
            holders = [verb, *deps, *(o for c in verb.children if c.dep_ == "prep" and c.lower_ in ("in", "at")
                                      for o in _pobjs(c) if o.lemma_.lower() in _VENUES)]
            if preps:
                for h in holders:
                    for c in h.children:
                        if c.dep_ in ("prep", "dative") and c.lower_ in preps:  # ("send aid to X": dative)
                            targets.extend(_pobjs(c) or [g for g in c.children if (  # not "guilty of failing"
                                g.dep_ == "pcomp" and g.pos_ in ("NOUN", "PROPN"))])
            if not preps or not targets:
                # ("let free 74 leaders": the object of a pattern word that is a verb of its own)
                for c in (*verb.children, *(g for d in deps if d.pos_ == "VERB" for g in d.children)):
                    if (c.dep_ in ("dobj", "dative", "attr", "obj") or named_object(c)) and c not in deps:
                        targets.append(c)
                targets.extend(_up_to(verb))
            if not targets:
                targets.extend(_clause_subjects(verb))
            if not targets:
                # "launched an investigation into X": the prepositions of the event noun in the pattern
                for dep in deps:
                    noun_preps = self._noun_preps(dep)
                    targets.extend(g for c in dep.children if c.dep_ == "prep" and c.lower_ in noun_preps
                                   for g in c.children if g.dep_ == "pobj")
        return sources, targets

    def _noun_preps(self, noun: Token) -> frozenset[str]:
        if noun.pos_ not in ("NOUN", "PROPN"):
            return frozenset()
        patterns = self.lexicon.by_head.get((True, noun.lemma_.lower()), [])
        preps = {p for pattern in patterns for p in pattern.preps}
        return frozenset(preps or ("into", "against", "on", "of", "over", "with", "to"))

    def _subjects(self, verb: Token) -> list[Token]:
        tok = verb
        controlled = False  # reached through an open complement: "the police were forced to fire"
        for _ in range(4):
            subj = [c for c in tok.children if c.dep_ in _SUBJ or (controlled and c.dep_ == "nsubjpass")]
            subj = _one_per_word(subj)
            if subj and tok.dep_ == "relcl" and all(c.lower_ in _RELPRON for c in subj):
                return [tok.head]  # "Russia, which has opposed ..." -> Russia
            if subj:
                # "The Red Cross operating in Iraq said": a participle misread as the subject, its own
                # subject being the one who speaks
                return [next((g for g in c.children if g.dep_ == "nsubj"), c) if c.tag_ == "VBG" else c for c in subj]
            if tok.dep_ == "acl" and tok.head.pos_ in ("NOUN", "PROPN"):
                # "Paris's refusal to approve": the owner of the governing noun
                owners = [c for c in tok.head.children if c.dep_ == "poss"]
                if owners:
                    return owners
                if tok.tag_ == "VBG" and (tok.head.lemma_.lower() in _PERSON_NOUNS or tok.head.ent_type_ in (
                        "NORP", "ORG", "GPE", "PERSON")):
                    return [tok.head]  # "demonstrators protesting election results", "Iraqi Kurds demonstrating"
                if tok.tag_ == "VBG" and tok.head.dep_ == "dobj" and tok.head.head.pos_ in ("VERB", "AUX"):
                    # "the rebels issued a statement demanding ...": who issued it
                    return self._subjects(tok.head.head)
                if tok.tag_ == "VBD" and tok.head.dep_ == "ROOT":
                    # "The rebels called on the government to resign", parsed as a noun phrase whose
                    # past-tense verb modifies it: the noun is the subject
                    return [tok.head]
            if tok.dep_ == "relcl" and any(c.dep_ in _SUBJ and c.lower_ in _RELPRON for c in tok.children):
                return [tok.head]
            if (tok.dep_ in ("xcomp", "conj", "advcl", "pcomp", "acomp") or (
                    tok.dep_ == "ccomp" and tok.head.lemma_.lower() in ("let", "make", "help"))) and tok.head.i != tok.i:
                # ("Ethiopia let free 74 prisoners": the one who lets)
                controlled = tok.dep_ == "xcomp" or (controlled and tok.dep_ == "conj")
                tok = tok.head
                if tok.pos_ == "ADP":
                    tok = tok.head
                    if tok.pos_ == "NOUN" and tok.dep_ in ("dobj", "nsubj", "nsubjpass") \
                            and tok.lemma_.lower() in _INTENT_NOUNS:
                        # "reiterated the U.N.'s commitment to supporting Lebanon": the commitment's owner, or
                        # whoever voices it
                        owners = [c for c in tok.children if c.dep_ == "poss"]
                        if owners:
                            return owners
                        if tok.dep_ == "dobj":
                            tok = tok.head
                continue
            if tok.dep_ == "relcl":
                return [tok.head]
            break
        # relative clause whose pronoun is the subject: "Russia, which has opposed ..."
        for c in verb.children:
            if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in _RELPRON:
                return [verb.head]
        if tok.dep_ == "ROOT" and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in tok.children):
            # "USAID announced ...", with the name parsed as an adverb: a name before the verb is its subject
            # (an acronym too, with no entity type: "..., USAID provided basic shelter materials")
            names = [c for c in tok.lefts if c.dep_ in ("advmod", "npadvmod", "dep") and (c.ent_type_ in (
                "ORG", "GPE", "PERSON", "NORP") or (c.is_upper and c.is_alpha and len(c) >= 2))]
            if names:
                return names[:1]
            # "On a visit to Zimbabwe, President Ramaphosa voiced ...", the name parsed into the opening phrase:
            # the name right before the verb is its subject
            before = tok.doc[tok.i - 1] if tok.i > tok.sent.start else None
            if before is not None and before.dep_ in ("conj", "appos", "pobj") and before.head.i < before.i and (
                    before.ent_type_ in ("ORG", "GPE", "PERSON", "NORP")) and any(
                    t.is_punct for t in tok.doc[before.head.i:before.i]):
                return [before]
        return []

    def _noun_arguments(self, noun: Token, preps: tuple[str, ...], actors: DocActors | None = None,
                        deps: tuple[Token, ...] = ()) -> tuple[list[Token], list[Token]]:
        sources: list[Token] = []
        targets: list[Token] = []
        # "his arrest": the possessor is the one arrested, unless "of" names them ("Russia's arrest of ...")
        patient_noun = noun.lemma_.lower() in _PATIENT_NOUNS
        patient_poss = patient_noun and not any(
            c.dep_ == "prep" and c.lower_ == "of" for c in noun.children)
        for c in noun.children:
            if c.dep_ == "poss" and patient_poss:
                targets.append(c)
            elif c.dep_ == "poss" or (c.dep_ == "compound" and c.ent_type_ and c not in deps and not (
                    patient_noun and actors is not None and not actors.is_actor_token(c))):
                # ("TADA arrests": a law in front of an arrest is no jailer)
                sources.append(c)
            elif c.dep_ == "prep" and c.lower_ == "by":
                sources.extend(g for g in c.children if g.dep_ == "pobj")
            elif c.dep_ == "prep" and (c.lower_ in preps or (not preps and c.lower_ in ("on", "against", "to", "with"))):
                targets.extend(g for g in c.children if g.dep_ == "pobj")
            elif c.dep_ == "amod" and c.ent_type_ in ("NORP", "GPE"):
                sources.append(c)
        if not sources and noun.dep_ == "acl" and noun.tag_ == "VBG" and noun.head.pos_ in ("NOUN", "PROPN"):
            sources.append(noun.head)  # the parser's "[police] [firing]": the noun the -ing form hangs from
        if not sources and actors is not None:
            # "police firing", "army shelling": an agent noun in front of the event noun
            owner = next((c for c in reversed(list(noun.lefts)) if c.dep_ == "compound" and c not in deps
                          and (m := actors.by_token.get(c.i)) is not None and m.first("agent")), None)
            if owner is not None:
                sources.append(owner)
        if not targets and preps:
            # "the withdrawal of troops from Panama", "the deployment of 230 troops to Liberia": the phrase hangs
            # from what the "of" phrase names
            targets.extend(g for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for o in _pobjs(c)
                           for p in o.children if p.dep_ == "prep" and p.lower_ in preps and p.lower_ != "of"
                           for g in _pobjs(p))
        if not targets:
            targets.extend(_clause_subjects(noun))  # "its demand that Israel ease restrictions"
        if not targets and noun.dep_ == "pobj" and noun.head.lower_ == "as" and noun.head.head.pos_ == "VERB":
            # "used Lebanese civilians as human shields", "held 20 tourists as hostages": the verb's object
            targets.extend(c for c in noun.head.head.children if c.dep_ == "dobj")
        if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lemma_.lower() in _MEASURE_NOUNS:
            noun = noun.head.head  # "began a new round of joint exercises": the round stands for the exercises
        if not sources and noun.dep_ in ("dobj", "attr", "nsubjpass") and noun.head.pos_ in ("VERB", "AUX") and (
                noun.lemma_.lower() not in _PATIENT_NOUNS or noun.head.lemma_.lower() in _LIGHT_VERBS):
            # "Russia launched an attack on Ukraine": the source is the verb's subject (but not in "the party
            # condemned his arrest", whose subject is no jailer)
            sources.extend(self._subjects(noun.head))
        if not sources and (held := _held_responsible(noun)) is not None:
            sources.extend(self._subjects(held))  # "Los Zetas has been responsible for mass killings": they did it
        if not sources and noun.dep_ == "pobj" and noun.head.head.pos_ in ("VERB", "AUX") and \
                noun.head.lower_ not in SCENE_PREPS and (
                not patient_noun or noun.head.head.lemma_.lower() in _LIGHT_VERBS):
            verb = noun.head.head
            sources.extend(self._subjects(verb) or (  # "Turkish troops were involved in attacks on ..."
                [c for c in verb.children if c.dep_ == "nsubjpass"] if verb.lemma_.lower() in _STATE_IN else []))
        return sources, targets

    def _implicit_source(self, verb: Token, targets: list[Actor], actors: DocActors,
                         when: str | None) -> list[Actor]:
        """Passive with no agent: "invited to the NATO summit" -> the host named in the destination."""
        if not any(c.dep_ in ("nsubjpass",) for c in verb.children):
            return []
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ in ("to", "by", "from", "at"):
                for pobj in (g for g in c.children if g.dep_ == "pobj"):
                    for tok in pobj.subtree:
                        if actors.is_actor_token(tok):
                            actor = actors.resolve(tok, when)
                            if actor and actor.code and not any(_same(actor, t) for t in targets):
                                return [actor]
        # "killed in police firing", "injured in an Israeli air strike": the owner of the event noun
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "during"):
                for pobj in (g for g in c.children if g.dep_ == "pobj"):
                    if self.lexicon.match(pobj) is None:
                        # the parser's "in [police] [firing]": an actor noun with the event as its participle
                        if any(g.dep_ == "acl" and g.tag_ == "VBG"
                               and (self.lexicon.match(g) or self._gerund_match(g)) for g in pobj.children):
                            actor = self._resolve_one(pobj, actors, when)
                            if actor is not None and actor.code and not any(_same(actor, t) for t in targets):
                                return [actor]
                        continue
                    owners = [g for g in pobj.children if g.dep_ in ("poss", "compound") and g.i < pobj.i
                              or (g.dep_ == "amod" and g.ent_type_ in ("NORP", "GPE"))]
                    owners += [g for b in pobj.children if b.dep_ == "prep" and b.lower_ == "by"
                               for g in b.children if g.dep_ == "pobj"]
                    for owner in owners:
                        actor = self._resolve_one(owner, actors, when)
                        if actor is not None and actor.code and not any(_same(actor, t) for t in targets):
                            return [actor]
        return []

    @staticmethod
    def _has_agent(trig: Token) -> bool:
        """Whether an agent is named, even one the actor coder cannot code ("arrested by unknown men")."""
        return any(c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by") for c in trig.children)

    def _resolve_all(self, heads: list[Token], actors: DocActors, when: str | None) -> list[Actor]:
        out: list[Actor] = []
        names: set[int] = set()
        for head in _expand(heads):
            if (name := _entity_start(head)) in names:
                continue  # "Sheikh Hamad bin Khalifa al-Thani" parsed as four subjects: one person
            names.add(name)
            actor = self._resolve_one(head, actors, when)
            found = [actor] if actor is not None else []
            if actor is not None and actor.start is not None and not (head.idx <= actor.start < head.idx + len(head)):
                # found inside the phrase ("ties with Mordor, Rohan and Bree"): its coordinated actors too
                inner = next((t for t in head.subtree if t.idx == actor.start), None)
                if inner is not None:
                    found += [a for t in _expand([inner])[1:] if (a := actors.resolve(t, when)) and a.code]
            for a in found:
                if not any(_same(a, b) for b in out):
                    out.append(a)
        return out

    def _resolve_one(self, head: Token, actors: DocActors, when: str | None, depth: int = 0) -> Actor | None:
        actor = actors.resolve(head, when)
        if actor is not None and actor.code:
            return actor
        if head.pos_ == "PRON":
            clause = head.head
            if actor is None and depth < 2 and head.dep_ in ("nsubj", "nsubjpass") and clause.dep_ == "ccomp" \
                    and clause.head.lemma_.lower() in _SPEECH:
                # "the Michigan Department of Environmental Quality says it will provide ...": the speaker,
                # named even when the knowledge base does not know it
                speaker = [c for c in clause.head.children if c.dep_ == "nsubj" and c.pos_ != "PRON"]
                quoted = clause.head.head.head if clause.head.head.pos_ == "ADP" else clause.head.head
                if not speaker and quoted.lemma_.lower() in ("quote", "cite"):
                    # "King Hassan was quoted as saying he would be ready to host ...": the one quoted
                    speaker = [c for c in quoted.children if c.dep_ == "nsubjpass" and c.pos_ != "PRON"]
                if speaker:
                    return self._resolve_one(speaker[0], actors, when, depth + 1)
            return actor
        if head.pos_ == "NOUN" and depth < 2:
            # "condemned the protest by white farmers", "an inquiry into claims that two soldiers abused ...":
            # the one who did what the noun names
            doers = [g for c in head.children if c.dep_ == "prep" and c.lower_ == "by"
                     for g in c.children if g.dep_ == "pobj"] + _clause_subjects(head)
            for doer in doers:
                found = self._resolve_one(doer, actors, when, depth + 1)
                if found is not None:
                    return found
        if head.pos_ in ("NOUN", "PROPN"):
            # "the organization's presence": the owner, followed back if it is a description or pronoun (not
            # whose ally or proxy it is: "Washington's allies" are not Washington)
            for c in head.children:
                if c.dep_ == "poss" and not someone_elses(head):
                    owner = actors.resolve(c, when)
                    if owner is not None and owner.code:
                        return owner
        if (head.lower_ in _WEAK_HEADS or head.pos_ in ("NOUN", "PROPN")) and not someone_elses(head):
            # "NATO's expansion", "a scheme to open a NATO office": the actor inside the phrase
            # (not inside a finite verb the parser hung from it: "The rebels [called on Maduro ...]")
            finite = {t.i for c in head.children if c.dep_ == "acl" and c.tag_ in ("VBD", "VBZ", "VBP")
                      for t in c.subtree}
            for tok in head.subtree:
                if tok.i != head.i and tok.i not in finite and actors.is_actor_token(tok):
                    # "a contract with a Chinese firm": the firm, not its adjective
                    inner = actors.resolve(_modified_noun(tok, below=head), when)
                    if inner is None or not inner.code:
                        inner = actors.resolve(tok, when)
                    if inner is not None and inner.code:
                        return inner
        agent = _agent_actor(head, actors)  # "the police" with nothing to refer back to
        if agent is not None:
            return agent
        if actor is not None:
            return actor
        counted = head.ent_type_ == "CARDINAL" and any(c.dep_ == "prep" and c.lower_ == "of" for c in head.children)
        if head.pos_ in ("NOUN", "PROPN") and head.is_alpha and head.lemma_.lower() not in _CURRENCIES and (
                head.ent_type_ not in _NOT_ACTOR_ENTS or counted):
            # ("hundreds of banks")
            text, start, end = actors.np_text(head)
            return Actor(text=text, code=None, start=start, end=end)
        return None

    def _speakers(self, trig: Token, actors: DocActors, when: str | None) -> list[Actor]:
        tok = trig
        for _ in range(4):
            if tok.dep_ in ("ccomp", "parataxis") and tok.head.lemma_.lower() in _SPEECH:
                return self._resolve_all(self._subjects(tok.head), actors, when)
            if tok.head.i == tok.i or tok.dep_ not in ("ccomp", "xcomp", "conj", "advcl", "parataxis"):
                break
            tok = tok.head
        return []

    # ---------------------------------------------------------------------------------- the model

    def _with_model(self, sent: Span, events: list[Event]) -> list[Event]:
        """Blend the rules' confidence with the type model's probability; where the model is sure of a type
        no rule found, re-type the sentence's main event (its trigger and actors stay, ``rule`` says so)."""
        plover_p, root_p = self.classifier.predict(sent)  # type: ignore[union-attr]
        w = self.model_weight
        for e in events:
            p = plover_p.get(e.plover, 0.0) if e.plover else root_p.get(e.cameo_root, 0.0)
            e.confidence = (1 - w) * e.confidence + w * p
        typed = [(t, p) for t, p in plover_p.items() if t != "NONE"]
        if not typed:
            return events  # (a model that only says "no event" re-types nothing)
        best, p_best = max(typed, key=lambda tp: tp[1])
        if not events or p_best < self.model_threshold or any(e.plover == best for e in events):
            return events
        main = max(events, key=lambda e: e.confidence)
        if plover_p.get(main.plover or "", 0.0) >= self.model_keep:
            return events  # the model finds the rule's type plausible: the trigger decides
        if _read_from_structure(main):
            # "threatened to shell", "will provide aid", "banned opposition candidates": a type the rules read
            # from a phrase or from the verb that governs the trigger, which a model of the sentence's words
            # cannot see
            return events
        code = self._code_for(best, root_p)
        if code is None:
            return events
        retyped = dataclasses.replace(
            main, cameo=code.code, cameo_root=code.root, plover=code.plover, quad_class=code.quad,
            goldstein=code.goldstein, rule=f"model:{best}({p_best:.2f})<{main.rule}",
            confidence=(1 - w) * main.confidence + w * p_best)
        return [retyped if e is main else e for e in events]

    def _code_for(self, plover: str, root_p: dict[str, float]) -> CameoCode | None:
        """The most likely CAMEO code of a PLOVER type: its root the root model ranks highest."""
        roots = [c for c in self.ontology.codes.values() if len(c.code) == 2 and c.plover == plover]
        if not roots:
            roots = [c for c in self.ontology.codes.values() if len(c.code) == 3 and c.plover == plover]
        if not roots:
            return None
        root = max(roots, key=lambda c: root_p.get(c.root, 0.0))
        generic = self.ontology.codes.get(root.root + "0")
        return generic if generic is not None and generic.plover == plover else root

    # ---------------------------------------------------------------------------------- scoring

    def _confidence(self, cand: _Candidate, sources: list[Actor], targets: list[Actor], root: Token,
                    cameo_root: str) -> float:
        trig = cand.match.head
        score = 0.45 + 0.08 * len(cand.match.pattern.deps)
        if any(a.code and not a.code.startswith("---") for a in sources):
            score += 0.15
        elif sources:
            score += 0.05
        if cand.rule.endswith(_OBJECT_TARGET):
            pass  # a target read from the pattern's own words says nothing more about the event
        elif any(a.code and not a.code.startswith("---") and not _own_people(a, sources) for a in targets):
            score += 0.12
        elif targets:
            score += 0.04
        if trig.i == root.i or (trig.dep_ == "conj" and trig.head.i == root.i):
            score += 0.08
        elif trig.dep_ in ("ccomp", "xcomp"):
            score += 0.04
        elif trig.dep_ in ("relcl", "acl") and not cand.match.pattern.noun:
            score -= 0.15  # background in a relative or modifying clause: "freed a diplomat it arrested"
        elif _manner(trig) is not None:
            score -= 0.08  # how the clause's own event went: "rioted, setting fire to their mattresses"
        elif trig.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in _TIME_MARKS for c in trig.children) \
                and not any(c.dep_ in ("nsubj", "agent") for c in trig.children):
            # when the clause's own event happened, told without its doer: "returned the Bible after it was
            # stolen" (but "26 were killed after a car bomb struck a bus" names the doer in the time clause)
            score -= 0.08
        if cand.match.pattern.noun:
            score -= 0.08
        if trig.lemma_.lower() in CALLS and any(c.dep_ == "advcl" and any(a.lower_ == "to" for a in c.children)
                                                 for c in trig.children):
            score -= 0.05  # the call carries what it was made for: "called Bashir to express his support"
        if cameo_root == "01":
            score -= 0.2
        if not cand.modality.asserted:
            score -= 0.1
        if permitted(trig):
            score -= 0.1  # the permission is the event ("allowed the WFP to deliver food": 0863)
        if cand.rule.endswith(_IMPLIED):
            score -= 0.05  # the source is inferred, not read
        if cand.kind == "allege":
            score += 0.08  # the accusation frames the violence it reports: it is the sentence's main event
        return max(0.05, min(0.99, score))


def _manner(trig: Token) -> Token | None:
    """The -ing clause telling how its verb's event went that ``trig`` heads or is a conjunct of ("rioted,
    setting fire to their mattresses and smashing furniture"), else None."""
    while trig.dep_ == "conj" and trig.head.tag_ == "VBG" and trig.tag_ == "VBG":
        trig = trig.head
    return trig if trig.dep_ == "advcl" and trig.tag_ == "VBG" and trig.head.pos_ == "VERB" else None


def _trigger_span(event: Event, doc: Doc, offset: int) -> Span | None:
    """The tokens of an event's trigger in ``doc`` (whose text starts at ``offset`` in the document)."""
    if event.trigger_start is None or event.trigger_end is None:
        return None
    return doc.char_span(event.trigger_start - offset, event.trigger_end - offset, alignment_mode="expand")


def _protest_manner(event: Event, protest: Event, doc: Doc, offset: int) -> bool:
    """Whether ``event`` is told as the manner of ``protest`` (CAMEO 14), by the same actors: an -ing clause of
    the protest's verb ("rioted, setting fire to their mattresses")."""
    if protest.cameo_root != "14" or event.cameo_root == "14" \
            or {a.code for a in event.source} != {a.code for a in protest.source}:
        return False
    sub, top = _trigger_span(event, doc, offset), _trigger_span(protest, doc, offset)
    if sub is None or top is None:
        return False
    clause = _manner(sub.root)
    return clause is not None and top.start <= clause.head.i < top.end


def _read_from_structure(event: Event) -> bool:
    """Whether an event's type rests on more than its trigger word: a phrase ("banned opposition candidates",
    "threatened to shell"), or a code the rules changed from the sentence's structure (a governing verb of
    intent, refusal, appeal or demand, a condition, the means; the rule reads "lexicon:<code>:<words>+..." and
    the event's code is no longer <code>)."""
    parts = event.rule.split(":", 2)
    return len(event.trigger.split()) > 1 or (len(parts) == 3 and parts[1] != event.cameo and "+" in parts[2])


def _own_people(actor: Actor, sources: list[Actor]) -> bool:
    """The source's own people named by a possessive ("urged its citizens", "ordered their fighters"): coded
    by the owner's country, they are no other party the event reaches."""
    words = (actor.text or "").split()
    return bool(words) and words[0].lower() in ("its", "their", "his", "her", "our") and any(
        s.country and s.country == actor.country for s in sources)


def _place_target(event: Event) -> Event:
    """An event with no one on the receiving end takes the place it happens in as its target, coded by the
    place's country ("agreed to set up a research centre in Barcelona" -> Barcelona, ESP); not when the
    place is the source's own country named as such (a town of it is a target: "Haftar declared a ceasefire in
    Tripoli")."""
    loc = event.location
    if event.target or loc is None or not loc.country:
        return event
    if loc.precision == "country" and any(a.country == loc.country and not a.sector for a in event.source):
        return event
    target = Actor(text=loc.text or loc.name, code=loc.country, country=loc.country, name=loc.name)
    return dataclasses.replace(event, target=[target], rule=event.rule + "+place-target")


def _expand(heads: list[Token]) -> list[Token]:
    """Add coordinated heads: "Japan, along with Australia, New Zealand and South Korea"."""
    out: list[Token] = []

    def add(tok: Token) -> None:
        if tok in out:
            return
        out.append(tok)
        children = list(tok.children)
        # the parser often hangs "along with X" on the comma after the head
        children += [g for c in children if c.dep_ == "punct" for g in c.children]
        for c in children:
            if c.dep_ == "conj":
                add(c)
            elif c.dep_ in ("prep", "advmod") and c.lower_ in _COORD | {"with"}:
                # "along with X": prep/advmod "along" -> prep "with" -> pobj X
                for g in c.subtree:
                    if g.dep_ == "pobj" and g.head.lower_ in ("with", "alongside"):
                        add(g)
            elif c.dep_ == "cc" and c.lower_ == "as":
                pass

    for h in heads:
        add(h)
    return out


# ---- police actions: the sense checks of custody words and the implied police source


def _custody_sense(m: TriggerMatch, actors: DocActors) -> bool:
    """False where a custody word means something else: "held a rally", "booked a flight", "caught fire",
    "caught in the crossfire", "arrest the decline", "the firing of the coach"."""
    head = m.head
    lemma = head.lemma_.lower()
    if m.pattern.noun:
        if lemma == "arrest" and any(c.lemma_.lower() in _MEDICAL for c in head.children):
            return False  # "cardiac arrest"
        # "the firing of the coach" is a dismissal, not gunfire
        return not (lemma == "firing" and any(c.dep_ == "prep" and c.lower_ == "of" for c in head.children))
    if not m.pattern.code.startswith("173"):
        return True
    patient = _patient(head)
    if lemma == "arrest":
        return patient is None or patient.lemma_.lower() not in _NOT_ARRESTED
    if lemma not in _PERSON_ONLY:
        return True
    if any(c.dep_ in ("acomp", "oprd", "xcomp", "ccomp") or (c.dep_ == "prep" and c.lower_ in ("as", "between"))
           or (c.dep_ == "prt" and lemma in ("hold", "catch")) or c.lower_ in ("unawares", "unaware", "napping",
                                                                                "themselves", "himself", "herself")
           for c in head.children):
        return False  # "held responsible", "held that ...", "held them as human shields", "held up", "caught up
        # with", "caught unawares", "caught between", "held themselves back"
    if lemma == "hold" and any(c.dep_ == "prep" and any(g.lemma_.lower() in ("ransom", "gunpoint", "bay")
                                                        for g in c.children) for c in head.children):
        return False  # "held at ransom" is a figure of speech here; hostage taking has its own patterns
    if _police_agent(head, actors):
        return True  # "picked up by police", "police are holding two men"
    if lemma == "hold" and not (any(c.dep_ in ("nsubjpass", "auxpass") for c in head.children)
                                or (head.dep_ in ("amod", "acl") and head.tag_ == "VBN")):
        return False  # active "hold" is custody only with the police as subject
    if lemma == "catch" and any(c.dep_ == "prep" and c.lower_ in ("in", "on", "between", "by")
                                and any(g.lemma_.lower() in _CAUGHT_IN for g in c.children) for c in head.children):
        return False
    if lemma == "catch" and any(c.dep_ == "agent" and any(g.lemma_.lower() in ("surprise", "camera")
                                                           for g in c.children) for c in head.children):
        return False  # "caught by surprise", "caught by a camera"
    return patient is not None and _is_person(patient, actors, names=lemma != "hold")


# what is released or provided as information or a product, not persons, property or aid
_INFORMATION = frozenset({"example", "evidence", "detail", "explanation", "insight", "glimpse", "answer", "update",
                          "overview", "context", "proof", "clue", "figure", "data", "statistic", "report", "video",
                          "image", "photo", "photograph", "footage", "picture", "version", "product", "album", "film",
                          "movie", "song", "game", "result", "finding", "document", "transcript", "recording", "study",
                          "survey", "poll", "forecast", "estimate", "guidance", "guideline", "name", "schedule"})


_ANIMALS = frozenset({"animal", "pig", "cattle", "cow", "chicken", "poultry", "bird", "sheep", "goat", "dog", "cat",
                      "horse", "camel", "elephant", "rhino", "lion", "tiger", "wolf", "bear", "whale", "dolphin",
                      "shark", "fish", "deer", "livestock", "mink", "boar", "monkey", "gorilla", "snake", "crocodile"})
_RISK_VERBS = frozenset({"threaten", "force", "compel", "oblige"})


def _object_sense(m: TriggerMatch, actors: DocActors) -> bool:
    """False where a bare verb's object gives it another sense: "released figures", "provides evidence" (no
    release, no aid), "fired 200 workers" (a dismissal, no gunfire); a thing as the subject of a verb of
    threat or force; animals as the only victims of violence."""
    head = m.head
    if m.pattern.code[:2] in ("18", "19", "20"):
        # "ordered the killing of 300,000 pigs", "killed two elephants": animals are no victims of political violence
        victims = [c for c in head.children if c.dep_ in ("dobj", "nsubjpass")]
        victims += [o for c in head.children if c.dep_ == "prep" and c.lower_ == "of" for o in _pobjs(c)]
        if victims and all(v.lemma_.lower() in _ANIMALS for v in victims):
            return False
    if m.pattern.noun or m.dep_tokens:
        return True
    obj = next((c for c in head.children if c.dep_ in ("dobj", "nsubjpass")), None)  # ("the film was released")
    code = m.pattern.code
    subj = next((c for c in head.children if c.dep_ == "nsubj"), None)
    if head.lemma_.lower() in _RISK_VERBS and subj is not None and subj.pos_ == "NOUN" \
            and not _is_person(subj, actors) and not any(actors.is_actor_token(t) for t in subj.subtree):
        # "the ban threatens to reignite tensions", "this turn of events will force a change": a risk or a
        # consequence, no one's threat
        return False
    if code[:3] in ("084", "070") and obj is not None and obj.lemma_.lower() in _INFORMATION:
        return False
    if code[:3] == "193" and head.lemma_.lower() == "fire" and obj is not None \
            and not any(c.dep_ == "prep" and c.lower_ in ("on", "at", "upon", "into") for c in head.children):
        return not (obj.pos_ != "NUM" and _is_person(obj, actors))
    return True


def _police_agent(verb: Token, actors: DocActors) -> bool:
    """Whether the subject or the by-agent of a verb is the police (or an intelligence service)."""
    heads = [c for c in verb.children if c.dep_ == "nsubj"]
    heads += [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    for h in heads:
        for t in (h, *(c for c in h.children if c.dep_ == "compound")):
            m = actors.by_token.get(t.i)
            entry = m.first("agent") if m is not None else None
            if entry is not None and ("COP" in entry.ref or "SPY" in entry.ref):
                return True
    return False


def _patient(verb: Token) -> Token | None:
    """Who undergoes a verb: its passive subject or object, or the noun a participle modifies ("the arrested
    men", "those arrested")."""
    for c in verb.children:
        if c.dep_ in ("nsubjpass", "dobj"):
            return c
    if verb.dep_ in ("amod", "acl") and verb.head.i != verb.i and verb.tag_ == "VBN":
        return verb.head
    return None


def _is_person(tok: Token, actors: DocActors, names: bool = True) -> bool:
    lower = tok.lower_
    if lower in _PERSON_PRONOUNS or tok.pos_ == "NUM" or tok.like_num:
        return True
    if tok.pos_ == "PRON" or tok.lemma_.lower() in _ARMS:
        return False  # "which", "it", "that"; "fired a missile" (the knowledge base has weapons for the forces)
    if tok.ent_type_ in ("PERSON", "NORP"):
        return True
    if tok.lemma_.lower() in _PERSON_NOUNS or lower in _PERSON_NOUNS or lower.removesuffix("s") in _PERSON_NOUNS:
        return True
    m = actors.by_token.get(tok.i)
    if m is not None and not (m.kinds() & {"country"} and not m.first("agent")):
        return True  # a named person, an organisation's members, an agent noun ("activists")
    return names and tok.pos_ == "PROPN" and tok.ent_type_ not in ("GPE", "LOC", "FAC", "ORG", "DATE", "TIME")


def _one_per_word(heads: list[Token]) -> list[Token]:
    """One head per hyphenated word the parser split into several ("The Vice-President of Kenya", "al-Thani"
    as three subjects): the part its phrase hangs from, the one with the largest subtree."""
    runs: list[list[Token]] = []
    for tok in sorted(heads, key=lambda t: t.i):
        if runs and runs[-1][-1].i == tok.i - 1 and not runs[-1][-1].whitespace_:
            runs[-1].append(tok)
        else:
            runs.append([tok])
    return [max(run, key=lambda t: sum(1 for _ in t.subtree)) for run in runs]


def _modified_noun(tok: Token, below: Token | None = None) -> Token:
    """The noun a modifier belongs to ("Peruvian" -> "president" in "the Peruvian president"), climbing no
    higher than a word right under ``below``."""
    while tok.dep_ in ("amod", "compound", "nmod") and tok.head.i != tok.i and (below is None or tok.head != below):
        tok = tok.head
    return tok


def _of_objects(noun: Token) -> list[Token]:
    """The nouns of an "of" phrase of ``noun``: "part of a military aid program" -> program."""
    return [o for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for o in _pobjs(c)]


def _phrase(noun: Token) -> Iterator[Token]:
    """The noun's phrase without the clauses that modify it ("a general strike that shut down Kathmandu")."""
    yield noun
    for child in noun.children:
        if child.dep_ not in ("relcl", "acl", "advcl", "ccomp"):
            yield from child.subtree


def _actor_word(tok: Token, actors: DocActors) -> bool:
    """Whether the token is part of an actor's name or agent noun; not the adjective "general" in "a general
    strike", a word that is an agent only in some senses, nor a weapon ("fired a missile")."""
    m = actors.by_token.get(tok.i)
    return m is not None and tok.lemma_.lower() not in _ARMS and not (
        tok.pos_ == "ADJ" and all(e.kind == "agent" and e.how == "ambiguous" for e in m.entries))


def _nominal(tok: Token) -> bool:
    """A verb form used as a noun: the parser's "firing" in "killed in police firing" or "charge" in "resorted
    to lathi charge" (the object of a preposition, with no subject or auxiliary of its own)."""
    if tok.pos_ not in ("VERB", "AUX") or tok.dep_ not in ("pobj", "compound"):
        return False
    return not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "dobj", "mark") for c in tok.children)


def _police_implied(cand: _Candidate) -> bool:
    """Whether the event is one only the police carry out when no agent is named: an arrest or detention
    ("were arrested", "taken into custody", "the arrests"), or crowd control ("tear gas shells were lobbed")."""
    head = cand.match.head
    if cand.match.pattern.noun or _nominal(head):
        if head.dep_ == "compound":
            return False  # "arrest orders", "tear gas canister" name no event
    elif not (any(c.dep_ in ("nsubjpass", "auxpass") for c in head.children)
              or (head.dep_ in ("amod", "acl") and head.tag_ == "VBN"
                  and not any(c.dep_ in ("dobj", "nsubj") for c in head.children))):
        return False  # an active verb ("permission to detain X") leaves its agent open
    if not cand.modality.asserted or cand.governor is not None:
        return False  # "should be arrested", "would be detained": an inferred agent only for reported events
    if _unreal(head):
        return False
    if cand.code.startswith("173"):
        return (head.lemma_.lower() in _CUSTODY_HEADS or head.lower_ in _CUSTODY_HEADS)
    if cand.code.startswith("175"):
        words = {head.lemma_.lower(), head.lower_} | {d.lemma_.lower() for d in cand.match.dep_tokens}
        return bool(words & _CROWD_CONTROL)
    return False


def _unreal(head: Token) -> bool:
    """An event wanted, feared or discussed rather than reported: "demanded the arrest of X", "called for his
    arrest", "the possibility of his arrest", "a fit case for arrest", "court arrest"."""
    tok = head
    for _ in range(3):
        if tok.dep_ in ("dobj", "pobj", "nsubjpass", "conj", "prep", "amod", "compound") and tok.head.i != tok.i:
            tok = tok.head
            if tok.lemma_.lower() in _UNREAL_GOVERNORS:
                return True
        else:
            break
    return False


def _negative_subject(trig: Token) -> bool:
    """ "nobody was arrested", "no one was hurt", "not a single activist has been arrested"."""
    for c in trig.children:
        if c.dep_ not in ("nsubj", "nsubjpass"):
            continue
        if c.lower_ in _NOBODY:
            return True
        if any((g.dep_ == "det" and g.lower_ == "no") or g.dep_ == "neg" for g in c.children):
            return True
        if any(g.lower_ == "not" for g in c.subtree if g.i < c.i):
            return True
    return False


def _negated_above(trig: Token) -> bool:
    """ "have not been able to arrest", "was unable to detain": the negation sits on the governing adjective."""
    tok = trig
    for _ in range(3):
        if tok.dep_ != "xcomp" or tok.head.i == tok.i:
            return False
        tok = tok.head
        if tok.lemma_.lower() == "unable":
            return True
        if tok.pos_ == "ADJ" and tok.dep_ == "acomp":
            verb = tok.head
            return any(c.dep_ == "neg" for c in (*tok.children, *verb.children))
    return False


def _implied_police(trig: Token, actors: DocActors) -> Actor:
    """The police of the country where the event happened, else of no known country ("---COP"), built the way
    the actor resolver builds an agent noun: the place named after the trigger ("arrested in Moscow"), else the
    only country the sentence names as a place (not a nationality: "two Pakistani nationals were arrested"
    says nothing of who arrested them), else the country the document is about."""
    place = _place_after(trig, actors)
    if place is None:
        held = {t.i for t in (_patient(trig).subtree if _patient(trig) is not None else ())}
        sent = sentence_of(trig)
        found = {e.ref for i in range(sent.start, sent.end) if i not in held
                 and (m := actors.by_token.get(i)) is not None
                 for e in m.entries[:1] if e.kind == "country" and e.how not in ("adjective", "demonym")}
        if len(found) == 1:
            place = found.pop()
        elif not found and actors.countries:
            top = actors.context[0]
            if actors.countries[top] >= 2 and actors.countries[top] * 2 > sum(actors.countries.values()):
                place = top
    if place:
        info = actors.kb.countries.get(place, {})
        return Actor(text="police", code=f"{info.get('cameo') or place}COP", country=place, sector="COP",
                     name=info.get("name"))
    return Actor(text="police", code="---COP", sector="COP")


def _place_after(trig: Token, actors: DocActors) -> str | None:
    """The country of "in X" / "at X" / "from X" under the trigger: a known country or city, else a town the
    gazetteer knows."""
    for c in trig.children:
        if c.dep_ != "prep" or c.lower_ not in ("in", "at", "from", "near", "across", "throughout"):
            continue
        for pobj in (g for g in c.children if g.dep_ == "pobj"):
            for tok in pobj.subtree:
                m = actors.by_token.get(tok.i)
                entry = m.first("country") if m is not None else None
                if entry is not None:
                    return entry.ref
            gazetteer = actors.gazetteer
            if gazetteer is not None and (pobj.ent_type_ in ("GPE", "LOC") or pobj.pos_ == "PROPN"):
                try:
                    found = gazetteer.lookup(actors.np_text(pobj)[0], actors.context)
                except Exception:  # noqa: BLE001 - a place lookup never stops the coding
                    found = None
                if found is not None and getattr(found, "country", None):
                    return str(found.country)
    return None


# Verbs of a force leaving on its own side's order (not "expelled", done by the host)
_PULL_OUT = frozenset({"withdraw", "pull", "ship", "evacuate", "recall", "redeploy"})
_UNITS = frozenset({"troop", "soldier", "platoon", "battalion", "brigade", "contingent", "force", "marine"})
_SENT = frozenset({"deploy", "redeploy", "dispatch", "send", "station", "position", "move", "rush"})

# Gatherings a protest act happens during: "threw stones during demonstrations against the army"
_PROTEST_NOUNS = frozenset({"demonstration", "protest", "rally", "march", "strike", "riot", "sit-in", "vigil"})

# Weapons and craft: the knowledge base codes them as the forces using them ("missiles struck" -> MIL), but
# they are no one an event is done to
_ARMS = frozenset({"missile", "rocket", "drone", "tank", "warplane", "warship", "submarine", "fleet", "bomb",
                   "mortar", "shell", "torpedo", "jet", "helicopter", "gunship", "artillery"})

# Violence coded by its means (CAMEO 18 is violence outside combat, 19 combat by armed forces): a killing by
# aircraft is an air strike (195), by artillery a fight with heavy weapons (194), in a gun battle one with small
# arms (193), by an army with no means named conventional force (190).
_BY_MEANS = frozenset({"180", "182", "1823", "183", "186", "190"})
_MEANS = (  # (code, words): the first kind named in the event's clause decides
    ("1952", frozenset({"drone", "predator", "reaper", "uav"})),
    ("1951", frozenset({"precision", "laser-guided", "guided"})),
    ("195", frozenset({"aircraft", "airstrike", "airstrikes", "warplane", "jet", "helicopter", "gunship",
                       "airplane", "air", "aerial", "airpower", "f-16"})),
    ("194", frozenset({"artillery", "shelling", "shell", "mortar", "tank", "howitzer", "rocket", "cannon",
                       "armour", "armor", "grad", "katyusha"})),
    ("193", frozenset({"gunbattle", "gunfight", "firefight", "rifle", "machine-gun", "minefield", "landmine",
                       "sniper", "crossfire"})),
)


def _military_means(trig: Token, sources: list[Actor]) -> tuple[str, str] | None:
    """The combat code of a violent event by the means its clause names, or 190 for an armed force."""
    scope = list(trig.subtree)
    if trig.dep_ in ("advcl", "conj", "xcomp", "acl", "relcl", "pcomp") and trig.head.pos_ in ("VERB", "AUX", "NOUN"):
        scope += list(trig.head.subtree)  # "launched artillery fire, killing ..."
    words = {t.lemma_.lower() for t in scope} | {t.lower_ for t in scope}
    if "air" in words and not ({"strike", "raid", "force", "attack", "bombardment"} & words):
        words.discard("air")  # "in the open air"
    for code, means in _MEANS:
        hit = means & words
        if hit:
            return code, sorted(hit)[0]
    if any((a.sector or "") == "MIL" or (a.code or "")[3:6] == "MIL" for a in sources):
        return "190", "armed-force"
    return None


_WILL = frozenset({"will", "wo", "would", "shall", "'ll"})  # ("wo" as in "won't")


def _refused_future(trig: Token) -> bool:
    """ "will not" / "won't" / "would never" on the trigger itself (not a negative subject, not "no plans to")."""
    auxes = {c.lower_ for c in trig.children if c.dep_ == "aux"}
    negs = {c.lower_ for c in trig.children if c.dep_ == "neg"}
    return bool(auxes & _WILL) and bool(negs & {"not", "n't", "never"})


def _topics_only(targets: list[Actor], doc: Doc) -> bool:
    """Whether every target is named only as what a joint act is about or where it took place ("A and B held
    talks on Syria", "signed 15 agreements in the Great Hall of the People"), not as a party to it ("with C", an
    object)."""
    for actor in targets:
        span = doc.char_span(actor.start, actor.end, alignment_mode="expand") if actor.start is not None \
            and actor.end is not None else None
        if span is None:
            return False
        head = span.root
        if head.dep_ != "pobj" or head.head.lower_ not in ("on", "about", "over", "regarding", "concerning", "in",
                                                             "at"):
            return False
    return True


# What is put to someone and can be turned down: its owner or author is the one a rejection is aimed at.
_PROPOSALS = frozenset({"call", "appeal", "request", "offer", "proposal", "plan", "demand", "bid", "motion", "petition",
                        "suggestion", "lawsuit", "suit", "complaint", "protest", "initiative", "invitation",
                        "application", "plea", "ultimatum", "recommendation", "proposition", "nomination", "claim"})


def _proposers(trig: Token, deps: tuple[Token, ...], actors: DocActors) -> list[Token]:
    """Who made the proposal the trigger (or its object) names: its owner ("Trump's proposal", "U.S. calls",
    "an Armenian proposal"), its "by", "from" or "of" phrase, or the agent of a participle ("an appeal filed by
    his lawyers"); only words that name someone."""
    nouns = [t for t in (trig, *deps, *(c for c in trig.children if c.dep_ in ("dobj", "nsubjpass")))
             if t.pos_ == "NOUN" and t.lemma_.lower() in _PROPOSALS]
    heads: list[Token] = []
    for noun in nouns:
        heads += [c for c in noun.children if c.dep_ == "poss" or (
            c.dep_ in ("compound", "amod") and c.ent_type_ in ("GPE", "NORP", "ORG", "PERSON"))]
        heads += [g for c in noun.children if c.dep_ == "prep" and c.lower_ in ("by", "from", "of")
                  for g in _pobjs(c)]
        heads += [g for a in noun.children if a.dep_ == "acl" and a.tag_ == "VBN"
                  for p in a.children if p.dep_ == "agent" for g in _pobjs(p)]
        if heads:
            break
    return [h for h in heads if actors.is_actor_token(h) or h.pos_ == "PROPN" or _is_person(h, actors, names=False)]


# Bodies that troops and aid are sent to, stationed somewhere: "the NATO-led security force in Afghanistan".
_STATIONED = frozenset({"force", "mission", "operation", "contingent", "coalition"})


def _where_stationed(noun: Token) -> Token | None:
    """The country a force or mission is in, when the noun names one ("the UN force in South Sudan")."""
    if noun.lemma_.lower() not in _STATIONED:
        return None
    return next((o for c in noun.children if c.dep_ == "prep" and c.lower_ == "in" for o in _pobjs(c)
                 if o.ent_type_ in ("GPE", "LOC")), None)


_BLAME = "blame:said-responsible"


def _said_responsible(verb: Token) -> bool:
    """"X said Y was responsible (for ...)": a copula under a verb of saying whose complement is "responsible" and
    whose subject is named (not "it said it was responsible", a claim of its own)."""
    return verb.lemma_.lower() == "be" and verb.dep_ == "ccomp" and verb.head.lemma_.lower() in _SPEECH \
        and any(c.dep_ == "acomp" and c.lower_ == "responsible" for c in verb.children) \
        and any(c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN") for c in verb.children)


def _will_not_tolerate(verb: Token) -> bool:
    """"will not tolerate", "would no longer tolerate", "will never countenance": a warning."""
    if verb.lemma_.lower() not in ("tolerate", "countenance"):
        return False
    if not any(c.dep_ == "aux" and c.lower_ in _WILL for c in verb.children):
        return False
    return any(c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ == "never")
               or (c.dep_ == "advmod" and c.lower_ == "longer" and any(g.lower_ == "no" for g in c.children))
               for c in verb.children)


_OBLIGED = {"must": "demand", "should": "appeal", "ought": "appeal"}


# Nouns that voice a demand or an appeal whose content clause is the event ("its demand that Israel ease").
_DEMAND_NOUNS = {"demand": "demand", "ultimatum": "demand", "insistence": "demand", "call": "appeal",
                 "appeal": "appeal", "request": "appeal", "plea": "appeal", "reminder": "demand"}
_WISH = frozenset({"want", "wish"})
_OBLIGATION_SPEECH = _SPEECH | {"reiterate", "repeat", "conclude", "remind", "maintain", "agree", "decide"}


def _obligation(trig: Token) -> tuple[Token, str] | None:
    """The speech verb reporting that someone must (a demand) or should (an appeal) act, with the kind."""
    modal = next((c for c in trig.children if c.dep_ == "aux" and c.lower_ in _OBLIGED), None)
    if modal is None or any(c.dep_ in ("nsubj", "nsubjpass") and c.i > modal.i for c in trig.children):
        return None  # ("..., should Huawei be given a role": a condition, the modal before its subject)
    aux = modal.lower_
    if trig.dep_ in ("ccomp", "parataxis") and trig.head.lemma_.lower() in _OBLIGATION_SPEECH:
        if trig.head.lemma_.lower() in ("agree", "decide") and _own_side(trig):
            return trig.head, "intent"  # "A and B agreed that their countries should cooperate": a joint intent
        return trig.head, _OBLIGED[aux]
    # "Libya must hand over the suspects, Britain said."
    speech = next((c for c in trig.children if c.dep_ in ("parataxis", "ccomp")
                   and c.lemma_.lower() in _OBLIGATION_SPEECH), None)
    return (speech, _OBLIGED[aux]) if speech is not None else None


def _own_side(trig: Token) -> bool:
    """Whether the clause's subject is the speakers themselves: "they", "their countries", "both sides"."""
    for subj in (c for c in trig.children if c.dep_ in ("nsubj", "nsubjpass")):
        if subj.lower_ in ("they", "we", "both"):
            return True
        if subj.lemma_.lower() in ("side", "party") and any(c.lower_ in ("both", "two") for c in subj.children):
            return True
        if any(c.dep_ == "poss" and c.lower_ in ("their", "our") for c in subj.children):
            return True
    return False


def _reported_demand(trig: Token, lex: Lexicon) -> tuple[Token, str] | None:
    """The verb or noun that demands or appeals for the event in a "that" clause, with the kind; or the speech
    verb reporting that someone must (a demand) or should (an appeal) act."""
    head = trig.head
    if trig.dep_ in ("ccomp", "acl") and head.i != trig.i:
        lemma = head.lemma_.lower()
        if head.pos_ in ("VERB", "AUX") and trig.dep_ == "ccomp":
            if lemma in lex.demand:
                return head, "demand"
            # "reiterated its demand today that Israel ease ...": the clause hangs from the verb, not the noun
            voiced = next((c for c in head.children if c.dep_ == "dobj" and c.lemma_.lower() in _DEMAND_NOUNS
                           and c.i < trig.i), None)
            if voiced is not None:
                return voiced, _DEMAND_NOUNS[voiced.lemma_.lower()]
            if lemma in lex.appeal or (lemma in _WISH and any(c.dep_ == "nsubj" for c in trig.children)):
                return head, "appeal"  # ("wants Germany to pay": an appeal to Germany)
        elif head.pos_ == "NOUN" and lemma in _DEMAND_NOUNS:
            return head, _DEMAND_NOUNS[lemma]
    return _obligation(trig)


def _asked_of(verb: Token, lex: Lexicon) -> tuple[Token, str] | None:
    """The demand or appeal that asks for ``verb`` ("urged Germany to refuse ...", "demanded that Germany
    refuse ...", "said Germany must refuse ..."), with its kind."""
    for gov in governing_verbs(verb, limit=1):
        lemma = gov.lemma_.lower()
        if lemma in lex.appeal:
            return gov, "appeal"
        if lemma in lex.demand:
            return gov, "demand"
    return _reported_demand(verb, lex)


def _with_mood(modality: Modality, clause: Modality, negation: bool) -> Modality:
    """An event's modality joined with the mood of the clause it sits in (and its negation, if asked)."""
    return Modality(negated=modality.negated or (negation and clause.negated),
                    future=modality.future or clause.future,
                    hypothetical=modality.hypothetical or clause.hypothetical,
                    question=modality.question or clause.question)


def _held_responsible(noun: Token) -> Token | None:
    """The clause that holds someone responsible for an event noun ("X has been responsible for mass killings"):
    its verb, whose subject did what the noun names."""
    if noun.dep_ == "pobj" and noun.head.lower_ == "for" and noun.head.head.lemma_.lower() == "responsible" \
            and noun.head.head.dep_ == "acomp":
        return noun.head.head.head
    return None


def _up_to(verb: Token) -> list[Token]:
    """The object of "kidnapped up to 16 Russian advisers" when the parser made "up" a particle of the verb and
    "to 16 ... advisers" its phrase: a number of people, not a direction."""
    preps = [p for c in verb.children if c.dep_ == "prt" and c.lower_ == "up"
             for p in (*c.children, *verb.children) if p.dep_ == "prep" and p.lower_ == "to" and p.i == c.i + 1]
    return [o for p in preps for o in _pobjs(p) if any(n.dep_ == "nummod" for n in o.children)]


def _placed(actor: Actor, phrase: Token, actors: DocActors) -> bool:
    """Whether the actor found in a phrase is a place in it ("a centre in Mumbai"), not a party to the event."""
    tok = next((t for t in phrase.subtree if t.idx == actor.start), None)
    while tok is not None and tok.dep_ == "compound":
        tok = tok.head
    return tok is not None and tok.i != phrase.i and tok.dep_ == "pobj" and tok.head.lower_ in _LOCATIVE_PREPS \
        and _is_place(tok, actors)


def _is_place(tok: Token, actors: DocActors) -> bool:
    """A country, or a city standing for one ("in Vilnius"), or a place entity."""
    mention = actors.by_token.get(tok.i)
    return tok.ent_type_ in ("GPE", "LOC", "FAC") or (mention is not None and mention.kinds() == {"country"})


def _police_action(event: Event, main: Event) -> bool:
    """A police action beside a sentence's main event by someone else stays, though the police have no country:
    "a mob set shops ablaze [main] and the police fired 20 rounds", "50 persons were held and weapons seized"."""
    return (event.quad_class == 4 and any(a.code and a.sector and "COP" in a.sector for a in event.source)
            and not any(_same(a, b) or (a.sector and a.sector == b.sector) for a in event.source for b in main.source))


def _agent_actor(head: Token, actors: DocActors) -> Actor | None:
    """A bare agent noun the resolver left uncoded ("the police" with no antecedent): its sector alone."""
    m = actors.by_token.get(head.i)
    entry = m.first("agent") if m is not None else None
    if entry is None and head.lemma_.lower() in _GROUP_HEADS:
        # "a team of policemen", "the special task force of the state police", "a team comprising personnel of
        # the railway police": the members' sector
        members = [g for c in head.children if (c.dep_ == "prep" and c.lower_ == "of") or (
            c.dep_ == "acl" and c.lemma_.lower() in ("comprise", "consist", "include")) for g in c.subtree]
        for tok in members:
            m = actors.by_token.get(tok.i)
            entry = m.first("agent") if m is not None and not (m.kinds() - {"agent"}) else None
            if entry is not None:
                break
    elif m is not None and (m.kinds() - {"agent"}):
        return None
    if entry is None:
        return None
    text, start, end = actors.np_text(head)
    return Actor(text=text, code=f"---{entry.ref}", sector=entry.ref, start=start, end=end)

# ---- end police actions


def _embedded_noun(cand: _Candidate, trigger_ids: set[int]) -> bool:
    """An event noun that is what another event of the sentence is about ("called for sanctions against X",
    "demanded a truce", "reneged on his commitment") is that event's content, not an event of its own. One
    with a doer of its own ("denounced Serbia's suppression of ...", "the attack by X") stays."""
    noun = cand.match.head
    if not cand.match.pattern.noun or any(
            (c.dep_ == "poss" and c.pos_ != "PRON") or c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by")
            for c in noun.children):
        return False
    own = {t.i for t in cand.trigger_tokens}
    tok = noun
    for _ in range(3):
        if tok.dep_ not in ("dobj", "pobj", "prep", "pcomp", "attr", "nsubjpass") or tok.head.i == tok.i:
            return False
        tok = tok.head
        if tok.i in trigger_ids and tok.i not in own:
            return True
    return False


def _orders_coercion(verb: str, code: str) -> bool:
    """ "ordered the newspaper to suspend publication", "ordered them jailed": an authority's order of a
    coercive act (CAMEO 17) is that act, done to whom the order names, not a demand."""
    return verb in _COMMAND and code[:2] == "17"


def _instrument(noun: Token) -> bool:
    """A government's written order ("an executive order imposing sanctions", "signed an order freezing ..."):
    what it orders is done by whoever issued it, not demanded of anyone."""
    return noun.pos_ == "NOUN" and noun.lemma_.lower() in ("order", "decree") and (
        noun.head.lemma_.lower() in ("sign", "issue") or any(
            c.lower_ in ("executive", "presidential", "royal") for c in noun.children))


def _calls_for_penalty(trig: Token) -> bool:
    """ "called for sanctions against X", "urged a probe into X's death": what is called for punishes or
    investigates someone named in its own phrase."""
    for prep in trig.children:
        if prep.dep_ == "prep" and prep.lower_ == "for":
            for noun in _pobjs(prep):
                preps = _PENALTY_NOUNS.get(noun.lemma_.lower(), ())
                if any(c.dep_ == "prep" and c.lower_ in preps and _pobjs(c) for c in noun.children):
                    return True
    return False


def _backs_penalty(trig: Token, deps: tuple[Token, ...]) -> bool:
    """Whether what is backed ("backed sanctions on Iran", "its support for sanctions against Russia") is a penalty
    with whom it punishes named in its own phrase."""
    backed = [c for h in (trig, *deps) for c in h.children if c.dep_ == "dobj" and c not in deps]
    backed += [o for h in (trig, *deps) for c in h.children if c.dep_ == "prep" and c.lower_ == "for"
               for o in _pobjs(c)]
    for noun in backed:
        preps = _PENALTY_NOUNS.get(noun.lemma_.lower(), ())
        if noun.lemma_.lower() in ("strike", "attack", "action", "intervention"):
            preps = ("against", "on")
        if any(c.dep_ == "prep" and c.lower_ in preps and _pobjs(c) for c in noun.children):
            return True
    return False


def _strike_sense(cand: _Candidate, sources: list[Actor]) -> None:
    """A strike by armed forces is an attack, a strike by workers a work stoppage, whatever the words around
    it suggested ("unions launched a strike against the reform", "the air force carried out strikes")."""
    sectors = {(a.sector or (a.code or "")[3:6]) for a in sources}
    armed = bool(sectors & _ARMED_SECTORS) or _military_means(cand.match.head, []) is not None
    civil = bool(sectors & _CIVIL_SECTORS)
    if cand.code[:2] == "14" and armed and not civil:
        cand.code, cand.rule = "190", f"{cand.rule}+by:armed-force"
    elif cand.code[:2] == "19" and civil and not armed:
        cand.code, cand.rule = "143", f"{cand.rule}+by:civilians"


# sectors whose clashes are arguments: governments, lawmakers, judges, parties, officials, business
_ARGUING_SECTORS = frozenset({"GOV", "LEG", "JUD", "PTY", "ELI", "BUS", "MED", "EDU"})


def _in_words_only(parties: list[Actor]) -> bool:
    """Whether every party is known, and of a sector that clashes in words (or a body of states)."""
    sectors = [(a.sector or (a.code or "")[3:6]) for a in parties]
    return len(parties) >= 2 and all(a.code and (s[:3] in _ARGUING_SECTORS or (a.code.startswith("IGO") and not s))
                                     for a, s in zip(parties, sectors))


def _unattributed(actor: Actor, country: str, actors: DocActors) -> Actor:
    """An attack named by its weapon ("a roadside bomb", "an explosion") takes the country it happened in,
    as event data codes unknown attackers; the actor's words are kept."""
    words = actor.text.lower().split()
    if actor.code or not words or words[-1].removesuffix("s") not in _INSTRUMENTS:
        return actor
    info = actors.kb.countries.get(country, {})
    return dataclasses.replace(actor, code=str(info.get("cameo") or country), country=country,
                               name=info.get("name"))


_TIME_MARKS = frozenset({"after", "before", "since", "until", "when", "while", "once"})
# verbs whose object is one's own forces ("sent 200 troops to Syria", "willing to withdraw its troops")
_DEPLOY = frozenset({"send", "deploy", "dispatch", "withdraw", "pull", "contribute", "station", "redeploy",
                     "deployment", "redeployment", "withdrawal", "pullout"})


def _own_force(actor: Actor, sources: list[Actor]) -> bool:
    """An armed force of the source's own country, of no country named ("mobilized the troops"), or named by a
    possessive ("NATO strengthened its forces", whose country the knowledge base cannot give)."""
    sector = (actor.code or "")[3:6]
    return sector in _ARMED_SECTORS | {"COP"} and (
        actor.country is None or any(s.country == actor.country for s in sources)
        or actor.text.lower().split()[:1] in (["its"], ["their"], ["our"]))


def _weapon_phrase(trig: Token) -> list[Actor]:
    """The weapon of a passive attack with no agent, named in an "in" or "by" phrase, as an actor to be
    placed: "killed in a car bomb explosion"."""
    if not any(c.dep_ == "nsubjpass" for c in trig.children) or any(c.dep_ == "agent" for c in trig.children):
        return []
    for prep in (c for c in trig.children if c.dep_ == "prep" and c.lower_ in ("in", "by")):
        for obj in _pobjs(prep):
            if obj.lemma_.lower() in _INSTRUMENTS:
                start = obj.left_edge.i + (obj.left_edge.dep_ == "det")
                phrase = obj.doc[start:obj.i + 1]
                return [Actor(text=phrase.text, code=None, start=phrase.start_char, end=phrase.end_char)]
    return []


def _as_peacekeepers(trig: Token) -> bool:
    """Whether forces are sent "on a peacekeeping mission" or "as peacekeepers" (a phrase of the trigger)."""
    return any(t.lower_.startswith("peacekeep") for c in trig.children if c.dep_ == "prep" and c.lower_ in ("on", "as")
               for t in c.subtree)


def _peacekeeping(actor: Actor) -> bool:
    text = actor.text.lower()
    return "peacekeep" in text or "blue helmet" in text or "PKO" in (actor.code or "")


def _protest_topic(cand: _Candidate, candidates: list[_Candidate]) -> bool:
    """A demand or appeal made by a protest ("staged rallies to demand reforms", "blocked roads, saying the
    minister must resign") is the protest's topic, not an event of its own (the PLOVER manual's rule); the
    protest takes its target from it."""
    if cand.code[:2] not in ("10", "02"):
        return False
    head = cand.match.head
    for p in candidates:
        if p.code[:2] != "14" or p is cand or head is p.match.head:
            continue
        protest = p.match.head
        # ("continued their hunger strike to demand ...": the verb that carries a protest noun)
        scope = protest.head if p.match.pattern.noun and protest.dep_ in ("dobj", "nsubj") else protest
        if head in scope.subtree:
            return True
    return False


def _pobjs(prep: Token) -> list[Token]:
    """The objects of a preposition. A reduced relative right after it ("asylum to five officers holed up in
    ...") is often parsed as a clause of its own, the preposition left empty: its subject is the object."""
    children = list(prep.children)
    objects = [c for c in children if c.dep_ == "pobj"]
    if not objects and _attributive(prep):
        # "a lawsuit against visiting Saudi Crown Prince Mohammed bin Salman", parsed as a gerund
        return [o for c in children if c.dep_ == "pcomp" for o in c.children if o.dep_ == "dobj"]
    if children:
        return objects
    for tok in prep.doc[prep.i + 1:prep.i + 8]:
        if tok.dep_ == "nsubj" and tok.left_edge.i == prep.i + 1 and tok.head.tag_ in ("VBN", "VBD") \
                and tok.head.dep_ in ("advcl", "ccomp", "relcl", "conj"):
            return [tok]
    return []


# -ing words that describe the person after them ("visiting", "outgoing"); the parser may read them as verbs
_ATTRIBUTIVE = frozenset({"visiting", "outgoing", "incoming", "acting", "ruling", "governing", "exiled",
                          "retiring", "serving", "sitting"})


def _attributive(prep: Token) -> bool:
    """Whether the preposition's object is a person described by an -ing word parsed as a gerund."""
    return prep.lower_ in ("against", "with", "to", "on") and any(
        c.dep_ == "pcomp" and c.lower_ in _ATTRIBUTIVE and any(o.dep_ == "dobj" for o in c.children)
        for c in prep.children)


def _coded(actors: list[Actor]) -> bool:
    return any(a.code and not a.code.startswith("---") for a in actors)


def _clause_subjects(head: Token) -> list[Token]:
    """The subject of a clause complement: "demanded that the US cancel ..." -> the US."""
    for c in head.children:
        if c.dep_ in ("ccomp", "acl", "xcomp") and (c.pos_ in ("VERB", "AUX") or (c.pos_ == "ADJ" and c.dep_ == "ccomp")):
            # ("found Barbarin guilty": a small clause whose subject is the one found guilty)
            subj = [g for g in c.children if g.dep_ in ("nsubj", "nsubjpass") and g.pos_ != "PRON"]
            if subj:
                return subj
    return []


def _condition_subjects(verbs: tuple[Token | None, ...]) -> list[Token]:
    """The subject of an "if", "unless" or "until" clause of the trigger, its governing verb or its pattern
    words; in a passive clause ("until our demands are met by the government"), its agent."""
    for verb in verbs:
        for c in verb.children if verb is not None else ():
            if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in _CONDITIONS for m in c.children):
                agents = [g for a in c.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"]
                return agents or [g for g in c.children if g.dep_ in ("nsubj", "nsubjpass") and g.pos_ != "PRON"]
    return []


_TALKS = frozenset({"talk", "deliberation", "negotiation", "consultation", "meeting", "agreement", "deal", "accord",
                    "negotiate", "agree", "reach", "meet", "consult"})


def _talks_before(verbs: tuple[Token, ...]) -> list[Token]:
    """Whom talks or an agreement were had with, in an "after" phrase of the trigger or its pattern words
    ("after deliberations with the government", "after reaching agreement with the government")."""
    for verb in verbs:
        for prep in verb.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("after", "following"):
                continue
            return [o for t in prep.subtree if t.dep_ == "prep" and t.lower_ == "with" and t.head.lemma_.lower()
                    in _TALKS for o in _pobjs(t)]
    return []


# what a caller does on the call itself ("called Kishida to convey India's condolences"), not an appeal
_ON_A_CALL = frozenset({"convey", "express", "offer", "extend", "discuss", "congratulate", "thank", "wish",
                        "inform", "brief", "assure", "reassure", "share", "review", "exchange", "reiterate"})


def _said_on_the_call(call: Token, verb: Token) -> bool:
    """Whether ``verb`` under "called X to ..." is done on the call by the caller: a call to someone (no "on"
    or "for") for a verb of speech."""
    return (verb.lemma_.lower() in _ON_A_CALL and any(c.dep_ == "dobj" for c in call.children)
            and not any(c.dep_ == "prep" and c.lower_ in ("on", "upon", "for") and c.i > call.i
                        for c in call.children))  # ("On Nov. 2, Tillerson called Lavrov to discuss ...": a date)


_PRESSURES = frozenset({"pressure", "call", "demand", "appeal", "plea", "request", "urging", "protest", "opposition",
                        "criticism", "objection", "warning", "threat", "insistence", "ultimatum"})


def _pressure_from(verbs: tuple[Token | None, ...]) -> list[Token]:
    """Who presses for what an event withstands: the owner of the pressure in a "despite" phrase of the trigger,
    its governing verb or its pattern words ("despite pressure by the commission", "despite US calls")."""
    for verb in verbs:
        for prep in verb.children if verb is not None else ():
            if prep.dep_ != "prep" or prep.lower_ != "despite":
                continue
            for noun in _pobjs(prep):
                if noun.lemma_.lower() not in _PRESSURES:
                    continue
                owners = [c for c in noun.children if c.dep_ in ("poss", "compound", "amod") and c.pos_ == "PROPN"]
                owners += [g for c in noun.children if c.dep_ == "prep" and c.lower_ in ("by", "from", "of")
                           for g in _pobjs(c)]
                if owners:
                    return owners
    return []


def _elaborates(event: Event, main: Event, sent: Span, offset: int) -> bool:
    """Whether ``event`` only tells what the main event was for, by the same actor and of the same kind:
    "used tear gas to disperse the crowd", "started a hunger strike to protest ..." (one event, not two)."""
    if event.plover != main.plover or event.trigger_start is None or main.trigger_start is None \
            or event.trigger_start == main.trigger_start:
        return False  # (one trigger's rows, one per actor, are one event)
    if {a.code for a in event.source} != {a.code for a in main.source}:
        return False
    sub, top = _trigger_span(event, sent.doc, offset), _trigger_span(main, sent.doc, offset)
    if sub is None or top is None:
        return False
    heads = {*range(top.start, top.end), top.root.head.i}  # ("started a hunger strike to protest ...")
    # (a purpose only: "shelled the town, killing four civilians" reports a second fact, the deaths)
    return any(t.dep_ in ("advcl", "xcomp") and t.head.i in heads
               and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children) for t in sub)


def _entity_start(tok: Token) -> int:
    """The first token of the named entity ``tok`` is in (``tok`` itself outside one)."""
    i = tok.i
    while i > 0 and tok.doc[i].ent_iob_ == "I":
        i -= 1
    return i


# Roots of acts an actor can hold over another until a condition is met: giving way or pulling out (08),
# rejecting (12), cutting ties or aid (16). Hostile acts under "will" are threats already (13).
_WITHHELD = frozenset({"08", "12", "16"})


def _unless(*verbs: Token | None, marks: tuple[str, ...] = ("unless",)) -> bool:
    """Whether the trigger or its governing verb has an "unless" clause (or one of other ``marks``)."""
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in marks for m in c.children)
               for verb in verbs if verb is not None for c in verb.children)


def _same(a: Actor, b: Actor) -> bool:
    if a.name and b.name and a.name != b.name:
        return False  # two people with one code: "Biden praised Blinken" (USAGOV both)
    if a.code and b.code and not (a.code.startswith("---") and a.text != b.text):
        # (two sector-only actors, "the minister" and "the prime minister", are the same only by name)
        return a.code == b.code
    return a.text == b.text
