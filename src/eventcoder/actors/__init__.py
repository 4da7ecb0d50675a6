"""Actors: the knowledge base and the resolution of mentions to CAMEO actor codes."""

from ._kb import Entry, KnowledgeBase, Person, Role, load_kb, norm, user_actors_path
from ._lookup import lookup_phrase
from ._resolve import ActorResolver, DocActors, someone_elses

__all__ = [
    "ActorResolver",
    "DocActors",
    "Entry",
    "KnowledgeBase",
    "Person",
    "Role",
    "load_kb",
    "lookup_phrase",
    "norm",
    "someone_elses",
    "user_actors_path",
]
