"""Cross-validated accuracy of the rules combined with the type model.

    .venv/bin/python training/train_classifier.py      # (make model) writes the out-of-fold predictions
    .venv/bin/python benchmarks/model_cv.py [--oof /tmp/classifier_oof.jsonl]

The shipped type model was trained on the dev sets, so scoring it there is in-sample. This script codes each
dev set with the rules and, in place of the shipped model, the model's out-of-fold probabilities for that
record (from a model that never saw it), then scores with the usual protocol: the honest numbers.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

GOLD = Path(__file__).resolve().parents[2] / "shared" / "data" / "gold"


class OutOfFold:
    """A stand-in type model answering with the out-of-fold probabilities of the record being coded."""

    def __init__(self, by_text: dict[str, tuple[dict[str, float], dict[str, float]]]) -> None:
        self.by_text = by_text

    def predict(self, span):  # type: ignore[no-untyped-def]
        return self.by_text.get(span.doc.text, ({"NONE": 1.0}, {}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--oof", type=Path, default=Path("/tmp/classifier_oof.jsonl"))
    parser.add_argument("--sets", nargs="+", default=["plv_train", "plover_gsr", "cameo_manual", "conflibert_manual"])
    args = parser.parse_args()
    if not args.oof.is_file() or not GOLD.is_dir():
        print(f"skip: needs {args.oof} (run `make model`) and {GOLD}", file=sys.stderr)
        return 0

    from eventcoder import Coder
    from eventcoder.nlp import mask_dateline
    from eventcoder.evaluate import load_gold, score_records
    from eventcoder.model import Document

    oof = {}
    for line in args.oof.open(encoding="utf-8"):
        r = json.loads(line)
        oof[r["id"]] = (r["probs"], r["root_probs"])
    coder = Coder()
    for name in args.sets:
        records = load_gold(GOLD / f"{name}.jsonl")
        # keyed by the text the coder parses (a leading dateline is blanked out)
        coder.extractor.classifier = OutOfFold({mask_dateline(r["text"]): oof[r["id"]] for r in records
                                                if r["id"] in oof})
        docs = [Document(id=str(r["id"]), text=r["text"] or " ", date=r.get("date")) for r in records]
        out = {d.id: [e.to_dict() for e in ev] for d, ev in coder.code_documents(docs)}
        score = score_records(name, records, out)
        for level, metrics in score.tables.items():
            keep = {k: v for k, v in metrics.items() if k in ("type_f1", "dyad_f1", "main_accuracy",
                                                              "main_macro_f1", "main_dyad_accuracy")}
            print(f"{name:18} {level:10} " + "  ".join(f"{k} {v:.4f}" for k, v in keep.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
