"""The incremental indexing pipeline, on real files in tmp_path and the seed articles."""
from __future__ import annotations

import shutil

import pytest

from archive.indexing import documents, run, scan
from archive import Archive, ArchiveInUse, CancelToken, InvalidInput
from archive.lock import WriterLock
from archive.models import Region
from archive.search import IndexSession
from archive.store.meta import get_meta

WORDS = ("harbour", "ledger", "tribunal", "orchard", "lantern", "quarry", "meadow", "beacon",
         "granary", "citadel", "foundry", "vineyard")


def write(folder, name, title, body):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return path


def make_corpus(folder, n):
    """``n`` small distinct reports, each with one rare word of its own."""
    for i in range(n):
        word = WORDS[i % len(WORDS)] + str(i)
        write(folder, f"report_{i:03d}.txt", f"Report number {i}",
              f"The inspector visited the {word} on a Tuesday and wrote a short note about it.")


def consistent(arc):
    stored = arc.db.execute("SELECT count(*) FROM articles").fetchone()[0]
    return arc.search_index.doc_count() == stored and get_meta(arc.db, "index_pending") in (None, "0")


@pytest.fixture
def arc(tmp_path):
    archive = Archive.open(tmp_path / "arc")
    yield archive
    archive.close()


def test_seeds_first_run_then_unchanged(arc, seeds_dir):
    report = arc.index_folder(seeds_dir, facts=False)
    assert (report.added, report.changed, report.removed, report.unchanged) == (4, 0, 0, 0)
    assert report.problems == [] and not report.cancelled
    assert len(arc.articles()) == 4
    assert consistent(arc)
    assert arc.search("extradition").total >= 1
    again = arc.index_folder(seeds_dir, facts=False)
    assert (again.added, again.changed, again.removed, again.unchanged) == (0, 0, 0, 4)
    assert arc.source_folders() == [seeds_dir.resolve()]
    # The seed folder itself is left untouched.
    assert not (seeds_dir / ".casefile").exists()


def test_incremental_add_change_remove_skip(tmp_path):
    src = tmp_path / "src"
    make_corpus(src, 5)
    (src / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    write(src, ".hidden/secret.txt", "Hidden", "Never indexed.")
    write(src, "sub/deeper/nested.txt", "Nested report", "A nested note about the windmill.")
    with Archive.open(src / ".casefile") as arc:
        first = arc.index_folder(src, facts=False)
        assert (first.added, first.skipped) == (6, 1)
        assert arc.article("sub/deeper/nested.txt").title == "Nested report"

        write(src, "new.txt", "A new report", "The new note mentions the aqueduct.")
        write(src, "report_001.txt", "Report number 1", "Rewritten: the inspector found the observatory.")
        (src / "report_002.txt").unlink()
        second = arc.index_folder(src, facts=False)
        assert (second.added, second.changed, second.removed, second.unchanged, second.skipped) == (1, 1, 1, 4, 1)
        assert consistent(arc)
        assert arc.search("aqueduct").total == 1
        assert arc.search("observatory").total == 1
        assert arc.search("ledger1").total == 0           # old text of the changed file
        assert arc.search("orchard3").total == 1
        assert arc.search("tribunal2").total == 0          # removed file
        assert arc.search("secret").total == 0
        # The archive's own folder (inside the indexed folder) is never indexed.
        assert all(".casefile" not in a.path for a in arc.articles())


def test_moved_file_keeps_its_article_id(tmp_path):
    src = tmp_path / "src"
    make_corpus(src, 3)
    with Archive.open(tmp_path / "arc") as arc:
        arc.index_folder(src, facts=False)
        old = arc.article("report_001.txt")
        (src / "moved").mkdir()
        shutil.move(src / "report_001.txt", src / "moved" / "renamed.txt")
        report = arc.index_folder(src, facts=False)
        assert (report.added, report.removed, report.changed, report.unchanged) == (0, 0, 1, 2)
        moved = arc.article("moved/renamed.txt")
        assert moved.id == old.id and moved.relpath == "moved/renamed.txt"
        assert arc.search("ledger1").hits[0].path == moved.path


def test_unreadable_files_become_problems_and_the_rest_is_indexed(tmp_path):
    src = tmp_path / "src"
    make_corpus(src, 2)
    (src / "broken.pdf").write_bytes(b"this is not a PDF file at all")
    (src / "broken.docx").write_bytes(b"nor is this a Word file")
    with Archive.open(tmp_path / "arc") as arc:
        report = arc.index_folder(src, facts=False)
        assert report.added == 2
        assert sorted(p.path for p in report.problems) == [str(src / "broken.docx"), str(src / "broken.pdf")]
        assert all(p.reason for p in report.problems)
        assert sorted(p.path for p in arc.problems()) == sorted(p.path for p in report.problems)
        # A removed bad file is no longer a problem; one that still fails stays.
        (src / "broken.docx").unlink()
        arc.index_folder(src, facts=False)
        assert [p.path for p in arc.problems()] == [str(src / "broken.pdf")]
        # Replaced by a readable file, it is cleared too.
        (src / "broken.pdf").unlink()
        write(src, "broken.txt", "Fixed", "Readable now.")
        arc.index_folder(src, facts=False)
        assert arc.problems() == []


def test_a_changed_file_that_no_longer_reads_keeps_its_last_good_version(tmp_path):
    import docx

    src = tmp_path / "src"
    src.mkdir()
    document = docx.Document()
    document.add_paragraph("Lighthouse report")
    document.add_paragraph("The first good version of this note mentions the lighthouse keeper.")
    document.save(src / "note.docx")
    with Archive.open(tmp_path / "arc") as arc:
        assert arc.index_folder(src, facts=False).added == 1
        (src / "note.docx").write_bytes(b"PK\x03\x04 truncated, no longer a Word file")
        report = arc.index_folder(src, facts=False)
        assert [p.path for p in report.problems] == [str(src / "note.docx")]
        assert (report.changed, report.added, report.removed) == (0, 0, 0)
        assert "lighthouse keeper" in arc.article("note.docx").text
        assert arc.search("keeper").total == 1


def test_corrections_survive_reindexing(tmp_path):
    src = tmp_path / "src"
    make_corpus(src, 2)
    with Archive.open(tmp_path / "arc") as arc:
        arc.index_folder(src, facts=False)
        art = arc.correct_metadata("report_000.txt", published="2022-12-29", outlet="The Gazette")
        assert art.published == "2022-12-29" and art.provenance["published"] == "user"
        write(src, "report_000.txt", "A different title", "The rewritten note now mentions the canal.")
        report = arc.index_folder(src, facts=False)
        assert report.changed == 1
        art = arc.article("report_000.txt")
        assert art.title == "A different title"
        assert (art.published, art.outlet) == ("2022-12-29", "The Gazette")
        assert art.provenance["outlet"] == "user"
        hit = arc.search("canal").hits[0]
        assert (hit.outlet, hit.published) == ("The Gazette", "2022-12-29")
        arc.reindex()
        assert arc.search("canal").hits[0].outlet == "The Gazette"


def test_cancel_keeps_whole_batches_and_consistent_index(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "BATCH_FILES", 3)
    src = tmp_path / "src"
    make_corpus(src, 11)
    token = CancelToken()
    seen = []

    def progress(done, total, message):
        seen.append(done)
        if done >= 7:
            token.cancel()

    with Archive.open(tmp_path / "arc") as arc:
        report = arc.index_folder(src, facts=False, progress=progress, cancel=token)
        assert report.cancelled
        stored = len(arc.articles())
        assert stored == report.added == 6       # two whole batches of three
        assert consistent(arc)
        rest = arc.index_folder(src, facts=False)
        assert (rest.added, rest.unchanged, rest.cancelled) == (5, 6, False)
        assert consistent(arc)


def test_interrupt_between_store_and_index_is_repaired_on_open(tmp_path, monkeypatch):
    src = tmp_path / "src"
    make_corpus(src, 4)
    arc = Archive.open(tmp_path / "arc")

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(IndexSession, "commit", crash)
    with pytest.raises(KeyboardInterrupt):
        arc.index_folder(src, facts=False)
    assert get_meta(arc.db, "index_pending") == "1"
    arc.close()
    monkeypatch.undo()
    with Archive.open(tmp_path / "arc") as reopened:
        assert reopened.index_stale and not consistent(reopened)
        reopened.reindex()
        assert consistent(reopened)
        assert reopened.search("orchard3").total == 1


def test_first_results_are_searchable_while_a_big_run_goes_on(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "BATCH_FILES", 20)
    src = tmp_path / "src"
    make_corpus(src, 300)
    seen = {}

    def progress(done, total, message):
        # Another connection, as the desktop's search panel would open it.
        if 100 <= done < 110 and "early" not in seen:
            with Archive.open(tmp_path / "arc") as other:
                seen["early"] = (done, other.search("harbour0").total, other.search("Report").total)

    with Archive.open(tmp_path / "arc") as arc:
        report = arc.index_folder(src, facts=False, progress=progress)
        assert report.added == 300 and consistent(arc)
    done, first_doc, some = seen["early"]
    # The first batch (20 files) was committed before file 100 was read...
    assert first_doc == 1 and 20 <= some < 300
    # ...and the rest is found once the run ends.
    with Archive.open(tmp_path / "arc") as arc:
        assert arc.search("Report").total == 300
        assert arc.search("beacon295").total == 1


def test_index_commits_grow_and_segments_stay_few(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "BATCH_FILES", 5)
    src = tmp_path / "src"
    make_corpus(src, 200)
    with Archive.open(tmp_path / "arc") as arc:
        commits = []
        real_commit = IndexSession.commit

        def commit(self, wait=True):
            commits.append(self.pending)
            return real_commit(self, wait)

        monkeypatch.setattr(IndexSession, "commit", commit)
        arc.index_folder(src, facts=False)
        commits = [c for c in commits if c]
        assert sum(commits) == 200 and consistent(arc)
        # First commit at once (one store batch), then growing: 5, 15, 60, 120 (each waits for
        # INDEX_COMMIT_GROWTH times the committed documents).
        assert commits[0] == 5 and len(commits) <= 8
        assert all(b >= a for a, b in zip(commits[:-2], commits[1:-1]))
        assert len(arc.search_index.segment_ids()) <= len(commits)


def test_many_small_runs_merge_segments(tmp_path, monkeypatch):
    from archive.search import writing

    monkeypatch.setattr(writing, "MAX_SEGMENTS", 4)
    src = tmp_path / "src"
    with Archive.open(tmp_path / "arc") as arc:
        for i in range(8):
            write(src, f"note_{i}.txt", f"Note {i}", f"The note about the granary{i}.")
            arc.index_folder(src, facts=False)
        assert len(arc.search_index.segment_ids()) <= 4
        assert consistent(arc)
        assert arc.search("granary7").total == 1 and arc.search("note").total == 8


def test_index_holds_the_writer_lock(tmp_path):
    src = tmp_path / "src"
    make_corpus(src, 1)
    with Archive.open(tmp_path / "arc") as arc, WriterLock(arc.path):
        with pytest.raises(ArchiveInUse):
            arc.index_folder(src, facts=False)


def test_bad_folder_is_a_clear_error(tmp_path, arc):
    with pytest.raises(InvalidInput, match="does not exist"):
        arc.index_folder(tmp_path / "nope")
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(InvalidInput, match="not a folder"):
        arc.index_folder(tmp_path / "file.txt")


def test_split_body_separates_boilerplate():
    text = "NAV body one. more body. TAIL"
    body, boiler = documents.split_body(text, body_end=25, regions=(Region(0, 4),))
    assert "body one" in body and "NAV" not in body and "TAIL" not in body
    assert "NAV" in boiler and "TAIL" in boiler


def test_scan_counts_unsupported_and_skips_hidden(tmp_path):
    make_corpus(tmp_path, 2)
    (tmp_path / "data.xyz").write_text("?")
    (tmp_path / ".DS_Store").write_text("?")
    write(tmp_path, ".git/readme.txt", "x", "y")
    write(tmp_path, "arcdir/inner.txt", "x", "y")
    files, skipped = scan.scan_folder(tmp_path, skip=[tmp_path / "arcdir"])
    assert [f.name for f in files] == ["report_000.txt", "report_001.txt"]
    assert skipped == 1


def test_changed_text_reanchors_cited_passages(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    write(src, "cited.txt", "Cited report", "Preface. The council approved the new budget on Monday.")
    with Archive.open(tmp_path / "arc") as arc:
        arc.index_folder(src, facts=False)
        art = arc.article("cited.txt")
        quote = "The council approved the new budget"
        start = art.text.index(quote)
        arc.db.execute("INSERT INTO timelines (id, name, created, modified) VALUES (1, 'T', 'x', 'x')")
        arc.db.execute(
            "INSERT INTO events (id, timeline_id, start_value, start_precision, title, created, modified) "
            "VALUES (1, 1, '2022', 'year', 'Budget', 'x', 'x')")
        arc.db.execute(
            'INSERT INTO citations (event_id, article_id, article_path, quote, start, "end") '
            "VALUES (1, ?, ?, ?, ?, ?)", [art.id, art.path, quote, start, start + len(quote)])
        write(src, "cited.txt", "Cited report", "A much longer preface now. The council approved the new budget on Monday.")
        arc.index_folder(src, facts=False)
        new_start, status = arc.db.execute('SELECT start, status FROM citations').fetchone()
        assert status == "moved"
        assert arc.article("cited.txt").text[new_start:new_start + len(quote)] == quote
        (src / "cited.txt").unlink()
        arc.index_folder(src, facts=False)
        assert arc.db.execute("SELECT status, article_id FROM citations").fetchone() == ("missing", None)


# ------------------------------------------------------------------ facts

@pytest.fixture
def counting_extract(monkeypatch):
    """The real extractor, counting how many documents it is given."""
    import archive.facts as facts_mod

    calls = []
    real = facts_mod.extract

    def extract(docs, **kwargs):
        docs = list(docs)
        calls.append(len(docs))
        assert "context_published" in kwargs
        return real(docs, **kwargs)

    monkeypatch.setattr(facts_mod, "extract", extract)
    return calls


def test_facts_extracted_once_and_cached_by_content(tmp_path, seeds_dir, counting_extract):
    src = tmp_path / "src"
    shutil.copytree(seeds_dir, src)
    with Archive.open(tmp_path / "arc") as arc:
        report = arc.index_folder(src)
        assert report.facts_extracted == 4 and sum(counting_extract) == 4
        assert all(a.fact_count > 0 for a in arc.articles())
        people = arc.entities("person")
        assert people and people[0].article_count >= 1
        assert any("Zhilin" in e.name for e in people)
        lo, hi = arc.date_range()
        assert lo and hi and lo <= hi and lo.startswith("20")
        # Unchanged: nothing re-extracted.
        assert arc.index_folder(src).facts_extracted == 0 and sum(counting_extract) == 4
        # Same content under a new name: served from the cache.
        first = sorted(src.iterdir())[0]
        shutil.copy(first, src / "copy_of_first.txt")
        report = arc.index_folder(src)
        assert report.added == 1 and report.facts_extracted == 0 and sum(counting_extract) == 4
        copy = arc.article("copy_of_first.txt")
        original = arc.article(first.name)
        assert [(f.kind, f.start, f.value) for f in arc.facts(copy.id)] == \
               [(f.kind, f.start, f.value) for f in arc.facts(original.id)]
        # Correcting the publication date re-dates relative dates: re-extracted,
        # by the correction itself. The articles without a date of their own
        # (undated, or dated from the case) take their year from the case's
        # latest date, which this correction moves, so they are re-dated too.
        undated = sum(1 for a in arc.articles() if a.id != copy.id
                      and (a.published is None or a.provenance.get("published") == "inferred"))
        assert undated >= 2
        before = sum(counting_extract)
        arc.correct_metadata(copy.id, published="2023-01-05")
        assert sum(counting_extract) == before + 1 + undated
        assert arc.extract_pending_facts() == 0
        mentioned = arc.articles_mentioning(people[0].id)
        assert mentioned and all(isinstance(a.id, int) for a in mentioned)


def test_facts_skipped_with_no_facts_then_extracted_later(tmp_path, seeds_dir, counting_extract):
    with Archive.open(tmp_path / "arc") as arc:
        report = arc.index_folder(seeds_dir, facts=False)
        assert report.facts_extracted == 0 and not counting_extract
        assert arc.entities() == []
        assert arc.extract_pending_facts() == 4
        assert arc.extract_pending_facts() == 0
        assert arc.entities()


def test_removing_articles_drops_their_entities(tmp_path, seeds_dir):
    src = tmp_path / "src"
    shutil.copytree(seeds_dir, src)
    with Archive.open(tmp_path / "arc") as arc:
        arc.index_folder(src)
        assert arc.entities()
        for f in src.iterdir():
            f.unlink()
        report = arc.index_folder(src)
        assert report.removed == 4
        assert arc.entities() == [] and arc.articles() == []
        assert arc.db.execute("SELECT count(*) FROM facts").fetchone()[0] == 0



def test_undated_article_takes_its_year_from_the_case_and_follows_it(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Officer held at the border\n\nSALVIK, Dec. 14 (Northline Wire) – Police detained "
        "a deserter on Wednesday near the border, his lawyer said.\n", encoding="utf-8")
    (folder / "b.txt").write_text(
        "Officer deported\n\n30 December 2022\n\nThe officer was deported on Friday, "
        "his wife said.\n", encoding="utf-8")
    with Archive.open(tmp_path / "arc") as arc:
        arc.index_folder(folder)
        art = arc.article(str(folder / "a.txt"), with_text=False)
        # The date is the case's, not the file's: stored so, marked inferred.
        assert (art.published, art.provenance["published"]) == ("2022-12-14", "inferred")
        wednesday = [f for f in arc.facts(art.id) if f.kind == "date" and f.text == "Wednesday"]
        assert wednesday and wednesday[0].value == "2022-12-14"
        assert "2022-12-14" in wednesday[0].basis
        # Another article moves the case a year on: the undated one is re-dated.
        (folder / "b.txt").write_text(
            "Officer deported\n\n30 December 2023\n\nThe officer was deported on Friday, "
            "his wife said.\n", encoding="utf-8")
        arc.index_folder(folder)
        wednesday = [f for f in arc.facts(art.id) if f.kind == "date" and f.text == "Wednesday"]
        assert wednesday[0].value == "2023-12-13"
        moved = arc.article(art.id, with_text=False)
        assert (moved.published, moved.provenance["published"]) == ("2023-12-14", "inferred")
