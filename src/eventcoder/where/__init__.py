"""Where: the place of each event, from an offline gazetteer and the dependency parse."""

from eventcoder.where._gazetteer import Gazetteer, Place, get_gazetteer, load_gazetteer
from eventcoder.where._resolve import (
    document_countries,
    document_country_counts,
    event_place_span,
    resolve_event_location,
)

__all__ = [
    "Gazetteer",
    "Place",
    "document_countries",
    "document_country_counts",
    "event_place_span",
    "get_gazetteer",
    "load_gazetteer",
    "resolve_event_location",
]
