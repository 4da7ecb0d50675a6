"""Word lists of the place finder and ranker: what names, introduces or ends a place in English news.

Written by the eventcoder team from how English news text names places.
"""

from __future__ import annotations

from spacy.tokens import Span

__all__ = [
    "FACILITY_NOUNS",
    "LOCATIVE_PREPS",
    "MOTION_PREPS",
    "NAME_PARTICLES",
    "NON_PLACE_LABELS",
    "PLACE_LABELS",
    "PLACE_NOUNS",
    "PLACE_OBJECT_VERBS",
    "SETTLEMENT_NOUNS",
    "clean_name",
]

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Entity labels that are never places, however they are attached.
NON_PLACE_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "LAW"})

# Prepositions that put an event somewhere.
LOCATIVE_PREPS = frozenset(
    {
        "in", "at", "near", "outside", "inside", "across", "throughout", "around", "on", "over", "along",
        "into", "off", "within", "through", "between", "towards", "toward", "onto", "beyond", "behind",
        "nearby", "opposite", "amid", "among", "alongside", "underneath", "under", "beneath", "above",
        "upon", "during",
    }
)

# Verbs whose object (or passive subject) is the place where the event happens: "shelled Homs",
# "Kisangani was captured".
PLACE_OBJECT_VERBS = frozenset(
    {
        "attack", "shell", "bomb", "strike", "hit", "raid", "storm", "capture", "seize", "take", "enter",
        "invade", "occupy", "patrol", "target", "besiege", "surround", "liberate", "overrun", "visit", "tour",
        "reach", "leave", "evacuate", "cross", "rock", "shake", "bombard", "pound", "infiltrate", "encircle",
        "recapture", "retake", "penetrate", "loot", "plunder", "ransack", "blockade", "control", "secure",
        "clear", "retreat", "abandon", "flee", "assault", "ambush", "torch", "burn", "destroy", "flood",
        "rocket", "mortar", "blast", "fire", "march", "return", "land", "arrive", "cordon", "free",
        "recover", "lose", "defend", "advance", "push", "approach", "breach", "raze", "swamp", "sweep",
    }
)
# Prepositions of motion: their object is a goal or a source, but a place below it may be the event's.
MOTION_PREPS = frozenset({"to", "from", "after", "following"})
# Nouns for settlements and areas: a name compounded with them is a place name ("Sontyo village").
SETTLEMENT_NOUNS = frozenset(
    {
        "city", "town", "village", "district", "province", "governorate", "region", "area", "neighbourhood",
        "neighborhood", "suburb", "quarter", "camp", "countryside", "outskirts", "capital", "state", "county",
        "municipality", "settlement", "hamlet", "locality", "commune", "tehsil", "taluk", "township",
        "subdistrict", "oblast", "prefecture", "lga", "valley", "plain", "plains", "axis", "front", "sector",
        "junction", "metropolis", "residence", "home", "market", "square", "street", "road", "highway",
    }
)
# Nouns that name a kind of place: a proper name compounded with them, or after "of", is a place
# ("Sontyo village", "the town of Khan Yunis").
PLACE_NOUNS = frozenset(
    {
        "city", "town", "village", "district", "province", "governorate", "region", "area", "neighbourhood",
        "neighborhood", "suburb", "suburbs", "quarter", "camp", "countryside", "outskirts", "capital", "state",
        "county", "municipality", "settlement", "hamlet", "locality", "border", "crossing", "street", "road",
        "highway", "square", "market", "marketplace", "mosque", "church", "temple", "hospital", "school",
        "airport", "base", "checkpoint", "valley", "mountain", "mountains", "hill", "hills", "river", "lake",
        "sea", "island", "islands", "coast", "port", "bay", "gulf", "desert", "forest", "zone", "sector",
        "axis", "commune", "tehsil", "taluk", "township", "subdistrict", "precinct", "colony", "oblast",
        "prefecture", "department", "division", "centre", "center", "streets", "district", "plain", "plains",
        "heights", "front", "frontier", "enclave", "pocket", "strip", "peninsula", "canal", "bridge",
        "station", "prison", "jail", "compound", "palace", "embassy", "university", "stadium", "park",
        "lga", "block", "mandal", "tribal", "agency", "cemetery", "refinery", "field", "fields", "farm",
        "residence", "home", "house", "building", "hotel", "office", "headquarters", "parts", "part",
        "north", "south", "east", "west", "skies", "airspace", "waters", "coastline", "territory",
    }
)

# Words that end the name of a building or site rather than a settlement ("the Israeli Embassy").
FACILITY_NOUNS = frozenset(
    {
        "embassy", "bank", "church", "mosque", "temple", "hospital", "school", "university", "hotel", "museum",
        "office", "headquarters", "base", "airport", "station", "prison", "jail", "palace", "stadium", "market",
        "compound", "building", "camp", "bridge", "consulate", "complex", "factory", "plant", "refinery",
    }
)



NAME_PARTICLES = frozenset(
    {"al", "el", "ad", "as", "ar", "an", "at", "az", "ash", "ez", "es", "ul", "de", "la", "du", "des", "di",
     "da", "del", "bin", "ibn", "abu", "bani", "beni", "bou", "ben", "-", "'", "’", "e", "i"}
)


def clean_name(span: Span) -> Span:
    """Drop a leading determiner ("the Nabi Saleh Mosque"), a trailing possessive or particle ("Straits of")."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end - 1 and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct):
        start += 1
    while end - 1 > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct
                               or doc[end - 1].lower_ in NAME_PARTICLES or doc[end - 1].lower_ == "of"):
        end -= 1
    return doc[start:end]
