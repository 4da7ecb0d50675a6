"""Events: the CAMEO/PLOVER ontology, the trigger lexicon, argument extraction and modality."""

from ._extract import EventExtractor
from ._modality import modality_of
from ._ontology import CameoCode, Ontology, get_ontology
from ._triggers import Lexicon, Pattern, get_lexicon, parse_pattern

__all__ = [
    "CameoCode",
    "EventExtractor",
    "Lexicon",
    "Ontology",
    "Pattern",
    "get_lexicon",
    "get_ontology",
    "modality_of",
    "parse_pattern",
]
