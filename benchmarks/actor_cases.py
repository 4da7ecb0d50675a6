"""Actor coding against the NGEC actor test cases (phrase -> expected country and sector).

    .venv/bin/python benchmarks/actor_cases.py [--gold ../shared/data/gold/actor_cases.jsonl] [--misses]

Prints country accuracy over the cases that expect a country (an empty expected country means "no
country", which is right when eventcoder gives none), sector accuracy where one is expected, and with
--misses every case it gets wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

GOLD = Path(__file__).resolve().parents[2] / "shared" / "data" / "gold" / "actor_cases.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--misses", action="store_true", help="list every miss")
    args = parser.parse_args()
    if not args.gold.is_file():
        print(f"skip: {args.gold} not found (it lives in ../shared/data/gold)", file=sys.stderr)
        return 0

    from eventcoder import Coder
    from eventcoder.actors import lookup_phrase

    coder = Coder()
    n = right = n_sector = right_sector = 0
    misses: list[str] = []
    for line in args.gold.open(encoding="utf-8"):
        case = json.loads(line)
        expected = case["expected"]
        date = case.get("date")
        date = date if date and date[:4].isdigit() else None
        actors = lookup_phrase(coder, case["input"], date=date, context=case.get("context") or None)
        got = actors[0] if actors else None
        country = (got.country or (got.code or "")[:3]) if got else ""
        if country == "---":
            country = ""
        if "country" in expected:
            n += 1
            want = expected["country"] or ""
            ok = country == want
            right += ok
            if not ok:
                misses.append(f"{case['id']}: {case['input']!r} -> {country or '-'} (want {want or '-'})")
        elif "country__not" in expected:
            n += 1
            ok = country != expected["country__not"]
            right += ok
            if not ok:
                misses.append(f"{case['id']}: {case['input']!r} -> {country} (want not {expected['country__not']})")
        want_sector = expected.get("code_1")
        if want_sector and want_sector != "JNK":
            n_sector += 1
            sectors = (got.code or "")[3:] if got else ""
            right_sector += want_sector in sectors
    print(f"country accuracy: {right / n:.3f} ({right}/{n})")
    if n_sector:
        print(f"sector accuracy:  {right_sector / n_sector:.3f} ({right_sector}/{n_sector})")
    if args.misses:
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
