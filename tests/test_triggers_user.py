"""The user trigger file layered over the built-in trigger lexicon."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
import yaml

from conftest import private_user_files
from eventcoder.events import get_lexicon
from eventcoder.events._triggers import NULL_CODE, reload_lexicon, user_triggers_path


@pytest.fixture(autouse=True)
def _private_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own user trigger file (absent until written), actor file and caches."""
    return private_user_files(tmp_path, monkeypatch) / "triggers.yaml"


def _write(path: Path, data: dict) -> Path:
    """Write a trigger file as the importer does: a new file renamed over the old one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text("# a user trigger file written by the tests\n" + yaml.safe_dump(data, sort_keys=False),
                   encoding="utf-8")
    os.replace(tmp, path)
    return path


def _codes(head: str, noun: bool = False) -> list[tuple[str, str]]:
    return [(p.code, p.text) for p in get_lexicon().by_head.get((noun, head), [])]


def test_user_triggers_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert user_triggers_path() == tmp_path / "user" / "triggers.yaml"
    monkeypatch.delenv("EVENTCODER_TRIGGERS")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert user_triggers_path() == tmp_path / "data" / "eventcoder" / "triggers.yaml"


def test_without_a_user_file_the_lexicon_is_the_built_in_one(_private_files: Path) -> None:
    assert not _private_files.exists()
    lexicon = get_lexicon()
    assert get_lexicon() is lexicon  # cached
    assert ("042", "visit") in _codes("visit")
    assert _codes("visit", noun=True)  # "N visit"
    builtin_count = len(lexicon.patterns)
    _private_files.parent.mkdir(parents=True)
    _private_files.mkdir()  # a folder where the file should be is not a trigger file
    assert len(get_lexicon().patterns) == builtin_count


def test_user_patterns_replace_the_built_in_patterns_of_their_head(_private_files: Path) -> None:
    builtin = get_lexicon()
    attack = _codes("attack")
    assert ("042", "visit") in _codes("visit")
    _write(_private_files, {"051": ["visit", "visit warmly [with]"], "043": ["hobnob [with]"]})
    layered = get_lexicon()  # the new file is noticed without a reload
    assert layered is not builtin
    assert _codes("visit") == [("051", "visit"), ("051", "visit warmly [with]")]
    assert _codes("hobnob") == [("043", "hobnob [with]")]
    assert _codes("attack") == attack  # other heads keep their built-in patterns
    assert _codes("visit", noun=True) == [(p.code, p.text) for p in builtin.by_head[(True, "visit")]]
    assert layered.negators == builtin.negators and layered.intent == builtin.intent

    # switching files switches lexicons; the cache keeps both
    other = _write(_private_files.parent / "other.yaml", {"190": ["visit"]})
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EVENTCODER_TRIGGERS", str(other))
        assert _codes("visit") == [("190", "visit")]
    assert get_lexicon() is layered
    assert reload_lexicon() is not layered
    assert _codes("visit")[0] == ("051", "visit")


def test_null_code_settings_and_bad_entries(_private_files: Path, caplog: pytest.LogCaptureFixture) -> None:
    _write(_private_files, {
        "999": ["frobnicate"],  # not a CAMEO code: skipped with a warning
        "1717": ["sever tie [with]"],  # unknown sub-code of a known code: coded as its parent (171)
        NULL_CODE: ["visit"],
        "_intent": {"covet": "030"},
        "_appeal": ["beseech", "entreat"],
    })
    with caplog.at_level(logging.WARNING, logger="eventcoder.events.triggers"):
        lexicon = reload_lexicon()
    assert "999" in caplog.text
    assert (False, "frobnicate") not in lexicon.by_head
    assert _codes("sever") == [("1717", "sever tie [with]")]
    assert _codes("visit") == [(NULL_CODE, "visit")]
    assert lexicon.intent["covet"] == "030" and lexicon.intent["plan"] == "030"
    assert "entreat" in lexicon.appeal and "urge" in lexicon.appeal


def test_a_broken_user_file_is_ignored(_private_files: Path, caplog: pytest.LogCaptureFixture) -> None:
    _private_files.parent.mkdir(parents=True)
    _private_files.write_text("visit: [unclosed\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="eventcoder.events.triggers"):
        assert ("042", "visit") in _codes("visit")
    assert "cannot read" in caplog.text
    _private_files.write_text("- a list\n- of things\n", encoding="utf-8")
    assert ("042", "visit") in _codes("visit")


def test_builtin_patterns_can_be_switched_off(_private_files: Path) -> None:
    _write(_private_files, {"051": ["visit"], "_builtin_patterns": False})
    lexicon = get_lexicon()
    assert [(p.code, p.text) for p in lexicon.patterns] == [("051", "visit")]
    assert lexicon.negators  # the settings stay


# ---------------------------------------------------------------------------------------- end to end


def _events(text: str) -> list[tuple[str, str | None, str | None]]:
    from eventcoder import Coder

    coder = Coder()
    return [(e.cameo, e.source[0].code if e.source else None, e.target[0].code if e.target else None)
            for e in coder.code(text, date="2021-03-01")]


def test_coder_uses_the_user_trigger_file(_private_files: Path, tmp_path: Path) -> None:
    text = "Japan visited China on Monday."
    assert ("042", "JPN", "CHN") in _events(text)

    _write(_private_files, {"051": ["visit"]})
    assert _events(text) == [("051", "JPN", "CHN")]

    _write(_private_files, {NULL_CODE: ["visit"]})
    assert _events(text) == []

    # an imported verbs dictionary
    from eventcoder.actors._importers import import_petrarch_verbs, merge_triggers_file

    src = tmp_path / "tiny.verbs.txt"
    src.write_text(
        "--- PLEDGE [050] ---\n"
        "PLEDGE\n"
        "- * FUNDS [071]\n"
        "- * WITH + [036]\n",
        encoding="utf-8",
    )
    _private_files.unlink()
    merge_triggers_file(import_petrarch_verbs([src]))
    assert ("071", "FRA", "MLI") in _events("France pledged funds to Mali on Tuesday.")
    assert ("036", "FRA", "MLI") in _events("France pledged with Mali on Tuesday.")
