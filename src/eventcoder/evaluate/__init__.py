"""Evaluation: code a gold set and score it with the dev-set protocol."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import EventcoderError
from ..model import Document
from ._score import LEVELS, SetScore, actor_matches, main_event, score_records, type_of

__all__ = ["LEVELS", "SetScore", "actor_matches", "evaluate_file", "format_score", "load_gold", "main_event",
           "score_records", "type_of"]


def load_gold(path: str | Path, limit: int | None = None) -> list[dict[str, Any]]:
    """The records of a gold file. Predictions are keyed by record id, so a record whose id an earlier record
    already has is given the id with "#2", "#3", ... appended: each record is coded and scored on its own."""
    path = Path(path)
    seen: dict[str, int] = {}
    if not path.is_file():
        raise EventcoderError(f"{path}: no such gold file")
    records: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise EventcoderError(f"{path}:{lineno}: malformed JSON ({exc.msg})") from None
            if "id" not in rec or "text" not in rec:
                raise EventcoderError(f"{path}:{lineno}: a gold record needs 'id' and 'text'")
            key = str(rec["id"])
            seen[key] = seen.get(key, 0) + 1
            if seen[key] > 1:
                rec = {**rec, "id": f"{key}#{seen[key]}"}
            records.append(rec)
            if limit and len(records) >= limit:
                break
    return records


def evaluate_file(path: str | Path, coder: Any, limit: int | None = None,
                  progress: Callable[[int], None] | None = None) -> SetScore:
    """Code the texts of a gold file with ``coder`` (a :class:`eventcoder.Coder`) and score them."""
    records = load_gold(path, limit)
    docs = [Document(id=str(r["id"]), text=r["text"] or " ", date=r.get("date")) for r in records]
    predictions: dict[str, list[dict[str, Any]]] = {}
    for document, events in coder.code_documents(docs):
        predictions[document.id] = [e.to_dict() for e in events]
        if progress:
            progress(1)
    name = Path(path).name.removesuffix(".jsonl")
    return score_records(name, records, predictions)


def format_score(score: SetScore) -> str:
    """One plain-text table per type level."""
    lines = [f"{score.name} ({score.annotation}, {score.records} records)"]
    for level, metrics in score.tables.items():
        lines.append(f"  {level}")
        width = max(len(k) for k in metrics)
        for key, value in metrics.items():
            shown = f"{value:.3f}" if isinstance(value, float) else str(value)
            lines.append(f"    {key:<{width}}  {shown}")
    lines.extend(f"  note: {n}" for n in score.notes)
    return "\n".join(lines)


