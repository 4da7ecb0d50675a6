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
def nlp(coder):
    return coder.nlp


@pytest.fixture(scope="session")
def seed_text() -> str:
    return shared_path("seed", "nato_japan_office.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return REPO / "examples" / "articles"
