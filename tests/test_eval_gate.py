"""Evaluation gate: accuracy on the dev sets must not fall below the floors pinned in eval_floors.json.

The gate scores the rule engine alone: the shipped type model was trained on these sets, so its scores here
are in-sample (its cross-validated scores come from benchmarks/model_cv.py and are in docs/accuracy.md).
Raise the floors whenever accuracy improves (`make eval` prints the current numbers).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import shared_path
from eventcoder.evaluate import evaluate_file, format_score

FLOORS = json.loads((Path(__file__).with_name("eval_floors.json")).read_text(encoding="utf-8"))


@pytest.mark.slow
@pytest.mark.parametrize("set_name", sorted(k for k in FLOORS if not k.startswith("_")))
def test_accuracy_floor(set_name: str, rules_coder) -> None:
    spec = FLOORS[set_name]
    gold = shared_path("data", "gold", f"{set_name}.jsonl")
    score = evaluate_file(gold, rules_coder, limit=spec.get("limit"))
    failures = []
    for metric, floor in spec["floors"].items():
        level, key = metric.split(".")
        value = score.tables[level][key]
        if value < floor:
            failures.append(f"{metric} = {value:.3f} < floor {floor}")
    assert not failures, f"{set_name} fell below its floors: {failures}\n{format_score(score)}"


@pytest.mark.slow
def test_petrarch_unit_tests_with_the_validation_dictionaries(tmp_path, monkeypatch) -> None:
    """Issue 3: with PETR.Validate's actors, agents and verbs imported, root dyad F1 >= 0.5."""
    from eventcoder import Coder
    from eventcoder.cli import main

    refs = shared_path("reference", "petrarch_dictionaries")
    gold = shared_path("data", "gold", "petrarch_unittests.jsonl")
    actors, triggers = tmp_path / "actors.yaml", tmp_path / "triggers.yaml"
    monkeypatch.setenv("EVENTCODER_ACTORS", str(actors))
    monkeypatch.setenv("EVENTCODER_TRIGGERS", str(triggers))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    files = [str(refs / f"PETR.Validate.{kind}.txt") for kind in ("actors", "agents", "verbs")]
    assert main(["actors", "import-petrarch", *files, "-o", str(actors), "--triggers-output", str(triggers)]) == 0
    score = evaluate_file(gold, Coder(use_type_model=False))
    assert score.tables["cameo_root"]["dyad_f1"] >= 0.5, format_score(score)
