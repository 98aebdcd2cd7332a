"""The Archive facade: opening and repairing, corrections, search, resolution, paths."""
from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import archive
from archive import (
    Archive, BadQuery, InvalidInput, NotFound, StoreError, open_archive, paths,
)
from archive.store.meta import set_meta

ROOT = Path(__file__).resolve().parent.parent


def write(folder, name, title, body):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return path


@pytest.fixture
def src(tmp_path):
    folder = tmp_path / "src"
    write(folder, "a.txt", "Harbour closed", "The harbour authority closed the northern pier after the storm.")
    write(folder, "b.txt", "Court ruling", "The district court ruled on the appeal of the fishermen's union.")
    return folder


@pytest.fixture
def arc(tmp_path, src):
    a = Archive.open(tmp_path / "arc")
    a.index_folder(src, facts=False)
    yield a
    a.close()


def test_public_api_is_explicit():
    for name in ("Archive", "open_archive", "CancelToken", "CasefileError", "Cancelled", "ArchiveInUse",
                 "NotFound", "BadQuery", "ReadError", "InvalidInput", "StoreError", "Article", "Fact",
                 "IndexReport", "SearchResult", "Entity", "Event"):
        assert name in archive.__all__ and hasattr(archive, name)


def test_core_never_imports_qt():
    code = ("import sys, archive, archive.archive, archive.indexing.run, archive.cli, archive.cli.articles; "
            "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt imported'")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_open_creates_the_archive_folder(tmp_path):
    with Archive.open(tmp_path / "new" / "arc") as arc:
        assert arc.path.is_dir() and (arc.path / "casefile.db").is_file()
        assert arc.articles() == [] and arc.source_folders() == []
        assert arc.search("anything").total == 0


def test_open_a_file_is_a_clear_error(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(InvalidInput, match="not an archive folder"):
        Archive.open(tmp_path / "file")


def test_damaged_database_is_a_store_error(tmp_path):
    (tmp_path / "arc").mkdir()
    (tmp_path / "arc" / "casefile.db").write_bytes(b"garbage" * 500)
    with pytest.raises(StoreError, match="casefile.db"):
        Archive.open(tmp_path / "arc")


def test_deleted_index_is_reported_on_open_and_rebuilt_by_reindex(tmp_path, arc):
    arc.close()
    shutil.rmtree(tmp_path / "arc" / "index")
    with Archive.open(tmp_path / "arc") as again:
        # Open does not rebuild (it may take minutes): it says so, the caller decides.
        assert again.index_stale and "missing" in again.index_stale_reason
        assert again.search("harbour").total == 0
        assert again.articles() and again.article("a.txt").title == "Harbour closed"
        assert again.reindex() == 2
        assert not again.index_stale and again.index_stale_reason is None
        assert again.search("harbour").total == 1
        assert again.search_index.doc_count() == 2
    with Archive.open(tmp_path / "arc") as third:
        assert not third.index_stale


def test_corrupted_index_is_rebuilt_on_open(tmp_path, arc):
    arc.close()
    for f in (tmp_path / "arc" / "index").iterdir():
        if f.is_file():
            f.write_bytes(b"\x00garbage\x00" * 50)
    with Archive.open(tmp_path / "arc") as again:
        assert again.index_stale and "damaged" in again.index_stale_reason
        again.reindex()
        assert again.search("court").total == 1
        assert again.search_index.doc_count() == 2


def test_index_out_of_step_with_store_is_rebuilt(tmp_path, arc):
    arc.search_index.clear()
    set_meta(arc.db, "index_pending", "0")
    arc.close()
    with Archive.open(tmp_path / "arc") as again:
        assert again.index_stale and "holds 0 articles but the archive 2" in again.index_stale_reason
        again.reindex()
        assert again.search("harbour").total == 1


def test_indexing_a_folder_rebuilds_a_stale_index_first(tmp_path, arc, src):
    arc.search_index.clear()
    set_meta(arc.db, "index_pending", "1")
    arc.close()
    with Archive.open(tmp_path / "arc") as again:
        assert again.index_stale and "stopped while it was writing" in again.index_stale_reason
        report = again.index_folder(src, facts=False)
        assert report.unchanged == 2 and not again.index_stale
        assert again.search("harbour").total == 1 and again.search("court").total == 1


def test_a_correction_on_a_stale_index_keeps_it_flagged(tmp_path, arc):
    arc.search_index.clear()
    set_meta(arc.db, "index_pending", "1")
    arc.close()
    with Archive.open(tmp_path / "arc") as again:
        again.correct_metadata("a.txt", outlet="Harbour Gazette")
        assert again.index_stale
    with Archive.open(tmp_path / "arc") as third:
        assert third.index_stale


def test_reindex_rebuilds_from_store(arc):
    arc.search_index.clear()
    assert arc.search("harbour").total == 0
    assert arc.reindex() == 2
    assert arc.search("harbour").total == 1


def test_article_lookup_and_not_found(arc, src):
    art = arc.article(str(src / "a.txt"))
    assert art.title == "Harbour closed" and "northern pier" in art.text
    assert arc.article(art.id, with_text=False).text == ""
    assert arc.article("b.txt").title == "Court ruling"
    with pytest.raises(NotFound):
        arc.article(9999)
    with pytest.raises(NotFound):
        arc.article("nothing.txt")


def test_correct_and_revert_metadata(arc):
    original = arc.article("a.txt")
    fixed = arc.correct_metadata("a.txt", published="2022-12", outlet="Coast News", author="")
    assert (fixed.published, fixed.outlet, fixed.author) == ("2022-12", "Coast News", None)
    assert fixed.provenance["published"] == fixed.provenance["outlet"] == "user"
    assert arc.outlets() == ["Coast News"]
    assert arc.articles(outlet="Coast News")[0].id == original.id
    assert arc.articles(date_from="2022-12-10", date_to="2022-12-20")[0].id == original.id
    hit = arc.search("harbour").hits[0]
    assert (hit.outlet, hit.published) == ("Coast News", "2022-12")
    back = arc.revert_metadata("a.txt", "outlet")
    assert back.outlet == original.outlet and back.published == "2022-12"
    assert back.provenance.get("outlet") == original.provenance.get("outlet")
    back = arc.revert_metadata("a.txt")
    assert (back.published, back.author) == (original.published, original.author)
    assert arc.search("harbour").hits[0].outlet == original.outlet


@pytest.mark.parametrize("fields", [{"published": "29/12/2022"}, {"published": "2022-13-01"},
                                    {"colour": "red"}, {"url": "nope"}, {}])
def test_bad_corrections_are_refused(arc, fields):
    with pytest.raises(InvalidInput):
        arc.correct_metadata("a.txt", **fields)


def test_search_sort_and_errors(arc):
    arc.correct_metadata("a.txt", published="2021-01-01")
    arc.correct_metadata("b.txt", published="2023-01-01")
    result = arc.search("storm OR court", sort="date")
    assert result.total == 2 and len(result.hits) == 2
    assert {h.path for h in result.hits} == {a.path for a in arc.articles()}
    assert len(arc.search("storm OR court", limit=1).hits) == 1
    with pytest.raises(InvalidInput):
        arc.search("court", sort="alphabet")
    with pytest.raises(BadQuery):
        arc.search('"unclosed phrase')


def test_entity_lookups_on_unknown_ids(arc):
    with pytest.raises(NotFound):
        arc.entity(42)
    with pytest.raises(NotFound):
        arc.articles_mentioning(42)
    assert arc.date_range() == (None, None)
    assert arc.facts("a.txt") == []


def test_timelines_property(arc):
    timelines = arc.timelines
    assert timelines is arc.timelines
    assert timelines.get_or_create("Case").name == "Case"


def test_archive_belongs_to_its_thread(arc):
    errors = []

    def use():
        try:
            arc.articles()
        except Exception as exc:   # sqlite3.ProgrammingError
            errors.append(exc)

    t = threading.Thread(target=use)
    t.start()
    t.join()
    assert errors


def test_background_thread_opens_its_own_archive(tmp_path, arc, src):
    write(src, "c.txt", "Late report", "The lighthouse keeper reported a second storm.")
    results = []

    def work():
        with Archive.open(arc.path) as own:
            results.append(own.index_folder(src, facts=False).added)

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert results == [1]
    assert arc.search("lighthouse").total == 1      # sees the other connection's commit


# ------------------------------------------------------------------ resolution and paths

def test_paths(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEFILE_DATA_DIR", str(tmp_path / "data"))
    assert paths.data_dir() == tmp_path / "data" and (tmp_path / "data").is_dir()
    assert paths.resources_dir() == ROOT / "resources"
    assert paths.demo_source_dir() == ROOT / "resources" / "demo"
    assert paths.demo_archive_dir().parent == tmp_path / "data"
    assert paths.default_archive_for(tmp_path / "x") == tmp_path / "x" / ".casefile"
    assert paths.last_archive() is None
    paths.remember_archive(tmp_path)
    assert paths.last_archive() == tmp_path.resolve()


def test_open_archive_resolution(tmp_path, src):
    with open_archive(folder=src) as arc:
        assert arc.path == (src / ".casefile").resolve()
        arc.index_folder(src, facts=False)
    with open_archive() as arc:                      # the last one used
        assert arc.path == (src / ".casefile").resolve()
    other = tmp_path / "other_arc"
    with open_archive(archive=other) as arc:
        assert arc.path == other.resolve()
    with open_archive() as arc:
        assert arc.path == other.resolve()


def test_demo_archive_built_in_data_dir_on_first_use(tmp_path, monkeypatch, src):
    monkeypatch.setattr(paths, "demo_source_dir", lambda: src)
    messages = []
    with open_archive(notify=messages.append) as arc:
        assert arc.path == paths.demo_archive_dir().resolve()
        assert len(arc.articles()) == 2
    assert messages and "demo" in messages[0]
    assert not (src / ".casefile").exists()
    messages.clear()
    with open_archive(notify=messages.append) as arc:
        assert len(arc.articles()) == 2
    assert messages == []                             # built once


def test_no_archive_and_no_demo_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "demo_source_dir", lambda: tmp_path / "empty")
    with pytest.raises(NotFound, match="casefile index"):
        open_archive()
