"""Sub-commands beyond code/eval/actor, each registered by the part that owns it."""

from __future__ import annotations

from typing import Any

__all__ = ["register"]


def register(sub: Any) -> None:
    from .actors._importers import register_cli as register_actors

    register_actors(sub)

    from ._store_cli import register_cli as register_store

    register_store(sub)

    from .api import register_cli as register_api

    register_api(sub)

    from .scale import register_cli as register_scale

    register_scale(sub)
