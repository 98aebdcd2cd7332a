"""Every export says where an event's sources disagree: the demo archive's arrest
(dated and placed differently) and deportation (age resolved by the user, rank
marked not a conflict) confirmed onto the timeline, exported through the CLI as
CSV, Markdown, TimelineJS JSON and PDF and read back; the CSV still imports."""
from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from archive import Archive
from archive.cli import main
from archive.models import Event, PartialDate
from archive.timeline import export_timeline, import_csv

ARREST = "arrest|teodor brannik|2025-03-12"
DEPORTATION = "deportation|teodor brannik|2025-04-04"
AGE_NOTE = "born in March: 34 until the 14th"


@pytest.fixture(scope="module")
def case_archive(tmp_path_factory, demo_dir):
    folder = tmp_path_factory.mktemp("conflict_export") / "demo"
    shutil.copytree(demo_dir, folder)
    with Archive.open(folder / ".casefile") as arc:
        arc.index_folder(folder)
        arrest = arc.case.confirm_event(ARREST)
        deportation = arc.case.confirm_event(DEPORTATION)
        plain = arc.timelines.add_event(Event(None, None, PartialDate("2025-02", "month"), "Plain step"))
        age = next(c for c in arc.case.conflicts() if c.kind == "age")
        arc.case.set_conflict_status(age.key, "resolved", note=AGE_NOTE)
        rank = next(c for c in arc.case.conflicts() if c.kind == "rank")
        arc.case.set_conflict_status(rank.key, "not-a-conflict")
    return folder / ".casefile", {"arrest": arrest.id, "deportation": deportation.id, "plain": plain.id}


def _export(archive, fmt, path):
    result = CliRunner().invoke(main, ["timeline", "export", "--archive", str(archive), "--format", fmt,
                                       "-o", str(path)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return path


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_conflicts_by_event_agrees_with_conflicts_for_event(case_archive):
    archive, ids = case_archive
    with Archive.open(archive) as arc:
        by_event = arc.case.conflicts_by_event()
        for event in arc.timelines.events():
            one = {c.key for c in arc.case.conflicts_for_event(event.id) if c.status != "not-a-conflict"}
            assert {c.key for c in by_event.get(event.id, ())} == one
        assert ids["plain"] not in by_event
        assert {c.kind for c in by_event[ids["arrest"]]} >= {"date", "place"}
        assert "rank" not in {c.kind for c in by_event[ids["deportation"]]}
        notes = arc.case.conflict_notes([ids["arrest"]])
        assert set(notes) == {ids["arrest"]}


def test_csv_has_a_conflicts_column_and_still_imports(case_archive, tmp_path):
    archive, ids = case_archive
    path = _export(archive, "csv", tmp_path / "case.csv")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_title = {r["title"]: r for r in rows}
    assert list(rows[0])[-1] == "conflicts"
    arrest = next(r for r in rows if r["start"] == "2025-03-12")
    lines = arrest["conflicts"].split("\n")
    date = next(line for line in lines if line.startswith("Sources disagree: date"))
    assert "2025-03-11 (" in date and " vs 2025-03-12 (Northline Wire" in date and date.endswith("[open]")
    assert any("Harbourton International Airport (Northline Wire)" in line for line in lines)
    deportation = next(r for r in rows if r["start"] == "2025-04-04")
    age = next(line for line in deportation["conflicts"].split("\n") if "age (Teodor Brannik)" in line)
    assert age.startswith("Sources disagreed:") and age.endswith(f"[resolved: {AGE_NOTE}]")
    assert "34 (" in age and " vs 35 (" in age
    assert "captain" not in deportation["conflicts"]   # marked not a conflict: not shown
    assert by_title["Plain step"]["conflicts"] == ""
    again = import_csv(path)
    assert sorted(e.title for e in again) == sorted(r["title"] for r in rows)


def test_markdown_and_json_name_the_disputed_values(case_archive, tmp_path):
    archive, _ids = case_archive
    md = _export(archive, "md", tmp_path / "case.md").read_text(encoding="utf-8")
    section = md.split("## 12 Mar 2025")[1].split("\n## ")[0]
    assert "**⚠** Sources disagree: date (Arrest: Teodor Brannik) — 2025-03-11 (" in section
    assert "\\[open\\]" in section   # Markdown escapes: shown as [open]
    deportation = md.split("## 4 Apr 2025")[1].split("\n## ")[0]
    assert "age (Teodor Brannik) — 34 (" in deportation and f"\\[resolved: {AGE_NOTE}\\]" in deportation
    assert "captain" not in deportation
    plain = md.split("Plain step")[1].split("\n## ")[0]
    assert "disagree" not in plain

    doc = json.loads(_export(archive, "json", tmp_path / "case.json").read_text(encoding="utf-8"))
    items = {e["text"]["headline"]: e for e in doc["events"]}
    arrest = next(e for e in doc["events"] if e["start_date"] == {"year": 2025, "month": 3, "day": 12,
                                                                   "display_date": e["start_date"]["display_date"]})
    assert any(line.startswith("Sources disagree: date") for line in arrest["casefile_conflicts"])
    assert '<p class="casefile-conflict">⚠ Sources disagree: date' in arrest["text"]["text"]
    assert "casefile_conflicts" not in items["Plain step"]


def test_pdf_prints_the_conflicts_with_the_event(case_archive, tmp_path):
    from pypdf import PdfReader

    archive, _ids = case_archive
    path = _export(archive, "pdf", tmp_path / "case.pdf")
    text = _flat(" ".join(page.extract_text() or "" for page in PdfReader(str(path)).pages))
    assert "Sources disagree: date (Arrest: Teodor Brannik) — 2025-03-11" in text
    assert f"[resolved: {AGE_NOTE}]" in text
    assert "captain (" not in text


def test_exports_without_an_archive_keep_their_layout(tmp_path):
    event = Event(7, None, PartialDate("2025-01-02", "day"), "Alone")
    plain = export_timeline([event], "csv", tmp_path / "plain.csv", name="T")
    with open(plain, encoding="utf-8-sig", newline="") as fh:
        assert "conflicts" not in next(csv.reader(fh))
    given = export_timeline([event], "md", tmp_path / "given.md", name="T",
                            conflicts={7: ["Sources disagree: age (X) — 1 (A) vs 2 (B) [open]"]})
    assert "**⚠** Sources disagree: age (X) — 1 (A) vs 2 (B) \\[open\\]" in given.read_text(encoding="utf-8")
    code = ("import archive.case.event_conflicts, archive.timeline.export, sys; "
            "assert 'PySide6' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_pdf_conflict_line_with_an_undrawable_character_is_still_written(tmp_path):
    from pypdf import PdfReader

    event = Event(3, None, PartialDate("2025-01-02", "day"), "Odd outlet")
    # U+10FFFD (private use) has a glyph in no export font.
    line = "Sources disagree: age (X) — 1 (Outlet \U0010FFFD) vs 2 (B) [open]"
    path = export_timeline([event], "pdf", tmp_path / "odd.pdf", name="T", conflicts={3: [line]})
    text = _flat(" ".join(page.extract_text() or "" for page in PdfReader(str(path)).pages))
    assert "Sources disagree: age (X) — 1 (Outlet ?) vs 2 (B) [open]" in text
