"""Timelines: events, citations, validation, undo, concurrent edits, re-anchoring, drafts."""
from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from archive.errors import InvalidInput, NotFound
from archive.models import Citation, Event, Fact
from archive.timeline import Timelines, parse_partial_date
from test_timeline_helpers import (
    CYRILLIC_TEXT, article_getter, insert_article, load_seeds, make_store, passage,
    set_article_text, timelines_on,
)


@pytest.fixture
def store(tmp_path, seeds_dir):
    db = make_store(tmp_path / "arc")
    ids = load_seeds(db, seeds_dir)
    yield db, ids
    db.close()


def cite(db, article_id, word, length=60):
    text = db.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()[0]
    quote, start = passage(text, word, length)
    return Citation(id=None, article_id=article_id, article_path="", quote=quote, start=start,
                    end=start + len(quote))


def event(date="2022-12-06", title="Arrest at the airport", **kw):
    return Event(id=None, timeline_id=None, start=parse_partial_date(date), title=title, **kw)


def test_core_does_not_import_qt():
    # In a fresh interpreter: pytest-qt has already imported Qt into this one.
    code = "import sys, archive.timeline, archive.cli.timeline; print('PySide6' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent)
    assert out.stdout.strip() == "False"


def test_add_event_with_citation_copies_source_details(store):
    db, ids = store
    tl = timelines_on(db)
    saved = tl.add_event(event(tags=("arrest", " arrest ", "Kazakhstan"), people=("Zhilin",),
                               citations=(cite(db, ids[0], "Astana"),)))
    assert saved.id is not None and saved.timeline_id == tl.get_or_create().id
    assert saved.tags == ("arrest", "Kazakhstan")       # trimmed and de-duplicated
    (c,) = saved.citations
    assert c.article_id == ids[0] and c.status == "ok"
    assert c.outlet == "Outlet 1" and c.published == "2022-12-14" and c.article_path.endswith(".txt")
    text = db.execute("SELECT text FROM articles WHERE id = ?", [ids[0]]).fetchone()[0]
    assert text[c.start:c.end] == c.quote
    assert tl.list()[0].name == "Default" and tl.list()[0].event_count == 1


def test_quote_not_in_article_is_refused_and_nothing_is_written(store):
    db, ids = store
    tl = timelines_on(db)
    bad = Citation(None, ids[0], "", "a sentence that was never written here", 0, 0)
    with pytest.raises(InvalidInput, match="does not occur in .*000_"):
        tl.add_event(event(citations=(bad,)))
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 0
    with pytest.raises(InvalidInput, match="Cannot cite 999"):
        tl.add_event(event(citations=(Citation(None, 999, "", "x", 0, 1),)))


def test_quote_differing_only_in_whitespace_takes_the_article_wording(store):
    db, ids = store
    tl = timelines_on(db)
    c = cite(db, ids[1], "Zhilin", 80)
    loose = dataclasses.replace(c, quote="  " + c.quote.replace(" ", "\n  ", 2) + " ", start=-1)
    saved = tl.add_event(event(citations=(loose,)))
    assert saved.citations[0].quote == c.quote and saved.citations[0].start == c.start


def test_events_are_chronological_and_filterable(store):
    db, ids = store
    tl = timelines_on(db)
    tl.add_event(event("2022-12-06", "Day event", certainty="confirmed", people=("Mikhail Zhilin",)))
    tl.add_event(event("2022", "Year event", tags=("context",)))
    tl.add_event(event("2022-09-21", "Mobilisation", tags=("context", "law")))
    tl.add_event(event("~2022-12", "Month event", certainty="disputed"))
    tl.add_event(event("2023-01", "Later"), timeline="Other case")
    assert [e.title for e in tl.events()] == ["Year event", "Mobilisation", "Month event", "Day event"]
    assert [e.title for e in tl.events("Other case")] == ["Later"]
    assert [e.title for e in tl.events(tags=["context", "LAW"])] == ["Mobilisation"]
    assert [e.title for e in tl.events(certainty=("confirmed", "disputed"))] == ["Month event", "Day event"]
    assert [e.title for e in tl.events(person="mikhail zhilin")] == ["Day event"]
    with pytest.raises(NotFound):
        tl.events("No such case")
    with pytest.raises(NotFound):
        tl.events(12345)


@pytest.mark.parametrize("bad, message", [
    (dict(title="  "), "needs a title"),
    (dict(certainty="likely"), "not a certainty"),
    (dict(end=parse_partial_date("2022-11")), "end date Nov 2022 is before the start date"),
])
def test_invalid_events_are_refused(store, bad, message):
    db, _ = store
    with pytest.raises(InvalidInput, match=message):
        timelines_on(db).add_event(event(**bad))


def test_update_keeps_citations_and_refuses_a_stale_copy(store, tmp_path):
    db, ids = store
    tl = timelines_on(db)
    saved = tl.add_event(event(citations=(cite(db, ids[0], "Astana"),)))
    # A second window: its own connection to the same archive.
    other_db = make_store(tmp_path / "arc")
    other = Timelines(other_db, article_getter(other_db))
    theirs = other.event(saved.id)

    mine = tl.update_event(dataclasses.replace(saved, certainty="confirmed",
                                               citations=saved.citations + (cite(db, ids[2], "Zhilin"),)))
    assert mine.certainty == "confirmed" and len(mine.citations) == 2
    assert mine.citations[0].id == saved.citations[0].id      # the kept citation is untouched
    assert mine.modified != saved.modified

    with pytest.raises(InvalidInput, match="changed by another window; reload"):
        other.update_event(dataclasses.replace(theirs, title="Their title"))
    assert tl.event(saved.id).title == saved.title            # their edit did not overwrite mine
    # Reloading and redoing the edit works.
    again = other.update_event(dataclasses.replace(other.event(saved.id), title="Their title"))
    assert again.title == "Their title" and again.certainty == "confirmed" and len(again.citations) == 2
    other_db.close()


def test_update_checks_new_citations(store):
    db, ids = store
    tl = timelines_on(db)
    saved = tl.add_event(event())
    bad = Citation(None, ids[0], "", "not in the article at all, surely", 0, 0)
    with pytest.raises(InvalidInput, match="does not occur"):
        tl.update_event(dataclasses.replace(saved, citations=(bad,)))
    assert tl.event(saved.id).citations == ()


def test_remove_and_restore_event_for_undo(store):
    db, ids = store
    tl = timelines_on(db)
    saved = tl.add_event(event(citations=(cite(db, ids[0], "Astana"), cite(db, ids[3], "Zhilin"))))
    removed = tl.remove_event(saved.id)
    assert removed.id == saved.id and len(removed.citations) == 2
    assert tl.events() == [] and db.execute("SELECT count(*) FROM citations").fetchone()[0] == 0
    with pytest.raises(NotFound):
        tl.event(saved.id)
    back = tl.restore_event(removed)
    assert back.id == saved.id
    assert [c.id for c in back.citations] == [c.id for c in saved.citations]
    assert [c.quote for c in back.citations] == [c.quote for c in saved.citations]
    with pytest.raises(InvalidInput, match="already on a timeline"):
        tl.restore_event(removed)


def test_add_and_remove_citation(store):
    db, ids = store
    tl = timelines_on(db)
    saved = tl.add_event(event())
    c = cite(db, ids[1], "Zhilin")
    path = db.execute("SELECT path FROM articles WHERE id = ?", [ids[1]]).fetchone()[0]
    added = tl.add_citation(saved.id, path, c.quote)
    assert added.id and added.article_id == ids[1] and added.start == c.start
    with pytest.raises(InvalidInput, match="does not occur"):
        tl.add_citation(saved.id, ids[1], "words that are not there at all")
    assert tl.event(saved.id).modified != saved.modified       # a stale window must reload
    tl.remove_citation(added.id)
    assert tl.event(saved.id).citations == ()
    with pytest.raises(NotFound):
        tl.remove_citation(added.id)


def test_rename_and_delete_timeline(store):
    db, _ = store
    tl = timelines_on(db)
    tl.add_event(event(), timeline="A")
    b = tl.get_or_create("B")
    a = [t for t in tl.list() if t.name == "A"][0]
    with pytest.raises(InvalidInput, match="already a timeline named"):
        tl.rename(b.id, "A")
    assert tl.rename(a.id, "Case A").name == "Case A"
    tl.delete(a.id)
    assert [t.name for t in tl.list()] == ["B"]
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 0


def test_reanchor_moved_missing_and_removed(store):
    db, ids = store
    tl = timelines_on(db)
    article = ids[0]
    text = db.execute("SELECT text FROM articles WHERE id = ?", [article]).fetchone()[0]
    first = cite(db, article, "Astana")
    second = cite(db, article, "fifteen", 40)
    saved = tl.add_event(event(citations=(first, second)))
    assert tl.reanchor_article(article) == 0                # nothing changed yet

    # The file gains a paragraph in front and loses the second passage.
    edited = "An editor's note added on top.\n\n" + text.replace(second.quote, "[removed]")
    set_article_text(db, article, edited)
    assert tl.reanchor_article(article) == 2
    moved, missing = tl.event(saved.id).citations
    assert moved.status == "moved" and edited[moved.start:moved.end] == first.quote
    assert missing.status == "missing" and missing.quote == second.quote
    assert tl.reanchor_article(article) == 0                # idempotent

    # The passage comes back: the citation is whole again.
    restored = "An editor's note added on top.\n\n" + text
    set_article_text(db, article, restored)
    assert tl.reanchor_article(article) == 1
    back = tl.event(saved.id).citations[1]
    assert back.status == "moved" and restored[back.start:back.end] == second.quote

    # The article leaves the archive: the citation keeps its words, flagged missing.
    db.execute("DELETE FROM articles WHERE id = ?", [article])
    kept = tl.event(saved.id).citations
    assert [c.status for c in kept] == ["missing", "missing"]
    assert kept[0].quote == first.quote and kept[0].outlet == "Outlet 1"


def test_reanchor_prefers_the_occurrence_nearest_the_old_place(tmp_path):
    db = make_store(tmp_path / "arc")
    text = "The court met. The appeal was rejected. Later on. The appeal was rejected. End."
    aid = insert_article(db, "/cases/a.txt", text)
    tl = timelines_on(db)
    second = text.rindex("The appeal was rejected.")
    saved = tl.add_event(event(citations=(Citation(None, aid, "", "The appeal was rejected.", second, 0),)))
    assert saved.citations[0].start == second
    set_article_text(db, aid, "Intro. " + text)
    tl.reanchor_article(aid)
    assert tl.event(saved.id).citations[0].start == second + len("Intro. ")
    db.close()


def test_reanchor_all_attaches_restored_citations_by_path_and_flags_the_rest(tmp_path):
    from archive.timeline.reanchoring import reanchor_all

    db = make_store(tmp_path / "arc")
    here = insert_article(db, "/cases/here.txt", "Intro. The appeal was rejected. End.")
    gone = insert_article(db, "/cases/gone.txt", "Other. The court met on Monday. End.")
    tl = timelines_on(db)
    quote = "The appeal was rejected."
    saved = tl.add_event(event(citations=(
        Citation(None, here, "", quote, 7, 7 + len(quote)),
        Citation(None, gone, "", "The court met on Monday.", 7, 31))))
    # As a restore leaves them: ids of another archive dropped, paths kept (one not in this archive).
    db.execute("UPDATE citations SET article_id = NULL")
    db.execute("UPDATE citations SET article_path = '/elsewhere/gone.txt' WHERE quote LIKE 'The court%'")
    set_article_text(db, here, "New intro. Intro. The appeal was rejected. End.")
    assert reanchor_all(db, article_getter(db)) == (1, 1)
    attached, orphan = tl.event(saved.id).citations
    assert attached.article_id == here and attached.status == "moved" and attached.start == 7 + len("New intro. ")
    assert orphan.article_id is None and orphan.status == "missing" and orphan.quote == "The court met on Monday."
    assert reanchor_all(db, article_getter(db)) == (1, 1)    # nothing more to attach
    db.close()


def test_draft_from_fact_uses_sentence_entities_and_dates(tmp_path):
    db = make_store(tmp_path / "arc")
    text = ("Background first. On 6 December the officer was detained at the airport in Astana "
            "by border guards. Nothing else.")
    aid = insert_article(db, "/cases/b.txt", text, title="A report", published="2022-12-14", outlet="Wire")
    start = text.index("6 December")
    sent = text[text.index("On 6"):text.index("guards.") + 7]
    for kind, words, value in (("date", "6 December", "XXXX-12-06"), ("place", "Astana", "Astana"),
                               ("org", "border guards", "Border Guard Service")):
        at = text.index(words)
        db.execute('INSERT INTO facts (article_id, kind, text, start, "end", value, sentence, extra) '
                   "VALUES (?, ?, ?, ?, ?, ?, ?, '{}')", [aid, kind, words, at, at + len(words), value, sent])
    tl = timelines_on(db)
    article = article_getter(db)(aid)
    place = Fact(kind="place", text="Astana", start=text.index("Astana"), end=text.index("Astana") + 6,
                 value="Astana", basis="ner", sentence=sent, article_id=aid)
    draft = tl.draft_from_fact(place, article)
    assert draft.id is None
    assert draft.start.value == "2022-12-06" and draft.start.text == "6 December"
    assert draft.places == ("Astana",) and draft.organisations == ("Border Guard Service",)
    assert draft.citations[0].quote == sent and draft.title.startswith("On 6 December")
    assert len(draft.title) <= 91
    saved = tl.add_event(draft)                          # a draft saves as it is
    assert saved.citations[0].start == text.index("On 6")

    date_fact = Fact(kind="date", text="6 December", start=start, end=start + 10, value="2022-12-05/2022-12-07",
                     basis="rule", sentence=sent, extra={"qualifier": "early"})
    d2 = tl.draft_from_fact(date_fact, article)
    assert (d2.start.value, d2.end.value, d2.start.approximate) == ("2022-12-05", "2022-12-07", True)

    passage_draft = tl.draft_from_passage(article, 0, text.index("On 6"))
    assert passage_draft.citations[0].quote == "Background first."
    assert passage_draft.start.value == "2022-12-14" and passage_draft.start.approximate
    with pytest.raises(InvalidInput, match="outside the text"):
        tl.draft_from_passage(article, 5, 10_000)
    db.close()


def test_cyrillic_quotes_are_cited_exactly(tmp_path):
    db = make_store(tmp_path / "arc")
    aid = insert_article(db, "/cases/ru.txt", CYRILLIC_TEXT, outlet="Газета")
    tl = timelines_on(db)
    quote = "решение будет обжаловано"
    saved = tl.add_event(event(title="Апелляция", citations=(Citation(None, aid, "", quote, -1, -1),)))
    assert saved.citations[0].quote == quote and saved.citations[0].outlet == "Газета"
    row = db.execute("SELECT tags, people FROM events").fetchone()
    assert json.loads(row[0]) == [] and json.loads(row[1]) == []
    db.close()


def test_restore_after_the_article_left_marks_its_citation_missing(store):
    db, ids = store
    tl = timelines_on(db)
    saved = tl.add_event(event(citations=(cite(db, ids[0], "Astana"), cite(db, ids[1], "Zhilin"))))
    removed = tl.remove_event(saved.id)
    db.execute("DELETE FROM articles WHERE id = ?", [ids[0]])
    back = tl.restore_event(removed)
    assert [c.status for c in back.citations] == ["missing", "ok"]
    assert back.citations[0].quote == saved.citations[0].quote


def test_update_can_move_an_event_to_another_timeline(store):
    db, _ = store
    tl = timelines_on(db)
    saved = tl.add_event(event())
    other = tl.get_or_create("Second case")
    moved = tl.update_event(dataclasses.replace(saved, timeline_id=other.id))
    assert moved.timeline_id == other.id and tl.events() == [] and len(tl.events("Second case")) == 1
    with pytest.raises(NotFound):
        tl.update_event(dataclasses.replace(moved, timeline_id=999))


def test_citations_follow_file_changes_through_indexing(tmp_path, seeds_dir):
    """End to end with the facade: the indexer re-anchors citations of changed files."""
    from archive import Archive

    folder = tmp_path / "reports"
    folder.mkdir()
    source = sorted(seeds_dir.glob("*.txt"))[0]
    original = source.read_text(encoding="utf-8")
    target = folder / source.name
    target.write_text(original, encoding="utf-8")
    with Archive.open(tmp_path / "arc") as arc:
        arc.index_folder(folder, facts=False)
        article = arc.article(str(target))
        quote, start = passage(article.text, "Astana", 50)
        saved = arc.timelines.add_event(event(citations=(Citation(None, article.id, "", quote, start, 0),)))

        target.write_text("A correction was appended above.\n\n" + original, encoding="utf-8")
        arc.index_folder(folder, facts=False)
        (c,) = arc.timelines.event(saved.id).citations
        assert c.status == "moved" and arc.article(c.article_id).text[c.start:c.end] == quote

        target.unlink()
        arc.index_folder(folder, facts=False)
        (c,) = arc.timelines.event(saved.id).citations
        assert c.status == "missing" and c.quote == quote and c.article_path == str(target.resolve())
