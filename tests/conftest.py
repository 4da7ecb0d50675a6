"""Shared fixtures: the real spaCy model (loaded once), the ../shared data folder, the seed article."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or a skip with the reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared data folder sits beside the repository (../shared)")
    return path


@pytest.fixture(scope="session")
def coder():
    from eventcoder import Coder

    return Coder()


@pytest.fixture(scope="session")
def rules_coder(coder):
    """A coder with the trigger rules alone (no sentence type model), sharing the cached spaCy pipeline."""
    from eventcoder import Coder

    return Coder(use_type_model=False)


def private_user_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the user actor and trigger files and the caches into ``tmp_path``; returns the user folder."""
    user = tmp_path / "user"
    monkeypatch.setenv("EVENTCODER_ACTORS", str(user / "actors.yaml"))
    monkeypatch.setenv("EVENTCODER_TRIGGERS", str(user / "triggers.yaml"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return user


@pytest.fixture(scope="session")
def nlp(coder):
    return coder.nlp


@pytest.fixture(scope="session")
def seed_text() -> str:
    return shared_path("seed", "nato_japan_office.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return REPO / "examples" / "articles"
