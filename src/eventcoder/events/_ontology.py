"""The event ontology: CAMEO codes with Goldstein scores and quad classes, and their PLOVER types."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["CameoCode", "Ontology", "get_ontology"]


@dataclass(frozen=True, slots=True)
class CameoCode:
    code: str
    name: str
    root: str
    goldstein: float
    quad: int  # 0 statements/appeals, 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    plover: str | None
    plover_mode: str | None


class Ontology:
    """CAMEO codes by code, PLOVER types by name."""

    def __init__(self, codes: dict[str, CameoCode], plover: dict[str, dict[str, Any]]) -> None:
        self.codes = codes
        self.plover = plover

    def __contains__(self, code: str) -> bool:
        return code in self.codes

    def get(self, code: str) -> CameoCode:
        """The code, or its nearest listed ancestor ("0431" -> "043" -> "04")."""
        while code and code not in self.codes:
            code = code[:-1]
        return self.codes[code]

    def plover_of(self, code: str) -> str | None:
        return self.get(code).plover


def _data(name: str) -> str:
    return (resources.files("eventcoder.events") / "data" / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def get_ontology() -> Ontology:
    text = "\n".join(line for line in _data("cameo.csv").splitlines() if not line.startswith("#"))
    codes: dict[str, CameoCode] = {}
    for row in csv.DictReader(io.StringIO(text)):
        codes[row["code"]] = CameoCode(
            code=row["code"],
            name=row["name"],
            root=row["root"],
            goldstein=float(row["goldstein"] or 0),
            quad=int(row["quad"]),
            plover=row["plover"] or None,
            plover_mode=row["plover_mode"] or None,
        )
    plover = yaml.safe_load(_data("plover.yaml")) or {}
    types = {t["name"]: t for t in plover.get("types", [])}
    return Ontology(codes, types)
