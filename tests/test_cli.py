"""The command line, run for real: `eventcoder code` on files, stdin and bad input; exit statuses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from eventcoder.cli import main


def test_code_jsonl_to_file_and_fields(tmp_path: Path, examples_dir: Path, coder) -> None:
    out = tmp_path / "events.jsonl"
    assert main(["code", str(examples_dir / "saudi_iran_agreement.txt"), "-f", "jsonl", "-o", str(out)]) == 0
    events = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert events
    text = (examples_dir / "saudi_iran_agreement.txt").read_text(encoding="utf-8").split("\n\n", 1)[1]
    for e in events:
        for key in ("doc_id", "sentence_index", "evidence", "trigger", "cameo", "cameo_root", "plover", "quad_class",
                    "goldstein", "confidence", "source", "target", "date", "date_precision", "location", "modality"):
            assert key in e
        assert e["doc_id"] == "saudi_iran_agreement.txt"
        ev = e["evidence"]
        assert text[ev["start"]:ev["end"]] == ev["text"]
    assert any(e["plover"] == "AGREE" and {a["code"][:3] for a in e["source"]} & {"SAU", "IRN"} for e in events)


def test_csv_and_parquet_outputs(tmp_path: Path, examples_dir: Path, coder) -> None:
    import pyarrow.parquet as pq

    src = str(examples_dir / "kyiv_missile_strikes.txt")
    assert main(["code", src, "-f", "csv", "-o", str(tmp_path / "e.csv")]) == 0
    header = (tmp_path / "e.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "cameo" in header and "source_code" in header
    assert main(["code", src, "-f", "parquet", "-o", str(tmp_path / "e.parquet")]) == 0
    table = pq.read_table(tmp_path / "e.parquet")
    assert table.num_rows > 0 and "cameo" in table.column_names


def test_bad_inputs_exit_status(tmp_path: Path, capsys, coder) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "good.txt").write_text("Russian troops attacked Kharkiv on Monday.", encoding="utf-8")
    status = main(["code", str(tmp_path / "empty.txt"), str(tmp_path / "nope.txt"), str(tmp_path / "good.txt"),
                   "-f", "jsonl", "--date", "2022-05-02"])
    captured = capsys.readouterr()
    assert status == 0
    assert captured.out.strip(), "the good input was coded"
    err_lines = captured.err.strip().splitlines()
    assert any("empty.txt" in line for line in err_lines) and any("nope.txt" in line for line in err_lines)
    assert "Traceback" not in captured.err
    assert main(["code", str(tmp_path / "empty.txt"), "-f", "jsonl"]) == 1


@pytest.mark.slow
def test_stdin_subprocess_and_no_traceback(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("eventcoder")
    proc = subprocess.run([str(exe), "code", "-", "-f", "jsonl", "--date", "2023-06-07"],
                          input="France has rejected NATO's plan to open an office in Tokyo.".encode(),
                          capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()
    events = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert any(e["source"] and e["source"][0]["code"].startswith("FRA") for e in events)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00binary")
    proc = subprocess.run([str(exe), "code", str(bad)], capture_output=True, timeout=300)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr.decode() and "bad.txt" in proc.stderr.decode()
