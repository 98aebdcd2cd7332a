"""``casefile entities``: list, review actions by id or name, the ledger, suggestions, undo, errors."""
from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from archive import Archive
from archive.cli import main


@pytest.fixture(scope="module")
def indexed(tmp_path_factory, seeds_dir):
    folder = tmp_path_factory.mktemp("cli-entities") / "arc"
    with Archive.open(folder) as arc:
        arc.index_folder(seeds_dir)
    return folder


@pytest.fixture
def folder(indexed, tmp_path):
    target = tmp_path / "arc"
    shutil.copytree(indexed, target)
    return target


def run(*args, ok=True):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


def _listed(folder, *extra):
    return json.loads(run("entities", "--archive", folder, "--json", *extra).output)


def test_list_merge_split_rename_kind_ignore_undo(folder):
    people = _listed(folder, "--kind", "person")
    assert people and {p["kind"] for p in people} == {"person"}
    zhilin = next(p for p in people if p["name"] == "Mikhail Zhilin")
    assert zhilin["articles"] == 4 and zhilin["mentions"] >= zhilin["articles"] and "Zhilin" in zhilin["aliases"]
    text = run("entities", "--archive", folder, "--kind", "org").output
    assert "Federal Guard Service" in text and "also: FGS, FSO" in text

    out = run("entities", "split", "--archive", folder, "Federal Guard Service", "FSO").output
    assert out.startswith("#1 ") and 'Split "FSO" off organisation "Federal Guard Service"' in out
    suggestions = json.loads(run("entities", "suggestions", "--archive", folder, "--json").output)
    fso = next(s for s in suggestions if s["other"]["name"] == "FSO")
    assert fso["keep"]["name"] == "Federal Guard Service" and fso["reason"] == "lexicon"
    # Accepting it: by id this time, with --archive given to the group.
    run("entities", "--archive", folder, "merge", fso["keep"]["id"], fso["other"]["id"])
    run("entities", "rename", "--archive", folder, zhilin["id"], "Mikhail Zhilin (FSO)")
    run("entities", "kind", "--archive", folder, "Koyanbay checkpoint", "org")
    run("entities", "ignore", "--archive", folder, "Exclusive.kz")
    names = {(e["kind"], e["name"]) for e in _listed(folder)}
    assert ("person", "Mikhail Zhilin (FSO)") in names and ("org", "Koyanbay checkpoint") in names
    assert not any(n == "Exclusive.kz" for _k, n in names) and ("org", "FSO") not in names

    undone = run("entities", "undo", "--archive", folder).output
    assert "Undid #5" in undone
    assert any(e["name"] == "Exclusive.kz" for e in _listed(folder))
    ledger = run("entities", "judgements", "--archive", folder).output.splitlines()
    assert len(ledger) == 6 and "[undone by #6]" in ledger[4]


def test_errors_are_one_line(folder, tmp_path):
    for args, message in [
        (("merge", "Mikhail Zhilin", "Nobody Here"), 'named "Nobody Here"'),
        (("split", "Mikhail Zhilin", "Yekaterina"), "is not an alias"),
        (("rename", "999999", "X"), "with id 999999"),
        (("undo",), "no judgement to undo"),
        (("undo", "42"), "No judgement #42"),
    ]:
        result = run("entities", args[0], "--archive", folder, *args[1:], ok=False)
        assert result.exit_code == 1, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], result.output
    missing = run("entities", "--archive", tmp_path / "nowhere", ok=False)
    assert missing.exit_code == 1 and "There is no archive at" in missing.output
    bad_kind = run("entities", "kind", "--archive", folder, "Astana", "vehicle", ok=False)
    assert bad_kind.exit_code == 2 and "vehicle" in bad_kind.output
